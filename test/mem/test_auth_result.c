/* test_auth_result.c — the concentrator's auth_result event (uppp/ac.h):
 * one call per judgement, accepted or refused with its cause, the method and
 * the peer's name (escaped), whether the secrets judged or the host's later
 * verdict; none for an authentication that timed out; a refused MS-CHAPv2
 * retry is one more; the count of refusals matches the AC's auth_failures.
 *
 * An AC and a uppp client in memory on a virtual clock (deferred_world.h). */
#include "mem/deferred_world.h"

static const enum uppp_auth_method all_methods[] = { UPPP_AUTH_PAP, UPPP_AUTH_CHAP_MD5, UPPP_AUTH_MSCHAPV2 };

/* The secrets judge (verify says -ENOSYS): right secret, then up. */
static void accepted_by_the_secrets(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "alice", "wonderland");

		w->async_verify = false;
		dw_start(w);
		assert_true(dw_run_until_up(w, 30000));
		assert_int_equal(w->n_results, 1);
		assert_int_equal(w->results[0].method, all_methods[i]);
		assert_true(w->results[0].accepted);
		assert_int_equal(w->results[0].cause, UPPP_CAUSE_NONE);
		assert_string_equal(w->results[0].user, "alice");
		assert_int_equal(w->results[0].ac_ups_before, 0);   /* before the session came up */
		dw_run_until(w, w->now + 60000);
		assert_int_equal(w->n_results, 1);                  /* once */
		dw_free(w);
	}
}

/* Wrong password: refused with AUTH_BAD_SECRET, as often as the AC counted
 * a failure (MS-CHAPv2: the client's retries are refused too). */
static void refused_by_the_secrets(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "alice", "not-the-password");

		w->async_verify = false;
		dw_start(w);
		dw_run_until(w, w->now + 60000);
		assert_int_equal(w->ac_ups, 0);
		assert_true(w->n_results >= 1);
		for (unsigned k = 0; k < w->n_results; k++) {
			assert_int_equal(w->results[k].method, all_methods[i]);
			assert_false(w->results[k].accepted);
			assert_int_equal(w->results[k].cause, UPPP_CAUSE_AUTH_BAD_SECRET);
			assert_string_equal(w->results[k].user, "alice");
		}
		assert_int_equal(w->n_results, uppp_ac_counters(w->ac)->auth_failures);
		dw_free(w);
	}
}

/* An unknown name, with a byte that must not reach a log raw. */
static void unknown_user_is_escaped(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "mal\x01lory", "x");

		w->async_verify = false;
		dw_start(w);
		dw_run_until(w, w->now + 60000);
		assert_true(w->n_results >= 1);
		assert_false(w->results[0].accepted);
		assert_int_equal(w->results[0].cause, UPPP_CAUSE_AUTH_NO_SECRET);
		assert_string_equal(w->results[0].user, "mal\\x01lory");
		dw_free(w);
	}
}

/* The host's later verdict is judged too: accepted, and refused. */
static void judged_by_a_verdict(void **state)
{
	(void)state;
	for (int accept = 0; accept <= 1; accept++) {
		struct dw *w = dw_new(UPPP_AUTH_PAP, "bob", "builder");
		struct uppp_auth_verdict v = { .accept = accept, .cause = UPPP_CAUSE_AUTH_NO_SECRET };

		dw_start(w);
		assert_true(dw_run_until_verify(w, 1, 30000));
		v.serial = w->req_serial;
		dw_run_until(w, w->now + 5000);
		assert_int_equal(w->n_results, 0);        /* nothing judged while the host thinks */
		assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
		assert_int_equal(w->n_results, 1);
		assert_int_equal(w->results[0].accepted, accept);
		assert_int_equal(w->results[0].cause, accept ? UPPP_CAUSE_NONE : UPPP_CAUSE_AUTH_NO_SECRET);
		assert_string_equal(w->results[0].user, "bob");
		dw_free(w);
	}
}

/* No verdict before auth_timeout_ms: nothing was judged, no event; the
 * session ends with AUTH_TIMEOUT. */
static void timeout_is_no_judgement(void **state)
{
	struct dw *w = dw_new(UPPP_AUTH_CHAP_MD5, "alice", "wonderland");

	(void)state;
	dw_start(w);
	assert_true(dw_run_until_verify(w, 1, 30000));
	dw_run_until(w, w->now + 120000);
	assert_int_equal(w->ac_downs, 1);
	assert_int_equal(w->ac_cause, UPPP_CAUSE_AUTH_TIMEOUT);
	assert_int_equal(w->n_results, 0);
	dw_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted_by_the_secrets),
		cmocka_unit_test(refused_by_the_secrets),
		cmocka_unit_test(unknown_user_is_escaped),
		cmocka_unit_test(judged_by_a_verdict),
		cmocka_unit_test(timeout_is_no_judgement),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
