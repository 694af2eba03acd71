/* test_ppp.c — two PPP engines (server and client) wired back to back in
 * memory, driven by a virtual clock: packets are queued and delivered in
 * order, time jumps to the next deadline, nothing sleeps. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ppp.h"
#include "core/ppp_defs.h"

#define QMAX 256
#define PKT_MAX 1600

struct side {
	const char *name;
	struct uppp_ppp ppp;
	struct uppp_ppp_config cfg;
	struct side *peer;
	uint32_t rnd;

	/* what the host saw */
	int ups, downs;
	struct uppp_ppp_link link;
	char peer_name[64];
	enum uppp_cause cause;
	uint64_t down_at, up_at;
	int assign_calls;
	int assign_rc;
	uint32_t assign_ip;
	char assign_name[64];
	int delivered;
	uint8_t last_ip[PKT_MAX];
	size_t last_ip_len;

	/* fault injection on what this side sends */
	bool mute;                 /* send nothing at all */
	bool mute_echo_reply;      /* drop LCP Echo-Replies only */
	int drop_conf_req;         /* drop this many LCP Configure-Requests */
	/* what this side sent */
	int sent_lcp[16];          /* by LCP code (0..15) */
	uint16_t last_proto_rej;
	uint8_t last_chap[300];    /* last CHAP packet sent */
	size_t last_chap_len;
	int sent_chap[8];          /* by CHAP code */
};

struct pkt {
	struct side *to;
	uint8_t data[PKT_MAX];
	size_t len;
};

static struct pkt queue[QMAX];
static size_t q_head, q_tail;
static uint64_t now;

static void enqueue(struct side *to, uint16_t proto, const uint8_t *info, size_t len)
{
	struct pkt *p;

	assert_true(q_tail - q_head < QMAX);
	assert_true(len + 2 <= PKT_MAX);
	p = &queue[q_tail++ % QMAX];
	p->to = to;
	uppp_put_be16(p->data, proto);
	memcpy(p->data + 2, info, len);
	p->len = len + 2;
}

static void h_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct side *s = ctx;

	if (protocol == PPP_LCP && len >= 1) {
		if (info[0] < 16)
			s->sent_lcp[info[0]]++;
		if (info[0] == LCP_PROTO_REJ && len >= 6)
			s->last_proto_rej = uppp_get_be16(info + 4);
		/* nothing we send may exceed the peer's MRU */
		assert_true(len <= 1492);
	}
	if (protocol == PPP_CHAP && len >= 1 && len <= sizeof(s->last_chap)) {
		memcpy(s->last_chap, info, len);
		s->last_chap_len = len;
		if (info[0] < 8)
			s->sent_chap[info[0]]++;
	}
	if (s->mute)
		return;
	if (protocol == PPP_LCP && len >= 1 && info[0] == LCP_ECHO_REP && s->mute_echo_reply)
		return;
	if (protocol == PPP_LCP && len >= 1 && info[0] == CP_CONF_REQ && s->drop_conf_req > 0) {
		s->drop_conf_req--;
		return;
	}
	enqueue(s->peer, protocol, info, len);
}

static void h_deliver(void *ctx, uint8_t *pkt, size_t len)
{
	struct side *s = ctx;
	s->delivered++;
	memcpy(s->last_ip, pkt, len < PKT_MAX ? len : PKT_MAX);
	s->last_ip_len = len;
}

static int h_random(void *ctx, void *buf, size_t len)
{
	struct side *s = ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++) {
		s->rnd = s->rnd * 1103515245u + 12345u;
		b[i] = (uint8_t)(s->rnd >> 16);
	}
	return 0;
}

static bool verbose;

static void h_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct side *s = ud;
	(void)level;
	if (verbose)
		fprintf(stderr, "%8llu %s %s\n", (unsigned long long)now, s->name, line);
}


static int h_get_secret(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len)
{
	(void)ctx;
	if (strcmp(peer_name, "alice") != 0)
		return -ENOENT;
	assert_true(cap >= 6);
	memcpy(secret, "secret", 6);
	*len = 6;
	return 0;
}

static int h_assign(void *ctx, const char *peer_name, uint32_t serial, uint32_t *peer_ip)
{
	struct side *s = ctx;
	(void)serial;
	s->assign_calls++;
	snprintf(s->assign_name, sizeof(s->assign_name), "%s", peer_name);
	if (s->assign_rc)
		return s->assign_rc;
	*peer_ip = s->assign_ip;
	return 0;
}

