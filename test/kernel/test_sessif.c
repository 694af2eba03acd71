/* test_sessif.c — netif/sessif.c's two modes against the real kernel:
 *  - per-session devices from a pool: a released device keeps its name and
 *    waits, down and without its address, with the packets the kernel had
 *    queued for the old peer discarded; the next session gets it with only
 *    its own address and MTU; no more than idle_max wait; nothing is left
 *    after the pool is freed (one link-group deletion);
 *  - one shared device: a /32 route per session (its MTU, our address as
 *    source) added and removed, packets the kernel routes into it go to the
 *    session whose peer is their destination, a packet for no session is
 *    dropped and counted, the same peer twice is refused;
 *  - its routes deferred: queued until the pool is flushed, sent in batches
 *    (also when a batch is full), a refused one reported (and a foreign
 *    route to that peer left alone), a session released before the flush
 *    leaves no route, settle returns its own session's refusal instead;
 *    answers the kernel drops are reported lost, their requests done.
 * It also prints (never asserts) what acquiring and releasing costs in each
 * mode, and deleting many devices one by one or in one request.
 *
 * Needs root and /dev/net/tun, else exits 77 (skip). The process moves
 * itself into a network namespace of its own first: it touches no interface
 * of the host and leaves nothing behind. Every wait is for the event
 * itself, bounded only by HANG_GUARD_MS against hangs. */
#define _GNU_SOURCE  /* unshare() */
#include <arpa/inet.h>
#include <errno.h>
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "netif/nl.h"
#include "netif/rtbatch.h"
#include "netif/sessif.h"
#include "link_count.h"
#include "ping_packet.h"
#include "netif/tun.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define HANG_GUARD_MS 60000

static struct nl_sock *sk;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* IPv4 addresses on ifindex; with want_local, 1 if (local, peer) is one of
 * them (peer 0: an address without peer). */
static int addrs_on(int ifindex, uint32_t want_local, uint32_t want_peer, int *found)
{
	struct nl_cache *c = NULL;
	int n = 0;

	*found = 0;
	assert_int_equal(rtnl_addr_alloc_cache(sk, &c), 0);
	for (struct nl_object *o = nl_cache_get_first(c); o != NULL; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *l = rtnl_addr_get_local(a), *p = rtnl_addr_get_peer(a);
		uint32_t lb = htonl(want_local), pb = htonl(want_peer);

		if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_family(a) != AF_INET)
			continue;
		n++;
		if (l != NULL && memcmp(nl_addr_get_binary_addr(l), &lb, 4) == 0 &&
		    (want_peer ? p != NULL && memcmp(nl_addr_get_binary_addr(p), &pb, 4) == 0
			       : p == NULL || memcmp(nl_addr_get_binary_addr(p), &lb, 4) == 0))
			*found = 1;
	}
	nl_cache_free(c);
	return n;
}

static void link_state(int ifindex, unsigned *mtu, int *up)
{
	struct rtnl_link *l = NULL;

	assert_int_equal(rtnl_link_get_kernel(sk, ifindex, NULL, &l), 0);
	*mtu = rtnl_link_get_mtu(l);
	*up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
	rtnl_link_put(l);
}

/* The route to peer/32 in the main table: 1 with its device, MTU metric and
 * preferred source; 0 when there is none. */
static int route_to(uint32_t peer, int *ifindex, unsigned *mtu, uint32_t *src)
{
	struct nl_cache *c = NULL;
	int found = 0;

	assert_int_equal(rtnl_route_alloc_cache(sk, AF_INET, 0, &c), 0);
	for (struct nl_object *o = nl_cache_get_first(c); o != NULL; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *d = rtnl_route_get_dst(r), *ps = rtnl_route_get_pref_src(r);
		uint32_t pb = htonl(peer), m = 0;

		if (rtnl_route_get_table(r) != RT_TABLE_MAIN || d == NULL || nl_addr_get_prefixlen(d) != 32 ||
		    memcmp(nl_addr_get_binary_addr(d), &pb, 4) != 0 || rtnl_route_get_nnexthops(r) != 1)
			continue;
		found = 1;
		*ifindex = rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(r, 0));
		*mtu = rtnl_route_get_metric(r, RTAX_MTU, &m) == 0 ? m : 0;
		*src = 0;
		if (ps != NULL) {
			memcpy(src, nl_addr_get_binary_addr(ps), 4);
			*src = ntohl(*src);
		}
	}
	nl_cache_free(c);
	return found;
}

