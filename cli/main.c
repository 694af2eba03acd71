/* cli/main.c — the `uppp` binary: argument parsing, then the library's
 * server or client runtime in the foreground. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/server_args.h"
#include "uppp/uppp.h"

enum { EXIT_USAGE = 2 };

static const char main_usage[] =
	"Usage: uppp COMMAND [OPTIONS]\n"
	"\n"
	"A userspace PPPoE access concentrator and client (no pppd, no kernel PPP).\n"
	"\n"
	"Commands:\n"
	"  server    answer PPPoE clients on an Ethernet interface (like pppoe-server + pppd)\n"
	"  client    dial a PPPoE server and bring up a TUN interface with the address it gives\n"
	"\n"
	"Options:\n"
	"  -h, --help       this text; `uppp COMMAND --help` describes the command's flags\n"
	"  -V, --version    print the version and exit\n";

static const char server_usage[] =
	"Usage: uppp server -I IFACE [OPTIONS]\n"
	"\n"
	"Runs in the foreground until SIGINT or SIGTERM, then sends PADT and LCP\n"
	"Terminate-Request to every session, removes every interface and exits 0.\n"
	"\n"
	"  -I, --interface IFACE        Ethernet interface facing the clients (required)\n"
	"  -L, --local ADDR             our address on every session (default 10.0.0.1)\n"
	"  -R, --remote ADDR            first address handed to clients (default 10.0.0.2)\n"
	"  -N, --count N                number of client addresses = sessions (default 20)\n"
	"  -S, --service NAME           offer this Service-Name; repeatable (default: any)\n"
	"  -C, --ac-name NAME           AC-Name sent in PADO (default: the host name)\n"
	"      --auth pap|chap|mschapv2|none\n"
	"                               authentication required of clients (default chap =\n"
	"                               CHAP-MD5; mschapv2 = MS-CHAPv2, what Windows prefers)\n"
	"      --secrets FILE           secrets file, pppd format `client server secret [IP]`\n"
	"                               (default /etc/ppp/chap-secrets or /etc/ppp/pap-secrets)\n"
	"      --dns ADDR               DNS server offered to clients; give twice for a second\n"
	"      --wins ADDR              WINS server offered to clients (IPCP 130/132); twice for a second\n"
	"      --lcp-echo-interval S    seconds between LCP Echo-Requests, 0 = off (default 10)\n"
	"      --lcp-echo-failure N     drop a session after N silent intervals (default 3)\n"
	"  -m, --mss N                  clamp TCP MSS to N (default: session MTU - 40)\n"
	"      --no-mss-clamp           do not rewrite TCP MSS\n"
	"  -x, --max-per-mac N          sessions allowed per client MAC (default unlimited)\n"
	"  -T, --idle SECONDS           close a session after SECONDS without IP data (default never)\n"
	"      --run-as USER            after opening the interface, switch to USER keeping\n"
	"                               only CAP_NET_ADMIN (TUNs come and go); e.g. nobody\n"
	"      --padi-rate N            PADIs answered per second, all clients (default 200;\n"
	"                               0 = no limit; bursts of 2N)\n"
	"      --padi-rate-per-mac N    PADIs answered per second per client MAC (default 5)\n"
	"      --padr-rate N            PADRs considered per second, all clients (default 100)\n"
	"      --padr-rate-per-mac N    PADRs considered per second per client MAC (default 5)\n"
	"      --max-negotiating N      sessions still negotiating at once; more PADRs wait\n"
	"                               (default 64; 0 = no cap)\n"
	"      --auth-fail-limit N      failed logins per client MAC per minute before that MAC\n"
	"                               gets no PADO (default 3; 0 = no limit)\n"
	"      --if-pattern PATTERN     session interface names (default ppp%d)\n"
	"  -O, --options-file FILE      pppd options file (pppoe-server's -O): require-pap,\n"
	"                               require-chap, login, ms-dns, lcp-echo-*, logfile ...\n"
	"      --options-dir DIR        pppd's directory (default /etc/ppp): DIR/options is read\n"
	"                               if present; DIR/chap-secrets, DIR/pap-secrets by default\n"
	"  -X, --pid-file FILE          write our process id to FILE (removed on exit)\n"
	"  -F                           foreground (uppp always runs in the foreground)\n"
	"  -d, --debug                  log every control packet and state change\n"
	"      --quiet                  log warnings and errors only\n"
	"  -h, --help                   this text\n"
	"\n"
	"rp-pppoe's other pppoe-server flags are accepted with a notice (-r -q -Q -k -s -o),\n"
	"a warning (-T -l -u -M -H) or an error (-p -f); see docs/migrating-from-rp-pppoe.md.\n";

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
	"      --lcp-echo-failure N     hang up after N silent intervals (default 3)\n"
	"  -m, --mss N                  clamp TCP MSS to N (default: session MTU - 40)\n"
	"      --no-mss-clamp           do not rewrite TCP MSS\n"
	"  -d, --debug                  log every control packet and state change\n"
	"  -q, --quiet                  log warnings and errors only\n"
	"  -h, --help                   this text\n";

enum {
	OPT_AUTH = 256, OPT_SECRETS, OPT_DNS, OPT_WINS, OPT_IDLE, OPT_ECHO_INTERVAL, OPT_ECHO_FAILURE,
	OPT_NO_MSS, OPT_IF_PATTERN, OPT_IF_NAME, OPT_QUIET, OPT_OPTIONS_DIR,
	OPT_RUN_AS = 400, OPT_PADI_RATE, OPT_PADI_RATE_MAC, OPT_PADR_RATE, OPT_PADR_RATE_MAC,
	OPT_MAX_NEGOTIATING, OPT_AUTH_FAIL_LIMIT,
};

__attribute__((format(printf, 2, 3)))
static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "uppp%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'uppp%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return EXIT_USAGE;
}

static int parse_ip(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*out = ntohl(a.s_addr);
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* "pap,chap,mschapv2" (any non-empty subset) → bits 1u << enum uppp_auth_choice. */
static int parse_auth_list(const char *s, unsigned *mask)
{
	char buf[64];
	unsigned m = 0;
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "pap"))
			m |= 1u << UPPP_AUTHC_PAP;
		else if (!strcmp(tok, "chap"))
			m |= 1u << UPPP_AUTHC_CHAP;
		else if (!strcmp(tok, "mschapv2") || !strcmp(tok, "mschap-v2"))
			m |= 1u << UPPP_AUTHC_MSCHAPV2;
		else
			return -EINVAL;
	}
	if (!m)
		return -EINVAL;
	*mask = m;
	return 0;
}

