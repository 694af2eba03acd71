/* netif/eth.h — PPPoE Ethernet frames in and out of one interface (AF_PACKET).
 *
 * One handle per interface. It sees only PPPoE frames (ethertypes 0x8863 and
 * 0x8864) that are addressed to this interface's MAC or to broadcast and that
 * came in from the wire; frames we sent ourselves are never seen. Frames sent
 * are queued and leave in batches (uppp_eth_flush()). No promiscuous mode;
 * immediate mode: a received frame can be read as soon as the kernel has it
 * (the descriptor polls readable), and one uppp_eth_dispatch() hands over
 * every frame waiting, or up to a bound (uppp_eth_dispatch_max()).
 *
 * The caller owns the event loop: add uppp_eth_fd() to epoll (level
 * triggered, EPOLLIN) and call uppp_eth_dispatch() when it is readable.
 * Every function returns 0 (or a count) or -errno; nothing prints. */
#ifndef UPPP_NETIF_ETH_H
#define UPPP_NETIF_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The receive ring shared with the kernel. */
#define UPPP_ETH_BUFFER_BYTES (4 * 1024 * 1024)
/* Frames queued for one sendmmsg(). */
#define UPPP_ETH_TX_BATCH 64

struct uppp_eth;

struct uppp_eth_stats {
	uint64_t rx_frames;     /* handed to the callback */
	uint64_t rx_truncated;  /* longer than the capture length: dropped */
	uint64_t rx_foreign;    /* not from the wire or not for us: dropped */
	uint64_t tx_frames;     /* sent */
	uint64_t tx_errors;     /* send failed */
	uint32_t kernel_drops;  /* ring full: the kernel dropped them */
};

/* Opens ifname (must exist; need not be up). On failure *out is NULL and err
 * holds a reason such as "eth7: no such interface". */
int uppp_eth_open(struct uppp_eth **out, const char *ifname, char *err, size_t errcap);
void uppp_eth_close(struct uppp_eth *e);

/* The descriptor to wait on for EPOLLIN. Valid until uppp_eth_close(). */
int uppp_eth_fd(const struct uppp_eth *e);
/* The interface's MAC address (6 bytes), read when it was opened. */
const uint8_t *uppp_eth_mac(const struct uppp_eth *e);
const char *uppp_eth_name(const struct uppp_eth *e);
int uppp_eth_ifindex(const struct uppp_eth *e);
/* The interface MTU when it was opened (PPPoE payload limit is MTU - 8). */
int uppp_eth_mtu(const struct uppp_eth *e);

/* One received frame, starting at the destination MAC, without FCS. The
 * bytes are in the receive ring, not copied: the callee may modify them in
 * place, and they are valid only until the callback returns (their slot then
 * goes back to the kernel). */
typedef void (*uppp_eth_rx_cb)(void *ctx, uint8_t *frame, size_t len);

/* Hands every frame the kernel has released so far to cb, without blocking.
 * Returns the number of frames handed over (0 when none), or -errno: -ENODEV
 * when the interface was deleted (close the handle; the fd stays silent from
 * then on). Call it on EPOLLERR too: the kernel signals EPOLLERR once when
 * the link goes down or away, and this clears it. A link that goes down and
 * up again keeps working with the same handle. */
int uppp_eth_dispatch(struct uppp_eth *e, uppp_eth_rx_cb cb, void *ctx);
/* The same, but stops after max frames (max > 0) so that one busy direction
 * cannot starve the other; call again while it returns max. */
int uppp_eth_dispatch_max(struct uppp_eth *e, int max, uppp_eth_rx_cb cb, void *ctx);
/* hold true: the frames a dispatch hands over stay where they are,
 * unchanged by the kernel, until uppp_eth_release() (or the next dispatch,
 * which releases first), so that a packet in them can be written elsewhere
 * after the callback returned (netif/tunq.h). Release before waiting on
 * the fd again: while slots are held it polls readable. Off by default
 * (each frame's slot goes back when its callback returns). */
void uppp_eth_set_hold(struct uppp_eth *e, bool hold);
/* Gives the held frames' ring slots back to the kernel. */
void uppp_eth_release(struct uppp_eth *e);

/* Queues one complete frame (destination MAC first, no FCS; copied) for the
 * next uppp_eth_flush(), which the caller makes after each event it handled:
 * frames leave in batches, one sendmmsg() each. A full queue is flushed at
 * once. The kernel pads short frames where the hardware needs it. Returns 0,
 * -EMSGSIZE for a frame shorter than an Ethernet header or longer than the
 * interface MTU carries (not queued), or the error of the flush a full queue
 * made. */
int uppp_eth_send(struct uppp_eth *e, const uint8_t *frame, size_t len);
/* The queue slot the next uppp_eth_send() fills (uppp_eth_slot_size()
 * bytes): a frame built there is queued without a copy. Valid until the
 * next send or flush. */
uint8_t *uppp_eth_next_slot(struct uppp_eth *e);
size_t uppp_eth_slot_size(const struct uppp_eth *e);
/* Sends every queued frame. Returns how many left, or the -errno of the
 * first that could not (-EAGAIN or -ENOBUFS when the device queue is full:
 * that frame and the rest are dropped, as on a wire; another error drops only
 * the frame refused, and those behind it are still tried; -ENXIO or -ENODEV
 * when the interface is gone). Dropped frames count in tx_errors. The queue
 * is empty afterwards; uppp_eth_close() flushes too. */
int uppp_eth_flush(struct uppp_eth *e);

void uppp_eth_get_stats(struct uppp_eth *e, struct uppp_eth_stats *st);
#endif
