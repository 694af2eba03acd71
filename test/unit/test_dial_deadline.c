/* test_dial_deadline.c — the client engine keeps its own deadline, like the
 * access concentrator: the host asks uppp_dial_next_deadline() after each
 * call and calls uppp_dial_run_timers() when it is reached (there is no
 * set_timer op to fail). uppp_dial_abort() ends the session at once (the
 * host's one timer could not be armed, say). Virtual clock. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto/dial.h"
#include "proto/pppoe.h"

struct host {
	unsigned sent, padi, padt, downs;
	enum uppp_cause cause;
};

static void h_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct host *h = ctx;
	struct uppp_pppoe_frame f;
	h->sent++;
	if (uppp_pppoe_parse(frame, len, &f) == 0 && f.ethertype == ETH_P_PPPOE_DISC) {
		h->padi += f.code == PPPOE_CODE_PADI;
		h->padt += f.code == PPPOE_CODE_PADT;
	}
}

static int h_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x5a, len);
	return 0;
}

static void h_down(void *ctx, enum uppp_cause cause)
{
	struct host *h = ctx;
	h->downs++;
	h->cause = cause;
}

static const struct uppp_dial_ops ops = { .send_frame = h_send, .random = h_random, .down = h_down };

static const uint8_t cl_mac[6] = { 0x52, 0x54, 0, 0, 0, 9 };
static const uint8_t ac_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };

static struct uppp_dial *new_dial(struct uppp_dial_config *cfg, struct host *h)
{
	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->mac, cl_mac, 6);
	cfg->service = "";
	cfg->padi_timeout_ms = 1000;
	cfg->padi_attempts = 3;
	uppp_ppp_config_defaults(&cfg->ppp);
	struct uppp_dial *d = uppp_dial_new(cfg, &ops, h);
	assert_non_null(d);
	return d;
}

/* Not started: nothing to wait for. Started: the PADI's retransmit is the
 * deadline; running the timers early does nothing, at the deadline the PADI
 * goes again and the deadline doubles; after the last attempt the dial ends
 * and there is no deadline any more. */
static void padi_retransmits_follow_the_deadline(void **state)
{
	(void)state;
	struct uppp_dial_config cfg;
	struct host h = { 0 };
	struct uppp_dial *d = new_dial(&cfg, &h);

	assert_true(uppp_dial_next_deadline(d) == UPPP_NO_DEADLINE);
	uppp_dial_start(d, 100);
	assert_int_equal(h.padi, 1);
	assert_true(uppp_dial_next_deadline(d) == 1100);
	uppp_dial_run_timers(d, 1099);          /* not due: nothing happens */
	assert_int_equal(h.padi, 1);
	assert_true(uppp_dial_next_deadline(d) == 1100);
	uppp_dial_run_timers(d, 1100);
	assert_int_equal(h.padi, 2);
	assert_true(uppp_dial_next_deadline(d) == 1100 + 2000);
	uppp_dial_run_timers(d, 3100);
	assert_int_equal(h.padi, 3);
	uppp_dial_run_timers(d, uppp_dial_next_deadline(d));
	assert_int_equal(h.downs, 1);
	assert_int_equal(h.cause, UPPP_CAUSE_DISCOVERY_TIMEOUT);
	assert_true(uppp_dial_next_deadline(d) == UPPP_NO_DEADLINE);
	uppp_dial_free(d);
}

/* Aborting while discovering: down(cause) once, nothing sent (no session to
 * PADT), no deadline left; a second abort does nothing. */
static void abort_while_discovering(void **state)
{
	(void)state;
	struct uppp_dial_config cfg;
	struct host h = { 0 };
	struct uppp_dial *d = new_dial(&cfg, &h);

	uppp_dial_start(d, 0);
	unsigned sent = h.sent;
	uppp_dial_abort(d, UPPP_CAUSE_HOST_ERROR, 5);
	assert_int_equal(h.downs, 1);
	assert_int_equal(h.cause, UPPP_CAUSE_HOST_ERROR);
	assert_int_equal(h.sent, sent);
	assert_true(uppp_dial_next_deadline(d) == UPPP_NO_DEADLINE);
	uppp_dial_abort(d, UPPP_CAUSE_ADMIN, 6);
	assert_int_equal(h.downs, 1);
	uppp_dial_free(d);
}

static int build_disc(uint8_t *buf, uint8_t code, uint16_t sid, const uint8_t *hu, size_t hu_len)
{
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_str("");
	struct uppp_pppoe_out o = { 0 };
	o.services = &svc;
	o.n_services = 1;
	o.ac_name = uppp_pppoe_tag_str("ac");
	o.host_uniq = uppp_pppoe_tag_bytes(hu, hu_len);
	if (code == PPPOE_CODE_PADO)
		return uppp_pppoe_build_pado(buf, UPPP_PPPOE_FRAME_MAX, cl_mac, ac_mac, &o);
	return uppp_pppoe_build_pads(buf, UPPP_PPPOE_FRAME_MAX, cl_mac, ac_mac, sid, &o);
}

/* In a session: abort sends PADT at once (no Terminate-Request wait) and
 * reports down(cause) once; the PPP engine's deadlines are gone. */
static void abort_in_session_sends_padt(void **state)
{
	(void)state;
	struct uppp_dial_config cfg;
	struct host h = { 0 };
	struct uppp_dial *d = new_dial(&cfg, &h);
	uint8_t hu[8], buf[UPPP_PPPOE_FRAME_MAX];

	uppp_dial_start(d, 0);
	memset(hu, 0x5a, sizeof(hu));
	/* the Host-Uniq is 4 + (0x5a % 5) = 4 bytes of 0x5a (h_random) */
	int n = build_disc(buf, PPPOE_CODE_PADO, 0, hu, 4);
	assert_true(n > 0);
	uppp_dial_input(d, buf, (size_t)n, 10);
	n = build_disc(buf, PPPOE_CODE_PADS, 7, hu, 4);
	assert_true(n > 0);
	uppp_dial_input(d, buf, (size_t)n, 20);
	assert_int_equal(uppp_dial_session_id(d), 7);
	assert_true(uppp_dial_next_deadline(d) != UPPP_NO_DEADLINE);  /* LCP's restart timer */
	uppp_dial_abort(d, UPPP_CAUSE_HOST_ERROR, 30);
	assert_int_equal(h.padt, 1);
	assert_int_equal(h.downs, 1);
	assert_int_equal(h.cause, UPPP_CAUSE_HOST_ERROR);
	assert_true(uppp_dial_next_deadline(d) == UPPP_NO_DEADLINE);
	uppp_dial_run_timers(d, 100000);
	assert_int_equal(h.padt, 1);
	assert_int_equal(h.downs, 1);
	uppp_dial_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(padi_retransmits_follow_the_deadline),
		cmocka_unit_test(abort_while_discovering),
		cmocka_unit_test(abort_in_session_sends_padt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
