/* auth/auth.h — PPP authentication (PAP RFC 1334, CHAP-MD5 RFC 1994,
 * MS-CHAPv2 RFC 2759) for one link, in one direction, as a sans-I/O engine
 * driven by proto/ppp.c.
 *
 * An authenticator checks the peer (server side); a peer proves itself
 * (client side). Packets go out through ops->send (PPP_PAP / PPP_CHAP), the
 * secret comes from ops->get_secret, randomness from ops->random. */
#ifndef UPPP_AUTH_AUTH_H
#define UPPP_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cause.h"
#include "core/logger.h"
#include "uppp/engine.h"    /* uppp_auth_request, uppp_auth_verdict, UPPP_AUTH_NAME_MAX */
#include "uppp/version.h"   /* UPPP_HAVE_MSCHAPV2 */

/* struct uppp_auth_request (what the peer sent, for ops->verify) and struct
 * uppp_auth_verdict (the host's later answer) are public: uppp/engine.h. */

/* What authentication needs from its host (proto/ppp.c forwards these to
 * the link's struct uppp_ppp_ops, whose comments say what each does); ctx
 * is passed back unchanged. */
struct uppp_auth_ops {
	void (*send)(void *ctx, uint16_t protocol, const uint8_t *info, size_t len);
	int (*random)(void *ctx, void *buf, size_t len);   /* 0 or -errno (proto/ops.h) */
	/* authenticator only */
	int (*get_secret)(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len);
	int (*check_password)(void *ctx, const char *user, const uint8_t *pw, size_t len, char *why,
			      size_t whycap);
	bool (*auth_failed)(void *ctx, enum uppp_cause cause, const char *user);
	/* optional: the host judges the peer itself, perhaps later (struct
	 * uppp_auth_request below; proto/ops.h says what it returns) */
	int (*verify)(void *ctx, const struct uppp_auth_request *req);
};

/* The protocols this build implements, as bits 1u << enum uppp_auth_method:
 * MS-CHAPv2 only when built with it (-DUPPP_WITH_MSCHAPV2, UPPP_HAVE_MSCHAPV2
 * in uppp/version.h); without, LCP never offers, asks for or accepts it. */
#define UPPP_AUTH_PROTOS_BUILT \
	(1u << UPPP_AUTH_PAP | 1u << UPPP_AUTH_CHAP_MD5 | (UPPP_HAVE_MSCHAPV2 ? 1u << UPPP_AUTH_MSCHAPV2 : 0u))

enum uppp_auth_result {
	UPPP_AUTH_CONTINUE,   /* nothing decided yet */
	UPPP_AUTH_SUCCEEDED,  /* authenticator: peer proved itself; peer: we were accepted */
	UPPP_AUTH_FAILED,     /* see a->fail_cause */
};

struct uppp_auth {
	enum uppp_auth_method proto;
	bool authenticator;
	const struct uppp_auth_ops *ops;
	void *ctx;
	const struct uppp_logger *log;  /* NULL: nothing logged; set by the host after init */
	const char *our_name;        /* CHAP name we send; client: user name */
	const char *password;        /* client: the secret */
	unsigned restart_ms;         /* retransmit interval (challenge / Auth-Req) */
	unsigned max_tries;          /* transmissions before giving up */
	unsigned timeout_ms;         /* overall limit (authenticator; CHAP peer: until Success) */

	/* private */
	int state;
	uint8_t id;
	unsigned tries;
	uint64_t deadline;           /* next retransmit, UINT64_MAX none */
	uint64_t give_up_at;
	uint8_t challenge[16];
	char peer_name[UPPP_AUTH_NAME_MAX + 1];  /* authenticator: name the peer gave (raw, NUL-terminated) */
	enum uppp_cause fail_cause;
	unsigned dropped;            /* packets dropped: malformed, stale id, unexpected */

	/* private: MS-CHAPv2 (auth/mschapv2.c) */
	uint8_t ms_peer_challenge[16];  /* peer: the Peer-Challenge we sent */
	uint8_t ms_response[49];        /* authenticator: the Response value we accepted, or the last
					 * one refused (with its name in peer_name while retrying) */
	char ms_auth_response[43];      /* "S=" + 40 hex: authenticator: sent; peer: expected */
	unsigned ms_failures;           /* authenticator: wrong Responses so far */
	bool ms_retry_wait;             /* authenticator: Failure R=1 sent, waiting for a new Response */
	uint8_t ms_failure_id;          /* authenticator: Identifier of that Failure */

