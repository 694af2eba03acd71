/* test_deferred_address.c — the peer's address arrives later (issue 10,
 * item 4): assign_address says -EINPROGRESS and the test, as a slow IPAM,
 * answers with uppp_ac_session_address(). Meanwhile IPCP is not started
 * (the client's Configure-Requests are dropped and it retransmits); the
 * negotiation timeout bounds the wait; a refusal ends the session with the
 * causes a synchronous answer has (no-address, address-not-allowed).
 *
 * An AC and a uppp client in memory on a virtual clock (deferred_world.h:
 * proto/ac.h and proto/dial.h, so builds without either skip this test). */
#include "mem/deferred_world.h"

#define IPAM_IP 0x0a000063u   /* 10.0.0.99 */

/* PAP judged by the secrets (verify says -ENOSYS); the address pending. */
static struct dw *address_pending_world(void)
{
	struct dw *w = dw_new(UPPP_AUTH_PAP, "alice", "wonderland");
	uint64_t asked;
	unsigned ipcp;

	w->async_verify = false;
	w->async_address = true;
	w->cl_cfg.ppp.max_configure = 100;   /* the client keeps asking for its address */
	w->ac_cfg.ppp.negotiation_timeout_ms = 20000;
	dw_start(w);
	while (!w->assign_calls && w->now < 30000)
		dw_run_until(w, w->now + 1);
	assert_int_equal(w->assign_calls, 1);
	asked = w->now;
	ipcp = w->cl_sent_ipcp;
	dw_run_until(w, asked + 10000);
	/* the client asked again and again; IPCP did not start on our side */
	assert_true(w->cl_sent_ipcp >= ipcp + 2);
	assert_int_equal(w->ac_ups + w->cl_ups + w->ac_downs + w->cl_downs, 0);
	assert_true(uppp_ac_session_stats(uppp_ac_session_find(w->ac, w->sid))->rx_dropped >= 2);
	struct uppp_ac_session_info info;
	uppp_ac_session_info(uppp_ac_session_find(w->ac, w->sid), &info);
	assert_int_equal(info.state, UPPP_AC_SESS_NETWORK);
	assert_int_equal(info.peer_ip, 0);
	return w;
}

static void address_arrives_later(void **state)
{
	struct dw *w = address_pending_world();

	(void)state;
	assert_int_equal(uppp_ac_session_address(w->ac, w->sid, w->addr_serial, 0, IPAM_IP, w->now), 0);
	assert_true(dw_run_until_up(w, 10000));
	assert_int_equal(w->ac_link.peer_ip, IPAM_IP);
	assert_int_equal(w->cl_link.local_ip, IPAM_IP);
	assert_int_equal(w->assign_calls, 1);
	/* answered already: not taken, stays the host's */
	assert_int_equal(uppp_ac_session_address(w->ac, w->sid, w->addr_serial, 0, IPAM_IP + 1, w->now), -EALREADY);
	/* the session's address goes back once, when it ends */
	assert_int_equal(uppp_ac_session_close(w->ac, w->sid, UPPP_CAUSE_ADMIN, w->now), 0);
	assert_int_equal(w->released, 1);
	assert_int_equal(w->released_ip, IPAM_IP);
	dw_free(w);
}

static void address_never_arrives_negotiation_timeout(void **state)
{
	struct dw *w = address_pending_world();

	(void)state;
	while (!w->ac_downs && w->now < 60000)
		dw_run_until(w, w->now + 100);
	assert_int_equal(w->ac_downs, 1);
	assert_int_equal(w->ac_cause, UPPP_CAUSE_NEGOTIATION_TIMEOUT);
	assert_int_equal(w->released, 0);
	/* too late: the session is gone, the address stays the host's */
	assert_int_equal(uppp_ac_session_address(w->ac, w->sid, w->addr_serial, 0, IPAM_IP, w->now), -ENOENT);
	assert_int_equal(w->released, 0);
	dw_free(w);
}

static void address_refused_later(void **state)
{
	const struct { int err; enum uppp_cause cause; } cases[] = {
		{ -ENOSPC, UPPP_CAUSE_NO_ADDRESS },
		{ -EPERM, UPPP_CAUSE_ADDRESS_NOT_ALLOWED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dw *w = address_pending_world();
		assert_int_equal(uppp_ac_session_address(w->ac, w->sid, w->addr_serial, cases[i].err, 0, w->now), 0);
		dw_run_until(w, w->now + 10000);
		assert_int_equal(w->ac_ups, 0);
		assert_int_equal(w->ac_downs, 1);
		assert_int_equal(w->ac_cause, cases[i].cause);
		assert_int_equal(w->released, 0);
		assert_int_equal(w->cl_downs, 1);
		dw_free(w);
	}
}

/* From inside assign_address itself: applied when the AC's call returns. */
static void address_from_inside_assign(void **state)
{
	struct dw *w = dw_new(UPPP_AUTH_CHAP_MD5, "bob", "builder");

	(void)state;
	w->async_verify = false;
	w->async_address = true;
	w->answer_inside = true;
	dw_start(w);
	assert_true(dw_run_until_up(w, 30000));
	assert_int_equal(w->ac_link.peer_ip, 0x0a000063);
	dw_free(w);
}

/* Both late: the verdict, then the address (RADIUS, then an external IPAM). */
static void verdict_then_address_both_later(void **state)
{
	struct dw *w = dw_new(UPPP_AUTH_MSCHAPV2, "alice", "wonderland");
	char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];

	(void)state;
	w->async_address = true;
	dw_start(w);
	assert_true(dw_run_until_verify(w, 1, 30000));
	dw_run_until(w, w->now + 5000);
	struct uppp_auth_verdict v = dw_judge(w, sresp);
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
	assert_int_equal(w->assign_calls, 1);
	dw_run_until(w, w->now + 5000);
	assert_int_equal(w->ac_ups, 0);
	assert_int_equal(uppp_ac_session_address(w->ac, w->sid, w->addr_serial, 0, IPAM_IP, w->now), 0);
	assert_true(dw_run_until_up(w, 10000));
	assert_int_equal(w->cl_link.local_ip, IPAM_IP);
	dw_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(address_arrives_later),
		cmocka_unit_test(address_never_arrives_negotiation_timeout),
		cmocka_unit_test(address_refused_later),
		cmocka_unit_test(address_from_inside_assign),
		cmocka_unit_test(verdict_then_address_both_later),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
