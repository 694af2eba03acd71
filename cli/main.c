/* cli/main.c — the `uppp` binary: the command word, then the command's
 * parser (cli/server_args.c, cli/client_args.c) and the library's server or
 * client runtime in the foreground. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/client_args.h"
#include "cli/server_args.h"
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

static int server_main(int argc, char **argv)
{
	struct uppp_server_config cfg;
	static struct server_args sa;   /* cfg points into it until the server returns */

	server_args_init(&sa);
	int rc = uppp_cli_parse_server(argc, argv, &cfg, &sa, stdout, stderr);
	if (rc == UPPP_CLI_RUN)
		rc = server_args_write_pid(&sa);
	if (rc != UPPP_CLI_RUN) {
		server_args_cleanup(&sa);
		return rc == UPPP_CLI_DONE ? 0 : rc;
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
	struct uppp_client_config cfg;

	int rc = uppp_cli_parse_client(argc, argv, &cfg, stdout, stderr);
	if (rc != UPPP_CLI_RUN)
		return rc == UPPP_CLI_DONE ? 0 : rc;
	rc = uppp_client_run(&cfg);
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
		return uppp_cli_usage_error(stderr, NULL, "%s", "missing command (server or client)");
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
		return uppp_cli_usage_error(stderr, NULL, "unknown flag '%s'", cmd);
	return uppp_cli_usage_error(stderr, NULL, "unknown command '%s' (expected server or client)", cmd);
}
