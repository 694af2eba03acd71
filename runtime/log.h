/* runtime/log.h — a runtime's logger: a struct uppp_logger (core/logger.h)
 * whose lines go either to the user's callback (uppp_log_init_callback) or
 * to the FILE writer below (uppp_log_init), the default of the binary.
 *
 * No global state: each server or client owns a struct uppp_log, so two can
 * run in one process. The FILE writer writes each line and flushes it:
 *
 *   2026-11-26T19:30:00.123Z level=info sess=3 layer=lcp event=up ...
 *
 * The timestamp (UTC, milliseconds) can be turned off (timestamps = false),
 * e.g. when journald or a test adds its own. Messages are key=value text
 * built by the caller; peer strings must already be escaped (core/escape.h).
 * A CR or LF inside a message is written as a space so that one call is
 * always exactly one line. */
#ifndef UPPP_CORE_LOG_H
#define UPPP_CORE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/logger.h"

struct uppp_log {
	struct uppp_logger lg;      /* where lines go; the engines get a copy (emit NULL: nowhere) */
	FILE *out;                  /* the FILE writer's output; NULL: it writes nothing */
	bool timestamps;            /* prefix each line with an ISO 8601 UTC time; default true */
	bool owns_out;              /* out was opened by uppp_log_open_file() */
	bool batching;              /* lines wait in batch until uppp_log_batch_end() */
	size_t batch_len;
	char batch[8192];
};

/* Logs to out (not closed by the logger) at levels up to min, timestamps on;
 * out NULL: nothing is logged. */
void uppp_log_init(struct uppp_log *l, FILE *out, enum uppp_log_level min);
/* Logs through emit(ud, level, line) at levels up to min (emit NULL:
 * nothing). The lines are those the FILE writer would write after its
 * "level=..." word. */
void uppp_log_init_callback(struct uppp_log *l, uppp_log_fn *emit, void *ud, enum uppp_log_level min);
/* The FILE writer (ud = the struct uppp_log): "[time ]level=<name>[ line]\n",
 * CR/LF as spaces, written whole and flushed — or, inside a batch, kept
 * until the batch ends (or its buffer fills). */
void uppp_log_file_emit(void *ud, enum uppp_log_level level, const char *line);
/* A batch: the lines the FILE writer gets between begin and end leave with
 * one write at the end (the runtime opens one around each iteration of its
 * loop, so a busy server makes one write(2) per iteration, not per line;
 * lines logged outside an iteration are written at once). flush writes
 * what waits without ending the batch; uppp_log_close() flushes. */
void uppp_log_batch_begin(struct uppp_log *l);
void uppp_log_batch_end(struct uppp_log *l);
void uppp_log_flush(struct uppp_log *l);

/* Switches to appending to the file at path (pppd's `logfile`), created with
 * mode 0600 if missing, line buffered, close-on-exec; lines go to the FILE
 * writer from then on (a callback is replaced). A file previously opened
 * this way is closed. Returns 0 or -errno (the old output is kept). */
int uppp_log_open_file(struct uppp_log *l, const char *path);

/* Closes a file opened by uppp_log_open_file() (nothing else); the logger
 * then logs nothing until given a new out. */
void uppp_log_close(struct uppp_log *l);

static inline bool uppp_log_enabled(const struct uppp_log *l, enum uppp_log_level lvl)
{
	return uppp_logger_on(&l->lg, lvl);
}

void uppp_logf(struct uppp_log *l, enum uppp_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void uppp_vlogf(struct uppp_log *l, enum uppp_log_level lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Like uppp_vlogf() with prefix (e.g. "sess=3 layer=lcp", not a format)
 * written before the message, separated by a space. prefix may be NULL or "". */
void uppp_vlogf_prefix(struct uppp_log *l, enum uppp_log_level lvl, const char *prefix, const char *fmt,
		       va_list ap) __attribute__((format(printf, 4, 0)));

/* "err", "warn", "info", "debug" ("?" for anything else). */
const char *uppp_log_level_name(enum uppp_log_level lvl);
/* Parses those names (also "error", "warning", and 0-3). Returns 0 or -EINVAL. */
int uppp_log_level_parse(const char *s, enum uppp_log_level *lvl);

#endif
