/* test_mschapv2.c — MS-CHAPv2 (RFC 2759): the hash functions against the
 * RFC's §9.2 example, and both roles driven through uppp_auth_* with a fake
 * ops table (fixed random bytes), alone and wired to each other.
 *
 * Known answers: RFC 2759 §9.2 (user "User", password "clientPass"), and
 *   printf 'pässwörd€😀' | iconv -f UTF-8 -t UTF-16LE | openssl dgst -md4 -provider legacy
 *   -> 343b5f56098bef0de4739d82d102f3ca  (UTF-8 password, one astral character) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "auth/mschapv2.h"
#include "core/ppp_defs.h"

#include "auth_fake.h"

/* RFC 2759 §9.2 */
#define RFC_USER "User"
#define RFC_PASSWORD "clientPass"
#define RFC_AUTH_CHALLENGE "5B5D7C7D7B3F2F3E3C2C602132262628"
#define RFC_PEER_CHALLENGE "21402324255E262A28295F2B3A337C7E"
#define RFC_CHALLENGE "D02E4386BCE91226"
#define RFC_PASSWORD_HASH "44EBBA8D5312B8D611474411F56989AE"
#define RFC_PASSWORD_HASH_HASH "41C00C584BD2D91C4017A2A12FA59F3F"
#define RFC_NT_RESPONSE "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
#define RFC_AUTH_RESPONSE "S=407A5589115FD0D6209F510FE9C04566932CDA56"

#define CHAL_ID 0x2a

