/* auth/chap.c — CHAP with MD5 (RFC 1994), both roles.
 *
 * Authenticator: sends a Challenge (16 random bytes and our name), repeats it
 * every restart_ms until a Response, checks MD5(Identifier || secret ||
 * challenge) in constant time, answers Success or Failure.
 * Peer: answers every Challenge; Success or Failure decides. */
#include "auth/auth_impl.h"

#include <errno.h>
#include <string.h>

#include <nettle/md5.h>

#define CHAP_MD5_SIZE 16   /* RFC 1994 §4.1: MD5 Value-Size */

/* Same text for an unknown user and a wrong password (no user probing). */
#define CHAP_MSG_SUCCESS "Access granted"
#define CHAP_MSG_FAILURE "Authentication failed"

_Static_assert(MD5_DIGEST_SIZE == CHAP_MD5_SIZE, "MD5 digest is 16 bytes");

/* RFC 1994 §4.1: the Response Value is MD5 over Identifier, secret, Challenge. */
static void chap_md5(uint8_t id, const uint8_t *secret, size_t slen,
		     const uint8_t *challenge, size_t clen, uint8_t out[CHAP_MD5_SIZE])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	md5_update(&ctx, slen, secret);
	md5_update(&ctx, clen, challenge);
	md5_digest(&ctx, CHAP_MD5_SIZE, out);
	uppp_auth_wipe(&ctx, sizeof(ctx));
}

enum uppp_auth_result uppp_chap_start(struct uppp_auth *a, uint64_t now)
{
	if (strlen(a->our_name) > UPPP_AUTH_NAME_MAX) {
		auth_log(a, UPPP_LOG_ERR, "chap",
			 "result=failure cause=%s reason=\"our name is longer than the 255 bytes CHAP can carry\"",
			 uppp_cause_name(a->authenticator ? UPPP_CAUSE_AUTH_UNSUPPORTED : UPPP_CAUSE_AUTH_REFUSED));
		return uppp_auth_fail(a, a->authenticator ? UPPP_CAUSE_AUTH_UNSUPPORTED : UPPP_CAUSE_AUTH_REFUSED);
	}
	return uppp_chap_begin(a, now);
}

static enum uppp_auth_result chap_handle_response(struct uppp_auth *a, uint8_t id, struct uppp_reader *body)
{
	const uint8_t *value, *name;
	uint8_t vlen;
	size_t nlen, slen;
	char user[UPPP_ESCAPED_MAX];
	char cname[UPPP_AUTH_NAME_MAX + 1];
	uint8_t secret[AUTH_SECRET_CAP];
	uint8_t expect[CHAP_MD5_SIZE];
	bool ok;

	if (!a->authenticator)
		return uppp_auth_drop(a, "chap", "Response received but we are not the authenticator");
	if (a->state == AUTH_ST_INITIAL)
		return uppp_auth_drop(a, "chap", "Response before any Challenge was sent");
	if (a->pending)
		return uppp_auth_drop(a, "chap", "Response while the host verifies the previous one (answered then)");
	if (id != a->id)
		return uppp_auth_drop(a, "chap", "Response with a stale Identifier");
	if (uppp_chap_parse_value(body, &value, &vlen, &name, &nlen))
		return uppp_auth_drop(a, "chap", "malformed Response (Value-Size past the end)");
	if (vlen != CHAP_MD5_SIZE)
		return uppp_auth_drop(a, "chap", "Response Value-Size is not 16 (MD5)");
	if (nlen > UPPP_AUTH_NAME_MAX)
		return uppp_auth_drop(a, "chap", "Response name longer than 255 bytes");

	if (a->state == AUTH_ST_FAILED) {
		uppp_chap_send_status(a, CHAP_FAILURE, id, CHAP_MSG_FAILURE);
		return UPPP_AUTH_FAILED;
	}
	if (a->state == AUTH_ST_SUCCEEDED &&
	    (nlen != strlen(a->peer_name) || memcmp(name, a->peer_name, nlen) != 0))
		return uppp_auth_drop(a, "chap", "Response for another user after success");

