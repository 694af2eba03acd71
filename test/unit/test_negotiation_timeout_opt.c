/* test_negotiation_timeout_opt.c — `negotiation-timeout` in an options file
 * and --negotiation-timeout on the server's and the client's command line:
 * default 60 s, 0 = no limit, the command line wins over the file, and what
 * is parsed reaches the engine's configuration. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/args.h"
#include "config/client_args.h"
#include "config/server_args.h"
#include "proto/ppp.h"

#include "server_parse.h"

static void server_default_is_60(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	assert_int_equal(parse_server(NULL, &cfg, NULL, NULL), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.negotiation_timeout_s, 60);
	/* and the engine's own default agrees */
	struct uppp_ppp_config pc;
	uppp_ppp_config_defaults(&pc);
	assert_int_equal(pc.negotiation_timeout_ms, 60000);
}

static void server_file_and_flag(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	assert_int_equal(parse_server("negotiation-timeout 0\n", &cfg, NULL, NULL), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.negotiation_timeout_s, 0);
	assert_int_equal(parse_server("negotiation-timeout 90\n", &cfg, NULL, NULL), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.negotiation_timeout_s, 90);
	assert_int_equal(parse_server(NULL, &cfg, "--negotiation-timeout", "20"), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.negotiation_timeout_s, 20);
	/* the command line wins over the file */
	assert_int_equal(parse_server("negotiation-timeout 90\n", &cfg, "--negotiation-timeout", "20"), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.negotiation_timeout_s, 20);
	/* out of range */
	assert_int_not_equal(parse_server(NULL, &cfg, "--negotiation-timeout", "3601"), UPPP_CMDLINE_RUN);
	assert_int_not_equal(parse_server("negotiation-timeout x\n", &cfg, NULL, NULL), UPPP_CMDLINE_RUN);
}

static void client_flag(void **state)
{
	(void)state;
	struct uppp_client_config cfg;
	char *argv[] = { (char *)"client", (char *)"-I", (char *)"eth0", (char *)"-u", (char *)"u", (char *)"-p",
			 (char *)"p", (char *)"--negotiation-timeout", (char *)"15", NULL };
	char *sink_text = NULL;
	size_t sink_len = 0;
	FILE *sink = open_memstream(&sink_text, &sink_len);
	assert_non_null(sink);
	assert_int_equal(uppp_client_cmdline_parse(7, argv, &cfg, sink, sink), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.negotiation_timeout_s, 60);
	assert_int_equal(uppp_client_cmdline_parse(9, argv, &cfg, sink, sink), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.negotiation_timeout_s, 15);
	fclose(sink);
	free(sink_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(server_default_is_60),
		cmocka_unit_test(server_file_and_flag),
		cmocka_unit_test(client_flag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
