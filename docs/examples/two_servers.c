/* two_servers.c — two access concentrators on two interfaces in one
 * process, on one poll() loop, with libuppp's public API alone.
 *
 *   two_servers SECRETS IF_A LOCAL_A FIRST_A IF_B LOCAL_B FIRST_B
 *   e.g. two_servers /etc/ppp/chap-secrets eth1 10.0.0.1 10.0.0.2 eth2 10.1.0.1 10.1.0.2
 *
 * Server "a" answers on IF_A (our end LOCAL_A, 16 client addresses from
 * FIRST_A, session interfaces pa0, pa1, ...), server "b" likewise on IF_B
 * (pb0, ...); both authenticate with CHAP-MD5 against SECRETS. Servers share
 * nothing: each has its own fd, timers, sessions and pool. Every log line
 * goes through our callback, which prefixes it with the server's name.
 * SIGUSR1 logs both servers' counters; SIGINT or SIGTERM stops both
 * gracefully (Terminate-Request and PADT to every session), then exit 0.
 *
 *   cc -o two_servers two_servers.c $(pkg-config --cflags --libs uppp)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <uppp/uppp.h>

static const char *const names[2] = { "a", "b" };
static const char *const if_patterns[2] = { "pa%d", "pb%d" };

/* Called by the library for each line at or above cfg->log_level; ud is
 * what we put in cfg->log_ud. Peer strings in line are already escaped. */
static void log_line(void *ud, enum uppp_log_level level, const char *line)
{
	(void)level;
	printf("srv=%s %s\n", (const char *)ud, line);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct uppp_server_config cfg[2];
	struct uppp_server *srv[2] = { NULL, NULL };
	sigset_t sigs;
	int sfd = -1, rc = 0;

	if (argc != 8) {
		fprintf(stderr, "usage: %s SECRETS IF_A LOCAL_A FIRST_A IF_B LOCAL_B FIRST_B\n", argv[0]);
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		char **arg = &argv[2 + 3 * i];  /* IF, LOCAL, FIRST of server i */
		struct in_addr local, first;

		if (inet_pton(AF_INET, arg[1], &local) != 1 || inet_pton(AF_INET, arg[2], &first) != 1) {
			fprintf(stderr, "%s: '%s' or '%s' is not an IPv4 address\n", argv[0], arg[1], arg[2]);
			return 2;
		}
		uppp_server_config_defaults(&cfg[i]);
		cfg[i].ifname = arg[0];
		cfg[i].local_ip = ntohl(local.s_addr);
		cfg[i].first_ip = ntohl(first.s_addr);
		cfg[i].count = 16;
		cfg[i].auth = UPPP_AUTH_CHAP_MD5;
		cfg[i].secrets_path = argv[1];
		cfg[i].if_pattern = if_patterns[i];  /* session interface names apart */
		cfg[i].ac_name = names[i];
		cfg[i].log = log_line;
		cfg[i].log_ud = (void *)names[i];
	}

	/* Signals are ours to handle: blocked, and read from a signalfd. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0 || (sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0) {
		perror("two_servers: signalfd");
		return 1;
	}
	for (int i = 0; i < 2 && rc == 0; i++) {
		rc = uppp_server_new(&cfg[i], &srv[i]);
		if (rc < 0)
			fprintf(stderr, "two_servers: server %s on %s: %s\n", names[i], cfg[i].ifname, strerror(-rc));
	}

	while (rc == 0 && !(uppp_server_done(srv[0]) && uppp_server_done(srv[1]))) {
		struct pollfd p[3] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = uppp_server_fd(srv[0]), .events = POLLIN },
			{ .fd = uppp_server_fd(srv[1]), .events = POLLIN },
		};
		/* Wake up for the sooner of the two servers' next timers. */
		int timeout = -1;
		for (int i = 0; i < 2; i++) {
			int t = uppp_server_timeout_ms(srv[i]);
			if (t >= 0 && (timeout < 0 || t < timeout))
				timeout = t;
		}
		if (poll(p, 3, timeout) < 0 && errno != EINTR) {
			perror("two_servers: poll");
			rc = -errno;
			break;
		}
		struct signalfd_siginfo si;
		if ((p[0].revents & POLLIN) && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			for (int i = 0; i < 2; i++) {
				if (si.ssi_signo == SIGUSR1)
					uppp_server_log_counters(srv[i]);
				else
					uppp_server_stop(srv[i], (int)si.ssi_signo);
			}
		}
		/* Dispatch both: cheap when a server has nothing to do, and
		 * a stopped server's dispatch does nothing. */
		for (int i = 0; i < 2; i++) {
			int err = uppp_server_dispatch(srv[i]);
			if (err < 0) {
				fprintf(stderr, "two_servers: server %s on %s: %s\n", names[i], cfg[i].ifname,
					strerror(-err));
				rc = err;
			}
		}
	}

	for (int i = 0; i < 2; i++)
		uppp_server_free(srv[i]);  /* NULL is fine; stops first if still running */
	close(sfd);
	return rc < 0 ? 1 : 0;
}
