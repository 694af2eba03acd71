/* auth/auth.c — dispatch of uppp_auth_* to PAP, CHAP-MD5 or MS-CHAPv2, and
 * helpers shared by them (see auth.h). */
#include "auth/auth_impl.h"
#include "auth/mschapv2.h"   /* UPPP_MSCHAPV2_AUTH_RESPONSE_LEN */

#include <errno.h>
#include <string.h>

void uppp_auth_init(struct uppp_auth *a, enum uppp_auth_method proto, bool authenticator,
		    const char *our_name, const char *password,
		    const struct uppp_auth_ops *ops, void *ctx)
{
	memset(a, 0, sizeof(*a));
	a->proto = proto;
	a->authenticator = authenticator;
	a->our_name = our_name ? our_name : "";
	a->password = password ? password : "";
	a->ops = ops;
	a->ctx = ctx;
	a->restart_ms = AUTH_DEFAULT_RESTART_MS;
	a->max_tries = AUTH_DEFAULT_MAX_TRIES;
	a->timeout_ms = AUTH_DEFAULT_TIMEOUT_MS;
	a->state = AUTH_ST_INITIAL;
	a->deadline = AUTH_NO_DEADLINE;
	a->give_up_at = AUTH_NO_DEADLINE;
	a->fail_cause = UPPP_CAUSE_NONE;
}

enum uppp_auth_result uppp_auth_start(struct uppp_auth *a, uint64_t now)
{
	/* The host may have changed these after init; 0 means "default". */
	if (a->restart_ms == 0)
		a->restart_ms = AUTH_DEFAULT_RESTART_MS;
	if (a->max_tries == 0)
		a->max_tries = AUTH_DEFAULT_MAX_TRIES;
	if (a->timeout_ms == 0)
		a->timeout_ms = AUTH_DEFAULT_TIMEOUT_MS;
	if (a->state != AUTH_ST_INITIAL)
		return uppp_auth_current_result(a);

	switch (a->proto) {
	case UPPP_AUTH_NONE:
		a->state = AUTH_ST_SUCCEEDED;
		return UPPP_AUTH_SUCCEEDED;
	case UPPP_AUTH_PAP:
		return uppp_pap_start(a, now);
	case UPPP_AUTH_CHAP_MD5:
		return uppp_chap_start(a, now);
#if UPPP_HAVE_MSCHAPV2
	case UPPP_AUTH_MSCHAPV2:
		return uppp_mschapv2_start(a, now);
#endif
	default:
		auth_log(a, UPPP_LOG_ERR, "auth",
			 "result=failure proto=%s cause=%s reason=\"authentication protocol not implemented\"",
			 uppp_auth_proto_name(a->proto), uppp_cause_name(UPPP_CAUSE_AUTH_UNSUPPORTED));
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_UNSUPPORTED);
	}
}

enum uppp_auth_result uppp_auth_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now)
{
	switch (a->proto) {
	case UPPP_AUTH_PAP:
		return uppp_pap_input(a, info, len, now);
	case UPPP_AUTH_CHAP_MD5:
		return uppp_chap_input(a, info, len, now);
#if UPPP_HAVE_MSCHAPV2
	case UPPP_AUTH_MSCHAPV2:
		return uppp_mschapv2_input(a, info, len, now);
#endif
	default:
		return uppp_auth_drop(a, "auth", "no PAP/CHAP packet expected with this protocol");
	}
}

uint64_t uppp_auth_next_deadline(const struct uppp_auth *a)
{
	if (a->state != AUTH_ST_WAITING)
		return AUTH_NO_DEADLINE;
	return a->deadline < a->give_up_at ? a->deadline : a->give_up_at;
}

enum uppp_auth_result uppp_auth_timer(struct uppp_auth *a, uint64_t now)
{
	if (a->state != AUTH_ST_WAITING)
		return uppp_auth_current_result(a);
	switch (a->proto) {
	case UPPP_AUTH_PAP:
		return uppp_pap_timer(a, now);
	case UPPP_AUTH_CHAP_MD5:
		return uppp_chap_timer(a, now);
#if UPPP_HAVE_MSCHAPV2
	case UPPP_AUTH_MSCHAPV2:
		return uppp_mschapv2_timer(a, now);
#endif
	default:
		return uppp_auth_current_result(a);
	}
}

