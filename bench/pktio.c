/* bench/pktio.c — AF_PACKET I/O for the benchmark tools (see pktio.h). */
#define _GNU_SOURCE  /* sendmmsg, recvmmsg */
#include "pktio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define RING_BLOCK_SIZE (1u << 17)
#define RING_BLOCK_NR 64u

int pktio_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
		rc = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(s);
	return rc;
}

int pktio_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char extra;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &extra) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 0xff)
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

/* Accept ethertypes 0x8863 and 0x8864 only. */
static int attach_pppoe_filter(int fd)
{
	static struct sock_filter code[] = {
		{ 0x28, 0, 0, 12 },          /* ldh [12] */
		{ 0x15, 1, 0, ETH_P_PPP_DISC }, /* jeq 0x8863 → accept */
		{ 0x15, 0, 1, ETH_P_PPP_SES },  /* jeq 0x8864 → accept, else drop */
		{ 0x06, 0, 0, 0x40000 },     /* accept */
		{ 0x06, 0, 0, 0 },           /* drop */
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ? -errno : 0;
}

static int setup_ring(struct pktio *p, unsigned retire_ms)
{
	int v = TPACKET_V3;
	struct tpacket_req3 req = {
		.tp_block_size = RING_BLOCK_SIZE,
		.tp_block_nr = RING_BLOCK_NR,
		.tp_frame_size = PKTIO_FRAME_MAX,
		.tp_frame_nr = RING_BLOCK_SIZE / PKTIO_FRAME_MAX * RING_BLOCK_NR,
		.tp_retire_blk_tov = retire_ms ? retire_ms : 1,
	};

	if (setsockopt(p->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0 ||
	    setsockopt(p->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return -errno;
	p->ring_len = (size_t)RING_BLOCK_SIZE * RING_BLOCK_NR;
	p->ring = mmap(NULL, p->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, p->fd, 0);
	if (p->ring == MAP_FAILED)
		p->ring = mmap(NULL, p->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
	if (p->ring == MAP_FAILED) {
		p->ring = NULL;
		return -errno;
	}
	p->block_size = RING_BLOCK_SIZE;
	p->block_nr = RING_BLOCK_NR;
	return 0;
}

int pktio_open(struct pktio *p, const char *ifname, enum pktio_rx rx, unsigned retire_ms)
{
	struct sockaddr_ll sll;
	int one = 1, rc;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->ifindex = (int)if_nametoindex(ifname);
	if (p->ifindex == 0)
		return -errno;
	if ((rc = pktio_mac(ifname, p->mac)) < 0)
		return rc;
	/* protocol 0: nothing is received until bind(), after the filter */
	p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->fd < 0)
		return -errno;
	p->txbuf = calloc(PKTIO_BATCH, PKTIO_FRAME_MAX);
	if (!p->txbuf)
		goto nomem;
	if (rx != PKTIO_RX_NONE) {
		if ((rc = attach_pppoe_filter(p->fd)) < 0)
			goto fail;
		(void)setsockopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
		if (rx == PKTIO_RX_RING) {
			if ((rc = setup_ring(p, retire_ms)) < 0)
				goto fail;
		} else {
			int rcvbuf = 8 << 20;
			(void)setsockopt(p->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
			p->rxbuf = calloc(PKTIO_BATCH, PKTIO_FRAME_MAX);
			if (!p->rxbuf)
				goto nomem;
		}
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = p->ifindex;
	sll.sll_protocol = rx != PKTIO_RX_NONE ? htons(ETH_P_ALL) : 0;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rc = -errno;
		goto fail;
	}
	return 0;
nomem:
	rc = -ENOMEM;
fail:
	pktio_close(p);
	return rc;
}

void pktio_close(struct pktio *p)
{
	if (p->ring)
		munmap(p->ring, p->ring_len);
	if (p->fd >= 0)
		close(p->fd);
	free(p->rxbuf);
	free(p->txbuf);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}

static int rx_ring(struct pktio *p, pktio_cb cb, void *ctx)
{
	int n = 0;

	for (;;) {
		struct tpacket_block_desc *bd =
			(struct tpacket_block_desc *)(p->ring + (size_t)p->block_cur * p->block_size);
		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return n;
		uint32_t num = bd->hdr.bh1.num_pkts;
		struct tpacket3_hdr *h = (struct tpacket3_hdr *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
		for (uint32_t i = 0; i < num; i++) {
			cb(ctx, (uint8_t *)h + h->tp_mac, h->tp_snaplen);
			n++;
			h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
		}
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		p->block_cur = (p->block_cur + 1) % p->block_nr;
	}
}

static int rx_mmsg(struct pktio *p, pktio_cb cb, void *ctx)
{
	int total = 0;

	for (;;) {
		for (int i = 0; i < PKTIO_BATCH; i++) {
			p->rxiov[i].iov_base = p->rxbuf[i];
			p->rxiov[i].iov_len = PKTIO_FRAME_MAX;
			memset(&p->rxmsg[i].msg_hdr, 0, sizeof(p->rxmsg[i].msg_hdr));
			p->rxmsg[i].msg_hdr.msg_iov = &p->rxiov[i];
			p->rxmsg[i].msg_hdr.msg_iovlen = 1;
		}
		int n = recvmmsg(p->fd, p->rxmsg, PKTIO_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0)
			return errno == EAGAIN ? total : -errno;
		for (int i = 0; i < n; i++)
			cb(ctx, p->rxbuf[i], p->rxmsg[i].msg_len);
		total += n;
		if (n < PKTIO_BATCH)
			return total;
	}
}

int pktio_rx(struct pktio *p, pktio_cb cb, void *ctx)
{
	if (p->ring)
		return rx_ring(p, cb, ctx);
	if (p->rxbuf)
		return rx_mmsg(p, cb, ctx);
	return 0;
}

int pktio_wait(struct pktio *p, int timeout_ms)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	int rc = poll(&pfd, 1, timeout_ms);

	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	return rc > 0;
}

int pktio_flush(struct pktio *p)
{
	unsigned done = 0;

	while (done < p->ntx) {
		int n = sendmmsg(p->fd, p->txmsg + done, p->ntx - done, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* a full device queue drops the rest, as a wire would */
			p->tx_dropped += p->ntx - done;
			if (errno != EAGAIN && errno != ENOBUFS) {
				int err = -errno;
				p->ntx = 0;
				return err;
			}
			break;
		}
		done += (unsigned)n;
	}
	p->ntx = 0;
	return 0;
}

static int queue(struct pktio *p, const uint8_t *frame, size_t len, bool copy)
{
	if (len > PKTIO_FRAME_MAX)
		return -EMSGSIZE;
	unsigned i = p->ntx++;
	if (copy) {
		memcpy(p->txbuf[i], frame, len);
		frame = p->txbuf[i];
	}
	p->txiov[i].iov_base = (void *)frame;
	p->txiov[i].iov_len = len;
	memset(&p->txmsg[i].msg_hdr, 0, sizeof(p->txmsg[i].msg_hdr));
	p->txmsg[i].msg_hdr.msg_iov = &p->txiov[i];
	p->txmsg[i].msg_hdr.msg_iovlen = 1;
	return p->ntx == PKTIO_BATCH ? pktio_flush(p) : 0;
}

int pktio_send(struct pktio *p, const uint8_t *frame, size_t len)
{
	return queue(p, frame, len, true);
}

int pktio_send_ref(struct pktio *p, const uint8_t *frame, size_t len)
{
	return queue(p, frame, len, false);
}
