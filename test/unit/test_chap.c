/* test_chap.c — CHAP-MD5 (RFC 1994) in both roles, driven through a fake
 * ops table with fixed random bytes.
 *
 * The expected MD5 values are known answers computed outside nettle, on the
 * command line, e.g.:
 *   printf '*rp-pppoe0123456789abcdef' | md5sum  -> b28a92121f5e593e218c0dd1fe6560de
 * (Identifier 0x2a is '*', secret "rp-pppoe", challenge "0123456789abcdef"). */
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

static void unhex(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* printf '*rp-pppoe0123456789abcdef' | md5sum */
#define KA_SERVER_OK "b28a92121f5e593e218c0dd1fe6560de"
/* printf '*wrong0123456789abcdef' | md5sum */
#define KA_SERVER_WRONG "cc1617e96d3012accef89b7b382a6b24"
/* printf 'AsecretABCDEFGHIJKLMNOP' | md5sum */
#define KA_PEER_16 "92db6119679dc1733eda0bd5fcba484b"
/* printf 'Bsecret12345678' | md5sum */
#define KA_PEER_8 "9a4a845e377f6167edb8d8b0e700b95e"

#define CHAL_ID 0x2a
#define CHAL_VALUE "0123456789abcdef"

/* Response/Challenge: code, id, len, Value-Size, value, name. */
static size_t build_value(uint8_t *p, uint8_t code, uint8_t id, uint8_t vsize, const uint8_t *value,
			  size_t vlen, const char *name, size_t nlen)
{
	size_t len = 4 + 1 + vlen + nlen;

	p[0] = code;
	p[1] = id;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = vsize;
	memcpy(p + 5, value, vlen);
	memcpy(p + 5 + vlen, name, nlen);
	return len;
}

static size_t build_response(uint8_t *p, uint8_t id, const char *hex, const char *name)
{
	uint8_t v[16];

	unhex(hex, v, 16);
	return build_value(p, 2, id, 16, v, 16, name, strlen(name));
}

static void server_setup(struct fake *f, struct uppp_auth *a)
{
	memset(f, 0, sizeof(*f));
	f->user = "rp-pppoe";
	f->secret = "rp-pppoe";
	/* First random call: the Identifier; then the 16-byte challenge. */
	f->rnd[0] = CHAL_ID;
	memcpy(f->rnd + 1, CHAL_VALUE, 16);
	f->rnd_len = 17;
	uppp_auth_init(a, UPPP_AUTH_CHAP_MD5, true, "uppp", NULL, &fake_ops, f);
	a->log = fake_logger(f);
	assert_int_equal(uppp_auth_start(a, 1000), UPPP_AUTH_CONTINUE);
}

static void test_server_sends_challenge(void **state)
{
	static const uint8_t expect[] = { 1, CHAL_ID, 0, 4 + 1 + 16 + 4, 16,
		'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
		'u', 'p', 'p', 'p' };
	struct fake f;
	struct uppp_auth a;

	(void)state;
	server_setup(&f, &a);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(f.proto[0], PPP_CHAP);
	assert_int_equal(f.sent_len[0], sizeof(expect));
	assert_memory_equal(f.sent[0], expect, sizeof(expect));
	assert_int_equal(uppp_auth_next_deadline(&a), 1000 + 3000);
}

static void check_status(const struct fake *f, int idx, uint8_t code, uint8_t id)
{
	assert_int_equal(f->proto[idx], PPP_CHAP);
	assert_int_equal(f->sent[idx][0], code);
	assert_int_equal(f->sent[idx][1], id);
	assert_int_equal((f->sent[idx][2] << 8 | f->sent[idx][3]), f->sent_len[idx]);
	assert_true(f->sent_len[idx] > 4);  /* carries a message */
}

static void test_server_success(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	n = build_response(pkt, CHAL_ID, KA_SERVER_OK, "rp-pppoe");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 2);
	check_status(&f, 1, 3, CHAL_ID);
	assert_string_equal(uppp_auth_peer_name(&a), "rp-pppoe");
	assert_string_equal(f.last_lookup, "rp-pppoe");
	assert_true(logged(&f, "layer=chap result=success user='rp-pppoe'"));
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
	/* Nothing retransmitted after success. */
	assert_int_equal(uppp_auth_timer(&a, 100000), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 2);
}

