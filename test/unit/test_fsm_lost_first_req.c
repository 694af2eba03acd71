/* test_fsm_lost_first_req.c — a real-peer finding (docs/interop.md): our first
 * Configure-Request goes out with PADS, before a PPPoE peer can hear it (pppd
 * connects its session socket after PADS; pppoe-server starts its pppd ~1 s
 * later), so the link waited a whole restart period (3 s) on every dial.
 * When the peer's first Configure-Request arrives while our first one is
 * still unanswered, the restart timer is shortened to a tenth; a peer that
 * answers in time (the usual crossing of requests) sees no extra packet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/fsm.h"
#include "core/ppp_defs.h"

#define TEST_PROTO 0xc021

static uint8_t last_code[32];
static uint8_t last_id[32];
static int n_sent;

static void t_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	(void)ctx;
	assert_int_equal(protocol, TEST_PROTO);
	assert_true(len >= 4);
	if (n_sent < 32) {
		last_code[n_sent] = info[0];
		last_id[n_sent] = info[1];
	}
	n_sent++;
}

static const struct uppp_ppp_ops t_ops = { .send = t_send };

static void t_reset(struct uppp_fsm *f) { (void)f; }

static int t_build(struct uppp_fsm *f, struct uppp_writer *w)
{
	(void)f;
	uppp_wr_u8(w, 1);
	uppp_wr_u8(w, 4);
	uppp_wr_be16(w, 1492);
	return 0;
}

static enum uppp_cp_verdict t_request(struct uppp_fsm *f, const uint8_t *opts, size_t len,
				      struct uppp_writer *reply, bool may_nak)
{
	(void)f; (void)opts; (void)len; (void)reply; (void)may_nak;
	return UPPP_CP_ACK;
}

static int t_answer(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	(void)f; (void)opts; (void)len;
	return 0;
}

static int t_nak(struct uppp_fsm *f, const uint8_t *opts, size_t len, bool treat_as_reject)
{
	(void)treat_as_reject;
	return t_answer(f, opts, len);
}

static const struct uppp_fsm_callbacks t_cb = {
	.name = "lcp",
	.protocol = TEST_PROTO,
	.reset = t_reset,
	.build_request = t_build,
	.handle_request = t_request,
	.handle_ack = t_answer,
	.handle_nak = t_nak,
	.handle_reject = t_answer,
};

static int setup(void **state)
{
	static struct uppp_fsm f;
	static struct uppp_fsm_env env;

	n_sent = 0;
	uppp_fsm_env_init(&env, NULL, &t_ops, NULL);   /* no config: restart 3 s */
	uppp_fsm_init(&f, &t_cb, &env);
	*state = &f;
	return 0;
}

static void peer_packet(struct uppp_fsm *f, uint8_t code, uint8_t id, uint64_t now)
{
	const uint8_t pkt[8] = { code, id, 0, 8, 1, 4, 0x05, 0xd4 };

	assert_int_equal(uppp_fsm_input(f, pkt, sizeof(pkt), now), 0);
}

/* Our first Configure-Request is lost; the peer's arrives 30 ms later. */
static void lost_first_request_is_resent_soon(void **state)
{
	struct uppp_fsm *f = *state;

	uppp_fsm_up(f, 0);
	uppp_fsm_open(f, 0);
	assert_int_equal(n_sent, 1);
	assert_int_equal(last_code[0], CP_CONF_REQ);
	assert_int_equal(uppp_fsm_deadline(f), 3000);

	peer_packet(f, CP_CONF_REQ, 0x01, 30);
	assert_int_equal(n_sent, 2);
	assert_int_equal(last_code[1], CP_CONF_ACK);
	assert_int_equal(f->state, UPPP_FSM_ACK_SENT);
	/* before the fix: 3000 — the whole restart period */
	assert_int_equal(uppp_fsm_deadline(f), 30 + 300);

	uppp_fsm_timer(f, 330);
	assert_int_equal(n_sent, 3);
	assert_int_equal(last_code[2], CP_CONF_REQ);
	assert_int_equal(f->state, UPPP_FSM_ACK_SENT);
	/* only once: the next retry waits the full period again */
	assert_int_equal(uppp_fsm_deadline(f), 330 + 3000);

	peer_packet(f, CP_CONF_ACK, last_id[2], 340);
	assert_int_equal(f->state, UPPP_FSM_OPENED);
	assert_int_equal(uppp_fsm_deadline(f), UINT64_MAX);
}

/* Requests cross on the wire and the peer acks ours in time: nothing extra. */
static void crossing_requests_send_nothing_extra(void **state)
{
	struct uppp_fsm *f = *state;

	uppp_fsm_up(f, 0);
	uppp_fsm_open(f, 0);
	peer_packet(f, CP_CONF_REQ, 0x01, 5);
	peer_packet(f, CP_CONF_ACK, last_id[0], 10);
	assert_int_equal(f->state, UPPP_FSM_OPENED);
	uppp_fsm_timer(f, 400);
	uppp_fsm_timer(f, 4000);
	assert_int_equal(n_sent, 2); /* our ConfReq, our ConfAck */
}

/* Not a first request: after a retransmission the timer is left alone. */
static void later_requests_keep_the_restart_period(void **state)
{
	struct uppp_fsm *f = *state;

	uppp_fsm_up(f, 0);
	uppp_fsm_open(f, 0);
	uppp_fsm_timer(f, 3000); /* TO+: second ConfReq */
	assert_int_equal(n_sent, 2);
	peer_packet(f, CP_CONF_REQ, 0x01, 3100);
	assert_int_equal(uppp_fsm_deadline(f), 6000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(lost_first_request_is_resent_soon, setup),
		cmocka_unit_test_setup(crossing_requests_send_nothing_extra, setup),
		cmocka_unit_test_setup(later_requests_keep_the_restart_period, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
