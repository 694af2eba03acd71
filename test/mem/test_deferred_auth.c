/* test_deferred_auth.c — the authentication verdict arrives later (issue
 * 10, item 4): the AC's verify op says -EINPROGRESS, the test plays a slow
 * RADIUS-like host and answers with uppp_ac_session_auth_verdict() seconds
 * (virtual) later. PAP, CHAP-MD5 and MS-CHAPv2 (with the host's S=, which
 * the uppp client checks) accepted and refused; the peer retransmitting
 * meanwhile is verified once; no verdict ends in auth-timeout; a verdict
 * for an ended session is -ENOENT; the secrets stay the default.
 *
 * An AC and a uppp client in memory on a virtual clock (deferred_world.h:
 * proto/ac.h and proto/dial.h, so builds without either skip this test). */
#include "mem/deferred_world.h"

#define DELAY_MS 7000   /* longer than two retransmit periods (restart 3 s) */

static const enum uppp_auth_method all_methods[] = { UPPP_AUTH_PAP, UPPP_AUTH_CHAP_MD5, UPPP_AUTH_MSCHAPV2 };

/* Dials and waits for the first verify; then DELAY_MS of peer retransmits
 * while nothing is decided. */
static struct dw *pending_world(enum uppp_auth_method m, const char *user, const char *pw)
{
	struct dw *w = dw_new(m, user, pw);
	unsigned sent;

	dw_start(w);
	assert_true(dw_run_until_verify(w, 1, 30000));
	assert_int_equal(w->req_method, m);
	assert_string_equal(w->req_user, user);
	sent = w->cl_sent_auth;
	dw_run_until(w, w->now + DELAY_MS);
	/* the peer asked again (its retransmissions), the host was asked once */
	assert_true(w->cl_sent_auth > sent);
	assert_int_equal(w->verify_calls, 1);
	assert_int_equal(w->ac_ups + w->cl_ups + w->ac_downs + w->cl_downs, 0);
	return w;
}

static void accepted_after_a_delay(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = pending_world(all_methods[i], "alice", "wonderland");
		char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
		struct uppp_auth_verdict v = dw_judge(w, sresp);

		assert_true(v.accept);
		assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
		assert_true(dw_run_until_up(w, 10000));
		assert_string_equal(w->ac_link.peer_name, "alice");
		assert_int_equal(w->cl_link.local_ip, 0x0a000002);
		assert_int_equal(w->verify_calls, 1);
		if (all_methods[i] == UPPP_AUTH_MSCHAPV2)   /* the client checked the host's S= */
			assert_true(dw_log_seen(w, "server-proved-password=yes"));
		/* answered already */
		assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), -EALREADY);
		dw_run_until(w, w->now + 60000);
		assert_int_equal(w->ac_downs, 0);
		dw_free(w);
	}
}

/* The client checks the S= the host gives: a wrong one makes it hang up. */
static void mschapv2_wrong_authenticator_response_is_caught_by_the_client(void **state)
{
	struct dw *w = pending_world(UPPP_AUTH_MSCHAPV2, "alice", "wonderland");
	char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	struct uppp_auth_verdict v = dw_judge(w, sresp);

	(void)state;
	sresp[2] = sresp[2] == '0' ? '1' : '0';
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
	dw_run_until(w, w->now + 10000);
	assert_int_equal(w->cl_ups, 0);
	assert_int_equal(w->cl_downs, 1);
	assert_int_equal(w->cl_cause, UPPP_CAUSE_AUTH_REFUSED);
	dw_free(w);
}

/* MS-CHAPv2 accepted without a usable S=: -EINVAL, nothing changes, the
 * host may answer again. */
static void mschapv2_accept_needs_the_authenticator_response(void **state)
{
	struct dw *w = pending_world(UPPP_AUTH_MSCHAPV2, "alice", "wonderland");
	char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	struct uppp_auth_verdict v = dw_judge(w, sresp);
	struct uppp_auth_verdict bad = { .accept = true, .mschapv2_success = NULL };

	(void)state;
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &bad, w->now), -EINVAL);
	bad.mschapv2_success = "S=XYZ";
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &bad, w->now), -EINVAL);
	bad = (struct uppp_auth_verdict){ .accept = false, .cause = UPPP_CAUSE_ECHO_TIMEOUT };
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &bad, w->now), -EINVAL);
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
	assert_true(dw_run_until_up(w, 10000));
	dw_free(w);
}

