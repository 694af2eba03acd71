/* test/mem/ac_host.h — pieces of a fake access-concentrator host shared by
 * raw_peer.h and test_two_stack.c: the per-session timer table and the
 * chap-secrets lookup. Header-only (static inline). */
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

/* One armed per-session timer of the AC (s NULL: slot free). */
struct ac_timer {
	struct uppp_ac_session *s;
	uint64_t at;
};

/* ops->set_timer on a table of n slots: arms, moves or (at ==
 * UPPP_NO_DEADLINE) cancels the timer of session s. Returns 0. */
static inline int ac_timer_set(struct ac_timer *t, int n, struct uppp_ac_session *s, uint64_t at)
{
	int free_slot = -1;

	for (int i = 0; i < n; i++) {
		if (t[i].s == s) {
			if (at == UPPP_NO_DEADLINE)
				t[i].s = NULL;
			else
				t[i].at = at;
			return 0;
		}
		if (!t[i].s && free_slot < 0)
			free_slot = i;
	}
	if (at == UPPP_NO_DEADLINE)
		return 0;
	assert_true(free_slot >= 0);
	t[free_slot].s = s;
	t[free_slot].at = at;
	return 0;
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
