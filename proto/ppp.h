/* proto/ppp.h — one PPP link as a sans-I/O engine: LCP, authentication,
 * IPCP, keepalive, data.
 *
 * The host (core/ or a test) feeds it PPP packets, the time, and timer
 * expiries; it answers through struct uppp_ppp_ops. It never blocks, and
 * allocates (through ops->alloc) only what a link holds for a while: the
 * authentication state while it runs, what a server keeps of it, the
 * peer's Terminate-Request text; never per packet. Time is milliseconds on
 * any monotonic clock. */
#ifndef UPPP_PROTO_PPP_H
#define UPPP_PROTO_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "proto/fsm.h"
#include "proto/ipcp.h"
#include "proto/lcp.h"
#include "proto/ops.h"
#include "uppp/engine.h"

/* what is kept of a peer's Terminate-Request text: its first 64 bytes, and
 * the room they take escaped (\xNN each) */
#define UPPP_PPP_PEER_REASON_MAX 64
#define UPPP_PPP_REASON_ESCAPED_MAX (UPPP_PPP_PEER_REASON_MAX * 4 + 4)

/* struct uppp_ppp_config, uppp_ppp_config_defaults(), struct uppp_ppp_stats
 * and UPPP_NO_DEADLINE are public: uppp/engine.h. */

/* RFC 1661 §3.2 link phases. proto/ppp.c moves between them through one
 * setter, which logs `phase=old -> new (why)` and refuses (logged at error
 * level) a move its table does not allow: RFC 1661's phase diagram plus the
 * moves renegotiation and closing take (proto/ppp_impl.h). */
enum uppp_ppp_phase {
	UPPP_PHASE_DEAD = 0,
	UPPP_PHASE_ESTABLISH,     /* LCP negotiating */
	UPPP_PHASE_AUTHENTICATE,  /* LCP Opened, PAP/CHAP running */
	UPPP_PHASE_NETWORK,       /* IPCP negotiating or Opened */
	UPPP_PHASE_TERMINATE,     /* LCP Terminate-Request sent, waiting */
	UPPP_PHASE_COUNT
};

/* The rest of a link's state, beside the phase and the LCP and IPCP
 * automata (private to proto/ppp.c; what can be read off those is not kept
 * twice: IPCP Opened is the link being up). */

/* Authentication in the current LCP session. OFF must stay 0: proto/ac.c
 * reads the field as "authentication ran in this LCP session". */
enum uppp_ppp_auth_state {
	UPPP_PPP_AUTH_OFF = 0,    /* LCP not Opened, or no protocol negotiated */
	UPPP_PPP_AUTH_RUNNING,    /* started, no result acted upon yet */
	UPPP_PPP_AUTH_DECIDED,    /* its result was acted upon (network started, or closing) */
};

/* The network phase in the current LCP session. */
enum uppp_ppp_net_state {
	UPPP_PPP_NET_IDLE = 0,        /* not started */
	UPPP_PPP_NET_WAIT_ADDRESS,    /* server: assign_address said -EINPROGRESS: IPCP waits */
	UPPP_PPP_NET_STARTED,         /* IPCP started (or the address refused: the link closes) */
};

/* What the host hears when the current entry point ends (flush). */
enum uppp_ppp_notify {
	UPPP_PPP_NOTIFY_NONE = 0,
	UPPP_PPP_NOTIFY_UP,       /* ops->up() due: IPCP reached Opened */
	UPPP_PPP_NOTIFY_DOWN,     /* the link is over: ops->down() due (a due up() is dropped) */
	UPPP_PPP_NOTIFY_DONE,     /* ops->down() was called: the engine is inert */
};

/* struct uppp_ppp is defined here so that hosts can embed it: treat its
 * fields as private, use the functions below. It holds everything the link
 * owns (FSMs, timers, counters; the authentication state and the peer's
 * text in blocks of ops->alloc); it points at nothing else but cfg, ops and
 * ctx, so it may live anywhere but must not be copied or moved once
 * initialised (the FSMs point back into it).
 *
 * Host notes: up() and down() are delivered at the end of the engine call
 * that caused them, never from inside another callback; down() comes once
 * and carries the first cause recorded (a later lower_down() does not
 * overwrite an auth or echo cause already on its way). After down() every
 * entry point is a no-op. ops->send/deliver_ip and the logger must not call back into
 * the same engine; up() may (e.g. uppp_ppp_close on an interface error).
 *
 * up() comes each time IPCP reaches Opened: once normally, and again after
 * the peer renegotiates (a Configure-Request while Opened takes LCP — and
 * with it authentication and IPCP — or IPCP alone back through negotiation,
 * RFC 1661 §4.3). No down() comes in between: down() is final and the host
 * frees the session on it. While renegotiating, uppp_ppp_is_up() is false
 * and IP data either way is dropped; the host keeps its interface and, on
 * the next up(), moves it to that link's addresses and MTU (they may have
 * changed: another user, another lease, another MRU). */
