/* test_host_batch.c — runtime/host.c serves both directions in every
 * iteration of its loop: at most UPPP_HOST_BATCH frames from the Ethernet
 * and at most UPPP_HOST_BATCH packets from the session interfaces per wake,
 * so that a flood from one side cannot starve the other.
 *
 * As root, in a network namespace of its own (the process unshares one; it
 * vanishes with its veth pair and TUNs when the process exits): the host
 * glue (runtime/host.h) on one end of a veth pair, with one session's
 * interface (a TUN of its own, then the shared TUN), under a fake engine
 * that counts what the host hands it. A flood is made to wait on one side
 * and one packet on the other; then exactly one iteration of the loop runs
 * (uppp_host_dispatch). It must have handed the engine the quiet side's
 * packet, which the engine forwards (the probe's frame reaches the peer, or
 * the probe's datagram a local socket), and no more than UPPP_HOST_BATCH of
 * the flood. Without root these cases skip.
 *
 * No verdict depends on the machine's speed: every wait is for the event
 * itself (a frame seen, a descriptor readable), bounded only by
 * HANG_GUARD_MS against hangs. As no second iteration runs, what arrives
 * after the one iteration was sent in it. */
#define _GNU_SOURCE  /* unshare() */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/ppp_defs.h"
#include "netif/eth.h"
#include "netif/sessif.h"
#include "netif/tunq.h"
#include "ping_packet.h"
#include "private_netns.h"
#include "proto/pppoe.h"
#include "proto/ppp.h"     /* UPPP_NO_DEADLINE */
#include "runtime/host.h"

/* Upper bound of any wait for something that must happen: only a hang hits it. */
#define HANG_GUARD_MS 60000

#define ETH_HOST "hbta"
#define ETH_PEER "hbtb"
#define SID 0x1234
#define LOCAL_IP 0x0a4e0001u   /* 10.78.0.1 */
#define PEER_IP 0x0a4e0002u    /* 10.78.0.2 */
#define PROBE_PORT 4001
#define FLOOD_PORT 4002
/* The flood: several batches, all of which the TUN's queue holds (a TUN
 * queues 500 packets by default; more would be dropped, not wait). */
#define FLOOD (3 * UPPP_HOST_BATCH)
_Static_assert(FLOOD > UPPP_HOST_BATCH && FLOOD <= 400, "a flood larger than one batch that a TUN queues");
/* Where the IP packet starts in a session frame: after the Ethernet and
 * PPPoE headers and the PPP protocol number. */
#define IP_OFF (UPPP_PPPOE_SESSION_HLEN + 2)

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- packets and frames ---- */

/* The destination port of an IPv4 UDP packet, 0 for anything else. */
static uint16_t udp_dport(const uint8_t *p, size_t len)
{
	if (len < 28 || p[0] != 0x45 || p[9] != 17)
		return 0;
	return uppp_get_be16(p + 22);
}

/* A PPPoE session frame dst <- src carrying the IPv4 packet ip. */
static size_t session_frame(uint8_t *f, size_t cap, const uint8_t dst[6], const uint8_t src[6], const uint8_t *ip,
			    size_t len)
{
	int hl = uppp_pppoe_build_session_hdr(f, cap, dst, src, SID, len + 2);

	assert_int_equal(hl, UPPP_PPPOE_SESSION_HLEN);
	assert_true(IP_OFF + len <= cap);
	uppp_put_be16(f + hl, PPP_IP);
	memcpy(f + IP_OFF, ip, len);
	return IP_OFF + len;
}

/* ---- the host under a counting engine ---- */

struct bt {
	struct uppp_host h;
	struct uppp_host_if sif;
	int session;                 /* its address is the session handed back */
	uint8_t peer_mac[6];
	/* what the host handed over */
	unsigned eth_in;             /* frames */
	unsigned probes_in, floods_in; /* packets from the interface, by UDP port */
	/* what the engine forwards */
	bool forward_eth;            /* a frame's IP packet to the interface */
	bool forward_probe;          /* the probe packet to the peer, in a frame */
	/* the test's sockets, -1 when not open: closed by the teardown */
	int peer, watch, udp, probe_rx;
};

static uint64_t bt_next_deadline(void *ctx)
{
	(void)ctx;
	return UPPP_NO_DEADLINE;
}

