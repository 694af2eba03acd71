/* bench/loadgen.c — many PPPoE clients in one process, made of uppp's own
 * sans-I/O client engine (uppp/dial.h), one MAC each, over one AF_PACKET
 * socket: the control-plane benchmark's load and the data-path benchmark's
 * session.
 *
 *   bench_loadgen -i IFACE -n SESSIONS [-w WINDOW] [-u USER -p PASSWORD]
 *                 [--leave | --hold]
 *
 * Dials SESSIONS sessions, at most WINDOW (default 256) negotiating at once,
 * MACs 02:55:00:00:00:01 upwards. When each has come up or failed it prints
 * one JSON line {"phase":"setup",...}: how many came up, the seconds to the
 * first 1,000, 10,000 and all of them, and setups per second. Then:
 *   (default)  hangs every session up (LCP Terminate-Request, PADT), WINDOW
 *              at a time, and prints {"phase":"teardown",...};
 *   --hold     waits for SIGUSR1 (the benchmark measures the server while the
 *              sessions are up; they answer echoes), then hangs up as above;
 *   --leave    prints {"phase":"leave","sid":..,"mac":..,"ip":..} for each
 *              session and exits without a word to the server: the sessions
 *              stay up there (the data-path benchmark then sends as them).
 * Exit status 0 when every session came up (and went down), else 1. */
#define _GNU_SOURCE  /* sendmmsg, recvmmsg */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "pktio.h"
#include "uppp/dial.h"

struct gen;

struct sess {
	struct gen *g;
	struct uppp_dial *d;
	uint8_t mac[6];
	uint32_t ip;
	bool started, up, down;
	bool hanging;        /* hung up, not down yet */
	struct uppp_dial_config cfg;   /* the dial keeps a pointer to it: one each (its MAC) */
	enum uppp_cause cause;
};

struct gen {
	struct pktio io;
	struct sess *s;
	unsigned *act;       /* indices of the sessions negotiating or hanging up: */
	unsigned nact;       /* only their timers run (an idle session up has none) */
	unsigned n, window;
	unsigned started, up_count, down_count, failed;
	unsigned hung_up;
	uint64_t now;
	double t0;        /* when the set-up began (s, CLOCK_MONOTONIC) */
	double t_1k, t_10k, t_all;
	uint64_t rng;
	unsigned causes[UPPP_CAUSE_COUNT];
	struct uppp_dial_config cfg;
};

static volatile sig_atomic_t got_usr1, got_stop;
static void on_usr1(int s) { (void)s; got_usr1 = 1; }
static void on_stop(int s) { (void)s; got_stop = 1; }

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the dial's ops ---- */

static void op_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct sess *s = ctx;
	(void)pktio_send(&s->g->io, frame, len);
}

/* A load generator's randomness (Host-Uniq, magic numbers): xorshift64*
 * seeded from getrandom(), not for anything secret. */
static int op_random(void *ctx, void *buf, size_t len)
{
	struct gen *g = ((struct sess *)ctx)->g;
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++) {
		g->rng ^= g->rng >> 12, g->rng ^= g->rng << 25, g->rng ^= g->rng >> 27;
		b[i] = (uint8_t)((g->rng * 0x2545F4914F6CDD1DULL) >> 56);
	}
	return 0;
}

static int op_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct sess *s = ctx;
	struct gen *g = s->g;

	if (s->up)
		return 0;   /* renegotiated */
	s->up = true;
	s->ip = link->local_ip;
	g->up_count++;
	double t = now_s() - g->t0;
	if (g->up_count == 1000)
		g->t_1k = t;
	if (g->up_count == 10000)
		g->t_10k = t;
	return 0;
}

static void op_down(void *ctx, enum uppp_cause cause)
{
	struct sess *s = ctx;
	struct gen *g = s->g;

	s->down = true;
	s->cause = cause;
	g->down_count++;
	if (!s->up)
		g->failed++;
	if ((unsigned)cause < UPPP_CAUSE_COUNT)
		g->causes[cause]++;
}

static void op_deliver_ip(void *ctx, uint8_t *pkt, size_t len)
{
	(void)ctx, (void)pkt, (void)len;
}

static const struct uppp_dial_ops dial_ops = {
	.send_frame = op_send,
	.random = op_random,
	.up = op_up,
	.down = op_down,
	.deliver_ip = op_deliver_ip,
};

