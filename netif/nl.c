/* netif/nl.c — rtnetlink through libnl-3 route. */
#include "netif/nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdbool.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
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

/* Changes the link: its MTU (mtu > 0), its UP flag (up 1: set, -1: clear,
 * 0: leave). */
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
	if (up > 0)
		rtnl_link_set_flags(chg, IFF_UP);
	else if (up < 0)
		rtnl_link_unset_flags(chg, IFF_UP);
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

/* One IPv4 address, local/32 with peer/32 (peer_ip 0: none), added
 * (del false) or deleted. */
static int p2p_address(struct uppp_nl *nl, int ifindex, uint32_t local_ip, uint32_t peer_ip, bool del)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = ipv4_addr32(local_ip), *peer = peer_ip ? ipv4_addr32(peer_ip) : NULL;
	int rc;

	if (ra == NULL || local == NULL || (peer_ip && peer == NULL)) {
		rc = -NLE_NOMEM;
		goto out;
	}
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	rc = rtnl_addr_set_local(ra, local);
	if (rc == 0 && peer != NULL)
		rc = rtnl_addr_set_peer(ra, peer);
	if (rc < 0)
		goto out;
	rtnl_addr_set_prefixlen(ra, 32);
	rc = del ? rtnl_addr_delete(nl->sk, ra, 0) : rtnl_addr_add(nl->sk, ra, NLM_F_REPLACE);
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
	rc = p2p_address(nl, ifindex, local_ip, peer_ip, false);
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

int uppp_nl_unconfigure_p2p(struct uppp_nl *nl, int ifindex, uint32_t local_ip, uint32_t peer_ip,
			    char *err, size_t errcap)
{
	char name[IF_NAMESIZE];
	int rc = p2p_address(nl, ifindex, local_ip, peer_ip, true);

	if (rc < 0 && rc != -NLE_OBJ_NOTFOUND && rc != -NLE_NOADDR) {
		ifname_of(ifindex, name);
		uppp_seterr(err, errcap, "%s: cannot remove the address: %s", name, nl_geterror(rc));
		return nlerr_to_errno(rc);
	}
	rc = link_change(nl, ifindex, 0, -1);
	if (rc < 0) {
		ifname_of(ifindex, name);
		uppp_seterr(err, errcap, "%s: cannot bring interface down: %s", name, nl_geterror(rc));
		return nlerr_to_errno(rc);
	}
	return 0;
}

int uppp_nl_link_up(struct uppp_nl *nl, int ifindex, unsigned mtu, char *err, size_t errcap)
{
	char name[IF_NAMESIZE];
	int rc;

	ifname_of(ifindex, name);
	disable_ipv6(name);
	rc = link_change(nl, ifindex, mtu, 1);
	if (rc < 0) {
		uppp_seterr(err, errcap, "%s: cannot set MTU %u and bring it up: %s", name, mtu, nl_geterror(rc));
		return nlerr_to_errno(rc);
	}
	return 0;
}

int uppp_nl_add_local(struct uppp_nl *nl, int ifindex, uint32_t local_ip, char *err, size_t errcap)
{
	char name[IF_NAMESIZE], l[INET_ADDRSTRLEN];
	int rc = p2p_address(nl, ifindex, local_ip, 0, false);

	if (rc < 0) {
		ifname_of(ifindex, name);
		ip_text(local_ip, l);
		uppp_seterr(err, errcap, "%s: cannot add address %s/32: %s", name, l, nl_geterror(rc));
		return nlerr_to_errno(rc);
	}
	return 0;
}

/* PEER/32 via ifindex in the main table; src and mtu when not 0. */
static struct rtnl_route *host_route(int ifindex, uint32_t peer_ip, uint32_t src_ip, unsigned mtu)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = ipv4_addr32(peer_ip), *src = src_ip ? ipv4_addr32(src_ip) : NULL;
	bool ok = r != NULL && nh != NULL && dst != NULL && (!src_ip || src != NULL);

	if (ok) {
		rtnl_route_set_family(r, AF_INET);
		rtnl_route_set_table(r, RT_TABLE_MAIN);
		rtnl_route_set_scope(r, RT_SCOPE_LINK);
		rtnl_route_set_protocol(r, RTPROT_STATIC);
		rtnl_route_set_type(r, RTN_UNICAST);
		ok = rtnl_route_set_dst(r, dst) == 0 && (src == NULL || rtnl_route_set_pref_src(r, src) == 0) &&
		     (mtu == 0 || rtnl_route_set_metric(r, RTAX_MTU, mtu) == 0);
	}
	if (ok) {
		rtnl_route_nh_set_ifindex(nh, ifindex);
		rtnl_route_add_nexthop(r, nh);  /* r owns nh now */
		nh = NULL;
	}
	if (nh != NULL)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	nl_addr_put(src);
	if (!ok) {
		rtnl_route_put(r);
		return NULL;
	}
	return r;
}

