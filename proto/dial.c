/* proto/dial.c — the PPPoE client (RFC 2516 host side), sans-I/O.
 *
 * PADI (broadcast, random Host-Uniq) → first acceptable PADO → PADR → PADS,
 * each retransmitted with a doubling timeout, then one PPPoE session carrier
 * (proto/pppoe_session.h) with its PPP engine in the client role. The host
 * drives it with frames, timer expiries and the time. */
#include "proto/dial.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"
#include "proto/pppoe.h"
#include "proto/pppoe_session.h"

#define DIAL_TAG_STORE_MAX 512       /* AC-Cookie / Relay-Session-Id we echo */
#define DIAL_TIMEOUT_CAP_MS 60000
#define DIAL_DEFAULT_TIMEOUT_MS 1000
#define DIAL_DEFAULT_ATTEMPTS 5
#define DIAL_HANGUP_WAIT_MS 1000     /* wait this long for the Terminate-Ack before PADT */

enum dial_state { DIAL_IDLE, DIAL_PADI_SENT, DIAL_PADR_SENT, DIAL_SESSION, DIAL_DOWN, DIAL_STATE_COUNT };

struct uppp_dial {
	const struct uppp_dial_config *cfg;
	const struct uppp_dial_ops *ops;
	void *ctx;
	/* the PPPoE session and its PPP engine, from PADS on (zeroed before:
	 * ps.id is 0); ps.dead once down (proto/pppoe_session.h) */
	struct uppp_pppoe_session ps;
	enum dial_state state;
	uint8_t host_uniq[8];
	uint8_t host_uniq_len;
	uint8_t ac_mac[6];
	char ac_mac_str[UPPP_MAC_STR_LEN];
	uint8_t cookie[DIAL_TAG_STORE_MAX];
	uint16_t cookie_len;
	bool has_cookie;
	uint8_t relay_id[DIAL_TAG_STORE_MAX];
	uint16_t relay_id_len;
	bool has_relay_id;
	unsigned tries;               /* transmissions of the current PADI/PADR */
	unsigned timeout_ms;          /* current retransmit interval */
	uint64_t disc_deadline;
	uint64_t deadline;            /* uppp_dial_next_deadline(): the earliest of what is pending */
	uint64_t now;
	bool down_reported;
	bool hanging_up;              /* Terminate-Request sent; PADT on the Ack or at hangup_deadline */
	enum uppp_cause hangup_cause;
	uint64_t hangup_deadline;
	/* the PPP engine's authentication state, lent to it (dial_ppp_alloc):
	 * a client has one link, so it embeds the block an AC allocates per
	 * session */
	struct uppp_auth auth_mem;
	uint8_t term_text_mem[1 + UPPP_PPP_PEER_REASON_MAX];   /* the peer's Terminate-Request text */
	bool auth_mem_lent, term_text_lent;
	uint8_t tx[UPPP_PPPOE_FRAME_MAX];
};

/* A line of the client's own (no prefix, no layer word), formatted only when
 * the logger takes level. */
#define dial_log(d, level, ...) UPPP_LOGF(&(d)->cfg->log, (level), NULL, __VA_ARGS__)

static const char *const dial_state_names[DIAL_STATE_COUNT] = {
	"idle", "padi-sent", "padr-sent", "session", "down",
};

/* Which changes of the client's discovery state exist (RFC 2516 §5): PADI
 * out, a PADO taken (PADR out), PADS (the session), and down from anywhere
 * but idle and down — or from idle when the dial could not even start. */
#define DS(x) (1u << DIAL_##x)
static const uint8_t dial_legal_next[DIAL_STATE_COUNT] = {
	[DIAL_IDLE] = DS(PADI_SENT) | DS(DOWN),
	[DIAL_PADI_SENT] = DS(PADR_SENT) | DS(DOWN),
	[DIAL_PADR_SENT] = DS(SESSION) | DS(DOWN),
	[DIAL_SESSION] = DS(DOWN),
	[DIAL_DOWN] = 0,
};
#undef DS

/* The one place the state changes: checked against the table above and
 * logged `dial idle -> padi-sent (why)`, as proto/fsm.c does for LCP/IPCP. */
