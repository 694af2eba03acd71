/* test_negotiation_deadline.c — a session must reach IPCP Opened within the
 * negotiation timeout (default 60 s from PADS) or end with its own cause and
 * free its --max-negotiating slot. The hostile peer here Acks every
 * Configure-Request we send and never sends (an acceptable one of) its own:
 * RCA does irc, so the restart counter never runs out and, without the
 * deadline, LCP or IPCP cycles Req-Sent <-> Ack-Rcvd for ever. Virtual clock:
 * an hour passes in microseconds. */
#include "mem/raw_peer.h"

#include "core/cause.h"
#include "core/ppp_defs.h"

#define DEADLINE_MS 60000u   /* the documented default */

static void assert_cause_named(const struct rp *r, const char *name)
{
	assert_string_equal(uppp_cause_name(r->cause), name);
}

/* Acks every Configure-Request of proto the AC sent (any session), from
 * that session's peer; the peer's MAC and id are restored afterwards. */
static void ack_requests(struct rp *r, uint16_t proto)
{
	uint8_t mac[6];
	uint16_t sid = r->sid;
	memcpy(mac, r->mac, 6);
	for (size_t i = 0; i < r->n_out; i++) {
		struct uppp_pppoe_frame f;
		if (r->out[i].taken || uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f) ||
		    f.ethertype != ETH_P_PPPOE_SESS || f.payload_len < 6 || uppp_get_be16(f.payload) != proto ||
		    f.payload[2] != CP_CONF_REQ)
			continue;
		r->out[i].taken = true;
		const uint8_t *req = f.payload + 2;
		uint16_t plen = uppp_get_be16(req + 2);
		assert_true(plen >= 4 && plen <= f.payload_len - 2u);
		uint8_t copy[256];
		assert_true(plen <= sizeof(copy));
		memcpy(copy, req, plen);
		memcpy(r->mac, r->out[i].b, 6);   /* the frame went to that peer */
		r->sid = f.session_id;
		rp_cp(r, proto, CP_CONF_ACK, copy[1], copy + 4, plen - 4u);
	}
	r->sid = sid;
	memcpy(r->mac, mac, 6);
}

/* Runs ms of virtual time in 100 ms steps, Acking every request of proto,
 * until no session is left. */
static void run_acking(struct rp *r, uint64_t ms, uint16_t proto)
{
	for (uint64_t t = 0; t < ms && uppp_ac_session_count(r->ac) > 0; t += 100) {
		ack_requests(r, proto);
		rp_run(r, 100);
	}
}

/* LCP: the peer Acks ours and never asks anything itself. */
static void lcp_ack_only_peer_ended(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.max_negotiating = 4;
	rp_start(r);
	rp_discover(r);
	uint64_t pads_at = r->now;
	assert_int_equal(uppp_ac_negotiating_count(r->ac), 1);

	run_acking(r, DEADLINE_MS - 100, PPP_LCP);
	assert_int_equal(r->downs, 0);   /* not before the deadline */
	run_acking(r, 3600 * 1000, PPP_LCP);
	assert_int_equal(r->downs, 1);
	assert_cause_named(r, "negotiation-timeout");
	assert_non_null(rp_log_find(r, "event=session-end cause=negotiation-timeout"));
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_int_equal(uppp_ac_negotiating_count(r->ac), 0);
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 1);
	/* ended at the deadline, and had at most one request per restart period */
	assert_true(rp_count_ppp(r, PPP_LCP, CP_CONF_REQ) <= DEADLINE_MS / 3000 + 1);
	assert_true(r->now <= pads_at + DEADLINE_MS + 100);
	rp_free(r);
}

/* IPCP: LCP opens, then the peer Acks our IPCP requests and asks nothing. */
static void ipcp_ack_only_peer_ended(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	run_acking(r, DEADLINE_MS - 100, PPP_IPCP);
	assert_int_equal(r->downs, 0);
	assert_int_equal(r->ups, 0);
	run_acking(r, 3600 * 1000, PPP_IPCP);
	assert_int_equal(r->downs, 1);
	assert_cause_named(r, "negotiation-timeout");
	assert_int_equal(r->released, r->leased);   /* the address came back */
	assert_int_equal(uppp_ac_negotiating_count(r->ac), 0);
	rp_free(r);
}

/* --max-negotiating full of Ack-only peers: a real client is turned away
 * only until the deadline frees their slots. */
