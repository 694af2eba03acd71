/* proto/ac.c — the PPPoE access concentrator (RFC 2516 server side), sans-I/O.
 *
 * Discovery: PADI → PADO (with a stateless, expiring HMAC cookie), PADR →
 * session + PADS, PADT. Each session embeds one PPP engine (proto/ppp.h)
 * whose ops land here. Sessions are found by id in a 65536-slot table (O(1))
 * and by peer MAC in a salted hash (limits, duplicate PADRs). A session that
 * ends is unlinked at once and freed when the outermost entry point returns. */
#include "proto/ac.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hmac.h>

#include "core/buf.h"
#include "core/escape.h"
#include "proto/decode.h"
#include "proto/pppoe.h"

#define AC_MAC_BUCKETS 1024
#define AC_MAX_IDS 65534            /* ids 1..0xfffe; 0 and 0xffff are reserved (RFC 2516 §4) */
#define AC_TAG_STORE_MAX 255        /* Host-Uniq / Relay-Session-Id / Service-Name kept per session */
#define COOKIE_KEY_LEN 32
#define COOKIE_MAC_LEN 16
#define COOKIE_LEN (4 + COOKIE_MAC_LEN)  /* timestamp (s) then truncated HMAC-SHA256 */
#define COOKIE_LIFETIME_S 60
#define UNKNOWN_LOG_INTERVAL_MS 1000
#define AC_RL_SETS 1024             /* per-MAC rate tables: 4096 MACs each, 16 B per MAC */
#define WARN_LOG_PER_S 10           /* discovery warnings: 10 lines/s, bursts of 20 */
#define WARN_LOG_BURST 20

struct uppp_ac_session {
	struct uppp_ac *ac;
	struct uppp_ppp ppp;
	struct uppp_ppp_config ppp_cfg;
	uint16_t id;
	uint8_t peer_mac[6];
	char mac_str[UPPP_MAC_STR_LEN];
	struct uppp_ac_session *mac_next;               /* by-MAC bucket chain */
	struct uppp_ac_session *all_prev, *all_next;    /* every live session */
	struct uppp_ac_session *dead_next;              /* waiting to be freed */
	uint8_t host_uniq[AC_TAG_STORE_MAX];
	uint16_t host_uniq_len;
	bool has_host_uniq;
	uint8_t relay_id[AC_TAG_STORE_MAX];
	uint16_t relay_id_len;
	bool has_relay_id;
	uint8_t service[AC_TAG_STORE_MAX];
	uint16_t service_len;
	uint64_t started;
	uint64_t armed;               /* deadline last handed to set_timer */
	uint32_t peer_ip;
	bool has_ip;
	bool dead;                    /* down handled; freed at the end of the entry point */
	bool peer_padt;               /* peer ended it with PADT: do not answer with one */
	bool silent;                  /* uppp_ac_free: send nothing */
	bool negotiating;             /* counted in ac->n_negotiating (past PADS, not yet up) */
	enum uppp_cause close_pending;/* close requested from inside an engine callback */
	void *user;
};

struct uppp_ac {
	const struct uppp_ac_config *cfg;
	const struct uppp_ac_ops *ops;
	void *ctx;
	struct uppp_ac_counters cnt;
	struct uppp_ac_session **by_id;                 /* 65536 slots */
	struct uppp_ac_session *by_mac[AC_MAC_BUCKETS];
	struct uppp_ac_session *all;
	struct uppp_ac_session *dead;
	size_t n_sessions;
	size_t n_negotiating;
	unsigned max_sessions;
	unsigned depth;               /* nesting of entry points; reap at 0 */
	uint64_t now;
	uint64_t unknown_logged_at;
	bool unknown_logged;
	uint64_t unknown_suppressed;
	uint32_t mac_salt;
	struct uppp_rl_table padi_mac, padr_mac, authfail_mac;
	struct uppp_bucket padi_all, padr_all;
	struct uppp_bucket warn_log;  /* discovery warnings are rate limited too */
	uint64_t warn_suppressed;
	uint8_t cookie_key[COOKIE_KEY_LEN];
	uint8_t tx[UPPP_PPPOE_FRAME_MAX];
};

/* ---- logging ---- */

