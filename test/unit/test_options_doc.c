/* test/unit/test_options_doc.c — the docs cannot drift from the parser: the
 * two tables of docs/migrating-from-rp-pppoe.md and the keyword lists of the
 * man pages (docs/man/uppp-options.5.in: every pppd option;
 * docs/man/uppp.8.in: every pppoe-server flag) are generated from
 * uppp_pppoe_server_flags[] and uppp_pppd_options[] (config/options_table.c)
 * and compared here. UPPP_REGEN_DOC=1 rewrites them in the docs instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/options.h"

static const char md_rel[] = "docs/migrating-from-rp-pppoe.md";
static const char man5_rel[] = "docs/man/uppp-options.5.in";
static const char man8_rel[] = "docs/man/uppp.8.in";

/* How a generated section is marked: its begin line is open, the name,
 * close and a newline; its end is open END, the name and close. */
struct markers {
	const char *open, *close;
};
static const struct markers md_marks = { "<!-- ", " -->" };
static const struct markers roff_marks = { ".\\\" ", "" };

static char *doc_path(const char *rel)
{
	/* __FILE__ is .../test/unit/test_options_doc.c (CMake passes absolute paths) */
	static char path[4096];
	const char *f = __FILE__;
	const char *cut = strstr(f, "test/unit/test_options_doc.c");
	snprintf(path, sizeof(path), "%.*s%s", cut ? (int)(cut - f) : 0, f, rel);
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

/* One roff text line's worth of s: a backslash as \e, every '-' as \- (an
 * option name must copy and paste as ASCII hyphen-minus, not render as a
 * typographic hyphen), any non-ASCII character as \[uXXXX] (the pages are
 * ASCII, whatever the reader's locale), and \& before a leading '.' or '\''
 * (which would start a request). */
static void roff_escape(char **out, size_t *len, size_t *cap, const char *s)
{
	char buf[16];
	if (*s == '.' || *s == '\'')
		append(out, len, cap, "\\&");
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p == '\\') {
			append(out, len, cap, "\\e");
			p++;
		} else if (*p == '-') {
			append(out, len, cap, "\\-");
			p++;
		} else if (*p < 0x80) {
			buf[0] = (char)*p++;
			buf[1] = '\0';
			append(out, len, cap, buf);
		} else {  /* UTF-8: 2, 3 or 4 bytes (the table is valid UTF-8) */
			unsigned cp, more = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
			cp = *p++ & (0x3fu >> more);
			for (unsigned i = 0; i < more && (*p & 0xc0) == 0x80; i++)
				cp = cp << 6 | (*p++ & 0x3fu);
			snprintf(buf, sizeof(buf), "\\[u%04X]", cp);
			append(out, len, cap, buf);
		}
	}
}

/* The man page's list: per entry a tagged paragraph, the keyword in bold
 * (its argument, if any, as an italic "value"), then its status and note. */
static char *roff_list(const struct uppp_opt_info *t, size_t n)
{
	char *out = NULL;
	size_t len = 0, cap = 0;
	append(&out, &len, &cap, "");
	for (size_t i = 0; i < n; i++) {
		append(&out, &len, &cap, ".TP\n\\fB");
		roff_escape(&out, &len, &cap, t[i].name);
		append(&out, &len, &cap, t[i].has_arg ? "\\fR \\fIvalue\\fR\n\\fI" : "\\fR\n\\fI");
		append(&out, &len, &cap, uppp_opt_status_name(t[i].status));
		append(&out, &len, &cap, "\\fR \\(em ");
		roff_escape(&out, &len, &cap, t[i].note);
		append(&out, &len, &cap, "\n");
	}
	return out;
}

/* The text between the begin marker's line and the end marker. */
static int section(const char *doc, const struct markers *m, const char *name, size_t *start, size_t *end)
{
	char b[128], e[128];
	snprintf(b, sizeof(b), "%sBEGIN GENERATED: %s%s\n", m->open, name, m->close);
	snprintf(e, sizeof(e), "%sEND GENERATED: %s%s", m->open, name, m->close);
	const char *pb = strstr(doc, b);
	const char *pe = pb ? strstr(pb, e) : NULL;
	if (!pb || !pe)
		return -1;
	*start = (size_t)(pb - doc) + strlen(b);
	*end = (size_t)(pe - doc);
	return 0;
}

static void check_or_regen(const char *doc_rel, const struct markers *m, const char *name, char *want)
{
	size_t len = 0, s, e;
	char *doc = slurp(doc_path(doc_rel), &len);
	if (!doc)
		fail_msg("cannot read %s", doc_path(doc_rel));
	if (section(doc, m, name, &s, &e) < 0)
		fail_msg("%s has no generated section '%s' (begin and end markers)", doc_rel, name);
	bool same = e - s == strlen(want) && memcmp(doc + s, want, e - s) == 0;
	if (!same && getenv("UPPP_REGEN_DOC")) {
		FILE *f = fopen(doc_path(doc_rel), "wb");
		assert_non_null(f);
		fwrite(doc, 1, s, f);
		fputs(want, f);
		fputs(doc + e, f);
		fclose(f);
		print_message("rewrote the '%s' table in %s\n", name, doc_rel);
		same = true;
	}
	if (!same)
		print_message("the '%s' section of %s differs from config/options_table.c; expected:\n%s\n"
			      "(run this test with UPPP_REGEN_DOC=1 to rewrite it)\n", name, doc_rel, want);
	free(doc);
	free(want);
	assert_true(same);
}

static void test_flags_table(void **state)
{
	(void)state;
	check_or_regen(md_rel, &md_marks, "pppoe-server flags",
		       table(uppp_pppoe_server_flags, uppp_pppoe_server_flags_count, "pppoe-server flag"));
}

static void test_options_table(void **state)
{
	(void)state;
	check_or_regen(md_rel, &md_marks, "pppd options",
		       table(uppp_pppd_options, uppp_pppd_options_count, "pppd option"));
}

/* uppp-options(5) lists every pppd option, uppp(8) every pppoe-server flag. */
static void test_man_options(void **state)
{
	(void)state;
	check_or_regen(man5_rel, &roff_marks, "pppd options",
		       roff_list(uppp_pppd_options, uppp_pppd_options_count));
}

static void test_man_flags(void **state)
{
	(void)state;
	check_or_regen(man8_rel, &roff_marks, "pppoe-server flags",
		       roff_list(uppp_pppoe_server_flags, uppp_pppoe_server_flags_count));
}

/* The escaping the lists rely on: hyphens, backslashes, a leading dot,
 * non-ASCII. */
static void test_roff_escape(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0, cap = 0;
	append(&out, &len, &cap, "");
	roff_escape(&out, &len, &cap, ".a-b\\c \xc2\xa7""7 \xe2\x80\x94");
	assert_string_equal(out, "\\&.a\\-b\\ec \\[u00A7]7 \\[u2014]");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_table),
		cmocka_unit_test(test_options_table),
		cmocka_unit_test(test_man_options),
		cmocka_unit_test(test_man_flags),
		cmocka_unit_test(test_roff_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
