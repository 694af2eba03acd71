/* test_hooks.c — the script runner on the real event loop
 * (runtime/hooks.h): a script's exit status is seen through its pidfd in
 * the loop, a script that hangs gets SIGTERM at its timeout, one that
 * ignores SIGTERM gets SIGKILL after the grace period, a job queued behind
 * another starts only after it exited, and freeing kills what still runs.
 * Each case waits for the exit event itself; the outer deadline only
 * guards against a hang. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/hooks.h"
#include "runtime/log.h"
#include "runtime/loop.h"

#define GUARD_MS 60000u

struct exit_rec {
	uint64_t id;
	enum uppp_hook_kind kind;
	int status;
};

struct world {
	struct uppp_loop *loop;
	struct uppp_log log;
	struct uppp_hooks hooks;
	char dir[64];
	char lines[64][512];
	size_t n_lines;
	struct exit_rec exits[16];
	size_t n_exits;
};

static void on_line(void *ud, enum uppp_log_level lvl, const char *line)
{
	struct world *w = ud;
	(void)lvl;
	if (w->n_lines < 64)
		snprintf(w->lines[w->n_lines++], sizeof(w->lines[0]), "%s", line);
}

static bool logged(const struct world *w, const char *a, const char *b)
{
	for (size_t i = 0; i < w->n_lines; i++)
		if (strstr(w->lines[i], a) && (!b || strstr(w->lines[i], b)))
			return true;
	return false;
}

static void on_exit_cb(void *ctx, uint64_t id, const struct uppp_hook_cmd *cmd, int status)
{
	struct world *w = ctx;
	if (w->n_exits < 16)
		w->exits[w->n_exits++] = (struct exit_rec){ id, cmd->kind, status };
}

static struct world *world_new(unsigned timeout_ms, unsigned grace_ms)
{
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->loop = uppp_loop_new();
	assert_non_null(w->loop);
	uppp_log_init_callback(&w->log, on_line, w, UPPP_LOG_DEBUG);
	uppp_hooks_init(&w->hooks, w->loop, &w->log, timeout_ms, grace_ms);
	w->hooks.on_exit = on_exit_cb;
	w->hooks.on_exit_ctx = w;
	snprintf(w->dir, sizeof(w->dir), "/tmp/uppp-hooks-XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	return w;
}

static void world_free(struct world *w)
{
	char cmd[128];
	uppp_hooks_free(&w->hooks);
	uppp_loop_free(w->loop);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", w->dir);
	assert_int_equal(system(cmd), 0);
	free(w);
}

/* A script named name in the world's directory; returns its path. */
static const char *script(struct world *w, const char *name, const char *body)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", w->dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s\n", body);
	fclose(fp);
	assert_int_equal(chmod(path, 0755), 0);
	return path;
}

static void cmd_for(struct uppp_hook_cmd *c, enum uppp_hook_kind k, const char *path)
{
	struct uppp_hook_facts f = { .ifname = "ppp0", .device = "eth0", .local_ip = 0x0a000001,
				     .peer_ip = 0x0a000002, .session_id = 1 };
	assert_int_equal(uppp_hook_build(k, path, &f, c), 0);
}

/* Runs the loop until n exits were seen (the event), or the guard. */
static void wait_exits(struct world *w, size_t n)
{
	uint64_t end = uppp_monotonic_ms() + GUARD_MS;
	while (w->n_exits < n && uppp_monotonic_ms() < end)
		assert_true(uppp_loop_run_once(w->loop, 100) >= 0);
	assert_int_equal(w->n_exits, n);
}

static void test_exit_status(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct uppp_hook_cmd c;
	cmd_for(&c, UPPP_HOOK_IP_UP, script(w, "ip-up", "exit 3"));
	int64_t id = uppp_hooks_run(&w->hooks, &c, 0);
	assert_true(id > 0);
	assert_true(uppp_hooks_pending(&w->hooks, (uint64_t)id));
	wait_exits(w, 1);
	assert_true(WIFEXITED(w->exits[0].status));
	assert_int_equal(WEXITSTATUS(w->exits[0].status), 3);
	assert_false(uppp_hooks_pending(&w->hooks, (uint64_t)id));
	assert_true(logged(w, "event=exit hook=ip-up", "status=3"));
	/* pidfd where the kernel has it (valgrind 3.19 does not know the
	 * syscall: the runner then polls, and says so) */
	assert_true(logged(w, "event=start hook=ip-up", w->hooks.no_pidfd ? "watch=poll" : "watch=pidfd"));
	assert_int_equal(w->hooks.timeouts, 0);
	world_free(w);
}

