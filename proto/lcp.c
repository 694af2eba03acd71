/* proto/lcp.c — LCP options and extra codes on the RFC 1661 automaton. */
#include "proto/lcp.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "core/ppp_defs.h"

#define LCP_LOG(l, lvl, ...) UPPP_LOGF((l)->fsm.env->log, (lvl), "lcp", __VA_ARGS__)

static struct uppp_lcp *lcp_of(struct uppp_fsm *f)
{
	return (struct uppp_lcp *)((char *)f - offsetof(struct uppp_lcp, fsm));
}

static uint32_t new_magic(struct uppp_lcp *l, uint32_t avoid)
{
	uint32_t m = 0;

	for (int i = 0; i < 4 && (m == 0 || m == avoid); i++) {
		if (l->fsm.env->ops->random && l->fsm.env->ops->random(l->fsm.env->ctx, &m, sizeof(m)) < 0)
			break;   /* the host ends the link (HOST_ERROR) */
	}
	/* RFC 1661 §6.4: zero is not a magic number; a host without randomness
	 * still gets something that differs from what it must avoid */
	if (m == 0 || m == avoid)
		m = avoid ^ 0x5a5aa5a5u;
	return m;
}

void uppp_lcp_init(struct uppp_lcp *l, bool is_server, uint16_t mru, enum uppp_auth_method auth,
		   struct uppp_fsm_env *env)
{
	memset(l, 0, sizeof(*l));
	uppp_fsm_init(&l->fsm, &uppp_lcp_callbacks, env);
	l->fsm.peer_mru = UPPP_PPPOE_MTU;
	l->is_server = is_server;
	l->link_max = UPPP_PPPOE_MTU;
	l->cfg_mru = mru ? mru : UPPP_PPPOE_MTU;
	if (l->cfg_mru > UPPP_PPPOE_MTU)
		l->cfg_mru = UPPP_PPPOE_MTU;
	l->cfg_auth = is_server ? auth : UPPP_AUTH_NONE;
}

void uppp_lcp_set_link_max(struct uppp_lcp *l, uint16_t link_max)
{
	if (link_max == 0 || link_max > UPPP_PPPOE_MTU)
		link_max = UPPP_PPPOE_MTU;
	if (link_max < UPPP_LCP_MIN_MRU)
		link_max = UPPP_LCP_MIN_MRU;
	l->link_max = link_max;
	if (l->cfg_mru > link_max)
		l->cfg_mru = link_max;
	l->fsm.peer_mru = link_max;
}

/* Nothing larger than the lower layer carries (1492 on PPPoE at most). */
static uint16_t cap_link(const struct uppp_lcp *l, uint16_t mru)
{
	return mru > l->link_max ? l->link_max : mru;
}

uint16_t uppp_lcp_peer_mru(const struct uppp_lcp *l)
{
	return cap_link(l, l->his_mru_set ? l->his_mru : UPPP_LCP_DEFAULT_MRU);
}

uint16_t uppp_lcp_our_mru(const struct uppp_lcp *l)
{
	return cap_link(l, l->got_mru ? l->want_mru : UPPP_LCP_DEFAULT_MRU);
}

enum uppp_auth_method uppp_lcp_auth(const struct uppp_lcp *l)
{
	if (l->is_server)
		return l->got_auth ? l->ask_auth_proto : UPPP_AUTH_NONE;
	return l->his_auth;
}

static void lcp_reset(struct uppp_fsm *f)
{
	struct uppp_lcp *l = lcp_of(f);

	l->ask_mru = true;
	l->want_mru = l->cfg_mru;
	l->ask_magic = true;
	l->magic = new_magic(l, 0);
	l->ask_auth = l->is_server && l->cfg_auth != UPPP_AUTH_NONE;
	l->ask_auth_proto = l->cfg_auth;
	l->auth_tried = 1u << l->cfg_auth;
	l->got_mru = l->got_magic = l->got_auth = false;
	l->auth_naks = 0;
	l->fail_cause = UPPP_CAUSE_NONE;
	f->peer_mru = l->link_max;
}

