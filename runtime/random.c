/* runtime/random.c — random bytes from getrandom(2) (see random.h). */
#include "runtime/random.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

int uppp_random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- the engines' few bytes at a time ----
 *
 * A session set-up asks four times for a few bytes (session id, magic
 * number, challenge ...): four system calls. They are served from a buffer
 * of the kernel's bytes per thread instead; each byte goes out once and is
 * wiped. A forked child starts empty, never with its parent's bytes. */

#define POOL_BYTES 256
#define POOL_LARGEST 64   /* larger requests go to the kernel directly */

static __thread struct {
	uint8_t b[POOL_BYTES];
	size_t left;          /* the unused bytes are the last `left` of b */
} pool;

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void pool_drop(void)
{
	explicit_bzero(&pool, sizeof(pool));
}

static void register_atfork(void)
{
	(void)pthread_atfork(NULL, NULL, pool_drop);   /* else the first child may reuse bytes */
}

int uppp_random_pooled(void *buf, size_t len)
{
	if (len > POOL_LARGEST)
		return uppp_random_bytes(buf, len);
	(void)pthread_once(&atfork_once, register_atfork);
	if (pool.left < len) {
		int rc = uppp_random_bytes(pool.b, sizeof(pool.b));
		if (rc < 0)
			return rc;
		pool.left = sizeof(pool.b);
	}
	uint8_t *from = pool.b + sizeof(pool.b) - pool.left;
	memcpy(buf, from, len);
	explicit_bzero(from, len);
	pool.left -= len;
	return 0;
}

int uppp_random_ops_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	return uppp_random_pooled(buf, len);
}