static void unhex(const char *hex, uint8_t *out, size_t n)
{
	assert_int_equal(strlen(hex), 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void assert_hex(const uint8_t *got, size_t n, const char *hex)
{
	uint8_t want[64];

	assert_true(n <= sizeof(want));
	unhex(hex, want, n);
	assert_memory_equal(got, want, n);
}

/* ---- hash functions ---- */

static void test_rfc2759_vectors(void **state)
{
	uint8_t auth_ch[16], peer_ch[16], hash[16], hh[16], ch[8], nt[24];
	char s[43];

	(void)state;
	unhex(RFC_AUTH_CHALLENGE, auth_ch, 16);
	unhex(RFC_PEER_CHALLENGE, peer_ch, 16);

	assert_int_equal(uppp_mschapv2_nt_password_hash((const uint8_t *)RFC_PASSWORD, 10, hash), 0);
	assert_hex(hash, 16, RFC_PASSWORD_HASH);
	uppp_mschapv2_hash_hash(hash, hh);
	assert_hex(hh, 16, RFC_PASSWORD_HASH_HASH);
	uppp_mschapv2_challenge_hash(peer_ch, auth_ch, (const uint8_t *)RFC_USER, 4, ch);
	assert_hex(ch, 8, RFC_CHALLENGE);
	assert_int_equal(uppp_mschapv2_nt_response(auth_ch, peer_ch, (const uint8_t *)RFC_USER, 4,
						   (const uint8_t *)RFC_PASSWORD, 10, nt), 0);
	assert_hex(nt, 24, RFC_NT_RESPONSE);
	assert_int_equal(uppp_mschapv2_authenticator_response((const uint8_t *)RFC_PASSWORD, 10, nt, peer_ch,
							      auth_ch, (const uint8_t *)RFC_USER, 4, s), 0);
	assert_string_equal(s, RFC_AUTH_RESPONSE);

	/* RFC 2759 §8.2: the domain is not part of the hash */
	memset(ch, 0, sizeof(ch));
	uppp_mschapv2_challenge_hash(peer_ch, auth_ch, (const uint8_t *)"CORP\\User", 9, ch);
	assert_hex(ch, 8, RFC_CHALLENGE);
	/* but the name is: another name gives another challenge */
	uppp_mschapv2_challenge_hash(peer_ch, auth_ch, (const uint8_t *)"user", 4, ch);
	assert_memory_not_equal(ch, "\xD0\x2E\x43\x86\xBC\xE9\x12\x26", 8);
	/* and the password is: one character off, another NT-Response */
	uppp_mschapv2_nt_response(auth_ch, peer_ch, (const uint8_t *)RFC_USER, 4, (const uint8_t *)"clientPasS", 10, nt);
	uint8_t rfc_nt[24];
	unhex(RFC_NT_RESPONSE, rfc_nt, 24);
	assert_memory_not_equal(nt, rfc_nt, 24);
}

static void test_password_encoding(void **state)
{
	uint8_t hash[16], hash2[16];
	uint8_t pw[300];

	(void)state;
	/* UTF-8 with 2-, 3- and 4-byte sequences (a surrogate pair) */
	const char *utf8 = "p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac\xf0\x9f\x98\x80";
	assert_int_equal(uppp_mschapv2_nt_password_hash((const uint8_t *)utf8, strlen(utf8), hash), 0);
	assert_hex(hash, 16, "343b5f56098bef0de4739d82d102f3ca");
	/* Invalid UTF-8 (a lone Latin-1 byte) is taken as that Latin-1 character */
	assert_int_equal(uppp_mschapv2_nt_password_hash((const uint8_t *)"\xe4", 1, hash), 0);
	assert_int_equal(uppp_mschapv2_nt_password_hash((const uint8_t *)"\xc3\xa4", 2, hash2), 0);
	assert_memory_equal(hash, hash2, 16);
	/* overlong and truncated sequences too: no crash, one unit per byte */
	assert_int_equal(uppp_mschapv2_nt_password_hash((const uint8_t *)"\xc0\xaf", 2, hash), 0);
	assert_int_equal(uppp_mschapv2_nt_password_hash((const uint8_t *)"\xf0\x9f", 2, hash), 0);
	/* empty password: MD4 of nothing (RFC 1320 test suite) */
	assert_int_equal(uppp_mschapv2_nt_password_hash((const uint8_t *)"", 0, hash), 0);
	assert_hex(hash, 16, "31d6cfe0d16ae931b73c59d7e0c089c0");
	/* 256 characters are allowed, 257 are not */
	memset(pw, 'x', sizeof(pw));
	assert_int_equal(uppp_mschapv2_nt_password_hash(pw, 256, hash), 0);
	assert_int_equal(uppp_mschapv2_nt_password_hash(pw, 257, hash), -E2BIG);
	memset(hash2, 0, sizeof(hash2));
	assert_memory_equal(hash, hash2, 16);
	/* 255 + one astral character (2 units) is one too many */
	memcpy(pw + 255, "\xf0\x9f\x98\x80", 4);
	assert_int_equal(uppp_mschapv2_nt_password_hash(pw, 259, hash), -E2BIG);
	assert_int_equal(uppp_mschapv2_nt_password_hash(pw + 1, 258, hash), 0);
}

/* ---- packets ---- */

/* Challenge/Response: code, id, len, Value-Size, value, name. */
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

/* A Response to auth_challenge from user/password with the RFC's Peer-Challenge. */
static size_t build_response(uint8_t *p, uint8_t id, const uint8_t auth_ch[16], const char *user,
			     const char *password)
{
	uint8_t v[49] = { 0 };

	unhex(RFC_PEER_CHALLENGE, v, 16);
	assert_int_equal(uppp_mschapv2_nt_response(auth_ch, v, (const uint8_t *)user, strlen(user),
						   (const uint8_t *)password, strlen(password), v + 24), 0);
	return build_value(p, 2, id, 49, v, 49, user, strlen(user));
}

static size_t build_status(uint8_t *p, uint8_t code, uint8_t id, const char *msg)
{
	size_t len = 4 + strlen(msg);

	p[0] = code;
	p[1] = id;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	memcpy(p + 4, msg, strlen(msg));
	return len;
}

/* The message of sent packet idx (Success/Failure), NUL-terminated. */
static const char *sent_message(const struct fake *f, int idx, uint8_t code, uint8_t id)
{
	static char msg[600];
	size_t len = f->sent_len[idx];

	assert_int_equal(f->proto[idx], PPP_CHAP);
	assert_int_equal(f->sent[idx][0], code);
	assert_int_equal(f->sent[idx][1], id);
	assert_int_equal((size_t)(f->sent[idx][2] << 8 | f->sent[idx][3]), len);
	memcpy(msg, f->sent[idx] + 4, len - 4);
	msg[len - 4] = '\0';
	return msg;
}

static void server_setup(struct fake *f, struct uppp_auth *a, const char *user, const char *secret)
{
	memset(f, 0, sizeof(*f));
	f->user = user;
	f->secret = secret;
	/* First random call: the Identifier; then the 16-byte challenge. */
	f->rnd[0] = CHAL_ID;
	unhex(RFC_AUTH_CHALLENGE, f->rnd + 1, 16);
	f->rnd_len = 17;
	uppp_auth_init(a, UPPP_AUTH_MSCHAPV2, true, "uppp", NULL, &fake_ops, f);
	a->log = fake_logger(f);
	assert_int_equal(uppp_auth_start(a, 1000), UPPP_AUTH_CONTINUE);
}

static void test_server_sends_challenge(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t auth_ch[16];

	(void)state;
	server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	unhex(RFC_AUTH_CHALLENGE, auth_ch, 16);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(f.proto[0], PPP_CHAP);
	assert_int_equal(f.sent_len[0], 4 + 1 + 16 + 4);
	assert_int_equal(f.sent[0][0], 1);
	assert_int_equal(f.sent[0][1], CHAL_ID);
	assert_int_equal(f.sent[0][3], 25);
	assert_int_equal(f.sent[0][4], 16);
	assert_memory_equal(f.sent[0] + 5, auth_ch, 16);
	assert_memory_equal(f.sent[0] + 21, "uppp", 4);
	assert_int_equal(uppp_auth_next_deadline(&a), 1000 + 3000);
}

static void test_server_success_rfc_example(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600], auth_ch[16];
	size_t n;

	(void)state;
	server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	unhex(RFC_AUTH_CHALLENGE, auth_ch, 16);
	n = build_response(pkt, CHAL_ID, auth_ch, RFC_USER, RFC_PASSWORD);
	/* the RFC's NT-Response is what the peer sends */
	assert_hex(pkt + 5 + 24, 24, RFC_NT_RESPONSE);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 2);
	assert_string_equal(sent_message(&f, 1, 3, CHAL_ID), RFC_AUTH_RESPONSE " M=Access granted");
	assert_string_equal(uppp_auth_peer_name(&a), RFC_USER);
	assert_true(logged(&f, "layer=mschapv2 result=success user='User'"));
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
	assert_int_equal(uppp_auth_timer(&a, 100000), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 2);

	/* Windows resends the Response: the same Success again, nothing re-decided */
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1600), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 3);
	assert_string_equal(sent_message(&f, 2, 3, CHAL_ID), RFC_AUTH_RESPONSE " M=Access granted");
	/* a different Response (or another id) after Success is dropped */
	unsigned dropped = a.dropped;
	pkt[5 + 30] ^= 1;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1700), UPPP_AUTH_SUCCEEDED);
	pkt[5 + 30] ^= 1;
	pkt[1]++;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1700), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 3);
	assert_int_equal(a.dropped, dropped + 2);
}

