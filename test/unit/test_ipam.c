/* test_ipam.c — address pool: ranges refused, lowest-free allocation,
 * static reservations inside and outside the pool, release. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipam/ipam.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void test_rp_pppoe_default_pool(void **state)
{
	(void)state;
	struct uppp_ipam p;
	char err[256];
	uint32_t a;

	/* pppoe-server -L 10.0.0.1 -R 10.0.0.2 -N 20 */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 20, 0xffffff00, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(uppp_ipam_capacity(&p), 20);
	assert_int_equal(uppp_ipam_in_use(&p), 0);
	for (unsigned i = 0; i < 20; i++) {
		assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
		assert_int_equal(a, IP(10, 0, 0, 2 + i));
		assert_int_equal(uppp_ipam_in_use(&p), i + 1);
	}
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	assert_int_equal(uppp_ipam_in_use(&p), 20);

	/* Released addresses come back lowest first. */
	uppp_ipam_release(&p, IP(10, 0, 0, 9));
	uppp_ipam_release(&p, IP(10, 0, 0, 4));
	assert_int_equal(uppp_ipam_in_use(&p), 18);
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 4));
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 9));
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	uppp_ipam_destroy(&p);
}

static void test_refused_ranges(void **state)
{
	(void)state;
	struct uppp_ipam p;
	char err[256];

	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 0, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "empty"));
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 65536, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too large"));
	/* The network address of the /24. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 1, 1), IP(10, 0, 0, 0), 5, 0xffffff00, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "10.0.0.0"));
	assert_non_null(strstr(err, "network"));
	/* .250 + 6 reaches .255, the broadcast address. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 250), 6, 0xffffff00, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "10.0.0.255"));
	assert_non_null(strstr(err, "broadcast"));
	/* .250 + 5 ends at .254: fine. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 250), 5, 0xffffff00, err, sizeof(err)), 0);
	uppp_ipam_destroy(&p);
	/* Mask 0 means the default /24. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 250), 6, 0, err, sizeof(err)), -EINVAL);
	/* With a /16 the same range crosses no boundary... */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 250), 20, 0xffff0000, err, sizeof(err)),
			 0);
	assert_int_equal(uppp_ipam_capacity(&p), 20);
	uppp_ipam_destroy(&p);
	/* ...and a /16 range from .0.1 reaching .255.255 does. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 100), IP(10, 0, 0, 1), 65535, 0xffff0000, err,
					 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "10.0.255.255"));
	/* Wraps past 255.255.255.255 (checked before anything else). */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(255, 255, 255, 250), 10, 0xffffffff, err,
					 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "255.255.255.255"));
	/* Non-contiguous mask. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 5, 0xff00ff00, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "contiguous"));
	/* Loopback and multicast are never peer addresses. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(127, 0, 0, 2), 5, 0, err, sizeof(err)), -EINVAL);
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(224, 0, 0, 2), 5, 0, err, sizeof(err)), -EINVAL);
	/* No local address. */
	assert_int_equal(uppp_ipam_init(&p, 0, IP(10, 0, 0, 2), 5, 0, err, sizeof(err)), -EINVAL);
	/* A pool that is only the local address. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 2), IP(10, 0, 0, 2), 1, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "only the local"));
	/* Failed init leaves a pool that is safe to use and destroy. */
	uint32_t a;
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	uppp_ipam_release(&p, IP(10, 0, 0, 3));
	uppp_ipam_destroy(&p);
	uppp_ipam_destroy(&p);
	/* NULL error buffer is allowed. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 0, 0, NULL, 0), -EINVAL);
}

static void test_slash31_mask_disables_net_checks(void **state)
{
	(void)state;
	struct uppp_ipam p;
	uint32_t a;
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 1, 0), 2, 0xffffffff, NULL, 0), 0);
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(a, IP(10, 0, 1, 0));
	uppp_ipam_destroy(&p);
}

static void test_local_inside_range_is_skipped(void **state)
{
	(void)state;
	struct uppp_ipam p;
	uint32_t a, got[4];
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 3), IP(10, 0, 0, 2), 5, 0, NULL, 0), 0);
	assert_int_equal(uppp_ipam_capacity(&p), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(uppp_ipam_alloc(&p, &got[i]), 0);
	assert_int_equal(got[0], IP(10, 0, 0, 2));
	assert_int_equal(got[1], IP(10, 0, 0, 4));
	assert_int_equal(got[2], IP(10, 0, 0, 5));
	assert_int_equal(got[3], IP(10, 0, 0, 6));
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	/* Releasing the local address must not make it leasable. */
	uppp_ipam_release(&p, IP(10, 0, 0, 3));
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	assert_int_equal(uppp_ipam_in_use(&p), 4);
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 3)), -EINVAL);
	assert_int_equal(uppp_ipam_is_leased(&p, IP(10, 0, 0, 3)), 0);
	uppp_ipam_destroy(&p);
}

