/* uppp.h — the public face of libuppp, a userspace PPPoE access concentrator
 * and client.
 *
 * Three ways to use it:
 *  - a server or client object under your own event loop (uppp_server_new,
 *    uppp_client_new): it opens its interfaces and keeps its many fds
 *    (pcap, TUNs) in an epoll set of its own; you wait until that one fd is
 *    readable or its timeout passes, then call dispatch; or let the object
 *    wait in one system call (uppp_server_wait), with your few fds (a
 *    signalfd) in its epoll set (uppp_server_watch_fd): what the `uppp`
 *    binary does;
 *  - the blocking wrappers (uppp_server_run, uppp_client_run), which do that
 *    wait for you and handle no signal;
 *  - the sans-I/O engines (uppp/ac.h, uppp/dial.h, sharing uppp/engine.h)
 *    under your own loop: bytes and time in; frames, IP packets, one
 *    deadline and events out. No pcap, no TUN, no syscall: what firmware
 *    with its own Ethernet driver and IP stack embeds.
 * The library installs no signal handler and blocks no signal.
 * Functions return 0 or a negative errno; the library never exits or prints
 * except through the log it is given. */
#ifndef UPPP_UPPP_H
#define UPPP_UPPP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "uppp/types.h"
#include "uppp/version.h"   /* UPPP_VERSION, uppp_version(), UPPP_HAVE_SERVER/CLIENT/MSCHAPV2 */

#define UPPP_MAX_SERVICES 8

/* How a server's sessions reach the kernel's IP stack (--if-mode). */
enum uppp_if_mode {
	/* One TUN device per session (ppp0, ppp1 ... from if_pattern), as
	 * pppd makes: ip-up scripts and firewall rules can name it. A device
	 * whose session ended waits, down and without addresses, for the next
	 * session (a new one costs ~0.1 ms, deleting one ~18 ms); all are
	 * deleted when the server stops. The default. */
	UPPP_IF_PER_SESSION = 0,
	/* One TUN device (if_shared_name) for every session, with our address
	 * once and one route PEER/32 (the session's MTU) per session: for many
	 * sessions, far less kernel memory and faster set-up and tear-down. */
	UPPP_IF_SHARED = 1,
};

/* What a program embedding the server offers to the control socket's verbs
 * beyond those the library answers itself (docs/control.md). Any member may
 * be NULL: the verb then answers {"error":"not supported"}. Called from
 * inside uppp_server_dispatch(), on the server's thread. */
struct uppp_server_control_ops {
	/* `reload`: re-read the configuration. 0, or -errno with one sentence
	 * in err[0..errlen) (FILE:LINE of what is wrong). */
	int (*reload)(void *ctx, char *err, size_t errlen);
	/* `show config`: write the effective configuration to out (text). 0 or
	 * -errno. */
	int (*show_config)(void *ctx, FILE *out);
};

struct uppp_server_config {
	const char *ifname;             /* Ethernet interface facing the clients (-I) */
	uint32_t local_ip;              /* our address on every session (-L), host order */
	uint32_t first_ip;              /* first client address (-R) */
	unsigned count;                 /* addresses in the pool (-N) */
	const char *services[UPPP_MAX_SERVICES];  /* offered Service-Names (-S); none = any */
	unsigned n_services;
	const char *ac_name;            /* AC-Name (-C); default: host name */
	enum uppp_auth_method auth;     /* --auth */
	const char *secrets_path;       /* --secrets; default /etc/ppp/{chap,pap}-secrets */
	uint32_t dns[2];                /* --dns (up to two), 0 = none */
	uint32_t wins[2];               /* --wins (up to two), 0 = none */
	unsigned echo_interval_s;       /* --lcp-echo-interval (0 = off) */
	unsigned echo_failure;          /* --lcp-echo-failure */
	int mss_clamp;                  /* -1 off, 0 = MTU-40, else value */
	unsigned max_per_mac;           /* 0 = unlimited */
	unsigned idle_s;                /* -T / --idle / `idle`: seconds without IP data, 0 = never */
	const char *if_pattern;         /* session interface names, default "ppp%d" */
	enum uppp_if_mode if_mode;      /* --if-mode: per-session TUNs (default) or one shared TUN */
	const char *if_shared_name;     /* --if-shared-name: the shared TUN's name, default "uppp%d" */
	enum uppp_log_level log_level;  /* least severe level logged (default UPPP_LOG_INFO) */
	uppp_log_fn *log;               /* NULL: timestamped lines written to log_out */
	void *log_ud;                   /* passed to log unchanged */
	FILE *log_out;                  /* default stderr (when log is NULL) */