/* Authentication-Protocol data (RFC 1661 §6.2, RFC 1994 §3) for proto. */
static size_t auth_option_data(enum uppp_auth_method proto, uint8_t out[3])
{
	switch (proto) {
	case UPPP_AUTH_PAP:
		uppp_put_be16(out, PPP_PAP);
		return 2;
	case UPPP_AUTH_CHAP_MD5:
		uppp_put_be16(out, PPP_CHAP);
		out[2] = CHAP_MD5;
		return 3;
#if UPPP_HAVE_MSCHAPV2
	case UPPP_AUTH_MSCHAPV2:
		uppp_put_be16(out, PPP_CHAP);
		out[2] = CHAP_MSCHAPV2;
		return 3;
#endif
	default:
		return 0;
	}
}

/* What an Authentication-Protocol option names; NONE when we do not know it. */
static enum uppp_auth_method auth_option_proto(const uint8_t *d, size_t n)
{
	if (n == 2 && uppp_get_be16(d) == PPP_PAP)
		return UPPP_AUTH_PAP;
	if (n == 3 && uppp_get_be16(d) == PPP_CHAP && d[2] == CHAP_MD5)
		return UPPP_AUTH_CHAP_MD5;
	if (UPPP_HAVE_MSCHAPV2 && n == 3 && uppp_get_be16(d) == PPP_CHAP && d[2] == CHAP_MSCHAPV2)
		return UPPP_AUTH_MSCHAPV2;
	return UPPP_AUTH_NONE;   /* (MS-CHAPv2 too, in a build without it) */
}

static void put_opt(struct uppp_writer *w, uint8_t type, const uint8_t *d, size_t n)
{
	uppp_wr_u8(w, type);
	uppp_wr_u8(w, (uint8_t)(n + 2));
	uppp_wr_bytes(w, d, n);
}

static int lcp_build_request(struct uppp_fsm *f, struct uppp_writer *w)
{
	struct uppp_lcp *l = lcp_of(f);
	uint8_t d[4];

	if (l->ask_mru) {
		uppp_put_be16(d, l->want_mru);
		put_opt(w, LCP_OPT_MRU, d, 2);
	}
	if (l->ask_auth) {
		size_t n = auth_option_data(l->ask_auth_proto, d);
		if (n == 0)
			return -EINVAL;
		put_opt(w, LCP_OPT_AUTH, d, n);
	}
	if (l->ask_magic) {
		uppp_put_be32(d, l->magic);
		put_opt(w, LCP_OPT_MAGIC, d, 4);
	}
	return uppp_wr_ok(w) ? 0 : -EMSGSIZE;
}

static void judge_mru(struct uppp_lcp *l, struct uppp_cp_judge *j, const uint8_t *d, size_t n)
{
	uint8_t v[2];
	uint16_t mru;

	if (n != 2) {   /* RFC 1661 §6.1: length is exactly 4 */
		uppp_cp_reject(j, LCP_OPT_MRU, d, n);
		return;
	}
	mru = uppp_get_be16(d);
	/* RFC 2516 §7: no more than 1492 without RFC 4638. Between our link's
	 * limit and 1492 we ack: RFC 1661 §6.1, the peer says what it can
	 * receive, and we simply send no more than our link carries
	 * (uppp_lcp_peer_mru) */
	if (mru > UPPP_PPPOE_MTU || mru < UPPP_LCP_MIN_MRU) {
		uppp_put_be16(v, mru > UPPP_PPPOE_MTU ? UPPP_PPPOE_MTU : UPPP_LCP_MIN_MRU);
		uppp_cp_nak(j, LCP_OPT_MRU, d, n, v, 2);
		return;
	}
	l->his_mru_set = true;
	l->his_mru = mru;
}

