/* test_ac_hostile.c — the access concentrator's defences against hostile
 * clients: PADI/PADR rate limits (per MAC and global), the cap on sessions
 * in negotiation, the per-MAC auth-failure limit, spoofed sources, and the
 * rate limit on the warnings an attacker can provoke. Virtual clock. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "proto/ac.h"
#include "proto/pppoe.h"

#include "fake_rng.h"

#define MAX_FRAMES 256
/* Warnings in s seconds: the log bucket burst plus its rate. */
#define WARN_BOUND(s) (20u + 10u * (s) + 2u)

struct fake {
	uint8_t frames[MAX_FRAMES][UPPP_PPPOE_FRAME_MAX];
	size_t lens[MAX_FRAMES];
	size_t n_frames;
	unsigned n_logs, n_warns;
	char last_log[1100];
	char logs[64][1100];          /* the last 64 lines, round robin */
	unsigned downs;
	enum uppp_cause last_cause;
	uint64_t rng;
};

static void f_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct fake *f = ctx;
	if (f->n_frames < MAX_FRAMES) {
		memcpy(f->frames[f->n_frames], frame, len);
		f->lens[f->n_frames++] = len;
	}
}

static bool logged(const struct fake *f, const char *needle)
{
	for (unsigned i = 0; i < 64 && i < f->n_logs; i++)
		if (strstr(f->logs[(f->n_logs - i) % 64], needle))
			return true;
	return false;
}


static int f_random(void *ctx, void *buf, size_t len)
{
	fake_rng_fill(&((struct fake *)ctx)->rng, buf, len);
	return 0;
}

static void f_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void f_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
{
	struct fake *f = ctx;
	va_list ap;
	f->n_logs++;
	f->n_warns += level <= UPPP_LOG_WARN;
	va_start(ap, fmt);
	vsnprintf(f->last_log, sizeof(f->last_log), fmt, ap);
	va_end(ap);
	memcpy(f->logs[f->n_logs % 64], f->last_log, sizeof(f->last_log));
}

/* the engine's logger: every level, each line as one "%s" */
static void f_emit(void *ud, enum uppp_log_level level, const char *line)
{
	f_log(ud, level, "%s", line);
}

static int f_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	return -ENOENT;  /* nobody has a secret: every login fails */
}

static int f_assign(void *ctx, struct uppp_ac_session *s, const char *peer, uint32_t serial, uint32_t *ip)
{
	(void)serial;
	*ip = 0x0a000002;
	return 0;
}

static void f_release(void *ctx, struct uppp_ac_session *s, uint32_t ip) {}
static int f_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *l) { return 0; }

static void f_down(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct fake *f = ctx;
	f->downs++;
	f->last_cause = cause;
}

static void f_deliver(void *ctx, struct uppp_ac_session *s, uint8_t *pkt, size_t len) {}

static const struct uppp_ac_ops fops = {
	.send_frame = f_send, .random = f_random,
	.get_secret = f_get_secret, .assign_address = f_assign, .release_address = f_release,
	.session_up = f_up, .session_down = f_down, .deliver_ip = f_deliver,
};

static const uint8_t ac_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct t {
	struct fake fk;
	struct uppp_ac_config cfg;
	struct uppp_ac *ac;
};

static struct t *new_ac(void (*tune)(struct uppp_ac_config *))
{
	struct t *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->fk.rng = 7;
	memcpy(t->cfg.mac, ac_mac, 6);
	t->cfg.ac_name = "uppp-ac";
	t->cfg.max_sessions = 100;
	uppp_ppp_config_defaults(&t->cfg.ppp);
	t->cfg.ppp.local_ip = 0x0a000001;
	if (tune)
		tune(&t->cfg);
	t->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = f_emit, .ud = &t->fk };
	t->ac = uppp_ac_new(&t->cfg, &fops, &t->fk);
	assert_non_null(t->ac);
	return t;
}

static void free_ac(struct t *t)
{
	uppp_ac_free(t->ac);
	free(t);
}

static void mac_n(uint8_t out[6], unsigned n)
{
	const uint8_t m[6] = { 0x52, 0x54, 0, 0, (uint8_t)(n >> 8), (uint8_t)n };
	memcpy(out, m, 6);
}

