/* auth/auth_impl.h — shared by the auth/ sources; not for other layers. */
#ifndef UPPP_AUTH_AUTH_IMPL_H
#define UPPP_AUTH_AUTH_IMPL_H

#include "auth/auth.h"
#include "core/buf.h"
#include "core/escape.h"

/* a->state */
enum auth_state {
	AUTH_ST_INITIAL = 0,  /* uppp_auth_start() not called yet */
	AUTH_ST_WAITING,      /* started, nothing decided */
	AUTH_ST_SUCCEEDED,
	AUTH_ST_FAILED,
};

#define AUTH_DEFAULT_RESTART_MS 3000
#define AUTH_DEFAULT_MAX_TRIES 10
#define AUTH_DEFAULT_TIMEOUT_MS 30000
#define AUTH_NO_DEADLINE UINT64_MAX

/* Room for one secret as returned by ops->get_secret (max 255 + spare). */
#define AUTH_SECRET_CAP 256

#define auth_log(a, level, layer, ...) UPPP_LOGF((a)->log, (level), (layer), __VA_ARGS__)

void uppp_auth_send(struct uppp_auth *a, uint16_t protocol, const uint8_t *info, size_t len);
/* Random bytes from ops->random; zeros if the host gave none. When the host
 * has none to give, its op has already marked the link to end with cause
 * HOST_ERROR (proto/ops.h): the bytes are never relied on. */
void uppp_auth_random(struct uppp_auth *a, void *buf, size_t len);
enum uppp_auth_result uppp_auth_current_result(const struct uppp_auth *a);
enum uppp_auth_result uppp_auth_succeed(struct uppp_auth *a, const uint8_t *peer_name, size_t n);
enum uppp_auth_result uppp_auth_fail(struct uppp_auth *a, enum uppp_cause cause);
/* Authenticator: the peer's secret was just judged wrong (cause
 * AUTH_BAD_SECRET, AUTH_NO_SECRET or AUTH_LOGIN) for user (the name the
 * peer gave, escaped as the log line prints it). Tells the host once
 * (ops->auth_failed; it counts the failure against the peer). Returns
 * whether the host allows the peer another try. Call it once per refusal,
 * never for the repeated answer to a retransmitted packet. */
bool uppp_auth_refused(struct uppp_auth *a, enum uppp_cause cause, const char *user);
/* Asks ops->verify to judge req: -ENOSYS when the host has no verify op or
 * leaves it to the secrets (then judge with get_secret/check_password as
 * before), -EINPROGRESS when the verdict comes later (uppp_auth_verdict),
 * another -errno when the host failed (the caller refuses: HOST_ERROR). */
int uppp_auth_ask_verify(struct uppp_auth *a, const struct uppp_auth_request *req);
/* Marks a as waiting for the host's verdict on the packet with Identifier
 * id from name (kept in peer_name): no retransmission meanwhile, the
 * overall timeout (give_up_at) still runs. */
void uppp_auth_set_pending(struct uppp_auth *a, uint8_t id, const uint8_t *name, size_t nlen);
/* The host's refusal reason escaped into out, or the cause's sentence. */
const char *uppp_auth_verdict_reason(const char *reason, enum uppp_cause cause, char *out, size_t cap);
/* Drops a packet: counts it and logs why at debug level. */
enum uppp_auth_result uppp_auth_drop(struct uppp_auth *a, const char *layer, const char *why);

/* Equal in time that depends only on n. */
bool uppp_auth_ct_equal(const uint8_t *x, const uint8_t *y, size_t n);
/* Zeroes memory holding a secret in a way the compiler keeps. */
void uppp_auth_wipe(void *p, size_t n);
/* Splits the 4-byte header (code, id, length) off a PAP/CHAP packet. The
 * body reader covers exactly length - 4 bytes (padding beyond Length is
 * ignored). Returns 0 or -EMSGSIZE (length < 4 or past the end). */
int uppp_auth_parse_header(const uint8_t *info, size_t len, uint8_t *code, uint8_t *id,
		      struct uppp_reader *body);
bool uppp_auth_has_nul(const uint8_t *s, size_t n);
/* Looks name up through ops->get_secret into secret (zeroed first; at most
 * AUTH_SECRET_CAP - 1 bytes, *slen of them). Returns 0 or -ENOENT. */
int uppp_auth_get_secret(struct uppp_auth *a, const char *name, uint8_t secret[AUTH_SECRET_CAP], size_t *slen);
/* Peer: logs the authenticator's verdict with its message (text, already
 * escaped) and records success or failure. */
