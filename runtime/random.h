/* runtime/random.h — random bytes from the kernel (getrandom(2)).
 *
 * For session ids, magic numbers, CHAP challenges and cookie keys: never
 * rand(). Hosts fill the proto/ ops->random callbacks with this. */
#ifndef UPPP_CORE_RANDOM_H
#define UPPP_CORE_RANDOM_H

#include <stddef.h>

/* Fills buf with len random bytes. Retries on EINTR and short reads (large
 * requests are served in pieces). Blocks only at early boot, until the
 * kernel's pool is initialised. Returns 0 or -errno (e.g. -ENOSYS on a
 * kernel without getrandom). */
int uppp_random_bytes(void *buf, size_t len);

/* The same bytes for small requests (up to 64) without a system call each:
 * served from a per-thread buffer of 256 kernel bytes, each used once and
 * wiped, refilled when short (a forked child never reuses its parent's).
 * 0 or -errno as uppp_random_bytes. */
int uppp_random_pooled(void *buf, size_t len);

/* The ops->random callback of proto/'s engines (ctx unused):
 * uppp_random_pooled. An engine that gets an error never falls back to weak
 * randomness: it refuses to start or ends the session with cause
 * HOST_ERROR (proto/ops.h, proto/ac.h, proto/dial.h). */
int uppp_random_ops_fill(void *ctx, void *buf, size_t len);

#endif
