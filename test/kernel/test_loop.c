/* test_loop.c — event loop: timer order, arming and cancelling from
 * callbacks, fd callbacks, deleting fds mid-iteration, an outer loop waiting on the loop's fd, stop, and
 * random bytes. Real time is used (timers of a few ms); the assertions are
 * about order and counts, never about durations, and no order depends on
 * how promptly the machine runs us: a timer re-armed from a callback is
 * relative to when that callback ran, so it is never raced against a timer
 * with a fixed deadline. Waits for something that must happen are bounded
 * only by HANG_GUARD_MS against hangs; short waits appear only where nothing
 * may happen. */
#include <errno.h>
#include <setjmp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/loop.h"
#include "eventfd_count.h"

/* ---- helpers ---- */

/* Upper bound of any wait for something that must happen: only a hang hits it. */
#define HANG_GUARD_MS 60000

struct rec {
	int order[2048];
	uint64_t when[2048];
	size_t n;
};

struct tctx {
	struct rec *rec;
	int id;
	struct uppp_timer t;
	struct uppp_loop *loop;
	uint64_t deadline;      /* as armed, for checks */
	/* behaviours */
	int rearm_left;         /* re-arm itself this many times, at now + rearm_delta */
	uint64_t rearm_delta;
	struct uppp_timer *cancel_other;
	struct uppp_timer *arm_other;
	uint64_t arm_other_at;
	bool stop_loop;
};

static void record(struct rec *r, int id, uint64_t now)
{
	assert_true(r->n < 2048);
	r->order[r->n] = id;
	r->when[r->n] = now;
	r->n++;
}

static void timer_cb(void *ctx, uint64_t now)
{
	struct tctx *c = ctx;
	assert_false(uppp_timer_armed(&c->t));  /* disarmed before its callback */
	assert_true(now >= c->t.entry.deadline);
	record(c->rec, c->id, now);
	if (c->cancel_other)
		uppp_timer_cancel(c->loop, c->cancel_other);
	if (c->arm_other)
		assert_int_equal(uppp_timer_arm(c->loop, c->arm_other, c->arm_other_at), 0);
	if (c->rearm_left > 0) {
		c->rearm_left--;
		assert_int_equal(uppp_timer_arm(c->loop, &c->t, now + c->rearm_delta), 0);
	}
	if (c->stop_loop)
		uppp_loop_stop(c->loop);
}

static void tctx_init(struct tctx *c, struct uppp_loop *l, struct rec *r, int id)
{
	memset(c, 0, sizeof(*c));
	c->rec = r;
	c->id = id;
	c->loop = l;
	uppp_timer_init(&c->t, timer_cb, c);
}

/* Runs iterations until want callbacks were recorded (or the hang guard). */
static void run_until(struct uppp_loop *l, struct rec *r, size_t want)
{
	uint64_t give_up = uppp_monotonic_ms() + HANG_GUARD_MS;
	while (r->n < want && uppp_monotonic_ms() < give_up)
		assert_true(uppp_loop_run_once(l, 50) >= 0);
}

/* ---- timers ---- */

static void test_timers_fire_in_order(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct rec r = { .n = 0 };
	struct tctx c[5];
	uint64_t now = uppp_loop_now(l);
	static const uint64_t delay[5] = { 30, 10, 20, 10, 0 };
	for (int i = 0; i < 5; i++) {
		tctx_init(&c[i], l, &r, i);
		assert_false(uppp_timer_armed(&c[i].t));
		assert_int_equal(uppp_timer_arm(l, &c[i].t, now + delay[i]), 0);
		assert_true(uppp_timer_armed(&c[i].t));
	}
	run_until(l, &r, 5);
	assert_int_equal(r.n, 5);
	/* By deadline; equal deadlines (1 and 3) in arm order. */
	assert_int_equal(r.order[0], 4);
	assert_int_equal(r.order[1], 1);
	assert_int_equal(r.order[2], 3);
	assert_int_equal(r.order[3], 2);
	assert_int_equal(r.order[4], 0);
	for (int i = 0; i < 5; i++) {
		assert_false(uppp_timer_armed(&c[i].t));
		assert_true(r.when[i] >= now + delay[r.order[i]]);
	}
	/* Nothing else fires afterwards. */
	assert_int_equal(uppp_loop_run_once(l, 0), 0);
	uppp_loop_free(l);
}

