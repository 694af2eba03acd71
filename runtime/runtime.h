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

#endif
