/* cli/server_args.h — `uppp server` as a drop-in for pppoe-server + pppd:
 * rp-pppoe's flags (table in core/options.h) and the pppd options files
 * (-O FILE, DIR/options) laid over the command line's own flags. */
#ifndef UPPP_CLI_SERVER_ARGS_H
#define UPPP_CLI_SERVER_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/options.h"
#include "uppp/uppp.h"

struct server_args {
	const char *options_file;   /* -O FILE: must exist */
	const char *options_dir;    /* --options-dir DIR (default /etc/ppp): DIR/options if present,
				     * DIR/{chap,pap}-secrets as default secrets */
	const char *pid_file;       /* -X FILE */
	bool interface_seen;        /* a second -I is an error (one interface per process) */
	/* set on the command line: the files do not override them */
	bool cli_auth, cli_dns, cli_wins, cli_idle, cli_echo_interval, cli_echo_failure, cli_log_level, cli_secrets;
	struct uppp_options opts;   /* cfg points into it: keep until the server returns */
	char chap_secrets[4096], pap_secrets[4096];
	bool pid_written;
};

void server_args_init(struct server_args *a);
/* getopt string: own (uppp's short flags, e.g. ":I:L:...") plus every
 * pppoe-server flag of the table that own does not have. */
void server_args_optstring(char *out, size_t cap, const char *own);
/* A pppoe-server flag uppp only notes: prints the notice or warning and
 * returns 0; for a flag it refuses, prints the error and returns 2; -1 when
 * c is not such a flag. */
int server_args_compat_flag(int c, const char *arg);
/* Reads the options files and lays them over cfg; prints every diagnostic
 * (FILE:LINE: ...) on stderr. Returns 0, or 1 when any is an error (nothing
 * has been opened yet). */
int server_args_apply(struct server_args *a, struct uppp_server_config *cfg);
/* -X: writes our pid. 0 or 1 (message printed). */
int server_args_write_pid(struct server_args *a);
/* Removes the pid file, frees the options. */
void server_args_cleanup(struct server_args *a);

#endif