/* The route to peer/32 is there: through ifindex, with mtu and src. */
static void expect_route(uint32_t peer, int ifindex, unsigned mtu, uint32_t src)
{
	int got_if;
	unsigned got_mtu;
	uint32_t got_src;

	assert_true(route_to(peer, &got_if, &got_mtu, &got_src));
	assert_int_equal(got_if, ifindex);
	assert_int_equal(got_mtu, mtu);
	assert_int_equal(got_src, src);
}

static uint32_t dst_of(const uint8_t *p)
{
	return (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
}

static int wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, HANG_GUARD_MS) == 1;
}

static struct uppp_sessif_pool *pool_new(enum uppp_sessif_mode mode, const char *name, unsigned idle_max)
{
	const struct uppp_sessif_config cfg = { .mode = mode, .name = name, .idle_max = idle_max };
	struct uppp_sessif_pool *p = NULL;
	char err[256] = "";
	int rc = uppp_sessif_pool_new(&p, &cfg, err, sizeof(err));

	if (rc != 0)
		print_error("uppp_sessif_pool_new: %s\n", err);
	assert_int_equal(rc, 0);
	return p;
}

static struct uppp_sessif *acquire(struct uppp_sessif_pool *p, uint32_t local, uint32_t peer, uint16_t mtu)
{
	struct uppp_sessif *s = NULL;
	char err[256] = "";
	int rc = uppp_sessif_acquire(p, local, peer, mtu, &s, err, sizeof(err));

	if (rc != 0)
		print_error("uppp_sessif_acquire: %s\n", err);
	assert_int_equal(rc, 0);
	return s;
}

/* ---- per-session devices from a pool ---- */

static void test_pool_reuses_released_device(void **state)
{
	(void)state;
	const uint32_t local = IP(10, 96, 0, 1), a = IP(10, 96, 0, 2), b = IP(10, 96, 0, 3);
	struct uppp_sessif_pool *p = pool_new(UPPP_SESSIF_PER_SESSION, "upr%d", 4);
	struct uppp_sessif_stats st;
	uint8_t pkt[64], buf[2048];
	unsigned mtu;
	int up, found, links = test_count_links(sk);

	struct uppp_sessif *s = acquire(p, local, a, 1480);
	int ifindex = (int)if_nametoindex("upr0");
	assert_string_equal(uppp_sessif_name(s), "upr0");
	assert_int_equal(addrs_on(ifindex, local, a, &found), 1);
	assert_true(found);
	/* The peer pings us; the kernel queues the answer in the device, and
	 * nobody reads it before the session ends. */
	assert_int_equal(uppp_sessif_write(s, pkt, test_build_ping(pkt, a, local, 0x5151, 1)), 0);
	assert_true(wait_readable(uppp_sessif_fd(s)));
	uppp_sessif_release(p, s);

	/* Kept: same device, down, no address, counted idle. */
	assert_int_equal((int)if_nametoindex("upr0"), ifindex);
	assert_int_equal(test_count_links(sk), links + 1);
	link_state(ifindex, &mtu, &up);
	assert_false(up);
	assert_int_equal(addrs_on(ifindex, 0, 0, &found), 0);
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.idle, 1);
	assert_int_equal(st.active, 0);

	/* The next session gets it, with only its own address and MTU, and
	 * nothing of the old peer's traffic. */
	s = acquire(p, local, b, 1400);
	assert_string_equal(uppp_sessif_name(s), "upr0");
	assert_int_equal(uppp_sessif_fd(s) >= 0, 1);
	assert_int_equal(addrs_on(ifindex, local, b, &found), 1);
	assert_true(found);
	link_state(ifindex, &mtu, &up);
	assert_true(up);
	assert_int_equal(mtu, 1400);
	assert_int_equal(uppp_sessif_read(s, buf, sizeof(buf)), -EAGAIN);
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.created, 1);
	assert_int_equal(st.reused, 1);
	assert_int_equal(st.idle, 0);
	assert_int_equal(test_count_links(sk), links + 1);
	/* ... and it carries the new session's traffic. */
	assert_int_equal(uppp_sessif_write(s, pkt, test_build_ping(pkt, b, local, 0x5252, 1)), 0);
	assert_true(wait_readable(uppp_sessif_fd(s)));
	assert_int_equal(uppp_sessif_read(s, buf, sizeof(buf)), 44);
	assert_int_equal(dst_of(buf), b);

	uppp_sessif_pool_free(p);  /* with s still acquired */
	assert_int_equal((int)if_nametoindex("upr0"), 0);
	assert_int_equal(test_count_links(sk), links);
}