static void test_server_wrong_password(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	n = build_response(pkt, CHAL_ID, KA_SERVER_WRONG, "rp-pppoe");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_FAILED);
	check_status(&f, 1, 4, CHAL_ID);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_string_equal(uppp_auth_peer_name(&a), "");
	assert_true(logged(&f, "wrong password for user 'rp-pppoe'"));
	assert_true(logged(&f, "cause=auth-bad-secret"));

	/* The right hash with one bit flipped in the last byte. */
	server_setup(&f, &a);
	n = build_response(pkt, CHAL_ID, KA_SERVER_OK, "rp-pppoe");
	pkt[5 + 15] ^= 1;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_BAD_SECRET);

	/* A repeated Response after Failure gets Failure again. */
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1600), UPPP_AUTH_FAILED);
	assert_int_equal(f.n_sent, 3);
	check_status(&f, 2, 4, CHAL_ID);
}

static void test_server_no_secret(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	n = build_response(pkt, CHAL_ID, KA_SERVER_OK, "bob");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_FAILED);
	check_status(&f, 1, 4, CHAL_ID);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_NO_SECRET);
	assert_true(logged(&f, "no secret for user 'bob' in chap-secrets"));
	assert_true(logged(&f, "cause=auth-no-secret"));
}

static void test_server_name_with_nul(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	uint8_t v[16];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	unhex(KA_SERVER_OK, v, 16);
	n = build_value(pkt, 2, CHAL_ID, 16, v, 16, "rp-pppoe\0x", 10);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_NO_SECRET);
	assert_int_equal(f.get_secret_calls, 0);
	assert_true(logged(&f, "user='rp-pppoe\\x00x'"));
}

static void test_server_stale_id_and_early_response(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	/* Before any Challenge: dropped and counted. */
	memset(&f, 0, sizeof(f));
	f.user = "rp-pppoe";
	f.secret = "rp-pppoe";
	uppp_auth_init(&a, UPPP_AUTH_CHAP_MD5, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	n = build_response(pkt, CHAL_ID, KA_SERVER_OK, "rp-pppoe");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 1);
	assert_int_equal(f.n_sent, 0);

	/* Stale Identifier: dropped, the right one still succeeds. */
	server_setup(&f, &a);
	n = build_response(pkt, CHAL_ID - 1, KA_SERVER_OK, "rp-pppoe");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 1);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(f.get_secret_calls, 0);
	n = build_response(pkt, CHAL_ID, KA_SERVER_OK, "rp-pppoe");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1600), UPPP_AUTH_SUCCEEDED);
}

static void test_server_repeated_response_after_success(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	server_setup(&f, &a);
	n = build_response(pkt, CHAL_ID, KA_SERVER_OK, "rp-pppoe");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_SUCCEEDED);
	/* Windows sends the same Response again: Success again. */
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1600), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 3);
	check_status(&f, 2, 3, CHAL_ID);
	/* A different value or another user after success: no answer. */
	size_t m = build_response(pkt, CHAL_ID, KA_SERVER_WRONG, "rp-pppoe");
	assert_int_equal(uppp_auth_input(&a, pkt, m, 1700), UPPP_AUTH_SUCCEEDED);
	m = build_response(pkt, CHAL_ID, KA_SERVER_OK, "eve");
	assert_int_equal(uppp_auth_input(&a, pkt, m, 1800), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 3);
	assert_int_equal(a.dropped, 2);
	assert_string_equal(uppp_auth_peer_name(&a), "rp-pppoe");
}

