/* test_ppp_phase.c — the link's phase table (proto/ppp.c) and its setter:
 * every move RFC 1661 §3.2's diagram draws and the engine's renegotiation
 * and closing moves are allowed, every other is refused, and a refused
 * move leaves the phase, logged at error level with from and to. The
 * moves a real session takes are driven in test/mem/test_phase_walk.c and
 * test_phase_renegotiate.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/ppp_defs.h"
#include "proto/ppp.h"
#include "proto/ppp_impl.h"

enum { D = UPPP_PHASE_DEAD, E = UPPP_PHASE_ESTABLISH, A = UPPP_PHASE_AUTHENTICATE,
       N = UPPP_PHASE_NETWORK, T = UPPP_PHASE_TERMINATE };

/* Written out by hand from RFC 1661 §3.2 (and the engine's extra moves),
 * not copied from proto/ppp.c: [from][to]. */
static const bool expected[UPPP_PHASE_COUNT][UPPP_PHASE_COUNT] = {
	/*            D      E      A      N      T   */
	[D] = { false, true,  false, false, true  },   /* up; close before up */
	[E] = { true,  false, true,  false, true  },   /* LCP failed; LCP Opened; close */
	[A] = { false, true,  false, true,  true  },   /* renegotiation; authenticated; refused */
	[N] = { false, true,  false, false, true  },   /* renegotiation; closing */
	[T] = { true,  false, false, false, false },   /* down */
};

static void table_matches_the_phase_diagram(void **state)
{
	(void)state;
	for (int from = 0; from < UPPP_PHASE_COUNT; from++)
		for (int to = 0; to < UPPP_PHASE_COUNT; to++) {
			if (from == to)
				continue;   /* staying is no move (the setter does nothing) */
			bool legal = uppp_ppp_phase_legal((enum uppp_ppp_phase)from, (enum uppp_ppp_phase)to);
			if (legal != expected[from][to])
				fail_msg("%s -> %s: table says %s", uppp_ppp_phase_name((enum uppp_ppp_phase)from),
					 uppp_ppp_phase_name((enum uppp_ppp_phase)to), legal ? "legal" : "illegal");
		}
}

static void out_of_range_is_illegal(void **state)
{
	(void)state;
	assert_false(uppp_ppp_phase_legal(UPPP_PHASE_COUNT, UPPP_PHASE_DEAD));
	assert_false(uppp_ppp_phase_legal(UPPP_PHASE_DEAD, UPPP_PHASE_COUNT));
	assert_false(uppp_ppp_phase_legal((enum uppp_ppp_phase)-1, UPPP_PHASE_ESTABLISH));
	assert_string_equal(uppp_ppp_phase_name(UPPP_PHASE_COUNT), "?");
	assert_string_equal(uppp_ppp_phase_name(UPPP_PHASE_NETWORK), "network");
}

/* ---- the setter, on a link that is never opened ---- */

struct sink {
	char line[8][300];
	enum uppp_log_level level[8];
	unsigned n;
};

static void sink_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct sink *s = ud;
	assert_true(s->n < 8);
	snprintf(s->line[s->n], sizeof(s->line[0]), "%s", line);
	s->level[s->n++] = level;
}

static void no_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	(void)ctx, (void)protocol, (void)info, (void)len;
	fail_msg("nothing may be sent");
}

static const struct uppp_ppp_ops ops = { .send = no_send };

