/* uppp/cmdline.h — pppoe-server's flags, pppd's options files and secrets
 * paths, parsed into a struct uppp_server_config / uppp_client_config the
 * way the `uppp` binary reads them (docs/migrating-from-rp-pppoe.md).
 *
 * Parsing runs nothing and opens no interface; it reads the options files
 * named on the command line (and DIR/options). Messages (--help text, usage
 * errors, FILE:LINE diagnostics) go to the two streams given. */
#ifndef UPPP_CMDLINE_H
#define UPPP_CMDLINE_H

#include <stdio.h>

#include "uppp/uppp.h"

/* What a parse says to do next; also the `uppp` binary's exit code for it. */
enum uppp_cmdline_result {
	UPPP_CMDLINE_RUN = 0,     /* the configuration is complete: run it */
	UPPP_CMDLINE_FAILED = 1,  /* the pppd options have errors (printed to err) */
	UPPP_CMDLINE_USAGE = 2,   /* bad command line (printed to err) */
	UPPP_CMDLINE_DONE = 3,    /* --help printed to out: nothing to run */
};

#if UPPP_HAVE_SERVER
/* What a parsed server command line owns: the strings the config points to
 * and the pid file (-X). Free it after the server has returned. */
struct uppp_server_cmdline;

/* Parses `uppp server`'s arguments (argv[0] is the command word) and the
 * options files they name into *cfg. *cl receives the handle the config
 * points into, whatever the result (NULL only when out of memory, with
 * UPPP_CMDLINE_FAILED); free it with uppp_server_cmdline_free(). */
UPPP_API enum uppp_cmdline_result uppp_server_cmdline_parse(int argc, char **argv, struct uppp_server_config *cfg,
						   struct uppp_server_cmdline **cl, FILE *out, FILE *err);
/* Writes the pid file asked for with -X, if any. UPPP_CMDLINE_RUN, or
 * UPPP_CMDLINE_FAILED with the reason printed to the parse's err stream. */
UPPP_API enum uppp_cmdline_result uppp_server_cmdline_write_pid(struct uppp_server_cmdline *cl);
/* A reload (SIGHUP): parses cl's arguments again, with the options files
 * and secrets paths they name as they are now, into *cfg and a new handle
 * *out (which cfg points into). UPPP_CMDLINE_RUN: hand cfg to
 * uppp_server_reconfigure(); if that succeeds, retire cl with
 * uppp_server_cmdline_replace(cl, *out), else free *out and keep cl.
 * Otherwise *out is NULL and err (errlen bytes) holds every error joined by
 * "; ", each naming FILE:LINE ("/etc/ppp/options:7: unknown option
 * 'bogus'"). Everything the parse printed (notices, warnings, errors) goes
 * to diag, which may be NULL. cl is not changed. */
UPPP_API enum uppp_cmdline_result uppp_server_cmdline_reload(const struct uppp_server_cmdline *cl,
							     struct uppp_server_config *cfg,
							     struct uppp_server_cmdline **out, FILE *diag,
							     char *err, size_t errlen);
/* Frees old, whose configuration a reload replaced by successor's: the pid
 * file old wrote (-X) passes to successor (to be removed when it is freed)
 * instead of being removed now. successor NULL: as uppp_server_cmdline_free. */
UPPP_API void uppp_server_cmdline_replace(struct uppp_server_cmdline *old, struct uppp_server_cmdline *successor);
/* The effective configuration of a successful parse or reload, one line per
 * setting: "name value  # origin", where origin is "FILE:LINE" (pppd
 * options files; "F:3, F:4" for two ms-dns), "flag -X" (the command line)
 * or "default" (the secrets file's: that of --options-dir when it chose
 * it). Secrets files show their path and "entries=N" (the file is read;
 * never a secret). Values are escaped (\xNN). 0, -EINVAL when cl holds no
 * complete configuration, -EIO when out failed. */
UPPP_API int uppp_server_cmdline_describe(const struct uppp_server_cmdline *cl, FILE *out);
/* The same as one JSON object: {"settings": [{"name": ..., "value": ...,
 * ["entries": N,] "origin": ...}, ...]}. */
UPPP_API int uppp_server_cmdline_describe_json(const struct uppp_server_cmdline *cl, FILE *out);
/* Removes the pid file it wrote and frees everything (NULL: nothing). */
UPPP_API void uppp_server_cmdline_free(struct uppp_server_cmdline *cl);
#endif

#if UPPP_HAVE_CLIENT
/* Parses `uppp client`'s arguments into *cfg (whose strings point into
 * argv). */
UPPP_API enum uppp_cmdline_result uppp_client_cmdline_parse(int argc, char **argv, struct uppp_client_config *cfg,
						   FILE *out, FILE *err);
#endif

/* Prints "uppp[ CMD]: MESSAGE" and a pointer to --help to err; returns
 * UPPP_CMDLINE_USAGE. cmd may be NULL. */
UPPP_API int uppp_cmdline_usage_error(FILE *err, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
