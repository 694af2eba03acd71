/* config/server_args.c — see server_args.h. */
#include "config/server_args.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/listen_addr.h"

void uppp_server_args_init(struct server_args *a)
{
	memset(a, 0, sizeof(*a));
	a->options_dir = "/etc/ppp";
	uppp_options_init(&a->opts);
}

void uppp_server_args_optstring(char *out, size_t cap, const char *own)
{
	size_t n = strlen(own);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, own, n);
	for (size_t i = 0; i < uppp_pppoe_server_flags_count; i++) {
		const struct uppp_opt_info *f = &uppp_pppoe_server_flags[i];
		char c = f->name[1];
		if (strchr(own, c))
			continue;
		if (n + 3 >= cap)
			break;
		out[n++] = c;
		if (f->has_arg)
			out[n++] = ':';
	}
	out[n] = '\0';
}

int uppp_server_args_compat_flag(int c, const char *arg, FILE *err)
{
	if (c <= 0 || c > 127)
		return -1;
	const struct uppp_opt_info *f = uppp_pppoe_server_flag_find((char)c);
	if (!f || f->status == UPPP_OPT_SUPPORTED)
		return -1;
	char shown[64];
	if (f->has_arg)
		snprintf(shown, sizeof(shown), "%s %.40s", f->name, arg ? arg : "");
	else
		snprintf(shown, sizeof(shown), "%s", f->name);
	switch (f->status) {
	case UPPP_OPT_NOTICE:
		fprintf(err, "uppp server: notice: pppoe-server flag '%s' has no effect: %s\n", shown, f->note);
		return 0;
	case UPPP_OPT_WARNING:
		fprintf(err, "uppp server: warning: pppoe-server flag '%s' is not supported by uppp and is ignored (%s)\n",
			shown, f->note);
		return 0;
	default:
		fprintf(err, "uppp server: pppoe-server flag '%s' cannot be honoured: %s\n", shown, f->note);
		return 2;
	}
}

static void set_origin(struct server_args *a, const char *key, const char *where)
{
	size_t i = 0;
	while (i < a->n_origins && strcmp(a->origins[i].key, key) != 0)
		i++;
	if (i == SERVER_ORIGINS_MAX)
		return;   /* more settings than the table: a programming error, shown as default */
	if (i == a->n_origins)
		a->n_origins++;
	a->origins[i].key = key;
	snprintf(a->origins[i].where, sizeof(a->origins[i].where), "%s", where ? where : "?");
}

const char *uppp_server_args_origin(const struct server_args *a, const char *key)
{
	for (size_t i = 0; i < a->n_origins; i++)
		if (!strcmp(a->origins[i].key, key))
			return a->origins[i].where;
	return NULL;
}

/* The setting key took its value from option opt of the files. */
static void file_origin(struct server_args *a, const char *key, const char *opt)
{
	char buf[sizeof(a->origins[0].where)];
	set_origin(a, key, uppp_options_where(&a->opts, opt, buf, sizeof(buf)));
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Strongest first, as pppd asks: MS-CHAPv2, CHAP-MD5, then PAP. */
static void choose_auth(const struct uppp_options *o, struct uppp_server_config *cfg)
{
	static const enum uppp_auth_method order[] = { UPPP_AUTH_MSCHAPV2, UPPP_AUTH_CHAP_MD5, UPPP_AUTH_PAP };
	bool first = true;

	cfg->auth_also = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(o->auth_required & UPPP_AUTH_BIT(order[i])))
			continue;
		if (first)
			cfg->auth = order[i];
		else
			cfg->auth_also |= 1u << order[i];
		first = false;
	}
}

/* Through a test's reader: as uppp_options_load_file() does with the file
 * system's (same diagnostics). optional: a missing file is not an error. */
static void load_through(struct uppp_options *o, const struct uppp_options_io *io, const char *path,
			 bool optional)
{
	char canon[4096], why[512] = "";
	char *text = NULL;
	size_t len = 0;

	int rc = io->read(io->ctx, path, &text, &len, canon, sizeof(canon), why, sizeof(why));
	if (rc == -ENOENT && optional)
		return;
	if (rc < 0) {
		uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: %s", path, why);
		return;
	}
	(void)uppp_options_parse(o, text, len, path, canon, io);
	free(text);
}

