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

static const char *served;   /* what the options file -O F holds */

static int read_served(void *ctx, const char *path, char **text, size_t *len, char *canon, size_t canon_cap,
		       char *err, size_t errcap)
{
	(void)ctx;
	if (!served || strcmp(path, "F") != 0) {
		snprintf(err, errcap, "cannot open '%s': No such file or directory", path);
		return -ENOENT;
	}
	size_t n = strlen(served);
	*text = malloc(n ? n : 1);
	assert_non_null(*text);
	memcpy(*text, served, n);
	*len = n;
	snprintf(canon, canon_cap, "/test/F");
	return 0;
}

static const struct uppp_options_io io = { read_served, NULL };

/* Parses "server -I eth0 <extra...>" with -O F holding file (NULL: no -O). */
static int parse_server(const char *file, struct uppp_server_config *cfg, const char *extra1, const char *extra2)
{
	char *argv[10];
	int argc = 0;
	struct server_args *sa = malloc(sizeof(*sa));
	char *err_text = NULL;
	size_t err_len = 0;
	FILE *err = open_memstream(&err_text, &err_len);
	char *out_text = NULL;
	size_t out_len = 0;
	FILE *out = open_memstream(&out_text, &out_len);

	assert_non_null(sa);
	assert_non_null(err);
	assert_non_null(out);
	argv[argc++] = (char *)"server";
	argv[argc++] = (char *)"-I";
	argv[argc++] = (char *)"eth0";
	argv[argc++] = (char *)"--auth";
	argv[argc++] = (char *)"none";
	if (file) {
		argv[argc++] = (char *)"-O";
		argv[argc++] = (char *)"F";
	}
	if (extra1)
		argv[argc++] = (char *)extra1;
	if (extra2)
		argv[argc++] = (char *)extra2;
	argv[argc] = NULL;
	served = file;
	uppp_server_args_init(sa);
	sa->options_dir = "/nonexistent/uppp-test";
	sa->io = &io;
	int rc = uppp_cli_parse_server(argc, argv, cfg, sa, out, err);
	uppp_server_args_cleanup(sa);
	free(sa);
	fclose(out);
	fclose(err);
	if (rc != UPPP_CMDLINE_RUN && err_text)
		fprintf(stderr, "%s", err_text);
	free(err_text);
	free(out_text);
	return rc;
}

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
