/* test_host.c — runtime/host.c, the glue both runtimes share, and its one
 * loop timer that cannot be armed.
 *
 * First, without root: the glue on a real loop (runtime/loop.c) with a fake
 * engine — the timer follows the engine's deadline, a fired timer runs the
 * engine and re-arms, and an arm that fails reaches engine->timer_failed,
 * from a direct re-arm and from the timer's own path.
 *
 * Then, as root inside a network namespace of its own (the process unshares
 * one; it vanishes with every interface when the process exits): a real
 * server and a real client runtime in this process, over a veth pair, with
 * a session up. The server's timer is then made to fail (as when the loop's
 * heap cannot grow): the session must end with cause host-error — PADT to
 * the client, the interface removed — instead of hanging. The same for the
 * client's timer. Without root these cases skip.
 *
 * No verdict depends on the machine's speed: every wait is for the event
 * itself (a log line, done), bounded only by HANG_GUARD_MS against hangs. */
#define _GNU_SOURCE  /* unshare() */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "uppp/uppp.h"
#include "proto/ppp.h"     /* UPPP_NO_DEADLINE */
#include "runtime/host.h"
#include "runtime/loop.h"

#include "private_netns.h"
#include "eventfd_count.h"

/* Upper bound of any wait for something that must happen: only a hang hits it. */
#define HANG_GUARD_MS 60000

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- the loop cannot hold the timer ---- */

static unsigned arms_failed;

/* As uppp_timer_arm when the loop's heap cannot grow: cancelling still
 * works, arming fails with -ENOMEM and leaves the timer unarmed. */
static int arm_no_memory(struct uppp_loop *l, struct uppp_timer *t, uint64_t deadline_ms)
{
	if (deadline_ms == UINT64_MAX)
		return uppp_timer_arm(l, t, deadline_ms);
	uppp_timer_cancel(l, t);
	arms_failed++;
	return -ENOMEM;
}

/* ---- the glue with a fake engine (no root) ---- */

struct fake {
	struct uppp_host *h;
	uint64_t deadline;
	unsigned runs, fails;
	int fail_err;
	bool fail_arm_when_run;   /* run_timers makes the next arm fail */
};

static uint64_t fake_next_deadline(void *ctx) { return ((struct fake *)ctx)->deadline; }

static void fake_run_timers(void *ctx, uint64_t now)
{
	struct fake *f = ctx;
	(void)now;
	f->runs++;
	f->deadline = now + 5000;  /* the engine wants the timer again */
	if (f->fail_arm_when_run)
		f->h->arm_timer = arm_no_memory;
}

static void fake_input(void *ctx, uint8_t *frame, size_t len, uint64_t now)
{
	(void)ctx, (void)frame, (void)len, (void)now;
	fail_msg("no Ethernet in this test");
}

static void fake_send_ip(void *ctx, void *session, uint8_t *pkt, size_t len, uint64_t now)
{
	(void)ctx, (void)session, (void)pkt, (void)len, (void)now;
	fail_msg("no interface in this test");
}

static void fake_timer_failed(void *ctx, int err, uint64_t now)
{
	struct fake *f = ctx;
	(void)now;
	f->fails++;
	f->fail_err = err;
	f->deadline = UPPP_NO_DEADLINE;  /* as the engines do: everything ended */
}

static void fake_eth_failed(void *ctx, int err, uint64_t now)
{
	(void)ctx, (void)err, (void)now;
	fail_msg("no Ethernet in this test");
}

static const struct uppp_host_engine fake_engine = {
	.next_deadline = fake_next_deadline,
	.run_timers = fake_run_timers,
	.input = fake_input,
	.send_ip = fake_send_ip,
	.timer_failed = fake_timer_failed,
	.eth_failed = fake_eth_failed,
};

static struct uppp_host *fake_host(struct fake *f)
{
	struct uppp_host *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	memset(f, 0, sizeof(*f));
	f->h = h;
	f->deadline = UPPP_NO_DEADLINE;
	uppp_host_init(h, NULL, NULL, NULL, UPPP_LOG_ERR, &fake_engine, f);  /* no log: the engine logs */
	h->loop = uppp_loop_new();
	assert_non_null(h->loop);
	return h;
}

static void free_host(struct uppp_host *h)
{
	uppp_host_close(h);
	free(h);
}