int uppp_auth_verdict(struct uppp_auth *a, const struct uppp_auth_verdict *v, uint64_t now,
		      enum uppp_auth_result *res)
{
	enum uppp_cause cause = v->cause == UPPP_CAUSE_NONE ? UPPP_CAUSE_AUTH_BAD_SECRET : v->cause;

	if (!a->authenticator || a->state != AUTH_ST_WAITING || !a->pending)
		return -EALREADY;
	if (!v->accept && cause != UPPP_CAUSE_AUTH_BAD_SECRET && cause != UPPP_CAUSE_AUTH_NO_SECRET &&
	    cause != UPPP_CAUSE_AUTH_LOGIN)
		return -EINVAL;
	switch (a->proto) {
	case UPPP_AUTH_PAP:
		*res = uppp_pap_verdict(a, v->accept, cause, v->reason);
		return 0;
	case UPPP_AUTH_CHAP_MD5:
		*res = uppp_chap_verdict(a, v->accept, cause, v->reason);
		return 0;
#if UPPP_HAVE_MSCHAPV2
	case UPPP_AUTH_MSCHAPV2:
		return uppp_mschapv2_verdict(a, v, cause, now, res);
#endif
	default:
		return -EALREADY;
	}
}

const char *uppp_auth_peer_name(const struct uppp_auth *a)
{
	return a->state == AUTH_ST_SUCCEEDED ? a->peer_name : "";
}

/* The protocol's part of struct uppp_auth_kept's data. */
#define KEPT_MD5 16
#define KEPT_MS_RESPONSE 49
#define KEPT_MS (KEPT_MS_RESPONSE + UPPP_MSCHAPV2_AUTH_RESPONSE_LEN)

_Static_assert(sizeof(((struct uppp_auth *)0)->ms_response) == KEPT_MS_RESPONSE, "MS-CHAPv2 Response");
_Static_assert(sizeof(((struct uppp_auth *)0)->ms_auth_response) == UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1,
	       "S= and 40 hex digits");
_Static_assert(sizeof(((struct uppp_auth *)0)->challenge) == KEPT_MD5, "CHAP-MD5 challenge");

static size_t kept_data_len(enum uppp_auth_method proto)
{
	return proto == UPPP_AUTH_CHAP_MD5 ? KEPT_MD5 : proto == UPPP_AUTH_MSCHAPV2 ? KEPT_MS : 0;
}

size_t uppp_auth_kept_size(const struct uppp_auth *a)
{
	return sizeof(struct uppp_auth_kept) + kept_data_len(a->proto) + strlen(a->peer_name) + 1;
}

void uppp_auth_keep(const struct uppp_auth *a, struct uppp_auth_kept *k)
{
	size_t n = strlen(a->peer_name), d = kept_data_len(a->proto);

	k->proto = (uint8_t)a->proto;
	k->id = a->id;
	k->by_verify = a->by_verify;
	k->name_len = (uint8_t)n;   /* at most UPPP_AUTH_NAME_MAX */
	if (a->proto == UPPP_AUTH_CHAP_MD5)
		/* the value the host accepted, else the challenge the secret is checked against */
		memcpy(k->data, a->by_verify ? a->ms_response : a->challenge, KEPT_MD5);
	else if (a->proto == UPPP_AUTH_MSCHAPV2) {
		memcpy(k->data, a->ms_response, KEPT_MS_RESPONSE);
		memcpy(k->data + KEPT_MS_RESPONSE, a->ms_auth_response, UPPP_MSCHAPV2_AUTH_RESPONSE_LEN);
	}
	memcpy(k->data + d, a->peer_name, n + 1);
}

size_t uppp_auth_kept_len(const struct uppp_auth_kept *k)
{
	return sizeof(*k) + kept_data_len(k->proto) + k->name_len + 1u;
}

const char *uppp_auth_kept_name(const struct uppp_auth_kept *k)
{
	return (const char *)k->data + kept_data_len(k->proto);
}

