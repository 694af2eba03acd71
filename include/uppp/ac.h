/* uppp/ac.h — the PPPoE access concentrator (server) as a sans-I/O engine.
 *
 * Frames in, frames out: the host gives uppp_ac_input() every Ethernet frame
 * of ethertype 0x8863 (discovery) and 0x8864 (session) it receives, with the
 * time; the AC runs discovery (RFC 2516 §5), one PPP link per session (LCP,
 * PAP/CHAP/MS-CHAPv2, IPCP, echo) and answers through struct uppp_ac_ops:
 * frames to send, IP packets for a session's interface, session up and
 * down. It makes no syscall and reads no clock (uppp/engine.h says what the
 * engines share). The host keeps ONE timer for the whole AC.
 *
 * A minimal host (docs/examples/client_callback.c runs one beside a client):
 *
 *     struct uppp_ac_config cfg = { .mac = {...}, .ac_name = "lab" };
 *     uppp_ppp_config_defaults(&cfg.ppp);
 *     cfg.ppp.auth = UPPP_AUTH_CHAP_MD5;
 *     cfg.ppp.local_ip = 0x0a000001;
 *     struct uppp_ac *ac = uppp_ac_new(&cfg, &my_ops, my_ctx);
 *     for (;;) {
 *         wait for a frame or until uppp_ac_next_deadline(ac);
 *         uppp_ac_input(ac, frame, len, now);      (for each frame)
 *         uppp_ac_run_timers(ac, now);
 *     }
 *     uppp_ac_shutdown(ac, UPPP_CAUSE_ADMIN, now);
 *     uppp_ac_free(ac);
 *
 * Ownership: the AC owns its sessions; a struct uppp_ac_session pointer is
 * valid from the session_up (or any callback naming it) until its
 * session_down returns. Hosts that keep sessions longer keep the 16-bit
 * session id and look it up (uppp_ac_session_find). Strings and tables in
 * the config are not copied: they must outlive the AC.
 *
 * Callbacks run inside the AC's entry points. They may call the functions
 * that say so (close, verdicts, iteration); no callback may call
 * uppp_ac_free(). */
#ifndef UPPP_AC_H
#define UPPP_AC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uppp/alloc.h"
#include "uppp/engine.h"
#include "uppp/types.h"
#include "uppp/version.h"   /* UPPP_HAVE_SERVER */

#if UPPP_HAVE_SERVER

#define UPPP_AC_MAX_SERVICES 8

/* What the AC is and how big it may grow. Zero the struct, then set what
 * you need: every 0 means the default or "off" as said beside it. The AC
 * keeps a pointer to it: it and the strings it points to must outlive the
 * AC. */
struct uppp_ac_config {
	uint8_t mac[6];                 /* our Ethernet address */
	const char *ac_name;            /* AC-Name tag */
	const char *services[UPPP_AC_MAX_SERVICES]; /* offered Service-Names; none = offer "" and accept any */
	size_t n_services;
	unsigned max_sessions;          /* sessions at once; beyond that, no PADO (logged). Sizes
					 * the session-id table and the timer heap, allocated once
					 * at uppp_ac_new; 0 = UPPP_AC_MAX_SESSIONS (65534) */
	unsigned max_per_mac;           /* 0 = unlimited */
	struct uppp_ppp_config ppp;     /* template every session reads (is_server ignored: they serve) */
	struct uppp_logger log;         /* where lines go (uppp/engine.h); zeroed: nowhere. A
					 * session's lines carry the prefix "sess=<id> mac=<mac>" */

	/* Hostile clients (docs/security.md). A rate with tokens == 0 and a cap
	 * of 0 are off, so a zeroed config limits nothing; the `uppp` binary
	 * sets the defaults of uppp_server_config_defaults() (uppp/uppp.h):
	 * 200/s, 5/s per MAC, 100/s, 5/s per MAC, 64 negotiating, 3 failed
	 * logins per MAC per minute. Per-MAC buckets are checked
	 * first, then the global one, so one flooding MAC cannot drain the
	 * global bucket for everyone else. */
	struct uppp_rate padi_rate;         /* PADIs answered, all clients together */
	struct uppp_rate padi_rate_per_mac; /* PADIs answered per source MAC */
	struct uppp_rate padr_rate;         /* PADRs considered, all clients together */
	struct uppp_rate padr_rate_per_mac; /* PADRs considered per source MAC */
	unsigned max_negotiating;           /* sessions past PADS but not yet up; beyond: PADR dropped */
	/* Authentication failures (bad or unknown secret) a MAC may have: each
	 * failure takes a token; while its bucket is empty the MAC gets no PADO
	 * and no PADS, so a password guesser gets `burst` tries, then one per
	 * refill. */
	struct uppp_rate auth_fail_per_mac;

