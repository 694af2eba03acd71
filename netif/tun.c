/* netif/tun.c — TUN devices (IFF_TUN | IFF_NO_PI: no extra header). */
#include "netif/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "netif/seterr.h"

struct uppp_tun {
	int fd;
	int ifindex;
	char name[IFNAMSIZ];
};

int uppp_tun_open(struct uppp_tun **out, const char *name, char *err, size_t errcap)
{
	struct uppp_tun *t;
	struct ifreq ifr;
	int fd, rc;

	*out = NULL;
	if (name == NULL || name[0] == '\0' || strlen(name) >= IFNAMSIZ) {
		uppp_seterr(err, errcap, "interface name empty or longer than %d characters",
		       IFNAMSIZ - 1);
		return -EINVAL;
	}
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		uppp_seterr(err, errcap, "/dev/net/tun: %s%s", strerror(-rc),
		       rc == -ENOENT ? " (is the tun module loaded?)" : "");
		return rc;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rc = -errno;
		if (rc == -EBUSY)
			uppp_seterr(err, errcap, "%s: interface exists and is not ours", name);
		else if (rc == -EPERM)
			uppp_seterr(err, errcap, "%s: creating a TUN device needs CAP_NET_ADMIN", name);
		else
			uppp_seterr(err, errcap, "%s: cannot create TUN device: %s", name,
			       strerror(-rc));
		close(fd);
		return rc;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		close(fd);
		uppp_seterr(err, errcap, "%s: out of memory", name);
		return -ENOMEM;
	}
	t->fd = fd;
	memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
	t->name[IFNAMSIZ - 1] = '\0';
	t->ifindex = (int)if_nametoindex(t->name);
	if (t->ifindex == 0) {
		rc = -errno;
		uppp_seterr(err, errcap, "%s: cannot read interface index: %s", t->name,
		       strerror(-rc));
		uppp_tun_close(t);
		return rc;
	}
	*out = t;
	return 0;
}

void uppp_tun_close(struct uppp_tun *t)
{
	if (t == NULL)
		return;
	close(t->fd);
	free(t);
}

int uppp_tun_fd(const struct uppp_tun *t) { return t->fd; }
const char *uppp_tun_name(const struct uppp_tun *t) { return t->name; }
int uppp_tun_ifindex(const struct uppp_tun *t) { return t->ifindex; }

ssize_t uppp_tun_read(struct uppp_tun *t, uint8_t *buf, size_t cap)
{
	ssize_t n = read(t->fd, buf, cap);

	if (n < 0)
		return -errno;
	/* With IFF_NO_PI a packet longer than cap is cut to cap bytes. */
	if ((size_t)n == cap)
		return -EMSGSIZE;
	return n;
}

int uppp_tun_write(struct uppp_tun *t, const uint8_t *pkt, size_t len)
{
	ssize_t n = write(t->fd, pkt, len);

	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}
