/* test/mem/deferred_world.h — an access concentrator whose host answers
 * later (the verify op and assign_address say -EINPROGRESS), wired frame to
 * frame with a uppp client through a 1 ms queue on a virtual clock
 * (mem/mem_world.h; running past its guard fails the test), for
 * test_deferred_*.c. The test plays the slow host: it looks at what the
 * peer sent (w->req) and calls uppp_ac_session_auth_verdict /
 * uppp_ac_session_address when it likes. Header-only (static, static inline). */
#ifndef UPPP_TEST_DEFERRED_WORLD_H
#define UPPP_TEST_DEFERRED_WORLD_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <nettle/md5.h>

#include "auth/mschapv2.h"
#include "core/buf.h"
#include "core/ppp_defs.h"
#include "proto/ac.h"
#include "proto/dial.h"
#include "proto/pppoe.h"

#include "mem/mem_world.h"

#define DW_LOGS 64

struct dw {
	uint64_t now, rng;
	bool verbose;
	struct mem_wire wire;

	/* access concentrator and its slow host */
	struct uppp_ac_config ac_cfg;
	struct uppp_ac *ac;
	bool async_verify;           /* verify says -EINPROGRESS (else -ENOSYS: the secrets judge) */
	bool async_address;          /* assign_address says -EINPROGRESS */
	bool answer_inside;          /* the host answers from inside verify / assign_address */
	bool answer_accept;          /* ... with this verdict */
	int verify_rc;               /* not 0: verify returns this (a host that failed) */
	unsigned verify_calls, assign_calls, leased, released, ac_ups, ac_downs;
	uint16_t sid;                /* the session verify / assign_address was asked for */
	uint32_t addr_serial;        /* the serial assign_address was given */
	enum uppp_cause ac_cause;
	struct uppp_ppp_link ac_link;
	uint32_t released_ip;
	/* the last request, copied */
	enum uppp_auth_method req_method;
	char req_user[256];
	uint8_t req_pw[256], req_challenge[16], req_response[49];
	size_t req_pw_len, req_response_len;
	uint8_t req_id;
	uint32_t req_serial;          /* its serial: the verdict names it */

	/* client */
	struct uppp_dial_config cl_cfg;
	struct uppp_dial *cl;
	unsigned cl_ups, cl_downs;
	enum uppp_cause cl_cause;
	struct uppp_ppp_link cl_link;
	unsigned cl_sent_auth;       /* PAP / CHAP packets the client sent */
	unsigned cl_sent_ipcp;       /* IPCP packets the client sent */

	/* auth_result events, in order */
	struct { enum uppp_auth_method method; bool accepted; enum uppp_cause cause; char user[1024];
		 unsigned ac_ups_before; } results[16];
	unsigned n_results;

	char logs[DW_LOGS][600];
	unsigned n_log;
};

/* the host's user database: what a RADIUS server would know */
static const char *const dw_users[][2] = { { "alice", "wonderland" }, { "bob", "builder" } };

static inline const char *dw_password_of(const char *user)
{
	for (size_t i = 0; i < sizeof(dw_users) / sizeof(dw_users[0]); i++)
		if (strcmp(dw_users[i][0], user) == 0)
			return dw_users[i][1];
	return NULL;
}

static void dw_random(struct dw *w, void *buf, size_t len) { mem_fill_random(&w->rng, buf, len); }

static void dw_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct dw *w = ud;
	(void)level;
	snprintf(w->logs[w->n_log++ % DW_LOGS], sizeof(w->logs[0]), "%s", line);
	if (w->verbose)
		fprintf(stderr, "[%8llu] %s\n", (unsigned long long)w->now, line);
}

static inline bool dw_log_seen(const struct dw *w, const char *needle)
{
	for (unsigned i = 0; i < DW_LOGS && i < w->n_log; i++)
		if (strstr(w->logs[i], needle))
			return true;
	return false;
}

static void dw_enqueue(struct dw *w, bool to_ac, const uint8_t *frame, size_t len)
{
	mem_wire_send(&w->wire, to_ac, w->now, frame, len);
}

/* ---- the AC's host ---- */

static void dw_ac_send(void *ctx, const uint8_t *frame, size_t len) { dw_enqueue(ctx, false, frame, len); }
static int dw_ac_random(void *ctx, void *buf, size_t len) { dw_random(ctx, buf, len); return 0; }

/* The secrets file: what judges when verify says -ENOSYS. */
static int dw_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	const char *pw = dw_password_of(peer);
	(void)ctx;
	if (!pw || strlen(pw) > cap)
		return -ENOENT;
	memcpy(secret, pw, strlen(pw));
	*len = strlen(pw);
	return 0;
}

