/* auth/mschapv2.c — MS-CHAPv2 (RFC 2759), both roles; the hash functions
 * are in mschapv2_crypto.c.
 *
 * Authenticator: sends a Challenge (16 random bytes and our name), repeats it
 * every restart_ms until a Response, checks the NT-Response in constant time
 * and answers Success "S=<authenticator response> M=..." — or Failure
 * "E=691 R=1 C=<new challenge> V=3 M=...", letting the peer try again up to
 * MS_MAX_FAILURES wrong Responses in all, then "R=0" and FAILED.
 * Peer: answers every Challenge with a fresh Peer-Challenge. A Success must
 * carry the authenticator response that proves the server knows our
 * password (RFC 2759 §5: otherwise the peer MUST end the session). A Failure
 * ends it too: retrying with the same password cannot succeed. */
#include "auth/auth_impl.h"
#include "auth/mschapv2.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha1.h>

/* RFC 2759 §4: Response Value = Peer-Challenge 16, Reserved 8 (zero),
 * NT-Response 24, Flags 1 (zero). */
#define MS_RESPONSE_SIZE 49
#define MS_NT_RESPONSE_OFF 24
#define MS_FLAGS_OFF 48

#define MS_MAX_FAILURES 3          /* wrong Responses before Failure with R=0 */
#define MS_ERROR_AUTH_FAILURE 691  /* ERROR_AUTHENTICATION_FAILURE */

/* Same text for an unknown user and a wrong password (no user probing). */
#define MS_MSG_SUCCESS "Access granted"
#define MS_MSG_FAILURE "Authentication failed"

_Static_assert(sizeof(((struct uppp_auth *)0)->challenge) == UPPP_MSCHAPV2_CHALLENGE_SIZE,
	       "the authenticator challenge fits struct uppp_auth");
_Static_assert(sizeof(((struct uppp_auth *)0)->ms_response) == MS_RESPONSE_SIZE, "Response value");
_Static_assert(sizeof(((struct uppp_auth *)0)->ms_auth_response) == UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1,
	       "S= string");

/* ---- packets ---- */

static void ms_send_success(struct uppp_auth *a, uint8_t id)
{
	char msg[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + sizeof(" M=" MS_MSG_SUCCESS)];

	snprintf(msg, sizeof(msg), "%s M=%s", a->ms_auth_response, MS_MSG_SUCCESS);
	uppp_chap_send_status(a, CHAP_SUCCESS, id, msg);
}

/* RFC 2759 §6: C= is the challenge the next Response must answer. */
static void ms_send_failure(struct uppp_auth *a, uint8_t id, bool retry)
{
	char hex[2 * UPPP_MSCHAPV2_CHALLENGE_SIZE + 1];
	char msg[128];

	_Static_assert(sizeof(msg) <= CHAP_MESSAGE_MAX, "Failure message fits uppp_chap_send_status");
	uppp_mschapv2_hex_upper(a->challenge, UPPP_MSCHAPV2_CHALLENGE_SIZE, hex);
	snprintf(msg, sizeof(msg), "E=%d R=%d C=%s V=3 M=%s", MS_ERROR_AUTH_FAILURE, retry ? 1 : 0, hex,
		 MS_MSG_FAILURE);
	uppp_chap_send_status(a, CHAP_FAILURE, id, msg);
}

enum uppp_auth_result uppp_mschapv2_start(struct uppp_auth *a, uint64_t now)
{
	enum uppp_cause cause = a->authenticator ? UPPP_CAUSE_AUTH_UNSUPPORTED : UPPP_CAUSE_AUTH_REFUSED;
	uint8_t hash[UPPP_MSCHAPV2_HASH_SIZE];
	int rc;

	if (strlen(a->our_name) > UPPP_AUTH_NAME_MAX) {
		auth_log(a, UPPP_LOG_ERR, "mschapv2",
			 "result=failure cause=%s reason=\"our name is longer than the 255 bytes MS-CHAPv2 can carry\"",
			 uppp_cause_name(cause));
		return uppp_auth_fail(a, cause);
	}
	if (!a->authenticator) {
		rc = uppp_mschapv2_nt_password_hash((const uint8_t *)a->password, strlen(a->password), hash);
		uppp_auth_wipe(hash, sizeof(hash));
		if (rc) {
			auth_log(a, UPPP_LOG_ERR, "mschapv2",
				 "result=failure cause=%s reason=\"password longer than the 256 characters MS-CHAPv2 allows\"",
				 uppp_cause_name(cause));
			return uppp_auth_fail(a, cause);
		}
	}
	a->ms_failures = 0;
	a->ms_retry_wait = false;
	return uppp_chap_begin(a, now);
}