static void test_rearm_follows_deadline(void **state)
{
	struct fake f;
	struct uppp_host *h = fake_host(&f);
	(void)state;

	uppp_host_rearm(h);
	assert_false(uppp_timer_armed(&h->timer));
	assert_int_equal(uppp_loop_timeout_ms(h->loop), -1);

	f.deadline = uppp_loop_refresh_now(h->loop) + 10000;
	uppp_host_rearm(h);
	assert_true(uppp_timer_armed(&h->timer));
	int t = uppp_loop_timeout_ms(h->loop);
	assert_true(t > 0 && t <= 10000);

	f.deadline = UPPP_NO_DEADLINE;  /* cancels */
	uppp_host_rearm(h);
	assert_false(uppp_timer_armed(&h->timer));
	assert_int_equal(f.fails, 0);
	free_host(h);
}

static void test_fired_timer_runs_engine_and_rearms(void **state)
{
	struct fake f;
	struct uppp_host *h = fake_host(&f);
	(void)state;

	f.deadline = uppp_loop_refresh_now(h->loop);  /* due now: the next iteration */
	uppp_host_rearm(h);
	assert_true(uppp_loop_run_once(h->loop, HANG_GUARD_MS) >= 1);
	assert_int_equal(f.runs, 1);
	assert_true(uppp_timer_armed(&h->timer));  /* at the engine's new deadline */
	assert_int_equal(f.fails, 0);
	free_host(h);
}

static void test_arm_failure_reaches_engine(void **state)
{
	struct fake f;
	struct uppp_host *h = fake_host(&f);
	(void)state;

	h->arm_timer = arm_no_memory;
	f.deadline = uppp_loop_refresh_now(h->loop) + 1000;
	uppp_host_rearm(h);
	assert_int_equal(f.fails, 1);
	assert_int_equal(f.fail_err, -ENOMEM);
	assert_false(uppp_timer_armed(&h->timer));
	free_host(h);
}

static void test_arm_failure_after_timer_fired(void **state)
{
	struct fake f;
	struct uppp_host *h = fake_host(&f);
	(void)state;

	f.fail_arm_when_run = true;
	f.deadline = uppp_loop_refresh_now(h->loop);
	uppp_host_rearm(h);
	assert_true(uppp_loop_run_once(h->loop, HANG_GUARD_MS) >= 1);
	assert_int_equal(f.runs, 1);
	assert_int_equal(f.fails, 1);
	assert_int_equal(f.fail_err, -ENOMEM);
	assert_int_equal(uppp_loop_timeout_ms(h->loop), -1);  /* nothing left to spin on */
	free_host(h);
}

/* ---- a real server and client over a veth pair (root) ---- */

#define ETH_SRV "hsta"
#define ETH_CLI "hstb"
#define IF_SRV "hsts0"
#define IF_CLI "hstc0"

struct logbuf {
	char text[1 << 16];
	size_t len;
};

static void log_collect(void *ud, enum uppp_log_level level, const char *line)
{
	struct logbuf *b = ud;
	(void)level;
	int n = snprintf(b->text + b->len, sizeof(b->text) - b->len, "%s\n", line);
	if (n > 0 && b->len + (size_t)n < sizeof(b->text))
		b->len += (size_t)n;
}

struct world {
	struct uppp_server_config scfg;
	struct uppp_client_config ccfg;
	struct uppp_server *srv;
	struct uppp_client *cli;
	struct logbuf slog, clog;
};

static bool has_line(const struct logbuf *b, const char *what) { return strstr(b->text, what) != NULL; }

/* Polls both runtimes and dispatches them until done(w) holds, for at most
 * HANG_GUARD_MS. */
static bool pump_until(struct world *w, bool (*done)(struct world *))
{
	uint64_t end = mono_ms() + HANG_GUARD_MS;

	while (!done(w)) {
		if (mono_ms() > end)
			return false;
		struct pollfd p[2] = {
			{ .fd = uppp_server_fd(w->srv), .events = POLLIN },
			{ .fd = uppp_client_fd(w->cli), .events = POLLIN },
		};
		int ts = uppp_server_timeout_ms(w->srv), tc = uppp_client_timeout_ms(w->cli);
		int t = ts < 0 ? tc : tc < 0 ? ts : ts < tc ? ts : tc;
		if (t < 0 || t > 200)
			t = 200;  /* only to look at the guard again */
		(void)poll(p, 2, t);
		assert_true(uppp_server_dispatch(w->srv) >= 0);
		if (!uppp_client_done(w->cli))
			assert_true(uppp_client_dispatch(w->cli) >= 0);
	}
	return true;
}

static void show_logs_and_fail(struct world *w)
{
	printf("no host-error end\n--- server\n%s--- client\n%s", w->slog.text, w->clog.text);
	fail();
}

static bool both_up(struct world *w)
{
	return has_line(&w->slog, "layer=session event=up") && has_line(&w->clog, "layer=session event=up");
}

