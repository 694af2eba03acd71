/* test_random_failure.c — a random source that fails is an error that
 * reaches someone, never an abort() and never weak bytes: the AC refuses to
 * start without a cookie key, a PADR gets no session without a session id,
 * a session whose CHAP challenge cannot be drawn ends with cause
 * host-error, and a client without a Host-Uniq ends at once with it.
 * In memory (raw_peer.h), virtual clock. */
#define _GNU_SOURCE
#include "mem/raw_peer.h"

#include "proto/dial.h"

static bool random_fails;
static unsigned random_failures;

static int flaky_random(void *ctx, void *buf, size_t len)
{
	if (random_fails) {
		random_failures++;
		return -ENOSYS;   /* e.g. a kernel without getrandom */
	}
	return rp_random(ctx, buf, len);
}

static struct uppp_ac_ops flaky_ops;

static struct rp *flaky_start(enum uppp_auth_method auth)
{
	struct rp *r = rp_new(auth);
	flaky_ops = rp_ops;
	flaky_ops.random = flaky_random;
	random_fails = false;
	random_failures = 0;
	r->ac = uppp_ac_new(&r->cfg, &flaky_ops, r);
	assert_non_null(r->ac);
	return r;
}

static void ac_refuses_to_start_without_randomness(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	flaky_ops = rp_ops;
	flaky_ops.random = flaky_random;
	random_fails = true;
	random_failures = 0;
	assert_null(uppp_ac_new(&r->cfg, &flaky_ops, r));
	assert_true(random_failures > 0);
	free(r);
}

static void padr_without_session_id_gets_no_session(void **state)
{
	(void)state;
	struct rp *r = flaky_start(UPPP_AUTH_PAP);

	assert_true(rp_padi(r, "", 0x01020304));
	random_fails = true;
	assert_int_equal(rp_padr(r, "", 0x01020304), 0);   /* no PADS with a session id */
	assert_true(random_failures > 0);
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_non_null(rp_log_find(r, "event=padr-refused cause=host-error"));
	rp_free(r);
}

static void chap_challenge_without_randomness_ends_with_host_error(void **state)
{
	(void)state;
	struct rp *r = flaky_start(UPPP_AUTH_CHAP_MD5);

	rp_discover(r);
	random_fails = true;   /* LCP opens, then the Challenge needs 16 random bytes */
	rp_lcp_open(r);
	assert_true(random_failures > 0);
	rp_run(r, 60000);      /* Terminate-Request retransmits, then the end */
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_HOST_ERROR);
	assert_int_equal(r->ups, 0);
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_non_null(rp_log_find(r, "event=random-failed"));
	rp_free(r);
}

/* ---- the client ---- */

struct dh {
	unsigned sent, downs;
	enum uppp_cause cause;
};

static void dh_send(void *ctx, const uint8_t *frame, size_t len)
{
	(void)frame;
	(void)len;
	((struct dh *)ctx)->sent++;
}

static int dh_no_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return -ENOSYS;
}

static void dh_down(void *ctx, enum uppp_cause cause)
{
	struct dh *h = ctx;
	h->downs++;
	h->cause = cause;
}

static void client_without_host_uniq_ends_with_host_error(void **state)
{
	(void)state;
	static const struct uppp_dial_ops ops = {
		.send_frame = dh_send, .random = dh_no_random, .down = dh_down,
	};
	struct uppp_dial_config cfg = { .mac = { 0x52, 0x54, 0, 0, 0, 9 }, .service = "" };
	struct dh h = { 0 };

	uppp_ppp_config_defaults(&cfg.ppp);
	struct uppp_dial *d = uppp_dial_new(&cfg, &ops, &h);
	assert_non_null(d);
	uppp_dial_start(d, 0);
	assert_int_equal(h.sent, 0);     /* no PADI with a predictable Host-Uniq */
	assert_int_equal(h.downs, 1);
	assert_int_equal(h.cause, UPPP_CAUSE_HOST_ERROR);
	uppp_dial_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ac_refuses_to_start_without_randomness),
		cmocka_unit_test(padr_without_session_id_gets_no_session),
		cmocka_unit_test(chap_challenge_without_randomness_ends_with_host_error),
		cmocka_unit_test(client_without_host_uniq_ends_with_host_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