static void test_rearm_moves_and_cancel(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct rec r = { .n = 0 };
	struct tctx a, b, c, d;
	tctx_init(&a, l, &r, 1);
	tctx_init(&b, l, &r, 2);
	tctx_init(&c, l, &r, 3);
	tctx_init(&d, l, &r, 4);
	uint64_t now = uppp_loop_now(l);
	/* a: far away, then moved close. */
	uppp_timer_arm(l, &a.t, now + 100000);
	uppp_timer_arm(l, &b.t, now + 20);
	uppp_timer_arm(l, &a.t, now + 5);
	assert_int_equal(a.t.entry.deadline, now + 5);
	/* c: armed then cancelled; d: cancelled through UINT64_MAX. */
	uppp_timer_arm(l, &c.t, now + 1);
	uppp_timer_cancel(l, &c.t);
	assert_false(uppp_timer_armed(&c.t));
	uppp_timer_cancel(l, &c.t);  /* twice is fine */
	uppp_timer_arm(l, &d.t, now + 1);
	uppp_timer_arm(l, &d.t, UINT64_MAX);
	assert_false(uppp_timer_armed(&d.t));
	/* b moved later than a-but-before-it-was. */
	uppp_timer_arm(l, &b.t, now + 10);
	run_until(l, &r, 2);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 2);
	/* Give c and d a chance to (wrongly) fire. */
	assert_true(uppp_loop_run_once(l, 20) >= 0);
	assert_int_equal(r.n, 2);
	uppp_loop_free(l);
}

static void test_rearm_self_from_callback(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct rec r = { .n = 0 };
	struct tctx a, b;
	tctx_init(&a, l, &r, 1);
	tctx_init(&b, l, &r, 2);
	a.rearm_left = 3;
	a.rearm_delta = 2;
	uint64_t now = uppp_loop_now(l);
	uppp_timer_arm(l, &a.t, now + 1);
	/* b far away while a runs its chain (a's re-arms are relative to when
	 * each callback ran, so a fixed-deadline b could overtake them on a
	 * stalled machine). */
	uppp_timer_arm(l, &b.t, now + 10 * HANG_GUARD_MS);
	run_until(l, &r, 4);
	assert_int_equal(r.n, 4);
	/* a fires 4 times (1 + 3 re-arms), 2 ms apart at least; b waits. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(r.order[i], 1);
	for (int i = 1; i < 4; i++)
		assert_true(r.when[i] >= r.when[i - 1] + 2);
	assert_false(uppp_timer_armed(&a.t));
	assert_true(uppp_timer_armed(&b.t));
	/* b moved to now: it is next, and the chain is over. */
	uppp_timer_arm(l, &b.t, uppp_loop_now(l));
	run_until(l, &r, 5);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.order[4], 2);
	assert_int_equal(uppp_loop_run_once(l, 10), 0);
	uppp_loop_free(l);
}

/* A callback re-arming itself "now" (or in the past) must not spin inside
 * one iteration: exactly one firing per run_once. */
static void test_rearm_now_does_not_spin(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct rec r = { .n = 0 };
	struct tctx a;
	tctx_init(&a, l, &r, 1);
	a.rearm_left = 1000;
	a.rearm_delta = 0;
	uppp_timer_arm(l, &a.t, 0);  /* far in the past: due at once */
	for (size_t i = 1; i <= 5; i++) {
		assert_int_equal(uppp_loop_run_once(l, 0), 1);
		assert_int_equal(r.n, i);
	}
	uppp_loop_free(l);
}

