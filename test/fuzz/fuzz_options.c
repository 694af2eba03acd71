/* fuzz_options.c — the pppd options-file parser (config/options.h), with
 * `file` includes served from the input itself.
 *
 * Input: up to four texts separated by NUL bytes. The first is parsed as
 * "options"; `file 1`, `file 2`, `file 3` include the others (any other
 * name cannot be opened), so includes, nesting and include loops are
 * fuzzed too. Reads are capped at 64 per input (each read re-parses a
 * text: without a cap, a text including another many times would make the
 * run exponential — the parser bounds depth, not fan-out; real files are
 * the administrator's own). Oracles: 0 only without error diagnostics,
 * -EINVAL only with one; every diagnostic is a terminated "FILE:LINE: ..."
 * line; finish() agrees with the counts; values stay in their ranges. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/options.h"
#include "fuzz_common.h"

#define N_TEXTS 4
#define MAX_READS 64

static unsigned parsed_clean, included;

struct texts {
	const uint8_t *p[N_TEXTS];
	size_t len[N_TEXTS];
	unsigned reads;
};

static int read_text(void *ctx, const char *path, char **text, size_t *len, char *canon, size_t canon_cap,
		     char *err, size_t errcap)
{
	struct texts *t = ctx;
	int i = (path[0] >= '1' && path[0] <= '3' && path[1] == '\0') ? path[0] - '0' : -1;

	if (i < 0 || !t->p[i]) {
		snprintf(err, errcap, "cannot open '%s': no such file", path);
		return -ENOENT;
	}
	if (++t->reads > MAX_READS) {
		snprintf(err, errcap, "too many files opened");
		return -EMFILE;
	}
	*text = malloc(t->len[i] ? t->len[i] : 1);  /* exact size, not terminated */
	FUZZ_CHECK(*text != NULL);
	memcpy(*text, t->p[i], t->len[i]);
	*len = t->len[i];
	snprintf(canon, canon_cap, "/fuzz/%s", path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct texts t = { { NULL }, { 0 }, 0 };
	struct uppp_options_io io = { read_text, &t };
	struct uppp_options o;
	size_t start = 0;
	int n = 0, r;

	for (size_t i = 0; i <= size && n < N_TEXTS; i++) {
		if (i == size || data[i] == 0) {
			t.p[n] = data + start;
			t.len[n++] = i - start;
			start = i + 1;
		}
	}
	uppp_options_init(&o);
	size_t errors_before = o.n_errors;
	r = uppp_options_parse(&o, (const char *)t.p[0], t.len[0], "options", "/fuzz/options", &io);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
	if (r == 0)
		FUZZ_CHECK(o.n_errors == errors_before);
	if (r == -EINVAL)
		FUZZ_CHECK(o.n_errors > errors_before);
	parsed_clean += r == 0;
	included += t.reads > 0;
	r = uppp_options_finish(&o);
	FUZZ_CHECK(r == (o.oom ? -ENOMEM : o.n_errors ? -EINVAL : 0));
	size_t w = 0, e = 0;
	for (size_t i = 0; i < o.n_diags; i++) {
		const struct uppp_opt_diag *d = &o.diags[i];
		FUZZ_CHECK(memchr(d->text, 0, sizeof(d->text)) != NULL);
		w += d->level == UPPP_DIAG_WARNING;
		e += d->level == UPPP_DIAG_ERROR;
	}
	FUZZ_CHECK(o.oom || (w == o.n_warnings && e == o.n_errors));
	FUZZ_CHECK(o.n_dns <= 2 && o.n_wins <= 2);
	FUZZ_CHECK(o.mtu <= 1492 && o.mru <= 1492);
	FUZZ_CHECK(memchr(o.name, 0, sizeof(o.name)) && memchr(o.logfile, 0, sizeof(o.logfile)));
	uppp_options_free(&o);
	return 0;
}

/* Replay depth check: some seed parses cleanly, some includes a file. */
int fuzz_replay_check(void)
{
	return parsed_clean && included ? 0 : -1;
}
