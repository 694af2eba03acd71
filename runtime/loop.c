/* runtime/loop.c — epoll event loop with a timer heap (see loop.h). */
#include "runtime/loop.h"

#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 64
#define HEAP_INITIAL 64

struct fd_entry {
	int fd;
	bool dead;                  /* deleted: skip any event already fetched for it */
	bool foreign;               /* the embedder's (uppp_loop_add_foreign_fd) */
	uppp_fd_cb cb;
	void *ctx;
	struct fd_entry *next_dead;
};

struct uppp_loop {
	int epfd;
	bool stopping;
	uint64_t now;

	struct uppp_dheap timers;   /* storage grown by uppp_timer_arm (realloc) */

	struct fd_entry **by_fd;    /* indexed by fd */
	size_t n_by_fd;
	struct fd_entry *dead;      /* freed at the end of the iteration */

	/* Busy polling (uppp_loop_set_busy_poll): 0 = off. While the clock is
	 * before busy_until_us, iterations poll without blocking. */
	uint64_t busy_poll_us;
	uint64_t busy_until_us;     /* last work's end + busy_poll_us (µs on the loop's clock) */

	struct uppp_loop_hooks hooks;  /* NULL members: CLOCK_MONOTONIC, epoll_wait, sched_yield */
};

uint64_t uppp_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The loop's clock in µs: CLOCK_MONOTONIC, or a test's (uppp_loop_set_hooks). */
static uint64_t clock_us(const struct uppp_loop *l)
{
	if (l->hooks.clock_us)
		return l->hooks.clock_us(l->hooks.ctx);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int wait_events(struct uppp_loop *l, struct epoll_event *evs, int max, int timeout_ms)
{
	if (l->hooks.wait)
		return l->hooks.wait(l->hooks.ctx, l->epfd, evs, max, timeout_ms);
	return epoll_wait(l->epfd, evs, max, timeout_ms);
}

uint64_t uppp_loop_now(struct uppp_loop *l) { return l->now; }

uint64_t uppp_loop_refresh_now(struct uppp_loop *l)
{
	uint64_t now = clock_us(l) / 1000u;
	if (now > l->now)
		l->now = now;
	return l->now;
}

struct uppp_loop *uppp_loop_new(void)
{
	struct uppp_loop *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int err = errno;
		free(l);
		errno = err;
		return NULL;
	}
	l->now = uppp_monotonic_ms();
	return l;
}

static void free_dead(struct uppp_loop *l)
{
	while (l->dead) {
		struct fd_entry *e = l->dead;
		l->dead = e->next_dead;
		free(e);
	}
}

void uppp_loop_free(struct uppp_loop *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->timers.n; i++)
		uppp_dheap_entry_init(l->timers.v[i]);
	free(l->timers.v);
	for (size_t i = 0; i < l->n_by_fd; i++)
		free(l->by_fd[i]);
	free(l->by_fd);
	free_dead(l);
	close(l->epfd);
	free(l);
}

/* ---- file descriptors ---- */

static struct fd_entry *entry_of(struct uppp_loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->n_by_fd)
		return NULL;
	return l->by_fd[fd];
}

int uppp_loop_add_fd(struct uppp_loop *l, int fd, uint32_t events, uppp_fd_cb cb, void *ctx)
{
	if (fd < 0)
		return -EBADF;
	if (entry_of(l, fd))
		return -EEXIST;
	if ((size_t)fd >= l->n_by_fd) {
		size_t n = l->n_by_fd ? l->n_by_fd : 16;
		while (n <= (size_t)fd)
			n *= 2;
		struct fd_entry **grown = realloc(l->by_fd, n * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		memset(grown + l->n_by_fd, 0, (n - l->n_by_fd) * sizeof(*grown));
		l->by_fd = grown;
		l->n_by_fd = n;
	}
	struct fd_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->fd = fd;
	e->cb = cb;
	e->ctx = ctx;
	struct epoll_event ev = { .events = events, .data.ptr = e };
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = errno;
		free(e);
		return -err;
	}
	l->by_fd[fd] = e;
	return 0;
}

int uppp_loop_add_foreign_fd(struct uppp_loop *l, int fd, uppp_fd_cb cb, void *ctx)
{
	int rc = uppp_loop_add_fd(l, fd, EPOLLIN, cb, ctx);
	if (rc == 0)
		l->by_fd[fd]->foreign = true;
	return rc;
}

int uppp_loop_del_foreign_fd(struct uppp_loop *l, int fd)
{
	const struct fd_entry *e = entry_of(l, fd);
	return e && e->foreign ? uppp_loop_del_fd(l, fd) : -ENOENT;
}