/* Refused later: as a wrong secret is today — the session ends with
 * auth-bad-secret and the refusal counts against --auth-fail-limit. */
static void refused_after_a_delay_counts_as_a_wrong_secret(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = pending_world(all_methods[i], "alice", "rabbit");
		char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
		struct uppp_auth_verdict v = dw_judge(w, sresp);

		assert_false(v.accept);
		assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
		assert_int_equal(uppp_ac_counters(w->ac)->auth_failures, 1);
		dw_run_until(w, w->now + 30000);
		assert_int_equal(w->ac_ups, 0);
		assert_int_equal(w->cl_ups, 0);
		assert_int_equal(w->ac_downs, 1);
		assert_int_equal(w->ac_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
		assert_int_equal(w->cl_downs, 1);
		assert_true(w->cl_cause == UPPP_CAUSE_AUTH_REFUSED || w->cl_cause == UPPP_CAUSE_PEER_PADT);
		assert_int_equal(uppp_ac_counters(w->ac)->auth_failures, 1);
		assert_true(dw_log_seen(w, "RADIUS Access-Reject"));
		assert_int_equal(w->leased, 0);
		dw_free(w);
	}
}

/* Three refusals by the host in a row use up a MAC's three tokens: the
 * fourth dial gets no PADO (as with three wrong secrets). */
static void host_refusals_exhaust_the_auth_fail_limit(void **state)
{
	struct dw *w = dw_new(UPPP_AUTH_PAP, "alice", "rabbit");
	struct uppp_auth_verdict no = { .accept = false };

	(void)state;
	dw_start(w);
	for (unsigned n = 1; n <= 3; n++) {
		assert_true(dw_run_until_verify(w, n, 30000));
		no.serial = w->req_serial;
		assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &no, w->now), 0);
		/* the next dial at once: a token returns only every 20 s */
		while (w->cl_downs < n && w->now < 100000)
			dw_run_until(w, w->now + 1);
		assert_int_equal(w->cl_downs, n);
		uppp_dial_free(w->cl);
		w->cl = uppp_dial_new(&w->cl_cfg, &dw_cl_ops, w);
		uppp_dial_start(w->cl, w->now);
	}
	assert_int_equal(uppp_ac_counters(w->ac)->auth_failures, 3);
	dw_run_until(w, w->now + 5000);
	assert_int_equal(w->verify_calls, 3);
	assert_true(uppp_ac_counters(w->ac)->dropped_auth_limited >= 1);
	dw_free(w);
}

/* No verdict ever: the authenticator gives up after auth_timeout_ms (RFC
 * 1994 leaves it to the authenticator; ours is 30 s) with auth-timeout. A
 * verdict then finds nothing to decide. */
static void no_verdict_ends_in_auth_timeout(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "alice", "wonderland");
		struct uppp_auth_verdict yes = { .accept = true, .mschapv2_success =
			"S=0123456789ABCDEF0123456789ABCDEF01234567" };
		uint64_t asked;

		w->ac_cfg.ppp.auth_timeout_ms = 20000;   /* before the client's own 30 s */
		dw_start(w);
		assert_true(dw_run_until_verify(w, 1, 30000));
		asked = w->now;
		while (!w->ac_downs && w->now < asked + 60000)
			dw_run_until(w, w->now + 100);
		assert_int_equal(w->ac_downs, 1);
		assert_int_equal(w->ac_cause, UPPP_CAUSE_AUTH_TIMEOUT);
		assert_true(w->now <= asked + 20000 + 3000 + 100);  /* the timeout ran from auth start */
		assert_int_equal(w->verify_calls, 1);
		assert_true(dw_log_seen(w, "the host gave no verdict"));
		assert_int_equal(uppp_ac_counters(w->ac)->auth_failures, 0);
		assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &yes, w->now), -ENOENT);
		dw_free(w);
	}
}

/* The peer left (PADT) while the host was deciding: the late verdict gets
 * -ENOENT and sends nothing. */
