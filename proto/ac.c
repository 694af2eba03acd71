/* proto/ac.c — the PPPoE access concentrator (RFC 2516 server side), sans-I/O.
 *
 * Discovery (PADI, PADR, PADT, the AC-Cookie) is in ac_discovery.c; here
 * are the sessions it creates. Each session embeds one PPP engine
 * (proto/ppp.h) whose ops land here. Sessions are found by id in a 65536-slot table (O(1))
 * and by peer MAC in a salted hash (limits, duplicate PADRs). A session that
 * ends is unlinked at once and freed when the outermost entry point returns. */
#include "proto/ac_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "proto/decode.h"

#define AC_MAX_IDS 65534            /* ids 1..0xfffe; 0 and 0xffff are reserved (RFC 2516 §4) */
#define AC_RL_SETS 1024             /* per-MAC rate tables: 4096 MACs each, 16 B per MAC */
#define WARN_LOG_PER_S 10           /* discovery warnings: 10 lines/s, bursts of 20 */
#define WARN_LOG_BURST 20

/* ---- logging ---- */

void uppp_ac_log(struct uppp_ac *ac, enum uppp_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!ac->ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ac->ops->log(ac->ctx, level, "%s", msg);
}

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
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ac->warn_suppressed)
		uppp_ac_log(ac, UPPP_LOG_WARN, "%s suppressed=%llu", msg, (unsigned long long)ac->warn_suppressed);
	else
		uppp_ac_log(ac, UPPP_LOG_WARN, "%s", msg);
	ac->warn_suppressed = 0;
}

/* `debug`: one discovery or PPP control packet, decoded on one line in
 * pppd's form ("rcvd [LCP ConfReq id=0x1 <mru 1492>]"). IP data is not
 * logged. The caller checks cfg->ppp.debug first: no formatting otherwise. */
void uppp_ac_log_packet(struct uppp_ac *ac, const char *dir, const uint8_t *frame, size_t len)
{
	char line[UPPP_DECODE_LINE_MAX], mac[UPPP_MAC_STR_LEN];
	struct uppp_pppoe_frame f;

	if (uppp_pppoe_parse(frame, len, &f))
		return;
	if (f.ethertype == ETH_P_PPPOE_SESS && f.payload_len >= 2 && uppp_get_be16(f.payload) < 0x8000)
		return;   /* RFC 1661 §2: below 0x8000 is network-layer data */
	uppp_mac_str(dir[0] == 's' ? f.dst : f.src, mac);
	uppp_ac_log(ac, UPPP_LOG_DEBUG, "sess=%u mac=%s %s %s", f.session_id, mac, dir,
	       uppp_decode_frame(frame, len, line, sizeof(line)));
}

/* ---- helpers ---- */

size_t uppp_ac_mac_bucket(const struct uppp_ac *ac, const uint8_t mac[6])
{
	uint32_t h = 2166136261u ^ ac->mac_salt;
	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h % AC_MAC_BUCKETS;
}

void uppp_ac_transmit(struct uppp_ac *ac, int len)
{
	if (len <= 0)
		return;
	if (ac->cfg->ppp.debug)
		uppp_ac_log_packet(ac, "sent", ac->tx, (size_t)len);
	ac->ops->send_frame(ac->ctx, ac->tx, (size_t)len);
}

/* ---- session lifecycle ---- */

static void sess_cancel_timer(struct uppp_ac_session *s)
{
	if (s->armed != UPPP_NO_DEADLINE) {
		s->armed = UPPP_NO_DEADLINE;
		s->ac->ops->set_timer(s->ac->ctx, s, UPPP_NO_DEADLINE);
	}
}

static void sess_unlink(struct uppp_ac *ac, struct uppp_ac_session *s)
{
	struct uppp_ac_session **pp = &ac->by_mac[uppp_ac_mac_bucket(ac, s->peer_mac)];
	while (*pp && *pp != s)
		pp = &(*pp)->mac_next;
	if (*pp)
		*pp = s->mac_next;
	if (s->all_prev)
		s->all_prev->all_next = s->all_next;
	else
		ac->all = s->all_next;
	if (s->all_next)
		s->all_next->all_prev = s->all_prev;
	ac->by_id[s->id] = NULL;
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
	ac->cnt.auth_failures++;
	(void)uppp_rl_take(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac, s->peer_mac, ac->now);
	if (uppp_rl_would_allow(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac, s->peer_mac, ac->now))
		return true;
	uppp_ac_warn(ac, "mac=%s event=auth-limited reason=\"too many failed logins from this MAC\" retry_in_s=%llu",
		s->mac_str,
		(unsigned long long)((uppp_rl_wait_ms(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac,
						      s->peer_mac, ac->now) + 999) / 1000));
	return false;
}