	/* Memory. Each of the three per-MAC tables (PADI, PADR, auth failures)
	 * remembers rate_sets × 4 MACs at 24 bytes each;
	 * 0 = UPPP_AC_RATE_SETS (1024: 96 KiB a table). A smaller table only
	 * forgets flooding MACs sooner (the global buckets still bound them). */
	unsigned rate_sets;
	/* Every allocation of the AC goes through it; NULL = malloc/free. It
	 * must outlive the AC. */
	const struct uppp_allocator *alloc;
};

#define UPPP_AC_MAX_SESSIONS 65534      /* session ids 1..0xfffe (RFC 2516 §4) */
#define UPPP_AC_RATE_SETS 1024

/* One session (PADS sent, until session_down). Opaque: use the functions
 * below. */
struct uppp_ac_session;

/* What the AC has seen since uppp_ac_new (uppp_ac_counters()). */
struct uppp_ac_counters {
	uint64_t padi_rx, pado_tx, padr_rx, pads_tx, padt_rx, padt_tx;
	uint64_t dropped_malformed;     /* truncated, bad lengths, bad version/type */
	uint64_t dropped_unknown_session;
	uint64_t dropped_no_service;    /* PADI/PADR for a service we do not offer */
	uint64_t dropped_limit;         /* max_sessions / max_per_mac / pool */
	uint64_t dropped_bad_cookie;
	uint64_t sessions_up, sessions_down;
	uint64_t dropped_bad_source;    /* multicast/broadcast source MAC (also counted as malformed) */
	uint64_t dropped_rate_limited;  /* PADI/PADR over a per-MAC or the global rate */
	uint64_t dropped_negotiating;   /* PADR while max_negotiating sessions were negotiating */
	uint64_t dropped_auth_limited;  /* PADI/PADR from a MAC with too many recent auth failures */
	uint64_t auth_failures;         /* wrong or unknown secrets, each refusal counted when judged */
	uint64_t logs_suppressed;       /* discovery warnings not logged (log rate limit) */
	/* Judgements by enum uppp_auth_method (index 0, NONE, stays 0): each
	 * accepted and each refused one, as the auth_result op reports them. */
	uint64_t auth_accepted[4], auth_refused[4];
	/* sessions_down by the cause they ended with (enum uppp_cause). */
	uint64_t sessions_down_by_cause[UPPP_CAUSE_COUNT];
};

/* One authentication judged (the auth_result op below). */
struct uppp_ac_auth_result {
	enum uppp_auth_method method;  /* PAP, CHAP_MD5 or MSCHAPV2 */
	bool accepted;
	enum uppp_cause cause;         /* refused: AUTH_BAD_SECRET, AUTH_NO_SECRET or AUTH_LOGIN;
					* accepted: UPPP_CAUSE_NONE */
	const char *user;              /* the name the peer gave, escaped as the log prints it
					* (printable ASCII, \xNN for the rest) */
};

/* What the AC needs from its host. ctx is the pointer given to uppp_ac_new,
 * passed back unchanged. Ops marked optional may be NULL; the others are
 * required (random and send_frame always; get_secret when the PPP template
 * asks for authentication and verify is NULL). The table must outlive the
 * AC. */
