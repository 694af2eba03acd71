/* config/server_args.h — the `uppp server` command line, parsed into a
 * uppp_server_config without running anything, as a drop-in for
 * pppoe-server + pppd: rp-pppoe's flags (table in config/options.h) and the
 * pppd options files (-O FILE, DIR/options) laid over the command line's own
 * flags. */
#ifndef UPPP_CONFIG_SERVER_ARGS_H
#define UPPP_CONFIG_SERVER_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/args.h"
#include "config/options.h"
#include "uppp/uppp.h"

/* Where one effective setting came from (uppp_server_args_origin). */
struct server_origin {
	const char *key;                        /* the setting's name in `--show-config` (static) */
	char where[UPPP_OPTIONS_WHERE_MAX * 2]; /* "flag -I", "FILE:LINE" (ms-dns: "F:3, F:4") */
};

#define SERVER_ORIGINS_MAX 64

struct server_args {
	const char *options_file;   /* -O FILE: must exist */
	const char *options_dir;    /* --options-dir DIR (default /etc/ppp): DIR/options if present,
				     * DIR/{chap,pap}-secrets as default secrets */
	const char *pid_file;       /* -X FILE */
	bool interface_seen;        /* a second -I is an error (one interface per process) */
	/* set on the command line: the files do not override them */
	bool cli_auth, cli_dns, cli_wins, cli_idle, cli_echo_interval, cli_echo_failure, cli_log_level, cli_secrets;
	bool cli_negotiation_timeout, cli_busy_poll, cli_control;
	char control_path[108];     /* --control, or /run/uppp/uppp-IFACE.sock (sun_path's size) */
	struct uppp_options opts;   /* cfg points into it: keep until the server returns */
	char chap_secrets[4096], pap_secrets[4096];
	char scripts[5][4096];      /* DIR/auth-up, auth-down, ip-pre-up, ip-up, ip-down */
	bool pid_written;
	bool show_config, show_config_json;   /* --show-config[=json]: print, run nothing */
	struct server_origin origins[SERVER_ORIGINS_MAX];  /* settings not at their default */
	size_t n_origins;
	/* How the options files are read: NULL = the file system. A test sets
	 * its own reader after uppp_server_args_init(); then DIR/options counts as
	 * absent when the reader says -ENOENT. */
	const struct uppp_options_io *io;
};

void uppp_server_args_init(struct server_args *a);

/* argv[0] is the command word ("server"), argv[argc] NULL; getopt may
 * reorder argv[1..]. a has been uppp_server_args_init()ed. Fills cfg (from
 * uppp_server_config_defaults), then reads the options files and lays them
 * over it: cfg's strings point into argv and into a, keep both until cfg is
 * no longer used. Opens nothing for writing (the pid file is the caller's:
 * uppp_server_args_write_pid). --help goes to out, every diagnostic to err.
 * Returns an enum uppp_cmdline_result; cfg is complete only for UPPP_CMDLINE_RUN.
 * Whatever it returns, uppp_server_args_cleanup(a) frees what a holds. Resets
 * getopt's global state first (optind = 0), so it can be called any number
 * of times in one process, but not from two threads at once. */
int uppp_cli_parse_server(int argc, char **argv, struct uppp_server_config *cfg, struct server_args *a,
			  FILE *out, FILE *err);

/* getopt string: own (uppp's short flags, e.g. ":I:L:...") plus every
 * pppoe-server flag of the table that own does not have. */
void uppp_server_args_optstring(char *out, size_t cap, const char *own);
/* A pppoe-server flag uppp only notes: prints the notice or warning on err
 * and returns 0; for a flag it refuses, prints the error and returns 2; -1
 * when c is not such a flag. */
int uppp_server_args_compat_flag(int c, const char *arg, FILE *err);
/* Reads the options files and lays them over cfg; prints every diagnostic
 * (FILE:LINE: ...) on err. Returns 0, or 1 when any is an error (nothing
 * has been opened yet). */
int uppp_server_args_apply(struct server_args *a, struct uppp_server_config *cfg, FILE *err);
/* -X: writes our pid. 0 or 1 (message printed on stderr). */
int uppp_server_args_write_pid(struct server_args *a);
/* Where the setting key came from: "flag -X", "FILE:LINE", or NULL for
 * its default. */
const char *uppp_server_args_origin(const struct server_args *a, const char *key);

/* Removes the pid file, frees the options. */
void uppp_server_args_cleanup(struct server_args *a);

#endif