	uppp_escape(name, nlen, user, sizeof(user));
	if (uppp_auth_has_nul(name, nlen)) {
		uppp_chap_send_status(a, CHAP_FAILURE, id, CHAP_MSG_FAILURE);
		auth_log(a, UPPP_LOG_WARN, "chap",
			 "result=failure user='%s' cause=%s reason=\"user name contains a NUL byte, no secret can match it\"",
			 user, uppp_cause_name(UPPP_CAUSE_AUTH_NO_SECRET));
		(void)uppp_auth_refused(a, UPPP_CAUSE_AUTH_NO_SECRET, user);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_NO_SECRET);
	}
	memcpy(cname, name, nlen);
	cname[nlen] = '\0';

	if (a->state == AUTH_ST_SUCCEEDED && a->by_verify) {
		/* the host is not asked twice: the value it accepted, again */
		if (!uppp_auth_ct_equal(value, a->ms_response, CHAP_MD5_SIZE))
			return uppp_auth_drop(a, "chap", "repeated Response with a different value after success");
		uppp_chap_send_status(a, CHAP_SUCCESS, id, CHAP_MSG_SUCCESS);
		auth_log(a, UPPP_LOG_DEBUG, "chap", "repeated Response user='%s': Success again", user);
		return UPPP_AUTH_SUCCEEDED;
	}
	if (a->state == AUTH_ST_WAITING) {
		struct uppp_auth_request req = {
			.method = UPPP_AUTH_CHAP_MD5, .user = cname, .id = id,
			.challenge = a->challenge, .challenge_len = sizeof(a->challenge),
			.response = value, .response_len = CHAP_MD5_SIZE,
		};
		int err = uppp_auth_ask_verify(a, &req);

		if (err == -EINPROGRESS) {
			memcpy(a->ms_response, value, CHAP_MD5_SIZE);  /* to know it again after success */
			uppp_auth_set_pending(a, id, name, nlen);
			return UPPP_AUTH_CONTINUE;
		}
		if (err != -ENOSYS) {
			uppp_chap_send_status(a, CHAP_FAILURE, id, CHAP_MSG_FAILURE);
			return uppp_auth_fail(a, UPPP_CAUSE_HOST_ERROR);
		}
	}

	if (uppp_auth_get_secret(a, cname, secret, &slen) != 0) {
		uppp_auth_wipe(secret, sizeof(secret));
		if (a->state == AUTH_ST_SUCCEEDED)
			return uppp_auth_drop(a, "chap", "secret vanished after success");
		uppp_chap_send_status(a, CHAP_FAILURE, id, CHAP_MSG_FAILURE);
		auth_log(a, UPPP_LOG_WARN, "chap",
			 "result=failure user='%s' cause=%s reason=\"no secret for user '%s' in chap-secrets\"",
			 user, uppp_cause_name(UPPP_CAUSE_AUTH_NO_SECRET), user);
		(void)uppp_auth_refused(a, UPPP_CAUSE_AUTH_NO_SECRET, user);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_NO_SECRET);
	}
	chap_md5(id, secret, slen, a->challenge, sizeof(a->challenge), expect);
	uppp_auth_wipe(secret, sizeof(secret));
	ok = uppp_auth_ct_equal(expect, value, CHAP_MD5_SIZE);
	uppp_auth_wipe(expect, sizeof(expect));

	if (a->state == AUTH_ST_SUCCEEDED) {
		/* Windows resends its Response after Success: answer Success again. */
		if (!ok)
			return uppp_auth_drop(a, "chap", "repeated Response with a different value after success");
		uppp_chap_send_status(a, CHAP_SUCCESS, id, CHAP_MSG_SUCCESS);
		auth_log(a, UPPP_LOG_DEBUG, "chap", "repeated Response user='%s': Success again", user);
		return UPPP_AUTH_SUCCEEDED;
	}
	if (!ok) {
		uppp_chap_send_status(a, CHAP_FAILURE, id, CHAP_MSG_FAILURE);
		auth_log(a, UPPP_LOG_WARN, "chap",
			 "result=failure user='%s' cause=%s reason=\"wrong password for user '%s'\"",
			 user, uppp_cause_name(UPPP_CAUSE_AUTH_BAD_SECRET), user);
		(void)uppp_auth_refused(a, UPPP_CAUSE_AUTH_BAD_SECRET, user);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_BAD_SECRET);
	}
	uppp_chap_send_status(a, CHAP_SUCCESS, id, CHAP_MSG_SUCCESS);
	auth_log(a, UPPP_LOG_INFO, "chap", "result=success user='%s'", user);
	return uppp_auth_succeed(a, name, nlen);
}

enum uppp_auth_result uppp_chap_verdict(struct uppp_auth *a, bool accept, enum uppp_cause cause, const char *why)
{
	char user[UPPP_ESCAPED_MAX], reason[UPPP_ESCAPED_MAX];