static void h_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct side *s = ctx;
	s->ups++;
	s->up_at = now;
	s->link = *link;
	snprintf(s->peer_name, sizeof(s->peer_name), "%s", link->peer_name);
	/* the engine says it is up while telling us so */
	assert_true(uppp_ppp_is_up(&s->ppp));
}

static void h_down(void *ctx, enum uppp_cause cause)
{
	struct side *s = ctx;
	s->downs++;
	s->cause = cause;
	s->down_at = now;
}

static const struct uppp_ppp_ops ops = {
	.send = h_send,
	.deliver_ip = h_deliver,
	.random = h_random,
	.get_secret = h_get_secret,
	.assign_address = h_assign,
	.up = h_up,
	.down = h_down,
};

static struct side srv, cli;
static const struct uppp_logger h_logger_srv = { UPPP_LOG_DEBUG, h_emit, &srv, NULL };
static const struct uppp_logger h_logger_cli = { UPPP_LOG_DEBUG, h_emit, &cli, NULL };

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* The last test's links (still up, perhaps) give back what they hold. */
static void release_pair(void)
{
	if (srv.ppp.env.ops)
		uppp_ppp_release(&srv.ppp);
	if (cli.ppp.env.ops)
		uppp_ppp_release(&cli.ppp);
}

static int release_last_pair(void **state)
{
	(void)state;
	release_pair();
	return 0;
}

static void setup_pair(enum uppp_auth_method auth, const char *password)
{
	release_pair();
	memset(&srv, 0, sizeof(srv));
	memset(&cli, 0, sizeof(cli));
	q_head = q_tail = 0;
	now = 1000;
	verbose = getenv("TEST_VERBOSE") != NULL;

	srv.name = "srv";
	srv.peer = &cli;
	srv.rnd = 1;
	uppp_ppp_config_defaults(&srv.cfg);
	srv.cfg.is_server = true;
	srv.cfg.auth = auth;
	srv.cfg.name = "uppp";
	srv.cfg.local_ip = IP(10, 0, 0, 1);
	srv.cfg.dns[0] = IP(114, 114, 114, 114);
	srv.assign_ip = IP(10, 0, 0, 7);

	cli.name = "cli";
	cli.peer = &srv;
	cli.rnd = 99;
	uppp_ppp_config_defaults(&cli.cfg);
	cli.cfg.name = "alice";
	cli.cfg.password = password;
}

static void start_pair(void)
{
	uppp_ppp_init(&srv.ppp, &srv.cfg, &ops, &srv);
	uppp_ppp_init(&cli.ppp, &cli.cfg, &ops, &cli);
	uppp_ppp_set_logger(&srv.ppp, &h_logger_srv);
	uppp_ppp_set_logger(&cli.ppp, &h_logger_cli);
	uppp_ppp_open(&srv.ppp, now);
	uppp_ppp_open(&cli.ppp, now);
}

static uint64_t next_deadline(void)
{
	uint64_t a = srv.downs ? UPPP_NO_DEADLINE : uppp_ppp_next_deadline(&srv.ppp);
	uint64_t b = cli.downs ? UPPP_NO_DEADLINE : uppp_ppp_next_deadline(&cli.ppp);
	return a < b ? a : b;
}

/* Deliver queued packets, then jump to the next deadline, until `until`. */
static void run_until(uint64_t until)
{
	for (int guard = 0; guard < 100000; guard++) {
		if (q_head != q_tail) {
			struct pkt *p = &queue[q_head++ % QMAX];
			uint8_t buf[PKT_MAX];
			size_t len = p->len;
			memcpy(buf, p->data, len);
			if (!p->to->downs)
				uppp_ppp_input(&p->to->ppp, buf, len, now);
			continue;
		}
		uint64_t t = next_deadline();
		if (t == UPPP_NO_DEADLINE || t > until) {
			if (until != UPPP_NO_DEADLINE && now < until)
				now = until;
			return;
		}
		assert_true(t >= now);  /* deadlines never lie in the past */
		now = t;
		if (!srv.downs)
			uppp_ppp_timer(&srv.ppp, now);
		if (!cli.downs)
			uppp_ppp_timer(&cli.ppp, now);
	}
	fail_msg("simulation did not settle");
}