static void ac_log(struct uppp_ac *ac, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ac_log(struct uppp_ac *ac, enum uppp_log_level level, const char *fmt, ...)
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
static void ac_warn(struct uppp_ac *ac, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ac_warn(struct uppp_ac *ac, const char *fmt, ...)
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
		ac_log(ac, UPPP_LOG_WARN, "%s suppressed=%llu", msg, (unsigned long long)ac->warn_suppressed);
	else
		ac_log(ac, UPPP_LOG_WARN, "%s", msg);
	ac->warn_suppressed = 0;
}

static char *esc_tag(const struct uppp_pppoe_tag *t, char *out, size_t cap)
{
	return uppp_escape(t->present ? t->p : (const uint8_t *)"", t->present ? t->len : 0, out, cap);
}

/* `debug`: one discovery or PPP control packet, decoded on one line in
 * pppd's form ("rcvd [LCP ConfReq id=0x1 <mru 1492>]"). IP data is not
 * logged. The caller checks cfg->ppp.debug first: no formatting otherwise. */
static void log_packet(struct uppp_ac *ac, const char *dir, const uint8_t *frame, size_t len)
{
	char line[UPPP_DECODE_LINE_MAX], mac[UPPP_MAC_STR_LEN];
	struct uppp_pppoe_frame f;

	if (uppp_pppoe_parse(frame, len, &f))
		return;
	if (f.ethertype == ETH_P_PPPOE_SESS && f.payload_len >= 2 && uppp_get_be16(f.payload) < 0x8000)
		return;   /* RFC 1661 §2: below 0x8000 is network-layer data */
	uppp_mac_str(dir[0] == 's' ? f.dst : f.src, mac);
	ac_log(ac, UPPP_LOG_DEBUG, "sess=%u mac=%s %s %s", f.session_id, mac, dir,
	       uppp_decode_frame(frame, len, line, sizeof(line)));
}

/* ---- helpers ---- */

static bool mac_eq(const uint8_t *a, const uint8_t *b) { return memcmp(a, b, 6) == 0; }

static size_t mac_bucket(const struct uppp_ac *ac, const uint8_t mac[6])
{
	uint32_t h = 2166136261u ^ ac->mac_salt;
	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h % AC_MAC_BUCKETS;
}

static unsigned sessions_of_mac(const struct uppp_ac *ac, const uint8_t mac[6])
{
	unsigned n = 0;
	for (const struct uppp_ac_session *s = ac->by_mac[mac_bucket(ac, mac)]; s; s = s->mac_next)
		n += mac_eq(s->peer_mac, mac);
	return n;
}

static bool tag_eq(const struct uppp_pppoe_tag *t, const uint8_t *p, size_t len)
{
	return t->len == len && (len == 0 || memcmp(t->p, p, len) == 0);
}

static bool ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/* ---- AC-Cookie: be32 seconds || HMAC-SHA256(key, client MAC || seconds)[0..16) ---- */

static void cookie_hmac(const struct uppp_ac *ac, const uint8_t mac[6], const uint8_t ts[4],
			uint8_t out[COOKIE_MAC_LEN])
{
	struct hmac_sha256_ctx h;
	hmac_sha256_set_key(&h, sizeof(ac->cookie_key), ac->cookie_key);
	hmac_sha256_update(&h, 6, mac);
	hmac_sha256_update(&h, 4, ts);
	hmac_sha256_digest(&h, COOKIE_MAC_LEN, out);
}

static void cookie_make(const struct uppp_ac *ac, const uint8_t mac[6], uint64_t now,
			uint8_t out[COOKIE_LEN])
{
	uppp_put_be32(out, (uint32_t)(now / 1000));
	cookie_hmac(ac, mac, out, out + 4);
}

/* NULL when the cookie is good, else why not. */
static const char *cookie_check(const struct uppp_ac *ac, const uint8_t mac[6],
				const struct uppp_pppoe_tag *c, uint64_t now)
{
	uint8_t want[COOKIE_MAC_LEN];
	uint32_t ts, now_s = (uint32_t)(now / 1000);

	if (!c->present)
		return "no AC-Cookie";
	if (c->len != COOKIE_LEN)
		return "AC-Cookie has the wrong length";
	cookie_hmac(ac, mac, c->p, want);
	if (!ct_equal(want, c->p + 4, COOKIE_MAC_LEN))
		return "AC-Cookie not issued by us (forged or other client)";
	ts = uppp_get_be32(c->p);
	if (ts > now_s || now_s - ts > COOKIE_LIFETIME_S)
		return "AC-Cookie expired";
	return NULL;
}

/* ---- services ---- */

static bool service_offered(const struct uppp_ac *ac, const struct uppp_pppoe_tag *req)
{
	if (!req->present || req->len == 0 || ac->cfg->n_services == 0)
		return true;  /* "" asks for any service; no list configured accepts any */
	for (size_t i = 0; i < ac->cfg->n_services; i++) {
		const char *name = ac->cfg->services[i];
		if (name && tag_eq(req, (const uint8_t *)name, strlen(name)))
			return true;
	}
	return false;
}

/* "'a', 'b'" (escaped) for logs. */
static char *services_str(const struct uppp_ac *ac, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ac->cfg->n_services && o + 8 < cap; i++) {
		char e[UPPP_ESCAPED_MAX];
		const char *name = ac->cfg->services[i] ? ac->cfg->services[i] : "";
		uppp_escape((const uint8_t *)name, strlen(name), e, sizeof(e));
		int n = snprintf(out + o, cap - o, "%s'%s'", i ? ", " : "", e);
		if (n < 0 || (size_t)n >= cap - o)
			break;
		o += (size_t)n;
	}
	if (ac->cfg->n_services == 0)
		snprintf(out, cap, "''");
	return out;
}