static struct uppp_auth_verdict dw_judge(struct dw *w, char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1]);

static int dw_verify(void *ctx, struct uppp_ac_session *s, const struct uppp_auth_request *req)
{
	struct dw *w = ctx;

	w->verify_calls++;
	w->sid = uppp_ac_session_id(s);
	w->req_method = req->method;
	snprintf(w->req_user, sizeof(w->req_user), "%s", req->user);
	w->req_pw_len = req->password ? req->password_len : 0;
	if (w->req_pw_len)
		memcpy(w->req_pw, req->password, w->req_pw_len);
	w->req_id = req->id;
	w->req_serial = req->serial;
	if (req->challenge) {
		assert_int_equal(req->challenge_len, 16);
		memcpy(w->req_challenge, req->challenge, 16);
	}
	w->req_response_len = req->response ? req->response_len : 0;
	if (w->req_response_len) {
		assert_true(req->response_len <= sizeof(w->req_response));
		memcpy(w->req_response, req->response, req->response_len);
	}
	if (w->verify_rc)
		return w->verify_rc;
	if (!w->async_verify)
		return -ENOSYS;
	if (w->answer_inside) {
		/* a host that knows at once but answers through the same door:
		 * applied when the AC's call returns */
		char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
		struct uppp_auth_verdict v = dw_judge(w, sresp);
		v.accept = v.accept && w->answer_accept;
		assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
	}
	return -EINPROGRESS;
}

static int dw_assign(void *ctx, struct uppp_ac_session *s, const char *peer, uint32_t serial, uint32_t *ip)
{
	struct dw *w = ctx;
	(void)peer;
	w->addr_serial = serial;
	w->assign_calls++;
	w->sid = uppp_ac_session_id(s);
	if (w->async_address) {
		if (w->answer_inside)
			assert_int_equal(uppp_ac_session_address(w->ac, w->sid, w->addr_serial, 0, 0x0a000063, w->now), 0);
		return -EINPROGRESS;
	}
	*ip = 0x0a000002;
	w->leased++;
	return 0;
}

static void dw_release(void *ctx, struct uppp_ac_session *s, uint32_t ip)
{
	struct dw *w = ctx;
	(void)s;
	w->released++;
	w->released_ip = ip;
}

static int dw_ac_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link)
{
	struct dw *w = ctx;
	(void)s;
	w->ac_ups++;
	w->ac_link = *link;
	return 0;
}

static void dw_ac_down(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct dw *w = ctx;
	(void)s;
	w->ac_downs++;
	w->ac_cause = cause;
}

static void dw_auth_result(void *ctx, struct uppp_ac_session *s, const struct uppp_ac_auth_result *r)
{
	struct dw *w = ctx;
	(void)s;
	assert_true(w->n_results < sizeof(w->results) / sizeof(w->results[0]));
	w->results[w->n_results].method = r->method;
	w->results[w->n_results].accepted = r->accepted;
	w->results[w->n_results].cause = r->cause;
	w->results[w->n_results].ac_ups_before = w->ac_ups;
	snprintf(w->results[w->n_results].user, sizeof(w->results[0].user), "%s", r->user);
	w->n_results++;
}

static const struct uppp_ac_ops dw_ac_ops = {
	.send_frame = dw_ac_send, .random = dw_ac_random, .get_secret = dw_get_secret, .verify = dw_verify,
	.assign_address = dw_assign, .release_address = dw_release, .session_up = dw_ac_up,
	.session_down = dw_ac_down, .auth_result = dw_auth_result,
};

/* ---- the client ---- */

static void dw_cl_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct dw *w = ctx;
	struct uppp_pppoe_frame f;

	if (uppp_pppoe_parse(frame, len, &f) == 0 && f.ethertype == ETH_P_PPPOE_SESS && f.payload_len >= 2) {
		uint16_t proto = uppp_get_be16(f.payload);
		if (proto == PPP_PAP || proto == PPP_CHAP)
			w->cl_sent_auth++;
		if (proto == PPP_IPCP)
			w->cl_sent_ipcp++;
	}
	dw_enqueue(w, true, frame, len);
}

static int dw_cl_random(void *ctx, void *buf, size_t len) { dw_random(ctx, buf, len); return 0; }

static int dw_cl_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct dw *w = ctx;
	w->cl_ups++;
	w->cl_link = *link;
	return 0;
}

static void dw_cl_down(void *ctx, enum uppp_cause cause)
{
	struct dw *w = ctx;
	w->cl_downs++;
	w->cl_cause = cause;
}

