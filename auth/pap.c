/* auth/pap.c — Password Authentication Protocol (RFC 1334 §2), both roles.
 *
 * Authenticator: waits for Authenticate-Request, checks the password against
 * ops->get_secret() in constant time (or lets ops->check_password decide,
 * e.g. pppd's `login`), answers Ack or Nak.
 * Peer: sends Authenticate-Request every restart_ms until Ack or Nak, at most
 * max_tries times. */
#include "auth/auth_impl.h"

#include <errno.h>
#include <string.h>

#include "core/ppp_defs.h"

#define PAP_AUTH_REQ 1
#define PAP_AUTH_ACK 2
#define PAP_AUTH_NAK 3

/* What the peer sees. Deliberately the same text for an unknown user and a
 * wrong password: the peer learns nothing about which user names exist. */
#define PAP_MSG_ACK "Access granted"
#define PAP_MSG_NAK "Authentication failed"

static void pap_send_reply(struct uppp_auth *a, uint8_t code, uint8_t id, const char *msg)
{
	uint8_t pkt[4 + 1 + UPPP_AUTH_NAME_MAX];
	struct uppp_writer w = uppp_writer(pkt, sizeof(pkt));
	size_t mlen = strlen(msg);

	uppp_wr_u8(&w, code);
	uppp_wr_u8(&w, id);
	uppp_wr_be16(&w, (uint16_t)(4 + 1 + mlen));
	uppp_wr_u8(&w, (uint8_t)mlen);
	uppp_wr_bytes(&w, msg, mlen);
	if (uppp_wr_ok(&w))
		uppp_auth_send(a, PPP_PAP, pkt, w.len);
}

static void pap_send_request(struct uppp_auth *a)
{
	uint8_t pkt[4 + 1 + UPPP_AUTH_NAME_MAX + 1 + UPPP_AUTH_NAME_MAX];
	struct uppp_writer w = uppp_writer(pkt, sizeof(pkt));
	size_t nlen = strlen(a->our_name), plen = strlen(a->password);

	/* Lengths were checked in uppp_pap_start(). */
	uppp_wr_u8(&w, PAP_AUTH_REQ);
	uppp_wr_u8(&w, a->id);
	uppp_wr_be16(&w, (uint16_t)(4 + 1 + nlen + 1 + plen));
	uppp_wr_u8(&w, (uint8_t)nlen);
	uppp_wr_bytes(&w, a->our_name, nlen);
	uppp_wr_u8(&w, (uint8_t)plen);
	uppp_wr_bytes(&w, a->password, plen);
	if (uppp_wr_ok(&w))
		uppp_auth_send(a, PPP_PAP, pkt, w.len);
	uppp_auth_wipe(pkt, sizeof(pkt));
	a->tries++;
}

enum uppp_auth_result uppp_pap_start(struct uppp_auth *a, uint64_t now)
{
	a->state = AUTH_ST_WAITING;
	a->tries = 0;
	if (a->authenticator) {
		/* RFC 1334 §2.1: the authenticator only waits; the peer sends. */
		a->deadline = AUTH_NO_DEADLINE;
		a->give_up_at = now + a->timeout_ms;
		auth_log(a, UPPP_LOG_DEBUG, "pap", "waiting for Authenticate-Request timeout_ms=%u",
			 a->timeout_ms);
		return UPPP_AUTH_CONTINUE;
	}

	if (strlen(a->our_name) > UPPP_AUTH_NAME_MAX || strlen(a->password) > UPPP_AUTH_NAME_MAX) {
		auth_log(a, UPPP_LOG_ERR, "pap",
			 "result=failure cause=%s reason=\"user name or password longer than 255 bytes cannot be sent with PAP\"",
			 uppp_cause_name(UPPP_CAUSE_AUTH_REFUSED));
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_REFUSED);
	}
	uppp_auth_random(a, &a->id, 1);
	a->give_up_at = AUTH_NO_DEADLINE;  /* bounded by max_tries instead */
	pap_send_request(a);
	/* A failed send still arms the retransmit timer. */
	a->deadline = now + a->restart_ms;
	return UPPP_AUTH_CONTINUE;
}

/* Password check: time depends only on the received length. secret is
 * zero-padded to AUTH_SECRET_CAP bytes. */
static bool pap_password_ok(const uint8_t *pw, size_t pwlen, const uint8_t *secret, size_t slen)
{
	volatile uint8_t diff = (uint8_t)(pwlen != slen);

	for (size_t i = 0; i < pwlen; i++)
		diff |= pw[i] ^ secret[i];
	return diff == 0;
}

