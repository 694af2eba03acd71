/* runtime/hooks.h — the scripts pppd runs (auth-up, auth-down, ip-pre-up,
 * ip-up, ip-down), run as pppd runs them, without ever blocking the loop.
 *
 * Two halves:
 *  - uppp_hook_build(): pure. A session's facts in, the argument vector and
 *    the whole environment out (pppd's positional arguments and variables;
 *    docs/migrating-from-rp-pppoe.md, "Scripts"), in a buffer the caller
 *    owns. No syscall, no allocation.
 *  - struct uppp_hooks: the runner, one per runtime object, on its loop.
 *    uppp_hooks_run() starts a script (posix_spawn: new session, stdin,
 *    stdout and stderr on /dev/null, no other descriptor, empty signal mask,
 *    default dispositions, the built environment and nothing else), or
 *    queues it behind another job that is still running (pppd's ordering:
 *    ip-down not before ip-up has exited). The child's exit is watched
 *    through a pidfd (pidfd_open(2), Linux >= 5.3) in the loop's epoll set;
 *    where that is missing, by a loop timer that polls waitpid(WNOHANG)
 *    every 50 ms. No SIGCHLD handler: the library handles no signal.
 *    At its timeout a script's process group gets SIGTERM, and SIGKILL
 *    after the grace period. Each exit, timeout and kill is logged:
 *    `layer=hook event=exit hook=ip-up sess=3 script=... pid=... status=3`.
 *
 * Not thread-safe; one runner per loop. */
#ifndef UPPP_RUNTIME_HOOKS_H
#define UPPP_RUNTIME_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "runtime/log.h"
#include "runtime/loop.h"

enum uppp_hook_kind {
	UPPP_HOOK_AUTH_UP,    /* the peer authenticated itself */
	UPPP_HOOK_AUTH_DOWN,  /* the link went down after auth-up ran */
	UPPP_HOOK_IP_PRE_UP,  /* IPCP opened: before ip-up (uppp does not hold the interface down meanwhile) */
	UPPP_HOOK_IP_UP,      /* IPCP opened: IP flows */
	UPPP_HOOK_IP_DOWN,    /* IP no longer flows (after ip-up ran) */
	UPPP_HOOK_KINDS,
};

/* "auth-up", "ip-down" ... */
const char *uppp_hook_name(enum uppp_hook_kind k);

/* What a script is told about its session. Strings may be NULL (= "").
 * peer_name is put in the environment as given: the caller passes the
 * escaped form (core/escape.h), never raw peer bytes. */
struct uppp_hook_facts {
	const char *ifname;       /* session interface (shared mode: the shared TUN) */
	const char *device;       /* the Ethernet interface (pppd: the tty; its PPPoE plugin: the Ethernet) */
	const char *peer_name;    /* authenticated name of the peer, "" when it did not authenticate */
	const char *user_name;    /* auth-up's 3rd argument: our own name (pppd: `user`) */
	const char *ipparam;      /* `ipparam`: 6th argument and IPPARAM, NULL = "" and no IPPARAM */
	uint32_t local_ip, peer_ip; /* host order; 0 = IPCP not up: no IPLOCAL/IPREMOTE */
	uint32_t dns[2];          /* DNS servers the peer gave us (client side); 0 = none */
	bool usepeerdns;          /* USEPEERDNS=1 (client side, when it uses them) */
	bool have_peer_mac;
	uint8_t peer_mac[6];      /* MACREMOTE, as pppd's PPPoE plugin sets it */
	unsigned session_id;      /* UPPP_SESSION (uppp's own); 0 = none */
	unsigned orig_uid;        /* ORIG_UID: the real uid that started us */
	const char *logname;      /* PPPLOGNAME: that uid's user name */
	bool have_stats;          /* the down scripts: CONNECT_TIME, BYTES_SENT, BYTES_RCVD */
	uint64_t connect_time_s, bytes_sent, bytes_rcvd;
};

#define UPPP_HOOK_ARGV_MAX 8
#define UPPP_HOOK_ENV_MAX 24
#define UPPP_HOOK_BUF 4096

