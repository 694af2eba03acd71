/* test_log.c — the logger: line format, level filter, timestamps, one line
 * per call, log files. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/log.h"

struct mem {
	char *buf;
	size_t size;
	FILE *f;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->size = 0;
	m->f = open_memstream(&m->buf, &m->size);
	assert_non_null(m->f);
}

/* Contents so far (the logger flushes each line itself: no fflush here, so
 * a missing flush in the logger makes the tests fail). */
static const char *mem_text(struct mem *m)
{
	return m->buf ? m->buf : "";
}

/* A logger at level into a fresh memory stream, without timestamps so the
 * lines can be compared whole. */
static void mem_log_open(struct mem *m, struct uppp_log *l, enum uppp_log_level level)
{
	mem_open(m);
	uppp_log_init(l, m->f, level);
	l->timestamps = false;
}

static void mem_close(struct mem *m)
{
	fclose(m->f);
	free(m->buf);
}

static void test_line_format_without_timestamps(void **state)
{
	(void)state;
	struct mem m;
	struct uppp_log l;
	mem_log_open(&m, &l, UPPP_LOG_DEBUG);
	uppp_logf(&l, UPPP_LOG_INFO, "sess=%u layer=%s event=up", 3u, "lcp");
	assert_string_equal(mem_text(&m), "level=info sess=3 layer=lcp event=up\n");
	uppp_logf(&l, UPPP_LOG_ERR, "event=%s", "x");
	uppp_logf(&l, UPPP_LOG_WARN, "event=%s", "y");
	uppp_logf(&l, UPPP_LOG_DEBUG, "event=%s", "z");
	assert_string_equal(mem_text(&m), "level=info sess=3 layer=lcp event=up\n"
					  "level=err event=x\nlevel=warn event=y\nlevel=debug event=z\n");
	mem_close(&m);
}

static void test_level_filter(void **state)
{
	(void)state;
	struct mem m;
	struct uppp_log l;
	mem_log_open(&m, &l, UPPP_LOG_WARN);
	assert_true(uppp_log_enabled(&l, UPPP_LOG_ERR));
	assert_true(uppp_log_enabled(&l, UPPP_LOG_WARN));
	assert_false(uppp_log_enabled(&l, UPPP_LOG_INFO));
	uppp_logf(&l, UPPP_LOG_DEBUG, "a=1");
	uppp_logf(&l, UPPP_LOG_INFO, "a=2");
	uppp_logf(&l, UPPP_LOG_WARN, "a=3");
	uppp_logf(&l, UPPP_LOG_ERR, "a=4");
	assert_string_equal(mem_text(&m), "level=warn a=3\nlevel=err a=4\n");
	mem_close(&m);

	/* A logger with no output logs nothing and does not crash. */
	uppp_log_init(&l, NULL, UPPP_LOG_DEBUG);
	assert_false(uppp_log_enabled(&l, UPPP_LOG_ERR));
	uppp_logf(&l, UPPP_LOG_ERR, "a=%d", 5);
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static void test_timestamp_format(void **state)
{
	(void)state;
	struct mem m;
	struct uppp_log l;
	mem_open(&m);
	uppp_log_init(&l, m.f, UPPP_LOG_INFO);
	assert_true(l.timestamps);  /* on by default */
	time_t before = time(NULL);
	uppp_logf(&l, UPPP_LOG_INFO, "event=started");
	time_t after = time(NULL);
	const char *s = mem_text(&m);
	/* 2026-11-26T19:30:00.123Z level=info event=started\n */
	assert_int_equal(strlen(s), 24 + 1 + strlen("level=info event=started") + 1);
	assert_true(digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2));
	assert_true(s[10] == 'T' && digits(s + 11, 2) && s[13] == ':' && digits(s + 14, 2) && s[16] == ':');
	assert_true(digits(s + 17, 2) && s[19] == '.' && digits(s + 20, 3) && s[23] == 'Z' && s[24] == ' ');
	assert_string_equal(s + 25, "level=info event=started\n");
	/* The time is now, in UTC. */
	struct tm tm = { 0 };
	assert_non_null(strptime(s, "%Y-%m-%dT%H:%M:%S", &tm));
	time_t t = timegm(&tm);
	assert_true(t >= before && t <= after);
	mem_close(&m);
}

