/* fuzz_mschapv2.c — the MS-CHAPv2 engine, both roles (see fuzz_auth.h). */
#include "fuzz_auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_auth_one(UPPP_AUTH_MSCHAPV2, data, size);
}

/* Replay depth check: the seeds must authenticate in both roles. */
int fuzz_replay_check(void)
{
	return fa_succeeded[0] && fa_succeeded[1] ? 0 : -1;
}