static void test_cancel_other_due_timer_from_callback(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct rec r = { .n = 0 };
	struct tctx a, b, c, d;
	tctx_init(&a, l, &r, 1);
	tctx_init(&b, l, &r, 2);
	tctx_init(&c, l, &r, 3);
	tctx_init(&d, l, &r, 4);
	uint64_t now = uppp_loop_now(l);
	/* All four due together; a cancels b (due, later in order) and arms d
	 * to the past; c stays. */
	uppp_timer_arm(l, &a.t, now);
	uppp_timer_arm(l, &b.t, now);
	uppp_timer_arm(l, &c.t, now);
	a.cancel_other = &b.t;
	a.arm_other = &d.t;
	a.arm_other_at = 0;
	assert_int_equal(uppp_loop_run_once(l, 0), 2);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 3);
	assert_false(uppp_timer_armed(&b.t));
	/* d was armed during the pass: it fires on the next iteration. */
	assert_true(uppp_timer_armed(&d.t));
	assert_int_equal(uppp_loop_run_once(l, 0), 1);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.order[2], 4);
	assert_int_equal(uppp_loop_run_once(l, 0), 0);
	uppp_loop_free(l);
}

/* Many timers with random deadlines, random re-arms and cancels: each
 * surviving timer fires exactly once, in (deadline, arm order). */
static void test_heap_stress(void **state)
{
	(void)state;
	enum { N = 600 };
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct rec r = { .n = 0 };
	struct tctx *c = calloc(N, sizeof(*c));
	bool *alive = calloc(N, sizeof(*alive));
	assert_non_null(c);
	assert_non_null(alive);
	uint32_t x = 2463534242u;
#define NEXT() (x ^= x << 13, x ^= x >> 17, x ^= x << 5, x)
	uint64_t now = uppp_loop_now(l);
	for (int i = 0; i < N; i++) {
		tctx_init(&c[i], l, &r, i);
		assert_int_equal(uppp_timer_arm(l, &c[i].t, now + 1 + NEXT() % 30), 0);
		alive[i] = true;
	}
	for (int k = 0; k < 2 * N; k++) {
		int i = (int)(NEXT() % N);
		switch (NEXT() % 3) {
		case 0:
			uppp_timer_cancel(l, &c[i].t);
			alive[i] = false;
			break;
		default:
			assert_int_equal(uppp_timer_arm(l, &c[i].t, now + 1 + NEXT() % 30), 0);
			alive[i] = true;
			break;
		}
	}
#undef NEXT
	size_t want = 0;
	for (int i = 0; i < N; i++)
		want += alive[i];
	uint64_t *deadline = calloc(N, sizeof(*deadline));
	uint64_t *seq = calloc(N, sizeof(*seq));
	assert_non_null(deadline);
	assert_non_null(seq);
	for (int i = 0; i < N; i++) {
		assert_int_equal(uppp_timer_armed(&c[i].t), alive[i]);
		deadline[i] = c[i].t.entry.deadline;
		seq[i] = c[i].t.entry.seq;
	}
	run_until(l, &r, want);
	assert_int_equal(r.n, want);
	assert_int_equal(uppp_loop_run_once(l, 40), 0);
	bool *seen = calloc(N, sizeof(*seen));
	assert_non_null(seen);
	for (size_t k = 0; k < r.n; k++) {
		int i = r.order[k];
		assert_true(alive[i]);
		assert_false(seen[i]);
		seen[i] = true;
		if (k > 0) {
			int p = r.order[k - 1];
			assert_true(deadline[p] < deadline[i] || (deadline[p] == deadline[i] && seq[p] < seq[i]));
		}
	}
	free(seen);
	free(seq);
	free(deadline);
	free(alive);
	free(c);
	uppp_loop_free(l);
}

static void test_free_with_armed_timers_and_null_cb(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct uppp_timer t1, t2;
	uppp_timer_init(&t1, NULL, NULL);
	uppp_timer_init(&t2, NULL, NULL);
	uppp_timer_arm(l, &t1, 0);
	uppp_timer_arm(l, &t2, uppp_loop_now(l) + 100000);
	assert_int_equal(uppp_loop_run_once(l, 0), 1);  /* NULL callback: counted, not called */
	assert_false(uppp_timer_armed(&t1));
	assert_true(uppp_timer_armed(&t2));
	uppp_loop_free(l);
	assert_false(uppp_timer_armed(&t2));
	uppp_loop_free(NULL);
}