/* ---- frames in ---- */

static void on_frame(void *ctx, uint8_t *frame, size_t len)
{
	struct gen *g = ctx;

	if (len < 14 || frame[0] != 0x02 || frame[1] != 0x55)
		return;
	uint32_t idx = (uint32_t)frame[2] << 24 | (uint32_t)frame[3] << 16 | (uint32_t)frame[4] << 8 | frame[5];
	if (idx == 0 || idx > g->n)
		return;
	struct sess *s = &g->s[idx - 1];
	if (s->d && !s->down)
		uppp_dial_input(s->d, frame, len, g->now);
}

/* Runs due timers of the sessions negotiating or hanging up, dropping from
 * that list the ones up or down; at most every few milliseconds (the dials'
 * timers are seconds long). */
static void run_timers(struct gen *g)
{
	for (unsigned k = 0; k < g->nact;) {
		struct sess *s = &g->s[g->act[k]];
		if (s->down || (s->up && !s->hanging)) {
			g->act[k] = g->act[--g->nact];
			continue;
		}
		if (uppp_dial_next_deadline(s->d) <= g->now)
			uppp_dial_run_timers(s->d, g->now);
		k++;
	}
}

static int start_one(struct gen *g)
{
	struct sess *s = &g->s[g->started];
	unsigned idx = g->started + 1;

	s->g = g;
	s->mac[0] = 0x02, s->mac[1] = 0x55;
	s->mac[2] = (uint8_t)(idx >> 24), s->mac[3] = (uint8_t)(idx >> 16);
	s->mac[4] = (uint8_t)(idx >> 8), s->mac[5] = (uint8_t)idx;
	s->cfg = g->cfg;
	memcpy(s->cfg.mac, s->mac, 6);
	s->d = uppp_dial_new(&s->cfg, &dial_ops, s);
	if (!s->d)
		return -ENOMEM;
	s->started = true;
	g->act[g->nact++] = g->started;
	g->started++;
	uppp_dial_start(s->d, g->now);
	return 0;
}

/* One pass of the loop: frames in, timers, frames out; waits up to 1 ms
 * when nothing came. */
static int pass(struct gen *g, uint64_t *next_timers)
{
	g->now = now_ms();
	int n = pktio_rx(&g->io, on_frame, g);
	if (n < 0)
		return n;
	if (g->now >= *next_timers) {
		run_timers(g);
		*next_timers = g->now + 5;
	}
	pktio_flush(&g->io);
	if (n == 0)
		pktio_wait(&g->io, 1);
	return 0;
}

