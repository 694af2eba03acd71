/* config/engine_config.h — a user's configuration (struct uppp_server_config,
 * struct uppp_client_config; uppp/uppp.h) turned into the configuration of
 * the engine that runs it (struct uppp_ac_config, struct uppp_dial_config).
 *
 * Pure: no syscalls, no I/O. What only the host knows (our MAC, the
 * Ethernet MTU, the host name, how many addresses the pool lends) comes in
 * as struct uppp_engine_facts. The one side effect is logging through
 * facts->log, when an Ethernet MTU below 1500 caps what PPP may carry and
 * lowers pppd's `mru` / `mtu` options: the operator must read why. The
 * server and the client share one mapping of the PPP link (echo,
 * negotiation timeout, MSS clamp, link size, debug). */
#ifndef UPPP_CONFIG_ENGINE_CONFIG_H
#define UPPP_CONFIG_ENGINE_CONFIG_H

#include <stdint.h>

#include "uppp/ac.h"
#include "uppp/dial.h"
#include "uppp/engine.h"
#include "uppp/uppp.h"

/* The host's side of the mapping, filled in by the runtime once the
 * Ethernet interface is open. */
struct uppp_engine_facts {
	uint8_t mac[6];                 /* our Ethernet address */
	int eth_mtu;                    /* the Ethernet interface's MTU; <= 0: unknown (1500 assumed) */
	const char *host_name;          /* server: AC-Name and CHAP name when the config names none */
	unsigned pool_capacity;         /* server: addresses the pool lends = sessions at once */
	const struct uppp_logger *log;  /* the host's logger: the engine gets a copy, and the
					 * lowered options are logged through it; NULL: nowhere */
};

/* The largest PPP packet an Ethernet of MTU eth_mtu carries in PPPoE:
 * eth_mtu - 8 (PPPoE header 6, PPP protocol 2), at least 128 (LCP's least
 * MRU), for struct uppp_ppp_config.link_max; 0 (RFC 2516's 1492) when the
 * MTU is 1500 or more or unknown (<= 0). Below 1500 it logs the limit
 * (info, event=small-mtu), and lowers *mru and *mtu (pppd's `mru` and
 * `mtu`; either pointer may be NULL, 0 = not set) when larger, with a
 * warning naming the option (event=option-lowered). ifname is only logged. */
uint16_t uppp_link_max_for(const struct uppp_logger *log, const char *ifname, int eth_mtu, uint16_t *mru,
			   unsigned *mtu);

#if UPPP_HAVE_SERVER
/* Fills *ac (every field; what it held is overwritten) for a concentrator
 * running cfg on the host described by facts: the Service-Names (at most
 * UPPP_AC_MAX_SERVICES), AC-Name (default facts->host_name), the limits of
 * docs/security.md (rates per second, burst twice the rate; failed logins
 * per minute), max_sessions = facts->pool_capacity, and the session
 * template ac->ppp: pppd's options over uppp_ppp_config_defaults(), our
 * CHAP name (cfg->ppp_name, default facts->host_name), the link part
 * shared with the client. *mtu receives pppd's `mtu` as the sessions must
 * use it (cfg->mtu, lowered to what the Ethernet carries; 0 = not set).
 * Strings in *ac point into cfg and facts: they must outlive it. Cannot
 * fail: cfg is validated before (config/server_args.c). */
void uppp_server_engine_config(const struct uppp_server_config *cfg, const struct uppp_engine_facts *facts,
			       struct uppp_ac_config *ac, unsigned *mtu);
#endif

#if UPPP_HAVE_CLIENT
/* Fills *d (every field) for a client dialing as cfg on the host described
 * by facts (mac, eth_mtu, log; host_name and pool_capacity unused): the
 * Service-Name and AC-Name to ask for, PADI retransmits (1 s, doubling, 5
 * attempts), our user name and password, the protocols we accept, the link
 * part shared with the server. Strings in *d point into cfg: it must
 * outlive it. Cannot fail. */
void uppp_client_engine_config(const struct uppp_client_config *cfg, const struct uppp_engine_facts *facts,
			       struct uppp_dial_config *d);
#endif

#endif