static void test_server_hostile_packets(void **state)
{
	static const uint8_t sizes[] = { 0, 1, 15, 17, 255 };
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600], v[300];
	size_t n;
	unsigned drops = 0;

	(void)state;
	server_setup(&f, &a);
	memset(v, 0xaa, sizeof(v));

	/* Every truncation of a valid Response (raw lengths 0, 1, 3, ...).
	 * Cutting only the name is a different, valid packet: stop before. */
	n = build_response(pkt, CHAL_ID, KA_SERVER_OK, "rp-pppoe");
	for (size_t cut = 0; cut < 4 + 1 + 16; cut++) {
		assert_int_equal(uppp_auth_input(&a, pkt, cut, 1500), UPPP_AUTH_CONTINUE);
		drops++;
	}
	/* Length field < 4, and past what arrived. */
	for (uint8_t l = 0; l < 4; l++) {
		uint8_t bad[4] = { 2, CHAL_ID, 0, l };
		assert_int_equal(uppp_auth_input(&a, bad, sizeof(bad), 1500), UPPP_AUTH_CONTINUE);
		drops++;
	}
	pkt[3] = (uint8_t)(n + 1);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	drops++;
	/* Value-Size 0, 1, 15, 17, 255 with that many bytes present. */
	for (size_t i = 0; i < sizeof(sizes); i++) {
		n = build_value(pkt, 2, CHAL_ID, sizes[i], v, sizes[i], "rp-pppoe", 8);
		assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
		drops++;
	}
	/* Value-Size larger than the packet. */
	n = build_value(pkt, 2, CHAL_ID, 255, v, 16, "", 0);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	drops++;
	/* Name of 256 bytes (more than a name can be). */
	char longname[256];
	memset(longname, 'n', sizeof(longname));
	n = build_value(pkt, 2, CHAL_ID, 16, v, 16, longname, 256);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	drops++;
	/* Unknown code; Challenge/Success sent to the authenticator. */
	uint8_t odd[] = { 7, CHAL_ID, 0, 4 };
	assert_int_equal(uppp_auth_input(&a, odd, sizeof(odd), 1500), UPPP_AUTH_CONTINUE);
	drops++;
	uint8_t succ[] = { 3, CHAL_ID, 0, 4 };
	assert_int_equal(uppp_auth_input(&a, succ, sizeof(succ), 1500), UPPP_AUTH_CONTINUE);
	drops++;
	n = build_value(pkt, 1, CHAL_ID, 16, v, 16, "x", 1);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	drops++;

	assert_int_equal(a.dropped, drops);
	assert_int_equal(f.n_sent, 1);   /* only the Challenge */
	assert_int_equal(f.get_secret_calls, 0);

	/* A 255-byte name is legal and is looked up whole. */
	n = build_value(pkt, 2, CHAL_ID, 16, v, 16, longname, 255);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_NO_SECRET);
	assert_int_equal(strlen(f.last_lookup), 255);
}

static void test_server_retransmit_and_timeout(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint64_t now;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.rnd[0] = CHAL_ID;
	memcpy(f.rnd + 1, CHAL_VALUE, 16);
	f.rnd_len = 17;
	uppp_auth_init(&a, UPPP_AUTH_CHAP_MD5, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	a.max_tries = 3;
	a.restart_ms = 2000;
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 1999), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	for (int i = 1; i < 3; i++) {
		now = uppp_auth_next_deadline(&a);
		assert_int_equal(now, (uint64_t)i * 2000);
		assert_int_equal(uppp_auth_timer(&a, now), UPPP_AUTH_CONTINUE);
		assert_int_equal(f.n_sent, i + 1);
		/* RFC 1994 §4.1: a new Identifier (one up) and a new value,
		 * the rest the same (test_auth_retransmit.c checks what a
		 * Response to the old one gets). */
		assert_int_equal(f.sent_len[i], f.sent_len[0]);
		assert_int_equal(f.sent[i][1], (uint8_t)(CHAL_ID + i));
		assert_memory_not_equal(f.sent[i] + 5, f.sent[i - 1] + 5, 16);
		assert_memory_equal(f.sent[i] + 21, f.sent[0] + 21, f.sent_len[0] - 21);
	}
	now = uppp_auth_next_deadline(&a);
	assert_int_equal(uppp_auth_timer(&a, now), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_TIMEOUT);
	assert_int_equal(f.n_sent, 3);
	assert_true(logged(&f, "no Response to 3 Challenges"));

	/* The overall limit applies even while retransmits remain. */
	memset(&f, 0, sizeof(f));
	uppp_auth_init(&a, UPPP_AUTH_CHAP_MD5, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	a.timeout_ms = 5000;
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 3000), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_next_deadline(&a), 5000);
	assert_int_equal(uppp_auth_timer(&a, 5000), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_TIMEOUT);
}