/* NULL when there is room for one more session of mac, else why not. */
static const char *limit_reason(const struct uppp_ac *ac, const uint8_t mac[6], char *buf, size_t cap)
{
	if (ac->n_sessions >= ac->max_sessions) {
		snprintf(buf, cap, "%zu sessions open, max-sessions is %u", ac->n_sessions, ac->max_sessions);
		return buf;
	}
	if (ac->cfg->max_per_mac && sessions_of_mac(ac, mac) >= ac->cfg->max_per_mac) {
		snprintf(buf, cap, "this MAC already has %u sessions, max-per-mac is %u",
			 sessions_of_mac(ac, mac), ac->cfg->max_per_mac);
		return buf;
	}
	if (ac->ops->can_accept && !ac->ops->can_accept(ac->ctx)) {
		snprintf(buf, cap, "address pool has no free address");
		return buf;
	}
	return NULL;
}

/* The cause limit_reason() found, for the log line (same order of checks). */
static enum uppp_cause limit_cause(const struct uppp_ac *ac, const uint8_t mac[6])
{
	if (ac->n_sessions < ac->max_sessions && ac->cfg->max_per_mac &&
	    sessions_of_mac(ac, mac) >= ac->cfg->max_per_mac)
		return UPPP_CAUSE_MAC_LIMIT;
	return UPPP_CAUSE_POOL_FULL;   /* max-sessions reached or no free address */
}

