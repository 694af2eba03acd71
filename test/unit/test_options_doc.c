/* test/unit/test_options_doc.c — docs/migrating-from-rp-pppoe.md cannot drift
 * from the parser: its two tables are generated from uppp_pppoe_server_flags[]
 * and uppp_pppd_options[] (config/options_table.c) and compared here.
 * UPPP_REGEN_DOC=1 rewrites them in the doc instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/options.h"

static const char doc_rel[] = "docs/migrating-from-rp-pppoe.md";

static char *doc_path(void)
{
	/* __FILE__ is .../test/unit/test_options_doc.c (CMake passes absolute paths) */
	static char path[4096];
	const char *f = __FILE__;
	const char *cut = strstr(f, "test/unit/test_options_doc.c");
	snprintf(path, sizeof(path), "%.*s%s", cut ? (int)(cut - f) : 0, f, doc_rel);
	return path;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, 4096, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void append(char **out, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*out = realloc(*out, *cap);
		assert_non_null(*out);
	}
	memcpy(*out + *len, s, n + 1);
	*len += n;
}

static char *table(const struct uppp_opt_info *t, size_t n, const char *head)
{
	char *out = NULL, line[1024];
	size_t len = 0, cap = 0;
	snprintf(line, sizeof(line), "| %s | uppp | what uppp does |\n|---|---|---|\n", head);
	append(&out, &len, &cap, line);
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "| `%s%s` | %s | %s |\n", t[i].name, t[i].has_arg ? " X" : "",
			 uppp_opt_status_name(t[i].status), t[i].note);
		append(&out, &len, &cap, line);
	}
	return out;
}

/* The text between "<!-- BEGIN GENERATED: name -->\n" and "<!-- END GENERATED: name -->". */
static int section(const char *doc, const char *name, size_t *start, size_t *end)
{
	char b[128], e[128];
	snprintf(b, sizeof(b), "<!-- BEGIN GENERATED: %s -->\n", name);
	snprintf(e, sizeof(e), "<!-- END GENERATED: %s -->", name);
	const char *pb = strstr(doc, b);
	const char *pe = pb ? strstr(pb, e) : NULL;
	if (!pb || !pe)
		return -1;
	*start = (size_t)(pb - doc) + strlen(b);
	*end = (size_t)(pe - doc);
	return 0;
}

static void check_or_regen(const char *name, char *want)
{
	size_t len = 0, s, e;
	char *doc = slurp(doc_path(), &len);
	if (!doc)
		fail_msg("cannot read %s", doc_path());
	if (section(doc, name, &s, &e) < 0)
		fail_msg("%s has no '<!-- BEGIN GENERATED: %s -->' ... '<!-- END GENERATED: %s -->' section", doc_rel, name,
			 name);
	bool same = e - s == strlen(want) && memcmp(doc + s, want, e - s) == 0;
	if (!same && getenv("UPPP_REGEN_DOC")) {
		FILE *f = fopen(doc_path(), "wb");
		assert_non_null(f);
		fwrite(doc, 1, s, f);
		fputs(want, f);
		fputs(doc + e, f);
		fclose(f);
		print_message("rewrote the '%s' table in %s\n", name, doc_rel);
		same = true;
	}
	if (!same)
		print_message("the '%s' table in %s differs from config/options_table.c; expected:\n%s\n"
			      "(run this test with UPPP_REGEN_DOC=1 to rewrite it)\n", name, doc_rel, want);
	free(doc);
	free(want);
	assert_true(same);
}

static void test_flags_table(void **state)
{
	(void)state;
	check_or_regen("pppoe-server flags",
		       table(uppp_pppoe_server_flags, uppp_pppoe_server_flags_count, "pppoe-server flag"));
}

static void test_options_table(void **state)
{
	(void)state;
	check_or_regen("pppd options", table(uppp_pppd_options, uppp_pppd_options_count, "pppd option"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_table),
		cmocka_unit_test(test_options_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
