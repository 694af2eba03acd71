/* bench/gen.c — traffic for the data-path benchmark, as fast as one core
 * sends it, until SIGTERM or SIGINT.
 *
 *   bench_gen pppoe IFACE SRC_MAC AC_MAC SESSION_ID SRC_IP DST_IP PORT SIZE [PPS]
 *       upstream: PPPoE session frames carrying one IPv4/UDP packet of SIZE
 *       bytes (IP header included) from SRC_MAC (the session's client) to
 *       AC_MAC, sendmmsg() in batches of 64 on IFACE.
 *   bench_gen udp DST_IP PORT SIZE [PPS]
 *       downstream: UDP datagrams of SIZE bytes of IP to DST_IP (routed into
 *       the TUN of the forwarder under test), sendmmsg() in batches of 64.
 *   PPS, when given and not 0, paces the batches to that many packets per
 *   second (both directions at once: each offered a set share).
 *   bench_gen sink IP PORT
 *       binds a UDP socket it never reads, so that packets to IP:PORT end in
 *       a full socket buffer instead of an ICMP port-unreachable each (which
 *       would halve the rate measured), and waits.
 *
 * The benchmark counts what arrives with the interfaces' counters; this
 * prints what it sent when it stops. */
#define _GNU_SOURCE  /* sendmmsg, recvmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pktio.h"

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }

/* Paces batches of PKTIO_BATCH packets to pps per second (0: no pacing). */
struct pacer {
	double pps;
	struct timespec next;
};

static void pacer_init(struct pacer *p, const char *arg)
{
	p->pps = arg ? strtod(arg, NULL) : 0;
	clock_gettime(CLOCK_MONOTONIC, &p->next);
}

static void pacer_wait(struct pacer *p)
{
	if (p->pps <= 0)
		return;
	long ns = (long)(PKTIO_BATCH * 1e9 / p->pps);
	p->next.tv_nsec += ns % 1000000000L;
	p->next.tv_sec += ns / 1000000000L + p->next.tv_nsec / 1000000000L;
	p->next.tv_nsec %= 1000000000L;
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &p->next, NULL);
}

static uint16_t ip_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An IPv4 header and a UDP header (checksum 0: none) for `size` bytes. */
static void build_udp(uint8_t *ip, size_t size, uint32_t src, uint32_t dst, uint16_t port)
{
	memset(ip, 0, size);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(size >> 8), ip[3] = (uint8_t)size;
	ip[6] = 0x40;            /* DF */
	ip[8] = 64;              /* TTL */
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	uint16_t c = ip_checksum(ip, 20);
	ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
	uint8_t *udp = ip + 20;
	udp[0] = 0x30, udp[1] = 0x39;            /* source port 12345 */
	udp[2] = (uint8_t)(port >> 8), udp[3] = (uint8_t)port;
	udp[4] = (uint8_t)((size - 20) >> 8), udp[5] = (uint8_t)(size - 20);
}

static int parse_size(const char *s, size_t *size)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end || v < 28 || v > 1472)
		return -1;
	*size = v;
	return 0;
}

