/* proto/ac.c — the PPPoE access concentrator (RFC 2516 server side), sans-I/O.
 *
 * Discovery (PADI, PADR, PADT, the AC-Cookie) is in ac_discovery.c; here
 * are the sessions it creates. Each session embeds one PPPoE session
 * carrier (proto/pppoe_session.h) with its PPP engine; what the carrier
 * asks of its owner, and the engine's server ops (secrets, verdicts,
 * addresses), land here. Sessions are found by id in a hash
 * sized from max_sessions (O(1)), by peer MAC in a salted hash (limits,
 * duplicate PADRs), and by deadline in a binary min-heap of max_sessions
 * slots: the host keeps one timer for the whole AC. Everything but the
 * sessions is allocated at uppp_ac_new, through the config's allocator. A
 * session that ends is unlinked at once and freed when the outermost entry
 * point returns. */
#include "proto/ac_impl.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"
#include "proto/decode.h"

#define AC_MIN_ID_BUCKETS 16
#define WARN_LOG_PER_S 10           /* discovery warnings: 10 lines/s, bursts of 20 */
#define WARN_LOG_BURST 20

/* ---- logging ---- */

/* A discovery warning an attacker can trigger at will: at most
 * WARN_LOG_PER_S lines a second; the next line logged says how many were
 * left out. */
void uppp_ac_warn(struct uppp_ac *ac, const char *fmt, ...)
{
	const struct uppp_rate r = uppp_rate_per_s(WARN_LOG_PER_S, WARN_LOG_BURST);
	char msg[1024];
	va_list ap;

	if (!uppp_bucket_take(&ac->warn_log, &r, ac->now)) {
		ac->warn_suppressed++;
		ac->cnt.logs_suppressed++;
		return;
	}
	if (!uppp_logger_on(&ac->cfg->log, UPPP_LOG_WARN)) {
		ac->warn_suppressed = 0;
		return;
	}
	va_start(ap, fmt);
	if (!ac->warn_suppressed) {
		uppp_logger_vwrite(&ac->cfg->log, UPPP_LOG_WARN, NULL, fmt, ap);
	} else {  /* the count goes after the message: the one line formatted twice */
		vsnprintf(msg, sizeof(msg), fmt, ap);
		ac_log(ac, UPPP_LOG_WARN, "%s suppressed=%llu", msg, (unsigned long long)ac->warn_suppressed);
	}
	va_end(ap);
	ac->warn_suppressed = 0;
}

/* ---- helpers ---- */

size_t uppp_ac_mac_bucket(const struct uppp_ac *ac, const uint8_t mac[6])
{
	uint32_t h = 2166136261u ^ ac->mac_salt;
	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h & ac->mac_mask;
}

void uppp_ac_transmit(struct uppp_ac *ac, int len)
{
	if (len <= 0)
		return;
	if (ac->cfg->ppp.debug)
		uppp_pppoe_log_frame(&ac->cfg->log, "sent", ac->tx, (size_t)len, true);
	ac->ops->send_frame(ac->ctx, ac->tx, (size_t)len);
}

/* ---- session timers: one deadline heap (core/deadline_heap.h) ---- */

/* Puts s in the timer heap at deadline, moves it, or (UPPP_NO_DEADLINE)
 * takes it out. O(log n), never allocates and cannot fail: a live session
 * has at most one slot, live sessions are at most max_sessions
 * (limit_reason() refuses the PADR beyond) and the heap has max_sessions
 * slots. */
static void sess_set_deadline(struct uppp_ac_session *s, uint64_t deadline)
{
	int err = uppp_dheap_set(&s->ac->timers, &s->timer, deadline, s->ac->now);

	(void)err;
	assert(err == 0);
}

/* ---- session lifecycle ---- */

void uppp_ac_sess_link(struct uppp_ac *ac, struct uppp_ac_session *s)
{
	struct uppp_ac_session **id_bucket = &ac->by_id[s->ps.id & ac->id_mask];
	size_t b = uppp_ac_mac_bucket(ac, s->ps.peer_mac);

	uppp_dheap_entry_init(&s->timer);
	s->id_next = *id_bucket;
	*id_bucket = s;
	s->mac_next = ac->by_mac[b];
	ac->by_mac[b] = s;
	s->all_prev = NULL;
	s->all_next = ac->all;
	if (ac->all)
		ac->all->all_prev = s;
	ac->all = s;
	ac->n_sessions++;
}