int uppp_server_args_apply(struct server_args *a, struct uppp_server_config *cfg, FILE *err)
{
	struct uppp_options *o = &a->opts;
	char sys[4096];

	snprintf(sys, sizeof(sys), "%s/options", a->options_dir);
	if (a->io && a->io->read) {
		load_through(o, a->io, sys, true);
		if (a->options_file)
			load_through(o, a->io, a->options_file, false);
	} else {
		if (file_exists(sys))
			(void)uppp_options_load_file(o, sys);
		if (a->options_file)
			(void)uppp_options_load_file(o, a->options_file);
	}
	(void)uppp_options_finish(o);

	for (size_t i = 0; i < o->n_diags; i++)
		fprintf(err, "%s\n", o->diags[i].text);
	if (o->oom) {
		fprintf(err, "uppp server: out of memory reading the options files\n");
		return 1;
	}
	if (o->n_errors) {
		fprintf(err, "uppp server: %zu error%s in the pppd options; nothing was started\n", o->n_errors,
			o->n_errors == 1 ? "" : "s");
		return 1;
	}

	if (!a->cli_auth && (o->noauth || o->auth_required || o->auth))
		file_origin(a, "auth", "auth");
	if (!a->cli_auth) {
		if (o->noauth)
			cfg->auth = UPPP_AUTH_NONE;
		else if (o->auth_required)
			choose_auth(o, cfg);
		else if (o->auth) {  /* `auth` alone: what pppd would try, CHAP then PAP */
			cfg->auth = UPPP_AUTH_CHAP_MD5;
			cfg->auth_also = 1u << UPPP_AUTH_PAP;
		}
	}
	if (o->login) {
		file_origin(a, "login", "login");
		cfg->login = true;
		cfg->login_where = o->login_where;
	}
	if (!a->cli_dns && o->n_dns)
		file_origin(a, "dns", "ms-dns");
	if (!a->cli_wins && o->n_wins)
		file_origin(a, "wins", "ms-wins");
	if (!a->cli_dns)
		for (unsigned i = 0; i < o->n_dns && i < 2; i++)
			cfg->dns[i] = o->dns[i];
	if (!a->cli_wins)
		for (unsigned i = 0; i < o->n_wins && i < 2; i++)
			cfg->wins[i] = o->wins[i];
	if (!a->cli_echo_interval && o->have_echo_interval) {
		cfg->echo_interval_s = o->echo_interval_s;
		file_origin(a, "lcp-echo-interval", "lcp-echo-interval");
	}
	if (!a->cli_echo_failure && o->have_echo_failure) {
		cfg->echo_failure = o->echo_failure;
		file_origin(a, "lcp-echo-failure", "lcp-echo-failure");
	}
	if (o->have_restart) {
		cfg->lcp_restart_s = o->restart_s;
		file_origin(a, "lcp-restart", "lcp-restart");
	}
	if (o->have_max_configure) {
		cfg->lcp_max_configure = o->max_configure;
		file_origin(a, "lcp-max-configure", "lcp-max-configure");
	}
	if (o->have_max_terminate) {
		cfg->lcp_max_terminate = o->max_terminate;
		file_origin(a, "lcp-max-terminate", "lcp-max-terminate");
	}
	if (o->have_max_failure) {
		cfg->lcp_max_failure = o->max_failure;
		file_origin(a, "lcp-max-failure", "lcp-max-failure");
	}
	if (!a->cli_idle && o->have_idle) {
		cfg->idle_s = o->idle_s;
		file_origin(a, "idle", "idle");
	}
	if (!a->cli_negotiation_timeout && o->have_negotiation_timeout) {
		cfg->negotiation_timeout_s = o->negotiation_timeout_s;
		file_origin(a, "negotiation-timeout", "negotiation-timeout");
	}
	if (!a->cli_busy_poll && o->have_busy_poll) {
		cfg->busy_poll_us = o->busy_poll_us;
		file_origin(a, "busy-poll", "busy-poll");
	}
	if (o->mru) {
		cfg->mru = o->mru;
		file_origin(a, "mru", "mru");
	}
	if (o->mtu) {
		cfg->mtu = o->mtu;
		file_origin(a, "mtu", "mtu");
	}
	if (o->logfile[0]) {
		cfg->log_file = o->logfile;
		file_origin(a, "logfile", "logfile");
	}
	if (o->debug && !a->cli_log_level) {
		cfg->log_level = UPPP_LOG_DEBUG;
		char buf[UPPP_OPTIONS_WHERE_MAX];
		const char *w = uppp_options_where(o, "debug", buf, sizeof(buf));
		set_origin(a, "log-level", w ? w : uppp_options_where(o, "-d", buf, sizeof(buf)));
	}
	if (o->name[0]) {
		cfg->ppp_name = o->name;
		file_origin(a, "name", "name");
	}
	/* pppd's scripts: DIR/ip-up ... unless an option names another;
	 * run only when they exist (runtime/hooks.h) */
	static const struct {
		const char *file, *opt;
	} script[] = {
		{ "auth-up", "auth-up-script" }, { "auth-down", "auth-down-script" },
		{ "ip-pre-up", "ip-pre-up-script" }, { "ip-up", "ip-up-script" }, { "ip-down", "ip-down-script" },
	};
	const char *const set[] = { o->auth_up_script, o->auth_down_script, o->ip_pre_up_script,
				    o->ip_up_script, o->ip_down_script };
	const char **const to[] = { &cfg->auth_up_script, &cfg->auth_down_script, &cfg->ip_pre_up_script,
				    &cfg->ip_up_script, &cfg->ip_down_script };
	_Static_assert(sizeof(script) / sizeof(script[0]) == sizeof(a->scripts) / sizeof(a->scripts[0]),
		       "one default path per script");
	for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		snprintf(a->scripts[i], sizeof(a->scripts[i]), "%s/%s", a->options_dir, script[i].file);
		*to[i] = set[i][0] ? set[i] : a->scripts[i];
		if (set[i][0])
			file_origin(a, script[i].opt, script[i].opt);
	}
	if (o->have_ipparam) {
		cfg->ipparam = o->ipparam;
		file_origin(a, "ipparam", "ipparam");
	}
	if (o->have_hook_timeout) {
		cfg->hook_timeout_s = o->hook_timeout_s;
		file_origin(a, "hook-timeout", "hook-timeout");
	}
	if (!a->cli_secrets) {
		/* pppd's files: CHAP and MS-CHAPv2 read chap-secrets, PAP pap-secrets */
		snprintf(a->chap_secrets, sizeof(a->chap_secrets), "%s/chap-secrets", a->options_dir);
		snprintf(a->pap_secrets, sizeof(a->pap_secrets), "%s/pap-secrets", a->options_dir);
		cfg->secrets_path = cfg->auth == UPPP_AUTH_PAP ? a->pap_secrets : a->chap_secrets;
		cfg->pap_secrets_path = a->pap_secrets;
	}
	return 0;
}