	/* Hostile clients and least privilege (docs/security.md). The defaults
	 * come from uppp_server_config_defaults(); 0 turns a limit off. Rates
	 * are per second with a burst of twice the rate. */
	const char *run_as;             /* --run-as: after opening the interface, switch to this user
					 * keeping only CAP_NET_ADMIN; NULL = stay root */
	unsigned padi_rate;             /* --padi-rate: PADIs answered per second, all clients (200) */
	unsigned padi_rate_per_mac;     /* --padi-rate-per-mac (5) */
	unsigned padr_rate;             /* --padr-rate: PADRs considered per second (100) */
	unsigned padr_rate_per_mac;     /* --padr-rate-per-mac (5) */
	unsigned max_negotiating;       /* --max-negotiating: sessions not yet up at once (64) */
	unsigned negotiation_timeout_s; /* --negotiation-timeout / `negotiation-timeout`: seconds from
					 * PADS (or a renegotiation) to IPCP up, else the session ends (60) */
	unsigned auth_fail_limit;       /* --auth-fail-limit: failed logins per MAC per minute (3) */

	/* pppd options (-O file, /etc/ppp/options; config/server_args.c). 0 / NULL = default. */
	unsigned auth_also;             /* other protocols accepted when a client Naks `auth`:
					 * bits 1u << enum uppp_auth_method */
	const char *pap_secrets_path;   /* PAP's secrets when not secrets_path (pppd: pap-secrets) */
	bool login;                     /* `login`: PAP users must also be system accounts */
	const char *login_where;        /* "FILE:LINE" of that option, for the refusal message */
	const char *ppp_name;           /* `name`: our CHAP name and secrets server column; default host name */
	const char *log_file;           /* `logfile`: append the log here instead of log_out (or log) */
	unsigned lcp_restart_s;         /* `lcp-restart` (default 3) */
	unsigned lcp_max_configure;     /* `lcp-max-configure` (default 10) */
	unsigned lcp_max_terminate;     /* `lcp-max-terminate` (default 2) */
	unsigned lcp_max_failure;       /* `lcp-max-failure` (default 5) */
	unsigned mru;                   /* `mru`: what we ask for (default 1492) */
	unsigned mtu;                   /* `mtu`: caps the session MTU and the MSS clamp */

	/* --busy-poll / `busy-poll`: after any work, poll for this many µs
	 * before sleeping (0 = off, the default; at most 1000000). A packet
	 * arriving in that window skips the wake-up of a sleeping thread
	 * (90-165 µs on a VM; a window shorter than the gaps between packets
	 * saves little), at the price of one core at 100 % while traffic
	 * flows and for that long after it. While the
	 * window lasts, uppp_server_timeout_ms() is 0: a caller's own loop
	 * spins too. uppp_server_new fails with -EINVAL above the maximum. */
	unsigned busy_poll_us;

