/* test_secrets.c — chap-secrets / pap-secrets parsing, lookup and loading. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/secrets.h"
#include "config/secrets_file.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static int parse(struct uppp_secrets *s, const char *text, char *err, size_t errcap)
{
	return uppp_secrets_parse(s, text, strlen(text), "chap-secrets", err, errcap);
}

static void test_rp_pppoe_example(void **state)
{
	struct uppp_secrets s = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&s, "rp-pppoe * rp-pppoe *\n", err, sizeof(err)), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].client, "rp-pppoe");
	assert_string_equal(s.v[0].server, "*");
	assert_string_equal(s.v[0].secret, "rp-pppoe");
	assert_true(s.v[0].addr_any);
	assert_false(s.v[0].addr_none);
	assert_int_equal(s.v[0].n_addrs, 0);
	assert_int_equal(s.v[0].line, 1);
	const struct uppp_secret *e = uppp_secrets_find(&s, "rp-pppoe", "anything");
	assert_non_null(e);
	assert_string_equal(e->secret, "rp-pppoe");
	assert_null(uppp_secrets_find(&s, "bob", NULL));
	uppp_secrets_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.v);
}

static void test_comments_blank_lines_crlf(void **state)
{
	static const char text[] =
		"# Secrets for authentication using CHAP\n"
		"# client\tserver\tsecret\t\t\tIP addresses\n"
		"\n"
		"   \t \n"
		"alice\t*\tpass#word\t# the # inside a word is kept\r\n"
		"bob * \"#not a comment\"\n"
		"carol * c   # trailing comment * 10.0.0.1\n"
		"dave * d";  /* no newline at the end */
	struct uppp_secrets s = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&s, text, err, sizeof(err)), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.v[0].client, "alice");
	assert_string_equal(s.v[0].secret, "pass#word");
	assert_int_equal(s.v[0].line, 5);
	assert_true(s.v[0].addr_any);
	assert_string_equal(s.v[1].secret, "#not a comment");
	assert_int_equal(s.v[1].line, 6);
	assert_string_equal(s.v[2].secret, "c");
	assert_int_equal(s.v[2].n_addrs, 0);
	assert_true(s.v[2].addr_any);
	assert_string_equal(s.v[3].client, "dave");
	assert_string_equal(s.v[3].secret, "d");
	assert_int_equal(s.v[3].line, 8);
	uppp_secrets_free(&s);
}

static void test_quotes_and_escapes(void **state)
{
	static const char text[] =
		"\"John Smith\" * \"my secret\" 10.0.0.9\n"
		"'single q' 'srv name' 'it\"s'\n"
		"ab\"c d\"e * \"\"\n"
		"esc * \"a\\\"b\\\\c\\x41\\101\\sz\\t\"\n"
		"out\\ side * x\\'y\n";
	struct uppp_secrets s = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&s, text, err, sizeof(err)), 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.v[0].client, "John Smith");
	assert_string_equal(s.v[0].secret, "my secret");
	assert_int_equal(s.v[0].n_addrs, 1);
	assert_int_equal(s.v[0].addrs[0], IP(10, 0, 0, 9));
	assert_false(s.v[0].addr_any);
	assert_string_equal(s.v[1].client, "single q");
	assert_string_equal(s.v[1].server, "srv name");
	assert_string_equal(s.v[1].secret, "it\"s");
	assert_string_equal(s.v[2].client, "abc de");
	assert_string_equal(s.v[2].secret, "");       /* empty password */
	assert_string_equal(s.v[3].secret, "a\"b\\cAA z\t");
	assert_string_equal(s.v[4].client, "out side");
	assert_string_equal(s.v[4].secret, "x'y");
	assert_non_null(uppp_secrets_find(&s, "John Smith", NULL));
	uppp_secrets_free(&s);
}

static void test_wildcard_precedence(void **state)
{
	static const char text[] =
		"*    *     anyone\n"
		"bob  *     bob-any\n"
		"bob  srv   bob-srv\n"
		"*    srv2  any-srv2\n"
		"bob  *     bob-any-later\n";
	struct uppp_secrets s = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&s, text, err, sizeof(err)), 0);
	/* Exact client beats *, first of equals wins. */
	assert_string_equal(uppp_secrets_find(&s, "bob", NULL)->secret, "bob-any");
	assert_string_equal(uppp_secrets_find(&s, "bob", "other")->secret, "bob-any");
	/* Exact client and exact server beats exact client and * server. */
	assert_string_equal(uppp_secrets_find(&s, "bob", "srv")->secret, "bob-srv");
	/* Exact client beats an exact server with a * client. */
	assert_string_equal(uppp_secrets_find(&s, "bob", "srv2")->secret, "bob-any");
	assert_string_equal(uppp_secrets_find(&s, "alice", NULL)->secret, "anyone");
	assert_string_equal(uppp_secrets_find(&s, "alice", "srv2")->secret, "any-srv2");
	assert_string_equal(uppp_secrets_find(&s, "", NULL)->secret, "anyone");
	assert_null(uppp_secrets_find(&s, NULL, NULL));
	uppp_secrets_free(&s);

	/* Without a "* *" line, an unknown client or a wrong server finds nothing. */
	assert_int_equal(parse(&s, "bob srv pw\n", err, sizeof(err)), 0);
	assert_null(uppp_secrets_find(&s, "alice", NULL));
	assert_null(uppp_secrets_find(&s, "bob", "other"));
	assert_non_null(uppp_secrets_find(&s, "bob", "srv"));
	assert_non_null(uppp_secrets_find(&s, "bob", NULL));
	uppp_secrets_free(&s);
}

