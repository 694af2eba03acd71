/* test_pap.c — PAP (RFC 1334) in both roles, plus uppp_auth_* dispatch,
 * driven through a fake ops table. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "core/ppp_defs.h"

#include "auth_fake.h"

/* Authenticate-Request: 1, id, len, name-len, name, pw-len, pw. */
static size_t build_req(uint8_t *p, uint8_t id, const char *name, size_t nlen, const char *pw, size_t plen)
{
	size_t len = 4 + 1 + nlen + 1 + plen;

	p[0] = 1;
	p[1] = id;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = (uint8_t)nlen;
	memcpy(p + 5, name, nlen);
	p[5 + nlen] = (uint8_t)plen;
	memcpy(p + 6 + nlen, pw, plen);
	return len;
}

static void server_setup(struct fake *f, struct uppp_auth *a)
{
	memset(f, 0, sizeof(*f));
	f->user = "bob";
	f->secret = "pw";
	uppp_auth_init(a, UPPP_AUTH_PAP, true, "uppp", NULL, &fake_ops, f);
	a->log = fake_logger(f);
	assert_int_equal(uppp_auth_start(a, 1000), UPPP_AUTH_CONTINUE);
	assert_int_equal(f->n_sent, 0);  /* the authenticator only waits */
}

static void test_server_success(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	assert_string_equal(uppp_auth_peer_name(&a), "");
	n = build_req(pkt, 5, "bob", 3, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(f.proto[0], PPP_PAP);
	/* Ack: code 2, the request's id, length = whole packet, msg-len, msg. */
	assert_int_equal(f.sent[0][0], 2);
	assert_int_equal(f.sent[0][1], 5);
	assert_int_equal((f.sent[0][2] << 8 | f.sent[0][3]), f.sent_len[0]);
	assert_int_equal(f.sent[0][4], f.sent_len[0] - 5);
	assert_string_equal(uppp_auth_peer_name(&a), "bob");
	assert_int_equal(a.fail_cause, UPPP_CAUSE_NONE);
	assert_true(logged(&f, "layer=pap result=success user='bob'"));
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
	/* Padding after Length is ignored: the same request with 3 junk bytes. */
	server_setup(&f, &a);
	n = build_req(pkt, 6, "bob", 3, "pw", 2);
	memcpy(pkt + n, "xyz", 3);
	assert_int_equal(uppp_auth_input(&a, pkt, n + 3, 2000), UPPP_AUTH_SUCCEEDED);
}

static void check_nak(const struct fake *f, uint8_t id)
{
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(f->proto[0], PPP_PAP);
	assert_int_equal(f->sent[0][0], 3);
	assert_int_equal(f->sent[0][1], id);
	assert_int_equal((f->sent[0][2] << 8 | f->sent[0][3]), f->sent_len[0]);
	assert_true(f->sent[0][4] > 0);  /* a message for the peer */
}

static void test_server_wrong_password(void **state)
{
	static const char *wrong[] = { "px", "p", "pw2", "", "PW" };
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];

	(void)state;
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		server_setup(&f, &a);
		size_t n = build_req(pkt, 9, "bob", 3, wrong[i], strlen(wrong[i]));
		assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_FAILED);
		check_nak(&f, 9);
		assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
		assert_string_equal(uppp_auth_peer_name(&a), "");
		assert_true(logged(&f, "wrong password for user 'bob'"));
		assert_true(logged(&f, "cause=auth-bad-secret"));
	}
}

static void test_server_no_secret(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	n = build_req(pkt, 1, "alice", 5, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_FAILED);
	check_nak(&f, 1);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_NO_SECRET);
	assert_string_equal(f.last_lookup, "alice");
	assert_true(logged(&f, "no secret for user 'alice' in pap-secrets"));

	/* Empty name: looked up as "", which has no secret here. */
	server_setup(&f, &a);
	n = build_req(pkt, 2, "", 0, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_NO_SECRET);
	assert_int_equal(f.get_secret_calls, 1);
	assert_string_equal(f.last_lookup, "");
	assert_true(logged(&f, "user=''"));
}

