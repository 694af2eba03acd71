/* netif/tunq.c — IP packets to and from TUN devices in batches (see tunq.h). */
#include "netif/tunq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>   /* RWF_NOWAIT */
#include <unistd.h>

#if UPPP_HAVE_IO_URING
#include <liburing.h>
#endif

struct tunq_entry {
	int fd;
	const uint8_t *pkt;
	size_t len;
};

struct uppp_tunq {
	struct uppp_tunq_stats stats;
	unsigned n;                      /* entries queued */
	bool batched;
	/* Reads go through the ring too; false once a device turned out not
	 * to answer them as read(2) does (see uppp_tunq_read). */
	bool rd_batched;
	unsigned rd_missed;              /* empty batches in a row after which read(2) found a packet */
	struct tunq_entry q[UPPP_TUNQ_DEPTH];
#if UPPP_HAVE_IO_URING
	struct io_uring ring;
#endif
};

/* One write(2), as an unbatched queue makes each. */
static int write_now(struct uppp_tunq *q, int fd, const uint8_t *pkt, size_t len)
{
	ssize_t n;

	do
		n = write(fd, pkt, len);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len) {
		q->stats.written++;
		return 0;
	}
	q->stats.refused++;
	return n < 0 ? -errno : -EIO;
}

int uppp_tunq_new(struct uppp_tunq **out, bool batched)
{
	struct uppp_tunq *q = calloc(1, sizeof(*q));

	*out = NULL;
	if (!q)
		return -ENOMEM;
#if UPPP_HAVE_IO_URING
	/* A ring of the queue's depth; completions get twice that. Refused
	 * (no io_uring in this kernel, or kernel.io_uring_disabled, or a
	 * seccomp filter): write one by one. */
	if (batched && io_uring_queue_init(UPPP_TUNQ_DEPTH, &q->ring, 0) == 0)
		q->batched = q->rd_batched = true;
#else
	(void)batched;
#endif
	*out = q;
	return 0;
}

void uppp_tunq_free(struct uppp_tunq *q)
{
	if (!q)
		return;
	(void)uppp_tunq_flush(q);
#if UPPP_HAVE_IO_URING
	if (q->batched)
		io_uring_queue_exit(&q->ring);
#endif
	free(q);
}

bool uppp_tunq_batched(const struct uppp_tunq *q) { return q->batched; }
unsigned uppp_tunq_pending(const struct uppp_tunq *q) { return q->n; }
const struct uppp_tunq_stats *uppp_tunq_stats(const struct uppp_tunq *q) { return &q->stats; }

int uppp_tunq_write(struct uppp_tunq *q, int fd, const uint8_t *pkt, size_t len)
{
	if (!q->batched)
		return write_now(q, fd, pkt, len);
	if (q->n == UPPP_TUNQ_DEPTH)
		(void)uppp_tunq_flush(q);   /* refusals are counted there */
	q->q[q->n++] = (struct tunq_entry){ .fd = fd, .pkt = pkt, .len = len };
	return 0;
}

#if UPPP_HAVE_IO_URING
/* The ring failed under us (the kernel out of memory): give it up and go
 * one by one from now on; writes still queued leave now, one by one. */
static void ring_give_up(struct uppp_tunq *q)
{
	unsigned n = q->n;

	io_uring_queue_exit(&q->ring);
	q->batched = false;
	q->n = 0;
	for (unsigned i = 0; i < n; i++)
		(void)write_now(q, q->q[i].fd, q->q[i].pkt, q->q[i].len);
}

/* Reaps the completions of a handed-over batch until all `want` are in. */
static int reap(struct uppp_tunq *q, unsigned want)
{
	unsigned got = 0;
	int refused = 0;

	while (got < want) {
		struct io_uring_cqe *cqe;
		int rc = io_uring_wait_cqe(&q->ring, &cqe);   /* no system call when one is there */
		if (rc == -EINTR)
			continue;
		if (rc < 0)
			return rc;
		if (cqe->res < 0 || (size_t)cqe->res != (size_t)cqe->user_data) {
			q->stats.refused++;
			refused++;
		} else {
			q->stats.written++;
		}
		io_uring_cqe_seen(&q->ring, cqe);
		got++;
	}
	return refused;
}
#endif