/* getopt reports an unknown or incomplete flag by returning '?' with optopt
 * set; turn that into a message that names the flag. */
static int bad_flag(const char *cmd, char **argv)
{
	if (optopt && optopt < 256)
		return usage_error(cmd, "unknown flag or missing value for '-%c'", optopt);
	return usage_error(cmd, "unknown flag or missing value for '%s'", argv[optind - 1]);
}

static int server_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'I' }, { "local", required_argument, NULL, 'L' },
		{ "remote", required_argument, NULL, 'R' }, { "count", required_argument, NULL, 'N' },
		{ "service", required_argument, NULL, 'S' }, { "ac-name", required_argument, NULL, 'C' },
		{ "auth", required_argument, NULL, OPT_AUTH }, { "secrets", required_argument, NULL, OPT_SECRETS },
		{ "dns", required_argument, NULL, OPT_DNS },
		{ "wins", required_argument, NULL, OPT_WINS },
		{ "lcp-echo-interval", required_argument, NULL, OPT_ECHO_INTERVAL },
		{ "lcp-echo-failure", required_argument, NULL, OPT_ECHO_FAILURE },
		{ "mss", required_argument, NULL, 'm' }, { "no-mss-clamp", no_argument, NULL, OPT_NO_MSS },
		{ "max-per-mac", required_argument, NULL, 'x' },
		{ "run-as", required_argument, NULL, OPT_RUN_AS },
		{ "padi-rate", required_argument, NULL, OPT_PADI_RATE },
		{ "padi-rate-per-mac", required_argument, NULL, OPT_PADI_RATE_MAC },
		{ "padr-rate", required_argument, NULL, OPT_PADR_RATE },
		{ "padr-rate-per-mac", required_argument, NULL, OPT_PADR_RATE_MAC },
		{ "max-negotiating", required_argument, NULL, OPT_MAX_NEGOTIATING },
		{ "auth-fail-limit", required_argument, NULL, OPT_AUTH_FAIL_LIMIT },
		{ "if-pattern", required_argument, NULL, OPT_IF_PATTERN },
		{ "idle", required_argument, NULL, OPT_IDLE },
		{ "options-file", required_argument, NULL, 'O' },
		{ "options-dir", required_argument, NULL, OPT_OPTIONS_DIR },
		{ "pid-file", required_argument, NULL, 'X' },
		{ "debug", no_argument, NULL, 'd' }, { "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct uppp_server_config cfg;
	static struct server_args sa;   /* cfg points into it until the server returns */
	char optstring[128];
	unsigned n_dns = 0, n_wins = 0, v;
	int c;

	uppp_server_config_defaults(&cfg);
	server_args_init(&sa);
	server_args_optstring(optstring, sizeof(optstring), ":I:L:R:N:S:C:m:x:T:O:X:Fidh");
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'I':
			if (sa.interface_seen)
				return usage_error("server", "-I: one interface per uppp process ('%s' is a second; run one uppp per interface)", optarg);
			sa.interface_seen = true;
			cfg.ifname = optarg;
			break;
		case 'L':
			if (parse_ip(optarg, &cfg.local_ip))
				return usage_error("server", "-L: '%s' is not an IPv4 address", optarg);
			break;
		case 'R':
			if (parse_ip(optarg, &cfg.first_ip))
				return usage_error("server", "-R: '%s' is not an IPv4 address", optarg);
			break;
		case 'N':
			if (parse_uint(optarg, 65535, &cfg.count) || cfg.count == 0)
				return usage_error("server", "-N: '%s' is not a count from 1 to 65535", optarg);
			break;
		case 'S':
			if (cfg.n_services >= UPPP_MAX_SERVICES)
				return usage_error("server", "-S: at most 8 service names (%s is one too many)", optarg);
			cfg.services[cfg.n_services++] = optarg;
			break;
		case 'C': cfg.ac_name = optarg; break;
		case OPT_AUTH:
			if (!strcmp(optarg, "pap"))
				cfg.auth = UPPP_AUTHC_PAP;
			else if (!strcmp(optarg, "chap"))
				cfg.auth = UPPP_AUTHC_CHAP;
			else if (!strcmp(optarg, "mschapv2") || !strcmp(optarg, "mschap-v2"))
				cfg.auth = UPPP_AUTHC_MSCHAPV2;
			else if (!strcmp(optarg, "none"))
				cfg.auth = UPPP_AUTHC_NONE;
			else
				return usage_error("server", "--auth: '%s' is not one of pap, chap, mschapv2, none", optarg);
			sa.cli_auth = true;
			break;
		case OPT_SECRETS: cfg.secrets_path = optarg; sa.cli_secrets = true; break;
		case 'O': sa.options_file = optarg; break;
		case OPT_OPTIONS_DIR: sa.options_dir = optarg; break;
		case 'X': sa.pid_file = optarg; break;
		case 'F': case 'i': break;  /* what uppp always does: foreground; no PADO when full */
		case OPT_DNS:
			sa.cli_dns = true;
			if (n_dns >= 2)
				return usage_error("server", "--dns: at most two servers ('%s' is a third)", optarg);
			if (parse_ip(optarg, &cfg.dns[n_dns++]))
				return usage_error("server", "--dns: '%s' is not an IPv4 address", optarg);
			break;
		case OPT_WINS:
			sa.cli_wins = true;
			if (n_wins >= 2)
				return usage_error("server", "--wins: at most two servers ('%s' is a third)", optarg);
			if (parse_ip(optarg, &cfg.wins[n_wins++]))
				return usage_error("server", "--wins: '%s' is not an IPv4 address", optarg);
			break;
		case OPT_ECHO_INTERVAL:
			if (parse_uint(optarg, 3600, &cfg.echo_interval_s))
				return usage_error("server", "--lcp-echo-interval: '%s' is not 0..3600 seconds", optarg);
			sa.cli_echo_interval = true;
			break;
		case OPT_ECHO_FAILURE:
			if (parse_uint(optarg, 1000, &cfg.echo_failure) || cfg.echo_failure == 0)
				return usage_error("server", "--lcp-echo-failure: '%s' is not 1..1000", optarg);
			sa.cli_echo_failure = true;
			break;
		case 'm':
			if (parse_uint(optarg, 65535, &v) || v < 88)
				return usage_error("server", "-m: '%s' is not an MSS from 88 to 65535", optarg);
			cfg.mss_clamp = (int)v;
			break;
		case OPT_NO_MSS: cfg.mss_clamp = -1; break;
		case 'T':
		case OPT_IDLE:
			if (parse_uint(optarg, 86400 * 365, &cfg.idle_s))
				return usage_error("server", "%s: '%s' is not a number of seconds", c == 'T' ? "-T" : "--idle", optarg);
			sa.cli_idle = true;
			break;
		case 'x':
			if (parse_uint(optarg, 65535, &cfg.max_per_mac))
				return usage_error("server", "-x: '%s' is not a count", optarg);
			break;
		case OPT_IF_PATTERN: cfg.if_pattern = optarg; break;
		case OPT_RUN_AS: cfg.run_as = optarg; break;
		case OPT_PADI_RATE:
		case OPT_PADI_RATE_MAC:
		case OPT_PADR_RATE:
		case OPT_PADR_RATE_MAC:
		case OPT_MAX_NEGOTIATING:
		case OPT_AUTH_FAIL_LIMIT: {
			unsigned *field = c == OPT_PADI_RATE ? &cfg.padi_rate
					: c == OPT_PADI_RATE_MAC ? &cfg.padi_rate_per_mac
					: c == OPT_PADR_RATE ? &cfg.padr_rate
					: c == OPT_PADR_RATE_MAC ? &cfg.padr_rate_per_mac
					: c == OPT_MAX_NEGOTIATING ? &cfg.max_negotiating : &cfg.auth_fail_limit;
			const char *name = c == OPT_PADI_RATE ? "--padi-rate"
					 : c == OPT_PADI_RATE_MAC ? "--padi-rate-per-mac"
					 : c == OPT_PADR_RATE ? "--padr-rate"
					 : c == OPT_PADR_RATE_MAC ? "--padr-rate-per-mac"
					 : c == OPT_MAX_NEGOTIATING ? "--max-negotiating" : "--auth-fail-limit";
			if (parse_uint(optarg, 100000, field))
				return usage_error("server", "%s: '%s' is not a number from 0 to 100000", name, optarg);
			break;
		}
		case 'd': cfg.log_level = 3; sa.cli_log_level = true; break;
		case OPT_QUIET: cfg.log_level = 1; sa.cli_log_level = true; break;
		case 'h': fputs(server_usage, stdout); return 0;
		case ':': return usage_error("server", "flag '%s' needs a value", argv[optind - 1]);
		default: {
			/* rp-pppoe flags uppp only notes (or refuses): core/options_table.c */
			int crc = server_args_compat_flag(c, optarg);
			if (crc < 0)
				return bad_flag("server", argv);
			if (crc > 0)
				return crc;
			break;
		}
		}
	}
	if (optind < argc)
		return usage_error("server", "unexpected argument '%s'", argv[optind]);
	if (!cfg.ifname)
		return usage_error("server", "%s", "-I IFACE is required");
	/* Every file is read and checked before anything is opened. */
	int rc = server_args_apply(&sa, &cfg);
	if (rc == 0)
		rc = server_args_write_pid(&sa);
	if (rc != 0) {
		server_args_cleanup(&sa);
		return rc;
	}
	rc = uppp_server_run(&cfg);
	server_args_cleanup(&sa);
	if (rc < 0) {
		fprintf(stderr, "uppp server: %s (see the log above)\n", strerror(-rc));
		return 1;
	}
	return 0;
}

