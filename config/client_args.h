/* config/client_args.h — the `uppp client` command line, parsed into a
 * uppp_client_config without running anything. */
#ifndef UPPP_CONFIG_CLIENT_ARGS_H
#define UPPP_CONFIG_CLIENT_ARGS_H

#include <stdio.h>

#include "config/args.h"
#include "uppp/uppp.h"

/* argv[0] is the command word ("client"), argv[argc] NULL; getopt may
 * reorder argv[1..]. Fills cfg (from uppp_client_config_defaults) whose
 * strings point into argv: keep argv until cfg is no longer used. --help
 * goes to out, every diagnostic to err. Returns an enum uppp_cmdline_result;
 * cfg is complete only for UPPP_CMDLINE_RUN. Resets getopt's global state first
 * (optind = 0), so it can be called any number of times in one process, but
 * not from two threads at once. */
/* uppp_client_cmdline_parse() is declared in uppp/cmdline.h. */

#endif
