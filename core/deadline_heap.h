/* core/deadline_heap.h — a binary min-heap of deadlines, shared by the
 * concentrator's session timers (proto/ac.c) and the event loop's timers
 * (runtime/loop.c).
 *
 * Intrusive: the entry lives in its owner (a session, a loop timer) and the
 * heap holds pointers to entries in storage the caller provides, so the heap
 * itself never allocates. Entries are ordered by deadline, then by the order
 * they were set (seq), so equal deadlines fire in the order they were set.
 * A deadline in the past is stored as `now`: one set again while the due
 * entries are being run sorts behind every entry still due, and a runner
 * that stops at the first entry with seq >= the seq it started with (see
 * uppp_dheap_pop_due) never fires an entry twice in one pass nor skips one. */
#ifndef UPPP_CORE_DEADLINE_HEAP_H
#define UPPP_CORE_DEADLINE_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UPPP_DHEAP_NONE UINT64_MAX   /* "no deadline": the entry is not in a heap */

struct uppp_dheap_entry {
	uint64_t deadline;   /* while in a heap; after, the deadline it last had */
	uint64_t seq;        /* when it was set: orders equal deadlines */
	size_t index;        /* position in the heap; SIZE_MAX when not in one */
};

struct uppp_dheap {
	struct uppp_dheap_entry **v;   /* the caller's storage, cap slots */
	size_t n, cap;
	uint64_t next_seq;
};

/* An empty heap over storage[0..cap). */
void uppp_dheap_init(struct uppp_dheap *h, struct uppp_dheap_entry **storage, size_t cap);
/* The heap moved to larger storage (the caller copied v[0..n) there). */
void uppp_dheap_set_storage(struct uppp_dheap *h, struct uppp_dheap_entry **storage, size_t cap);
/* An entry that is in no heap. */
void uppp_dheap_entry_init(struct uppp_dheap_entry *e);

static inline bool uppp_dheap_contains(const struct uppp_dheap_entry *e) { return e->index != SIZE_MAX; }
static inline bool uppp_dheap_full(const struct uppp_dheap *h) { return h->n == h->cap; }
/* The earliest deadline; UPPP_DHEAP_NONE when empty. */
static inline uint64_t uppp_dheap_next(const struct uppp_dheap *h)
{
	return h->n ? h->v[0]->deadline : UPPP_DHEAP_NONE;
}

/* Puts e in at deadline (one in the past counts as now), or moves it
 * there; UPPP_DHEAP_NONE takes it out. O(log n). Returns 0, or -ENOSPC
 * when e is not in the heap and the heap is full (nothing changed). */
int uppp_dheap_set(struct uppp_dheap *h, struct uppp_dheap_entry *e, uint64_t deadline, uint64_t now);
/* Takes e out (no-op when it is not in); e->deadline keeps its value. */
void uppp_dheap_remove(struct uppp_dheap *h, struct uppp_dheap_entry *e);

/* For one pass over the due entries: pass = uppp_dheap_pass(h) before the
 * first uppp_dheap_pop_due(h, now, pass), which takes out and returns the
 * earliest entry due at now that was set before the pass began, or NULL. */
static inline uint64_t uppp_dheap_pass(const struct uppp_dheap *h) { return h->next_seq; }
struct uppp_dheap_entry *uppp_dheap_pop_due(struct uppp_dheap *h, uint64_t now, uint64_t pass);

#endif
