/* netif/rtbatch.c — host routes in batches over a raw rtnetlink socket. */
#define _GNU_SOURCE  /* recvmmsg */
#include "netif/rtbatch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <unistd.h>

#include "netif/seterr.h"

/* The longest request: header, rtmsg, dst, oif, prefsrc, metrics { mtu }. */
#define REQ_MAX 96
/* How long the answers may take before they count as lost: a guard against
 * a kernel that never answers, not a deadline (they are all queued when the
 * send returns). */
#define ANSWER_GUARD_S 5
/* An answer's bytes we read: header and error code; a longer one (an
 * extended acknowledgement) is cut, its start is enough. */
#define ANSWER_MAX 64

struct op {
	uint32_t seq;
	void *tag;       /* NULL: not reported */
	int err;         /* the answer: 0, -errno; 1 while none came */
};

struct uppp_rtbatch {
	int fd;
	uint32_t seq;                          /* the last one used */
	size_t n, len;                         /* queued requests, their bytes in buf */
	uint64_t batches, requests;            /* sent so far (uppp_rtbatch_counts) */
	struct op op[UPPP_RTBATCH_MAX];
	struct op done[UPPP_RTBATCH_MAX];      /* the sent batch while its failures are reported */
	size_t ndone;
	bool reporting;                        /* in the fail callbacks */
	uint8_t buf[UPPP_RTBATCH_MAX * REQ_MAX] __attribute__((aligned(NLMSG_ALIGNTO)));
	/* answers: each is one datagram, read UPPP_RTBATCH_MAX at a time */
	uint8_t rx[UPPP_RTBATCH_MAX][ANSWER_MAX] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct iovec iov[UPPP_RTBATCH_MAX];
	struct mmsghdr msg[UPPP_RTBATCH_MAX];
};