static void test_pool_idle_list_is_bounded(void **state)
{
	(void)state;
	struct uppp_sessif_pool *p = pool_new(UPPP_SESSIF_PER_SESSION, "upb%d", 2);
	struct uppp_sessif *s[5];
	struct uppp_sessif_stats st;
	int links = test_count_links(sk);

	for (unsigned i = 0; i < 5; i++)
		s[i] = acquire(p, IP(10, 95, 0, 1), IP(10, 95, 0, 2 + i), 1492);
	assert_int_equal(test_count_links(sk), links + 5);
	for (unsigned i = 0; i < 5; i++)
		uppp_sessif_release(p, s[i]);
	/* Two wait; the three released after them were deleted. */
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.idle, 2);
	assert_int_equal(st.deleted, 3);
	assert_int_equal(test_count_links(sk), links + 2);
	assert_int_not_equal(if_nametoindex("upb0"), 0);
	assert_int_not_equal(if_nametoindex("upb1"), 0);
	assert_int_equal(if_nametoindex("upb4"), 0);
	uppp_sessif_pool_free(p);
	assert_int_equal(test_count_links(sk), links);

	/* idle_max 0: each device goes with its session, as a plain TUN. */
	p = pool_new(UPPP_SESSIF_PER_SESSION, "upz%d", 0);
	s[0] = acquire(p, IP(10, 95, 0, 1), IP(10, 95, 0, 2), 1492);
	uppp_sessif_release(p, s[0]);
	assert_int_equal(if_nametoindex("upz0"), 0);
	uppp_sessif_pool_free(p);
	assert_int_equal(test_count_links(sk), links);
}

/* With a "%d" pattern the pool names its devices: the lowest number that
 * neither one of its devices nor another device holds (a TUN of someone
 * else named like the pattern is skipped, not taken over), and a number
 * comes free when its device is deleted. */
static void test_pool_numbers_its_devices(void **state)
{
	(void)state;
	struct uppp_sessif_pool *p;
	struct uppp_sessif *a, *b, *c;
	struct uppp_tun *foreign = NULL;
	char err[256] = "";
	int links = test_count_links(sk);

	/* someone else's device holds upf1 */
	assert_int_equal(uppp_tun_open(&foreign, "upf1", err, sizeof(err)), 0);
	p = pool_new(UPPP_SESSIF_PER_SESSION, "upf%d", 0);
	a = acquire(p, IP(10, 94, 0, 1), IP(10, 94, 0, 2), 1492);
	b = acquire(p, IP(10, 94, 0, 1), IP(10, 94, 0, 3), 1492);
	assert_string_equal(uppp_sessif_name(a), "upf0");
	assert_string_equal(uppp_sessif_name(b), "upf2");
	uppp_sessif_release(p, a);   /* idle_max 0: deleted, upf0 free again */
	assert_int_equal(if_nametoindex("upf0"), 0);
	c = acquire(p, IP(10, 94, 0, 1), IP(10, 94, 0, 4), 1492);
	assert_string_equal(uppp_sessif_name(c), "upf0");
	uppp_sessif_release(p, b);
	uppp_sessif_release(p, c);
	uppp_sessif_pool_free(p);
	assert_int_not_equal(if_nametoindex("upf1"), 0);   /* never ours */
	uppp_tun_close(foreign);
	assert_int_equal(test_count_links(sk), links);

	/* An exact name is used as given. */
	p = pool_new(UPPP_SESSIF_PER_SESSION, "upexact", 0);
	a = acquire(p, IP(10, 94, 0, 1), IP(10, 94, 0, 2), 1492);
	assert_string_equal(uppp_sessif_name(a), "upexact");
	uppp_sessif_release(p, a);
	uppp_sessif_pool_free(p);
	assert_int_equal(test_count_links(sk), links);
}

