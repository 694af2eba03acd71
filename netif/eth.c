/* netif/eth.c — PPPoE Ethernet I/O through libpcap.
 *
 * Why these pcap settings:
 * - promiscuous mode off: PPPoE needs only frames to our MAC and broadcast
 *   (PADI), which the NIC accepts anyway. Some drivers (veth, bridges) still
 *   pass frames for other hosts up, so the BPF filter also checks the
 *   destination MAC.
 * - immediate mode on: libpcap then reads a TPACKET_V2 ring, where each frame
 *   is ours as soon as the kernel wrote it. TPACKET_V3's blocks are handed
 *   over only when full or a block timeout (at least 1 ms) after they were
 *   opened: every frame of an idle link waited for that (a ping through a
 *   uppp client and server took 1.7 ms instead of 0.1). Batching stays: the
 *   host drains up to UPPP_HOST_BATCH frames per wakeup, and under load the
 *   ring is never empty, so there is no wakeup per frame either.
 * - direction "in": frames we send are not looped back to us.
 *
 * Sending does not go through libpcap: pcap_inject() is one send() per
 * frame. Frames are queued (copied into one of UPPP_ETH_TX_BATCH slots) and
 * leave with one sendmmsg() on a send-only AF_PACKET socket of our own when
 * the host flushes after each event, or when the queue is full. */
#define _GNU_SOURCE  /* sendmmsg */
#include "netif/eth.h"

#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netif/seterr.h"

#define ETH_ALEN_ 6
#define ETH_HDR_LEN 14
#define MIN_SNAPLEN 1600

struct uppp_eth {
	pcap_t *pcap;
	int fd;
	int ifindex;
	int mtu;
	uint8_t mac[ETH_ALEN_];
	char name[IFNAMSIZ];
	/* During one dispatch call: */
	uppp_eth_rx_cb cb;
	void *cb_ctx;
	int handed;
	struct uppp_eth_stats stats;
	size_t rxcap;
	uint8_t *rxbuf;  /* rxcap bytes: the mutable copy handed to cb */
	/* Sending: frames queued in txbuf (UPPP_ETH_TX_BATCH slots of rxcap
	 * bytes) until uppp_eth_flush(). */
	int txfd;
	unsigned ntx;
	uint8_t *txbuf;
	struct mmsghdr txmsg[UPPP_ETH_TX_BATCH];
	struct iovec txiov[UPPP_ETH_TX_BATCH];
};

/* Reads MAC, MTU and index of ifname; fails unless it is Ethernet. */
static int read_link_info(struct uppp_eth *e, char *err, size_t errcap)
{
	struct ifreq ifr;
	int s, rc = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		rc = -errno;
		uppp_seterr(err, errcap, "%s: socket: %s", e->name, strerror(-rc));
		return rc;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, e->name, sizeof(ifr.ifr_name));
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0) {
		rc = -errno;
		if (rc == -ENODEV)
			uppp_seterr(err, errcap, "%s: no such interface", e->name);
		else
			uppp_seterr(err, errcap, "%s: cannot read MAC address: %s", e->name,
			       strerror(-rc));
		goto out;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		rc = -EINVAL;
		uppp_seterr(err, errcap, "%s: not an Ethernet interface (link type %u)", e->name,
		       (unsigned)ifr.ifr_hwaddr.sa_family);
		goto out;
	}
	memcpy(e->mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN_);
	if (ioctl(s, SIOCGIFMTU, &ifr) < 0) {
		rc = -errno;
		uppp_seterr(err, errcap, "%s: cannot read MTU: %s", e->name, strerror(-rc));
		goto out;
	}
	e->mtu = ifr.ifr_mtu;
	if (ioctl(s, SIOCGIFINDEX, &ifr) < 0) {
		rc = -errno;
		uppp_seterr(err, errcap, "%s: cannot read interface index: %s", e->name,
		       strerror(-rc));
		goto out;
	}
	e->ifindex = ifr.ifr_ifindex;
out:
	close(s);
	return rc;
}

static int pcap_status_to_errno(int status)
{
	switch (status) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return -ENODEV;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return -EPERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		return -ENETDOWN;
	case PCAP_ERROR_ACTIVATED:
		return -EBUSY;
	default:
		return -EIO;
	}
}