static void run_for(uint64_t ms)
{
	run_until(now + ms);
}

static void assert_both_up(void)
{
	assert_int_equal(srv.ups, 1);
	assert_int_equal(cli.ups, 1);
	assert_int_equal(srv.downs, 0);
	assert_int_equal(cli.downs, 0);
	assert_true(uppp_ppp_is_up(&srv.ppp));
	assert_true(uppp_ppp_is_up(&cli.ppp));
	/* client got the address the host assigned; both agree */
	assert_int_equal(srv.assign_calls, 1);
	assert_int_equal(cli.link.local_ip, IP(10, 0, 0, 7));
	assert_int_equal(cli.link.peer_ip, IP(10, 0, 0, 1));
	assert_int_equal(srv.link.local_ip, IP(10, 0, 0, 1));
	assert_int_equal(srv.link.peer_ip, IP(10, 0, 0, 7));
	assert_int_equal(cli.link.dns[0], IP(114, 114, 114, 114));
	assert_int_equal(cli.link.dns[1], 0);
	assert_int_equal(srv.link.mtu, 1492);
	assert_int_equal(cli.link.mtu, 1492);
	assert_int_equal(srv.link.mru, 1492);
}

static void test_up_no_auth(void **state)
{
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	start_pair();
	run_for(100);
	assert_both_up();
	assert_string_equal(srv.peer_name, "");
	assert_string_equal(srv.assign_name, "");
	assert_int_equal(srv.ppp.phase, UPPP_PHASE_NETWORK);
	/* quiet once up: nothing pending but nothing else either */
	assert_int_equal(uppp_ppp_next_deadline(&srv.ppp), UPPP_NO_DEADLINE);
	run_for(600000);
	assert_int_equal(srv.ups, 1);
	assert_int_equal(srv.downs, 0);
}

static void test_up_pap(void **state)
{
	(void)state;
	setup_pair(UPPP_AUTH_PAP, "secret");
	start_pair();
	run_for(100);
	assert_both_up();
	assert_string_equal(srv.peer_name, "alice");
	assert_string_equal(srv.assign_name, "alice");
}

static void test_up_chap(void **state)
{
	(void)state;
	setup_pair(UPPP_AUTH_CHAP_MD5, "secret");
	start_pair();
	run_for(100);
	assert_both_up();
	assert_string_equal(srv.peer_name, "alice");

	/* a CHAP Response repeated after Success (Windows does) is answered
	 * with Success again and changes nothing */
	assert_int_equal(cli.last_chap[0], 2);
	assert_int_equal(srv.sent_chap[3], 1);
	enqueue(&srv, PPP_CHAP, cli.last_chap, cli.last_chap_len);
	run_for(60000);
	assert_int_equal(srv.sent_chap[3], 2);
	assert_int_equal(srv.downs, 0);
	assert_int_equal(srv.ups, 1);
	assert_int_equal(srv.assign_calls, 1);
	assert_true(uppp_ppp_is_up(&srv.ppp));
}

static void test_bad_password(void **state)
{
	(void)state;
	for (int proto = UPPP_AUTH_PAP; proto <= UPPP_AUTH_CHAP_MD5; proto++) {
		setup_pair((enum uppp_auth_method)proto, "wrong");
		start_pair();
		run_for(60000);
		assert_int_equal(srv.downs, 1);
		assert_int_equal(cli.downs, 1);
		assert_int_equal(srv.cause, UPPP_CAUSE_AUTH_BAD_SECRET);
		assert_int_equal(cli.cause, UPPP_CAUSE_AUTH_REFUSED);
		assert_int_equal(srv.ups, 0);
		assert_int_equal(srv.assign_calls, 0);
		/* the server said why in its Terminate-Request */
		assert_true(srv.sent_lcp[CP_TERM_REQ] >= 1);
	}
}