static size_t mk_padi(uint8_t *buf, const uint8_t *src)
{
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_str("");
	struct uppp_pppoe_out o = { 0 };
	o.services = &svc;
	o.n_services = 1;
	int n = uppp_pppoe_build_discovery(buf, UPPP_PPPOE_FRAME_MAX, PPPOE_CODE_PADI, bcast, src, 0, &o);
	assert_true(n > 0);
	return (size_t)n;
}

static size_t mk_padr(uint8_t *buf, const uint8_t *src, const uint8_t *hu, size_t hulen, const uint8_t *cookie,
		      size_t clen)
{
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_str("");
	struct uppp_pppoe_out o = { 0 };
	o.services = &svc;
	o.n_services = 1;
	if (hu)
		o.host_uniq = uppp_pppoe_tag_bytes(hu, hulen);
	if (cookie)
		o.cookie = uppp_pppoe_tag_bytes(cookie, clen);
	int n = uppp_pppoe_build_padr(buf, UPPP_PPPOE_FRAME_MAX, ac_mac, src, &o);
	assert_true(n > 0);
	return (size_t)n;
}

static unsigned count_code(const struct fake *f, uint8_t code, size_t from)
{
	unsigned n = 0;
	for (size_t i = from; i < f->n_frames; i++) {
		struct uppp_pppoe_frame pf;
		if (uppp_pppoe_parse(f->frames[i], f->lens[i], &pf) == 0 && pf.ethertype == ETH_P_PPPOE_DISC &&
		    pf.code == code)
			n++;
	}
	return n;
}

/* Sends one PADI from mac at now; copies the PADO's cookie out. 0 = no PADO. */
static size_t get_cookie(struct t *t, const uint8_t *mac, uint64_t now, uint8_t cookie[64])
{
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	size_t before = t->fk.n_frames;

	uppp_ac_input(t->ac, buf, mk_padi(buf, mac), now);
	for (size_t i = before; i < t->fk.n_frames; i++) {
		struct uppp_pppoe_frame pf;
		struct uppp_pppoe_tags tg;
		if (uppp_pppoe_parse(t->fk.frames[i], t->fk.lens[i], &pf) == 0 && pf.code == PPPOE_CODE_PADO &&
		    uppp_pppoe_parse_tags(pf.payload, pf.payload_len, &tg) == 0 && tg.cookie.present) {
			memcpy(cookie, tg.cookie.p, tg.cookie.len);
			return tg.cookie.len;
		}
	}
	return 0;
}

/* PADR with a fresh Host-Uniq: the PADS's session id, 0 if none. */
static uint16_t padr(struct t *t, const uint8_t *mac, uint32_t hu_n, const uint8_t *cookie, size_t clen, uint64_t now)
{
	uint8_t buf[UPPP_PPPOE_FRAME_MAX], hu[4];
	size_t before = t->fk.n_frames;

	uppp_put_be32(hu, hu_n);
	uppp_ac_input(t->ac, buf, mk_padr(buf, mac, hu, 4, cookie, clen), now);
	for (size_t i = before; i < t->fk.n_frames; i++) {
		struct uppp_pppoe_frame pf;
		if (uppp_pppoe_parse(t->fk.frames[i], t->fk.lens[i], &pf) == 0 && pf.code == PPPOE_CODE_PADS)
			return pf.session_id;
	}
	return 0;
}

/* ---- rate limits ---- */

static void tune_padi(struct uppp_ac_config *c)
{
	c->padi_rate_per_mac = uppp_rate_per_s(5, 10);
	c->padi_rate = uppp_rate_per_s(100, 200);
}