static void bt_run_timers(void *ctx, uint64_t now)
{
	(void)ctx, (void)now;
	fail_msg("no timer in this test");
}

static void bt_input(void *ctx, uint8_t *frame, size_t len, uint64_t now)
{
	struct bt *b = ctx;
	(void)now;
	b->eth_in++;
	if (b->forward_eth && len > IP_OFF)
		uppp_host_if_write(&b->sif, frame + IP_OFF, len - IP_OFF);
}

static void bt_send_ip(void *ctx, void *session, uint8_t *pkt, size_t len, uint64_t now)
{
	struct bt *b = ctx;
	uint8_t f[2048];
	(void)now;
	assert_ptr_equal(session, &b->session);
	switch (udp_dport(pkt, len)) {
	case FLOOD_PORT:
		b->floods_in++;
		break;
	case PROBE_PORT:
		b->probes_in++;
		if (b->forward_probe)
			uppp_host_send_frame(&b->h, f,
					     session_frame(f, sizeof(f), b->peer_mac, uppp_eth_mac(b->h.eth), pkt, len));
		break;
	default:
		break;   /* the kernel's own (none expected): not counted */
	}
}

static void bt_timer_failed(void *ctx, int err, uint64_t now)
{
	(void)ctx, (void)now;
	fail_msg("the host could not arm its timer: %d", err);
}

static void bt_eth_failed(void *ctx, int err, uint64_t now)
{
	(void)ctx, (void)now;
	fail_msg("the Ethernet failed: %d", err);
}

static const struct uppp_host_engine bt_engine = {
	.next_deadline = bt_next_deadline,
	.run_timers = bt_run_timers,
	.input = bt_input,
	.send_ip = bt_send_ip,
	.timer_failed = bt_timer_failed,
	.eth_failed = bt_eth_failed,
};

static int link_mac(const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return rc;
}

static int teardown(void **state);

/* The host on ETH_HOST with one session (SID, LOCAL_IP - PEER_IP) whose
 * interface is made in mode; on failure nothing is left (*state NULL). */
static int bt_open(void **state, enum uppp_sessif_mode mode)
{
	struct bt *b = calloc(1, sizeof(*b));
	struct uppp_sessif_config ic = { .mode = mode, .name = mode == UPPP_SESSIF_SHARED ? "hbsh0" : "hbt%d" };
	char err[256] = "";

	if (!b)
		return -1;
	b->peer = b->watch = b->udp = b->probe_rx = -1;
	*state = b;
	uppp_host_init(&b->h, NULL, NULL, NULL, UPPP_LOG_ERR, &bt_engine, b);
	uppp_host_if_init(&b->sif, &b->h, &b->session);
	if (link_mac(ETH_PEER, b->peer_mac) < 0 || uppp_host_open(&b->h, ETH_HOST, &ic) < 0 ||
	    uppp_host_watch_eth(&b->h) < 0 ||
	    uppp_host_if_up(&b->sif, SID, LOCAL_IP, PEER_IP, 1400, err, sizeof(err)) != 1) {
		printf("cannot set up the host: %s\n", err);
		teardown(state);
		return -1;
	}
	return 0;
}

static int setup_per_session(void **state) { return bt_open(state, UPPP_SESSIF_PER_SESSION); }
static int setup_shared(void **state) { return bt_open(state, UPPP_SESSIF_SHARED); }

/* Also after a failed case: the next one needs the names and the route. */
static int teardown(void **state)
{
	struct bt *b = *state;

	if (!b)
		return 0;   /* its setup failed and cleaned up */
	int fds[] = { b->peer, b->watch, b->udp, b->probe_rx };
	for (size_t k = 0; k < sizeof(fds) / sizeof(fds[0]); k++)
		if (fds[k] >= 0)
			close(fds[k]);
	uppp_host_if_release(&b->sif);
	uppp_host_close(&b->h);
	free(b);
	*state = NULL;
	return 0;
}

/* ---- the test's own sockets ---- */

/* An AF_PACKET socket on ifname for protocol proto (network order). */
static int packet_socket(const char *ifname, uint16_t proto)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = proto };

	assert_true(fd >= 0);
	a.sll_ifindex = (int)if_nametoindex(ifname);
	assert_int_not_equal(a.sll_ifindex, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* A UDP socket, bound to port on every address when port is not 0. */
static int udp_socket(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	assert_true(fd >= 0);
	if (port)
		assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void udp_send(int fd, uint32_t dst, uint16_t port, const char *text)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(dst) };

	assert_int_equal(sendto(fd, text, strlen(text), 0, (struct sockaddr *)&a, sizeof(a)), (ssize_t)strlen(text));
}

