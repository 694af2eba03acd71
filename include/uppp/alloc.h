/* uppp/alloc.h — the allocator hook of libuppp.
 *
 * Every allocation an engine makes (the access concentrator, its session
 * table, timer heap, rate tables and sessions) goes through one struct
 * uppp_allocator given at creation; NULL means malloc/free. A firmware
 * build can hand in a static pool: the engine tells free() the size it
 * asked alloc() for, so a pool needs no headers of its own. */
#ifndef UPPP_ALLOC_H
#define UPPP_ALLOC_H

#include <stddef.h>

struct uppp_allocator {
	/* size bytes (size > 0), suitably aligned for any type, contents
	 * undefined (the library zeroes what it needs); NULL when there is no
	 * memory: the caller then fails cleanly (-ENOMEM, or a session not
	 * created), it never aborts. */
	void *(*alloc)(void *ud, size_t size);
	/* Gives back p, which alloc(ud, size) returned with this same size.
	 * Never called with NULL. */
	void (*free)(void *ud, void *p, size_t size);
	void *ud;    /* passed to both, untouched */
};

#endif