static void dial_set_state(struct uppp_dial *d, enum dial_state next, const char *why)
{
	enum dial_state old = d->state;

	if (old == next)
		return;
	if (!(dial_legal_next[old] & (1u << next))) {
		dial_log(d, UPPP_LOG_ERR, "layer=dial illegal transition %s -> %s (%s)", dial_state_names[old],
			 dial_state_names[next], why);
		assert(!"illegal dial state transition");
		return;
	}
	dial_log(d, UPPP_LOG_DEBUG, "layer=dial %s -> %s (%s)", dial_state_names[old], dial_state_names[next], why);
	d->state = next;
}

static void hangup_now(struct uppp_dial *d, enum uppp_cause cause);

static const char *service_of(const struct uppp_dial *d)
{
	return d->cfg->service ? d->cfg->service : "";
}

static unsigned initial_timeout(const struct uppp_dial *d)
{
	return d->cfg->padi_timeout_ms ? d->cfg->padi_timeout_ms : DIAL_DEFAULT_TIMEOUT_MS;
}

static unsigned max_attempts(const struct uppp_dial *d)
{
	return d->cfg->padi_attempts ? d->cfg->padi_attempts : DIAL_DEFAULT_ATTEMPTS;
}

static void send_tx(struct uppp_dial *d, int len)
{
	if (len > 0 && d->cfg->ppp.debug)
		uppp_pppoe_log_frame(&d->cfg->log, "sent", d->tx, (size_t)len, false);
	if (len > 0)
		d->ops->send_frame(d->ctx, d->tx, (size_t)len);
	else
		dial_log(d, UPPP_LOG_ERR, "event=tx-failed reason=\"discovery packet does not fit one frame\"");
}

static void send_padi(struct uppp_dial *d)
{
	send_tx(d, uppp_pppoe_build_padi(d->tx, sizeof(d->tx), d->cfg->mac,
					 uppp_pppoe_tag_str(service_of(d)),
					 uppp_pppoe_tag_bytes(d->host_uniq, d->host_uniq_len)));
}

static void send_padr(struct uppp_dial *d)
{
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_str(service_of(d));
	struct uppp_pppoe_out o = { 0 };

	o.services = &svc;
	o.n_services = 1;
	o.host_uniq = uppp_pppoe_tag_bytes(d->host_uniq, d->host_uniq_len);
	if (d->has_cookie)
		o.cookie = uppp_pppoe_tag_bytes(d->cookie, d->cookie_len);
	if (d->has_relay_id)  /* RFC 2516 §5.3: echo it */
		o.relay_id = uppp_pppoe_tag_bytes(d->relay_id, d->relay_id_len);
	send_tx(d, uppp_pppoe_build_padr(d->tx, sizeof(d->tx), d->ac_mac, d->cfg->mac, &o));
}

static void report_down(struct uppp_dial *d, enum uppp_cause cause)
{
	if (d->down_reported)
		return;
	d->down_reported = true;
	d->ps.dead = true;
	dial_set_state(d, DIAL_DOWN, uppp_cause_name(cause));
	dial_log(d, UPPP_LOG_INFO, "sess=%u ac=%s event=down cause=%s reason=\"%s\"", d->ps.id,
		 d->ac_mac_str, uppp_cause_name(cause), uppp_cause_text(cause));
	if (d->ops->down)
		d->ops->down(d->ctx, cause);
}

/* After every entry point: run deferred closes, then compute the one
 * deadline the host waits for (uppp_dial_next_deadline). */
static void dial_settle(struct uppp_dial *d)
{
	uint64_t want = UPPP_NO_DEADLINE;

	if (d->state == DIAL_PADI_SENT || d->state == DIAL_PADR_SENT)
		want = d->disc_deadline;
	else if (d->state == DIAL_SESSION)
		want = uppp_pppoe_session_settle(&d->ps, d->now);
	if (d->state == DIAL_SESSION && d->hanging_up && d->hangup_deadline < want)
		want = d->hangup_deadline;
	d->deadline = want;
}

/* ---- what the session's carrier asks of the client (proto/pppoe_session.h) ---- */

static struct uppp_dial *dial_of(struct uppp_pppoe_session *ps)
{
	return (struct uppp_dial *)((char *)ps - offsetof(struct uppp_dial, ps));
}

static void sess_send_frame(struct uppp_pppoe_session *ps, const uint8_t *frame, size_t len)
{
	struct uppp_dial *d = dial_of(ps);
	d->ops->send_frame(d->ctx, frame, len);
}

