/* core/logger.c — one formatting of a log line (see logger.h). */
#include "core/logger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_STACK 1024

/* CR/LF become spaces (one call is one line); trailing spaces go, so a
 * "\n" at the end of a format adds nothing. */
static void tidy(char *line)
{
	size_t len = 0;
	for (char *c = line; *c; c++, len++) {
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	}
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0';
}

void uppp_logger_vwrite(const struct uppp_logger *lg, enum uppp_log_level level, const char *layer,
			const char *fmt, va_list ap)
{
	char stack[LINE_STACK], *line = stack, *heap = NULL;
	size_t head = 0;
	va_list again;
	int n;

	if (!uppp_logger_on(lg, level))
		return;
	/* the head ("prefix layer=x ") is ours and short; it is cut to fit */
	if (lg->prefix && *lg->prefix)
		head = (size_t)snprintf(stack, sizeof(stack), "%s ", lg->prefix);
	if (layer && head < sizeof(stack))
		head += (size_t)snprintf(stack + head, sizeof(stack) - head, "layer=%s ", layer);
	if (head >= sizeof(stack))
		head = sizeof(stack) - 1;

	va_copy(again, ap);
	n = vsnprintf(stack + head, sizeof(stack) - head, fmt, ap);
	if (n < 0) {
		snprintf(stack + head, sizeof(stack) - head, "log-format-error");
	} else if ((size_t)n >= sizeof(stack) - head) {
		heap = malloc(head + (size_t)n + 1);
		if (heap) {
			memcpy(heap, stack, head);
			if (vsnprintf(heap + head, (size_t)n + 1, fmt, again) >= 0)
				line = heap;   /* else: keep the truncated stack copy */
		}
	}
	va_end(again);
	tidy(line);
	lg->emit(lg->ud, level, line);
	free(heap);
}

void uppp_logger_write(const struct uppp_logger *lg, enum uppp_log_level level, const char *layer,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uppp_logger_vwrite(lg, level, layer, fmt, ap);
	va_end(ap);
}