/* ---- one shared device ---- */

static void test_shared_routes_and_demux(void **state)
{
	(void)state;
	const uint32_t local = IP(10, 94, 0, 1), a = IP(10, 94, 0, 2), b = IP(10, 94, 0, 3);
	const uint32_t stray = IP(10, 94, 0, 9);
	int links = test_count_links(sk);
	struct uppp_sessif_pool *p = pool_new(UPPP_SESSIF_SHARED, "ups%d", 0);
	struct uppp_sessif_stats st;
	struct uppp_sessif *sa, *sb, *got, *dup = (struct uppp_sessif *)1;
	struct uppp_nl *nl = NULL;
	uint8_t pkt[64], buf[2048];
	char err[256] = "";
	unsigned mtu;
	uint32_t src;
	int up, found, ifx;

	assert_int_equal(test_count_links(sk), links + 1);
	assert_string_equal(uppp_sessif_pool_name(p), "ups0");
	int ifindex = (int)if_nametoindex("ups0");
	assert_int_equal(uppp_sessif_pool_mode(p), UPPP_SESSIF_SHARED);
	link_state(ifindex, &mtu, &up);
	assert_true(up);
	assert_int_equal(mtu, UPPP_SESSIF_SHARED_MTU);

	sa = acquire(p, local, a, 1480);
	sb = acquire(p, local, b, 1400);
	assert_string_equal(uppp_sessif_name(sa), "ups0");
	assert_string_equal(uppp_sessif_name(sb), "ups0");
	assert_int_equal(uppp_sessif_fd(sa), uppp_sessif_pool_fd(p));
	uppp_sessif_set_user(sa, &sa);
	assert_ptr_equal(uppp_sessif_user(sa), &sa);
	/* Our address once, without a peer; a route per session. */
	assert_int_equal(addrs_on(ifindex, local, 0, &found), 1);
	assert_true(found);
	expect_route(a, ifindex, 1480, local);
	expect_route(b, ifindex, 1400, local);
	/* The same peer twice: refused, nothing changed. */
	assert_int_equal(uppp_sessif_acquire(p, local, a, 1492, &dup, err, sizeof(err)), -EEXIST);
	assert_null(dup);
	assert_true(route_to(a, &ifx, &mtu, &src));
	assert_int_equal(mtu, 1480);
	/* A per-session read has nothing to read in this mode. */
	assert_int_equal(uppp_sessif_read(sa, buf, sizeof(buf)), -EOPNOTSUPP);

	/* Each peer pings us through the one device: each answer goes to the
	 * session its destination names. */
	assert_int_equal(uppp_sessif_write(sb, pkt, test_build_ping(pkt, b, local, 0x6262, 1)), 0);
	assert_int_equal(uppp_sessif_write(sa, pkt, test_build_ping(pkt, a, local, 0x6161, 1)), 0);
	for (unsigned seen = 0; seen < 2; ) {
		assert_true(wait_readable(uppp_sessif_pool_fd(p)));
		ssize_t n = uppp_sessif_pool_read(p, buf, sizeof(buf), &got);
		if (n == -EAGAIN)
			continue;
		assert_int_equal(n, 44);
		assert_ptr_equal(got, dst_of(buf) == a ? sa : sb);
		assert_true(dst_of(buf) == a || dst_of(buf) == b);
		seen++;
	}
	/* A packet the kernel routes into the device for no session. */
	assert_int_equal(uppp_nl_open(&nl, err, sizeof(err)), 0);
	assert_int_equal(uppp_nl_route_add(nl, ifindex, stray, local, 1492, err, sizeof(err)), 0);
	{
		int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(stray) };

		assert_true(u >= 0);
		assert_int_equal(sendto(u, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
		close(u);
	}
	for (;;) {
		assert_true(wait_readable(uppp_sessif_pool_fd(p)));
		ssize_t n = uppp_sessif_pool_read(p, buf, sizeof(buf), &got);
		if (n == -EAGAIN)
			continue;
		assert_true(n > 20);
		assert_int_equal(dst_of(buf), stray);
		assert_null(got);
		break;
	}
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.rx_no_session, 1);
	assert_int_equal(st.active, 2);
	assert_int_equal(uppp_nl_route_del(nl, ifindex, stray), 0);
	assert_int_equal(uppp_nl_route_del(nl, ifindex, stray), -ESRCH);

	/* Release: the route goes, the device and the other session stay; the
	 * address can come back (a renegotiation moving the session). */
	uppp_sessif_release(p, sa);
	assert_false(route_to(a, &ifx, &mtu, &src));
	assert_true(route_to(b, &ifx, &mtu, &src));
	sa = acquire(p, local, IP(10, 94, 0, 4), 1492);
	assert_true(route_to(IP(10, 94, 0, 4), &ifx, &mtu, &src));
	assert_int_equal(mtu, 1492);
	uppp_sessif_release(p, sb);
	assert_false(route_to(b, &ifx, &mtu, &src));
	assert_int_equal(test_count_links(sk), links + 1);

	uppp_sessif_pool_free(p);  /* sa still acquired */
	assert_int_equal(if_nametoindex("ups0"), 0);
	assert_false(route_to(IP(10, 94, 0, 4), &ifx, &mtu, &src));
	assert_int_equal(test_count_links(sk), links);
	uppp_nl_close(nl);
}

