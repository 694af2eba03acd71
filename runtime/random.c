/* runtime/random.c — random bytes from getrandom(2) (see random.h). */
#include "runtime/random.h"

#include <errno.h>
#include <stdint.h>
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

int uppp_random_ops_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	return uppp_random_bytes(buf, len);
}