int uppp_tunq_flush(struct uppp_tunq *q)
{
	unsigned n = q->n;

	if (n == 0)
		return 0;
	q->n = 0;
	/* A batch of one (a trickle: a ping, an ACK) goes by write(2), which
	 * costs less than one io_uring_enter with its queue to set up. */
	if (n == 1) {
		q->stats.flushes++;
		return write_now(q, q->q[0].fd, q->q[0].pkt, q->q[0].len) < 0 ? 1 : 0;
	}
#if UPPP_HAVE_IO_URING
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);   /* depth n: never NULL */
		io_uring_prep_write(sqe, q->q[i].fd, q->q[i].pkt, (unsigned)q->q[i].len, 0);
		sqe->user_data = q->q[i].len;
	}
	int rc;
	do
		rc = io_uring_submit_and_wait(&q->ring, n);
	while (rc == -EINTR);
	q->stats.flushes++;
	unsigned taken = rc > 0 ? (unsigned)rc : 0;
	int refused = taken ? reap(q, taken) : 0;
	if (taken == n && refused >= 0)
		return refused;
	/* The ring failed under us: write what it did not take one by one
	 * (it takes the entries in order), and so on from now on. */
	ring_give_up(q);
	for (unsigned i = taken; i < n; i++)
		(void)write_now(q, q->q[i].fd, q->q[i].pkt, q->q[i].len);
	return rc < 0 ? rc : refused < 0 ? refused : -EIO;
#else
	return 0;
#endif
}

/* read(2) one by one until the device has none (unbatched queue). */
static int read_one_by_one(struct uppp_tunq *q, int fd, uint8_t *const bufs[], size_t cap, unsigned n, size_t lens[])
{
	int got = 0;

	for (unsigned i = 0; i < n; i++)
		lens[i] = 0;
	for (unsigned i = 0; i < n; i++) {
		ssize_t r = read(fd, bufs[i], cap);
		q->stats.reads++;
		if (r < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (r < 0) {
			if (errno == EAGAIN || got > 0)
				break;
			return -errno;
		}
		lens[i] = (size_t)r;
		q->stats.read++;
		got++;
	}
	return got;
}

int uppp_tunq_read(struct uppp_tunq *q, int fd, uint8_t *const bufs[], size_t cap, unsigned n, size_t lens[])
{
	if (n > UPPP_TUNQ_DEPTH)
		n = UPPP_TUNQ_DEPTH;
	if (!q->batched || !q->rd_batched || n < 2)
		return read_one_by_one(q, fd, bufs, cap, n, lens);
#if UPPP_HAVE_IO_URING
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);   /* the ring is empty between calls */
		io_uring_prep_read(sqe, fd, bufs[i], (unsigned)cap, 0);
		/* io_uring would wait for a packet (it arms a poll for a device
		 * that can say "not now", even one opened O_NONBLOCK): RWF_NOWAIT
		 * makes a read that finds none complete with -EAGAIN at once */
		sqe->rw_flags = RWF_NOWAIT;
		sqe->user_data = i;
		lens[i] = 0;
	}
	int rc;
	do
		rc = io_uring_submit_and_wait(&q->ring, n);
	while (rc == -EINTR);
	q->stats.reads++;
	unsigned taken = rc > 0 ? (unsigned)rc : 0, seen = 0;
	int got = 0, first_err = 0;
	while (seen < taken) {
		struct io_uring_cqe *cqe;
		int w = io_uring_wait_cqe(&q->ring, &cqe);
		if (w == -EINTR)
			continue;
		if (w < 0) {
			rc = w;
			break;
		}
		unsigned i = (unsigned)cqe->user_data;
		if (cqe->res > 0 && i < n) {
			lens[i] = (size_t)cqe->res;
			q->stats.read++;
			got++;
		} else if (cqe->res < 0 && cqe->res != -EAGAIN && first_err == 0) {
			first_err = cqe->res;
		}
		io_uring_cqe_seen(&q->ring, cqe);
		seen++;
	}
	if (seen == n && got > 0) {
		q->rd_missed = 0;
		return got;
	}
	if (seen == n && first_err == 0) {
		/* None: the device had none, or it does not answer a read
		 * that may not wait (an older kernel's TUN would say -EAGAIN
		 * to each, forever). read(2) tells; after three such misses
		 * in a row reads go one by one from then on. */
		got = read_one_by_one(q, fd, bufs, cap, 1, lens);
		if (got > 0 && ++q->rd_missed >= 3)
			q->rd_batched = false;
		return got;
	}
	if (seen == n) {
		/* a read refused outright (-EOPNOTSUPP ...): one by one */
		q->rd_batched = false;
		return read_one_by_one(q, fd, bufs, cap, n, lens);
	}
	/* The ring failed under us: one by one from now on (writes still
	 * queued too); what it read is kept, the rest is read now. */
	ring_give_up(q);
	if (got > 0)
		return got;
	return read_one_by_one(q, fd, bufs, cap, n, lens);
#else
	return read_one_by_one(q, fd, bufs, cap, n, lens);
#endif
}
