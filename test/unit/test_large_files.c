/* test_large_files.c — the configuration files are judged by their size on
 * 32-bit targets too. A file past 2 GiB (or on a file system whose inode
 * numbers do not fit 32 bits) made a 32-bit build without large-file support
 * fail fstat() with EOVERFLOW: "cannot stat …: Value too large for defined
 * data type" instead of the size rule. The cross builds (docs/cross.md) run
 * this under qemu-user for armhf; on a 64-bit build it holds anyway. */
#define _GNU_SOURCE  /* ftruncate64: the test makes its file whatever the library was built with */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/options.h"
#include "config/secrets_file.h"

#define BIG_FILE_SIZE (3ll << 30)  /* 3 GiB, sparse: past what a 32-bit off_t holds */

struct big_file {
	char path[64];
};

/* A sparse file of BIG_FILE_SIZE bytes; skips the test where the file
 * system cannot hold one. */
static void make_big_file(struct big_file *f)
{
	const char *dir = getenv("TMPDIR");

	snprintf(f->path, sizeof(f->path), "%s/uppp-big-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkostemp(f->path, O_CLOEXEC | O_LARGEFILE);
	assert_true(fd >= 0);
	if (ftruncate64(fd, BIG_FILE_SIZE) < 0) {
		fprintf(stderr, "skip: cannot make a %lld-byte sparse file here: %s\n", (long long)BIG_FILE_SIZE,
			strerror(errno));
		close(fd);
		unlink(f->path);
		skip();
	}
	close(fd);
}

static void test_big_secrets_file_is_too_large(void **state)
{
	struct big_file f;
	struct uppp_secrets s = { 0 };
	char err[256] = "";

	(void)state;
	make_big_file(&f);
	int rc = uppp_secrets_load(&s, f.path, err, sizeof(err));
	unlink(f.path);
	assert_string_not_equal(err, "");
	fprintf(stderr, "secrets: %s\n", err);
	assert_int_equal(rc, -EFBIG);
	assert_non_null(strstr(err, "file too large for a secrets file"));
	assert_int_equal(s.n, 0);
	uppp_secrets_free(&s);
}

static void test_big_options_file_is_too_large(void **state)
{
	struct big_file f;
	char *text = NULL, canon[256], err[256] = "";
	size_t len = 0;

	(void)state;
	make_big_file(&f);
	int rc = uppp_options_read_file(NULL, f.path, &text, &len, canon, sizeof(canon), err, sizeof(err));
	unlink(f.path);
	fprintf(stderr, "options: %s\n", err);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err, "too large for an options file"));
	assert_null(text);
}

/* The size rule is reported as such even when errno holds something from
 * before (it did: "'PATH' is No such file or directory" after an earlier
 * failed open elsewhere, for an options file that was merely too large). */
static void test_options_too_large_despite_stale_errno(void **state)
{
	char path[64], *text = NULL, canon[256], err[256] = "";
	size_t len = 0;
	const char *dir = getenv("TMPDIR");

	(void)state;
	snprintf(path, sizeof(path), "%s/uppp-big-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkostemp(path, O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)UPPP_OPTIONS_FILE_MAX + 1), 0);
	close(fd);
	errno = ENOENT;
	int rc = uppp_options_read_file(NULL, path, &text, &len, canon, sizeof(canon), err, sizeof(err));
	unlink(path);
	fprintf(stderr, "options: %s\n", err);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err, "too large for an options file"));
	assert_null(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_secrets_file_is_too_large),
		cmocka_unit_test(test_big_options_file_is_too_large),
		cmocka_unit_test(test_options_too_large_despite_stale_errno),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