static void padi_flood_from_one_mac_is_capped_and_spares_others(void **state)
{
	struct t *t = new_ac(tune_padi);
	uint8_t buf[UPPP_PPPOE_FRAME_MAX], a[6], b[6];
	(void)state;

	mac_n(a, 1);
	mac_n(b, 2);
	/* 10 000 PADIs in one second from A: the burst of 10, then 5/s. */
	for (unsigned i = 0; i < 10000; i++)
		uppp_ac_input(t->ac, buf, mk_padi(buf, a), 1000 + i / 10);
	assert_int_equal(count_code(&t->fk, PPPOE_CODE_PADO, 0), 10 + 5 - 1);
	const struct uppp_ac_counters *c = uppp_ac_counters(t->ac);
	assert_int_equal(c->padi_rx, 10000);
	assert_int_equal(c->pado_tx, 14);
	assert_int_equal(c->dropped_rate_limited, 10000 - 14);
	/* B, in the middle of it, is answered at once: A never touched the global bucket. */
	size_t before = t->fk.n_frames;
	uppp_ac_input(t->ac, buf, mk_padi(buf, b), 1999);
	assert_int_equal(count_code(&t->fk, PPPOE_CODE_PADO, before), 1);
	/* The warnings were rate limited too: ~10 lines a second, not 10 000. */
	assert_true(t->fk.n_warns <= WARN_BOUND(1));
	assert_true(c->logs_suppressed > 9000);
	free_ac(t);
}

static void padi_flood_from_many_macs_hits_the_global_bucket(void **state)
{
	struct t *t = new_ac(tune_padi);
	uint8_t buf[UPPP_PPPOE_FRAME_MAX], m[6];
	(void)state;

	for (unsigned i = 0; i < 5000; i++) {
		mac_n(m, 100 + i);
		uppp_ac_input(t->ac, buf, mk_padi(buf, m), 1000);
	}
	/* Every MAC is new (its own full bucket): the global burst bounds it. */
	assert_int_equal(uppp_ac_counters(t->ac)->pado_tx, 200);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_rate_limited, 4800);
	/* One second later 100 more tokens. */
	t->fk.n_frames = 0;
	for (unsigned i = 0; i < 5000; i++) {
		mac_n(m, 100 + i);
		uppp_ac_input(t->ac, buf, mk_padi(buf, m), 2000);
	}
	assert_int_equal(count_code(&t->fk, PPPOE_CODE_PADO, 0), 100);
	free_ac(t);
}

static void tune_padr(struct uppp_ac_config *c)
{
	c->padr_rate_per_mac = uppp_rate_per_s(2, 3);
	c->padr_rate = uppp_rate_per_s(50, 50);
}

static void padr_storm_with_valid_cookie_is_capped(void **state)
{
	struct t *t = new_ac(tune_padr);
	uint8_t cookie[64], a[6];
	(void)state;

	mac_n(a, 1);
	size_t clen = get_cookie(t, a, 1000, cookie);
	assert_int_equal(clen, 20);
	unsigned made = 0;
	for (unsigned i = 0; i < 1000; i++)
		made += padr(t, a, i, cookie, clen, 1000 + i) != 0;
	/* One second: 3 at once, then 2 per second. */
	assert_int_equal(made, 3 + 1);
	assert_int_equal(uppp_ac_session_count(t->ac), 4);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_rate_limited, 1000 - 4);
	free_ac(t);
}

static void padr_forged_cookie_flood_still_costs_one_lookup(void **state)
{
	struct t *t = new_ac(tune_padr);
	uint8_t cookie[20], a[6];
	(void)state;

	mac_n(a, 9);
	memset(cookie, 0x42, sizeof(cookie));
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(padr(t, a, i, cookie, sizeof(cookie), 5000), 0);
	/* Only the burst reaches the cookie check; the rest never get that far. */
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_bad_cookie, 3);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_rate_limited, 97);
	free_ac(t);
}

/* ---- the negotiation cap ---- */

static void tune_negotiating(struct uppp_ac_config *c) { c->max_negotiating = 3; }

static void sessions_in_negotiation_are_capped(void **state)
{
	struct t *t = new_ac(tune_negotiating);
	uint8_t cookie[64], m[6];
	(void)state;

	for (unsigned i = 0; i < 5; i++) {
		mac_n(m, 10 + i);
		size_t clen = get_cookie(t, m, 1000, cookie);
		uint16_t id = padr(t, m, i, cookie, clen, 1001);
		if (i < 3)
			assert_int_not_equal(id, 0);
		else
			assert_int_equal(id, 0);  /* silently dropped: the client will retransmit */
	}
	assert_int_equal(uppp_ac_negotiating_count(t->ac), 3);
	assert_int_equal(uppp_ac_session_count(t->ac), 3);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_negotiating, 2);
	assert_true(logged(&t->fk, "max-negotiating is 3"));
	/* The negotiations end (here: the LCP peer never answers, timers fire
	 * via shutdown); the count goes back to zero and the cap lifts. */
	uppp_ac_shutdown(t->ac, UPPP_CAUSE_ADMIN, 2000);
	assert_int_equal(uppp_ac_negotiating_count(t->ac), 0);
	mac_n(m, 99);
	size_t clen = get_cookie(t, m, 3000, cookie);
	assert_int_not_equal(padr(t, m, 1, cookie, clen, 3001), 0);
	free_ac(t);
}

