/* netif/tunq.h — IP packets to and from TUN devices in batches.
 *
 * Writing one packet to a TUN is one write(2), and on a machine whose
 * kernel isolates its page tables (PTI) without PCID every system call
 * empties the TLB: the call costs more than the packet. The queue gathers
 * the packets of one batch (the frames read from the Ethernet in one turn
 * of the loop) and hands them all to the kernel in one io_uring_enter(2),
 * which performs each write at once (a TUN write never waits).
 *
 * The queue does not copy: a packet must stay where it is, unchanged,
 * until the next uppp_tunq_flush() returns (the host holds the receive
 * ring's slots until then, netif/eth.h). Where io_uring is missing (a
 * build without liburing, a kernel or a sandbox that refuses it) the queue
 * writes each packet at once, and flushing does nothing.
 *
 * Reading goes the same way: one io_uring_enter asks for up to n packets
 * from one device (uppp_tunq_read), where read(2) took one call each.
 * A batch of one (a flush of one packet, a read asking for one) is a plain
 * write(2) or read(2): cheaper than the ring for a trickle.
 *
 * A descriptor with packets queued must not be closed before a flush:
 * flush first (the host does, before it gives an interface back).
 * Functions return 0 or -errno; nothing prints. Not thread-safe. */
#ifndef UPPP_NETIF_TUNQ_H
#define UPPP_NETIF_TUNQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most packets one flush hands over; a write beyond flushes first. */
#define UPPP_TUNQ_DEPTH 64

struct uppp_tunq;

struct uppp_tunq_stats {
	uint64_t written;     /* packets the kernel took */
	uint64_t refused;     /* packets a write refused (the kernel's error) */
	uint64_t flushes;     /* system calls made by flushes that had packets */
	uint64_t read;        /* packets read by uppp_tunq_read */
	uint64_t reads;       /* system calls uppp_tunq_read made (io_uring_enter, or read(2)) */
};

/* batched: ask for io_uring (false: write each packet at once, as where
 * io_uring is missing). Fails only with -ENOMEM. */
int uppp_tunq_new(struct uppp_tunq **out, bool batched);
/* Writes what is queued first. NULL: nothing. */
void uppp_tunq_free(struct uppp_tunq *q);
/* True when packets are gathered (io_uring is in use). */
bool uppp_tunq_batched(const struct uppp_tunq *q);

/* Queues one packet for the TUN descriptor fd (or writes it at once, see
 * above). Returns 0, or -errno of the write when it was made at once. A
 * batched write's error is known only at the flush (counted in refused). */
int uppp_tunq_write(struct uppp_tunq *q, int fd, const uint8_t *pkt, size_t len);
/* Hands every queued packet to the kernel and returns when each write is
 * done: the packets' memory is free again. Returns how many were refused
 * (their first error is lost, as a wire loses a frame), 0 when none, or
 * -errno when the batch could not be handed over at all (then each packet
 * was written one by one instead). */
int uppp_tunq_flush(struct uppp_tunq *q);
/* Reads up to n (at most UPPP_TUNQ_DEPTH) packets waiting on the TUN
 * descriptor fd (nonblocking) into bufs[0..n-1], cap bytes each: lens[i]
 * is the length of the packet in bufs[i], 0 when that read found none (the
 * packets are in the order the device gave them; a read may find none and
 * a later one a packet that arrived meanwhile) and cap when the packet
 * filled the buffer (it may have been longer: the kernel cuts silently; the
 * packet is lost, as uppp_tun_read's -EMSGSIZE). Returns how many reads
 * found a packet, 0 when none was waiting, or -errno when none could be
 * made. One io_uring_enter when batched, else read(2) one by one until
 * none is waiting. Queued writes are not flushed by it. */
int uppp_tunq_read(struct uppp_tunq *q, int fd, uint8_t *const bufs[], size_t cap, unsigned n, size_t lens[]);
/* Packets queued and not yet flushed. */
unsigned uppp_tunq_pending(const struct uppp_tunq *q);
const struct uppp_tunq_stats *uppp_tunq_stats(const struct uppp_tunq *q);

#endif