static void sess_deliver_ip(struct uppp_pppoe_session *ps, uint8_t *pkt, size_t len)
{
	struct uppp_dial *d = dial_of(ps);
	if (d->ops->deliver_ip)
		d->ops->deliver_ip(d->ctx, pkt, len);
}

static int sess_random(struct uppp_pppoe_session *ps, void *buf, size_t len)
{
	struct uppp_dial *d = dial_of(ps);
	return d->ops->random(d->ctx, buf, len);
}

static enum uppp_cause sess_up(struct uppp_pppoe_session *ps, const struct uppp_ppp_link *link)
{
	struct uppp_dial *d = dial_of(ps);
	int err = d->ops->up ? d->ops->up(d->ctx, link) : 0;

	if (!err)
		return UPPP_CAUSE_NONE;
	UPPP_LOGF(&ps->log, UPPP_LOG_ERR, NULL, "event=interface-failed error=%d", err);
	return err == -ENOMEM ? UPPP_CAUSE_HOST_ERROR : UPPP_CAUSE_INTERFACE;
}

static void sess_down(struct uppp_pppoe_session *ps, enum uppp_cause cause)
{
	struct uppp_dial *d = dial_of(ps);
	uppp_pppoe_session_send_padt(ps, cause);
	report_down(d, cause);
}

static uint8_t *sess_tx_buffer(struct uppp_pppoe_session *ps)
{
	struct uppp_dial *d = dial_of(ps);
	uint8_t *b = d->ops->frame_buffer ? d->ops->frame_buffer(d->ctx) : NULL;

	return b ? b : d->tx;
}

static const struct uppp_logger *sess_logger(struct uppp_pppoe_session *ps)
{
	return &dial_of(ps)->cfg->log;
}

static const struct uppp_pppoe_session_ops dial_carrier_ops = {
	.is_server = false,
	.name_peer_mac = false,
	.tx_buffer = sess_tx_buffer,
	.logger = sess_logger,
	.send_frame = sess_send_frame,
	.deliver_ip = sess_deliver_ip,
	.random = sess_random,
	.up = sess_up,
	.down = sess_down,
};

/* The engine asks for its authentication state and for room for the
 * peer's Terminate-Request text (a client link asks for nothing else: it
 * keeps nothing after success): the dial's own blocks, one of each. */
static void *dial_ppp_alloc(void *ctx, size_t size)
{
	struct uppp_dial *d = dial_of(ctx);

	if (size == sizeof(d->auth_mem) && !d->auth_mem_lent) {
		d->auth_mem_lent = true;
		return &d->auth_mem;
	}
	if (size == sizeof(d->term_text_mem) && !d->term_text_lent) {
		d->term_text_lent = true;
		return d->term_text_mem;
	}
	return NULL;
}

static void dial_ppp_free(void *ctx, void *p, size_t size)
{
	struct uppp_dial *d = dial_of(ctx);

	(void)size;
	if (p == &d->auth_mem)
		d->auth_mem_lent = false;
	else if (p == d->term_text_mem)
		d->term_text_lent = false;
}

static const struct uppp_ppp_ops dial_ppp_ops = {
	UPPP_PPPOE_SESSION_PPP_OPS,
	.alloc = dial_ppp_alloc,
	.free = dial_ppp_free,
};

/* ---- discovery ---- */

static bool host_uniq_matches(const struct uppp_dial *d, const struct uppp_pppoe_tag *t)
{
	return t->present && t->len == d->host_uniq_len && memcmp(t->p, d->host_uniq, t->len) == 0;
}

static bool pado_offers_service(const struct uppp_dial *d, const struct uppp_pppoe_tags *t)
{
	const char *want = service_of(d);
	size_t n = strlen(want);

	if (n == 0)
		return true;
	for (size_t i = 0; i < t->n_services; i++)
		if (t->services[i].len == n && memcmp(t->services[i].p, want, n) == 0)
			return true;
	return false;
}