/* ---- authenticator ---- */

/* Looks up the secret for name, then for name without its domain. On
 * success *used (*used_len bytes) is the name that matched. */
static int ms_lookup_secret(struct uppp_auth *a, const uint8_t *name, size_t nlen, uint8_t *secret,
			    size_t *slen, const uint8_t **used, size_t *used_len)
{
	char cname[UPPP_AUTH_NAME_MAX + 1];
	const uint8_t *user;
	size_t ulen;
	int err = -ENOENT;

	if (!a->ops || !a->ops->get_secret)
		return -ENOENT;
	for (int pass = 0; pass < 2 && err != 0; pass++) {
		if (pass == 0) {
			user = name;
			ulen = nlen;
		} else {
			user = uppp_mschapv2_strip_domain(name, nlen, &ulen);
			if (ulen == nlen)
				break;  /* no domain: nothing else to try */
		}
		memcpy(cname, user, ulen);
		cname[ulen] = '\0';
		err = uppp_auth_get_secret(a, cname, secret, slen);
		if (err == 0) {
			*used = user;
			*used_len = ulen;
		}
	}
	return err == 0 ? 0 : -ENOENT;
}

/* A wrong Response value (or an unknown user): Failure with a new challenge
 * while retries remain and the host allows one, else Failure R=0 and FAILED.
 * The refused value is kept to recognise the same Response sent again. */
static enum uppp_auth_result ms_refuse(struct uppp_auth *a, uint8_t id, const uint8_t *value,
				       const uint8_t *name, size_t nlen, enum uppp_cause cause, const char *user,
				       const char *why, uint64_t now)
{
	bool allowed = uppp_auth_refused(a, cause, user);
	bool retry;

	a->ms_failures++;
	retry = a->ms_failures < MS_MAX_FAILURES && allowed;
	memmove(a->ms_response, value, MS_RESPONSE_SIZE);  /* may be a->ms_response (a verdict) */
	memmove(a->peer_name, name, nlen);   /* nlen <= UPPP_AUTH_NAME_MAX: checked by the caller */
	a->peer_name[nlen] = '\0';
	if (retry)
		uppp_auth_random(a, a->challenge, sizeof(a->challenge));
	ms_send_failure(a, id, retry);
	auth_log(a, UPPP_LOG_WARN, "mschapv2",
		 "result=failure user='%s' cause=%s reason=\"%s (Windows error 691)\" attempt=%u/%u retry=%s%s",
		 user, uppp_cause_name(cause), why, a->ms_failures, MS_MAX_FAILURES, retry ? "allowed" : "no",
		 allowed ? "" : " auth-limited=yes");
	if (!retry)
		return uppp_auth_fail(a, cause);
	/* RFC 2759 §6: with R=1 the peer may prompt its user; no short timeout,
	 * but the overall limit starts again. */
	a->ms_retry_wait = true;
	a->ms_failure_id = id;
	a->fail_cause = cause;
	a->deadline = AUTH_NO_DEADLINE;
	a->give_up_at = now + a->timeout_ms;
	return UPPP_AUTH_CONTINUE;
}

