/* cli/main.c — the `uppp` binary: the command word, then the library's
 * command-line parser (uppp/cmdline.h) and its server or client object in
 * the foreground, waiting in the object's own epoll_wait with a signalfd in
 * its set (the library handles no signal). Only the public API (include/uppp/). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/ctl.h"
#include "cli/doctor.h"
#include "uppp/cmdline.h"
#include "uppp/uppp.h"

static const char main_usage[] =
	"Usage: uppp COMMAND [OPTIONS]\n"
	"\n"
	"A userspace PPPoE access concentrator and client (no pppd, no kernel PPP).\n"
	"\n"
	"Commands:\n"
	"  server    answer PPPoE clients on an Ethernet interface (like pppoe-server + pppd)\n"
	"  client    dial a PPPoE server and bring up a TUN interface with the address it gives\n"
	"  sessions  list a running server's sessions (its control socket; docs/control.md)\n"
	"  kill      end a running server's session by id, user, IP or MAC\n"
	"  stats     a running server's counters (text, --json or --prometheus)\n"
	"  reload    make a running server read its options and secrets files again\n"
	"  show      show config: a running server's settings and where each came from\n"
	"  capture   start or stop a pcap capture in a running server (capture start FILE | stop)\n"
	"  trace     follow a client's PPPoE and PPP exchange live, drawn as a ladder\n"
	"  doctor    check this host for what makes clients fail; exit status = problems found\n"
	"\n"
	"Options:\n"
	"  -h, --help       this text; `uppp COMMAND --help` describes the command's flags\n"
	"  -V, --version    print the version and exit\n";

/* SIGINT, SIGTERM (and SIGUSR1, SIGHUP) are blocked and read from a
 * signalfd that the runtime watches in its own epoll set
 * (uppp_server_watch_fd): one system call per turn, uppp_server_wait. The
 * watch only notes them; they are handled between two turns, never inside
 * the library. Returns the fd, or -1 with errno set. */
static int signals_open(bool server)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (server) {
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGHUP);
	}
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* The signalfd, and whether the runtime's wait found it readable. */
struct signals {
	int fd;
	bool ready;
};

static void signals_readable(void *ctx, int fd, uint32_t events)
{
	(void)fd;
	(void)events;
	((struct signals *)ctx)->ready = true;   /* read between two turns */
}

/* The next signal that arrived, 0 when none is pending (or none was seen). */
static int signal_next(struct signals *s)
{
	struct signalfd_siginfo si;

	while (s->ready) {
		ssize_t n = read(s->fd, &si, sizeof(si));
		if (n == (ssize_t)sizeof(si))
			return (int)si.ssi_signo;
		if (!(n < 0 && errno == EINTR))
			s->ready = false;
	}
	return 0;
}

#if UPPP_HAVE_SERVER
/* A running server and the command line its configuration points into:
 * what a reload (SIGHUP, and the control socket's reload) replaces. */
struct server_state {
	struct uppp_server *srv;
	struct uppp_server_cmdline *cl;
	struct uppp_server_config *cfg;   /* points into cl; the server keeps a pointer to it */
};

/* Reads the options and secrets files again and hands the result to the
 * running server; on any error the configuration in force stays and err
 * (errlen bytes) says why, naming FILE:LINE. Both outcomes are logged
 * (event=reload). 0 or -errno. The control socket's reload op has this
 * shape. */
static int do_reload(void *ctx, char *err, size_t errlen)
{
	struct server_state *st = ctx;
	struct uppp_server_cmdline *next_cl = NULL;
	struct uppp_server_config *next = calloc(1, sizeof(*next));
	char why[2048] = "";
	int rc;

	uppp_server_logf(st->srv, UPPP_LOG_INFO, "layer=config event=reload-started");
	if (!next) {
		snprintf(why, sizeof(why), "out of memory");
		rc = -ENOMEM;
	} else if (uppp_server_cmdline_reload(st->cl, next, &next_cl, stderr, why, sizeof(why)) != UPPP_CMDLINE_RUN) {
		rc = -EINVAL;
	} else if ((next->control_ops = st->cfg->control_ops, next->control_ctx = st->cfg->control_ctx,
		    rc = uppp_server_reconfigure(st->srv, next, why, sizeof(why))) == 0) {
		/* the server reads next now: the old configuration can go */
		uppp_server_cmdline_replace(st->cl, next_cl);
		free(st->cfg);
		st->cl = next_cl;
		st->cfg = next;
		uppp_server_logf(st->srv, UPPP_LOG_INFO, "layer=config event=reload result=ok");
		if (err && errlen)
			err[0] = '\0';
		return 0;
	}
	uppp_server_cmdline_free(next_cl);
	free(next);
	/* the messages are escaped where they are made (options, secrets) */
	uppp_server_logf(st->srv, UPPP_LOG_ERR, "layer=config event=reload result=failed reason=\"%s\" "
			 "kept=\"the configuration in force\"", why);
	if (err && errlen)
		snprintf(err, errlen, "%s", why);
	return rc;
}

/* The configuration in force, each value with where it came from (the
 * control socket's show-config op). */
static int do_show_config(void *ctx, FILE *out)
{
	struct server_state *st = ctx;
	return uppp_server_cmdline_describe(st->cl, out);
}

/* Until SIGINT/SIGTERM (then a graceful stop) or an interface failure;
 * SIGUSR1 logs the counters, SIGHUP reloads. */
