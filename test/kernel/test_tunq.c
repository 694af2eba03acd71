/* test_tunq.c — netif/tunq.h: IP packets handed to TUN devices in batches.
 *
 * As root, in a network namespace of its own (the process unshares one; it
 * vanishes with its TUNs when the process exits): one session interface
 * (10.79.0.1, peer 10.79.0.2) from a per-session pool, and a UDP socket on
 * 10.79.0.1. Packets "from the peer" are written into the interface
 * through the queue and must reach the socket, each exactly once and
 * intact, in order; what the kernel refuses is counted. Datagrams sent to
 * the peer wait in the interface and are read back in batches. The batched cases
 * skip where io_uring is refused (a build without liburing, a kernel or a
 * sandbox without it): the queue then writes one by one, which the
 * unbatched cases test.
 *
 * No verdict depends on the machine's speed: every wait is for the datagram
 * itself, bounded only by HANG_GUARD_MS against hangs. */
#define _GNU_SOURCE  /* unshare() */
#include <arpa/inet.h>
#include <errno.h>
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "netif/sessif.h"
#include "netif/tunq.h"
#include "ping_packet.h"

#define HANG_GUARD_MS 60000
#define LOCAL_IP 0x0a4f0001u   /* 10.79.0.1 */
#define PEER_IP 0x0a4f0002u    /* 10.79.0.2 */
#define PORT 4100
/* More than one flush holds: the queue flushes by itself once. */
#define N (UPPP_TUNQ_DEPTH + UPPP_TUNQ_DEPTH / 2)

struct tq {
	struct uppp_sessif_pool *pool;
	struct uppp_sessif *sif;
	int udp;
	uint8_t pkt[N][64];   /* each stays put until the flush */
	size_t len[N];
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int setup(void **state)
{
	struct tq *t = calloc(1, sizeof(*t));
	struct uppp_sessif_config ic = { .mode = UPPP_SESSIF_PER_SESSION, .name = "tq%d" };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT), .sin_addr.s_addr = htonl(LOCAL_IP) };
	char err[256] = "";

	if (!t)
		return -1;
	*state = t;
	t->udp = -1;
	if (uppp_sessif_pool_new(&t->pool, &ic, err, sizeof(err)) < 0 ||
	    uppp_sessif_acquire(t->pool, LOCAL_IP, PEER_IP, 1400, &t->sif, err, sizeof(err)) < 0) {
		printf("cannot make the interface: %s\n", err);
		return -1;
	}
	t->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->udp < 0 || bind(t->udp, (struct sockaddr *)&a, sizeof(a)) < 0)
		return -1;
	for (unsigned i = 0; i < N; i++) {
		char text[16];

		snprintf(text, sizeof(text), "pkt %03u", i);
		t->len[i] = test_build_udp(t->pkt[i], PEER_IP, LOCAL_IP, PORT, text);
	}
	return 0;
}

static int teardown(void **state)
{
	struct tq *t = *state;

	if (!t)
		return 0;
	if (t->udp >= 0)
		close(t->udp);
	uppp_sessif_release(t->pool, t->sif);
	uppp_sessif_pool_free(t->pool);
	free(t);
	return 0;
}

/* The next datagram on the socket, waited for; its length. */
static size_t next_datagram(int fd, char *buf, size_t cap)
{
	uint64_t end = mono_ms() + HANG_GUARD_MS;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n = recv(fd, buf, cap - 1, 0);

		if (n >= 0) {
			buf[n] = '\0';
			return (size_t)n;
		}
		assert_int_equal(errno, EAGAIN);
		if (mono_ms() > end)
			fail_msg("no datagram");
		(void)poll(&p, 1, 200);
	}
}

/* Datagrams first .. first+n-1 arrive, in order, each intact. */
static void expect_datagrams(struct tq *t, unsigned first, unsigned n)
{
	char buf[64], want[16];

	for (unsigned i = first; i < first + n; i++) {
		snprintf(want, sizeof(want), "pkt %03u", i);
		next_datagram(t->udp, buf, sizeof(buf));
		assert_string_equal(buf, want);
	}
}

