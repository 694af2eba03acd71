/* test_trace_hub.c — `trace` connections (runtime/trace.h) on a real loop
 * and socket pairs: only the matching client's frames and its session's end
 * reach a trace; a reader that does not read never blocks the loop — lines
 * beyond the bounded buffer are dropped and a "dropped" line says how many
 * once there is room; the hub is a tap only while a trace is open; a closed
 * reader ends its trace; at most UPPP_TRACE_MAX_CONNS. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "runtime/host.h"
#include "runtime/loop.h"
#include "runtime/trace.h"

static const uint8_t CLIENT_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t CLIENT_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };

struct world {
	struct uppp_host *h;
	struct uppp_loop *loop;
	struct uppp_trace_hub *hub;
};

static void log_nothing(void *ud, enum uppp_log_level level, const char *line)
{
	(void)ud, (void)level, (void)line;
}

static void world_init(struct world *w)
{
	w->h = calloc(1, sizeof(*w->h));
	assert_non_null(w->h);
	uppp_log_init_callback(&w->h->log, log_nothing, NULL, UPPP_LOG_DEBUG);
	w->loop = uppp_loop_new();
	assert_non_null(w->loop);
	w->hub = uppp_trace_hub_new(w->h, w->loop, &w->h->log);
	assert_non_null(w->hub);
}

static void world_free(struct world *w)
{
	uppp_trace_hub_free(w->hub);
	assert_null(w->h->taps.head);
	uppp_loop_free(w->loop);
	free(w->h);
}

/* An LCP Echo-Request from (in) or to (out) a client, session sid, seq in id. */
static void lcp(struct world *w, const uint8_t *client, enum uppp_tap_dir dir, uint16_t sid, uint8_t id)
{
	static const uint8_t server[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	uint8_t f[64] = { 0 };
	memcpy(f, dir == UPPP_TAP_IN ? server : client, 6);
	memcpy(f + 6, dir == UPPP_TAP_IN ? client : server, 6);
	f[12] = 0x88, f[13] = 0x64, f[14] = 0x11;
	f[16] = (uint8_t)(sid >> 8), f[17] = (uint8_t)sid;
	f[19] = 10;
	f[20] = 0xc0, f[21] = 0x21, f[22] = 9, f[23] = id, f[25] = 8;
	if (w->h->taps.head)
		uppp_taps_frame(&w->h->taps, dir, f, 64, 1000 + id);
}

static int attach(struct world *w, const struct uppp_trace_filter *f, int *reader)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	int rc = uppp_trace_attach(w->hub, sv[0], f);
	if (rc < 0) {
		close(sv[0]);
		close(sv[1]);
		return rc;
	}
	*reader = sv[1];
	return 0;
}

/* Everything readable now (the loop run in between), NUL-terminated. */
static size_t drain(struct world *w, int fd, char *buf, size_t cap)
{
	size_t len = 0;
	for (int idle = 0; idle < 3;) {
		(void)uppp_loop_run_once(w->loop, 0);
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n > 0) {
			len += (size_t)n;
			idle = 0;
		} else {
			idle++;
		}
	}
	buf[len] = '\0';
	return len;
}

