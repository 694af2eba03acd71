/* test_phase_walk.c — whole sessions between the access concentrator and
 * the uppp client (test/mem/deferred_world.h: frame to frame through a 1 ms
 * queue, virtual clock), with a log sink that records every phase change of
 * each side's PPP link and fails on any illegal one: the phase table in
 * proto/ppp.c must allow every move a real session takes (PAP, CHAP, no
 * authentication, a wrong secret, either side hanging up, the lower layer
 * going away, a verdict and an address answered later, a close while the
 * host judges). LCP and IPCP renegotiation, echo and negotiation timeouts:
 * test_phase_renegotiate.c. */
#include "mem/deferred_world.h"

/* what one side's log showed */
struct walk_side {
	struct dw *w;
	char seq[512];       /* "dead>establish>authenticate>..." */
	unsigned illegal;    /* lines saying "illegal" (the FSMs' and the dial's too) */
	char first_illegal[600];
};

static struct walk_side ac_side, cl_side;

static void walk_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct walk_side *s = ud;
	const char *ph = strstr(line, "layer=ppp phase=");

	if (strstr(line, "illegal")) {
		if (!s->illegal++)
			snprintf(s->first_illegal, sizeof(s->first_illegal), "%s", line);
	}
	if (ph) {
		char from[32], to[32];
		assert_int_equal(sscanf(ph, "layer=ppp phase=%31s -> %31s", from, to), 2);
		if (!s->seq[0])
			snprintf(s->seq, sizeof(s->seq), "%s", from);
		size_t n = strlen(s->seq);
		snprintf(s->seq + n, sizeof(s->seq) - n, ">%s", to);
	}
	dw_emit(s->w, level, line);
}

static struct dw *walk_new(enum uppp_auth_method auth, const char *user, const char *password)
{
	struct dw *w = dw_new(auth, user, password);

	memset(&ac_side, 0, sizeof(ac_side));
	memset(&cl_side, 0, sizeof(cl_side));
	ac_side.w = cl_side.w = w;
	w->ac_cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = walk_emit, .ud = &ac_side };
	w->cl_cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = walk_emit, .ud = &cl_side };
	w->async_verify = false;   /* the secrets judge, unless a test says otherwise */
	return w;
}

static void walk_run_until_down(struct dw *w, uint64_t limit)
{
	uint64_t end = w->now + limit;
	while (w->now < end && !(w->ac_downs && w->cl_downs))
		dw_run_until(w, w->now + 1);
	assert_int_equal(w->ac_downs, 1);
	assert_int_equal(w->cl_downs, 1);
}

/* No illegal move on either side, and each side walked the phases given. */
static void walk_check(struct dw *w, const char *ac_seq, const char *cl_seq)
{
	if (ac_side.illegal || cl_side.illegal)
		fail_msg("illegal transition logged: %s", ac_side.illegal ? ac_side.first_illegal : cl_side.first_illegal);
	if (strcmp(ac_side.seq, ac_seq) != 0)
		fail_msg("AC phases %s, expected %s", ac_side.seq, ac_seq);
	if (strcmp(cl_side.seq, cl_seq) != 0)
		fail_msg("client phases %s, expected %s", cl_side.seq, cl_seq);
	dw_free(w);
}

#define UP_ "dead>establish>authenticate>network"

/* PAP; the client hangs up: it closes (Terminate), the AC hears the peer's
 * Terminate-Request (LCP down without a cause of ours: Establish, then Dead). */
static void pap_client_hangs_up(void **state)
{
	(void)state;
	struct dw *w = walk_new(UPPP_AUTH_PAP, "alice", "wonderland");
	dw_start(w);
	assert_true(dw_run_until_up(w, 30000));
	uppp_dial_hangup(w->cl, UPPP_CAUSE_ADMIN, w->now);
	walk_run_until_down(w, 30000);
	walk_check(w, UP_ ">establish>dead", UP_ ">terminate>dead");
}

