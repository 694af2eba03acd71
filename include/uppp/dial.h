/* uppp/dial.h — the PPPoE client (the host side of RFC 2516) as a sans-I/O
 * engine: discovery (PADI, PADO, PADR, PADS with retransmits), then one PPP
 * link (LCP, PAP/CHAP/MS-CHAPv2 as the peer, IPCP, echo) until PADT.
 *
 * Frames in, frames out, like the concentrator (uppp/ac.h): the host gives
 * uppp_dial_input() every frame of ethertype 0x8863 and 0x8864 it receives,
 * with the time; the dial answers through struct uppp_dial_ops. Its IP
 * packets go wherever the host likes: a TUN (the `uppp client` runtime), or
 * a callback (docs/examples/client_callback.c hands them to the program).
 *
 *     struct uppp_dial_config cfg = { .mac = {...}, .service = "" };
 *     uppp_ppp_config_defaults(&cfg.ppp);
 *     cfg.ppp.name = "user"; cfg.ppp.password = "secret";
 *     struct uppp_dial *d = uppp_dial_new(&cfg, &my_ops, my_ctx);
 *     uppp_dial_start(d, now);
 *     until down() was called:
 *         wait for a frame or until uppp_dial_next_deadline(d);
 *         uppp_dial_input(d, frame, len, now);     (for each frame)
 *         uppp_dial_run_timers(d, now);
 *     uppp_dial_free(d);
 *
 * One dial is one session: after down() it is finished; dial again with a
 * new one. */
#ifndef UPPP_DIAL_H
#define UPPP_DIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uppp/alloc.h"
#include "uppp/engine.h"
#include "uppp/types.h"
#include "uppp/version.h"   /* UPPP_HAVE_CLIENT */

#if UPPP_HAVE_CLIENT

/* What to dial. Strings are not copied: they must outlive the dial. */
struct uppp_dial_config {
	uint8_t mac[6];               /* our Ethernet address */
	const char *service;          /* Service-Name to ask for; "" = any */
	const char *ac_name;          /* only accept PADO from this AC-Name; NULL = any */
	unsigned padi_timeout_ms;     /* first PADI/PADR retransmit; doubles; default 1000 */
	unsigned padi_attempts;       /* default 5 (then down(DISCOVERY_TIMEOUT)) */
	struct uppp_ppp_config ppp;   /* the link (is_server ignored: a client): ppp.name and
				       * ppp.password are our user name and secret */
	struct uppp_logger log;       /* where lines go (uppp/engine.h); zeroed: nowhere. The PPP
				       * engine's lines carry the prefix "sess=<id>" */
	const struct uppp_allocator *alloc; /* the dial's one allocation; NULL = malloc/free.
				       * Must outlive the dial. */
};

/* What the dial needs from its host; ctx is the pointer given to
 * uppp_dial_new, passed back unchanged. Every op is required. The table
 * must outlive the dial. Callbacks run inside the dial's entry points: they
 * must not call into the same dial (an up() that fails says so by its
 * return value). */
