/* config/secrets_file.c — load a secrets file (see secrets_file.h). */
#include "config/secrets_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void wipe(void *p, size_t n)
{
	volatile char *v = p;

	while (n--)
		*v++ = 0;
}

static int load_fail(char *err, size_t errcap, const char *path, int e, const char *what)
{
	if (err && errcap > 0)
		snprintf(err, errcap, "%s: %s: %s", path, what, strerror(e));
	return -e;
}

int uppp_secrets_load(struct uppp_secrets *s, const char *path, char *err, size_t errcap)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return load_fail(err, errcap, path, errno, "cannot open");
	if (fstat(fd, &st) < 0) {
		rc = load_fail(err, errcap, path, errno, "cannot stat");
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)UPPP_SECRETS_FILE_MAX) {
		rc = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		close(fd);
		if (err && errcap > 0)
			snprintf(err, errcap, "%s: %s", path,
				 rc == EFBIG ? "file too large for a secrets file" : "not a regular file");
		return -rc;
	}
	/* One spare byte so growth after stat (a file being rewritten) is seen. */
	size_t cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return load_fail(err, errcap, path, ENOMEM, "cannot read");
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = load_fail(err, errcap, path, errno, "cannot read");
			close(fd);
			wipe(buf, cap);
			free(buf);
			return rc;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			if (cap > UPPP_SECRETS_FILE_MAX) {
				close(fd);
				wipe(buf, cap);
				free(buf);
				if (err && errcap > 0)
					snprintf(err, errcap, "%s: file too large for a secrets file", path);
				return -EFBIG;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				close(fd);
				wipe(buf, cap);
				free(buf);
				return load_fail(err, errcap, path, ENOMEM, "cannot read");
			}
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	rc = uppp_secrets_parse(s, buf, len, path, err, errcap);
	wipe(buf, cap);
	free(buf);
	return rc;
}
