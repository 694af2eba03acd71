/* test_echo_count.c — `lcp-echo-failure N` against an access concentrator
 * in memory, on the virtual clock: an Echo-Request goes out after every echo
 * interval in which the peer sent nothing, N of them are sent, and the link
 * is dropped at the next interval's end when none was answered. N = 1 still
 * sends one request, so an idle but healthy peer (Windows sends no echoes
 * of its own) is never dropped. */
#include "mem/raw_peer.h"

#include "core/cause.h"
#include "core/ppp_defs.h"

#define INTERVAL 10000u

/* A session up at r->now with echo every INTERVAL and echo-failure n; the
 * peer's last packet is at r->now, inside the first echo interval. */
static struct rp *up_with_echo(unsigned n)
{
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.ppp.echo_interval_ms = INTERVAL;
	r->cfg.ppp.echo_failure = n;
	rp_start_up(r);
	return r;
}

/* A silent peer: one Echo-Request after each of the n silent intervals,
 * down at the end of the next one. */
static void silent_peer_gets_n_requests(unsigned n)
{
	struct rp *r = up_with_echo(n);
	uint64_t t0 = r->now;

	/* the first interval had the peer's packets: nothing sent */
	rp_run(r, INTERVAL);
	assert_int_equal(rp_count_ppp(r, PPP_LCP, LCP_ECHO_REQ), 0);
	for (unsigned i = 1; i <= n; i++) {
		rp_run(r, INTERVAL);
		assert_int_equal(r->downs, 0);
		assert_int_equal(rp_count_ppp(r, PPP_LCP, LCP_ECHO_REQ), i);
	}
	/* the n-th went unanswered for one more interval */
	rp_run(r, INTERVAL - 1);
	assert_int_equal(r->downs, 0);
	rp_run(r, 1);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_ECHO_TIMEOUT);
	assert_int_equal(r->now, t0 + (uint64_t)(n + 2) * INTERVAL);
	assert_int_equal(rp_count_ppp(r, PPP_LCP, LCP_ECHO_REQ), n);
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 1);
	rp_free(r);
}

static void failure_1_sends_one_request(void **state)
{
	(void)state;
	silent_peer_gets_n_requests(1);
}

static void failure_3_sends_three_requests(void **state)
{
	(void)state;
	silent_peer_gets_n_requests(3);
}

/* lcp-echo-failure 1: an idle peer that only answers our echoes stays up. */
static void idle_peer_answering_stays_up(void **state)
{
	(void)state;
	struct rp *r = up_with_echo(1);
	static const uint8_t magic[] = { 0x1a, 0x2b, 0x3c, 0x4d };
	unsigned answered = 0;

	for (int i = 0; i < 60; i++) {   /* ten minutes */
		const uint8_t *req;
		size_t len;
		rp_run(r, INTERVAL);
		assert_int_equal(r->downs, 0);
		while ((req = rp_find_ppp(r, PPP_LCP, LCP_ECHO_REQ, &len)) != NULL) {
			rp_cp(r, PPP_LCP, LCP_ECHO_REP, req[1], magic, sizeof(magic));
			answered++;
		}
	}
	assert_int_equal(r->downs, 0);
	assert_true(answered >= 29);   /* every other interval is silent */
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failure_1_sends_one_request),
		cmocka_unit_test(failure_3_sends_three_requests),
		cmocka_unit_test(idle_peer_answering_stays_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