struct uppp_ppp {
	/* ops, ctx, the logger (uppp_ppp_set_logger(); NULL: nothing logged),
	 * the config (env.cfg) and the current time, once for the link and its
	 * LCP and IPCP automata */
	struct uppp_fsm_env env;
	struct uppp_lcp lcp;
	struct uppp_ipcp ipcp;

	/* The authentication state, allocated through ops->alloc when LCP
	 * opens with a protocol to run: a server gives it back once the
	 * result is acted upon, keeping only auth_kept (the peer's name and
	 * what answering a repeated request needs, auth/auth.h); a client keeps
	 * it until LCP goes down (the server may rechallenge). Both are given
	 * back when LCP goes down, when the link ends, and by
	 * uppp_ppp_release(). */
	struct uppp_auth *auth;
	struct uppp_auth_kept *auth_kept;
	/* the text of the peer's last LCP Terminate-Request, raw: [0] its
	 * length, then its first UPPP_PPP_PEER_REASON_MAX bytes (escaped when
	 * logged); allocated (ops->alloc) when the first one with text comes
	 * (no memory: not kept, a warning logged; it is only for the log),
	 * reused for later ones, given back with the rest; NULL: none */
	uint8_t *peer_term_reason;

	uint64_t echo_deadline;   /* UPPP_NO_DEADLINE when echo is off */
	uint64_t negotiation_deadline; /* IPCP must be Opened by then; UPPP_NO_DEADLINE once it is */
	uint64_t idle_deadline;   /* UPPP_NO_DEADLINE when idle_ms is 0 or IPCP is not up */
	uint64_t last_data;       /* time of the last IP packet, either direction */
	struct uppp_ppp_stats stats;

	uint32_t request_serial;  /* serial of the last question put to the host (verify,
				   * assign_address); 0: none yet */
	unsigned echo_silent;     /* consecutive echo intervals without any packet from the peer */
	/* the link's MTU (the peer's MRU) and MRU, set when IPCP opens (the
	 * rest of struct uppp_ppp_link is read off LCP, IPCP and the
	 * authentication when up() is delivered) */
	uint16_t mtu, mru;

	/* The states, each in a byte (its enumeration in the comment). */
	uint8_t phase;            /* enum uppp_ppp_phase: changed only by uppp_ppp_set_phase()
				   * (proto/ppp_impl.h) */
	uint8_t auth_proto;       /* enum uppp_auth_method: of this LCP session (while auth_state
				   * is not OFF) */
	uint8_t auth_state;       /* enum uppp_ppp_auth_state */
	uint8_t net;              /* enum uppp_ppp_net_state */
	uint8_t notify;           /* enum uppp_ppp_notify */
	uint8_t cause;            /* enum uppp_cause: the first reason the link is ending */

	/* Two booleans stay, as neither is a state of this LCP session:
	 * ipcp_rejected is a fact about the peer that outlives LCP
	 * renegotiations (IPCP failing later does not end the link either),
	 * in_callback guards re-entry from ops->up(). (rx_seen is echo
	 * bookkeeping.) */
	bool ipcp_rejected;       /* peer Protocol-Rejected IPCP: the link stays */
	bool in_callback;         /* inside ops->up(): re-entry defers notifications */
	bool rx_seen;             /* a packet arrived in the current echo interval */
};

/* Prepares p. cfg (and the strings it points to), ops and ctx must outlive p.
 * p holds no memory until LCP opens; what it takes then (ops->alloc: the
 * authentication state, what a server keeps of it, the peer's
 * Terminate-Request text) it gives back before down(), or in
 * uppp_ppp_release() for a link dropped without its down(). */
void uppp_ppp_init(struct uppp_ppp *p, const struct uppp_ppp_config *cfg,
		   const struct uppp_ppp_ops *ops, void *ctx);
/* The same as a server (is_server) or a client whatever cfg->is_server says:
 * an owner can point every link at one shared template (proto/pppoe_session.h). */
void uppp_ppp_init_role(struct uppp_ppp *p, const struct uppp_ppp_config *cfg, bool is_server,
			const struct uppp_ppp_ops *ops, void *ctx);
