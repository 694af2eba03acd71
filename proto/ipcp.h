/* proto/ipcp.h — the IP Control Protocol (RFC 1332) with the DNS options of
 * RFC 1877, on the shared automaton in proto/fsm.h.
 *
 * Server: asks for its own address, Naks the peer towards the address the
 * host assigned and towards the configured DNS and WINS servers (a peer
 * insisting on another address is an address conflict). Client: asks
 * 0.0.0.0 for itself and for DNS, takes what the server Naks, accepts the
 * server's address. Everything else (VJ compression, IP-Addresses, DNS or
 * NBNS not configured, unknown options) is rejected. Addresses are in host byte order. */
#ifndef UPPP_PROTO_IPCP_H
#define UPPP_PROTO_IPCP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cause.h"
#include "proto/fsm.h"

struct uppp_ipcp {
	struct uppp_fsm fsm;

	/* configuration: a server's own address, DNS and WINS servers are
	 * read from the link's config (fsm.env->cfg: local_ip, dns, wins; 0 =
	 * reject when asked) */
	uint32_t peer_assigned;   /* server: the address the host chose for the peer */

	/* what we ask */
	uint32_t want_addr, want_dns[2];
	/* the peer's request as last judged */
	uint32_t his_addr;        /* 0 = did not ask */

	bool is_server;
	bool ask_addr, ask_dns[2];
	/* what the peer acked of it */
	bool got_addr, got_dns[2];
	bool suggested_addr;      /* server: we Nak'd an address the peer did not ask */
	uint8_t addr_naks;        /* server: Naks of an address the peer insisted on (this
				   * negotiation; at most 255 counted) */
	uint8_t fail_cause;       /* enum uppp_cause */
};

/* A server offers env->cfg's local_ip, dns and wins. */
void uppp_ipcp_init(struct uppp_ipcp *c, bool is_server, struct uppp_fsm_env *env);

/* Once Opened: our address, the peer's, and the DNS servers (0 = none). */
uint32_t uppp_ipcp_local_ip(const struct uppp_ipcp *c);
uint32_t uppp_ipcp_peer_ip(const struct uppp_ipcp *c);
uint32_t uppp_ipcp_dns(const struct uppp_ipcp *c, int i);

extern const struct uppp_fsm_callbacks uppp_ipcp_callbacks;

#endif