/* CHAP-MD5; the AC closes the session. */
static void chap_server_closes(void **state)
{
	(void)state;
	struct dw *w = walk_new(UPPP_AUTH_CHAP_MD5, "bob", "builder");
	dw_start(w);
	assert_true(dw_run_until_up(w, 30000));
	assert_int_equal(uppp_ac_session_close(w->ac, w->sid, UPPP_CAUSE_ADMIN, w->now), 0);
	walk_run_until_down(w, 30000);
	walk_check(w, UP_ ">terminate>dead", UP_ ">establish>dead");
}

/* No authentication: Authenticate passes straight to Network. */
static void no_auth_then_abort(void **state)
{
	(void)state;
	struct dw *w = walk_new(UPPP_AUTH_NONE, "alice", "wonderland");
	dw_start(w);
	assert_true(dw_run_until_up(w, 30000));
	/* the client ends at once with a PADT: the AC's lower layer goes away */
	uppp_dial_abort(w->cl, UPPP_CAUSE_ADMIN, w->now);
	walk_run_until_down(w, 30000);
	walk_check(w, UP_ ">terminate>dead", UP_ ">terminate>dead");
}

/* A wrong secret: Authenticate -> Terminate on both sides (the client
 * closes on the Authenticate-Nak). */
static void wrong_secret(void **state)
{
	(void)state;
	struct dw *w = walk_new(UPPP_AUTH_PAP, "alice", "looking-glass");
	dw_start(w);
	walk_run_until_down(w, 60000);
	assert_int_equal(w->ac_cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	walk_check(w, "dead>establish>authenticate>terminate>dead", "dead>establish>authenticate>terminate>dead");
}

/* The host answers later, the verdict and then the address. */
static void verdict_and_address_later(void **state)
{
	(void)state;
	struct dw *w = walk_new(UPPP_AUTH_CHAP_MD5, "alice", "wonderland");
	char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	w->async_verify = true;
	w->async_address = true;
	dw_start(w);
	assert_true(dw_run_until_verify(w, 1, 30000));
	dw_run_until(w, w->now + 500);
	struct uppp_auth_verdict v = dw_judge(w, sresp);
	assert_true(v.accept);
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), 0);
	dw_run_until(w, w->now + 500);
	assert_int_equal(w->assign_calls, 1);
	assert_int_equal(uppp_ac_session_address(w->ac, w->sid, w->addr_serial, 0, 0x0a000009, w->now), 0);
	assert_true(dw_run_until_up(w, 30000));
	uppp_dial_hangup(w->cl, UPPP_CAUSE_ADMIN, w->now);
	walk_run_until_down(w, 30000);
	walk_check(w, UP_ ">establish>dead", UP_ ">terminate>dead");
}

/* The AC closes the session while the host still judges the peer: the
 * session ends at once (Terminate-Request, then PADT); the verdict that
 * comes afterwards finds no session. (The engine's own answer to a verdict
 * while it closes: test/unit/test_ppp_phase.c.) */
static void close_while_the_host_judges(void **state)
{
	(void)state;
	struct dw *w = walk_new(UPPP_AUTH_PAP, "alice", "wonderland");
	char sresp[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	w->async_verify = true;
	dw_start(w);
	assert_true(dw_run_until_verify(w, 1, 30000));
	struct uppp_auth_verdict v = dw_judge(w, sresp);
	assert_true(v.accept);
	assert_int_equal(uppp_ac_session_close(w->ac, w->sid, UPPP_CAUSE_ADMIN, w->now), 0);
	assert_int_equal(uppp_ac_session_auth_verdict(w->ac, w->sid, &v, w->now), -ENOENT);
	walk_run_until_down(w, 30000);
	assert_int_equal(w->ac_ups + w->cl_ups + w->assign_calls, 0);
	assert_int_equal(w->ac_cause, UPPP_CAUSE_ADMIN);
	walk_check(w, "dead>establish>authenticate>terminate>dead", "dead>establish>authenticate>establish>dead");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pap_client_hangs_up),
		cmocka_unit_test(chap_server_closes),
		cmocka_unit_test(no_auth_then_abort),
		cmocka_unit_test(wrong_secret),
		cmocka_unit_test(verdict_and_address_later),
		cmocka_unit_test(close_while_the_host_judges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
