/* bench/pktio.h — raw Ethernet I/O for the benchmark's own tools (the raw
 * forwarders that measure the ceiling, the traffic generator and the load
 * generator): an AF_PACKET socket on one interface, receiving from a
 * TPACKET_V3 ring or with recvmmsg(), sending in batches with sendmmsg().
 *
 * This is benchmark code, not uppp's: the raw ceiling must not share a line
 * with what it measures. Functions return 0 (or a count) or -errno. */
#ifndef UPPP_BENCH_PKTIO_H
#define UPPP_BENCH_PKTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PKTIO_BATCH 64
#define PKTIO_FRAME_MAX 2048

struct pktio {
	int fd;
	int ifindex;
	uint8_t mac[6];
	/* rx: a TPACKET_V3 ring (ring != NULL) or recvmmsg into rxbuf */
	uint8_t *ring;
	size_t ring_len;
	unsigned block_size, block_nr, block_cur;
	uint8_t (*rxbuf)[PKTIO_FRAME_MAX];
	struct mmsghdr rxmsg[PKTIO_BATCH];
	struct iovec rxiov[PKTIO_BATCH];
	/* tx: frames queued until pktio_flush() or a full batch */
	uint8_t (*txbuf)[PKTIO_FRAME_MAX];
	struct mmsghdr txmsg[PKTIO_BATCH];
	struct iovec txiov[PKTIO_BATCH];
	unsigned ntx;
	uint64_t tx_dropped;   /* the device queue was full */
};

enum pktio_rx {
	PKTIO_RX_NONE,     /* send only */
	PKTIO_RX_RING,     /* TPACKET_V3 ring; retire_ms = block timeout */
	PKTIO_RX_RECVMMSG, /* readable as soon as a frame is there */
};

/* Opens ifname for the PPPoE ethertypes (0x8863, 0x8864) only; frames this
 * socket sent are not received. */
int pktio_open(struct pktio *p, const char *ifname, enum pktio_rx rx, unsigned retire_ms);
void pktio_close(struct pktio *p);

typedef void (*pktio_cb)(void *ctx, uint8_t *frame, size_t len);
/* Hands every frame received so far to cb, without blocking. Returns the
 * number handed over, or -errno. */
int pktio_rx(struct pktio *p, pktio_cb cb, void *ctx);
/* Waits up to timeout_ms for the socket to be readable: 1, 0 on timeout. */
int pktio_wait(struct pktio *p, int timeout_ms);

/* Queues one frame (copied); sends the batch when it is full. */
int pktio_send(struct pktio *p, const uint8_t *frame, size_t len);
/* Queues the same frame n times without copying (the generator). frame must
 * stay valid until the next flush. */
int pktio_send_ref(struct pktio *p, const uint8_t *frame, size_t len);
/* Sends what is queued with one sendmmsg(). */
int pktio_flush(struct pktio *p);

/* Reads an interface's MAC address. */
int pktio_mac(const char *ifname, uint8_t mac[6]);
/* Parses "aa:bb:cc:dd:ee:ff". */
int pktio_parse_mac(const char *s, uint8_t mac[6]);

#endif