int uppp_server_args_write_pid(struct server_args *a)
{
	if (!a->pid_file)
		return 0;
	int fd = open(a->pid_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		fprintf(stderr, "uppp server: -X %s: %s\n", a->pid_file, strerror(errno));
		return 1;
	}
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	bool ok = write(fd, buf, (size_t)n) == n;
	if (close(fd) < 0)
		ok = false;
	if (!ok) {
		fprintf(stderr, "uppp server: -X %s: cannot write the pid\n", a->pid_file);
		unlink(a->pid_file);
		return 1;
	}
	a->pid_written = true;
	return 0;
}

void uppp_server_args_cleanup(struct server_args *a)
{
	if (a->pid_written)
		unlink(a->pid_file);
	a->pid_written = false;
	uppp_options_free(&a->opts);
}

static const char server_usage[] =
	"Usage: uppp server -I IFACE [OPTIONS]\n"
	"\n"
	"Runs in the foreground until SIGINT or SIGTERM, then sends PADT and LCP\n"
	"Terminate-Request to every session, removes every interface and exits 0.\n"
	"SIGHUP reads the options and secrets files again (sessions up stay up; a file\n"
	"with errors is refused, naming FILE:LINE); SIGUSR1 logs the counters.\n"
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
	"      --lcp-echo-failure N     N Echo-Requests over N silent intervals, then drop (default 3)\n"
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
	"      --negotiation-timeout S  a session not up (IPCP) S seconds after PADS or a\n"
	"                               renegotiation ends (default 60; 0 = no limit)\n"
	"      --auth-fail-limit N      failed logins per client MAC per minute before that MAC\n"
	"                               gets no PADO (default 3; 0 = no limit)\n"
	"      --if-pattern PATTERN     session interface names (default ppp%d)\n"
	"      --if-mode per-session|shared\n"
	"                               per-session: one TUN per session, as pppd (default;\n"
	"                               an ended session's TUN waits, down, for the next);\n"
	"                               shared: one TUN for all sessions, a /32 route each\n"
	"      --if-shared-name NAME    the shared TUN's name (default uppp%d)\n"
	"      --busy-poll USEC         after any work, poll USEC microseconds before sleeping\n"
	"                               (0..1000000, default 0 = off): lower latency for one\n"
	"                               core at 100 % while traffic flows and USEC after it\n"
	"  -O, --options-file FILE      pppd options file (pppoe-server's -O): require-pap,\n"
	"                               require-chap, login, ms-dns, lcp-echo-*, logfile ...\n"
	"      --options-dir DIR        pppd's directory (default /etc/ppp): DIR/options is read\n"
	"                               if present; DIR/chap-secrets, DIR/pap-secrets by default\n"
	"      --control PATH           the control socket `uppp sessions`, `uppp kill` and\n"
	"                               `uppp stats` talk to (default /run/uppp/uppp-IFACE.sock;\n"
	"                               none = no socket); mode 0660\n"
	"      --control-group GROUP    the control socket's group (default: ours)\n"
	"      --capture FILE           write a pcap of every discovery and PPP control frame\n"
	"                               (LCP, PAP, CHAP, IPCP ...) to FILE (tshark -r FILE)\n"
	"      --capture-data           IP data frames too (one write per packet: debugging)\n"
	"      --capture-size MB        rotate FILE to FILE.1 ... at MB MiB (default 16)\n"
	"      --capture-files N        files kept, FILE included; the oldest go (default 4)\n"
	"      --metrics ADDR:PORT      serve the counters of `uppp stats --prometheus` over HTTP\n"
	"                               at http://ADDR:PORT/metrics (e.g. 127.0.0.1:9100,\n"
	"                               [::1]:9100); not authenticated: use a loopback or\n"
	"                               management address (default: off)\n"
	"  -X, --pid-file FILE          write our process id to FILE (removed on exit)\n"
	"      --show-config[=json]     print every effective setting with where it came from\n"
	"                               (FILE:LINE, flag or default) and exit; opens nothing\n"
	"  -F                           foreground (uppp always runs in the foreground)\n"
	"  -d, --debug                  log every control packet and state change\n"
	"      --quiet                  log warnings and errors only\n"
	"  -h, --help                   this text\n"
	"\n"
	"rp-pppoe's other pppoe-server flags are accepted with a notice (-r -q -Q -k -s -o),\n"
	"a warning (-T -l -u -M -H) or an error (-p -f); see docs/migrating-from-rp-pppoe.md.\n";