/* ---- auth failures per MAC ---- */

/* Finds the last session frame sent with this PPP protocol and code. */
static const uint8_t *find_ppp(const struct fake *f, uint16_t proto, uint8_t code, size_t *len)
{
	for (size_t i = f->n_frames; i-- > 0;) {
		struct uppp_pppoe_frame pf;
		if (uppp_pppoe_parse(f->frames[i], f->lens[i], &pf) == 0 && pf.ethertype == ETH_P_PPPOE_SESS &&
		    pf.payload_len >= 6 && uppp_get_be16(pf.payload) == proto && pf.payload[2] == code) {
			*len = pf.payload_len;
			return pf.payload;
		}
	}
	return NULL;
}

static void send_ppp(struct t *t, const uint8_t *mac, uint16_t id, const uint8_t *ppp, size_t len, uint64_t now)
{
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	assert_int_equal(uppp_pppoe_build_session_hdr(buf, sizeof(buf), ac_mac, mac, id, len), 20);
	memcpy(buf + 20, ppp, len);
	uppp_ac_input(t->ac, buf, 20 + len, now);
}

/* One full login attempt from mac with PAP and a name nobody has a secret
 * for: discovery, LCP both ways, PAP Authenticate-Request. Returns false when
 * the AC would not even start (no PADO/PADS). */
static bool failed_login(struct t *t, const uint8_t *mac, uint32_t n, uint64_t now)
{
	uint8_t cookie[64], pkt[64];
	size_t clen = get_cookie(t, mac, now, cookie), len;
	if (!clen)
		return false;
	uint16_t id = padr(t, mac, n, cookie, clen, now + 1);
	if (!id)
		return false;
	/* Ack the AC's Configure-Request as it is. */
	const uint8_t *req = find_ppp(&t->fk, PPP_LCP, 1, &len);
	assert_non_null(req);
	memcpy(pkt, req, len);
	pkt[2] = 2;
	send_ppp(t, mac, id, pkt, len, now + 2);
	/* Our own Configure-Request: no options. */
	const uint8_t cr[] = { 0xc0, 0x21, 1, 0x77, 0, 4 };
	send_ppp(t, mac, id, cr, sizeof(cr), now + 3);
	/* PAP Authenticate-Request: peer-id "eve", password "x". */
	const uint8_t pap[] = { 0xc0, 0x23, 1, 1, 0, 10, 3, 'e', 'v', 'e', 1, 'x' };
	unsigned downs = t->fk.downs;
	send_ppp(t, mac, id, pap, sizeof(pap), now + 4);
	/* The AC ends it (Terminate-Request; answer it so the end is immediate). */
	const uint8_t *tr = find_ppp(&t->fk, PPP_LCP, 5, &len);
	if (tr && t->fk.downs == downs) {
		memcpy(pkt, tr, 6);
		pkt[2] = 6;
		pkt[4] = 0;
		pkt[5] = 4;
		send_ppp(t, mac, id, pkt, 6, now + 5);
	}
	assert_int_equal(t->fk.downs, downs + 1);
	assert_int_equal(t->fk.last_cause, UPPP_CAUSE_AUTH_NO_SECRET);
	return true;
}

static void tune_auth(struct uppp_ac_config *c)
{
	c->ppp.auth = UPPP_AUTH_PAP;
	c->auth_fail_per_mac.tokens = 3;
	c->auth_fail_per_mac.period_ms = 60000;
	c->auth_fail_per_mac.burst = 3;
}