/* The answer when the host checked the password (ops->check_password). */
static enum uppp_auth_result pap_host_verdict(struct uppp_auth *a, uint8_t id, const uint8_t *name, uint8_t nlen,
					      const char *user, int err, const char *why)
{
	enum uppp_cause cause = err == -ENOENT ? UPPP_CAUSE_AUTH_NO_SECRET
			      : err == -EPERM ? UPPP_CAUSE_AUTH_LOGIN : UPPP_CAUSE_AUTH_BAD_SECRET;

	if (a->state == AUTH_ST_SUCCEEDED) {
		if (err != 0)
			return uppp_auth_drop(a, "pap", "repeated Authenticate-Request refused after success");
		pap_send_reply(a, PAP_AUTH_ACK, id, PAP_MSG_ACK);
		auth_log(a, UPPP_LOG_DEBUG, "pap", "repeated Authenticate-Request user='%s': Ack again", user);
		return UPPP_AUTH_SUCCEEDED;
	}
	if (err != 0) {
		pap_send_reply(a, PAP_AUTH_NAK, id, PAP_MSG_NAK);
		auth_log(a, UPPP_LOG_WARN, "pap", "result=failure user='%s' cause=%s reason=\"%s\"", user,
			 uppp_cause_name(cause), why && *why ? why : uppp_cause_text(cause));
		(void)uppp_auth_refused(a, cause, user);
		return uppp_auth_fail(a, cause);
	}
	pap_send_reply(a, PAP_AUTH_ACK, id, PAP_MSG_ACK);
	auth_log(a, UPPP_LOG_INFO, "pap", "result=success user='%s'", user);
	return uppp_auth_succeed(a, name, nlen);
}

static enum uppp_auth_result pap_handle_request(struct uppp_auth *a, uint8_t id, struct uppp_reader *body)
{
	uint8_t nlen, pwlen;
	const uint8_t *name, *pw;
	char user[UPPP_ESCAPED_MAX];
	char cname[UPPP_AUTH_NAME_MAX + 1];
	uint8_t secret[AUTH_SECRET_CAP];
	size_t slen;
	bool ok;
	int err;

	if (!a->authenticator)
		return uppp_auth_drop(a, "pap", "Authenticate-Request received but we are not the authenticator");
	if (uppp_rd_u8(body, &nlen) || uppp_rd_bytes(body, nlen, &name) ||
	    uppp_rd_u8(body, &pwlen) || uppp_rd_bytes(body, pwlen, &pw))
		return uppp_auth_drop(a, "pap", "malformed Authenticate-Request (field lengths past the end)");

	if (a->pending) {
		/* The host is still judging the first one: no second lookup. The
		 * peer changes the Identifier on each retransmission (RFC 1334
		 * §2.2.1): the verdict answers the latest. */
		if (nlen != strlen(a->peer_name) || memcmp(name, a->peer_name, nlen) != 0)
			return uppp_auth_drop(a, "pap", "Authenticate-Request for another user while the host verifies one");
		a->pending_id = id;
		return uppp_auth_drop(a, "pap", "repeated Authenticate-Request while the host verifies it (answered then)");
	}
	switch (a->state) {
	case AUTH_ST_INITIAL:
		return uppp_auth_drop(a, "pap", "Authenticate-Request before authentication started");
	case AUTH_ST_FAILED:
		/* Already refused: repeat the answer, decide nothing new. */
		pap_send_reply(a, PAP_AUTH_NAK, id, PAP_MSG_NAK);
		return UPPP_AUTH_FAILED;
	case AUTH_ST_SUCCEEDED:
		/* Our Ack was lost and the peer retransmitted (RFC 1334 §2.2.1). Ack
		 * again only for the same user with a valid password. */
		if (nlen != strlen(a->peer_name) || memcmp(name, a->peer_name, nlen) != 0)
			return uppp_auth_drop(a, "pap", "Authenticate-Request for another user after success");
		break;
	default:
		break;
	}