static void test_auth_timeout(void **state)
{
	(void)state;
	/* the client opens LCP and then says nothing more */
	setup_pair(UPPP_AUTH_CHAP_MD5, "secret");
	srv.cfg.auth_timeout_ms = 20000;
	start_pair();
	/* let LCP open on both sides, then silence the client */
	for (int i = 0; i < 100 && !(srv.ppp.lcp.fsm.state == UPPP_FSM_OPENED &&
				     cli.ppp.lcp.fsm.state == UPPP_FSM_OPENED); i++) {
		struct pkt *p = &queue[q_head++ % QMAX];
		uint8_t buf[PKT_MAX];
		memcpy(buf, p->data, p->len);
		uppp_ppp_input(&p->to->ppp, buf, p->len, now);
	}
	assert_int_equal(srv.ppp.phase, UPPP_PHASE_AUTHENTICATE);
	q_head = q_tail = 0;   /* the Challenge is lost ... */
	cli.mute = true;       /* ... and the client is gone */
	run_for(120000);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_AUTH_TIMEOUT);
	assert_true(srv.down_at <= 1000 + 20000 + 2 * srv.cfg.restart_ms);
	assert_int_equal(srv.assign_calls, 0);
}

static void test_up_mschapv2(void **state)
{
	(void)state;
	/* the server asks CHAP algorithm 0x81; our client accepts it */
	setup_pair(UPPP_AUTH_MSCHAPV2, "secret");
	start_pair();
	run_for(100);
	assert_both_up();
	assert_string_equal(srv.peer_name, "alice");
	assert_int_equal(uppp_ppp_auth_method(&srv.ppp), UPPP_AUTH_MSCHAPV2);
	assert_int_equal(uppp_ppp_auth_method(&cli.ppp), UPPP_AUTH_MSCHAPV2);
	/* Success carries "S=<40 hex>": the client checked the server knows the password */
	assert_int_equal(srv.sent_chap[3], 1);
	/* the Response repeated after Success: Success again, nothing else */
	assert_int_equal(cli.last_chap[0], 2);
	enqueue(&srv, PPP_CHAP, cli.last_chap, cli.last_chap_len);
	run_for(60000);
	assert_int_equal(srv.sent_chap[3], 2);
	assert_int_equal(srv.downs + cli.downs, 0);
	assert_int_equal(srv.assign_calls, 1);

	/* a wrong password: Failure E=691, the client gives up and hangs up */
	setup_pair(UPPP_AUTH_MSCHAPV2, "wrong");
	start_pair();
	run_for(60000);
	assert_int_equal(srv.sent_chap[4], 1);
	assert_int_equal(cli.downs, 1);
	assert_int_equal(cli.cause, UPPP_CAUSE_AUTH_REFUSED);
	assert_int_equal(srv.downs, 1);
	/* the client's hang-up after E=691 is reported as the wrong password
	 * it is, not as a normal Terminate-Request */
	assert_int_equal(srv.cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_int_equal(srv.ups + cli.ups, 0);
	assert_int_equal(srv.assign_calls, 0);
}

static void test_first_conf_req_lost(void **state)
{
	(void)state;
	/* rp-pppoe's pppd starts late: the client's first ConfReq is lost */
	setup_pair(UPPP_AUTH_NONE, NULL);
	cli.drop_conf_req = 1;
	start_pair();
	run_for(100);
	assert_int_equal(cli.ups, 0);
	run_for(10000);
	assert_both_up();
	/* resent a tenth of the restart period after the peer's request showed
	 * it listens (test_fsm_lost_first_req.c), not a whole period later */
	assert_true(cli.up_at >= 1000 + cli.cfg.restart_ms / 10);
	assert_true(cli.up_at < 1000 + cli.cfg.restart_ms);
	assert_true(cli.sent_lcp[CP_CONF_REQ] >= 2);

	/* and the server's */
	setup_pair(UPPP_AUTH_CHAP_MD5, "secret");
	srv.drop_conf_req = 1;
	start_pair();
	run_for(10000);
	assert_both_up();
}

static void test_echo_timeout(void **state)
{
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	srv.cfg.echo_interval_ms = 10000;
	srv.cfg.echo_failure = 2;
	start_pair();
	run_for(100);
	assert_both_up();

	/* a live peer answers: no hang-up however long */
	run_for(100000);
	assert_int_equal(srv.downs, 0);
	assert_true(srv.ppp.lcp.echo_replies == 0 || srv.sent_lcp[LCP_ECHO_REQ] > 0);

	/* the peer goes silent */
	uint64_t silent_from = now;
	cli.mute = true;
	run_for(100000);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_ECHO_TIMEOUT);
	/* echo-interval x (echo-failure + 1) of silence, within one interval:
	 * two Echo-Requests, then one more silent interval */
	assert_true(srv.down_at >= silent_from + 3 * 10000);
	assert_true(srv.down_at <= silent_from + 4 * 10000);
	assert_true(srv.sent_lcp[CP_TERM_REQ] == 1);   /* one TermReq, then down at once */
	assert_int_equal(uppp_ppp_next_deadline(&srv.ppp), UPPP_NO_DEADLINE);
}