static void verdict_for_an_ended_session_is_enoent(void **state)
{
	struct dw *w = pending_world(UPPP_AUTH_CHAP_MD5, "alice", "wonderland");
	char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	struct uppp_auth_verdict v = dw_judge(w, sresp);

	(void)state;
	uppp_dial_hangup(w->cl, UPPP_CAUSE_ADMIN, w->now);
	dw_run_until(w, w->now + 5000);
	assert_int_equal(w->ac_downs, 1);
	assert_int_equal(w->cl_downs, 1);
	size_t queued = w->wire.len;
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), -ENOENT);
	assert_int_equal(w->wire.len, queued);   /* nothing sent */
	assert_int_equal(w->ac_ups, 0);
	assert_int_equal(w->leased, 0);
	dw_free(w);
}

/* A host that knows at once may answer from inside verify: the verdict is
 * applied when the AC's call returns (never under the engine's feet). */
static void verdict_from_inside_verify(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "bob", "builder");
		w->answer_inside = true;
		dw_start(w);
		assert_true(dw_run_until_up(w, 30000));
		assert_int_equal(w->verify_calls, 1);
		dw_free(w);
	}
	struct dw *w = dw_new(UPPP_AUTH_CHAP_MD5, "bob", "builder");
	w->answer_inside = true;
	w->answer_accept = false;
	dw_start(w);
	dw_run_until(w, 30000);
	assert_int_equal(w->ac_downs, 1);
	assert_int_equal(w->ac_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	dw_free(w);
}

/* An accepting verdict may carry the address (RADIUS Framed-IP-Address):
 * assign_address is not asked, and the address comes back through
 * release_address when the session ends. */
static void verdict_carries_the_address(void **state)
{
	struct dw *w = pending_world(UPPP_AUTH_PAP, "alice", "wonderland");
	char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	struct uppp_auth_verdict v = dw_judge(w, sresp);

	(void)state;
	v.peer_ip = 0x0a000042;
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
	assert_true(dw_run_until_up(w, 10000));
	assert_int_equal(w->assign_calls, 0);
	assert_int_equal(w->ac_link.peer_ip, 0x0a000042);
	assert_int_equal(w->cl_link.local_ip, 0x0a000042);
	assert_int_equal(uppp_ac_session_close(w->ac, w->sid, UPPP_CAUSE_ADMIN, w->now), 0);
	assert_int_equal(w->released, 1);
	assert_int_equal(w->released_ip, 0x0a000042);
	dw_free(w);
}

/* verify says -ENOSYS: the secrets judge, exactly as without the op. */
static void enosys_leaves_it_to_the_secrets(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "alice", "wonderland");
		w->async_verify = false;
		dw_start(w);
		assert_true(dw_run_until_up(w, 30000));
		assert_int_equal(w->verify_calls, 1);
		dw_free(w);
	}
}

/* A host whose verify fails (say, no route to its RADIUS server): the peer
 * is refused, the session ends with host-error, nothing is counted
 * against the MAC. */
static void failing_verify_ends_with_host_error(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_methods) / sizeof(all_methods[0]); i++) {
		struct dw *w = dw_new(all_methods[i], "alice", "wonderland");
		w->verify_rc = -EIO;
		dw_start(w);
		dw_run_until(w, 30000);
		assert_int_equal(w->verify_calls, 1);
		assert_int_equal(w->ac_ups, 0);
		assert_int_equal(w->ac_downs, 1);
		assert_int_equal(w->ac_cause, UPPP_CAUSE_HOST_ERROR);
		assert_int_equal(w->cl_downs, 1);
		assert_int_equal(uppp_ac_counters(w->ac)->auth_failures, 0);
		assert_true(dw_log_seen(w, "event=verify-failed err=-5"));
		dw_free(w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted_after_a_delay),
		cmocka_unit_test(mschapv2_wrong_authenticator_response_is_caught_by_the_client),
		cmocka_unit_test(mschapv2_accept_needs_the_authenticator_response),
		cmocka_unit_test(refused_after_a_delay_counts_as_a_wrong_secret),
		cmocka_unit_test(host_refusals_exhaust_the_auth_fail_limit),
		cmocka_unit_test(no_verdict_ends_in_auth_timeout),
		cmocka_unit_test(verdict_for_an_ended_session_is_enoent),
		cmocka_unit_test(verdict_from_inside_verify),
		cmocka_unit_test(verdict_carries_the_address),
		cmocka_unit_test(enosys_leaves_it_to_the_secrets),
		cmocka_unit_test(failing_verify_ends_with_host_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
