/* fuzz_auth.h — the body shared by fuzz_pap, fuzz_chap and fuzz_mschapv2:
 * one authentication engine in either role, fed a sequence of packets.
 *
 * Input: mode byte (bit 0: 0 = authenticator, 1 = peer), then records
 * (fuzz_common.h) whose data is a PAP/CHAP information field; the ctl time
 * step runs the engine's retransmit and give-up timers first. The peer
 * knows FUZZ_USER/FUZZ_PASSWORD; the authenticator has that one secret.
 * Random bytes are deterministic, so the challenge is the same every run
 * and seeds from fuzz_seedgen carry valid responses.
 * Oracles (auth.h): an authenticator's result never changes once decided,
 * and it only succeeds for FUZZ_USER; a peer's FAILED is final, and only a
 * CHAP peer may go from SUCCEEDED to FAILED. */
#ifndef UPPP_TEST_FUZZ_AUTH_H
#define UPPP_TEST_FUZZ_AUTH_H

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "fuzz_common.h"
#include "core/ppp_defs.h"

struct fa_host {
	struct fuzz_rng rng;
	uint16_t want_proto;
};

static void fa_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct fa_host *h = ctx;
	FUZZ_CHECK(protocol == h->want_proto);
	FUZZ_CHECK(len >= 4 && len <= UPPP_PPPOE_MAX_PAYLOAD - 2);
	FUZZ_CHECK(((size_t)info[2] << 8 | info[3]) == len);  /* Length field matches */
}

static int fa_random(void *ctx, void *buf, size_t len) { fuzz_rng_fill(&((struct fa_host *)ctx)->rng, buf, len); return 0; }

static int fa_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	return fuzz_get_secret(peer, secret, cap, len);
}

static const struct uppp_auth_ops fa_ops = {
	.send = fa_send, .random = fa_random, .get_secret = fa_get_secret,
};

/* Counts of decided runs, for the replay's depth check. */
static unsigned fa_succeeded[2];

static void fa_check(const struct uppp_auth *a, enum uppp_auth_method proto, bool peer,
		     enum uppp_auth_result before, enum uppp_auth_result now)
{
	if (!peer) {
		if (before != UPPP_AUTH_CONTINUE)
			FUZZ_CHECK(now == before);
		if (now == UPPP_AUTH_SUCCEEDED)
			FUZZ_CHECK(strcmp(uppp_auth_peer_name(a), FUZZ_USER) == 0);
	} else {
		if (before == UPPP_AUTH_FAILED)
			FUZZ_CHECK(now == UPPP_AUTH_FAILED);
		if (before == UPPP_AUTH_SUCCEEDED && now != UPPP_AUTH_SUCCEEDED)
			FUZZ_CHECK(proto != UPPP_AUTH_PAP && now == UPPP_AUTH_FAILED);
	}
	if (now == UPPP_AUTH_SUCCEEDED)
		fa_succeeded[peer]++;
}

static int fuzz_auth_one(enum uppp_auth_method proto, const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct fa_host h;
	struct uppp_auth a;
	enum uppp_auth_result res, r;
	uint64_t now = FUZZ_T0;
	const uint8_t *rec;
	size_t len;
	uint8_t ctl;
	bool peer;

	if (size < 1)
		return 0;
	peer = data[0] & 1;
	in.p++;
	in.len--;
	fuzz_rng_init(&h.rng, peer ? FUZZ_SEED_CLIENT : FUZZ_SEED_SERVER);
	h.want_proto = proto == UPPP_AUTH_PAP ? PPP_PAP : PPP_CHAP;
	uppp_auth_init(&a, proto, !peer, peer ? FUZZ_USER : FUZZ_SERVER_NAME, peer ? FUZZ_PASSWORD : NULL,
		       &fa_ops, &h);
	a.log = &fuzz_logger;
	res = uppp_auth_start(&a, now);
	while (fuzz_next_record(&in, &ctl, &rec, &len)) {
		uint64_t until = now + fuzz_step_ms(ctl);
		for (unsigned guard = 0; uppp_auth_next_deadline(&a) <= until; guard++) {
			FUZZ_CHECK(guard < 1000);
			uint64_t d = uppp_auth_next_deadline(&a);
			if (d > now)
				now = d;
			r = uppp_auth_timer(&a, now);
			fa_check(&a, proto, peer, res, r);
			res = r;
		}
		now = until;
		/* A private copy of exactly len bytes: ASan sees any over-read. */
		uint8_t *pkt = malloc(len ? len : 1);
		FUZZ_CHECK(pkt != NULL);
		memcpy(pkt, rec, len);
		r = uppp_auth_input(&a, pkt, len, now);
		free(pkt);
		fa_check(&a, proto, peer, res, r);
		res = r;
	}
	return 0;
}

#endif
