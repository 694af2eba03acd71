/* test_busy_poll_opt.c — `busy-poll` in an options file and --busy-poll on
 * the server's and the client's command line: default 0 (off), 0..1000000
 * µs, anything else refused with a message naming the flag, the command
 * line wins over the file; and uppp_server_new / uppp_client_new refuse an
 * embedder's value above the maximum before opening anything. */
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
#include "uppp/uppp.h"

#include "server_parse.h"

static void server_default_off(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	assert_int_equal(parse_server(NULL, &cfg, NULL, NULL), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.busy_poll_us, 0);
	uppp_server_config_defaults(&cfg);
	assert_int_equal(cfg.busy_poll_us, 0);
}

static void server_file_and_flag(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	assert_int_equal(parse_server("busy-poll 50\n", &cfg, NULL, NULL), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.busy_poll_us, 50);
	assert_int_equal(parse_server(NULL, &cfg, "--busy-poll", "1000"), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.busy_poll_us, 1000);
	assert_int_equal(parse_server(NULL, &cfg, "--busy-poll", "1000000"), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.busy_poll_us, 1000000);
	/* the command line wins over the file, 0 included */
	assert_int_equal(parse_server("busy-poll 50\n", &cfg, "--busy-poll", "0"), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.busy_poll_us, 0);
	/* out of range or not a number: refused, naming the flag */
	static const char *const bad[] = { "1000001", "-1", "", "50us", "x", "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_server(NULL, &cfg, "--busy-poll", bad[i]), UPPP_CMDLINE_USAGE);
		assert_non_null(strstr(last_err, "--busy-poll"));
		assert_non_null(strstr(last_err, "0..1000000 microseconds"));
	}
	assert_int_equal(parse_server("busy-poll 1000001\n", &cfg, NULL, NULL), UPPP_CMDLINE_FAILED);
	assert_non_null(strstr(last_err, "option 'busy-poll'"));
	assert_int_equal(parse_server("busy-poll\n", &cfg, NULL, NULL), UPPP_CMDLINE_FAILED);
}

static int parse_client(struct uppp_client_config *cfg, const char *value)
{
	char *argv[] = { (char *)"client", (char *)"-I", (char *)"eth0", (char *)"-u", (char *)"u", (char *)"-p",
			 (char *)"p", (char *)"--busy-poll", (char *)value, NULL };
	char *sink_text = NULL;
	size_t sink_len = 0;
	FILE *sink = open_memstream(&sink_text, &sink_len);
	assert_non_null(sink);
	int rc = uppp_client_cmdline_parse(value ? 9 : 7, argv, cfg, sink, sink);
	fclose(sink);
	snprintf(last_err, sizeof(last_err), "%s", sink_text ? sink_text : "");
	free(sink_text);
	return rc;
}

static void client_flag(void **state)
{
	(void)state;
	struct uppp_client_config cfg;
	assert_int_equal(parse_client(&cfg, NULL), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.busy_poll_us, 0);
	assert_int_equal(parse_client(&cfg, "50"), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.busy_poll_us, 50);
	assert_int_equal(parse_client(&cfg, "1000001"), UPPP_CMDLINE_USAGE);
	assert_non_null(strstr(last_err, "--busy-poll: '1000001' is not 0..1000000 microseconds"));
	assert_int_equal(parse_client(&cfg, "-5"), UPPP_CMDLINE_USAGE);
}

/* An embedder's config: checked before anything is opened (the interface
 * named does not exist, so getting past the check would say -ENODEV). */
static void new_refuses_too_large(void **state)
{
	(void)state;
	char *log_text = NULL;
	size_t log_len = 0;
	FILE *log = open_memstream(&log_text, &log_len);
	assert_non_null(log);
#if UPPP_HAVE_SERVER
	struct uppp_server_config s;
	uppp_server_config_defaults(&s);
	s.ifname = "uppp-no-such0";
	s.auth = UPPP_AUTH_NONE;
	s.log_out = log;
	s.busy_poll_us = 1000001;
	struct uppp_server *srv = (struct uppp_server *)&s;
	assert_int_equal(uppp_server_new(&s, &srv), -EINVAL);
	assert_null(srv);
#endif
#if UPPP_HAVE_CLIENT
	struct uppp_client_config c;
	uppp_client_config_defaults(&c);
	c.ifname = "uppp-no-such0";
	c.user = "u";
	c.password = "p";
	c.log_out = log;
	c.busy_poll_us = 1000001;
	struct uppp_client *cl = (struct uppp_client *)&c;
	assert_int_equal(uppp_client_new(&c, &cl), -EINVAL);
	assert_null(cl);
#endif
	fflush(log);
	assert_non_null(strstr(log_text, "event=bad-busy-poll usec=1000001"));
	fclose(log);
	free(log_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(server_default_off),
		cmocka_unit_test(server_file_and_flag),
		cmocka_unit_test(client_flag),
		cmocka_unit_test(new_refuses_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
