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

/* Undoes uppp_nl_configure_p2p for a device kept for reuse:
 *   ip addr del LOCAL peer PEER/32 dev IF
 *   ip link set dev IF down
 * (routes through the device go with the address and the link). 0 or
 * -errno; a missing address is not an error. */
int uppp_nl_unconfigure_p2p(struct uppp_nl *nl, int ifindex, uint32_t local_ip, uint32_t peer_ip,
			    char *err, size_t errcap);

/* ip link set dev IF mtu MTU up (mtu 0: leave it). 0 or -errno. */
int uppp_nl_link_up(struct uppp_nl *nl, int ifindex, unsigned mtu, char *err, size_t errcap);

/* ip addr add LOCAL/32 dev IF (no peer, no prefix route). Adding it again
 * is not an error. 0 or -errno. */
int uppp_nl_add_local(struct uppp_nl *nl, int ifindex, uint32_t local_ip, char *err, size_t errcap);

/* ip route add PEER/32 dev IF src LOCAL mtu MTU (main table, scope link):
 * -EEXIST when a route to PEER/32 is there already. */
int uppp_nl_route_add(struct uppp_nl *nl, int ifindex, uint32_t peer_ip, uint32_t local_ip, unsigned mtu,
		      char *err, size_t errcap);
/* ip route del PEER/32 dev IF. 0, or -errno (-ESRCH / -ENODEV: not there). */
int uppp_nl_route_del(struct uppp_nl *nl, int ifindex, uint32_t peer_ip);

/* Deletes n interfaces in one request: each is put in a link group no
 * other interface is in, and the group is deleted (ip link del group G).
 * The kernel then waits for its readers once for all of them instead of
 * once each (~18 ms per device deleted alone). 0 or -errno (nothing or
 * only some deleted: the caller closes what is left as before). */
int uppp_nl_delete_links(struct uppp_nl *nl, const int *ifindex, size_t n);

/* 1 if an interface called ifname exists, 0 if not, or -errno. */
int uppp_nl_link_exists(struct uppp_nl *nl, const char *ifname);

#endif
