/* test_auth_fail_limit.c — `--auth-fail-limit` counts every wrong secret
 * (issue 9, defect 1): each PAP Authenticate-Nak, each CHAP-MD5 Failure and
 * each MS-CHAPv2 Failure, retries included, at the moment it is judged —
 * however the session then ends (PADT, Terminate-Request, silence, shutdown)
 * and never twice. With the limit at 3 per minute (burst 3) a MAC gets 3
 * wrong guesses, then one every 20 s (docs/security.md).
 *
 * An AC in memory, a scripted peer, a virtual clock (raw_peer.h). */
#include "mem/raw_peer.h"

#include "core/ppp_defs.h"

#define CHAP_CHALLENGE 1
#define CHAP_RESPONSE 2
#define CHAP_SUCCESS 3
#define CHAP_FAILURE 4

static struct rp *limited_ac(enum uppp_auth_method auth)
{
	struct rp *r = rp_new(auth);
	r->cfg.auth_fail_per_mac = (struct uppp_rate){ 3, 60000, 3 };
	rp_start(r);
	return r;
}

static uint64_t failures(const struct rp *r)
{
	return uppp_ac_counters(r->ac)->auth_failures;
}

/* Discovery and LCP; returns the Identifier of the AC's first Challenge
 * (CHAP) or 0 (PAP). */
static uint8_t open_to_auth(struct rp *r, enum uppp_auth_method auth)
{
	size_t len;

	rp_discover(r);
	rp_lcp_open(r);
	if (auth == UPPP_AUTH_PAP)
		return 0;
	const uint8_t *c = rp_expect_ppp(r, PPP_CHAP, CHAP_CHALLENGE, &len);
	return c[1];
}

/* A wrong MS-CHAPv2 Response for alice (any NT-Response is wrong here). */
static void ms_wrong(struct rp *r, uint8_t id, uint8_t salt)
{
	uint8_t v[1 + 49 + 5];
	memset(v, 0, sizeof(v));
	v[0] = 49;
	for (int i = 0; i < 16; i++)
		v[1 + i] = (uint8_t)(salt + i);      /* Peer-Challenge: new each try */
	for (int i = 0; i < 24; i++)
		v[1 + 24 + i] = (uint8_t)(0x55 ^ salt ^ i);
	memcpy(v + 50, "alice", 5);
	rp_cp(r, PPP_CHAP, CHAP_RESPONSE, id, v, sizeof(v));
}

/* The Failure the AC answered with: its Identifier and whether R=1. */
static uint8_t ms_failure(struct rp *r, bool *retry)
{
	size_t len;
	const uint8_t *f = rp_expect_ppp(r, PPP_CHAP, CHAP_FAILURE, &len);
	char msg[256];
	size_t n = len - 4 < sizeof(msg) - 1 ? len - 4 : sizeof(msg) - 1;
	memcpy(msg, f + 4, n);
	msg[n] = '\0';
	assert_non_null(strstr(msg, "E=691"));
	*retry = strstr(msg, "R=1") != NULL;
	return f[1];
}

static void padt(struct rp *r)
{
	rp_disc(r, PPPOE_CODE_PADT, r->sid, NULL, 0);
}

/* MS-CHAPv2: 2 wrong tries then PADT, 1 wrong try then Terminate-Request:
 * 3 failures, and the MAC is limited. Then one token returns 20 s later. */
static void mschapv2_retries_count_however_the_session_ends(void **state)
{
	struct rp *r = limited_ac(UPPP_AUTH_MSCHAPV2);
	bool retry;
	(void)state;

	uint8_t id = open_to_auth(r, UPPP_AUTH_MSCHAPV2);
	ms_wrong(r, id, 1);
	id = ms_failure(r, &retry);
	assert_true(retry);
	assert_int_equal(failures(r), 1);      /* counted when judged */
	ms_wrong(r, (uint8_t)(id + 1), 2);
	id = ms_failure(r, &retry);
	assert_true(retry);
	assert_int_equal(failures(r), 2);
	padt(r);
	assert_int_equal(r->downs, 1);
	assert_int_equal(failures(r), 2);      /* the end does not count again */

	rp_run(r, 100);
	id = open_to_auth(r, UPPP_AUTH_MSCHAPV2);
	ms_wrong(r, id, 3);
	ms_failure(r, &retry);
	assert_int_equal(failures(r), 3);
	/* the MAC's budget is spent: no retry offered in this session either */
	assert_false(retry);
	assert_non_null(rp_log_find(r, "attempt=1/3 retry=no auth-limited=yes"));
	rp_cp(r, PPP_LCP, 5, 9, NULL, 0);      /* Terminate-Request */
	rp_run(r, 10000);
	assert_int_equal(r->downs, 2);
	assert_int_equal(r->cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_int_equal(failures(r), 3);
	assert_non_null(rp_log_find(r, "event=auth-limited"));

	/* no PADO now */
	assert_false(rp_padi(r, "", 0x0a0b0c0d));
	/* 20 s after the first failure one token is back: one more guess */
	rp_run(r, 20000);
	assert_true(rp_padi(r, "", 0x0a0b0c0d));
	assert_int_not_equal(rp_padr(r, "", 0x0a0b0c0d), 0);
	rp_lcp_open(r);
	size_t len;
	id = rp_expect_ppp(r, PPP_CHAP, CHAP_CHALLENGE, &len)[1];
	ms_wrong(r, id, 4);
	ms_failure(r, &retry);
	assert_false(retry);
	assert_int_equal(failures(r), 4);
	rp_run(r, 7000);    /* two Terminate-Requests unanswered: the end */
	assert_int_equal(r->downs, 3);
	assert_false(rp_padi(r, "", 0x0a0b0c0d));
	rp_free(r);
}

/* A wrong try, then the peer falls silent: the echo timeout ends the
 * session, the failure was already counted. */
static void mschapv2_failure_then_silence_counts(void **state)
{
	struct rp *r = rp_new(UPPP_AUTH_MSCHAPV2);
	bool retry;
	(void)state;

	r->cfg.auth_fail_per_mac = (struct uppp_rate){ 3, 60000, 3 };
	r->cfg.ppp.echo_interval_ms = 1000;
	r->cfg.ppp.echo_failure = 3;
	rp_start(r);
	uint8_t id = open_to_auth(r, UPPP_AUTH_MSCHAPV2);
	ms_wrong(r, id, 1);
	ms_failure(r, &retry);
	assert_true(retry);
	rp_run(r, 10000);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_ECHO_TIMEOUT);
	assert_int_equal(failures(r), 1);
	rp_free(r);
}

