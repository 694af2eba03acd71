/* fuzz_session.c — the whole server input path: Ethernet frames into an
 * access concentrator (proto/ac.h) in memory, with a virtual clock and its
 * session timers firing, from discovery through LCP, authentication and
 * IPCP to data and PADT.
 *
 * Input: mode byte (bits 0-1: auth none/PAP/CHAP/MS-CHAPv2; bit 2: one
 * session per MAC), then records (fuzz_common.h): each is one frame to the
 * AC after its time step. ctl bit 5: before delivery, the AC-Cookie of a
 * PADR is replaced by the one the AC gave that MAC in its last PADO (the
 * cookie is an HMAC the fuzzer cannot forge; the harness plays the honest
 * client's part, so mutated PADRs still open sessions; without the bit the
 * cookie check itself is fuzzed). ctl bit 6: the session id of a session
 * frame or PADT is replaced by the one the AC gave that MAC. ctl bit 7: the
 * data is an IP packet from the last session's interface (uppp_ac_send_ip)
 * instead of a frame. Random bytes are deterministic, so the seeds written
 * by fuzz_seedgen (a real client's frames) replay exactly.
 * Oracles: frames the AC sends parse; timers are cancelled before a session
 * ends and none is left after shutdown; every address leased is released;
 * every session up goes down (fuzz_common.c). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static unsigned reached_up;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_ac_host h;
	struct fuzz_input in = { data, size };
	const uint8_t *rec;
	size_t len;
	uint8_t ctl;

	if (size < 1)
		return 0;
	fuzz_ac_host_start(&h, data[0]);
	in.p++;
	in.len--;
	while (fuzz_next_record(&in, &ctl, &rec, &len)) {
		fuzz_ac_host_run_timers(&h, h.now + fuzz_step_ms(ctl));
		uint8_t *frame = malloc(len ? len : 1);  /* exact size: ASan sees over-reads */
		FUZZ_CHECK(frame != NULL);
		memcpy(frame, rec, len);
		if (ctl & FUZZ_CTL_FLAG3) {
			if (h.up_sess) {
				int r = uppp_ac_send_ip(h.ac, h.up_sess, frame, len, h.now);
				FUZZ_CHECK(r == 0 || r < 0);
			}
		} else {
			if (ctl & FUZZ_CTL_FLAG1)
				fuzz_ac_fix_cookie(&h, frame, len);
			if (ctl & FUZZ_CTL_FLAG2)
				fuzz_ac_fix_session_id(&h, frame, len);
			uppp_ac_input(h.ac, frame, len, h.now);
		}
		free(frame);
	}
	/* Let the sessions' timers run out a while (retransmits, echo, auth timeout). */
	fuzz_ac_host_run_timers(&h, h.now + 60000);
	reached_up += h.ups;
	fuzz_ac_host_finish(&h);
	return 0;
}

/* Replay depth check: some seed must bring a session up. */
int fuzz_replay_check(void)
{
	return reached_up ? 0 : -1;
}
