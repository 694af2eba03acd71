/* test/unit/server_parse.h — what the option tests share: `uppp server`'s
 * command line parsed as the binary does, with an options file served from
 * memory instead of the disk. Header-only (static); include after cmocka.h
 * and config/server_args.h. */
#ifndef UPPP_TEST_SERVER_PARSE_H
#define UPPP_TEST_SERVER_PARSE_H

static const char *served;          /* what the options file -O F holds */
static char last_err[1024];         /* what the last parse printed on err */

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

static const struct uppp_options_io served_io = { read_served, NULL };

/* Parses "server -I eth0 --auth none <extra...>" with -O F holding file
 * (NULL: no -O). What it printed on err is kept in last_err. */
static __attribute__((unused)) int parse_server(const char *file, struct uppp_server_config *cfg,
						const char *extra1, const char *extra2)
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
	sa->io = &served_io;
	int rc = uppp_cli_parse_server(argc, argv, cfg, sa, out, err);
	uppp_server_args_cleanup(sa);
	free(sa);
	fclose(out);
	fclose(err);
	snprintf(last_err, sizeof(last_err), "%s", err_text ? err_text : "");
	free(err_text);
	free(out_text);
	return rc;
}

#endif