	uppp_escape(name, nlen, user, sizeof(user));
	if (uppp_auth_has_nul(name, nlen)) {
		if (a->state == AUTH_ST_SUCCEEDED)
			return uppp_auth_drop(a, "pap", "user name contains a NUL byte");
		pap_send_reply(a, PAP_AUTH_NAK, id, PAP_MSG_NAK);
		auth_log(a, UPPP_LOG_WARN, "pap",
			 "result=failure user='%s' cause=%s reason=\"user name contains a NUL byte, no secret can match it\"",
			 user, uppp_cause_name(UPPP_CAUSE_AUTH_NO_SECRET));
		(void)uppp_auth_refused(a, UPPP_CAUSE_AUTH_NO_SECRET, user);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_NO_SECRET);
	}
	memcpy(cname, name, nlen);
	cname[nlen] = '\0';

	if (a->state == AUTH_ST_SUCCEEDED && a->by_verify) {
		/* the host judged the first one and is not asked twice: the same
		 * user on the same link is already in */
		pap_send_reply(a, PAP_AUTH_ACK, id, PAP_MSG_ACK);
		auth_log(a, UPPP_LOG_DEBUG, "pap", "repeated Authenticate-Request user='%s': Ack again", user);
		return UPPP_AUTH_SUCCEEDED;
	}
	if (a->state == AUTH_ST_WAITING) {
		struct uppp_auth_request req = {
			.method = UPPP_AUTH_PAP, .user = cname, .password = pw, .password_len = pwlen, .id = id,
		};

		err = uppp_auth_ask_verify(a, &req);
		if (err == -EINPROGRESS) {
			uppp_auth_set_pending(a, id, name, nlen);
			return UPPP_AUTH_CONTINUE;
		}
		if (err != -ENOSYS) {
			pap_send_reply(a, PAP_AUTH_NAK, id, PAP_MSG_NAK);
			return uppp_auth_fail(a, UPPP_CAUSE_HOST_ERROR);
		}
	}

	if (a->ops && a->ops->check_password) {
		char why[256] = "";

		err = a->ops->check_password(a->ctx, cname, pw, pwlen, why, sizeof(why));
		if (err != -ENOSYS)
			return pap_host_verdict(a, id, name, nlen, user, err, why);
	}

	if (uppp_auth_get_secret(a, cname, secret, &slen) != 0) {
		uppp_auth_wipe(secret, sizeof(secret));
		if (a->state == AUTH_ST_SUCCEEDED)
			return uppp_auth_drop(a, "pap", "secret vanished after success");
		pap_send_reply(a, PAP_AUTH_NAK, id, PAP_MSG_NAK);
		auth_log(a, UPPP_LOG_WARN, "pap",
			 "result=failure user='%s' cause=%s reason=\"no secret for user '%s' in pap-secrets\"",
			 user, uppp_cause_name(UPPP_CAUSE_AUTH_NO_SECRET), user);
		(void)uppp_auth_refused(a, UPPP_CAUSE_AUTH_NO_SECRET, user);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_NO_SECRET);
	}

	ok = pap_password_ok(pw, pwlen, secret, slen);
	uppp_auth_wipe(secret, sizeof(secret));

	if (a->state == AUTH_ST_SUCCEEDED) {
		if (!ok)
			return uppp_auth_drop(a, "pap", "repeated Authenticate-Request with a different password");
		pap_send_reply(a, PAP_AUTH_ACK, id, PAP_MSG_ACK);
		auth_log(a, UPPP_LOG_DEBUG, "pap", "repeated Authenticate-Request user='%s': Ack again", user);
		return UPPP_AUTH_SUCCEEDED;
	}
	if (!ok) {
		pap_send_reply(a, PAP_AUTH_NAK, id, PAP_MSG_NAK);
		auth_log(a, UPPP_LOG_WARN, "pap",
			 "result=failure user='%s' cause=%s reason=\"wrong password for user '%s'\"",
			 user, uppp_cause_name(UPPP_CAUSE_AUTH_BAD_SECRET), user);
		(void)uppp_auth_refused(a, UPPP_CAUSE_AUTH_BAD_SECRET, user);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_BAD_SECRET);
	}
	pap_send_reply(a, PAP_AUTH_ACK, id, PAP_MSG_ACK);
	auth_log(a, UPPP_LOG_INFO, "pap", "result=success user='%s'", user);
	return uppp_auth_succeed(a, name, nlen);
}

enum uppp_auth_result uppp_pap_verdict(struct uppp_auth *a, bool accept, enum uppp_cause cause, const char *why)
{
	char user[UPPP_ESCAPED_MAX], reason[UPPP_ESCAPED_MAX];

