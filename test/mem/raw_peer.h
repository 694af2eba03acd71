/* raw_peer.h — an access concentrator in memory driven by a scripted peer
 * that writes raw frames (for test/mem tests that need packets no real
 * client engine would send: Windows quirks, hostile or failing peers).
 *
 * Everything the AC sends is kept in `out`; helpers find the next frame of
 * a kind and fail the test when it is not there. A virtual clock fires the
 * AC's timers in order. Header-only (static functions): each
 * test file that includes it is one executable. */
#ifndef UPPP_TEST_RAW_PEER_H
#define UPPP_TEST_RAW_PEER_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "proto/ac.h"
#include "proto/pppoe.h"

#include "mem/ac_host.h"

/* helpers a test may not use */
#define RP_FN static __attribute__((unused))

#define RP_OUT_MAX 512
#define RP_LOG_MAX 1024
#define RP_LOG_LEN 600

struct rp_frame {
	size_t len;
	bool taken;
	bool in_fb;              /* sent from the host's frame buffer (rp.fb) */
	uint8_t b[UPPP_PPPOE_FRAME_MAX];
};

struct rp {
	uint64_t now, rng;
	bool verbose;
	struct uppp_ac_config cfg;
	struct uppp_ac *ac;

	struct rp_frame out[RP_OUT_MAX];
	size_t n_out;
	char logs[RP_LOG_MAX][RP_LOG_LEN];
	unsigned n_log;

	/* host side */
	struct uppp_ac_session *sess;
	unsigned ups, downs;
	enum uppp_cause cause;
	struct uppp_ppp_link link;
	uint32_t next_ip;
	int assign_err;          /* assign_address returns this when not 0 */
	int up_err;              /* session_up returns this when not 0 */
	bool pool_full;          /* can_accept says no */
	uint8_t *fb;             /* frame_buffer returns this (NULL: the AC's own buffer) */
	unsigned leased, released;

	/* the scripted peer */
	uint8_t mac[6];
	uint16_t sid;
	uint8_t cookie[64];
	size_t cookie_len;
	uint8_t lcp_id;
};

static const uint8_t rp_ac_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };
static const uint8_t rp_peer_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

RP_FN int rp_random(void *ctx, void *buf, size_t len)
{
	struct rp *r = ctx;
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++) {
		r->rng ^= r->rng << 13;
		r->rng ^= r->rng >> 7;
		r->rng ^= r->rng << 17;
		p[i] = (uint8_t)(r->rng >> 11);
	}
	return 0;
}

RP_FN void rp_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct rp *r = ctx;
	assert_true(r->n_out < RP_OUT_MAX);
	assert_true(len <= UPPP_PPPOE_FRAME_MAX);
	r->out[r->n_out].len = len;
	r->out[r->n_out].taken = false;
	r->out[r->n_out].in_fb = r->fb != NULL && frame == r->fb;
	memcpy(r->out[r->n_out].b, frame, len);
	r->n_out++;
}

RP_FN void rp_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
RP_FN void rp_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
{
	struct rp *r = ctx;
	va_list ap;
	(void)level;
	assert_true(r->n_log < RP_LOG_MAX);
	va_start(ap, fmt);
	vsnprintf(r->logs[r->n_log], RP_LOG_LEN, fmt, ap);
	va_end(ap);
	if (r->verbose)
		fprintf(stderr, "[%6llu] %s\n", (unsigned long long)r->now, r->logs[r->n_log]);
	r->n_log++;
}

/* the engine's logger: every level, each line as one "%s" */
RP_FN void rp_emit(void *ud, enum uppp_log_level level, const char *line)
{
	rp_log(ud, level, "%s", line);
}

RP_FN int rp_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	static const struct ac_secret secrets[] = {
		{ "alice", "wonderland" },
		{ "WORKGROUP\\bob", "builder" },
	};
	(void)ctx;
	return ac_secret_lookup(secrets, sizeof(secrets) / sizeof(secrets[0]), peer, secret, cap, len);
}

RP_FN int rp_assign(void *ctx, struct uppp_ac_session *s, const char *peer, uint32_t serial, uint32_t *ip)
{
	struct rp *r = ctx;
	(void)serial;
	(void)s;
	(void)peer;
	if (r->assign_err)
		return r->assign_err;
	*ip = r->next_ip++;
	r->leased++;
	return 0;
}