static void sess_unlink(struct uppp_ac *ac, struct uppp_ac_session *s)
{
	struct uppp_ac_session **pp = &ac->by_mac[uppp_ac_mac_bucket(ac, s->ps.peer_mac)];
	while (*pp && *pp != s)
		pp = &(*pp)->mac_next;
	if (*pp)
		*pp = s->mac_next;
	pp = &ac->by_id[s->ps.id & ac->id_mask];
	while (*pp && *pp != s)
		pp = &(*pp)->id_next;
	if (*pp)
		*pp = s->id_next;
	if (s->all_prev)
		s->all_prev->all_next = s->all_next;
	else
		ac->all = s->all_next;
	if (s->all_next)
		s->all_next->all_prev = s->all_prev;
	ac->n_sessions--;
}

/* RFC 1994 §2.3 leaves the reaction to a failed authentication to the
 * implementation: we count each wrong secret against the peer's MAC when
 * the authenticator judges it (not when the session ends: a peer could end
 * it by PADT, silence or an MS-CHAPv2 retry and never be counted), and a MAC
 * out of tokens gets no PADO or PADS until one returns (discovery_allowed)
 * nor another try in the session it is in. Returns whether it may retry. */
static bool note_auth_failure(struct uppp_ac *ac, const struct uppp_ac_session *s)
{
	char mac[UPPP_MAC_STR_LEN];

	ac->cnt.auth_failures++;
	(void)uppp_rl_take(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac, s->ps.peer_mac, ac->now);
	if (uppp_rl_would_allow(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac, s->ps.peer_mac, ac->now))
		return true;
	uppp_ac_warn(ac, "mac=%s event=auth-limited reason=\"too many failed logins from this MAC\" retry_in_s=%llu",
		uppp_mac_str(s->ps.peer_mac, mac),
		(unsigned long long)((uppp_rl_wait_ms(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac,
						      s->ps.peer_mac, ac->now) + 999) / 1000));
	return false;
}

/* The engine's down(): the one place a session ends. */
void uppp_ac_sess_finish(struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct uppp_ac *ac = s->ac;
	const struct uppp_ppp_stats *st = uppp_ppp_stats(&s->ps.ppp);
	char why[UPPP_PPP_REASON_ESCAPED_MAX];
	const char *peer_reason =
		cause == UPPP_CAUSE_PEER_TERM_REQ ? uppp_ppp_peer_term_reason(&s->ps.ppp, why, sizeof(why)) : "";

	if (s->ps.dead)
		return;
	s->ps.dead = true;
	sess_set_deadline(s, UPPP_NO_DEADLINE);
	if (s->negotiating) {
		s->negotiating = false;
		ac->n_negotiating--;
	}
	if (uppp_pppoe_session_send_padt(&s->ps, cause))
		ac->cnt.padt_tx++;
	if (s->has_ip && ac->ops->release_address)
		ac->ops->release_address(ac->ctx, s, s->peer_ip);
	s->has_ip = false;
	sess_log(s, UPPP_LOG_INFO,
		 "event=session-end cause=%s reason=\"%s\"%s%s%s duration_s=%llu "
		 "rx_packets=%llu rx_bytes=%llu tx_packets=%llu tx_bytes=%llu",
		 uppp_cause_name(cause), uppp_cause_text(cause),
		 peer_reason[0] ? " peer_reason='" : "", peer_reason, peer_reason[0] ? "'" : "",
		 (unsigned long long)((ac->now - s->started) / 1000),
		 (unsigned long long)st->rx_packets, (unsigned long long)st->rx_bytes,
		 (unsigned long long)st->tx_packets, (unsigned long long)st->tx_bytes);
	if (ac->ops->session_down)
		ac->ops->session_down(ac->ctx, s, cause);
	ac->cnt.sessions_down++;
	ac->cnt.sessions_down_by_cause[(unsigned)cause < UPPP_CAUSE_COUNT ? cause : UPPP_CAUSE_NONE]++;
	sess_unlink(ac, s);
	s->dead_next = ac->dead;
	ac->dead = s;
}

/* After every call into a session's engine: run a close requested from a
 * callback, then move the session in the timer heap to the engine's next
 * deadline (the host re-arms its one timer from uppp_ac_next_deadline). */
void uppp_ac_sess_settle(struct uppp_ac_session *s)
{
	uint64_t d = uppp_pppoe_session_settle(&s->ps, s->ac->now);

	if (s->ps.dead)
		return;
	if (uppp_dheap_contains(&s->timer) ? d != s->timer.deadline : d != UPPP_NO_DEADLINE)
		sess_set_deadline(s, d);
}

/* Terminate-Request and PADT now, down before returning (shutdown, close). */
static void sess_close_now(struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct uppp_ac *ac = s->ac;

	uppp_ppp_close(&s->ps.ppp, cause, ac->now);   /* Terminate-Request */
	if (!s->ps.dead)
		uppp_ppp_lower_down(&s->ps.ppp, cause, ac->now);  /* → down(): PADT, session_down */
	if (!s->ps.dead)
		uppp_ac_sess_finish(s, cause);
}

