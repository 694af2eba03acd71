/* config/args.h — what the `uppp server` and `uppp client` command-line
 * parsers share: small value parsers (the result codes are public,
 * uppp/cmdline.h). The parsers only read
 * argv (and, for the server, the pppd options files); nothing is opened for
 * writing and nothing runs until the caller acts on UPPP_CMDLINE_RUN. */
#ifndef UPPP_CONFIG_ARGS_H
#define UPPP_CONFIG_ARGS_H

#include <stdint.h>
#include <stdio.h>

#include "uppp/cmdline.h"

/* getopt_long returned '?' for argv: names the unknown flag, or the one
 * missing its value. Returns UPPP_CMDLINE_USAGE. */
int uppp_cli_bad_flag(FILE *err, const char *cmd, char **argv);

/* Dotted quad → host order. 0 or -EINVAL. */
int uppp_cli_parse_ip(const char *s, uint32_t *out);
/* Decimal 0..max, nothing else (no sign, no blanks, no suffix). 0 or -EINVAL. */
int uppp_cli_parse_uint(const char *s, unsigned long max, unsigned *out);

#endif