static void test_reserve_inside_pool(void **state)
{
	(void)state;
	struct uppp_ipam p;
	uint32_t a;
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 4, 0, NULL, 0), 0);
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 2)), 0);
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 2)), -EADDRINUSE);
	assert_int_equal(uppp_ipam_in_use(&p), 1);
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 3));  /* .2 is taken by the static lease */
	/* An allocated address cannot be reserved. */
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 3)), -EADDRINUSE);
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 5)), 0);
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 4));
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	assert_int_equal(uppp_ipam_in_use(&p), 4);
	uppp_ipam_release(&p, IP(10, 0, 0, 2));
	assert_int_equal(uppp_ipam_is_leased(&p, IP(10, 0, 0, 2)), 0);
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 2)), 0);
	assert_int_equal(uppp_ipam_is_leased(&p, IP(10, 0, 0, 2)), 1);
	uppp_ipam_destroy(&p);
}

static void test_reserve_outside_pool(void **state)
{
	(void)state;
	struct uppp_ipam p;
	uint32_t a;
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 2, 0, NULL, 0), 0);
	/* Several, out of order, to exercise the sorted list and its growth. */
	for (unsigned i = 0; i < 40; i++) {
		uint32_t s = IP(192, 168, 1, 200 - i * 3);
		assert_int_equal(uppp_ipam_reserve(&p, s), 0);
	}
	assert_int_equal(uppp_ipam_statics_in_use(&p), 40);
	for (unsigned i = 0; i < 40; i++) {
		uint32_t s = IP(192, 168, 1, 200 - i * 3);
		assert_int_equal(uppp_ipam_reserve(&p, s), -EADDRINUSE);
		assert_int_equal(uppp_ipam_is_leased(&p, s), 1);
	}
	assert_int_equal(uppp_ipam_is_leased(&p, IP(192, 168, 1, 199)), 0);
	/* Outside reservations do not consume the pool. */
	assert_int_equal(uppp_ipam_in_use(&p), 0);
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	/* Release one in the middle; it can be reserved again, others stay. */
	uppp_ipam_release(&p, IP(192, 168, 1, 200 - 7 * 3));
	assert_int_equal(uppp_ipam_statics_in_use(&p), 39);
	assert_int_equal(uppp_ipam_reserve(&p, IP(192, 168, 1, 200 - 8 * 3)), -EADDRINUSE);
	assert_int_equal(uppp_ipam_reserve(&p, IP(192, 168, 1, 200 - 7 * 3)), 0);
	/* Releasing unknown addresses is a no-op. */
	uppp_ipam_release(&p, IP(172, 16, 0, 1));
	uppp_ipam_release(&p, IP(192, 168, 1, 199));
	assert_int_equal(uppp_ipam_statics_in_use(&p), 40);
	uppp_ipam_destroy(&p);
}

static void test_reserve_refuses_special(void **state)
{
	(void)state;
	struct uppp_ipam p;
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 20, 0, NULL, 0), 0);
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 1)), -EINVAL);    /* local */
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 0)), -EINVAL);    /* network */
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 0, 0, 255)), -EINVAL);  /* broadcast */
	assert_int_equal(uppp_ipam_reserve(&p, IP(10, 9, 8, 0)), -EINVAL);    /* another network */
	assert_int_equal(uppp_ipam_reserve(&p, 0), -EINVAL);
	assert_int_equal(uppp_ipam_reserve(&p, 0xffffffff), -EINVAL);
	assert_int_equal(uppp_ipam_reserve(&p, IP(127, 0, 0, 1)), -EINVAL);
	assert_int_equal(uppp_ipam_reserve(&p, IP(239, 1, 1, 1)), -EINVAL);
	assert_int_equal(uppp_ipam_in_use(&p), 0);
	assert_int_equal(uppp_ipam_statics_in_use(&p), 0);
	uppp_ipam_destroy(&p);
}

static void test_release_unknown_and_double(void **state)
{
	(void)state;
	struct uppp_ipam p;
	uint32_t a, b;
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 3, 0, NULL, 0), 0);
	uppp_ipam_release(&p, IP(10, 0, 0, 3));  /* never leased */
	assert_int_equal(uppp_ipam_in_use(&p), 0);
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	uppp_ipam_release(&p, a);
	uppp_ipam_release(&p, a);  /* double release */
	assert_int_equal(uppp_ipam_in_use(&p), 0);
	assert_int_equal(uppp_ipam_alloc(&p, &b), 0);
	assert_int_equal(b, a);
	uppp_ipam_release(&p, 0);
	uppp_ipam_release(&p, 0xffffffff);
	assert_int_equal(uppp_ipam_in_use(&p), 1);
	uppp_ipam_destroy(&p);
}