/* Where p's log lines go (LCP, IPCP, authentication and the link itself):
 * lg (NULL: nowhere) must outlive p. Its prefix (e.g. "sess=3 mac=...")
 * starts each line, then "layer=lcp" etc. Call after init, before open. */
void uppp_ppp_set_logger(struct uppp_ppp *p, const struct uppp_logger *lg);
/* The lower layer is up (PADS sent or received): start LCP. */
void uppp_ppp_open(struct uppp_ppp *p, uint64_t now);
/* One PPP packet from the peer: protocol field (2 bytes, PFC not used on
 * PPPoE) then information. May be modified in place (MSS clamp). */
void uppp_ppp_input(struct uppp_ppp *p, uint8_t *pkt, size_t len, uint64_t now);
/* When next to call uppp_ppp_timer(); UPPP_NO_DEADLINE if nothing pending. */
uint64_t uppp_ppp_next_deadline(const struct uppp_ppp *p);
/* Runs every internal timer that is due at now. */
void uppp_ppp_timer(struct uppp_ppp *p, uint64_t now);
/* Administrative close: LCP Terminate-Request, then down(cause) after the
 * Terminate-Ack or max-terminate retransmits. */
void uppp_ppp_close(struct uppp_ppp *p, enum uppp_cause cause, uint64_t now);
/* The lower layer went away (PADT): down(cause) at once, nothing sent. */
void uppp_ppp_lower_down(struct uppp_ppp *p, enum uppp_cause cause, uint64_t now);
/* An IP packet from the interface towards the peer. Returns 0, or -ENOTCONN
 * when IPCP is not Opened, -EMSGSIZE when larger than the peer's MRU. May be
 * modified in place (MSS clamp). Sends through ops->send(PPP_IP, ...). */
int uppp_ppp_send_ip(struct uppp_ppp *p, uint8_t *pkt, size_t len, uint64_t now);
/* Server: the host's verdict on the request its ops->verify left pending
 * (struct uppp_auth_verdict, auth/auth.h). Accepted: the network phase
 * starts (assign_address, IPCP); refused: as a wrong secret (the link
 * ends, or MS-CHAPv2 offers a retry). Returns 0; -ENOENT when the link is
 * down; -EALREADY when no verdict is awaited for request v->serial (none
 * asked, already given, timed out, or a newer request since: the serial
 * counts every verify call of the link); -EINVAL for an unusable verdict
 * (auth/auth.h). Not from inside this link's own callbacks. */
int uppp_ppp_auth_verdict(struct uppp_ppp *p, const struct uppp_auth_verdict *v, uint64_t now);
/* Server: the answer to the assign_address (given serial) that said
 * -EINPROGRESS: err 0
 * and peer_ip (host order) start IPCP with that address; err -EPERM ends
 * the link with cause ADDRESS_NOT_ALLOWED, any other error (or address 0)
 * with NO_ADDRESS. Returns 0, -ENOENT when the link is down, -EALREADY
 * when no address is awaited for that serial (the address was not
 * taken). Not from inside
 * this link's own callbacks. */
int uppp_ppp_address(struct uppp_ppp *p, uint32_t serial, int err, uint32_t peer_ip, uint64_t now);
/* Server: is the address asked with this serial still awaited (the check
 * uppp_ppp_address makes before -EALREADY)? */
bool uppp_ppp_awaits_address(const struct uppp_ppp *p, uint32_t serial);
/* The authentication protocol running or done on this link since LCP last
 * opened; UPPP_AUTH_NONE before, or when none was negotiated. */
enum uppp_auth_method uppp_ppp_auth_method(const struct uppp_ppp *p);
/* True once IPCP is Opened and until the link goes down. */
bool uppp_ppp_is_up(const struct uppp_ppp *p);
const struct uppp_ppp_stats *uppp_ppp_stats(const struct uppp_ppp *p);
/* Server: the name the peer authenticated with in this LCP session (raw
 * bytes), "" before or without authentication. */
const char *uppp_ppp_peer_name(const struct uppp_ppp *p);
/* Gives back what p holds through ops->free, for a host that drops a link
 * without its down() (one still up when the host ends; after down() there
 * is nothing left to give back). Harmless twice; re-initialising p
 * without it leaks what p held. */
void uppp_ppp_release(struct uppp_ppp *p);
/* The text of the peer's last LCP Terminate-Request (its first 64 bytes),
 * escaped into buf (cap >= UPPP_PPP_REASON_ESCAPED_MAX): "" when none came
 * or it was empty. Returns buf. Until down() returns (from inside down()
 * too), not after. */
const char *uppp_ppp_peer_term_reason(const struct uppp_ppp *p, char *buf, size_t cap);

#endif
