/* server_epoll.c — a PPPoE access concentrator on the program's own epoll
 * loop, with libuppp's public API alone.
 *
 *   server_epoll IFNAME LOCAL_IP FIRST_IP COUNT SECRETS
 *   e.g. server_epoll eth1 10.0.0.1 10.0.0.2 100 /etc/ppp/chap-secrets
 *
 * Clients on IFNAME authenticate with CHAP-MD5 against SECRETS and get an
 * address from FIRST_IP on (COUNT of them); our end is LOCAL_IP. SIGINT or
 * SIGTERM stops the server gracefully: LCP Terminate-Request and PADT to
 * every session, then exit 0. Build against the installed library:
 *
 *   cc -o server_epoll server_epoll.c $(pkg-config --cflags --libs uppp)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <uppp/uppp.h>

/* An IPv4 address in dotted form to host order; 0 when it is not one. */
static uint32_t parse_ip(const char *s)
{
	struct in_addr a;

	return inet_pton(AF_INET, s, &a) == 1 ? ntohl(a.s_addr) : 0;
}

int main(int argc, char **argv)
{
	struct uppp_server_config cfg;
	struct uppp_server *srv = NULL;
	sigset_t sigs;
	int ep = -1, sfd = -1, rc, status = 1;

	if (argc != 6) {
		fprintf(stderr, "usage: %s IFNAME LOCAL_IP FIRST_IP COUNT SECRETS\n", argv[0]);
		return 2;
	}
	/* Every field gets the defaults of `uppp server`; we set what we need.
	 * cfg and its strings (argv here) must outlive the server. */
	uppp_server_config_defaults(&cfg);
	cfg.ifname = argv[1];
	cfg.local_ip = parse_ip(argv[2]);
	cfg.first_ip = parse_ip(argv[3]);
	cfg.count = (unsigned)strtoul(argv[4], NULL, 10);
	cfg.secrets_path = argv[5];
	cfg.auth = UPPP_AUTH_CHAP_MD5;
	if (cfg.local_ip == 0 || cfg.first_ip == 0 || cfg.count == 0) {
		fprintf(stderr, "%s: LOCAL_IP and FIRST_IP must be IPv4 addresses, COUNT a number > 0\n", argv[0]);
		return 2;
	}

	/* The library handles no signal: we block SIGINT and SIGTERM and read
	 * them from a signalfd that sits in our epoll beside the server. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0 || (sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0 ||
	    (ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		perror("server_epoll: signalfd/epoll");
		goto out;
	}

	/* Opens IFNAME, loads SECRETS, logs event=started (to stderr, as
	 * cfg.log is NULL). On failure the log has said why. */
	rc = uppp_server_new(&cfg, &srv);
	if (rc < 0) {
		fprintf(stderr, "server_epoll: cannot start on %s: %s\n", cfg.ifname, strerror(-rc));
		goto out;
	}

	/* The server's one fd (itself an epoll fd holding its Ethernet and
	 * session interfaces) goes into our set like any other; it stays the
	 * same for the server's lifetime and belongs to the server. */
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = sfd };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) < 0)
		goto epoll_failed;
	ev.data.fd = uppp_server_fd(srv);
	if (epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev) < 0)
		goto epoll_failed;

	status = 0;
	while (!uppp_server_done(srv)) {
		/* Wait for input or the server's next timer (-1: none armed). */
		struct epoll_event ready[2];
		int n = epoll_wait(ep, ready, 2, uppp_server_timeout_ms(srv));
		if (n < 0 && errno != EINTR)
			goto epoll_failed;
		for (int i = 0; i < n; i++) {
			struct signalfd_siginfo si;
			if (ready[i].data.fd == sfd && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				/* Terminate-Request + PADT to every session, give
				 * back the addresses; done() is true afterwards. */
				uppp_server_stop(srv, (int)si.ssi_signo);
		}
		/* Frames, session packets and due timers; never blocks. An
		 * extra call (after a signal only, say) does no harm. */
		rc = uppp_server_dispatch(srv);
		if (rc < 0) {  /* the interface failed: every session has ended */
			fprintf(stderr, "server_epoll: %s: %s\n", cfg.ifname, strerror(-rc));
			status = 1;
		}
	}
	goto out;

epoll_failed:
	perror("server_epoll: epoll");
	status = 1;
out:
	uppp_server_free(srv);  /* NULL is fine; stops first if still running */
	if (ep >= 0)
		close(ep);
	if (sfd >= 0)
		close(sfd);
	return status;
}