static void ac_enter(struct uppp_ac *ac, uint64_t now)
{
	ac->depth++;
	ac->now = now;
}

/* Leaving the outermost entry point: the closes asked for from callbacks
 * (each may ask for more), then the frees. */
static void apply_queued_answers(struct uppp_ac_session *s);

static void ac_leave(struct uppp_ac *ac)
{
	while (ac->depth == 1 && (ac->closing || ac->answers)) {
		if (ac->answers) {
			struct uppp_ac_session *a = ac->answers;
			ac->answers = a->answer_next;
			a->answer_next = NULL;
			a->answer_queued = false;
			apply_queued_answers(a);
			continue;
		}
		struct uppp_ac_session *s = ac->closing;
		enum uppp_cause cause = s->admin_cause;
		ac->closing = s->close_next;
		s->close_next = NULL;
		s->admin_cause = UPPP_CAUSE_NONE;
		if (!s->ps.dead)
			sess_close_now(s, cause);
	}
	if (--ac->depth)
		return;
	while (ac->dead) {
		struct uppp_ac_session *s = ac->dead;
		ac->dead = s->dead_next;
		uppp_ac_sess_free(ac, s);
	}
}

void uppp_ac_sess_free(struct uppp_ac *ac, struct uppp_ac_session *s)
{
	uppp_ppp_release(&s->ps.ppp);   /* given back at down() already; a session never opened */
	if (s->tmpl && --s->tmpl->refs == 0)
		uppp_mem_free(ac->alloc, s->tmpl, 1, s->tmpl->size);
	if (s->lease_name)
		uppp_mem_free(ac->alloc, s->lease_name, strlen(s->lease_name) + 1, 1);
	uppp_mem_free(ac->alloc, s->verdict, 1, sizeof(*s->verdict));
	uppp_mem_free(ac->alloc, s, 1, ac_sess_size(s));
}

/* ---- what a session's carrier asks of the AC (proto/pppoe_session.h) ---- */

static void sess_send_frame(struct uppp_pppoe_session *ps, const uint8_t *frame, size_t len)
{
	struct uppp_ac *ac = ac_sess_of(ps)->ac;
	ac->ops->send_frame(ac->ctx, frame, len);
}

static void sess_deliver_ip(struct uppp_pppoe_session *ps, uint8_t *pkt, size_t len)
{
	struct uppp_ac_session *s = ac_sess_of(ps);
	if (s->ac->ops->deliver_ip)
		s->ac->ops->deliver_ip(s->ac->ctx, s, pkt, len);
}

static int sess_random(struct uppp_pppoe_session *ps, void *buf, size_t len)
{
	struct uppp_ac *ac = ac_sess_of(ps)->ac;
	return ac->ops->random(ac->ctx, buf, len);
}

static enum uppp_cause sess_up(struct uppp_pppoe_session *ps, const struct uppp_ppp_link *link)
{
	struct uppp_ac_session *s = ac_sess_of(ps);
	struct uppp_ac *ac = s->ac;
	int err = ac->ops->session_up ? ac->ops->session_up(ac->ctx, s, link) : 0;

	if (err) {
		/* out of memory on the host is no interface problem */
		enum uppp_cause c = err == -ENOMEM ? UPPP_CAUSE_HOST_ERROR : UPPP_CAUSE_INTERFACE;
		sess_log(s, UPPP_LOG_ERR, "event=interface-failed error=%d reason=\"%s\"", err, uppp_cause_text(c));
		return c;
	}
	if (s->negotiating) {
		s->negotiating = false;
		ac->n_negotiating--;
	}
	if (!s->was_up)   /* up() again after a renegotiation: the same session */
		ac->cnt.sessions_up++;
	s->was_up = true;
	return UPPP_CAUSE_NONE;
}

static void sess_down(struct uppp_pppoe_session *ps, enum uppp_cause cause)
{
	uppp_ac_sess_finish(ac_sess_of(ps), cause);
}

static uint8_t *sess_tx_buffer(struct uppp_pppoe_session *ps)
{
	struct uppp_ac *ac = ac_sess_of(ps)->ac;
	uint8_t *b = ac->ops->frame_buffer ? ac->ops->frame_buffer(ac->ctx) : NULL;

	return b ? b : ac->tx;
}

static const struct uppp_logger *sess_logger(struct uppp_pppoe_session *ps)
{
	return &ac_sess_of(ps)->ac->cfg->log;
}

const struct uppp_pppoe_session_ops uppp_ac_sess_carrier_ops = {
	.is_server = true,
	.name_peer_mac = true,
	.tx_buffer = sess_tx_buffer,
	.logger = sess_logger,
	.send_frame = sess_send_frame,
	.deliver_ip = sess_deliver_ip,
	.random = sess_random,
	.up = sess_up,
	.down = sess_down,
};