static void test_one_line_per_call(void **state)
{
	(void)state;
	struct mem m;
	struct uppp_log l;
	mem_log_open(&m, &l, UPPP_LOG_DEBUG);
	uppp_logf(&l, UPPP_LOG_INFO, "msg=\"%s\"", "two\nlines\r");
	uppp_logf(&l, UPPP_LOG_INFO, "event=x\n");  /* trailing newline is not doubled */
	uppp_logf(&l, UPPP_LOG_INFO, "%s", "");
	assert_string_equal(mem_text(&m), "level=info msg=\"two lines \"\nlevel=info event=x\nlevel=info\n");
	mem_close(&m);
}

static void test_long_message_not_truncated(void **state)
{
	(void)state;
	struct mem m;
	struct uppp_log l;
	char big[5000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[4000] = 'b';
	mem_log_open(&m, &l, UPPP_LOG_DEBUG);
	uppp_logf(&l, UPPP_LOG_DEBUG, "x=%s y=%d", big, 7);
	const char *s = mem_text(&m);
	assert_int_equal(strlen(s), strlen("level=debug x=") + strlen(big) + strlen(" y=7\n"));
	assert_int_equal(s[strlen("level=debug x=") + 4000], 'b');
	assert_string_equal(s + strlen(s) - 5, " y=7\n");
	mem_close(&m);
}

/* Inside a batch nothing is written until it ends (or fills); outside,
 * every line at once; a line too long for the line buffer goes out whole,
 * after what was batched. */
static void test_batch(void **state)
{
	(void)state;
	struct mem m;
	struct uppp_log l;
	char big[3000];
	mem_log_open(&m, &l, UPPP_LOG_DEBUG);
	uppp_log_batch_begin(&l);
	uppp_logf(&l, UPPP_LOG_INFO, "event=a");
	uppp_logf(&l, UPPP_LOG_INFO, "event=b\nc");
	assert_string_equal(mem_text(&m), "");
	uppp_log_batch_end(&l);
	assert_string_equal(mem_text(&m), "level=info event=a\nlevel=info event=b c\n");
	uppp_logf(&l, UPPP_LOG_WARN, "event=d");
	assert_string_equal(mem_text(&m), "level=info event=a\nlevel=info event=b c\nlevel=warn event=d\n");
	mem_close(&m);

	/* a full batch is written as it fills: nothing is lost */
	mem_log_open(&m, &l, UPPP_LOG_DEBUG);
	uppp_log_batch_begin(&l);
	for (int i = 0; i < 1000; i++)
		uppp_logf(&l, UPPP_LOG_INFO, "event=n%03d", i);
	assert_true(strlen(mem_text(&m)) > 0);
	uppp_log_batch_end(&l);
	assert_int_equal(strlen(mem_text(&m)), 1000 * strlen("level=info event=n000\n"));
	assert_non_null(strstr(mem_text(&m), "level=info event=n999\n"));
	mem_close(&m);

	mem_log_open(&m, &l, UPPP_LOG_DEBUG);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[2000] = '\n';
	uppp_log_batch_begin(&l);
	uppp_logf(&l, UPPP_LOG_INFO, "event=first");
	uppp_logf(&l, UPPP_LOG_INFO, "big=%s", big);
	const char *s = mem_text(&m);
	assert_int_equal(strncmp(s, "level=info event=first\nlevel=info big=xxx", 41), 0);
	assert_int_equal(strlen(s), strlen("level=info event=first\nlevel=info big=") + strlen(big) + 1);
	assert_int_equal(s[strlen("level=info event=first\nlevel=info big=") + 2000], ' ');
	uppp_log_batch_end(&l);
	mem_close(&m);
}

static void vlog_with_prefix(struct uppp_log *l, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void vlog_with_prefix(struct uppp_log *l, const char *prefix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uppp_vlogf_prefix(l, UPPP_LOG_WARN, prefix, fmt, ap);
	va_end(ap);
}

static void vlog(struct uppp_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vlog(struct uppp_log *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uppp_vlogf(l, UPPP_LOG_ERR, fmt, ap);
	va_end(ap);
}

static void test_vlogf_and_prefix(void **state)
{
	(void)state;
	struct mem m;
	struct uppp_log l;
	mem_log_open(&m, &l, UPPP_LOG_DEBUG);
	vlog(&l, "n=%d s=%s", 42, "ok");
	vlog_with_prefix(&l, "sess=7 layer=ipcp", "event=%s", "nak");
	vlog_with_prefix(&l, NULL, "event=%s", "plain");
	vlog_with_prefix(&l, "%s%n", "x=%d", 1);  /* prefix is text, not a format */
	assert_string_equal(mem_text(&m), "level=err n=42 s=ok\n"
					  "level=warn sess=7 layer=ipcp event=nak\n"
					  "level=warn event=plain\n"
					  "level=warn %s%n x=1\n");
	mem_close(&m);
}

static void test_log_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/uppp-test-log-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256], bad[256];
	snprintf(path, sizeof(path), "%s/pppoe.log", dir);
	snprintf(bad, sizeof(bad), "%s/missing/pppoe.log", dir);

	struct mem m;
	struct uppp_log l;
	mem_log_open(&m, &l, UPPP_LOG_INFO);

	/* Failure keeps the previous output. */
	assert_int_equal(uppp_log_open_file(&l, bad), -ENOENT);
	assert_ptr_equal(l.out, m.f);
	uppp_logf(&l, UPPP_LOG_INFO, "still=mem");
	assert_string_equal(mem_text(&m), "level=info still=mem\n");

	/* An existing file is appended to, not truncated. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("old line\n", f);
	fclose(f);
	assert_int_equal(uppp_log_open_file(&l, path), 0);
	assert_true(l.owns_out);
	uppp_logf(&l, UPPP_LOG_INFO, "event=one");
	/* Readable by another reader at once: the line was flushed. */
	char text[256] = "";
	f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_string_equal(text, "old line\nlevel=info event=one\n");

	/* Reopening (log rotation) closes the old file; close stops logging. */
	assert_int_equal(uppp_log_open_file(&l, path), 0);
	uppp_logf(&l, UPPP_LOG_INFO, "event=two");
	uppp_log_close(&l);
	assert_null(l.out);
	uppp_logf(&l, UPPP_LOG_INFO, "event=dropped");
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_string_equal(text, "old line\nlevel=info event=one\nlevel=info event=two\n");

	/* A new log file is private to the owner. */
	unlink(path);
	assert_int_equal(uppp_log_open_file(&l, path), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	uppp_log_close(&l);

	/* Closing a logger that does not own its output leaves it alone. */
	uppp_log_init(&l, m.f, UPPP_LOG_INFO);
	uppp_log_close(&l);
	assert_ptr_equal(l.out, m.f);

	unlink(path);
	rmdir(dir);
	mem_close(&m);
}

static void test_level_names(void **state)
{
	(void)state;
	enum uppp_log_level lvl;
	assert_string_equal(uppp_log_level_name(UPPP_LOG_ERR), "err");
	assert_string_equal(uppp_log_level_name(UPPP_LOG_WARN), "warn");
	assert_string_equal(uppp_log_level_name(UPPP_LOG_INFO), "info");
	assert_string_equal(uppp_log_level_name(UPPP_LOG_DEBUG), "debug");
	assert_string_equal(uppp_log_level_name((enum uppp_log_level)9), "?");
	assert_int_equal(uppp_log_level_parse("debug", &lvl), 0);
	assert_int_equal(lvl, UPPP_LOG_DEBUG);
	assert_int_equal(uppp_log_level_parse("WARNING", &lvl), 0);
	assert_int_equal(lvl, UPPP_LOG_WARN);
	assert_int_equal(uppp_log_level_parse("error", &lvl), 0);
	assert_int_equal(lvl, UPPP_LOG_ERR);
	assert_int_equal(uppp_log_level_parse("2", &lvl), 0);
	assert_int_equal(lvl, UPPP_LOG_INFO);
	lvl = UPPP_LOG_INFO;
	assert_int_equal(uppp_log_level_parse("verbose", &lvl), -EINVAL);
	assert_int_equal(uppp_log_level_parse("", &lvl), -EINVAL);
	assert_int_equal(lvl, UPPP_LOG_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_format_without_timestamps),
		cmocka_unit_test(test_level_filter),
		cmocka_unit_test(test_timestamp_format),
		cmocka_unit_test(test_one_line_per_call),
		cmocka_unit_test(test_long_message_not_truncated),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_vlogf_and_prefix),
		cmocka_unit_test(test_log_file),
		cmocka_unit_test(test_level_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
