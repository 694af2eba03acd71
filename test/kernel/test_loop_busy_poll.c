/* test_loop_busy_poll.c — the loop's busy polling (uppp_loop_set_busy_poll),
 * on a virtual clock: the loop's clock and wait are replaced
 * (uppp_loop_set_hooks) by a fake that counts every wait by its timeout,
 * moves the virtual clock on by POLL_COST_US per poll and by the whole
 * timeout for a blocking wait, and fetches real events from the real epoll
 * set with epoll_wait(timeout 0). No verdict depends on wall-clock time:
 * counts are exact because the clock moves only when the fake says so.
 *
 * Pinned: off = no zero-timeout poll when idle; on = polls until USEC of
 * virtual time passed without work, then blocks; work in the window
 * extends it; a timer due in the window fires in the first poll at or after
 * its deadline; uppp_loop_stop() ends uppp_loop_run() while polling; an
 * empty poll yields the CPU, one that found work does not;
 * uppp_loop_timeout_ms() is 0 during the window; the range check. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/loop.h"

#define POLL_COST_US 10          /* virtual time one non-blocking poll takes */
#define START_US 5000000000ull   /* the virtual clock's start (ms part 5000000) */

struct fake {
	uint64_t now_us;
	unsigned polls;          /* waits with timeout 0 */
	unsigned blocks;         /* waits with timeout != 0 */
	unsigned yields;
	int last_timeout;
	/* a blocking wait with no limit would hang a real loop: fail instead */
	bool forbid_infinite;
	/* each poll: after this many polls (0: never), the fake makes the eventfd readable */
	unsigned event_at_poll;
	int efd;
	/* stop the loop from inside the wait after this many polls (0: never) */
	unsigned stop_at_poll;
	struct uppp_loop *loop;
};

static uint64_t fake_clock(void *ctx) { return ((struct fake *)ctx)->now_us; }
static void fake_yield(void *ctx) { ((struct fake *)ctx)->yields++; }

static void make_readable(int efd)
{
	uint64_t one = 1;
	assert_int_equal(write(efd, &one, sizeof(one)), (ssize_t)sizeof(one));
}

static int fake_wait(void *ctx, int epfd, struct epoll_event *evs, int max, int timeout_ms)
{
	struct fake *f = ctx;
	f->last_timeout = timeout_ms;
	if (timeout_ms == 0) {
		f->polls++;
		f->now_us += POLL_COST_US;
		if (f->event_at_poll && f->polls == f->event_at_poll)
			make_readable(f->efd);
		if (f->stop_at_poll && f->polls == f->stop_at_poll)
			uppp_loop_stop(f->loop);
	} else {
		f->blocks++;
		if (timeout_ms < 0) {
			/* nothing can wake us but a real event: fetch what is there */
			assert_false(f->forbid_infinite);
		} else {
			f->now_us += (uint64_t)timeout_ms * 1000u;
		}
	}
	return epoll_wait(epfd, evs, max, 0);
}

struct fdctx {
	int efd;
	unsigned calls;
};