/* ---- file descriptors ---- */

struct fdctx {
	struct uppp_loop *loop;
	int calls;
	int fd_seen;
	uint32_t events;
	int del_fd;             /* delete this fd from the callback (-1: none) */
	bool drain;
	struct rec *rec;
	int id;
};

static void fd_cb(void *ctx, int fd, uint32_t events)
{
	struct fdctx *c = ctx;
	c->calls++;
	c->fd_seen = fd;
	c->events = events;
	if (c->rec)
		record(c->rec, c->id, 0);
	if (c->drain) {
		uint64_t v;
		assert_int_equal(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	}
	if (c->del_fd >= 0)
		assert_int_equal(uppp_loop_del_fd(c->loop, c->del_fd), 0);
}

static void test_pipe_and_eventfd(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	int p[2];
	assert_int_equal(pipe(p), 0);
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(efd >= 0);
	struct fdctx pc = { .loop = l, .del_fd = -1 }, ec = { .loop = l, .del_fd = -1, .drain = true };

	assert_int_equal(uppp_loop_add_fd(l, p[0], EPOLLIN, fd_cb, &pc), 0);
	assert_int_equal(uppp_loop_add_fd(l, efd, EPOLLIN, fd_cb, &ec), 0);
	assert_int_equal(uppp_loop_add_fd(l, efd, EPOLLIN, fd_cb, &ec), -EEXIST);

	/* Nothing readable: nothing called. */
	assert_int_equal(uppp_loop_run_once(l, 0), 0);
	assert_int_equal(pc.calls + ec.calls, 0);

	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 1);
	assert_int_equal(pc.calls, 1);
	assert_int_equal(pc.fd_seen, p[0]);
	assert_true(pc.events & EPOLLIN);
	char ch;
	assert_int_equal(read(p[0], &ch, 1), 1);

	uint64_t one = 1;
	assert_int_equal(write(efd, &one, sizeof(one)), (ssize_t)sizeof(one));
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 1);
	assert_int_equal(ec.calls, 1);
	assert_int_equal(ec.fd_seen, efd);
	assert_int_equal(uppp_loop_run_once(l, 0), 0);  /* drained */

	/* mod_fd: watch the write end for EPOLLOUT (a pipe is writable). */
	struct fdctx wc = { .loop = l, .del_fd = -1 };
	assert_int_equal(uppp_loop_add_fd(l, p[1], 0, fd_cb, &wc), 0);
	assert_int_equal(uppp_loop_run_once(l, 0), 0);
	assert_int_equal(uppp_loop_mod_fd(l, p[1], EPOLLOUT), 0);
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 1);
	assert_int_equal(wc.calls, 1);
	assert_true(wc.events & EPOLLOUT);
	assert_int_equal(uppp_loop_del_fd(l, p[1]), 0);

	/* Errors. */
	assert_int_equal(uppp_loop_del_fd(l, p[1]), -ENOENT);
	assert_int_equal(uppp_loop_del_fd(l, 100000), -ENOENT);
	assert_int_equal(uppp_loop_mod_fd(l, p[1], EPOLLIN), -ENOENT);
	assert_int_equal(uppp_loop_add_fd(l, -1, EPOLLIN, fd_cb, &wc), -EBADF);
	int spare = dup(p[1]);
	close(spare);
	assert_int_equal(uppp_loop_add_fd(l, spare, EPOLLIN, fd_cb, &wc), -EBADF);

	/* EPOLLHUP when the writer goes away. */
	close(p[1]);
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 1);
	assert_true(pc.events & EPOLLHUP);
	assert_int_equal(uppp_loop_del_fd(l, p[0]), 0);
	close(p[0]);
	/* Deleting an fd the owner already closed still forgets it. */
	close(efd);
	assert_int_equal(uppp_loop_del_fd(l, efd), 0);
	assert_int_equal(uppp_loop_del_fd(l, efd), -ENOENT);
	uppp_loop_free(l);
}