	uppp_escape((const uint8_t *)a->peer_name, strlen(a->peer_name), user, sizeof(user));
	a->pending = false;
	if (accept) {
		uppp_chap_send_status(a, CHAP_SUCCESS, a->pending_id, CHAP_MSG_SUCCESS);
		auth_log(a, UPPP_LOG_INFO, "chap", "result=success user='%s'", user);
		return uppp_auth_succeed(a, (const uint8_t *)a->peer_name, strlen(a->peer_name));
	}
	uppp_chap_send_status(a, CHAP_FAILURE, a->pending_id, CHAP_MSG_FAILURE);
	auth_log(a, UPPP_LOG_WARN, "chap", "result=failure user='%s' cause=%s reason=\"%s\"", user,
		 uppp_cause_name(cause), uppp_auth_verdict_reason(why, cause, reason, sizeof(reason)));
	(void)uppp_auth_refused(a, cause, user);
	return uppp_auth_fail(a, cause);
}

static enum uppp_auth_result chap_handle_challenge(struct uppp_auth *a, uint8_t id, struct uppp_reader *body,
						   uint64_t now)
{
	const uint8_t *value, *name;
	uint8_t vlen;
	size_t nlen;

	if (a->authenticator)
		return uppp_auth_drop(a, "chap", "Challenge received but we are the authenticator");
	if (a->state == AUTH_ST_FAILED)
		return uppp_auth_drop(a, "chap", "Challenge after we were refused");
	if (uppp_chap_parse_value(body, &value, &vlen, &name, &nlen))
		return uppp_auth_drop(a, "chap", "malformed Challenge (Value-Size past the end)");
	if (vlen == 0)
		return uppp_auth_drop(a, "chap", "Challenge with Value-Size 0");
	if (nlen > UPPP_AUTH_NAME_MAX)
		return uppp_auth_drop(a, "chap", "Challenge name longer than 255 bytes");
	if (a->state == AUTH_ST_INITIAL) {
		/* The authenticator was quicker than our LCP: answer anyway. */
		enum uppp_auth_result r = uppp_chap_start(a, now);
		if (r != UPPP_AUTH_CONTINUE)
			return r;
	}

	/* The peer keeps its Response in a->challenge (unused on this side). */
	chap_md5(id, (const uint8_t *)a->password, strlen(a->password), value, vlen, a->challenge);
	uppp_chap_send_response(a, "chap", id, a->challenge, CHAP_MD5_SIZE, name, nlen, now);
	/* RFC 1994 §4.1: a Challenge may come again at any time (rechallenge);
	 * the state stays what it was until Success or Failure. */
	return uppp_auth_current_result(a);
}

static enum uppp_auth_result chap_handle_status(struct uppp_auth *a, uint8_t code, uint8_t id,
						struct uppp_reader *body)
{
	const char *why = uppp_chap_unexpected_status(a, id);
	char text[UPPP_ESCAPED_MAX];

	if (why)
		return uppp_auth_drop(a, "chap", why);
	/* The message is the rest of the packet (RFC 1994 §4.2). */
	uppp_escape(body->p, body->left, text, sizeof(text));
	if (code == CHAP_SUCCESS && a->state == AUTH_ST_SUCCEEDED)
		return UPPP_AUTH_SUCCEEDED;  /* repeated Success */
	return uppp_auth_peer_verdict(a, "chap", code == CHAP_SUCCESS, text);
}

enum uppp_auth_result uppp_chap_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now)
{
	struct uppp_reader body;
	uint8_t code, id;

	if (uppp_auth_parse_header(info, len, &code, &id, &body))
		return uppp_auth_drop(a, "chap", "malformed CHAP packet (length field < 4 or past the end)");
	switch (code) {
	case CHAP_CHALLENGE:
		return chap_handle_challenge(a, id, &body, now);
	case CHAP_RESPONSE:
		return chap_handle_response(a, id, &body);
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		return chap_handle_status(a, code, id, &body);
	default:
		return uppp_auth_drop(a, "chap", "unknown CHAP code");
	}
}

enum uppp_auth_result uppp_chap_timer(struct uppp_auth *a, uint64_t now)
{
	if (now >= a->give_up_at)
		return uppp_chap_give_up(a, "chap");
	if (now < a->deadline)
		return UPPP_AUTH_CONTINUE;
	return uppp_chap_retransmit(a, "chap", a->challenge, CHAP_MD5_SIZE, now);
}