static void print_causes(struct gen *g)
{
	printf(",\"causes\":{");
	bool first = true;
	for (int c = 0; c < UPPP_CAUSE_COUNT; c++)
		if (g->causes[c]) {
			printf("%s\"%s\":%u", first ? "" : ",", uppp_cause_name((enum uppp_cause)c), g->causes[c]);
			first = false;
		}
	printf("}");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "leave", no_argument, NULL, 'L' },
		{ "hold", no_argument, NULL, 'H' },
		{ 0, 0, 0, 0 },
	};
	struct gen g = { .window = 256 };
	const char *ifname = NULL, *user = "bench", *password = "bench";
	bool leave = false, hold = false;
	int o, rc;

	while ((o = getopt_long(argc, argv, "i:n:w:u:p:", longopts, NULL)) != -1) {
		switch (o) {
		case 'i': ifname = optarg; break;
		case 'n': g.n = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'w': g.window = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'u': user = optarg; break;
		case 'p': password = optarg; break;
		case 'L': leave = true; break;
		case 'H': hold = true; break;
		default: goto usage;
		}
	}
	if (!ifname || g.n == 0 || g.n > 0xfffe || g.window == 0)
		goto usage;

	signal(SIGUSR1, on_usr1);
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	if (getrandom(&g.rng, sizeof(g.rng), 0) != sizeof(g.rng) || g.rng == 0)
		g.rng = 0x9e3779b97f4a7c15ULL;
	g.s = calloc(g.n, sizeof(*g.s));
	g.act = calloc(2 * (size_t)g.n, sizeof(*g.act));   /* a session may be on it twice */
	if (!g.s || !g.act)
		return 1;
	if ((rc = pktio_open(&g.io, ifname, PKTIO_RX_RECVMMSG, 0)) < 0) {
		fprintf(stderr, "bench_loadgen: %s: %s\n", ifname, strerror(-rc));
		return 1;
	}
	g.cfg.service = "";
	g.cfg.padi_timeout_ms = 1000;
	g.cfg.padi_attempts = 10;
	uppp_ppp_config_defaults(&g.cfg.ppp);
	g.cfg.ppp.name = user;
	g.cfg.ppp.password = password;
	g.cfg.ppp.echo_interval_ms = 0;   /* the server's echoes are answered */

	/* ---- set-up ---- */
	uint64_t next_timers = 0;
	g.t0 = now_s();
	while (!got_stop && g.up_count + g.failed < g.n) {
		while (g.started < g.n && g.started - g.up_count - g.failed < g.window)
			if (start_one(&g) < 0)
				goto out_of_memory;
		if ((rc = pass(&g, &next_timers)) < 0)
			goto io_error;
	}
	g.t_all = now_s() - g.t0;
	printf("{\"phase\":\"setup\",\"sessions\":%u,\"up\":%u,\"failed\":%u,\"seconds\":%.4f,\"per_s\":%.1f",
	       g.n, g.up_count, g.failed, g.t_all, g.t_all > 0 ? g.up_count / g.t_all : 0.0);
	if (g.t_1k > 0)
		printf(",\"t_1k\":%.4f", g.t_1k);
	if (g.t_10k > 0)
		printf(",\"t_10k\":%.4f", g.t_10k);
	print_causes(&g);
	printf("}\n");
	fflush(stdout);

	if (leave) {
		for (unsigned i = 0; i < g.n; i++) {
			struct sess *s = &g.s[i];
			if (s->up)
				printf("{\"phase\":\"leave\",\"sid\":%u,\"mac\":\"%02x:%02x:%02x:%02x:%02x:%02x\","
				       "\"ip\":\"%u.%u.%u.%u\"}\n", uppp_dial_session_id(s->d), s->mac[0], s->mac[1],
				       s->mac[2], s->mac[3], s->mac[4], s->mac[5], s->ip >> 24, (s->ip >> 16) & 0xff,
				       (s->ip >> 8) & 0xff, s->ip & 0xff);
			uppp_dial_free(s->d);
		}
		pktio_close(&g.io);
		free(g.s);
		free(g.act);
		return g.failed ? 1 : 0;
	}
	if (hold) {
		while (!got_usr1 && !got_stop)
			if ((rc = pass(&g, &next_timers)) < 0)
				goto io_error;
	}

	/* ---- teardown ---- */
	unsigned live = g.up_count - (g.down_count - g.failed);
	unsigned down_before = g.down_count;
	double t1 = now_s();
	unsigned next = 0;
	while (!got_stop && g.down_count - down_before < live) {
		for (; next < g.n && g.hung_up - (g.down_count - down_before) < g.window; next++) {
			struct sess *s = &g.s[next];
			if (s->up && !s->down) {
				uppp_dial_hangup(s->d, UPPP_CAUSE_ADMIN, g.now);
				s->hanging = true;
				g.act[g.nact++] = next;
				g.hung_up++;
			}
		}
		if ((rc = pass(&g, &next_timers)) < 0)
			goto io_error;
	}
	double td = now_s() - t1;
	unsigned ended = g.down_count - down_before;
	printf("{\"phase\":\"teardown\",\"sessions\":%u,\"seconds\":%.4f,\"per_s\":%.1f}\n", ended, td,
	       td > 0 ? ended / td : 0.0);
	for (unsigned i = 0; i < g.n; i++)
		uppp_dial_free(g.s[i].d);
	pktio_close(&g.io);
	free(g.s);
	free(g.act);
	return g.failed || got_stop ? 1 : 0;

out_of_memory:
	fprintf(stderr, "bench_loadgen: out of memory after %u sessions\n", g.started);
	return 1;
io_error:
	fprintf(stderr, "bench_loadgen: %s: %s\n", ifname, strerror(-rc));
	return 1;
usage:
	fprintf(stderr, "usage: bench_loadgen -i IFACE -n SESSIONS [-w WINDOW] [-u USER -p PASSWORD] "
			"[--leave | --hold]\n");
	return 2;
}