static int install_filter(struct uppp_eth *e, char *err, size_t errcap)
{
	struct bpf_program prog;
	char expr[160];
	const uint8_t *m = e->mac;

	/* RFC 2516: discovery 0x8863, session 0x8864. */
	snprintf(expr, sizeof(expr),
		 "(ether dst %02x:%02x:%02x:%02x:%02x:%02x or ether broadcast) and "
		 "(ether proto 0x8863 or ether proto 0x8864)",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	if (pcap_compile(e->pcap, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		uppp_seterr(err, errcap, "%s: pcap filter: %s", e->name, pcap_geterr(e->pcap));
		return -EINVAL;
	}
	if (pcap_setfilter(e->pcap, &prog) < 0) {
		uppp_seterr(err, errcap, "%s: pcap filter: %s", e->name, pcap_geterr(e->pcap));
		pcap_freecode(&prog);
		return -EIO;
	}
	pcap_freecode(&prog);
	return 0;
}

static int setup_pcap(struct uppp_eth *e, char *err, size_t errcap)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	int rc, snaplen = e->mtu + ETH_HDR_LEN + 4;  /* room for one VLAN tag */

	if (snaplen < MIN_SNAPLEN)
		snaplen = MIN_SNAPLEN;
	e->rxcap = (size_t)snaplen;
	e->rxbuf = malloc(e->rxcap);
	if (e->rxbuf == NULL) {
		uppp_seterr(err, errcap, "%s: out of memory", e->name);
		return -ENOMEM;
	}
	e->pcap = pcap_create(e->name, errbuf);
	if (e->pcap == NULL) {
		uppp_seterr(err, errcap, "%s: pcap: %s", e->name, errbuf);
		return -ENOMEM;
	}
	if (pcap_set_snaplen(e->pcap, snaplen) != 0 || pcap_set_promisc(e->pcap, 0) != 0 ||
	    pcap_set_immediate_mode(e->pcap, 1) != 0 ||
	    pcap_set_timeout(e->pcap, UPPP_ETH_TIMEOUT_MS) != 0 ||
	    pcap_set_buffer_size(e->pcap, UPPP_ETH_BUFFER_BYTES) != 0) {
		uppp_seterr(err, errcap, "%s: pcap: cannot set capture options", e->name);
		return -EIO;
	}
	rc = pcap_activate(e->pcap);
	if (rc < 0) {
		const char *why = pcap_geterr(e->pcap);

		uppp_seterr(err, errcap, "%s: pcap: %s%s%s", e->name, pcap_statustostr(rc),
		       why[0] ? ": " : "", why);
		return pcap_status_to_errno(rc);
	}
	/* rc > 0 is a warning (e.g. timestamp type not supported): harmless. */
	if (pcap_datalink(e->pcap) != DLT_EN10MB) {
		uppp_seterr(err, errcap, "%s: pcap: link type %s is not Ethernet", e->name,
		       pcap_datalink_val_to_name(pcap_datalink(e->pcap)));
		return -EINVAL;
	}
	if (pcap_setdirection(e->pcap, PCAP_D_IN) != 0) {
		uppp_seterr(err, errcap, "%s: pcap: cannot capture inbound only: %s", e->name,
		       pcap_geterr(e->pcap));
		return -EIO;
	}
	rc = install_filter(e, err, errcap);
	if (rc < 0)
		return rc;
	if (pcap_setnonblock(e->pcap, 1, errbuf) != 0) {
		uppp_seterr(err, errcap, "%s: pcap: %s", e->name, errbuf);
		return -EIO;
	}
	e->fd = pcap_get_selectable_fd(e->pcap);
	if (e->fd < 0) {
		uppp_seterr(err, errcap, "%s: pcap: no selectable descriptor", e->name);
		return -EIO;
	}
	/* The frames we send are not even copied into the ring (libpcap's
	 * direction check drops them only after the kernel copied each one:
	 * a cost per packet downstream). Linux 4.20 and later; without it
	 * pcap_setdirection() above still drops them. */
	int one = 1;
	(void)setsockopt(e->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	return 0;
}

/* A send-only packet socket (protocol 0: it receives nothing) bound to the
 * interface, and the queue's slots. */
static int setup_tx(struct uppp_eth *e, char *err, size_t errcap)
{
	struct sockaddr_ll sll;
	int rc;

	e->txbuf = malloc(e->rxcap * UPPP_ETH_TX_BATCH);
	if (e->txbuf == NULL) {
		uppp_seterr(err, errcap, "%s: out of memory", e->name);
		return -ENOMEM;
	}
	e->txfd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (e->txfd < 0) {
		rc = -errno;
		uppp_seterr(err, errcap, "%s: packet socket: %s", e->name, strerror(-rc));
		return rc;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = e->ifindex;
	if (bind(e->txfd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rc = -errno;
		uppp_seterr(err, errcap, "%s: packet socket: %s", e->name, strerror(-rc));
		return rc;
	}
	return 0;
}

int uppp_eth_open(struct uppp_eth **out, const char *ifname, char *err, size_t errcap)
{
	struct uppp_eth *e;
	int rc;

	*out = NULL;
	if (ifname == NULL || ifname[0] == '\0' || strlen(ifname) >= IFNAMSIZ) {
		uppp_seterr(err, errcap, "interface name empty or longer than %d characters",
		       IFNAMSIZ - 1);
		return -EINVAL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		uppp_seterr(err, errcap, "%s: out of memory", ifname);
		return -ENOMEM;
	}
	e->fd = -1;
	e->txfd = -1;
	memcpy(e->name, ifname, strlen(ifname) + 1);
	rc = read_link_info(e, err, errcap);
	if (rc == 0)
		rc = setup_pcap(e, err, errcap);
	if (rc == 0)
		rc = setup_tx(e, err, errcap);
	if (rc < 0) {
		uppp_eth_close(e);
		return rc;
	}
	*out = e;
	return 0;
}

void uppp_eth_close(struct uppp_eth *e)
{
	if (e == NULL)
		return;
	if (e->txfd >= 0) {
		(void)uppp_eth_flush(e);
		close(e->txfd);
	}
	if (e->pcap != NULL)
		pcap_close(e->pcap);
	free(e->rxbuf);
	free(e->txbuf);
	free(e);
}

int uppp_eth_fd(const struct uppp_eth *e) { return e->fd; }
const uint8_t *uppp_eth_mac(const struct uppp_eth *e) { return e->mac; }
const char *uppp_eth_name(const struct uppp_eth *e) { return e->name; }
int uppp_eth_ifindex(const struct uppp_eth *e) { return e->ifindex; }
int uppp_eth_mtu(const struct uppp_eth *e) { return e->mtu; }

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct uppp_eth *e = (struct uppp_eth *)user;

	if (h->caplen < h->len || h->caplen > e->rxcap) {
		e->stats.rx_truncated++;
		return;
	}
	/* Our own frames: excluded by direction already; a looped-back copy
	 * (bridge loop, hairpin) must not be taken for a peer. */
	if (h->caplen < ETH_HDR_LEN || memcmp(bytes + ETH_ALEN_, e->mac, ETH_ALEN_) == 0) {
		e->stats.rx_foreign++;
		return;
	}
	memcpy(e->rxbuf, bytes, h->caplen);
	e->stats.rx_frames++;
	e->handed++;
	e->cb(e->cb_ctx, e->rxbuf, h->caplen);
}

int uppp_eth_dispatch_max(struct uppp_eth *e, int max, uppp_eth_rx_cb cb, void *ctx)
{
	int rc;

	e->cb = cb;
	e->cb_ctx = ctx;
	e->handed = 0;
	rc = pcap_dispatch(e->pcap, max, on_frame, (u_char *)e);
	e->cb = NULL;
	e->cb_ctx = NULL;
	if (rc == PCAP_ERROR_BREAK)
		return e->handed;
	if (rc < 0) {
		char name[IF_NAMESIZE];

		/* libpcap says "The interface disappeared" only in words. */
		if (if_indextoname((unsigned)e->ifindex, name) == NULL)
			return -ENODEV;
		return pcap_status_to_errno(rc);
	}
	return e->handed;
}

int uppp_eth_dispatch(struct uppp_eth *e, uppp_eth_rx_cb cb, void *ctx)
{
	return uppp_eth_dispatch_max(e, -1, cb, ctx);
}

int uppp_eth_send(struct uppp_eth *e, const uint8_t *frame, size_t len)
{
	/* what the kernel would refuse anyway: more than the MTU carries */
	if (len < ETH_HDR_LEN || len > (size_t)e->mtu + ETH_HDR_LEN || len > e->rxcap) {
		e->stats.tx_errors++;
		return -EMSGSIZE;
	}
	unsigned i = e->ntx++;
	uint8_t *slot = e->txbuf + (size_t)i * e->rxcap;
	memcpy(slot, frame, len);
	e->txiov[i].iov_base = slot;
	e->txiov[i].iov_len = len;
	memset(&e->txmsg[i].msg_hdr, 0, sizeof(e->txmsg[i].msg_hdr));
	e->txmsg[i].msg_hdr.msg_iov = &e->txiov[i];
	e->txmsg[i].msg_hdr.msg_iovlen = 1;
	if (e->ntx == UPPP_ETH_TX_BATCH) {
		int rc = uppp_eth_flush(e);
		return rc < 0 ? rc : 0;
	}
	return 0;
}

int uppp_eth_flush(struct uppp_eth *e)
{
	unsigned done = 0, sent = 0;
	int first_err = 0;

	while (done < e->ntx) {
		int n = sendmmsg(e->txfd, e->txmsg + done, e->ntx - done, 0);
		if (n > 0) {
			done += (unsigned)n;
			sent += (unsigned)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (first_err == 0)
			first_err = n < 0 ? -errno : -EIO;
		if (first_err == -EAGAIN || first_err == -ENOBUFS) {
			/* the device queue is full: the rest is dropped, as a
			 * wire would */
			e->stats.tx_errors += e->ntx - done;
			break;
		}
		/* this frame was refused; the ones behind it may still go */
		e->stats.tx_errors++;
		done++;
	}
	e->stats.tx_frames += sent;
	e->ntx = 0;
	return first_err < 0 ? first_err : (int)sent;
}

void uppp_eth_get_stats(struct uppp_eth *e, struct uppp_eth_stats *st)
{
	struct pcap_stat ps;

	*st = e->stats;
	if (pcap_stats(e->pcap, &ps) == 0)
		st->kernel_drops = ps.ps_drop;
}

const char *uppp_eth_last_error(struct uppp_eth *e)
{
	return pcap_geterr(e->pcap);
}
