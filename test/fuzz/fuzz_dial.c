/* fuzz_dial.c — the client input path: Ethernet frames into a PPPoE client
 * (proto/dial.h) that has sent its PADI, with a virtual clock.
 *
 * Input: mode byte (unused bits; kept for symmetry with fuzz_session), then
 * records (fuzz_common.h): one frame to the client each, after its time
 * step. ctl bit 6: the session id of a session frame or PADT is replaced by
 * the client's (once it has one); ctl bit 7: the data is an IP packet from
 * the interface (uppp_dial_send_ip) instead of a frame. Seeds are the
 * frames a real AC sent to a real client (fuzz_seedgen); the client's
 * random Host-Uniq and magic numbers are deterministic, so they replay.
 * Oracles: every frame the client sends parses; up/down once each and in
 * order; timers do not re-arm forever. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "fuzz_common.h"
#include "proto/pppoe.h"

static unsigned reached_up;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_dial_host h;
	struct fuzz_input in = { data, size };
	const uint8_t *rec;
	size_t len;
	uint8_t ctl;

	if (size < 1)
		return 0;
	fuzz_dial_host_start(&h, data[0]);
	in.p++;
	in.len--;
	while (fuzz_next_record(&in, &ctl, &rec, &len)) {
		fuzz_dial_host_run_timers(&h, h.now + fuzz_step_ms(ctl));
		uint8_t *frame = malloc(len ? len : 1);
		FUZZ_CHECK(frame != NULL);
		memcpy(frame, rec, len);
		if (ctl & FUZZ_CTL_FLAG3) {
			int r = uppp_dial_send_ip(h.d, frame, len, h.now);
			FUZZ_CHECK(r == 0 || r < 0);
		} else {
			uint16_t sid = uppp_dial_session_id(h.d);
			if ((ctl & FUZZ_CTL_FLAG2) && sid && len >= UPPP_ETH_HLEN + UPPP_PPPOE_HLEN)
				uppp_put_be16(frame + UPPP_ETH_HLEN + 2, sid);
			uppp_dial_input(h.d, frame, len, h.now);
		}
		free(frame);
	}
	fuzz_dial_host_run_timers(&h, h.now + 60000);
	reached_up += h.ups;
	fuzz_dial_host_finish(&h);
	return 0;
}

/* Replay depth check: some seed must bring the client up. */
int fuzz_replay_check(void)
{
	return reached_up ? 0 : -1;
}
