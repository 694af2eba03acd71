/* test_ac_counters_by.c — the AC's counters by method and by cause
 * (struct uppp_ac_counters: auth_accepted / auth_refused per
 * enum uppp_auth_method, sessions_down_by_cause), what `uppp stats` and its
 * Prometheus labels read: each judgement counted once under the session's
 * method, each end once under its cause, and the sums match the totals.
 *
 * An AC and a uppp client in memory on a virtual clock (deferred_world.h). */
#include "mem/deferred_world.h"

static const enum uppp_auth_method all_methods[] = { UPPP_AUTH_PAP, UPPP_AUTH_CHAP_MD5, UPPP_AUTH_MSCHAPV2 };

static uint64_t sum(const uint64_t *v, size_t n)
{
	uint64_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += v[i];
	return t;
}

static void accepted_counted_under_its_method(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "alice", "wonderland");
		const struct uppp_ac_counters *c;

		w->async_verify = false;
		dw_start(w);
		assert_true(dw_run_until_up(w, 30000));
		c = uppp_ac_counters(w->ac);
		for (unsigned m = 0; m < 4; m++) {
			assert_int_equal(c->auth_accepted[m], m == all_methods[i] ? 1 : 0);
			assert_int_equal(c->auth_refused[m], 0);
		}
		dw_free(w);
	}
}

static int first_id(void *arg, const struct uppp_ac_session_info *info)
{
	*(uint16_t *)arg = info->id;
	return 1;
}

static void closed_by_the_admin_counted_as_admin(void **state)
{
	(void)state;
	struct dw *w = dw_new(UPPP_AUTH_CHAP_MD5, "alice", "wonderland");
	const struct uppp_ac_counters *c;
	uint16_t id = 0;

	w->async_verify = false;
	dw_start(w);
	c = uppp_ac_counters(w->ac);
	assert_true(dw_run_until_up(w, 30000));
	assert_int_equal(uppp_ac_sessions(w->ac, first_id, &id), 1);
	assert_int_equal(uppp_ac_session_close(w->ac, id, UPPP_CAUSE_ADMIN, w->now), 0);
	assert_int_equal(c->sessions_down, 1);
	assert_int_equal(c->sessions_down_by_cause[UPPP_CAUSE_ADMIN], 1);
	assert_int_equal(sum(c->sessions_down_by_cause, UPPP_CAUSE_COUNT), c->sessions_down);
	dw_free(w);
}

static void refused_counted_under_its_method(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "alice", "not-the-password");
		const struct uppp_ac_counters *c;

		w->async_verify = false;
		dw_start(w);
		c = uppp_ac_counters(w->ac);
		dw_run_until(w, w->now + 60000);
		assert_true(w->n_results >= 1);
		assert_int_equal(c->auth_refused[all_methods[i]], w->n_results);
		assert_int_equal(sum(c->auth_refused, 4), c->auth_failures);
		assert_int_equal(sum(c->auth_accepted, 4), 0);
		/* the session ended with a cause, counted under it */
		assert_int_equal(sum(c->sessions_down_by_cause, UPPP_CAUSE_COUNT), c->sessions_down);
		assert_int_equal(c->sessions_down_by_cause[w->ac_cause], w->ac_downs);
		dw_free(w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted_counted_under_its_method),
		cmocka_unit_test(closed_by_the_admin_counted_as_admin),
		cmocka_unit_test(refused_counted_under_its_method),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