/* Parses "E=691 R=r C=<32 hex> V=3 M=..." and returns the new challenge. */
static void check_failure(const char *msg, int retry, uint8_t new_ch[16])
{
	char want[64];
	unsigned e, r, v;
	char hex[33];

	assert_int_equal(sscanf(msg, "E=%u R=%u C=%32[0-9A-F] V=%u", &e, &r, hex, &v), 4);
	assert_int_equal(e, 691);
	assert_int_equal(r, (unsigned)retry);
	assert_int_equal(strlen(hex), 32);
	assert_int_equal(v, 3);
	snprintf(want, sizeof(want), "C=%s V=3 M=Authentication failed", hex);
	assert_non_null(strstr(msg, want));
	unhex(hex, new_ch, 16);
}

static void test_server_wrong_password_retry(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600], auth_ch[16], new_ch[16];
	size_t n;

	(void)state;
	server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	unhex(RFC_AUTH_CHALLENGE, auth_ch, 16);
	/* new challenges come from the random source: make them differ */
	for (int i = 0; i < 16; i++)
		f.rnd[17 + i] = (uint8_t)(0xa0 + i);
	f.rnd_len = 33;

	n = build_response(pkt, CHAL_ID, auth_ch, RFC_USER, "wrong");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 2);
	check_failure(sent_message(&f, 1, 4, CHAL_ID), 1, new_ch);
	assert_memory_not_equal(new_ch, auth_ch, 16);
	assert_true(logged(&f, "result=failure user='User' cause=auth-bad-secret"));
	assert_true(logged(&f, "attempt=1/3 retry=allowed"));
	/* waiting for the user: no Challenge retransmission */
	assert_int_equal(uppp_auth_next_deadline(&a), 1500 + 30000);
	assert_int_equal(uppp_auth_timer(&a, 20000), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 2);

	/* the right password against the new challenge, Identifier + 1 */
	n = build_response(pkt, CHAL_ID + 1, new_ch, RFC_USER, RFC_PASSWORD);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 21000), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.n_sent, 3);
	const char *msg = sent_message(&f, 2, 3, CHAL_ID + 1);
	assert_int_equal(strncmp(msg, "S=", 2), 0);
	assert_int_equal(strlen(msg), 42 + strlen(" M=Access granted"));
	/* and it is the authenticator response for the new challenge */
	char s[43];
	uint8_t peer_ch[16];
	unhex(RFC_PEER_CHALLENGE, peer_ch, 16);
	uppp_mschapv2_authenticator_response((const uint8_t *)RFC_PASSWORD, 10, pkt + 5 + 24, peer_ch, new_ch,
					     (const uint8_t *)RFC_USER, 4, s);
	assert_int_equal(strncmp(msg, s, 42), 0);
	assert_string_not_equal(s, RFC_AUTH_RESPONSE);
}