static void test_server_name_with_nul(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	/* "bob\0x" must not be looked up as "bob". */
	n = build_req(pkt, 3, "bob\0x", 5, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_FAILED);
	check_nak(&f, 3);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_NO_SECRET);
	assert_int_equal(f.get_secret_calls, 0);
	assert_true(logged(&f, "user='bob\\x00x'"));
}

static void test_server_escapes_name_in_log(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	n = build_req(pkt, 3, "b'o\n%s", 6, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_FAILED);
	assert_true(logged(&f, "user='b\\x27o\\x0a%s'"));
	for (int i = 0; i < f.n_logs; i++)
		assert_null(strchr(f.logs[i], '\n'));
}

static void test_server_repeated_request_after_ack(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	n = build_req(pkt, 5, "bob", 3, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_SUCCEEDED);
	/* Our Ack was lost: the peer retransmits (with a new id). */
	n = build_req(pkt, 6, "bob", 3, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2100), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 2);
	assert_int_equal(f.sent[1][0], 2);
	assert_int_equal(f.sent[1][1], 6);
	/* A different password or user after success: no answer, still succeeded. */
	n = build_req(pkt, 7, "bob", 3, "px", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2200), UPPP_AUTH_SUCCEEDED);
	n = build_req(pkt, 8, "eve", 3, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2300), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 2);
	assert_int_equal(a.dropped, 2);
	assert_string_equal(uppp_auth_peer_name(&a), "bob");
}

static void test_server_timeout(void **state)
{
	struct fake f;
	struct uppp_auth a;

	(void)state;
	server_setup(&f, &a);
	assert_int_equal(uppp_auth_next_deadline(&a), 1000 + 30000);
	assert_int_equal(uppp_auth_timer(&a, 30999), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 31000), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_TIMEOUT);
	assert_true(logged(&f, "cause=auth-timeout"));
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);

	/* A host-set timeout is honoured. */
	memset(&f, 0, sizeof(f));
	uppp_auth_init(&a, UPPP_AUTH_PAP, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	a.timeout_ms = 500;
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_next_deadline(&a), 500);
	assert_int_equal(uppp_auth_timer(&a, 500), UPPP_AUTH_FAILED);
}

static void test_server_hostile_packets(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;
	unsigned drops = 0;

	(void)state;
	server_setup(&f, &a);
	n = build_req(pkt, 5, "bob", 3, "pw", 2);   /* a valid 12-byte request */

	/* Raw lengths 0, 1, 3 and every truncation of the request. */
	for (size_t cut = 0; cut < n; cut++) {
		assert_int_equal(uppp_auth_input(&a, pkt, cut, 2000), UPPP_AUTH_CONTINUE);
		drops++;
	}
	/* Length field < 4. */
	for (uint8_t l = 0; l < 4; l++) {
		uint8_t bad[4] = { 1, 5, 0, l };
		assert_int_equal(uppp_auth_input(&a, bad, sizeof(bad), 2000), UPPP_AUTH_CONTINUE);
		drops++;
	}
	/* Length field one past what arrived. */
	pkt[3] = (uint8_t)(n + 1);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_CONTINUE);
	drops++;
	pkt[2] = 0xff;
	pkt[3] = 0xff;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_CONTINUE);
	drops++;
	/* Length field that cuts the password short (sub-packet is too short). */
	n = build_req(pkt, 5, "bob", 3, "pw", 2);
	pkt[3] = (uint8_t)(n - 1);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_CONTINUE);
	drops++;
	/* Peer-ID length past the end (255), password length past the end. */
	n = build_req(pkt, 5, "bob", 3, "pw", 2);
	pkt[4] = 255;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_CONTINUE);
	drops++;
	n = build_req(pkt, 5, "bob", 3, "pw", 2);
	pkt[8] = 3;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_CONTINUE);
	drops++;
	/* Unknown code; Ack sent to the authenticator. */
	uint8_t odd[] = { 9, 1, 0, 4 };
	assert_int_equal(uppp_auth_input(&a, odd, sizeof(odd), 2000), UPPP_AUTH_CONTINUE);
	drops++;
	uint8_t ack[] = { 2, 1, 0, 5, 0 };
	assert_int_equal(uppp_auth_input(&a, ack, sizeof(ack), 2000), UPPP_AUTH_CONTINUE);
	drops++;

	assert_int_equal(a.dropped, drops);
	assert_int_equal(f.n_sent, 0);
	assert_int_equal(f.get_secret_calls, 0);

	/* Still works afterwards, with 255-byte fields at the limit. */
	char longname[255], longpw[255];
	memset(longname, 'u', sizeof(longname));
	memset(longpw, 'p', sizeof(longpw));
	f.user = NULL;
	n = build_req(pkt, 5, longname, 255, longpw, 255);
	assert_int_equal(n, 4 + 1 + 255 + 1 + 255);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_FAILED);
	assert_int_equal(strlen(f.last_lookup), 255);
}

