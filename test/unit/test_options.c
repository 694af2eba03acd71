/* test/unit/test_options.c — the pppd options language (config/options.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/options.h"

static int parse(struct uppp_options *o, const char *text)
{
	uppp_options_init(o);
	return uppp_options_parse(o, text, strlen(text), "opts", NULL, NULL);
}

/* The diagnostic containing needle, or NULL. */
static const struct uppp_opt_diag *find_diag(const struct uppp_options *o, const char *needle)
{
	for (size_t i = 0; i < o->n_diags; i++)
		if (strstr(o->diags[i].text, needle))
			return &o->diags[i];
	return NULL;
}

static void dump(const struct uppp_options *o)
{
	for (size_t i = 0; i < o->n_diags; i++)
		print_message("  diag: %s\n", o->diags[i].text);
}

/* The seed's /etc/ppp/pppoe-server-options (docs: facts.md), verbatim. */
static const char seed_options[] =
	"# PPP options for the PPPoE server\n"
	"require-pap\n"
	"require-chap\n"
	"login\n"
	"lcp-echo-interval 10\n"
	"lcp-echo-failure 2\n"
	"logfile /var/log/pppoe.log\n"
	"ms-dns 114.114.114.114\n"
	"defaultroute\n";

static void test_seed_file(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, seed_options), 0);
	assert_int_equal(uppp_options_finish(&o), 0);
	dump(&o);
	assert_int_equal(o.auth_required, UPPP_AUTH_BIT(UPPP_AUTH_PAP) | UPPP_AUTH_BIT(UPPP_AUTH_CHAP_MD5));
	assert_true(o.login);
	assert_string_equal(o.login_where, "opts:4");
	assert_true(o.have_echo_interval);
	assert_int_equal(o.echo_interval_s, 10);
	assert_int_equal(o.echo_failure, 2);
	assert_string_equal(o.logfile, "/var/log/pppoe.log");
	assert_int_equal(o.n_dns, 1);
	assert_int_equal(o.dns[0], 0x72727272u);
	assert_int_equal(o.n_errors, 0);
	assert_int_equal(o.n_warnings, 0);
	/* defaultroute: exactly one notice, naming file:line */
	assert_int_equal(o.n_diags, 1);
	assert_int_equal(o.diags[0].level, UPPP_DIAG_NOTICE);
	assert_non_null(strstr(o.diags[0].text, "opts:9: notice: option 'defaultroute'"));
	uppp_options_free(&o);
}

static void test_every_supported_value(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "lcp-restart 1\nlcp-max-configure 4 lcp-max-terminate 3\n"
				   "lcp-max-failure 7 mru 1400 mtu 1300 ms-dns 10.0.0.53 ms-dns 10.0.0.54\n"
				   "ms-wins 10.0.0.60 ms-wins 10.0.0.61 idle 600\n"
				   "debug name \"my server\" require-mschap-v2\n"), 0);
	dump(&o);
	assert_int_equal(o.n_diags, 0);
	assert_int_equal(o.restart_s, 1);
	assert_int_equal(o.max_configure, 4);
	assert_int_equal(o.max_terminate, 3);
	assert_int_equal(o.max_failure, 7);
	assert_int_equal(o.mru, 1400);
	assert_int_equal(o.mtu, 1300);
	assert_int_equal(o.n_dns, 2);
	assert_int_equal(o.dns[1], 0x0a000036u);
	assert_true(o.have_idle);
	assert_int_equal(o.idle_s, 600);
	assert_int_equal(o.n_wins, 2);
	assert_int_equal(o.wins[0], 0x0a00003cu);
	assert_int_equal(o.wins[1], 0x0a00003du);
	assert_true(o.debug);
	assert_string_equal(o.name, "my server");
	assert_int_equal(o.auth_required, UPPP_AUTH_BIT(UPPP_AUTH_MSCHAPV2));
	uppp_options_free(&o);
}

static void test_unknown_option_is_error_with_line(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "require-chap\n\n  frobnicate 3 4\nlcp-echo-interval 5\n"), -EINVAL);
	dump(&o);
	assert_int_equal(o.n_errors, 1);  /* the rest of line 3 is not reported again */
	const struct uppp_opt_diag *d = find_diag(&o, "opts:3: unknown option 'frobnicate'");
	assert_non_null(d);
	assert_int_equal(d->level, UPPP_DIAG_ERROR);
	/* parsing went on: the next line still applied */
	assert_int_equal(o.echo_interval_s, 5);
	uppp_options_free(&o);
}