	/* Scripts run as pppd runs them (README.md, "Hooks"): with pppd's
	 * arguments and a clean environment, stdin/stdout/stderr on /dev/null,
	 * never waited for (the session is up when IPCP opens), as the user
	 * the server runs as (after run_as: that user). NULL or "" = none (the
	 * `uppp` binary sets pppd's paths, /etc/ppp/ip-up ...). A path that
	 * does not exist is skipped silently, as pppd does; one that is not an
	 * executable regular file is skipped with a warning. */
	const char *auth_up_script;     /* `auth-up-script`: the peer authenticated */
	const char *auth_down_script;   /* `auth-down-script`: the link went down after auth-up */
	const char *ip_pre_up_script;   /* `ip-pre-up-script`: IPCP opened, before ip-up */
	const char *ip_up_script;       /* `ip-up-script`: IPCP opened (after ip-pre-up exited) */
	const char *ip_down_script;     /* `ip-down-script`: IP is down (after ip-up exited) */
	const char *ipparam;            /* `ipparam`: every script's last argument and IPPARAM */
	unsigned hook_timeout_s;        /* `hook-timeout`: a script still running after this many
					 * seconds gets SIGTERM, 5 s later SIGKILL (default 60; 0 = 60) */
	/* The control socket (docs/control.md): a unix stream socket the
	 * server's loop serves (`uppp sessions`, `uppp kill`, `uppp stats`).
	 * NULL = none (the default for library users; the `uppp server` binary
	 * makes /run/uppp/uppp-IFACE.sock unless told `--control none`). Made
	 * before privileges are dropped, mode 0660; a stale socket file (no
	 * server answers on it) is replaced, a live one makes uppp_server_new
	 * fail with -EADDRINUSE; removed by uppp_server_free. When the path's
	 * directory is /run/uppp and missing, it is made (0755). */
	const char *control_path;
	/* The socket's group (a group name; its members may use the socket):
	 * NULL = the process's group. An unknown group: -EINVAL. */
	const char *control_group;
	/* Verbs the embedding program answers (reload, show config); NULL =
	 * none: those verbs answer "not supported". control_ctx is passed to
	 * them unchanged. */
	const struct uppp_server_control_ops *control_ops;
	void *control_ctx;
	/* Capture (README.md, "Capture and trace"; docs/control.md): a pcap
	 * file (Ethernet link type, read by tcpdump, tshark, Wireshark) of every
	 * PPPoE discovery frame and every session control frame (LCP, PAP, CHAP,
	 * IPCP ...) received and sent; IP data frames too with capture_data.
	 * NULL = none (the default). Opened by uppp_server_new before
	 * privileges are dropped (mode 0600; a symbolic link is refused; -errno
	 * when it cannot be opened); rotated by size: FILE becomes FILE.1 and so
	 * on, capture_files files in all (the oldest removed), new files made as
	 * the user the server runs as then. A write error stops the capture
	 * with one log line, never the server. The control socket's `capture
	 * start` / `capture stop` start and stop one while the server runs. */
	const char *capture_path;
	bool capture_data;              /* IP data frames too (one write per packet: for debugging) */
	unsigned capture_size_mb;       /* rotate at this size, MiB (default 16; 0 = 16; at most 65536) */
	unsigned capture_files;         /* files kept, FILE included (default 4; 0 = 4; 1 = FILE is
					 * restarted when full; at most 1000) */
	/* Prometheus metrics over HTTP (`--metrics`; docs/control.md): "ADDR:PORT"
	 * (IPv4, or [IPv6]:PORT; port 1..65535; no host names) where GET
	 * /metrics answers the counters of uppp_server_stats() in the text
	 * format of `uppp stats --prometheus`. NULL = none (the default). The
	 * metrics are not authenticated: give a loopback or management address.
	 * Served by the server's loop (no thread); bound before privileges are
	 * dropped. uppp_server_new fails with -EINVAL (not ADDR:PORT),
	 * -ENOTSUP (a build without libmicrohttpd: UPPP_HAVE_METRICS 0), or
	 * what bind() said (-EADDRINUSE, -EADDRNOTAVAIL, -EACCES), logged. */
	const char *metrics_listen;
};

struct uppp_client_config {
	const char *ifname;             /* -I */
	const char *user;               /* -u */
	const char *password;           /* -p */
	const char *service;            /* -S, "" = any */
	const char *ac_name;            /* only this AC, NULL = any */
	const char *if_name;            /* our interface name, default "ppp%d" */
	unsigned auth_accept;           /* --auth: bits 1u << enum uppp_auth_method we agree to
					 * authenticate with; 0 = PAP, CHAP and MS-CHAPv2 */
	unsigned echo_interval_s;
	unsigned echo_failure;
	unsigned negotiation_timeout_s; /* --negotiation-timeout: PADS to IPCP up (60), 0 = no limit */
	int mss_clamp;
	enum uppp_log_level log_level;  /* as in struct uppp_server_config */
	uppp_log_fn *log;
	void *log_ud;
	FILE *log_out;
	unsigned busy_poll_us;          /* --busy-poll, as in struct uppp_server_config */
};

#if UPPP_HAVE_SERVER
/* Fills *cfg with the defaults of `uppp server` (every field; the limits of
 * docs/security.md; log_out NULL, which means stderr). Cannot fail. */
UPPP_API void uppp_server_config_defaults(struct uppp_server_config *cfg);

/* A running access concentrator on one Ethernet interface. Opaque; not
 * thread-safe (one thread calls all of its functions); servers share
 * nothing, so several can run in one process, on one loop or one thread
 * each (but --run-as changes the whole process: give it to one at most). */
struct uppp_server;

