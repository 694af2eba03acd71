/* ipam/ipam.c — address pool (see ipam.h). */
#include "ipam/ipam.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD_BITS 64u

static void set_err(char *err, size_t errcap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;
	if (!err || errcap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

/* Dotted quad of a host-order address; out has room for 16 bytes. */
static const char *ip_str(uint32_t a, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return out;
}

/* 0.0.0.0/8 ("this network"), 127.0.0.0/8 (loopback), 224.0.0.0/4
 * (multicast) and 240.0.0.0/4 (reserved, broadcast) are never a peer's. */
static bool is_special(uint32_t a)
{
	uint32_t octet = a >> 24;
	return octet == 0 || octet == 127 || octet >= 224;
}

/* The host part of the checking mask, or 0 when the mask is a /31 or /32
 * (RFC 3021: no network or broadcast address on such links). */
static uint32_t host_bits(const struct uppp_ipam *p)
{
	uint32_t host = ~p->mask;
	return host <= 1 ? 0 : host;
}

static bool is_net_or_bcast(const struct uppp_ipam *p, uint32_t a)
{
	uint32_t host = host_bits(p);
	if (host == 0)
		return false;
	return (a & host) == 0 || (a & host) == host;
}

static bool in_pool(const struct uppp_ipam *p, uint32_t a)
{
	return p->used && a >= p->first && a - p->first < p->count;
}

static bool bit_get(const struct uppp_ipam *p, unsigned i)
{
	return (p->used[i / WORD_BITS] >> (i % WORD_BITS)) & 1u;
}

static void bit_set(struct uppp_ipam *p, unsigned i)
{
	p->used[i / WORD_BITS] |= UINT64_C(1) << (i % WORD_BITS);
}

static void bit_clear(struct uppp_ipam *p, unsigned i)
{
	p->used[i / WORD_BITS] &= ~(UINT64_C(1) << (i % WORD_BITS));
	if (i / WORD_BITS < p->search_from)
		p->search_from = i / WORD_BITS;
}

uint32_t uppp_ipam_covering_mask(uint32_t first, unsigned count)
{
	uint64_t last64 = (uint64_t)first + (count ? count : 1) - 1;
	uint32_t last = last64 > UINT32_MAX ? UINT32_MAX : (uint32_t)last64;
	uint32_t mask = UPPP_IPAM_DEFAULT_MASK;

	while (mask != 0 && (first & mask) != (last & mask))
		mask <<= 1;
	return mask ? mask : 0x80000000u;   /* never 0: that would mean "the default" */
}

int uppp_ipam_init(struct uppp_ipam *p, uint32_t local, uint32_t first, unsigned count,
		   uint32_t netmask_for_checks, char *err, size_t errcap)
{
	char a[16], b[16];
	uint32_t mask = netmask_for_checks ? netmask_for_checks : UPPP_IPAM_DEFAULT_MASK;
	uint32_t host = ~mask;

	memset(p, 0, sizeof(*p));
	set_err(err, errcap, "%s", "");
	if (count == 0) {
		set_err(err, errcap, "the address pool is empty (count 0)");
		return -EINVAL;
	}
	if (count > UPPP_IPAM_MAX_COUNT) {
		set_err(err, errcap, "the address pool is too large: %u addresses, at most %u", count,
			UPPP_IPAM_MAX_COUNT);
		return -EINVAL;
	}
	if ((uint64_t)first + count - 1 > UINT32_MAX) {
		set_err(err, errcap, "the address pool %s + %u runs past 255.255.255.255", ip_str(first, a), count);
		return -EINVAL;
	}
	if ((host & (host + 1)) != 0) {
		set_err(err, errcap, "netmask %s is not contiguous", ip_str(mask, a));
		return -EINVAL;
	}
	if (local == 0) {
		set_err(err, errcap, "no local (server) address given");
		return -EINVAL;
	}
	p->mask = mask;
	p->local = local;
	p->first = first;
	p->count = count;

	for (unsigned i = 0; i < count; i++) {
		uint32_t addr = first + i;
		if (is_special(addr)) {
			set_err(err, errcap, "the address pool %s-%s contains %s, which is not a unicast host address",
				ip_str(first, a), ip_str(first + count - 1, b), ip_str(addr, b));
			memset(p, 0, sizeof(*p));
			return -EINVAL;
		}
		if (is_net_or_bcast(p, addr)) {
			char m[16];
			set_err(err, errcap, "the address pool %s + %u contains %s, the %s address of its network "
				"(mask %s): start later or use fewer addresses", ip_str(first, a), count,
				ip_str(addr, b), (addr & host) == 0 ? "network" : "broadcast", ip_str(mask, m));
			memset(p, 0, sizeof(*p));
			return -EINVAL;
		}
	}

	size_t words = (count + WORD_BITS - 1) / WORD_BITS;
	p->used = calloc(words, sizeof(*p->used));
	if (!p->used) {
		set_err(err, errcap, "out of memory for an address pool of %u", count);
		memset(p, 0, sizeof(*p));
		return -ENOMEM;
	}
	/* Bits past the end of the range are permanently "used". */
	for (unsigned i = count; i < words * WORD_BITS; i++)
		bit_set(p, i);
	p->capacity = count;
	if (in_pool(p, local)) {
		bit_set(p, local - first);  /* ours: never leased */
		p->capacity--;
		if (p->capacity == 0) {
			set_err(err, errcap, "the address pool holds only the local address %s", ip_str(local, a));
			uppp_ipam_destroy(p);
			return -EINVAL;
		}
	}
	return 0;
}

int uppp_ipam_alloc(struct uppp_ipam *p, uint32_t *addr)
{
	size_t words = (p->count + WORD_BITS - 1) / WORD_BITS;
	if (!p->used)
		return -ENOSPC;
	for (size_t w = p->search_from; w < words; w++) {
		if (p->used[w] == UINT64_MAX)
			continue;
		unsigned i = (unsigned)(w * WORD_BITS) + (unsigned)__builtin_ctzll(~p->used[w]);
		bit_set(p, i);
		p->in_use++;
		p->search_from = (unsigned)w;
		*addr = p->first + i;
		return 0;
	}
	p->search_from = (unsigned)words;
	return -ENOSPC;
}

/* Index of a in the sorted static list, or where it would be inserted. */
static size_t statics_find(const struct uppp_ipam *p, uint32_t a, bool *found)
{
	size_t lo = 0, hi = p->n_statics;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->statics[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < p->n_statics && p->statics[lo] == a;
	return lo;
}

int uppp_ipam_reserve(struct uppp_ipam *p, uint32_t addr)
{
	if (addr == p->local || is_special(addr) || is_net_or_bcast(p, addr))
		return -EINVAL;
	if (in_pool(p, addr)) {
		unsigned i = addr - p->first;
		if (bit_get(p, i))
			return -EADDRINUSE;
		bit_set(p, i);
		p->in_use++;
		return 0;
	}
	bool found;
	size_t at = statics_find(p, addr, &found);
	if (found)
		return -EADDRINUSE;
	if (p->n_statics == p->statics_cap) {
		size_t cap = p->statics_cap ? p->statics_cap * 2 : 8;
		uint32_t *n = realloc(p->statics, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		p->statics = n;
		p->statics_cap = cap;
	}
	memmove(&p->statics[at + 1], &p->statics[at], (p->n_statics - at) * sizeof(*p->statics));
	p->statics[at] = addr;
	p->n_statics++;
	return 0;
}

void uppp_ipam_release(struct uppp_ipam *p, uint32_t addr)
{
	if (addr == p->local)
		return;
	if (in_pool(p, addr)) {
		unsigned i = addr - p->first;
		if (bit_get(p, i)) {
			bit_clear(p, i);
			p->in_use--;
		}
		return;
	}
	bool found;
	size_t at = statics_find(p, addr, &found);
	if (!found)
		return;
	memmove(&p->statics[at], &p->statics[at + 1], (p->n_statics - at - 1) * sizeof(*p->statics));
	p->n_statics--;
}

unsigned uppp_ipam_in_use(const struct uppp_ipam *p) { return p->in_use; }
unsigned uppp_ipam_capacity(const struct uppp_ipam *p) { return p->capacity; }
size_t uppp_ipam_statics_in_use(const struct uppp_ipam *p) { return p->n_statics; }

int uppp_ipam_is_leased(const struct uppp_ipam *p, uint32_t addr)
{
	if (addr == p->local)
		return 0;
	if (in_pool(p, addr))
		return bit_get(p, addr - p->first) ? 1 : 0;
	bool found;
	statics_find(p, addr, &found);
	return found ? 1 : 0;
}

void uppp_ipam_destroy(struct uppp_ipam *p)
{
	free(p->used);
	free(p->statics);
	memset(p, 0, sizeof(*p));
}