static void test_warning_format(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "proxyarp\n"), 0);
	assert_int_equal(o.n_warnings, 1);
	assert_non_null(find_diag(&o, "opts:1: warning: option 'proxyarp' is not supported by uppp and is ignored"));
	uppp_options_free(&o);
}

static void test_unsafe_options_are_errors(void **state)
{
	static const char *const unsafe[] = {
		"require-mppe-128", "require-eap", "papcrypt", "noip", "plugin radius.so", "mppe required",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++) {
		struct uppp_options o;
		char text[64];
		snprintf(text, sizeof(text), "# x\n%s\n", unsafe[i]);
		assert_int_equal(parse(&o, text), -EINVAL);
		assert_int_equal(o.n_errors, 1);
		assert_non_null(find_diag(&o, "opts:2: option '"));
		assert_non_null(find_diag(&o, "cannot be honoured"));
		uppp_options_free(&o);
	}
}

static void test_plugin_pppoe_is_notice(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "plugin /usr/lib/pppd/2.4.9/rp-pppoe.so\nplugin pppoe.so"), 0);
	assert_int_equal(o.n_errors, 0);
	assert_int_equal(o.n_diags, 2);
	assert_int_equal(o.diags[1].level, UPPP_DIAG_NOTICE);
	uppp_options_free(&o);
}

static void test_bad_values(void **state)
{
	static const char *const bad[] = {
		"lcp-echo-interval -1", "lcp-echo-interval 3601", "lcp-echo-failure 0", "lcp-restart x",
		"mru 100", "mtu 99999999999999999999", "ms-dns 1.2.3", "ms-dns 0.0.0.0", "ms-wins 1.2.3", "lcp-max-configure 1e3",
		"name ''",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct uppp_options o;
		assert_int_equal(parse(&o, bad[i]), -EINVAL);
		assert_non_null(find_diag(&o, "opts:1: option '"));
		uppp_options_free(&o);
	}
}

static void test_missing_value(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "require-pap\nms-dns"), -EINVAL);
	assert_non_null(find_diag(&o, "opts:2: option 'ms-dns' needs a value"));
	uppp_options_free(&o);
	/* the value may be on the next line (pppd reads words, not lines) */
	assert_int_equal(parse(&o, "ms-dns\n  8.8.8.8\n"), 0);
	assert_int_equal(o.dns[0], 0x08080808u);
	uppp_options_free(&o);
}

static void test_mru_capped(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "mru 1500\n"), 0);
	assert_int_equal(o.mru, 1492);
	assert_int_equal(o.n_warnings, 1);
	uppp_options_free(&o);
}

static void test_quoting_comments_escapes(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "name 'a b'\"c\"#x\n# require-eap\nlogfile /tmp/x\\sy # c\n"), 0);
	assert_string_equal(o.name, "a bc#x");
	assert_string_equal(o.logfile, "/tmp/x y");
	uppp_options_free(&o);
	assert_int_equal(parse(&o, "name \\x41\\102C\n"), 0);
	assert_string_equal(o.name, "ABC");
	uppp_options_free(&o);
	assert_int_equal(parse(&o, "require-pap\nname \"unterminated\n"), -EINVAL);
	assert_non_null(find_diag(&o, "unterminated \" quote"));
	assert_int_equal(o.auth_required, UPPP_AUTH_BIT(UPPP_AUTH_PAP));
	uppp_options_free(&o);
}

static void test_auth_noauth_last_wins(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "require-chap noauth"), 0);
	assert_true(o.noauth);
	assert_int_equal(o.auth_required, 0);
	uppp_options_free(&o);
	assert_int_equal(parse(&o, "noauth +pap"), 0);
	assert_false(o.noauth);
	assert_int_equal(o.auth_required, UPPP_AUTH_BIT(UPPP_AUTH_PAP));
	uppp_options_free(&o);
}

static void test_mschap_v1(void **state)
{
	struct uppp_options o;
	(void)state;
	/* with another protocol: a warning */
	assert_int_equal(parse(&o, "require-mschap require-mschap-v2"), 0);
	assert_int_equal(uppp_options_finish(&o), 0);
	assert_int_equal(o.n_warnings, 1);
	uppp_options_free(&o);
	/* alone: an error once every file is read */
	assert_int_equal(parse(&o, "require-mschap"), 0);
	assert_int_equal(uppp_options_finish(&o), -EINVAL);
	assert_non_null(find_diag(&o, "MS-CHAP v1 is not implemented and no other"));
	uppp_options_free(&o);
}