static void test_echo_other_traffic_keeps_link(void **state)
{
	uint8_t ip[20] = { 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 7, 10, 0, 0, 1 };
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	srv.cfg.echo_interval_ms = 10000;
	srv.cfg.echo_failure = 2;
	start_pair();
	run_for(100);
	assert_both_up();
	/* the client never answers echoes, but keeps sending data */
	cli.mute_echo_reply = true;
	for (int i = 0; i < 20; i++) {
		uint8_t copy[20];
		memcpy(copy, ip, sizeof(ip));
		assert_int_equal(uppp_ppp_send_ip(&cli.ppp, copy, sizeof(copy), now), 0);
		run_for(5000);
	}
	assert_int_equal(srv.downs, 0);
	assert_int_equal(srv.delivered, 20);
	/* data stops too: now it is silence */
	run_for(40000);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_ECHO_TIMEOUT);
}

/* idle (pppd) / -T (pppoe-server): data in either direction keeps the link;
 * a whole idle period without any closes it with cause IDLE. Echoes do not
 * count as data. */
static void test_idle_timeout(void **state)
{
	uint8_t ip[20] = { 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 7 };
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	srv.cfg.idle_ms = 30000;
	srv.cfg.echo_interval_ms = 5000;
	srv.cfg.echo_failure = 3;
	start_pair();
	run_for(100);
	assert_both_up();
	/* data from the server side every 20 s keeps it up (tx counts) */
	for (int i = 0; i < 5; i++) {
		uint8_t copy[20];
		memcpy(copy, ip, sizeof(ip));
		assert_int_equal(uppp_ppp_send_ip(&srv.ppp, copy, sizeof(copy), now), 0);
		run_for(20000);
	}
	assert_int_equal(srv.downs, 0);
	/* then from the client side (rx counts) */
	for (int i = 0; i < 3; i++) {
		uint8_t copy[20];
		memcpy(copy, ip, sizeof(ip));
		assert_int_equal(uppp_ppp_send_ip(&cli.ppp, copy, sizeof(copy), now), 0);
		run_for(20000);
	}
	assert_int_equal(srv.downs, 0);
	/* silence but for echoes: closed one idle period after the last data */
	uint64_t last = now - 20000;
	run_for(60000);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_IDLE);
	assert_true(srv.down_at >= last + 30000);
	assert_true(srv.down_at <= last + 30000 + 2 * srv.cfg.restart_ms);
	assert_int_equal(cli.downs, 1);
}

static void test_peer_term_req(void **state)
{
	(void)state;
	/* client hangs up: server sees the peer's Terminate-Request */
	setup_pair(UPPP_AUTH_NONE, NULL);
	start_pair();
	run_for(100);
	assert_both_up();
	uint64_t t0 = now;
	uppp_ppp_close(&cli.ppp, UPPP_CAUSE_ADMIN, now);
	assert_false(uppp_ppp_is_up(&cli.ppp));
	run_for(30000);
	assert_int_equal(cli.downs, 1);
	assert_int_equal(cli.cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_PEER_TERM_REQ);
	/* the closing side goes down on the Terminate-Ack; the other after
	 * RFC 1661's one restart period */
	assert_int_equal(cli.down_at, t0);
	assert_int_equal(srv.down_at, t0 + srv.cfg.restart_ms);

	/* server hangs up: the client sees PEER_TERM_REQ */
	setup_pair(UPPP_AUTH_NONE, NULL);
	start_pair();
	run_for(100);
	uppp_ppp_close(&srv.ppp, UPPP_CAUSE_ADMIN, now);
	run_for(30000);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(cli.downs, 1);
	assert_int_equal(cli.cause, UPPP_CAUSE_PEER_TERM_REQ);
}

static void test_close_unanswered(void **state)
{
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	start_pair();
	run_for(100);
	cli.mute = true;
	uint64_t t0 = now;
	uppp_ppp_close(&srv.ppp, UPPP_CAUSE_ADMIN, now);
	run_for(60000);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(srv.sent_lcp[CP_TERM_REQ], 2);   /* max-terminate */
	assert_int_equal(srv.down_at, t0 + 2 * srv.cfg.restart_ms);
}

