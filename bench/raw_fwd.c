/* bench/raw_fwd.c — the raw ceiling: the least a PPPoE data path has to do
 * on this machine, with no PPP at all, one direction per process.
 *
 *   bench_raw_fwd up IFACE TUN
 *       PPPoE session frames (0x8864, protocol 0x0021) from a TPACKET_V3
 *       ring on IFACE; each IP packet write()n to the TUN.
 *   bench_raw_fwd down TUN IFACE PEER_MAC SESSION_ID
 *       IP packets read() from the TUN, read straight behind the room for
 *       their Ethernet and PPPoE headers, sent in batches with sendmmsg().
 *   bench_raw_fwd relay TUN IFACE PEER_MAC SESSION_ID
 *       Both at once, for the round trip's floor: one poll() on the TUN and
 *       the socket (recvmmsg, readable as soon as a frame is there), then
 *       each IP packet read() is sent at once, each frame's written.
 *
 * TUN is an existing persistent device (ip tuntap add mode tun); the
 * benchmark configures its addresses. Runs until SIGTERM or SIGINT, then
 * prints what it forwarded. */
#define _GNU_SOURCE  /* sendmmsg, recvmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "pktio.h"

#define HDR 22   /* Ethernet 14 + PPPoE 6 + PPP protocol 2 */

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }

