/* test_failure_causes.c — every way a session fails to come up or goes
 * down, provoked against an access concentrator in memory, and the one log
 * line that tells the user why (cause=<name> reason="<sentence naming the
 * Windows error>"). The lines are checked exactly, up to the counters. */
#include "mem/raw_peer.h"

#include "core/cause.h"

#define PEER "52:54:00:12:34:56"

/* The one line starting with `expect` (followed by a space or its end). */
static void assert_line(const struct rp *r, const char *expect)
{
	size_t n = strlen(expect);
	for (unsigned i = 0; i < r->n_log; i++)
		if (strncmp(r->logs[i], expect, n) == 0 && (r->logs[i][n] == '\0' || r->logs[i][n] == ' '))
			return;
	for (unsigned i = 0; i < r->n_log; i++)
		fprintf(stderr, "  log: %s\n", r->logs[i]);
	fail_msg("no log line starting with: %s", expect);
}

static void expect_no_pado(const struct rp *r, const char *mac, enum uppp_cause c, const char *detail)
{
	char want[1024];
	snprintf(want, sizeof(want), "mac=%s event=no-pado cause=%s reason=\"%s\" detail=\"%s\"", mac,
		 uppp_cause_name(c), uppp_cause_text(c), detail);
	assert_line(r, want);
}

static void expect_session_end(const struct rp *r, uint16_t sid, enum uppp_cause c, const char *extra)
{
	char want[1024];
	snprintf(want, sizeof(want), "sess=%u mac=" PEER " event=session-end cause=%s reason=\"%s\"%s", sid,
		 uppp_cause_name(c), uppp_cause_text(c), extra);
	assert_line(r, want);
	assert_int_equal(r->cause, c);
}

/* ---- every cause has words a user can search for ---- */

static void every_cause_is_named_with_its_windows_error(void **state)
{
	(void)state;
	for (int c = 1; c < UPPP_CAUSE_COUNT; c++) {
		const char *name = uppp_cause_name((enum uppp_cause)c), *text = uppp_cause_text((enum uppp_cause)c);
		assert_non_null(name);
		assert_non_null(text);
		assert_string_not_equal(name, "unknown");
		assert_non_null(strstr(text, "Windows"));
		assert_null(strchr(text, '"'));   /* goes inside reason="..." */
		for (int d = 1; d < c; d++)
			assert_string_not_equal(name, uppp_cause_name((enum uppp_cause)d));
	}
	assert_string_equal(uppp_cause_name(UPPP_CAUSE_COUNT), "unknown");
}

/* ---- no PADO ---- */

static void no_pado_service_mismatch(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.services[0] = "rp-pppoe";
	r->cfg.n_services = 1;
	rp_start(r);
	assert_false(rp_padi(r, "isp", 1));
	expect_no_pado(r, PEER, UPPP_CAUSE_NO_SERVICE, "no PADO sent: client asked Service-Name 'isp', we offer 'rp-pppoe'");
	assert_non_null(strstr(uppp_cause_text(UPPP_CAUSE_NO_SERVICE), "651"));
	rp_free(r);
}

static void no_pado_per_mac_limit(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.max_per_mac = 1;
	rp_start(r);
	rp_discover(r);
	assert_false(rp_padi(r, "", 2));   /* same MAC, another Host-Uniq */
	expect_no_pado(r, PEER, UPPP_CAUSE_MAC_LIMIT, "no PADO sent: this MAC already has 1 sessions, max-per-mac is 1");
	rp_free(r);
}

static void no_pado_pool_full(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.max_sessions = 1;
	rp_start(r);
	rp_discover(r);
	r->mac[5] = 0x99;
	assert_false(rp_padi(r, "", 3));
	expect_no_pado(r, "52:54:00:12:34:99", UPPP_CAUSE_POOL_FULL, "no PADO sent: 1 sessions open, max-sessions is 1");
	rp_free(r);

	/* the address pool, asked before PADO */
	r = rp_new(UPPP_AUTH_NONE);
	rp_start(r);
	r->pool_full = true;
	assert_false(rp_padi(r, "", 4));
	expect_no_pado(r, PEER, UPPP_CAUSE_POOL_FULL, "no PADO sent: address pool has no free address");
	rp_free(r);
}

