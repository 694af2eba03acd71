/* fuzz_cli.c — the `uppp server` and `uppp client` command lines
 * (config/server_args.h, config/client_args.h), pppd options files included.
 *
 * Input: words separated by NUL or newline bytes, at most 64; then,
 * optionally, a 0xff byte and the text of an options file. The first word
 * picks the command (starting with 's': server, anything else: client) and
 * is replaced by it; the others are the arguments. Options files are served
 * from the input, never from the disk: "/fuzz/options" (--options-dir
 * /fuzz) and "F" (-O F, or `file F` inside the text) are the text, any other
 * name does not exist; the default options directory does not exist either.
 * Nothing is opened for writing (-X and logfile belong to the run step).
 *
 * Oracles: the result is one of enum uppp_cmdline_result (FAILED from the
 * server only, for the options files), with a message on err for every
 * failure and the usage text on out for --help; parsing the same words
 * again gives the same result and the same text (getopt's global state is
 * reset); a RUN configuration is sane (ranges the runtime relies on, every
 * string of it points into the words, the server_args or a default) and no
 * pid file was written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/client_args.h"
#include "config/server_args.h"
#include "fuzz_common.h"

#define MAX_WORDS 64
#define MAX_READS 16

static unsigned seen[4];  /* inputs per enum uppp_cmdline_result (replay depth check) */
static unsigned server_runs, client_runs;

struct words {
	int n;
	char *w[MAX_WORDS + 1];
	size_t len[MAX_WORDS + 1];
};

struct served {
	const uint8_t *text;  /* NULL: the input has no options text */
	size_t len;
	unsigned reads;
};

static int read_served(void *ctx, const char *path, char **text, size_t *len, char *canon, size_t canon_cap,
		       char *err, size_t errcap)
{
	struct served *s = ctx;

	if (!s->text || (strcmp(path, "/fuzz/options") && strcmp(path, "F"))) {
		snprintf(err, errcap, "cannot open '%s': No such file or directory", path);
		return -ENOENT;
	}
	if (++s->reads > MAX_READS) {
		snprintf(err, errcap, "too many files opened");
		return -EMFILE;
	}
	*text = malloc(s->len ? s->len : 1);  /* exact size, not terminated */
	FUZZ_CHECK(*text != NULL);
	memcpy(*text, s->text, s->len);
	*len = s->len;
	snprintf(canon, canon_cap, "/fuzz/%s", path[0] == 'F' ? "F" : "options");
	return 0;
}

/* An argv of exact-size copies (ASan sees any over-read), NULL-terminated. */
static char **make_argv(const struct words *w, const char *cmd)
{
	char **argv = calloc((size_t)w->n + 2, sizeof(*argv));
	FUZZ_CHECK(argv != NULL);
	argv[0] = strdup(cmd);
	FUZZ_CHECK(argv[0] != NULL);
	for (int i = 1; i < w->n; i++) {
		argv[i] = malloc(w->len[i] + 1);
		FUZZ_CHECK(argv[i] != NULL);
		memcpy(argv[i], w->w[i], w->len[i] + 1);
	}
	return argv;
}

/* The words in their original order (getopt reorders argv itself). */
struct arena {
	char *word[MAX_WORDS + 1];
	size_t len[MAX_WORDS + 1];
	int n;
};

static void remember(struct arena *a, char **argv, int argc)
{
	a->n = argc;
	for (int i = 0; i < argc; i++) {
		a->word[i] = argv[i];
		a->len[i] = strlen(argv[i]);
	}
}