static void judge_magic(struct uppp_lcp *l, struct uppp_cp_judge *j, const uint8_t *d, size_t n)
{
	uint8_t v[4];
	uint32_t m;

	if (n != 4) {   /* RFC 1661 §6.4: length is exactly 6 */
		uppp_cp_reject(j, LCP_OPT_MAGIC, d, n);
		return;
	}
	m = uppp_get_be32(d);
	if (m == 0 || (l->ask_magic && m == l->magic)) {
		/* RFC 1661 §6.4: the same magic as ours may be a looped-back
		 * link; Nak with another number and let a real peer move on */
		if (m != 0) {
			l->loopbacks++;
			LCP_LOG(l, UPPP_LOG_WARN,
				"event=magic-collision count=%llu (peer uses our magic number: looped-back link?)",
				(unsigned long long)l->loopbacks);   /* the log line's form, as before */
		}
		uppp_put_be32(v, new_magic(l, l->magic));
		uppp_cp_nak(j, LCP_OPT_MAGIC, d, n, v, 4);
		return;
	}
	l->his_magic = m;
}

static void judge_auth(struct uppp_lcp *l, struct uppp_cp_judge *j, const uint8_t *d, size_t n)
{
	enum uppp_auth_method p = auth_option_proto(d, n);
	uint8_t v[3];
	size_t vn;

	if (l->is_server || n < 2) {
		/* we do not authenticate ourselves to a client */
		uppp_cp_reject(j, LCP_OPT_AUTH, d, n);
		return;
	}
	unsigned accept = (l->cfg_client_accept ? l->cfg_client_accept : UPPP_AUTH_PROTOS_BUILT) & UPPP_AUTH_PROTOS_BUILT;
	if ((p == UPPP_AUTH_PAP || p == UPPP_AUTH_CHAP_MD5 || p == UPPP_AUTH_MSCHAPV2) && (accept & 1u << p)) {
		/* a password is all any of them needs: do what the server asks */
		l->his_auth = p;
		return;
	}
	/* A protocol we cannot or will not do (MS-CHAPv1, EAP, or one the user
	 * refused): offer the ones we accept in turn, CHAP-MD5, then PAP, then
	 * MS-CHAPv2 (RFC 1661 §6.2: Nak with the protocol we want). */
	static const enum uppp_auth_method order[] = { UPPP_AUTH_CHAP_MD5, UPPP_AUTH_PAP, UPPP_AUTH_MSCHAPV2 };
	enum uppp_auth_method offer = UPPP_AUTH_NONE;
	unsigned seen = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(accept & 1u << order[i]))
			continue;
		offer = order[i];   /* past the last one: keep offering it */
		if (seen++ == l->auth_naks)
			break;
	}
	if (offer == UPPP_AUTH_NONE) {
		uppp_cp_reject(j, LCP_OPT_AUTH, d, n);
		return;
	}
	vn = auth_option_data(offer, v);
	if (j->may_nak)
		l->auth_naks++;
	LCP_LOG(l, UPPP_LOG_INFO, "event=auth-nak proto=0x%04x (%s, offering %s)", uppp_get_be16(d),
		p == UPPP_AUTH_NONE ? "unsupported" : "refused by configuration", uppp_auth_proto_name(offer));
	uppp_cp_nak(j, LCP_OPT_AUTH, d, n, v, vn);
}

static enum uppp_cp_verdict lcp_handle_request(struct uppp_fsm *f, const uint8_t *opts, size_t len,
					       struct uppp_writer *reply, bool may_nak)
{
	struct uppp_lcp *l = lcp_of(f);
	struct uppp_reader r = uppp_reader(opts, len);
	struct uppp_cp_judge j;
	uint8_t type;
	const uint8_t *d;
	size_t n;
	int rc;

