/* cli/client_args.h — the `uppp client` command line, parsed into a
 * uppp_client_config without running anything. */
#ifndef UPPP_CLI_CLIENT_ARGS_H
#define UPPP_CLI_CLIENT_ARGS_H

#include <stdio.h>

#include "cli/args.h"
#include "uppp/uppp.h"

/* argv[0] is the command word ("client"), argv[argc] NULL; getopt may
 * reorder argv[1..]. Fills cfg (from uppp_client_config_defaults) whose
 * strings point into argv: keep argv until cfg is no longer used. --help
 * goes to out, every diagnostic to err. Returns an enum uppp_cli_result;
 * cfg is complete only for UPPP_CLI_RUN. Resets getopt's global state first
 * (optind = 0), so it can be called any number of times in one process, but
 * not from two threads at once. */
int uppp_cli_parse_client(int argc, char **argv, struct uppp_client_config *cfg, FILE *out, FILE *err);

#endif