enum {
	OPT_AUTH = 256, OPT_SECRETS, OPT_DNS, OPT_WINS, OPT_IDLE, OPT_ECHO_INTERVAL, OPT_ECHO_FAILURE,
	OPT_NO_MSS, OPT_IF_PATTERN, OPT_QUIET, OPT_OPTIONS_DIR,
	OPT_RUN_AS = 400, OPT_PADI_RATE, OPT_PADI_RATE_MAC, OPT_PADR_RATE, OPT_PADR_RATE_MAC,
	OPT_MAX_NEGOTIATING, OPT_AUTH_FAIL_LIMIT, OPT_NEGOTIATION_TIMEOUT,
	OPT_IF_MODE = 450, OPT_IF_SHARED_NAME,
	OPT_BUSY_POLL = 470,
	OPT_CONTROL = 480, OPT_CONTROL_GROUP,
	OPT_SHOW_CONFIG = 490,
	OPT_CAPTURE = 500, OPT_CAPTURE_DATA, OPT_CAPTURE_SIZE, OPT_CAPTURE_FILES,
	OPT_METRICS = 510,
};

/* test/cli/test_cli.sh checks that --help describes every name here. */
static const struct option server_longopts[] = {
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
	{ "negotiation-timeout", required_argument, NULL, OPT_NEGOTIATION_TIMEOUT },
	{ "auth-fail-limit", required_argument, NULL, OPT_AUTH_FAIL_LIMIT },
	{ "if-pattern", required_argument, NULL, OPT_IF_PATTERN },
	{ "if-mode", required_argument, NULL, OPT_IF_MODE },
	{ "if-shared-name", required_argument, NULL, OPT_IF_SHARED_NAME },
	{ "busy-poll", required_argument, NULL, OPT_BUSY_POLL },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "control-group", required_argument, NULL, OPT_CONTROL_GROUP },
	{ "capture", required_argument, NULL, OPT_CAPTURE },
	{ "capture-data", no_argument, NULL, OPT_CAPTURE_DATA },
	{ "capture-size", required_argument, NULL, OPT_CAPTURE_SIZE },
	{ "capture-files", required_argument, NULL, OPT_CAPTURE_FILES },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "idle", required_argument, NULL, OPT_IDLE },
	{ "options-file", required_argument, NULL, 'O' },
	{ "options-dir", required_argument, NULL, OPT_OPTIONS_DIR },
	{ "pid-file", required_argument, NULL, 'X' },
	{ "show-config", optional_argument, NULL, OPT_SHOW_CONFIG },
	{ "debug", no_argument, NULL, 'd' }, { "quiet", no_argument, NULL, OPT_QUIET },
	{ "help", no_argument, NULL, 'h' }, { 0 },
};

