/* test/unit/fake_rng.h — repeatable "random" bytes for the fake hosts of the
 * PPPoE tests (test_ac, test_ac_hostile, test_dial). */
#ifndef UPPP_TEST_FAKE_RNG_H
#define UPPP_TEST_FAKE_RNG_H

#include <stddef.h>
#include <stdint.h>

/* Fills buf from a 64-bit LCG whose state is *rng (same seed, same bytes). */
static inline void fake_rng_fill(uint64_t *rng, void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		*rng = *rng * 6364136223846793005ull + 1442695040888963407ull;
		p[i] = (uint8_t)(*rng >> 56);
	}
}

#endif