static void test_server_three_strikes(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600], ch[16];
	size_t n;
	uint8_t id = CHAL_ID;

	(void)state;
	server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	unhex(RFC_AUTH_CHALLENGE, ch, 16);
	for (int i = 0; i < 3; i++) {
		n = build_response(pkt, id, ch, RFC_USER, "wrong");
		enum uppp_auth_result r = uppp_auth_input(&a, pkt, n, 2000 + (uint64_t)i);
		assert_int_equal(r, i < 2 ? UPPP_AUTH_CONTINUE : UPPP_AUTH_FAILED);
		assert_int_equal(f.n_sent, 2 + i);
		/* the retry may reuse the Failure's Identifier as well */
		check_failure(sent_message(&f, 1 + i, 4, id), i < 2 ? 1 : 0, ch);
		if (i == 0)
			id++;
	}
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_true(logged(&f, "attempt=3/3 retry=no"));
	assert_string_equal(uppp_auth_peer_name(&a), "");
	/* a late Response only gets Failure R=0 again */
	n = build_response(pkt, id, ch, RFC_USER, RFC_PASSWORD);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 3000), UPPP_AUTH_FAILED);
	assert_int_equal(f.n_sent, 5);
	check_failure(sent_message(&f, 4, 4, id), 0, ch);
}

static void test_server_no_secret_and_domain(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600], ch[16];
	size_t n;

	(void)state;
	/* unknown user: the same E=691 as a wrong password, retry allowed */
	server_setup(&f, &a, "alice", "secret");
	unhex(RFC_AUTH_CHALLENGE, ch, 16);
	n = build_response(pkt, CHAL_ID, ch, "mallory", "secret");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	check_failure(sent_message(&f, 1, 4, CHAL_ID), 1, ch);
	assert_true(logged(&f, "cause=auth-no-secret"));
	assert_true(logged(&f, "user='mallory'"));
	/* a user name with a NUL: refused, never looked up */
	int calls = f.get_secret_calls;
	n = build_value(pkt, 2, CHAL_ID + 1, 49, (const uint8_t *)"0123456789012345678901234567890123456789012345678",
			49, "ali\0ce", 6);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1600), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.get_secret_calls, calls);
	assert_true(logged(&f, "user='ali\\x00ce'"));

	/* "DOMAIN\user": looked up as given, then without the domain */
	server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	unhex(RFC_AUTH_CHALLENGE, ch, 16);
	n = build_response(pkt, CHAL_ID, ch, "CORP\\User", RFC_PASSWORD);
	/* the domain is not hashed: the RFC's NT-Response */
	assert_hex(pkt + 5 + 24, 24, RFC_NT_RESPONSE);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(f.get_secret_calls, 2);
	assert_string_equal(uppp_auth_peer_name(&a), RFC_USER);
	assert_string_equal(sent_message(&f, 1, 3, CHAL_ID), RFC_AUTH_RESPONSE " M=Access granted");
	assert_true(logged(&f, "user='CORP\\x5cUser'"));
}

static void test_server_hostile_packets(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600], ch[16], v[60] = { 0 };
	char longname[300];
	size_t n;

	(void)state;
	server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	unhex(RFC_AUTH_CHALLENGE, ch, 16);
	/* Value-Size 16 (CHAP-MD5), 48, 50: dropped, no answer */
	for (unsigned vs = 0; vs < 60; vs++) {
		if (vs == 49)
			continue;
		n = build_value(pkt, 2, CHAL_ID, (uint8_t)vs, v, vs, "User", 4);
		assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	}
	assert_int_equal(a.dropped, 59);
	/* Value-Size past the end */
	n = build_value(pkt, 2, CHAL_ID, 49, v, 20, "", 0);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	/* Length field < 4, past the end, truncated header, empty */
	n = build_response(pkt, CHAL_ID, ch, RFC_USER, RFC_PASSWORD);
	pkt[2] = 0; pkt[3] = 3;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	pkt[3] = (uint8_t)(n + 1);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_input(&a, pkt, 3, 1500), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_input(&a, pkt, 0, 1500), UPPP_AUTH_CONTINUE);
	/* a Response one byte short of its Length */
	pkt[3] = (uint8_t)n;
	assert_int_equal(uppp_auth_input(&a, pkt, n - 1, 1500), UPPP_AUTH_CONTINUE);
	/* name of 256 bytes */
	memset(longname, 'u', sizeof(longname));
	n = build_value(pkt, 2, CHAL_ID, 49, v, 49, longname, 256);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	/* stale Identifier, unknown code, Success/Failure/Challenge to an authenticator */
	n = build_response(pkt, CHAL_ID + 7, ch, RFC_USER, RFC_PASSWORD);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	pkt[0] = 9;
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	n = build_status(pkt, 3, CHAL_ID, RFC_AUTH_RESPONSE);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	n = build_value(pkt, 1, CHAL_ID, 16, ch, 16, "x", 1);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1500), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 59 + 11);
	assert_int_equal(f.n_sent, 1);  /* only the Challenge */
	assert_int_equal(f.get_secret_calls, 0);
	/* still works afterwards; padding past Length is ignored */
	n = build_response(pkt, CHAL_ID, ch, RFC_USER, RFC_PASSWORD);
	pkt[n] = 0xff;
	assert_int_equal(uppp_auth_input(&a, pkt, n + 1, 1500), UPPP_AUTH_SUCCEEDED);
}

