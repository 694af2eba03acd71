/* cli/main.c — the `uppp` binary: the command word, then the library's
 * command-line parser (uppp/cmdline.h) and its server or client runtime in
 * the foreground. Only the public API (include/uppp/). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "uppp/cmdline.h"
#include "uppp/uppp.h"

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

#if UPPP_HAVE_SERVER
static int server_main(int argc, char **argv)
{
	struct uppp_server_config cfg;
	struct uppp_server_cmdline *cl;   /* cfg points into it until the server returns */

	int rc = uppp_server_cmdline_parse(argc, argv, &cfg, &cl, stdout, stderr);
	if (rc == UPPP_CMDLINE_RUN)
		rc = uppp_server_cmdline_write_pid(cl);
	if (rc != UPPP_CMDLINE_RUN) {
		uppp_server_cmdline_free(cl);
		return rc == UPPP_CMDLINE_DONE ? 0 : rc;
	}
	rc = uppp_server_run(&cfg);
	uppp_server_cmdline_free(cl);
	if (rc < 0) {
		fprintf(stderr, "uppp server: %s (see the log above)\n", strerror(-rc));
		return 1;
	}
	return 0;
}
#endif

#if UPPP_HAVE_CLIENT
static int client_main(int argc, char **argv)
{
	struct uppp_client_config cfg;

	int rc = uppp_client_cmdline_parse(argc, argv, &cfg, stdout, stderr);
	if (rc != UPPP_CMDLINE_RUN)
		return rc == UPPP_CMDLINE_DONE ? 0 : rc;
	rc = uppp_client_run(&cfg);
	if (rc < 0) {
		fprintf(stderr, "uppp client: %s\n", rc == -ETIMEDOUT ? "no PPPoE server answered"
				 : rc == -ECONNRESET ? "the session ended (see the log above)" : strerror(-rc));
		return 1;
	}
	return 0;
}
#endif

int main(int argc, char **argv)
{
	if (argc < 2)
		return uppp_cmdline_usage_error(stderr, NULL, "%s", "missing command (server or client)");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(main_usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("uppp %s\n", uppp_version());
		return 0;
	}
	if (!strcmp(cmd, "server"))
#if UPPP_HAVE_SERVER
		return server_main(argc - 1, argv + 1);
#else
		return uppp_cmdline_usage_error(stderr, NULL, "%s", "this uppp was built without the server");
#endif
	if (!strcmp(cmd, "client"))
#if UPPP_HAVE_CLIENT
		return client_main(argc - 1, argv + 1);
#else
		return uppp_cmdline_usage_error(stderr, NULL, "%s", "this uppp was built without the client");
#endif
	if (cmd[0] == '-')
		return uppp_cmdline_usage_error(stderr, NULL, "unknown flag '%s'", cmd);
	return uppp_cmdline_usage_error(stderr, NULL, "unknown command '%s' (expected server or client)", cmd);
}