static int tun_attach(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

struct up_ctx {
	int tun;
	unsigned long long fwd, other;
};

static void up_frame(void *ctx, uint8_t *f, size_t len)
{
	struct up_ctx *u = ctx;

	if (len > HDR && f[12] == 0x88 && f[13] == 0x64 && f[20] == 0x00 && f[21] == 0x21) {
		if (write(u->tun, f + HDR, len - HDR) > 0)
			u->fwd++;
	} else {
		u->other++;
	}
}

static int run_up(const char *ifname, const char *tun_name)
{
	struct pktio p;
	struct up_ctx u = { 0 };
	int rc;

	u.tun = tun_attach(tun_name);
	if (u.tun < 0) {
		fprintf(stderr, "raw_fwd: %s: %s\n", tun_name, strerror(-u.tun));
		return 1;
	}
	if ((rc = pktio_open(&p, ifname, PKTIO_RX_RING, 1)) < 0) {
		fprintf(stderr, "raw_fwd: %s: %s\n", ifname, strerror(-rc));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		if (pktio_rx(&p, up_frame, &u) == 0)
			pktio_wait(&p, 100);
	}
	printf("forwarded=%llu other=%llu\n", u.fwd, u.other);
	pktio_close(&p);
	close(u.tun);
	return 0;
}

static void pppoe_header(uint8_t hdr[HDR], const uint8_t peer[6], const uint8_t own[6], unsigned sid)
{
	memcpy(hdr, peer, 6);
	memcpy(hdr + 6, own, 6);
	hdr[12] = 0x88, hdr[13] = 0x64;
	hdr[14] = 0x11, hdr[15] = 0x00;
	hdr[16] = (uint8_t)(sid >> 8), hdr[17] = (uint8_t)sid;
	hdr[20] = 0x00, hdr[21] = 0x21;
}

/* The TUN, the socket and the PPPoE header of a forwarder that sends to
 * PEER_MAC as SESSION_ID: 0, or the exit status after saying why. */
static int open_sender(const char *tun_name, const char *ifname, const char *peer, const char *sid_text,
		       enum pktio_rx rx, int *tun, struct pktio *p, uint8_t hdr[HDR])
{
	uint8_t peer_mac[6];
	unsigned sid = (unsigned)strtoul(sid_text, NULL, 0);
	int rc;

	if (pktio_parse_mac(peer, peer_mac) < 0 || sid == 0 || sid > 0xfffe) {
		fprintf(stderr, "raw_fwd: bad peer MAC or session id\n");
		return 2;
	}
	*tun = tun_attach(tun_name);
	if (*tun < 0) {
		fprintf(stderr, "raw_fwd: %s: %s\n", tun_name, strerror(-*tun));
		return 1;
	}
	if ((rc = pktio_open(p, ifname, rx, 0)) < 0) {
		fprintf(stderr, "raw_fwd: %s: %s\n", ifname, strerror(-rc));
		close(*tun);
		return 1;
	}
	pppoe_header(hdr, peer_mac, p->mac, sid);
	printf("ready\n");
	fflush(stdout);
	return 0;
}

/* Reads one IP packet from the TUN into the next send slot, behind its
 * headers, and queues the frame: false when the TUN had none. */
static bool queue_from_tun(struct pktio *p, int tun, const uint8_t hdr[HDR])
{
	uint8_t *slot = p->txbuf[p->ntx];
	ssize_t n = read(tun, slot + HDR, PKTIO_FRAME_MAX - HDR);

	if (n <= 0)
		return false;
	memcpy(slot, hdr, HDR);
	slot[18] = (uint8_t)((n + 2) >> 8), slot[19] = (uint8_t)(n + 2);
	pktio_send_ref(p, slot, (size_t)n + HDR);
	return true;
}

static int run_down(const char *tun_name, const char *ifname, const char *peer, const char *sid_text)
{
	struct pktio p;
	uint8_t hdr[HDR];
	unsigned long long fwd = 0;
	int tun, rc = open_sender(tun_name, ifname, peer, sid_text, PKTIO_RX_NONE, &tun, &p, hdr);

	if (rc)
		return rc;
	while (!stop) {
		if (!queue_from_tun(&p, tun, hdr)) {
			pktio_flush(&p);
			struct pollfd pfd = { .fd = tun, .events = POLLIN };
			poll(&pfd, 1, 100);
			continue;
		}
		fwd++;
	}
	pktio_flush(&p);
	printf("forwarded=%llu dropped=%llu\n", fwd, (unsigned long long)p.tx_dropped);
	pktio_close(&p);
	close(tun);
	return 0;
}

/* The least a userspace relay does per packet without polling: sleep in
 * poll(), one read or receive, one write or send. */
static int run_relay(const char *tun_name, const char *ifname, const char *peer, const char *sid_text, bool spin)
{
	struct pktio p;
	struct up_ctx u = { 0 };
	uint8_t hdr[HDR];
	unsigned long long down = 0;
	int rc = open_sender(tun_name, ifname, peer, sid_text, PKTIO_RX_RECVMMSG, &u.tun, &p, hdr);

	if (rc)
		return rc;
	while (!stop) {
		struct pollfd pfd[2] = { { .fd = u.tun, .events = POLLIN }, { .fd = p.fd, .events = POLLIN } };
		if (poll(pfd, 2, spin ? 0 : 100) <= 0) {
			if (spin)
				sched_yield();
			continue;
		}
		if (pfd[1].revents)
			(void)pktio_rx(&p, up_frame, &u);
		if (pfd[0].revents && queue_from_tun(&p, u.tun, hdr)) {
			pktio_flush(&p);
			down++;
		}
	}
	printf("up=%llu down=%llu other=%llu\n", u.fwd, down, u.other);
	pktio_close(&p);
	close(u.tun);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (argc == 4 && !strcmp(argv[1], "up"))
		return run_up(argv[2], argv[3]);
	if (argc == 6 && !strcmp(argv[1], "down"))
		return run_down(argv[2], argv[3], argv[4], argv[5]);
	if ((argc == 6 || (argc == 7 && !strcmp(argv[6], "spin"))) && !strcmp(argv[1], "relay"))
		return run_relay(argv[2], argv[3], argv[4], argv[5], argc == 7);
	fprintf(stderr, "usage: bench_raw_fwd up IFACE TUN | down TUN IFACE PEER_MAC SESSION_ID\n"
			"       bench_raw_fwd relay TUN IFACE PEER_MAC SESSION_ID\n");
	return 2;
}