void uppp_auth_restore(struct uppp_auth *a, const struct uppp_auth_kept *k, const char *our_name,
		       const struct uppp_auth_ops *ops, void *ctx, const struct uppp_logger *log)
{
	uppp_auth_init(a, (enum uppp_auth_method)k->proto, true, our_name, NULL, ops, ctx);
	a->log = log;
	a->state = AUTH_ST_SUCCEEDED;
	a->id = k->id;
	a->by_verify = k->by_verify;
	if (k->proto == UPPP_AUTH_CHAP_MD5)
		memcpy(k->by_verify ? a->ms_response : a->challenge, k->data, KEPT_MD5);
	else if (k->proto == UPPP_AUTH_MSCHAPV2) {
		memcpy(a->ms_response, k->data, KEPT_MS_RESPONSE);
		memcpy(a->ms_auth_response, k->data + KEPT_MS_RESPONSE, UPPP_MSCHAPV2_AUTH_RESPONSE_LEN);
		a->ms_auth_response[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN] = '\0';
	}
	memcpy(a->peer_name, uppp_auth_kept_name(k), (size_t)k->name_len + 1);
}

const char *uppp_auth_proto_name(enum uppp_auth_method p)
{
	switch (p) {
	case UPPP_AUTH_NONE: return "none";
	case UPPP_AUTH_PAP: return "pap";
	case UPPP_AUTH_CHAP_MD5: return "chap-md5";
	case UPPP_AUTH_MSCHAPV2: return "mschap-v2";
	}
	return "unknown";
}

/* ---- helpers for pap.c, chap.c and mschapv2.c ---- */

void uppp_auth_send(struct uppp_auth *a, uint16_t protocol, const uint8_t *info, size_t len)
{
	if (a->ops && a->ops->send)
		a->ops->send(a->ctx, protocol, info, len);
}

void uppp_auth_random(struct uppp_auth *a, void *buf, size_t len)
{
	memset(buf, 0, len);
	if (a->ops && a->ops->random)
		(void)a->ops->random(a->ctx, buf, len);  /* a failure ends the link (the host's op says so) */
}

enum uppp_auth_result uppp_auth_current_result(const struct uppp_auth *a)
{
	switch (a->state) {
	case AUTH_ST_SUCCEEDED: return UPPP_AUTH_SUCCEEDED;
	case AUTH_ST_FAILED: return UPPP_AUTH_FAILED;
	default: return UPPP_AUTH_CONTINUE;
	}
}

enum uppp_auth_result uppp_auth_succeed(struct uppp_auth *a, const uint8_t *peer_name, size_t n)
{
	if (n > UPPP_AUTH_NAME_MAX)
		n = UPPP_AUTH_NAME_MAX;
	memmove(a->peer_name, peer_name, n);  /* may be a->peer_name itself (a verdict) */
	a->peer_name[n] = '\0';
	a->pending = false;
	a->state = AUTH_ST_SUCCEEDED;
	a->fail_cause = UPPP_CAUSE_NONE;
	a->deadline = AUTH_NO_DEADLINE;
	a->give_up_at = AUTH_NO_DEADLINE;
	return UPPP_AUTH_SUCCEEDED;
}

enum uppp_auth_result uppp_auth_fail(struct uppp_auth *a, enum uppp_cause cause)
{
	a->peer_name[0] = '\0';
	a->pending = false;
	a->state = AUTH_ST_FAILED;
	a->fail_cause = cause;
	a->deadline = AUTH_NO_DEADLINE;
	a->give_up_at = AUTH_NO_DEADLINE;
	return UPPP_AUTH_FAILED;
}

bool uppp_auth_refused(struct uppp_auth *a, enum uppp_cause cause, const char *user)
{
	if (a->ops && a->ops->auth_failed)
		return a->ops->auth_failed(a->ctx, cause, user);
	return true;
}

/* The layer word of a's log lines (as pap.c, chap.c, mschapv2.c write it). */
static const char *auth_layer(const struct uppp_auth *a)
{
	return a->proto == UPPP_AUTH_PAP ? "pap" : a->proto == UPPP_AUTH_CHAP_MD5 ? "chap" : "mschapv2";
}

