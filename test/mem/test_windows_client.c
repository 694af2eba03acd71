/* test_windows_client.c — a scripted Windows-like client against an access
 * concentrator in memory, in raw frames (facts.md "Protocol traps"):
 * LCP asks Callback (CBCP), MRRU, Endpoint- and Link-Discriminator; sends
 * Identification once LCP is open; authenticates with MS-CHAPv2 (a real
 * RFC 2759 Response computed here) and resends its Response after Success;
 * starts CCP and IPv6CP, which we Protocol-Reject without touching the
 * link; asks IPCP 0.0.0.0 with DNS and WINS (129–132). It must end with an
 * open session, DNS assigned, and the `debug` log showing every packet. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memmem */
#endif
#include "mem/raw_peer.h"

#include "auth/mschapv2.h"

static const uint8_t peer_challenge[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5e, 0x26, 0x2a,
					    0x28, 0x29, 0x5f, 0x2b, 0x3a, 0x33, 0x7c, 0x7e };

/* Windows' LCP Configure-Request: MRU, magic, Callback (operation 6 =
 * CBCP), MRRU 1614, Endpoint-Discriminator (class 1, 20 bytes), Link
 * Discriminator (RFC 2125, option 23). */
static const uint8_t win_lcp_req[] = {
	1, 4, 0x05, 0xd4, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d, 13, 3, 6, 17, 4, 0x06, 0x4e,
	19, 23, 1, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
	0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 23, 4, 0, 1,
};

static void windows_lcp(struct rp *r)
{
	size_t len;
	const uint8_t *p;

	rp_cp(r, PPP_LCP, 1, 1, win_lcp_req, sizeof(win_lcp_req));
	/* only the four Windows extras come back, byte for byte */
	p = rp_expect_ppp(r, PPP_LCP, 4, &len);
	assert_int_equal(p[1], 1);
	assert_int_equal(len, 4 + sizeof(win_lcp_req) - 10);
	assert_memory_equal(p + 4, win_lcp_req + 10, sizeof(win_lcp_req) - 10);
	rp_cp(r, PPP_LCP, 1, 2, win_lcp_req, 10);
	p = rp_expect_ppp(r, PPP_LCP, 2, &len);
	assert_int_equal(p[1], 2);

	/* we require MS-CHAPv2 (CHAP algorithm 0x81) */
	p = rp_find_ppp(r, PPP_LCP, 1, &len);
	assert_non_null(p);
	static const uint8_t auth_opt[] = { 3, 5, 0xc2, 0x23, 0x81 };
	assert_non_null(memmem(p + 4, len - 4, auth_opt, sizeof(auth_opt)));
	rp_cp(r, PPP_LCP, 2, p[1], p + 4, uppp_get_be16(p + 2) - 4u);

	/* Identification after open (RFC 1570): taken silently */
	static const uint8_t ident1[] = { 0x1a, 0x2b, 0x3c, 0x4d, 'M', 'S', 'R', 'A', 'S', 'V', '5', '.', '2', '0' };
	static const uint8_t ident2[] = { 0x1a, 0x2b, 0x3c, 0x4d, 'M', 'S', 'R', 'A', 'S', '-', '0', '-', 'P', 'C' };
	rp_cp(r, PPP_LCP, 12, 3, ident1, sizeof(ident1));
	rp_cp(r, PPP_LCP, 12, 4, ident2, sizeof(ident2));
	assert_int_equal(rp_count_ppp(r, PPP_LCP, 7), 0);   /* no Code-Reject */
}

/* MS-CHAPv2 Response to the AC's Challenge; returns the Identifier and
 * fills the Response packet to resend later. */
static uint8_t windows_mschapv2(struct rp *r, const char *user, const char *password, uint8_t *resp, size_t *resp_len,
				uint8_t auth_chal[16])
{
	size_t len, ul = strlen(user);
	const uint8_t *c = rp_expect_ppp(r, PPP_CHAP, 1, &len);
	uint8_t nt[24];

	assert_true(len >= 4 + 1 + 16);
	assert_int_equal(c[4], 16);
	memcpy(auth_chal, c + 5, 16);
	assert_int_equal(uppp_mschapv2_nt_response(auth_chal, peer_challenge, (const uint8_t *)user, ul,
						   (const uint8_t *)password, strlen(password), nt), 0);
	resp[0] = 2;
	resp[1] = c[1];
	resp[4] = 49;
	memcpy(resp + 5, peer_challenge, 16);
	memset(resp + 21, 0, 8);
	memcpy(resp + 29, nt, 24);
	resp[53] = 0;
	memcpy(resp + 54, user, ul);
	*resp_len = 54 + ul;
	uppp_put_be16(resp + 2, (uint16_t)*resp_len);
	rp_ppp(r, PPP_CHAP, resp, *resp_len);
	return c[1];
}