/* ---- the PPP engine's server ops for a session (ctx = &s->ps) ---- */

static int sess_ppp_get_secret(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len)
{
	struct uppp_ac_session *s = ac_sess_of(ctx);
	if (!s->ac->ops->get_secret)
		return -ENOENT;
	return s->ac->ops->get_secret(s->ac->ctx, peer_name, secret, cap, len);
}

static int sess_ppp_check_password(void *ctx, const char *user, const uint8_t *pw, size_t len, char *why,
				   size_t whycap)
{
	struct uppp_ac_session *s = ac_sess_of(ctx);
	if (!s->ac->ops->check_password)
		return -ENOSYS;  /* PAP compares with get_secret() */
	return s->ac->ops->check_password(s->ac->ctx, user, pw, len, why, whycap);
}

/* The host's auth_result event: one per judgement. */
static void report_auth(struct uppp_ac_session *s, bool accepted, enum uppp_cause cause, const char *user)
{
	struct uppp_ac_auth_result r = {
		.method = s->ps.ppp.auth_proto, .accepted = accepted, .cause = cause, .user = user,
	};

	if (!s->ps.dead && s->ac->ops->auth_result)
		s->ac->ops->auth_result(s->ac->ctx, s, &r);
}

/* Wrong or unknown secrets count; a `login` refusal by policy (the secret
 * may have been right) does not. */
static bool sess_ppp_auth_failed(void *ctx, enum uppp_cause cause, const char *user)
{
	struct uppp_ac_session *s = ac_sess_of(ctx);

	if (s->ps.ppp.auth_proto < 4)
		s->ac->cnt.auth_refused[s->ps.ppp.auth_proto]++;
	report_auth(s, false, cause, user);
	if (s->ps.dead || (cause != UPPP_CAUSE_AUTH_BAD_SECRET && cause != UPPP_CAUSE_AUTH_NO_SECRET))
		return true;
	return note_auth_failure(s->ac, s);
}

static void sess_ppp_auth_accepted(void *ctx, enum uppp_auth_method method, const char *peer_name)
{
	struct uppp_ac_session *s = ac_sess_of(ctx);
	char user[UPPP_ESCAPED_MAX];

	(void)method;  /* the session's own, as report_auth reads it */
	if (s->ps.ppp.auth_proto < 4)
		s->ac->cnt.auth_accepted[s->ps.ppp.auth_proto]++;
	if (!s->ac->ops->auth_result)
		return;
	uppp_escape((const uint8_t *)peer_name, strlen(peer_name), user, sizeof(user));
	report_auth(s, true, UPPP_CAUSE_NONE, user);
}

/* The lease's name becomes name (a copy of its length: the whole of the
 * peer's name is at most UPPP_AUTH_NAME_MAX bytes). */
static void sess_set_lease_name(struct uppp_ac_session *s, char *name)
{
	if (s->lease_name)
		uppp_mem_free(s->ac->alloc, s->lease_name, strlen(s->lease_name) + 1, 1);
	s->lease_name = name;
}