/* ---- one shared device, routes deferred ---- */

struct refusals {
	unsigned n;
	struct uppp_sessif *s;
	int err;
	char why[160];
	struct uppp_sessif_pool *release_in;   /* set: the callback releases s there, as a runtime does */
};

static void refused(void *ctx, struct uppp_sessif *s, int err, const char *why)
{
	struct refusals *r = ctx;

	r->n++;
	r->s = s;
	r->err = err;
	snprintf(r->why, sizeof(r->why), "%s", why);
	if (r->release_in)
		uppp_sessif_release(r->release_in, s);
}

/* /32 routes in the main table through ifindex. */
static unsigned routes_via(int ifindex)
{
	struct nl_cache *c = NULL;
	unsigned n = 0;

	assert_int_equal(rtnl_route_alloc_cache(sk, AF_INET, 0, &c), 0);
	for (struct nl_object *o = nl_cache_get_first(c); o != NULL; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *d = rtnl_route_get_dst(r);

		n += rtnl_route_get_table(r) == RT_TABLE_MAIN && d != NULL && nl_addr_get_prefixlen(d) == 32 &&
		     rtnl_route_get_nnexthops(r) == 1 &&
		     rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(r, 0)) == ifindex;
	}
	nl_cache_free(c);
	return n;
}

