/* config/cmdline.c — the public face of the command-line parsers
 * (uppp/cmdline.h): a server command line's state lives in a heap handle
 * the config points into. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/server_args.h"
#include "config/server_describe.h"
#include "uppp/cmdline.h"

struct uppp_server_cmdline {
	struct server_args a;
	int argc;
	char **argv;                     /* a copy of the pointers (getopt permutes them), for reload */
	struct uppp_server_config cfg;   /* what the parse gave, for --show-config */
	bool parsed;                     /* cfg is complete (UPPP_CMDLINE_RUN) */
};

static struct uppp_server_cmdline *cmdline_new(int argc, char **argv)
{
	struct uppp_server_cmdline *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->argv = calloc((size_t)argc + 1, sizeof(*c->argv));
	if (!c->argv) {
		free(c);
		return NULL;
	}
	memcpy(c->argv, argv, (size_t)argc * sizeof(*argv));
	c->argc = argc;
	uppp_server_args_init(&c->a);
	return c;
}

static enum uppp_cmdline_result cmdline_run(struct uppp_server_cmdline *c, struct uppp_server_config *cfg, FILE *out,
					    FILE *err)
{
	enum uppp_cmdline_result rc =
		(enum uppp_cmdline_result)uppp_cli_parse_server(c->argc, c->argv, cfg, &c->a, out, err);
	if (rc == UPPP_CMDLINE_RUN) {
		c->cfg = *cfg;
		c->parsed = true;
	}
	if (rc == UPPP_CMDLINE_RUN && c->a.show_config) {   /* print it, run nothing */
		if (uppp_server_describe(&c->a, &c->cfg, c->a.show_config_json, out) < 0) {
			fprintf(err, "uppp server: --show-config: cannot write the configuration\n");
			return UPPP_CMDLINE_FAILED;
		}
		return UPPP_CMDLINE_DONE;
	}
	return rc;
}

enum uppp_cmdline_result uppp_server_cmdline_parse(int argc, char **argv, struct uppp_server_config *cfg,
						   struct uppp_server_cmdline **cl, FILE *out, FILE *err)
{
	struct uppp_server_cmdline *c = cmdline_new(argc, argv);

	*cl = c;
	if (!c) {
		fprintf(err, "uppp server: out of memory\n");
		return UPPP_CMDLINE_FAILED;
	}
	return cmdline_run(c, cfg, out, err);
}

/* The errors of a failed parse, joined, for one log line and a control
 * socket's answer; else what it printed. */
static void collect_errors(const struct uppp_server_cmdline *c, const char *printed, char *err, size_t errlen)
{
	size_t n = 0;
	if (!err || !errlen)
		return;
	err[0] = '\0';
	for (size_t i = 0; i < c->a.opts.n_diags && n + 1 < errlen; i++)
		if (c->a.opts.diags[i].level == UPPP_DIAG_ERROR)
			n += (size_t)snprintf(err + n, errlen - n, "%s%s", n ? "; " : "", c->a.opts.diags[i].text);
	if (n == 0) {   /* a usage error, or out of memory: the first line printed */
		size_t len = printed ? strcspn(printed, "\n") : 0;
		snprintf(err, errlen, "%.*s", (int)len, printed ? printed : "");
	}
	if (!err[0])
		snprintf(err, errlen, "the configuration could not be read");
}

enum uppp_cmdline_result uppp_server_cmdline_reload(const struct uppp_server_cmdline *cl,
						    struct uppp_server_config *cfg,
						    struct uppp_server_cmdline **out, FILE *diag, char *err,
						    size_t errlen)
{
	char *printed = NULL;
	size_t printed_len = 0;
	struct uppp_server_cmdline *c = cmdline_new(cl->argc, cl->argv);

	*out = NULL;
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return UPPP_CMDLINE_FAILED;
	}
	c->a.io = cl->a.io;   /* a test's reader, if any */
	FILE *mem = open_memstream(&printed, &printed_len);
	if (!mem) {
		uppp_server_cmdline_free(c);
		snprintf(err, errlen, "out of memory");
		return UPPP_CMDLINE_FAILED;
	}
	enum uppp_cmdline_result rc = cmdline_run(c, cfg, mem, mem);
	fclose(mem);
	if (diag && printed && printed[0])
		fputs(printed, diag);
	if (rc != UPPP_CMDLINE_RUN) {
		collect_errors(c, printed, err, errlen);
		uppp_server_cmdline_free(c);
		free(printed);
		return rc == UPPP_CMDLINE_DONE ? UPPP_CMDLINE_USAGE : rc;
	}
	free(printed);
	*out = c;
	return UPPP_CMDLINE_RUN;
}

void uppp_server_cmdline_replace(struct uppp_server_cmdline *old, struct uppp_server_cmdline *successor)
{
	if (!old)
		return;
	if (successor && old->a.pid_written && successor->a.pid_file &&
	    !strcmp(successor->a.pid_file, old->a.pid_file)) {
		successor->a.pid_written = true;   /* the file is the new handle's to remove */
		old->a.pid_written = false;
	}
	uppp_server_cmdline_free(old);
}

int uppp_server_cmdline_describe(const struct uppp_server_cmdline *cl, FILE *out)
{
	if (!cl->parsed)
		return -EINVAL;
	return uppp_server_describe(&cl->a, &cl->cfg, false, out);
}

int uppp_server_cmdline_describe_json(const struct uppp_server_cmdline *cl, FILE *out)
{
	if (!cl->parsed)
		return -EINVAL;
	return uppp_server_describe(&cl->a, &cl->cfg, true, out);
}

enum uppp_cmdline_result uppp_server_cmdline_write_pid(struct uppp_server_cmdline *cl)
{
	return uppp_server_args_write_pid(&cl->a) == 0 ? UPPP_CMDLINE_RUN : UPPP_CMDLINE_FAILED;
}

void uppp_server_cmdline_free(struct uppp_server_cmdline *cl)
{
	if (!cl)
		return;
	uppp_server_args_cleanup(&cl->a);
	free(cl->argv);
	free(cl);
}
