/* test_log_levels.c — an AC session logs through the logger its host gave
 * (core/logger.h): at info level a session with `debug` on (every control
 * packet decoded) hands the sink no debug line; at debug level the PPP
 * engines' lines arrive with the session's prefix and their layer, each
 * formatted once by the engine (no host adapter in between). */
#define _GNU_SOURCE
#include "mem/raw_peer.h"

static unsigned per_level[UPPP_LOG_DEBUG + 1];

static void counting_emit(void *ud, enum uppp_log_level level, const char *line)
{
	per_level[level]++;
	rp_emit(ud, level, line);
}

static struct rp *start(enum uppp_log_level min)
{
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	memset(per_level, 0, sizeof(per_level));
	r->cfg.ppp.debug = true;
	r->cfg.log.min = min;
	r->cfg.log.emit = counting_emit;
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	return r;
}

static void info_level_gets_no_debug_line(void **state)
{
	(void)state;
	struct rp *r = start(UPPP_LOG_INFO);

	assert_int_equal(per_level[UPPP_LOG_DEBUG], 0);
	assert_true(per_level[UPPP_LOG_INFO] > 0);
	assert_non_null(rp_log_find(r, "event=session-start"));
	assert_null(rp_log_find(r, "sent [LCP"));
	rp_free(r);
}

static void debug_level_lines_carry_the_session_prefix(void **state)
{
	(void)state;
	struct rp *r = start(UPPP_LOG_DEBUG);
	char want[64];

	assert_true(per_level[UPPP_LOG_DEBUG] > 0);
	assert_non_null(rp_log_find(r, "sent [LCP ConfReq"));
	snprintf(want, sizeof(want), "sess=%u mac=52:54:00:12:34:56 layer=lcp ", (unsigned)r->sid);
	const char *line = rp_log_find(r, want);
	assert_non_null(line);
	assert_ptr_equal(strstr(line, want), line);   /* the prefix starts the line */
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(info_level_gets_no_debug_line),
		cmocka_unit_test(debug_level_lines_carry_the_session_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