/* Validates cfg, loads the secrets files, opens the interface, creates the
 * address pool and the engine, drops privileges (cfg->run_as) and logs
 * event=started; *out receives the server, ready for uppp_server_fd().
 * cfg and every string it points to must outlive the server. Returns 0,
 * or -errno with *out NULL, the log saying why and nothing left behind:
 * -ENOTSUP (MS-CHAPv2 asked of a build without it), for example -EINVAL (bad
 * pool or options, busy_poll_us above 1000000), -ENOENT / -EACCES (secrets
 * file), -ENODEV (no such interface), -EPERM (not allowed to open it),
 * -ENOMEM. */
UPPP_API int uppp_server_new(const struct uppp_server_config *cfg, struct uppp_server **out);
/* The one descriptor to wait on: readable when the server has input (an
 * epoll fd holding its Ethernet and session interfaces). Owned by the
 * server; never read or close it. The same fd for the server's lifetime. */
UPPP_API int uppp_server_fd(const struct uppp_server *srv);
/* Milliseconds until the server's next timer (retransmits, echo, idle and
 * negotiation timeouts of all sessions): 0 when one is due or while the
 * busy-poll window lasts (cfg->busy_poll_us), -1 when none is armed (wait
 * for the fd alone). Read it again after every dispatch. */
UPPP_API int uppp_server_timeout_ms(const struct uppp_server *srv);
/* Handles whatever is ready and due, without blocking: frames, packets of
 * every session, timers. Call it when the fd is readable or the timeout has
 * passed (an extra call does no harm). Returns 0; or, once the server is
 * done, 0 after a stop and -errno when its Ethernet interface failed
 * (-ENETDOWN, -ENODEV, ...: every session has then ended). */
UPPP_API int uppp_server_dispatch(struct uppp_server *srv);
/* Waits until the server has input, one of the fds given to
 * uppp_server_watch_fd() is readable or the next timer is due, then handles
 * what is ready as uppp_server_dispatch() does: the poll on uppp_server_fd()
 * and the dispatch in one system call (epoll_wait) instead of two, which is
 * what each wake-up of an idle server costs. Returns as
 * uppp_server_dispatch(). */
UPPP_API int uppp_server_wait(struct uppp_server *srv);
/* Adds fd (yours: it stays open and yours) to the server's epoll set, so
 * that uppp_server_wait() also wakes for it: cb(ctx, fd, events) runs
 * inside uppp_server_wait() or uppp_server_dispatch() while fd is readable
 * (level-triggered: read it, or it fires again). For a program whose loop
 * is uppp_server_wait(): its signalfd, a timerfd, a pipe. cb may call the
 * server's functions (stop, kill, log_counters, reconfigure), not free it.
 * Unwatch fd before you close it. 0 or -errno (-EEXIST: watched already,
 * -EINVAL: fd < 0 or cb NULL). */
UPPP_API int uppp_server_watch_fd(struct uppp_server *srv, int fd,
				  void (*cb)(void *ctx, int fd, uint32_t events), void *ctx);
/* Takes fd out of the server's epoll set. 0 or -ENOENT (not one of yours). */
UPPP_API int uppp_server_unwatch_fd(struct uppp_server *srv, int fd);
/* Graceful stop: logs event=shutdown (naming signo when not 0, for a
 * program that stops on a signal), sends LCP Terminate-Request and PADT to
 * every session, gives back every address, removes every session
 * interface and logs event=stopped; uppp_server_done() is then true and the
 * server reads nothing more. Calling it again does nothing. */
UPPP_API void uppp_server_stop(struct uppp_server *srv, int signo);
/* True once the server has stopped (uppp_server_stop, or its interface
 * failed): free it. */
UPPP_API bool uppp_server_done(const struct uppp_server *srv);
/* Logs one line with the discovery counters, the session and lease counts
 * (layer=core event=counters ...; what `kill -USR1` asks of the binary). */
UPPP_API void uppp_server_log_counters(struct uppp_server *srv);

/* One session as uppp_server_sessions() shows it: a copy, valid during the
 * visitor's call. */
