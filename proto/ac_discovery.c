/* proto/ac_discovery.c — the access concentrator's discovery stage (RFC 2516
 * §5): PADI → PADO with a stateless, expiring HMAC cookie, PADR → session +
 * PADS, PADT; rate limits and session limits; and the dispatch of every
 * received frame (uppp_ac_input_frame). */
#include "proto/ac_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hmac.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"

#define COOKIE_MAC_LEN 16
#define COOKIE_LEN (4 + COOKIE_MAC_LEN)  /* timestamp (s) then truncated HMAC-SHA256 */
#define COOKIE_LIFETIME_S 60
#define UNKNOWN_LOG_INTERVAL_MS 1000

/* ---- helpers ---- */

static char *esc_tag(const struct uppp_pppoe_tag *t, char *out, size_t cap)
{
	return uppp_escape(t->present ? t->p : (const uint8_t *)"", t->present ? t->len : 0, out, cap);
}

static unsigned sessions_of_mac(const struct uppp_ac *ac, const uint8_t mac[6])
{
	unsigned n = 0;
	for (const struct uppp_ac_session *s = ac->by_mac[uppp_ac_mac_bucket(ac, mac)]; s; s = s->mac_next)
		n += mac_eq(s->ps.peer_mac, mac);
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

/* ---- discovery ---- */

static void send_pads(struct uppp_ac *ac, const struct uppp_ac_session *s)
{
	struct uppp_pppoe_out o = { 0 };
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_bytes(ac_sess_service(s), s->service_len);

	o.services = &svc;
	o.n_services = 1;
	o.ac_name = uppp_pppoe_tag_str(ac->cfg->ac_name);
	if (s->has_host_uniq)
		o.host_uniq = uppp_pppoe_tag_bytes(ac_sess_host_uniq(s), s->host_uniq_len);
	if (s->has_relay_id)
		o.relay_id = uppp_pppoe_tag_bytes(ac_sess_relay_id(s), s->relay_id_len);
	uppp_ac_transmit(ac, uppp_pppoe_build_pads(ac->tx, sizeof(ac->tx), s->ps.peer_mac, ac->cfg->mac, s->ps.id, &o));
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
	uppp_ac_transmit(ac, uppp_pppoe_build_pads(ac->tx, sizeof(ac->tx), dst, ac->cfg->mac, 0, &o));
	ac->cnt.pads_tx++;
}

static void log_no_service(struct uppp_ac *ac, const char *what, const char *mac,
			   const struct uppp_pppoe_tag *req)
{
	char asked[UPPP_ESCAPED_MAX], offer[1024];
	bool pado = strncmp(what, "no PADO", 7) == 0;
	uppp_ac_warn(ac, "mac=%s event=%s cause=%s reason=\"%s\" detail=\"%s: client asked Service-Name '%s', we offer %s\"",
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
		uppp_ac_warn(ac, "mac=%s event=no-pado cause=%s reason=\"%s\" detail=\"no PADO sent: %s\"", mac,
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
		uppp_ac_warn(ac, "mac=%s event=no-pado no PADO sent: echoed tags do not fit one frame", mac);
		return;
	}
	uppp_ac_transmit(ac, len);
	ac->cnt.pado_tx++;
	ac_log(ac, UPPP_LOG_DEBUG, "mac=%s event=pado-sent", mac);
}

static struct uppp_ac_session *find_negotiating(struct uppp_ac *ac, const uint8_t mac[6],
						const struct uppp_pppoe_tag *hu)
{
	for (struct uppp_ac_session *s = ac->by_mac[uppp_ac_mac_bucket(ac, mac)]; s; s = s->mac_next) {
		if (s->ps.dead || !mac_eq(s->ps.peer_mac, mac) || s->has_host_uniq != hu->present)
			continue;
		if (hu->present && !tag_eq(hu, ac_sess_host_uniq(s), s->host_uniq_len))
			continue;
		if (!uppp_ppp_is_up(&s->ps.ppp))
			return s;
	}
	return NULL;
}

/* A free session id, or 0: table full or no randomness. */
static uint16_t pick_session_id(struct uppp_ac *ac)
{
	for (int i = 0; i < 64; i++) {
		uint8_t r[2];
		if (ac->ops->random(ac->ctx, r, sizeof(r)) < 0)
			return 0;
		uint16_t id = uppp_get_be16(r);
		if (id != 0 && id != 0xffff && !ac_by_id(ac, id))
			return id;
	}
	for (uint32_t id = 1; id < 0xffff; id++)  /* ids nearly all taken: any free one */
		if (!ac_by_id(ac, (uint16_t)id))
			return (uint16_t)id;
	return 0;
}

static void handle_padr(struct uppp_ac *ac, const struct uppp_pppoe_frame *f,
			const struct uppp_pppoe_tags *t, const char *mac)
{
	struct uppp_ac_session *s;
	uint16_t id;
	const char *bad;
	char why[128];

	if (!mac_eq(f->dst, ac->cfg->mac))
		return;  /* RFC 2516 §5.3: PADR is unicast to the chosen AC */
	bad = cookie_check(ac, f->src, &t->cookie, ac->now);
	if (bad) {
		ac->cnt.dropped_bad_cookie++;
		uppp_ac_warn(ac, "mac=%s event=padr-dropped reason=\"%s\"", mac, bad);
		return;
	}
	s = find_negotiating(ac, f->src, &t->host_uniq);
	if (s) {  /* retransmitted PADR: our PADS was lost */
		ac_log(ac, UPPP_LOG_INFO, "sess=%u mac=%s event=pads-resent reason=\"duplicate PADR\"", s->ps.id, mac);
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
		uppp_ac_warn(ac, "mac=%s event=padr-dropped reason=\"Host-Uniq, Relay-Session-Id or Service-Name longer than %d bytes\"",
		       mac, AC_TAG_STORE_MAX);
		return;
	}
	if (limit_reason(ac, f->src, why, sizeof(why))) {
		ac->cnt.dropped_limit++;
		uppp_ac_warn(ac, "mac=%s event=padr-refused cause=%s detail=\"%s\"", mac,
			uppp_cause_name(limit_cause(ac, f->src)), why);
		send_pads_error(ac, f->src, t, PPPOE_TAG_AC_SYSTEM_ERROR, "session limit reached");
		return;
	}
	if (ac->cfg->max_negotiating && ac->n_negotiating >= ac->cfg->max_negotiating) {
		/* Silence, not a PADS error: the client retransmits its PADR and
		 * gets in once a negotiation ends (RFC 2516 §5.3 retransmission). */
		ac->cnt.dropped_negotiating++;
		uppp_ac_warn(ac, "mac=%s event=padr-dropped reason=\"%zu sessions still negotiating, max-negotiating is %u\"",
			mac, ac->n_negotiating, ac->cfg->max_negotiating);
		return;
	}
	/* the tags go behind the struct, in the same allocation */
	size_t hu = t->host_uniq.present ? t->host_uniq.len : 0, rid = t->relay_id.present ? t->relay_id.len : 0;
	size_t svc_len = t->service_name.present ? t->service_name.len : 0;
	s = uppp_mem_calloc(ac->alloc, 1, sizeof(*s) + hu + rid + svc_len);
	if (!s) {
		ac->cnt.dropped_limit++;
		ac_log(ac, UPPP_LOG_ERR, "mac=%s event=padr-refused reason=\"out of memory\"", mac);
		return;
	}
	s->ac = ac;
	s->has_host_uniq = t->host_uniq.present;
	s->host_uniq_len = (uint8_t)hu;
	if (hu)
		memcpy(s->tags, t->host_uniq.p, hu);
	s->has_relay_id = t->relay_id.present;
	s->relay_id_len = (uint8_t)rid;
	if (rid)
		memcpy(s->tags + hu, t->relay_id.p, rid);
	s->service_len = (uint8_t)svc_len;
	if (svc_len)
		memcpy(s->tags + hu + rid, t->service_name.p, svc_len);
	id = pick_session_id(ac);
	if (!id) {
		uppp_ac_sess_free(ac, s);
		ac->cnt.dropped_limit++;
		ac_log(ac, UPPP_LOG_ERR, "mac=%s event=padr-refused cause=%s reason=\"no session id: %s\"", mac,
		       uppp_cause_name(UPPP_CAUSE_HOST_ERROR), uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
		send_pads_error(ac, f->src, t, PPPOE_TAG_AC_SYSTEM_ERROR, "no session id");
		return;
	}
	uppp_pppoe_session_init(&s->ps, &uppp_ac_sess_carrier_ops, &ac->cfg->ppp, &ac->cfg->log, ac->cfg->mac, f->src,
				id);
	s->started = ac->now;

	uppp_ac_sess_link(ac, s);
	s->negotiating = true;
	ac->n_negotiating++;

	char svc[UPPP_ESCAPED_MAX];
	ac_log(ac, UPPP_LOG_INFO, "sess=%u mac=%s event=session-start service='%s' sessions=%zu",
	       s->ps.id, mac, uppp_escape(ac_sess_service(s), s->service_len, svc, sizeof(svc)), ac->n_sessions);
	send_pads(ac, s);
	uppp_pppoe_session_open(&s->ps, &uppp_ac_sess_ppp_ops, ac->now);
	uppp_ac_sess_settle(s);
}

static void handle_padt(struct uppp_ac *ac, const struct uppp_pppoe_frame *f,
			const struct uppp_pppoe_tags *t, const char *mac)
{
	struct uppp_ac_session *s = ac_by_id(ac, f->session_id);

	ac->cnt.padt_rx++;
	if (!mac_eq(f->dst, ac->cfg->mac))
		return;
	if (!s || s->ps.dead || !mac_eq(s->ps.peer_mac, f->src)) {
		ac->cnt.dropped_unknown_session++;
		uppp_ac_warn(ac, "sess=%u mac=%s event=padt-ignored reason=\"no such session from this MAC\"",
		       f->session_id, mac);
		return;
	}
	if (t->generic_error.present) {
		char e[UPPP_ESCAPED_MAX];
		ac_log(ac, UPPP_LOG_INFO, "sess=%u mac=%s event=padt-received generic_error='%s'",
		       s->ps.id, mac, esc_tag(&t->generic_error, e, sizeof(e)));
	}
	s->ps.peer_padt = true;
	uppp_ppp_lower_down(&s->ps.ppp, UPPP_CAUSE_PEER_PADT, ac->now);
	if (!s->ps.dead)  /* the engine must call down(); make sure the session ends anyway */
		uppp_ac_sess_finish(s, UPPP_CAUSE_PEER_PADT);
	uppp_ac_sess_settle(s);
}

/* The data path: no MAC text is made unless a line is logged. */
static void handle_session(struct uppp_ac *ac, uint8_t *frame, const struct uppp_pppoe_frame *f)
{
	struct uppp_ac_session *s;
	char mac[UPPP_MAC_STR_LEN];
	int rc;

	if (!mac_eq(f->dst, ac->cfg->mac))
		return;
	s = ac_by_id(ac, f->session_id);
	rc = uppp_pppoe_session_input(s ? &s->ps : NULL, frame, f, ac->now);
	if (rc == -EBADMSG) {
		ac->cnt.dropped_malformed++;
		return;
	}
	if (rc) {
		ac->cnt.dropped_unknown_session++;
		if (!ac->unknown_logged || ac->now - ac->unknown_logged_at >= UNKNOWN_LOG_INTERVAL_MS) {
			uppp_mac_str(f->src, mac);
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
	uppp_ac_sess_settle(s);
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
		uppp_ac_warn(ac, "mac=%s event=rate-limited code=%s reason=\"more than %s from this MAC\"", mac, what,
			rate_text(per_mac, rate, sizeof(rate)));
		return false;
	}
	if (!uppp_bucket_take(all, global, ac->now)) {
		ac->cnt.dropped_rate_limited++;
		uppp_ac_warn(ac, "mac=%s event=rate-limited code=%s reason=\"more than %s from all clients\"", mac, what,
			rate_text(global, rate, sizeof(rate)));
		return false;
	}
	if (!uppp_rl_would_allow(&ac->authfail_mac, &cfg->auth_fail_per_mac, f->src, ac->now)) {
		ac->cnt.dropped_auth_limited++;
		uppp_ac_warn(ac, "mac=%s event=%s-ignored reason=\"too many failed logins from this MAC\" retry_in_s=%llu",
			mac, what,
			(unsigned long long)((uppp_rl_wait_ms(&ac->authfail_mac, &cfg->auth_fail_per_mac, f->src,
							      ac->now) + 999) / 1000));
		return false;
	}
	return true;
}

/* A discovery frame (PADI, PADR, PADT) that passed the checks every frame
 * gets: rate limits, tags, then its handler. Out of uppp_ac_input_frame so
 * that the session path stays short. */
static void discovery_input(struct uppp_ac *ac, const struct uppp_pppoe_frame *f)
{
	struct uppp_pppoe_tags t;
	char mac[UPPP_MAC_STR_LEN];

	uppp_mac_str(f->src, mac);
	if (!discovery_allowed(ac, f, mac))
		return;
	if (uppp_pppoe_parse_tags(f->payload, f->payload_len, &t)) {
		ac->cnt.dropped_malformed++;
		ac_log(ac, UPPP_LOG_DEBUG, "mac=%s event=discovery-dropped code=%s reason=\"tag runs past the end\"",
		       mac, uppp_pppoe_code_name(f->code));
		return;
	}
	switch (f->code) {
	case PPPOE_CODE_PADI:
		handle_padi(ac, f, &t, mac);
		break;
	case PPPOE_CODE_PADR:
		handle_padr(ac, f, &t, mac);
		break;
	case PPPOE_CODE_PADT:
		handle_padt(ac, f, &t, mac);
		break;
	default:
		break;  /* PADO/PADS are for clients */
	}
}

void uppp_ac_input_frame(struct uppp_ac *ac, uint8_t *frame, size_t len)
{
	struct uppp_pppoe_frame f;
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
	if (ac->cfg->ppp.debug)
		uppp_pppoe_log_frame(&ac->cfg->log, "rcvd", frame, len, true);
	if (f.ethertype == ETH_P_PPPOE_SESS) {
		handle_session(ac, frame, &f);
		return;
	}
	discovery_input(ac, &f);
}
