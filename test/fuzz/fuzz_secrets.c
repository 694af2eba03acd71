/* fuzz_secrets.c — the chap-secrets / pap-secrets parser.
 *
 * Input: the file's text. Oracles: a refused text leaves the table as it
 * was and explains itself as "FILE:LINE: reason"; an accepted text parses
 * the same way a second time (appending as many entries again); every entry
 * has its three fields; lookups only return entries of the table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/secrets.h"
#include "fuzz_common.h"

static void check_found(const struct uppp_secrets *s, const struct uppp_secret *e)
{
	if (e)
		FUZZ_CHECK(e >= s->v && e < s->v + s->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uppp_secrets s = { 0 };
	char err[256];
	char *text = malloc(size ? size : 1);   /* not NUL-terminated on purpose */
	int r;

	FUZZ_CHECK(text != NULL);
	memcpy(text, data, size);
	err[0] = 'x';
	r = uppp_secrets_parse(&s, text, size, "fuzz", err, sizeof(err));
	if (r == -EINVAL) {
		FUZZ_CHECK(s.n == 0);
		FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL);
		FUZZ_CHECK(strncmp(err, "fuzz:", 5) == 0);
	} else if (r == 0) {
		size_t n = s.n;
		for (size_t i = 0; i < n; i++) {
			const struct uppp_secret *e = &s.v[i];
			FUZZ_CHECK(e->client && e->server && e->secret);
			FUZZ_CHECK(e->n_addrs <= UPPP_SECRET_MAX_ADDRS);
			FUZZ_CHECK(e->line >= 1);
		}
		FUZZ_CHECK(uppp_secrets_parse(&s, text, size, "fuzz", NULL, 0) == 0);
		FUZZ_CHECK(s.n == 2 * n);
		for (size_t i = 0; i < n; i++) {
			FUZZ_CHECK(strcmp(s.v[i].client, s.v[n + i].client) == 0);
			FUZZ_CHECK(strcmp(s.v[i].secret, s.v[n + i].secret) == 0);
		}
		check_found(&s, uppp_secrets_find(&s, "alice", NULL));
		check_found(&s, uppp_secrets_find(&s, "alice", "uppp"));
		check_found(&s, uppp_secrets_find(&s, "", ""));
		if (n)
			check_found(&s, uppp_secrets_find(&s, s.v[0].client, s.v[0].server));
	} else {
		FUZZ_CHECK(r == -ENOMEM);
	}
	uppp_secrets_free(&s);
	FUZZ_CHECK(s.n == 0);
	free(text);
	return 0;
}
