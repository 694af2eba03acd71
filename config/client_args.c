/* config/client_args.c — see client_args.h. */
#include "config/client_args.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

static const char client_usage[] =
	"Usage: uppp client -I IFACE -u USER -p PASSWORD [OPTIONS]\n"
	"\n"
	"Dials, brings up a TUN interface with the address the server gives, and\n"
	"stays up until SIGINT or SIGTERM (then hangs up with LCP Terminate-Request\n"
	"and PADT, removes the interface and exits 0). Exits 1 if the session ends\n"
	"by itself or no server answers.\n"
	"\n"
	"  -I, --interface IFACE        Ethernet interface towards the server (required)\n"
	"  -u, --user NAME              user name for PAP, CHAP or MS-CHAPv2 (required)\n"
	"  -p, --password SECRET        password / CHAP secret (required)\n"
	"  -S, --service NAME           ask for this Service-Name (default: any)\n"
	"  -C, --ac-name NAME           accept offers only from this AC-Name\n"
	"      --auth LIST              authenticate only with these, comma-separated:\n"
	"                               pap, chap, mschapv2 (default: whichever the server asks)\n"
	"      --if-name NAME           our interface name (default ppp%d)\n"
	"      --lcp-echo-interval S    seconds between LCP Echo-Requests, 0 = off (default 10)\n"
	"      --lcp-echo-failure N     N Echo-Requests over N silent intervals, then hang up (default 3)\n"
	"      --negotiation-timeout S  hang up when not up (IPCP) S seconds after PADS or a\n"
	"                               renegotiation (default 60; 0 = no limit)\n"
	"      --busy-poll USEC         after any work, poll USEC microseconds before sleeping\n"
	"                               (0..1000000, default 0 = off): lower latency for one\n"
	"                               core at 100 % while traffic flows and USEC after it\n"
	"  -m, --mss N                  clamp TCP MSS to N (default: session MTU - 40)\n"
	"      --no-mss-clamp           do not rewrite TCP MSS\n"
	"  -d, --debug                  log every control packet and state change\n"
	"  -q, --quiet                  log warnings and errors only\n"
	"  -h, --help                   this text\n";

enum {
	OPT_AUTH = 256, OPT_ECHO_INTERVAL, OPT_ECHO_FAILURE, OPT_NO_MSS, OPT_IF_NAME, OPT_NEGOTIATION_TIMEOUT,
	OPT_BUSY_POLL,
};

/* test/cli/test_cli.sh checks that --help describes every name here. */
static const struct option client_longopts[] = {
	{ "interface", required_argument, NULL, 'I' }, { "user", required_argument, NULL, 'u' },
	{ "password", required_argument, NULL, 'p' }, { "service", required_argument, NULL, 'S' },
	{ "ac-name", required_argument, NULL, 'C' }, { "if-name", required_argument, NULL, OPT_IF_NAME },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "lcp-echo-interval", required_argument, NULL, OPT_ECHO_INTERVAL },
	{ "lcp-echo-failure", required_argument, NULL, OPT_ECHO_FAILURE },
	{ "negotiation-timeout", required_argument, NULL, OPT_NEGOTIATION_TIMEOUT },
	{ "busy-poll", required_argument, NULL, OPT_BUSY_POLL },
	{ "mss", required_argument, NULL, 'm' }, { "no-mss-clamp", no_argument, NULL, OPT_NO_MSS },
	{ "debug", no_argument, NULL, 'd' }, { "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' }, { 0 },
};

/* "pap,chap,mschapv2" (any non-empty subset) → bits 1u << enum uppp_auth_method. */
static int parse_auth_list(const char *s, unsigned *mask)
{
	char buf[64];
	unsigned m = 0;
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "pap"))
			m |= 1u << UPPP_AUTH_PAP;
		else if (!strcmp(tok, "chap"))
			m |= 1u << UPPP_AUTH_CHAP_MD5;
		else if (UPPP_HAVE_MSCHAPV2 && (!strcmp(tok, "mschapv2") || !strcmp(tok, "mschap-v2")))
			m |= 1u << UPPP_AUTH_MSCHAPV2;   /* (not a word we know in a build without it) */
		else
			return -EINVAL;
	}
	if (!m)
		return -EINVAL;
	*mask = m;
	return 0;
}