/* A large pool crossing many bitmap words: every address once, never a
 * network/broadcast/local one, and reuse after scattered releases. */
static void test_large_pool(void **state)
{
	(void)state;
	struct uppp_ipam p;
	uint32_t a, first = IP(10, 1, 0, 1), local = IP(10, 1, 0, 100);
	unsigned n = 65534;  /* 10.1.0.1 .. 10.1.255.254 */
	assert_int_equal(uppp_ipam_init(&p, local, first, n, 0xffff0000, NULL, 0), 0);
	assert_int_equal(uppp_ipam_capacity(&p), n - 1);
	uint32_t prev = 0;
	for (unsigned i = 0; i < n - 1; i++) {
		assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
		assert_true(a > prev);
		assert_true(a != local);
		assert_true((a & 0xffff) != 0 && (a & 0xffff) != 0xffff);
		prev = a;
	}
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	uppp_ipam_release(&p, IP(10, 1, 200, 7));
	uppp_ipam_release(&p, IP(10, 1, 3, 64));
	uppp_ipam_release(&p, IP(10, 1, 0, 63));
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(a, IP(10, 1, 0, 63));
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(a, IP(10, 1, 3, 64));
	assert_int_equal(uppp_ipam_alloc(&p, &a), 0);
	assert_int_equal(a, IP(10, 1, 200, 7));
	assert_int_equal(uppp_ipam_alloc(&p, &a), -ENOSPC);
	assert_int_equal(uppp_ipam_in_use(&p), n - 1);
	uppp_ipam_destroy(&p);
}

/* The server's checking mask: a /24 for a pool inside one (its .0 and .255
 * stay refused, as before), the smallest prefix holding a larger pool. */
static void test_covering_mask(void **state)
{
	(void)state;
	struct uppp_ipam p;
	assert_int_equal(uppp_ipam_covering_mask(IP(10, 0, 0, 2), 20), 0xffffff00);
	assert_int_equal(uppp_ipam_covering_mask(IP(10, 0, 0, 2), 253), 0xffffff00);
	assert_int_equal(uppp_ipam_covering_mask(IP(10, 0, 0, 2), 254), 0xffffff00);  /* to 10.0.0.255 */
	assert_int_equal(uppp_ipam_covering_mask(IP(10, 0, 0, 2), 255), 0xfffffe00);  /* to 10.0.1.0 */
	assert_int_equal(uppp_ipam_covering_mask(IP(10, 0, 0, 2), 60000), 0xffff0000);
	assert_int_equal(uppp_ipam_covering_mask(IP(10, 0, 255, 250), 10), 0xfffe0000); /* 10.0.255/10.1.0 */
	assert_int_equal(uppp_ipam_covering_mask(IP(10, 0, 0, 2), 0), 0xffffff00);
	assert_int_equal(uppp_ipam_covering_mask(IP(127, 255, 255, 255), 2), 0x80000000u); /* never 0 */
	/* A pool inside a /24 that reaches its broadcast address is refused,
	 * as before ... */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 254,
					uppp_ipam_covering_mask(IP(10, 0, 0, 2), 254), NULL, 0), -EINVAL);
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 253,
					uppp_ipam_covering_mask(IP(10, 0, 0, 2), 253), NULL, 0), 0);
	uppp_ipam_destroy(&p);
	/* ... and a 60,000-address pool from 10.0.0.2 is handed out whole. */
	assert_int_equal(uppp_ipam_init(&p, IP(10, 0, 0, 1), IP(10, 0, 0, 2), 60000,
					uppp_ipam_covering_mask(IP(10, 0, 0, 2), 60000), NULL, 0), 0);
	assert_int_equal(uppp_ipam_capacity(&p), 60000);
	uppp_ipam_destroy(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rp_pppoe_default_pool),
		cmocka_unit_test(test_refused_ranges),
		cmocka_unit_test(test_slash31_mask_disables_net_checks),
		cmocka_unit_test(test_local_inside_range_is_skipped),
		cmocka_unit_test(test_reserve_inside_pool),
		cmocka_unit_test(test_reserve_outside_pool),
		cmocka_unit_test(test_reserve_refuses_special),
		cmocka_unit_test(test_release_unknown_and_double),
		cmocka_unit_test(test_large_pool),
		cmocka_unit_test(test_covering_mask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
