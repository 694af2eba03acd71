/* test_cp_negotiation.c — what the automaton takes from a peer that answers
 * our Configure-Request without agreeing, on real LCP and IPCP option
 * handling and a virtual clock:
 *  - a Configure-Reject must be a part of our request, in its order, with
 *    its values (RFC 1661 §5.4), else it is dropped;
 *  - from the max-failure-th Configure-Nak of a negotiation on, a Nak is
 *    taken as a Reject of what it names (pppd's maxnakloops): an MRU above
 *    ours, our own IPCP address;
 *  - a peer that keeps Naking gets at most max-failure + 1 Configure-Requests
 *    at one instant, then one per restart period. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ipcp.h"
#include "proto/lcp.h"
#include "core/ppp_defs.h"

#define RESTART 3000u
#define MAX_FAILURE 5u

static uint8_t last_req[1600];
static size_t last_req_len;
static unsigned n_req;   /* Configure-Requests sent */
static uint32_t rnd_next;

static void t_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	(void)ctx;
	(void)protocol;
	assert_true(len >= 4 && len <= sizeof(last_req));
	if (info[0] != CP_CONF_REQ)
		return;
	n_req++;
	memcpy(last_req, info, len);
	last_req_len = len;
}

static int t_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	assert_int_equal(len, 4);
	memcpy(buf, &rnd_next, 4);
	rnd_next += 0x01010101u;
	return 0;
}

static const struct uppp_ppp_ops t_ops = { .send = t_send, .random = t_random };

static void t_notify(struct uppp_fsm *f, enum uppp_fsm_notice n, uint32_t arg)
{
	(void)f; (void)n; (void)arg;
}

static const struct uppp_fsm_hooks t_hooks = { .notify = t_notify };

static struct uppp_lcp lcp;
static struct uppp_ipcp ipcp;

static struct uppp_fsm_env env;
static struct uppp_ppp_config t_cfg;

static struct uppp_fsm_env *limits(void)
{
	uppp_fsm_env_init(&env, &t_hooks, &t_ops, NULL);
	t_cfg.restart_ms = RESTART;
	t_cfg.max_configure = 10;
	t_cfg.max_terminate = 2;
	t_cfg.max_failure = MAX_FAILURE;
	env.cfg = &t_cfg;
	return &env;
}

static void reset_capture(void)
{
	n_req = 0;
	last_req_len = 0;
	rnd_next = 0x11223344u;
}

/* A server LCP (no auth) that sent its first request {MRU 1492, magic}. */
static struct uppp_fsm *lcp_started(void)
{
	reset_capture();
	uppp_lcp_init(&lcp, true, 1492, UPPP_AUTH_NONE, limits());
	uppp_fsm_open(&lcp.fsm, 0);
	uppp_fsm_up(&lcp.fsm, 0);
	assert_int_equal(n_req, 1);
	assert_int_equal(lcp.fsm.state, UPPP_FSM_REQ_SENT);
	return &lcp.fsm;
}

/* A client IPCP that sent {addr 0, dns1 0, dns2 0}. */
static struct uppp_fsm *ipcp_client_started(void)
{
	reset_capture();
	uppp_ipcp_init(&ipcp, false, limits());
	uppp_fsm_open(&ipcp.fsm, 0);
	uppp_fsm_up(&ipcp.fsm, 0);
	assert_int_equal(n_req, 1);
	return &ipcp.fsm;
}

/* A server IPCP (10.0.0.1, peer gets 10.0.0.2) that sent {addr 10.0.0.1}. */
static struct uppp_fsm *ipcp_server_started(void)
{
	reset_capture();
	uppp_ipcp_init(&ipcp, true, limits());
	t_cfg.local_ip = 0x0a000001;
	ipcp.peer_assigned = 0x0a000002;
	uppp_fsm_open(&ipcp.fsm, 0);
	uppp_fsm_up(&ipcp.fsm, 0);
	assert_int_equal(n_req, 1);
	return &ipcp.fsm;
}

/* An answer (Ack/Nak/Reject) to our last request, carrying opts. */
static int answer(struct uppp_fsm *f, uint8_t code, const uint8_t *opts, size_t len, uint64_t now)
{
	uint8_t pkt[256];
	pkt[0] = code;
	pkt[1] = last_req[1];
	uppp_put_be16(pkt + 2, (uint16_t)(len + 4));
	if (len)
		memcpy(pkt + 4, opts, len);
	return uppp_fsm_input(f, pkt, len + 4, now);
}

/* Our last request's options are exactly these bytes. */
#define REQ_IS(...)                                                             \
	do {                                                                    \
		const uint8_t r_[] = { __VA_ARGS__ };                           \
		assert_int_equal(last_req_len, 4 + sizeof(r_));                 \
		assert_memory_equal(last_req + 4, r_, sizeof(r_));              \
	} while (0)

#define REQ_IS_EMPTY() assert_int_equal(last_req_len, 4)

/* Our last request's option at byte offset off (after the header). */
static const uint8_t *req_opt(size_t off) { return last_req + 4 + off; }

/* ---- Configure-Reject must be a part of our request ---- */

