/* test_ratelimit.c — GCRA buckets and the per-MAC table, virtual clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/ratelimit.h"

/* Takes as many tokens as allowed at time now, up to max. */
static unsigned drain(struct uppp_bucket *b, const struct uppp_rate *r, uint64_t now, unsigned max)
{
	unsigned n = 0;
	while (n < max && uppp_bucket_take(b, r, now))
		n++;
	return n;
}

static void burst_then_rate(void **state)
{
	struct uppp_bucket b = { 0 };
	struct uppp_rate r = uppp_rate_per_s(5, 10);

	(void)state;
	assert_int_equal(drain(&b, &r, 1000, 100), 10);     /* full bucket: the burst */
	assert_false(uppp_bucket_would_allow(&b, &r, 1000));
	assert_int_equal(uppp_bucket_wait_ms(&b, &r, 1000), 200);
	assert_int_equal(drain(&b, &r, 1199, 100), 0);       /* 1 ms short of one token */
	assert_int_equal(drain(&b, &r, 1200, 100), 1);
	assert_int_equal(drain(&b, &r, 2200, 100), 5);       /* one second: five tokens */
	/* A long pause refills to the burst, never beyond. */
	assert_int_equal(drain(&b, &r, 100000, 100), 10);
}

/* Called every millisecond for a minute, a 7/s bucket lets exactly
 * burst + 7 × 60 through: no rounding loss or gain however often it is asked. */
static void no_rounding_drift(void **state)
{
	struct uppp_bucket b = { 0 };
	struct uppp_rate r = uppp_rate_per_s(7, 3);
	unsigned n = 0;

	(void)state;
	for (uint64_t t = 5000; t < 5000 + 60000; t++)
		n += uppp_bucket_take(&b, &r, t);
	/* the burst of 3 at t = 5000, then one token at 5000 + k·1000/7 ms for
	 * k = 1..419 (k = 420 falls on 65000, outside the minute) */
	assert_int_equal(n, 3 + 419);
}

static void slow_rates_per_minute(void **state)
{
	struct uppp_bucket b = { 0 };
	struct uppp_rate r = { 3, 60000, 3 };  /* three per minute */

	(void)state;
	assert_int_equal(drain(&b, &r, 0, 10), 3);
	assert_int_equal(uppp_bucket_wait_ms(&b, &r, 0), 20000);
	assert_int_equal(drain(&b, &r, 19999, 10), 0);
	assert_int_equal(drain(&b, &r, 20000, 10), 1);
}

static void unlimited_and_clamped(void **state)
{
	struct uppp_bucket b = { 0 };
	struct uppp_rate off = { 0, 1000, 1 };
	struct uppp_rate zero_burst = { 1, 0, 0 };       /* period 0 → 1 ms, burst 0 → 1 */
	struct uppp_rate huge = { UINT32_MAX, UINT32_MAX, UINT32_MAX };

	(void)state;
	assert_int_equal(drain(&b, &off, 0, 1000), 1000);
	assert_int_equal(uppp_bucket_wait_ms(&b, &off, 0), 0);
	memset(&b, 0, sizeof(b));
	assert_int_equal(drain(&b, &zero_burst, 10, 100), 1);
	assert_int_equal(drain(&b, &zero_burst, 11, 100), 1);
	memset(&b, 0, sizeof(b));
	/* Clamped, and no overflow at a large clock. */
	assert_int_equal(drain(&b, &huge, UINT64_MAX / 200000, 5), 5);
}

static void time_going_backwards_is_harmless(void **state)
{
	struct uppp_bucket b = { 0 };
	struct uppp_rate r = uppp_rate_per_s(1, 2);

	(void)state;
	assert_int_equal(drain(&b, &r, 10000, 10), 2);
	assert_int_equal(drain(&b, &r, 5000, 10), 0);   /* earlier: still empty, no wrap */
	assert_int_equal(drain(&b, &r, 11000, 10), 1);
}

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 0xb };

static void table_keeps_macs_apart(void **state)
{
	struct uppp_rl_table t;
	struct uppp_rate r = uppp_rate_per_s(1, 3);
	unsigned a = 0, bn = 0;

	(void)state;
	assert_int_equal(uppp_rl_init(&t, 64, 12345), 0);
	for (int i = 0; i < 50; i++)
		a += uppp_rl_take(&t, &r, mac_a, 100);
	assert_int_equal(a, 3);
	assert_false(uppp_rl_would_allow(&t, &r, mac_a, 100));
	assert_int_equal(uppp_rl_wait_ms(&t, &r, mac_a, 100), 1000);
	/* B is untouched by A's flood. */
	assert_true(uppp_rl_would_allow(&t, &r, mac_b, 100));
	assert_int_equal(uppp_rl_wait_ms(&t, &r, mac_b, 100), 0);
	for (int i = 0; i < 50; i++)
		bn += uppp_rl_take(&t, &r, mac_b, 100);
	assert_int_equal(bn, 3);
	assert_true(uppp_rl_take(&t, &r, mac_a, 1100));
	assert_int_equal(t.evictions, 0);
	uppp_rl_destroy(&t);
}

/* A flood of distinct MACs cannot grow the table; the MAC that stays busy
 * keeps its entry (LRU) and so cannot reset its own bucket by flooding. */
static void table_bounded_and_lru(void **state)
{
	struct uppp_rl_table t;
	struct uppp_rate r = { 1, 60000, 2 };  /* no refill within the test */
	uint8_t m[6] = { 2, 0, 0, 0x77, 0, 0 };

	(void)state;
	assert_int_equal(uppp_rl_init(&t, 1, 7), 0);  /* one set of 4 ways */
	assert_true(uppp_rl_take(&t, &r, mac_a, 0));
	assert_true(uppp_rl_take(&t, &r, mac_a, 0));
	assert_false(uppp_rl_take(&t, &r, mac_a, 0));
	for (unsigned i = 1; i <= 1000; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		assert_true(uppp_rl_take(&t, &r, m, 1 + i));
		/* A keeps knocking, so it stays the most recently used but one. */
		assert_false(uppp_rl_take(&t, &r, mac_a, 1 + i));
	}
	assert_true(t.evictions >= 990);
	assert_false(uppp_rl_would_allow(&t, &r, mac_a, 500));
	uppp_rl_destroy(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_then_rate),
		cmocka_unit_test(no_rounding_drift),
		cmocka_unit_test(slow_rates_per_minute),
		cmocka_unit_test(unlimited_and_clamped),
		cmocka_unit_test(time_going_backwards_is_harmless),
		cmocka_unit_test(table_keeps_macs_apart),
		cmocka_unit_test(table_bounded_and_lru),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