/* Nothing is waiting on the socket. */
static void expect_none(struct tq *t)
{
	char buf[64];

	assert_int_equal(recv(t->udp, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
}

/* A batched queue; the case is skipped where io_uring is refused here (a
 * build without liburing, a kernel or sandbox without it): the unbatched
 * cases cover the queue there. */
static struct uppp_tunq *batched_or_skip(void)
{
	struct uppp_tunq *q = NULL;

	assert_int_equal(uppp_tunq_new(&q, true), 0);
	if (!uppp_tunq_batched(q)) {
		uppp_tunq_free(q);
		skip();
	}
	return q;
}

/* Batched: nothing reaches the kernel before a flush (or the queue's own
 * flush when it is full); then every packet, in order, once; one system
 * call per batch. */
static void test_batched(void **state)
{
	struct tq *t = *state;
	struct uppp_tunq *q = batched_or_skip();
	int fd = uppp_sessif_fd(t->sif);

	for (unsigned i = 0; i < UPPP_TUNQ_DEPTH; i++)
		assert_int_equal(uppp_tunq_write(q, fd, t->pkt[i], t->len[i]), 0);
	assert_int_equal(uppp_tunq_pending(q), UPPP_TUNQ_DEPTH);
	assert_int_equal(uppp_tunq_stats(q)->flushes, 0);
	expect_none(t);   /* written in place, not yet handed over */
	/* full: the next write flushes the queue first */
	for (unsigned i = UPPP_TUNQ_DEPTH; i < N; i++)
		assert_int_equal(uppp_tunq_write(q, fd, t->pkt[i], t->len[i]), 0);
	assert_int_equal(uppp_tunq_pending(q), N - UPPP_TUNQ_DEPTH);
	assert_int_equal(uppp_tunq_stats(q)->flushes, 1);
	assert_int_equal(uppp_tunq_stats(q)->written, UPPP_TUNQ_DEPTH);
	assert_int_equal(uppp_tunq_flush(q), 0);
	assert_int_equal(uppp_tunq_pending(q), 0);
	assert_int_equal(uppp_tunq_stats(q)->flushes, 2);
	assert_int_equal(uppp_tunq_stats(q)->written, N);
	assert_int_equal(uppp_tunq_stats(q)->refused, 0);
	expect_datagrams(t, 0, N);
	expect_none(t);
	assert_int_equal(uppp_tunq_flush(q), 0);   /* nothing queued: no call */
	assert_int_equal(uppp_tunq_stats(q)->flushes, 2);
	uppp_tunq_free(q);
}

/* A packet the kernel refuses (not IPv4 or IPv6: a TUN answers -EINVAL)
 * is counted at the flush; the ones around it still go. */
static void test_batched_refused(void **state)
{
	struct tq *t = *state;
	struct uppp_tunq *q = batched_or_skip();
	int fd = uppp_sessif_fd(t->sif);
	uint8_t junk[28] = { 0x00 };

	assert_int_equal(uppp_tunq_write(q, fd, t->pkt[0], t->len[0]), 0);
	assert_int_equal(uppp_tunq_write(q, fd, junk, sizeof(junk)), 0);
	assert_int_equal(uppp_tunq_write(q, fd, t->pkt[1], t->len[1]), 0);
	assert_int_equal(uppp_tunq_flush(q), 1);
	assert_int_equal(uppp_tunq_stats(q)->refused, 1);
	assert_int_equal(uppp_tunq_stats(q)->written, 2);
	expect_datagrams(t, 0, 2);
	assert_true(uppp_tunq_batched(q));   /* a refusal is the packet's, not the ring's */
	uppp_tunq_free(q);
}

/* A flush of one packet (a trickle) writes it with one call of its own,
 * and a refusal is still counted and returned. */
static void test_batched_one(void **state)
{
	struct tq *t = *state;
	struct uppp_tunq *q = batched_or_skip();
	int fd = uppp_sessif_fd(t->sif);
	uint8_t junk[28] = { 0x00 };

	assert_int_equal(uppp_tunq_write(q, fd, t->pkt[0], t->len[0]), 0);
	assert_int_equal(uppp_tunq_flush(q), 0);
	assert_int_equal(uppp_tunq_pending(q), 0);
	expect_datagrams(t, 0, 1);
	assert_int_equal(uppp_tunq_write(q, fd, junk, sizeof(junk)), 0);
	assert_int_equal(uppp_tunq_flush(q), 1);
	assert_int_equal(uppp_tunq_stats(q)->written, 1);
	assert_int_equal(uppp_tunq_stats(q)->refused, 1);
	assert_int_equal(uppp_tunq_stats(q)->flushes, 2);
	expect_none(t);
	uppp_tunq_free(q);
}

/* Unbatched (as where io_uring is missing): each write reaches the kernel
 * at once, and its refusal is the write's result. */
static void test_unbatched(void **state)
{
	struct tq *t = *state;
	struct uppp_tunq *q = NULL;
	int fd = uppp_sessif_fd(t->sif);
	uint8_t junk[28] = { 0x00 };

	assert_int_equal(uppp_tunq_new(&q, false), 0);
	assert_false(uppp_tunq_batched(q));
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(uppp_tunq_write(q, fd, t->pkt[i], t->len[i]), 0);
		assert_int_equal(uppp_tunq_pending(q), 0);
		expect_datagrams(t, i, 1);   /* there before any flush */
	}
	assert_int_equal(uppp_tunq_write(q, fd, junk, sizeof(junk)), -EINVAL);
	assert_int_equal(uppp_tunq_flush(q), 0);
	assert_int_equal(uppp_tunq_stats(q)->written, 3);
	assert_int_equal(uppp_tunq_stats(q)->refused, 1);
	assert_int_equal(uppp_tunq_stats(q)->flushes, 0);
	uppp_tunq_free(q);
}

/* Freeing the queue writes what it still holds. */
static void test_free_flushes(void **state)
{
	struct tq *t = *state;
	struct uppp_tunq *q = NULL;

	assert_int_equal(uppp_tunq_new(&q, true), 0);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(uppp_tunq_write(q, uppp_sessif_fd(t->sif), t->pkt[i], t->len[i]), 0);
	uppp_tunq_free(q);
	expect_datagrams(t, 0, 5);
}

/* n datagrams "pkt 000".. from this host to the peer: the kernel routes
 * them into the interface, where they wait to be read. */
static void send_to_peer(unsigned n)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT), .sin_addr.s_addr = htonl(PEER_IP) };
	char text[16];

	assert_true(fd >= 0);
	for (unsigned i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "pkt %03u", i);
		assert_int_equal(sendto(fd, text, 7, 0, (struct sockaddr *)&a, sizeof(a)), 7);
	}
	close(fd);
}

