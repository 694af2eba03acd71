/* test_link_max.c — config/engine_config.c uppp_link_max_for: what an Ethernet of a
 * given MTU carries in PPPoE, and pppd's `mru`/`mtu` lowered to it with a
 * warning that names the option. The log goes to a memory stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "runtime/log.h"
#include "config/engine_config.h"

static char logbuf[4096];

static uint16_t run(int eth_mtu, uint16_t *mru, unsigned *mtu)
{
	struct uppp_log log;
	memset(logbuf, 0, sizeof(logbuf));
	FILE *f = fmemopen(logbuf, sizeof(logbuf) - 1, "w");
	assert_non_null(f);
	uppp_log_init(&log, f, UPPP_LOG_DEBUG);
	uint16_t max = uppp_link_max_for(&log.lg, "vx0", eth_mtu, mru, mtu);
	fclose(f);
	return max;
}

static void ethernet_1500_keeps_rfc2516_default(void **state)
{
	(void)state;
	uint16_t mru = 1492;
	unsigned mtu = 1492;
	assert_int_equal(run(1500, &mru, &mtu), 0);
	assert_int_equal(run(9000, &mru, &mtu), 0);
	assert_int_equal(run(0, &mru, &mtu), 0);
	assert_int_equal(mru, 1492);
	assert_int_equal(mtu, 1492);
	assert_string_equal(logbuf, "");
}

static void small_mtu_caps_and_names_the_options(void **state)
{
	(void)state;
	uint16_t mru = 1492;
	unsigned mtu = 1480;
	assert_int_equal(run(1400, &mru, &mtu), 1392);
	assert_int_equal(mru, 1392);
	assert_int_equal(mtu, 1392);
	assert_non_null(strstr(logbuf, "event=small-mtu if=vx0 mtu=1400 max-mru=1392"));
	assert_non_null(strstr(logbuf, "option=mru value=1492 now=1392"));
	assert_non_null(strstr(logbuf, "option=mtu value=1480 now=1392"));
}

static void options_below_the_cap_or_unset_stay(void **state)
{
	(void)state;
	uint16_t mru = 1300;
	unsigned mtu = 0;
	assert_int_equal(run(1450, &mru, &mtu), 1442);
	assert_int_equal(mru, 1300);
	assert_int_equal(mtu, 0);
	assert_null(strstr(logbuf, "option-lowered"));
	assert_int_equal(run(1450, NULL, NULL), 1442);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ethernet_1500_keeps_rfc2516_default),
		cmocka_unit_test(small_mtu_caps_and_names_the_options),
		cmocka_unit_test(options_below_the_cap_or_unset_stay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