/* The setting each flag sets, for --show-config (what uppp_server_args_origin
 * tells). */
static const struct {
	int opt;
	const char *key, *shown;
} flag_settings[] = {
	{ 'I', "interface", "flag -I" }, { 'L', "local", "flag -L" }, { 'R', "remote", "flag -R" },
	{ 'N', "count", "flag -N" }, { 'S', "service", "flag -S" }, { 'C', "ac-name", "flag -C" },
	{ OPT_AUTH, "auth", "flag --auth" }, { OPT_SECRETS, "secrets", "flag --secrets" },
	{ OPT_DNS, "dns", "flag --dns" }, { OPT_WINS, "wins", "flag --wins" },
	{ OPT_ECHO_INTERVAL, "lcp-echo-interval", "flag --lcp-echo-interval" },
	{ OPT_ECHO_FAILURE, "lcp-echo-failure", "flag --lcp-echo-failure" },
	{ 'm', "mss", "flag -m" }, { OPT_NO_MSS, "mss", "flag --no-mss-clamp" },
	{ 'x', "max-per-mac", "flag -x" }, { 'T', "idle", "flag -T" }, { OPT_IDLE, "idle", "flag --idle" },
	{ OPT_NEGOTIATION_TIMEOUT, "negotiation-timeout", "flag --negotiation-timeout" },
	{ OPT_IF_PATTERN, "if-pattern", "flag --if-pattern" }, { OPT_IF_MODE, "if-mode", "flag --if-mode" },
	{ OPT_IF_SHARED_NAME, "if-shared-name", "flag --if-shared-name" },
	{ OPT_BUSY_POLL, "busy-poll", "flag --busy-poll" }, { OPT_RUN_AS, "run-as", "flag --run-as" },
	{ 'd', "log-level", "flag -d" }, { OPT_QUIET, "log-level", "flag --quiet" },
	{ OPT_PADI_RATE, "padi-rate", "flag --padi-rate" },
	{ OPT_PADI_RATE_MAC, "padi-rate-per-mac", "flag --padi-rate-per-mac" },
	{ OPT_PADR_RATE, "padr-rate", "flag --padr-rate" },
	{ OPT_PADR_RATE_MAC, "padr-rate-per-mac", "flag --padr-rate-per-mac" },
	{ OPT_MAX_NEGOTIATING, "max-negotiating", "flag --max-negotiating" },
	{ OPT_AUTH_FAIL_LIMIT, "auth-fail-limit", "flag --auth-fail-limit" },
	{ 'O', "options-file", "flag -O" }, { OPT_OPTIONS_DIR, "options-dir", "flag --options-dir" },
	{ 'X', "pid-file", "flag -X" },
	{ OPT_CONTROL, "control", "flag --control" }, { OPT_CONTROL_GROUP, "control-group", "flag --control-group" },
	{ OPT_CAPTURE, "capture", "flag --capture" }, { OPT_CAPTURE_DATA, "capture-data", "flag --capture-data" },
	{ OPT_CAPTURE_SIZE, "capture-size", "flag --capture-size" },
	{ OPT_CAPTURE_FILES, "capture-files", "flag --capture-files" },
	{ OPT_METRICS, "metrics", "flag --metrics" },
};

static void flag_origin(struct server_args *a, int c)
{
	for (size_t i = 0; i < sizeof(flag_settings) / sizeof(flag_settings[0]); i++)
		if (flag_settings[i].opt == c)
			set_origin(a, flag_settings[i].key, flag_settings[i].shown);
}