static void log_error_tags(struct uppp_dial *d, const char *what, const struct uppp_pppoe_tags *t)
{
	char e[UPPP_ESCAPED_MAX];
	const struct uppp_pppoe_tag *tag = t->service_name_error.present ? &t->service_name_error
					 : t->ac_system_error.present ? &t->ac_system_error
					 : &t->generic_error;
	const char *kind = t->service_name_error.present ? "Service-Name-Error"
			 : t->ac_system_error.present ? "AC-System-Error" : "Generic-Error";

	uppp_escape(tag->p ? tag->p : (const uint8_t *)"", tag->len, e, sizeof(e));
	dial_log(d, UPPP_LOG_WARN, "ac=%s event=%s error=%s text='%s'", d->ac_mac_str, what, kind, e);
}

static void handle_pado(struct uppp_dial *d, const struct uppp_pppoe_frame *f,
			const struct uppp_pppoe_tags *t)
{
	char mac[UPPP_MAC_STR_LEN], name[UPPP_ESCAPED_MAX];

	if (d->state != DIAL_PADI_SENT)
		return;
	uppp_mac_str(f->src, mac);
	uppp_escape(t->ac_name.present ? t->ac_name.p : (const uint8_t *)"", t->ac_name.len, name, sizeof(name));
	if (!host_uniq_matches(d, &t->host_uniq)) {
		dial_log(d, UPPP_LOG_DEBUG, "ac=%s event=pado-ignored reason=\"Host-Uniq is not ours\"", mac);
		return;
	}
	if (uppp_pppoe_tags_have_error(t)) {
		memcpy(d->ac_mac_str, mac, sizeof(mac));
		log_error_tags(d, "pado-ignored", t);
		return;
	}
	if (d->cfg->ac_name && !(t->ac_name.present && t->ac_name.len == strlen(d->cfg->ac_name) &&
				 memcmp(t->ac_name.p, d->cfg->ac_name, t->ac_name.len) == 0)) {
		dial_log(d, UPPP_LOG_INFO, "ac=%s event=pado-ignored reason=\"AC-Name '%s' is not the one configured\"", mac, name);
		return;
	}
	if (!pado_offers_service(d, t)) {
		dial_log(d, UPPP_LOG_INFO, "ac=%s event=pado-ignored reason=\"does not offer our Service-Name\" ac_name='%s'", mac, name);
		return;
	}
	if (t->cookie.len > DIAL_TAG_STORE_MAX || t->relay_id.len > DIAL_TAG_STORE_MAX) {
		dial_log(d, UPPP_LOG_WARN, "ac=%s event=pado-ignored reason=\"AC-Cookie or Relay-Session-Id too long\"", mac);
		return;
	}
	memcpy(d->ac_mac, f->src, 6);
	memcpy(d->ac_mac_str, mac, sizeof(mac));
	d->has_cookie = t->cookie.present;
	d->cookie_len = t->cookie.len;
	if (t->cookie.len)
		memcpy(d->cookie, t->cookie.p, t->cookie.len);
	d->has_relay_id = t->relay_id.present;
	d->relay_id_len = t->relay_id.len;
	if (t->relay_id.len)
		memcpy(d->relay_id, t->relay_id.p, t->relay_id.len);
	dial_log(d, UPPP_LOG_INFO, "ac=%s event=pado-accepted ac_name='%s'", mac, name);
	dial_set_state(d, DIAL_PADR_SENT, "PADO accepted");
	d->tries = 1;
	d->timeout_ms = initial_timeout(d);
	d->disc_deadline = d->now + d->timeout_ms;
	send_padr(d);
}

static void handle_pads(struct uppp_dial *d, const struct uppp_pppoe_frame *f,
			const struct uppp_pppoe_tags *t)
{
	if (d->state != DIAL_PADR_SENT || memcmp(f->src, d->ac_mac, 6) != 0)
		return;
	if (t->host_uniq.present && !host_uniq_matches(d, &t->host_uniq))
		return;
	if (uppp_pppoe_tags_have_error(t) || f->session_id == 0 || f->session_id == 0xffff) {
		/* RFC 2516 §5.4: the AC refused the session. */
		if (uppp_pppoe_tags_have_error(t))
			log_error_tags(d, "pads-refused", t);
		else
			dial_log(d, UPPP_LOG_WARN, "ac=%s event=pads-refused reason=\"session id %u\"", d->ac_mac_str, f->session_id);
		report_down(d, UPPP_CAUSE_DISCOVERY_TIMEOUT);
		return;
	}
	if (d->ps.ppp.env.ops)   /* a link before this one, dropped without down() */
		uppp_ppp_release(&d->ps.ppp);
	uppp_pppoe_session_init(&d->ps, &dial_carrier_ops, &d->cfg->ppp, &d->cfg->log, d->cfg->mac, d->ac_mac,
				f->session_id);
	dial_set_state(d, DIAL_SESSION, "PADS");
	dial_log(d, UPPP_LOG_INFO, "sess=%u ac=%s event=session-start", d->ps.id, d->ac_mac_str);
	uppp_pppoe_session_open(&d->ps, &dial_ppp_ops, d->now);
}