int uppp_loop_mod_fd(struct uppp_loop *l, int fd, uint32_t events)
{
	struct fd_entry *e = entry_of(l, fd);
	if (!e)
		return -ENOENT;
	struct epoll_event ev = { .events = events, .data.ptr = e };
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int uppp_loop_del_fd(struct uppp_loop *l, int fd)
{
	struct fd_entry *e = entry_of(l, fd);
	if (!e)
		return -ENOENT;
	/* Fails harmlessly (EBADF/ENOENT) if the owner already closed fd: the
	 * kernel then dropped it from the epoll set by itself. */
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	l->by_fd[fd] = NULL;
	/* Events for e may sit in the batch being dispatched: free it later. */
	e->dead = true;
	e->next_dead = l->dead;
	l->dead = e;
	return 0;
}

/* ---- timers: the loop's deadline heap (core/deadline_heap.h) ---- */

void uppp_timer_init(struct uppp_timer *t, void (*cb)(void *ctx, uint64_t now), void *ctx)
{
	uppp_dheap_entry_init(&t->entry);
	t->cb = cb;
	t->ctx = ctx;
}

bool uppp_timer_armed(const struct uppp_timer *t) { return uppp_dheap_contains(&t->entry); }

void uppp_timer_cancel(struct uppp_loop *l, struct uppp_timer *t)
{
	uppp_dheap_remove(&l->timers, &t->entry);
}

int uppp_timer_arm(struct uppp_loop *l, struct uppp_timer *t, uint64_t deadline_ms)
{
	if (deadline_ms == UINT64_MAX) {
		uppp_timer_cancel(l, t);
		return 0;
	}
	if (!uppp_timer_armed(t) && uppp_dheap_full(&l->timers)) {
		size_t cap = l->timers.cap ? l->timers.cap * 2 : HEAP_INITIAL;
		struct uppp_dheap_entry **grown = realloc(l->timers.v, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		uppp_dheap_set_storage(&l->timers, grown, cap);
	}
	/* A past deadline is "now": keeps timers armed by a timer callback
	 * behind the ones already due (see run_timers). */
	return uppp_dheap_set(&l->timers, &t->entry, deadline_ms, l->now);
}

/* Fires the timers due at l->now that were armed before this pass began.
 * Timers (re-)armed by a callback get a newer seq and a deadline >= now, so
 * they sort after every older due timer: stopping at the first one never
 * skips a timer that was due. */
static int run_timers(struct uppp_loop *l)
{
	uint64_t pass = uppp_dheap_pass(&l->timers);
	struct uppp_dheap_entry *e;
	int fired = 0;

	while ((e = uppp_dheap_pop_due(&l->timers, l->now, pass)) != NULL) {
		struct uppp_timer *t = (struct uppp_timer *)((char *)e - offsetof(struct uppp_timer, entry));
		fired++;
		if (t->cb)
			t->cb(t->ctx, l->now);
	}
	return fired;
}

/* ---- busy polling and test hooks ---- */

int uppp_loop_set_busy_poll(struct uppp_loop *l, unsigned usec)
{
	if (usec > UPPP_LOOP_BUSY_POLL_MAX_US)
		return -EINVAL;
	l->busy_poll_us = usec;
	l->busy_until_us = 0;   /* the window opens at the next work */
	return 0;
}

unsigned uppp_loop_busy_poll(const struct uppp_loop *l) { return (unsigned)l->busy_poll_us; }

void uppp_loop_set_hooks(struct uppp_loop *l, const struct uppp_loop_hooks *hooks)
{
	if (hooks)
		l->hooks = *hooks;
	else
		memset(&l->hooks, 0, sizeof(l->hooks));
	l->now = clock_us(l) / 1000u;
}

/* True while the loop should poll rather than block: work ended less than
 * busy_poll_us ago. */
static bool busy_polling(const struct uppp_loop *l, uint64_t now_us)
{
	return l->busy_poll_us && now_us < l->busy_until_us;
}

/* ---- running ---- */

int uppp_loop_fd(const struct uppp_loop *l) { return l->epfd; }

int uppp_loop_timeout_ms(const struct uppp_loop *l)
{
	uint64_t now_us = clock_us(l);
	if (busy_polling(l, now_us))
		return 0;
	if (l->timers.n == 0)
		return -1;
	uint64_t now = now_us / 1000u, d = uppp_dheap_next(&l->timers);
	uint64_t wait = d <= now ? 0 : d - now;
	return wait > INT_MAX ? INT_MAX : (int)wait;
}

int uppp_loop_run_once(struct uppp_loop *l, int max_wait_ms)
{
	struct epoll_event evs[MAX_EVENTS];
	int timeout = max_wait_ms;
	uint64_t now_us = clock_us(l);
	uint64_t now = now_us / 1000u;

	/* Busy polling: the wait polls, and every iteration reads the clock and
	 * runs what is due, so no timer waits for the window to end. */
	bool busy = busy_polling(l, now_us);
	if (busy) {
		timeout = 0;
	} else if (l->timers.n > 0) {
		uint64_t d = uppp_dheap_next(&l->timers);
		uint64_t wait = d <= now ? 0 : d - now;
		if (wait > INT_MAX)
			wait = INT_MAX;
		if (timeout < 0 || (uint64_t)timeout > wait)
			timeout = (int)wait;
	}
	int n = wait_events(l, evs, MAX_EVENTS, timeout);
	if (n < 0) {
		if (errno != EINTR)
			return -errno;
		n = 0;
	}
	l->now = clock_us(l) / 1000u;

	int ran = 0;
	for (int i = 0; i < n; i++) {
		struct fd_entry *e = evs[i].data.ptr;
		if (e->dead)
			continue;
		ran++;
		if (e->cb)
			e->cb(e->ctx, e->fd, evs[i].events);
	}
	ran += run_timers(l);
	free_dead(l);
	/* the window runs from the end of the work */
	if (ran > 0 && l->busy_poll_us)
		l->busy_until_us = clock_us(l) + l->busy_poll_us;
	/* An empty poll lets any other runnable thread of this CPU go first:
	 * the peer process a packet just woke, when both share one CPU, would
	 * otherwise wait for our time slice to end (milliseconds). */
	else if (busy)
		l->hooks.yield ? l->hooks.yield(l->hooks.ctx) : (void)sched_yield();
	return ran;
}

int uppp_loop_run(struct uppp_loop *l)
{
	while (!l->stopping) {
		int rc = uppp_loop_run_once(l, -1);
		if (rc < 0)
			return rc;
	}
	l->stopping = false;  /* the next run runs again */
	return 0;
}

void uppp_loop_stop(struct uppp_loop *l) { l->stopping = true; }
