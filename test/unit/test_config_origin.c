/* test_config_origin.c — where each effective setting came from
 * (`uppp server --show-config`): a flag ("flag --dns"), an options file
 * line ("F:2"), or the default; the command line beating the file shows
 * the flag; the text and JSON forms; secrets files with their entry count
 * and never a secret. And the reload of a command line
 * (uppp_server_cmdline_reload): the same argv with the files as they are
 * now, errors joined with FILE:LINE, the old handle untouched, and the pid
 * file handed over by uppp_server_cmdline_replace. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/server_args.h"
#include "config/server_describe.h"
#include "uppp/cmdline.h"
#include "uppp/uppp.h"

#include "server_parse.h"

/* parse_server (server_parse.h) keeping the args for their origins. */
static struct server_args *parse_keep(const char *file, struct uppp_server_config *cfg, const char *x1,
				      const char *x2, const char *x3, const char *x4)
{
	static char *argv[16];
	int argc = 0;
	struct server_args *sa = malloc(sizeof(*sa));
	assert_non_null(sa);
	argv[argc++] = (char *)"server";
	argv[argc++] = (char *)"-I";
	argv[argc++] = (char *)"eth0";
	if (file) {
		argv[argc++] = (char *)"-O";
		argv[argc++] = (char *)"F";
	}
	const char *extra[] = { x1, x2, x3, x4 };
	for (int i = 0; i < 4; i++)
		if (extra[i])
			argv[argc++] = (char *)extra[i];
	argv[argc] = NULL;
	served = file;
	uppp_server_args_init(sa);
	sa->options_dir = "/nonexistent/uppp-test";
	sa->io = &served_io;
	FILE *null = fopen("/dev/null", "w");
	assert_non_null(null);
	assert_int_equal(uppp_cli_parse_server(argc, argv, cfg, sa, null, null), UPPP_CMDLINE_RUN);
	fclose(null);
	return sa;
}

static void drop(struct server_args *sa)
{
	uppp_server_args_cleanup(sa);
	free(sa);
}

static void flag_file_and_default(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	struct server_args *sa = parse_keep("require-pap\n  lcp-echo-interval 7\nms-dns 10.0.0.53\nms-dns 10.0.0.54\n",
					    &cfg, "--padi-rate", "9", NULL, NULL);
	assert_string_equal(uppp_server_args_origin(sa, "interface"), "flag -I");
	assert_string_equal(uppp_server_args_origin(sa, "padi-rate"), "flag --padi-rate");
	assert_string_equal(uppp_server_args_origin(sa, "auth"), "F:1");
	assert_string_equal(uppp_server_args_origin(sa, "lcp-echo-interval"), "F:2");
	assert_string_equal(uppp_server_args_origin(sa, "dns"), "F:3, F:4");
	assert_null(uppp_server_args_origin(sa, "lcp-echo-failure"));   /* the default */
	assert_null(uppp_server_args_origin(sa, "idle"));
	assert_int_equal(cfg.echo_interval_s, 7);
	drop(sa);
}

/* The command line wins over the file for --dns: the origin is the flag,
 * not the file's line; and an option that failed names no origin. */
static void flag_beats_file(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	struct server_args *sa = parse_keep("ms-dns 10.0.0.53\nlcp-echo-interval 7\n", &cfg, "--dns", "9.9.9.9",
					    "--lcp-echo-interval", "4");
	assert_string_equal(uppp_server_args_origin(sa, "dns"), "flag --dns");
	assert_string_equal(uppp_server_args_origin(sa, "lcp-echo-interval"), "flag --lcp-echo-interval");
	assert_int_equal(cfg.dns[0], 0x09090909);
	drop(sa);

	/* a third ms-dns is ignored with a warning: not an origin */
	sa = parse_keep("ms-dns 10.0.0.1\nms-dns 10.0.0.2\nms-dns 10.0.0.3\n", &cfg, NULL, NULL, NULL, NULL);
	assert_string_equal(uppp_server_args_origin(sa, "dns"), "F:1, F:2");
	drop(sa);
}

static char *describe(const struct server_args *sa, const struct uppp_server_config *cfg, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(uppp_server_describe(sa, cfg, json, out), 0);
	fclose(out);
	return text;
}

