/* config/args.c — see args.h. */
#include "config/args.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>

int uppp_cmdline_usage_error(FILE *err, const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(err, "uppp%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fprintf(err, "\nTry 'uppp%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return UPPP_CMDLINE_USAGE;
}

/* getopt reports an unknown or incomplete flag by returning '?' with optopt
 * set (0 for an unknown long flag); it has then stepped past the word. */
int uppp_cli_bad_flag(FILE *err, const char *cmd, char **argv)
{
	if (optopt && optopt < 256)
		return uppp_cmdline_usage_error(err, cmd, "unknown flag or missing value for '-%c'", optopt);
	return uppp_cmdline_usage_error(err, cmd, "unknown flag or missing value for '%s'", argv[optind - 1]);
}

int uppp_cli_parse_ip(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*out = ntohl(a.s_addr);
	return 0;
}

int uppp_cli_parse_uint(const char *s, unsigned long max, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}