static void test_login_without_pap(void **state)
{
	struct uppp_options o;
	(void)state;
	assert_int_equal(parse(&o, "require-chap\nlogin\n"), 0);
	assert_int_equal(uppp_options_finish(&o), 0);
	assert_non_null(find_diag(&o, "opts:2: warning: option 'login' only applies to PAP"));
	uppp_options_free(&o);
}

/* ---- includes through a fake reader ---- */

struct fake_fs {
	const char *names[4];
	const char *texts[4];
	int reads;
};

static int fake_read(void *ctx, const char *path, char **text, size_t *len, char *canon, size_t canon_cap,
		     char *err, size_t errcap)
{
	struct fake_fs *fs = ctx;
	fs->reads++;
	for (int i = 0; i < 4 && fs->names[i]; i++) {
		if (!strcmp(fs->names[i], path)) {
			*text = strdup(fs->texts[i]);
			*len = strlen(fs->texts[i]);
			snprintf(canon, canon_cap, "/canon/%s", path);
			return *text ? 0 : -ENOMEM;
		}
	}
	snprintf(err, errcap, "cannot open '%s': No such file or directory", path);
	return -ENOENT;
}

static void test_include(void **state)
{
	struct fake_fs fs = { { "a", "b" }, { "ms-dns 1.1.1.1\nfile b\n", "\n\nlcp-echo-interval 7 bogus" }, 0 };
	struct uppp_options_io io = { fake_read, &fs };
	struct uppp_options o;
	(void)state;
	uppp_options_init(&o);
	const char *top = "file a\nrequire-pap\nfile missing\n";
	assert_int_equal(uppp_options_parse(&o, top, strlen(top), "top", "/canon/top", &io), -EINVAL);
	dump(&o);
	assert_int_equal(o.dns[0], 0x01010101u);
	assert_int_equal(o.echo_interval_s, 7);
	assert_non_null(find_diag(&o, "b:3: unknown option 'bogus'"));   /* the included file's own name and line */
	assert_non_null(find_diag(&o, "top:3: option 'file missing': cannot open 'missing'"));
	assert_int_equal(o.auth_required, UPPP_AUTH_BIT(UPPP_AUTH_PAP));
	uppp_options_free(&o);
}

static void test_include_cycle_and_depth(void **state)
{
	struct fake_fs fs = { { "a", "b" }, { "file b\n", "debug\nfile a\n" }, 0 };
	struct uppp_options_io io = { fake_read, &fs };
	struct uppp_options o;
	(void)state;
	uppp_options_init(&o);
	const char *top = "file a\n";
	assert_int_equal(uppp_options_parse(&o, top, strlen(top), "top", "/canon/top", &io), -EINVAL);
	assert_non_null(find_diag(&o, "b:2: option 'file a': '/canon/a' is already being read (include loop)"));
	assert_true(o.debug);
	assert_true(fs.reads <= 3);
	uppp_options_free(&o);

	/* a file including itself under another name is caught by its canonical path */
	struct fake_fs self = { { "s" }, { "file s\n" }, 0 };
	io.ctx = &self;
	uppp_options_init(&o);
	const char *t2 = "file s";
	assert_int_equal(uppp_options_parse(&o, t2, strlen(t2), "s", "/canon/s", &io), -EINVAL);
	assert_non_null(find_diag(&o, "include loop"));
	uppp_options_free(&o);

	/* no reader: includes are an error, not a silent skip */
	uppp_options_init(&o);
	assert_int_equal(uppp_options_parse(&o, "file x", 6, "t", NULL, NULL), -EINVAL);
	assert_non_null(find_diag(&o, "t:1: option 'file x': includes cannot be read here"));
	uppp_options_free(&o);
}

static int deep_read(void *ctx, const char *path, char **text, size_t *len, char *canon, size_t canon_cap,
		     char *err, size_t errcap)
{
	(void)ctx;
	(void)err;
	(void)errcap;
	/* d0 includes d1 includes d2 ...: never a cycle, only depth */
	int n = atoi(path + 1);
	char buf[32];
	snprintf(buf, sizeof(buf), "file d%d\n", n + 1);
	*text = strdup(buf);
	*len = strlen(buf);
	snprintf(canon, canon_cap, "%s", path);
	return 0;
}

