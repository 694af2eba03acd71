/* runtime/log.c — the logger object (see log.h). */
#include "runtime/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

void uppp_log_init(struct uppp_log *l, FILE *out, enum uppp_log_level min)
{
	l->lg = (struct uppp_logger){ .min = min, .emit = out ? uppp_log_file_emit : NULL, .ud = l };
	l->out = out;
	l->timestamps = true;
	l->owns_out = false;
	l->batching = false;
	l->batch_len = 0;
}

void uppp_log_init_callback(struct uppp_log *l, uppp_log_fn *emit, void *ud, enum uppp_log_level min)
{
	l->lg = (struct uppp_logger){ .min = min, .emit = emit, .ud = ud };
	l->out = NULL;
	l->timestamps = true;
	l->owns_out = false;
	l->batching = false;
	l->batch_len = 0;
}

int uppp_log_open_file(struct uppp_log *l, const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		return -errno;
	FILE *f = fdopen(fd, "a");
	if (!f) {
		int err = errno;
		close(fd);
		return -err;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	uppp_log_close(l);
	l->out = f;
	l->owns_out = true;
	l->lg.emit = uppp_log_file_emit;
	l->lg.ud = l;
	return 0;
}

void uppp_log_close(struct uppp_log *l)
{
	uppp_log_flush(l);
	if (l->owns_out && l->out)
		fclose(l->out);
	if (l->owns_out) {
		l->out = NULL;
		l->lg.emit = NULL;
	}
	l->owns_out = false;
}

const char *uppp_log_level_name(enum uppp_log_level lvl)
{
	switch (lvl) {
	case UPPP_LOG_ERR: return "err";
	case UPPP_LOG_WARN: return "warn";
	case UPPP_LOG_INFO: return "info";
	case UPPP_LOG_DEBUG: return "debug";
	}
	return "?";
}

int uppp_log_level_parse(const char *s, enum uppp_log_level *lvl)
{
	static const struct { const char *name; enum uppp_log_level lvl; } names[] = {
		{ "err", UPPP_LOG_ERR }, { "error", UPPP_LOG_ERR }, { "0", UPPP_LOG_ERR },
		{ "warn", UPPP_LOG_WARN }, { "warning", UPPP_LOG_WARN }, { "1", UPPP_LOG_WARN },
		{ "info", UPPP_LOG_INFO }, { "2", UPPP_LOG_INFO },
		{ "debug", UPPP_LOG_DEBUG }, { "3", UPPP_LOG_DEBUG },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*lvl = names[i].lvl;
			return 0;
		}
	}
	return -EINVAL;
}

/* "2026-11-26T19:30:00.123Z" into out (at least 32 bytes). */
static void format_time(char *out, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (!gmtime_r(&ts.tv_sec, &tm)) {
		snprintf(out, cap, "1970-01-01T00:00:00.000Z");
		return;
	}
	size_t n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, cap - n, ".%03ldZ", ts.tv_nsec / 1000000L);
}

static void write_out(struct uppp_log *l, const char *p, size_t n)
{
	fwrite(p, 1, n, l->out);
	fflush(l->out);
}

void uppp_log_flush(struct uppp_log *l)
{
	if (l->batch_len && l->out)
		write_out(l, l->batch, l->batch_len);
	l->batch_len = 0;
}

void uppp_log_batch_begin(struct uppp_log *l)
{
	l->batching = true;
}

void uppp_log_batch_end(struct uppp_log *l)
{
	uppp_log_flush(l);
	l->batching = false;
}

void uppp_log_file_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct uppp_log *l = ud;
	char text[1024];
	size_t n = 0;

	if (!l->out)
		return;
	/* The whole line is made first and written with one call: an
	 * unbuffered stream (stderr) then costs one write(2) per line, and
	 * none while a batch is open. */
	if (l->timestamps) {
		format_time(text, 64);
		n = strlen(text);
		text[n++] = ' ';
	}
	n += (size_t)snprintf(text + n, 32, "level=%s", uppp_log_level_name(level));
	if (*line)
		text[n++] = ' ';
	const char *c = line;
	for (; *c && n < sizeof(text) - 1; c++)  /* a callback-free caller may pass any text */
		text[n++] = *c == '\n' || *c == '\r' ? ' ' : *c;
	if (*c == '\0') {
		text[n++] = '\n';
		if (l->batching) {
			if (l->batch_len + n > sizeof(l->batch))
				uppp_log_flush(l);
			memcpy(l->batch + l->batch_len, text, n);
			l->batch_len += n;
		} else {
			write_out(l, text, n);
		}
		return;
	}
	/* Longer than the buffer: after what is batched, in pieces. */
	uppp_log_flush(l);
	flockfile(l->out);
	fwrite(text, 1, n, l->out);
	for (; *c; c++)
		fputc(*c == '\n' || *c == '\r' ? ' ' : *c, l->out);
	fputc('\n', l->out);
	fflush(l->out);
	funlockfile(l->out);
}

void uppp_vlogf_prefix(struct uppp_log *l, enum uppp_log_level lvl, const char *prefix, const char *fmt,
		       va_list ap)
{
	struct uppp_logger lg = l->lg;

	lg.prefix = prefix;
	uppp_logger_vwrite(&lg, lvl, NULL, fmt, ap);
}

void uppp_vlogf(struct uppp_log *l, enum uppp_log_level lvl, const char *fmt, va_list ap)
{
	uppp_logger_vwrite(&l->lg, lvl, NULL, fmt, ap);
}

void uppp_logf(struct uppp_log *l, enum uppp_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (!uppp_log_enabled(l, lvl))
		return;
	va_start(ap, fmt);
	uppp_logger_vwrite(&l->lg, lvl, NULL, fmt, ap);
	va_end(ap);
}