/* The engine's down(): the one place a session ends. */
void uppp_ac_sess_finish(struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct uppp_ac *ac = s->ac;
	const struct uppp_ppp_stats *st = uppp_ppp_stats(&s->ppp);
	/* already escaped by the engine */
	const char *peer_reason = cause == UPPP_CAUSE_PEER_TERM_REQ ? s->ppp.peer_term_reason : "";

	if (s->dead)
		return;
	s->dead = true;
	sess_cancel_timer(s);
	if (s->negotiating) {
		s->negotiating = false;
		ac->n_negotiating--;
	}
	if (!s->peer_padt && !s->silent) {
		uppp_ac_transmit(ac, uppp_pppoe_build_padt(ac->tx, sizeof(ac->tx), s->peer_mac, ac->cfg->mac,
						     s->id, uppp_cause_text(cause)));
		ac->cnt.padt_tx++;
	}
	if (s->has_ip && ac->ops->release_address)
		ac->ops->release_address(ac->ctx, s, s->peer_ip);
	s->has_ip = false;
	uppp_ac_log(ac, UPPP_LOG_INFO,
	       "sess=%u mac=%s event=session-end cause=%s reason=\"%s\"%s%s%s duration_s=%llu "
	       "rx_packets=%llu rx_bytes=%llu tx_packets=%llu tx_bytes=%llu",
	       s->id, s->mac_str, uppp_cause_name(cause), uppp_cause_text(cause),
	       peer_reason[0] ? " peer_reason='" : "", peer_reason, peer_reason[0] ? "'" : "",
	       (unsigned long long)((ac->now - s->started) / 1000),
	       (unsigned long long)st->rx_packets, (unsigned long long)st->rx_bytes,
	       (unsigned long long)st->tx_packets, (unsigned long long)st->tx_bytes);
	if (ac->ops->session_down)
		ac->ops->session_down(ac->ctx, s, cause);
	ac->cnt.sessions_down++;
	sess_unlink(ac, s);
	s->dead_next = ac->dead;
	ac->dead = s;
}

/* After every call into a session's engine: run a close requested from a
 * callback, then keep the host's timer in step with the engine's deadline. */
void uppp_ac_sess_settle(struct uppp_ac_session *s)
{
	while (!s->dead && s->close_pending != UPPP_CAUSE_NONE) {
		enum uppp_cause c = s->close_pending;
		s->close_pending = UPPP_CAUSE_NONE;
		uppp_ppp_close(&s->ppp, c, s->ac->now);
	}
	if (s->dead)
		return;
	uint64_t d = uppp_ppp_next_deadline(&s->ppp);
	if (d == s->armed)
		return;
	if (s->ac->ops->set_timer(s->ac->ctx, s, d) < 0) {
		/* A session without its timer would never retransmit nor
		 * time out: end it now (PADT, address released). The host's
		 * timer may still be armed at its old deadline: cancel it. */
		s->armed = UPPP_NO_DEADLINE;
		(void)s->ac->ops->set_timer(s->ac->ctx, s, UPPP_NO_DEADLINE);
		uppp_ac_log(s->ac, UPPP_LOG_ERR, "sess=%u mac=%s event=timer-failed reason=\"%s\"", s->id, s->mac_str,
		       uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
		uppp_ppp_lower_down(&s->ppp, UPPP_CAUSE_HOST_ERROR, s->ac->now);
		if (!s->dead)
			uppp_ac_sess_finish(s, UPPP_CAUSE_HOST_ERROR);
		return;
	}
	s->armed = d;
}

static void ac_enter(struct uppp_ac *ac, uint64_t now)
{
	ac->depth++;
	ac->now = now;
}

static void ac_leave(struct uppp_ac *ac)
{
	if (--ac->depth)
		return;
	while (ac->dead) {
		struct uppp_ac_session *s = ac->dead;
		ac->dead = s->dead_next;
		free(s);
	}
}

/* ---- PPP engine ops for a session (ctx = the session) ---- */

static void sess_ppp_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct uppp_ac_session *s = ctx;
	struct uppp_ac *ac = s->ac;
	int hl;

	if (s->dead || s->silent)
		return;
	hl = uppp_pppoe_build_session_hdr(ac->tx, sizeof(ac->tx), s->peer_mac, ac->cfg->mac, s->id,
					  len + 2);
	if (hl < 0 || (size_t)hl + 2 + len > sizeof(ac->tx)) {
		uppp_ac_log(ac, UPPP_LOG_WARN, "sess=%u mac=%s event=tx-drop protocol=0x%04x len=%zu reason=\"larger than one PPPoE frame\"",
		       s->id, s->mac_str, protocol, len);
		return;
	}
	uppp_put_be16(ac->tx + hl, protocol);
	if (len)
		memmove(ac->tx + hl + 2, info, len);
	if (ac->cfg->ppp.debug && protocol >= 0x8000)
		uppp_ac_log_packet(ac, "sent", ac->tx, (size_t)hl + 2 + len);
	ac->ops->send_frame(ac->ctx, ac->tx, (size_t)hl + 2 + len);
}

