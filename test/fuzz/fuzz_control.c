/* fuzz_control.c — the control socket's request parser
 * (runtime/control_proto.h). Input: one request line, any bytes. Oracles:
 * 0 or -EINVAL, never anything else; -EINVAL with a reason; on 0, 1 to
 * UPPP_CTL_MAX_WORDS words, each with a non-empty NUL-terminated key inside
 * the request's store and a value whose length fits; and every parsed
 * value encodes (uppp_ctl_encode) to a line that parses back to the same
 * bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/control_proto.h"
#include "fuzz_common.h"

static unsigned parsed_clean, refused;
static struct uppp_ctl_request req, again;

static bool in_store(const struct uppp_ctl_request *r, const char *p, size_t len)
{
	return p >= r->store && p + len < r->store + sizeof(r->store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	int r = uppp_ctl_parse((const char *)data, size, &req, err, sizeof(err));

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r < 0) {
		FUZZ_CHECK(err[0] != '\0' && memchr(err, 0, sizeof(err)));
		refused++;
		return 0;
	}
	parsed_clean++;
	FUZZ_CHECK(req.n >= 1 && req.n <= UPPP_CTL_MAX_WORDS);
	for (unsigned i = 0; i < req.n; i++) {
		const struct uppp_ctl_word *w = &req.w[i];
		size_t kl = strlen(w->key);
		FUZZ_CHECK(kl > 0 && in_store(&req, w->key, kl));
		if (!w->val)
			continue;
		FUZZ_CHECK(in_store(&req, w->val, w->val_len) && w->val[w->val_len] == '\0');
		/* the value survives encoding and parsing again */
		static char line[3 * UPPP_CTL_LINE_MAX + 16];
		int n = snprintf(line, sizeof(line), "k=");
		uppp_ctl_encode((const uint8_t *)w->val, w->val_len, line + n, sizeof(line) - (size_t)n);
		size_t len = strlen(line);
		if (len > UPPP_CTL_LINE_MAX)
			continue;
		FUZZ_CHECK(uppp_ctl_parse(line, len, &again, err, sizeof(err)) == 0);
		FUZZ_CHECK(again.n == 1 && again.w[0].val_len == w->val_len &&
			   !memcmp(again.w[0].val, w->val, w->val_len));
	}
	return 0;
}

/* Replay depth check: some seed parses, some is refused. */
int fuzz_replay_check(void)
{
	return parsed_clean && refused ? 0 : -1;
}