static int sess_ppp_assign_address(void *ctx, const char *peer_name, uint32_t serial, uint32_t *peer_ip)
{
	struct uppp_ac_session *s = ac_sess_of(ctx);
	struct uppp_ac *ac = s->ac;
	size_t name_len = strnlen(peer_name, UPPP_AUTH_NAME_MAX);
	char *name;
	int err;

	if (s->has_ip && strcmp(s->lease_name, peer_name) == 0) {
		/* IPCP restarted, or LCP renegotiated and the same user
		 * authenticated again: keep the lease we already hold */
		*peer_ip = s->peer_ip;
		return 0;
	}
	if (s->has_ip) {
		/* re-authenticated as someone else: the first user's address
		 * (perhaps their fixed one) is not theirs to keep */
		char was[UPPP_ESCAPED_MAX], now[UPPP_ESCAPED_MAX];
		uppp_escape((const uint8_t *)s->lease_name, strlen(s->lease_name), was, sizeof(was));
		uppp_escape((const uint8_t *)peer_name, strlen(peer_name), now, sizeof(now));
		sess_log(s, UPPP_LOG_INFO, "event=lease-released user='%s' new_user='%s' "
			 "reason=\"re-authenticated as another user\"", was, now);
		s->has_ip = false;
		if (ac->ops->release_address)
			ac->ops->release_address(ac->ctx, s, s->peer_ip);
	}
	/* room for the lease's name before the host is asked: no memory,
	 * nothing asked, nothing to give back; the session ends */
	name = uppp_mem_calloc(ac->alloc, name_len + 1, 1);
	if (!name) {
		sess_log(s, UPPP_LOG_ERR, "event=no-memory reason=\"%s\" detail=\"no room for the lease's user name\"",
			 uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
		if (s->ps.close_pending == UPPP_CAUSE_NONE)
			s->ps.close_pending = UPPP_CAUSE_HOST_ERROR;
		return -EINPROGRESS;   /* IPCP waits; the close comes when the engine returns */
	}
	memcpy(name, peer_name, name_len);
	if (s->verdict_ip) {
		/* the accepting verdict carried the address (RADIUS
		 * Framed-IP-Address): no second question */
		*peer_ip = s->verdict_ip;
		s->verdict_ip = 0;
		err = 0;
	} else if (!ac->ops->assign_address) {
		err = -ENOSPC;
	} else {
		err = ac->ops->assign_address(ac->ctx, s, peer_name, serial, peer_ip);
	}
	if (err == -EINPROGRESS || err == 0) {
		/* the lease is (or, when uppp_ac_session_address() answers,
		 * will be) for this name */
		sess_set_lease_name(s, name);
		name = NULL;
	}
	if (err == 0) {
		s->peer_ip = *peer_ip;
		s->has_ip = true;
	}
	if (name)
		uppp_mem_free(ac->alloc, name, name_len + 1, 1);
	return err;
}

static int sess_ppp_verify(void *ctx, const struct uppp_auth_request *req)
{
	struct uppp_ac_session *s = ac_sess_of(ctx);
	if (s->ps.dead || !s->ac->ops->verify)
		return -ENOSYS;  /* the secrets judge */
	return s->ac->ops->verify(s->ac->ctx, s, req);
}

/* The engine's memory held for a while (authentication), through the AC's
 * allocator like the session itself. */
static void *sess_ppp_alloc(void *ctx, size_t size)
{
	return uppp_mem_calloc(ac_sess_of(ctx)->ac->alloc, 1, size);
}

static void sess_ppp_free(void *ctx, void *p, size_t size)
{
	uppp_mem_free(ac_sess_of(ctx)->ac->alloc, p, 1, size);
}

const struct uppp_ppp_ops uppp_ac_sess_ppp_ops = {
	UPPP_PPPOE_SESSION_PPP_OPS,   /* send, deliver_ip, random, up, down: the carrier's */
	.alloc = sess_ppp_alloc,
	.free = sess_ppp_free,
	.get_secret = sess_ppp_get_secret,
	.check_password = sess_ppp_check_password,
	.auth_failed = sess_ppp_auth_failed,
	.auth_accepted = sess_ppp_auth_accepted,
	.verify = sess_ppp_verify,
	.assign_address = sess_ppp_assign_address,
};

/* ---- public API ---- */

/* Gives back what uppp_ac_new took (each part may be missing). */
static void ac_release_memory(struct uppp_ac *ac)
{
	const struct uppp_allocator *a = ac->alloc;

	uppp_rl_destroy(&ac->padi_mac);
	uppp_rl_destroy(&ac->padr_mac);
	uppp_rl_destroy(&ac->authfail_mac);
	uppp_mem_free(a, ac->timer_slots, ac->max_sessions, sizeof(*ac->timer_slots));
	uppp_mem_free(a, ac->by_id, ac->id_mask + 1, sizeof(*ac->by_id));
	uppp_mem_free(a, ac->by_mac, ac->mac_mask + 1, sizeof(*ac->by_mac));
	uppp_mem_free(a, ac, 1, sizeof(*ac));
}

struct uppp_ac *uppp_ac_new(const struct uppp_ac_config *cfg, const struct uppp_ac_ops *ops, void *ctx)
{
	struct uppp_ac *ac = uppp_mem_calloc(cfg->alloc, 1, sizeof(*ac));
	size_t rate_sets = cfg->rate_sets ? cfg->rate_sets : UPPP_AC_RATE_SETS;
	size_t buckets = AC_MIN_ID_BUCKETS;
	uint8_t salt[4];

	if (!ac)
		return NULL;
	ac->alloc = cfg->alloc;
	ac->cfg = cfg;
	ac->ops = ops;
	ac->ctx = ctx;
	ac->max_sessions = cfg->max_sessions && cfg->max_sessions < UPPP_AC_MAX_SESSIONS ? cfg->max_sessions
											 : UPPP_AC_MAX_SESSIONS;
	while (buckets < ac->max_sessions)
		buckets *= 2;
	ac->id_mask = buckets - 1;
	ac->mac_mask = buckets - 1;   /* as many as the id hash: chains of one on average at full load */
	if (ops->random(ctx, ac->cookie_key, sizeof(ac->cookie_key)) < 0 ||
	    ops->random(ctx, salt, sizeof(salt)) < 0) {
		/* no cookie key, no salt: refuse to start rather than run weak */
		ac_release_memory(ac);
		return NULL;
	}
	ac->mac_salt = uppp_get_be32(salt);
	ac->by_id = uppp_mem_calloc(ac->alloc, buckets, sizeof(*ac->by_id));
	ac->by_mac = uppp_mem_calloc(ac->alloc, ac->mac_mask + 1, sizeof(*ac->by_mac));
	ac->timer_slots = uppp_mem_calloc(ac->alloc, ac->max_sessions, sizeof(*ac->timer_slots));
	uppp_dheap_init(&ac->timers, ac->timer_slots, ac->timer_slots ? ac->max_sessions : 0);
	if (!ac->by_id || !ac->by_mac || !ac->timer_slots ||
	    uppp_rl_init_alloc(&ac->padi_mac, rate_sets, ac->mac_salt ^ 0x9e3779b9u, ac->alloc) < 0 ||
	    uppp_rl_init_alloc(&ac->padr_mac, rate_sets, ac->mac_salt ^ 0x7f4a7c15u, ac->alloc) < 0 ||
	    uppp_rl_init_alloc(&ac->authfail_mac, rate_sets, ac->mac_salt ^ 0x85ebca6bu, ac->alloc) < 0) {
		ac_release_memory(ac);
		return NULL;
	}
	return ac;
}

void uppp_ac_free(struct uppp_ac *ac)
{
	if (!ac)
		return;
	ac_enter(ac, ac->now);
	while (ac->all) {
		struct uppp_ac_session *s = ac->all;
		s->ps.silent = true;
		uppp_ppp_lower_down(&s->ps.ppp, UPPP_CAUSE_ADMIN, ac->now);
		if (!s->ps.dead)
			uppp_ac_sess_finish(s, UPPP_CAUSE_ADMIN);
	}
	ac_leave(ac);
	ac_release_memory(ac);
}

void uppp_ac_input(struct uppp_ac *ac, uint8_t *frame, size_t len, uint64_t now)
{
	ac_enter(ac, now);
	uppp_ac_input_frame(ac, frame, len);
	ac_leave(ac);
}

uint64_t uppp_ac_next_deadline(const struct uppp_ac *ac)
{
	return uppp_dheap_next(&ac->timers);
}

void uppp_ac_run_timers(struct uppp_ac *ac, uint64_t now)
{
	/* Only deadlines set before this pass run in it (core/deadline_heap.h):
	 * a session set again to <= now sorts behind every one still due. */
	uint64_t pass = uppp_dheap_pass(&ac->timers);
	struct uppp_dheap_entry *e;

	ac_enter(ac, now);
	while ((e = uppp_dheap_pop_due(&ac->timers, now, pass)) != NULL) {
		struct uppp_ac_session *s = (struct uppp_ac_session *)((char *)e - offsetof(struct uppp_ac_session, timer));
		uppp_ppp_timer(&s->ps.ppp, now);
		uppp_ac_sess_settle(s);
	}
	ac_leave(ac);
}

int uppp_ac_send_ip(struct uppp_ac *ac, struct uppp_ac_session *s, uint8_t *pkt, size_t len, uint64_t now)
{
	int err = -ENOTCONN;

	ac_enter(ac, now);
	if (s && !s->ps.dead) {
		err = uppp_ppp_send_ip(&s->ps.ppp, pkt, len, now);
		uppp_ac_sess_settle(s);
	}
	ac_leave(ac);
	return err;
}

void uppp_ac_shutdown(struct uppp_ac *ac, enum uppp_cause cause, uint64_t now)
{
	ac_enter(ac, now);
	while (ac->all)
		sess_close_now(ac->all, cause);
	ac_leave(ac);
}

int uppp_ac_session_close(struct uppp_ac *ac, uint16_t session_id, enum uppp_cause cause, uint64_t now)
{
	struct uppp_ac_session *s = ac_by_id(ac, session_id);

	if (cause <= UPPP_CAUSE_NONE || cause >= UPPP_CAUSE_COUNT)
		return -EINVAL;
	if (!s || s->ps.dead)
		return -ENOENT;
	if (ac->depth) {
		/* inside a callback: the engine of s (or of another session)
		 * may be on the stack; ac_leave() closes it */
		if (s->admin_cause == UPPP_CAUSE_NONE) {
			s->admin_cause = cause;
			s->close_next = ac->closing;
			ac->closing = s;
		}
		return 0;
	}
	ac_enter(ac, now);
	sess_close_now(s, cause);
	ac_leave(ac);
	return 0;
}

/* ---- deferred answers: the host's verdict and address ---- */

/* Applies the host's verdict to s, now (inside the AC: entered). */
static int sess_apply_verdict(struct uppp_ac_session *s, const struct uppp_auth_verdict *v)
{
	int err;

	s->verdict_ip = v->accept ? v->peer_ip : 0;
	err = uppp_ppp_auth_verdict(&s->ps.ppp, v, s->ac->now);
	s->verdict_ip = 0;   /* used by assign_address during the call, or not at all */
	uppp_ac_sess_settle(s);
	return err;
}

/* Applies the host's address to s, now (inside the AC: entered). */
static int sess_apply_address(struct uppp_ac_session *s, uint32_t serial, int err, uint32_t ip)
{
	bool take = err == 0 && ip != 0;
	int rc;

	if (s->ps.dead)
		return -ENOENT;
	/* an answer to an older question (asked before a renegotiation) is
	 * not one to the question pending now, whoever asks it */
	if (!uppp_ppp_awaits_address(&s->ps.ppp, serial))
		return -EALREADY;
	if (take) {
		s->peer_ip = ip;
		s->has_ip = true;   /* lease_name was set when it was asked */
	}
	rc = uppp_ppp_address(&s->ps.ppp, serial, err, ip, s->ac->now);
	if (rc != 0 && take)
		s->has_ip = false;  /* not taken: still the host's */
	uppp_ac_sess_settle(s);
	return rc;
}

static void apply_queued_answers(struct uppp_ac_session *s)
{
	struct uppp_ac *ac = s->ac;
	int rc;

	if (s->verdict) {
		struct uppp_ac_verdict_copy *vc = s->verdict;
		s->verdict = NULL;
		rc = s->ps.dead ? -ENOENT : sess_apply_verdict(s, &vc->v);
		uppp_mem_free(ac->alloc, vc, 1, sizeof(*vc));
		if (rc)
			sess_log(s, UPPP_LOG_DEBUG, "event=verdict-ignored err=%d reason=\"no verdict awaited\"", rc);
	}
	if (s->address_queued) {
		s->address_queued = false;
		rc = sess_apply_address(s, s->address_serial, s->address_err, s->address_ip);
		if (rc && s->address_err == 0 && s->address_ip) {
			sess_log(s, UPPP_LOG_DEBUG, "event=address-ignored err=%d reason=\"no address awaited\"", rc);
			if (ac->ops->release_address)
				ac->ops->release_address(ac->ctx, s, s->address_ip);
		}
	}
}

static void queue_answer(struct uppp_ac_session *s)
{
	if (s->answer_queued)
		return;
	s->answer_queued = true;
	s->answer_next = s->ac->answers;
	s->ac->answers = s;
}

/* What uppp_auth_verdict would refuse with -EINVAL, checked before a
 * verdict is queued. */
static bool verdict_usable(const struct uppp_ac_session *s, const struct uppp_auth_verdict *v)
{
	const char *sr = v->mschapv2_success;

	if (!v->accept)
		return v->cause == UPPP_CAUSE_NONE || v->cause == UPPP_CAUSE_AUTH_BAD_SECRET ||
		       v->cause == UPPP_CAUSE_AUTH_NO_SECRET || v->cause == UPPP_CAUSE_AUTH_LOGIN;
	if (s->ps.ppp.auth_proto != UPPP_AUTH_MSCHAPV2)
		return true;
	if (!sr || strlen(sr) != UPPP_MSCHAPV2_AUTH_RESPONSE_LEN || sr[0] != 'S' || sr[1] != '=')
		return false;
	for (size_t i = 2; i < UPPP_MSCHAPV2_AUTH_RESPONSE_LEN; i++)
		if (!((sr[i] >= '0' && sr[i] <= '9') || (sr[i] >= 'a' && sr[i] <= 'f') || (sr[i] >= 'A' && sr[i] <= 'F')))
			return false;
	return true;
}

int uppp_ac_session_auth_verdict(struct uppp_ac *ac, uint16_t session_id, const struct uppp_auth_verdict *v,
				 uint64_t now)
{
	struct uppp_ac_session *s = ac_by_id(ac, session_id);
	int rc;

	if (!s || s->ps.dead)
		return -ENOENT;
	if (!verdict_usable(s, v))
		return -EINVAL;
	if (ac->depth) {
		/* inside a callback (perhaps verify itself): keep a copy and
		 * apply it when the outermost call returns */
		struct uppp_ac_verdict_copy *vc;
		if (s->verdict)
			return -EALREADY;
		vc = uppp_mem_calloc(ac->alloc, 1, sizeof(*vc));
		if (!vc) {
			sess_log(s, UPPP_LOG_ERR, "event=no-memory reason=\"%s\" detail=\"no room to keep the verdict\"",
				 uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
			(void)uppp_ac_session_close(ac, session_id, UPPP_CAUSE_HOST_ERROR, now);
			return -ENOMEM;
		}
		vc->v = *v;
		snprintf(vc->reason, sizeof(vc->reason), "%s", v->reason ? v->reason : "");
		snprintf(vc->success, sizeof(vc->success), "%s", v->mschapv2_success ? v->mschapv2_success : "");
		vc->v.reason = vc->reason;
		vc->v.mschapv2_success = vc->success;
		s->verdict = vc;
		queue_answer(s);
		return 0;
	}
	ac_enter(ac, now);
	rc = sess_apply_verdict(s, v);
	ac_leave(ac);
	return rc;
}

int uppp_ac_session_address(struct uppp_ac *ac, uint16_t session_id, uint32_t serial, int err, uint32_t peer_ip,
			    uint64_t now)
{
	struct uppp_ac_session *s = ac_by_id(ac, session_id);
	int rc;

	if (!s || s->ps.dead)
		return -ENOENT;
	if (ac->depth) {
		if (s->address_queued)
			return -EALREADY;
		s->address_serial = serial;
		s->address_err = err;
		s->address_ip = peer_ip;
		s->address_queued = true;
		queue_answer(s);
		return 0;
	}
	ac_enter(ac, now);
	rc = sess_apply_address(s, serial, err, peer_ip);
	ac_leave(ac);
	return rc;
}

static enum uppp_ac_session_state sess_state(const struct uppp_ac_session *s)
{
	switch (s->ps.ppp.phase) {
	case UPPP_PHASE_AUTHENTICATE:
		return UPPP_AC_SESS_AUTH;
	case UPPP_PHASE_NETWORK:
		return uppp_ppp_is_up(&s->ps.ppp) ? UPPP_AC_SESS_UP : UPPP_AC_SESS_NETWORK;
	case UPPP_PHASE_TERMINATE:
		return UPPP_AC_SESS_TERMINATING;
	default:
		return UPPP_AC_SESS_LCP;
	}
}

void uppp_ac_session_info(const struct uppp_ac_session *s, struct uppp_ac_session_info *info)
{
	const struct uppp_ppp *p = &s->ps.ppp;
	bool authed = uppp_ppp_auth_method(p) != UPPP_AUTH_NONE && (p->phase == UPPP_PHASE_NETWORK || s->has_ip);

	memset(info, 0, sizeof(*info));
	info->id = s->ps.id;
	memcpy(info->peer_mac, s->ps.peer_mac, 6);
	if (s->has_ip)
		snprintf(info->user, sizeof(info->user), "%s", s->lease_name);
	else if (authed)
		snprintf(info->user, sizeof(info->user), "%s", uppp_ppp_peer_name(p));
	info->peer_ip = s->has_ip ? s->peer_ip : 0;
	info->state = sess_state(s);
	info->started_ms = s->started;
	info->auth = uppp_ppp_auth_method(p);
	info->counters = *uppp_ppp_stats(p);
	info->session = (struct uppp_ac_session *)s;
}

int uppp_ac_sessions(struct uppp_ac *ac, int (*fn)(void *arg, const struct uppp_ac_session_info *info),
		     void *arg)
{
	struct uppp_ac_session_info info;
	struct uppp_ac_session *s, *next;
	int rc = 0;

	/* Inside, closes are deferred and nothing is freed: the session
	 * after this one stays valid (an ended one is skipped; the all-list
	 * order of an unlinked session still leads back to live ones). */
	ac_enter(ac, ac->now);
	for (s = ac->all; s && rc == 0; s = next) {
		next = s->all_next;
		if (s->ps.dead)
			continue;
		uppp_ac_session_info(s, &info);
		rc = fn(arg, &info);
	}
	ac_leave(ac);
	return rc;
}

struct uppp_ac_session *uppp_ac_session_find(const struct uppp_ac *ac, uint16_t session_id)
{
	struct uppp_ac_session *s = ac_by_id(ac, session_id);
	return s && !s->ps.dead ? s : NULL;
}

size_t uppp_ac_session_count(const struct uppp_ac *ac) { return ac->n_sessions; }
size_t uppp_ac_negotiating_count(const struct uppp_ac *ac) { return ac->n_negotiating; }
const struct uppp_ac_counters *uppp_ac_counters(const struct uppp_ac *ac) { return &ac->cnt; }
uint16_t uppp_ac_session_id(const struct uppp_ac_session *s) { return s->ps.id; }
const uint8_t *uppp_ac_session_peer_mac(const struct uppp_ac_session *s) { return s->ps.peer_mac; }
void uppp_ac_session_set_user(struct uppp_ac_session *s, void *user) { s->user = user; }
void *uppp_ac_session_user(const struct uppp_ac_session *s) { return s->user; }
const struct uppp_ppp_stats *uppp_ac_session_stats(const struct uppp_ac_session *s) { return uppp_ppp_stats(&s->ps.ppp); }