/* One command, ready to spawn: argv and envp point into buf. */
struct uppp_hook_cmd {
	enum uppp_hook_kind kind;
	unsigned session_id;
	char *argv[UPPP_HOOK_ARGV_MAX];   /* NULL-terminated */
	char *envp[UPPP_HOOK_ENV_MAX];    /* NULL-terminated */
	char buf[UPPP_HOOK_BUF];
};

/* Builds the command for script `path` of kind k from f:
 *   ip-pre-up, ip-up, ip-down: path ifname device 0 local-ip peer-ip ipparam
 *   auth-up, auth-down:        path ifname peer-name user-name device 0 ipparam
 * (speed is "0": there is no tty). The environment is the whole
 * environment: nothing of ours is inherited. Returns 0, -EINVAL (no path),
 * -ENOSPC (the strings do not fit in buf). Pure. */
int uppp_hook_build(enum uppp_hook_kind k, const char *path, const struct uppp_hook_facts *f,
		    struct uppp_hook_cmd *out);

/* Looks for a script: 1 when path is a regular file with an execute bit
 * (it is run), 0 when it does not exist (pppd runs nothing and says
 * nothing), -errno when it exists but cannot be run (the caller warns):
 * -EACCES not executable, -EISDIR / -EINVAL not a regular file, or what
 * stat(2) said. */
int uppp_hook_check(const char *path);

struct uppp_hook_job;

struct uppp_hooks {
	struct uppp_loop *loop;
	struct uppp_log *log;
	unsigned timeout_ms;        /* SIGTERM after this long */
	unsigned grace_ms;          /* then SIGKILL after this much more */
	struct uppp_hook_job *jobs; /* running and queued, newest first */
	uint64_t next_id;
	size_t running;
	uint64_t exits, timeouts, kills, spawn_failures;
	bool no_pidfd;              /* pidfd_open unavailable: poll waitpid on a timer */
	/* What became of each job that ran (tests): called after the exit line
	 * is logged; status as waitpid(2) gives it, -1 when the child could not
	 * be reaped. NULL: nothing. */
	void (*on_exit)(void *ctx, uint64_t id, const struct uppp_hook_cmd *cmd, int status);
	void *on_exit_ctx;
};

/* Defaults of `hook-timeout` and of the grace period before SIGKILL. */
#define UPPP_HOOK_TIMEOUT_MS_DEFAULT 60000u
#define UPPP_HOOK_GRACE_MS_DEFAULT 5000u

/* timeout_ms / grace_ms 0 = the defaults. Opens nothing; cannot fail. */
void uppp_hooks_init(struct uppp_hooks *h, struct uppp_loop *loop, struct uppp_log *log, unsigned timeout_ms,
		     unsigned grace_ms);
/* Starts cmd (copied) now, or, when `after` names a job that is still
 * running or queued, once that job is over. Returns the job's id (> 0;
 * later jobs may queue behind it), or -errno when it could not be started
 * (-ENOMEM; the spawn's error, logged as event=spawn-failed) — then
 * nothing runs and nothing is queued. */
int64_t uppp_hooks_run(struct uppp_hooks *h, const struct uppp_hook_cmd *cmd, uint64_t after);
/* True while job id is running or queued. */
bool uppp_hooks_pending(const struct uppp_hooks *h, uint64_t id);
/* Jobs running or queued. */
size_t uppp_hooks_count(const struct uppp_hooks *h);
/* Runs the loop (one iteration at a time, nothing else of the caller's
 * being due) until every job is over or max_ms have passed; then what still
 * runs gets SIGTERM, and SIGKILL after the grace period (at most
 * grace_ms more), each logged, and is reaped. Queued jobs whose turn did
 * not come are dropped (logged). For a runtime that is ending. */
void uppp_hooks_drain(struct uppp_hooks *h, unsigned max_ms);
/* Kills (SIGKILL, logged) and reaps what still runs, drops what is queued,
 * frees everything. Nothing is left behind. */
void uppp_hooks_free(struct uppp_hooks *h);

#endif
