/* test_metrics.c — runtime/metrics.c on a real loopback socket in a
 * network namespace of the test's own: GET /metrics answers 200 with the
 * Prometheus text of the control socket's formatter (it parses, and it is
 * byte for byte what uppp_ctl_prometheus() makes of the same counters),
 * other paths 404, other methods 405 (with Allow), HEAD has no body; at
 * most max_conns connections are served at once; an idle connection is
 * closed at the timeout (only our loop's timer can wake MHD for it); a
 * taken port or a bad address fails uppp_metrics_open; MHD runs no thread
 * of its own.
 *
 * The test drives the server's loop itself and talks HTTP over
 * non-blocking client sockets: no threads, no sleeps. Every wait for
 * something that must happen is bounded only by HANG_GUARD_MS; the one
 * check that something does not happen (a connection past the limit is not
 * served) drives the loop until it has nothing left to do. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
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

#include "private_netns.h"
#include "runtime/control_proto.h"
#include "runtime/log.h"
#include "runtime/loop.h"
#include "runtime/metrics.h"

#define HANG_GUARD_MS 60000
#define ADDR "127.0.0.1"
#define PORT 9100

struct world {
	struct uppp_loop *loop;
	struct uppp_log log;
	struct uppp_metrics *m;
	struct uppp_server_stats st;
	unsigned stats_calls;
};

static void fake_stats(void *ctx, struct uppp_server_stats *st)
{
	struct world *w = ctx;
	w->stats_calls++;
	*st = w->st;
}

static struct world *world_new(unsigned max_conns, unsigned timeout_s)
{
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->loop = uppp_loop_new();
	assert_non_null(w->loop);
	uppp_log_init(&w->log, stderr, UPPP_LOG_DEBUG);
	w->st.padi_rx = 7;
	w->st.pado_tx = 6;
	w->st.sessions_up = 2;
	w->st.sessions_down = 1;
	w->st.sessions_down_by_cause[UPPP_CAUSE_ADMIN] = 1;
	w->st.auth_accepted[UPPP_AUTH_CHAP_MD5] = 3;
	w->st.sessions = 1;
	w->st.leases_in_use = 1;
	w->st.leases_free = 19;
	struct uppp_metrics_config mc = {
		.listen = ADDR ":9100", .stats = fake_stats, .stats_ctx = w, .loop = w->loop, .log = &w->log,
		.max_conns = max_conns, .timeout_s = timeout_s,
	};
	assert_int_equal(uppp_metrics_open(&mc, &w->m), 0);
	return w;
}

static void world_free(struct world *w)
{
	uppp_metrics_close(w->m);
	uppp_loop_free(w->loop);
	free(w);
}

/* ---- a non-blocking HTTP client ---- */

struct client {
	int fd;
	char buf[65536];
	size_t len;
	bool eof;
};

static void client_connect(struct world *w, struct client *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	inet_pton(AF_INET, ADDR, &sa.sin_addr);
	memset(c, 0, sizeof(*c));
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(c->fd >= 0);
	int rc = connect(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	assert_true(rc == 0 || errno == EINPROGRESS);
	/* the handshake is the kernel's (the listen backlog): wait for it
	 * while the loop runs, as a scraper's connect would */
	uint64_t end = uppp_monotonic_ms() + HANG_GUARD_MS;
	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = POLLOUT };
		if (poll(&p, 1, 0) == 1)
			break;
		assert_true(uppp_monotonic_ms() < end);
		assert_true(uppp_loop_run_once(w->loop, 10) >= 0);
	}
	int err = 0;
	socklen_t el = sizeof(err);
	getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
	assert_int_equal(err, 0);
}

static void client_send(struct client *c, const char *req)
{
	size_t n = strlen(req);
	assert_int_equal(send(c->fd, req, n, MSG_NOSIGNAL), (ssize_t)n);   /* a few bytes: the buffer takes them */
}