static void setter_refuses_and_logs_an_illegal_move(void **state)
{
	struct uppp_ppp_config cfg;
	struct uppp_ppp p;
	struct sink s = { .n = 0 };
	struct uppp_logger lg = { .min = UPPP_LOG_DEBUG, .emit = sink_emit, .ud = &s, .prefix = "sess=7" };

	(void)state;
	uppp_ppp_config_defaults(&cfg);
	uppp_ppp_init(&p, &cfg, &ops, NULL);
	uppp_ppp_set_logger(&p, &lg);
	assert_int_equal(p.phase, UPPP_PHASE_DEAD);

	/* Dead -> Network skips LCP and authentication: refused, logged */
	assert_false(uppp_ppp_set_phase(&p, UPPP_PHASE_NETWORK, "test"));
	assert_int_equal(p.phase, UPPP_PHASE_DEAD);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.level[0], UPPP_LOG_ERR);
	assert_non_null(strstr(s.line[0], "sess=7"));
	assert_non_null(strstr(s.line[0], "illegal transition phase=dead -> network (test)"));

	/* a legal move is taken and logged at debug level */
	assert_true(uppp_ppp_set_phase(&p, UPPP_PHASE_ESTABLISH, "test"));
	assert_int_equal(p.phase, UPPP_PHASE_ESTABLISH);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.level[1], UPPP_LOG_DEBUG);
	assert_non_null(strstr(s.line[1], "phase=dead -> establish (test)"));
	assert_null(strstr(s.line[1], "illegal"));

	/* staying is no move: nothing logged */
	assert_true(uppp_ppp_set_phase(&p, UPPP_PHASE_ESTABLISH, "test"));
	assert_int_equal(s.n, 2);

	/* out of Terminate only to Dead: a late verdict starts no network */
	assert_true(uppp_ppp_set_phase(&p, UPPP_PHASE_TERMINATE, "test"));
	assert_false(uppp_ppp_set_phase(&p, UPPP_PHASE_NETWORK, "late verdict"));
	assert_false(uppp_ppp_set_phase(&p, UPPP_PHASE_ESTABLISH, "test"));
	assert_int_equal(p.phase, UPPP_PHASE_TERMINATE);
	assert_non_null(strstr(s.line[s.n - 2], "illegal transition phase=terminate -> network (late verdict)"));
	assert_int_equal(s.level[s.n - 1], UPPP_LOG_ERR);
}

/* ---- the engine: a verdict that comes while the link closes ---- */

/* A server link driven by hand: what it sent, what its host was asked. */
struct hand {
	uint8_t lcp_req[64];     /* our last LCP Configure-Request */
	size_t lcp_req_len;
	unsigned sent_pap, sent_term_req, verify_calls, assign_calls, downs;
	uint32_t serial;         /* of the last request verify was given */
	char user[64];           /* its user */
	enum uppp_cause cause;
	unsigned illegal;
};

static void hand_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct hand *h = ud;
	(void)level;
	if (strstr(line, "illegal"))
		h->illegal++;
}

static void hand_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct hand *h = ctx;
	if (protocol == PPP_LCP && len >= 4 && info[0] == CP_CONF_REQ && len <= sizeof(h->lcp_req)) {
		memcpy(h->lcp_req, info, len);
		h->lcp_req_len = len;
	}
	if (protocol == PPP_LCP && len >= 1 && info[0] == CP_TERM_REQ)
		h->sent_term_req++;
	if (protocol == PPP_PAP)
		h->sent_pap++;
}

static int hand_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x5a, len);
	return 0;
}

static int hand_verify(void *ctx, const struct uppp_auth_request *req)
{
	struct hand *h = ctx;
	h->verify_calls++;
	h->serial = req->serial;
	snprintf(h->user, sizeof(h->user), "%s", req->user);
	return -EINPROGRESS;
}

static int hand_assign(void *ctx, const char *peer_name, uint32_t serial, uint32_t *peer_ip)
{
	struct hand *h = ctx;
	(void)serial;
	(void)peer_name;
	h->assign_calls++;
	*peer_ip = 0x0a000002;
	return 0;
}

static void hand_down(void *ctx, enum uppp_cause cause)
{
	struct hand *h = ctx;
	h->downs++;
	h->cause = cause;
}

static const struct uppp_ppp_ops hand_ops = {
	.send = hand_send, .random = hand_random, .verify = hand_verify,
	.assign_address = hand_assign, .down = hand_down,
};