	uppp_escape((const uint8_t *)a->peer_name, strlen(a->peer_name), user, sizeof(user));
	a->pending = false;
	if (accept) {
		pap_send_reply(a, PAP_AUTH_ACK, a->pending_id, PAP_MSG_ACK);
		auth_log(a, UPPP_LOG_INFO, "pap", "result=success user='%s'", user);
		return uppp_auth_succeed(a, (const uint8_t *)a->peer_name, strlen(a->peer_name));
	}
	pap_send_reply(a, PAP_AUTH_NAK, a->pending_id, PAP_MSG_NAK);
	auth_log(a, UPPP_LOG_WARN, "pap", "result=failure user='%s' cause=%s reason=\"%s\"", user, uppp_cause_name(cause),
		 uppp_auth_verdict_reason(why, cause, reason, sizeof(reason)));
	(void)uppp_auth_refused(a, cause, user);
	return uppp_auth_fail(a, cause);
}

static enum uppp_auth_result pap_handle_reply(struct uppp_auth *a, uint8_t code, uint8_t id,
					      struct uppp_reader *body)
{
	uint8_t mlen = 0;
	const uint8_t *msg = NULL;
	char text[UPPP_ESCAPED_MAX];

	if (a->authenticator)
		return uppp_auth_drop(a, "pap", "Authenticate-Ack/Nak received but we are the authenticator");
	if (a->state != AUTH_ST_WAITING)
		return uppp_auth_drop(a, "pap", "Authenticate-Ack/Nak while not waiting for one");
	/* Each retransmission had a new Identifier (uppp_pap_timer) and all carried
	 * the same name and password: an answer to any of them is the answer. */
	if ((uint8_t)(a->id - id) >= a->tries)
		return uppp_auth_drop(a, "pap", "Authenticate-Ack/Nak with an Identifier we did not send");
	/* The message only feeds the log: some peers omit Msg-Length, others
	 * overstate it. Take what is really there rather than lose the answer. */
	if (uppp_rd_u8(body, &mlen) == 0) {
		if (mlen > body->left)
			mlen = (uint8_t)body->left;
		(void)uppp_rd_bytes(body, mlen, &msg);
	}
	uppp_escape(msg ? msg : (const uint8_t *)"", msg ? mlen : 0, text, sizeof(text));
	return uppp_auth_peer_verdict(a, "pap", code == PAP_AUTH_ACK, text);
}

enum uppp_auth_result uppp_pap_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now)
{
	struct uppp_reader body;
	uint8_t code, id;

	(void)now;
	if (uppp_auth_parse_header(info, len, &code, &id, &body))
		return uppp_auth_drop(a, "pap", "malformed PAP packet (length field < 4 or past the end)");
	switch (code) {
	case PAP_AUTH_REQ:
		return pap_handle_request(a, id, &body);
	case PAP_AUTH_ACK:
	case PAP_AUTH_NAK:
		return pap_handle_reply(a, code, id, &body);
	default:
		return uppp_auth_drop(a, "pap", "unknown PAP code");
	}
}

enum uppp_auth_result uppp_pap_timer(struct uppp_auth *a, uint64_t now)
{
	if (a->authenticator) {
		if (now < a->give_up_at)
			return UPPP_AUTH_CONTINUE;
		auth_log(a, UPPP_LOG_WARN, "pap",
			 "result=failure cause=%s reason=\"%s within %u ms\"",
			 uppp_cause_name(UPPP_CAUSE_AUTH_TIMEOUT),
			 a->pending ? "the host gave no verdict on the Authenticate-Request"
				    : "peer sent no Authenticate-Request", a->timeout_ms);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_TIMEOUT);
	}
	if (now < a->deadline)
		return UPPP_AUTH_CONTINUE;
	if (a->tries >= a->max_tries) {
		auth_log(a, UPPP_LOG_ERR, "pap",
			 "result=failure cause=%s reason=\"no answer to %u Authenticate-Requests\"",
			 uppp_cause_name(UPPP_CAUSE_AUTH_TIMEOUT), a->tries);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_TIMEOUT);
	}
	/* RFC 1334 §2.2.1: the Identifier MUST change with each
	 * Authenticate-Request. pppd's PAP peer counts it up the same way, and
	 * authenticators (pppd, Windows, uppp) answer with the request's
	 * Identifier; pap_handle_reply() takes an answer to any request of this
	 * round, so a late Ack to an earlier one is not lost. */
	a->id++;
	pap_send_request(a);
	a->deadline = now + a->restart_ms;
	return UPPP_AUTH_CONTINUE;
}
