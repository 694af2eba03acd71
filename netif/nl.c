/* netif/nl.c — rtnetlink through libnl-3 route. */
#include "netif/nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netif/seterr.h"

struct uppp_nl {
	struct nl_sock *sk;
};

/* libnl returns its own -NLE_* codes; callers get -errno. */
static int nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
	case NLE_MSG_TOOSHORT:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_NOACCESS:
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_BAD_SOCK:
		return -EBADF;
	default:
		return -EIO;
	}
}

int uppp_nl_open(struct uppp_nl **out, char *err, size_t errcap)
{
	struct uppp_nl *nl;
	int rc;

	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (nl == NULL) {
		uppp_seterr(err, errcap, "netlink: out of memory");
		return -ENOMEM;
	}
	nl->sk = nl_socket_alloc();
	if (nl->sk == NULL) {
		free(nl);
		uppp_seterr(err, errcap, "netlink: out of memory");
		return -ENOMEM;
	}
	rc = nl_connect(nl->sk, NETLINK_ROUTE);
	if (rc < 0) {
		uppp_seterr(err, errcap, "netlink: cannot open route socket: %s", nl_geterror(rc));
		nl_socket_free(nl->sk);
		free(nl);
		return nlerr_to_errno(rc);
	}
	*out = nl;
	return 0;
}

void uppp_nl_close(struct uppp_nl *nl)
{
	if (nl == NULL)
		return;
	nl_socket_free(nl->sk);  /* also closes it */
	free(nl);
}

static void ifname_of(int ifindex, char name[IF_NAMESIZE])
{
	if (if_indextoname((unsigned)ifindex, name) == NULL)
		snprintf(name, IF_NAMESIZE, "ifindex %d", ifindex);
}

/* Changes one thing on the link: its MTU (mtu > 0) or its UP flag. */
static int link_change(struct uppp_nl *nl, int ifindex, unsigned mtu, int up)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	int rc;

	if (orig == NULL || chg == NULL) {
		rc = -NLE_NOMEM;
		goto out;
	}
	rtnl_link_set_ifindex(orig, ifindex);
	if (mtu > 0)
		rtnl_link_set_mtu(chg, mtu);
	if (up)
		rtnl_link_set_flags(chg, IFF_UP);
	rc = rtnl_link_change(nl->sk, orig, chg, 0);
out:
	rtnl_link_put(chg);
	rtnl_link_put(orig);
	return rc;
}

static struct nl_addr *ipv4_addr32(uint32_t ip)
{
	uint32_t be = htonl(ip);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, sizeof(be));

	if (a != NULL)
		nl_addr_set_prefixlen(a, 32);
	return a;
}

static int add_p2p_address(struct uppp_nl *nl, int ifindex, uint32_t local_ip, uint32_t peer_ip)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = ipv4_addr32(local_ip), *peer = ipv4_addr32(peer_ip);
	int rc;

	if (ra == NULL || local == NULL || peer == NULL) {
		rc = -NLE_NOMEM;
		goto out;
	}
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	rc = rtnl_addr_set_local(ra, local);
	if (rc == 0)
		rc = rtnl_addr_set_peer(ra, peer);
	if (rc < 0)
		goto out;
	rtnl_addr_set_prefixlen(ra, 32);
	rc = rtnl_addr_add(nl->sk, ra, NLM_F_REPLACE);
out:
	nl_addr_put(peer);
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return rc;
}

static void ip_text(uint32_t ip, char out[INET_ADDRSTRLEN])
{
	uint32_t be = htonl(ip);

	inet_ntop(AF_INET, &be, out, INET_ADDRSTRLEN);
}

/* A session interface carries IPv4 only (no IPv6CP yet): keep the kernel
 * from giving it a link-local address and sending router solicitations and
 * MLD reports into it, which would only be dropped (and would look like
 * traffic). Best effort: a kernel without IPv6 has no such file. */
static void disable_ipv6(const char *name)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = write(fd, "1", 1);
	(void)n;
	close(fd);
}

int uppp_nl_configure_p2p(struct uppp_nl *nl, int ifindex, uint32_t local_ip, uint32_t peer_ip,
			  uint16_t mtu, char *err, size_t errcap)
{
	char name[IF_NAMESIZE], l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];
	int rc;

	ifname_of(ifindex, name);
	if (ifindex <= 0 || mtu == 0) {
		uppp_seterr(err, errcap, "%s: invalid interface index or MTU 0", name);
		return -EINVAL;
	}
	rc = link_change(nl, ifindex, mtu, 0);
	if (rc < 0) {
		uppp_seterr(err, errcap, "%s: cannot set MTU %u: %s", name, (unsigned)mtu,
		       nl_geterror(rc));
		return nlerr_to_errno(rc);
	}
	rc = add_p2p_address(nl, ifindex, local_ip, peer_ip);
	if (rc < 0) {
		ip_text(local_ip, l);
		ip_text(peer_ip, p);
		uppp_seterr(err, errcap, "%s: cannot add address %s peer %s/32: %s", name, l, p,
		       nl_geterror(rc));
		return nlerr_to_errno(rc);
	}
	disable_ipv6(name);
	rc = link_change(nl, ifindex, 0, 1);
	if (rc < 0) {
		uppp_seterr(err, errcap, "%s: cannot bring interface up: %s", name, nl_geterror(rc));
		return nlerr_to_errno(rc);
	}
	return 0;
}

int uppp_nl_link_exists(struct uppp_nl *nl, const char *ifname)
{
	struct rtnl_link *link = NULL;
	int rc;

	if (ifname == NULL || ifname[0] == '\0' || strlen(ifname) >= IF_NAMESIZE)
		return -EINVAL;
	rc = rtnl_link_get_kernel(nl->sk, 0, ifname, &link);
	if (rc == 0) {
		rtnl_link_put(link);
		return 1;
	}
	if (rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV)
		return 0;
	return nlerr_to_errno(rc);
}