enum uppp_cmdline_result uppp_client_cmdline_parse(int argc, char **argv, struct uppp_client_config *cfg,
						   FILE *out, FILE *err)
{
	unsigned v;
	int c;

	uppp_client_config_defaults(cfg);
	optind = 0;  /* glibc: start over, forget any half-read word of an earlier argv */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":I:u:p:S:C:m:dqh", client_longopts, NULL)) != -1) {
		switch (c) {
		case 'I': cfg->ifname = optarg; break;
		case 'u': cfg->user = optarg; break;
		case 'p': cfg->password = optarg; break;
		case 'S': cfg->service = optarg; break;
		case 'C': cfg->ac_name = optarg; break;
		case OPT_IF_NAME: cfg->if_name = optarg; break;
		case OPT_AUTH:
			if (parse_auth_list(optarg, &cfg->auth_accept))
				return uppp_cmdline_usage_error(err, "client", "--auth: '%s' is not a list of pap, chap, mschapv2",
							    optarg);
			break;
		case OPT_ECHO_INTERVAL:
			if (uppp_cli_parse_uint(optarg, 3600, &cfg->echo_interval_s))
				return uppp_cmdline_usage_error(err, "client", "--lcp-echo-interval: '%s' is not 0..3600 seconds",
							    optarg);
			break;
		case OPT_ECHO_FAILURE:
			if (uppp_cli_parse_uint(optarg, 1000, &cfg->echo_failure) || cfg->echo_failure == 0)
				return uppp_cmdline_usage_error(err, "client", "--lcp-echo-failure: '%s' is not 1..1000", optarg);
			break;
		case OPT_NEGOTIATION_TIMEOUT:
			if (uppp_cli_parse_uint(optarg, 3600, &cfg->negotiation_timeout_s))
				return uppp_cmdline_usage_error(err, "client", "--negotiation-timeout: '%s' is not 0..3600 seconds",
							    optarg);
			break;
		case OPT_BUSY_POLL:
			if (uppp_cli_parse_uint(optarg, 1000000, &cfg->busy_poll_us))
				return uppp_cmdline_usage_error(err, "client", "--busy-poll: '%s' is not 0..1000000 microseconds",
							    optarg);
			break;
		case 'm':
			if (uppp_cli_parse_uint(optarg, 65535, &v) || v < 88)
				return uppp_cmdline_usage_error(err, "client", "-m: '%s' is not an MSS from 88 to 65535", optarg);
			cfg->mss_clamp = (int)v;
			break;
		case OPT_NO_MSS: cfg->mss_clamp = -1; break;
		case 'd': cfg->log_level = UPPP_LOG_DEBUG; break;
		case 'q': cfg->log_level = UPPP_LOG_WARN; break;
		case 'h': fputs(client_usage, out); return UPPP_CMDLINE_DONE;
		case ':': return uppp_cmdline_usage_error(err, "client", "flag '%s' needs a value", argv[optind - 1]);
		default: return uppp_cli_bad_flag(err, "client", argv);
		}
	}
	if (optind < argc)
		return uppp_cmdline_usage_error(err, "client", "unexpected argument '%s'", argv[optind]);
	if (!cfg->ifname)
		return uppp_cmdline_usage_error(err, "client", "%s", "-I IFACE is required");
	if (!cfg->user || !cfg->password)
		return uppp_cmdline_usage_error(err, "client", "%s", "-u USER and -p PASSWORD are required");
	if (strlen(cfg->user) > 255 || strlen(cfg->password) > 255)
		return uppp_cmdline_usage_error(err, "client", "%s", "user name and password are at most 255 bytes");
	return UPPP_CMDLINE_RUN;
}
