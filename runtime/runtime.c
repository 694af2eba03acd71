/* runtime/runtime.c — helpers shared by the server and client runtimes. */
#include "runtime/runtime.h"

#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "runtime/log.h"
#include "proto/ops.h"

#include "runtime/log.h"

char *uppp_log_ip(uint32_t ip, char *out, size_t cap)
{
	snprintf(out, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return out;
}

void uppp_log_session_up(struct uppp_log *log, uint16_t sess, const uint8_t mac[6], const char *ifname,
			 const struct uppp_ppp_link *link)
{
	char peer[16], local[16], user[UPPP_ESCAPED_MAX];
	const char *name = link->peer_name ? link->peer_name : "";

	/* the peer chose these bytes (any of them with a `*` secrets line) */
	uppp_escape((const uint8_t *)name, strlen(name), user, sizeof(user));
	uppp_log_ip(link->peer_ip, peer, sizeof(peer));
	uppp_log_ip(link->local_ip, local, sizeof(local));
	uppp_logf(log, UPPP_LOG_INFO,
		  "sess=%u mac=" UPPP_MAC_FMT " layer=session event=up if=%s local=%s peer=%s mtu=%u user='%s'",
		  sess, UPPP_MAC_ARGS(mac), ifname, local, peer, link->mtu, user);
}

#define PPPOE_OVERHEAD 8     /* PPPoE header 6 + PPP protocol field 2 */
#define PPPOE_MAX_MRU 1492   /* RFC 2516 §7 */
#define MIN_LINK_MAX 128     /* proto/lcp.h UPPP_LCP_MIN_MRU */

uint16_t uppp_link_max_for(struct uppp_log *log, const char *ifname, int eth_mtu, uint16_t *mru,
			   unsigned *mtu)
{
	if (eth_mtu <= 0 || eth_mtu - PPPOE_OVERHEAD >= PPPOE_MAX_MRU)
		return 0;
	unsigned max = eth_mtu - PPPOE_OVERHEAD < MIN_LINK_MAX ? MIN_LINK_MAX : (unsigned)(eth_mtu - PPPOE_OVERHEAD);
	uppp_logf(log, UPPP_LOG_INFO, "layer=config event=small-mtu if=%s mtu=%d max-mru=%u "
		  "reason=\"the interface MTU is below 1500: PPP packets are at most MTU - 8\"", ifname, eth_mtu, max);
	if (mru && *mru > max) {
		uppp_logf(log, UPPP_LOG_WARN, "layer=config event=option-lowered option=mru value=%u now=%u "
			  "reason=\"interface %s has MTU %d: larger PPP packets cannot cross it\"", *mru, max, ifname,
			  eth_mtu);
		*mru = (uint16_t)max;
	}
	if (mtu && *mtu > max) {
		uppp_logf(log, UPPP_LOG_WARN, "layer=config event=option-lowered option=mtu value=%u now=%u "
			  "reason=\"interface %s has MTU %d: larger PPP packets cannot cross it\"", *mtu, max, ifname,
			  eth_mtu);
		*mtu = max;
	}
	return (uint16_t)max;
}
