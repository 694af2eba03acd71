/* proto/dial.h — the PPPoE client (host side of RFC 2516) as a sans-I/O
 * engine: PADI/PADO/PADR/PADS with retransmits, then one PPP engine. */
#ifndef UPPP_PROTO_DIAL_H
#define UPPP_PROTO_DIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/ppp.h"

struct uppp_dial_config {
	uint8_t mac[6];
	const char *service;          /* Service-Name to ask for; "" = any */
	const char *ac_name;          /* only accept PADO from this AC-Name; NULL = any */
	unsigned padi_timeout_ms;     /* first PADI/PADR retransmit; doubles; default 1000 */
	unsigned padi_attempts;       /* default 5 (then down(DISCOVERY_TIMEOUT)) */
	struct uppp_ppp_config ppp;   /* is_server forced false; name/password set */
	struct uppp_logger log;       /* where lines go (core/logger.h); zeroed: nowhere. The PPP
				       * engine's lines carry the prefix "sess=<id>" */
};

struct uppp_dial_ops {
	void (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
	/* Fill buf with len random bytes (Host-Uniq, magic numbers, CHAP
	 * peer challenges). 0, or -errno: the dial ends with cause HOST_ERROR. */
	int (*random)(void *ctx, void *buf, size_t len);
	/* IPCP opened: configure our interface with link->local_ip. 0 or -errno
	 * (-ENOMEM ends the session with host-error, others with interface).
	 * Called again after a renegotiation with the new link: move the
	 * interface to its address and MTU (no down() in between). */
	int (*up)(void *ctx, const struct uppp_ppp_link *link);
	/* Session over (PADT sent or received, or discovery gave up). Called once. */
	void (*down)(void *ctx, enum uppp_cause cause);
	void (*deliver_ip)(void *ctx, uint8_t *pkt, size_t len);
};

struct uppp_dial;

struct uppp_dial *uppp_dial_new(const struct uppp_dial_config *cfg, const struct uppp_dial_ops *ops, void *ctx);
void uppp_dial_free(struct uppp_dial *d);
/* Sends the first PADI (or, when ops->random fails, calls down(HOST_ERROR)
 * at once without sending anything). */
void uppp_dial_start(struct uppp_dial *d, uint64_t now);
void uppp_dial_input(struct uppp_dial *d, uint8_t *frame, size_t len, uint64_t now);
/* The engine keeps its own deadline (discovery retransmits, the PPP
 * engine's timers, the hang-up wait), as the concentrator does: after each
 * call into it the host reads uppp_dial_next_deadline() (UPPP_NO_DEADLINE:
 * nothing to wait for) and calls uppp_dial_run_timers() once that time is
 * reached. Running it early does nothing. */
uint64_t uppp_dial_next_deadline(const struct uppp_dial *d);
void uppp_dial_run_timers(struct uppp_dial *d, uint64_t now);
int uppp_dial_send_ip(struct uppp_dial *d, uint8_t *pkt, size_t len, uint64_t now);
/* Hang up: LCP Terminate-Request now; PADT and down(cause) when it is acked
 * or at most a second later (keep running the loop until down()). Calling it
 * again while waiting ends the session at once. */
void uppp_dial_hangup(struct uppp_dial *d, enum uppp_cause cause, uint64_t now);
/* End at once, whatever the peer says: PADT when there is a session, then
 * down(cause); no deadline is left. For a host that can no longer serve the
 * dial (its one timer cannot be armed: UPPP_CAUSE_HOST_ERROR). Nothing
 * happens when the dial is already down. */
void uppp_dial_abort(struct uppp_dial *d, enum uppp_cause cause, uint64_t now);
bool uppp_dial_is_up(const struct uppp_dial *d);
uint16_t uppp_dial_session_id(const struct uppp_dial *d);

#endif