/* CCP and IPv6CP, as Windows starts them: Protocol-Rejected, link kept. */
static void windows_other_ncps(struct rp *r)
{
	static const uint8_t ccp[] = { 0x12, 6, 0x01, 0x00, 0x00, 0x60 };   /* MPPC/MPPE */
	static const uint8_t v6[] = { 1, 10, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };
	size_t len;
	const uint8_t *p;

	rp_cp(r, PPP_CCP, 1, 5, ccp, sizeof(ccp));
	rp_cp(r, PPP_IPV6CP, 1, 6, v6, sizeof(v6));
	p = rp_expect_ppp(r, PPP_LCP, 8, &len);
	assert_int_equal(uppp_get_be16(p + 4), PPP_CCP);
	assert_int_equal(p[6], 1);   /* the rejected packet follows */
	p = rp_expect_ppp(r, PPP_LCP, 8, &len);
	assert_int_equal(uppp_get_be16(p + 4), PPP_IPV6CP);
	assert_int_equal(rp_count_ppp(r, PPP_LCP, 5), 0);   /* no Terminate-Request */
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 0);
}

/* IPCP: 0.0.0.0 plus DNS and WINS. */
static void windows_ipcp(struct rp *r, bool wins_configured)
{
	static const uint8_t all[] = { 3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 130, 6, 0, 0, 0, 0,
				       131, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0 };
	static const uint8_t no_wins[] = { 3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0 };
	size_t len;
	const uint8_t *p;

	rp_cp(r, PPP_IPCP, 1, 1, all, sizeof(all));
	if (!wins_configured) {
		/* WINS not configured: rejected (a Reject goes out alone) */
		static const uint8_t rej[] = { 130, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0 };
		p = rp_expect_ppp(r, PPP_IPCP, 4, &len);
		assert_int_equal(len, 4 + sizeof(rej));
		assert_memory_equal(p + 4, rej, sizeof(rej));
		rp_cp(r, PPP_IPCP, 1, 2, no_wins, sizeof(no_wins));
		static const uint8_t nak[] = { 3, 6, 10, 0, 0, 2, 129, 6, 10, 0, 0, 1, 131, 6, 8, 8, 8, 8 };
		p = rp_expect_ppp(r, PPP_IPCP, 3, &len);
		assert_int_equal(len, 4 + sizeof(nak));
		assert_memory_equal(p + 4, nak, sizeof(nak));
		rp_cp(r, PPP_IPCP, 1, 3, nak, sizeof(nak));
	} else {
		static const uint8_t nak[] = { 3, 6, 10, 0, 0, 2, 129, 6, 10, 0, 0, 1, 130, 6, 10, 0, 0, 5,
					       131, 6, 8, 8, 8, 8, 132, 6, 10, 0, 0, 6 };
		p = rp_expect_ppp(r, PPP_IPCP, 3, &len);
		assert_int_equal(len, 4 + sizeof(nak));
		assert_memory_equal(p + 4, nak, sizeof(nak));
		rp_cp(r, PPP_IPCP, 1, 3, nak, sizeof(nak));
	}
	p = rp_expect_ppp(r, PPP_IPCP, 2, &len);
	assert_int_equal(p[1], 3);
	rp_ack_their_request(r, PPP_IPCP);
}

