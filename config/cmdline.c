/* config/cmdline.c — the public face of the command-line parsers
 * (uppp/cmdline.h): a server command line's state lives in a heap handle
 * the config points into. */
#include <stdlib.h>

#include "config/server_args.h"
#include "uppp/cmdline.h"

struct uppp_server_cmdline {
	struct server_args a;
};

enum uppp_cmdline_result uppp_server_cmdline_parse(int argc, char **argv, struct uppp_server_config *cfg,
						   struct uppp_server_cmdline **cl, FILE *out, FILE *err)
{
	struct uppp_server_cmdline *c = malloc(sizeof(*c));

	*cl = c;
	if (!c) {
		fprintf(err, "uppp server: out of memory\n");
		return UPPP_CMDLINE_FAILED;
	}
	uppp_server_args_init(&c->a);
	return (enum uppp_cmdline_result)uppp_cli_parse_server(argc, argv, cfg, &c->a, out, err);
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
	free(cl);
}