static void test_server_request_before_start(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.user = "bob";
	f.secret = "pw";
	uppp_auth_init(&a, UPPP_AUTH_PAP, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	n = build_req(pkt, 5, "bob", 3, "pw", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 1);
	assert_int_equal(f.n_sent, 0);
}

/* ---- peer (client) ---- */

static void client_setup(struct fake *f, struct uppp_auth *a, const char *user, const char *pw)
{
	memset(f, 0, sizeof(*f));
	f->rnd[0] = 0x42;
	f->rnd_len = 1;
	uppp_auth_init(a, UPPP_AUTH_PAP, false, user, pw, &fake_ops, f);
	a->log = fake_logger(f);
}

static void test_client_sends_request(void **state)
{
	static const uint8_t expect[] = { 1, 0x42, 0, 14, 4, 'j', 'o', 'h', 'n', 4, 's', 'e', 'c', 'r' };
	struct fake f;
	struct uppp_auth a;

	(void)state;
	client_setup(&f, &a, "john", "secr");
	assert_int_equal(uppp_auth_start(&a, 100), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(f.proto[0], PPP_PAP);
	assert_int_equal(f.sent_len[0], sizeof(expect));
	assert_memory_equal(f.sent[0], expect, sizeof(expect));
	assert_int_equal(uppp_auth_next_deadline(&a), 100 + 3000);
}

static void test_client_retransmits_then_gives_up(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint64_t now = 0;

	(void)state;
	client_setup(&f, &a, "john", "secr");
	a.max_tries = 4;
	a.restart_ms = 1000;
	assert_int_equal(uppp_auth_start(&a, now), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 999), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	for (int i = 1; i < 4; i++) {
		now = uppp_auth_next_deadline(&a);
		assert_int_equal(now, (uint64_t)i * 1000);
		assert_int_equal(uppp_auth_timer(&a, now), UPPP_AUTH_CONTINUE);
		assert_int_equal(f.n_sent, i + 1);
		/* Same packet, the Identifier one up (RFC 1334 §2.2.1). */
		assert_int_equal(f.sent_len[i], f.sent_len[0]);
		assert_int_equal(f.sent[i][1], (uint8_t)(0x42 + i));
		assert_memory_equal(f.sent[i] + 2, f.sent[0] + 2, f.sent_len[0] - 2);
	}
	now = uppp_auth_next_deadline(&a);
	assert_int_equal(uppp_auth_timer(&a, now), UPPP_AUTH_FAILED);
	assert_int_equal(f.n_sent, 4);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_TIMEOUT);
	assert_true(logged(&f, "no answer to 4 Authenticate-Requests"));
}

static void test_client_ack(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t stale[] = { 2, 0x41, 0, 5, 0 };
	uint8_t ack[] = { 2, 0x42, 0, 7, 2, 'o', 'k' };

	(void)state;
	client_setup(&f, &a, "john", "secr");
	uppp_auth_start(&a, 0);
	assert_int_equal(uppp_auth_input(&a, stale, sizeof(stale), 10), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 1);
	assert_int_equal(uppp_auth_input(&a, ack, sizeof(ack), 10), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
	assert_true(logged(&f, "message='ok'"));
	/* Some peers send no Msg-Length at all, others overstate it. */
	uint8_t bare[] = { 2, 0x42, 0, 4 };
	client_setup(&f, &a, "john", "secr");
	uppp_auth_start(&a, 0);
	assert_int_equal(uppp_auth_input(&a, bare, sizeof(bare), 10), UPPP_AUTH_SUCCEEDED);
	uint8_t over[] = { 2, 0x42, 0, 6, 200, 'x' };
	client_setup(&f, &a, "john", "secr");
	uppp_auth_start(&a, 0);
	assert_int_equal(uppp_auth_input(&a, over, sizeof(over), 10), UPPP_AUTH_SUCCEEDED);
	/* An Ack before we sent anything is ignored. */
	client_setup(&f, &a, "john", "secr");
	assert_int_equal(uppp_auth_input(&a, ack, sizeof(ack), 10), UPPP_AUTH_CONTINUE);
}

static void test_client_nak(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t nak[] = { 3, 0x42, 0, 10, 5, 'n', 'o', '\x1b', '\'', '!' };

	(void)state;
	client_setup(&f, &a, "john", "bad");
	uppp_auth_start(&a, 0);
	assert_int_equal(uppp_auth_input(&a, nak, sizeof(nak), 10), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_REFUSED);
	assert_true(logged(&f, "message='no\\x1b\\x27!'"));
	assert_true(logged(&f, "cause=auth-refused"));
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
	/* Decided: a later Ack changes nothing. */
	uint8_t ack[] = { 2, 0x42, 0, 5, 0 };
	assert_int_equal(uppp_auth_input(&a, ack, sizeof(ack), 20), UPPP_AUTH_FAILED);
}

static void test_client_name_too_long(void **state)
{
	struct fake f;
	struct uppp_auth a;
	char name[300];

	(void)state;
	memset(name, 'n', 256);
	name[256] = '\0';
	client_setup(&f, &a, name, "pw");
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_FAILED);
	assert_int_equal(f.n_sent, 0);
	name[255] = '\0';   /* 255 is the limit and fits */
	client_setup(&f, &a, name, "pw");
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.sent_len[0], 4 + 1 + 255 + 1 + 2);
}