/* A wrong try, then the server shuts down. */
static void mschapv2_failure_then_shutdown_counts(void **state)
{
	struct rp *r = limited_ac(UPPP_AUTH_MSCHAPV2);
	bool retry;
	(void)state;

	uint8_t id = open_to_auth(r, UPPP_AUTH_MSCHAPV2);
	ms_wrong(r, id, 1);
	ms_failure(r, &retry);
	uppp_ac_shutdown(r->ac, UPPP_CAUSE_ADMIN, r->now);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(failures(r), 1);
	rp_free(r);
}

/* Without a limit configured, MS-CHAPv2 still offers its 3 tries, each
 * counted once; a repeated Response is answered but not counted. */
static void mschapv2_three_tries_without_limit(void **state)
{
	struct rp *r = rp_new(UPPP_AUTH_MSCHAPV2);
	bool retry;
	(void)state;

	rp_start(r);
	uint8_t id = open_to_auth(r, UPPP_AUTH_MSCHAPV2);
	for (int i = 0; i < 3; i++) {
		ms_wrong(r, id, (uint8_t)(10 * i));
		assert_int_equal(ms_failure(r, &retry), id);
		assert_int_equal(retry, i < 2);
		assert_int_equal(failures(r), (uint64_t)i + 1);
		if (i == 0) {
			/* the same Response again: the same Failure, not counted */
			ms_wrong(r, id, 0);
			assert_int_equal(ms_failure(r, &retry), id);
			assert_true(retry);
			assert_int_equal(failures(r), 1);
		}
		id++;
	}
	rp_run(r, 10000);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_int_equal(failures(r), 3);
	rp_free(r);
}

/* PAP: a wrong password and an unknown user, each ended by PADT right
 * after the Nak; a retransmitted request is answered, not counted. */
static void pap_naks_count_once(void **state)
{
	struct rp *r = limited_ac(UPPP_AUTH_PAP);
	size_t len;
	(void)state;

	open_to_auth(r, UPPP_AUTH_PAP);
	rp_pap(r, "alice", "guess");
	rp_expect_ppp(r, PPP_PAP, 3, &len);
	assert_int_equal(failures(r), 1);
	padt(r);
	assert_int_equal(r->downs, 1);
	assert_int_equal(failures(r), 1);

	rp_run(r, 100);
	open_to_auth(r, UPPP_AUTH_PAP);
	rp_pap(r, "mallory", "guess");
	rp_expect_ppp(r, PPP_PAP, 3, &len);
	assert_int_equal(failures(r), 2);
	rp_run(r, 10000);
	assert_int_equal(r->downs, 2);
	assert_int_equal(r->cause, UPPP_CAUSE_AUTH_NO_SECRET);
	assert_int_equal(failures(r), 2);
	rp_free(r);
}

/* CHAP-MD5: a wrong Response, then PADT. */
static void chap_md5_failure_counts_once(void **state)
{
	struct rp *r = limited_ac(UPPP_AUTH_CHAP_MD5);
	uint8_t v[1 + 16 + 5];
	size_t len;
	(void)state;

	uint8_t id = open_to_auth(r, UPPP_AUTH_CHAP_MD5);
	v[0] = 16;
	memset(v + 1, 0x5a, 16);
	memcpy(v + 17, "alice", 5);
	rp_cp(r, PPP_CHAP, CHAP_RESPONSE, id, v, sizeof(v));
	rp_expect_ppp(r, PPP_CHAP, CHAP_FAILURE, &len);
	assert_int_equal(failures(r), 1);
	padt(r);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_int_equal(failures(r), 1);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mschapv2_retries_count_however_the_session_ends),
		cmocka_unit_test(mschapv2_failure_then_silence_counts),
		cmocka_unit_test(mschapv2_failure_then_shutdown_counts),
		cmocka_unit_test(mschapv2_three_tries_without_limit),
		cmocka_unit_test(pap_naks_count_once),
		cmocka_unit_test(chap_md5_failure_counts_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
