/* cli/args.h — what the `uppp server` and `uppp client` command-line parsers
 * share: their result codes and small value parsers. The parsers only read
 * argv (and, for the server, the pppd options files); nothing is opened for
 * writing and nothing runs until the caller acts on UPPP_CLI_RUN. */
#ifndef UPPP_CLI_ARGS_H
#define UPPP_CLI_ARGS_H

#include <stdint.h>
#include <stdio.h>

/* What a parser returns. The values other than UPPP_CLI_DONE are the exit
 * status the binary gives. */
enum uppp_cli_result {
	UPPP_CLI_RUN = 0,     /* the configuration is complete: run it */
	UPPP_CLI_FAILED = 1,  /* the pppd options have errors (printed): exit 1 */
	UPPP_CLI_USAGE = 2,   /* bad command line (printed): exit 2 */
	UPPP_CLI_DONE = 3,    /* --help printed: exit 0 */
};

/* "uppp CMD: MESSAGE\nTry 'uppp CMD --help'.\n" on err (cmd NULL: no
 * command). Returns UPPP_CLI_USAGE. */
int uppp_cli_usage_error(FILE *err, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* getopt_long returned '?' for argv: names the unknown flag, or the one
 * missing its value. Returns UPPP_CLI_USAGE. */
int uppp_cli_bad_flag(FILE *err, const char *cmd, char **argv);

/* Dotted quad → host order. 0 or -EINVAL. */
int uppp_cli_parse_ip(const char *s, uint32_t *out);
/* Decimal 0..max, nothing else (no sign, no blanks, no suffix). 0 or -EINVAL. */
int uppp_cli_parse_uint(const char *s, unsigned long max, unsigned *out);

#endif