static void test_server_retransmit_and_timeout(void **state)
{
	struct fake f;
	struct uppp_auth a;

	(void)state;
	server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	a.max_tries = 3;
	assert_int_equal(uppp_auth_timer(&a, 3999), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(uppp_auth_timer(&a, 4000), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 2);
	/* RFC 1994 §4.1: a new Identifier and a new challenge value */
	assert_int_equal(f.sent_len[1], f.sent_len[0]);
	assert_int_equal(f.sent[1][1], CHAL_ID + 1);
	assert_memory_not_equal(f.sent[1] + 5, f.sent[0] + 5, 16);
	assert_int_equal(uppp_auth_timer(&a, 7000), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 10000), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_TIMEOUT);
	assert_int_equal(f.n_sent, 3);

	/* after a refused password, a peer that never retries runs out of time
	 * with the password as the cause */
	uint8_t pkt[600], ch[16];
	size_t n;
	server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	unhex(RFC_AUTH_CHALLENGE, ch, 16);
	n = build_response(pkt, CHAL_ID, ch, RFC_USER, "nope");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 31999), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 32000), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_true(logged(&f, "did not try again"));
}

/* ---- peer ---- */

static void client_setup(struct fake *f, struct uppp_auth *a, const char *user, const char *password)
{
	memset(f, 0, sizeof(*f));
	unhex(RFC_PEER_CHALLENGE, f->rnd, 16);
	f->rnd_len = 16;
	uppp_auth_init(a, UPPP_AUTH_MSCHAPV2, false, user, password, &fake_ops, f);
	a->log = fake_logger(f);
	assert_int_equal(uppp_auth_start(a, 1000), UPPP_AUTH_CONTINUE);
	assert_int_equal(f->n_sent, 0);
}

static void client_challenge(struct fake *f, struct uppp_auth *a, uint8_t id)
{
	uint8_t pkt[100], ch[16];
	size_t n;

	unhex(RFC_AUTH_CHALLENGE, ch, 16);
	n = build_value(pkt, 1, id, 16, ch, 16, "uppp", 4);
	int before = f->n_sent;
	assert_int_equal(uppp_auth_input(a, pkt, n, 1100), UPPP_AUTH_CONTINUE);
	assert_int_equal(f->n_sent, before + 1);  /* answered */
}

static void test_client_rfc_example(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	client_challenge(&f, &a, 7);
	assert_int_equal(f.n_sent, 1);
	/* code 2, id 7, length 4+1+49+4, Value-Size 49 */
	assert_int_equal(f.proto[0], PPP_CHAP);
	assert_int_equal(f.sent_len[0], 58);
	assert_int_equal(f.sent[0][0], 2);
	assert_int_equal(f.sent[0][1], 7);
	assert_int_equal(f.sent[0][3], 58);
	assert_int_equal(f.sent[0][4], 49);
	assert_hex(f.sent[0] + 5, 16, RFC_PEER_CHALLENGE);
	assert_hex(f.sent[0] + 21, 8, "0000000000000000");
	assert_hex(f.sent[0] + 29, 24, RFC_NT_RESPONSE);
	assert_int_equal(f.sent[0][53], 0);
	assert_memory_equal(f.sent[0] + 54, "User", 4);

	/* stale id: dropped */
	n = build_status(pkt, 3, 8, RFC_AUTH_RESPONSE " M=welcome");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1200), UPPP_AUTH_CONTINUE);
	/* the server proves it knows the password */
	n = build_status(pkt, 3, 7, RFC_AUTH_RESPONSE " M=welcome");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1200), UPPP_AUTH_SUCCEEDED);
	assert_true(logged(&f, "result=success user='User' server-proved-password=yes message='welcome'"));
	/* repeated Success */
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1300), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);

	/* lower-case hex and no M= are accepted */
	client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	client_challenge(&f, &a, 7);
	n = build_status(pkt, 3, 7, "S=407a5589115fd0d6209f510fe9c04566932cda56");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1200), UPPP_AUTH_SUCCEEDED);
}