static void test_protocol_reject_keeps_link(void **state)
{
	static const uint8_t ipv6cp_req[] = { CP_CONF_REQ, 1, 0, 14, 1, 10, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ccp_req[] = { CP_CONF_REQ, 1, 0, 4 };
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	start_pair();
	run_for(100);
	assert_both_up();

	/* pppd negotiates IPv6CP by default */
	enqueue(&srv, PPP_IPV6CP, ipv6cp_req, sizeof(ipv6cp_req));
	run_for(100);
	assert_int_equal(srv.sent_lcp[LCP_PROTO_REJ], 1);
	assert_int_equal(srv.last_proto_rej, PPP_IPV6CP);
	enqueue(&srv, PPP_CCP, ccp_req, sizeof(ccp_req));
	run_for(100);
	assert_int_equal(srv.last_proto_rej, PPP_CCP);
	run_for(60000);
	assert_int_equal(srv.downs, 0);
	assert_int_equal(cli.downs, 0);
	assert_true(uppp_ppp_is_up(&srv.ppp));
	assert_true(uppp_ppp_is_up(&cli.ppp));
	assert_int_equal(srv.ppp.lcp.fsm.state, UPPP_FSM_OPENED);

	/* a Protocol-Reject of IPCP takes IPCP down but keeps LCP (the
	 * client is muted: it would hang up once its only NCP is gone) */
	uint8_t rej[] = { LCP_PROTO_REJ, 77, 0, 6, 0x80, 0x21 };
	cli.mute = true;
	enqueue(&srv, PPP_LCP, rej, sizeof(rej));
	run_for(60000);
	assert_int_equal(srv.ppp.ipcp.fsm.state, UPPP_FSM_STOPPED);
	assert_int_equal(srv.downs, 0);
	assert_false(uppp_ppp_is_up(&srv.ppp));
	assert_int_equal(srv.ppp.lcp.fsm.state, UPPP_FSM_OPENED);
}

static void test_packets_before_lcp_open_dropped(void **state)
{
	uint8_t ipcp[] = { 0x80, 0x21, CP_CONF_REQ, 1, 0, 10, 3, 6, 0, 0, 0, 0 };
	uint8_t ip[] = { 0x00, 0x21, 0x45, 0, 0, 20 };
	uint8_t ipv6cp[] = { 0x80, 0x57, CP_CONF_REQ, 1, 0, 4 };
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	uppp_ppp_init(&srv.ppp, &srv.cfg, &ops, &srv);
	uppp_ppp_set_logger(&srv.ppp, &h_logger_srv);
	uppp_ppp_open(&srv.ppp, now);
	q_head = q_tail = 0;
	uppp_ppp_input(&srv.ppp, ipcp, sizeof(ipcp), now);
	uppp_ppp_input(&srv.ppp, ip, sizeof(ip), now);
	uppp_ppp_input(&srv.ppp, ipv6cp, sizeof(ipv6cp), now);
	uppp_ppp_input(&srv.ppp, ip, 1, now);
	assert_int_equal(q_tail, 0);   /* silently: no Protocol-Reject, nothing */
	assert_int_equal(uppp_ppp_stats(&srv.ppp)->rx_dropped, 4);
	assert_int_equal(srv.sent_lcp[LCP_PROTO_REJ], 0);
	uppp_ppp_lower_down(&srv.ppp, UPPP_CAUSE_PEER_PADT, now);
}

static void test_lcp_fails(void **state)
{
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	cli.mute = true;
	start_pair();
	run_for(120000);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_LCP_FAILED);
	assert_int_equal(srv.sent_lcp[CP_CONF_REQ], 10);
	assert_int_equal(srv.down_at, 1000 + 10 * 3000);
}

static void test_no_address(void **state)
{
	(void)state;
	setup_pair(UPPP_AUTH_PAP, "secret");
	srv.assign_rc = -ENOSPC;
	start_pair();
	run_for(60000);
	assert_int_equal(srv.assign_calls, 1);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_NO_ADDRESS);
	assert_int_equal(cli.downs, 1);
	assert_int_equal(cli.cause, UPPP_CAUSE_PEER_TERM_REQ);
	assert_int_equal(srv.ups + cli.ups, 0);
}