struct uppp_ac_ops {
	/* One Ethernet frame to send (dst, src, ethertype, payload; no FCS).
	 * frame is valid only during the call. A frame the host cannot send is
	 * lost, as on the wire: the protocols retransmit. */
	void (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
	/* Fill buf with len random bytes (cookie key, session ids, magic
	 * numbers, challenges). 0, or -errno: uppp_ac_new() then fails, a PADR
	 * gets no session, a session ends with cause HOST_ERROR. */
	int (*random)(void *ctx, void *buf, size_t len);
	/* The secret (PAP password, CHAP secret) of the client named
	 * peer_name (raw peer bytes, NUL-terminated): 0 with the secret in
	 * secret[0..*len), *len ≤ cap; or -ENOENT (no such client: cause
	 * AUTH_NO_SECRET). */
	int (*get_secret)(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len);
	/* Optional: check a PAP password yourself instead of comparing it with
	 * get_secret (pppd's `login`: system accounts). 0 accepted; -ENOENT no
	 * such user; -EACCES wrong password; -EPERM refused by policy (cause
	 * AUTH_LOGIN, not counted as a guess); -ENOSYS: compare with
	 * get_secret after all. why (whycap bytes) gets one sentence for the
	 * log; never put the password in it. */
	int (*check_password)(void *ctx, const char *user, const uint8_t *pw, size_t len, char *why,
			      size_t whycap);
	/* Optional: judge the peer of s yourself, now or later — the hook for
	 * RADIUS. What the peer sent is in req (valid during the call only;
	 * never the secret). Return -EINPROGRESS and answer with
	 * uppp_ac_session_auth_verdict(), or -ENOSYS to let get_secret /
	 * check_password judge (the secrets files: the default, synchronous
	 * implementation of this interface). Any other value refuses the peer
	 * and ends the session with cause HOST_ERROR. While a verdict is
	 * awaited the peer is kept waiting: its retransmitted Request or
	 * Response is dropped, no Challenge is resent, and the PPP template's
	 * auth_timeout_ms still runs (no verdict by then: cause AUTH_TIMEOUT). */
	int (*verify)(void *ctx, struct uppp_ac_session *s, const struct uppp_auth_request *req);
	/* Choose/release the peer address (IPAM). 0, -ENOSPC (cause
	 * no-address), -EPERM (cause address-not-allowed), or -EINPROGRESS:
	 * answer later with uppp_ac_session_address() (the `uppp` server's
	 * built-in pool is the default, synchronous implementation). peer_name
	 * is the authenticated name ("" without authentication); serial
	 * numbers this question on the session (the same counter as the
	 * verify requests' serial), and the later answer names it. While
	 * it is pending IPCP is not started and the negotiation timeout still
	 * runs. release_address comes exactly for each address the session
	 * took (returned here, given to uppp_ac_session_address() and taken, or
	 * given in an accepting verdict and used), once, when it ends or is
	 * re-authenticated as another user. */
	int (*assign_address)(void *ctx, struct uppp_ac_session *s, const char *peer_name, uint32_t serial,
			      uint32_t *peer_ip);
	void (*release_address)(void *ctx, struct uppp_ac_session *s, uint32_t peer_ip);
	/* IPCP opened: bind an interface. Return 0, or -errno to end the session
	 * (cause INTERFACE; HOST_ERROR for -ENOMEM). Called again after a
	 * renegotiation with the new link (address, MTU): rebind. */
	int (*session_up)(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link);
	/* The session is over (after PADT was sent/received); unbind the
	 * interface. s is freed after this returns. Called only for sessions
	 * that got past PADS. */
	void (*session_down)(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause);
	/* An IP packet from the peer of s, for its interface. pkt may be
	 * changed by the callee; it is valid only during the call. */
	void (*deliver_ip)(void *ctx, struct uppp_ac_session *s, uint8_t *pkt, size_t len);
	/* Optional: the peer of s was judged: accepted (PAP Ack or CHAP
	 * Success sent; the network phase starts next) or refused (Nak or
	 * Failure sent) — by the secrets or by a verdict. Once per judgement:
	 * each refused MS-CHAPv2 retry is one, an authentication that times
	 * out without one is none (session_down then says AUTH_TIMEOUT), an
	 * LCP renegotiation brings a new one. r is valid during the call. */
	void (*auth_result)(void *ctx, struct uppp_ac_session *s, const struct uppp_ac_auth_result *r);
	/* Optional: address pool has room? (checked before PADO; NULL = yes) */
	bool (*can_accept)(void *ctx);
	/* Optional: where to build the next session frame, UPPP_FRAME_MAX
	 * bytes or more; the send_frame that follows hands it back (NULL or
	 * unset: the AC's own buffer, and send_frame copies). A host that
	 * queues frames returns its next free queue slot and saves that copy;
	 * and an IP packet it reads to frame_buffer() + UPPP_FRAME_IP_OFFSET
	 * before uppp_ac_send_ip() is framed where it lies, without a copy
	 * (the AC builds nothing else before that packet's frame). Called
	 * for session frames only; discovery frames come from the AC's
	 * buffer. */
	uint8_t *(*frame_buffer)(void *ctx);
};

/* One access concentrator. Opaque. */
struct uppp_ac;

/* Creates an AC: everything it will ever need besides the sessions
 * themselves (one allocation each at PADR, one for the lease's user name
 * when the address is asked, and one for a verdict given from inside a
 * callback until it is applied) is allocated here, through cfg->alloc: the
 * AC, a peer-MAC hash, a session-id hash of the next power of two ≥
 * max_sessions buckets, a timer heap of max_sessions slots and the three
 * per-MAC rate tables. Returns NULL when an allocation fails or when
 * ops->random fails (no cookie key); nothing is left allocated. cfg (and
 * its strings, and cfg->alloc) must outlive it. */
UPPP_API struct uppp_ac *uppp_ac_new(const struct uppp_ac_config *cfg, const struct uppp_ac_ops *ops, void *ctx);
/* Ends every session at once (no packets sent): session_down for each;
 * then gives back every allocation. Not from inside a callback. */
UPPP_API void uppp_ac_free(struct uppp_ac *ac);

/* One received Ethernet frame (destination MAC first, no FCS), ethertype
 * 0x8863 or 0x8864; others are counted as malformed. The AC may change the
 * frame in place (MSS clamping) and keeps no pointer into it. Anything a
 * peer can send is handled: malformed frames are counted and dropped,
 * never trusted. */
UPPP_API void uppp_ac_input(struct uppp_ac *ac, uint8_t *frame, size_t len, uint64_t now);

/* Timers. The AC keeps the deadlines of all its sessions itself (a
 * min-heap sized at creation: arming never allocates and never fails); the
 * host keeps ONE timer for the whole AC. After every call into the AC
 * (uppp_ac_new included: UPPP_NO_DEADLINE then), re-arm that timer at
 * uppp_ac_next_deadline(); when it fires, call uppp_ac_run_timers(). */
/* The earliest deadline of any session (ms, the clock of `now`), or
 * UPPP_NO_DEADLINE when no session waits for one. */
UPPP_API uint64_t uppp_ac_next_deadline(const struct uppp_ac *ac);
/* Runs the timers of every session whose deadline is <= now, earliest
 * first (equal deadlines in the order they were set). A session whose
 * timer is set again to <= now while they run waits for the next call, so
 * this always returns. Early or repeated calls are harmless. */
UPPP_API void uppp_ac_run_timers(struct uppp_ac *ac, uint64_t now);

/* An IP packet from s's interface towards its peer (IPv4, whole; may be
 * changed in place: MSS clamping). 0; -ENOTCONN while s's IPCP is not
 * Opened (or s is ending); -EPROTONOSUPPORT for anything but IPv4 (no
 * IPv6CP yet; counted in tx_dropped); -EMSGSIZE when larger than the
 * peer's MRU. Like every entry point it may end s: the host must not
 * use s or its own per-session state after session_down. */
UPPP_API int uppp_ac_send_ip(struct uppp_ac *ac, struct uppp_ac_session *s, uint8_t *pkt, size_t len, uint64_t now);
/* Replaces the configuration (a reload): cfg follows uppp_ac_new's rule
 * (kept by pointer; it and its strings must outlive the AC, or the next
 * reconfigure). From now on discovery reads cfg (AC-Name, Service-Names,
 * max_per_mac, the rates and caps, auth_fail_per_mac, log; the per-MAC
 * buckets keep what they counted) and new sessions copy cfg->ppp (DNS,
 * WINS, authentication, CHAP name, echo, idle, timeouts...). Sessions that
 * exist are untouched: the PPP template they began with (an LCP or IPCP
 * renegotiation included) is copied for them, one allocation shared by all
 * of them and freed with the last, so the caller may free the old cfg and
 * its strings as soon as this returns 0. mac, max_sessions, rate_sets and
 * alloc size the AC or name it on the wire: they must be as before
 * (-EINVAL). Not from inside a callback (-EBUSY). -ENOMEM: no copy could
 * be made. On any error nothing has changed. Returns 0 or that. */
UPPP_API int uppp_ac_reconfigure(struct uppp_ac *ac, const struct uppp_ac_config *cfg);
/* Closes every session: LCP Terminate-Request and PADT now, session_down for
 * each before returning (shutdown path: we do not wait for Terminate-Ack). */
UPPP_API void uppp_ac_shutdown(struct uppp_ac *ac, enum uppp_cause cause, uint64_t now);
/* Closes the one session with this id, as uppp_ac_shutdown closes each:
 * LCP Terminate-Request and PADT to the peer, the address released,
 * session_down(cause) and the end logged with cause and counters. The
 * operator's cause is UPPP_CAUSE_ADMIN. Returns 0, or -ENOENT when no live
 * session has that id, -EINVAL for cause UPPP_CAUSE_NONE or out of range.
 * From outside the AC the session is gone when it returns. It may also be
 * called from inside any callback of this AC (session_up, session_down,
 * deliver_ip, the uppp_ac_sessions() visitor ...): the close is then
 * carried out when the outermost call into the AC returns (before it
 * returns), never under the caller's feet. */
UPPP_API int uppp_ac_session_close(struct uppp_ac *ac, uint16_t session_id, enum uppp_cause cause, uint64_t now);

/* Deferred answers. The host's verify op (or assign_address) said
 * -EINPROGRESS for the session with this id; here comes the answer. Both
 * may be called from anywhere the host likes: outside the AC (timers,
 * sockets: now is the current time), or from inside any callback of this
 * AC (even the verify or assign_address that asked): then the answer is
 * checked, copied (strings too) and applied when the outermost call into
 * the AC returns, before it returns, as uppp_ac_session_close is.
 *
 * uppp_ac_session_auth_verdict: v->accept starts the network phase (with
 * v->peer_ip, when not 0, instead of calling assign_address; MS-CHAPv2
 * sends v->mschapv2_success as S=); a refusal answers Nak/Failure with
 * cause v->cause (AUTH_BAD_SECRET by default) and counts against
 * auth_fail_per_mac as a wrong secret does; MS-CHAPv2 may then offer a
 * retry (a new Response comes to verify again). Returns 0; -ENOENT when
 * no live session has that id (it ended: nothing is done, an address in v
 * stays the host's); -EALREADY when the session awaits no verdict for
 * request v->serial (none asked, already answered, the authentication
 * timed out, or the peer asked again since: LCP renegotiated, a newer
 * request is pending); -EINVAL for a refusal cause other than the three, or MS-CHAPv2
 * accepted without "S=" and 40 hex digits (nothing changes: answer again).
 * From inside a callback only -ENOENT and -EINVAL are reported, and
 * -ENOMEM when the allocator has no room for the copy: the session then
 * ends with cause host-error, as uppp_ac_session_close ends it; a verdict
 * found -EALREADY when applied is dropped (logged at debug). */
UPPP_API int uppp_ac_session_auth_verdict(struct uppp_ac *ac, uint16_t session_id, const struct uppp_auth_verdict *v,
				 uint64_t now);
/* uppp_ac_session_address: the answer to the assign_address call that
 * was given this serial. err 0 with
 * peer_ip (host order, not 0) starts IPCP with it (the session has taken
 * the address: release_address comes for it); err -EPERM ends the session
 * with cause address-not-allowed, any other error with no-address, as a
 * synchronous answer would. Returns 0; -ENOENT when no live session has
 * that id; -EALREADY when it awaits no address for that serial (answered
 * already, or LCP renegotiated since: a new assign_address call, with a
 * new serial, comes — an old answer never serves the new question). On -ENOENT and
 * -EALREADY the address was not taken: it stays the host's. From inside a
 * callback: as above (only -ENOENT reported; an address found not awaited
 * when applied is given back through release_address). */
UPPP_API int uppp_ac_session_address(struct uppp_ac *ac, uint16_t session_id, uint32_t serial, int err,
				     uint32_t peer_ip, uint64_t now);

/* Where a session is (its PPP phase, RFC 1661 §3.2). An AC session exists
 * from PADS on: it is never in discovery. */
enum uppp_ac_session_state {
	UPPP_AC_SESS_LCP,          /* LCP negotiating */
	UPPP_AC_SESS_AUTH,         /* LCP Opened, authenticating the peer */
	UPPP_AC_SESS_NETWORK,      /* authenticated, IPCP negotiating (or renegotiating) */
	UPPP_AC_SESS_UP,           /* IPCP Opened: IP flows */
	UPPP_AC_SESS_TERMINATING,  /* LCP Terminate-Request sent, waiting for the Ack */
};

/* A copy of one session's state, for the host's listing (control socket). */
struct uppp_ac_session_info {
	uint16_t id;                        /* PPPoE session id */
	uint8_t peer_mac[6];
	char user[UPPP_AUTH_NAME_MAX + 1];  /* authenticated name, raw bytes (escape before
					     * printing); "" before auth or without */
	uint32_t peer_ip;                   /* host order; 0 while none is assigned */
	enum uppp_ac_session_state state;
	uint64_t started_ms;                /* `now` of the PADR that created it */
	enum uppp_auth_method auth;         /* protocol in use; UPPP_AUTH_NONE before LCP chose */
	struct uppp_ppp_stats counters;     /* IP packets and bytes each way, drops */
	struct uppp_ac_session *session;    /* the handle (valid until its session_down) */
};

/* Calls fn(arg, info) once for every live session (newest first), until fn
 * returns non-zero, which is then returned (0 when all were visited). info
 * is valid only during the call. fn may close sessions, this one or others
 * (uppp_ac_session_close: carried out when the iteration returns), but must
 * not call uppp_ac_free. Sessions created meanwhile are not visited. */
UPPP_API int uppp_ac_sessions(struct uppp_ac *ac, int (*fn)(void *arg, const struct uppp_ac_session_info *info),
		     void *arg);
/* The live session with this id, or NULL (the pointer is valid until its
 * session_down returns). */
UPPP_API struct uppp_ac_session *uppp_ac_session_find(const struct uppp_ac *ac, uint16_t session_id);
/* Fills *info with a copy of s's state, as uppp_ac_sessions() gives it. */
UPPP_API void uppp_ac_session_info(const struct uppp_ac_session *s, struct uppp_ac_session_info *info);

/* Live sessions (from PADS until session_down). */
UPPP_API size_t uppp_ac_session_count(const struct uppp_ac *ac);
/* Live sessions whose IPCP is not (yet) up (bounded by max_negotiating). */
UPPP_API size_t uppp_ac_negotiating_count(const struct uppp_ac *ac);
/* The AC's counters, owned by it and updated in place. Never NULL. */
UPPP_API const struct uppp_ac_counters *uppp_ac_counters(const struct uppp_ac *ac);

/* Per-session accessors, for a session pointer the AC handed out (valid
 * until its session_down returns). */
/* Its PPPoE session id (1..0xfffe). */
UPPP_API uint16_t uppp_ac_session_id(const struct uppp_ac_session *s);
/* The peer's Ethernet address (6 bytes, owned by the session). */
UPPP_API const uint8_t *uppp_ac_session_peer_mac(const struct uppp_ac_session *s);
/* Stores the host's own pointer for s (its interface, say). The AC never
 * looks at it. */
UPPP_API void uppp_ac_session_set_user(struct uppp_ac_session *s, void *user);
/* The pointer stored with uppp_ac_session_set_user(); NULL until set. */
UPPP_API void *uppp_ac_session_user(const struct uppp_ac_session *s);
/* Its IP counters (owned by the session, updated as packets pass). */
UPPP_API const struct uppp_ppp_stats *uppp_ac_session_stats(const struct uppp_ac_session *s);

#endif /* UPPP_HAVE_SERVER */
#endif