static void send_frame(struct uppp_ac *ac, int len)
{
	if (len <= 0)
		return;
	if (ac->cfg->ppp.debug)
		log_packet(ac, "sent", ac->tx, (size_t)len);
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
	struct uppp_ac_session **pp = &ac->by_mac[mac_bucket(ac, s->peer_mac)];
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
 * implementation: we count it against the peer's MAC, and a MAC out of
 * tokens gets no PADO or PADS until one returns (see discovery_allowed). */
static void note_auth_failure(struct uppp_ac *ac, const struct uppp_ac_session *s)
{
	ac->cnt.auth_failures++;
	(void)uppp_rl_take(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac, s->peer_mac, ac->now);
	if (!uppp_rl_would_allow(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac, s->peer_mac, ac->now))
		ac_warn(ac, "mac=%s event=auth-limited reason=\"too many failed logins from this MAC\" retry_in_s=%llu",
			s->mac_str,
			(unsigned long long)((uppp_rl_wait_ms(&ac->authfail_mac, &ac->cfg->auth_fail_per_mac,
							      s->peer_mac, ac->now) + 999) / 1000));
}

/* The engine's down(): the one place a session ends. */
static void sess_finish(struct uppp_ac_session *s, enum uppp_cause cause)
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
	if (cause == UPPP_CAUSE_AUTH_BAD_SECRET || cause == UPPP_CAUSE_AUTH_NO_SECRET)
		note_auth_failure(ac, s);
	if (!s->peer_padt && !s->silent) {
		send_frame(ac, uppp_pppoe_build_padt(ac->tx, sizeof(ac->tx), s->peer_mac, ac->cfg->mac,
						     s->id, uppp_cause_text(cause)));
		ac->cnt.padt_tx++;
	}
	if (s->has_ip && ac->ops->release_address)
		ac->ops->release_address(ac->ctx, s, s->peer_ip);
	s->has_ip = false;
	ac_log(ac, UPPP_LOG_INFO,
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
static void sess_settle(struct uppp_ac_session *s)
{
	while (!s->dead && s->close_pending != UPPP_CAUSE_NONE) {
		enum uppp_cause c = s->close_pending;
		s->close_pending = UPPP_CAUSE_NONE;
		uppp_ppp_close(&s->ppp, c, s->ac->now);
	}
	if (s->dead)
		return;
	uint64_t d = uppp_ppp_next_deadline(&s->ppp);
	if (d != s->armed) {
		s->armed = d;
		s->ac->ops->set_timer(s->ac->ctx, s, d);
	}
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
		ac_log(ac, UPPP_LOG_WARN, "sess=%u mac=%s event=tx-drop protocol=0x%04x len=%zu reason=\"larger than one PPPoE frame\"",
		       s->id, s->mac_str, protocol, len);
		return;
	}
	uppp_put_be16(ac->tx + hl, protocol);
	if (len)
		memmove(ac->tx + hl + 2, info, len);
	if (ac->cfg->ppp.debug && protocol >= 0x8000)
		log_packet(ac, "sent", ac->tx, (size_t)hl + 2 + len);
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
	ac_log(s->ac, level, "sess=%u mac=%s layer=%s %s", s->id, s->mac_str, layer ? layer : "ppp", msg);
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

static int sess_ppp_assign_address(void *ctx, const char *peer_name, uint32_t *peer_ip)
{
	struct uppp_ac_session *s = ctx;
	struct uppp_ac *ac = s->ac;
	int err;

	if (s->has_ip) {  /* IPCP restarted: keep the lease we already hold */
		*peer_ip = s->peer_ip;
		return 0;
	}
	if (!ac->ops->assign_address)
		return -ENOSPC;
	err = ac->ops->assign_address(ac->ctx, s, peer_name, peer_ip);
	if (err == 0) {
		s->peer_ip = *peer_ip;
		s->has_ip = true;
	}
	return err;
}

static void sess_ppp_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct uppp_ac_session *s = ctx;
	struct uppp_ac *ac = s->ac;
	int err = ac->ops->session_up ? ac->ops->session_up(ac->ctx, s, link) : 0;

	if (err) {
		ac_log(ac, UPPP_LOG_ERR, "sess=%u mac=%s event=interface-failed error=%d reason=\"%s\"",
		       s->id, s->mac_str, err, uppp_cause_text(UPPP_CAUSE_INTERFACE));
		s->close_pending = UPPP_CAUSE_INTERFACE;
		return;
	}
	if (s->negotiating) {
		s->negotiating = false;
		ac->n_negotiating--;
	}
	ac->cnt.sessions_up++;
}

static void sess_ppp_down(void *ctx, enum uppp_cause cause)
{
	sess_finish(ctx, cause);
}

static const struct uppp_ppp_ops sess_ppp_ops = {
	.send = sess_ppp_send,
	.deliver_ip = sess_ppp_deliver_ip,
	.random = sess_ppp_random,
	.log = sess_ppp_log,
	.get_secret = sess_ppp_get_secret,
	.check_password = sess_ppp_check_password,
	.assign_address = sess_ppp_assign_address,
	.up = sess_ppp_up,
	.down = sess_ppp_down,
};

/* ---- discovery ---- */

static void send_pads(struct uppp_ac *ac, const struct uppp_ac_session *s)
{
	struct uppp_pppoe_out o = { 0 };
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_bytes(s->service, s->service_len);

	o.services = &svc;
	o.n_services = 1;
	o.ac_name = uppp_pppoe_tag_str(ac->cfg->ac_name);
	if (s->has_host_uniq)
		o.host_uniq = uppp_pppoe_tag_bytes(s->host_uniq, s->host_uniq_len);
	if (s->has_relay_id)
		o.relay_id = uppp_pppoe_tag_bytes(s->relay_id, s->relay_id_len);
	send_frame(ac, uppp_pppoe_build_pads(ac->tx, sizeof(ac->tx), s->peer_mac, ac->cfg->mac, s->id, &o));
	ac->cnt.pads_tx++;
}

/* PADS with session id 0 and an error tag (RFC 2516 §5.4). */
static void send_pads_error(struct uppp_ac *ac, const uint8_t *dst, const struct uppp_pppoe_tags *t,
			    uint16_t error_tag, const char *text)
{
	struct uppp_pppoe_out o = { 0 };
	struct uppp_pppoe_tag svc = t->service_name;

	if (svc.present) {
		o.services = &svc;
		o.n_services = 1;
	}
	o.ac_name = uppp_pppoe_tag_str(ac->cfg->ac_name);
	o.host_uniq = t->host_uniq;
	o.relay_id = t->relay_id;
	if (error_tag == PPPOE_TAG_SERVICE_NAME_ERROR)
		o.service_name_error = uppp_pppoe_tag_str(text);
	else
		o.ac_system_error = uppp_pppoe_tag_str(text);
	send_frame(ac, uppp_pppoe_build_pads(ac->tx, sizeof(ac->tx), dst, ac->cfg->mac, 0, &o));
	ac->cnt.pads_tx++;
}

static void log_no_service(struct uppp_ac *ac, const char *what, const char *mac,
			   const struct uppp_pppoe_tag *req)
{
	char asked[UPPP_ESCAPED_MAX], offer[1024];
	bool pado = strncmp(what, "no PADO", 7) == 0;
	ac_warn(ac, "mac=%s event=%s cause=%s reason=\"%s\" detail=\"%s: client asked Service-Name '%s', we offer %s\"",
	       mac, pado ? "no-pado" : "padr-refused", uppp_cause_name(UPPP_CAUSE_NO_SERVICE),
	       uppp_cause_text(UPPP_CAUSE_NO_SERVICE), what, esc_tag(req, asked, sizeof(asked)), services_str(ac, offer, sizeof(offer)));
}

static void handle_padi(struct uppp_ac *ac, const struct uppp_pppoe_frame *f,
			const struct uppp_pppoe_tags *t, const char *mac)
{
	struct uppp_pppoe_tag svcs[UPPP_AC_MAX_SERVICES + 1];
	struct uppp_pppoe_out o = { 0 };
	uint8_t cookie[COOKIE_LEN];
	char why[128];
	size_t n = 0;

	if (!uppp_mac_is_broadcast(f->dst) && !mac_eq(f->dst, ac->cfg->mac))
		return;  /* for another AC */
	if (!service_offered(ac, &t->service_name)) {
		ac->cnt.dropped_no_service++;
		log_no_service(ac, "no PADO sent", mac, &t->service_name);
		return;
	}
	if (limit_reason(ac, f->src, why, sizeof(why))) {
		ac->cnt.dropped_limit++;
		ac_warn(ac, "mac=%s event=no-pado cause=%s reason=\"%s\" detail=\"no PADO sent: %s\"", mac,
			uppp_cause_name(limit_cause(ac, f->src)), uppp_cause_text(limit_cause(ac, f->src)), why);
		return;
	}
	/* RFC 2516 §5.2: the PADI's Service-Name first, then the others we offer. */
	svcs[n++] = t->service_name.present ? t->service_name : uppp_pppoe_tag_bytes("", 0);
	for (size_t i = 0; i < ac->cfg->n_services && n < UPPP_AC_MAX_SERVICES + 1; i++) {
		struct uppp_pppoe_tag c = uppp_pppoe_tag_str(ac->cfg->services[i]);
		if (c.present && !tag_eq(&svcs[0], c.p, c.len))
			svcs[n++] = c;
	}
	o.services = svcs;
	o.n_services = n;
	o.ac_name = uppp_pppoe_tag_str(ac->cfg->ac_name);
	o.host_uniq = t->host_uniq;
	o.relay_id = t->relay_id;
	cookie_make(ac, f->src, ac->now, cookie);
	o.cookie = uppp_pppoe_tag_bytes(cookie, sizeof(cookie));
	int len = uppp_pppoe_build_pado(ac->tx, sizeof(ac->tx), f->src, ac->cfg->mac, &o);
	if (len < 0) {
		ac->cnt.dropped_malformed++;
		ac_warn(ac, "mac=%s event=no-pado no PADO sent: echoed tags do not fit one frame", mac);
		return;
	}
	send_frame(ac, len);
	ac->cnt.pado_tx++;
	ac_log(ac, UPPP_LOG_DEBUG, "mac=%s event=pado-sent", mac);
}

static struct uppp_ac_session *find_negotiating(struct uppp_ac *ac, const uint8_t mac[6],
						const struct uppp_pppoe_tag *hu)
{
	for (struct uppp_ac_session *s = ac->by_mac[mac_bucket(ac, mac)]; s; s = s->mac_next) {
		if (s->dead || !mac_eq(s->peer_mac, mac) || s->has_host_uniq != hu->present)
			continue;
		if (hu->present && !tag_eq(hu, s->host_uniq, s->host_uniq_len))
			continue;
		if (!uppp_ppp_is_up(&s->ppp))
			return s;
	}
	return NULL;
}

static uint16_t pick_session_id(struct uppp_ac *ac)
{
	for (int i = 0; i < 64; i++) {
		uint8_t r[2];
		ac->ops->random(ac->ctx, r, sizeof(r));
		uint16_t id = uppp_get_be16(r);
		if (id != 0 && id != 0xffff && !ac->by_id[id])
			return id;
	}
	for (uint32_t id = 1; id < 0xffff; id++)  /* table nearly full: take any free id */
		if (!ac->by_id[id])
			return (uint16_t)id;
	return 0;
}

static void handle_padr(struct uppp_ac *ac, const struct uppp_pppoe_frame *f,
			const struct uppp_pppoe_tags *t, const char *mac)
{
	struct uppp_ac_session *s;
	const char *bad;
	char why[128];

	if (!mac_eq(f->dst, ac->cfg->mac))
		return;  /* RFC 2516 §5.3: PADR is unicast to the chosen AC */
	bad = cookie_check(ac, f->src, &t->cookie, ac->now);
	if (bad) {
		ac->cnt.dropped_bad_cookie++;
		ac_warn(ac, "mac=%s event=padr-dropped reason=\"%s\"", mac, bad);
		return;
	}
	s = find_negotiating(ac, f->src, &t->host_uniq);
	if (s) {  /* retransmitted PADR: our PADS was lost */
		ac_log(ac, UPPP_LOG_INFO, "sess=%u mac=%s event=pads-resent reason=\"duplicate PADR\"", s->id, mac);
		send_pads(ac, s);
		return;
	}
	if (!service_offered(ac, &t->service_name)) {
		ac->cnt.dropped_no_service++;
		log_no_service(ac, "PADS with Service-Name-Error sent", mac, &t->service_name);
		send_pads_error(ac, f->src, t, PPPOE_TAG_SERVICE_NAME_ERROR, "service not offered");
		return;
	}
	if (t->host_uniq.len > AC_TAG_STORE_MAX || t->relay_id.len > AC_TAG_STORE_MAX ||
	    t->service_name.len > AC_TAG_STORE_MAX) {
		ac->cnt.dropped_malformed++;
		ac_warn(ac, "mac=%s event=padr-dropped reason=\"Host-Uniq, Relay-Session-Id or Service-Name longer than %d bytes\"",
		       mac, AC_TAG_STORE_MAX);
		return;
	}
	if (limit_reason(ac, f->src, why, sizeof(why))) {
		ac->cnt.dropped_limit++;
		ac_warn(ac, "mac=%s event=padr-refused cause=%s detail=\"%s\"", mac,
			uppp_cause_name(limit_cause(ac, f->src)), why);
		send_pads_error(ac, f->src, t, PPPOE_TAG_AC_SYSTEM_ERROR, "session limit reached");
		return;
	}
	if (ac->cfg->max_negotiating && ac->n_negotiating >= ac->cfg->max_negotiating) {
		/* Silence, not a PADS error: the client retransmits its PADR and
		 * gets in once a negotiation ends (RFC 2516 §5.3 retransmission). */
		ac->cnt.dropped_negotiating++;
		ac_warn(ac, "mac=%s event=padr-dropped reason=\"%zu sessions still negotiating, max-negotiating is %u\"",
			mac, ac->n_negotiating, ac->cfg->max_negotiating);
		return;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		ac->cnt.dropped_limit++;
		ac_log(ac, UPPP_LOG_ERR, "mac=%s event=padr-refused reason=\"out of memory\"", mac);
		return;
	}
	s->ac = ac;
	s->id = pick_session_id(ac);
	memcpy(s->peer_mac, f->src, 6);
	memcpy(s->mac_str, mac, sizeof(s->mac_str));
	if (t->host_uniq.present) {
		s->has_host_uniq = true;
		s->host_uniq_len = t->host_uniq.len;
		memcpy(s->host_uniq, t->host_uniq.p, t->host_uniq.len);
	}
	if (t->relay_id.present) {
		s->has_relay_id = true;
		s->relay_id_len = t->relay_id.len;
		memcpy(s->relay_id, t->relay_id.p, t->relay_id.len);
	}
	if (t->service_name.present) {
		s->service_len = t->service_name.len;
		memcpy(s->service, t->service_name.p, t->service_name.len);
	}
	s->started = ac->now;
	s->armed = UPPP_NO_DEADLINE;
	s->ppp_cfg = ac->cfg->ppp;
	s->ppp_cfg.is_server = true;

	ac->by_id[s->id] = s;
	size_t b = mac_bucket(ac, s->peer_mac);
	s->mac_next = ac->by_mac[b];
	ac->by_mac[b] = s;
	s->all_next = ac->all;
	if (ac->all)
		ac->all->all_prev = s;
	ac->all = s;
	ac->n_sessions++;
	s->negotiating = true;
	ac->n_negotiating++;

	char svc[UPPP_ESCAPED_MAX];
	ac_log(ac, UPPP_LOG_INFO, "sess=%u mac=%s event=session-start service='%s' sessions=%zu",
	       s->id, mac, uppp_escape(s->service, s->service_len, svc, sizeof(svc)), ac->n_sessions);
	send_pads(ac, s);
	uppp_ppp_init(&s->ppp, &s->ppp_cfg, &sess_ppp_ops, s);
	uppp_ppp_open(&s->ppp, ac->now);
	sess_settle(s);
}

static void handle_padt(struct uppp_ac *ac, const struct uppp_pppoe_frame *f,
			const struct uppp_pppoe_tags *t, const char *mac)
{
	struct uppp_ac_session *s = ac->by_id[f->session_id];

	ac->cnt.padt_rx++;
	if (!mac_eq(f->dst, ac->cfg->mac))
		return;
	if (!s || s->dead || !mac_eq(s->peer_mac, f->src)) {
		ac->cnt.dropped_unknown_session++;
		ac_warn(ac, "sess=%u mac=%s event=padt-ignored reason=\"no such session from this MAC\"",
		       f->session_id, mac);
		return;
	}
	if (t->generic_error.present) {
		char e[UPPP_ESCAPED_MAX];
		ac_log(ac, UPPP_LOG_INFO, "sess=%u mac=%s event=padt-received generic_error='%s'",
		       s->id, mac, esc_tag(&t->generic_error, e, sizeof(e)));
	}
	s->peer_padt = true;
	uppp_ppp_lower_down(&s->ppp, UPPP_CAUSE_PEER_PADT, ac->now);
	if (!s->dead)  /* the engine must call down(); make sure the session ends anyway */
		sess_finish(s, UPPP_CAUSE_PEER_PADT);
	sess_settle(s);
}

static void handle_session(struct uppp_ac *ac, uint8_t *frame, const struct uppp_pppoe_frame *f,
			   const char *mac)
{
	struct uppp_ac_session *s;

	if (!mac_eq(f->dst, ac->cfg->mac))
		return;
	if (f->code != PPPOE_CODE_SESSION || f->payload_len < 2) {
		ac->cnt.dropped_malformed++;
		return;
	}
	s = ac->by_id[f->session_id];
	if (!s || s->dead || !mac_eq(s->peer_mac, f->src)) {
		ac->cnt.dropped_unknown_session++;
		if (!ac->unknown_logged || ac->now - ac->unknown_logged_at >= UNKNOWN_LOG_INTERVAL_MS) {
			ac_log(ac, UPPP_LOG_WARN, "sess=%u mac=%s event=session-frame-dropped reason=\"unknown session\" suppressed=%llu",
			       f->session_id, mac, (unsigned long long)ac->unknown_suppressed);
			ac->unknown_logged = true;
			ac->unknown_logged_at = ac->now;
			ac->unknown_suppressed = 0;
		} else {
			ac->unknown_suppressed++;
		}
		return;
	}
	uppp_ppp_input(&s->ppp, frame + UPPP_PPPOE_SESSION_HLEN, f->payload_len, ac->now);
	sess_settle(s);
}

static const char *rate_text(const struct uppp_rate *r, char *buf, size_t cap)
{
	if (r->period_ms == 1000)
		snprintf(buf, cap, "%u per second", r->tokens);
	else
		snprintf(buf, cap, "%u per %u ms", r->tokens, r->period_ms);
	return buf;
}

/* PADI and PADR pass the rate limits and the auth-failure limit before any
 * tag is parsed: a flood costs one hash lookup per frame. Per-MAC buckets
 * first, so one MAC's flood never drains the global bucket. */
static bool discovery_allowed(struct uppp_ac *ac, const struct uppp_pppoe_frame *f, const char *mac)
{
	const struct uppp_ac_config *cfg = ac->cfg;
	const struct uppp_rate *per_mac, *global;
	struct uppp_rl_table *table;
	struct uppp_bucket *all;
	const char *what;
	char rate[48];

	if (f->code == PPPOE_CODE_PADI) {
		ac->cnt.padi_rx++;
		if (!uppp_mac_is_broadcast(f->dst) && !mac_eq(f->dst, cfg->mac))
			return false;  /* for another AC: not ours to count against anyone */
		per_mac = &cfg->padi_rate_per_mac, global = &cfg->padi_rate;
		table = &ac->padi_mac, all = &ac->padi_all, what = "PADI";
	} else if (f->code == PPPOE_CODE_PADR) {
		ac->cnt.padr_rx++;
		if (!mac_eq(f->dst, cfg->mac))
			return false;  /* RFC 2516 §5.3: PADR is unicast to the chosen AC */
		per_mac = &cfg->padr_rate_per_mac, global = &cfg->padr_rate;
		table = &ac->padr_mac, all = &ac->padr_all, what = "PADR";
	} else {
		return true;
	}
	if (!uppp_rl_take(table, per_mac, f->src, ac->now)) {
		ac->cnt.dropped_rate_limited++;
		ac_warn(ac, "mac=%s event=rate-limited code=%s reason=\"more than %s from this MAC\"", mac, what,
			rate_text(per_mac, rate, sizeof(rate)));
		return false;
	}
	if (!uppp_bucket_take(all, global, ac->now)) {
		ac->cnt.dropped_rate_limited++;
		ac_warn(ac, "mac=%s event=rate-limited code=%s reason=\"more than %s from all clients\"", mac, what,
			rate_text(global, rate, sizeof(rate)));
		return false;
	}
	if (!uppp_rl_would_allow(&ac->authfail_mac, &cfg->auth_fail_per_mac, f->src, ac->now)) {
		ac->cnt.dropped_auth_limited++;
		ac_warn(ac, "mac=%s event=%s-ignored reason=\"too many failed logins from this MAC\" retry_in_s=%llu",
			mac, what,
			(unsigned long long)((uppp_rl_wait_ms(&ac->authfail_mac, &cfg->auth_fail_per_mac, f->src,
							      ac->now) + 999) / 1000));
		return false;
	}
	return true;
}

static void ac_input(struct uppp_ac *ac, uint8_t *frame, size_t len)
{
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;
	char mac[UPPP_MAC_STR_LEN];
	int err = uppp_pppoe_parse(frame, len, &f);

	if (err) {
		if (err != -EPROTONOSUPPORT)
			ac->cnt.dropped_malformed++;
		return;
	}
	if (uppp_mac_is_multicast(f.src)) {
		/* No station sends from a group address: spoofed or broken. */
		ac->cnt.dropped_malformed++;
		ac->cnt.dropped_bad_source++;
		return;
	}
	uppp_mac_str(f.src, mac);
	if (ac->cfg->ppp.debug)
		log_packet(ac, "rcvd", frame, len);
	if (f.ethertype == ETH_P_PPPOE_SESS) {
		handle_session(ac, frame, &f, mac);
		return;
	}
	if (!discovery_allowed(ac, &f, mac))
		return;
	if (uppp_pppoe_parse_tags(f.payload, f.payload_len, &t)) {
		ac->cnt.dropped_malformed++;
		ac_log(ac, UPPP_LOG_DEBUG, "mac=%s event=discovery-dropped code=%s reason=\"tag runs past the end\"",
		       mac, uppp_pppoe_code_name(f.code));
		return;
	}
	switch (f.code) {
	case PPPOE_CODE_PADI:
		handle_padi(ac, &f, &t, mac);
		break;
	case PPPOE_CODE_PADR:
		handle_padr(ac, &f, &t, mac);
		break;
	case PPPOE_CODE_PADT:
		handle_padt(ac, &f, &t, mac);
		break;
	default:
		break;  /* PADO/PADS are for clients */
	}
}

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
			sess_finish(s, UPPP_CAUSE_ADMIN);
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
	ac_input(ac, frame, len);
	ac_leave(ac);
}

void uppp_ac_timer(struct uppp_ac *ac, struct uppp_ac_session *s, uint64_t now)
{
	ac_enter(ac, now);
	if (s && !s->dead) {
		s->armed = UPPP_NO_DEADLINE;  /* the host's timer has fired */
		uppp_ppp_timer(&s->ppp, now);
		sess_settle(s);
	}
	ac_leave(ac);
}

int uppp_ac_send_ip(struct uppp_ac *ac, struct uppp_ac_session *s, uint8_t *pkt, size_t len, uint64_t now)
{
	int err = -ENOTCONN;

	ac_enter(ac, now);
	if (s && !s->dead) {
		err = uppp_ppp_send_ip(&s->ppp, pkt, len, now);
		sess_settle(s);
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
			sess_finish(s, cause);
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