static unsigned count(const char *s, const char *what)
{
	unsigned n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static void filters_and_end(void **state)
{
	struct world w;
	int ra, rall;
	static char buf[1 << 16];
	(void)state;
	world_init(&w);
	assert_null(w.h->taps.head);
	struct uppp_trace_filter fa = { .by_mac = true };
	memcpy(fa.mac, CLIENT_A, 6);
	struct uppp_trace_filter all = { 0 };
	assert_int_equal(attach(&w, &fa, &ra), 0);
	assert_non_null(w.h->taps.head);   /* tapping now */
	assert_int_equal(attach(&w, &all, &rall), 0);
	lcp(&w, CLIENT_A, UPPP_TAP_IN, 5, 1);
	lcp(&w, CLIENT_B, UPPP_TAP_OUT, 6, 2);
	lcp(&w, CLIENT_A, UPPP_TAP_OUT, 5, 3);
	uppp_taps_session_end(&w.h->taps, 5, CLIENT_A, UPPP_CAUSE_ECHO_TIMEOUT, "", 2000);
	drain(&w, ra, buf, sizeof(buf));
	assert_non_null(strstr(buf, "{\"event\":\"start\",\"sid\":null,\"mac\":\"02:00:00:00:00:0a\"}\n"));
	assert_int_equal(count(buf, "\"kind\":\"LCP\""), 2);
	assert_null(strstr(buf, "02:00:00:00:00:0b"));
	assert_non_null(strstr(buf, "\"dir\":\"in\",\"sid\":5"));
	assert_non_null(strstr(buf, "\"dir\":\"out\",\"sid\":5"));
	assert_non_null(strstr(buf, "\"event\":\"end\",\"sid\":5,\"mac\":\"02:00:00:00:00:0a\",\"cause\":\"echo-timeout\""));
	drain(&w, rall, buf, sizeof(buf));
	assert_int_equal(count(buf, "\"kind\":\"LCP\""), 3);
	/* a reader that goes away ends its trace; the last one takes the tap off */
	close(ra);
	drain(&w, rall, buf, sizeof(buf));
	close(rall);
	for (int i = 0; i < 3; i++)
		(void)uppp_loop_run_once(w.loop, 0);
	assert_null(w.h->taps.head);
	world_free(&w);
}

static void slow_reader_loses_lines_never_blocks(void **state)
{
	struct world w;
	int r;
	static char buf[1 << 22];
	(void)state;
	world_init(&w);
	struct uppp_trace_filter all = { 0 };
	assert_int_equal(attach(&w, &all, &r), 0);
	/* ~300 KB of lines into a socket buffer and a 64 KiB trace buffer that
	 * nobody reads: every call returns at once */
	const unsigned total = 2000;
	for (unsigned i = 0; i < total; i++)
		lcp(&w, CLIENT_A, UPPP_TAP_IN, 5, (uint8_t)i);
	size_t len = drain(&w, r, buf, sizeof(buf));
	assert_true(len > 0);
	unsigned got = count(buf, "\"kind\":\"LCP\"");
	static const char key[] = "\"event\":\"dropped\",\"lines\":";
	unsigned long dropped = 0;
	for (const char *d = buf; (d = strstr(d, key)); d += strlen(key))
		dropped += strtoul(d + strlen(key), NULL, 10);   /* lines were lost, and said so */
	assert_int_equal(got + dropped, total);
	assert_true(got > 0 && dropped > 0);
	/* every line whole */
	for (char *p = buf, *nl; (nl = strchr(p, '\n')); p = nl + 1)
		assert_true(p[0] == '{' && nl[-1] == '}');
	/* room again: new lines flow */
	lcp(&w, CLIENT_A, UPPP_TAP_IN, 5, 7);
	drain(&w, r, buf, sizeof(buf));
	assert_int_equal(count(buf, "\"kind\":\"LCP\""), 1);
	close(r);
	world_free(&w);
}

static void at_most_four(void **state)
{
	struct world w;
	int r[UPPP_TRACE_MAX_CONNS + 1];
	(void)state;
	world_init(&w);
	struct uppp_trace_filter all = { 0 };
	for (int i = 0; i < UPPP_TRACE_MAX_CONNS; i++)
		assert_int_equal(attach(&w, &all, &r[i]), 0);
	assert_true(uppp_trace_hub_full(w.hub));
	assert_int_equal(attach(&w, &all, &r[UPPP_TRACE_MAX_CONNS]), -EBUSY);
	world_free(&w);   /* closes the four */
	for (int i = 0; i < UPPP_TRACE_MAX_CONNS; i++)
		close(r[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(filters_and_end),
		cmocka_unit_test(slow_reader_loses_lines_never_blocks),
		cmocka_unit_test(at_most_four),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
