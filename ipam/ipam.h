/* ipam/ipam.h — the server's pool of addresses for its peers.
 *
 * A pool is what `pppoe-server -L 10.0.0.1 -R 10.0.0.2 -N 20` describes: the
 * server's own address (local), a first peer address and a count. Addresses
 * are host byte order throughout. Pure: no syscalls; memory is taken at init
 * (a bitmap) and when static reservations outside the pool are added.
 *
 * Allocation policy: uppp_ipam_alloc() always hands out the LOWEST free
 * address of the pool. This is deterministic (tests and users can predict
 * which address a client gets) and a released address is reused first.
 *
 * Never handed out: the local address (skipped if it lies inside the range),
 * the network and broadcast addresses of the checking mask (init refuses a
 * range that contains them), 0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0 and above.
 *
 * Static addresses (from the IP column of a secrets line) go through
 * uppp_ipam_reserve(): inside the pool they take their slot; outside it they
 * are remembered in a separate sorted list so the same address cannot be
 * given to two sessions at once. */
#ifndef UPPP_IPAM_IPAM_H
#define UPPP_IPAM_IPAM_H

#include <stddef.h>
#include <stdint.h>

#define UPPP_IPAM_MAX_COUNT 65535u
#define UPPP_IPAM_DEFAULT_MASK 0xffffff00u   /* a /24, as in the usual rp-pppoe setup */

struct uppp_ipam {
	uint32_t local;        /* the server's own address: never leased */
	uint32_t first;        /* first pool address */
	unsigned count;        /* addresses in [first, first + count) */
	uint32_t mask;         /* mask used for the network/broadcast checks */
	uint64_t *used;        /* bit i set: first + i is taken (the local address stays set) */
	unsigned capacity;     /* leasable addresses: count, minus one if local is inside */
	unsigned in_use;       /* pool addresses currently leased (not the local one) */
	unsigned search_from;  /* no free bit below this word index: a search hint */
	uint32_t *statics;     /* reserved addresses outside the pool, sorted ascending */
	size_t n_statics, statics_cap;
};

/* Prepares p for the range [first, first + count). netmask_for_checks is the
 * mask whose network and broadcast addresses must not be in the range (0 =
 * UPPP_IPAM_DEFAULT_MASK; a /31 or /32 mask disables that check). Returns 0,
 * -EINVAL with a reason in err (when errcap > 0) for a bad range: count 0 or
 * over UPPP_IPAM_MAX_COUNT, a range that wraps past 255.255.255.255, contains
 * a network/broadcast/reserved address, a non-contiguous mask, or local 0 —
 * or -ENOMEM. p is always left safe to pass to uppp_ipam_destroy(). */
int uppp_ipam_init(struct uppp_ipam *p, uint32_t local, uint32_t first, unsigned count,
		   uint32_t netmask_for_checks, char *err, size_t errcap);

/* The checking mask for a pool given as first + count (pppoe-server's -R,
 * -N): a /24 when the range lies within one (the usual rp-pppoe setup, whose
 * .0 and .255 stay refused), else the smallest prefix holding the whole range
 * (10.0.0.2 + 60000: a /16; only its network and broadcast address are then
 * refused, and x.y.z.0 or x.y.z.255 inside it are ordinary host addresses on
 * point-to-point links). count 0 is taken as 1. Pure. */
uint32_t uppp_ipam_covering_mask(uint32_t first, unsigned count);

/* Leases the lowest free pool address into *addr. Returns 0 or -ENOSPC. */
int uppp_ipam_alloc(struct uppp_ipam *p, uint32_t *addr);

/* Leases the given (static) address. Inside the pool: 0 if it was free,
 * -EADDRINUSE if leased. Outside the pool: 0 and remembered, -EADDRINUSE if
 * already reserved, -ENOMEM if the list cannot grow. The local address, a
 * network or broadcast address of the mask, 0.0.0.0/8, 127.0.0.0/8 and
 * 224.0.0.0 and above give -EINVAL. */
int uppp_ipam_reserve(struct uppp_ipam *p, uint32_t addr);

/* Gives back an address from alloc or reserve. An address that is not
 * leased (never was, already released, the local one) is ignored. */
void uppp_ipam_release(struct uppp_ipam *p, uint32_t addr);

/* Pool addresses currently leased (static reservations inside the pool
 * included, those outside it not: see uppp_ipam_statics_in_use()). */
unsigned uppp_ipam_in_use(const struct uppp_ipam *p);
/* How many pool addresses can be leased at once. */
unsigned uppp_ipam_capacity(const struct uppp_ipam *p);
/* Reserved addresses outside the pool. */
size_t uppp_ipam_statics_in_use(const struct uppp_ipam *p);
/* 1 if addr is currently leased (pool or static), else 0. */
int uppp_ipam_is_leased(const struct uppp_ipam *p, uint32_t addr);

/* Frees the pool's memory. Safe on a zeroed or already destroyed pool. */
void uppp_ipam_destroy(struct uppp_ipam *p);

#endif
