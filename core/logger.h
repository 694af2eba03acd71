/* core/logger.h — where the engines' log lines go, and the one place they
 * are formatted.
 *
 * A struct uppp_logger (uppp/engine.h: public, a host fills it in) is a sink (emit + user data), the least severe level
 * it takes, and an optional prefix ("sess=3 mac=02:00:00:00:00:01") that
 * every line through it starts with. Engines log with UPPP_LOGF(), which
 * checks the level before anything is formatted; a line that passes is
 * formatted once, prefix and layer included, and handed to emit as one
 * NUL-terminated line: no level word, no timestamp, no newline, CR and LF
 * written as spaces, trailing spaces dropped. Peer strings in the message
 * must already be escaped (core/escape.h).
 *
 * A zeroed logger (or a NULL pointer) logs nothing. A PPPoE session keeps
 * no prefix text: its logger's emit puts "sess=<id> mac=<peer>" before the
 * line and hands it to its owner's logger (proto/pppoe_session.c), a second
 * copy of a line that is written anyway, to spare every session the text. */
#ifndef UPPP_CORE_LOGGER_H
#define UPPP_CORE_LOGGER_H

#include <stdarg.h>
#include <stdbool.h>

#include "uppp/engine.h"   /* struct uppp_logger */

static inline bool uppp_logger_on(const struct uppp_logger *lg, enum uppp_log_level level)
{
	return lg && lg->emit && level <= lg->min;
}

/* Formats "[prefix ][layer=<layer> ]<fmt...>" once and emits it. layer may
 * be NULL (no layer= word). Checks the level again (callers should use
 * UPPP_LOGF, which checks before evaluating the arguments). A line longer
 * than 1 KiB is formatted into a heap buffer (truncated if that fails). */
void uppp_logger_write(const struct uppp_logger *lg, enum uppp_log_level level, const char *layer,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void uppp_logger_vwrite(const struct uppp_logger *lg, enum uppp_log_level level, const char *layer,
			const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/* Logs through lg at level: the arguments are evaluated and the line
 * formatted only when lg takes that level. */
#define UPPP_LOGF(lg, level, layer, ...)                                            \
	do {                                                                        \
		const struct uppp_logger *uppp_lg_ = (lg);                          \
		enum uppp_log_level uppp_lvl_ = (level);                            \
		if (uppp_logger_on(uppp_lg_, uppp_lvl_))                            \
			uppp_logger_write(uppp_lg_, uppp_lvl_, (layer), __VA_ARGS__); \
	} while (0)

#endif