static void test_lower_down(void **state)
{
	uint8_t ip[20] = { 0x45 };
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	start_pair();
	run_for(100);
	assert_both_up();
	size_t before = q_tail;
	uppp_ppp_lower_down(&srv.ppp, UPPP_CAUSE_PEER_PADT, now);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(srv.cause, UPPP_CAUSE_PEER_PADT);
	assert_int_equal(q_tail, before);   /* nothing sent */
	/* inert afterwards: no second down, no sends, no deadlines */
	uppp_ppp_close(&srv.ppp, UPPP_CAUSE_ADMIN, now);
	uppp_ppp_lower_down(&srv.ppp, UPPP_CAUSE_ADMIN, now);
	uppp_ppp_timer(&srv.ppp, now + 100000);
	assert_int_equal(srv.downs, 1);
	assert_int_equal(q_tail, before);
	assert_int_equal(uppp_ppp_next_deadline(&srv.ppp), UPPP_NO_DEADLINE);
	assert_int_equal(uppp_ppp_send_ip(&srv.ppp, ip, sizeof(ip), now), -ENOTCONN);
}

/* IPv4 + TCP SYN with an MSS option. */
static size_t make_syn(uint8_t *p, uint16_t mss)
{
	memset(p, 0, 44);
	p[0] = 0x45;
	uppp_put_be16(p + 2, 44);
	p[8] = 64;
	p[9] = 6;
	uppp_put_be32(p + 12, IP(10, 0, 0, 7));
	uppp_put_be32(p + 16, IP(8, 8, 8, 8));
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += uppp_get_be16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uppp_put_be16(p + 10, (uint16_t)~sum);
	uint8_t *t = p + 20;
	uppp_put_be16(t, 40000);
	uppp_put_be16(t + 2, 80);
	t[12] = 6 << 4;       /* data offset 24 */
	t[13] = 0x02;         /* SYN */
	uppp_put_be16(t + 14, 65535);
	t[20] = 2;
	t[21] = 4;
	uppp_put_be16(t + 22, mss);
	return 44;
}

static void test_ip_data_and_mss_clamp(void **state)
{
	uint8_t pkt[1600];
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	start_pair();
	run_for(100);
	assert_both_up();

	/* client -> server: the SYN's MSS is clamped to MTU - 40 on the way */
	size_t n = make_syn(pkt, 1460);
	assert_int_equal(uppp_ppp_send_ip(&cli.ppp, pkt, n, now), 0);
	assert_int_equal(uppp_get_be16(pkt + 20 + 22), 1452);   /* clamped on send */
	run_for(10);
	assert_int_equal(srv.delivered, 1);
	assert_int_equal(srv.last_ip_len, n);
	assert_int_equal(uppp_get_be16(srv.last_ip + 20 + 22), 1452);
	assert_int_equal(uppp_ppp_stats(&cli.ppp)->mss_clamped, 1);
	assert_int_equal(uppp_ppp_stats(&cli.ppp)->tx_packets, 1);
	assert_int_equal(uppp_ppp_stats(&srv.ppp)->rx_packets, 1);
	assert_int_equal(uppp_ppp_stats(&srv.ppp)->rx_bytes, n);

	/* received side clamps too (a peer that does not clamp) */
	uint8_t frame[1600];
	uppp_put_be16(frame, PPP_IP);
	n = make_syn(frame + 2, 1460);
	uppp_ppp_input(&srv.ppp, frame, n + 2, now);
	assert_int_equal(uppp_get_be16(srv.last_ip + 20 + 22), 1452);
	assert_int_equal(uppp_ppp_stats(&srv.ppp)->mss_clamped, 1);

	/* configured clamp value */
	srv.cfg.mss_clamp = 1200;
	n = make_syn(pkt, 1460);
	assert_int_equal(uppp_ppp_send_ip(&srv.ppp, pkt, n, now), 0);
	assert_int_equal(uppp_get_be16(pkt + 20 + 22), 1200);
	/* off */
	srv.cfg.mss_clamp = -1;
	n = make_syn(pkt, 1460);
	assert_int_equal(uppp_ppp_send_ip(&srv.ppp, pkt, n, now), 0);
	assert_int_equal(uppp_get_be16(pkt + 20 + 22), 1460);

	/* too big for the peer's MRU */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	assert_int_equal(uppp_ppp_send_ip(&srv.ppp, pkt, 1493, now), -EMSGSIZE);
	assert_int_equal(uppp_ppp_send_ip(&srv.ppp, pkt, 1492, now), 0);

	/* not IPv4 (an IPv6 router solicitation from the interface's kernel,
	 * a runt): dropped and counted, never sent as PPP_IP */
	uint64_t sent_before = srv.ppp.stats.tx_packets;
	pkt[0] = 0x60;
	assert_int_equal(uppp_ppp_send_ip(&srv.ppp, pkt, 48, now), -EPROTONOSUPPORT);
	pkt[0] = 0x45;
	assert_int_equal(uppp_ppp_send_ip(&srv.ppp, pkt, 19, now), -EPROTONOSUPPORT);
	assert_int_equal(srv.ppp.stats.tx_packets, sent_before);
	assert_int_equal(srv.ppp.stats.tx_dropped, 2);
}

