/* runtime/runtime.c — helpers shared by the server and client runtimes. */
#include "runtime/runtime.h"

#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "runtime/log.h"
#include "uppp/engine.h"   /* struct uppp_ppp_link */

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