static void windows_client_reaches_open_session(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_MSCHAPV2);
	uint8_t resp[64], auth_chal[16];
	char expect[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	size_t resp_len, len;

	r->cfg.ppp.debug = true;
	rp_start(r);
	rp_discover(r);
	windows_lcp(r);
	uint8_t id = windows_mschapv2(r, "alice", "wonderland", resp, &resp_len, auth_chal);
	windows_other_ncps(r);   /* Windows starts them while authenticating */

	/* Success carries S=<authenticator response> (RFC 2759 §5) */
	const uint8_t *s = rp_expect_ppp(r, PPP_CHAP, 3, &len);
	assert_int_equal(s[1], id);
	assert_int_equal(uppp_mschapv2_authenticator_response((const uint8_t *)"wonderland", 10, resp + 29,
							      peer_challenge, auth_chal, (const uint8_t *)"alice", 5,
							      expect), 0);
	assert_true(len >= 4 + 42);
	assert_memory_equal(s + 4, expect, 42);
	/* Windows may resend its Response after Success: Success again, same id */
	rp_ppp(r, PPP_CHAP, resp, resp_len);
	s = rp_expect_ppp(r, PPP_CHAP, 3, &len);
	assert_int_equal(s[1], id);
	assert_memory_equal(s + 4, expect, 42);

	windows_ipcp(r, false);
	assert_int_equal(r->ups, 1);
	assert_int_equal(r->link.peer_ip, 0x0a000002);
	assert_int_equal(r->link.local_ip, 0x0a000001);
	assert_int_equal(r->link.dns[0], 0x0a000001);
	assert_int_equal(r->link.dns[1], 0x08080808);
	assert_string_equal(r->link.peer_name, "alice");

	/* still up a while later, answering echoes; IPv6CP again is rejected again */
	static const uint8_t magic[] = { 0x1a, 0x2b, 0x3c, 0x4d };
	rp_cp(r, PPP_LCP, 9, 0x40, magic, sizeof(magic));
	rp_expect_ppp(r, PPP_LCP, 10, &len);
	rp_cp(r, PPP_IPV6CP, 1, 7, (const uint8_t *)"\x01\x0a\x02\x11\x22\xff\xfe\x33\x44\x55", 10);
	rp_expect_ppp(r, PPP_LCP, 8, &len);
	for (int i = 0; i < 6; i++) {
		rp_run(r, 5000);
		rp_cp(r, PPP_LCP, 9, (uint8_t)(0x41 + i), magic, sizeof(magic));
	}
	assert_int_equal(r->downs, 0);
	assert_int_equal(uppp_ac_session_count(r->ac), 1);
	assert_int_equal(rp_count_ppp(r, PPP_LCP, 5), 0);
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 0);

	/* `debug`: every control packet decoded, in both directions */
	assert_non_null(rp_log_find(r, "rcvd [PADI sess=0x0000 <service-name \"\"> <host-uniq 0x0a0b0c0d>]"));
	assert_non_null(rp_log_find(r, "sent [PADO sess=0x0000 <service-name \"\"> <ac-name \"uppp-test\"> <host-uniq 0x0a0b0c0d> <ac-cookie 0x"));
	assert_non_null(rp_log_find(r, "rcvd [LCP ConfReq id=0x1 <mru 1492> <magic 0x1a2b3c4d> <callback CBCP> <mrru 1614> "
				       "<endpoint class 1 112233445566778899aabbccddeeff0001020304> <link-discriminator 0x0001>]"));
	assert_non_null(rp_log_find(r, "sent [LCP ConfRej id=0x1 <callback CBCP> <mrru 1614> <endpoint class 1 "));
	assert_non_null(rp_log_find(r, "rcvd [LCP Ident id=0x3 magic=0x1a2b3c4d \"MSRASV5.20\"]"));
	assert_non_null(rp_log_find(r, "rcvd [CHAP Response id="));
	assert_non_null(rp_log_find(r, "ms-chapv2 peer-challenge=<21402324255e262a28295f2b3a337c7e> nt-response=<hidden> "
				       "flags=0x00 name=\"alice\"]"));
	assert_non_null(rp_log_find(r, "sent [LCP ProtRej id="));
	assert_non_null(rp_log_find(r, "protocol=0x80fd (CCP) len=10]"));
	assert_non_null(rp_log_find(r, "rcvd [IPCP ConfReq id=0x1 <addr 0.0.0.0> <ms-dns1 0.0.0.0> <ms-wins1 0.0.0.0> "
				       "<ms-dns2 0.0.0.0> <ms-wins2 0.0.0.0>]"));
	assert_non_null(rp_log_find(r, "sent [IPCP ConfNak id=0x2 <addr 10.0.0.2> <ms-dns1 10.0.0.1> <ms-dns2 8.8.8.8>]"));
	assert_non_null(rp_log_find(r, "sent [LCP EchoRep id=0x40 magic="));
	assert_null(rp_log_find(r, "wonderland"));
	/* the sender's MAC and session on each line */
	char sess[128];
	snprintf(sess, sizeof(sess), "sess=%u mac=52:54:00:12:34:56 rcvd [CCP ConfReq id=0x5 len=10]", r->sid);
	assert_non_null(rp_log_find(r, sess));
	rp_free(r);
}

static void windows_client_gets_wins_when_configured(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_MSCHAPV2);
	uint8_t resp[64], auth_chal[16];
	size_t resp_len, len;

	r->cfg.ppp.wins[0] = 0x0a000005;
	r->cfg.ppp.wins[1] = 0x0a000006;
	rp_start(r);
	rp_discover(r);
	windows_lcp(r);
	windows_mschapv2(r, "alice", "wonderland", resp, &resp_len, auth_chal);
	rp_expect_ppp(r, PPP_CHAP, 3, &len);
	windows_ipcp(r, true);
	assert_int_equal(r->ups, 1);
	assert_int_equal(r->link.dns[0], 0x0a000001);
	/* without debug, no decoded packets in the log */
	assert_null(rp_log_find(r, "rcvd ["));
	assert_null(rp_log_find(r, "sent ["));
	rp_free(r);
}

/* A wrong MS-CHAPv2 password: Failure E=691, and the session ends as
 * auth-bad-secret once the client gives up. */
static void windows_client_wrong_password(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_MSCHAPV2);
	uint8_t resp[64], auth_chal[16];
	size_t resp_len, len;

	rp_start(r);
	rp_discover(r);
	windows_lcp(r);
	windows_mschapv2(r, "alice", "looking-glass", resp, &resp_len, auth_chal);
	const uint8_t *f = rp_expect_ppp(r, PPP_CHAP, 4, &len);
	assert_true(len > 4 + 6);
	assert_memory_equal(f + 4, "E=691 ", 6);
	rp_cp(r, PPP_LCP, 5, 9, (const uint8_t *)"", 0);   /* Windows hangs up showing 691 */
	rp_run(r, 35000);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_AUTH_BAD_SECRET);
	assert_int_equal(r->ups, 0);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(windows_client_reaches_open_session),
		cmocka_unit_test(windows_client_gets_wins_when_configured),
		cmocka_unit_test(windows_client_wrong_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