static int gen_pppoe(char **a, const char *pps)
{
	struct pacer pace;
	struct pktio p;
	uint8_t src_mac[6], ac_mac[6], frame[PKTIO_FRAME_MAX];
	struct in_addr src, dst;
	unsigned sid = (unsigned)strtoul(a[3], NULL, 0);
	unsigned port = (unsigned)strtoul(a[6], NULL, 0);
	size_t size;
	unsigned long long sent = 0;
	int rc;

	if (pktio_parse_mac(a[1], src_mac) < 0 || pktio_parse_mac(a[2], ac_mac) < 0 || sid == 0 ||
	    sid > 0xfffe || !inet_aton(a[4], &src) || !inet_aton(a[5], &dst) || port == 0 || port > 0xffff ||
	    parse_size(a[7], &size) < 0) {
		fprintf(stderr, "bench_gen: bad arguments\n");
		return 2;
	}
	if ((rc = pktio_open(&p, a[0], PKTIO_RX_NONE, 0)) < 0) {
		fprintf(stderr, "bench_gen: %s: %s\n", a[0], strerror(-rc));
		return 1;
	}
	memcpy(frame, ac_mac, 6);
	memcpy(frame + 6, src_mac, 6);
	frame[12] = 0x88, frame[13] = 0x64;
	frame[14] = 0x11, frame[15] = 0x00;
	frame[16] = (uint8_t)(sid >> 8), frame[17] = (uint8_t)sid;
	frame[18] = (uint8_t)((size + 2) >> 8), frame[19] = (uint8_t)(size + 2);
	frame[20] = 0x00, frame[21] = 0x21;
	build_udp(frame + 22, size, src.s_addr, dst.s_addr, (uint16_t)port);
	pacer_init(&pace, pps);
	while (!stop) {
		pacer_wait(&pace);
		for (int i = 0; i < PKTIO_BATCH; i++)
			pktio_send_ref(&p, frame, size + 22);   /* the 64th sends the batch */
		sent += PKTIO_BATCH;
	}
	printf("sent=%llu dropped=%llu\n", sent, (unsigned long long)p.tx_dropped);
	pktio_close(&p);
	return 0;
}

static int gen_udp(char **a, const char *pps)
{
	struct pacer pace;
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned port = (unsigned)strtoul(a[1], NULL, 0);
	static uint8_t payload[1500];
	struct mmsghdr msg[PKTIO_BATCH];
	struct iovec iov = { .iov_base = payload };
	unsigned long long sent = 0, refused = 0;
	size_t size;
	int fd;

	if (!inet_aton(a[0], &to.sin_addr) || port == 0 || port > 0xffff || parse_size(a[2], &size) < 0) {
		fprintf(stderr, "bench_gen: bad arguments\n");
		return 2;
	}
	to.sin_port = htons((uint16_t)port);
	iov.iov_len = size - 28;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("bench_gen: udp");
		return 1;
	}
	memset(msg, 0, sizeof(msg));
	for (int i = 0; i < PKTIO_BATCH; i++) {
		msg[i].msg_hdr.msg_iov = &iov;
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	pacer_init(&pace, pps);
	while (!stop) {
		pacer_wait(&pace);
		int n = sendmmsg(fd, msg, PKTIO_BATCH, 0);
		if (n > 0)
			sent += (unsigned)n;
		else
			refused++;   /* e.g. ENOBUFS while the TUN's queue is full */
	}
	printf("sent=%llu refused_calls=%llu\n", sent, refused);
	close(fd);
	return 0;
}

static int sink(char **a)
{
	struct sockaddr_in at = { .sin_family = AF_INET };
	unsigned port = (unsigned)strtoul(a[1], NULL, 0);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int small = 4096;

	if (!inet_aton(a[0], &at.sin_addr) || port == 0 || port > 0xffff) {
		fprintf(stderr, "bench_gen: bad arguments\n");
		return 2;
	}
	at.sin_port = htons((uint16_t)port);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (fd < 0 || bind(fd, (struct sockaddr *)&at, sizeof(at)) < 0) {
		perror("bench_gen: sink");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((argc == 10 || argc == 11) && !strcmp(argv[1], "pppoe"))
		return gen_pppoe(argv + 2, argc == 11 ? argv[10] : NULL);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "udp"))
		return gen_udp(argv + 2, argc == 6 ? argv[5] : NULL);
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return sink(argv + 2);
	fprintf(stderr, "usage: bench_gen pppoe IFACE SRC_MAC AC_MAC SESSION_ID SRC_IP DST_IP PORT SIZE [PPS]\n"
			"       bench_gen udp DST_IP PORT SIZE [PPS]\n"
			"       bench_gen sink IP PORT\n");
	return 2;
}