/* ---- dispatch ---- */

static void test_dispatch(void **state)
{
	struct fake f;
	struct uppp_auth a;

	(void)state;
	memset(&f, 0, sizeof(f));
	uppp_auth_init(&a, UPPP_AUTH_NONE, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 0);
	assert_string_equal(uppp_auth_peer_name(&a), "");

	uppp_auth_init(&a, (enum uppp_auth_method)42, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_UNSUPPORTED);

	assert_string_equal(uppp_auth_proto_name(UPPP_AUTH_NONE), "none");
	assert_string_equal(uppp_auth_proto_name(UPPP_AUTH_PAP), "pap");
	assert_string_equal(uppp_auth_proto_name(UPPP_AUTH_CHAP_MD5), "chap-md5");
	assert_string_equal(uppp_auth_proto_name(UPPP_AUTH_MSCHAPV2), "mschap-v2");
	assert_string_equal(uppp_auth_proto_name((enum uppp_auth_method)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_success),
		cmocka_unit_test(test_server_wrong_password),
		cmocka_unit_test(test_server_no_secret),
		cmocka_unit_test(test_server_name_with_nul),
		cmocka_unit_test(test_server_escapes_name_in_log),
		cmocka_unit_test(test_server_repeated_request_after_ack),
		cmocka_unit_test(test_server_timeout),
		cmocka_unit_test(test_server_hostile_packets),
		cmocka_unit_test(test_server_request_before_start),
		cmocka_unit_test(test_client_sends_request),
		cmocka_unit_test(test_client_retransmits_then_gives_up),
		cmocka_unit_test(test_client_ack),
		cmocka_unit_test(test_client_nak),
		cmocka_unit_test(test_client_name_too_long),
		cmocka_unit_test(test_dispatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