static void sess_ppp_deliver_ip(void *ctx, uint8_t *pkt, size_t len)
{
	struct uppp_ac_session *s = ctx;
	if (!s->dead && s->ac->ops->deliver_ip)
		s->ac->ops->deliver_ip(s->ac->ctx, s, pkt, len);
}

static void sess_ppp_random(void *ctx, void *buf, size_t len)
{
	struct uppp_ac_session *s = ctx;
	s->ac->ops->random(s->ac->ctx, buf, len);
}

static void sess_ppp_log(void *ctx, enum uppp_log_level level, const char *layer, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void sess_ppp_log(void *ctx, enum uppp_log_level level, const char *layer, const char *fmt, ...)
{
	struct uppp_ac_session *s = ctx;
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uppp_ac_log(s->ac, level, "sess=%u mac=%s layer=%s %s", s->id, s->mac_str, layer ? layer : "ppp", msg);
}

static int sess_ppp_get_secret(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len)
{
	struct uppp_ac_session *s = ctx;
	if (!s->ac->ops->get_secret)
		return -ENOENT;
	return s->ac->ops->get_secret(s->ac->ctx, peer_name, secret, cap, len);
}

static int sess_ppp_check_password(void *ctx, const char *user, const uint8_t *pw, size_t len, char *why,
				   size_t whycap)
{
	struct uppp_ac_session *s = ctx;
	if (!s->ac->ops->check_password)
		return -ENOSYS;  /* PAP compares with get_secret() */
	return s->ac->ops->check_password(s->ac->ctx, user, pw, len, why, whycap);
}

/* Wrong or unknown secrets count; a `login` refusal by policy (the secret
 * may have been right) does not. */
static bool sess_ppp_auth_failed(void *ctx, enum uppp_cause cause)
{
	struct uppp_ac_session *s = ctx;

	if (s->dead || (cause != UPPP_CAUSE_AUTH_BAD_SECRET && cause != UPPP_CAUSE_AUTH_NO_SECRET))
		return true;
	return note_auth_failure(s->ac, s);
}

static int sess_ppp_assign_address(void *ctx, const char *peer_name, uint32_t *peer_ip)
{
	struct uppp_ac_session *s = ctx;
	struct uppp_ac *ac = s->ac;
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
		uppp_ac_log(ac, UPPP_LOG_INFO, "sess=%u mac=%s event=lease-released user='%s' new_user='%s' "
		       "reason=\"re-authenticated as another user\"", s->id, s->mac_str, was, now);
		s->has_ip = false;
		if (ac->ops->release_address)
			ac->ops->release_address(ac->ctx, s, s->peer_ip);
	}
	if (!ac->ops->assign_address)
		return -ENOSPC;
	err = ac->ops->assign_address(ac->ctx, s, peer_name, peer_ip);
	if (err == 0) {
		s->peer_ip = *peer_ip;
		s->has_ip = true;
		snprintf(s->lease_name, sizeof(s->lease_name), "%s", peer_name);
	}
	return err;
}

static void sess_ppp_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct uppp_ac_session *s = ctx;
	struct uppp_ac *ac = s->ac;
	int err = ac->ops->session_up ? ac->ops->session_up(ac->ctx, s, link) : 0;

	if (err) {
		/* out of memory on the host is no interface problem */
		enum uppp_cause c = err == -ENOMEM ? UPPP_CAUSE_HOST_ERROR : UPPP_CAUSE_INTERFACE;
		uppp_ac_log(ac, UPPP_LOG_ERR, "sess=%u mac=%s event=interface-failed error=%d reason=\"%s\"",
		       s->id, s->mac_str, err, uppp_cause_text(c));
		s->close_pending = c;
		return;
	}
	if (s->negotiating) {
		s->negotiating = false;
		ac->n_negotiating--;
	}
	if (!s->was_up)   /* up() again after a renegotiation: the same session */
		ac->cnt.sessions_up++;
	s->was_up = true;
}

static void sess_ppp_down(void *ctx, enum uppp_cause cause)
{
	uppp_ac_sess_finish(ctx, cause);
}

const struct uppp_ppp_ops uppp_ac_sess_ppp_ops = {
	.send = sess_ppp_send,
	.deliver_ip = sess_ppp_deliver_ip,
	.random = sess_ppp_random,
	.log = sess_ppp_log,
	.get_secret = sess_ppp_get_secret,
	.check_password = sess_ppp_check_password,
	.auth_failed = sess_ppp_auth_failed,
	.assign_address = sess_ppp_assign_address,
	.up = sess_ppp_up,
	.down = sess_ppp_down,
};

