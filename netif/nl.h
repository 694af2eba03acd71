/* netif/nl.h — interface configuration over rtnetlink (libnl-3 route).
 *
 * One handle holds one netlink socket; every call is synchronous (request,
 * then the kernel's acknowledgement). Returns 0 or -errno; nothing prints. */
#ifndef UPPP_NETIF_NL_H
#define UPPP_NETIF_NL_H

#include <stddef.h>
#include <stdint.h>

struct uppp_nl;

int uppp_nl_open(struct uppp_nl **out, char *err, size_t errcap);
void uppp_nl_close(struct uppp_nl *nl);

/* Point-to-point IPv4 set-up, like
 *   ip link set dev IF mtu MTU
 *   ip addr add LOCAL peer PEER/32 dev IF
 *   ip link set dev IF up
 * Addresses in host byte order. Adding the same address again is not an
 * error. On failure the interface may be partly configured. */
int uppp_nl_configure_p2p(struct uppp_nl *nl, int ifindex, uint32_t local_ip, uint32_t peer_ip,
			  uint16_t mtu, char *err, size_t errcap);

/* 1 if an interface called ifname exists, 0 if not, or -errno. */
int uppp_nl_link_exists(struct uppp_nl *nl, const char *ifname);

#endif
