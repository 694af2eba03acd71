/* test_auth_kept.c — what an authenticator keeps once the peer succeeded
 * (struct uppp_auth_kept, auth/auth.h): a server's link gives its whole
 * authentication state back then (proto/ppp.c) and answers the peer's
 * repeated request (Windows resends its CHAP Response after Success, RFC
 * 1994 §4.1 note; a lost PAP Ack, RFC 1334 §2.2.1) from these few bytes,
 * exactly as the whole state did: the same Ack or Success again for the
 * same request, nothing for another.
 *
 * Each protocol runs between a real authenticator and a real peer (both
 * auth/ engines over the fake host of auth_fake.h); the peer's last request
 * is kept, the authenticator's state is kept and dropped, and the request
 * is played again into a state rebuilt from what was kept. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "core/ppp_defs.h"
#include "uppp/version.h"

#include "auth_fake.h"

static struct fake fs, fc;   /* the authenticator's host, the peer's */
static bool judge_by_verify;

static int verify_later(void *ctx, const struct uppp_auth_request *req)
{
	(void)ctx;
	(void)req;
	return judge_by_verify ? -EINPROGRESS : -ENOSYS;
}

static const struct uppp_auth_ops server_ops = {
	.send = fake_send, .random = fake_random, .get_secret = fake_get_secret, .verify = verify_later,
};

struct run {
	struct uppp_auth a, c;
	uint8_t last_req[600];   /* the peer's last PAP Request / CHAP Response */
	size_t last_req_len;
};

/* Delivers what each side sent to the other until both are quiet. */
static void pump(struct run *r, uint64_t now)
{
	int ds = 0, dc = 0;

	while (ds < fs.n_sent || dc < fc.n_sent) {
		while (ds < fs.n_sent) {
			(void)uppp_auth_input(&r->c, fs.sent[ds], fs.sent_len[ds], now);
			ds++;
		}
		while (dc < fc.n_sent) {
			memcpy(r->last_req, fc.sent[dc], fc.sent_len[dc]);
			r->last_req_len = fc.sent_len[dc];
			(void)uppp_auth_input(&r->a, fc.sent[dc], fc.sent_len[dc], now);
			dc++;
		}
	}
}

static void authenticate(struct run *r, enum uppp_auth_method m, bool by_verify)
{
	memset(&fs, 0, sizeof(fs));
	memset(&fc, 0, sizeof(fc));
	for (size_t i = 0; i < sizeof(fs.rnd); i++)
		fs.rnd[i] = fc.rnd[i] = (uint8_t)(i * 7 + 1);
	fs.rnd_len = fc.rnd_len = sizeof(fs.rnd);
	fs.user = "alice";
	fs.secret = "wonderland";
	judge_by_verify = by_verify;
	uppp_auth_init(&r->a, m, true, "server", NULL, &server_ops, &fs);
	uppp_auth_init(&r->c, m, false, "alice", "wonderland", &fake_ops, &fc);
	r->a.log = fake_logger(&fs);
	assert_int_equal(uppp_auth_start(&r->a, 0), UPPP_AUTH_CONTINUE);
	(void)uppp_auth_start(&r->c, 0);
	pump(r, 0);
	if (by_verify) {
		struct uppp_auth_verdict v = { .accept = true };
		enum uppp_auth_result res;
		assert_int_equal(uppp_auth_verdict(&r->a, &v, 0, &res), 0);
		assert_int_equal(res, UPPP_AUTH_SUCCEEDED);
		pump(r, 0);
	}
	assert_string_equal(uppp_auth_peer_name(&r->a), "alice");   /* succeeded */
}

/* The request played again into the state rebuilt from k: the answer it
 * gets (code and Identifier), or -1 when nothing was sent. */