static void fd_cb(void *ctx, int fd, uint32_t events)
{
	struct fdctx *c = ctx;
	uint64_t v;
	(void)events;
	assert_int_equal(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	c->calls++;
}

struct tctx {
	struct fake *f;
	unsigned fired;
	uint64_t fired_at_us;
	unsigned polls_at_fire;
	bool stop;
	struct uppp_loop *loop;
};

static void timer_cb(void *ctx, uint64_t now)
{
	struct tctx *t = ctx;
	(void)now;
	t->fired++;
	t->fired_at_us = t->f->now_us;
	t->polls_at_fire = t->f->polls;
	if (t->stop)
		uppp_loop_stop(t->loop);
}

struct world {
	struct uppp_loop *l;
	struct fake f;
	struct fdctx fc;
};

static void world_init(struct world *w, unsigned busy_us)
{
	memset(w, 0, sizeof(*w));
	w->l = uppp_loop_new();
	assert_non_null(w->l);
	w->f.now_us = START_US;
	w->f.loop = w->l;
	w->fc.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(w->fc.efd >= 0);
	w->f.efd = w->fc.efd;
	struct uppp_loop_hooks h = { .clock_us = fake_clock, .wait = fake_wait, .yield = fake_yield, .ctx = &w->f };
	uppp_loop_set_hooks(w->l, &h);
	assert_int_equal(uppp_loop_now(w->l), START_US / 1000u);
	assert_int_equal(uppp_loop_add_fd(w->l, w->fc.efd, EPOLLIN, fd_cb, &w->fc), 0);
	assert_int_equal(uppp_loop_set_busy_poll(w->l, busy_us), 0);
	assert_int_equal(uppp_loop_busy_poll(w->l), busy_us);
}

static void world_free(struct world *w)
{
	uppp_loop_del_fd(w->l, w->fc.efd);
	close(w->fc.efd);
	uppp_loop_free(w->l);
}

/* One event, handled by one blocking iteration (the fd is readable). */
static void one_event(struct world *w)
{
	make_readable(w->fc.efd);
	unsigned calls = w->fc.calls;
	assert_int_equal(uppp_loop_run_once(w->l, -1), 1);
	assert_int_equal(w->fc.calls, calls + 1);
}

/* ---- off ---- */

static void test_off_never_polls_when_idle(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, 0);
	struct tctx t = { .f = &w.f };
	struct uppp_timer tm;
	uppp_timer_init(&tm, timer_cb, &t);

	one_event(&w);
	/* idle after work: the next waits block until the timer, never poll */
	assert_int_equal(uppp_loop_timeout_ms(w.l), -1);
	assert_int_equal(uppp_timer_arm(w.l, &tm, uppp_loop_now(w.l) + 5), 0);
	assert_int_equal(uppp_loop_timeout_ms(w.l), 5);
	assert_int_equal(uppp_loop_run_once(w.l, -1), 1);
	assert_int_equal(t.fired, 1);
	assert_int_equal(w.f.last_timeout, 5);
	assert_int_equal(uppp_loop_run_once(w.l, 50), 0);
	assert_int_equal(w.f.last_timeout, 50);
	assert_int_equal(w.f.polls, 0);
	assert_int_equal(w.f.blocks, 3);
	assert_int_equal(w.f.yields, 0);
	world_free(&w);
}

/* ---- on ---- */

static void test_polls_for_the_window_then_blocks(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, 100);

	/* before any work: no window, the loop blocks */
	assert_int_equal(uppp_loop_timeout_ms(w.l), -1);
	assert_int_equal(uppp_loop_run_once(w.l, 7), 0);
	assert_int_equal(w.f.polls, 0);

	one_event(&w);
	uint64_t work_end = w.f.now_us;
	unsigned blocks = w.f.blocks;
	/* 100 µs of 10 µs polls: exactly 10 iterations poll, then it blocks */
	unsigned iterations = 0;
	while (w.f.blocks == blocks) {
		if (w.f.now_us < work_end + 100)
			assert_int_equal(uppp_loop_timeout_ms(w.l), 0);
		assert_int_equal(uppp_loop_run_once(w.l, 20), 0);
		assert_true(++iterations <= 1000);
	}
	assert_int_equal(w.f.polls, 100 / POLL_COST_US);
	assert_int_equal(w.f.last_timeout, 20);          /* the caller's limit again */
	assert_int_equal(uppp_loop_timeout_ms(w.l), -1); /* and so for an outer loop */
	assert_int_equal(iterations, 100 / POLL_COST_US + 1);
	assert_int_equal(w.f.yields, w.f.polls);   /* every poll was empty: each gave the CPU away */
	world_free(&w);
}

