/* runtime/loop.h — the event loop: file descriptors (epoll) and timers.
 *
 * One loop per thread; it is not thread-safe. Time is CLOCK_MONOTONIC in
 * milliseconds, read once per iteration (after epoll_wait returns) and
 * cached: every callback of one iteration sees the same uppp_loop_now().
 *
 * Timers are embedded in their owner (struct uppp_timer): arming one never
 * allocates except when the loop's heap must grow past its high-water mark
 * (amortised, by realloc). The heap is a binary min-heap ordered by
 * (deadline, arm order), so timers due at the same millisecond fire in the
 * order they were armed. A timer callback may arm or cancel any timer,
 * itself included, and may cancel other timers that are also due (they then
 * do not fire). A timer (re-)armed while timers are being run never fires
 * in that same pass: it waits for the next iteration, so a callback that
 * re-arms itself "now" cannot spin the loop.
 *
 * Deleting an fd from any callback is safe: no callback runs for it
 * afterwards, even if epoll already reported it in the current batch.
 *
 * Busy polling (uppp_loop_set_busy_poll, off by default): after an
 * iteration that ran a callback (an fd event or a timer), the loop polls
 * (epoll_wait with timeout 0) instead of blocking until USEC microseconds
 * pass without a callback, then blocks again. A packet arriving in that
 * window is seen without waking a sleeping thread (on a VM, the wake-up --
 * idle vCPU halt, IPI, scheduler -- costs 90-165 us per hop). The price is
 * one core at 100 % while traffic flows and for USEC after it. A poll that
 * found nothing yields the CPU (sched_yield): a process that shares our CPU
 * and was just woken -- the peer of a ping, say -- then runs at once rather
 * than after our time slice (measured on one CPU: a round trip 0.2-0.3 ms
 * with it, 2.3 ms without). Timers still fire on time (each polling
 * iteration runs what is due) and uppp_loop_stop() still stops
 * uppp_loop_run() after the current iteration.
 * A caller that waits in its own loop sees the window through
 * uppp_loop_timeout_ms(), which is 0 while it lasts. */
#ifndef UPPP_CORE_LOOP_H
#define UPPP_CORE_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

#include "core/deadline_heap.h"
#include "runtime/random.h"   /* uppp_random_bytes() */

struct uppp_loop;

typedef void (*uppp_fd_cb)(void *ctx, int fd, uint32_t events);

struct uppp_timer {
	/* deadline (ms on the loop's clock) and arm order, in the loop's
	 * deadline heap (core/deadline_heap.h) while armed */
	struct uppp_dheap_entry entry;
	void (*cb)(void *ctx, uint64_t now);
	void *ctx;
};

/* Returns a new loop, or NULL with errno set. */
struct uppp_loop *uppp_loop_new(void);
/* Closes the loop's own descriptors and frees it. Registered fds are not
 * closed (their owners close them); armed timers become unarmed. */
void uppp_loop_free(struct uppp_loop *l);

/* Watches fd for events (EPOLLIN, EPOLLOUT, ...; EPOLLERR and EPOLLHUP are
 * always reported). Returns 0, -EEXIST if fd is already watched, -EBADF,
 * -ENOMEM, or another -errno from epoll_ctl. */
int uppp_loop_add_fd(struct uppp_loop *l, int fd, uint32_t events, uppp_fd_cb cb, void *ctx);
/* An embedder's fd in the loop (uppp_server_watch_fd): watched for EPOLLIN
 * as uppp_loop_add_fd does; the del form takes out only such an fd
 * (-ENOENT for the loop's own), so no caller can unwatch an interface. */
int uppp_loop_add_foreign_fd(struct uppp_loop *l, int fd, uppp_fd_cb cb, void *ctx);
int uppp_loop_del_foreign_fd(struct uppp_loop *l, int fd);
/* Changes the events watched on fd (callback unchanged). 0 or -ENOENT / -errno. */
int uppp_loop_mod_fd(struct uppp_loop *l, int fd, uint32_t events);
/* Stops watching fd. Call it before closing fd. 0 or -ENOENT. */
int uppp_loop_del_fd(struct uppp_loop *l, int fd);