struct uppp_server_session {
	uint16_t id;                    /* PPPoE session id */
	uint8_t peer_mac[6];
	char user[256];                 /* authenticated name, raw peer bytes (escape before
					 * printing); "" before authentication or without */
	uint32_t peer_ip;               /* host order; 0 while none is assigned */
	char ifname[16];                /* its interface ("" until IPCP is up) */
	const char *state;              /* "lcp", "auth", "network", "up", "terminating" (static) */
	uint64_t up_since_ms;           /* when its PADR came, ms on the server's clock
					 * (CLOCK_MONOTONIC) */
	uint64_t uptime_ms;             /* from then until now */
	uint64_t bytes_in, packets_in;  /* IP data from the peer */
	uint64_t bytes_out, packets_out;/* IP data to the peer */
	enum uppp_auth_method auth;     /* UPPP_AUTH_NONE before LCP chose one, or without */
	enum uppp_cause last_cause;     /* why it last changed state for a reason other than
					 * its own negotiation: UPPP_CAUSE_NONE while it lives */
};

/* Calls fn(ctx, s) for every session of srv (past PADS, not yet ended),
 * newest first, until fn returns non-zero, which is then returned; 0 when
 * every session was visited. fn must not call back into srv. */
UPPP_API int uppp_server_sessions(struct uppp_server *srv,
				  int (*fn)(void *ctx, const struct uppp_server_session *s), void *ctx);
/* Ends the session with this id as an operator would: logs
 * event=kill cause=admin with text (escaped; NULL or "" = none), sends LCP
 * Terminate-Request and PADT, gives back its address and removes its
 * interface (the end is logged with cause admin). Returns 0, or -ENOENT
 * when no session has that id. */
UPPP_API int uppp_server_kill(struct uppp_server *srv, uint16_t session_id, const char *text);

/* What uppp_server_stats() reports: counters since uppp_server_new, and the
 * gauges of now. Index arrays by the enum named beside them. */
struct uppp_server_stats {
	/* discovery frames (RFC 2516 §5) */
	uint64_t padi_rx, pado_tx, padr_rx, pads_tx, padt_rx, padt_tx;
	/* discovery frames dropped, by reason */
	uint64_t dropped_malformed, dropped_unknown_session, dropped_no_service, dropped_limit,
		 dropped_bad_cookie, dropped_bad_source, dropped_rate_limited, dropped_negotiating,
		 dropped_auth_limited;
	/* authentications judged, by enum uppp_auth_method */
	uint64_t auth_accepted[4], auth_refused[4];
	/* sessions that came up, and that ended by enum uppp_cause (room for 64) */
	uint64_t sessions_up, sessions_down;
	uint64_t sessions_down_by_cause[64];
	/* IP packets from the interfaces that no session took */
	uint64_t ip_dropped_no_session;
	/* gauges */
	uint64_t sessions, negotiating;
	uint64_t leases_in_use, leases_free;
};

/* Fills *out with srv's counters and gauges. Cannot fail. */
UPPP_API void uppp_server_stats(const struct uppp_server *srv, struct uppp_server_stats *out);

/* A reload: the server takes cfg without stopping (SIGHUP in the binary).
 * Everything is checked and the secrets files are read into new tables
 * first; only then is the configuration swapped at once, so on any error
 * nothing has changed and the configuration in force stays. From then on
 * new logins use the new secrets, DNS and WINS, authentication, CHAP name,
 * LCP and echo settings, idle and negotiation timeouts, MSS clamp, mru/mtu,
 * and discovery the new rates and caps (max_per_mac, padi/padr rates,
 * max_negotiating, auth_fail_limit); log_level and busy_poll_us apply at
 * once, and `logfile` is opened again (after logrotate moved it). Sessions
 * that are up stay up, untouched: they keep what they began with until
 * they end. What a running server cannot take is refused with -EINVAL,
 * naming it: the interface, our address, the pool, the Service-Names and
 * AC-Name, the interface mode and names, run_as, the log callback or
 * stream, dropping log_file. Returns 0; or -errno with the reason logged
 * (event=reconfigure-failed) and, when err is not NULL, written to err
 * (errlen bytes; "FILE:LINE: ..." for a malformed secrets line): -EINVAL,
 * -ENOENT / -EACCES (secrets file), -ENOMEM, -ESHUTDOWN (stopped).
 * Ownership: on success the server keeps cfg (uppp_server_new's rule: it
 * and its strings must outlive the server or the next reconfigure) and
 * no longer reads the old one, which the caller may free when this
 * returns; on error it keeps the old one and cfg is the caller's. Not from
 * inside a log callback. */
UPPP_API int uppp_server_reconfigure(struct uppp_server *srv, const struct uppp_server_config *cfg, char *err,
				     size_t errlen);