/* Waits until fd is readable, for at most HANG_GUARD_MS. */
static void await_readable(int fd, const char *what)
{
	uint64_t end = mono_ms() + HANG_GUARD_MS;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, 200) <= 0 || !(p.revents & POLLIN)) {
		if (mono_ms() > end)
			fail_msg("never readable: %s", what);
	}
}

/* Reads packets from the packet socket fd until n have passed in the given
 * direction (sent from the interface, or received by it) whose bytes from
 * off on start with text. */
static void await_packets(int fd, unsigned n, bool outgoing, size_t off, const char *text, const char *what)
{
	uint8_t buf[2048];
	size_t tl = strlen(text);

	for (unsigned seen = 0; seen < n;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);

		await_readable(fd, what);
		ssize_t len = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (len < 0 && errno == EAGAIN)
			continue;
		assert_true(len >= 0);
		if ((from.sll_pkttype == PACKET_OUTGOING) == outgoing && (size_t)len >= off + tl &&
		    memcmp(buf + off, text, tl) == 0)
			seen++;
	}
}

/* ---- the cases ---- */

/* One iteration took `taken` of the FLOOD waiting: some, but one batch at most. */
static void assert_one_batch(unsigned taken, const char *what)
{
	assert_true(taken >= 1);
	if (taken > UPPP_HOST_BATCH)
		fail_msg("one iteration took %u of %u %s, more than UPPP_HOST_BATCH (%d)", taken, FLOOD, what,
			 UPPP_HOST_BATCH);
}

/* The Ethernet flooded, one packet on the session's interface. */
static void test_eth_flood_leaves_a_turn(void **state)
{
	struct bt *b = *state;
	int peer = b->peer = packet_socket(ETH_PEER, htons(ETH_P_PPPOE_SESS));
	int watch = b->watch = packet_socket(ETH_HOST, htons(ETH_P_PPPOE_SESS));
	int udp = b->udp = udp_socket(0);
	uint8_t ip[64], f[128];
	size_t len = session_frame(f, sizeof(f), uppp_eth_mac(b->h.eth), b->peer_mac, ip,
				   test_build_udp(ip, PEER_IP, LOCAL_IP, FLOOD_PORT, "flood"));

	b->forward_probe = true;
	for (unsigned k = 0; k < FLOOD; k++)
		assert_int_equal(send(peer, f, len, 0), (ssize_t)len);
	/* every frame of the flood has reached the host's interface */
	await_packets(watch, FLOOD, false, IP_OFF + 28, "flood", "the flood on " ETH_HOST);
	udp_send(udp, PEER_IP, PROBE_PORT, "probe");   /* routed into the session's interface */
	await_readable(uppp_eth_fd(b->h.eth), "the host's Ethernet");
	await_readable(uppp_sessif_fd(b->sif.ifc), "the session's interface");

	assert_int_equal(uppp_host_dispatch(&b->h), 0);   /* one iteration */
	assert_int_equal(b->probes_in, 1);
	assert_one_batch(b->eth_in, "frames");
	/* the probe left to the peer in a session frame */
	await_packets(peer, 1, false, IP_OFF + 28, "probe", "the probe's frame on " ETH_PEER);
}

