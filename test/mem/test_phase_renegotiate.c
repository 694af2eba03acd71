/* test_phase_renegotiate.c — the phase moves of an access concentrator's
 * link that only a scripted peer brings about (test/mem/raw_peer.h, virtual
 * clock): LCP renegotiated while up (Network -> Establish -> Authenticate ->
 * Network), IPCP renegotiated or Protocol-Rejected (the phase stays), the
 * peer's Terminate-Request and PADT, and every timeout (LCP, authentication,
 * negotiation, echo). The log must show exactly the phases given and no
 * illegal transition: the table in proto/ppp.c must allow each of them. */
#include "mem/raw_peer.h"

#include "core/ppp_defs.h"

/* The link's phases as the log shows them ("dead>establish>..."); fails
 * on any line that says "illegal" (phase, FSM or anything else). */
static void phases_are(const struct rp *r, const char *want)
{
	char seq[512] = "";

	for (unsigned i = 0; i < r->n_log; i++) {
		const char *ph = strstr(r->logs[i], "layer=ppp phase=");
		char from[32], to[32];
		size_t n;

		if (strstr(r->logs[i], "illegal"))
			fail_msg("illegal transition logged: %s", r->logs[i]);
		if (!ph)
			continue;
		assert_int_equal(sscanf(ph, "layer=ppp phase=%31s -> %31s", from, to), 2);
		if (!seq[0])
			snprintf(seq, sizeof(seq), "%s", from);
		n = strlen(seq);
		snprintf(seq + n, sizeof(seq) - n, ">%s", to);
	}
	if (strcmp(seq, want) != 0)
		fail_msg("phases %s, expected %s", seq, want);
}

#define UP_ "dead>establish>authenticate>network"

/* discovery, LCP, PAP as alice, IPCP: up */
static struct rp *up_session(void)
{
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	size_t len;

	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_pap(r, "alice", "wonderland");
	rp_expect_ppp(r, PPP_PAP, 2, &len);
	rp_ipcp_open(r);
	assert_int_equal(r->ups, 1);
	return r;
}

static void run_until_down(struct rp *r, uint64_t limit)
{
	uint64_t end = r->now + limit;
	while (r->downs == 0 && r->now < end)
		rp_run(r, 100);
	assert_int_equal(r->downs, 1);
}

/* LCP renegotiated while up, authentication and IPCP again; then the
 * peer's Terminate-Request (LCP down without a cause of ours: Establish,
 * Dead when LCP finishes one restart period later). */
static void lcp_renegotiation_then_peer_terminate(void **state)
{
	static const uint8_t opts[] = { 1, 4, 0x05, 0xd4, 5, 6, 0x5e, 0x6f, 0x70, 0x81 };
	size_t len;
	(void)state;
	struct rp *r = up_session();

	rp_cp(r, PPP_LCP, CP_CONF_REQ, ++r->lcp_id, opts, sizeof(opts));
	rp_expect_ppp(r, PPP_LCP, CP_CONF_ACK, &len);
	rp_ack_their_request(r, PPP_LCP);
	rp_pap(r, "alice", "wonderland");
	rp_expect_ppp(r, PPP_PAP, 2, &len);
	rp_ipcp_open(r);
	assert_int_equal(r->ups, 2);

	rp_cp(r, PPP_LCP, CP_TERM_REQ, ++r->lcp_id, NULL, 0);
	rp_expect_ppp(r, PPP_LCP, CP_TERM_ACK, &len);
	run_until_down(r, 10000);
	assert_int_equal(r->cause, UPPP_CAUSE_PEER_TERM_REQ);
	phases_are(r, UP_ ">establish>authenticate>network>establish>dead");
	rp_free(r);
}

/* IPCP alone renegotiated, then Protocol-Rejected: the link stays in
 * Network; then the peer's PADT (the lower layer goes away). */
static void ipcp_renegotiation_and_reject_then_padt(void **state)
{
	static const uint8_t ask[] = { 3, 6, 10, 0, 0, 2 };
	uint8_t rej[64];
	size_t len;
	(void)state;
	struct rp *r = up_session();

	rp_cp(r, PPP_IPCP, CP_CONF_REQ, 9, ask, sizeof(ask));
	rp_expect_ppp(r, PPP_IPCP, CP_CONF_ACK, &len);
	rp_ack_their_request(r, PPP_IPCP);
	assert_int_equal(r->ups, 2);

	/* LCP Protocol-Reject of IPCP: protocol, then the rejected packet */
	uppp_put_be16(rej, PPP_IPCP);
	memcpy(rej + 2, (const uint8_t[]){ 1, 1, 0, 4 }, 4);
	rp_cp(r, PPP_LCP, LCP_PROTO_REJ, ++r->lcp_id, rej, 6);
	rp_run(r, 10000);
	assert_int_equal(r->downs, 0);   /* the link stays */

	rp_disc(r, PPPOE_CODE_PADT, r->sid, NULL, 0);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_PEER_PADT);
	phases_are(r, UP_ ">terminate>dead");
	rp_free(r);
}

/* The peer falls silent once up: the echo timeout closes the link. */
static void echo_timeout(void **state)
{
	(void)state;
	struct rp *r = up_session();
	run_until_down(r, 120000);
	assert_int_equal(r->cause, UPPP_CAUSE_ECHO_TIMEOUT);
	phases_are(r, UP_ ">terminate>dead");
	rp_free(r);
}

/* The peer never answers LCP: LCP fails (Establish -> Dead). */
static void lcp_silent(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	rp_start(r);
	rp_discover(r);
	run_until_down(r, 120000);
	phases_are(r, "dead>establish>dead");
	rp_free(r);
}

/* The peer never answers LCP and the negotiation timeout comes first:
 * closed while LCP negotiates (Establish -> Terminate). */
static void lcp_silent_negotiation_timeout(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	r->cfg.ppp.negotiation_timeout_ms = 5000;   /* before LCP's own retries run out */
	rp_start(r);
	rp_discover(r);
	run_until_down(r, 120000);
	assert_int_equal(r->cause, UPPP_CAUSE_NEGOTIATION_TIMEOUT);
	phases_are(r, "dead>establish>terminate>dead");
	rp_free(r);
}

/* LCP up, but the peer never authenticates: the authentication timeout. */
static void auth_silent(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	run_until_down(r, 120000);
	assert_int_equal(r->cause, UPPP_CAUSE_AUTH_TIMEOUT);
	phases_are(r, "dead>establish>authenticate>terminate>dead");
	rp_free(r);
}

/* No authentication and the peer never answers IPCP: the negotiation
 * timeout ends it from Network. */
static void ipcp_never_negotiation_timeout(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.ppp.echo_interval_ms = 0;
	r->cfg.ppp.negotiation_timeout_ms = 5000;   /* before IPCP's own retries run out */
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	run_until_down(r, 120000);
	assert_int_equal(r->cause, UPPP_CAUSE_NEGOTIATION_TIMEOUT);
	phases_are(r, UP_ ">terminate>dead");
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lcp_renegotiation_then_peer_terminate),
		cmocka_unit_test(ipcp_renegotiation_and_reject_then_padt),
		cmocka_unit_test(echo_timeout),
		cmocka_unit_test(lcp_silent),
		cmocka_unit_test(lcp_silent_negotiation_timeout),
		cmocka_unit_test(auth_silent),
		cmocka_unit_test(ipcp_never_negotiation_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