static enum uppp_auth_result ms_handle_response(struct uppp_auth *a, uint8_t id, struct uppp_reader *body,
						uint64_t now)
{
	const uint8_t *value, *name, *used = NULL;
	uint8_t vlen;
	size_t nlen, slen, used_len = 0;
	char user[UPPP_ESCAPED_MAX];
	uint8_t secret[AUTH_SECRET_CAP];
	uint8_t expect[UPPP_MSCHAPV2_NT_RESPONSE_SIZE];
	bool ok;

	if (!a->authenticator)
		return uppp_auth_drop(a, "mschapv2", "Response received but we are not the authenticator");
	if (a->state == AUTH_ST_INITIAL)
		return uppp_auth_drop(a, "mschapv2", "Response before any Challenge was sent");
	if (uppp_chap_parse_value(body, &value, &vlen, &name, &nlen))
		return uppp_auth_drop(a, "mschapv2", "malformed Response (Value-Size past the end)");
	if (vlen != MS_RESPONSE_SIZE)
		return uppp_auth_drop(a, "mschapv2", "Response Value-Size is not 49 (MS-CHAPv2)");
	if (nlen > UPPP_AUTH_NAME_MAX)
		return uppp_auth_drop(a, "mschapv2", "Response name longer than 255 bytes");
	if (a->pending)
		return uppp_auth_drop(a, "mschapv2", "Response while the host verifies the previous one (answered then)");

	if (a->state == AUTH_ST_SUCCEEDED) {
		/* Windows resends its Response after Success: the same one gets
		 * the same Success again. */
		if (id != a->id || memcmp(value, a->ms_response, MS_RESPONSE_SIZE) != 0)
			return uppp_auth_drop(a, "mschapv2", "different Response after success");
		ms_send_success(a, id);
		auth_log(a, UPPP_LOG_DEBUG, "mschapv2", "repeated Response id=%u: Success again", id);
		return UPPP_AUTH_SUCCEEDED;
	}
	if (a->state == AUTH_ST_FAILED) {
		/* RFC 1994 §4.1 implementation note: the same reply again to a
		 * Response with the current Identifier */
		if (id != a->id)
			return uppp_auth_drop(a, "mschapv2", "Response with a stale Identifier after failure");
		ms_send_failure(a, id, false);
		return UPPP_AUTH_FAILED;
	}
	if (a->ms_retry_wait && id == a->ms_failure_id && memcmp(value, a->ms_response, MS_RESPONSE_SIZE) == 0 &&
	    nlen == strlen(a->peer_name) && memcmp(name, a->peer_name, nlen) == 0) {
		/* Our Failure was lost and the peer resent the refused Response:
		 * the same Failure (same C=) again. Not a new attempt: a new try
		 * carries a new Peer-Challenge, hence another value. */
		ms_send_failure(a, id, true);
		auth_log(a, UPPP_LOG_DEBUG, "mschapv2", "repeated Response id=%u: Failure again", id);
		return UPPP_AUTH_CONTINUE;
	}
	/* After a Failure with R=1 the new Response may carry the Failure's
	 * Identifier or the next one; otherwise it answers our Challenge. */
	if (a->ms_retry_wait ? id != a->ms_failure_id && id != (uint8_t)(a->ms_failure_id + 1) : id != a->id)
		return uppp_auth_drop(a, "mschapv2", "Response with a stale Identifier");

	uppp_escape(name, nlen, user, sizeof(user));
	a->ms_retry_wait = false;
	a->id = id;
	if (uppp_auth_has_nul(name, nlen))
		return ms_refuse(a, id, value, name, nlen, UPPP_CAUSE_AUTH_NO_SECRET, user,
				 "user name contains a NUL byte, no secret can match it", now);

	{
		char cname[UPPP_AUTH_NAME_MAX + 1];
		struct uppp_auth_request req = {
			.method = UPPP_AUTH_MSCHAPV2, .user = cname, .id = id,
			.challenge = a->challenge, .challenge_len = UPPP_MSCHAPV2_CHALLENGE_SIZE,
			.response = value, .response_len = MS_RESPONSE_SIZE,
		};
		int err;

		memcpy(cname, name, nlen);
		cname[nlen] = '\0';
		err = uppp_auth_ask_verify(a, &req);
		if (err == -EINPROGRESS) {
			memcpy(a->ms_response, value, MS_RESPONSE_SIZE);
			uppp_auth_set_pending(a, id, name, nlen);
			return UPPP_AUTH_CONTINUE;
		}
		if (err != -ENOSYS) {
			ms_send_failure(a, id, false);
			return uppp_auth_fail(a, UPPP_CAUSE_HOST_ERROR);
		}
	}

	if (ms_lookup_secret(a, name, nlen, secret, &slen, &used, &used_len)) {
		uppp_auth_wipe(secret, sizeof(secret));
		return ms_refuse(a, id, value, name, nlen, UPPP_CAUSE_AUTH_NO_SECRET, user, "no secret for this user in chap-secrets", now);
	}
	/* The peer hashed the name it sent (less any domain), whichever name
	 * found the secret. */
	if (uppp_mschapv2_nt_response(a->challenge, value, name, nlen, secret, slen, expect)) {
		uppp_auth_wipe(secret, sizeof(secret));
		return ms_refuse(a, id, value, name, nlen, UPPP_CAUSE_AUTH_NO_SECRET, user,
				 "the secret in chap-secrets is longer than 256 characters", now);
	}
	ok = uppp_auth_ct_equal(expect, value + MS_NT_RESPONSE_OFF, UPPP_MSCHAPV2_NT_RESPONSE_SIZE);
	uppp_auth_wipe(expect, sizeof(expect));
	if (!ok) {
		uppp_auth_wipe(secret, sizeof(secret));
		return ms_refuse(a, id, value, name, nlen, UPPP_CAUSE_AUTH_BAD_SECRET, user, "wrong password", now);
	}
	uppp_mschapv2_authenticator_response(secret, slen, value + MS_NT_RESPONSE_OFF, value, a->challenge,
					     name, nlen, a->ms_auth_response);
	uppp_auth_wipe(secret, sizeof(secret));
	memcpy(a->ms_response, value, MS_RESPONSE_SIZE);
	ms_send_success(a, id);
	auth_log(a, UPPP_LOG_INFO, "mschapv2", "result=success user='%s'", user);
	return uppp_auth_succeed(a, used, used_len);
}