static void test_addresses(void **state)
{
	static const char text[] =
		"static * pw 10.0.0.7\n"
		"many * pw 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5\n"
		"none * pw -\n"
		"star * pw *\n"
		"mixed * pw * 192.168.1.255\n"
		"edges * pw 0.0.0.0 255.255.255.255\n";
	struct uppp_secrets s = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&s, text, err, sizeof(err)), 0);
	assert_int_equal(s.n, 6);
	assert_int_equal(s.v[0].n_addrs, 1);
	assert_int_equal(s.v[0].addrs[0], IP(10, 0, 0, 7));
	assert_false(s.v[0].addr_any);
	assert_false(s.v[0].addr_none);
	assert_int_equal(s.v[1].n_addrs, UPPP_SECRET_MAX_ADDRS);
	assert_int_equal(s.v[1].addrs[0], IP(10, 0, 0, 1));
	assert_int_equal(s.v[1].addrs[3], IP(10, 0, 0, 4));
	assert_true(s.v[2].addr_none);
	assert_false(s.v[2].addr_any);
	assert_int_equal(s.v[2].n_addrs, 0);
	assert_true(s.v[3].addr_any);
	assert_int_equal(s.v[3].n_addrs, 0);
	assert_true(s.v[4].addr_any);
	assert_int_equal(s.v[4].n_addrs, 1);
	assert_int_equal(s.v[4].addrs[0], IP(192, 168, 1, 255));
	assert_int_equal(s.v[5].addrs[0], 0);
	assert_int_equal(s.v[5].addrs[1], 0xffffffffu);
	uppp_secrets_free(&s);
}

/* pppd reads `-` as "no address allowed": the server must refuse IPCP, not
 * hand out a pool address; the entry names its file and line for the log. */
static void test_address_decision(void **state)
{
	static const char text[] = "# blocked and static users\n"
				   "static * pw 10.0.0.7 10.0.0.8\n"
				   "blocked * pw -\n"
				   "pool * pw\n"
				   "star * pw *\n";
	struct uppp_secrets s = { 0 };
	char err[256];
	uint32_t addr = 0;

	(void)state;
	assert_int_equal(uppp_secrets_parse(&s, text, strlen(text), "/etc/ppp/chap-secrets", err, sizeof(err)),
			 0);
	assert_int_equal(uppp_secret_address(&s.v[0], &addr), 1);
	assert_int_equal(addr, IP(10, 0, 0, 7));
	addr = 0;
	assert_int_equal(uppp_secret_address(&s.v[1], &addr), -EPERM);
	assert_int_equal(addr, 0);
	assert_string_equal(s.v[1].file, "/etc/ppp/chap-secrets");
	assert_int_equal(s.v[1].line, 3);
	assert_int_equal(uppp_secret_address(&s.v[2], &addr), 0);
	assert_int_equal(uppp_secret_address(&s.v[3], &addr), 0);
	assert_int_equal(uppp_secret_address(NULL, &addr), 0);
	uppp_secrets_free(&s);
}