struct uppp_dial_ops {
	/* One Ethernet frame to send (no FCS), valid only during the call. */
	void (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
	/* Fill buf with len random bytes (Host-Uniq, magic numbers, CHAP
	 * peer challenges). 0, or -errno: the dial ends with cause HOST_ERROR. */
	int (*random)(void *ctx, void *buf, size_t len);
	/* IPCP opened: configure our interface with link->local_ip. 0 or -errno
	 * (-ENOMEM ends the session with host-error, others with interface).
	 * Called again after a renegotiation with the new link: move the
	 * interface to its address and MTU (no down() in between). */
	int (*up)(void *ctx, const struct uppp_ppp_link *link);
	/* Session over (PADT sent or received, or discovery gave up). Called
	 * once; the dial does nothing more afterwards. */
	void (*down)(void *ctx, enum uppp_cause cause);
	/* An IP packet from the peer. pkt may be changed by the callee; valid
	 * only during the call. */
	void (*deliver_ip)(void *ctx, uint8_t *pkt, size_t len);
	/* Optional: where to build the next session frame, as the
	 * concentrator's frame_buffer (uppp/ac.h): a host's next queue slot
	 * saves a copy per frame, and an IP packet read to frame_buffer() +
	 * UPPP_FRAME_IP_OFFSET before uppp_dial_send_ip() is framed in place.
	 * NULL or unset: the dial's own buffer. */
	uint8_t *(*frame_buffer)(void *ctx);
};

/* One dial-up session. Opaque. */
struct uppp_dial;

/* Creates a dial (one allocation, through cfg->alloc) in its idle state: nothing is
 * sent until uppp_dial_start(). NULL when out of memory. cfg, its strings,
 * ops and ctx must outlive it. */
UPPP_API struct uppp_dial *uppp_dial_new(const struct uppp_dial_config *cfg, const struct uppp_dial_ops *ops, void *ctx);
/* Frees d without sending anything (hang up first for a clean end). Not
 * from inside one of its callbacks. NULL: nothing. */
UPPP_API void uppp_dial_free(struct uppp_dial *d);
/* Sends the first PADI (or, when ops->random fails, calls down(HOST_ERROR)
 * at once without sending anything). */
UPPP_API void uppp_dial_start(struct uppp_dial *d, uint64_t now);
/* One received Ethernet frame (0x8863 or 0x8864; others ignored). May be
 * changed in place (MSS clamping); no pointer into it is kept. Frames from
 * other ACs, other sessions or malformed ones are dropped. */
UPPP_API void uppp_dial_input(struct uppp_dial *d, uint8_t *frame, size_t len, uint64_t now);
/* Timers. The engine keeps its own deadline (discovery retransmits, the
 * PPP engine's timers, the hang-up wait), as the concentrator does: after
 * each call into it the host reads uppp_dial_next_deadline() and calls
 * uppp_dial_run_timers() once that time is reached. */
/* When to call uppp_dial_run_timers() next (ms, the clock of `now`), or
 * UPPP_NO_DEADLINE: nothing to wait for. */
UPPP_API uint64_t uppp_dial_next_deadline(const struct uppp_dial *d);
/* Runs what is due at now. Running it early or twice does nothing. */
UPPP_API void uppp_dial_run_timers(struct uppp_dial *d, uint64_t now);
/* An IP packet towards the peer. 0; -ENOTCONN while IPCP is not Opened;
 * -EPROTONOSUPPORT for anything but IPv4 (counted in tx_dropped);
 * -EMSGSIZE when larger than the peer's MRU. pkt may be changed in place
 * (MSS clamping). */
UPPP_API int uppp_dial_send_ip(struct uppp_dial *d, uint8_t *pkt, size_t len, uint64_t now);
/* Hang up: LCP Terminate-Request now; PADT and down(cause) when it is acked
 * or at most a second later (keep running the loop until down()). Calling it
 * again while waiting ends the session at once. */
UPPP_API void uppp_dial_hangup(struct uppp_dial *d, enum uppp_cause cause, uint64_t now);
/* End at once, whatever the peer says: PADT when there is a session, then
 * down(cause); no deadline is left. For a host that can no longer serve the
 * dial (its one timer cannot be armed: UPPP_CAUSE_HOST_ERROR). Nothing
 * happens when the dial is already down. */
UPPP_API void uppp_dial_abort(struct uppp_dial *d, enum uppp_cause cause, uint64_t now);
/* True while IPCP is Opened (IP flows). */
UPPP_API bool uppp_dial_is_up(const struct uppp_dial *d);
/* The PPPoE session id once PADS came (1..0xfffe), 0 before. */
UPPP_API uint16_t uppp_dial_session_id(const struct uppp_dial *d);

#endif /* UPPP_HAVE_CLIENT */
#endif
