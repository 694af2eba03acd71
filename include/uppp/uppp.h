/* uppp.h — the public face of libuppp, a userspace PPPoE access concentrator
 * and client.
 *
 * Two ways to use it:
 *  - run a whole server or client with its own event loop (uppp_server_run,
 *    uppp_client_run), as the `uppp` binary does;
 *  - embed the sans-I/O engines (proto/ac.h, proto/dial.h) under your own
 *    loop: bytes and time in, bytes, timers and events out.
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

/* A log line for the embedding program: one event, key=value text
 * ("sess=3 mac=02:00:00:00:00:01 layer=lcp event=up"), without level word,
 * timestamp or newline; peer strings in it are escaped, CR and LF written
 * as spaces. Called only for levels up to the configured log_level: nothing
 * is formatted for the others. Called from inside the runtime: it must not
 * call back into it. line is valid only during the call. */
typedef void uppp_log_fn(void *ud, enum uppp_log_level level, const char *line);

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
};

#if UPPP_HAVE_SERVER
/* Fills *cfg with the defaults of `uppp server` (every field; the limits of
 * docs/security.md; log_out NULL, which means stderr). Cannot fail. */
UPPP_API void uppp_server_config_defaults(struct uppp_server_config *cfg);
/* Run until SIGINT/SIGTERM: then close every session (PADT + LCP
 * Terminate-Request), remove every interface, return 0. Returns -errno when
 * it cannot start (nothing is left behind). */
UPPP_API int uppp_server_run(const struct uppp_server_config *cfg);
#endif

#if UPPP_HAVE_CLIENT
/* Fills *cfg with the defaults of `uppp client` (every field). Cannot fail. */
UPPP_API void uppp_client_config_defaults(struct uppp_client_config *cfg);
/* Dial, bring up the interface, stay up until SIGINT/SIGTERM (hang up,
 * return 0) or until the session ends by itself (return -ECONNRESET, or
 * -ETIMEDOUT when discovery found no server). */
UPPP_API int uppp_client_run(const struct uppp_client_config *cfg);
#endif

#endif