/* The host's verdict on a pending Response (uppp_auth_verdict). A refusal
 * is judged as a wrong password is: Failure, with a retry while allowed. */
int uppp_mschapv2_verdict(struct uppp_auth *a, const struct uppp_auth_verdict *v, enum uppp_cause cause,
			  uint64_t now, enum uppp_auth_result *res)
{
	char user[UPPP_ESCAPED_MAX], reason[UPPP_ESCAPED_MAX];
	uint8_t check[SHA1_DIGEST_SIZE];
	const char *s = v->mschapv2_success;

	if (v->accept && (!s || strlen(s) != UPPP_MSCHAPV2_AUTH_RESPONSE_LEN || s[0] != 'S' || s[1] != '=' ||
			  uppp_mschapv2_unhex((const uint8_t *)s + 2, sizeof(check), check) != 0))
		return -EINVAL;
	uppp_escape((const uint8_t *)a->peer_name, strlen(a->peer_name), user, sizeof(user));
	a->pending = false;
	if (!v->accept) {
		*res = ms_refuse(a, a->pending_id, a->ms_response, (const uint8_t *)a->peer_name,
				 strlen(a->peer_name), cause, user,
				 uppp_auth_verdict_reason(v->reason, cause, reason, sizeof(reason)), now);
		return 0;
	}
	/* "S=" and the hex digits in upper case, as RFC 2759 §8.7 writes them */
	uppp_mschapv2_hex_upper(check, sizeof(check), a->ms_auth_response + 2);
	a->ms_auth_response[0] = 'S';
	a->ms_auth_response[1] = '=';
	ms_send_success(a, a->pending_id);
	auth_log(a, UPPP_LOG_INFO, "mschapv2", "result=success user='%s'", user);
	*res = uppp_auth_succeed(a, (const uint8_t *)a->peer_name, strlen(a->peer_name));
	return 0;
}

/* ---- peer ---- */

