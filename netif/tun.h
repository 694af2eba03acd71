/* netif/tun.h — one TUN device carrying bare IPv4/IPv6 packets.
 *
 * The device is not persistent: closing it (uppp_tun_close) deletes the
 * interface. The descriptor is nonblocking and close-on-exec; wait on it for
 * EPOLLIN. Functions return 0 (or a length) or -errno; nothing prints. */
#ifndef UPPP_NETIF_TUN_H
#define UPPP_NETIF_TUN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct uppp_tun;

/* name: an exact name ("ppp3") or a pattern with one %d ("ppp%d") that the
 * kernel fills with the lowest free number. Fails with -EBUSY if an exact
 * name is taken by another device. */
int uppp_tun_open(struct uppp_tun **out, const char *name, char *err, size_t errcap);
/* Deletes the interface. NULL is allowed. */
void uppp_tun_close(struct uppp_tun *t);

int uppp_tun_fd(const struct uppp_tun *t);
/* The name the kernel gave the device. */
const char *uppp_tun_name(const struct uppp_tun *t);
int uppp_tun_ifindex(const struct uppp_tun *t);

/* Reads one packet sent by the kernel into the device. Returns its length,
 * -EAGAIN when none is waiting, -EMSGSIZE if it filled all cap bytes (it may
 * have been longer: the kernel cuts silently, so give cap > MTU; the packet
 * is lost), or another -errno. */
ssize_t uppp_tun_read(struct uppp_tun *t, uint8_t *buf, size_t cap);
/* Hands one IP packet to the kernel as if it arrived on the device.
 * Returns 0 or -errno (-EINVAL for a packet the kernel refuses). */
int uppp_tun_write(struct uppp_tun *t, const uint8_t *pkt, size_t len);

#endif