static void handle_padt(struct uppp_dial *d, const struct uppp_pppoe_frame *f,
			const struct uppp_pppoe_tags *t)
{
	if (d->state != DIAL_SESSION || f->session_id != d->ps.id || memcmp(f->src, d->ps.peer_mac, 6) != 0)
		return;
	if (uppp_pppoe_tags_have_error(t))
		log_error_tags(d, "padt-received", t);
	d->ps.peer_padt = true;
	uppp_ppp_lower_down(&d->ps.ppp, UPPP_CAUSE_PEER_PADT, d->now);
	report_down(d, UPPP_CAUSE_PEER_PADT);  /* no-op when the engine already did */
}

static void dial_input(struct uppp_dial *d, uint8_t *frame, size_t len)
{
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;

	if (uppp_pppoe_parse(frame, len, &f) || memcmp(f.dst, d->cfg->mac, 6) != 0)
		return;
	if (d->cfg->ppp.debug)
		uppp_pppoe_log_frame(&d->cfg->log, "rcvd", frame, len, false);
	if (f.ethertype == ETH_P_PPPOE_SESS) {
		/* refused frames go unremarked: only our one AC talks to us */
		(void)uppp_pppoe_session_input(d->state == DIAL_SESSION ? &d->ps : NULL, frame, &f, d->now);
		return;
	}
	if (uppp_pppoe_parse_tags(f.payload, f.payload_len, &t)) {
		dial_log(d, UPPP_LOG_DEBUG, "event=discovery-dropped code=%s reason=\"tag runs past the end\"",
			 uppp_pppoe_code_name(f.code));
		return;
	}
	switch (f.code) {
	case PPPOE_CODE_PADO:
		handle_pado(d, &f, &t);
		break;
	case PPPOE_CODE_PADS:
		handle_pads(d, &f, &t);
		break;
	case PPPOE_CODE_PADT:
		handle_padt(d, &f, &t);
		break;
	default:
		break;
	}
}

/* ---- public API ---- */

