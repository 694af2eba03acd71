/* proto/lcp.h — the Link Control Protocol (RFC 1661) over PPPoE (RFC 2516).
 *
 * Negotiates MRU, Magic-Number and the Authentication-Protocol; rejects
 * what PPPoE must not use (ACCM, ACFC, PFC — RFC 2516 §7) and everything we
 * do not implement (Quality, Callback, multilink, ...). Answers Echo, takes
 * Identification and Time-Remaining silently, and hands Protocol-Rejects to
 * the owner. Runs on the shared automaton in proto/fsm.h. */
#ifndef UPPP_PROTO_LCP_H
#define UPPP_PROTO_LCP_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/cause.h"
#include "proto/fsm.h"

#define UPPP_LCP_DEFAULT_MRU 1500   /* RFC 1661 §6.1, when not negotiated */
#define UPPP_LCP_MIN_MRU 128        /* smaller peer MRUs are Nak'd up to this */

struct uppp_lcp {
	struct uppp_fsm fsm;

	/* Small fields, packed (widest first: no holes): one LCP per session,
	 * tens of thousands of sessions. Enumerations are kept in a byte
	 * (their type in the comment); protocol sets are bits
	 * 1u << enum uppp_auth_method. */
	uint32_t loopbacks;               /* our own magic seen coming back */
	uint32_t echo_replies;
	uint32_t magic;                   /* what we ask */
	uint32_t his_magic;               /* what the peer asked (acked); 0 = none */

	uint16_t cfg_mru;                 /* configuration: what we ask (≤ link_max) */
	uint16_t link_max;                /* largest packet the lower layer carries (≤ 1492) */
	uint16_t want_mru;                /* what we ask now */
	uint16_t his_mru;                 /* what the peer asked (acked), if his_mru_set */

	/* configuration */
	bool is_server;
	uint8_t cfg_auth;                 /* enum uppp_auth_method: server: protocol we require */
	uint8_t cfg_auth_also;            /* server: also accepted when the peer Naks cfg_auth
					   * (a set; set after init) */
	uint8_t cfg_client_accept;        /* client: protocols we accept (a set), 0 = all we know */

	/* what we ask in our Configure-Request */
	bool ask_mru, ask_magic, ask_auth;
	uint8_t ask_auth_proto;           /* enum uppp_auth_method: server: what we ask now
					   * (cfg_auth or a fallback) */
	uint8_t auth_tried;               /* server: protocols asked in this negotiation (a set) */

	/* what the peer acked of it */
	bool got_mru, got_magic, got_auth;

	/* the peer's Configure-Request as last judged (what we acked) */
	bool his_mru_set;
	uint8_t his_auth;                 /* enum uppp_auth_method: client: what the server asks of us */
	uint8_t auth_naks;                /* client: Naks sent for Auth-Protocol */

	uint8_t fail_cause;               /* enum uppp_cause: why negotiation could not go on */
};

void uppp_lcp_init(struct uppp_lcp *l, bool is_server, uint16_t mru, enum uppp_auth_method auth,
		   struct uppp_fsm_env *env);

/* The largest PPP packet the lower layer carries (an Ethernet MTU below
 * 1500 minus 8); 0 or above 1492 = 1492. Caps the MRU we ask and what we
 * send. Call after init, before the FSM opens. */
void uppp_lcp_set_link_max(struct uppp_lcp *l, uint16_t link_max);
/* Largest packet we may send: the peer's MRU (1500 when it did not say),
 * at most link_max (1492 on PPPoE). */
uint16_t uppp_lcp_peer_mru(const struct uppp_lcp *l);
/* What we agreed to receive (1500 default, at most link_max). */
uint16_t uppp_lcp_our_mru(const struct uppp_lcp *l);
/* The authentication this link needs once LCP is Opened: server: what the
 * peer acked of our request; client: what the server asked of us. */
enum uppp_auth_method uppp_lcp_auth(const struct uppp_lcp *l);

void uppp_lcp_send_echo_request(struct uppp_lcp *l);
/* RFC 1661 §5.7: tell the peer we do not speak protocol (info truncated so
 * the packet fits the peer's MRU). Only in Opened. */
void uppp_lcp_send_protocol_reject(struct uppp_lcp *l, uint16_t protocol, const uint8_t *info, size_t len);

/* The option walkers, exposed for unit tests. */
extern const struct uppp_fsm_callbacks uppp_lcp_callbacks;

#endif
