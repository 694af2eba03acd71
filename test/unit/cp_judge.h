/* test/unit/cp_judge.h — feeding one Configure-Request's options to an
 * LCP/IPCP handle_request and checking the verdict and reply (test_lcp,
 * test_ipcp). The including file defines
 *   static enum uppp_cp_verdict judge(const uint8_t *opts, size_t len, bool may_nak);
 * usually as a call to cp_judge() with its FSM. */
#ifndef UPPP_TEST_CP_JUDGE_H
#define UPPP_TEST_CP_JUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "proto/fsm.h"

static uint8_t reply[1600];
static size_t reply_len;

/* The verdict of f on opts; the reply's options land in reply/reply_len. */
static inline enum uppp_cp_verdict cp_judge(struct uppp_fsm *f, const uint8_t *opts, size_t len, bool may_nak)
{
	struct uppp_writer w = uppp_writer(reply, sizeof(reply));
	enum uppp_cp_verdict v = f->cb->handle_request(f, opts, len, &w, may_nak);

	reply_len = w.len;
	return v;
}

/* Judge the options given as bytes (Naks allowed); expect verdict v. */
#define JUDGE(v, ...)                                                   \
	do {                                                            \
		const uint8_t o_[] = { __VA_ARGS__ };                   \
		assert_int_equal(judge(o_, sizeof(o_), true), (v));     \
	} while (0)

/* The last reply's options are exactly these bytes. */
#define REPLY_IS(...)                                                   \
	do {                                                            \
		const uint8_t r_[] = { __VA_ARGS__ };                   \
		assert_int_equal(reply_len, sizeof(r_));                \
		assert_memory_equal(reply, r_, sizeof(r_));             \
	} while (0)

#endif