	uppp_cp_judge_init(&j, reply, may_nak);
	l->his_mru_set = false;
	l->his_mru = 0;
	l->his_magic = 0;
	l->his_auth = UPPP_AUTH_NONE;
	while ((rc = uppp_cp_next_option(&r, &type, &d, &n)) == 1) {
		switch (type) {
		case LCP_OPT_MRU:
			judge_mru(l, &j, d, n);
			break;
		case LCP_OPT_MAGIC:
			judge_magic(l, &j, d, n);
			break;
		case LCP_OPT_AUTH:
			judge_auth(l, &j, d, n);
			break;
		default:
			/* ACCM and ACFC must be rejected on PPPoE (RFC 2516 §7);
			 * PFC, Quality, Callback, MRRU, SSNHF, EPDISC and anything
			 * unknown we do not implement */
			uppp_cp_reject(&j, type, d, n);
			break;
		}
	}
	if (rc < 0)
		return UPPP_CP_DROP;
	return uppp_cp_judge_verdict(&j);
}

static int lcp_handle_ack(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct uppp_lcp *l = lcp_of(f);

	if (!uppp_cp_ack_matches(f, opts, len))
		return -EINVAL;
	l->got_mru = l->ask_mru;
	l->got_magic = l->ask_magic;
	l->got_auth = l->ask_auth;
	return 0;
}

/* Server: the peer Nak'd our Authentication-Protocol suggesting p. Ask p
 * if it is one we accept (pppd's require-pap + require-chap), else the next
 * accepted one not asked yet, strongest first. False: none left. */
static bool auth_fallback(struct uppp_lcp *l, enum uppp_auth_method p)
{
	static const enum uppp_auth_method order[] = { UPPP_AUTH_MSCHAPV2, UPPP_AUTH_CHAP_MD5, UPPP_AUTH_PAP };
	unsigned accepted = (l->cfg_auth_also | 1u << l->cfg_auth) & UPPP_AUTH_PROTOS_BUILT;
	enum uppp_auth_method next = UPPP_AUTH_NONE;

	if (p != UPPP_AUTH_NONE && (accepted & 1u << p) && !(l->auth_tried & 1u << p)) {
		next = p;
	} else {
		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && next == UPPP_AUTH_NONE; i++)
			if ((accepted & 1u << order[i]) && !(l->auth_tried & 1u << order[i]))
				next = order[i];
	}
	if (next == UPPP_AUTH_NONE)
		return false;
	LCP_LOG(l, UPPP_LOG_INFO, "event=auth-fallback asked=%s peer-offers=%s now-asking=%s",
		uppp_auth_proto_name(l->ask_auth_proto), p == UPPP_AUTH_NONE ? "unknown" : uppp_auth_proto_name(p),
		uppp_auth_proto_name(next));
	l->ask_auth_proto = next;
	l->auth_tried |= 1u << next;
	return true;
}

/* The peer will not stop Naking: what it names of our request is dropped
 * from it, as if rejected (pppd's maxnakloops). Authentication cannot be
 * dropped: a server that must authenticate gives up. */
static int lcp_nak_as_reject(struct uppp_lcp *l, const uint8_t *opts, size_t len)
{
	struct uppp_reader r = uppp_reader(opts, len);
	uint8_t type;
	const uint8_t *d;
	size_t n;
	int rc;
	bool mru = l->ask_mru, magic = l->ask_magic;

	while ((rc = uppp_cp_next_option(&r, &type, &d, &n)) == 1) {
		if (type == LCP_OPT_MRU && l->ask_mru) {
			mru = false;
		} else if (type == LCP_OPT_MAGIC && l->ask_magic) {
			magic = false;
		} else if (type == LCP_OPT_AUTH && l->ask_auth) {
			l->fail_cause = UPPP_CAUSE_AUTH_WRONG_PROTOCOL;
			LCP_LOG(l, UPPP_LOG_WARN,
				"event=auth-refused cause=%s reason=\"%s\" required=%s (peer keeps Naking it)",
				uppp_cause_name(l->fail_cause), uppp_cause_text(l->fail_cause),
				uppp_auth_proto_name(l->cfg_auth));
			return -EPROTO;
		}
	}
	if (rc < 0)
		return -EINVAL;
	if (l->ask_mru && !mru)
		LCP_LOG(l, UPPP_LOG_INFO, "event=mru-dropped asked=%u (peer keeps Naking it; not asking any more)",
			l->want_mru);
	l->ask_mru = mru;
	l->ask_magic = magic;
	return 0;
}