static void test_malformed_input_survives(void **state)
{
	uint8_t buf[64];
	(void)state;
	setup_pair(UPPP_AUTH_CHAP_MD5, "secret");
	start_pair();
	run_for(100);
	assert_both_up();
	uint64_t dropped = uppp_ppp_stats(&srv.ppp)->rx_dropped;
	/* every protocol we speak, every truncation */
	const uint16_t protos[] = { PPP_LCP, PPP_IPCP, PPP_CHAP, PPP_PAP };
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		for (size_t len = 0; len < 8; len++) {
			memset(buf, 0xff, sizeof(buf));
			uppp_put_be16(buf, protos[i]);
			if (len > 4)
				buf[4] = 0;
			uppp_ppp_input(&srv.ppp, buf, len, now);
		}
	}
	assert_true(uppp_ppp_stats(&srv.ppp)->rx_dropped > dropped);
	run_for(1000);
	assert_int_equal(srv.downs, 0);
	assert_true(uppp_ppp_is_up(&srv.ppp));
}

static void test_client_mru_and_echo_reply_size(void **state)
{
	uint8_t req[1600];
	(void)state;
	setup_pair(UPPP_AUTH_NONE, NULL);
	cli.cfg.mru = 1400;    /* pppd `mru 1400` */
	start_pair();
	run_for(100);
	assert_int_equal(srv.ups, 1);
	assert_int_equal(srv.link.mtu, 1400);
	assert_int_equal(cli.link.mtu, 1492);
	assert_int_equal(cli.link.mru, 1400);

	/* a huge Echo-Request gets a reply no bigger than the client's MRU */
	memset(req, 0, sizeof(req));
	req[0] = LCP_ECHO_REQ;
	req[1] = 9;
	uppp_put_be16(req + 2, 1492);
	enqueue(&srv, PPP_LCP, req, 1492);
	size_t before = q_tail;
	run_for(1);
	assert_true(q_tail > before);
	struct pkt *rep = &queue[(q_tail - 1) % QMAX];
	assert_int_equal(uppp_get_be16(rep->data), PPP_LCP);
	assert_int_equal(rep->data[2], LCP_ECHO_REP);
	assert_int_equal(rep->len - 2, 1400);
	assert_int_equal(uppp_get_be16(rep->data + 4), 1400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_no_auth),
		cmocka_unit_test(test_up_pap),
		cmocka_unit_test(test_up_chap),
		cmocka_unit_test(test_bad_password),
		cmocka_unit_test(test_auth_timeout),
		cmocka_unit_test(test_up_mschapv2),
		cmocka_unit_test(test_first_conf_req_lost),
		cmocka_unit_test(test_echo_timeout),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_echo_other_traffic_keeps_link),
		cmocka_unit_test(test_peer_term_req),
		cmocka_unit_test(test_close_unanswered),
		cmocka_unit_test(test_protocol_reject_keeps_link),
		cmocka_unit_test(test_packets_before_lcp_open_dropped),
		cmocka_unit_test(test_lcp_fails),
		cmocka_unit_test(test_no_address),
		cmocka_unit_test(test_lower_down),
		cmocka_unit_test(test_ip_data_and_mss_clamp),
		cmocka_unit_test(test_malformed_input_survives),
		cmocka_unit_test(test_client_mru_and_echo_reply_size),
	};
	return cmocka_run_group_tests(tests, NULL, release_last_pair);
}
