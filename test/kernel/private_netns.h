/* test/kernel/private_netns.h — a network namespace of the test's own with
 * a veth pair, for the kernel tests that run the host glue or whole runtimes
 * on real interfaces (test_host.c, test_host_batch.c). */
#ifndef UPPP_TEST_PRIVATE_NETNS_H
#define UPPP_TEST_PRIVATE_NETNS_H

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Moves this process into a network namespace of its own (it vanishes with
 * every interface in it when the process exits), with lo up and the veth
 * pair a - b, both up. NULL, or why it cannot: the caller's cases skip.
 * Needs _GNU_SOURCE (unshare) defined before the first include. */
static inline const char *test_private_netns_veth(const char *a, const char *b)
{
	char cmd[256];

	if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) != 0)
		return "need root and /dev/net/tun";
	if (unshare(CLONE_NEWNET) != 0)
		return "cannot unshare a network namespace";
	snprintf(cmd, sizeof(cmd), "ip link set lo up && ip link add %s type veth peer name %s"
		 " && ip link set %s up && ip link set %s up", a, b, a, b);
	if (system(cmd) != 0)
		return "cannot make a veth pair with ip(8)";
	return NULL;
}

#endif