static int server_loop(struct server_state *st, struct signals *sigs)
{
	struct uppp_server *srv = st->srv;
	int rc = uppp_server_watch_fd(srv, sigs->fd, signals_readable, sigs);

	while (rc == 0 && !uppp_server_done(srv)) {
		for (int sig; (sig = signal_next(sigs)) != 0;) {
			if (sig == SIGUSR1)
				uppp_server_log_counters(srv);
			else if (sig == SIGHUP)
				(void)do_reload(st, NULL, 0);
			else
				uppp_server_stop(srv, sig);
		}
		if (uppp_server_done(srv) || (rc = uppp_server_wait(srv)) < 0)
			break;
	}
	return rc;
}

static int server_main(int argc, char **argv)
{
	struct server_state st = { 0 };

	st.cfg = calloc(1, sizeof(*st.cfg));
	if (!st.cfg) {
		fprintf(stderr, "uppp server: out of memory\n");
		return 1;
	}
	/* cfg points into st.cl until the server returns (or a reload replaces both) */
	int rc = uppp_server_cmdline_parse(argc, argv, st.cfg, &st.cl, stdout, stderr);
	if (rc == UPPP_CMDLINE_RUN)
		rc = uppp_server_cmdline_write_pid(st.cl);
	if (rc != UPPP_CMDLINE_RUN) {
		uppp_server_cmdline_free(st.cl);
		free(st.cfg);
		return rc == UPPP_CMDLINE_DONE ? 0 : rc;
	}
	/* the control socket's reload and show config verbs */
	static const struct uppp_server_control_ops control_ops = { .reload = do_reload, .show_config = do_show_config };
	st.cfg->control_ops = &control_ops;
	st.cfg->control_ctx = &st;
	struct signals sigs = { .fd = signals_open(true) };
	if (sigs.fd < 0)
		rc = -errno;
	else if ((rc = uppp_server_new(st.cfg, &st.srv)) == 0)
		rc = server_loop(&st, &sigs);
	uppp_server_free(st.srv);
	if (sigs.fd >= 0)
		close(sigs.fd);
	uppp_server_cmdline_free(st.cl);
	free(st.cfg);
	if (rc < 0) {
		fprintf(stderr, "uppp server: %s (see the log above)\n", strerror(-rc));
		return 1;
	}
	return 0;
}
#endif

#if UPPP_HAVE_CLIENT
/* Until the session ends; SIGINT/SIGTERM hang up (a second one at once). */
static int client_loop(struct uppp_client *c, struct signals *sigs)
{
	int rc = uppp_client_watch_fd(c, sigs->fd, signals_readable, sigs);

	if (rc < 0)
		return rc;
	while (!uppp_client_done(c)) {
		for (int sig; (sig = signal_next(sigs)) != 0;)
			uppp_client_hangup(c, sig);
		if (uppp_client_done(c))
			break;
		if ((rc = uppp_client_wait(c)) < 0)
			return rc;
	}
	return uppp_client_result(c);
}

static int client_main(int argc, char **argv)
{
	struct uppp_client_config cfg;

	int rc = uppp_client_cmdline_parse(argc, argv, &cfg, stdout, stderr);
	if (rc != UPPP_CMDLINE_RUN)
		return rc == UPPP_CMDLINE_DONE ? 0 : rc;
	struct uppp_client *c = NULL;
	struct signals sigs = { .fd = signals_open(false) };
	if (sigs.fd < 0)
		rc = -errno;
	else if ((rc = uppp_client_new(&cfg, &c)) == 0)
		rc = client_loop(c, &sigs);
	uppp_client_free(c);
	if (sigs.fd >= 0)
		close(sigs.fd);
	if (rc < 0) {
		fprintf(stderr, "uppp client: %s\n", rc == -ETIMEDOUT ? "no PPPoE server answered"
				 : rc == -ECONNRESET ? "the session ended (see the log above)" : strerror(-rc));
		return 1;
	}
	return 0;
}
#endif

int main(int argc, char **argv)
{
	if (argc < 2)
		return uppp_cmdline_usage_error(stderr, NULL, "%s", "missing command (server, client, sessions, kill, stats, reload, show, capture, trace or doctor)");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(main_usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("uppp %s\n", uppp_version());
		return 0;
	}
	if (!strcmp(cmd, "server"))
#if UPPP_HAVE_SERVER
		return server_main(argc - 1, argv + 1);
#else
		return uppp_cmdline_usage_error(stderr, NULL, "%s", "this uppp was built without the server");
#endif
	if (!strcmp(cmd, "client"))
#if UPPP_HAVE_CLIENT
		return client_main(argc - 1, argv + 1);
#else
		return uppp_cmdline_usage_error(stderr, NULL, "%s", "this uppp was built without the client");
#endif
	if (!strcmp(cmd, "sessions"))
		return uppp_ctl_sessions_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "kill"))
		return uppp_ctl_kill_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "stats"))
		return uppp_ctl_stats_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "reload"))
		return uppp_ctl_reload_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "show"))
		return uppp_ctl_show_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "capture"))
		return uppp_ctl_capture_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "trace"))
		return uppp_ctl_trace_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "doctor"))
		return doctor_main(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return uppp_cmdline_usage_error(stderr, NULL, "unknown flag '%s'", cmd);
	return uppp_cmdline_usage_error(stderr, NULL, "unknown command '%s' (expected server, client, sessions, kill, stats, reload, show, capture, trace or doctor)", cmd);
}