/* runtime/server.c ends every session this way when uppp_eth_dispatch says
 * the interface is gone (-ENODEV) or down (-ENETDOWN). */
static void interface_down_ends_sessions(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	uppp_ac_shutdown(r->ac, UPPP_CAUSE_INTERFACE_DOWN, r->now);
	expect_session_end(r, r->sid, UPPP_CAUSE_INTERFACE_DOWN, "");
	assert_non_null(strstr(uppp_cause_text(UPPP_CAUSE_INTERFACE_DOWN), "651"));
	rp_free(r);
}

/* ---- authentication ---- */

static void auth_no_secret(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	size_t len;
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_pap(r, "mallory", "guess");
	rp_expect_ppp(r, PPP_PAP, 3, &len);   /* Authenticate-Nak */
	rp_run(r, 10000);                     /* we close; the peer never acks */
	expect_session_end(r, r->sid, UPPP_CAUSE_AUTH_NO_SECRET, "");
	assert_non_null(strstr(uppp_cause_text(UPPP_CAUSE_AUTH_NO_SECRET), "691"));
	assert_int_equal(r->ups, 0);
	rp_free(r);
}

static void auth_wrong_secret(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	size_t len;
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_pap(r, "alice", "alice-in-chains");
	rp_expect_ppp(r, PPP_PAP, 3, &len);
	rp_run(r, 10000);
	expect_session_end(r, r->sid, UPPP_CAUSE_AUTH_BAD_SECRET, "");
	assert_non_null(strstr(uppp_cause_text(UPPP_CAUSE_AUTH_BAD_SECRET), "691"));
	rp_free(r);
}

/* We require CHAP-MD5; the client Naks it with PAP (a Windows client set to
 * "PAP only", or pppd with refuse-chap). */
static void auth_wrong_protocol(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_CHAP_MD5);
	static const uint8_t opts[] = { 1, 4, 0x05, 0xd4, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d };
	static const uint8_t nak_pap[] = { 3, 4, 0xc0, 0x23 };
	size_t len;
	rp_start(r);
	rp_discover(r);
	rp_cp(r, PPP_LCP, 1, 1, opts, sizeof(opts));
	rp_expect_ppp(r, PPP_LCP, 2, &len);
	const uint8_t *req = rp_expect_ppp(r, PPP_LCP, 1, &len);
	rp_cp(r, PPP_LCP, 3, req[1], nak_pap, sizeof(nak_pap));
	rp_expect_ppp(r, PPP_LCP, 5, &len);   /* Terminate-Request */
	rp_run(r, 10000);
	char want[512];
	snprintf(want, sizeof(want), "sess=%u mac=" PEER " layer=lcp event=auth-refused cause=auth-wrong-protocol reason=\"%s\" "
		 "required=chap-md5 peer-offers=pap", r->sid, uppp_cause_text(UPPP_CAUSE_AUTH_WRONG_PROTOCOL));
	assert_line(r, want);
	expect_session_end(r, r->sid, UPPP_CAUSE_AUTH_WRONG_PROTOCOL, "");
	assert_non_null(strstr(uppp_cause_text(UPPP_CAUSE_AUTH_WRONG_PROTOCOL), "919"));
	rp_free(r);
}

/* ---- IPCP ---- */

/* A client with a static address (10.0.0.99) insists on it: Nak'd with the
 * address it was given, then rejected; it gives up and hangs up. */
