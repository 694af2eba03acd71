/* core/runtime.c — helpers shared by the server and client runtimes. */
#include "core/runtime.h"

#include <stdio.h>

#include "core/log.h"

char *uppp_log_ip(uint32_t ip, char *out, size_t cap)
{
	snprintf(out, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return out;
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
