/* auth/chap_common.c — what CHAP-MD5 (chap.c) and MS-CHAPv2 (mschapv2.c)
 * share: the packet layouts of RFC 1994 §4, the start, the peer's Response
 * and the retransmission timer. Only the value and its check differ. */
#include "auth/auth_impl.h"

#include <errno.h>
#include <string.h>

#include "core/ppp_defs.h"

void uppp_chap_send_value(struct uppp_auth *a, uint8_t code, uint8_t id, const uint8_t *value, size_t vlen)
{
	uint8_t pkt[4 + 1 + UINT8_MAX + UPPP_AUTH_NAME_MAX];
	struct uppp_writer w = uppp_writer(pkt, sizeof(pkt));
	size_t nlen = strlen(a->our_name);

	if (nlen > UPPP_AUTH_NAME_MAX)
		nlen = UPPP_AUTH_NAME_MAX;  /* checked at start; belt and braces */
	uppp_wr_u8(&w, code);
	uppp_wr_u8(&w, id);
	uppp_wr_be16(&w, (uint16_t)(4 + 1 + vlen + nlen));
	uppp_wr_u8(&w, (uint8_t)vlen);
	uppp_wr_bytes(&w, value, vlen);
	uppp_wr_bytes(&w, a->our_name, nlen);
	if (uppp_wr_ok(&w))
		uppp_auth_send(a, PPP_CHAP, pkt, w.len);
}

void uppp_chap_send_status(struct uppp_auth *a, uint8_t code, uint8_t id, const char *msg)
{
	uint8_t pkt[4 + CHAP_MESSAGE_MAX];
	struct uppp_writer w = uppp_writer(pkt, sizeof(pkt));
	size_t mlen = strlen(msg);

	uppp_wr_u8(&w, code);
	uppp_wr_u8(&w, id);
	uppp_wr_be16(&w, (uint16_t)(4 + mlen));
	uppp_wr_bytes(&w, msg, mlen);
	if (uppp_wr_ok(&w))
		uppp_auth_send(a, PPP_CHAP, pkt, w.len);
}

int uppp_chap_parse_value(struct uppp_reader *body, const uint8_t **value, uint8_t *vlen,
		     const uint8_t **name, size_t *nlen)
{
	if (uppp_rd_u8(body, vlen) || uppp_rd_bytes(body, *vlen, value))
		return -EMSGSIZE;
	*nlen = body->left;
	*name = body->p;
	return 0;
}

/* Authenticator: (re)sends a->challenge with a->id and counts it. */
static void chap_send_challenge(struct uppp_auth *a)
{
	uppp_chap_send_value(a, CHAP_CHALLENGE, a->id, a->challenge, sizeof(a->challenge));
	a->tries++;
}

enum uppp_auth_result uppp_chap_begin(struct uppp_auth *a, uint64_t now)
{
	a->state = AUTH_ST_WAITING;
	a->tries = 0;
	a->give_up_at = now + a->timeout_ms;
	if (!a->authenticator) {
		/* RFC 1994 §4: the peer waits for the authenticator's Challenge. */
		a->deadline = AUTH_NO_DEADLINE;
		return UPPP_AUTH_CONTINUE;
	}
	uppp_auth_random(a, &a->id, 1);
	uppp_auth_random(a, a->challenge, sizeof(a->challenge));
	chap_send_challenge(a);
	/* A failed send still arms the retransmit timer. */
	a->deadline = now + a->restart_ms;
	return UPPP_AUTH_CONTINUE;
}

void uppp_chap_send_response(struct uppp_auth *a, const char *layer, uint8_t id, const uint8_t *resp, size_t rlen,
			const uint8_t *server, size_t server_len, uint64_t now)
{
	a->id = id;
	uppp_chap_send_value(a, CHAP_RESPONSE, id, resp, rlen);
	/* Resent by uppp_chap_retransmit() if no Success/Failure comes: a lost
	 * Success would otherwise leave us waiting while the authenticator has
	 * moved on to IPCP. Resending with the same Identifier is safe: the
	 * authenticator answers a repeated Response with its earlier verdict. */
	if (a->state == AUTH_ST_WAITING)
		a->deadline = now + a->restart_ms;
	a->tries++;
	if (a->tries == 1 || a->state == AUTH_ST_SUCCEEDED) {
		char name[UPPP_ESCAPED_MAX];

		uppp_escape(server, server_len, name, sizeof(name));
		auth_log(a, UPPP_LOG_DEBUG, layer, "answered Challenge id=%u server='%s'", id, name);
	}
}

const char *uppp_chap_unexpected_status(const struct uppp_auth *a, uint8_t id)
{
	if (a->authenticator)
		return "Success/Failure received but we are the authenticator";
	if (a->tries == 0)
		return "Success/Failure before we sent any Response";
	if (a->state == AUTH_ST_FAILED)
		return "Success/Failure after we were refused";
	if (id != a->id)
		return "Success/Failure with a stale Identifier";
	return NULL;
}

enum uppp_auth_result uppp_chap_give_up(struct uppp_auth *a, const char *layer)
{
	auth_log(a, UPPP_LOG_WARN, layer, "result=failure cause=%s reason=\"%s within %u ms\"",
		 uppp_cause_name(UPPP_CAUSE_AUTH_TIMEOUT),
		 !a->authenticator ? "authentication not finished"
		 : a->pending ? "the host gave no verdict on the Response" : "peer sent no valid Response",
		 a->timeout_ms);
	return uppp_auth_fail(a, UPPP_CAUSE_AUTH_TIMEOUT);
}

enum uppp_auth_result uppp_chap_retransmit(struct uppp_auth *a, const char *layer, const uint8_t *resp, size_t rlen,
				      uint64_t now)
{
	if (!a->authenticator) {
		/* Peer: our Response (or its answer) was lost; send it again. */
		if (a->tries == 0 || a->tries >= a->max_tries) {
			a->deadline = AUTH_NO_DEADLINE;  /* wait for the overall timeout */
			return UPPP_AUTH_CONTINUE;
		}
		uppp_chap_send_value(a, CHAP_RESPONSE, a->id, resp, rlen);
		a->tries++;
		a->deadline = now + a->restart_ms;
		return UPPP_AUTH_CONTINUE;
	}
	if (a->tries >= a->max_tries) {
		auth_log(a, UPPP_LOG_WARN, layer, "result=failure cause=%s reason=\"no Response to %u Challenges\"",
			 uppp_cause_name(UPPP_CAUSE_AUTH_TIMEOUT), a->tries);
		return uppp_auth_fail(a, UPPP_CAUSE_AUTH_TIMEOUT);
	}
	/* RFC 1994 §4.1: the Identifier MUST change with each Challenge. The
	 * value changes too: the MS-CHAPv2 NT-Response does not cover the
	 * Identifier, so with the old value a Response to the previous
	 * Challenge would pass under the new Identifier. A Response to an
	 * earlier Challenge is dropped as stale; the peer answers the new one
	 * as well (RFC 1994 §4.1: every Challenge gets a Response; pppd's peer
	 * does so). pppd's own authenticator resends the same Challenge
	 * instead, which our peer side answers just the same. */
	a->id++;
	uppp_auth_random(a, a->challenge, sizeof(a->challenge));
	chap_send_challenge(a);
	a->deadline = now + a->restart_ms;
	return UPPP_AUTH_CONTINUE;
}
