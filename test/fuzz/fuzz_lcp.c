/* fuzz_lcp.c — LCP packets and options into a PPP link engine, server or
 * client, from the start or with LCP already Opened (see fuzz_ppp.h). */
#include "fuzz_ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ppp_one(PPP_LCP, data, size);
}

/* Replay depth check: fuzz data alone must have opened LCP in some seed. */
int fuzz_replay_check(void)
{
	return fp_reached_open ? 0 : -1;
}