/* Logs one line through the server's log (its level, callback or file,
 * timestamps): fmt is key=value text as the library's own lines are (the
 * binary logs its reloads with it). Strings from outside (peer bytes,
 * file contents) must be escaped by the caller. */
UPPP_API void uppp_server_logf(struct uppp_server *srv, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Stops the server if it was not (as uppp_server_stop, without the shutdown
 * line), closes its interface and frees everything it holds. NULL: nothing. */
UPPP_API void uppp_server_free(struct uppp_server *srv);

/* uppp_server_new, then wait and dispatch until the server is done, then
 * free. Handles no signal, so it returns only when the interface fails
 * (that -errno) or -errno when it cannot start (as uppp_server_new); a
 * program that wants to stop its server uses the object above. */
UPPP_API int uppp_server_run(const struct uppp_server_config *cfg);
#endif

#if UPPP_HAVE_CLIENT
/* Fills *cfg with the defaults of `uppp client` (every field). Cannot fail. */
UPPP_API void uppp_client_config_defaults(struct uppp_client_config *cfg);

/* One dial-up session on one Ethernet interface. Opaque; not thread-safe;
 * clients share nothing. */
struct uppp_client;

/* Opens the interface, logs event=dialing and sends the first PADI; the
 * session interface comes up when IPCP opens. cfg and its strings must
 * outlive the client. Returns 0, or -errno with *out NULL, the log saying
 * why and nothing left behind: for example -EINVAL (busy_poll_us above
 * 1000000), -ENODEV, -EPERM, -ENOMEM. */
UPPP_API int uppp_client_new(const struct uppp_client_config *cfg, struct uppp_client **out);
/* The one descriptor to wait on for readability (an epoll fd owned by the
 * client: never read or close it). */
UPPP_API int uppp_client_fd(const struct uppp_client *c);
/* Milliseconds until the client's next timer, 0 when due or while the
 * busy-poll window lasts (cfg->busy_poll_us), -1 none. */
UPPP_API int uppp_client_timeout_ms(const struct uppp_client *c);
/* Handles whatever is ready and due, without blocking. 0, or -errno when
 * waiting failed inside (epoll). */
UPPP_API int uppp_client_dispatch(struct uppp_client *c);
/* Waits for input, a watched fd or the next timer, then handles it, in one
 * system call: as uppp_server_wait(). */
UPPP_API int uppp_client_wait(struct uppp_client *c);
/* Your fd in the client's epoll set, cb run inside its wait or dispatch
 * while fd is readable: as uppp_server_watch_fd(). */
UPPP_API int uppp_client_watch_fd(struct uppp_client *c, int fd,
				  void (*cb)(void *ctx, int fd, uint32_t events), void *ctx);
/* Takes your fd out again: as uppp_server_unwatch_fd(). */
UPPP_API int uppp_client_unwatch_fd(struct uppp_client *c, int fd);
/* Hangs up: logs event=hangup (naming signo when not 0), sends LCP
 * Terminate-Request, and PADT once it is acked or a second later (keep
 * dispatching until uppp_client_done()). A second call while waiting ends
 * the session at once. Nothing happens once done. */
UPPP_API void uppp_client_hangup(struct uppp_client *c, int signo);
/* True once the session is over (hung up, ended by the server, echo or
 * negotiation timeout, no server found, interface failed): free it. */
UPPP_API bool uppp_client_done(const struct uppp_client *c);
/* Why it ended (UPPP_CAUSE_NONE while not done; UPPP_CAUSE_ADMIN after a
 * hang-up). */
UPPP_API enum uppp_cause uppp_client_cause(const struct uppp_client *c);
/* The cause as uppp_client_run returns it: 0 (not done, or hung up),
 * -ETIMEDOUT (discovery found no server), -ECONNRESET (any other end). */
UPPP_API int uppp_client_result(const struct uppp_client *c);
/* Hangs up at once if still up (PADT), removes the session interface,
 * closes the Ethernet and frees everything. NULL: nothing. */
UPPP_API void uppp_client_free(struct uppp_client *c);

/* uppp_client_new, then wait and dispatch until the session ends by itself,
 * then free: returns uppp_client_result() (-ECONNRESET, -ETIMEDOUT) or
 * -errno when it cannot start. Handles no signal (see uppp_client_hangup). */
UPPP_API int uppp_client_run(const struct uppp_client_config *cfg);
#endif

#endif