void uppp_timer_init(struct uppp_timer *t, void (*cb)(void *ctx, uint64_t now), void *ctx);
/* Arms t to fire at deadline_ms (loop clock). Re-arming an armed timer moves
 * it. UINT64_MAX cancels. A deadline in the past means "next iteration".
 * Returns 0, or -ENOMEM if the heap had to grow and could not (t is then
 * unchanged: still armed at its old deadline, or not armed). */
int uppp_timer_arm(struct uppp_loop *l, struct uppp_timer *t, uint64_t deadline_ms);
/* Disarms t (no-op when not armed). O(log n). */
void uppp_timer_cancel(struct uppp_loop *l, struct uppp_timer *t);
bool uppp_timer_armed(const struct uppp_timer *t);

/* The loop's cached time (ms, CLOCK_MONOTONIC). */
uint64_t uppp_loop_now(struct uppp_loop *l);
/* Reads the clock into the loop's cached time and returns it: for a call
 * into the runtime from outside an iteration (the cache may be as old as
 * the caller's last wait). */
uint64_t uppp_loop_refresh_now(struct uppp_loop *l);
/* CLOCK_MONOTONIC in ms, read now. */
uint64_t uppp_monotonic_ms(void);

/* The loop's epoll descriptor, for a caller that waits in its own loop:
 * it polls readable when a watched fd has an event. Owned by the loop. */
int uppp_loop_fd(const struct uppp_loop *l);
/* Milliseconds from now (read now) until the earliest armed timer: 0 when
 * one is due or while busy polling, -1 when none is armed. */
int uppp_loop_timeout_ms(const struct uppp_loop *l);

/* Busy polling: 0 (the default) = off. At most this many µs. */
#define UPPP_LOOP_BUSY_POLL_MAX_US 1000000u
/* Sets the busy-poll window to usec microseconds (0 = off; see above).
 * Returns 0, or -EINVAL when usec > UPPP_LOOP_BUSY_POLL_MAX_US. */
int uppp_loop_set_busy_poll(struct uppp_loop *l, unsigned usec);
unsigned uppp_loop_busy_poll(const struct uppp_loop *l);

/* For tests: a clock, a wait and a yield in place of CLOCK_MONOTONIC,
 * epoll_wait and sched_yield
 * (test/kernel/test_loop_busy_poll.c drives the loop on a virtual clock and
 * counts its polls). NULL members (or hooks NULL) keep the defaults. The
 * loop's cached time is read again from the new clock. */
struct uppp_loop_hooks {
	uint64_t (*clock_us)(void *ctx);   /* microseconds, never going back */
	/* as epoll_wait(epfd, evs, max, timeout_ms) */
	int (*wait)(void *ctx, int epfd, struct epoll_event *evs, int max, int timeout_ms);
	void (*yield)(void *ctx);
	void *ctx;
};
void uppp_loop_set_hooks(struct uppp_loop *l, const struct uppp_loop_hooks *hooks);

/* Runs iterations until uppp_loop_stop(). Returns 0 after a stop, or -errno
 * if epoll_wait fails (EINTR is not a failure). */
int uppp_loop_run(struct uppp_loop *l);
/* Makes uppp_loop_run() return after the current iteration (or at once,
 * if called while it is not running). */
void uppp_loop_stop(struct uppp_loop *l);
/* One iteration: waits up to max_wait_ms (-1: no limit but the next timer;
 * 0: poll; busy polling: 0) for fds, then runs fd callbacks and due timers.
 * Returns the number of callbacks run, or -errno. */
int uppp_loop_run_once(struct uppp_loop *l, int max_wait_ms);

#endif