int uppp_auth_ask_verify(struct uppp_auth *a, const struct uppp_auth_request *req)
{
	int rc;

	if (!a->ops || !a->ops->verify)
		return -ENOSYS;
	rc = a->ops->verify(a->ctx, req);
	if (rc >= 0)
		rc = -EIO;  /* a verdict comes only through uppp_auth_verdict */
	if (rc != -ENOSYS && rc != -EINPROGRESS)
		auth_log(a, UPPP_LOG_ERR, auth_layer(a),
			 "event=verify-failed err=%d reason=\"the host could not judge the peer\"", rc);
	return rc;
}

void uppp_auth_set_pending(struct uppp_auth *a, uint8_t id, const uint8_t *name, size_t nlen)
{
	char user[UPPP_ESCAPED_MAX];

	if (nlen > UPPP_AUTH_NAME_MAX)
		nlen = UPPP_AUTH_NAME_MAX;
	memmove(a->peer_name, name, nlen);
	a->peer_name[nlen] = '\0';
	a->pending = true;
	a->by_verify = true;
	a->pending_id = id;
	a->deadline = AUTH_NO_DEADLINE;  /* the peer answered: no more Challenges */
	uppp_escape(name, nlen, user, sizeof(user));
	auth_log(a, UPPP_LOG_DEBUG, auth_layer(a), "event=verify-pending user='%s' id=%u", user, id);
}

const char *uppp_auth_verdict_reason(const char *reason, enum uppp_cause cause, char *out, size_t cap)
{
	if (!reason || !*reason)
		return uppp_cause_text(cause);
	uppp_escape((const uint8_t *)reason, strlen(reason), out, cap);
	return out;
}

enum uppp_auth_result uppp_auth_drop(struct uppp_auth *a, const char *layer, const char *why)
{
	a->dropped++;
	auth_log(a, UPPP_LOG_DEBUG, layer, "dropped packet reason=\"%s\"", why);
	return uppp_auth_current_result(a);
}

bool uppp_auth_ct_equal(const uint8_t *x, const uint8_t *y, size_t n)
{
	volatile uint8_t diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

void uppp_auth_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
}

int uppp_auth_parse_header(const uint8_t *info, size_t len, uint8_t *code, uint8_t *id,
		      struct uppp_reader *body)
{
	struct uppp_reader r = uppp_reader(info, len);
	uint16_t plen;

	if (uppp_rd_u8(&r, code) || uppp_rd_u8(&r, id) || uppp_rd_be16(&r, &plen))
		return -EMSGSIZE;
	/* RFC 1334 §2.2 / RFC 1994 §4: Length counts the header; octets past it
	 * are padding. Shorter than the header or longer than what arrived:
	 * the packet is broken. */
	if (plen < 4)
		return -EMSGSIZE;
	return uppp_rd_sub(&r, plen - 4u, body);
}

bool uppp_auth_has_nul(const uint8_t *s, size_t n)
{
	return memchr(s, 0, n) != NULL;
}

int uppp_auth_get_secret(struct uppp_auth *a, const char *name, uint8_t secret[AUTH_SECRET_CAP], size_t *slen)
{
	int err = -ENOENT;

	memset(secret, 0, AUTH_SECRET_CAP);
	*slen = 0;
	if (a->ops && a->ops->get_secret)
		err = a->ops->get_secret(a->ctx, name, secret, AUTH_SECRET_CAP - 1, slen);
	if (err == 0 && *slen > AUTH_SECRET_CAP - 1)
		err = -ENOENT;  /* a broken host: treat as no secret */
	return err == 0 ? 0 : -ENOENT;
}

enum uppp_auth_result uppp_auth_peer_verdict(struct uppp_auth *a, const char *layer, bool accepted, const char *text)
{
	if (accepted) {
		char user[UPPP_ESCAPED_MAX];

		uppp_escape((const uint8_t *)a->our_name, strlen(a->our_name), user, sizeof(user));
		auth_log(a, UPPP_LOG_INFO, layer, "result=success user='%s' message='%s'", user, text);
		return uppp_auth_succeed(a, (const uint8_t *)"", 0);
	}
	auth_log(a, UPPP_LOG_ERR, layer,
		 "result=failure cause=%s reason=\"the access concentrator refused user name or password (Windows error 691)\" message='%s'",
		 uppp_cause_name(UPPP_CAUSE_AUTH_REFUSED), text);
	return uppp_auth_fail(a, UPPP_CAUSE_AUTH_REFUSED);
}