static enum uppp_auth_result ms_handle_challenge(struct uppp_auth *a, uint8_t id, struct uppp_reader *body,
						 uint64_t now)
{
	const uint8_t *value, *name;
	uint8_t vlen;
	size_t nlen, ulen = strlen(a->our_name), plen = strlen(a->password);
	uint8_t *resp = a->ms_response;  /* kept to resend (uppp_chap_retransmit) */

	if (a->authenticator)
		return uppp_auth_drop(a, "mschapv2", "Challenge received but we are the authenticator");
	if (a->state == AUTH_ST_FAILED)
		return uppp_auth_drop(a, "mschapv2", "Challenge after we were refused");
	if (uppp_chap_parse_value(body, &value, &vlen, &name, &nlen))
		return uppp_auth_drop(a, "mschapv2", "malformed Challenge (Value-Size past the end)");
	if (vlen != UPPP_MSCHAPV2_CHALLENGE_SIZE)
		return uppp_auth_drop(a, "mschapv2", "Challenge Value-Size is not 16 (MS-CHAPv2)");
	if (nlen > UPPP_AUTH_NAME_MAX)
		return uppp_auth_drop(a, "mschapv2", "Challenge name longer than 255 bytes");
	if (a->state == AUTH_ST_INITIAL) {
		/* The authenticator was quicker than our LCP: answer anyway. */
		enum uppp_auth_result r = uppp_mschapv2_start(a, now);
		if (r != UPPP_AUTH_CONTINUE)
			return r;
	}

	memcpy(a->challenge, value, UPPP_MSCHAPV2_CHALLENGE_SIZE);
	uppp_auth_random(a, a->ms_peer_challenge, sizeof(a->ms_peer_challenge));
	memset(resp, 0, MS_RESPONSE_SIZE);
	memcpy(resp, a->ms_peer_challenge, UPPP_MSCHAPV2_CHALLENGE_SIZE);
	/* password length checked at start: these cannot fail */
	uppp_mschapv2_nt_response(a->challenge, a->ms_peer_challenge, (const uint8_t *)a->our_name, ulen,
				  (const uint8_t *)a->password, plen, resp + MS_NT_RESPONSE_OFF);
	uppp_mschapv2_authenticator_response((const uint8_t *)a->password, plen, resp + MS_NT_RESPONSE_OFF,
					     a->ms_peer_challenge, a->challenge, (const uint8_t *)a->our_name,
					     ulen, a->ms_auth_response);
	uppp_chap_send_response(a, "mschapv2", id, resp, MS_RESPONSE_SIZE, name, nlen, now);
	return uppp_auth_current_result(a);
}

/* Finds "<key>=" at the start of msg or after a space, before stop; the
 * value runs to the next space (to stop for 'M'). Returns 0 or -ENOENT. */
static int ms_field(const uint8_t *msg, size_t n, char key, const uint8_t **val, size_t *vlen)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (msg[i] != (uint8_t)key || msg[i + 1] != '=' || (i > 0 && msg[i - 1] != ' '))
			continue;
		size_t e = i + 2;
		if (key != 'M')
			while (e < n && msg[e] != ' ')
				e++;
		else
			e = n;
		*val = msg + i + 2;
		*vlen = e - (i + 2);
		return 0;
	}
	return -ENOENT;
}

/* The text of an RFC 2759 §6 error code, in the words Windows uses. */
static const char *ms_error_text(unsigned code)
{
	switch (code) {
	case 646: return "logon not allowed at this time of day";
	case 647: return "account disabled";
	case 648: return "password expired";
	case 649: return "no dial-in permission for this account";
	case 691: return "user name or password refused";
	case 709: return "error changing the password";
	default: return "authentication refused";
	}
}

static enum uppp_auth_result ms_handle_success(struct uppp_auth *a, const uint8_t *msg, size_t n)
{
	uint8_t got[SHA1_DIGEST_SIZE] = { 0 }, want[SHA1_DIGEST_SIZE] = { 0 };
	const uint8_t *text = (const uint8_t *)"";
	size_t tlen = 0;
	char etext[UPPP_ESCAPED_MAX];
	bool ok;

	/* RFC 2759 §5: "S=<40 hex digits>" first, then " M=<message>". */
	ok = n >= UPPP_MSCHAPV2_AUTH_RESPONSE_LEN && msg[0] == 'S' && msg[1] == '=' &&
	     uppp_mschapv2_unhex(msg + 2, sizeof(got), got) == 0 &&
	     (n == UPPP_MSCHAPV2_AUTH_RESPONSE_LEN || msg[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN] == ' ');
	uppp_mschapv2_unhex((const uint8_t *)a->ms_auth_response + 2, sizeof(want), want);
	ok = uppp_auth_ct_equal(got, want, sizeof(got)) && ok;
	if (n > UPPP_MSCHAPV2_AUTH_RESPONSE_LEN)
		ms_field(msg + UPPP_MSCHAPV2_AUTH_RESPONSE_LEN, n - UPPP_MSCHAPV2_AUTH_RESPONSE_LEN, 'M', &text, &tlen);
	if (!ok) {
		uppp_escape(msg, n, etext, sizeof(etext));
		auth_log(a, UPPP_LOG_ERR, "mschapv2",
			 "result=failure cause=%s reason=\"the access concentrator accepted us but could not prove it knows the password (wrong or missing S= authenticator response): not trusting it\" message='%s'",
			 uppp_cause_name(UPPP_CAUSE_AUTH_REFUSED), etext);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_REFUSED);
	}
	if (a->state == AUTH_ST_SUCCEEDED)
		return UPPP_AUTH_SUCCEEDED;  /* repeated Success */
	char user[UPPP_ESCAPED_MAX];

	uppp_escape((const uint8_t *)a->our_name, strlen(a->our_name), user, sizeof(user));
	uppp_escape(text, tlen, etext, sizeof(etext));
	auth_log(a, UPPP_LOG_INFO, "mschapv2", "result=success user='%s' server-proved-password=yes message='%s'",
		 user, etext);
	return uppp_auth_succeed(a, (const uint8_t *)"", 0);
}

