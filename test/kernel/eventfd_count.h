/* test/kernel/eventfd_count.h — a loop callback for an eventfd the tests
 * write to (test_loop.c, test_host.c): it reads the fd empty and counts the
 * reads in *(int *)ctx. */
#ifndef UPPP_TEST_EVENTFD_COUNT_H
#define UPPP_TEST_EVENTFD_COUNT_H

#include <stdint.h>
#include <unistd.h>

static inline void test_eventfd_count(void *ctx, int fd, uint32_t events)
{
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		++*(int *)ctx;
}

#endif