static void ipcp_address_conflict(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	static const uint8_t ask[] = { 3, 6, 10, 0, 0, 99 };
	static const uint8_t nak[] = { 3, 3, 0, 10, 3, 6, 10, 0, 0, 2 };
	size_t len;
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	for (uint8_t id = 1; id <= 5; id++) {
		rp_cp(r, PPP_IPCP, 1, id, ask, sizeof(ask));
		const uint8_t *p = rp_expect_ppp(r, PPP_IPCP, 3, &len);
		assert_int_equal(len, sizeof(nak));
		assert_memory_equal(p + 2, nak + 2, sizeof(nak) - 2);
	}
	rp_cp(r, PPP_IPCP, 1, 6, ask, sizeof(ask));
	const uint8_t *rej = rp_expect_ppp(r, PPP_IPCP, 4, &len);
	assert_memory_equal(rej + 4, ask, sizeof(ask));
	/* Windows shows error 735 and hangs up */
	rp_cp(r, PPP_LCP, 5, 9, (const uint8_t *)"", 0);
	rp_run(r, 5000);
	char want[512];
	snprintf(want, sizeof(want), "sess=%u mac=" PEER " layer=ipcp event=address-nak asked=10.0.0.99 assigned=10.0.0.2",
		 r->sid);
	assert_line(r, want);
	assert_int_equal(rp_log_count(r, "event=address-nak"), 1);   /* once, not per Nak */
	snprintf(want, sizeof(want), "sess=%u mac=" PEER " layer=ipcp event=address-rejected cause=address-conflict "
		 "reason=\"%s\" asked=10.0.0.99 assigned=10.0.0.2", r->sid, uppp_cause_text(UPPP_CAUSE_ADDRESS_CONFLICT));
	assert_line(r, want);
	expect_session_end(r, r->sid, UPPP_CAUSE_ADDRESS_CONFLICT, "");
	assert_non_null(strstr(uppp_cause_text(UPPP_CAUSE_ADDRESS_CONFLICT), "735"));
	rp_free(r);
}

/* The conflict is forgotten once the client takes the offered address. */
static void ipcp_conflict_resolved_is_no_failure(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	static const uint8_t ask[] = { 3, 6, 10, 0, 0, 99 }, ok[] = { 3, 6, 10, 0, 0, 2 };
	size_t len;
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_cp(r, PPP_IPCP, 1, 1, ask, sizeof(ask));
	rp_expect_ppp(r, PPP_IPCP, 3, &len);
	rp_cp(r, PPP_IPCP, 1, 2, ok, sizeof(ok));
	rp_expect_ppp(r, PPP_IPCP, 2, &len);
	rp_ack_their_request(r, PPP_IPCP);
	assert_int_equal(r->ups, 1);
	rp_cp(r, PPP_LCP, 5, 9, (const uint8_t *)"bye", 3);
	rp_run(r, 5000);
	expect_session_end(r, r->sid, UPPP_CAUSE_PEER_TERM_REQ, " peer_reason='bye'");
	rp_free(r);
}

static void ipcp_pool_empty(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	size_t len;
	rp_start(r);
	r->assign_err = -ENOSPC;
	rp_discover(r);
	rp_lcp_open(r);
	rp_expect_ppp(r, PPP_LCP, 5, &len);
	rp_run(r, 10000);
	expect_session_end(r, r->sid, UPPP_CAUSE_NO_ADDRESS, "");
	assert_non_null(strstr(uppp_cause_text(UPPP_CAUSE_NO_ADDRESS), "734"));
	rp_free(r);
}

/* `-` in the secrets file's address column: the host refuses (-EPERM) and
 * the link closes with its own cause, not a pool address. */
static void ipcp_address_not_allowed(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	size_t len;
	rp_start(r);
	r->assign_err = -EPERM;
	rp_discover(r);
	rp_lcp_open(r);
	rp_expect_ppp(r, PPP_LCP, 5, &len);   /* Terminate-Request, no IPCP */
	rp_run(r, 10000);
	expect_session_end(r, r->sid, UPPP_CAUSE_ADDRESS_NOT_ALLOWED, "");
	assert_int_equal(r->ups, 0);
	rp_free(r);
}

/* The host cannot serve the session once IPCP is up (defect 8 of issue 9:
 * an allocation that failed used to be only logged): out of memory ends it
 * with host-error, any other interface failure with interface; either way
 * PADT, the address back, no up. */