/* One PPP packet from the peer: protocol, code, id, data. */
static void hand_input(struct uppp_ppp *p, uint16_t proto, uint8_t code, uint8_t id, const uint8_t *data,
		       size_t dlen, uint64_t now)
{
	uint8_t pkt[128];
	assert_true(dlen + 6 <= sizeof(pkt));
	uppp_put_be16(pkt, proto);
	pkt[2] = code;
	pkt[3] = id;
	uppp_put_be16(pkt + 4, (uint16_t)(dlen + 4));
	if (dlen)
		memcpy(pkt + 6, data, dlen);
	uppp_ppp_input(p, pkt, dlen + 6, now);
}

/* A PAP server link with LCP opened by hand (the peer's magic given):
 * authenticating, nothing asked yet. cfg, h and lg must outlive p. */
static void hand_pap_server_up_to_auth(struct uppp_ppp *p, struct uppp_ppp_config *cfg, struct hand *h,
				       struct uppp_logger *lg, const uint8_t magic_opt[6])
{
	*lg = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = hand_emit, .ud = h };
	uppp_ppp_config_defaults(cfg);
	cfg->is_server = true;
	cfg->auth = UPPP_AUTH_PAP;
	cfg->name = "uppp";
	cfg->local_ip = 0x0a000001;
	uppp_ppp_init(p, cfg, &hand_ops, h);
	uppp_ppp_set_logger(p, lg);
	uppp_ppp_open(p, 0);
	assert_true(h->lcp_req_len >= 4);
	hand_input(p, PPP_LCP, CP_CONF_ACK, h->lcp_req[1], h->lcp_req + 4, h->lcp_req_len - 4, 1);
	hand_input(p, PPP_LCP, CP_CONF_REQ, 1, magic_opt, 6, 2);
	assert_int_equal(p->phase, UPPP_PHASE_AUTHENTICATE);
}

/* The host still judges the peer when the link is closed: closing took LCP
 * down, which ended the authentication, so the verdict coming afterwards is
 * -EALREADY: nothing is answered to the peer, no address asked, and the
 * link does not try Terminate -> Network (Terminate leads only to Dead). */