static bool server_timer_failed_and_client_done(struct world *w)
{
	return has_line(&w->slog, "cause=host-error") && uppp_client_done(w->cli);
}

static bool client_done_server_ended(struct world *w)
{
	return uppp_client_done(w->cli) && has_line(&w->slog, "event=session-end");
}

static int world_setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w)
		return -1;
	uppp_server_config_defaults(&w->scfg);
	w->scfg.ifname = ETH_SRV;
	w->scfg.auth = UPPP_AUTH_NONE;
	w->scfg.local_ip = 0x0a4d0001;   /* 10.77.0.1 */
	w->scfg.first_ip = 0x0a4d0002;
	w->scfg.count = 2;
	w->scfg.if_pattern = IF_SRV;
	w->scfg.echo_interval_s = 1;     /* the timer runs while the session is up */
	w->scfg.log = log_collect;
	w->scfg.log_ud = &w->slog;
	uppp_client_config_defaults(&w->ccfg);
	w->ccfg.ifname = ETH_CLI;
	w->ccfg.user = "host-test";
	w->ccfg.password = "x";
	w->ccfg.if_name = IF_CLI;
	w->ccfg.echo_interval_s = 1;
	w->ccfg.log = log_collect;
	w->ccfg.log_ud = &w->clog;
	if (uppp_server_new(&w->scfg, &w->srv) < 0 || uppp_client_new(&w->ccfg, &w->cli) < 0) {
		printf("%s%s", w->slog.text, w->clog.text);
		return -1;
	}
	if (!pump_until(w, both_up)) {
		printf("no session came up\n--- server\n%s--- client\n%s", w->slog.text, w->clog.text);
		return -1;
	}
	*state = w;
	return 0;
}

static int world_teardown(void **state)
{
	struct world *w = *state;

	if (w) {
		uppp_client_free(w->cli);
		uppp_server_free(w->srv);
		free(w);
	}
	return 0;
}

/* A session device back in the server's pool: there, down, no IPv4 address. */
static bool if_idle(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool idle = false;

	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP))
		idle = ioctl(fd, SIOCGIFADDR, &ifr) < 0 && errno == EADDRNOTAVAIL;
	close(fd);
	return idle;
}

static void test_server_timer_failure_ends_sessions(void **state)
{
	struct world *w = *state;

	assert_int_not_equal(if_nametoindex(IF_SRV), 0);
	/* From now on the server's loop cannot hold its one timer: the next
	 * re-arm (after its echo timer fires, or after a frame) fails. */
	arms_failed = 0;
	uppp_server_host(w->srv)->arm_timer = arm_no_memory;
	if (!pump_until(w, server_timer_failed_and_client_done))
		show_logs_and_fail(w);
	assert_true(arms_failed >= 1);
	assert_true(has_line(&w->slog, "layer=core event=timer-failed sessions=1 err=Cannot allocate memory"));
	assert_true(has_line(&w->slog, "event=session-end cause=host-error"));
	/* the server said so: its Terminate-Request (or its PADT) reached the client */
	enum uppp_cause cc = uppp_client_cause(w->cli);
	assert_true(cc == UPPP_CAUSE_PEER_TERM_REQ || cc == UPPP_CAUSE_PEER_PADT);
	/* the interface is released: kept for the server's next session,
	 * down and without its address (netif/sessif.h) */
	assert_true(if_idle(IF_SRV));
	assert_false(uppp_server_done(w->srv));        /* the server itself goes on */
}

static void test_client_timer_failure_ends_session(void **state)
{
	struct world *w = *state;

	assert_int_not_equal(if_nametoindex(IF_CLI), 0);
	arms_failed = 0;
	uppp_client_host(w->cli)->arm_timer = arm_no_memory;
	if (!pump_until(w, client_done_server_ended))
		show_logs_and_fail(w);
	assert_true(arms_failed >= 1);
	assert_true(has_line(&w->clog, "event=timer-failed err=Cannot allocate memory"));
	assert_int_equal(uppp_client_cause(w->cli), UPPP_CAUSE_HOST_ERROR);
	assert_true(has_line(&w->slog, "event=session-end cause=peer-padt"));  /* the client's PADT */
	assert_int_equal(if_nametoindex(IF_CLI), 0);
}

/* uppp_server_reconfigure on a live server with a session up: what cannot
 * change live is refused by name, a malformed secrets file by FILE:LINE,
 * both changing nothing; a good config is taken and the session stays. */