/* The flags that set one rate or cap from 0 to 100000. */
static const struct {
	int opt;
	const char *name;
	size_t field;  /* offsetof the unsigned in struct uppp_server_config */
} server_limits[] = {
	{ OPT_PADI_RATE, "--padi-rate", offsetof(struct uppp_server_config, padi_rate) },
	{ OPT_PADI_RATE_MAC, "--padi-rate-per-mac", offsetof(struct uppp_server_config, padi_rate_per_mac) },
	{ OPT_PADR_RATE, "--padr-rate", offsetof(struct uppp_server_config, padr_rate) },
	{ OPT_PADR_RATE_MAC, "--padr-rate-per-mac", offsetof(struct uppp_server_config, padr_rate_per_mac) },
	{ OPT_MAX_NEGOTIATING, "--max-negotiating", offsetof(struct uppp_server_config, max_negotiating) },
	{ OPT_AUTH_FAIL_LIMIT, "--auth-fail-limit", offsetof(struct uppp_server_config, auth_fail_limit) },
};

static int parse_limit(int c, const char *arg, struct uppp_server_config *cfg, FILE *err)
{
	for (size_t i = 0; i < sizeof(server_limits) / sizeof(server_limits[0]); i++) {
		if (server_limits[i].opt != c)
			continue;
		unsigned *field = (unsigned *)((char *)cfg + server_limits[i].field);
		if (uppp_cli_parse_uint(arg, 100000, field))
			return uppp_cmdline_usage_error(err, "server", "%s: '%s' is not a number from 0 to 100000",
						    server_limits[i].name, arg);
		return 0;
	}
	return -1;
}