static void expect_error(const char *text, const char *want)
{
	struct uppp_secrets s = { 0 };
	char err[256];

	assert_int_equal(parse(&s, text, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want)) {
		print_error("input %s: error '%s' does not contain '%s'\n", text, err, want);
		fail();
	}
	assert_int_equal(s.n, 0);
	uppp_secrets_free(&s);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	expect_error("ok * pw\nbob *\n", "chap-secrets:2: expected 'client server secret [addresses]', found only 2 fields");
	expect_error("bob\n", "chap-secrets:1: expected");
	expect_error("# c\n\nbob * pw 10.0.0.256\n", "chap-secrets:3: bad IP address '10.0.0.256'");
	expect_error("bob * pw host.example.com\n", "bad IP address 'host.example.com'");
	expect_error("bob * pw 10.0.0\n", "bad IP address");
	expect_error("bob * pw 10.0.0.1.2\n", "bad IP address");
	expect_error("bob * pw 010.0.0.1\n", "bad IP address");      /* octal or decimal? refuse */
	expect_error("bob * pw 10.0.0.0/24\n", "bad IP address");
	expect_error("bob * pw 10..0.1\n", "bad IP address");
	expect_error("bob * pw !10.0.0.1\n", "bad IP address");
	expect_error("bob * pw - 10.0.0.1\n", "'-' (no address) must be the only address");
	expect_error("bob * pw 10.0.0.1 -\n", "must be the only address");
	expect_error("bob * \"pw\n", "chap-secrets:1: unterminated double quote");
	expect_error("bob * 'pw\nnext * x\n", "chap-secrets:1: unterminated single quote");
	expect_error("bob * pw\\\n", "backslash at end of line");
	expect_error("bob * \"\\x\"\n", "\\x without hex digits");
	expect_error("bob * \"\\0\"\n", "NUL byte");
	expect_error("bob * \"\\777\"\n", "octal escape");
	expect_error("bob * pw 10.0.0.1\x01\n", "bad IP address '10.0.0.1\\x01'");  /* escaped in the message */

	/* NUL in the text itself. */
	struct uppp_secrets s = { 0 };
	char err[256];
	static const char nul[] = "bob * p\0w\n";
	assert_int_equal(uppp_secrets_parse(&s, nul, sizeof(nul) - 1, "f", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "f:1: NUL byte in the file");
	/* A NULL err buffer is allowed. */
	assert_int_equal(uppp_secrets_parse(&s, "x\n", 2, "f", NULL, 0), -EINVAL);
	/* err is truncated, never overflowed. */
	char small[8];
	memset(small, 'Z', sizeof(small));
	assert_int_equal(uppp_secrets_parse(&s, "x\n", 2, "chap-secrets", small, 6), -EINVAL);
	assert_int_equal(strlen(small), 5);
	assert_int_equal(small[7], 'Z');
	uppp_secrets_free(&s);
}

static void test_append_and_rollback(void **state)
{
	struct uppp_secrets s = { 0 };
	char err[256];
	char big[4096];
	size_t o = 0;

	(void)state;
	assert_int_equal(parse(&s, "a * 1\nb * 2\n", err, sizeof(err)), 0);
	assert_int_equal(uppp_secrets_parse(&s, "c * 3\n", 6, "pap-secrets", err, sizeof(err)), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(uppp_secrets_find(&s, "c", NULL)->secret, "3");
	/* A failing parse leaves what was there. */
	assert_int_equal(uppp_secrets_parse(&s, "d * 4\ne *\n", 10, "pap-secrets", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "pap-secrets:2: expected 'client server secret [addresses]', found only 2 fields");
	assert_int_equal(s.n, 3);
	assert_null(uppp_secrets_find(&s, "d", NULL));
	assert_string_equal(uppp_secrets_find(&s, "a", NULL)->secret, "1");
	/* Many entries (array growth). */
	for (int i = 0; i < 200; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "user%d * pw%d\n", i, i);
	assert_int_equal(uppp_secrets_parse(&s, big, o, "big", err, sizeof(err)), 0);
	assert_int_equal(s.n, 203);
	assert_string_equal(uppp_secrets_find(&s, "user199", NULL)->secret, "pw199");
	assert_int_equal(uppp_secrets_find(&s, "user199", NULL)->line, 200);
	uppp_secrets_free(&s);
	/* Empty input is fine. */
	assert_int_equal(uppp_secrets_parse(&s, "", 0, "empty", err, sizeof(err)), 0);
	assert_int_equal(s.n, 0);
	uppp_secrets_free(&s);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/uppp-test-secrets-XXXXXX";
	struct uppp_secrets s = { 0 };
	char err[512];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "# test\nrp-pppoe * rp-pppoe *\nbob * \"b pw\" 10.0.0.7\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	assert_int_equal(uppp_secrets_load(&s, path, err, sizeof(err)), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(uppp_secrets_find(&s, "bob", NULL)->secret, "b pw");
	assert_int_equal(uppp_secrets_find(&s, "bob", NULL)->addrs[0], IP(10, 0, 0, 7));
	uppp_secrets_free(&s);

	/* A malformed file: the error names the file and line. */
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("ok * pw\n\nbad * pw 1.2.3\n", fp);
	fclose(fp);
	assert_int_equal(uppp_secrets_load(&s, path, err, sizeof(err)), -EINVAL);
	char want[600];
	snprintf(want, sizeof(want), "%s:3: bad IP address '1.2.3'", path);
	assert_non_null(strstr(err, want));
	assert_int_equal(s.n, 0);
	unlink(path);

	/* Missing file. */
	assert_int_equal(uppp_secrets_load(&s, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	/* A directory is not a secrets file. */
	assert_int_equal(uppp_secrets_load(&s, "/tmp", err, sizeof(err)), -EINVAL);
	uppp_secrets_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rp_pppoe_example),
		cmocka_unit_test(test_comments_blank_lines_crlf),
		cmocka_unit_test(test_quotes_and_escapes),
		cmocka_unit_test(test_wildcard_precedence),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_address_decision),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_append_and_rollback),
		cmocka_unit_test(test_load_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