static void expect_reject_dropped(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	unsigned before = n_req;
	uint64_t dropped = f->rx_dropped;
	enum uppp_fsm_state st = f->state;

	assert_int_equal(answer(f, CP_CONF_REJ, opts, len, 10), -EBADMSG);
	assert_int_equal(f->rx_dropped, dropped + 1);
	assert_int_equal(n_req, before);   /* no new request: the old one still stands */
	assert_int_equal(f->state, st);
}

static void lcp_reject_foreign_option_dropped(void **state)
{
	(void)state;
	struct uppp_fsm *f = lcp_started();
	uint8_t rej[12];
	memcpy(rej, req_opt(0), 4);                            /* our MRU, as sent */
	const uint8_t accm[] = { 2, 6, 0, 0, 0, 0 };           /* never asked */
	memcpy(rej + 4, accm, sizeof(accm));
	expect_reject_dropped(f, rej, 10);
}

static void lcp_reject_reordered_dropped(void **state)
{
	(void)state;
	struct uppp_fsm *f = lcp_started();
	uint8_t rej[10];
	/* ours is MRU (4 bytes) then magic (6 bytes): send magic first */
	memcpy(rej, req_opt(4), 6);
	memcpy(rej + 6, req_opt(0), 4);
	expect_reject_dropped(f, rej, sizeof(rej));
}

static void lcp_reject_changed_value_dropped(void **state)
{
	(void)state;
	struct uppp_fsm *f = lcp_started();
	const uint8_t mru_1400[] = { 1, 4, 0x05, 0x78 };   /* we asked 1492 */
	expect_reject_dropped(f, mru_1400, sizeof(mru_1400));
	uint8_t magic[6];
	memcpy(magic, req_opt(4), 6);
	magic[5] ^= 1;
	expect_reject_dropped(f, magic, sizeof(magic));
}

static void lcp_reject_empty_dropped(void **state)
{
	(void)state;
	struct uppp_fsm *f = lcp_started();
	expect_reject_dropped(f, NULL, 0);
}

static void lcp_reject_valid_subset_taken(void **state)
{
	(void)state;
	struct uppp_fsm *f = lcp_started();
	uint8_t magic[6];
	memcpy(magic, req_opt(4), 6);
	assert_int_equal(answer(f, CP_CONF_REJ, magic, sizeof(magic), 10), 0);
	assert_int_equal(n_req, 2);
	REQ_IS(1, 4, 0x05, 0xd4);   /* MRU alone */
	/* the whole request rejected, in order */
	f = lcp_started();
	uint8_t all[10];
	memcpy(all, req_opt(0), 10);
	assert_int_equal(answer(f, CP_CONF_REJ, all, sizeof(all), 10), 0);
	REQ_IS_EMPTY();
}

static void ipcp_reject_subset_rules(void **state)
{
	(void)state;
	struct uppp_fsm *f = ipcp_client_started();
	REQ_IS(3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0);
	const uint8_t reordered[] = { 131, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0 };
	expect_reject_dropped(f, reordered, sizeof(reordered));
	const uint8_t changed[] = { 129, 6, 8, 8, 8, 8 };
	expect_reject_dropped(f, changed, sizeof(changed));
	const uint8_t foreign[] = { 130, 6, 0, 0, 0, 0 };   /* WINS: never asked */
	expect_reject_dropped(f, foreign, sizeof(foreign));
	const uint8_t dns[] = { 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0 };
	assert_int_equal(answer(f, CP_CONF_REJ, dns, sizeof(dns), 10), 0);
	REQ_IS(3, 6, 0, 0, 0, 0);
}

/* ---- Naks become Rejects after max-failure ---- */

/* A Nak of an MRU above ours (we ignore it and ask ours again): the
 * max-failure-th drops MRU from the request. */
static void lcp_nak_mru_above_ours_becomes_reject(void **state)
{
	(void)state;
	struct uppp_fsm *f = lcp_started();
	const uint8_t mru_1500[] = { 1, 4, 0x05, 0xdc };

	for (unsigned i = 1; i < MAX_FAILURE; i++) {
		assert_int_equal(answer(f, CP_CONF_NAK, mru_1500, sizeof(mru_1500), 0), 0);
		assert_int_equal(n_req, 1 + i);
		assert_memory_equal(req_opt(0), ((const uint8_t[]){ 1, 4, 0x05, 0xd4 }), 4);
	}
	assert_int_equal(answer(f, CP_CONF_NAK, mru_1500, sizeof(mru_1500), 0), 0);
	assert_int_equal(n_req, 1 + MAX_FAILURE);
	assert_int_equal(last_req_len, 4 + 6);   /* magic alone */
	assert_int_equal(req_opt(0)[0], 5);
	assert_false(lcp.ask_mru);
}

/* The server's own address Nak'd (we never take another): the
 * max-failure-th drops it from the request. */