/* The script sees pppd's arguments, the built environment and nothing of
 * ours, with stdin on /dev/null. */
static void test_args_env_stdio(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct uppp_hook_cmd c;
	char out[160], line[512] = "";
	snprintf(out, sizeof(out), "%s/out", w->dir);
	char body[512];
	snprintf(body, sizeof(body), "echo \"$# $1 $4 $5 IFNAME=$IFNAME HOME=${HOME-unset}\" > %s; "
		 "read x; echo \"read=$?\" >> %s", out, out);
	setenv("HOME", "/root", 1);
	cmd_for(&c, UPPP_HOOK_IP_UP, script(w, "ip-up", body));
	assert_true(uppp_hooks_run(&w->hooks, &c, 0) > 0);
	wait_exits(w, 1);
	FILE *fp = fopen(out, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "6 ppp0 10.0.0.1 10.0.0.2 IFNAME=ppp0 HOME=unset\n");
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "read=1\n");   /* EOF at once: /dev/null */
	fclose(fp);
	world_free(w);
}

static void test_hang_gets_sigterm(void **state)
{
	(void)state;
	struct world *w = world_new(200, 30000);
	struct uppp_hook_cmd c;
	cmd_for(&c, UPPP_HOOK_IP_UP, script(w, "ip-up", "exec sleep 1000"));
	assert_true(uppp_hooks_run(&w->hooks, &c, 0) > 0);
	wait_exits(w, 1);
	assert_true(WIFSIGNALED(w->exits[0].status));
	assert_int_equal(WTERMSIG(w->exits[0].status), SIGTERM);
	assert_true(logged(w, "event=timeout hook=ip-up", "signal=TERM"));
	assert_true(logged(w, "event=exit hook=ip-up", "killed=TERM"));
	assert_int_equal(w->hooks.timeouts, 1);
	assert_int_equal(w->hooks.kills, 0);
	world_free(w);
}

static void test_ignores_sigterm_gets_sigkill(void **state)
{
	(void)state;
	struct world *w = world_new(200, 200);
	struct uppp_hook_cmd c;
	/* the shell ignores TERM, and so does the sleep it waits for */
	cmd_for(&c, UPPP_HOOK_IP_UP, script(w, "ip-up", "trap '' TERM; sleep 1000; exit 0"));
	assert_true(uppp_hooks_run(&w->hooks, &c, 0) > 0);
	wait_exits(w, 1);
	assert_true(WIFSIGNALED(w->exits[0].status));
	assert_int_equal(WTERMSIG(w->exits[0].status), SIGKILL);
	assert_true(logged(w, "event=timeout hook=ip-up", NULL));
	assert_true(logged(w, "event=kill hook=ip-up", "signal=KILL"));
	assert_int_equal(w->hooks.kills, 1);
	world_free(w);
}

/* ip-down queued behind ip-up starts only once ip-up has exited. */
static void test_queued_after(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct uppp_hook_cmd up, down;
	char flag[128], body[256];
	snprintf(flag, sizeof(flag), "%s/go", w->dir);
	/* ip-up waits until the test lets it go; ip-down must not have run */
	snprintf(body, sizeof(body), "while [ ! -e %s ]; do sleep 0.05; done; exit 0", flag);
	cmd_for(&up, UPPP_HOOK_IP_UP, script(w, "ip-up", body));
	cmd_for(&down, UPPP_HOOK_IP_DOWN, script(w, "ip-down", "exit 5"));
	int64_t a = uppp_hooks_run(&w->hooks, &up, 0);
	int64_t b = uppp_hooks_run(&w->hooks, &down, (uint64_t)a);
	assert_true(a > 0 && b > a);
	assert_int_equal(w->hooks.running, 1);
	for (int i = 0; i < 5; i++)
		assert_true(uppp_loop_run_once(w->loop, 20) >= 0);
	assert_int_equal(w->n_exits, 0);
	assert_false(logged(w, "event=start hook=ip-down", NULL));
	FILE *fp = fopen(flag, "w");
	assert_non_null(fp);
	fclose(fp);
	wait_exits(w, 2);
	assert_int_equal(w->exits[0].kind, UPPP_HOOK_IP_UP);
	assert_int_equal(w->exits[1].kind, UPPP_HOOK_IP_DOWN);
	assert_int_equal(WEXITSTATUS(w->exits[1].status), 5);
	/* after a job that is over: at once */
	int64_t c = uppp_hooks_run(&w->hooks, &down, (uint64_t)a);
	assert_true(c > 0);
	assert_int_equal(w->hooks.running, 1);
	wait_exits(w, 3);
	world_free(w);
}

