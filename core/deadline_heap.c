/* core/deadline_heap.c — see deadline_heap.h. */
#include "core/deadline_heap.h"

#include <errno.h>

void uppp_dheap_init(struct uppp_dheap *h, struct uppp_dheap_entry **storage, size_t cap)
{
	h->v = storage;
	h->n = 0;
	h->cap = cap;
	h->next_seq = 0;
}

void uppp_dheap_set_storage(struct uppp_dheap *h, struct uppp_dheap_entry **storage, size_t cap)
{
	h->v = storage;
	h->cap = cap;
}

void uppp_dheap_entry_init(struct uppp_dheap_entry *e)
{
	e->deadline = UPPP_DHEAP_NONE;
	e->seq = 0;
	e->index = SIZE_MAX;
}

static bool before(const struct uppp_dheap_entry *a, const struct uppp_dheap_entry *b)
{
	return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(struct uppp_dheap *h, size_t i, struct uppp_dheap_entry *e)
{
	h->v[i] = e;
	e->index = i;
}

static void sift_up(struct uppp_dheap *h, size_t i)
{
	struct uppp_dheap_entry *e = h->v[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(e, h->v[parent]))
			break;
		place(h, i, h->v[parent]);
		i = parent;
	}
	place(h, i, e);
}

static void sift_down(struct uppp_dheap *h, size_t i)
{
	struct uppp_dheap_entry *e = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(h->v[c + 1], h->v[c]))
			c++;
		if (!before(h->v[c], e))
			break;
		place(h, i, h->v[c]);
		i = c;
	}
	place(h, i, e);
}

/* Restores the order around slot i after its key changed either way. */
static void fix(struct uppp_dheap *h, size_t i)
{
	if (i > 0 && before(h->v[i], h->v[(i - 1) / 2]))
		sift_up(h, i);
	else
		sift_down(h, i);
}

void uppp_dheap_remove(struct uppp_dheap *h, struct uppp_dheap_entry *e)
{
	size_t i = e->index;
	struct uppp_dheap_entry *last;

	if (i == SIZE_MAX)
		return;
	last = h->v[--h->n];
	e->index = SIZE_MAX;   /* its deadline stays readable: when it was due */
	if (last == e)
		return;
	place(h, i, last);
	fix(h, i);
}

int uppp_dheap_set(struct uppp_dheap *h, struct uppp_dheap_entry *e, uint64_t deadline, uint64_t now)
{
	if (deadline == UPPP_DHEAP_NONE) {
		uppp_dheap_remove(h, e);
		return 0;
	}
	if (!uppp_dheap_contains(e) && h->n == h->cap)
		return -ENOSPC;
	e->deadline = deadline < now ? now : deadline;
	e->seq = h->next_seq++;
	if (uppp_dheap_contains(e)) {
		fix(h, e->index);
	} else {
		place(h, h->n++, e);
		sift_up(h, e->index);
	}
	return 0;
}

struct uppp_dheap_entry *uppp_dheap_pop_due(struct uppp_dheap *h, uint64_t now, uint64_t pass)
{
	struct uppp_dheap_entry *e;

	if (!h->n)
		return NULL;
	e = h->v[0];
	if (e->deadline > now || e->seq >= pass)
		return NULL;
	uppp_dheap_remove(h, e);
	return e;
}