static void test_client_server_cannot_prove(void **state)
{
	static const char *const bad[] = {
		"S=407A5589115FD0D6209F510FE9C04566932CDA57 M=ok",  /* one bit off */
		"S=407A5589115FD0D6209F510FE9C04566932CDA5 M=ok",   /* 39 digits */
		"S=407A5589115FD0D6209F510FE9C04566932CDA56M=ok",   /* no separator */
		"S=407A5589115FD0D6209F510FE9C04566932CDAZZ",       /* not hex */
		"M=Access granted",                                 /* CHAP-MD5 style */
		"",
	};
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
		client_challenge(&f, &a, 7);
		n = build_status(pkt, 3, 7, bad[i]);
		assert_int_equal(uppp_auth_input(&a, pkt, n, 1200), UPPP_AUTH_FAILED);
		assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_REFUSED);
		assert_true(logged(&f, "could not prove it knows the password"));
	}
	/* the right S= for another password is refused too */
	client_setup(&f, &a, RFC_USER, "otherPass");
	client_challenge(&f, &a, 7);
	n = build_status(pkt, 3, 7, RFC_AUTH_RESPONSE " M=ok");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1200), UPPP_AUTH_FAILED);
}

static void test_client_failure(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	client_challenge(&f, &a, 7);
	n = build_status(pkt, 4, 7, "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=bad \"password\"\n");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1200), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_REFUSED);
	assert_true(logged(&f, "user name or password refused (Windows error 691)"));
	assert_true(logged(&f, "error=691 retry-offered=yes message='bad \\x22password\\x22\\x0a'"));
	/* later packets: dropped */
	n = build_status(pkt, 3, 7, RFC_AUTH_RESPONSE);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1300), UPPP_AUTH_FAILED);

	/* other error codes, and E= text inside M= is not the code */
	client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	client_challenge(&f, &a, 7);
	n = build_status(pkt, 4, 7, "E=649 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=E=691 no dial-in");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1200), UPPP_AUTH_FAILED);
	assert_true(logged(&f, "no dial-in permission for this account (Windows error 649)"));
	assert_true(logged(&f, "error=649 retry-offered=no message='E=691 no dial-in'"));

	/* a free-text Failure (not RFC 2759 format) */
	client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	client_challenge(&f, &a, 7);
	n = build_status(pkt, 4, 7, "go away");
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1200), UPPP_AUTH_FAILED);
	assert_true(logged(&f, "message='go away'"));
}

static void test_client_hostile_packets(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600], v[40] = { 0 };
	char longname[300];
	size_t n;

	(void)state;
	client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	/* Success before any Response */
	n = build_status(pkt, 3, 7, RFC_AUTH_RESPONSE);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1100), UPPP_AUTH_CONTINUE);
	/* Challenge Value-Size other than 16 */
	for (unsigned vs = 0; vs < 40; vs++) {
		if (vs == 16)
			continue;
		n = build_value(pkt, 1, 7, (uint8_t)vs, v, vs, "uppp", 4);
		assert_int_equal(uppp_auth_input(&a, pkt, n, 1100), UPPP_AUTH_CONTINUE);
	}
	/* Value-Size past the end; name of 256 bytes; Response to a peer */
	n = build_value(pkt, 1, 7, 16, v, 10, "", 0);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1100), UPPP_AUTH_CONTINUE);
	memset(longname, 's', sizeof(longname));
	n = build_value(pkt, 1, 7, 16, v, 16, longname, 256);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1100), UPPP_AUTH_CONTINUE);
	n = build_value(pkt, 2, 7, 49, v, 40, "", 0);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1100), UPPP_AUTH_CONTINUE);
	assert_int_equal(a.dropped, 1 + 39 + 3);
	assert_int_equal(f.n_sent, 0);
	/* a 255-byte server name is fine */
	n = build_value(pkt, 1, 7, 16, v, 16, longname, 255);
	assert_int_equal(uppp_auth_input(&a, pkt, n, 1100), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
}

/* A lost Success must not strand the peer: it resends the identical
 * Response every restart interval until Success or Failure arrives. */