RP_FN void rp_release(void *ctx, struct uppp_ac_session *s, uint32_t ip)
{
	(void)s;
	(void)ip;
	((struct rp *)ctx)->released++;
}

RP_FN int rp_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link)
{
	struct rp *r = ctx;
	if (r->up_err)
		return r->up_err;
	r->ups++;
	r->sess = s;
	r->link = *link;
	return 0;
}

RP_FN void rp_down(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct rp *r = ctx;
	r->downs++;
	r->cause = cause;
	if (r->sess == s)
		r->sess = NULL;
}

RP_FN bool rp_can_accept(void *ctx) { return !((struct rp *)ctx)->pool_full; }
RP_FN uint8_t *rp_frame_buffer(void *ctx) { return ((struct rp *)ctx)->fb; }

static const struct uppp_ac_ops rp_ops = {
	.send_frame = rp_send, .random = rp_random,
	.get_secret = rp_get_secret, .assign_address = rp_assign, .release_address = rp_release,
	.session_up = rp_up, .session_down = rp_down, .can_accept = rp_can_accept,
	.frame_buffer = rp_frame_buffer,
};

/* A world with the AC configured like a small pppoe-server (the caller may
 * change r->cfg, then calls rp_start). */
RP_FN struct rp *rp_new(enum uppp_auth_method auth)
{
	struct rp *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->rng = 0x9e3779b97f4a7c15ull;
	r->verbose = getenv("UPPP_TEST_VERBOSE") != NULL;
	r->next_ip = 0x0a000002;
	memcpy(r->mac, rp_peer_mac, 6);
	memcpy(r->cfg.mac, rp_ac_mac, 6);
	r->cfg.ac_name = "uppp-test";
	r->cfg.max_sessions = 4;
	uppp_ppp_config_defaults(&r->cfg.ppp);
	r->cfg.ppp.auth = auth;
	r->cfg.ppp.name = "uppp";
	r->cfg.ppp.local_ip = 0x0a000001;
	r->cfg.ppp.dns[0] = 0x0a000001;
	r->cfg.ppp.dns[1] = 0x08080808;
	r->cfg.ppp.echo_interval_ms = 10000;
	r->cfg.ppp.echo_failure = 3;
	r->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = rp_emit, .ud = r };
	return r;
}

RP_FN void rp_start(struct rp *r)
{
	r->ac = uppp_ac_new(&r->cfg, &rp_ops, r);
	assert_non_null(r->ac);
}

RP_FN void rp_free(struct rp *r)
{
	uppp_ac_free(r->ac);
	free(r);
}

/* Fires every AC timer due up to now + ms, in order. */
RP_FN void rp_run(struct rp *r, uint64_t ms)
{
	ac_run_until(r->ac, &r->now, r->now + ms);
}

/* ---- log ---- */

RP_FN const char *rp_log_find(const struct rp *r, const char *needle)
{
	for (unsigned i = 0; i < r->n_log; i++)
		if (strstr(r->logs[i], needle))
			return r->logs[i];
	return NULL;
}

RP_FN unsigned rp_log_count(const struct rp *r, const char *needle)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->n_log; i++)
		n += strstr(r->logs[i], needle) != NULL;
	return n;
}

/* ---- frames from the peer ---- */

RP_FN void rp_inject(struct rp *r, uint8_t *frame, size_t len)
{
	uppp_ac_input(r->ac, frame, len, r->now);
}

/* A discovery frame with raw tags (type, len, value...) already encoded. */
RP_FN void rp_disc(struct rp *r, uint8_t code, uint16_t sid, const uint8_t *tags, size_t tlen)
{
	uint8_t f[UPPP_PPPOE_FRAME_MAX];
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct uppp_writer w = uppp_writer(f, sizeof(f));

	uppp_wr_bytes(&w, code == PPPOE_CODE_PADI ? bcast : r->cfg.mac, 6);
	uppp_wr_bytes(&w, r->mac, 6);
	uppp_wr_be16(&w, ETH_P_PPPOE_DISC);
	uppp_wr_u8(&w, 0x11);
	uppp_wr_u8(&w, code);
	uppp_wr_be16(&w, sid);
	uppp_wr_be16(&w, (uint16_t)tlen);
	uppp_wr_bytes(&w, tags, tlen);
	assert_true(uppp_wr_ok(&w));
	rp_inject(r, f, w.len);
}