static void ipcp_nak_own_address_becomes_reject(void **state)
{
	(void)state;
	struct uppp_fsm *f = ipcp_server_started();
	const uint8_t other[] = { 3, 6, 10, 0, 0, 99 };

	REQ_IS(3, 6, 10, 0, 0, 1);
	for (unsigned i = 1; i < MAX_FAILURE; i++) {
		assert_int_equal(answer(f, CP_CONF_NAK, other, sizeof(other), 0), 0);
		REQ_IS(3, 6, 10, 0, 0, 1);
	}
	assert_int_equal(answer(f, CP_CONF_NAK, other, sizeof(other), 0), 0);
	REQ_IS_EMPTY();
	assert_int_equal(n_req, 1 + MAX_FAILURE);
	/* and the peer can Ack that: IPCP opens without our address */
	assert_int_equal(answer(f, CP_CONF_ACK, NULL, 0, 0), 0);
	assert_int_equal(f->state, UPPP_FSM_ACK_RCVD);
}

/* A legitimate Nak gets the next request at once (a server Naking our
 * 0.0.0.0 with an address and DNS). */
static void legitimate_nak_answered_at_once(void **state)
{
	(void)state;
	struct uppp_fsm *f = ipcp_client_started();
	const uint8_t nak[] = { 3, 6, 10, 0, 0, 7, 129, 6, 10, 0, 0, 1, 131, 6, 8, 8, 8, 8 };
	assert_int_equal(answer(f, CP_CONF_NAK, nak, sizeof(nak), 5), 0);
	assert_int_equal(n_req, 2);
	REQ_IS(3, 6, 10, 0, 0, 7, 129, 6, 10, 0, 0, 1, 131, 6, 8, 8, 8, 8);
}

/* ---- never a request flood ---- */

/* A peer that Naks every request at once: a bounded number of requests at
 * one instant, then exactly one per restart period. */
static void nak_flood_bounded(void **state)
{
	(void)state;
	struct uppp_fsm *f = lcp_started();
	const uint8_t mru_1500[] = { 1, 4, 0x05, 0xdc };
	uint64_t now = 0;

	for (int i = 0; i < 100000; i++)
		(void)answer(f, CP_CONF_NAK, mru_1500, sizeof(mru_1500), now);
	assert_true(n_req <= 1 + MAX_FAILURE);
	for (int period = 0; period < 20; period++) {
		unsigned before = n_req;
		/* nothing more until the restart timer */
		assert_true(uppp_fsm_deadline(f) > now);
		assert_true(uppp_fsm_deadline(f) <= now + RESTART);
		now = uppp_fsm_deadline(f);
		uppp_fsm_timer(f, now);
		assert_int_equal(n_req, before + 1);
		for (int i = 0; i < 1000; i++)
			(void)answer(f, CP_CONF_NAK, mru_1500, sizeof(mru_1500), now);
		assert_int_equal(n_req, before + 1);
		assert_true(f->state == UPPP_FSM_REQ_SENT);
	}
	/* the next one is a whole restart period after the last */
	assert_int_equal(uppp_fsm_deadline(f), now + RESTART);
}

/* The same through renegotiations: a peer bouncing an Opened layer with
 * Configure-Requests gets no more than max-failure immediate requests per
 * restart period. */
static void renegotiation_bounce_bounded(void **state)
{
	(void)state;
	struct uppp_fsm *f = lcp_started();
	uint8_t req[64];
	const uint8_t his[] = { 1, 4, 0x05, 0xd4, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d };
	uint8_t id = 1;

	/* open: the peer acks ours, we ack his */
	assert_int_equal(answer(f, CP_CONF_ACK, last_req + 4, last_req_len - 4, 0), 0);
	req[0] = CP_CONF_REQ;
	memcpy(req + 4, his, sizeof(his));
	uppp_put_be16(req + 2, 4 + sizeof(his));
	req[1] = id++;
	assert_int_equal(uppp_fsm_input(f, req, 4 + sizeof(his), 0), 0);
	assert_int_equal(f->state, UPPP_FSM_OPENED);
	unsigned before = n_req;
	/* at t = 10 s: ConfReq in Opened (renegotiate), Ack ours, again ... */
	for (int i = 0; i < 1000; i++) {
		req[1] = id++;
		(void)uppp_fsm_input(f, req, 4 + sizeof(his), 10000);
		if (last_req_len >= 4 && f->state != UPPP_FSM_OPENED && !f->req_answered)
			(void)answer(f, CP_CONF_ACK, last_req + 4, last_req_len - 4, 10000);
	}
	assert_true(n_req - before <= MAX_FAILURE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lcp_reject_foreign_option_dropped),
		cmocka_unit_test(lcp_reject_reordered_dropped),
		cmocka_unit_test(lcp_reject_changed_value_dropped),
		cmocka_unit_test(lcp_reject_empty_dropped),
		cmocka_unit_test(lcp_reject_valid_subset_taken),
		cmocka_unit_test(ipcp_reject_subset_rules),
		cmocka_unit_test(lcp_nak_mru_above_ours_becomes_reject),
		cmocka_unit_test(ipcp_nak_own_address_becomes_reject),
		cmocka_unit_test(legitimate_nak_answered_at_once),
		cmocka_unit_test(nak_flood_bounded),
		cmocka_unit_test(renegotiation_bounce_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
