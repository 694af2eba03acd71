/* test/unit/test_deadline_heap.c — core/deadline_heap.h, the one min-heap of
 * deadlines under the concentrator's session timers and the event loop's
 * timers: order, ties in the order set, moves, removal, a full heap, and a
 * pass over the due entries that neither repeats nor skips one. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/deadline_heap.h"

#define N 64

static struct uppp_dheap h;
static struct uppp_dheap_entry *slots[N];
static struct uppp_dheap_entry e[N];

static int setup(void **state)
{
	(void)state;
	uppp_dheap_init(&h, slots, N);
	for (int i = 0; i < N; i++)
		uppp_dheap_entry_init(&e[i]);
	return 0;
}

static int idx(const struct uppp_dheap_entry *x) { return (int)(x - e); }

static void test_order_and_ties(void **state)
{
	(void)state;
	/* deadlines 7*i mod 61 (all distinct), plus e[60..63] all at 100 */
	for (int i = 0; i < 60; i++)
		assert_int_equal(uppp_dheap_set(&h, &e[i], (uint64_t)(7 * i % 61) + 1, 0), 0);
	for (int i = 60; i < N; i++)
		assert_int_equal(uppp_dheap_set(&h, &e[i], 100, 0), 0);
	assert_int_equal(h.n, N);
	uint64_t last = 0;
	for (int k = 0; k < 60; k++) {
		struct uppp_dheap_entry *x = uppp_dheap_pop_due(&h, 99, uppp_dheap_pass(&h));
		assert_non_null(x);
		assert_true(x->deadline > last);
		last = x->deadline;
		assert_false(uppp_dheap_contains(x));
	}
	assert_null(uppp_dheap_pop_due(&h, 99, uppp_dheap_pass(&h)));   /* 100 not due at 99 */
	for (int i = 60; i < N; i++)   /* equal deadlines: in the order set */
		assert_int_equal(idx(uppp_dheap_pop_due(&h, 100, uppp_dheap_pass(&h))), i);
	assert_int_equal(uppp_dheap_next(&h), UPPP_DHEAP_NONE);
}

static void test_move_remove_full(void **state)
{
	(void)state;
	for (int i = 0; i < N; i++)
		assert_int_equal(uppp_dheap_set(&h, &e[i], 1000 + (uint64_t)i, 0), 0);
	struct uppp_dheap_entry extra;
	uppp_dheap_entry_init(&extra);
	assert_int_equal(uppp_dheap_set(&h, &extra, 5, 0), -ENOSPC);   /* full: nothing changed */
	assert_false(uppp_dheap_contains(&extra));
	assert_int_equal(uppp_dheap_next(&h), 1000);
	assert_int_equal(uppp_dheap_set(&h, &e[40], 10, 0), 0);         /* moved earlier: in already */
	assert_int_equal(uppp_dheap_next(&h), 10);
	assert_int_equal(uppp_dheap_set(&h, &e[40], 5000, 0), 0);       /* and later */
	assert_int_equal(uppp_dheap_next(&h), 1000);
	uppp_dheap_remove(&h, &e[0]);
	uppp_dheap_remove(&h, &e[0]);                                    /* twice: no-op */
	assert_int_equal(h.n, N - 1);
	assert_int_equal(e[0].deadline, 1000);                           /* stays readable */
	assert_int_equal(uppp_dheap_next(&h), 1001);
	assert_int_equal(uppp_dheap_set(&h, &e[1], UPPP_DHEAP_NONE, 0), 0);   /* NONE takes it out */
	assert_false(uppp_dheap_contains(&e[1]));
	assert_int_equal(uppp_dheap_next(&h), 1002);
	for (size_t i = 0; i < h.n; i++)   /* every entry knows its slot */
		assert_int_equal(h.v[i]->index, i);
}

/* A past deadline counts as now; an entry set again during a pass waits for
 * the next pass even when it is due. */
static void test_pass(void **state)
{
	(void)state;
	assert_int_equal(uppp_dheap_set(&h, &e[0], 3, 50), 0);
	assert_int_equal(e[0].deadline, 50);
	assert_int_equal(uppp_dheap_set(&h, &e[1], 50, 50), 0);
	uint64_t pass = uppp_dheap_pass(&h);
	struct uppp_dheap_entry *x = uppp_dheap_pop_due(&h, 50, pass);
	assert_ptr_equal(x, &e[0]);
	assert_int_equal(uppp_dheap_set(&h, &e[0], 10, 50), 0);          /* re-armed into the past */
	assert_ptr_equal(uppp_dheap_pop_due(&h, 50, pass), &e[1]);      /* older one first */
	assert_null(uppp_dheap_pop_due(&h, 50, pass));                  /* e[0] waits for a new pass */
	assert_ptr_equal(uppp_dheap_pop_due(&h, 50, uppp_dheap_pass(&h)), &e[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order_and_ties, setup),
		cmocka_unit_test_setup(test_move_remove_full, setup),
		cmocka_unit_test_setup(test_pass, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
