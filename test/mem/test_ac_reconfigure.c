/* test_ac_reconfigure.c — uppp_ac_reconfigure(), what a reload of the
 * server does to the engine: a session that begins afterwards gets the new
 * DNS and timeouts; one that was up keeps the template it began with, even
 * once the caller has overwritten and freed the old configuration (run
 * under valgrind); what sized the AC cannot change, and a refusal changes
 * nothing. Virtual clock, raw scripted peers. */
#include "mem/raw_peer.h"

#include "core/ppp_defs.h"

#define LCP_ECHO_REQ 9

/* A session from MAC ...:last, no authentication, up with addr (IPCP). */
static uint16_t bring_up(struct rp *r, uint8_t last, uint8_t addr_last)
{
	uint8_t ask[] = { 3, 6, 10, 0, 0, addr_last };
	size_t len;
	for (size_t i = 0; i < r->n_out; i++)
		r->out[i].taken = true;   /* what the other sessions were sent */
	r->mac[5] = last;
	assert_true(rp_padi(r, "", 0x02000000u | last));
	uint16_t id = rp_padr(r, "", 0x02000000u | last);
	assert_int_not_equal(id, 0);
	r->lcp_id = 0;
	rp_lcp_open(r);
	rp_cp(r, PPP_IPCP, CP_CONF_REQ, 1, ask, sizeof(ask));
	rp_expect_ppp(r, PPP_IPCP, CP_CONF_ACK, &len);
	rp_ack_their_request(r, PPP_IPCP);
	return id;
}

/* LCP packets with this code the AC sent to session id. */
static unsigned lcp_sent_to(const struct rp *r, uint16_t id, uint8_t code)
{
	struct uppp_pppoe_frame f;
	unsigned n = 0;
	for (size_t i = 0; i < r->n_out; i++)
		if (uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f) == 0 && f.ethertype == ETH_P_PPPOE_SESS &&
		    f.session_id == id && f.payload_len >= 3 && uppp_get_be16(f.payload) == PPP_LCP &&
		    f.payload[2] == code)
			n++;
	return n;
}

/* The DNS the AC offers a new session: IPCP asks 0.0.0.0 for option 129;
 * the AC Naks with its value. */
static uint32_t dns_offered(struct rp *r, uint8_t last, uint8_t addr_last)
{
	uint8_t ask[] = { 3, 6, 10, 0, 0, addr_last, 129, 6, 0, 0, 0, 0 };
	size_t len;
	for (size_t i = 0; i < r->n_out; i++)
		r->out[i].taken = true;
	r->mac[5] = last;
	assert_true(rp_padi(r, "", 0x03000000u | last));
	assert_int_not_equal(rp_padr(r, "", 0x03000000u | last), 0);
	r->lcp_id = 0;
	rp_lcp_open(r);
	rp_cp(r, PPP_IPCP, CP_CONF_REQ, 1, ask, sizeof(ask));
	const uint8_t *nak = rp_expect_ppp(r, PPP_IPCP, CP_CONF_NAK, &len);
	for (size_t o = 4; o + 6 <= len; o += nak[o + 1] ? nak[o + 1] : 1)
		if (nak[o] == 129 && nak[o + 1] == 6)
			return uppp_get_be32(nak + o + 2);
	fail_msg("the AC's Nak offers no DNS");
	return 0;
}