/* Three eventfds all readable in the same batch. Whichever callback runs
 * first deletes all three (itself included): no other may be called. */
struct deleter {
	struct uppp_loop *loop;
	int fds[3];
	int calls;
};

static void delete_all(void *ctx, int fd, uint32_t events)
{
	struct deleter *d = ctx;
	(void)fd;
	(void)events;
	d->calls++;
	for (int i = 0; i < 3; i++)
		assert_int_equal(uppp_loop_del_fd(d->loop, d->fds[i]), 0);
}

static void test_del_fd_inside_callback(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct deleter d = { .loop = l, .calls = 0 };
	for (int i = 0; i < 3; i++) {
		d.fds[i] = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC);  /* readable from the start */
		assert_true(d.fds[i] >= 0);
		assert_int_equal(uppp_loop_add_fd(l, d.fds[i], EPOLLIN, delete_all, &d), 0);
	}
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 1);
	assert_int_equal(d.calls, 1);
	/* All gone: nothing more, although the fds are still readable. */
	assert_int_equal(uppp_loop_run_once(l, 0), 0);
	assert_int_equal(d.calls, 1);
	for (int i = 0; i < 3; i++)
		close(d.fds[i]);
	uppp_loop_free(l);
}

/* Deleting and re-adding the same fd number from a callback: the new
 * registration must not receive the event fetched for the old one, and
 * the old context must never be called again. */
struct readd {
	struct uppp_loop *loop;
	int other;
	struct fdctx *fresh;
	int calls;
};

static void readd_cb(void *ctx, int fd, uint32_t events)
{
	struct readd *d = ctx;
	(void)fd;
	(void)events;
	d->calls++;
	if (d->calls > 1)
		return;
	assert_int_equal(uppp_loop_del_fd(d->loop, d->other), 0);
	assert_int_equal(uppp_loop_add_fd(d->loop, d->other, EPOLLIN, fd_cb, d->fresh), 0);
}

static void test_del_and_readd_inside_callback(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	int a = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC), b = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(a >= 0 && b >= 0);
	struct fdctx fresh_a = { .loop = l, .del_fd = -1 }, fresh_b = { .loop = l, .del_fd = -1 };
	struct readd da = { l, b, &fresh_b, 0 }, db = { l, a, &fresh_a, 0 };
	assert_int_equal(uppp_loop_add_fd(l, a, EPOLLIN, readd_cb, &da), 0);
	assert_int_equal(uppp_loop_add_fd(l, b, EPOLLIN, readd_cb, &db), 0);
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 1);
	/* Exactly one of the originals ran; the other was replaced unseen. */
	assert_int_equal(da.calls + db.calls, 1);
	assert_int_equal(fresh_a.calls + fresh_b.calls, 0);
	/* Next iteration: the replacement (level-triggered, still readable). */
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 2);
	assert_int_equal(fresh_a.calls + fresh_b.calls + da.calls + db.calls, 3);
	close(a);
	close(b);
	uppp_loop_free(l);
}

/* ---- the loop inside another loop, stop ---- */