static const struct uppp_dial_ops dw_cl_ops = {
	.send_frame = dw_cl_send, .random = dw_cl_random, .up = dw_cl_up,
	.down = dw_cl_down,
};

/* ---- the world ---- */

static struct dw *dw_new(enum uppp_auth_method auth, const char *user, const char *password)
{
	struct dw *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->rng = 0x9e3779b97f4a7c15ull;
	w->wire.guard_fails = true;
	w->verbose = getenv("UPPP_TEST_VERBOSE") != NULL;
	w->async_verify = true;
	w->answer_accept = true;

	mem_configs(&w->ac_cfg, &w->cl_cfg, auth, user, password);
	w->ac_cfg.auth_fail_per_mac = (struct uppp_rate){ 3, 60000, 3 };
	w->ac_cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = dw_emit, .ud = w };

	w->cl_cfg.ppp.negotiation_timeout_ms = 0;   /* only the AC's deadline is under test */
	w->cl_cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = dw_emit, .ud = w };
	return w;
}

/* Creates both engines (after the test changed the configs) and dials. */
static void dw_start(struct dw *w)
{
	mem_engines_new(&w->ac, &w->ac_cfg, &dw_ac_ops, &w->cl, &w->cl_cfg, &dw_cl_ops, w);
	uppp_dial_start(w->cl, w->now);
}

static void dw_free(struct dw *w)
{
	mem_engines_free(w->ac, w->cl);
	free(w);
}

/* Runs every frame and timer due up to `until`, in time order. */
static void dw_run_until(struct dw *w, uint64_t until) { mem_wire_run_until(&w->wire, &w->now, w->ac, w->cl, until); }

/* Runs until verify was called n times (or `limit` ms pass). */
static inline bool dw_run_until_verify(struct dw *w, unsigned n, uint64_t limit)
{
	uint64_t end = w->now + limit;
	while (w->now < end && w->verify_calls < n)
		dw_run_until(w, w->now + 1);
	return w->verify_calls >= n;
}

static inline bool dw_run_until_up(struct dw *w, uint64_t limit)
{
	uint64_t end = w->now + limit;
	while (w->now < end && !(w->ac_ups && w->cl_ups) && !w->cl_downs)
		dw_run_until(w, w->now + 1);
	return w->ac_ups && w->cl_ups;
}

/* What a RADIUS server would answer for the last request, from the user
 * database: PAP compares, CHAP-MD5 computes MD5(id, secret, challenge),
 * MS-CHAPv2 the NT-Response and the S= authenticator response (into sresp). */
static inline struct uppp_auth_verdict dw_judge(struct dw *w, char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1])
{
	struct uppp_auth_verdict v = { .serial = w->req_serial, .accept = false };
	const char *pw = dw_password_of(w->req_user);
	size_t pl = pw ? strlen(pw) : 0;

	if (!pw)
		return v;
	switch (w->req_method) {
	case UPPP_AUTH_PAP:
		v.accept = w->req_pw_len == pl && memcmp(w->req_pw, pw, pl) == 0;
		break;
	case UPPP_AUTH_CHAP_MD5: {
		struct md5_ctx c;
		uint8_t d[MD5_DIGEST_SIZE];
		md5_init(&c);
		md5_update(&c, 1, &w->req_id);
		md5_update(&c, pl, (const uint8_t *)pw);
		md5_update(&c, 16, w->req_challenge);
		md5_digest(&c, sizeof(d), d);
		v.accept = w->req_response_len == 16 && memcmp(d, w->req_response, 16) == 0;
		break;
	}
	case UPPP_AUTH_MSCHAPV2: {
		uint8_t nt[UPPP_MSCHAPV2_NT_RESPONSE_SIZE];
		size_t ul = strlen(w->req_user);
		assert_int_equal(w->req_response_len, 49);
		assert_int_equal(uppp_mschapv2_nt_response(w->req_challenge, w->req_response, (const uint8_t *)w->req_user,
							   ul, (const uint8_t *)pw, pl, nt), 0);
		v.accept = memcmp(nt, w->req_response + 24, sizeof(nt)) == 0;
		if (v.accept) {
			assert_int_equal(uppp_mschapv2_authenticator_response((const uint8_t *)pw, pl, nt, w->req_response,
									      w->req_challenge, (const uint8_t *)w->req_user,
									      ul, sresp), 0);
			v.mschapv2_success = sresp;
		}
		break;
	}
	default:
		break;
	}
	if (!v.accept)
		v.reason = "RADIUS Access-Reject";
	return v;
}

#endif