/* One PPP packet (protocol, then the information field) in our session. */
RP_FN void rp_ppp(struct rp *r, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t f[UPPP_PPPOE_FRAME_MAX];
	int hl = uppp_pppoe_build_session_hdr(f, sizeof(f), r->cfg.mac, r->mac, r->sid, len + 2);
	assert_int_equal(hl, UPPP_PPPOE_SESSION_HLEN);
	uppp_put_be16(f + hl, proto);
	memcpy(f + hl + 2, info, len);
	rp_inject(r, f, (size_t)hl + 2 + len);
}

/* A control packet: code, id, then data; the length field is filled in. */
RP_FN void rp_cp(struct rp *r, uint16_t proto, uint8_t code, uint8_t id, const uint8_t *data, size_t dlen)
{
	uint8_t info[1500];
	assert_true(dlen + 4 <= sizeof(info));
	info[0] = code;
	info[1] = id;
	uppp_put_be16(info + 2, (uint16_t)(dlen + 4));
	if (dlen)
		memcpy(info + 4, data, dlen);
	rp_ppp(r, proto, info, dlen + 4);
}

/* ---- frames from the AC ---- */

/* The next untaken discovery frame with this code, or NULL. */
RP_FN struct uppp_pppoe_frame *rp_find_disc(struct rp *r, uint8_t code, struct uppp_pppoe_frame *f)
{
	for (size_t i = 0; i < r->n_out; i++) {
		if (r->out[i].taken || uppp_pppoe_parse(r->out[i].b, r->out[i].len, f) ||
		    f->ethertype != ETH_P_PPPOE_DISC || f->code != code)
			continue;
		r->out[i].taken = true;
		return f;
	}
	return NULL;
}

/* The next untaken session packet of proto whose first byte (the code) is
 * code; returns its information field (code first) and length, or NULL. */
RP_FN const uint8_t *rp_find_ppp(struct rp *r, uint16_t proto, uint8_t code, size_t *len)
{
	struct uppp_pppoe_frame f;
	for (size_t i = 0; i < r->n_out; i++) {
		if (r->out[i].taken || uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f) ||
		    f.ethertype != ETH_P_PPPOE_SESS || f.payload_len < 3 || uppp_get_be16(f.payload) != proto ||
		    f.payload[2] != code)
			continue;
		r->out[i].taken = true;
		*len = f.payload_len - 2u;
		return f.payload + 2;
	}
	return NULL;
}

RP_FN const uint8_t *rp_expect_ppp(struct rp *r, uint16_t proto, uint8_t code, size_t *len)
{
	const uint8_t *p = rp_find_ppp(r, proto, code, len);
	if (!p)
		fail_msg("no protocol 0x%04x code %u from the AC", proto, code);
	return p;
}

RP_FN unsigned rp_count_ppp(const struct rp *r, uint16_t proto, uint8_t code)
{
	struct uppp_pppoe_frame f;
	unsigned n = 0;
	for (size_t i = 0; i < r->n_out; i++)
		if (uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f) == 0 && f.ethertype == ETH_P_PPPOE_SESS &&
		    f.payload_len >= 3 && uppp_get_be16(f.payload) == proto && f.payload[2] == code)
			n++;
	return n;
}

RP_FN unsigned rp_count_disc(const struct rp *r, uint8_t code)
{
	struct uppp_pppoe_frame f;
	unsigned n = 0;
	for (size_t i = 0; i < r->n_out; i++)
		if (uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f) == 0 && f.ethertype == ETH_P_PPPOE_DISC &&
		    f.code == code)
			n++;
	return n;
}

/* ---- scripted steps ---- */

