/* test/unit/test_pap_login.c — pppd's `login` for PAP (runtime/pap_login.h) and
 * the PAP authenticator's check_password hook (auth/pap.c), with a mocked
 * account database: no real accounts needed. */
#include <crypt.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "runtime/pap_login.h"
#include "core/ppp_defs.h"

/* ---- a mocked account database ---- */

struct accounts {
	const char *user;
	const char *hash;      /* "" = no password, "!..." = locked */
	int get_rc;            /* forced get_hash result when non-zero */
	int crypt_calls;
	char last_setting[128];
};

static int mock_get_hash(void *ctx, const char *user, char *hash, size_t cap)
{
	struct accounts *a = ctx;
	if (a->get_rc)
		return a->get_rc;
	if (strcmp(user, a->user) != 0)
		return -ENOENT;
	snprintf(hash, cap, "%s", a->hash);
	return 0;
}

/* A toy "crypt": setting + "|" + password. Deterministic, and a wrong
 * password gives a different string. */
static int mock_crypt(void *ctx, const char *pw, const char *setting, char *out, size_t cap)
{
	struct accounts *a = ctx;
	a->crypt_calls++;
	snprintf(a->last_setting, sizeof(a->last_setting), "%s", setting);
	const char *bar = strchr(setting, '|');
	size_t slen = bar ? (size_t)(bar - setting) : strlen(setting);
	snprintf(out, cap, "%.*s|%s", (int)slen, setting, pw);
	return 0;
}

static int check(struct accounts *a, const char *user, const char *pw, char *why, size_t cap)
{
	struct uppp_pap_login_ops ops = { mock_get_hash, mock_crypt, a };
	return uppp_pap_login_check(&ops, user, (const uint8_t *)pw, strlen(pw), why, cap);
}