static void test_server_reconfigure(void **state)
{
	struct world *w = *state;
	static struct uppp_server_config next;   /* the server keeps it until teardown */
	char err[512], path[] = "/tmp/uppp-reconf-XXXXXX";

	next = w->scfg;
	next.count = 3;
	assert_int_equal(uppp_server_reconfigure(w->srv, &next, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "the address pool (-R, -N) cannot change while the server runs"));
	assert_true(has_line(&w->slog, "event=reconfigure-failed"));

	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char bad[] = "alice * pw *\nbob\n";
	assert_int_equal(write(fd, bad, sizeof(bad) - 1), (ssize_t)sizeof(bad) - 1);
	close(fd);
	next = w->scfg;
	next.auth = UPPP_AUTH_CHAP_MD5;
	next.secrets_path = path;
	assert_int_equal(uppp_server_reconfigure(w->srv, &next, err, sizeof(err)), -EINVAL);
	char want[128];
	snprintf(want, sizeof(want), "%s:2: expected 'client server secret", path);
	assert_non_null(strstr(err, want));
	unlink(path);

	next = w->scfg;
	next.dns[0] = 0x0a4d0035;
	next.max_per_mac = 1;
	assert_int_equal(uppp_server_reconfigure(w->srv, &next, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_true(has_line(&w->slog, "event=reconfigured sessions=1"));
	memset(&w->scfg, 0xa5, sizeof(w->scfg));   /* the old config: no longer read */
	assert_false(has_line(&w->slog, "event=session-end"));
	assert_false(uppp_client_done(w->cli));
}

/* uppp_server_wait / uppp_client_wait with the caller's fd watched: a
 * write to it ends the wait and its callback runs there; an fd of the
 * runtime's own cannot be unwatched; once unwatched, a write is not seen. */
static void test_wait_and_watch_fd(void **state)
{
	struct world *w = *state;
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), seen = 0;
	uint64_t one = 1;

	assert_true(efd >= 0);
	assert_int_equal(uppp_server_watch_fd(w->srv, efd, test_eventfd_count, &seen), 0);
	assert_int_equal(uppp_server_watch_fd(w->srv, efd, test_eventfd_count, &seen), -EEXIST);
	assert_int_equal(uppp_server_watch_fd(w->srv, -1, test_eventfd_count, &seen), -EINVAL);
	assert_int_equal(uppp_server_unwatch_fd(w->srv, uppp_server_fd(w->srv)), -ENOENT);
	assert_int_equal(write(efd, &one, sizeof(one)), (ssize_t)sizeof(one));
	for (uint64_t end = mono_ms() + HANG_GUARD_MS; seen == 0 && mono_ms() < end;)
		assert_int_equal(uppp_server_wait(w->srv), 0);
	assert_int_equal(seen, 1);
	assert_int_equal(uppp_server_unwatch_fd(w->srv, efd), 0);
	assert_int_equal(uppp_server_unwatch_fd(w->srv, efd), -ENOENT);
	assert_int_equal(write(efd, &one, sizeof(one)), (ssize_t)sizeof(one));
	assert_int_equal(uppp_server_dispatch(w->srv), 0);
	assert_int_equal(seen, 1);

	assert_int_equal(uppp_client_watch_fd(w->cli, efd, test_eventfd_count, &seen), 0);   /* one is pending */
	for (uint64_t end = mono_ms() + HANG_GUARD_MS; seen == 1 && mono_ms() < end;)
		assert_int_equal(uppp_client_wait(w->cli), 0);
	assert_int_equal(seen, 2);
	assert_int_equal(uppp_client_unwatch_fd(w->cli, efd), 0);
	assert_false(uppp_client_done(w->cli));   /* the session is untouched */
	close(efd);
}

int main(void)
{
	const struct CMUnitTest glue[] = {
		cmocka_unit_test(test_rearm_follows_deadline),
		cmocka_unit_test(test_fired_timer_runs_engine_and_rearms),
		cmocka_unit_test(test_arm_failure_reaches_engine),
		cmocka_unit_test(test_arm_failure_after_timer_fired),
	};
	const struct CMUnitTest runtimes[] = {
		cmocka_unit_test_setup_teardown(test_server_timer_failure_ends_sessions, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_client_timer_failure_ends_session, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_server_reconfigure, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(test_wait_and_watch_fd, world_setup, world_teardown),
	};
	int rc = cmocka_run_group_tests_name("host glue", glue, NULL, NULL);

	if (rc)
		return rc;
	/* From here on this process lives in a namespace of its own. */
	const char *why = test_private_netns_veth(ETH_SRV, ETH_CLI);
	if (why) {
		printf("test_host: runtime cases SKIPPED: %s\n", why);
		return 0;
	}
	return cmocka_run_group_tests_name("runtimes", runtimes, NULL, NULL);
}