static void test_client_resends_response_until_answered(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[600];
	size_t n;

	(void)state;
	client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	client_challenge(&f, &a, 7);
	uint64_t due = uppp_auth_next_deadline(&a);
	assert_int_equal(due, 1100 + a.restart_ms);
	assert_int_equal(uppp_auth_timer(&a, due - 1), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(uppp_auth_timer(&a, due), UPPP_AUTH_CONTINUE);
	assert_int_equal(f.n_sent, 2);
	assert_int_equal(f.sent_len[1], f.sent_len[0]);
	assert_memory_equal(f.sent[1], f.sent[0], f.sent_len[0]);
	n = build_status(pkt, 3, 7, RFC_AUTH_RESPONSE " M=welcome");
	assert_int_equal(uppp_auth_input(&a, pkt, n, due + 5), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(uppp_auth_next_deadline(&a), UINT64_MAX);
}

static void test_client_limits_and_timeout(void **state)
{
	struct fake f;
	struct uppp_auth a;
	char pw[300];

	(void)state;
	/* a password MS-CHAPv2 cannot carry fails at start */
	memset(pw, 'p', sizeof(pw));
	pw[257] = '\0';
	memset(&f, 0, sizeof(f));
	uppp_auth_init(&a, UPPP_AUTH_MSCHAPV2, false, RFC_USER, pw, &fake_ops, &f);
	a.log = fake_logger(&f);
	assert_int_equal(uppp_auth_start(&a, 1000), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_REFUSED);
	assert_true(logged(&f, "256 characters"));

	/* no Challenge in time */
	client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
	assert_int_equal(uppp_auth_next_deadline(&a), 1000 + 30000);
	assert_int_equal(uppp_auth_timer(&a, 30999), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_timer(&a, 31000), UPPP_AUTH_FAILED);
	assert_int_equal(a.fail_cause, UPPP_CAUSE_AUTH_TIMEOUT);

	/* a Challenge before start is answered */
	memset(&f, 0, sizeof(f));
	unhex(RFC_PEER_CHALLENGE, f.rnd, 16);
	f.rnd_len = 16;
	uppp_auth_init(&a, UPPP_AUTH_MSCHAPV2, false, RFC_USER, RFC_PASSWORD, &fake_ops, &f);
	a.log = fake_logger(&f);
	client_challenge(&f, &a, 9);
	assert_int_equal(f.n_sent, 1);
	assert_hex(f.sent[0] + 29, 24, RFC_NT_RESPONSE);
}

/* ---- both ends ---- */

/* Delivers everything one side sent (from index *from on) to the other. */
static enum uppp_auth_result pump(struct fake *src, int *from, struct uppp_auth *dst, uint64_t now)
{
	enum uppp_auth_result r = UPPP_AUTH_CONTINUE;

	while (*from < src->n_sent) {
		assert_int_equal(src->proto[*from], PPP_CHAP);
		r = uppp_auth_input(dst, src->sent[*from], src->sent_len[*from], now);
		(*from)++;
	}
	return r;
}

static void test_server_and_client_together(void **state)
{
	struct fake sf, cf;
	struct uppp_auth s, c;
	int s_from = 0, c_from = 0;

	(void)state;
	memset(&sf, 0, sizeof(sf));
	memset(&cf, 0, sizeof(cf));
	sf.user = "CORP\\alice";
	sf.secret = "p\xc3\xa4ss w\xc3\xb6rd";
	for (int i = 0; i < 17; i++)
		sf.rnd[i] = (uint8_t)(i * 37 + 11);
	sf.rnd_len = 17;
	for (int i = 0; i < 16; i++)
		cf.rnd[i] = (uint8_t)(i * 91 + 5);
	cf.rnd_len = 16;
	uppp_auth_init(&s, UPPP_AUTH_MSCHAPV2, true, "uppp-ac", NULL, &fake_ops, &sf);
	s.log = fake_logger(&sf);
	uppp_auth_init(&c, UPPP_AUTH_MSCHAPV2, false, "CORP\\alice", "p\xc3\xa4ss w\xc3\xb6rd", &fake_ops, &cf);
	c.log = fake_logger(&cf);
	assert_int_equal(uppp_auth_start(&c, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_start(&s, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(pump(&sf, &s_from, &c, 10), UPPP_AUTH_CONTINUE);     /* Challenge */
	assert_int_equal(pump(&cf, &c_from, &s, 20), UPPP_AUTH_SUCCEEDED);    /* Response */
	assert_int_equal(pump(&sf, &s_from, &c, 30), UPPP_AUTH_SUCCEEDED);    /* Success */
	assert_string_equal(uppp_auth_peer_name(&s), "CORP\\alice");
	assert_int_equal(s.dropped + c.dropped, 0);

	/* a wrong password: the client is refused, the server offers a retry */
	memset(&sf, 0, sizeof(sf));
	memset(&cf, 0, sizeof(cf));
	s_from = c_from = 0;
	sf.user = "alice";
	sf.secret = "right";
	sf.rnd[0] = 1;
	sf.rnd_len = 1;
	uppp_auth_init(&s, UPPP_AUTH_MSCHAPV2, true, "uppp-ac", NULL, &fake_ops, &sf);
	s.log = fake_logger(&sf);
	uppp_auth_init(&c, UPPP_AUTH_MSCHAPV2, false, "alice", "wrong", &fake_ops, &cf);
	c.log = fake_logger(&cf);
	assert_int_equal(uppp_auth_start(&c, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(uppp_auth_start(&s, 0), UPPP_AUTH_CONTINUE);
	assert_int_equal(pump(&sf, &s_from, &c, 10), UPPP_AUTH_CONTINUE);
	assert_int_equal(pump(&cf, &c_from, &s, 20), UPPP_AUTH_CONTINUE);
	assert_int_equal(pump(&sf, &s_from, &c, 30), UPPP_AUTH_FAILED);
	assert_int_equal(c.fail_cause, UPPP_CAUSE_AUTH_REFUSED);
	assert_true(logged(&cf, "Windows error 691"));
	assert_true(logged(&sf, "reason=\"wrong password (Windows error 691)\""));
}

/* Random bytes in both roles: never a crash, never a read past the end
 * (run under ASan in the sanitizer build; fuzz_mschapv2 digs deeper), and
 * never a success: random bytes know no password, so the server must not
 * accept them and the client must not take them for the server's proof.
 * Whatever either sends is a well-formed CHAP packet, and every log line
 * is printable (peer bytes escaped). */
static void test_random_garbage(void **state)
{
	struct fake f;
	struct uppp_auth a;
	uint8_t pkt[300];
	uint32_t x = 12345;

	(void)state;
	for (int role = 0; role < 2; role++) {
		if (role)
			server_setup(&f, &a, RFC_USER, RFC_PASSWORD);
		else
			client_setup(&f, &a, RFC_USER, RFC_PASSWORD);
		for (int i = 0; i < 20000; i++) {
			size_t n;

			x = x * 1103515245u + 12345u;
			n = (x >> 16) % sizeof(pkt);
			for (size_t k = 0; k < n; k++) {
				x = x * 1103515245u + 12345u;
				pkt[k] = (uint8_t)(x >> 16);
			}
			if (n >= 4) {
				pkt[0] = (uint8_t)(1 + (pkt[0] & 3));  /* mostly valid codes */
				pkt[2] = (uint8_t)(n >> 8);
				pkt[3] = (uint8_t)n;
			}
			f.n_sent = 0;
			f.n_logs = 0;
			assert_int_not_equal(uppp_auth_input(&a, pkt, n, 2000), UPPP_AUTH_SUCCEEDED);
			for (int k = 0; k < f.n_sent; k++) {
				assert_int_equal(f.proto[k], PPP_CHAP);
				assert_true(f.sent_len[k] >= 4);
				assert_int_equal(f.sent[k][2] << 8 | f.sent[k][3], f.sent_len[k]);
				assert_true(f.sent[k][0] >= 1 && f.sent[k][0] <= 4);
			}
			for (int k = 0; k < f.n_logs; k++)
				for (const char *c = f.logs[k]; *c; c++)
					if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
						fail_msg("unprintable byte 0x%02x in log: %s", (unsigned char)*c,
							 f.logs[k]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2759_vectors),
		cmocka_unit_test(test_password_encoding),
		cmocka_unit_test(test_server_sends_challenge),
		cmocka_unit_test(test_server_success_rfc_example),
		cmocka_unit_test(test_server_wrong_password_retry),
		cmocka_unit_test(test_server_three_strikes),
		cmocka_unit_test(test_server_no_secret_and_domain),
		cmocka_unit_test(test_server_hostile_packets),
		cmocka_unit_test(test_server_retransmit_and_timeout),
		cmocka_unit_test(test_client_rfc_example),
		cmocka_unit_test(test_client_server_cannot_prove),
		cmocka_unit_test(test_client_failure),
		cmocka_unit_test(test_client_hostile_packets),
		cmocka_unit_test(test_client_resends_response_until_answered),
		cmocka_unit_test(test_client_limits_and_timeout),
		cmocka_unit_test(test_server_and_client_together),
		cmocka_unit_test(test_random_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