static int replay(const struct uppp_auth_kept *k, const uint8_t *req, size_t len, uint8_t *id)
{
	struct uppp_auth b;
	int before = fs.n_sent;

	uppp_auth_restore(&b, k, "server", &server_ops, &fs, fake_logger(&fs));
	assert_int_equal(uppp_auth_input(&b, req, len, 1000), UPPP_AUTH_SUCCEEDED);
	if (fs.n_sent == before)
		return -1;
	assert_int_equal(fs.n_sent, before + 1);
	*id = fs.sent[before][1];
	return fs.sent[before][0];
}

static void kept_answers_as_the_whole_state(enum uppp_auth_method m, bool by_verify, uint8_t success_code,
					    size_t data_len)
{
	static struct run r;
	uint8_t id = 0, whole_id = 0;
	int whole_code;

	authenticate(&r, m, by_verify);

	/* what the whole state answers the repeated request */
	{
		int before = fs.n_sent;
		assert_int_equal(uppp_auth_input(&r.a, r.last_req, r.last_req_len, 1000), UPPP_AUTH_SUCCEEDED);
		assert_int_equal(fs.n_sent, before + 1);
		whole_code = fs.sent[before][0];
		whole_id = fs.sent[before][1];
		assert_int_equal(whole_code, success_code);
	}

	size_t n = uppp_auth_kept_size(&r.a);
	assert_int_equal(n, sizeof(struct uppp_auth_kept) + data_len + strlen("alice") + 1);
	struct uppp_auth_kept *k = malloc(n);
	assert_non_null(k);
	uppp_auth_keep(&r.a, k);
	assert_int_equal(uppp_auth_kept_len(k), n);
	memset(&r.a, 0xa5, sizeof(r.a));   /* the whole state is gone */
	assert_string_equal(uppp_auth_kept_name(k), "alice");

	/* the same request: the same answer, from what was kept */
	uint8_t *copy = malloc(r.last_req_len);
	assert_non_null(copy);
	memcpy(copy, r.last_req, r.last_req_len);
	assert_int_equal(replay(k, copy, r.last_req_len, &id), whole_code);
	assert_int_equal(id, whole_id);
	if (m == UPPP_AUTH_MSCHAPV2) {
		/* Success carries the same S= again */
		assert_memory_equal(fs.sent[fs.n_sent - 1], fs.sent[fs.n_sent - 2], fs.sent_len[fs.n_sent - 1]);
	}
	/* another value (CHAP) or password (PAP, when judged by the secrets):
	 * nothing, as the whole state did */
	if (m != UPPP_AUTH_PAP || !by_verify) {
		copy[r.last_req_len - (m == UPPP_AUTH_PAP ? 1 : strlen("alice") + 1)] ^= 0x55;
		assert_int_equal(replay(k, copy, r.last_req_len, &id), -1);
		assert_true(logged(&fs, "dropped packet"));
	}
	free(copy);
	free(k);
}

static void pap_by_secrets(void **state)
{
	(void)state;
	kept_answers_as_the_whole_state(UPPP_AUTH_PAP, false, 2, 0);
}

static void pap_by_verify(void **state)
{
	(void)state;
	kept_answers_as_the_whole_state(UPPP_AUTH_PAP, true, 2, 0);
}

static void chap_md5_by_secrets(void **state)
{
	(void)state;
	kept_answers_as_the_whole_state(UPPP_AUTH_CHAP_MD5, false, 3, 16);
}

static void chap_md5_by_verify(void **state)
{
	(void)state;
	kept_answers_as_the_whole_state(UPPP_AUTH_CHAP_MD5, true, 3, 16);
}

#if UPPP_HAVE_MSCHAPV2
static void mschapv2_by_secrets(void **state)
{
	(void)state;
	kept_answers_as_the_whole_state(UPPP_AUTH_MSCHAPV2, false, 3, 49 + 42);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pap_by_secrets),
		cmocka_unit_test(pap_by_verify),
		cmocka_unit_test(chap_md5_by_secrets),
		cmocka_unit_test(chap_md5_by_verify),
#if UPPP_HAVE_MSCHAPV2
		cmocka_unit_test(mschapv2_by_secrets),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
