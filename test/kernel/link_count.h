/* test/kernel/link_count.h — how many network interfaces the kernel has,
 * for the kernel tests that check a TUN was made or removed (test_netif.c,
 * test_sessif.c). */
#ifndef UPPP_TEST_LINK_COUNT_H
#define UPPP_TEST_LINK_COUNT_H

#include <sys/socket.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>

/* The links in this network namespace, read through sk (NETLINK_ROUTE,
 * connected), or -1 when they cannot be read. */
static inline int test_count_links(struct nl_sock *sk)
{
	struct nl_cache *c = NULL;
	int n;

	if (rtnl_link_alloc_cache(sk, AF_UNSPEC, &c) < 0)
		return -1;
	n = nl_cache_nitems(c);
	nl_cache_free(c);
	return n;
}

#endif