static int client_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'I' }, { "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' }, { "service", required_argument, NULL, 'S' },
		{ "ac-name", required_argument, NULL, 'C' }, { "if-name", required_argument, NULL, OPT_IF_NAME },
		{ "auth", required_argument, NULL, OPT_AUTH },
		{ "lcp-echo-interval", required_argument, NULL, OPT_ECHO_INTERVAL },
		{ "lcp-echo-failure", required_argument, NULL, OPT_ECHO_FAILURE },
		{ "mss", required_argument, NULL, 'm' }, { "no-mss-clamp", no_argument, NULL, OPT_NO_MSS },
		{ "debug", no_argument, NULL, 'd' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct uppp_client_config cfg;
	unsigned v;
	int c;

	uppp_client_config_defaults(&cfg);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":I:u:p:S:C:m:dqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'I': cfg.ifname = optarg; break;
		case 'u': cfg.user = optarg; break;
		case 'p': cfg.password = optarg; break;
		case 'S': cfg.service = optarg; break;
		case 'C': cfg.ac_name = optarg; break;
		case OPT_IF_NAME: cfg.if_name = optarg; break;
		case OPT_AUTH:
			if (parse_auth_list(optarg, &cfg.auth_accept))
				return usage_error("client", "--auth: '%s' is not a list of pap, chap, mschapv2", optarg);
			break;
		case OPT_ECHO_INTERVAL:
			if (parse_uint(optarg, 3600, &cfg.echo_interval_s))
				return usage_error("client", "--lcp-echo-interval: '%s' is not 0..3600 seconds", optarg);
			break;
		case OPT_ECHO_FAILURE:
			if (parse_uint(optarg, 1000, &cfg.echo_failure) || cfg.echo_failure == 0)
				return usage_error("client", "--lcp-echo-failure: '%s' is not 1..1000", optarg);
			break;
		case 'm':
			if (parse_uint(optarg, 65535, &v) || v < 88)
				return usage_error("client", "-m: '%s' is not an MSS from 88 to 65535", optarg);
			cfg.mss_clamp = (int)v;
			break;
		case OPT_NO_MSS: cfg.mss_clamp = -1; break;
		case 'd': cfg.log_level = 3; break;
		case 'q': cfg.log_level = 1; break;
		case 'h': fputs(client_usage, stdout); return 0;
		case ':': return usage_error("client", "flag '%s' needs a value", argv[optind - 1]);
		default: return bad_flag("client", argv);
		}
	}
	if (optind < argc)
		return usage_error("client", "unexpected argument '%s'", argv[optind]);
	if (!cfg.ifname)
		return usage_error("client", "%s", "-I IFACE is required");
	if (!cfg.user || !cfg.password)
		return usage_error("client", "%s", "-u USER and -p PASSWORD are required");
	if (strlen(cfg.user) > 255 || strlen(cfg.password) > 255)
		return usage_error("client", "%s", "user name and password are at most 255 bytes");
	int rc = uppp_client_run(&cfg);
	if (rc < 0) {
		fprintf(stderr, "uppp client: %s\n", rc == -ETIMEDOUT ? "no PPPoE server answered"
				 : rc == -ECONNRESET ? "the session ended (see the log above)" : strerror(-rc));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL, "%s", "missing command (server or client)");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(main_usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("uppp %s\n", UPPP_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "server"))
		return server_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "client"))
		return client_main(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return usage_error(NULL, "unknown flag '%s'", cmd);
	return usage_error(NULL, "unknown command '%s' (expected server or client)", cmd);
}