static void host_fails_at_up(enum uppp_cause want, int err)
{
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	rp_start(r);
	r->up_err = err;
	rp_discover(r);
	rp_lcp_open(r);
	rp_ipcp_open(r);
	rp_run(r, 10000);
	expect_session_end(r, r->sid, want, "");
	assert_int_equal(r->ups, 0);
	assert_int_equal(r->leased, 1);
	assert_int_equal(r->released, 1);
	rp_free(r);
}

static void host_out_of_memory_at_up(void **state)
{
	(void)state;
	host_fails_at_up(UPPP_CAUSE_HOST_ERROR, -ENOMEM);
}

static void interface_fails_at_up(void **state)
{
	(void)state;
	host_fails_at_up(UPPP_CAUSE_INTERFACE, -EIO);
}

/* ---- link down ---- */

static void link_echo_timeout(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_ipcp_open(r);
	assert_int_equal(r->ups, 1);
	rp_run(r, 55000);   /* 3 Echo-Requests over 3 × 10 s of silence, down 10 s later */
	expect_session_end(r, r->sid, UPPP_CAUSE_ECHO_TIMEOUT, "");
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 1);
	rp_free(r);
}

/* The peer's reason text is hostile: quotes and a newline reach the log
 * escaped. */
static void link_peer_term_req_with_reason(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	static const char why[] = "bye \"now\"\n";
	size_t len;
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_cp(r, PPP_LCP, 5, 7, (const uint8_t *)why, sizeof(why) - 1);
	rp_expect_ppp(r, PPP_LCP, 6, &len);   /* Terminate-Ack */
	rp_run(r, 5000);
	expect_session_end(r, r->sid, UPPP_CAUSE_PEER_TERM_REQ, " peer_reason='bye \\x22now\\x22\\x0a'");
	char want[512];
	snprintf(want, sizeof(want), "sess=%u mac=" PEER " layer=ppp event=down cause=peer-term-req reason=\"%s\" "
		 "peer_reason='bye \\x22now\\x22\\x0a'", r->sid, uppp_cause_text(UPPP_CAUSE_PEER_TERM_REQ));
	assert_line(r, want);
	for (unsigned i = 0; i < r->n_log; i++)
		assert_null(strchr(r->logs[i], '\n'));
	rp_free(r);
}

static void link_peer_padt(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	static const uint8_t tags[] = { 0x02, 0x03, 0, 4, 'q', 'u', 'i', 't' };
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	rp_disc(r, PPPOE_CODE_PADT, r->sid, tags, sizeof(tags));
	expect_session_end(r, r->sid, UPPP_CAUSE_PEER_PADT, "");
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 0);   /* not answered with one */
	assert_non_null(strstr(uppp_cause_text(UPPP_CAUSE_PEER_PADT), "628"));
	rp_free(r);
}

static void link_admin(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	rp_start(r);
	rp_discover(r);
	rp_lcp_open(r);
	uppp_ac_shutdown(r->ac, UPPP_CAUSE_ADMIN, r->now);
	expect_session_end(r, r->sid, UPPP_CAUSE_ADMIN, "");
	assert_int_equal(rp_count_ppp(r, PPP_LCP, 5), 1);   /* Terminate-Request */
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 1);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_cause_is_named_with_its_windows_error),
		cmocka_unit_test(no_pado_service_mismatch),
		cmocka_unit_test(no_pado_per_mac_limit),
		cmocka_unit_test(no_pado_pool_full),
		cmocka_unit_test(interface_down_ends_sessions),
		cmocka_unit_test(auth_no_secret),
		cmocka_unit_test(auth_wrong_secret),
		cmocka_unit_test(auth_wrong_protocol),
		cmocka_unit_test(ipcp_address_conflict),
		cmocka_unit_test(ipcp_conflict_resolved_is_no_failure),
		cmocka_unit_test(ipcp_pool_empty),
		cmocka_unit_test(ipcp_address_not_allowed),
		cmocka_unit_test(host_out_of_memory_at_up),
		cmocka_unit_test(interface_fails_at_up),
		cmocka_unit_test(link_echo_timeout),
		cmocka_unit_test(link_peer_term_req_with_reason),
		cmocka_unit_test(link_peer_padt),
		cmocka_unit_test(link_admin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