static void test_shared_deferred_routes(void **state)
{
	(void)state;
	const uint32_t local = IP(10, 91, 0, 1), a = IP(10, 91, 0, 2), b = IP(10, 91, 0, 3);
	const uint32_t taken = IP(10, 91, 0, 4), brief = IP(10, 91, 0, 5), e = IP(10, 91, 0, 6);
	struct refusals r = { 0 };
	const struct uppp_sessif_config cfg = { .mode = UPPP_SESSIF_SHARED, .name = "upd%d", .defer_routes = true,
						.route_failed = refused, .ctx = &r };
	struct uppp_sessif_pool *p = NULL;
	struct uppp_sessif_stats st;
	struct uppp_sessif *sa, *sb, *st_, *sd, *se, *many[300];
	struct uppp_nl *nl = NULL;
	char err[256] = "";
	unsigned mtu;
	uint32_t src;
	int ifx;

	assert_int_equal(uppp_sessif_pool_new(&p, &cfg, err, sizeof(err)), 0);
	int ifindex = (int)if_nametoindex(uppp_sessif_pool_name(p));
	assert_true(ifindex > 0);
	/* Someone else's route to `taken` (on lo). */
	assert_int_equal(uppp_nl_open(&nl, err, sizeof(err)), 0);
	assert_int_equal(uppp_nl_route_add(nl, (int)if_nametoindex("lo"), taken, 0, 0, err, sizeof(err)), 0);

	/* Queued: nothing reaches the kernel before the flush. */
	sa = acquire(p, local, a, 1480);
	sb = acquire(p, local, b, 1400);
	st_ = acquire(p, local, taken, 1492);
	assert_false(route_to(a, &ifx, &mtu, &src));
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.route_batches, 0);
	/* One batch; the refused route is reported with its session and why. */
	assert_int_equal(uppp_sessif_pool_flush(p), 1);
	expect_route(a, ifindex, 1480, local);
	expect_route(b, ifindex, 1400, local);
	assert_int_equal(r.n, 1);
	assert_ptr_equal(r.s, st_);
	assert_int_equal(r.err, -EEXIST);
	assert_non_null(strstr(r.why, "exists already"));
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.route_batches, 1);
	assert_int_equal(st.route_requests, 3);
	assert_int_equal(uppp_sessif_pool_flush(p), 0);   /* nothing queued: no batch */
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.route_batches, 1);
	/* Released, the refused session deletes nothing: the foreign route stays. */
	uppp_sessif_release(p, st_);
	assert_int_equal(uppp_sessif_pool_flush(p), 0);
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.route_batches, 1);   /* no request went */
	assert_true(route_to(taken, &ifx, &mtu, &src));
	assert_int_equal(ifx, (int)if_nametoindex("lo"));

	/* Acquired and released before the flush: added and deleted in order. */
	sd = acquire(p, local, brief, 1492);
	uppp_sessif_release(p, sd);
	/* The same peer again in the same batch. */
	sd = acquire(p, local, brief, 1300);
	assert_int_equal(uppp_sessif_pool_flush(p), 0);
	assert_true(route_to(brief, &ifx, &mtu, &src));
	assert_int_equal(mtu, 1300);
	uppp_sessif_release(p, sd);
	assert_int_equal(uppp_sessif_pool_flush(p), 0);
	assert_false(route_to(brief, &ifx, &mtu, &src));

	/* Settle: the session's own answer, returned, not reported. */
	se = acquire(p, local, e, 1492);
	assert_int_equal(uppp_sessif_settle(p, se, err, sizeof(err)), 0);
	assert_true(route_to(e, &ifx, &mtu, &src));
	st_ = acquire(p, local, taken, 1492);
	err[0] = '\0';
	assert_int_equal(uppp_sessif_settle(p, st_, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "exists already"));
	assert_int_equal(r.n, 1);
	uppp_sessif_release(p, st_);

	/* A refusal whose callback releases the session, as a runtime does. */
	r.release_in = p;
	st_ = acquire(p, local, taken, 1492);
	assert_int_equal(uppp_sessif_pool_flush(p), 1);
	assert_int_equal(r.n, 2);
	r.release_in = NULL;
	assert_true(route_to(taken, &ifx, &mtu, &src));

	/* More than a batch holds: each full batch goes when the next is queued. */
	unsigned before = routes_via(ifindex);
	uppp_sessif_pool_stats(p, &st);
	uint64_t batches = st.route_batches;
	for (unsigned i = 0; i < 300; i++)
		many[i] = acquire(p, local, IP(10, 91, 1, 0) + i, 1492);
	uppp_sessif_pool_stats(p, &st);
	assert_int_equal(st.route_batches - batches, 300 / UPPP_RTBATCH_MAX);
	assert_int_equal(uppp_sessif_pool_flush(p), 0);
	assert_int_equal(routes_via(ifindex), before + 300);
	for (unsigned i = 0; i < 300; i++)
		uppp_sessif_release(p, many[i]);
	assert_int_equal(uppp_sessif_pool_flush(p), 0);
	assert_int_equal(routes_via(ifindex), before);
	assert_int_equal(r.n, 2);

	uppp_sessif_release(p, sa);
	assert_ptr_equal(uppp_sessif_user(sb), NULL);
	/* Freed with a request queued that will be refused: sent first, while
	 * its session is still there, and not reported to the going owner. */
	st_ = acquire(p, local, taken, 1492);
	assert_ptr_equal(uppp_sessif_user(st_), NULL);
	uppp_sessif_pool_free(p);   /* sb still acquired: its route goes with the device */
	assert_int_equal(r.n, 2);
	assert_false(route_to(b, &ifx, &mtu, &src));
	assert_int_equal(uppp_nl_route_del(nl, (int)if_nametoindex("lo"), taken), 0);
	uppp_nl_close(nl);
}