static void ev_cb(void *ctx, int fd, uint32_t events)
{
	uint64_t v;
	(void)events;
	(*(int *)ctx)++;
	assert_int_equal(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
}

/* An embedding program waits on uppp_loop_fd() with uppp_loop_timeout_ms()
 * in its own poll, then runs one iteration without waiting. */
static void test_fd_and_timeout_for_an_outer_loop(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), got = 0;
	assert_true(fd >= 0);
	assert_int_equal(uppp_loop_add_fd(l, fd, EPOLLIN, ev_cb, &got), 0);
	assert_true(uppp_loop_fd(l) >= 0);
	assert_int_equal(uppp_loop_timeout_ms(l), -1);       /* no timer */

	struct pollfd p = { .fd = uppp_loop_fd(l), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 0);                  /* nothing ready */
	uint64_t one = 1;
	assert_int_equal(write(fd, &one, sizeof(one)), (ssize_t)sizeof(one));
	assert_int_equal(poll(&p, 1, HANG_GUARD_MS), 1);     /* the inner fd shows */
	assert_int_equal(uppp_loop_run_once(l, 0), 1);
	assert_int_equal(got, 1);
	assert_int_equal(poll(&p, 1, 0), 0);                  /* drained */

	struct rec r = { .n = 0 };
	struct tctx a;
	tctx_init(&a, l, &r, 1);
	uppp_timer_arm(l, &a.t, uppp_monotonic_ms() + 10 * HANG_GUARD_MS);
	int t = uppp_loop_timeout_ms(l);
	assert_true(t > 0 && t <= 10 * HANG_GUARD_MS);
	uppp_timer_arm(l, &a.t, 0);                           /* due */
	assert_int_equal(uppp_loop_timeout_ms(l), 0);
	assert_int_equal(uppp_loop_run_once(l, 0), 1);
	assert_int_equal(r.n, 1);
	assert_int_equal(uppp_loop_timeout_ms(l), -1);
	assert_int_equal(uppp_loop_del_fd(l, fd), 0);
	close(fd);
	uppp_loop_free(l);
}

static void test_run_until_stop(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	struct rec r = { .n = 0 };
	struct tctx a, b;
	tctx_init(&a, l, &r, 1);
	tctx_init(&b, l, &r, 2);
	a.rearm_left = 2;
	a.rearm_delta = 3;
	b.stop_loop = true;
	uint64_t start = uppp_loop_now(l);
	uppp_timer_arm(l, &a.t, start + 1);
	uppp_timer_arm(l, &b.t, start + 30);
	assert_int_equal(uppp_loop_run(l), 0);
	/* run() returned right after b stopped it. a's chain (1, +3, +3 from
	 * when each callback ran) normally ends before b at 30; on a stalled
	 * machine b may come first, and then a is still armed. */
	size_t n = r.n;
	assert_true(n >= 2 && n <= 4);
	assert_int_equal(r.order[n - 1], 2);
	for (size_t i = 0; i + 1 < n; i++)
		assert_int_equal(r.order[i], 1);
	assert_int_equal(uppp_timer_armed(&a.t), n - 1 < 3);
	/* The cached clock moved on and is monotonic. */
	assert_true(uppp_loop_now(l) >= start + 30);
	assert_true(uppp_monotonic_ms() >= uppp_loop_now(l));
	/* stop() outside run: the next run returns at once. */
	uppp_loop_stop(l);
	assert_int_equal(uppp_loop_run(l), 0);
	assert_int_equal(r.n, n);
	uppp_loop_free(l);
}

/* ---- random ---- */

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_random_bytes(void **state)
{
	(void)state;
	uint8_t a[64] = { 0 }, b[64] = { 0 };
	assert_int_equal(uppp_random_bytes(a, sizeof(a)), 0);
	assert_int_equal(uppp_random_bytes(b, sizeof(b)), 0);
	assert_false(all_zero(a, sizeof(a)));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(uppp_random_bytes(a, 0), 0);
	/* Larger than one getrandom() call returns (32 MiB - 1): the tail must
	 * be filled by the retry loop. */
	size_t big = (size_t)32 * 1024 * 1024 + 64;
	uint8_t *p = calloc(big, 1);
	assert_non_null(p);
	assert_int_equal(uppp_random_bytes(p, big), 0);
	assert_false(all_zero(p + big - 64, 64));
	free(p);
	/* the engines' ops->random callback */
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	uppp_random_ops_fill(NULL, a, sizeof(a));
	uppp_random_ops_fill(NULL, b, sizeof(b));
	assert_false(all_zero(a, sizeof(a)));
	assert_memory_not_equal(a, b, sizeof(a));
}

/* Small requests from the per-thread buffer: never the same bytes twice,
 * across refills too, and a forked child never gets the bytes its parent
 * is about to. */