int uppp_rtbatch_open(struct uppp_rtbatch **out, char *err, size_t errcap)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval guard = { .tv_sec = ANSWER_GUARD_S };
	int one = 1, rcvbuf = 1 << 20;
	struct uppp_rtbatch *b;

	*out = NULL;
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		uppp_seterr(err, errcap, "netlink: out of memory");
		return -ENOMEM;
	}
	b->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (b->fd < 0 || bind(b->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(b->fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof(guard)) < 0) {
		int e = errno;
		uppp_seterr(err, errcap, "netlink: cannot open route socket: %s", strerror(e));
		if (b->fd >= 0)
			close(b->fd);
		free(b);
		return -e;
	}
	/* Short answers (no copy of the request), and room for more of them
	 * where the system allows: best effort, the batch fits without. */
	(void)setsockopt(b->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	(void)setsockopt(b->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	*out = b;
	return 0;
}

void uppp_rtbatch_close(struct uppp_rtbatch *b)
{
	if (b == NULL)
		return;
	close(b->fd);
	free(b);
}

size_t uppp_rtbatch_queued(const struct uppp_rtbatch *b) { return b->n; }
int uppp_rtbatch_fd(const struct uppp_rtbatch *b) { return b->fd; }

void uppp_rtbatch_counts(const struct uppp_rtbatch *b, uint64_t *batches, uint64_t *requests)
{
	*batches = b->batches;
	*requests = b->requests;
}

void uppp_rtbatch_forget(struct uppp_rtbatch *b, const void *tag)
{
	for (size_t k = 0; k < b->n; k++)
		if (b->op[k].tag == tag)
			b->op[k].tag = NULL;
	for (size_t k = 0; k < b->ndone; k++)
		if (b->done[k].tag == tag)
			b->done[k].tag = NULL;
}

/* ---- building requests ---- */

static void put_attr(struct nlmsghdr *h, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((uint8_t *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void put_u32(struct nlmsghdr *h, unsigned short type, uint32_t v) { put_attr(h, type, &v, sizeof(v)); }

/* A route request for PEER/32 via ifindex in the main table, scope link,
 * static, unicast (as netif/nl.c's host_route), at the end of the batch. */
static struct nlmsghdr *route_req(struct uppp_rtbatch *b, unsigned short type, unsigned short flags,
				  int ifindex, uint32_t peer_ip, void *tag)
{
	if (b->n == UPPP_RTBATCH_MAX)
		return NULL;
	struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + b->len);
	memset(h, 0, REQ_MAX);
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	h->nlmsg_type = type;
	h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	h->nlmsg_seq = ++b->seq;
	struct rtmsg *r = NLMSG_DATA(h);
	r->rtm_family = AF_INET;
	r->rtm_dst_len = 32;
	r->rtm_table = RT_TABLE_MAIN;
	r->rtm_protocol = RTPROT_STATIC;
	r->rtm_scope = RT_SCOPE_LINK;
	r->rtm_type = RTN_UNICAST;
	put_u32(h, RTA_DST, htonl(peer_ip));
	put_u32(h, RTA_OIF, (uint32_t)ifindex);
	b->op[b->n++] = (struct op){ .seq = h->nlmsg_seq, .tag = tag, .err = 1 };
	return h;
}

static void req_done(struct uppp_rtbatch *b, struct nlmsghdr *h) { b->len += NLMSG_ALIGN(h->nlmsg_len); }

int uppp_rtbatch_route_add(struct uppp_rtbatch *b, int ifindex, uint32_t peer_ip, uint32_t local_ip,
			   unsigned mtu, void *tag)
{
	struct nlmsghdr *h = route_req(b, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, ifindex, peer_ip, tag);

	if (h == NULL)
		return -ENOBUFS;
	if (local_ip)
		put_u32(h, RTA_PREFSRC, htonl(local_ip));
	if (mtu) {
		/* RTA_METRICS { RTAX_MTU }: a nest holding one attribute */
		struct rtattr *nest = (struct rtattr *)((uint8_t *)h + NLMSG_ALIGN(h->nlmsg_len));
		nest->rta_type = RTA_METRICS;
		struct rtattr *m = RTA_DATA(nest);
		m->rta_type = RTAX_MTU;
		m->rta_len = (unsigned short)RTA_LENGTH(sizeof(uint32_t));
		memcpy(RTA_DATA(m), &(uint32_t){ mtu }, sizeof(uint32_t));
		nest->rta_len = (unsigned short)RTA_LENGTH(RTA_ALIGN(m->rta_len));
		h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(nest->rta_len);
	}
	req_done(b, h);
	return 0;
}

int uppp_rtbatch_route_del(struct uppp_rtbatch *b, int ifindex, uint32_t peer_ip)
{
	struct nlmsghdr *h = route_req(b, RTM_DELROUTE, 0, ifindex, peer_ip, NULL);

	if (h == NULL)
		return -ENOBUFS;
	req_done(b, h);
	return 0;
}

/* ---- sending and answers ---- */

/* Reads answers until each of the n requests has one. Returns 0, or why
 * some stayed at 1: -ENOBUFS (the kernel dropped answers: the receive
 * buffer was full), -ETIMEDOUT (none came within the guard), -errno. */
static int read_answers(struct uppp_rtbatch *b)
{
	uint32_t first = b->op[0].seq;
	size_t answered = 0;
	int flags = 0, why = 0;

	while (answered < b->n) {
		/* every answer is a datagram of its own: one call reads them all */
		unsigned want = (unsigned)(b->n - answered);
		for (unsigned k = 0; k < want; k++) {
			b->iov[k] = (struct iovec){ .iov_base = b->rx[k], .iov_len = ANSWER_MAX };
			b->msg[k] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &b->iov[k], .msg_iovlen = 1 } };
		}
		int got = recvmmsg(b->fd, b->msg, want, flags | MSG_WAITFORONE, NULL);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == ENOBUFS) {
			why = -ENOBUFS;
			flags = MSG_DONTWAIT;   /* some were dropped: take what is there */
			continue;
		}
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return why ? why : -ETIMEDOUT;
		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		for (int m = 0; m < got; m++) {
			const struct nlmsghdr *h = (const struct nlmsghdr *)b->rx[m];
			size_t len = b->msg[m].msg_len < ANSWER_MAX ? b->msg[m].msg_len : ANSWER_MAX;
			uint32_t k = h->nlmsg_seq - first;
			if (len < NLMSG_LENGTH(sizeof(struct nlmsgerr)) || h->nlmsg_type != NLMSG_ERROR ||
			    k >= b->n || b->op[k].err != 1)
				continue;
			const struct nlmsgerr *e = NLMSG_DATA(h);
			b->op[k].err = e->error > 0 ? -e->error : e->error;
			answered++;
		}
	}
	return 0;
}

int uppp_rtbatch_send(struct uppp_rtbatch *b, uppp_rtbatch_fail_fn *fail, void *ctx)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int rc = 0, failed = 0;

	if (b->n == 0 || b->reporting)
		return 0;   /* from a callback: what it queued goes with the next send */
	for (;;) {
		ssize_t sent = sendto(b->fd, b->buf, b->len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
		if (sent < 0 && errno == EINTR)
			continue;
		rc = sent < 0 ? -errno : 0;
		break;
	}
	int lost = rc == 0 ? read_answers(b) : rc;   /* what an unanswered request gets */
	b->batches++;
	b->requests += b->n;
	/* Report from a copy: the callbacks may queue the next batch. */
	memcpy(b->done, b->op, b->n * sizeof(b->op[0]));
	b->ndone = b->n;
	b->n = b->len = 0;
	b->reporting = true;
	for (size_t k = 0; k < b->ndone; k++) {
		struct op *o = &b->done[k];
		int err = o->err == 1 ? lost : o->err;
		if (err == 0 || o->tag == NULL)
			continue;
		failed++;
		void *tag = o->tag;
		o->tag = NULL;
		if (fail)
			fail(ctx, tag, err);
	}
	b->ndone = 0;
	b->reporting = false;
	return rc < 0 ? rc : failed;
}