static enum uppp_auth_result ms_handle_failure(struct uppp_auth *a, const uint8_t *msg, size_t n)
{
	const uint8_t *m = msg, *v;
	size_t mlen = 0, head = n, vlen;
	unsigned code = 0;
	bool retry = false;
	char etext[UPPP_ESCAPED_MAX];

	/* The fields before M= (M= text may contain anything). */
	if (ms_field(msg, n, 'M', &m, &mlen) == 0)
		head = (size_t)(m - msg) - 2;
	else
		m = msg, mlen = n;  /* not RFC 2759 format: log it all */
	if (ms_field(msg, head, 'E', &v, &vlen) == 0) {
		for (size_t i = 0; i < vlen && i < 9 && v[i] >= '0' && v[i] <= '9'; i++)
			code = code * 10 + (unsigned)(v[i] - '0');
	}
	if (ms_field(msg, head, 'R', &v, &vlen) == 0 && vlen == 1 && v[0] == '1')
		retry = true;
	uppp_escape(m, mlen, etext, sizeof(etext));
	/* Retrying with the same password cannot succeed: R=1 changes nothing. */
	auth_log(a, UPPP_LOG_ERR, "mschapv2",
		 "result=failure cause=%s reason=\"the access concentrator refused us: %s (Windows error %u)\" error=%u retry-offered=%s message='%s'",
		 uppp_cause_name(UPPP_CAUSE_AUTH_REFUSED), ms_error_text(code), code ? code : 691u, code,
		 retry ? "yes" : "no", etext);
	return uppp_auth_fail(a, UPPP_CAUSE_AUTH_REFUSED);
}

static enum uppp_auth_result ms_handle_status(struct uppp_auth *a, uint8_t code, uint8_t id,
					      struct uppp_reader *body)
{
	const char *why = uppp_chap_unexpected_status(a, id);

	if (why)
		return uppp_auth_drop(a, "mschapv2", why);
	if (code == CHAP_SUCCESS)
		return ms_handle_success(a, body->p, body->left);
	return ms_handle_failure(a, body->p, body->left);
}

enum uppp_auth_result uppp_mschapv2_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now)
{
	struct uppp_reader body;
	uint8_t code, id;

	if (uppp_auth_parse_header(info, len, &code, &id, &body))
		return uppp_auth_drop(a, "mschapv2", "malformed CHAP packet (length field < 4 or past the end)");
	switch (code) {
	case CHAP_CHALLENGE:
		return ms_handle_challenge(a, id, &body, now);
	case CHAP_RESPONSE:
		return ms_handle_response(a, id, &body, now);
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		return ms_handle_status(a, code, id, &body);
	default:
		/* includes Change-Password (7): we never send E=648 */
		return uppp_auth_drop(a, "mschapv2", "unknown or unsupported CHAP code");
	}
}

enum uppp_auth_result uppp_mschapv2_timer(struct uppp_auth *a, uint64_t now)
{
	if (now >= a->give_up_at) {
		if (a->ms_retry_wait) {
			auth_log(a, UPPP_LOG_WARN, "mschapv2",
				 "result=failure cause=%s reason=\"peer did not try again within %u ms after a refused password\"",
				 uppp_cause_name(a->fail_cause), a->timeout_ms);
			return uppp_auth_fail(a, a->fail_cause);
		}
		return uppp_chap_give_up(a, "mschapv2");
	}
	if (a->ms_retry_wait || now < a->deadline)
		return UPPP_AUTH_CONTINUE;
	return uppp_chap_retransmit(a, "mschapv2", a->ms_response, MS_RESPONSE_SIZE, now);
}
