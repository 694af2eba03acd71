/* test/mem/ac_host.h — pieces of a fake access-concentrator host shared by
 * raw_peer.h and test_two_stack.c: the virtual clock driving the AC's
 * timers and the chap-secrets lookup. Header-only (static inline). */
#ifndef UPPP_TEST_AC_HOST_H
#define UPPP_TEST_AC_HOST_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "proto/ac.h"

/* Runs the AC's timers on a virtual clock up to `until`, earliest deadline
 * first, each at its own time (*now moves to it), then sets *now to until.
 * What the host's one AC timer does in runtime/server.c. */
static inline void ac_run_until(struct uppp_ac *ac, uint64_t *now, uint64_t until)
{
	for (unsigned guard = 0;; guard++) {
		uint64_t d = uppp_ac_next_deadline(ac);
		if (d > until)
			break;
		assert_true(guard < 100000);  /* a timer that re-arms in the past for ever */
		if (d > *now)
			*now = d;
		uppp_ac_run_timers(ac, *now);
	}
	if (until > *now)
		*now = until;
}

struct ac_secret {
	const char *user, *secret;
};

/* ops->get_secret over a table of n user/secret pairs. */
static inline int ac_secret_lookup(const struct ac_secret *table, size_t n, const char *peer, uint8_t *secret,
				   size_t cap, size_t *len)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(table[i].user, peer) == 0) {
			size_t sl = strlen(table[i].secret);
			if (sl > cap)
				return -ENOSPC;
			memcpy(secret, table[i].secret, sl);
			*len = sl;
			return 0;
		}
	}
	return -ENOENT;
}

#endif