static void show_config_lines(void **state)
{
	(void)state;
	char dir[] = "/tmp/uppp-origin-XXXXXX", path[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/secrets", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("alice * very-secret-pw *\nbob * other-secret *\n", f);
	fclose(f);

	struct uppp_server_config cfg;
	struct server_args *sa = parse_keep("lcp-echo-interval 7\nname \"we\\x01ird\"\nip-up-script /opt/up\n", &cfg,
					    "--secrets", path, "--control", "/tmp/c.sock");
	char *text = describe(sa, &cfg, false);
	char want[512];
	/* the settings of the control socket and of pppd's scripts are shown too */
	assert_non_null(strstr(text, "control /tmp/c.sock  # flag --control\n"));
	assert_non_null(strstr(text, "ip-up-script /opt/up  # F:3\n"));
	assert_non_null(strstr(text, "ip-down-script /nonexistent/uppp-test/ip-down  # options-dir\n"));
	assert_non_null(strstr(text, "metrics (none)  # default\n"));
	assert_non_null(strstr(text, "interface eth0  # flag -I\n"));
	assert_non_null(strstr(text, "lcp-echo-interval 7  # F:1\n"));
	assert_non_null(strstr(text, "lcp-echo-failure 3  # default\n"));
	assert_non_null(strstr(text, "name we\\x01ird  # F:2\n"));   /* escaped */
	snprintf(want, sizeof(want), "secrets %s entries=2  # flag --secrets\n", path);
	assert_non_null(strstr(text, want));
	assert_null(strstr(text, "very-secret-pw"));
	assert_null(strstr(text, "other-secret"));
	/* one line per setting, each with an origin */
	for (char *l = text; *l; l = strchr(l, '\n') + 1)
		assert_non_null(strstr(l, "  # "));
	free(text);

	text = describe(sa, &cfg, true);
	assert_non_null(strstr(text, "{\"name\": \"lcp-echo-interval\", \"value\": \"7\", \"origin\": \"F:1\"}"));
	assert_non_null(strstr(text, "\"value\": \"we\\u0001ird\""));
	assert_non_null(strstr(text, "\"entries\": 2, \"origin\": \"flag --secrets\""));
	assert_null(strstr(text, "very-secret-pw"));
	free(text);
	drop(sa);
	unlink(path);
	rmdir(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void reload_reads_the_files_again(void **state)
{
	(void)state;
	char dir[] = "/tmp/uppp-reload-XXXXXX", opts[256], pid[256], secrets[256];
	assert_non_null(mkdtemp(dir));
	snprintf(opts, sizeof(opts), "%s/opts", dir);
	snprintf(pid, sizeof(pid), "%s/pid", dir);
	snprintf(secrets, sizeof(secrets), "%s/chap-secrets", dir);
	write_file(opts, "ms-dns 10.0.0.53\n");
	write_file(secrets, "alice * pw *\n");
	char *argv[] = { (char *)"server", (char *)"-I", (char *)"eth0", (char *)"-O", opts, (char *)"--options-dir",
			 dir, (char *)"-X", pid, NULL };
	struct uppp_server_config cfg, next;
	struct uppp_server_cmdline *cl, *ncl;
	char err[1024];
	FILE *null = fopen("/dev/null", "w");
	assert_non_null(null);

	assert_int_equal(uppp_server_cmdline_parse(9, argv, &cfg, &cl, null, null), UPPP_CMDLINE_RUN);
	assert_int_equal(uppp_server_cmdline_write_pid(cl), UPPP_CMDLINE_RUN);
	assert_int_equal(cfg.dns[0], 0x0a000035);

	/* the file changed: the reload sees it; the old handle is untouched */
	write_file(opts, "ms-dns 10.0.0.54\nlcp-echo-interval 4\n");
	assert_int_equal(uppp_server_cmdline_reload(cl, &next, &ncl, null, err, sizeof(err)), UPPP_CMDLINE_RUN);
	assert_int_equal(next.dns[0], 0x0a000036);
	assert_int_equal(next.echo_interval_s, 4);
	assert_int_equal(cfg.dns[0], 0x0a000035);
	assert_string_equal(cfg.secrets_path, secrets);   /* cfg still points into cl */
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(uppp_server_cmdline_describe(ncl, out), 0);
	fclose(out);
	char want[300];
	snprintf(want, sizeof(want), "lcp-echo-interval 4  # %s:2\n", opts);
	assert_non_null(strstr(text, want));
	free(text);

	/* the pid file passes to the new handle */
	uppp_server_cmdline_replace(cl, ncl);
	assert_int_equal(access(pid, F_OK), 0);
	cl = ncl;

	/* broken: every error named with FILE:LINE, nothing returned */
	write_file(opts, "ms-dns 10.0.0.55\nbogus-option\nlcp-echo-interval many\n");
	assert_int_equal(uppp_server_cmdline_reload(cl, &next, &ncl, null, err, sizeof(err)), UPPP_CMDLINE_FAILED);
	assert_null(ncl);
	snprintf(want, sizeof(want), "%s:2: unknown option 'bogus-option'", opts);
	assert_non_null(strstr(err, want));
	snprintf(want, sizeof(want), "%s:3: option 'lcp-echo-interval': 'many'", opts);
	assert_non_null(strstr(err, want));
	/* a file gone */
	unlink(opts);
	assert_int_equal(uppp_server_cmdline_reload(cl, &next, &ncl, null, err, sizeof(err)), UPPP_CMDLINE_FAILED);
	assert_non_null(strstr(err, "cannot open"));

	uppp_server_cmdline_free(cl);
	assert_int_equal(access(pid, F_OK), -1);   /* removed by the handle that owned it last */
	fclose(null);
	unlink(secrets);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flag_file_and_default),
		cmocka_unit_test(flag_beats_file),
		cmocka_unit_test(show_config_lines),
		cmocka_unit_test(reload_reads_the_files_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