static void test_include_depth_limit(void **state)
{
	struct uppp_options_io io = { deep_read, NULL };
	struct uppp_options o;
	(void)state;
	uppp_options_init(&o);
	assert_int_equal(uppp_options_parse(&o, "file d1", 7, "d0", NULL, &io), -EINVAL);
	assert_non_null(find_diag(&o, "nested more than 8 deep"));
	assert_int_equal(o.n_errors, 1);
	uppp_options_free(&o);
}

/* What must hold for any text, however hostile: the verdict agrees with the
 * error count, and every diagnostic names the file and is printable ASCII
 * (words from the file are quoted escaped: a CR, an ESC or a byte >= 0x80
 * must not reach a terminal or a log). */
static void check_parse_invariants(const struct uppp_options *o, int rc)
{
	assert_true(rc == 0 || rc == -EINVAL);
	assert_int_equal(rc == -EINVAL, o->n_errors > 0);
	assert_false(o->oom);
	assert_true(o->n_warnings + o->n_errors <= o->n_diags);
	for (size_t i = 0; i < o->n_diags; i++) {
		const char *t = o->diags[i].text;

		if (strncmp(t, "g:", 2) != 0)
			fail_msg("diagnostic does not name the file: %s", t);
		for (const char *c = t; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
				fail_msg("diagnostic %zu has byte 0x%02x at %zu", i, (unsigned char)*c, (size_t)(c - t));
	}
}

/* Hostile text: random bytes and truncations never crash, always end, and
 * keep check_parse_invariants() (fuzz_options digs deeper; this runs in
 * every unit and valgrind pass). */
static void test_garbage(void **state)
{
	uint32_t x = 12345;
	char buf[512];
	(void)state;
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(x % sizeof(buf));
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			static const char alphabet[] = "ab \n\t#\"'\\x0ms-dn1.2require-pap";
			buf[i] = (round & 1) ? (char)(x >> 16) : alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		struct uppp_options o;
		uppp_options_init(&o);
		check_parse_invariants(&o, uppp_options_parse(&o, buf, n, "g", NULL, NULL));
		/* finish() adds its own errors: its verdict agrees with the total. */
		assert_int_equal(uppp_options_finish(&o) == -EINVAL, o.n_errors > 0);
		uppp_options_free(&o);
	}
	for (size_t cut = 0; cut <= strlen(seed_options); cut++) {
		struct uppp_options o;
		uppp_options_init(&o);
		check_parse_invariants(&o, uppp_options_parse(&o, seed_options, cut, "g", NULL, NULL));
		uppp_options_free(&o);
	}
}

static void test_tables_consistent(void **state)
{
	(void)state;
	for (size_t i = 0; i < uppp_pppd_options_count; i++) {
		const struct uppp_opt_info *oi = &uppp_pppd_options[i];
		assert_non_null(oi->note);
		assert_true(strlen(oi->note) > 5);
		/* no duplicates: find returns this entry */
		assert_ptr_equal(uppp_pppd_option_find(oi->name), oi);
	}
	for (size_t i = 0; i < uppp_pppoe_server_flags_count; i++) {
		const struct uppp_opt_info *f = &uppp_pppoe_server_flags[i];
		assert_int_equal(strlen(f->name), 2);
		assert_ptr_equal(uppp_pppoe_server_flag_find(f->name[1]), f);
	}
	assert_null(uppp_pppd_option_find("frobnicate"));
	assert_null(uppp_pppoe_server_flag_find('z'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_file),
		cmocka_unit_test(test_every_supported_value),
		cmocka_unit_test(test_unknown_option_is_error_with_line),
		cmocka_unit_test(test_warning_format),
		cmocka_unit_test(test_unsafe_options_are_errors),
		cmocka_unit_test(test_plugin_pppoe_is_notice),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_mru_capped),
		cmocka_unit_test(test_quoting_comments_escapes),
		cmocka_unit_test(test_auth_noauth_last_wins),
		cmocka_unit_test(test_mschap_v1),
		cmocka_unit_test(test_login_without_pap),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_include_cycle_and_depth),
		cmocka_unit_test(test_include_depth_limit),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_tables_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