/* Reads what is there; true once the server closed. */
static bool client_read(struct client *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, MSG_DONTWAIT);
		if (n > 0) {
			c->len += (size_t)n;
			c->buf[c->len] = '\0';
			continue;
		}
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			c->eof = true;
		return c->eof;
	}
}

/* Runs the loop until the server has closed c. */
static void drive_until_closed(struct world *w, struct client *c)
{
	uint64_t end = uppp_monotonic_ms() + HANG_GUARD_MS;
	while (!client_read(c)) {
		assert_true(uppp_monotonic_ms() < end);
		assert_true(uppp_loop_run_once(w->loop, 100) >= 0);
	}
}

static void client_close(struct client *c)
{
	close(c->fd);
	c->fd = -1;
}

/* One request on a fresh connection; the whole reply in c->buf. */
static void request(struct world *w, struct client *c, const char *req)
{
	client_connect(w, c);
	client_send(c, req);
	drive_until_closed(w, c);
	client_close(c);
}

static unsigned status_of(const struct client *c)
{
	unsigned status = 0;
	assert_int_equal(sscanf(c->buf, "HTTP/1.%*u %u ", &status), 1);
	return status;
}

/* The value of header name (case-insensitive), or NULL. */
static const char *header_of(const struct client *c, const char *name, char *out, size_t cap)
{
	const char *end = strstr(c->buf, "\r\n\r\n");
	size_t nl = strlen(name);
	for (const char *p = strstr(c->buf, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n")) {
		if (!strncasecmp(p + 2, name, nl) && p[2 + nl] == ':') {
			const char *v = p + 3 + nl, *e = strstr(v, "\r\n");
			while (*v == ' ')
				v++;
			snprintf(out, cap, "%.*s", (int)(e - v), v);
			return out;
		}
	}
	return NULL;
}

static const char *body_of(const struct client *c)
{
	const char *p = strstr(c->buf, "\r\n\r\n");
	assert_non_null(p);
	return p + 4;
}

/* ---- a strict reader of the text exposition format 0.0.4 ---- */

static bool metric_name(const char **p)
{
	const char *s = *p;
	if (!(isalpha((unsigned char)*s) || *s == '_' || *s == ':'))
		return false;
	while (isalnum((unsigned char)*s) || *s == '_' || *s == ':')
		s++;
	*p = s;
	return true;
}

/* Every line is # HELP, # TYPE (counter or gauge, before the family's
 * first sample, once) or a sample NAME{LABEL="VALUE",...} INTEGER of a
 * declared family; a counter's name ends in _total. Returns the number of
 * samples, or -(line number) of the first bad line. */
static int parse_exposition(const char *text)
{
	char declared[64][64];
	int nd = 0, samples = 0, line = 0;
	const char *p = text;

	if (!*p || text[strlen(text) - 1] != '\n')
		return -1;
	while (*p) {
		line++;
		const char *eol = strchr(p, '\n');
		char l[1024];
		snprintf(l, sizeof(l), "%.*s", (int)(eol - p), p);
		p = eol + 1;
		const char *s = l;
		if (!strncmp(s, "# HELP ", 7)) {
			s += 7;
			if (!metric_name(&s) || *s != ' ')
				return -line;
			continue;
		}
		if (!strncmp(s, "# TYPE ", 7)) {
			s += 7;
			const char *n = s;
			if (!metric_name(&s) || *s != ' ')
				return -line;
			size_t nl = (size_t)(s - n);
			if (strcmp(s + 1, "counter") && strcmp(s + 1, "gauge"))
				return -line;
			if (!strcmp(s + 1, "counter") && (nl < 6 || strncmp(s - 6, "_total", 6)))
				return -line;
			for (int i = 0; i < nd; i++)
				if (strlen(declared[i]) == nl && !strncmp(declared[i], n, nl))
					return -line;   /* declared twice */
			if (nd == 64 || nl >= 64)
				return -line;
			snprintf(declared[nd++], 64, "%.*s", (int)nl, n);
			continue;
		}
		const char *n = s;
		if (!metric_name(&s))
			return -line;
		size_t nl = (size_t)(s - n);
		bool known = false;
		for (int i = 0; i < nd; i++)
			known |= strlen(declared[i]) == nl && !strncmp(declared[i], n, nl);
		if (!known)
			return -line;
		if (*s == '{') {
			s++;
			for (;;) {
				if (!(isalpha((unsigned char)*s) || *s == '_'))
					return -line;
				while (isalnum((unsigned char)*s) || *s == '_')
					s++;
				if (*s++ != '=' || *s++ != '"')
					return -line;
				while (*s && *s != '"')
					s += *s == '\\' && s[1] ? 2 : 1;
				if (*s++ != '"')
					return -line;
				if (*s == ',') {
					s++;
					continue;
				}
				if (*s++ != '}')
					return -line;
				break;
			}
		}
		if (*s++ != ' ' || !isdigit((unsigned char)*s))
			return -line;
		while (isdigit((unsigned char)*s))
			s++;
		if (*s)
			return -line;
		samples++;
	}
	return samples;
}

/* ---- cases ---- */

static const char get_req[] = "GET /metrics HTTP/1.1\r\nHost: uppp\r\nConnection: close\r\n\r\n";

static int setup_netns(void **state)
{
	(void)state;
	static bool done;
	static const char *why;
	if (!done) {
		why = test_private_netns_veth("mtr0", "mtr1");
		done = true;
	}
	if (why) {
		fprintf(stderr, "skip: %s\n", why);
		return -1;
	}
	return 0;
}

static void test_get_metrics(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct client c;
	char v[256];

	request(w, &c, get_req);
	assert_int_equal(status_of(&c), 200);
	assert_non_null(header_of(&c, "Content-Type", v, sizeof(v)));
	assert_string_equal(v, "text/plain; version=0.0.4; charset=utf-8");
	const char *body = body_of(&c);
	int n = parse_exposition(body);
	if (n <= 0)
		fail_msg("line %d of the body does not parse:\n%s", -n, body);
	/* the control socket's formatter, nothing of its own */
	char want[16384];
	assert_true(uppp_ctl_prometheus(&w->st, want, sizeof(want)) < sizeof(want));
	assert_string_equal(body, want);
	assert_non_null(strstr(body, "\nuppp_sessions_up_total 2\n"));
	assert_non_null(strstr(body, "\nuppp_discovery_frames_total{code=\"padi\",direction=\"rx\"} 7\n"));
	assert_int_equal(w->stats_calls, 1);

	/* the counters are read again at each request */
	w->st.sessions_up = 3;
	request(w, &c, get_req);
	assert_int_equal(status_of(&c), 200);
	assert_non_null(strstr(body_of(&c), "\nuppp_sessions_up_total 3\n"));
	assert_int_equal(w->stats_calls, 2);
	/* a query string does not change the resource */
	request(w, &c, "GET /metrics?x=1 HTTP/1.0\r\n\r\n");
	assert_int_equal(status_of(&c), 200);
	world_free(w);
}

static void test_not_found(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct client c;
	static const char *const paths[] = { "/", "/metrics/", "/metricsx", "/favicon.ico" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char req[256];
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: uppp\r\nConnection: close\r\n\r\n", paths[i]);
		request(w, &c, req);
		assert_int_equal(status_of(&c), 404);
	}
	assert_int_equal(w->stats_calls, 0);
	world_free(w);
}

static void test_method_not_allowed(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct client c;
	char v[64];

	request(w, &c, "POST /metrics HTTP/1.1\r\nHost: uppp\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(status_of(&c), 405);
	assert_non_null(header_of(&c, "Allow", v, sizeof(v)));
	assert_string_equal(v, "GET, HEAD");
	request(w, &c, "DELETE /metrics HTTP/1.1\r\nHost: uppp\r\nConnection: close\r\n\r\n");
	assert_int_equal(status_of(&c), 405);
	assert_int_equal(w->stats_calls, 0);
	/* HEAD: the headers of GET, no body */
	request(w, &c, "HEAD /metrics HTTP/1.1\r\nHost: uppp\r\nConnection: close\r\n\r\n");
	assert_int_equal(status_of(&c), 200);
	assert_string_equal(body_of(&c), "");
	world_free(w);
}

static void test_connection_limit(void **state)
{
	(void)state;
	struct world *w = world_new(2, 3600);   /* no idle timeout frees a place */
	struct client idle[2], extra;

	/* two connections that send nothing hold both places */
	client_connect(w, &idle[0]);
	client_connect(w, &idle[1]);
	uint64_t end = uppp_monotonic_ms() + HANG_GUARD_MS;
	while (uppp_metrics_connections(w->m) < 2) {
		assert_true(uppp_monotonic_ms() < end);
		assert_true(uppp_loop_run_once(w->loop, 100) >= 0);
	}
	/* a third is not served while they stay (the loop runs until it has
	 * nothing left to do) */
	client_connect(w, &extra);
	client_send(&extra, get_req);
	for (int quiet = 0; quiet < 3;) {
		int rc = uppp_loop_run_once(w->loop, 50);
		assert_true(rc >= 0);
		quiet = rc == 0 ? quiet + 1 : 0;
	}
	assert_false(client_read(&extra));
	assert_int_equal(extra.len, 0);
	assert_int_equal(uppp_metrics_connections(w->m), 2);
	assert_int_equal(w->stats_calls, 0);
	/* one place frees: the third is answered */
	client_close(&idle[0]);
	drive_until_closed(w, &extra);
	assert_int_equal(status_of(&extra), 200);
	assert_int_equal(w->stats_calls, 1);
	client_close(&extra);
	client_close(&idle[1]);
	world_free(w);
}

static void test_idle_timeout(void **state)
{
	(void)state;
	struct world *w = world_new(0, 1);
	struct client c;

	/* nothing but the loop's timer (MHD_get_timeout) wakes MHD for this */
	client_connect(w, &c);
	drive_until_closed(w, &c);
	assert_int_equal(c.len, 0);
	client_close(&c);
	uint64_t end = uppp_monotonic_ms() + HANG_GUARD_MS;
	while (uppp_metrics_connections(w->m) > 0) {
		assert_true(uppp_monotonic_ms() < end);
		assert_true(uppp_loop_run_once(w->loop, 100) >= 0);
	}
	world_free(w);
}

static unsigned threads(void)
{
	unsigned n = 0;
	DIR *d = opendir("/proc/self/task");
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_no_thread_and_bind_errors(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0);
	struct uppp_metrics *m2 = NULL;

	assert_int_equal(threads(), 1);
	struct uppp_metrics_config mc = {
		.listen = ADDR ":9100", .stats = fake_stats, .stats_ctx = w, .loop = w->loop, .log = &w->log,
	};
	assert_int_equal(uppp_metrics_open(&mc, &m2), -EADDRINUSE);
	assert_null(m2);
	mc.listen = "192.0.2.1:9100";   /* no interface here has it */
	assert_int_equal(uppp_metrics_open(&mc, &m2), -EADDRNOTAVAIL);
	mc.listen = "localhost:9100";
	assert_int_equal(uppp_metrics_open(&mc, &m2), -EINVAL);
	mc.listen = "[::1]:9101";        /* IPv6 loopback */
	assert_int_equal(uppp_metrics_open(&mc, &m2), 0);
	uppp_metrics_close(m2);
	world_free(w);
	/* closed: the port is free again */
	w = world_new(0, 0);
	world_free(w);
}

int main(void)
{
#if !UPPP_HAVE_METRICS
	fprintf(stderr, "skip: built without libmicrohttpd (UPPP_WITH_METRICS)\n");
	return 77;
#endif
	if (setup_netns(NULL) < 0)
		return 77;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_metrics),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_connection_limit),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_no_thread_and_bind_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
