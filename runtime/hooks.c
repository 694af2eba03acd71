/* runtime/hooks.c — pppd's scripts, spawned without blocking the loop,
 * watched through a pidfd, bounded by a timeout (runtime/hooks.h). */
#define _GNU_SOURCE
#include "runtime/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define POLL_MS 50u   /* waitpid polling when there is no pidfd */

static const char *const hook_names[UPPP_HOOK_KINDS] = {
	[UPPP_HOOK_AUTH_UP] = "auth-up",
	[UPPP_HOOK_AUTH_DOWN] = "auth-down",
	[UPPP_HOOK_IP_PRE_UP] = "ip-pre-up",
	[UPPP_HOOK_IP_UP] = "ip-up",
	[UPPP_HOOK_IP_DOWN] = "ip-down",
};

const char *uppp_hook_name(enum uppp_hook_kind k)
{
	return (unsigned)k < UPPP_HOOK_KINDS ? hook_names[k] : "hook";
}

/* ---- building the command (pure) ---- */

struct builder {
	struct uppp_hook_cmd *cmd;
	size_t used, argc, envc;
	bool full;
};

static char *put(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *put(struct builder *b, const char *fmt, ...)
{
	va_list ap;
	char *at = b->cmd->buf + b->used;
	size_t room = sizeof(b->cmd->buf) - b->used;

	if (b->full)
		return NULL;
	va_start(ap, fmt);
	int n = vsnprintf(at, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		b->full = true;
		return NULL;
	}
	b->used += (size_t)n + 1;
	return at;
}

static void arg(struct builder *b, const char *s)
{
	char *p = put(b, "%s", s ? s : "");
	if (p && b->argc < UPPP_HOOK_ARGV_MAX - 1)
		b->cmd->argv[b->argc++] = p;
	else
		b->full = true;
}

static void env(struct builder *b, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void env(struct builder *b, const char *name, const char *fmt, ...)
{
	char val[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(val)) {
		b->full = true;
		return;
	}
	char *p = put(b, "%s=%s", name, val);
	if (p && b->envc < UPPP_HOOK_ENV_MAX - 1)
		b->cmd->envp[b->envc++] = p;
	else
		b->full = true;
}

static void ip_text(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

int uppp_hook_build(enum uppp_hook_kind k, const char *path, const struct uppp_hook_facts *f,
		    struct uppp_hook_cmd *out)
{
	struct builder b = { .cmd = out };
	char local[16], peer[16];
	bool ip_script = k == UPPP_HOOK_IP_PRE_UP || k == UPPP_HOOK_IP_UP || k == UPPP_HOOK_IP_DOWN;

	if (!path || !*path || (unsigned)k >= UPPP_HOOK_KINDS)
		return -EINVAL;
	memset(out->argv, 0, sizeof(out->argv));
	memset(out->envp, 0, sizeof(out->envp));
	out->kind = k;
	out->session_id = f->session_id;
	ip_text(f->local_ip, local);
	ip_text(f->peer_ip, peer);

	arg(&b, path);
	arg(&b, f->ifname);
	if (ip_script) {
		/* pppd: interface-name tty-device speed local-IP remote-IP ipparam */
		arg(&b, f->device);
		arg(&b, "0");
		arg(&b, local);
		arg(&b, peer);
	} else {
		/* pppd: interface-name peer-name user-name tty-device speed ipparam */
		arg(&b, f->peer_name);
		arg(&b, f->user_name);
		arg(&b, f->device);
		arg(&b, "0");
	}
	arg(&b, f->ipparam);

	/* The whole environment: pppd empties it but for these. PATH is ours:
	 * a script that does not set its own still finds the system's tools. */
	env(&b, "PATH", "%s", "/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin");
	env(&b, "DEVICE", "%s", f->device ? f->device : "");
	env(&b, "IFNAME", "%s", f->ifname ? f->ifname : "");
	if (f->local_ip && f->peer_ip) {
		env(&b, "IPLOCAL", "%s", local);
		env(&b, "IPREMOTE", "%s", peer);
	}
	if (f->peer_name && *f->peer_name)
		env(&b, "PEERNAME", "%s", f->peer_name);
	env(&b, "ORIG_UID", "%u", f->orig_uid);
	env(&b, "PPPLOGNAME", "%s", f->logname ? f->logname : "");
	if (f->have_peer_mac)
		env(&b, "MACREMOTE", "%02X:%02X:%02X:%02X:%02X:%02X", f->peer_mac[0], f->peer_mac[1],
		    f->peer_mac[2], f->peer_mac[3], f->peer_mac[4], f->peer_mac[5]);
	if (f->dns[0]) {
		char d[16];
		ip_text(f->dns[0], d);
		env(&b, "DNS1", "%s", d);
	}
	if (f->dns[1]) {
		char d[16];
		ip_text(f->dns[1], d);
		env(&b, "DNS2", "%s", d);
	}
	if (f->usepeerdns)
		env(&b, "USEPEERDNS", "%s", "1");
	if (f->ipparam && *f->ipparam)
		env(&b, "IPPARAM", "%s", f->ipparam);
	if (f->session_id)
		env(&b, "UPPP_SESSION", "%u", f->session_id);
	if (f->have_stats) {
		env(&b, "CONNECT_TIME", "%" PRIu64, f->connect_time_s);
		env(&b, "BYTES_SENT", "%" PRIu64, f->bytes_sent);
		env(&b, "BYTES_RCVD", "%" PRIu64, f->bytes_rcvd);
	}
	if (b.full)
		return -ENOSPC;
	out->argv[b.argc] = NULL;
	out->envp[b.envc] = NULL;
	return 0;
}

int uppp_hook_check(const char *path)
{
	struct stat st;

	if (!path || !*path)
		return 0;
	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		return -EACCES;
	return 1;
}

/* ---- the runner ---- */

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_TERMED, JOB_KILLED };

struct uppp_hook_job {
	struct uppp_hook_job *next;
	struct uppp_hooks *h;
	uint64_t id, after;
	enum job_state state;
	pid_t pid;
	int pidfd;                 /* -1: polled */
	struct uppp_timer timer;   /* timeout, then grace */
	struct uppp_timer poll;    /* waitpid polling without a pidfd */
	uint64_t started;
	struct uppp_hook_cmd cmd;  /* argv/envp re-pointed into this copy */
};

void uppp_hooks_init(struct uppp_hooks *h, struct uppp_loop *loop, struct uppp_log *log, unsigned timeout_ms,
		     unsigned grace_ms)
{
	memset(h, 0, sizeof(*h));
	h->loop = loop;
	h->log = log;
	h->timeout_ms = timeout_ms ? timeout_ms : UPPP_HOOK_TIMEOUT_MS_DEFAULT;
	h->grace_ms = grace_ms ? grace_ms : UPPP_HOOK_GRACE_MS_DEFAULT;
	h->next_id = 1;
}

static void copy_cmd(struct uppp_hook_cmd *dst, const struct uppp_hook_cmd *src)
{
	*dst = *src;
	for (size_t i = 0; i < UPPP_HOOK_ARGV_MAX && src->argv[i]; i++)
		dst->argv[i] = dst->buf + (src->argv[i] - src->buf);
	for (size_t i = 0; i < UPPP_HOOK_ENV_MAX && src->envp[i]; i++)
		dst->envp[i] = dst->buf + (src->envp[i] - src->buf);
}

static struct uppp_hook_job *find(const struct uppp_hooks *h, uint64_t id)
{
	for (struct uppp_hook_job *j = h->jobs; j; j = j->next)
		if (j->id == id)
			return j;
	return NULL;
}

static void unlink_job(struct uppp_hooks *h, struct uppp_hook_job *job)
{
	for (struct uppp_hook_job **pp = &h->jobs; *pp; pp = &(*pp)->next)
		if (*pp == job) {
			*pp = job->next;
			return;
		}
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGTERM: return "TERM";
	case SIGKILL: return "KILL";
	case SIGINT: return "INT";
	case SIGHUP: return "HUP";
	case SIGSEGV: return "SEGV";
	case SIGABRT: return "ABRT";
	case SIGPIPE: return "PIPE";
	default: return "other";
	}
}

static int start(struct uppp_hooks *h, struct uppp_hook_job *job);
static void job_timer(void *ctx, uint64_t now);
static void job_poll(void *ctx, uint64_t now);

/* The child has exited (or cannot be reaped): log, unwatch, free, and start
 * what waited for it. */
static void finish(struct uppp_hooks *h, struct uppp_hook_job *job, int status)
{
	char how[64];
	uint64_t ms = uppp_loop_now(h->loop) - job->started;

	if (status < 0)
		snprintf(how, sizeof(how), "status=unknown");
	else if (WIFEXITED(status))
		snprintf(how, sizeof(how), "status=%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "signal=%s(%d)", sig_name(WTERMSIG(status)), WTERMSIG(status));
	else
		snprintf(how, sizeof(how), "status=0x%x", (unsigned)status);
	bool bad = status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	uppp_logf(h->log, bad ? UPPP_LOG_WARN : UPPP_LOG_INFO,
		  "sess=%u layer=hook event=exit hook=%s script=%s pid=%d %s ms=%llu%s", job->cmd.session_id,
		  uppp_hook_name(job->cmd.kind), job->cmd.argv[0], (int)job->pid, how, (unsigned long long)ms,
		  job->state == JOB_KILLED ? " killed=KILL" : job->state == JOB_TERMED ? " killed=TERM" : "");
	h->exits++;
	if (job->pidfd >= 0) {
		(void)uppp_loop_del_fd(h->loop, job->pidfd);
		close(job->pidfd);
		job->pidfd = -1;
	}
	uppp_timer_cancel(h->loop, &job->timer);
	uppp_timer_cancel(h->loop, &job->poll);
	h->running--;
	unlink_job(h, job);
	if (h->on_exit)
		h->on_exit(h->on_exit_ctx, job->id, &job->cmd, status);
	/* whatever waited for this one starts now, oldest first (the list is
	 * newest first: walk to the end, collecting) */
	uint64_t id = job->id;
	free(job);
	for (;;) {
		struct uppp_hook_job *oldest = NULL;
		for (struct uppp_hook_job *j = h->jobs; j; j = j->next)
			if (j->state == JOB_QUEUED && j->after == id)
				oldest = j;
		if (!oldest)
			break;
		oldest->after = 0;
		if (start(h, oldest) < 0) {
			unlink_job(h, oldest);
			free(oldest);
		}
	}
}

/* Reaps job if it has exited. true when it was (job is freed). */
static bool try_reap(struct uppp_hooks *h, struct uppp_hook_job *job, bool block)
{
	int status = 0;
	pid_t r;

	do
		r = waitpid(job->pid, &status, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	finish(h, job, r < 0 ? -1 : status);   /* r < 0: ECHILD, someone reaped it (SIGCHLD ignored) */
	return true;
}

static void job_fd(void *ctx, int fd, uint32_t events)
{
	struct uppp_hook_job *job = ctx;
	(void)fd;
	(void)events;
	(void)try_reap(job->h, job, false);
}

static void job_poll(void *ctx, uint64_t now)
{
	struct uppp_hook_job *job = ctx;
	struct uppp_hooks *h = job->h;
	if (!try_reap(h, job, false))
		(void)uppp_timer_arm(h->loop, &job->poll, now + POLL_MS);
}

static void signal_job(struct uppp_hook_job *job, int sig)
{
	/* the script leads its own process group (setsid): what it started
	 * goes too */
	if (kill(-job->pid, sig) < 0)
		(void)kill(job->pid, sig);
}

static void job_timer(void *ctx, uint64_t now)
{
	struct uppp_hook_job *job = ctx;
	struct uppp_hooks *h = job->h;

	if (job->state == JOB_RUNNING) {
		job->state = JOB_TERMED;
		h->timeouts++;
		uppp_logf(h->log, UPPP_LOG_WARN,
			  "sess=%u layer=hook event=timeout hook=%s script=%s pid=%d after_ms=%u signal=TERM "
			  "reason=\"the script ran longer than hook-timeout; SIGKILL in %u ms if it does not exit\"",
			  job->cmd.session_id, uppp_hook_name(job->cmd.kind), job->cmd.argv[0], (int)job->pid,
			  h->timeout_ms, h->grace_ms);
		signal_job(job, SIGTERM);
		(void)uppp_timer_arm(h->loop, &job->timer, now + h->grace_ms);
	} else if (job->state == JOB_TERMED) {
		job->state = JOB_KILLED;
		h->kills++;
		uppp_logf(h->log, UPPP_LOG_WARN,
			  "sess=%u layer=hook event=kill hook=%s script=%s pid=%d signal=KILL "
			  "reason=\"still running %u ms after SIGTERM\"",
			  job->cmd.session_id, uppp_hook_name(job->cmd.kind), job->cmd.argv[0], (int)job->pid,
			  h->grace_ms);
		signal_job(job, SIGKILL);
	}
}

static int spawn(const struct uppp_hook_cmd *cmd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int rc;

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return -rc;
	if ((rc = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -rc;
	}
	/* stdin, stdout and stderr on /dev/null (pppd does so); no descriptor
	 * of ours (sockets, TUNs, the epoll fd) reaches the script */
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (!rc)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	/* a caller that reads its signals from a signalfd has them blocked:
	 * the script starts with none blocked and every disposition default,
	 * in a session of its own (its group is what a timeout signals) */
	sigemptyset(&none);
	sigfillset(&all);
	if (!rc)
		rc = posix_spawnattr_setsigmask(&at, &none);
	if (!rc)
		rc = posix_spawnattr_setsigdefault(&at, &all);
	if (!rc)
		rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
	if (!rc)
		rc = posix_spawn(pid, cmd->argv[0], &fa, &at, cmd->argv, cmd->envp);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return -rc;
}

static int start(struct uppp_hooks *h, struct uppp_hook_job *job)
{
	int rc = spawn(&job->cmd, &job->pid);
	uint64_t now = uppp_loop_now(h->loop);

	if (rc < 0) {
		h->spawn_failures++;
		uppp_logf(h->log, UPPP_LOG_ERR, "sess=%u layer=hook event=spawn-failed hook=%s script=%s err=\"%s\"",
			  job->cmd.session_id, uppp_hook_name(job->cmd.kind), job->cmd.argv[0], strerror(-rc));
		return rc;
	}
	job->state = JOB_RUNNING;
	job->started = now;
	h->running++;
	job->pidfd = -1;
	if (!h->no_pidfd) {
		int fd = (int)syscall(SYS_pidfd_open, job->pid, 0);
		if (fd < 0 && (errno == ENOSYS || errno == EINVAL))
			h->no_pidfd = true;
		if (fd >= 0) {
			(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
			if (uppp_loop_add_fd(h->loop, fd, EPOLLIN, job_fd, job) == 0)
				job->pidfd = fd;
			else
				close(fd);
		}
	}
	uppp_logf(h->log, UPPP_LOG_INFO, "sess=%u layer=hook event=start hook=%s script=%s pid=%d watch=%s",
		  job->cmd.session_id, uppp_hook_name(job->cmd.kind), job->cmd.argv[0], (int)job->pid,
		  job->pidfd >= 0 ? "pidfd" : "poll");
	if (job->pidfd < 0)
		(void)uppp_timer_arm(h->loop, &job->poll, now + POLL_MS);
	if (uppp_timer_arm(h->loop, &job->timer, now + h->timeout_ms) < 0)
		uppp_logf(h->log, UPPP_LOG_WARN, "sess=%u layer=hook event=no-timeout hook=%s pid=%d "
			  "reason=\"the loop could not hold the timer: the script runs unbounded\"",
			  job->cmd.session_id, uppp_hook_name(job->cmd.kind), (int)job->pid);
	return 0;
}

int64_t uppp_hooks_run(struct uppp_hooks *h, const struct uppp_hook_cmd *cmd, uint64_t after)
{
	struct uppp_hook_job *job = calloc(1, sizeof(*job));   /* at session up/down: not the packet path */

	if (!job)
		return -ENOMEM;
	job->h = h;
	job->id = h->next_id++;
	job->pidfd = -1;
	job->state = JOB_QUEUED;
	copy_cmd(&job->cmd, cmd);
	uppp_timer_init(&job->timer, job_timer, job);
	uppp_timer_init(&job->poll, job_poll, job);
	if (after && find(h, after)) {
		job->after = after;
		job->next = h->jobs;
		h->jobs = job;
		uppp_logf(h->log, UPPP_LOG_DEBUG, "sess=%u layer=hook event=queued hook=%s script=%s "
			  "reason=\"waits for the session's previous script\"", cmd->session_id,
			  uppp_hook_name(cmd->kind), job->cmd.argv[0]);
		return (int64_t)job->id;
	}
	int rc = start(h, job);
	if (rc < 0) {
		free(job);
		return rc;
	}
	job->next = h->jobs;
	h->jobs = job;
	return (int64_t)job->id;
}

bool uppp_hooks_pending(const struct uppp_hooks *h, uint64_t id)
{
	return id && find(h, id) != NULL;
}

size_t uppp_hooks_count(const struct uppp_hooks *h)
{
	size_t n = 0;
	for (struct uppp_hook_job *j = h->jobs; j; j = j->next)
		n++;
	return n;
}

static void drop_queued(struct uppp_hooks *h)
{
	struct uppp_hook_job **pp = &h->jobs;
	while (*pp) {
		struct uppp_hook_job *j = *pp;
		if (j->state != JOB_QUEUED) {
			pp = &j->next;
			continue;
		}
		uppp_logf(h->log, UPPP_LOG_WARN, "sess=%u layer=hook event=dropped hook=%s script=%s "
			  "reason=\"the server is ending while the script it waits for still runs\"",
			  j->cmd.session_id, uppp_hook_name(j->cmd.kind), j->cmd.argv[0]);
		*pp = j->next;
		free(j);
	}
}

void uppp_hooks_drain(struct uppp_hooks *h, unsigned max_ms)
{
	uint64_t end = uppp_loop_refresh_now(h->loop) + max_ms;

	while (h->jobs && uppp_loop_refresh_now(h->loop) < end) {
		uint64_t left = end - uppp_loop_now(h->loop);
		if (uppp_loop_run_once(h->loop, (int)(left > 100 ? 100 : left)) < 0)
			break;
	}
	drop_queued(h);
	if (!h->jobs)
		return;
	/* what still runs: SIGTERM now, SIGKILL after the grace period */
	for (struct uppp_hook_job *j = h->jobs; j; j = j->next)
		if (j->state == JOB_RUNNING)
			job_timer(j, uppp_loop_now(h->loop));
	end = uppp_loop_refresh_now(h->loop) + h->grace_ms + 100;
	while (h->jobs && uppp_loop_refresh_now(h->loop) < end)
		if (uppp_loop_run_once(h->loop, 100) < 0)
			break;
}

void uppp_hooks_free(struct uppp_hooks *h)
{
	drop_queued(h);
	while (h->jobs) {
		struct uppp_hook_job *j = h->jobs;
		if (j->state != JOB_KILLED) {
			j->state = JOB_KILLED;
			h->kills++;
			uppp_logf(h->log, UPPP_LOG_WARN, "sess=%u layer=hook event=kill hook=%s script=%s pid=%d "
				  "signal=KILL reason=\"the runtime is being freed\"", j->cmd.session_id,
				  uppp_hook_name(j->cmd.kind), j->cmd.argv[0], (int)j->pid);
			signal_job(j, SIGKILL);
		}
		(void)try_reap(h, j, true);   /* frees j; starts nothing: nothing is queued */
	}
}