/* One flag of ours (not rp-pppoe's compat flags): 0, or the result to stop with. */
static int server_flag(int c, const char *arg, struct uppp_server_config *cfg, struct server_args *a,
		       unsigned *n_dns, unsigned *n_wins, FILE *err)
{
	unsigned v;

	switch (c) {
	case 'I':
		if (a->interface_seen)
			return uppp_cmdline_usage_error(err, "server", "-I: one interface per uppp process ('%s' is a second; run one uppp per interface)", arg);
		a->interface_seen = true;
		cfg->ifname = arg;
		return 0;
	case 'L':
		if (uppp_cli_parse_ip(arg, &cfg->local_ip))
			return uppp_cmdline_usage_error(err, "server", "-L: '%s' is not an IPv4 address", arg);
		return 0;
	case 'R':
		if (uppp_cli_parse_ip(arg, &cfg->first_ip))
			return uppp_cmdline_usage_error(err, "server", "-R: '%s' is not an IPv4 address", arg);
		return 0;
	case 'N':
		if (uppp_cli_parse_uint(arg, 65535, &cfg->count) || cfg->count == 0)
			return uppp_cmdline_usage_error(err, "server", "-N: '%s' is not a count from 1 to 65535", arg);
		return 0;
	case 'S':
		if (cfg->n_services >= UPPP_MAX_SERVICES)
			return uppp_cmdline_usage_error(err, "server", "-S: at most 8 service names (%s is one too many)", arg);
		cfg->services[cfg->n_services++] = arg;
		return 0;
	case 'C': cfg->ac_name = arg; return 0;
	case OPT_AUTH:
		if (!strcmp(arg, "pap"))
			cfg->auth = UPPP_AUTH_PAP;
		else if (!strcmp(arg, "chap"))
			cfg->auth = UPPP_AUTH_CHAP_MD5;
		else if (!UPPP_HAVE_MSCHAPV2 && (!strcmp(arg, "mschapv2") || !strcmp(arg, "mschap-v2")))
			return uppp_cmdline_usage_error(err, "server", "--auth %s: this uppp was built without MS-CHAPv2", arg);
		else if (!strcmp(arg, "mschapv2") || !strcmp(arg, "mschap-v2"))
			cfg->auth = UPPP_AUTH_MSCHAPV2;
		else if (!strcmp(arg, "none"))
			cfg->auth = UPPP_AUTH_NONE;
		else
			return uppp_cmdline_usage_error(err, "server", "--auth: '%s' is not one of pap, chap, mschapv2, none", arg);
		a->cli_auth = true;
		return 0;
	case OPT_SECRETS: cfg->secrets_path = arg; a->cli_secrets = true; return 0;
	case 'O': a->options_file = arg; return 0;
	case OPT_OPTIONS_DIR: a->options_dir = arg; return 0;
	case 'X': a->pid_file = arg; return 0;
	case 'F': case 'i': return 0;  /* what uppp always does: foreground; no PADO when full */
	case OPT_DNS:
		a->cli_dns = true;
		if (*n_dns >= 2)
			return uppp_cmdline_usage_error(err, "server", "--dns: at most two servers ('%s' is a third)", arg);
		if (uppp_cli_parse_ip(arg, &cfg->dns[(*n_dns)++]))
			return uppp_cmdline_usage_error(err, "server", "--dns: '%s' is not an IPv4 address", arg);
		return 0;
	case OPT_WINS:
		a->cli_wins = true;
		if (*n_wins >= 2)
			return uppp_cmdline_usage_error(err, "server", "--wins: at most two servers ('%s' is a third)", arg);
		if (uppp_cli_parse_ip(arg, &cfg->wins[(*n_wins)++]))
			return uppp_cmdline_usage_error(err, "server", "--wins: '%s' is not an IPv4 address", arg);
		return 0;
	case OPT_ECHO_INTERVAL:
		if (uppp_cli_parse_uint(arg, 3600, &cfg->echo_interval_s))
			return uppp_cmdline_usage_error(err, "server", "--lcp-echo-interval: '%s' is not 0..3600 seconds", arg);
		a->cli_echo_interval = true;
		return 0;
	case OPT_ECHO_FAILURE:
		if (uppp_cli_parse_uint(arg, 1000, &cfg->echo_failure) || cfg->echo_failure == 0)
			return uppp_cmdline_usage_error(err, "server", "--lcp-echo-failure: '%s' is not 1..1000", arg);
		a->cli_echo_failure = true;
		return 0;
	case 'm':
		if (uppp_cli_parse_uint(arg, 65535, &v) || v < 88)
			return uppp_cmdline_usage_error(err, "server", "-m: '%s' is not an MSS from 88 to 65535", arg);
		cfg->mss_clamp = (int)v;
		return 0;
	case OPT_NO_MSS: cfg->mss_clamp = -1; return 0;
	case 'T':
	case OPT_IDLE:
		if (uppp_cli_parse_uint(arg, 86400 * 365, &cfg->idle_s))
			return uppp_cmdline_usage_error(err, "server", "%s: '%s' is not a number of seconds",
						    c == 'T' ? "-T" : "--idle", arg);
		a->cli_idle = true;
		return 0;
	case OPT_NEGOTIATION_TIMEOUT:
		if (uppp_cli_parse_uint(arg, 3600, &cfg->negotiation_timeout_s))
			return uppp_cmdline_usage_error(err, "server", "--negotiation-timeout: '%s' is not 0..3600 seconds", arg);
		a->cli_negotiation_timeout = true;
		return 0;
	case 'x':
		if (uppp_cli_parse_uint(arg, 65535, &cfg->max_per_mac))
			return uppp_cmdline_usage_error(err, "server", "-x: '%s' is not a count", arg);
		return 0;
	case OPT_IF_PATTERN: cfg->if_pattern = arg; return 0;
	case OPT_IF_MODE:
		if (!strcmp(arg, "per-session"))
			cfg->if_mode = UPPP_IF_PER_SESSION;
		else if (!strcmp(arg, "shared"))
			cfg->if_mode = UPPP_IF_SHARED;
		else
			return uppp_cmdline_usage_error(err, "server", "--if-mode: '%s' is not per-session or shared", arg);
		return 0;
	case OPT_IF_SHARED_NAME:
		if (!*arg || strlen(arg) > 15)
			return uppp_cmdline_usage_error(err, "server", "--if-shared-name: '%s' is not an interface name "
						    "of 1 to 15 characters", arg);
		cfg->if_shared_name = arg;
		return 0;
	case OPT_BUSY_POLL:
		if (uppp_cli_parse_uint(arg, 1000000, &cfg->busy_poll_us))
			return uppp_cmdline_usage_error(err, "server", "--busy-poll: '%s' is not 0..1000000 microseconds", arg);
		a->cli_busy_poll = true;
		return 0;
	case OPT_CONTROL:
		if (!*arg || strlen(arg) >= sizeof(a->control_path))
			return uppp_cmdline_usage_error(err, "server", "--control: '%s' is not a socket path of 1 to %zu "
						    "bytes (or none)", arg, sizeof(a->control_path) - 1);
		snprintf(a->control_path, sizeof(a->control_path), "%s", arg);
		a->cli_control = true;
		return 0;
	case OPT_CONTROL_GROUP:
		if (!*arg)
			return uppp_cmdline_usage_error(err, "server", "%s", "--control-group: empty group name");
		cfg->control_group = arg;
		return 0;
	case OPT_CAPTURE:
		if (!*arg)
			return uppp_cmdline_usage_error(err, "server", "%s", "--capture: empty file name");
		cfg->capture_path = arg;
		return 0;
	case OPT_CAPTURE_DATA: cfg->capture_data = true; return 0;
	case OPT_CAPTURE_SIZE:
		if (uppp_cli_parse_uint(arg, 65536, &cfg->capture_size_mb) || cfg->capture_size_mb == 0)
			return uppp_cmdline_usage_error(err, "server", "--capture-size: '%s' is not 1..65536 MiB", arg);
		return 0;
	case OPT_CAPTURE_FILES:
		if (uppp_cli_parse_uint(arg, 1000, &cfg->capture_files) || cfg->capture_files == 0)
			return uppp_cmdline_usage_error(err, "server", "--capture-files: '%s' is not 1..1000", arg);
		return 0;
	case OPT_METRICS: {
		struct sockaddr_storage sa;
		socklen_t salen;
		char why[160];
		if (!UPPP_HAVE_METRICS)
			return uppp_cmdline_usage_error(err, "server", "--metrics %s: this uppp was built without metrics "
						    "(libmicrohttpd; -DUPPP_WITH_METRICS)", arg);
		if (uppp_listen_addr_parse(arg, &sa, &salen, why, sizeof(why)) < 0)
			return uppp_cmdline_usage_error(err, "server", "--metrics: '%s': %s", arg, why);
		cfg->metrics_listen = arg;
		return 0;
	}
	case OPT_RUN_AS: cfg->run_as = arg; return 0;
	case OPT_SHOW_CONFIG:
		if (arg && strcmp(arg, "json") != 0)
			return uppp_cmdline_usage_error(err, "server", "--show-config=%s: only json may follow", arg);
		a->show_config = true;
		a->show_config_json = arg != NULL;
		return 0;
	case 'd': cfg->log_level = UPPP_LOG_DEBUG; a->cli_log_level = true; return 0;
	case OPT_QUIET: cfg->log_level = UPPP_LOG_WARN; a->cli_log_level = true; return 0;
	default: {
		int rc = parse_limit(c, arg, cfg, err);
		if (rc >= 0)
			return rc;
		/* rp-pppoe flags uppp only notes (or refuses): config/options_table.c */
		return uppp_server_args_compat_flag(c, arg, err);
	}
	}
}