/* ---- peer (client) ---- */

static void client_setup(struct fake *f, struct uppp_auth *a)
{
	memset(f, 0, sizeof(*f));
	uppp_auth_init(a, UPPP_AUTH_CHAP_MD5, false, "john", "secret", &fake_ops, f);
	a->log = fake_logger(f);
	assert_int_equal(uppp_auth_start(a, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(f->n_sent, 0);  /* the peer waits for a Challenge */
}

static void check_response(const struct fake *f, int idx, uint8_t id, const char *hex)
{
	uint8_t v[16];

	unhex(hex, v, 16);
	assert_int_equal(f->proto[idx], PPP_CHAP);
	assert_int_equal(f->sent_len[idx], 4 + 1 + 16 + 4);
	assert_int_equal(f->sent[idx][0], 2);
	assert_int_equal(f->sent[idx][1], id);
	assert_int_equal((f->sent[idx][2] << 8 | f->sent[idx][3]), 4 + 1 + 16 + 4);
	assert_int_equal(f->sent[idx][4], 16);
	assert_memory_equal(f->sent[idx] + 5, v, 16);
	assert_memory_equal(f->sent[idx] + 21, "john", 4);
}

static void test_client_answers_challenge(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	client_setup(&f, &a);
	n = build_value(pkt, 1, 'A', 16, (const uint8_t *)"ABCDEFGHIJKLMNOP", 16, "ac", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 10), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	check_response(&f, 0, 'A', KA_PEER_16);
	/* Another Challenge (8 bytes): answered with its own id and value. */
	n = build_value(pkt, 1, 'B', 8, (const uint8_t *)"12345678", 8, "ac", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 20), UPPP_AUTH_CONTINUE);
	check_response(&f, 1, 'B', KA_PEER_8);
	/* Success for the earlier id is stale; for the latest it decides. */
	uint8_t old_ok[] = { 3, 'A', 0, 4 };
	assert_int_equal(uppp_auth_input(&a, old_ok, sizeof(old_ok), 30), UPPP_AUTH_CONTINUE);
	uint8_t ok[] = { 3, 'B', 0, 6, 'h', 'i' };
	assert_int_equal(uppp_auth_input(&a, ok, sizeof(ok), 30), UPPP_AUTH_SUCCEEDED);
	assert_true(logged(&f, "result=success user='john' message='hi'"));
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
	/* Repeated Success: still succeeded, nothing sent. */
	assert_int_equal(uppp_auth_input(&a, ok, sizeof(ok), 40), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 2);
}

static void test_client_failure(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	client_setup(&f, &a);
	n = build_value(pkt, 1, 'A', 16, (const uint8_t *)"ABCDEFGHIJKLMNOP", 16, "ac", 2);
	uppp_auth_input(&a, pkt, n, 10);
	uint8_t fail[] = { 4, 'A', 0, 4 + 9, 'E', '=', '6', '9', '1', ' ', '\x07', '"', '\\' };
	assert_int_equal(uppp_auth_input(&a, fail, sizeof(fail), 20), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_REFUSED);
	assert_true(logged(&f, "message='E=691 \\x07\\x22\\x5c'"));
	/* Refused: later Challenges are not answered. */
	assert_int_equal(uppp_auth_input(&a, pkt, n, 30), UPPP_AUTH_FAILED);
	assert_int_equal(f.n_sent, 1);
}

/* A lost Success must not strand the peer: it resends the same Response
 * (same Identifier, same value) every restart interval until an answer comes. */
static void test_client_resends_response_until_answered(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	client_setup(&f, &a);
	n = build_value(pkt, 1, 'A', 16, (const uint8_t *)"ABCDEFGHIJKLMNOP", 16, "ac", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 10), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	uint64_t due = uppp_auth_next_deadline(&a);
	assert_int_equal(due, 10 + a.restart_ms);
	assert_int_equal(uppp_auth_timer(&a, due - 1), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(uppp_auth_timer(&a, due), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 2);
	check_response(&f, 1, 'A', KA_PEER_16);
	uint8_t ok[] = { 3, 'A', 0, 4 };
	assert_int_equal(uppp_auth_input(&a, ok, sizeof(ok), due + 5), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
}

static void test_client_hostile_packets(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600], v[300];
	size_t n;
	unsigned drops = 0;

	(void)state;
	client_setup(&f, &a);
	memset(v, 0x55, sizeof(v));
	/* Success/Failure before any Response. */
	uint8_t ok[] = { 3, 'A', 0, 4 };
	assert_int_equal(uppp_auth_input(&a, ok, sizeof(ok), 10), UPPP_AUTH_CONTINUE);
	drops++;
	/* Challenge with Value-Size 0; Value-Size past the end; name too long. */
	n = build_value(pkt, 1, 'A', 0, v, 0, "ac", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 10), UPPP_AUTH_CONTINUE);
	drops++;
	n = build_value(pkt, 1, 'A', 17, v, 16, "", 0);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 10), UPPP_AUTH_CONTINUE);
	drops++;
	char longname[256];
	memset(longname, 'n', sizeof(longname));
	n = build_value(pkt, 1, 'A', 16, v, 16, longname, 256);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 10), UPPP_AUTH_CONTINUE);
	drops++;
	/* Header lengths. */
	for (size_t cut = 0; cut < 5; cut++) {
		n = build_value(pkt, 1, 'A', 16, v, 16, "ac", 2);
		assert_int_equal(uppp_auth_input(&a, pkt, cut, 10), UPPP_AUTH_CONTINUE);
		drops++;
	}
	/* A Response sent to the peer. */
	n = build_value(pkt, 2, 'A', 16, v, 16, "ac", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 10), UPPP_AUTH_CONTINUE);
	drops++;
	assert_int_equal(a.dropped, drops);
	assert_int_equal(f.n_sent, 0);

	/* Value-Size 255 with every byte present, 255-byte name: answered. */
	n = build_value(pkt, 1, 'C', 255, v, 255, longname, 255);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 10), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(f.sent[0][1], 'C');
}