	/* private: an answer from ops->verify awaited (uppp_auth_verdict) */
	bool pending;                   /* authenticator: verify said -EINPROGRESS, no verdict yet */
	bool by_verify;                 /* the peer was judged by ops->verify, not by a secret */
	uint8_t pending_id;             /* Identifier to answer with */
};

/* What an authenticator keeps of a once the peer succeeded, in place of
 * the whole struct uppp_auth (proto/ppp.c gives that back): the peer's
 * name, and what answering the peer's repeated request needs — the same
 * Ack or Success again (RFC 1334 §2.2.1, RFC 1994 §4.1 note: Windows
 * resends its Response after Success, even once IPCP is up). Its size
 * depends on the protocol and the name (uppp_auth_kept_size). */
struct uppp_auth_kept {
	uint8_t proto;      /* enum uppp_auth_method */
	uint8_t id;         /* Identifier of the accepted request (CHAP) */
	bool by_verify;     /* the host's verify op judged the peer */
	uint8_t name_len;
	/* CHAP-MD5: our challenge (judged by the secrets) or the accepted value
	 * (by verify), 16 bytes; MS-CHAPv2: the accepted Response (49) and the
	 * "S=..." sent (42); PAP: nothing. Then the name and a NUL. */
	uint8_t data[];
};

/* Authenticator that succeeded: the bytes uppp_auth_keep(a) writes. */
size_t uppp_auth_kept_size(const struct uppp_auth *a);
void uppp_auth_keep(const struct uppp_auth *a, struct uppp_auth_kept *k);
/* The size of k (what uppp_auth_kept_size said when it was kept). */
size_t uppp_auth_kept_len(const struct uppp_auth_kept *k);
/* The name the peer authenticated with (raw, NUL-terminated). */
const char *uppp_auth_kept_name(const struct uppp_auth_kept *k);
/* Rebuilds in a (e.g. on the stack) the authenticator k was kept from, in
 * its succeeded state, for one repeated packet through uppp_auth_input():
 * it answers as the whole state would have, and changes nothing that k
 * must remember. */
void uppp_auth_restore(struct uppp_auth *a, const struct uppp_auth_kept *k, const char *our_name,
		       const struct uppp_auth_ops *ops, void *ctx, const struct uppp_logger *log);

/* Prepares a. our_name/password must outlive it. Sets restart_ms 3000,
 * max_tries 10, timeout_ms 30000; the host may change them before start
 * (0 = default). uppp_auth_input() and uppp_auth_timer() return the current
 * result: once SUCCEEDED or FAILED it stays so (later packets are answered,
 * never re-decided, except that a CHAP peer rechallenged after Success
 * is FAILED by a later Failure). */
void uppp_auth_init(struct uppp_auth *a, enum uppp_auth_method proto, bool authenticator,
		    const char *our_name, const char *password,
		    const struct uppp_auth_ops *ops, void *ctx);
/* Starts authenticating (authenticator CHAP: send Challenge; peer PAP: send
 * Authenticate-Request; others: wait). */
enum uppp_auth_result uppp_auth_start(struct uppp_auth *a, uint64_t now);
/* One PAP or CHAP packet (the PPP information field, code first). Also
 * handles packets after the result is known (a repeated CHAP Response after
 * Success is answered with Success again). */
enum uppp_auth_result uppp_auth_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now);
uint64_t uppp_auth_next_deadline(const struct uppp_auth *a);
enum uppp_auth_result uppp_auth_timer(struct uppp_auth *a, uint64_t now);
/* Authenticator: the name the peer authenticated with ("" before). For
 * MS-CHAPv2 it is the name whose secret matched: "DOMAIN\user" is looked
 * up as sent, then as "user". */
const char *uppp_auth_peer_name(const struct uppp_auth *a);
const char *uppp_auth_proto_name(enum uppp_auth_method p);
/* Authenticator: the host's verdict on the request its ops->verify left
 * pending. Answers the peer (Ack/Nak, Success/Failure; MS-CHAPv2 may offer
 * a retry as for a wrong password) and sets *res to the result, as
 * uppp_auth_input() returns it. Returns 0; -EALREADY when no verdict is
 * awaited (none asked, already given, or authentication ended: timed out,
 * restarted) and nothing changes; -EINVAL for a verdict that cannot be
 * used (refusal cause not one of the three, MS-CHAPv2 accepted without a
 * well-formed S=) and nothing changes. */
int uppp_auth_verdict(struct uppp_auth *a, const struct uppp_auth_verdict *v, uint64_t now,
		      enum uppp_auth_result *res);

#endif