int uppp_cli_parse_server(int argc, char **argv, struct uppp_server_config *cfg, struct server_args *a,
			  FILE *out, FILE *err)
{
	char optstring[128];
	unsigned n_dns = 0, n_wins = 0;
	int c;

	uppp_server_config_defaults(cfg);
	uppp_server_args_optstring(optstring, sizeof(optstring), ":I:L:R:N:S:C:m:x:T:O:X:Fidh");
	optind = 0;  /* glibc: start over, forget any half-read word of an earlier argv */
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, server_longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(server_usage, out);
			return UPPP_CMDLINE_DONE;
		}
		if (c == ':')
			return uppp_cmdline_usage_error(err, "server", "flag '%s' needs a value", argv[optind - 1]);
		int rc = c == '?' ? -1 : server_flag(c, optarg, cfg, a, &n_dns, &n_wins, err);
		if (rc < 0)
			return uppp_cli_bad_flag(err, "server", argv);
		if (rc > 0)
			return rc;
		flag_origin(a, c);
	}
	if (optind < argc)
		return uppp_cmdline_usage_error(err, "server", "unexpected argument '%s'", argv[optind]);
	if (!cfg->ifname)
		return uppp_cmdline_usage_error(err, "server", "%s", "-I IFACE is required");
	/* One control socket per server, named after its interface. */
	if (!a->cli_control)
		snprintf(a->control_path, sizeof(a->control_path), "/run/uppp/uppp-%s.sock", cfg->ifname);
	cfg->control_path = strcmp(a->control_path, "none") ? a->control_path : NULL;
	/* Every file is read and checked before anything is opened. */
	return uppp_server_args_apply(a, cfg, err) ? UPPP_CMDLINE_FAILED : UPPP_CMDLINE_RUN;
}
