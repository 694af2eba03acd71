/* test_host_errors.c — the host cannot arm a session's timer (out of
 * memory for its timer heap, say). A session whose retransmit and timeout
 * timers do not run would hang for ever; it ends at once instead, with its
 * own cause, its address released and nothing left behind (run under
 * valgrind). Fault injection through the ops tables, the virtual clock. */
#include "mem/raw_peer.h"

#include "proto/dial.h"
#include "core/ppp_defs.h"

static bool timers_fail;
static unsigned timer_failures;

static int failing_set_timer(void *ctx, struct uppp_ac_session *s, uint64_t at)
{
	if (timers_fail && at != UPPP_NO_DEADLINE) {
		timer_failures++;
		return -ENOMEM;
	}
	return rp_set_timer(ctx, s, at);
}

static struct uppp_ac_ops fe_ops;

static struct rp *fe_start(void)
{
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	timers_fail = false;
	timer_failures = 0;
	fe_ops = rp_ops;
	fe_ops.set_timer = failing_set_timer;
	r->ac = uppp_ac_new(&r->cfg, &fe_ops, r);
	assert_non_null(r->ac);
	return r;
}

static void expect_host_error_end(struct rp *r)
{
	assert_true(timer_failures > 0);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_HOST_ERROR);
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_int_equal(uppp_ac_negotiating_count(r->ac), 0);
	assert_int_equal(r->released, r->leased);
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 1);
	assert_non_null(rp_log_find(r, "cause=host-error"));
	assert_non_null(rp_log_find(r, "event=timer-failed"));
	/* nothing armed for a session that is gone */
	for (int i = 0; i < RP_TIMERS; i++)
		assert_null(r->timers[i].s);
}

/* PADS starts LCP, which needs its restart timer: none, no session. */
static void timer_failure_at_session_start(void **state)
{
	(void)state;
	struct rp *r = fe_start();
	assert_true(rp_padi(r, "", 0x01020304));
	timers_fail = true;
	rp_padr(r, "", 0x01020304);
	expect_host_error_end(r);
	rp_free(r);
}

/* Up with an address; the peer renegotiates IPCP, whose Configure-Request
 * needs the restart timer: the session ends and the address goes back. */
static void timer_failure_when_up_releases_address(void **state)
{
	(void)state;
	static const uint8_t ask[] = { 3, 6, 10, 0, 0, 2 };
	size_t len;
	struct rp *r = fe_start();
	rp_discover(r);
	rp_lcp_open(r);
	rp_pap(r, "alice", "wonderland");
	rp_expect_ppp(r, PPP_PAP, 2, &len);
	rp_cp(r, PPP_IPCP, 1, 1, ask, sizeof(ask));
	rp_expect_ppp(r, PPP_IPCP, 2, &len);
	rp_ack_their_request(r, PPP_IPCP);
	assert_int_equal(r->ups, 1);
	assert_int_equal(r->leased, 1);

	timers_fail = true;
	rp_cp(r, PPP_IPCP, 1, 2, ask, sizeof(ask));
	expect_host_error_end(r);
	rp_free(r);
}

/* ---- the client engine ---- */

struct dh {
	unsigned downs;
	enum uppp_cause cause;
	unsigned sent;
};

static int dh_set_timer(void *ctx, uint64_t at)
{
	(void)ctx;
	if (at != UPPP_NO_DEADLINE) {
		timer_failures++;
		return -ENOMEM;
	}
	return 0;
}

static void dh_send(void *ctx, const uint8_t *frame, size_t len)
{
	(void)frame;
	(void)len;
	((struct dh *)ctx)->sent++;
}

static int dh_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x5a, len);
	return 0;
}

static void dh_down(void *ctx, enum uppp_cause cause)
{
	struct dh *h = ctx;
	h->downs++;
	h->cause = cause;
}

static void client_timer_failure_ends_dialing(void **state)
{
	(void)state;
	static const struct uppp_dial_ops ops = {
		.send_frame = dh_send, .set_timer = dh_set_timer, .random = dh_random, .down = dh_down,
	};
	struct uppp_dial_config cfg = { .mac = { 0x52, 0x54, 0, 0, 0, 9 }, .service = "" };
	struct dh h = { 0 };
	timer_failures = 0;
	uppp_ppp_config_defaults(&cfg.ppp);
	struct uppp_dial *d = uppp_dial_new(&cfg, &ops, &h);
	assert_non_null(d);
	uppp_dial_start(d, 0);
	/* PADI went out, but without its retransmit timer the dial would wait
	 * for ever: it ends now, with the cause */
	assert_int_equal(h.sent, 1);
	assert_true(timer_failures > 0);
	assert_int_equal(h.downs, 1);
	assert_int_equal(h.cause, UPPP_CAUSE_HOST_ERROR);
	uppp_dial_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timer_failure_at_session_start),
		cmocka_unit_test(timer_failure_when_up_releases_address),
		cmocka_unit_test(client_timer_failure_ends_dialing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
