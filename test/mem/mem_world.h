/* test/mem/mem_world.h — what every in-memory world of the tests shares: one
 * access concentrator engine (uppp_ac_*) and one client engine (uppp_dial_*)
 * joined by a wire in memory (a frame queue with 1 ms latency) and driven on a
 * virtual clock by one scheduler that delivers frames and runs both engines'
 * timers in time order. Nothing sleeps.
 *
 * What differs stays with each world: its ops tables (the hosts), what it
 * records, loss or a muted side (decided before mem_wire_send), transcripts.
 * The world keeps its own clock and engine pointers and hands them in, so a
 * test reads w->now, w->ac and w->cl as before.
 *
 * Order of events due at the same millisecond: a queued frame first, then the
 * client's timers, then the concentrator's — one event per step, the
 * deadlines asked again after each, so what an event causes at the same
 * millisecond runs after it. Header-only (static inline). */
#ifndef UPPP_TEST_MEM_WORLD_H
#define UPPP_TEST_MEM_WORLD_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "proto/ac.h"
#include "proto/dial.h"
#include "proto/pppoe.h"

#define MEM_WIRE_CAP 512              /* frames in flight at most */
#define MEM_WIRE_LATENCY_MS 1
#define MEM_WIRE_GUARD 1000000u       /* events per mem_wire_run_until at most */

struct mem_frame {
	bool to_ac;
	uint64_t at;
	size_t len;
	uint8_t frame[UPPP_PPPOE_FRAME_MAX];
};

/* Zeroed (calloc) is a wire of MEM_WIRE_CAP frames and MEM_WIRE_GUARD events
 * whose guard just ends the run; set the three knobs before the first frame. */
struct mem_wire {
	size_t cap;                   /* 0: MEM_WIRE_CAP; at most MEM_WIRE_CAP */
	unsigned guard;               /* 0: MEM_WIRE_GUARD */
	bool guard_fails;             /* reaching the guard fails the test (else the run stops there) */
	size_t head, len;
	struct mem_frame q[MEM_WIRE_CAP];
};

/* xorshift64, one step: the worlds' deterministic source of random bytes
 * (and of loss); `*state` must not be 0. */
static inline uint32_t mem_prng(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (uint32_t)(*state >> 11);
}

static inline void mem_fill_random(uint64_t *state, void *buf, size_t len)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)mem_prng(state);
}

/* Puts a copy of `frame` on the wire, to arrive MEM_WIRE_LATENCY_MS after
 * `now`. A full queue or an oversized frame fails the test. */
static inline void mem_wire_send(struct mem_wire *wire, bool to_ac, uint64_t now, const uint8_t *frame, size_t len)
{
	size_t cap = wire->cap ? wire->cap : MEM_WIRE_CAP;

	assert_true(cap <= MEM_WIRE_CAP);
	assert_true(wire->len < cap);
	assert_true(len <= UPPP_PPPOE_FRAME_MAX);
	struct mem_frame *e = &wire->q[(wire->head + wire->len++) % cap];
	e->to_ac = to_ac;
	e->at = now + MEM_WIRE_LATENCY_MS;
	e->len = len;
	memcpy(e->frame, frame, len);
}

/* Runs every event (frame delivery, timer) due up to `until`, in time order,
 * advancing `*now` to each; `*now` is `until` after (never goes back). */
static inline void mem_wire_run_until(struct mem_wire *wire, uint64_t *now, struct uppp_ac *ac, struct uppp_dial *cl,
				      uint64_t until)
{
	size_t cap = wire->cap ? wire->cap : MEM_WIRE_CAP;
	unsigned guard = wire->guard ? wire->guard : MEM_WIRE_GUARD;

	for (unsigned n = 0;; n++) {
		uint64_t next = UPPP_NO_DEADLINE;
		int kind = -1;

		if (wire->guard_fails)
			assert_true(n < guard);
		else if (n >= guard)
			break;
		if (wire->len) {
			next = wire->q[wire->head].at;
			kind = 0;
		}
		if (uppp_dial_next_deadline(cl) < next) {
			next = uppp_dial_next_deadline(cl);
			kind = 1;
		}
		if (uppp_ac_next_deadline(ac) < next) {
			next = uppp_ac_next_deadline(ac);
			kind = 2;
		}
		if (kind < 0 || next > until)
			break;
		if (next > *now)
			*now = next;
		if (kind == 0) {
			/* off the queue before delivery: the engine may send at once */
			struct mem_frame *e = &wire->q[wire->head];
			uint8_t frame[UPPP_PPPOE_FRAME_MAX];
			size_t len = e->len;
			bool to_ac = e->to_ac;

			memcpy(frame, e->frame, len);
			wire->head = (wire->head + 1) % cap;
			wire->len--;
			if (to_ac)
				uppp_ac_input(ac, frame, len, *now);
			else
				uppp_dial_input(cl, frame, len, *now);
		} else if (kind == 1) {
			uppp_dial_run_timers(cl, *now);
		} else {
			uppp_ac_run_timers(ac, *now);
		}
	}
	if (*now < until)
		*now = until;
}

static const uint8_t mem_ac_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };
static const uint8_t mem_cl_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

/* What every world configures alike: the concentrator "uppp-test" at
 * mem_ac_mac, 4 sessions, authenticating with `auth` as "uppp" from
 * 10.0.0.1; the client at mem_cl_mac, any service, as `user` / `password`;
 * both PPP configs at their defaults otherwise. The world sets the rest
 * (loggers, echo, limits) after. */
static inline void mem_configs(struct uppp_ac_config *ac, struct uppp_dial_config *cl, enum uppp_auth_method auth,
			       const char *user, const char *password)
{
	memcpy(ac->mac, mem_ac_mac, 6);
	ac->ac_name = "uppp-test";
	ac->max_sessions = 4;
	uppp_ppp_config_defaults(&ac->ppp);
	ac->ppp.auth = auth;
	ac->ppp.name = "uppp";
	ac->ppp.local_ip = 0x0a000001;

	memcpy(cl->mac, mem_cl_mac, 6);
	cl->service = "";
	uppp_ppp_config_defaults(&cl->ppp);
	cl->ppp.name = user;
	cl->ppp.password = password;
}

/* Creates the concentrator, then the client (in this order: both may draw
 * random bytes), both with `ud` as their ops' ctx; either failing fails the
 * test. The configs must outlive the engines. */
static inline void mem_engines_new(struct uppp_ac **ac, const struct uppp_ac_config *ac_cfg,
				   const struct uppp_ac_ops *ac_ops, struct uppp_dial **cl,
				   const struct uppp_dial_config *cl_cfg, const struct uppp_dial_ops *cl_ops, void *ud)
{
	*ac = uppp_ac_new(ac_cfg, ac_ops, ud);
	*cl = uppp_dial_new(cl_cfg, cl_ops, ud);
	assert_non_null(*ac);
	assert_non_null(*cl);
}

static inline void mem_engines_free(struct uppp_ac *ac, struct uppp_dial *cl)
{
	uppp_dial_free(cl);
	uppp_ac_free(ac);
}

#endif