static void slots_freed_for_a_real_client(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.max_negotiating = 2;
	r->cfg.max_sessions = 8;
	rp_start(r);
	for (uint8_t i = 0; i < 2; i++) {
		r->mac[5] = (uint8_t)(0x60 + i);
		rp_discover(r);
	}
	assert_int_equal(uppp_ac_negotiating_count(r->ac), 2);
	/* the real client: PADO, but its PADR is dropped while both negotiate */
	r->mac[5] = 0x77;
	rp_run(r, 1000);
	assert_true(rp_padi(r, "", 0x77));
	assert_int_equal(rp_padr(r, "", 0x77), 0);

	run_acking(r, DEADLINE_MS + 1000, PPP_LCP);
	assert_int_equal(r->downs, 2);
	assert_cause_named(r, "negotiation-timeout");
	assert_int_equal(uppp_ac_negotiating_count(r->ac), 0);

	/* now it gets in and comes up (what went to the others is not its) */
	for (size_t i = 0; i < r->n_out; i++)
		r->out[i].taken = true;
	assert_true(rp_padi(r, "", 0x77));
	assert_int_not_equal(rp_padr(r, "", 0x77), 0);
	rp_lcp_open(r);
	rp_ipcp_open(r);
	assert_int_equal(r->ups, 1);
	assert_int_equal(uppp_ac_negotiating_count(r->ac), 0);
	rp_free(r);
}

/* A session that came up is not limited; an LCP renegotiation gets a fresh
 * deadline until IPCP is Opened again. */
static void renegotiation_gets_a_fresh_deadline(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.ppp.echo_interval_ms = 0;
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_ipcp_open(r);
	assert_int_equal(r->ups, 1);
	rp_run(r, 10 * DEADLINE_MS);
	assert_int_equal(r->downs, 0);   /* up: no deadline */

	/* renegotiate: an acceptable request, then one we Nak (MRU 1500); from
	 * then on the peer only Acks */
	static const uint8_t good[] = { 1, 4, 0x05, 0xd4, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d };
	static const uint8_t naked[] = { 1, 4, 0x05, 0xdc, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d };
	size_t len;
	rp_cp(r, PPP_LCP, CP_CONF_REQ, 0x40, good, sizeof(good));
	rp_expect_ppp(r, PPP_LCP, CP_CONF_ACK, &len);
	rp_cp(r, PPP_LCP, CP_CONF_REQ, 0x41, naked, sizeof(naked));
	rp_expect_ppp(r, PPP_LCP, CP_CONF_NAK, &len);
	uint64_t reneg_at = r->now;
	run_acking(r, DEADLINE_MS - 100, PPP_LCP);
	assert_int_equal(r->downs, 0);
	run_acking(r, 3600 * 1000, PPP_LCP);
	assert_int_equal(r->downs, 1);
	assert_cause_named(r, "negotiation-timeout");
	assert_true(r->now <= reneg_at + DEADLINE_MS + 100);
	rp_free(r);
}

/* A peer that Naks every LCP request at once with an MRU above ours: a
 * handful of requests at the first instant, then one per restart period,
 * until the deadline ends it. */
static void nak_flooding_peer_bounded_and_ended(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	static const uint8_t mru_1500[] = { 1, 4, 0x05, 0xdc };
	rp_start(r);
	rp_discover(r);
	for (int i = 0; i < 1000; i++) {   /* Nak whatever request is pending */
		size_t len;
		const uint8_t *req = rp_find_ppp(r, PPP_LCP, CP_CONF_REQ, &len);
		if (!req)
			break;
		rp_cp(r, PPP_LCP, CP_CONF_NAK, req[1], mru_1500, sizeof(mru_1500));
	}
	unsigned at_once = rp_count_ppp(r, PPP_LCP, CP_CONF_REQ);
	assert_true(at_once >= 2 && at_once <= 1 + 5);   /* max-failure 5 (default) */
	uint64_t last = r->now;
	while (uppp_ac_session_count(r->ac) > 0 && r->now < 3600 * 1000) {
		size_t len;
		const uint8_t *req;
		rp_run(r, 10);
		while ((req = rp_find_ppp(r, PPP_LCP, CP_CONF_REQ, &len)) != NULL) {
			/* one per restart period (3 s) at most */
			assert_true(r->now >= last + 3000 - 10);
			last = r->now;
			for (int i = 0; i < 10; i++)   /* the repeats are stale: dropped */
				rp_cp(r, PPP_LCP, CP_CONF_NAK, req[1], mru_1500, sizeof(mru_1500));
		}
	}
	assert_int_equal(r->downs, 1);
	assert_cause_named(r, "negotiation-timeout");
	assert_true(r->now <= DEADLINE_MS + 10);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lcp_ack_only_peer_ended),
		cmocka_unit_test(ipcp_ack_only_peer_ended),
		cmocka_unit_test(slots_freed_for_a_real_client),
		cmocka_unit_test(renegotiation_gets_a_fresh_deadline),
		cmocka_unit_test(nak_flooding_peer_bounded_and_ended),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