static void new_sessions_take_the_new_config_old_ones_keep_theirs(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.ppp.idle_ms = 0;   /* the first generation: never idle, echo every 10 s */
	rp_start(r);
	assert_int_equal(dns_offered(r, 1, 2), 0x0a000001);   /* what rp_new configures */
	uint16_t old = bring_up(r, 2, 3);

	/* the reload: a new DNS, no echo, 3 s idle, a new CHAP name; the old
	 * config is then scribbled over and freed, as the server frees the
	 * old command line's strings */
	struct uppp_ac_config *next = malloc(sizeof(*next));
	assert_non_null(next);
	*next = r->cfg;
	char *name = strdup("reloaded");
	assert_non_null(name);
	next->ppp.name = name;
	next->ppp.dns[0] = 0x09090909;
	next->ppp.echo_interval_ms = 0;
	next->ppp.idle_ms = 3000;
	next->log = r->cfg.log;
	assert_int_equal(uppp_ac_reconfigure(r->ac, next), 0);
	assert_non_null(rp_log_find(r, "event=reconfigured sessions=2 kept-template=yes"));
	/* the template no session may read any more (the scripted peer
	 * still reads r->cfg.mac) */
	memset(&r->cfg.ppp, 0xa5, sizeof(r->cfg.ppp));

	/* a new session gets the new DNS */
	assert_int_equal(dns_offered(r, 3, 4), 0x09090909);
	uint16_t fresh = bring_up(r, 4, 5);
	unsigned old_echo = lcp_sent_to(r, old, LCP_ECHO_REQ);

	/* 22 s on: the new session ended idle after 3 s and never sent an echo;
	 * the old one is up and kept its 10 s echo (the first interval heard
	 * the peer, the second was silent: one Echo-Request) and no idle limit */
	rp_run(r, 22000);
	assert_null(uppp_ac_session_find(r->ac, fresh));
	assert_int_equal(lcp_sent_to(r, fresh, LCP_ECHO_REQ), 0);
	assert_non_null(uppp_ac_session_find(r->ac, old));
	assert_true(lcp_sent_to(r, old, LCP_ECHO_REQ) > old_echo);

	/* a second reload while the old generation lives on: both kept
	 * templates are given back when their sessions end (valgrind) */
	struct uppp_ac_config *third = malloc(sizeof(*third));
	assert_non_null(third);
	*third = *next;
	third->ppp.dns[0] = 0x01010101;
	assert_int_equal(uppp_ac_reconfigure(r->ac, third), 0);
	memset(next, 0xa5, sizeof(*next));
	free(next);
	memset(name, 0xa5, strlen(name));
	free(name);
	assert_int_equal(dns_offered(r, 5, 6), 0x01010101);
	rp_run(r, 1000);
	assert_non_null(uppp_ac_session_find(r->ac, old));
	rp_free(r);
	free(third);
}

static void what_sized_the_ac_cannot_change(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	rp_start(r);
	struct uppp_ac_config next = r->cfg;
	next.ppp.dns[0] = 0x09090909;

	next.mac[5] ^= 1;
	assert_int_equal(uppp_ac_reconfigure(r->ac, &next), -EINVAL);
	next.mac[5] ^= 1;
	next.max_sessions = r->cfg.max_sessions + 1;
	assert_int_equal(uppp_ac_reconfigure(r->ac, &next), -EINVAL);
	next.max_sessions = r->cfg.max_sessions;
	next.rate_sets = 16;
	assert_int_equal(uppp_ac_reconfigure(r->ac, &next), -EINVAL);
	/* refused: the old DNS is still offered */
	assert_int_equal(dns_offered(r, 1, 2), 0x0a000001);
	assert_null(rp_log_find(r, "event=reconfigured"));

	/* 0 and the default are the same size: accepted */
	next.rate_sets = UPPP_AC_RATE_SETS;
	assert_int_equal(uppp_ac_reconfigure(r->ac, &next), 0);
	assert_int_equal(dns_offered(r, 2, 3), 0x09090909);
	rp_free(r);
}

/* No session yet: nothing to keep, no allocation. */
static void nothing_kept_without_sessions(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	rp_start(r);
	struct uppp_ac_config next = r->cfg;
	next.ppp.dns[0] = 0x09090909;
	assert_int_equal(uppp_ac_reconfigure(r->ac, &next), 0);
	assert_non_null(rp_log_find(r, "event=reconfigured sessions=0 kept-template=no"));
	assert_int_equal(dns_offered(r, 1, 2), 0x09090909);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_sessions_take_the_new_config_old_ones_keep_theirs),
		cmocka_unit_test(what_sized_the_ac_cannot_change),
		cmocka_unit_test(nothing_kept_without_sessions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
