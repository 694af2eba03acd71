/* proto/ops.h — how a sans-I/O PPP link talks to whoever hosts it.
 *
 * The PPP engine (proto/ppp.h) and the authentication code (auth/) never make
 * a syscall. Everything they need from the outside goes through this const
 * table, filled in by the host (or by a test that wires two stacks in memory).
 * ctx is the host's per-link pointer, passed back unchanged. Log lines go
 * through a struct uppp_logger (core/logger.h), not through this table. */
#ifndef UPPP_PROTO_OPS_H
#define UPPP_PROTO_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"      /* struct uppp_auth_request */
#include "core/cause.h"
#include "core/logger.h"
#include "uppp/engine.h"


/* struct uppp_ppp_link (the network layer once IPCP is Opened) is public:
 * uppp/engine.h. */

struct uppp_ppp_ops {
	/* Optional: memory for the state a link holds only for a while (the
	 * authentication state from LCP Opened until its result is acted upon
	 * — a client keeps it until LCP goes down, for rechallenges — and what
	 * a server keeps of it afterwards: proto/ppp.h). size bytes, zeroed
	 * by the engine, or NULL: the link then ends with cause HOST_ERROR.
	 * free gives back p with the size it was asked with. NULL ops:
	 * malloc/free. */
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *p, size_t size);
	/* Send one PPP packet: protocol number and its information field
	 * (no PPPoE header, no protocol field inside info). */
	void (*send)(void *ctx, uint16_t protocol, const uint8_t *info, size_t len);
	/* An IP packet from the peer, for the interface. May be modified in place
	 * by the callee. */
	void (*deliver_ip)(void *ctx, uint8_t *pkt, size_t len);
	/* Fill buf with len random bytes (magic numbers, challenges). Returns
	 * 0, or -errno when no randomness could be had: the link then ends
	 * with cause HOST_ERROR (it never goes on with weak bytes). */
	int (*random)(void *ctx, void *buf, size_t len);
	/* Server: the secret for client name peer_name (PAP password or CHAP
	 * secret). Returns 0 with the secret in secret[0..*len) or -ENOENT. */
	int (*get_secret)(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len);
	/* Server, optional (NULL = not used): check a PAP password itself
	 * instead of comparing it with get_secret() — pppd's `login` (system
	 * accounts). Returns 0 accepted; -ENOENT no such user; -EACCES wrong
	 * password; -EPERM refused by policy (login); -ENOSYS not handled here:
	 * use get_secret(). why gets one sentence for the log (peer strings in
	 * it escaped); the password is never logged. */
	int (*check_password)(void *ctx, const char *user, const uint8_t *pw, size_t len, char *why,
			      size_t whycap);
	/* Server, optional (NULL = nothing counted, retries allowed): the
	 * authenticator has just refused the peer's secret — a PAP
	 * Authenticate-Nak, a CHAP-MD5 Failure, each MS-CHAPv2 Failure (retries
	 * included) — with cause AUTH_BAD_SECRET, AUTH_NO_SECRET or AUTH_LOGIN.
	 * Called once per refusal, at the moment of judgement (a repeated reply
	 * to a retransmitted packet is not a new refusal), so the host can count
	 * wrong guesses however the link ends later. user is the name the peer
	 * gave, escaped as the log prints it. Returns false when the peer
	 * must not be offered another try (MS-CHAPv2 then sends R=0). */
	bool (*auth_failed)(void *ctx, enum uppp_cause cause, const char *user);
	/* Server, optional: the authenticator has just accepted the peer as
	 * peer_name (raw bytes) with method — PAP Authenticate-Ack or CHAP
	 * Success sent. Once per authentication (again after an LCP
	 * renegotiation); the network phase starts when it returns. */
	void (*auth_accepted)(void *ctx, enum uppp_auth_method method, const char *peer_name);
	/* Server, optional (NULL = the secrets judge, as above): judge the peer
	 * yourself from what it sent (struct uppp_auth_request, auth/auth.h:
	 * PAP user and password; CHAP-MD5 name, Identifier, our challenge and
	 * the MD5 value; MS-CHAPv2 name, our challenge and the 49-byte
	 * Response) — what a RADIUS client needs, never the secret. req and
	 * what it points to are valid only during the call. Returns
	 * -EINPROGRESS: the verdict comes later through
	 * uppp_ppp_auth_verdict() (the host may also give it from inside this
	 * call: it is then applied when the engine call returns); -ENOSYS:
	 * not judged here, get_secret()/check_password() decide exactly as
	 * without this op; any other value: the host failed, the peer is
	 * refused and the link ends with cause HOST_ERROR. While a verdict is
	 * awaited the engine asks nothing again: a retransmitted Request or
	 * Response is dropped (PAP: the verdict answers its latest
	 * Identifier), no Challenge is resent, and the authentication timeout
	 * (auth_timeout_ms) still runs: without a verdict by then the link
	 * ends with cause AUTH_TIMEOUT. A refusal counts through
	 * auth_failed() as a wrong secret does. */
	int (*verify)(void *ctx, const struct uppp_auth_request *req);
	/* Server: choose the peer's address once it has authenticated as
	 * peer_name ("" with no auth). Returns 0, -ENOSPC (pool empty) or
	 * -EPERM (this peer may have no address: `-` in its secrets line; the
	 * host logs which line), or -EINPROGRESS: the address comes later
	 * through uppp_ppp_address(); meanwhile IPCP is not started (the
	 * peer's Configure-Requests are dropped, RFC 1661 §3.4 allows it for a
	 * layer not started, and the peer retransmits) and
	 * negotiation_timeout_ms still bounds the wait. The host releases it when the link goes down.
	 * Called each time the network phase starts: after a renegotiation the
	 * peer may have authenticated as someone else; the host then gives back
	 * the first user's address and picks the new user's, and keeps the
	 * address for the same name. serial numbers the question (one counter
	 * with the verify requests'); a later answer names it. */
	int (*assign_address)(void *ctx, const char *peer_name, uint32_t serial, uint32_t *peer_ip);
	/* IPCP reached Opened: the network layer is up. Again after a
	 * renegotiation, with the new link (host notes in proto/ppp.h). */
	void (*up)(void *ctx, const struct uppp_ppp_link *link);
	/* The link is finished; called exactly once, as the engine's last act.
	 * The host must not free the engine before the engine call that caused
	 * this returns (free it after: deferred free). */
	void (*down)(void *ctx, enum uppp_cause cause);
};

#endif