/* The session's interface flooded, one frame on the Ethernet. */
static void test_interface_flood_leaves_a_turn(void **state)
{
	struct bt *b = *state;
	int peer = b->peer = packet_socket(ETH_PEER, htons(ETH_P_PPPOE_SESS));
	/* ETH_P_ALL: only such a socket sees what is sent into a device */
	int watch = b->watch = packet_socket(uppp_sessif_name(b->sif.ifc), htons(ETH_P_ALL));
	int udp = b->udp = udp_socket(0), probe_rx = b->probe_rx = udp_socket(PROBE_PORT);
	uint8_t ip[64], f[128], got[16];
	size_t len = session_frame(f, sizeof(f), uppp_eth_mac(b->h.eth), b->peer_mac, ip,
				   test_build_udp(ip, PEER_IP, LOCAL_IP, PROBE_PORT, "probe"));

	b->forward_eth = true;
	for (unsigned k = 0; k < FLOOD; k++)
		udp_send(udp, PEER_IP, FLOOD_PORT, "flood");
	/* every packet of the flood has gone into the interface */
	await_packets(watch, FLOOD, true, 28, "flood", "the flood into the session's interface");
	assert_int_equal(send(peer, f, len, 0), (ssize_t)len);
	await_readable(uppp_eth_fd(b->h.eth), "the host's Ethernet");
	await_readable(uppp_sessif_fd(b->sif.ifc), "the session's interface");

	assert_int_equal(uppp_host_dispatch(&b->h), 0);   /* one iteration */
	assert_int_equal(b->eth_in, 1);
	assert_one_batch(b->floods_in, "packets");
	/* read in one system call where the host batches (netif/tunq.h) */
	if (b->h.tunq && uppp_tunq_batched(b->h.tunq))
		assert_int_equal(uppp_tunq_stats(b->h.tunq)->reads, 1);
	/* the probe went through the interface to the local socket */
	await_readable(probe_rx, "the probe's datagram");
	assert_int_equal(recv(probe_rx, got, sizeof(got), 0), 5);
	assert_memory_equal(got, "probe", 5);
}

/* One case in one mode of the session interface, named after both. */
#define CASE(name_, fn, setup) \
	{ .name = (name_), .test_func = (fn), .setup_func = (setup), .teardown_func = teardown }

/* The packets of one iteration's frames reach the session's interface in
 * one system call (netif/tunq.h), intact: the frames stay in their ring
 * slots until the flush. Skips where io_uring is refused (each packet is
 * then written at once: the cases above still pass through). */
static void test_eth_batch_one_flush(void **state)
{
	struct bt *b = *state;
	int peer = b->peer = packet_socket(ETH_PEER, htons(ETH_P_PPPOE_SESS));
	int watch = b->watch = packet_socket(ETH_HOST, htons(ETH_P_PPPOE_SESS));
	int rx = b->probe_rx = udp_socket(FLOOD_PORT);
	uint8_t ip[64], f[128];
	char got[16];
	size_t len = session_frame(f, sizeof(f), uppp_eth_mac(b->h.eth), b->peer_mac, ip,
				   test_build_udp(ip, PEER_IP, LOCAL_IP, FLOOD_PORT, "flood"));

	if (!b->h.tunq || !uppp_tunq_batched(b->h.tunq))
		skip();
	b->forward_eth = true;
	for (unsigned k = 0; k < FLOOD; k++)
		assert_int_equal(send(peer, f, len, 0), (ssize_t)len);
	await_packets(watch, FLOOD, false, IP_OFF + 28, "flood", "the flood on " ETH_HOST);
	await_readable(uppp_eth_fd(b->h.eth), "the host's Ethernet");

	assert_int_equal(uppp_host_dispatch(&b->h), 0);   /* one iteration */
	assert_one_batch(b->eth_in, "frames");
	assert_int_equal(uppp_tunq_stats(b->h.tunq)->flushes, 1);
	assert_int_equal(uppp_tunq_stats(b->h.tunq)->written, b->eth_in);
	assert_int_equal(uppp_tunq_pending(b->h.tunq), 0);
	for (unsigned k = 0; k < b->eth_in; k++) {
		await_readable(rx, "a datagram of the flood");
		assert_int_equal(recv(rx, got, sizeof(got), 0), 5);
		assert_memory_equal(got, "flood", 5);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CASE("eth_flood_per_session", test_eth_flood_leaves_a_turn, setup_per_session),
		CASE("interface_flood_per_session", test_interface_flood_leaves_a_turn, setup_per_session),
		CASE("eth_flood_shared", test_eth_flood_leaves_a_turn, setup_shared),
		CASE("interface_flood_shared", test_interface_flood_leaves_a_turn, setup_shared),
		CASE("eth_batch_one_flush_per_session", test_eth_batch_one_flush, setup_per_session),
		CASE("eth_batch_one_flush_shared", test_eth_batch_one_flush, setup_shared),
	};
	/* From here on this process lives in a namespace of its own. */
	const char *why = test_private_netns_veth(ETH_HOST, ETH_PEER);
	if (why) {
		printf("test_host_batch: SKIPPED: %s\n", why);
		return 77;
	}
	return cmocka_run_group_tests_name("host batch", tests, NULL, NULL);
}
