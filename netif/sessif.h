/* netif/sessif.h — the interface a PPP session's IP packets go through.
 *
 * core/ binds each session to one of these and knows nothing else about how
 * it is made. Today each session gets its own non-persistent TUN device,
 * named from the pool's pattern; a later version may hand out devices from a
 * pool of reusable TUNs or one shared TUN with /32 routes without changing
 * this API.
 *
 * Note: deleting a TUN takes the kernel ~18 ms (synchronize_net), and
 * uppp_sessif_release() blocks for that long.
 *
 * Functions return 0 (or a length) or -errno; nothing prints. */
#ifndef UPPP_NETIF_SESSIF_H
#define UPPP_NETIF_SESSIF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct uppp_sessif_pool;
struct uppp_sessif;

/* name_pattern: "ppp%d" (the kernel picks the lowest free number) or an exact
 * name (then only one interface at a time can be acquired). */
int uppp_sessif_pool_new(struct uppp_sessif_pool **out, const char *name_pattern, char *err,
			 size_t errcap);
/* Removes every interface still acquired from the pool. NULL is allowed. */
void uppp_sessif_pool_free(struct uppp_sessif_pool *p);

/* Creates an interface with local_ip peer peer_ip/32 and the MTU, up.
 * Addresses in host byte order. On failure nothing is left behind. */
int uppp_sessif_acquire(struct uppp_sessif_pool *p, uint32_t local_ip, uint32_t peer_ip,
			uint16_t mtu, struct uppp_sessif **out, char *err, size_t errcap);
/* Removes the interface; s is freed. NULL is allowed. */
void uppp_sessif_release(struct uppp_sessif_pool *p, struct uppp_sessif *s);

/* Wait on this for EPOLLIN: the kernel routed a packet to the peer. */
int uppp_sessif_fd(const struct uppp_sessif *s);
const char *uppp_sessif_name(const struct uppp_sessif *s);
/* Like uppp_tun_read(): length, -EAGAIN when empty, -EMSGSIZE, -errno. */
ssize_t uppp_sessif_read(struct uppp_sessif *s, uint8_t *buf, size_t cap);
/* One IP packet from the peer, to the kernel. 0 or -errno. */
int uppp_sessif_write(struct uppp_sessif *s, const uint8_t *pkt, size_t len);

#endif
