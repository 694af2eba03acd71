/* core/ratelimit.h — token buckets, alone or one per MAC address.
 *
 * Pure: time is passed in (milliseconds, any monotonic clock), no syscalls.
 * A bucket is a GCRA ("virtual scheduling") meter: one 64-bit theoretical
 * arrival time, exact integer arithmetic, so a flood of calls at 1 ms
 * granularity never loses or gains fractions of a token.
 *
 * The per-MAC table has a fixed size chosen at init (set-associative, keyed
 * by a salted hash): a MAC not in the table gets a fresh, full bucket,
 * evicting the least recently used one of its set. Memory stays bounded
 * whatever the attacker sends; forgetting a MAC only ever errs towards
 * letting it through, which the global bucket then bounds. */
#ifndef UPPP_CORE_RATELIMIT_H
#define UPPP_CORE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uppp/alloc.h"
#include "uppp/engine.h"   /* struct uppp_rate */

/* struct uppp_rate and uppp_rate_per_s() are public: uppp/engine.h. */

/* One bucket. Zero-initialised = full. */
struct uppp_bucket {
	uint64_t tat;   /* theoretical arrival time, in ms × tokens units */
};

/* Takes one token: true when allowed (the token is consumed), false when the
 * bucket is empty (nothing changes). */
bool uppp_bucket_take(struct uppp_bucket *b, const struct uppp_rate *r, uint64_t now);
/* Would uppp_bucket_take() succeed? Changes nothing. */
bool uppp_bucket_would_allow(const struct uppp_bucket *b, const struct uppp_rate *r, uint64_t now);
/* Milliseconds until one token is available (0 = now). */
uint64_t uppp_bucket_wait_ms(const struct uppp_bucket *b, const struct uppp_rate *r, uint64_t now);

/* A fixed-size table of buckets keyed by 6-byte MAC. */
#define UPPP_RL_WAYS 4
struct uppp_rl_entry {
	uint8_t key[6];
	bool used;
	uint64_t last_ms;           /* last use, for LRU eviction within a set */
	struct uppp_bucket bucket;
};

struct uppp_rl_table {
	struct uppp_rl_entry *e;    /* n_sets × UPPP_RL_WAYS */
	size_t n_sets;
	uint32_t salt;
	uint64_t evictions;         /* MACs forgotten to make room */
	const struct uppp_allocator *alloc; /* what e came from (NULL = malloc) */
};

/* Allocates room for n_sets × UPPP_RL_WAYS MACs (n_sets ≥ 1). salt should be
 * random (an attacker who knows it can aim at one set). 0 or -ENOMEM. */
int uppp_rl_init(struct uppp_rl_table *t, size_t n_sets, uint32_t salt);
/* The same, with memory from alloc (NULL = malloc/free); alloc must outlive t. */
int uppp_rl_init_alloc(struct uppp_rl_table *t, size_t n_sets, uint32_t salt,
		       const struct uppp_allocator *alloc);
/* Frees the table (a zeroed or destroyed table too). */
void uppp_rl_destroy(struct uppp_rl_table *t);

/* Takes one token from key's bucket (creating it full if new). */
bool uppp_rl_take(struct uppp_rl_table *t, const struct uppp_rate *r, const uint8_t key[6], uint64_t now);
/* Would a take for key succeed? Changes nothing (an unknown key: yes). */
bool uppp_rl_would_allow(const struct uppp_rl_table *t, const struct uppp_rate *r, const uint8_t key[6],
			 uint64_t now);
/* Milliseconds until key may take again (0 = now or unknown key). */
uint64_t uppp_rl_wait_ms(const struct uppp_rl_table *t, const struct uppp_rate *r, const uint8_t key[6],
			 uint64_t now);

#endif