static void verdict_while_closing_starts_nothing(void **state)
{
	static const uint8_t pap_req[] = { 5, 'a', 'l', 'i', 'c', 'e', 2, 'p', 'w' };
	static const uint8_t peer_opts[] = { 5, 6, 0x11, 0x22, 0x33, 0x44 };   /* magic */
	struct uppp_ppp_config cfg;
	struct uppp_ppp p;
	struct hand h = { .lcp_req_len = 0 };
	struct uppp_logger lg;
	struct uppp_auth_verdict v = { .accept = true };

	(void)state;
	hand_pap_server_up_to_auth(&p, &cfg, &h, &lg, peer_opts);
	hand_input(&p, PPP_PAP, 1, 7, pap_req, sizeof(pap_req), 3);
	assert_int_equal(h.verify_calls, 1);
	assert_int_equal(h.sent_pap, 0);

	uppp_ppp_close(&p, UPPP_CAUSE_ADMIN, 4);
	assert_int_equal(p.phase, UPPP_PHASE_TERMINATE);
	assert_int_equal(h.sent_term_req, 1);
	assert_int_equal(h.downs, 0);

	v.serial = p.request_serial;   /* the request's own: only the close stands in the way */
	assert_int_equal(uppp_ppp_auth_verdict(&p, &v, 5), -EALREADY);
	assert_int_equal(p.phase, UPPP_PHASE_TERMINATE);
	assert_int_equal(h.sent_pap, 0);
	assert_int_equal(h.assign_calls, 0);
	assert_int_equal(h.illegal, 0);

	/* the peer acks the Terminate-Request: down(admin), Dead */
	hand_input(&p, PPP_LCP, CP_TERM_ACK, h.lcp_req[1], NULL, 0, 6);
	assert_int_equal(h.downs, 1);
	assert_int_equal(h.cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(p.phase, UPPP_PHASE_DEAD);
	assert_int_equal(h.illegal, 0);
}

/* Closed before the lower layer came up (never opened): Dead -> Terminate
 * -> Dead in the one call, down(admin), nothing sent. */
static void close_before_open(void **state)
{
	struct uppp_ppp_config cfg;
	struct uppp_ppp p;
	struct hand h = { .lcp_req_len = 0 };
	struct uppp_logger lg = { .min = UPPP_LOG_DEBUG, .emit = hand_emit, .ud = &h };

	(void)state;
	uppp_ppp_config_defaults(&cfg);
	cfg.is_server = true;
	uppp_ppp_init(&p, &cfg, &hand_ops, &h);
	uppp_ppp_set_logger(&p, &lg);
	uppp_ppp_close(&p, UPPP_CAUSE_ADMIN, 0);
	assert_int_equal(h.downs, 1);
	assert_int_equal(h.cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(p.phase, UPPP_PHASE_DEAD);
	assert_int_equal(h.sent_term_req, 0);
	assert_int_equal(h.illegal, 0);
}

/* A late verdict never judges a newer request. The peer asks as alice,
 * renegotiates LCP while the host is still deciding, and asks again as
 * mallory: the host's "accept" for alice (request 1) arrives now and is
 * refused (-EALREADY): nothing is sent, no address asked; the verdict for
 * mallory's request (2) is the one that counts. */
static void late_verdict_never_judges_a_newer_request(void **state)
{
	static const uint8_t alice[] = { 5, 'a', 'l', 'i', 'c', 'e', 2, 'p', 'w' };
	static const uint8_t mallory[] = { 7, 'm', 'a', 'l', 'l', 'o', 'r', 'y', 1, 'x' };
	static const uint8_t magic1[] = { 5, 6, 0x11, 0x22, 0x33, 0x44 };
	static const uint8_t magic2[] = { 5, 6, 0x55, 0x66, 0x77, 0x88 };
	struct uppp_ppp_config cfg;
	struct uppp_ppp p;
	struct hand h = { .lcp_req_len = 0 };
	struct uppp_logger lg;
	struct uppp_auth_verdict yes = { .accept = true }, no = { .accept = false };
	uint32_t first;

	(void)state;
	hand_pap_server_up_to_auth(&p, &cfg, &h, &lg, magic1);
	hand_input(&p, PPP_PAP, 1, 7, alice, sizeof(alice), 3);
	assert_int_equal(h.verify_calls, 1);
	assert_string_equal(h.user, "alice");
	first = h.serial;
	assert_int_not_equal(first, 0);

	/* LCP renegotiates (RFC 1661 §4.3: Configure-Request in Opened), then
	 * authentication starts over */
	hand_input(&p, PPP_LCP, CP_CONF_REQ, 2, magic2, sizeof(magic2), 4);
	assert_int_equal(p.phase, UPPP_PHASE_ESTABLISH);
	hand_input(&p, PPP_LCP, CP_CONF_ACK, h.lcp_req[1], h.lcp_req + 4, h.lcp_req_len - 4, 5);
	assert_int_equal(p.phase, UPPP_PHASE_AUTHENTICATE);
	hand_input(&p, PPP_PAP, 1, 8, mallory, sizeof(mallory), 6);
	assert_int_equal(h.verify_calls, 2);
	assert_string_equal(h.user, "mallory");
	assert_int_not_equal(h.serial, first);

	yes.serial = first;   /* alice's answer, late */
	assert_int_equal(uppp_ppp_auth_verdict(&p, &yes, 7), -EALREADY);
	assert_int_equal(h.sent_pap, 0);
	assert_int_equal(h.assign_calls, 0);
	assert_int_equal(p.phase, UPPP_PHASE_AUTHENTICATE);

	no.serial = h.serial;  /* the answer to mallory's request */
	assert_int_equal(uppp_ppp_auth_verdict(&p, &no, 8), 0);
	assert_int_equal(h.sent_pap, 1);   /* Authenticate-Nak */
	assert_int_equal(h.assign_calls, 0);
	assert_int_equal(h.illegal, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_matches_the_phase_diagram),
		cmocka_unit_test(out_of_range_is_illegal),
		cmocka_unit_test(setter_refuses_and_logs_an_illegal_move),
		cmocka_unit_test(verdict_while_closing_starts_nothing),
		cmocka_unit_test(late_verdict_never_judges_a_newer_request),
		cmocka_unit_test(close_before_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
