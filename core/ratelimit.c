/* core/ratelimit.c — GCRA token buckets and a bounded per-MAC table. */
#include "core/ratelimit.h"

#include "core/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RL_MAX_TOKENS 100000u
#define RL_MAX_PERIOD_MS 86400000u
#define RL_MAX_BURST 1000000u

/* The rate in the bucket's units: time is scaled by `tokens`, so one token
 * costs `period` scaled units and the burst tolerance is (burst-1) tokens. */
struct scaled {
	uint64_t now, cost, tolerance;
	uint64_t tokens;
};

static bool unlimited(const struct uppp_rate *r) { return !r || r->tokens == 0; }

static struct scaled scale(const struct uppp_rate *r, uint64_t now)
{
	uint64_t tokens = r->tokens > RL_MAX_TOKENS ? RL_MAX_TOKENS : r->tokens;
	uint64_t period = r->period_ms == 0 ? 1 : r->period_ms > RL_MAX_PERIOD_MS ? RL_MAX_PERIOD_MS : r->period_ms;
	uint64_t burst = r->burst == 0 ? 1 : r->burst > RL_MAX_BURST ? RL_MAX_BURST : r->burst;
	struct scaled s = { now * tokens, period, (burst - 1) * period, tokens };
	return s;
}

/* Scaled units by which a take now would exceed the tolerance (0 = allowed). */
static uint64_t excess(const struct uppp_bucket *b, const struct scaled *s)
{
	uint64_t tat = b->tat > s->now ? b->tat : s->now;
	uint64_t ahead = tat - s->now;
	return ahead > s->tolerance ? ahead - s->tolerance : 0;
}

bool uppp_bucket_would_allow(const struct uppp_bucket *b, const struct uppp_rate *r, uint64_t now)
{
	if (unlimited(r))
		return true;
	struct scaled s = scale(r, now);
	return excess(b, &s) == 0;
}

bool uppp_bucket_take(struct uppp_bucket *b, const struct uppp_rate *r, uint64_t now)
{
	if (unlimited(r))
		return true;
	struct scaled s = scale(r, now);
	if (excess(b, &s))
		return false;
	b->tat = (b->tat > s.now ? b->tat : s.now) + s.cost;
	return true;
}

uint64_t uppp_bucket_wait_ms(const struct uppp_bucket *b, const struct uppp_rate *r, uint64_t now)
{
	if (unlimited(r))
		return 0;
	struct scaled s = scale(r, now);
	uint64_t x = excess(b, &s);
	return (x + s.tokens - 1) / s.tokens;
}

/* ---- per-MAC table ---- */

int uppp_rl_init_alloc(struct uppp_rl_table *t, size_t n_sets, uint32_t salt,
		       const struct uppp_allocator *alloc)
{
	memset(t, 0, sizeof(*t));
	if (n_sets == 0)
		n_sets = 1;
	if (n_sets > SIZE_MAX / UPPP_RL_WAYS)
		return -ENOMEM;
	t->e = uppp_mem_calloc(alloc, n_sets * UPPP_RL_WAYS, sizeof(*t->e));
	if (!t->e)
		return -ENOMEM;
	t->n_sets = n_sets;
	t->salt = salt;
	t->alloc = alloc;
	return 0;
}

int uppp_rl_init(struct uppp_rl_table *t, size_t n_sets, uint32_t salt)
{
	return uppp_rl_init_alloc(t, n_sets, salt, NULL);
}

void uppp_rl_destroy(struct uppp_rl_table *t)
{
	if (t->e)
		uppp_mem_free(t->alloc, t->e, t->n_sets * UPPP_RL_WAYS, sizeof(*t->e));
	memset(t, 0, sizeof(*t));
}

static struct uppp_rl_entry *set_of(const struct uppp_rl_table *t, const uint8_t key[6])
{
	uint32_t h = 2166136261u ^ t->salt;  /* FNV-1a, salted so sets cannot be aimed at */
	for (int i = 0; i < 6; i++)
		h = (h ^ key[i]) * 16777619u;
	h ^= h >> 15;
	return &t->e[(h % t->n_sets) * UPPP_RL_WAYS];
}

static struct uppp_rl_entry *lookup(const struct uppp_rl_table *t, const uint8_t key[6])
{
	struct uppp_rl_entry *set = set_of(t, key);
	for (int w = 0; w < UPPP_RL_WAYS; w++)
		if (set[w].used && memcmp(set[w].key, key, 6) == 0)
			return &set[w];
	return NULL;
}

bool uppp_rl_take(struct uppp_rl_table *t, const struct uppp_rate *r, const uint8_t key[6], uint64_t now)
{
	if (unlimited(r) || !t->e)
		return true;
	struct uppp_rl_entry *e = lookup(t, key);
	if (!e) {
		struct uppp_rl_entry *set = set_of(t, key);
		e = &set[0];
		for (int w = 0; w < UPPP_RL_WAYS; w++) {
			if (!set[w].used) {
				e = &set[w];
				break;
			}
			if (set[w].last_ms < e->last_ms)
				e = &set[w];
		}
		if (e->used)
			t->evictions++;
		memset(e, 0, sizeof(*e));
		memcpy(e->key, key, 6);
		e->used = true;
	}
	e->last_ms = now;
	return uppp_bucket_take(&e->bucket, r, now);
}

bool uppp_rl_would_allow(const struct uppp_rl_table *t, const struct uppp_rate *r, const uint8_t key[6],
			 uint64_t now)
{
	if (unlimited(r) || !t->e)
		return true;
	const struct uppp_rl_entry *e = lookup(t, key);
	return !e || uppp_bucket_would_allow(&e->bucket, r, now);
}

uint64_t uppp_rl_wait_ms(const struct uppp_rl_table *t, const struct uppp_rate *r, const uint8_t key[6],
			 uint64_t now)
{
	if (unlimited(r) || !t->e)
		return 0;
	const struct uppp_rl_entry *e = lookup(t, key);
	return e ? uppp_bucket_wait_ms(&e->bucket, r, now) : 0;
}