/* Answers the kernel drops (a receive buffer too small for them): the
 * requests were carried out all the same; the tagged ones without an answer
 * are reported with -ENOBUFS, the answered ones are not. */
struct lost {
	unsigned n, nobufs;
};

static void count_lost(void *ctx, void *tag, int err)
{
	struct lost *l = ctx;

	(void)tag;
	l->n++;
	l->nobufs += err == -ENOBUFS;
}

static void test_rtbatch_lost_answers(void **state)
{
	(void)state;
	struct uppp_rtbatch *b = NULL;
	struct uppp_tun *t = NULL;
	struct lost l = { 0 };
	char err[256] = "";
	int tiny = 1;

	assert_int_equal(uppp_tun_open(&t, "upl%d", err, sizeof(err)), 0);
	int ifindex = uppp_tun_ifindex(t);
	struct uppp_nl *nl = NULL;
	assert_int_equal(uppp_nl_open(&nl, err, sizeof(err)), 0);
	assert_int_equal(uppp_nl_link_up(nl, ifindex, 1500, err, sizeof(err)), 0);
	assert_int_equal(uppp_rtbatch_open(&b, err, sizeof(err)), 0);
	/* the kernel's least: a few answers fit */
	assert_int_equal(setsockopt(uppp_rtbatch_fd(b), SOL_SOCKET, SO_RCVBUF, &tiny, sizeof(tiny)), 0);
	for (unsigned i = 0; i < UPPP_RTBATCH_MAX; i++)
		assert_int_equal(uppp_rtbatch_route_add(b, ifindex, IP(10, 90, 0, 0) + i, 0, 1400, &l), 0);
	assert_int_equal(uppp_rtbatch_route_add(b, ifindex, IP(10, 90, 1, 0), 0, 1400, &l), -ENOBUFS);
	int rc = uppp_rtbatch_send(b, count_lost, &l);
	assert_true(rc > 0 && rc < UPPP_RTBATCH_MAX);   /* some answered, the rest lost */
	assert_int_equal(l.n, (unsigned)rc);
	assert_int_equal(l.nobufs, l.n);
	assert_int_equal(routes_via(ifindex), UPPP_RTBATCH_MAX);   /* each was made */
	for (unsigned i = 0; i < UPPP_RTBATCH_MAX; i++)
		assert_int_equal(uppp_rtbatch_route_del(b, ifindex, IP(10, 90, 0, 0) + i), 0);
	assert_int_equal(uppp_rtbatch_send(b, count_lost, &l), 0);   /* untagged: nothing reported */
	assert_int_equal(routes_via(ifindex), 0);
	assert_int_equal(uppp_rtbatch_queued(b), 0);
	uppp_rtbatch_close(b);
	uppp_nl_close(nl);
	uppp_tun_close(t);
}

static void test_shared_name_taken(void **state)
{
	(void)state;
	const struct uppp_sessif_config cfg = { .mode = UPPP_SESSIF_SHARED, .name = "lo" };
	struct uppp_sessif_pool *p = (struct uppp_sessif_pool *)1;
	char err[256] = "";
	int links = test_count_links(sk);

	assert_true(uppp_sessif_pool_new(&p, &cfg, err, sizeof(err)) < 0);
	assert_null(p);
	assert_int_equal(test_count_links(sk), links);
}

/* ---- figures (printed, never asserted) ---- */

#define ROUNDS 200

