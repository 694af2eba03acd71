/* test_host_errors.c — the client's host cannot arm the engine's timer (out
 * of memory for its timer heap, say). A session whose retransmit and timeout
 * timers do not run would hang for ever; it ends at once instead, with its
 * own cause, its address released and nothing left behind (run under
 * valgrind). Fault injection through the ops tables, the virtual clock. */
#include "mem/raw_peer.h"

#include "proto/dial.h"
#include "core/ppp_defs.h"

static unsigned timer_failures;

/* The access concentrator keeps its sessions' deadlines itself, in a heap
 * sized for max_sessions at creation: arming cannot fail there any more
 * (test_ac_timers.c fills it to the brim). What can still fail is the
 * client host's timer. */

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
		cmocka_unit_test(client_timer_failure_ends_dialing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
