/* two_servers.c — two struct uppp_server objects in one process, on one
 * poll loop: server "a" on br0 (10.0.0.1, pool 10.0.0.2+4, interfaces pa%d),
 * server "b" on br1 (10.1.0.1, pool 10.1.0.2+4, interfaces pb%d). Each log
 * line goes through the log callback with "srv=a " or "srv=b " in front.
 * SIGTERM stops both (the library handles no signal: this program reads it
 * from a signalfd in the same poll); SIGUSR1 logs both servers' counters.
 * Exits 0 once both are done and freed. Public API only.
 * Usage: two_servers SECRETS_FILE  (run by test/netns/two_servers.sh) */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "uppp/uppp.h"

static void log_line(void *ud, enum uppp_log_level level, const char *line)
{
	(void)level;
	printf("srv=%s %s\n", (const char *)ud, line);
	fflush(stdout);
}

static void config(struct uppp_server_config *cfg, const char *name, const char *ifname, uint32_t net,
		   const char *if_pattern, const char *secrets)
{
	uppp_server_config_defaults(cfg);
	cfg->ifname = ifname;
	cfg->local_ip = net | 1;
	cfg->first_ip = net | 2;
	cfg->count = 4;
	cfg->auth = UPPP_AUTH_CHAP_MD5;
	cfg->secrets_path = secrets;
	cfg->if_pattern = if_pattern;
	cfg->ac_name = name;
	cfg->log = log_line;
	cfg->log_ud = (void *)name;
}

int main(int argc, char **argv)
{
	struct uppp_server_config cfg[2];
	struct uppp_server *srv[2] = { NULL, NULL };
	sigset_t set;
	int sfd, rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SECRETS_FILE\n", argv[0]);
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 || (sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0) {
		perror("signalfd");
		return 1;
	}
	config(&cfg[0], "a", "br0", 0x0a000000, "pa%d", argv[1]);
	config(&cfg[1], "b", "br1", 0x0a010000, "pb%d", argv[1]);
	for (int i = 0; i < 2 && rc == 0; i++)
		rc = uppp_server_new(&cfg[i], &srv[i]);
	if (rc < 0) {
		fprintf(stderr, "two_servers: %s\n", strerror(-rc));
		goto out;
	}
	/* The library touches no signal: the mask is still ours, SIGHUP's
	 * disposition still the default. */
	sigset_t now;
	struct sigaction sa;
	if (sigprocmask(SIG_BLOCK, NULL, &now) < 0 || sigaction(SIGHUP, NULL, &sa) < 0 ||
	    sigismember(&now, SIGHUP) || sigismember(&now, SIGUSR2) || !sigismember(&now, SIGTERM) ||
	    sa.sa_handler != SIG_DFL) {
		fprintf(stderr, "two_servers: the library changed the signal mask or a handler\n");
		rc = -EINVAL;
		goto out;
	}
	if (uppp_server_fd(srv[0]) == uppp_server_fd(srv[1])) {
		fprintf(stderr, "two_servers: both servers have the same fd\n");
		rc = -EINVAL;
		goto out;
	}
	while (!uppp_server_done(srv[0]) || !uppp_server_done(srv[1])) {
		struct pollfd p[3] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = uppp_server_fd(srv[0]), .events = POLLIN },
			{ .fd = uppp_server_fd(srv[1]), .events = POLLIN },
		};
		int timeout = -1;
		for (int i = 0; i < 2; i++) {
			int t = uppp_server_timeout_ms(srv[i]);
			if (t >= 0 && (timeout < 0 || t < timeout))
				timeout = t;
		}
		if (poll(p, 3, timeout) < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				for (int i = 0; i < 2; i++) {
					if (si.ssi_signo == SIGUSR1)
						uppp_server_log_counters(srv[i]);
					else
						uppp_server_stop(srv[i], (int)si.ssi_signo);
				}
			}
		}
		for (int i = 0; i < 2; i++) {
			int err = uppp_server_dispatch(srv[i]);
			if (err < 0) {
				fprintf(stderr, "two_servers: server %d: %s\n", i, strerror(-err));
				rc = err;
			}
		}
		if (rc < 0)
			break;
	}
out:
	uppp_server_free(srv[0]);
	uppp_server_free(srv[1]);
	close(sfd);
	if (rc == 0)
		printf("two_servers: both stopped and freed\n");
	return rc < 0 ? 1 : 0;
}
