/* test_logger.c — core/logger.h: a level the logger does not take costs
 * nothing (its arguments are not even evaluated, nothing is formatted or
 * emitted); a line that passes is formatted once, with the prefix and the
 * layer, as one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/logger.h"

struct sink {
	unsigned lines[UPPP_LOG_DEBUG + 1];
	char last[2048];
	size_t last_len;
};

static void sink_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct sink *s = ud;
	s->lines[level]++;
	s->last_len = strlen(line);
	snprintf(s->last, sizeof(s->last), "%s", line);
}

static unsigned evaluated;

/* an argument with a side effect: counts how often a line's arguments are built */
static const char *expensive(void)
{
	evaluated++;
	return "built";
}

static void disabled_level_is_never_formatted(void **state)
{
	(void)state;
	struct sink s = { 0 };
	const struct uppp_logger lg = { .min = UPPP_LOG_INFO, .emit = sink_emit, .ud = &s };

	evaluated = 0;
	for (int i = 0; i < 10000; i++)   /* a debug storm at info level */
		UPPP_LOGF(&lg, UPPP_LOG_DEBUG, "lcp", "event=rx what=%s n=%d", expensive(), i);
	assert_int_equal(evaluated, 0);
	assert_int_equal(s.lines[UPPP_LOG_DEBUG], 0);

	UPPP_LOGF(&lg, UPPP_LOG_INFO, "lcp", "event=up what=%s", expensive());
	UPPP_LOGF(&lg, UPPP_LOG_ERR, NULL, "event=bad what=%s", expensive());
	assert_int_equal(evaluated, 2);
	assert_int_equal(s.lines[UPPP_LOG_INFO], 1);
	assert_int_equal(s.lines[UPPP_LOG_ERR], 1);
}

static void no_sink_no_work(void **state)
{
	(void)state;
	const struct uppp_logger zero = { .min = UPPP_LOG_DEBUG };

	evaluated = 0;
	UPPP_LOGF(&zero, UPPP_LOG_ERR, "ppp", "what=%s", expensive());
	UPPP_LOGF((const struct uppp_logger *)NULL, UPPP_LOG_ERR, "ppp", "what=%s", expensive());
	assert_int_equal(evaluated, 0);
}

static void prefix_and_layer_once(void **state)
{
	(void)state;
	struct sink s = { 0 };
	struct uppp_logger lg = { .min = UPPP_LOG_DEBUG, .emit = sink_emit, .ud = &s,
				  .prefix = "sess=3 mac=52:54:00:12:34:56" };

	UPPP_LOGF(&lg, UPPP_LOG_INFO, "lcp", "event=%s id=%u", "up", 7u);
	assert_string_equal(s.last, "sess=3 mac=52:54:00:12:34:56 layer=lcp event=up id=7");
	UPPP_LOGF(&lg, UPPP_LOG_INFO, NULL, "event=x");
	assert_string_equal(s.last, "sess=3 mac=52:54:00:12:34:56 event=x");
	lg.prefix = "%s%n";   /* text, not a format */
	UPPP_LOGF(&lg, UPPP_LOG_INFO, "ipcp", "msg=\"%s\"\n", "two\r\nlines");
	assert_string_equal(s.last, "%s%n layer=ipcp msg=\"two  lines\"");
	lg.prefix = NULL;
	UPPP_LOGF(&lg, UPPP_LOG_WARN, "pap", "%s", "");
	assert_string_equal(s.last, "layer=pap");
}

static void long_line_whole(void **state)
{
	(void)state;
	struct sink s = { 0 };
	const struct uppp_logger lg = { .min = UPPP_LOG_DEBUG, .emit = sink_emit, .ud = &s, .prefix = "sess=1" };
	char big[1500];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	UPPP_LOGF(&lg, UPPP_LOG_DEBUG, "chap", "x=%s y=7", big);
	assert_int_equal(s.last_len, strlen("sess=1 layer=chap x=") + strlen(big) + strlen(" y=7"));
	assert_string_equal(s.last + s.last_len - 4, " y=7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(disabled_level_is_never_formatted),
		cmocka_unit_test(no_sink_no_work),
		cmocka_unit_test(prefix_and_layer_once),
		cmocka_unit_test(long_line_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