/* The UDP payload of packet i read from the device is "pkt 00i". */
static void expect_read(const uint8_t *pkt, size_t len, unsigned i)
{
	char want[16];

	snprintf(want, sizeof(want), "pkt %03u", i);
	assert_int_equal(len, 28 + 7);
	assert_int_equal(pkt[9], 17);
	assert_memory_equal(pkt + 28, want, 7);
}

static uint8_t rdmem[8][2048];
static uint8_t *const rdbufs[8] = { rdmem[0], rdmem[1], rdmem[2], rdmem[3], rdmem[4], rdmem[5], rdmem[6], rdmem[7] };

/* Batched: the packets waiting come in one system call, in order; asking
 * for more than are waiting returns at once with what there is (a read
 * that may not wait: without it the call would wait for the rest). */
static void test_read_batched(void **state)
{
	struct tq *t = *state;
	struct uppp_tunq *q = batched_or_skip();
	size_t lens[8];
	int fd = uppp_sessif_fd(t->sif);

	send_to_peer(5);
	assert_int_equal(uppp_tunq_read(q, fd, rdbufs, sizeof(rdmem[0]), 8, lens), 5);
	for (unsigned i = 0; i < 5; i++)
		expect_read(rdbufs[i], lens[i], i);
	for (unsigned i = 5; i < 8; i++)
		assert_int_equal(lens[i], 0);
	assert_int_equal(uppp_tunq_stats(q)->reads, 1);
	assert_int_equal(uppp_tunq_stats(q)->read, 5);
	/* none waiting: 0, not a wait */
	assert_int_equal(uppp_tunq_read(q, fd, rdbufs, sizeof(rdmem[0]), 8, lens), 0);
	uppp_tunq_free(q);
}

/* Unbatched: read(2) one by one until none is waiting. */
static void test_read_unbatched(void **state)
{
	struct tq *t = *state;
	struct uppp_tunq *q = NULL;
	size_t lens[8];
	int fd = uppp_sessif_fd(t->sif);

	assert_int_equal(uppp_tunq_new(&q, false), 0);
	send_to_peer(3);
	assert_int_equal(uppp_tunq_read(q, fd, rdbufs, sizeof(rdmem[0]), 8, lens), 3);
	for (unsigned i = 0; i < 3; i++)
		expect_read(rdbufs[i], lens[i], i);
	assert_int_equal(lens[3], 0);
	assert_int_equal(uppp_tunq_stats(q)->reads, 4);   /* three packets, then the one that found none */
	assert_int_equal(uppp_tunq_read(q, fd, rdbufs, sizeof(rdmem[0]), 8, lens), 0);
	uppp_tunq_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batched_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbatched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batched_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_flushes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_batched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_unbatched, setup, teardown),
	};

	if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) != 0) {
		printf("test_tunq: SKIPPED: needs root and /dev/net/tun\n");
		return 77;
	}
	/* From here on this process lives in a namespace of its own. */
	if (unshare(CLONE_NEWNET) != 0 || system("ip link set lo up") != 0) {
		printf("test_tunq: SKIPPED: cannot unshare a network namespace\n");
		return 77;
	}
	return cmocka_run_group_tests_name("tunq", tests, NULL, NULL);
}
