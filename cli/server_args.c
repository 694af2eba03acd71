/* cli/server_args.c — see server_args.h. */
#include "cli/server_args.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void server_args_init(struct server_args *a)
{
	memset(a, 0, sizeof(*a));
	a->options_dir = "/etc/ppp";
	uppp_options_init(&a->opts);
}

void server_args_optstring(char *out, size_t cap, const char *own)
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

int server_args_compat_flag(int c, const char *arg)
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
		fprintf(stderr, "uppp server: notice: pppoe-server flag '%s' has no effect: %s\n", shown, f->note);
		return 0;
	case UPPP_OPT_WARNING:
		fprintf(stderr, "uppp server: warning: pppoe-server flag '%s' is not supported by uppp and is ignored (%s)\n",
			shown, f->note);
		return 0;
	default:
		fprintf(stderr, "uppp server: pppoe-server flag '%s' cannot be honoured: %s\n", shown, f->note);
		return 2;
	}
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Strongest first, as pppd asks: MS-CHAPv2, CHAP-MD5, then PAP. */
static void choose_auth(const struct uppp_options *o, struct uppp_server_config *cfg)
{
	static const struct { enum uppp_auth_proto proto; enum uppp_auth_choice choice; } order[] = {
		{ UPPP_AUTH_MSCHAPV2, UPPP_AUTHC_MSCHAPV2 },
		{ UPPP_AUTH_CHAP_MD5, UPPP_AUTHC_CHAP },
		{ UPPP_AUTH_PAP, UPPP_AUTHC_PAP },
	};
	bool first = true;

	cfg->auth_also = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(o->auth_required & UPPP_AUTH_BIT(order[i].proto)))
			continue;
		if (first)
			cfg->auth = order[i].choice;
		else
			cfg->auth_also |= 1u << order[i].choice;
		first = false;
	}
}

int server_args_apply(struct server_args *a, struct uppp_server_config *cfg)
{
	struct uppp_options *o = &a->opts;
	char sys[4096];

	snprintf(sys, sizeof(sys), "%s/options", a->options_dir);
	if (file_exists(sys))
		(void)uppp_options_load_file(o, sys);
	if (a->options_file)
		(void)uppp_options_load_file(o, a->options_file);
	(void)uppp_options_finish(o);

	for (size_t i = 0; i < o->n_diags; i++)
		fprintf(stderr, "%s\n", o->diags[i].text);
	if (o->oom) {
		fprintf(stderr, "uppp server: out of memory reading the options files\n");
		return 1;
	}
	if (o->n_errors) {
		fprintf(stderr, "uppp server: %zu error%s in the pppd options; nothing was started\n", o->n_errors,
			o->n_errors == 1 ? "" : "s");
		return 1;
	}

	if (!a->cli_auth) {
		if (o->noauth)
			cfg->auth = UPPP_AUTHC_NONE;
		else if (o->auth_required)
			choose_auth(o, cfg);
		else if (o->auth) {  /* `auth` alone: what pppd would try, CHAP then PAP */
			cfg->auth = UPPP_AUTHC_CHAP;
			cfg->auth_also = 1u << UPPP_AUTHC_PAP;
		}
	}
	if (o->login) {
		cfg->login = true;
		cfg->login_where = o->login_where;
	}
	if (!a->cli_dns)
		for (unsigned i = 0; i < o->n_dns && i < 2; i++)
			cfg->dns[i] = o->dns[i];
	if (!a->cli_wins)
		for (unsigned i = 0; i < o->n_wins && i < 2; i++)
			cfg->wins[i] = o->wins[i];
	if (!a->cli_echo_interval && o->have_echo_interval)
		cfg->echo_interval_s = o->echo_interval_s;
	if (!a->cli_echo_failure && o->have_echo_failure)
		cfg->echo_failure = o->echo_failure;
	if (o->have_restart)
		cfg->lcp_restart_s = o->restart_s;
	if (o->have_max_configure)
		cfg->lcp_max_configure = o->max_configure;
	if (o->have_max_terminate)
		cfg->lcp_max_terminate = o->max_terminate;
	if (o->have_max_failure)
		cfg->lcp_max_failure = o->max_failure;
	if (!a->cli_idle && o->have_idle)
		cfg->idle_s = o->idle_s;
	if (o->mru)
		cfg->mru = o->mru;
	if (o->mtu)
		cfg->mtu = o->mtu;
	if (o->logfile[0])
		cfg->log_file = o->logfile;
	if (o->debug && !a->cli_log_level)
		cfg->log_level = 3;
	if (o->name[0])
		cfg->ppp_name = o->name;
	if (!a->cli_secrets) {
		/* pppd's files: CHAP and MS-CHAPv2 read chap-secrets, PAP pap-secrets */
		snprintf(a->chap_secrets, sizeof(a->chap_secrets), "%s/chap-secrets", a->options_dir);
		snprintf(a->pap_secrets, sizeof(a->pap_secrets), "%s/pap-secrets", a->options_dir);
		cfg->secrets_path = cfg->auth == UPPP_AUTHC_PAP ? a->pap_secrets : a->chap_secrets;
		cfg->pap_secrets_path = a->pap_secrets;
	}
	return 0;
}

int server_args_write_pid(struct server_args *a)
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

void server_args_cleanup(struct server_args *a)
{
	if (a->pid_written)
		unlink(a->pid_file);
	a->pid_written = false;
	uppp_options_free(&a->opts);
}