int uppp_nl_route_add(struct uppp_nl *nl, int ifindex, uint32_t peer_ip, uint32_t local_ip, unsigned mtu,
		      char *err, size_t errcap)
{
	char name[IF_NAMESIZE], p[INET_ADDRSTRLEN];
	struct rtnl_route *r = host_route(ifindex, peer_ip, local_ip, mtu);
	int rc = r ? rtnl_route_add(nl->sk, r, NLM_F_EXCL) : -NLE_NOMEM;

	rtnl_route_put(r);
	if (rc < 0) {
		ifname_of(ifindex, name);
		ip_text(peer_ip, p);
		uppp_seterr(err, errcap, "%s: cannot add route %s/32 mtu %u: %s", name, p, mtu,
			    rc == -NLE_EXIST ? "a route to that address exists already" : nl_geterror(rc));
		return nlerr_to_errno(rc);
	}
	return 0;
}

int uppp_nl_route_del(struct uppp_nl *nl, int ifindex, uint32_t peer_ip)
{
	struct rtnl_route *r = host_route(ifindex, peer_ip, 0, 0);
	int rc = r ? rtnl_route_delete(nl->sk, r, 0) : -NLE_NOMEM;

	rtnl_route_put(r);
	if (rc == -NLE_OBJ_NOTFOUND)
		return -ESRCH;
	return nlerr_to_errno(rc);
}

/* A link group no interface is in now (never 0, the default group). */
static int unused_group(struct uppp_nl *nl, uint32_t *out)
{
	struct nl_cache *c = NULL;
	uint32_t g = 0x75707070;  /* "uppp" */
	int rc = rtnl_link_alloc_cache(nl->sk, AF_UNSPEC, &c);

	if (rc < 0)
		return rc;
	for (bool taken = true; taken; ) {
		taken = false;
		for (struct nl_object *o = nl_cache_get_first(c); o != NULL; o = nl_cache_get_next(o))
			if (rtnl_link_get_group((struct rtnl_link *)o) == g)
				taken = true;
		if (taken)
			g++;
	}
	nl_cache_free(c);
	*out = g;
	return 0;
}

static int link_set_group(struct uppp_nl *nl, int ifindex, uint32_t group)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	int rc = -NLE_NOMEM;

	if (orig != NULL && chg != NULL) {
		rtnl_link_set_ifindex(orig, ifindex);
		rtnl_link_set_group(chg, group);
		rc = rtnl_link_change(nl->sk, orig, chg, 0);
	}
	rtnl_link_put(chg);
	rtnl_link_put(orig);
	return rc;
}

int uppp_nl_delete_links(struct uppp_nl *nl, const int *ifindex, size_t n)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg;
	uint32_t group;
	int rc;

	if (n == 0)
		return 0;
	rc = unused_group(nl, &group);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = link_set_group(nl, ifindex[i], group);
	if (rc < 0)
		return nlerr_to_errno(rc);  /* those already in the group are deleted on close */
	/* libnl's rtnl_link_delete names one link; a group needs the bare request. */
	msg = nlmsg_alloc_simple(RTM_DELLINK, 0);
	if (msg == NULL)
		return -ENOMEM;
	rc = nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	if (rc == 0)
		rc = nla_put_u32(msg, IFLA_GROUP, group);
	if (rc == 0)
		rc = nl_send_auto(nl->sk, msg);
	if (rc >= 0)
		rc = nl_wait_for_ack(nl->sk);
	nlmsg_free(msg);
	return rc < 0 ? nlerr_to_errno(rc) : 0;
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