static void test_random_pooled(void **state)
{
	(void)state;
	enum { N = 2000 };
	uint64_t *v = calloc(N, sizeof(*v));
	assert_non_null(v);
	for (unsigned i = 0; i < N; i++) {
		size_t len = 1 + i % 8;   /* odd sizes: requests straddle refills */
		assert_int_equal(uppp_random_pooled(&v[i], len), 0);
		if (len == 8)
			for (unsigned j = 0; j < i; j++)
				assert_true(j % 8 != 7 || v[j] != v[i]);
	}
	free(v);

	uint64_t parent = 0, child = 0, first = 0;
	int fds[2];
	assert_int_equal(uppp_random_pooled(&first, sizeof(first)), 0);   /* the buffer holds bytes now */
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint64_t c = 0;
		_exit(uppp_random_pooled(&c, sizeof(c)) == 0 && write(fds[1], &c, sizeof(c)) == sizeof(c) ? 0 : 1);
	}
	assert_int_equal(uppp_random_pooled(&parent, sizeof(parent)), 0);
	assert_int_equal(read(fds[0], &child, sizeof(child)), sizeof(child));
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	close(fds[1]);
	assert_true(parent != child);
}

/* An embedder's fd (uppp_server_watch_fd): its callback runs in the wait
 * that it ends; only such an fd can be taken out by the foreign form, so a
 * caller cannot unwatch one of the loop's own. */
static void test_foreign_fd(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	int mine = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), theirs = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int mine_n = 0, theirs_n = 0;
	uint64_t one = 1;

	assert_non_null(l);
	assert_true(mine >= 0 && theirs >= 0);
	assert_int_equal(uppp_loop_add_fd(l, mine, EPOLLIN, test_eventfd_count, &mine_n), 0);
	assert_int_equal(uppp_loop_add_foreign_fd(l, theirs, test_eventfd_count, &theirs_n), 0);
	assert_int_equal(uppp_loop_add_foreign_fd(l, theirs, test_eventfd_count, &theirs_n), -EEXIST);
	assert_int_equal(write(theirs, &one, sizeof(one)), (ssize_t)sizeof(one));
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 1);
	assert_int_equal(theirs_n, 1);
	assert_int_equal(uppp_loop_del_foreign_fd(l, mine), -ENOENT);   /* the loop's own stays */
	assert_int_equal(write(mine, &one, sizeof(one)), (ssize_t)sizeof(one));
	assert_int_equal(uppp_loop_run_once(l, HANG_GUARD_MS), 1);
	assert_int_equal(mine_n, 1);
	assert_int_equal(uppp_loop_del_foreign_fd(l, theirs), 0);
	assert_int_equal(uppp_loop_del_foreign_fd(l, theirs), -ENOENT);
	assert_int_equal(write(theirs, &one, sizeof(one)), (ssize_t)sizeof(one));
	assert_int_equal(uppp_loop_run_once(l, 0), 0);   /* no longer watched */
	assert_int_equal(theirs_n, 1);
	assert_int_equal(uppp_loop_del_fd(l, mine), 0);
	uppp_loop_free(l);
	close(mine);
	close(theirs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_order),
		cmocka_unit_test(test_rearm_moves_and_cancel),
		cmocka_unit_test(test_rearm_self_from_callback),
		cmocka_unit_test(test_rearm_now_does_not_spin),
		cmocka_unit_test(test_cancel_other_due_timer_from_callback),
		cmocka_unit_test(test_heap_stress),
		cmocka_unit_test(test_free_with_armed_timers_and_null_cb),
		cmocka_unit_test(test_pipe_and_eventfd),
		cmocka_unit_test(test_del_fd_inside_callback),
		cmocka_unit_test(test_del_and_readd_inside_callback),
		cmocka_unit_test(test_fd_and_timeout_for_an_outer_loop),
		cmocka_unit_test(test_run_until_stop),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_random_pooled),
		cmocka_unit_test(test_foreign_fd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