static void auth_failures_limit_the_mac(void **state)
{
	struct t *t = new_ac(tune_auth);
	uint8_t a[6], b[6], cookie[64];
	(void)state;

	mac_n(a, 1);
	mac_n(b, 2);
	assert_true(failed_login(t, a, 1, 10000));
	assert_true(failed_login(t, a, 2, 10100));
	assert_true(failed_login(t, a, 3, 10200));
	assert_int_equal(uppp_ac_counters(t->ac)->auth_failures, 3);
	assert_true(logged(&t->fk, "event=auth-limited"));
	/* The fourth attempt gets no PADO (and a PADR with an old cookie no PADS). */
	assert_int_equal(get_cookie(t, a, 10300, cookie), 0);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_auth_limited, 1);
	assert_true(logged(&t->fk, "retry_in_s=20"));
	/* Another MAC is not affected. */
	assert_true(failed_login(t, b, 1, 10400));
	/* 20 s after the first failure (counted when the Authenticate-Request
	 * was refused, at 10004) one token is back: one more try, then
	 * silence again. */
	assert_int_equal(get_cookie(t, a, 30003, cookie), 0);
	assert_true(failed_login(t, a, 4, 30004));
	assert_int_equal(get_cookie(t, a, 30100, cookie), 0);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_auth_limited, 3);
	free_ac(t);
}

/* ---- spoofing ---- */

static void group_source_macs_dropped_and_counted(void **state)
{
	struct t *t = new_ac(NULL);
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	(void)state;

	uppp_ac_input(t->ac, buf, mk_padi(buf, mcast), 1000);
	uppp_ac_input(t->ac, buf, mk_padi(buf, bcast), 1000);
	/* a session frame from a group address, too */
	assert_int_equal(uppp_pppoe_build_session_hdr(buf, sizeof(buf), ac_mac, mcast, 1, 6), 20);
	uppp_ac_input(t->ac, buf, 26, 1000);
	assert_int_equal(t->fk.n_frames, 0);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_bad_source, 3);
	assert_int_equal(uppp_ac_counters(t->ac)->padi_rx, 0);
	free_ac(t);
}

/* A PADT or LCP Terminate-Request naming a live session but sent from
 * another MAC (or with another id) does nothing to it; the peer's PADT ends
 * it, and frames after that are for an unknown session. */
static void padt_and_term_req_only_from_the_peer(void **state)
{
	struct t *t = new_ac(NULL);
	uint8_t buf[UPPP_PPPOE_FRAME_MAX], cookie[64], a[6], e[6];
	const uint8_t term_req[] = { 0xc0, 0x21, 5, 9, 0, 4 };
	(void)state;

	mac_n(a, 1);
	mac_n(e, 0xee);
	size_t clen = get_cookie(t, a, 1000, cookie);
	uint16_t id = padr(t, a, 1, cookie, clen, 1001);
	assert_int_not_equal(id, 0);
	int n = uppp_pppoe_build_padt(buf, sizeof(buf), ac_mac, e, id, "spoofed");
	uppp_ac_input(t->ac, buf, (size_t)n, 1100);
	send_ppp(t, e, id, term_req, sizeof(term_req), 1200);
	send_ppp(t, a, (uint16_t)(id ^ 1), term_req, sizeof(term_req), 1300);  /* right MAC, wrong id */
	assert_int_equal(uppp_ac_session_count(t->ac), 1);
	assert_int_equal(t->fk.downs, 0);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_unknown_session, 3);
	/* The peer itself: its PADT ends the session. */
	n = uppp_pppoe_build_padt(buf, sizeof(buf), ac_mac, a, id, NULL);
	uppp_ac_input(t->ac, buf, (size_t)n, 1400);
	assert_int_equal(t->fk.downs, 1);
	assert_int_equal(t->fk.last_cause, UPPP_CAUSE_PEER_PADT);
	/* Frames after the end: unknown session. */
	send_ppp(t, a, id, term_req, sizeof(term_req), 1500);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_unknown_session, 4);
	free_ac(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(padi_flood_from_one_mac_is_capped_and_spares_others),
		cmocka_unit_test(padi_flood_from_many_macs_hits_the_global_bucket),
		cmocka_unit_test(padr_storm_with_valid_cookie_is_capped),
		cmocka_unit_test(padr_forged_cookie_flood_still_costs_one_lookup),
		cmocka_unit_test(sessions_in_negotiation_are_capped),
		cmocka_unit_test(auth_failures_limit_the_mac),
		cmocka_unit_test(group_source_macs_dropped_and_counted),
		cmocka_unit_test(padt_and_term_req_only_from_the_peer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
