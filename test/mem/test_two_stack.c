/* test_two_stack.c — one access concentrator and one client wired through
 * memory (mem/mem_world.h: a frame queue with 1 ms latency and a virtual
 * clock), with optional deterministic loss. Nothing sleeps; minutes of
 * protocol time run in milliseconds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "proto/ac.h"
#include "proto/dial.h"
#include "proto/pppoe.h"

#include "mem/ac_host.h"
#include "mem/mem_world.h"

enum side { TO_AC, TO_CLIENT };

struct world {
	uint64_t now;
	uint64_t rng;
	unsigned loss_pct;            /* each frame, each way */
	bool client_silent;           /* drop everything the client sends */
	bool verbose;

	struct mem_wire wire;
	unsigned padt_to_client;

	/* access concentrator side */
	struct uppp_ac_config ac_cfg;
	struct uppp_ac *ac;
	struct uppp_ac_session *ac_sess;
	unsigned ac_ups, ac_downs;
	enum uppp_cause ac_cause;
	uint64_t ac_down_at;
	struct uppp_ppp_link ac_link;
	char ac_peer_name[64];
	int up_error;                 /* session_up() returns this */
	uint32_t next_ip;
	unsigned leased, released;
	uint8_t ac_rx_ip[2048];
	size_t ac_rx_ip_len;

	/* client side */
	struct uppp_dial_config cl_cfg;
	struct uppp_dial *cl;
	unsigned cl_ups, cl_downs;
	enum uppp_cause cl_cause;
	struct uppp_ppp_link cl_link;
	uint8_t cl_rx_ip[2048];
	size_t cl_rx_ip_len;

	char last_logs[16][600];
	unsigned n_log;
};

static void fill_random(struct world *w, void *buf, size_t len) { mem_fill_random(&w->rng, buf, len); }

static void remember_log(struct world *w, const char *who, const char *line)
{
	snprintf(w->last_logs[w->n_log++ % 16], sizeof(w->last_logs[0]), "%s %s", who, line);
	if (w->verbose)
		fprintf(stderr, "[%8llu] %s %s\n", (unsigned long long)w->now, who, line);
}

static bool log_seen(const struct world *w, const char *needle)
{
	for (unsigned i = 0; i < 16 && i < w->n_log; i++)
		if (strstr(w->last_logs[i], needle))
			return true;
	return false;
}

static void enqueue(struct world *w, enum side to, const uint8_t *frame, size_t len)
{
	if (to == TO_AC && w->client_silent)
		return;
	if (w->loss_pct && mem_prng(&w->rng) % 100 < w->loss_pct)
		return;
	mem_wire_send(&w->wire, to == TO_AC, w->now, frame, len);
}

/* ---- AC ops ---- */

static void ac_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct world *w = ctx;
	struct uppp_pppoe_frame f;
	if (uppp_pppoe_parse(frame, len, &f) == 0 && f.ethertype == ETH_P_PPPOE_DISC && f.code == PPPOE_CODE_PADT)
		w->padt_to_client++;
	enqueue(w, TO_CLIENT, frame, len);
}


static int ac_random(void *ctx, void *buf, size_t len) { fill_random(ctx, buf, len); return 0; }

static void ac_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ac_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	remember_log(ctx, "ac", line);
}

/* the engine's logger: every level, each line as one "%s" */
static void ac_emit(void *ud, enum uppp_log_level level, const char *line)
{
	ac_log(ud, level, "%s", line);
}

static const struct ac_secret secrets[] = {
	{ "alice", "wonderland" },
	{ "bob", "builder" },
};

static int ac_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	return ac_secret_lookup(secrets, sizeof(secrets) / sizeof(secrets[0]), peer, secret, cap, len);
}

static int ac_assign(void *ctx, struct uppp_ac_session *s, const char *peer, uint32_t serial, uint32_t *ip)
{
	struct world *w = ctx;
	(void)serial;
	*ip = w->next_ip++;
	w->leased++;
	return 0;
}

static void ac_release(void *ctx, struct uppp_ac_session *s, uint32_t ip) { ((struct world *)ctx)->released++; }

