/* config/server_describe.c — see server_describe.h. */
#include "config/server_describe.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "config/secrets_file.h"
#include "core/escape.h"

struct describe {
	const struct server_args *a;
	FILE *out;
	bool json;
	unsigned rows;
};

/* uppp_escape()'s \xNN as JSON's \u00NN (every backslash it writes starts
 * one: a backslash of the input is \x5c). */
static void escape_for(bool json, const char *in, char *out, size_t cap)
{
	char tmp[UPPP_ESCAPED_MAX * 4];
	size_t n = 0;

	uppp_escape((const uint8_t *)in, strlen(in), json ? tmp : out, json ? sizeof(tmp) : cap);
	if (!json)
		return;
	for (const char *p = tmp; *p && n + 7 < cap; p++) {
		if (p[0] == '\\' && p[1] == 'x') {
			memcpy(out + n, "\\u00", 4);
			n += 4;
			p++;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

/* One setting. value is shown as given (escaped); origin_key names the
 * setting in a's origins (NULL: name); fallback is the origin when a has
 * none ("default"). entries >= 0: a secrets file's count. */
static void row_full(struct describe *d, const char *name, const char *value, const char *origin_key,
		     const char *fallback, long entries)
{
	char v[UPPP_ESCAPED_MAX * 4], o[UPPP_ESCAPED_MAX * 2];
	const char *origin = uppp_server_args_origin(d->a, origin_key ? origin_key : name);

	escape_for(d->json, value, v, sizeof(v));
	origin = origin ? origin : fallback ? fallback : "default";
	escape_for(d->json, origin, o, sizeof(o));
	if (!d->json) {
		if (entries >= 0)
			fprintf(d->out, "%s %s entries=%ld  # %s\n", name, v, entries, o);
		else
			fprintf(d->out, "%s %s  # %s\n", name, v, o);
	} else {
		fprintf(d->out, "%s\n    {\"name\": \"%s\", \"value\": \"%s\", ", d->rows ? "," : "", name, v);
		if (entries >= 0)
			fprintf(d->out, "\"entries\": %ld, ", entries);
		fprintf(d->out, "\"origin\": \"%s\"}", o);
	}
	d->rows++;
}

static void row(struct describe *d, const char *name, const char *value)
{
	row_full(d, name, value, NULL, NULL, -1);
}

static void row_uint(struct describe *d, const char *name, unsigned v)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%u", v);
	row(d, name, buf);
}

static void ip_str(uint32_t ip, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

static void row_ip(struct describe *d, const char *name, uint32_t ip)
{
	char buf[16];
	ip_str(ip, buf, sizeof(buf));
	row(d, name, buf);
}

/* Two servers (DNS, WINS), "none" when there is none. */
static void row_ip2(struct describe *d, const char *name, const uint32_t ip[2])
{
	char a[16], b[16], buf[40];
	ip_str(ip[0], a, sizeof(a));
	ip_str(ip[1], b, sizeof(b));
	if (!ip[0] && !ip[1])
		snprintf(buf, sizeof(buf), "none");
	else if (!ip[1])
		snprintf(buf, sizeof(buf), "%s", a);
	else
		snprintf(buf, sizeof(buf), "%s %s", ip[0] ? a : "-", b);
	row(d, name, buf);
}

static const char *auth_name(enum uppp_auth_method m)
{
	switch (m) {
	case UPPP_AUTH_NONE: return "none";
	case UPPP_AUTH_PAP: return "pap";
	case UPPP_AUTH_CHAP_MD5: return "chap";
	case UPPP_AUTH_MSCHAPV2: return "mschapv2";
	}
	return "?";
}

/* A secrets file with its number of entries (the file is read; nothing of
 * it is shown but the count, or why it cannot be read). */
static void row_secrets(struct describe *d, const char *name, const char *path, const char *origin_key,
			const char *fallback)
{
	struct uppp_secrets s = { 0 };
	char err[512] = "";
	if (uppp_secrets_load(&s, path, err, sizeof(err)) < 0) {
		char buf[1024];
		snprintf(buf, sizeof(buf), "%s (unreadable: %s)", path, err);
		row_full(d, name, buf, origin_key, fallback, -1);
		return;
	}
	row_full(d, name, path, origin_key, fallback, (long)s.n);
	uppp_secrets_free(&s);
}

int uppp_server_describe(const struct server_args *a, const struct uppp_server_config *cfg, bool json, FILE *out)
{
	struct describe d = { .a = a, .out = out, .json = json };
	char buf[1024];
	size_t n = 0;

	if (json)
		fputs("{\"settings\": [", out);
	row(&d, "interface", cfg->ifname ? cfg->ifname : "");
	row_ip(&d, "local", cfg->local_ip);
	row_ip(&d, "remote", cfg->first_ip);
	row_uint(&d, "count", cfg->count);
	buf[0] = '\0';
	for (unsigned i = 0; i < cfg->n_services && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "", cfg->services[i]);
	row(&d, "service", cfg->n_services ? buf : "(any)");
	row(&d, "ac-name", cfg->ac_name ? cfg->ac_name : "(the host name)");

	n = (size_t)snprintf(buf, sizeof(buf), "%s", auth_name(cfg->auth));
	for (int m = UPPP_AUTH_MSCHAPV2; m >= UPPP_AUTH_PAP; m--)
		if (cfg->auth_also & (1u << m) && n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s", auth_name((enum uppp_auth_method)m));
	row(&d, "auth", buf);
	/* the files the server reads (runtime/server.c: load_secrets) */
	const char *dir_origin = uppp_server_args_origin(a, "options-dir");
	if (cfg->auth == UPPP_AUTH_NONE) {
		row(&d, "secrets", "(none: no authentication)");
	} else {
		const char *path = cfg->secrets_path ? cfg->secrets_path
				 : cfg->auth == UPPP_AUTH_PAP ? "/etc/ppp/pap-secrets" : "/etc/ppp/chap-secrets";
		row_secrets(&d, "secrets", path, "secrets", dir_origin);
		bool pap = cfg->auth == UPPP_AUTH_PAP || (cfg->auth_also & (1u << UPPP_AUTH_PAP));
		if (pap && cfg->pap_secrets_path && strcmp(cfg->pap_secrets_path, path) != 0)
			row_secrets(&d, "pap-secrets", cfg->pap_secrets_path, "options-dir", NULL);
	}
	row(&d, "login", cfg->login ? "yes" : "no");
	row(&d, "name", cfg->ppp_name ? cfg->ppp_name : "(the host name)");
	row_ip2(&d, "dns", cfg->dns);
	row_ip2(&d, "wins", cfg->wins);
	row_uint(&d, "lcp-echo-interval", cfg->echo_interval_s);
	row_uint(&d, "lcp-echo-failure", cfg->echo_failure);
	row_uint(&d, "lcp-restart", cfg->lcp_restart_s ? cfg->lcp_restart_s : 3);
	row_uint(&d, "lcp-max-configure", cfg->lcp_max_configure ? cfg->lcp_max_configure : 10);
	row_uint(&d, "lcp-max-terminate", cfg->lcp_max_terminate ? cfg->lcp_max_terminate : 2);
	row_uint(&d, "lcp-max-failure", cfg->lcp_max_failure ? cfg->lcp_max_failure : 5);
	row_uint(&d, "mru", cfg->mru ? cfg->mru : 1492);
	if (cfg->mtu)
		row_uint(&d, "mtu", cfg->mtu);
	else
		row(&d, "mtu", "(the peer MRU)");
	if (cfg->mss_clamp < 0)
		row(&d, "mss", "off");
	else if (cfg->mss_clamp == 0)
		row(&d, "mss", "(session MTU - 40)");
	else
		row_uint(&d, "mss", (unsigned)cfg->mss_clamp);
	row_uint(&d, "idle", cfg->idle_s);
	row_uint(&d, "negotiation-timeout", cfg->negotiation_timeout_s);
	row_uint(&d, "max-per-mac", cfg->max_per_mac);
	row_uint(&d, "padi-rate", cfg->padi_rate);
	row_uint(&d, "padi-rate-per-mac", cfg->padi_rate_per_mac);
	row_uint(&d, "padr-rate", cfg->padr_rate);
	row_uint(&d, "padr-rate-per-mac", cfg->padr_rate_per_mac);
	row_uint(&d, "max-negotiating", cfg->max_negotiating);
	row_uint(&d, "auth-fail-limit", cfg->auth_fail_limit);
	row(&d, "if-mode", cfg->if_mode == UPPP_IF_SHARED ? "shared" : "per-session");
	row(&d, "if-pattern", cfg->if_pattern ? cfg->if_pattern : "ppp%d");
	row(&d, "if-shared-name", cfg->if_shared_name ? cfg->if_shared_name : "uppp%d");
	row_uint(&d, "busy-poll", cfg->busy_poll_us);
	row(&d, "run-as", cfg->run_as ? cfg->run_as : "(stay root)");
	row(&d, "log-level", cfg->log_level >= UPPP_LOG_DEBUG ? "debug" : cfg->log_level == UPPP_LOG_INFO ? "info"
			     : cfg->log_level == UPPP_LOG_WARN ? "warn" : "err");
	row(&d, "logfile", cfg->log_file ? cfg->log_file : "(stderr)");
	row(&d, "options-file", a->options_file ? a->options_file : "(none)");
	row(&d, "options-dir", a->options_dir);
	row(&d, "pid-file", a->pid_file ? a->pid_file : "(none)");
	row(&d, "control", cfg->control_path ? cfg->control_path : "(none)");
	row(&d, "control-group", cfg->control_group ? cfg->control_group : "(ours)");
	row(&d, "capture", cfg->capture_path ? cfg->capture_path : "(none)");
	row(&d, "capture-data", cfg->capture_data ? "yes" : "no");
	row_uint(&d, "capture-size", cfg->capture_size_mb);   /* uppp_server_config_defaults sets these */
	row_uint(&d, "capture-files", cfg->capture_files);
	row(&d, "metrics", cfg->metrics_listen ? cfg->metrics_listen : "(none)");
	/* pppd's scripts: the default paths are run only when they exist */
	row_full(&d, "auth-up-script", cfg->auth_up_script ? cfg->auth_up_script : "(none)", NULL, "options-dir", -1);
	row_full(&d, "auth-down-script", cfg->auth_down_script ? cfg->auth_down_script : "(none)", NULL, "options-dir",
		 -1);
	row_full(&d, "ip-pre-up-script", cfg->ip_pre_up_script ? cfg->ip_pre_up_script : "(none)", NULL, "options-dir",
		 -1);
	row_full(&d, "ip-up-script", cfg->ip_up_script ? cfg->ip_up_script : "(none)", NULL, "options-dir", -1);
	row_full(&d, "ip-down-script", cfg->ip_down_script ? cfg->ip_down_script : "(none)", NULL, "options-dir", -1);
	row(&d, "ipparam", cfg->ipparam ? cfg->ipparam : "(none)");
	row_uint(&d, "hook-timeout", cfg->hook_timeout_s);
	if (json)
		fputs("\n]}\n", out);
	return ferror(out) ? -EIO : 0;
}