static void test_good_and_wrong_password(void **state)
{
	struct accounts a = { "alice", "S1|secret", 0, 0, "" };
	char why[256];
	(void)state;
	assert_int_equal(check(&a, "alice", "secret", why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(check(&a, "alice", "secreT", why, sizeof(why)), -EACCES);
	assert_string_equal(why, "wrong system password for user 'alice'");
	assert_null(strstr(why, "secreT"));  /* never the password */
	assert_int_equal(check(&a, "alice", "", why, sizeof(why)), -EACCES);
}

static void test_no_account_costs_a_crypt(void **state)
{
	struct accounts a = { "alice", "S1|secret", 0, 0, "" };
	char why[256];
	(void)state;
	assert_int_equal(check(&a, "rp-pppoe", "rp-pppoe", why, sizeof(why)), -ENOENT);
	assert_string_equal(why, "user 'rp-pppoe' is not a system account");
	assert_int_equal(a.crypt_calls, 1);   /* same work as an existing account */
	assert_string_not_equal(a.last_setting, "S1|secret");
}

static void test_locked_and_empty(void **state)
{
	static const char *const unusable[] = { "", "!S1|secret", "*", "!!" };
	char why[256];
	(void)state;
	for (size_t i = 0; i < sizeof(unusable) / sizeof(unusable[0]); i++) {
		struct accounts a = { "bob", unusable[i], 0, 0, "" };
		/* even the "right" password for a locked hash is refused */
		assert_int_equal(check(&a, "bob", "secret", why, sizeof(why)), -EACCES);
		assert_non_null(strstr(why, "locked or has no password"));
		assert_int_equal(a.crypt_calls, 1);
	}
}

static void test_database_errors(void **state)
{
	char why[256];
	(void)state;
	struct accounts a = { "bob", "S|x", -EACCES, 0, "" };
	assert_int_equal(check(&a, "bob", "x", why, sizeof(why)), -EACCES);
	assert_non_null(strstr(why, "needs root"));
	a.get_rc = -EKEYEXPIRED;
	assert_int_equal(check(&a, "bob", "x", why, sizeof(why)), -EKEYEXPIRED);
	assert_non_null(strstr(why, "expired"));
}

static void test_hostile_password_and_name(void **state)
{
	struct accounts a = { "alice", "S1|secret", 0, 0, "" };
	struct uppp_pap_login_ops ops = { mock_get_hash, mock_crypt, &a };
	char why[256];
	uint8_t pw[300];
	(void)state;
	/* NUL inside: cannot be a system password ("secret\0x" must not match "secret") */
	assert_int_equal(uppp_pap_login_check(&ops, "alice", (const uint8_t *)"secret\0x", 8, why, sizeof(why)), -EACCES);
	memset(pw, 'a', sizeof(pw));
	assert_int_equal(uppp_pap_login_check(&ops, "alice", pw, sizeof(pw), why, sizeof(why)), -EACCES);
	/* a control byte in the user name is escaped in the sentence */
	assert_int_equal(check(&a, "ev\nil", "x", why, sizeof(why)), -ENOENT);
	assert_null(strchr(why, '\n'));
	/* a tiny why buffer is not overrun */
	char small[8];
	assert_int_equal(check(&a, "nobody-at-all", "x", small, sizeof(small)), -ENOENT);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

/* The real crypt(3) with a real SHA-512 hash: only get_hash is mocked. */
static void test_real_crypt(void **state)
{
	struct crypt_data cd;
	(void)state;
	memset(&cd, 0, sizeof(cd));
	const char *h = crypt_r("rp-pppoe", "$6$testsalt1234$", &cd);
	assert_non_null(h);
	assert_int_equal(h[0], '$');
	struct accounts a = { "rp-pppoe", h, 0, 0, "" };
	struct uppp_pap_login_ops ops = { mock_get_hash, uppp_pap_login_system.crypt, &a };
	char why[256];
	assert_int_equal(uppp_pap_login_check(&ops, "rp-pppoe", (const uint8_t *)"rp-pppoe", 8, why, sizeof(why)), 0);
	assert_int_equal(uppp_pap_login_check(&ops, "rp-pppoe", (const uint8_t *)"rp-pppoE", 8, why, sizeof(why)),
			 -EACCES);
	assert_int_equal(uppp_pap_login_check(&ops, "nobody", (const uint8_t *)"rp-pppoe", 8, why, sizeof(why)),
			 -ENOENT);
}

/* ---- auth/pap.c's check_password hook ---- */

struct host {
	int verdict;           /* what check_password answers */
	int calls, secret_calls;
	uint8_t last[64];
	size_t last_len;
	uint8_t reply_code;
};

static void host_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct host *h = ctx;
	assert_int_equal(protocol, PPP_PAP);
	assert_true(len >= 4);
	h->reply_code = info[0];
}

static int host_check(void *ctx, const char *user, const uint8_t *pw, size_t len, char *why, size_t cap)
{
	struct host *h = ctx;
	h->calls++;
	assert_string_equal(user, "rp-pppoe");
	memcpy(h->last, pw, len < sizeof(h->last) ? len : sizeof(h->last));
	h->last_len = len;
	if (h->verdict == -EPERM)
		snprintf(why, cap, "user 'rp-pppoe' is not a system account; option 'login' in opts:3 requires one");
	return h->verdict;
}

static int host_secret(void *ctx, const char *name, uint8_t *secret, size_t cap, size_t *len)
{
	struct host *h = ctx;
	(void)name;
	(void)cap;
	h->secret_calls++;
	memcpy(secret, "rp-pppoe", 8);
	*len = 8;
	return 0;
}

static enum uppp_auth_result run_pap(struct host *h, const char *pw, enum uppp_cause *cause)
{
	static struct uppp_auth_ops ops;
	struct uppp_auth a;
	uint8_t pkt[64];
	size_t n = 0, pl = strlen(pw);

	memset(&ops, 0, sizeof(ops));
	ops.send = host_send;
	ops.get_secret = host_secret;
	ops.check_password = host_check;
	uppp_auth_init(&a, UPPP_AUTH_PAP, true, "srv", NULL, &ops, h);
	assert_int_equal(uppp_auth_start(&a, 0), UPPP_AUTH_CONTINUE);
	pkt[n++] = 1;      /* Authenticate-Request */
	pkt[n++] = 7;
	n += 2;
	pkt[n++] = 8;
	memcpy(pkt + n, "rp-pppoe", 8);
	n += 8;
	pkt[n++] = (uint8_t)pl;
	memcpy(pkt + n, pw, pl);
	n += pl;
	pkt[2] = 0;
	pkt[3] = (uint8_t)n;
	enum uppp_auth_result r = uppp_auth_input(&a, pkt, n, 1);
	*cause = a.fail_cause;
	return r;
}

static void test_pap_hook(void **state)
{
	struct host h;
	enum uppp_cause cause;
	(void)state;

	memset(&h, 0, sizeof(h));
	h.verdict = 0;
	assert_int_equal(run_pap(&h, "pw1", &cause), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.secret_calls, 0);       /* the hook decided alone */
	assert_int_equal(h.last_len, 3);
	assert_memory_equal(h.last, "pw1", 3);
	assert_int_equal(h.reply_code, 2);         /* Ack */

	memset(&h, 0, sizeof(h));
	h.verdict = -EPERM;
	assert_int_equal(run_pap(&h, "rp-pppoe", &cause), UPPP_AUTH_FAILED);
	assert_int_equal(cause, UPPP_CAUSE_AUTH_LOGIN);
	assert_int_equal(h.reply_code, 3);         /* Nak */

	memset(&h, 0, sizeof(h));
	h.verdict = -ENOENT;
	assert_int_equal(run_pap(&h, "x", &cause), UPPP_AUTH_FAILED);
	assert_int_equal(cause, UPPP_CAUSE_AUTH_NO_SECRET);

	memset(&h, 0, sizeof(h));
	h.verdict = -EACCES;
	assert_int_equal(run_pap(&h, "x", &cause), UPPP_AUTH_FAILED);
	assert_int_equal(cause, UPPP_CAUSE_AUTH_BAD_SECRET);

	/* -ENOSYS: the host does not handle it; PAP compares with get_secret */
	memset(&h, 0, sizeof(h));
	h.verdict = -ENOSYS;
	assert_int_equal(run_pap(&h, "rp-pppoe", &cause), UPPP_AUTH_SUCCEEDED);
	assert_int_equal(h.secret_calls, 1);
	memset(&h, 0, sizeof(h));
	h.verdict = -ENOSYS;
	assert_int_equal(run_pap(&h, "wrong", &cause), UPPP_AUTH_FAILED);
	assert_int_equal(cause, UPPP_CAUSE_AUTH_BAD_SECRET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_and_wrong_password),
		cmocka_unit_test(test_no_account_costs_a_crypt),
		cmocka_unit_test(test_locked_and_empty),
		cmocka_unit_test(test_database_errors),
		cmocka_unit_test(test_hostile_password_and_name),
		cmocka_unit_test(test_real_crypt),
		cmocka_unit_test(test_pap_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
