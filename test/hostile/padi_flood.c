/* padi_flood.c — sends PADIs as fast as one core can (sendmmsg on a raw
 * AF_PACKET socket) for a given time, for test/hostile: the server must keep
 * its established sessions and still let an honest client in.
 *
 *   padi_flood IFACE SECONDS [SRC_MAC|random]
 *
 * Default source: the interface's own MAC (one flooding station). "random":
 * a new locally administered MAC per frame (defeats per-MAC limits; only the
 * global bucket holds). Prints frames sent and the rate. SIGTERM or SIGINT
 * ends it early, with the same summary: test_hostile.sh floods until the
 * event it waits for has happened, SECONDS is only an upper bound. */
#define _GNU_SOURCE  /* sendmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define FRAME_LEN 32  /* 14 Ethernet + 6 PPPoE + Service-Name "" (4) + Host-Uniq 4 (8): unpadded, like pppd's */

static volatile sig_atomic_t stop;

static void on_signal(int signo)
{
	(void)signo;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_mac(const char *s, uint8_t m[6])
{
	unsigned v[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t frames[BATCH][FRAME_LEN], src[6];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll sll;
	struct ifreq ifr;
	int random_src = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s IFACE SECONDS [SRC_MAC|random]\n", argv[0]);
		return 2;
	}
	double seconds = atof(argv[2]);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		perror("SIOCGIFINDEX");
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifr.ifr_ifindex;
	sll.sll_halen = 6;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror("SIOCGIFHWADDR");
		return 1;
	}
	memcpy(src, ifr.ifr_hwaddr.sa_data, 6);
	if (argc > 3) {
		if (!strcmp(argv[3], "random"))
			random_src = 1;
		else if (parse_mac(argv[3], src) < 0) {
			fprintf(stderr, "bad MAC %s\n", argv[3]);
			return 2;
		}
	}
	for (int i = 0; i < BATCH; i++) {
		uint8_t *f = frames[i];
		memset(f, 0xff, 6);
		memcpy(f + 6, src, 6);
		f[12] = 0x88, f[13] = 0x63;                 /* discovery */
		f[14] = 0x11, f[15] = 0x09;                 /* ver/type, PADI */
		f[16] = 0, f[17] = 0;                       /* session 0 */
		f[18] = 0, f[19] = 12;                      /* length */
		f[20] = 0x01, f[21] = 0x01, f[22] = 0, f[23] = 0;            /* Service-Name "" */
		f[24] = 0x01, f[25] = 0x03, f[26] = 0, f[27] = 4;            /* Host-Uniq */
		memcpy(f + 28, &i, 4);
		iov[i].iov_base = f;
		iov[i].iov_len = FRAME_LEN;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(sll);
	}
	unsigned long long sent = 0, errors = 0;
	uint32_t ctr = 1;
	double start = now_s(), end = start + seconds, t;
	while (!stop && (t = now_s()) < end) {
		if (random_src) {
			for (int i = 0; i < BATCH; i++, ctr++) {
				uint8_t *m = frames[i] + 6;
				m[0] = 0x02, m[1] = 0x66;
				m[2] = (uint8_t)(ctr >> 24), m[3] = (uint8_t)(ctr >> 16);
				m[4] = (uint8_t)(ctr >> 8), m[5] = (uint8_t)ctr;
			}
		}
		int n = sendmmsg(fd, msgs, BATCH, 0);
		if (n < 0) {
			errors++;
			if (errno == EINTR)
				continue;
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("sendmmsg");
				return 1;
			}
			continue;
		}
		sent += (unsigned)n;
	}
	double el = now_s() - start;
	printf("sent=%llu seconds=%.2f rate_pps=%.0f errors=%llu\n", sent, el, (double)sent / el, errors);
	fflush(stdout);
	return 0;
}
