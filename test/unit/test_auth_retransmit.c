/* test_auth_retransmit.c — Identifiers of retransmitted PAP and CHAP
 * packets, and repeated Responses (issue 9, defect 6):
 *   - a PAP peer changes the Identifier of each Authenticate-Request
 *     (RFC 1334 §2.2.1) and still takes an answer to an earlier one;
 *   - a CHAP-MD5 or MS-CHAPv2 authenticator sends each Challenge with a new
 *     Identifier and a new value (RFC 1994 §4.1); a Response to an earlier
 *     Challenge is never checked against the new value;
 *   - a repeated MS-CHAPv2 Response after a Failure with R=1 gets the same
 *     Failure again and is not counted as another attempt. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <nettle/md5.h>

#include "auth/auth.h"
#include "auth/mschapv2.h"
#include "core/ppp_defs.h"

#include "auth_fake.h"

#define USER "User"
#define PASSWORD "clientPass"

static const uint8_t peer_challenge[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5e, 0x26, 0x2a,
					    0x28, 0x29, 0x5f, 0x2b, 0x3a, 0x33, 0x7c, 0x7e };

/* 64 distinct random bytes: every Identifier and challenge drawn differs. */
static void fake_setup(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->user = USER;
	f->secret = PASSWORD;
	for (size_t i = 0; i < sizeof(f->rnd); i++)
		f->rnd[i] = (uint8_t)(0x30 + 7 * i);
	f->rnd_len = sizeof(f->rnd);
}

/* Challenge idx: its Identifier and value (16 bytes). */
static uint8_t challenge_of(const struct fake *f, int idx, uint8_t value[16])
{
	assert_true(idx < f->n_sent);
	assert_int_equal(f->proto[idx], PPP_CHAP);
	assert_int_equal(f->sent[idx][0], 1);
	assert_int_equal(f->sent[idx][4], 16);
	memcpy(value, f->sent[idx] + 5, 16);
	return f->sent[idx][1];
}

static size_t build_value(uint8_t *p, uint8_t id, const uint8_t *value, size_t vlen, const char *name)
{
	size_t nlen = strlen(name), len = 4 + 1 + vlen + nlen;

	p[0] = 2;
	p[1] = id;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = (uint8_t)vlen;
	memcpy(p + 5, value, vlen);
	memcpy(p + 5 + vlen, name, nlen);
	return len;
}

/* CHAP-MD5 Response: MD5(hash_id || secret || challenge), sent with id. */
static size_t md5_response(uint8_t *p, uint8_t id, uint8_t hash_id, const uint8_t challenge[16],
			   const char *secret)
{
	struct md5_ctx ctx;
	uint8_t v[16];

	md5_init(&ctx);
	md5_update(&ctx, 1, &hash_id);
	md5_update(&ctx, strlen(secret), (const uint8_t *)secret);
	md5_update(&ctx, 16, challenge);
	md5_digest(&ctx, 16, v);
	return build_value(p, id, v, 16, USER);
}

/* MS-CHAPv2 Response to challenge from USER with password. */
static size_t ms_response(uint8_t *p, uint8_t id, const uint8_t challenge[16], const char *password)
{
	uint8_t v[49] = { 0 };

	memcpy(v, peer_challenge, 16);
	assert_int_equal(uppp_mschapv2_nt_response(challenge, peer_challenge, (const uint8_t *)USER, strlen(USER),
						   (const uint8_t *)password, strlen(password), v + 24), 0);
	return build_value(p, id, v, 49, USER);
}

/* ---- PAP peer ---- */

static void pap_peer_changes_identifier_and_takes_a_late_answer(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t ids[3];

	(void)state;
	fake_setup(&f);
	uppp_auth_init(&a, UPPP_AUTH_PAP, false, "john", "secr", &fake_ops, &f);
	a.log = fake_logger(&f);
	a.restart_ms = 1000;
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 1000), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 2000), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 3);
	for (int i = 0; i < 3; i++) {
		ids[i] = f.sent[i][1];
		/* the rest of the packet is the same */
		assert_int_equal(f.sent_len[i], f.sent_len[0]);
		assert_memory_equal(f.sent[i] + 2, f.sent[0] + 2, f.sent_len[0] - 2);
	}
	/* RFC 1334 §2.2.1: a new Identifier for each Authenticate-Request */
	assert_int_not_equal(ids[1], ids[0]);
	assert_int_not_equal(ids[2], ids[1]);
	assert_int_not_equal(ids[2], ids[0]);

	/* an Ack with an Identifier we never sent is not ours */
	uint8_t ack[] = { 2, (uint8_t)(ids[2] + 1), 0, 5, 0 };
	assert_int_equal(uppp_auth_input(&a, ack, sizeof(ack), 2100), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 1);
	/* a slow authenticator answers the first request: that is our answer */
	ack[1] = ids[0];
	assert_int_equal(uppp_auth_input(&a, ack, sizeof(ack), 2200), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
}