static int lcp_handle_nak(struct uppp_fsm *f, const uint8_t *opts, size_t len, bool treat_as_reject)
{
	struct uppp_lcp *l = lcp_of(f);
	struct uppp_reader r = uppp_reader(opts, len);
	uint8_t type;
	const uint8_t *d;
	size_t n;
	int rc;

	if (treat_as_reject)
		return lcp_nak_as_reject(l, opts, len);
	while ((rc = uppp_cp_next_option(&r, &type, &d, &n)) == 1) {
		if (type == LCP_OPT_MRU && n == 2 && l->ask_mru) {
			uint16_t v = uppp_get_be16(d);
			/* take a smaller MRU; never more than we can receive */
			if (v >= UPPP_LCP_MIN_MRU && v <= l->cfg_mru)
				l->want_mru = v;
		} else if (type == LCP_OPT_MAGIC && n == 4 && l->ask_magic) {
			/* RFC 1661 §6.4: pick a new random number, not theirs */
			l->magic = new_magic(l, l->magic);
		} else if (type == LCP_OPT_AUTH && l->ask_auth) {
			enum uppp_auth_method p = auth_option_proto(d, n);
			if (p != l->ask_auth_proto && auth_fallback(l, p))
				continue;
			if (p != l->ask_auth_proto) {
				l->fail_cause = UPPP_CAUSE_AUTH_WRONG_PROTOCOL;
				LCP_LOG(l, UPPP_LOG_WARN,
					"event=auth-refused cause=%s reason=\"%s\" required=%s peer-offers=%s",
					uppp_cause_name(l->fail_cause), uppp_cause_text(l->fail_cause),
					uppp_auth_proto_name(l->cfg_auth),
					p == UPPP_AUTH_NONE ? "unknown" : uppp_auth_proto_name(p));
				return -EPROTO;
			}
		}
	}
	return rc < 0 ? -EINVAL : 0;
}

static int lcp_handle_reject(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct uppp_lcp *l = lcp_of(f);
	struct uppp_reader r = uppp_reader(opts, len);
	uint8_t type;
	const uint8_t *d;
	size_t n;
	int rc;
	bool mru = l->ask_mru, magic = l->ask_magic, auth = l->ask_auth;

	/* RFC 1661 §5.4: only options we asked may come back rejected */
	while ((rc = uppp_cp_next_option(&r, &type, &d, &n)) == 1) {
		if (type == LCP_OPT_MRU && l->ask_mru)
			mru = false;
		else if (type == LCP_OPT_MAGIC && l->ask_magic)
			magic = false;
		else if (type == LCP_OPT_AUTH && l->ask_auth)
			auth = false;
		else
			return -EINVAL;
	}
	if (rc < 0)
		return -EINVAL;
	if (l->ask_auth && !auth) {
		l->fail_cause = UPPP_CAUSE_AUTH_WRONG_PROTOCOL;
		LCP_LOG(l, UPPP_LOG_WARN, "event=auth-rejected cause=%s reason=\"%s\" required=%s (peer refuses to authenticate)",
			uppp_cause_name(l->fail_cause), uppp_cause_text(l->fail_cause),
			uppp_auth_proto_name(l->cfg_auth));
		return -EPROTO;
	}
	l->ask_mru = mru;
	l->ask_magic = magic;
	return 0;
}

static void lcp_up(struct uppp_fsm *f)
{
	struct uppp_lcp *l = lcp_of(f);

	f->peer_mru = uppp_lcp_peer_mru(l);
	LCP_LOG(l, UPPP_LOG_INFO, "event=opened peer-mru=%u our-mru=%u auth=%s", f->peer_mru,
		uppp_lcp_our_mru(l), uppp_auth_proto_name(uppp_lcp_auth(l)));
}

static bool magic_is_ours(const struct uppp_lcp *l, const uint8_t *data, size_t len)
{
	return l->got_magic && len >= 4 && uppp_get_be32(data) == l->magic;
}

