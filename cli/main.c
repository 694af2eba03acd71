/* cli/main.c — the `uppp` binary: the command word, then the library's
 * command-line parser (uppp/cmdline.h) and its server or client object in
 * the foreground, on a poll loop that also reads the signals (the library
 * handles none). Only the public API (include/uppp/). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/ctl.h"
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
	"  capture   start or stop a pcap capture in a running server (capture start FILE | stop)\n"
	"  trace     follow a client's PPPoE and PPP exchange live, drawn as a ladder\n"
	"\n"
	"Options:\n"
	"  -h, --help       this text; `uppp COMMAND --help` describes the command's flags\n"
	"  -V, --version    print the version and exit\n";

/* SIGINT, SIGTERM (and SIGUSR1) are blocked and read from a signalfd polled
 * next to the runtime's fd: they are handled between two dispatches, never
 * inside the library. Returns the fd, or -1 with errno set. */
static int signals_open(bool usr1)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (usr1)
		sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* The next signal that arrived, 0 when none is pending. */
static int signal_next(int sfd)
{
	struct signalfd_siginfo si;

	for (;;) {
		ssize_t n = read(sfd, &si, sizeof(si));
		if (n == (ssize_t)sizeof(si))
			return (int)si.ssi_signo;
		if (n < 0 && errno == EINTR)
			continue;
		return 0;
	}
}

/* Waits until the runtime's fd is readable, its timeout passes or a signal
 * arrives; *signalled tells whether the signalfd has one to read (so that a
 * busy-polling runtime, timeout 0, costs no read of it per turn). 0, or
 * -errno. */
static int wait_for(int rfd, int sfd, int timeout_ms, bool *signalled)
{
	struct pollfd p[2] = { { .fd = rfd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };

	*signalled = false;
	if (poll(p, 2, timeout_ms) < 0) {
		if (errno != EINTR)
			return -errno;
		*signalled = true;   /* look anyway */
		return 0;
	}
	*signalled = p[1].revents != 0;
	return 0;
}

#if UPPP_HAVE_SERVER
/* Until SIGINT/SIGTERM (then a graceful stop) or an interface failure;
 * SIGUSR1 logs the counters. */
static int server_loop(struct uppp_server *srv, int sfd)
{
	int rc = 0;
	bool signalled;

	while (!uppp_server_done(srv)) {
		if ((rc = wait_for(uppp_server_fd(srv), sfd, uppp_server_timeout_ms(srv), &signalled)) < 0)
			break;
		for (int sig; signalled && (sig = signal_next(sfd)) != 0;) {
			if (sig == SIGUSR1)
				uppp_server_log_counters(srv);
			else
				uppp_server_stop(srv, sig);
		}
		if ((rc = uppp_server_dispatch(srv)) < 0)
			break;
	}
	return rc;
}

static int server_main(int argc, char **argv)
{
	struct uppp_server_config cfg;
	struct uppp_server_cmdline *cl;   /* cfg points into it until the server returns */

	int rc = uppp_server_cmdline_parse(argc, argv, &cfg, &cl, stdout, stderr);
	if (rc == UPPP_CMDLINE_RUN)
		rc = uppp_server_cmdline_write_pid(cl);
	if (rc != UPPP_CMDLINE_RUN) {
		uppp_server_cmdline_free(cl);
		return rc == UPPP_CMDLINE_DONE ? 0 : rc;
	}
	struct uppp_server *srv = NULL;
	int sfd = signals_open(true);
	if (sfd < 0)
		rc = -errno;
	else if ((rc = uppp_server_new(&cfg, &srv)) == 0)
		rc = server_loop(srv, sfd);
	uppp_server_free(srv);
	if (sfd >= 0)
		close(sfd);
	uppp_server_cmdline_free(cl);
	if (rc < 0) {
		fprintf(stderr, "uppp server: %s (see the log above)\n", strerror(-rc));
		return 1;
	}
	return 0;
}
#endif

#if UPPP_HAVE_CLIENT
/* Until the session ends; SIGINT/SIGTERM hang up (a second one at once). */
static int client_loop(struct uppp_client *c, int sfd)
{
	int rc = 0;
	bool signalled;

	while (!uppp_client_done(c)) {
		if ((rc = wait_for(uppp_client_fd(c), sfd, uppp_client_timeout_ms(c), &signalled)) < 0)
			return rc;
		for (int sig; signalled && (sig = signal_next(sfd)) != 0;)
			uppp_client_hangup(c, sig);
		if ((rc = uppp_client_dispatch(c)) < 0)
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
	int sfd = signals_open(false);
	if (sfd < 0)
		rc = -errno;
	else if ((rc = uppp_client_new(&cfg, &c)) == 0)
		rc = client_loop(c, sfd);
	uppp_client_free(c);
	if (sfd >= 0)
		close(sfd);
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
		return uppp_cmdline_usage_error(stderr, NULL, "%s", "missing command (server, client, sessions, kill or stats)");
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
	if (!strcmp(cmd, "capture"))
		return uppp_ctl_capture_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "trace"))
		return uppp_ctl_trace_main(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return uppp_cmdline_usage_error(stderr, NULL, "unknown flag '%s'", cmd);
	return uppp_cmdline_usage_error(stderr, NULL, "unknown command '%s' (expected server, client, sessions, kill, stats, capture or trace)", cmd);
}