enum uppp_auth_result uppp_auth_peer_verdict(struct uppp_auth *a, const char *layer, bool accepted, const char *text);

/* ---- chap_common.c: shared by chap.c and mschapv2.c (RFC 1994 §4) ---- */

#define CHAP_CHALLENGE 1
#define CHAP_RESPONSE  2
#define CHAP_SUCCESS   3
#define CHAP_FAILURE   4

#define CHAP_MESSAGE_MAX 255  /* longest Success/Failure message we send */

/* Challenge or Response: code, id, length, Value-Size, Value, our name. */
void uppp_chap_send_value(struct uppp_auth *a, uint8_t code, uint8_t id, const uint8_t *value, size_t vlen);
/* Success or Failure: code, id, length, Message (at most CHAP_MESSAGE_MAX). */
void uppp_chap_send_status(struct uppp_auth *a, uint8_t code, uint8_t id, const char *msg);
/* Parses Value-Size, Value and Name of a Challenge or Response. Returns 0
 * or -EMSGSIZE (Value-Size past the end). */
int uppp_chap_parse_value(struct uppp_reader *body, const uint8_t **value, uint8_t *vlen,
		     const uint8_t **name, size_t *nlen);
/* Start once the protocol's own checks passed: the peer waits for a
 * Challenge, the authenticator sends one (random Identifier and value). */
enum uppp_auth_result uppp_chap_begin(struct uppp_auth *a, uint64_t now);
/* Peer: sends resp (rlen bytes) as the Response to Challenge id from server;
 * resp must stay valid: uppp_chap_retransmit() resends it until an answer comes. */
void uppp_chap_send_response(struct uppp_auth *a, const char *layer, uint8_t id, const uint8_t *resp, size_t rlen,
			const uint8_t *server, size_t server_len, uint64_t now);
/* Peer: why a Success/Failure with Identifier id cannot be ours, or NULL. */
const char *uppp_chap_unexpected_status(const struct uppp_auth *a, uint8_t id);
/* The overall timeout passed: logs it and fails. */
enum uppp_auth_result uppp_chap_give_up(struct uppp_auth *a, const char *layer);
/* The retransmit deadline passed: the peer resends its Response resp, the
 * authenticator its Challenge, each until max_tries. */
enum uppp_auth_result uppp_chap_retransmit(struct uppp_auth *a, const char *layer, const uint8_t *resp, size_t rlen,
				      uint64_t now);

enum uppp_auth_result uppp_pap_start(struct uppp_auth *a, uint64_t now);
enum uppp_auth_result uppp_pap_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now);
enum uppp_auth_result uppp_pap_timer(struct uppp_auth *a, uint64_t now);
/* The verdicts on a pending verify, for uppp_auth_verdict() (checked there). */
enum uppp_auth_result uppp_pap_verdict(struct uppp_auth *a, bool accept, enum uppp_cause cause, const char *why);
enum uppp_auth_result uppp_chap_verdict(struct uppp_auth *a, bool accept, enum uppp_cause cause, const char *why);
int uppp_mschapv2_verdict(struct uppp_auth *a, const struct uppp_auth_verdict *v, enum uppp_cause cause,
			  uint64_t now, enum uppp_auth_result *res);

enum uppp_auth_result uppp_chap_start(struct uppp_auth *a, uint64_t now);
enum uppp_auth_result uppp_chap_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now);
enum uppp_auth_result uppp_chap_timer(struct uppp_auth *a, uint64_t now);

/* mschapv2_crypto.c, for mschapv2.c: the user name without any "DOMAIN\"
 * prefix (RFC 2759 §8.2: only the user name is hashed); */
const uint8_t *uppp_mschapv2_strip_domain(const uint8_t *user, size_t len, size_t *out_len);
/* n bytes as 2n uppercase hex digits and a NUL; */
void uppp_mschapv2_hex_upper(const uint8_t *b, size_t n, char *out);
/* n bytes from 2n hex digits (either case): 0 or -EINVAL. */
int uppp_mschapv2_unhex(const uint8_t *s, size_t n, uint8_t *out);

enum uppp_auth_result uppp_mschapv2_start(struct uppp_auth *a, uint64_t now);
enum uppp_auth_result uppp_mschapv2_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now);
enum uppp_auth_result uppp_mschapv2_timer(struct uppp_auth *a, uint64_t now);

#endif