static void measure_cycle(const char *what, enum uppp_sessif_mode mode, unsigned idle_max)
{
	struct uppp_sessif_pool *p = pool_new(mode, "upm%d", idle_max);
	uint64_t acq = 0, rel = 0;

	for (unsigned i = 0; i < ROUNDS; i++) {
		uint64_t t0 = now_us();
		struct uppp_sessif *s = acquire(p, IP(10, 93, 0, 1), IP(10, 93, 1, 0) + i, 1492);
		uint64_t t1 = now_us();
		uppp_sessif_release(p, s);
		acq += t1 - t0;
		rel += now_us() - t1;
	}
	uint64_t t0 = now_us();
	uppp_sessif_pool_free(p);
	print_message("sessif: %-34s acquire %7.1f us, release %7.1f us (mean of %u), pool free %.1f ms\n", what,
		      (double)acq / ROUNDS, (double)rel / ROUNDS, ROUNDS, (double)(now_us() - t0) / 1000.0);
}

static void measure_many(const char *what, enum uppp_sessif_mode mode, unsigned n, bool release_first, bool defer)
{
	const struct uppp_sessif_config cfg = { .mode = mode, .name = "upn%d", .idle_max = release_first ? 0 : n,
						.defer_routes = defer };
	struct uppp_sessif_pool *p = NULL;
	struct uppp_sessif **s = calloc(n, sizeof(*s));
	char err[256] = "";

	assert_int_equal(uppp_sessif_pool_new(&p, &cfg, err, sizeof(err)), 0);
	assert_non_null(s);
	uint64_t t0 = now_us();
	for (unsigned i = 0; i < n; i++)
		s[i] = acquire(p, IP(10, 92, 0, 1), IP(10, 92, 1, 0) + i, 1492);
	assert_int_equal(uppp_sessif_pool_flush(p), 0);
	uint64_t t1 = now_us();
	for (unsigned i = 0; i < n; i++)
		uppp_sessif_release(p, s[i]);
	assert_int_equal(uppp_sessif_pool_flush(p), 0);
	uint64_t t2 = now_us();
	uppp_sessif_pool_free(p);
	uint64_t t3 = now_us();
	print_message("sessif: %-34s %u up %.1f ms, %u down %.1f ms, pool free %.1f ms\n", what, n,
		      (double)(t1 - t0) / 1000.0, n, (double)(t2 - t1) / 1000.0, (double)(t3 - t2) / 1000.0);
	free(s);
}

static void test_figures(void **state)
{
	(void)state;
	int links = test_count_links(sk);

	measure_cycle("per-session, device reused:", UPPP_SESSIF_PER_SESSION, 4);
	measure_cycle("shared, route added/removed:", UPPP_SESSIF_SHARED, 0);
	measure_many("per-session, each deleted on release:", UPPP_SESSIF_PER_SESSION, 50, true, false);
	measure_many("per-session, kept, deleted at free:", UPPP_SESSIF_PER_SESSION, 500, false, false);
	measure_many("shared, each route alone:", UPPP_SESSIF_SHARED, 5000, false, false);
	measure_many("shared, routes in batches:", UPPP_SESSIF_SHARED, 5000, false, true);
	assert_int_equal(test_count_links(sk), links);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_reuses_released_device),
		cmocka_unit_test(test_pool_idle_list_is_bounded),
		cmocka_unit_test(test_pool_numbers_its_devices),
		cmocka_unit_test(test_shared_routes_and_demux),
		cmocka_unit_test(test_shared_deferred_routes),
		cmocka_unit_test(test_rtbatch_lost_answers),
		cmocka_unit_test(test_shared_name_taken),
		cmocka_unit_test(test_figures),
	};

	if (geteuid() != 0) {
		printf("test_sessif: SKIPPED: needs root\n");
		return 77;
	}
	if (access("/dev/net/tun", R_OK | W_OK) != 0) {
		printf("test_sessif: SKIPPED: no /dev/net/tun\n");
		return 77;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		printf("test_sessif: SKIPPED: cannot create a network namespace\n");
		return 77;
	}
	sk = nl_socket_alloc();
	if (sk == NULL || nl_connect(sk, NETLINK_ROUTE) < 0)
		return 1;
	if (system("ip link set lo up") != 0)
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	nl_socket_free(sk);
	return rc;
}
