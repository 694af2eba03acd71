/* fuzz_ipcp.c — IPCP packets and options into a PPP link engine whose LCP
 * is Opened (no authentication), server or client (see fuzz_ppp.h). */
#include "fuzz_ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ppp_one(PPP_IPCP, data, size);
}

/* Replay depth check: some seed must bring IPCP to Opened (link up). */
int fuzz_replay_check(void)
{
	return fp_reached_up ? 0 : -1;
}