/* PADI → PADO, with the given Host-Uniq; returns whether a PADO came. */
RP_FN bool rp_padi(struct rp *r, const char *service, uint32_t host_uniq)
{
	uint8_t tags[64];
	size_t sl = strlen(service), n = 0;
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;

	tags[n++] = 0x01, tags[n++] = 0x01, tags[n++] = 0, tags[n++] = (uint8_t)sl;
	memcpy(tags + n, service, sl);
	n += sl;
	tags[n++] = 0x01, tags[n++] = 0x03, tags[n++] = 0, tags[n++] = 4;
	uppp_put_be32(tags + n, host_uniq);
	n += 4;
	rp_disc(r, PPPOE_CODE_PADI, 0, tags, n);
	if (!rp_find_disc(r, PPPOE_CODE_PADO, &f))
		return false;
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_true(t.cookie.present && t.cookie.len <= sizeof(r->cookie));
	memcpy(r->cookie, t.cookie.p, t.cookie.len);
	r->cookie_len = t.cookie.len;
	return true;
}

/* PADR with the cookie → PADS; returns the session id (0: none). */
RP_FN uint16_t rp_padr(struct rp *r, const char *service, uint32_t host_uniq)
{
	uint8_t tags[128];
	size_t sl = strlen(service), n = 0;
	struct uppp_pppoe_frame f;

	tags[n++] = 0x01, tags[n++] = 0x01, tags[n++] = 0, tags[n++] = (uint8_t)sl;
	memcpy(tags + n, service, sl);
	n += sl;
	tags[n++] = 0x01, tags[n++] = 0x03, tags[n++] = 0, tags[n++] = 4;
	uppp_put_be32(tags + n, host_uniq);
	n += 4;
	tags[n++] = 0x01, tags[n++] = 0x04, tags[n++] = 0, tags[n++] = (uint8_t)r->cookie_len;
	memcpy(tags + n, r->cookie, r->cookie_len);
	n += r->cookie_len;
	rp_disc(r, PPPOE_CODE_PADR, 0, tags, n);
	if (!rp_find_disc(r, PPPOE_CODE_PADS, &f))
		return 0;
	r->sid = f.session_id;
	return f.session_id;
}

RP_FN void rp_discover(struct rp *r)
{
	assert_true(rp_padi(r, "", 0x0a0b0c0d));
	assert_int_not_equal(rp_padr(r, "", 0x0a0b0c0d), 0);
}

/* Acks the AC's pending Configure-Request of proto (echoing it). */
RP_FN void rp_ack_their_request(struct rp *r, uint16_t proto)
{
	size_t len;
	const uint8_t *req = rp_expect_ppp(r, proto, 1, &len);
	uint16_t plen = uppp_get_be16(req + 2);
	assert_true(plen >= 4 && plen <= len);
	rp_cp(r, proto, 2, req[1], req + 4, plen - 4u);
}

/* LCP: our request (MRU 1492, magic) acked, theirs acked. */
RP_FN void rp_lcp_open(struct rp *r)
{
	static const uint8_t opts[] = { 1, 4, 0x05, 0xd4, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d };
	size_t len;
	rp_cp(r, PPP_LCP, 1, ++r->lcp_id, opts, sizeof(opts));
	rp_expect_ppp(r, PPP_LCP, 2, &len);
	rp_ack_their_request(r, PPP_LCP);
}

/* IPCP: we ask for the address we will be given (10.0.0.2); both requests
 * acked. */
RP_FN void rp_ipcp_open(struct rp *r)
{
	static const uint8_t ok[] = { 3, 6, 10, 0, 0, 2 };
	size_t len;
	rp_cp(r, PPP_IPCP, 1, 1, ok, sizeof(ok));
	rp_expect_ppp(r, PPP_IPCP, 2, &len);
	rp_ack_their_request(r, PPP_IPCP);
}

/* PAP Authenticate-Request. */
/* rp_start, then discovery, LCP and IPCP to Opened with no authentication
 * (the config's auth none): one session up. */
RP_FN void rp_start_up(struct rp *r)
{
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_ipcp_open(r);
	assert_int_equal(r->ups, 1);
}

RP_FN void rp_pap(struct rp *r, const char *user, const char *password)
{
	uint8_t d[600];
	size_t ul = strlen(user), pl = strlen(password), n = 0;
	d[n++] = (uint8_t)ul;
	memcpy(d + n, user, ul);
	n += ul;
	d[n++] = (uint8_t)pl;
	memcpy(d + n, password, pl);
	n += pl;
	rp_cp(r, PPP_PAP, 1, 1, d, n);
}

#endif