/* Freeing kills and reaps what still runs, and drops what is queued. */
static void test_free_kills(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct uppp_hook_cmd c, d;
	cmd_for(&c, UPPP_HOOK_IP_UP, script(w, "ip-up", "exec sleep 1000"));
	cmd_for(&d, UPPP_HOOK_IP_DOWN, script(w, "ip-down", "exit 0"));
	int64_t a = uppp_hooks_run(&w->hooks, &c, 0);
	assert_true(a > 0);
	assert_true(uppp_hooks_run(&w->hooks, &d, (uint64_t)a) > 0);
	assert_int_equal(uppp_hooks_count(&w->hooks), 2);
	uppp_hooks_free(&w->hooks);
	assert_int_equal(uppp_hooks_count(&w->hooks), 0);
	assert_int_equal(w->n_exits, 1);
	assert_int_equal(WTERMSIG(w->exits[0].status), SIGKILL);
	assert_true(logged(w, "event=dropped hook=ip-down", NULL));
	assert_true(logged(w, "event=kill hook=ip-up", NULL));
	/* reaped: no child of ours is left */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	world_free(w);
}

/* The caller's blocked signals (a signalfd program) do not reach the
 * script: SIGTERM still ends it. */
static void test_blocked_sigterm_not_inherited(void **state)
{
	(void)state;
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	assert_int_equal(sigprocmask(SIG_BLOCK, &set, &old), 0);
	struct world *w = world_new(200, 30000);
	struct uppp_hook_cmd c;
	cmd_for(&c, UPPP_HOOK_IP_UP, script(w, "ip-up", "exec sleep 1000"));
	assert_true(uppp_hooks_run(&w->hooks, &c, 0) > 0);
	wait_exits(w, 1);
	assert_int_equal(WTERMSIG(w->exits[0].status), SIGTERM);
	world_free(w);
	assert_int_equal(sigprocmask(SIG_SETMASK, &old, NULL), 0);
}

/* Without a pidfd (an old kernel) the exit is seen by polling. */
static void test_poll_fallback(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct uppp_hook_cmd c;
	w->hooks.no_pidfd = true;
	cmd_for(&c, UPPP_HOOK_IP_UP, script(w, "ip-up", "exit 7"));
	assert_true(uppp_hooks_run(&w->hooks, &c, 0) > 0);
	wait_exits(w, 1);
	assert_int_equal(WEXITSTATUS(w->exits[0].status), 7);
	assert_true(logged(w, "event=start hook=ip-up", "watch=poll"));
	world_free(w);
}

static void test_spawn_failure(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct uppp_hook_cmd c;
	char path[128];
	snprintf(path, sizeof(path), "%s/missing", w->dir);
	cmd_for(&c, UPPP_HOOK_IP_UP, path);
	int64_t rc = uppp_hooks_run(&w->hooks, &c, 0);
	if (rc > 0) {
		/* valgrind runs posix_spawn as fork + exec: the exec's failure
		 * is the child's exit status 127 */
		wait_exits(w, 1);
		assert_int_equal(WEXITSTATUS(w->exits[0].status), 127);
	} else {
		assert_int_equal(rc, -ENOENT);
		assert_true(logged(w, "event=spawn-failed hook=ip-up", NULL));
	}
	assert_int_equal(uppp_hooks_count(&w->hooks), 0);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_args_env_stdio),
		cmocka_unit_test(test_hang_gets_sigterm),
		cmocka_unit_test(test_ignores_sigterm_gets_sigkill),
		cmocka_unit_test(test_queued_after),
		cmocka_unit_test(test_free_kills),
		cmocka_unit_test(test_blocked_sigterm_not_inherited),
		cmocka_unit_test(test_poll_fallback),
		cmocka_unit_test(test_spawn_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