struct uppp_dial *uppp_dial_new(const struct uppp_dial_config *cfg, const struct uppp_dial_ops *ops, void *ctx)
{
	struct uppp_dial *d = uppp_mem_calloc(cfg->alloc, 1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = cfg;
	d->ops = ops;
	d->ctx = ctx;
	d->state = DIAL_IDLE;
	d->deadline = UPPP_NO_DEADLINE;
	memcpy(d->ac_mac_str, "-", 2);
	return d;
}

void uppp_dial_free(struct uppp_dial *d)
{
	if (!d)
		return;
	if (d->ps.ppp.env.ops)   /* opened */
		uppp_ppp_release(&d->ps.ppp);
	uppp_mem_free(d->cfg->alloc, d, 1, sizeof(*d));
}

void uppp_dial_start(struct uppp_dial *d, uint64_t now)
{
	uint8_t n;

	if (d->state != DIAL_IDLE)
		return;
	d->now = now;
	n = 0;
	if (d->ops->random(d->ctx, &n, 1) == 0)
		d->host_uniq_len = (uint8_t)(4 + n % 5);  /* 4..8 bytes */
	if (!d->host_uniq_len || d->ops->random(d->ctx, d->host_uniq, d->host_uniq_len) < 0) {
		dial_log(d, UPPP_LOG_ERR, "event=random-failed reason=\"no Host-Uniq: %s\"",
			 uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
		report_down(d, UPPP_CAUSE_HOST_ERROR);   /* nothing was sent */
		return;
	}
	dial_set_state(d, DIAL_PADI_SENT, "start");
	d->tries = 1;
	d->timeout_ms = initial_timeout(d);
	d->disc_deadline = now + d->timeout_ms;
	{
		char svc[UPPP_ESCAPED_MAX];
		const char *s = service_of(d);
		dial_log(d, UPPP_LOG_INFO, "event=padi-sent service='%s'",
			 uppp_escape((const uint8_t *)s, strlen(s), svc, sizeof(svc)));
	}
	send_padi(d);
	dial_settle(d);
}

void uppp_dial_input(struct uppp_dial *d, uint8_t *frame, size_t len, uint64_t now)
{
	d->now = now;
	dial_input(d, frame, len);
	dial_settle(d);
}

uint64_t uppp_dial_next_deadline(const struct uppp_dial *d)
{
	return d->deadline;
}

void uppp_dial_run_timers(struct uppp_dial *d, uint64_t now)
{
	if (now < d->deadline)
		return;   /* nothing due yet */
	d->now = now;
	if (d->state == DIAL_SESSION) {
		uppp_ppp_timer(&d->ps.ppp, now);
		if (d->state == DIAL_SESSION && d->hanging_up && now >= d->hangup_deadline)
			hangup_now(d, d->hangup_cause);
	} else if ((d->state == DIAL_PADI_SENT || d->state == DIAL_PADR_SENT) && now >= d->disc_deadline) {
		bool padi = d->state == DIAL_PADI_SENT;
		if (d->tries >= max_attempts(d)) {
			dial_log(d, UPPP_LOG_WARN, "event=discovery-timeout reason=\"no %s after %u attempts\"",
				 padi ? "PADO" : "PADS", d->tries);
			report_down(d, UPPP_CAUSE_DISCOVERY_TIMEOUT);
		} else {
			d->tries++;
			d->timeout_ms = d->timeout_ms * 2 > DIAL_TIMEOUT_CAP_MS ? DIAL_TIMEOUT_CAP_MS : d->timeout_ms * 2;
			d->disc_deadline = now + d->timeout_ms;
			dial_log(d, UPPP_LOG_DEBUG, "event=%s-retransmit attempt=%u", padi ? "padi" : "padr", d->tries);
			if (padi)
				send_padi(d);
			else
				send_padr(d);
		}
	}
	dial_settle(d);
}

int uppp_dial_send_ip(struct uppp_dial *d, uint8_t *pkt, size_t len, uint64_t now)
{
	int err;

	if (d->state != DIAL_SESSION)
		return -ENOTCONN;
	d->now = now;
	err = uppp_ppp_send_ip(&d->ps.ppp, pkt, len, now);
	dial_settle(d);
	return err;
}

/* PADT now and down: the session is over whatever the peer says. */
static void hangup_now(struct uppp_dial *d, enum uppp_cause cause)
{
	uppp_pppoe_session_send_padt(&d->ps, cause);
	uppp_ppp_lower_down(&d->ps.ppp, cause, d->now);
	report_down(d, cause);
}

/* RFC 1661 §3.7: Terminate-Request first, and PADT only once it is acked (or
 * after DIAL_HANGUP_WAIT_MS): an rp-pppoe server that gets the PADT first
 * kills its pppd before that pppd has seen our Terminate-Request. A second
 * hang-up while waiting ends at once. */
void uppp_dial_hangup(struct uppp_dial *d, enum uppp_cause cause, uint64_t now)
{
	d->now = now;
	if (d->state == DIAL_SESSION && !d->hanging_up) {
		d->hanging_up = true;
		d->hangup_cause = cause;
		d->hangup_deadline = now + DIAL_HANGUP_WAIT_MS;
		uppp_ppp_close(&d->ps.ppp, cause, now);  /* down() on the Ack sends PADT */
	} else if (d->state == DIAL_SESSION) {
		hangup_now(d, d->hangup_cause);
	} else {
		report_down(d, cause);
	}
	dial_settle(d);
}

void uppp_dial_abort(struct uppp_dial *d, enum uppp_cause cause, uint64_t now)
{
	d->now = now;
	if (d->state == DIAL_SESSION)
		hangup_now(d, cause);
	else
		report_down(d, cause);   /* once: a dial already down stays as it is */
	dial_settle(d);
}

bool uppp_dial_is_up(const struct uppp_dial *d)
{
	return d->state == DIAL_SESSION && uppp_ppp_is_up(&d->ps.ppp);
}

uint16_t uppp_dial_session_id(const struct uppp_dial *d)
{
	return d->state == DIAL_SESSION || d->state == DIAL_DOWN ? d->ps.id : 0;
}