static int ac_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link)
{
	struct world *w = ctx;
	if (w->up_error)
		return w->up_error;
	w->ac_ups++;
	w->ac_sess = s;
	w->ac_link = *link;
	snprintf(w->ac_peer_name, sizeof(w->ac_peer_name), "%s", link->peer_name ? link->peer_name : "");
	return 0;
}

static void ac_down(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct world *w = ctx;
	w->ac_downs++;
	w->ac_cause = cause;
	w->ac_down_at = w->now;
	if (w->ac_sess == s)
		w->ac_sess = NULL;
}

static void ac_deliver(void *ctx, struct uppp_ac_session *s, uint8_t *pkt, size_t len)
{
	struct world *w = ctx;
	assert_true(len <= sizeof(w->ac_rx_ip));
	memcpy(w->ac_rx_ip, pkt, len);
	w->ac_rx_ip_len = len;
}

static const struct uppp_ac_ops ac_ops = {
	.send_frame = ac_send, .random = ac_random,
	.get_secret = ac_get_secret, .assign_address = ac_assign, .release_address = ac_release,
	.session_up = ac_up, .session_down = ac_down, .deliver_ip = ac_deliver,
};

/* ---- client ops ---- */

static void cl_send(void *ctx, const uint8_t *frame, size_t len) { enqueue(ctx, TO_AC, frame, len); }
static int cl_random(void *ctx, void *buf, size_t len) { fill_random(ctx, buf, len); return 0; }

static void cl_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cl_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	remember_log(ctx, "client", line);
}

/* the engine's logger: every level, each line as one "%s" */
static void cl_emit(void *ud, enum uppp_log_level level, const char *line)
{
	cl_log(ud, level, "%s", line);
}

static int cl_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct world *w = ctx;
	w->cl_ups++;
	w->cl_link = *link;
	return 0;
}

static void cl_down(void *ctx, enum uppp_cause cause)
{
	struct world *w = ctx;
	w->cl_downs++;
	w->cl_cause = cause;
}

static void cl_deliver(void *ctx, uint8_t *pkt, size_t len)
{
	struct world *w = ctx;
	assert_true(len <= sizeof(w->cl_rx_ip));
	memcpy(w->cl_rx_ip, pkt, len);
	w->cl_rx_ip_len = len;
}

static const struct uppp_dial_ops cl_ops = {
	.send_frame = cl_send, .random = cl_random, .up = cl_up, .down = cl_down, .deliver_ip = cl_deliver,
};

/* ---- the world ---- */

static struct world *world_new(enum uppp_auth_method auth, const char *user, const char *password, uint64_t seed)
{
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->rng = seed | 1;
	w->verbose = getenv("UPPP_TEST_VERBOSE") != NULL;
	w->next_ip = 0x0a000002;   /* pool 10.0.0.2 ... */

	mem_configs(&w->ac_cfg, &w->cl_cfg, auth, user, password);
	w->ac_cfg.ppp.dns[0] = 0x72727272;
	w->ac_cfg.ppp.echo_interval_ms = 10000;
	w->ac_cfg.ppp.echo_failure = 3;

	w->ac_cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = ac_emit, .ud = w };
	w->cl_cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = cl_emit, .ud = w };
	mem_engines_new(&w->ac, &w->ac_cfg, &ac_ops, &w->cl, &w->cl_cfg, &cl_ops, w);
	return w;
}

static void world_free(struct world *w)
{
	mem_engines_free(w->ac, w->cl);
	free(w);
}

/* Runs every event (frame delivery, timer) due up to `until`, in time order. */
static void run_until(struct world *w, uint64_t until) { mem_wire_run_until(&w->wire, &w->now, w->ac, w->cl, until); }

/* Runs until both sides report up (or `limit` of virtual time passes). */
static bool run_until_up(struct world *w, uint64_t limit)
{
	uint64_t end = w->now + limit;
	while (w->now < end) {
		run_until(w, w->now + 10);
		if (w->ac_ups && w->cl_ups)
			return true;
		if (w->cl_downs)
			return false;
	}
	return false;
}