static void free_argv(char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* s is inside one of the words, or inside [base, base + size). */
static bool points_into(const char *s, const struct arena *a, const void *base, size_t size)
{
	for (int i = 0; i < a->n; i++)
		if (s >= a->word[i] && s <= a->word[i] + a->len[i])
			return true;
	return (const char *)s >= (const char *)base && (const char *)s < (const char *)base + size &&
	       memchr(s, 0, (size_t)((const char *)base + size - s)) != NULL;
}

struct output {
	char *out, *err;
	size_t out_len, err_len;
};

static void output_check(const struct output *o, int rc)
{
	/* every message is whole lines */
	FUZZ_CHECK(o->err_len == 0 || o->err[o->err_len - 1] == '\n');
	FUZZ_CHECK(strlen(o->err) == o->err_len);
	if (rc == UPPP_CMDLINE_DONE)
		FUZZ_CHECK(o->out_len > 0 && !strncmp(o->out, "Usage: uppp ", 12));
	else
		FUZZ_CHECK(o->out_len == 0);
	if (rc == UPPP_CMDLINE_USAGE || rc == UPPP_CMDLINE_FAILED)
		FUZZ_CHECK(o->err_len > 0 && strstr(o->err, "uppp ") != NULL);
}

static void server_check(const struct uppp_server_config *c, const struct server_args *sa,
			 const struct arena *a)
{
	struct uppp_server_config def;
	uppp_server_config_defaults(&def);

	FUZZ_CHECK(c->ifname && points_into(c->ifname, a, NULL, 0));
	FUZZ_CHECK(c->count >= 1 && c->count <= 65535);
	FUZZ_CHECK(c->n_services <= UPPP_MAX_SERVICES);
	for (unsigned i = 0; i < c->n_services; i++)
		FUZZ_CHECK(c->services[i] && points_into(c->services[i], a, NULL, 0));
	FUZZ_CHECK(c->echo_interval_s <= 3600);
	FUZZ_CHECK(c->negotiation_timeout_s <= 3600);
	if (c->echo_interval_s > 0)
		FUZZ_CHECK(c->echo_failure >= 1 && c->echo_failure <= 1000);
	FUZZ_CHECK(c->mss_clamp == -1 || c->mss_clamp == 0 || (c->mss_clamp >= 88 && c->mss_clamp <= 65535));
	FUZZ_CHECK(c->auth <= UPPP_AUTH_MSCHAPV2);
	FUZZ_CHECK((c->auth_also & ~0xeu) == 0 && !(c->auth_also & (1u << c->auth)));
	if (c->auth == UPPP_AUTH_NONE)
		FUZZ_CHECK(c->auth_also == 0);
	FUZZ_CHECK(c->mtu <= 1492 && c->mru <= 1492);
	FUZZ_CHECK(c->idle_s <= 86400u * 365);
	FUZZ_CHECK(c->lcp_restart_s <= 60 && c->lcp_max_configure <= 255);
	FUZZ_CHECK(c->log_level == def.log_level || c->log_level == 1 || c->log_level == 3);
	FUZZ_CHECK(c->max_per_mac <= 65535);
	FUZZ_CHECK(c->negotiation_timeout_s <= 3600);
	FUZZ_CHECK(c->padi_rate <= 100000 && c->padi_rate_per_mac <= 100000 && c->padr_rate <= 100000 &&
		   c->padr_rate_per_mac <= 100000 && c->max_negotiating <= 100000 && c->auth_fail_limit <= 100000);
	/* where every string lives: the words, the server_args, or the default */
	FUZZ_CHECK(c->secrets_path && points_into(c->secrets_path, a, sa, sizeof(*sa)));
	if (!sa->cli_secrets)
		FUZZ_CHECK(c->secrets_path == (c->auth == UPPP_AUTH_PAP ? sa->pap_secrets : sa->chap_secrets));
	FUZZ_CHECK(c->if_pattern == def.if_pattern || points_into(c->if_pattern, a, NULL, 0));
	FUZZ_CHECK(c->if_mode == UPPP_IF_PER_SESSION || c->if_mode == UPPP_IF_SHARED);
	FUZZ_CHECK(c->if_shared_name == def.if_shared_name ||
		   (points_into(c->if_shared_name, a, NULL, 0) && strlen(c->if_shared_name) - 1 < 15));
	const char *anywhere[] = { c->ac_name, c->run_as, c->pap_secrets_path, c->login_where, c->ppp_name,
				   c->log_file };
	for (size_t i = 0; i < sizeof(anywhere) / sizeof(anywhere[0]); i++)
		FUZZ_CHECK(!anywhere[i] || points_into(anywhere[i], a, sa, sizeof(*sa)));
	FUZZ_CHECK(!c->login || c->login_where);
	FUZZ_CHECK(!sa->pid_written);
}

static void client_check(const struct uppp_client_config *c, const struct arena *a)
{
	struct uppp_client_config def;
	uppp_client_config_defaults(&def);

	FUZZ_CHECK(c->ifname && points_into(c->ifname, a, NULL, 0));
	FUZZ_CHECK(c->user && points_into(c->user, a, NULL, 0) && strlen(c->user) <= 255);
	FUZZ_CHECK(c->password && points_into(c->password, a, NULL, 0) && strlen(c->password) <= 255);
	const char *opt[] = { c->service, c->ac_name, c->if_name };
	const char *dflt[] = { def.service, def.ac_name, def.if_name };
	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		FUZZ_CHECK(opt[i] == dflt[i] || points_into(opt[i], a, NULL, 0));
	FUZZ_CHECK((c->auth_accept & ~0xeu) == 0);
	FUZZ_CHECK(c->echo_interval_s <= 3600);
	FUZZ_CHECK(c->negotiation_timeout_s <= 3600);
	if (c->echo_interval_s > 0)
		FUZZ_CHECK(c->echo_failure >= 1 && c->echo_failure <= 1000);
	FUZZ_CHECK(c->mss_clamp == -1 || c->mss_clamp == 0 || (c->mss_clamp >= 88 && c->mss_clamp <= 65535));
	FUZZ_CHECK(c->log_level == def.log_level || c->log_level == 1 || c->log_level == 3);
}

/* One parse of the words; fills *o (the caller frees its texts) and the
 * scalar summary sum[] used to compare two parses. */
static int parse_once(const struct words *w, bool server, const struct served *text, struct output *o,
		      unsigned sum[8])
{
	const char *cmd = server ? "server" : "client";
	char **argv = make_argv(w, cmd);
	struct arena a;
	struct served s = *text;
	struct uppp_options_io io = { read_served, &s };
	FILE *out = open_memstream(&o->out, &o->out_len);
	FILE *err = open_memstream(&o->err, &o->err_len);
	int rc;

	FUZZ_CHECK(out && err);
	remember(&a, argv, w->n);
	memset(sum, 0, 8 * sizeof(unsigned));
	if (server) {
		struct uppp_server_config cfg;
		struct server_args *sa = malloc(sizeof(*sa));
		FUZZ_CHECK(sa != NULL);
		uppp_server_args_init(sa);
		sa->options_dir = "/nonexistent/uppp-fuzz";
		sa->io = &io;
		rc = uppp_cli_parse_server(w->n, argv, &cfg, sa, out, err);
		FUZZ_CHECK(rc == UPPP_CMDLINE_RUN || rc == UPPP_CMDLINE_FAILED || rc == UPPP_CMDLINE_USAGE || rc == UPPP_CMDLINE_DONE);
		FUZZ_CHECK(!sa->pid_written);
		if (rc == UPPP_CMDLINE_RUN) {
			server_check(&cfg, sa, &a);
			unsigned v[8] = { cfg.count, cfg.n_services, (unsigned)cfg.auth, cfg.auth_also,
					  cfg.echo_interval_s, cfg.echo_failure, (unsigned)cfg.mss_clamp, cfg.local_ip };
			memcpy(sum, v, sizeof(v));
			server_runs++;
		}
		uppp_server_args_cleanup(sa);
		free(sa);
	} else {
		struct uppp_client_config cfg;
		rc = uppp_client_cmdline_parse(w->n, argv, &cfg, out, err);
		FUZZ_CHECK(rc == UPPP_CMDLINE_RUN || rc == UPPP_CMDLINE_USAGE || rc == UPPP_CMDLINE_DONE);
		if (rc == UPPP_CMDLINE_RUN) {
			client_check(&cfg, &a);
			unsigned v[8] = { cfg.auth_accept, cfg.echo_interval_s, cfg.echo_failure,
					  (unsigned)cfg.mss_clamp, (unsigned)cfg.log_level,
					  (unsigned)strlen(cfg.user), (unsigned)strlen(cfg.password), 0 };
			memcpy(sum, v, sizeof(v));
			client_runs++;
		}
	}
	FUZZ_CHECK(fclose(out) == 0 && fclose(err) == 0);
	output_check(o, rc);
	free_argv(argv, w->n);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct served text = { NULL, 0, 0 };
	const uint8_t *mark = memchr(data, 0xff, size);
	size_t args_len = mark ? (size_t)(mark - data) : size;
	struct words w = { 0 };
	char *copy;

	if (mark) {
		text.text = mark + 1;
		text.len = size - args_len - 1;
	}
	/* split: every separator ends a word; a last empty word is dropped */
	copy = malloc(args_len + 1);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, data, args_len);
	copy[args_len] = '\0';
	for (size_t i = 0, start = 0; i <= args_len && w.n < MAX_WORDS; i++) {
		if (i < args_len && copy[i] != '\0' && copy[i] != '\n')
			continue;
		if (i == args_len && i == start)
			break;
		copy[i] = '\0';
		w.w[w.n] = copy + start;
		w.len[w.n++] = i - start;
		start = i + 1;
	}
	if (w.n == 0) {
		free(copy);
		return 0;
	}
	bool server = w.len[0] > 0 && w.w[0][0] == 's';

	struct output o1 = { 0 }, o2 = { 0 };
	unsigned sum1[8], sum2[8];
	int rc1 = parse_once(&w, server, &text, &o1, sum1);
	int rc2 = parse_once(&w, server, &text, &o2, sum2);
	/* the same words parse the same way: nothing of the first parse stayed behind */
	FUZZ_CHECK(rc1 == rc2);
	FUZZ_CHECK(o1.err_len == o2.err_len && !memcmp(o1.err, o2.err, o1.err_len));
	FUZZ_CHECK(o1.out_len == o2.out_len && !memcmp(o1.out, o2.out, o1.out_len));
	FUZZ_CHECK(!memcmp(sum1, sum2, sizeof(sum1)));
	if (getenv("UPPP_FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz_cli: %s rc=%d\n%s", server ? "server" : "client", rc1, o1.err);
	seen[rc1 & 3]++;
	free(o1.out);
	free(o1.err);
	free(o2.out);
	free(o2.err);
	free(copy);
	return 0;
}

/* Replay depth check: the seeds run a server and a client, and reach every
 * other result (help, usage errors, options-file errors). */
int fuzz_replay_check(void)
{
	return server_runs && client_runs && seen[UPPP_CMDLINE_FAILED] && seen[UPPP_CMDLINE_USAGE] && seen[UPPP_CMDLINE_DONE]
		       ? 0
		       : -1;
}
