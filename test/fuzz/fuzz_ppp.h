/* fuzz_ppp.h — the body shared by fuzz_lcp and fuzz_ipcp: one PPP link
 * engine (proto/ppp.h) fed a sequence of packets.
 *
 * Input: mode byte, then records (fuzz_common.h). Mode bit 0: our role (0
 * server, 1 client); bits 1-2: the authentication the server requires;
 * bit 3 (fuzz_lcp): start with LCP already Opened. fuzz_ipcp always starts
 * with LCP Opened and no authentication, so that its packets reach IPCP.
 * "Opened" is reached by running the engine against a second engine of the
 * other role (fuzz_pair) until our phase gets there; then the partner is
 * unplugged and the fuzz data takes its place.
 * Record data is the information field of the target's protocol, or with
 * ctl bit 7 a whole PPP packet (protocol first); ctl bit 5 sends the data
 * as an IP packet from the interface instead; ctl bit 6 closes the link
 * administratively. Packets longer than PPPoE can carry are cut to
 * UPPP_PPPOE_MAX_PAYLOAD. Oracles: ops->up/down once each and in order (fuzz
 * host), every packet sent fits PPPoE, timers do not re-arm forever. */
#ifndef UPPP_TEST_FUZZ_PPP_H
#define UPPP_TEST_FUZZ_PPP_H

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "fuzz_common.h"
#include "core/ppp_defs.h"

#define FUZZ_PPP_PREOPEN 8

static unsigned fp_reached_open, fp_reached_up;
static int fp_side;
static enum uppp_ppp_phase fp_phase_wanted;

static bool fp_stop(const struct fuzz_pair *p)
{
	return p->h[fp_side].ppp.phase >= fp_phase_wanted || p->h[fp_side].downs;
}

/* Brings the pair to where fuzzing starts (packets still queued between the
 * two are left for the generator to deliver; the target drops them). */
__attribute__((unused))
static struct fuzz_ppp_host *fuzz_ppp_prepare(struct fuzz_pair *p, uint16_t proto, uint8_t mode)
{
	bool preopen = proto == PPP_IPCP || (mode & FUZZ_PPP_PREOPEN);
	enum uppp_auth_method auth = proto == PPP_IPCP ? UPPP_AUTH_NONE : fuzz_auth_of_mode((uint8_t)(mode >> 1));

	fp_side = mode & 1;
	fp_phase_wanted = proto == PPP_IPCP ? UPPP_PHASE_NETWORK : UPPP_PHASE_AUTHENTICATE;
	fuzz_pair_start(p, auth);
	if (preopen)
		fuzz_pair_run(p, fp_stop);
	return &p->h[fp_side];
}

__attribute__((unused))
static int fuzz_ppp_one(uint16_t proto, const uint8_t *data, size_t size)
{
	static struct fuzz_pair pair;   /* large: not on the stack */
	struct fuzz_input in = { data, size };
	struct fuzz_ppp_host *h;
	const uint8_t *rec;
	size_t len;
	uint8_t ctl;

	if (size < 1)
		return 0;
	h = fuzz_ppp_prepare(&pair, proto, data[0]);
	h->pair = NULL;   /* unplug the partner: what we send goes nowhere */
	pair.q_len = 0;
	in.p++;
	in.len--;
	while (fuzz_next_record(&in, &ctl, &rec, &len) && !h->downs) {
		fuzz_ppp_host_run_timers(h, &pair.now, pair.now + fuzz_step_ms(ctl));
		/* PPPoE carries at most UPPP_PPPOE_MAX_PAYLOAD bytes of PPP (the AC
		 * and the client never hand the engine more). */
		if (!(ctl & FUZZ_CTL_FLAG1) && len > UPPP_PPPOE_MAX_PAYLOAD - ((ctl & FUZZ_CTL_FLAG3) ? 0 : 2))
			len = UPPP_PPPOE_MAX_PAYLOAD - ((ctl & FUZZ_CTL_FLAG3) ? 0 : 2);
		if (h->downs)
			break;
		/* A private copy of exactly the packet: ASan sees any over-read. */
		uint8_t *pkt = malloc(len + 2);
		FUZZ_CHECK(pkt != NULL);
		if (ctl & FUZZ_CTL_FLAG2) {
			uppp_ppp_close(&h->ppp, UPPP_CAUSE_ADMIN, pair.now);
		} else if (ctl & FUZZ_CTL_FLAG1) {
			memcpy(pkt, rec, len);
			int r = uppp_ppp_send_ip(&h->ppp, pkt, len, pair.now);
			FUZZ_CHECK(r == 0 || r < 0);
		} else if (ctl & FUZZ_CTL_FLAG3) {
			memcpy(pkt, rec, len);
			uppp_ppp_input(&h->ppp, pkt, len, pair.now);
		} else {
			uppp_put_be16(pkt, proto);
			memcpy(pkt + 2, rec, len);
			uppp_ppp_input(&h->ppp, pkt, len + 2, pair.now);
		}
		free(pkt);
		if (!(data[0] & FUZZ_PPP_PREOPEN) && h->ppp.phase >= UPPP_PHASE_AUTHENTICATE)
			fp_reached_open++;
	}
	fp_reached_up += h->ups;
	if (!h->downs)
		uppp_ppp_lower_down(&h->ppp, UPPP_CAUSE_ADMIN, pair.now);
	FUZZ_CHECK(h->downs == 1);
	FUZZ_CHECK(h->ups <= 1);
	return 0;
}

#endif
