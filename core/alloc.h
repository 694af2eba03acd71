/* core/alloc.h — allocations through an optional struct uppp_allocator
 * (uppp/alloc.h): NULL = malloc/free. Zeroed, size overflow checked. */
#ifndef UPPP_CORE_ALLOC_H
#define UPPP_CORE_ALLOC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uppp/alloc.h"

/* n × size bytes, zeroed; NULL on overflow or when there is no memory. */
static inline void *uppp_mem_calloc(const struct uppp_allocator *a, size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0 || n > SIZE_MAX / size)
		return NULL;
	if (!a)
		return calloc(n, size);
	p = a->alloc(a->ud, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* Gives back p (NULL: nothing), allocated by uppp_mem_calloc(a, n, size). */
static inline void uppp_mem_free(const struct uppp_allocator *a, void *p, size_t n, size_t size)
{
	if (!p)
		return;
	if (!a)
		free(p);
	else
		a->free(a->ud, p, n * size);
}

#endif