static void test_work_in_the_window_extends_it(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, 100);
	w.f.event_at_poll = 5;   /* a packet arrives during the 5th poll */

	one_event(&w);
	w.f.forbid_infinite = true;
	while (w.f.blocks == 1)
		assert_true(uppp_loop_run_once(w.l, 20) >= 0);
	assert_int_equal(w.fc.calls, 2);
	/* 5 polls up to the event, then a fresh window of 10 */
	assert_int_equal(w.f.polls, 5 + 100 / POLL_COST_US);
	assert_int_equal(w.f.yields, w.f.polls - 1);   /* not after the poll that found work */
	world_free(&w);
}

static void test_timer_fires_during_polling(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, 1000000);   /* a second: the timer falls well inside */
	struct tctx t = { .f = &w.f };
	struct uppp_timer tm;
	uppp_timer_init(&tm, timer_cb, &t);

	one_event(&w);
	uint64_t deadline_ms = uppp_loop_now(w.l) + 2;
	assert_int_equal(uppp_timer_arm(w.l, &tm, deadline_ms), 0);
	w.f.forbid_infinite = true;
	unsigned iterations = 0;
	while (!t.fired) {
		assert_true(uppp_loop_run_once(w.l, -1) >= 0);
		assert_true(++iterations <= 100000);
	}
	assert_int_equal(w.f.blocks, 1);   /* only one_event's: never slept towards the timer */
	/* fired in the first poll whose clock reached the deadline, not later */
	assert_true(t.fired_at_us >= deadline_ms * 1000u);
	assert_true(t.fired_at_us < deadline_ms * 1000u + POLL_COST_US);
	/* a timer is work too: the window goes on after it */
	assert_int_equal(uppp_loop_timeout_ms(w.l), 0);
	world_free(&w);
}

static void test_stop_ends_run_while_polling(void **state)
{
	(void)state;
	struct world w;
	world_init(&w, 1000000);

	/* stopped from a callback (a timer 3 ms after the work) */
	struct tctx t = { .f = &w.f, .stop = true, .loop = w.l };
	struct uppp_timer tm;
	uppp_timer_init(&tm, timer_cb, &t);
	one_event(&w);
	w.f.forbid_infinite = true;   /* a stop that failed would block for ever: fail instead */
	assert_int_equal(uppp_timer_arm(w.l, &tm, uppp_loop_now(w.l) + 3), 0);
	assert_int_equal(uppp_loop_run(w.l), 0);
	assert_int_equal(t.fired, 1);
	assert_int_equal(w.f.polls, t.polls_at_fire);   /* not one poll more */
	assert_int_equal(w.f.polls, 3000 / POLL_COST_US);
	assert_int_equal(w.f.blocks, 1);                 /* one_event's only */

	/* stopped from outside a callback (here: the wait itself) */
	unsigned polls = w.f.polls;
	w.f.stop_at_poll = polls + 7;
	assert_int_equal(uppp_loop_run(w.l), 0);
	assert_int_equal(w.f.polls, polls + 7);
	world_free(&w);
}

static void test_range(void **state)
{
	(void)state;
	struct uppp_loop *l = uppp_loop_new();
	assert_non_null(l);
	assert_int_equal(uppp_loop_busy_poll(l), 0);   /* off by default */
	assert_int_equal(uppp_loop_set_busy_poll(l, UPPP_LOOP_BUSY_POLL_MAX_US), 0);
	assert_int_equal(uppp_loop_set_busy_poll(l, UPPP_LOOP_BUSY_POLL_MAX_US + 1), -EINVAL);
	assert_int_equal(uppp_loop_busy_poll(l), UPPP_LOOP_BUSY_POLL_MAX_US);
	assert_int_equal(uppp_loop_set_busy_poll(l, 0), 0);
	uppp_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_never_polls_when_idle),
		cmocka_unit_test(test_polls_for_the_window_then_blocks),
		cmocka_unit_test(test_work_in_the_window_extends_it),
		cmocka_unit_test(test_timer_fires_during_polling),
		cmocka_unit_test(test_stop_ends_run_while_polling),
		cmocka_unit_test(test_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