static void connect_and_check(struct world *w, const char *user)
{
	uppp_dial_start(w->cl, w->now);
	assert_true(run_until_up(w, 60000));
	assert_true(uppp_dial_is_up(w->cl));
	assert_int_not_equal(uppp_dial_session_id(w->cl), 0);
	assert_int_equal(uppp_ac_session_count(w->ac), 1);
	assert_non_null(w->ac_sess);
	assert_int_equal(uppp_ac_session_id(w->ac_sess), uppp_dial_session_id(w->cl));
	/* The client got its address from the test's pool, and knows ours. */
	assert_int_equal(w->cl_link.local_ip, 0x0a000002);
	assert_int_equal(w->cl_link.peer_ip, 0x0a000001);
	assert_int_equal(w->ac_link.peer_ip, 0x0a000002);
	assert_int_equal(w->ac_link.local_ip, 0x0a000001);
	assert_string_equal(w->ac_peer_name, user);
	assert_int_equal(w->leased, 1);
	assert_true(w->cl_link.mtu <= UPPP_PPPOE_MTU && w->cl_link.mtu >= 576);
	assert_int_equal(w->cl_downs, 0);
	assert_int_equal(w->ac_downs, 0);
}

/* ---- tests ---- */

static void pap_reaches_ipcp_opened(void **state)
{
	struct world *w = world_new(UPPP_AUTH_PAP, "alice", "wonderland", 1);
	connect_and_check(w, "alice");
	/* Stays up: keepalives keep flowing for a while. */
	run_until(w, w->now + 60000);
	assert_true(uppp_dial_is_up(w->cl));
	assert_int_equal(w->ac_downs, 0);
	world_free(w);
}

static void chap_reaches_ipcp_opened(void **state)
{
	struct world *w = world_new(UPPP_AUTH_CHAP_MD5, "bob", "builder", 2);
	connect_and_check(w, "bob");
	world_free(w);
}

static void no_auth_reaches_ipcp_opened(void **state)
{
	struct world *w = world_new(UPPP_AUTH_NONE, "", "", 3);
	connect_and_check(w, "");
	world_free(w);
}

