/* test_ac_timers.c — the access concentrator keeps every session's
 * deadline itself and the host keeps one timer: uppp_ac_next_deadline() is
 * the earliest of all sessions, one uppp_ac_run_timers() runs every due
 * session in deadline order (equal deadlines in the order they were set), a
 * deadline that moves moves in the heap, and a heap filled to max_sessions
 * holds every session to its end. Virtual clock, raw scripted peers. */
#include "mem/raw_peer.h"

#include "core/ppp_defs.h"

#define RESTART_MS 3000   /* uppp_ppp_config_defaults: LCP restart timer */

/* A new session from peer MAC ...:last at the current time; its id. */
static uint16_t open_session(struct rp *r, uint8_t last)
{
	r->mac[5] = last;
	assert_true(rp_padi(r, "", 0x01000000u | last));
	uint16_t id = rp_padr(r, "", 0x01000000u | last);
	assert_int_not_equal(id, 0);
	return id;
}

/* The session ids of the LCP Configure-Requests the AC sent from out[from]
 * on, in order; returns how many. */
static size_t lcp_requests_since(const struct rp *r, size_t from, uint16_t *ids, size_t cap)
{
	struct uppp_pppoe_frame f;
	size_t n = 0;
	for (size_t i = from; i < r->n_out && n < cap; i++)
		if (uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f) == 0 && f.ethertype == ETH_P_PPPOE_SESS &&
		    f.payload_len >= 3 && uppp_get_be16(f.payload) == PPP_LCP && f.payload[2] == CP_CONF_REQ)
			ids[n++] = f.session_id;
	return n;
}

/* Sessions opened at 0, 100 and 200 ms retransmit at 3000, 3100 and 3200:
 * oldest first, the reverse of the AC's list order, all in one call. */
static void due_sessions_fire_in_deadline_order(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	uint16_t id[3], seen[8];
	rp_start(r);
	assert_int_equal(uppp_ac_next_deadline(r->ac), UPPP_NO_DEADLINE);
	for (int i = 0; i < 3; i++) {
		r->now = 100u * (unsigned)i;
		id[i] = open_session(r, (uint8_t)(i + 1));
	}
	assert_int_equal(uppp_ac_next_deadline(r->ac), RESTART_MS);

	/* early: nothing runs */
	size_t mark = r->n_out;
	uppp_ac_run_timers(r->ac, RESTART_MS - 1);
	assert_int_equal(r->n_out, mark);
	assert_int_equal(uppp_ac_next_deadline(r->ac), RESTART_MS);

	/* one call at 3200 runs all three, in deadline order */
	r->now = RESTART_MS + 200;
	uppp_ac_run_timers(r->ac, r->now);
	assert_int_equal(lcp_requests_since(r, mark, seen, 8), 3);
	assert_int_equal(seen[0], id[0]);
	assert_int_equal(seen[1], id[1]);
	assert_int_equal(seen[2], id[2]);
	/* each re-armed from 3200 (the time it ran), in the order they ran */
	assert_int_equal(uppp_ac_next_deadline(r->ac), RESTART_MS + 200 + RESTART_MS);
	mark = r->n_out;
	uppp_ac_run_timers(r->ac, uppp_ac_next_deadline(r->ac));
	assert_int_equal(lcp_requests_since(r, mark, seen, 8), 3);
	assert_int_equal(seen[0], id[0]);
	assert_int_equal(seen[1], id[1]);
	assert_int_equal(seen[2], id[2]);
	rp_free(r);
}

/* A deadline that moves later moves behind the others: the oldest session
 * gets a Configure-Nak at 2500, sends a new request and restarts its timer
 * (5500), so the two younger ones (3100, 3200) run first. */
static void a_moved_deadline_reorders(void **state)
{
	(void)state;
	static const uint8_t nak_mru[] = { 1, 4, 0x05, 0xd4 };
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	uint16_t id[3], seen[8];
	rp_start(r);
	for (int i = 0; i < 3; i++) {
		r->now = 100u * (unsigned)(i + 1);
		id[i] = open_session(r, (uint8_t)(i + 1));
	}
	assert_int_equal(uppp_ac_next_deadline(r->ac), 100 + RESTART_MS);
	r->now = 2500;
	r->mac[5] = 1;
	r->sid = id[0];
	size_t len, mark = r->n_out;
	const uint8_t *req = rp_expect_ppp(r, PPP_LCP, CP_CONF_REQ, &len);   /* session 1's first request */
	(void)rp_expect_ppp(r, PPP_LCP, CP_CONF_REQ, &len);
	(void)rp_expect_ppp(r, PPP_LCP, CP_CONF_REQ, &len);
	rp_cp(r, PPP_LCP, CP_CONF_NAK, req[1], nak_mru, sizeof(nak_mru));
	assert_int_equal(lcp_requests_since(r, mark, seen, 8), 1);   /* the new request */
	assert_int_equal(seen[0], id[0]);
	assert_int_equal(uppp_ac_next_deadline(r->ac), 200 + RESTART_MS);

	mark = r->n_out;
	r->now = 2500 + RESTART_MS;
	uppp_ac_run_timers(r->ac, r->now);
	assert_int_equal(lcp_requests_since(r, mark, seen, 8), 3);
	assert_int_equal(seen[0], id[1]);
	assert_int_equal(seen[1], id[2]);
	assert_int_equal(seen[2], id[0]);
	rp_free(r);
}

/* Three sessions opened at the same millisecond: equal deadlines run in the
 * order they were set. */
static void equal_deadlines_run_in_order_set(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	uint16_t id[3], seen[8];
	rp_start(r);
	r->now = 50;
	for (int i = 0; i < 3; i++)
		id[i] = open_session(r, (uint8_t)(i + 1));
	size_t mark = r->n_out;
	uppp_ac_run_timers(r->ac, 50 + RESTART_MS);
	assert_int_equal(lcp_requests_since(r, mark, seen, 8), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(seen[i], id[i]);
	rp_free(r);
}

/* The heap has max_sessions slots and cannot fail to hold a live session:
 * filled to the brim, every session keeps retransmitting until LCP gives
 * up (max-configure), each ends with its cause, and nothing is left. */
static void full_heap_holds_every_session_to_its_end(void **state)
{
	(void)state;
	enum { N = 12 };
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	r->cfg.max_sessions = N;
	rp_start(r);
	for (int i = 0; i < N; i++) {
		r->now = 10u * (unsigned)i;
		open_session(r, (uint8_t)(i + 1));
	}
	assert_int_equal(uppp_ac_session_count(r->ac), N);
	/* one more is refused (max-sessions), so the heap never needs slot N+1 */
	r->mac[5] = 0x77;
	assert_false(rp_padi(r, "", 0x77));
	assert_int_equal(uppp_ac_next_deadline(r->ac), RESTART_MS);
	size_t before = rp_count_ppp(r, PPP_LCP, CP_CONF_REQ);
	rp_run(r, 120000);
	/* max-configure (10) requests each, then the end */
	assert_int_equal(rp_count_ppp(r, PPP_LCP, CP_CONF_REQ) - before, N * (10 - 1));
	assert_int_equal(r->downs, N);
	assert_int_equal(r->cause, UPPP_CAUSE_LCP_FAILED);
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_int_equal(uppp_ac_next_deadline(r->ac), UPPP_NO_DEADLINE);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(due_sessions_fire_in_deadline_order),
		cmocka_unit_test(a_moved_deadline_reorders),
		cmocka_unit_test(equal_deadlines_run_in_order_set),
		cmocka_unit_test(full_heap_holds_every_session_to_its_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
