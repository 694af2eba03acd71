/* runtime/runtime.h — small helpers shared by the server and client runtimes. */
#ifndef UPPP_CORE_RUNTIME_H
#define UPPP_CORE_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

#define UPPP_MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define UPPP_MAC_ARGS(m) (m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]

/* Dotted quad of a host-order address into out (≥ 16 bytes). */
char *uppp_log_ip(uint32_t ip, char *out, size_t cap);

struct uppp_log;
struct uppp_ppp_link;
/* The server's one line for a session whose network layer came up:
 * "sess=N mac=M layer=session event=up if=IF local=A peer=B mtu=U user='NAME'".
 * link->peer_name comes from the peer: it is escaped (core/escape.h). */
void uppp_log_session_up(struct uppp_log *log, uint16_t sess, const uint8_t mac[6], const char *ifname,
			 const struct uppp_ppp_link *link);
/* The largest PPP packet an Ethernet of MTU eth_mtu carries in PPPoE:
 * eth_mtu - 8 (PPPoE header 6, PPP protocol 2), for struct
 * uppp_ppp_config.link_max; 0 (RFC 2516's 1492) when the MTU is 1500 or
 * more or unknown (<= 0). Below 1500 it logs the limit, and lowers *mru and
 * *mtu (pppd's `mru` and `mtu`; either pointer may be NULL, 0 = not set)
 * when larger, with a warning naming the option. */
uint16_t uppp_link_max_for(struct uppp_log *log, const char *ifname, int eth_mtu, uint16_t *mru,
			   unsigned *mtu);

#endif