static void test_client_timeout(void **state)
{
	struct fake f;
	struct uppp_auth a;

	(void)state;
	client_setup(&f, &a);
	assert_int_equal(uppp_auth_next_deadline(&a), 30000);
	assert_int_equal(uppp_auth_timer(&a, 29999), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 30000), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_TIMEOUT);
}

static void test_client_challenge_before_start(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	memset(&f, 0, sizeof(f));
	uppp_auth_init(&a, UPPP_AUTH_CHAP_MD5, false, "john", "secret", &fake_ops, &f);
	a.log = fake_logger(&f);
	n = build_value(pkt, 1, 'A', 16, (const uint8_t *)"ABCDEFGHIJKLMNOP", 16, "ac", 2);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 10), UPPP_AUTH_CONTINUE);
	check_response(&f, 0, 'A', KA_PEER_16);
}

/* Both roles against each other, wired through the fakes. */
static void test_server_and_client_together(void **state)
{
	struct fake fs, fc;
	struct uppp_auth srv, cli;

	(void)state;
	server_setup(&fs, &srv);
	memset(&fc, 0, sizeof(fc));
	uppp_auth_init(&cli, UPPP_AUTH_CHAP_MD5, false, "rp-pppoe", "rp-pppoe", &fake_ops, &fc);
	cli.log = fake_logger(&fc);
	uppp_auth_start(&cli, 1000);
	assert_int_equal(uppp_auth_input(&cli, fs.sent[0], fs.sent_len[0], 1001), UPPP_AUTH_CONTINUE);
	assert_int_equal(fc.n_sent, 1);
	/* The client computed the same known answer. */
	uint8_t v[16];
	unhex(KA_SERVER_OK, v, 16);
	assert_memory_equal(fc.sent[0] + 5, v, 16);
	assert_int_equal(uppp_auth_input(&srv, fc.sent[0], fc.sent_len[0], 1002), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(uppp_auth_input(&cli, fs.sent[1], fs.sent_len[1], 1003), UPPP_AUTH_SUCCEEDED);
}

/* Random and mutated packets through both roles of both protocols: nothing
 * may crash or read out of bounds (run under ASan in CI). */
static void test_random_garbage(void **state)
{
	static const enum uppp_auth_method protos[] = { UPPP_AUTH_PAP, UPPP_AUTH_CHAP_MD5 };
	uint32_t seed = 12345;
	uint8_t pkt[300];

	(void)state;
	for (int role = 0; role < 2; role++) {
		for (size_t p = 0; p < 2; p++) {
			struct fake f;
			struct uppp_auth a;

			memset(&f, 0, sizeof(f));
			f.user = "rp-pppoe";
			f.secret = "rp-pppoe";
			uppp_auth_init(&a, protos[p], role == 0, "uppp", "pw", &fake_ops, &f);
			a.log = fake_logger(&f);
			uppp_auth_start(&a, 0);
			for (int i = 0; i < 20000; i++) {
				size_t len;

				seed = seed * 1103515245u + 12345u;
				len = (seed >> 8) % sizeof(pkt);
				for (size_t j = 0; j < len; j++) {
					seed = seed * 1103515245u + 12345u;
					pkt[j] = (uint8_t)(seed >> 16);
				}
				/* Mostly plausible headers: a known code, a length near len. */
				if (len >= 4) {
					pkt[0] = (uint8_t)(1 + pkt[0] % 4);
					if (pkt[2] & 1) {
						size_t l = len - (pkt[3] % 3);
						pkt[2] = (uint8_t)(l >> 8);
						pkt[3] = (uint8_t)l;
					}
				}
				f.n_sent = 0;
				enum uppp_auth_result r = uppp_auth_input(&a, pkt, len, (uint64_t)i);
				assert_true(r == UPPP_AUTH_CONTINUE || r == UPPP_AUTH_SUCCEEDED || r == UPPP_AUTH_FAILED);
				f.n_logs = 0;
				if (r != UPPP_AUTH_CONTINUE) {   /* decided: start over */
					uppp_auth_init(&a, protos[p], role == 0, "uppp", "pw", &fake_ops, &f);
					a.log = fake_logger(&f);
					uppp_auth_start(&a, (uint64_t)i);
				}
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_sends_challenge),
		cmocka_unit_test(test_server_success),
		cmocka_unit_test(test_server_wrong_password),
		cmocka_unit_test(test_server_no_secret),
		cmocka_unit_test(test_server_name_with_nul),
		cmocka_unit_test(test_server_stale_id_and_early_response),
		cmocka_unit_test(test_server_repeated_response_after_success),
		cmocka_unit_test(test_server_hostile_packets),
		cmocka_unit_test(test_server_retransmit_and_timeout),
		cmocka_unit_test(test_client_answers_challenge),
		cmocka_unit_test(test_client_failure),
		cmocka_unit_test(test_client_hostile_packets),
		cmocka_unit_test(test_client_timeout),
		cmocka_unit_test(test_client_challenge_before_start),
		cmocka_unit_test(test_server_and_client_together),
		cmocka_unit_test(test_client_resends_response_until_answered),
		cmocka_unit_test(test_random_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