/* ---- public API ---- */

struct uppp_ac *uppp_ac_new(const struct uppp_ac_config *cfg, const struct uppp_ac_ops *ops, void *ctx)
{
	struct uppp_ac *ac = calloc(1, sizeof(*ac));
	uint8_t salt[4];

	if (!ac)
		return NULL;
	ac->by_id = calloc(65536, sizeof(*ac->by_id));
	if (!ac->by_id) {
		free(ac);
		return NULL;
	}
	ac->cfg = cfg;
	ac->ops = ops;
	ac->ctx = ctx;
	ac->max_sessions = cfg->max_sessions && cfg->max_sessions < AC_MAX_IDS ? cfg->max_sessions : AC_MAX_IDS;
	ops->random(ctx, ac->cookie_key, sizeof(ac->cookie_key));
	ops->random(ctx, salt, sizeof(salt));
	ac->mac_salt = uppp_get_be32(salt);
	if (uppp_rl_init(&ac->padi_mac, AC_RL_SETS, ac->mac_salt ^ 0x9e3779b9u) < 0 ||
	    uppp_rl_init(&ac->padr_mac, AC_RL_SETS, ac->mac_salt ^ 0x7f4a7c15u) < 0 ||
	    uppp_rl_init(&ac->authfail_mac, AC_RL_SETS, ac->mac_salt ^ 0x85ebca6bu) < 0) {
		uppp_rl_destroy(&ac->padi_mac);
		uppp_rl_destroy(&ac->padr_mac);
		uppp_rl_destroy(&ac->authfail_mac);
		free(ac->by_id);
		free(ac);
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
		s->silent = true;
		uppp_ppp_lower_down(&s->ppp, UPPP_CAUSE_ADMIN, ac->now);
		if (!s->dead)
			uppp_ac_sess_finish(s, UPPP_CAUSE_ADMIN);
	}
	ac_leave(ac);
	uppp_rl_destroy(&ac->padi_mac);
	uppp_rl_destroy(&ac->padr_mac);
	uppp_rl_destroy(&ac->authfail_mac);
	free(ac->by_id);
	free(ac);
}

void uppp_ac_input(struct uppp_ac *ac, uint8_t *frame, size_t len, uint64_t now)
{
	ac_enter(ac, now);
	uppp_ac_input_frame(ac, frame, len);
	ac_leave(ac);
}

void uppp_ac_timer(struct uppp_ac *ac, struct uppp_ac_session *s, uint64_t now)
{
	ac_enter(ac, now);
	if (s && !s->dead) {
		s->armed = UPPP_NO_DEADLINE;  /* the host's timer has fired */
		uppp_ppp_timer(&s->ppp, now);
		uppp_ac_sess_settle(s);
	}
	ac_leave(ac);
}

int uppp_ac_send_ip(struct uppp_ac *ac, struct uppp_ac_session *s, uint8_t *pkt, size_t len, uint64_t now)
{
	int err = -ENOTCONN;

	ac_enter(ac, now);
	if (s && !s->dead) {
		err = uppp_ppp_send_ip(&s->ppp, pkt, len, now);
		uppp_ac_sess_settle(s);
	}
	ac_leave(ac);
	return err;
}

void uppp_ac_shutdown(struct uppp_ac *ac, enum uppp_cause cause, uint64_t now)
{
	ac_enter(ac, now);
	while (ac->all) {
		struct uppp_ac_session *s = ac->all;
		uppp_ppp_close(&s->ppp, cause, now);   /* Terminate-Request */
		if (!s->dead)
			uppp_ppp_lower_down(&s->ppp, cause, now);  /* → down(): PADT, session_down */
		if (!s->dead)
			uppp_ac_sess_finish(s, cause);
	}
	ac_leave(ac);
}

size_t uppp_ac_session_count(const struct uppp_ac *ac) { return ac->n_sessions; }
size_t uppp_ac_negotiating_count(const struct uppp_ac *ac) { return ac->n_negotiating; }
const struct uppp_ac_counters *uppp_ac_counters(const struct uppp_ac *ac) { return &ac->cnt; }
uint16_t uppp_ac_session_id(const struct uppp_ac_session *s) { return s->id; }
const uint8_t *uppp_ac_session_peer_mac(const struct uppp_ac_session *s) { return s->peer_mac; }
void uppp_ac_session_set_user(struct uppp_ac_session *s, void *user) { s->user = user; }
void *uppp_ac_session_user(const struct uppp_ac_session *s) { return s->user; }
const struct uppp_ppp_stats *uppp_ac_session_stats(const struct uppp_ac_session *s) { return uppp_ppp_stats(&s->ppp); }