/* ---- CHAP-MD5 authenticator ---- */

static void chap_rechallenge_has_new_identifier_and_value(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t c1[16], c2[16], pkt[600];
	uint8_t id1, id2;
	size_t n;

	(void)state;
	fake_setup(&f);
	uppp_auth_init(&a, UPPP_AUTH_CHAP_MD5, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 3000), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 2);
	id1 = challenge_of(&f, 0, c1);
	id2 = challenge_of(&f, 1, c2);
	assert_int_not_equal(id1, id2);
	assert_memory_not_equal(c1, c2, 16);

	/* the right answer to the first Challenge crossed the second: stale */
	n = md5_response(pkt, id1, id1, c1, PASSWORD);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 3100), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 1);
	assert_int_equal(f.n_sent, 2);
	/* the current Identifier with a value for the old challenge: wrong */
	struct fake g;
	struct uppp_auth b;
	memcpy(&g, &f, sizeof(g));
	g.n_sent = 0;
	memcpy(&b, &a, sizeof(b));
	b.ctx = &g;
	n = md5_response(pkt, id2, id2, c1, PASSWORD);
	assert_int_equal(uppp_auth_input(&b, pkt, n, 3100), UPPP_AUTH_FAILED);
	assert_int_equal(b.fail_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	/* the answer to the current Challenge succeeds */
	n = md5_response(pkt, id2, id2, c2, PASSWORD);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 3200), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.sent[2][0], 3);
	assert_int_equal(f.sent[2][1], id2);
}

/* ---- MS-CHAPv2 authenticator ---- */

static void mschapv2_rechallenge_has_new_identifier_and_value(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t c1[16], c2[16], pkt[600];
	uint8_t id1, id2;
	size_t n;

	(void)state;
	fake_setup(&f);
	uppp_auth_init(&a, UPPP_AUTH_MSCHAPV2, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 3000), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 2);
	id1 = challenge_of(&f, 0, c1);
	id2 = challenge_of(&f, 1, c2);
	assert_int_not_equal(id1, id2);
	assert_memory_not_equal(c1, c2, 16);

	/* The NT-Response does not cover the Identifier: a Response to the
	 * first Challenge must be neither taken under its old Identifier nor
	 * pass under the new one. */
	n = ms_response(pkt, id1, c1, PASSWORD);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 3100), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 1);
	assert_int_equal(f.n_sent, 2);
	pkt[1] = id2;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 3100), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 3);
	assert_int_equal(f.sent[2][0], 4);   /* Failure */
	assert_int_equal(f.sent[2][1], id2);
}

static void mschapv2_repeated_response_after_failure_gets_the_same_failure(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t c[16], pkt[600];
	uint8_t id;
	size_t n;

	(void)state;
	fake_setup(&f);
	uppp_auth_init(&a, UPPP_AUTH_MSCHAPV2, true, "uppp", NULL, &fake_ops, &f);
	a.log = fake_logger(&f);
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	id = challenge_of(&f, 0, c);

	n = ms_response(pkt, id, c, "wrong");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 100), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 2);
	assert_int_equal(f.sent[1][0], 4);
	assert_non_null(strstr((const char *)f.sent[1] + 4, "R=1"));
	/* Our Failure was lost: the peer resends the same Response. RFC 1994
	 * §4.1 (implementation note): the same reply again, nothing new
	 * decided — same Identifier, same C= challenge, no attempt used. */
	assert_int_equal(uppp_auth_input(&a, pkt, n, 3100), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 3);
	assert_int_equal(f.sent_len[2], f.sent_len[1]);
	assert_memory_equal(f.sent[2], f.sent[1], f.sent_len[1]);
	assert_true(logged(&f, "attempt=1/3"));
	assert_false(logged(&f, "attempt=2/3"));

	/* the next real try (new Peer-Challenge, Identifier + 1) is attempt 2
	 * and answers the challenge the Failure carried */
	char hex[33];
	const char *msg = strstr((const char *)f.sent[1] + 4, "C=");
	assert_non_null(msg);
	memcpy(hex, msg + 2, 32);
	hex[32] = '\0';
	for (int i = 0; i < 16; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		c[i] = (uint8_t)v;
	}
	n = ms_response(pkt, (uint8_t)(id + 1), c, PASSWORD);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 5000), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.sent[3][0], 3);
	assert_int_equal(f.sent[3][1], (uint8_t)(id + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pap_peer_changes_identifier_and_takes_a_late_answer),
		cmocka_unit_test(chap_rechallenge_has_new_identifier_and_value),
		cmocka_unit_test(mschapv2_rechallenge_has_new_identifier_and_value),
		cmocka_unit_test(mschapv2_repeated_response_after_failure_gets_the_same_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