static void wrong_password_fails_with_padt(void **state)
{
	for (int proto = 0; proto < 2; proto++) {
		struct world *w = world_new(proto ? UPPP_AUTH_CHAP_MD5 : UPPP_AUTH_PAP, "alice", "rabbit", 4);
		uppp_dial_start(w->cl, w->now);
		run_until(w, 60000);
		assert_int_equal(w->ac_ups, 0);
		assert_int_equal(w->cl_ups, 0);
		assert_int_equal(w->ac_downs, 1);
		assert_int_equal(w->ac_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
		assert_true(w->padt_to_client >= 1);
		assert_int_equal(uppp_ac_session_count(w->ac), 0);
		assert_int_equal(w->cl_downs, 1);
		assert_true(w->cl_cause == UPPP_CAUSE_AUTH_REFUSED || w->cl_cause == UPPP_CAUSE_PEER_PADT);
		assert_int_equal(w->leased, w->released);
		assert_true(log_seen(w, "cause=auth-bad-secret"));
		world_free(w);
	}
}

static void unknown_user_fails(void **state)
{
	struct world *w = world_new(UPPP_AUTH_PAP, "mallory", "x", 5);
	uppp_dial_start(w->cl, w->now);
	run_until(w, 60000);
	assert_int_equal(w->ac_downs, 1);
	assert_true(w->ac_cause == UPPP_CAUSE_AUTH_NO_SECRET || w->ac_cause == UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_int_equal(uppp_ac_session_count(w->ac), 0);
	assert_int_equal(w->cl_downs, 1);
	world_free(w);
}

/* Ten seeds of 30 % loss each way; returns how many reached IPCP Opened. */
static unsigned lossy_runs(enum uppp_auth_method auth, const char *user, const char *password)
{
	unsigned converged = 0;
	for (uint64_t seed = 100; seed < 110; seed++) {
		struct world *w = world_new(auth, user, password, seed);
		w->cl_cfg.padi_attempts = 8;
		w->cl_cfg.ppp.max_configure = 20;
		w->ac_cfg.ppp.max_configure = 20;
		w->loss_pct = 30;
		uppp_dial_start(w->cl, w->now);
		if (run_until_up(w, 300000)) {
			converged++;
			assert_int_equal(uppp_ac_session_count(w->ac), 1);
			assert_int_equal(w->cl_link.local_ip, 0x0a000002);
			/* Discovery under loss made exactly one session, whatever was retransmitted. */
			assert_int_equal(uppp_ac_counters(w->ac)->sessions_down, 0);
		} else if (w->verbose) {
			fprintf(stderr, "auth=%d seed %llu did not converge\n", (int)auth, (unsigned long long)seed);
		}
		world_free(w);
	}
	return converged;
}

static void converges_with_30_percent_loss_pap(void **state)
{
	assert_int_equal(lossy_runs(UPPP_AUTH_PAP, "alice", "wonderland"), 10);
}

static void converges_with_30_percent_loss_chap(void **state)
{
	/* A lost CHAP Success is recovered by the peer resending its Response
	 * (auth/chap.c); the authenticator answers it with Success again. */
	assert_int_equal(lossy_runs(UPPP_AUTH_CHAP_MD5, "bob", "builder"), 10);
}

static void silent_client_dropped_after_echo_timeout(void **state)
{
	struct world *w = world_new(UPPP_AUTH_PAP, "alice", "wonderland", 6);
	connect_and_check(w, "alice");
	uint64_t silent_from = w->now;
	/* echo-failure Echo-Requests over as many silent intervals, down at the
	 * end of the next silent one: (failure + 1) whole silent intervals,
	 * the first starting within one interval of silent_from */
	uint64_t limit = (uint64_t)w->ac_cfg.ppp.echo_interval_ms * (w->ac_cfg.ppp.echo_failure + 1);

	w->client_silent = true;
	run_until(w, silent_from + limit - 1);
	assert_int_equal(w->ac_downs, 0);  /* not before the echo budget is spent */
	run_until(w, silent_from + limit + 2 * w->ac_cfg.ppp.echo_interval_ms);
	assert_int_equal(w->ac_downs, 1);
	assert_int_equal(w->ac_cause, UPPP_CAUSE_ECHO_TIMEOUT);
	assert_true(w->ac_down_at >= silent_from + limit);
	assert_true(w->ac_down_at <= silent_from + limit + w->ac_cfg.ppp.echo_interval_ms);
	assert_int_equal(uppp_ac_session_count(w->ac), 0);
	assert_int_equal(w->released, 1);
	assert_true(w->padt_to_client >= 1);
	/* The Terminate-Request and the PADT reached the client, which went
	 * down too: a hang-up by the peer (Terminate-Request came first). */
	run_until(w, w->now + 100);
	assert_int_equal(w->cl_downs, 1);
	assert_int_equal(w->cl_cause, UPPP_CAUSE_PEER_TERM_REQ);
	assert_true(log_seen(w, "cause=echo-timeout"));
	world_free(w);
}

static void ip_packets_pass_both_ways(void **state)
{
	struct world *w = world_new(UPPP_AUTH_PAP, "alice", "wonderland", 7);
	uint8_t up_pkt[60], down_pkt[100];

	connect_and_check(w, "alice");
	/* Minimal IPv4 headers: client 10.0.0.2 → 8.8.8.8 (UDP), and back. */
	memset(up_pkt, 0, sizeof(up_pkt));
	up_pkt[0] = 0x45;
	uppp_put_be16(up_pkt + 2, sizeof(up_pkt));
	up_pkt[8] = 64;
	up_pkt[9] = 17;
	uppp_put_be32(up_pkt + 12, 0x0a000002);
	uppp_put_be32(up_pkt + 16, 0x08080808);
	for (size_t i = 20; i < sizeof(up_pkt); i++)
		up_pkt[i] = (uint8_t)i;
	uint8_t copy[sizeof(up_pkt)];
	memcpy(copy, up_pkt, sizeof(copy));
	assert_int_equal(uppp_dial_send_ip(w->cl, up_pkt, sizeof(up_pkt), w->now), 0);
	run_until(w, w->now + 5);
	assert_int_equal(w->ac_rx_ip_len, sizeof(copy));
	assert_memory_equal(w->ac_rx_ip, copy, sizeof(copy));

	memset(down_pkt, 0, sizeof(down_pkt));
	down_pkt[0] = 0x45;
	uppp_put_be16(down_pkt + 2, sizeof(down_pkt));
	down_pkt[8] = 64;
	down_pkt[9] = 17;
	uppp_put_be32(down_pkt + 12, 0x08080808);
	uppp_put_be32(down_pkt + 16, 0x0a000002);
	for (size_t i = 20; i < sizeof(down_pkt); i++)
		down_pkt[i] = (uint8_t)(0xff - i);
	uint8_t copy2[sizeof(down_pkt)];
	memcpy(copy2, down_pkt, sizeof(copy2));
	assert_int_equal(uppp_ac_send_ip(w->ac, w->ac_sess, down_pkt, sizeof(down_pkt), w->now), 0);
	run_until(w, w->now + 5);
	assert_int_equal(w->cl_rx_ip_len, sizeof(copy2));
	assert_memory_equal(w->cl_rx_ip, copy2, sizeof(copy2));

	const struct uppp_ppp_stats *st = uppp_ac_session_stats(w->ac_sess);
	assert_int_equal(st->rx_packets, 1);
	assert_int_equal(st->tx_packets, 1);
	world_free(w);
}

static void client_hangup_ends_server_session(void **state)
{
	struct world *w = world_new(UPPP_AUTH_PAP, "alice", "wonderland", 8);
	connect_and_check(w, "alice");
	uppp_dial_hangup(w->cl, UPPP_CAUSE_ADMIN, w->now);
	run_until(w, w->now + 10000);
	assert_int_equal(w->cl_downs, 1);
	assert_int_equal(w->cl_cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(w->ac_downs, 1);
	assert_true(w->ac_cause == UPPP_CAUSE_PEER_TERM_REQ || w->ac_cause == UPPP_CAUSE_PEER_PADT);
	assert_int_equal(uppp_ac_session_count(w->ac), 0);
	assert_int_equal(w->released, 1);
	world_free(w);
}

static void server_shutdown_reaches_client(void **state)
{
	struct world *w = world_new(UPPP_AUTH_CHAP_MD5, "bob", "builder", 9);
	connect_and_check(w, "bob");
	uppp_ac_shutdown(w->ac, UPPP_CAUSE_ADMIN, w->now);
	assert_int_equal(w->ac_downs, 1);
	assert_int_equal(w->ac_cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(uppp_ac_session_count(w->ac), 0);
	run_until(w, w->now + 10000);
	assert_int_equal(w->cl_downs, 1);
	assert_true(w->cl_cause == UPPP_CAUSE_PEER_PADT || w->cl_cause == UPPP_CAUSE_PEER_TERM_REQ);
	world_free(w);
}

static void interface_failure_ends_session(void **state)
{
	struct world *w = world_new(UPPP_AUTH_PAP, "alice", "wonderland", 10);
	w->up_error = -ENODEV;
	uppp_dial_start(w->cl, w->now);
	run_until(w, 30000);
	assert_int_equal(w->ac_ups, 0);
	assert_int_equal(w->ac_downs, 1);
	assert_int_equal(w->ac_cause, UPPP_CAUSE_INTERFACE);
	assert_int_equal(uppp_ac_session_count(w->ac), 0);
	assert_int_equal(uppp_ac_counters(w->ac)->sessions_up, 0);
	assert_int_equal(w->leased, 1);
	assert_int_equal(w->released, 1);
	assert_int_equal(w->cl_downs, 1);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pap_reaches_ipcp_opened),
		cmocka_unit_test(chap_reaches_ipcp_opened),
		cmocka_unit_test(no_auth_reaches_ipcp_opened),
		cmocka_unit_test(wrong_password_fails_with_padt),
		cmocka_unit_test(unknown_user_fails),
		cmocka_unit_test(converges_with_30_percent_loss_pap),
		cmocka_unit_test(converges_with_30_percent_loss_chap),
		cmocka_unit_test(silent_client_dropped_after_echo_timeout),
		cmocka_unit_test(ip_packets_pass_both_ways),
		cmocka_unit_test(client_hangup_ends_server_session),
		cmocka_unit_test(server_shutdown_reaches_client),
		cmocka_unit_test(interface_failure_ends_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