/* Echo-Request/Reply and Discard-Request, in Opened (RFC 1661 §5.8-5.9). */
static void lcp_handle_rxr(struct uppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	struct uppp_lcp *l = lcp_of(f);
	uint8_t reply[1500];

	if (code == LCP_DISC_REQ)
		return;
	if (len < 4) {
		f->rx_dropped++;
		return;
	}
	if (magic_is_ours(l, data, len)) {
		l->loopbacks++;
		LCP_LOG(l, UPPP_LOG_WARN, "event=echo-loopback code=%u (our own magic came back: looped-back link?)",
			code);
		return;
	}
	if (code == LCP_ECHO_REP) {
		l->echo_replies++;
		return;
	}
	/* Echo-Reply: our magic, then the peer's data; uppp_fsm_send truncates
	 * it to the peer's MRU */
	size_t n = len - 4 < sizeof(reply) - 4 ? len - 4 : sizeof(reply) - 4;
	uppp_put_be32(reply, l->got_magic ? l->magic : 0);
	memcpy(reply + 4, data + 4, n);
	uppp_fsm_send(f, LCP_ECHO_REP, id, reply, n + 4);
}

static int lcp_handle_other(struct uppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	struct uppp_lcp *l = lcp_of(f);
	uint16_t proto;

	(void)id;
	switch (code) {
	case LCP_PROTO_REJ:
		if (len < 2)
			return -EBADMSG;
		if (f->state != UPPP_FSM_OPENED)
			return 0;   /* RFC 1661 §5.7: only meaningful in Opened */
		proto = uppp_get_be16(data);
		LCP_LOG(l, UPPP_LOG_INFO, "event=protocol-rejected protocol=0x%04x", proto);
		if (proto == PPP_LCP)
			uppp_fsm_rejected(f, f->env->now);
		else if (f->env->hooks && f->env->hooks->notify)
			f->env->hooks->notify(f, UPPP_FSM_PROTOCOL_REJECT, proto);
		return 0;
	case LCP_IDENT:
	case LCP_TIME_REM:
		/* RFC 1570: informational; Windows sends Identification after open */
		return 0;
	default:
		return -ENOENT;
	}
}

const struct uppp_fsm_callbacks uppp_lcp_callbacks = {
	.name = "lcp",
	.protocol = PPP_LCP,
	.reset = lcp_reset,
	.build_request = lcp_build_request,
	.handle_request = lcp_handle_request,
	.handle_ack = lcp_handle_ack,
	.handle_nak = lcp_handle_nak,
	.handle_reject = lcp_handle_reject,
	.up = lcp_up,
	.rxr_codes = 1u << LCP_ECHO_REQ | 1u << LCP_ECHO_REP | 1u << LCP_DISC_REQ,
	.handle_rxr = lcp_handle_rxr,
	.handle_other = lcp_handle_other,
};

void uppp_lcp_send_echo_request(struct uppp_lcp *l)
{
	uint8_t d[4];

	uppp_put_be32(d, l->got_magic ? l->magic : 0);
	uppp_fsm_send(&l->fsm, LCP_ECHO_REQ, uppp_fsm_new_id(&l->fsm), d, sizeof(d));
}

void uppp_lcp_send_protocol_reject(struct uppp_lcp *l, uint16_t protocol, const uint8_t *info, size_t len)
{
	uint8_t buf[1500];
	size_t n = len < sizeof(buf) - 2 ? len : sizeof(buf) - 2;

	if (l->fsm.state != UPPP_FSM_OPENED)
		return;
	uppp_put_be16(buf, protocol);
	if (n)
		memcpy(buf + 2, info, n);
	LCP_LOG(l, UPPP_LOG_INFO, "event=protocol-reject protocol=0x%04x (not spoken here)", protocol);
	uppp_fsm_send(&l->fsm, LCP_PROTO_REJ, uppp_fsm_new_id(&l->fsm), buf, n + 2);
}
