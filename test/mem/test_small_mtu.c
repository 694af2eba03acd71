/* test_small_mtu.c — PPPoE on an Ethernet whose MTU is below 1500 (VXLAN,
 * some bridges): the engine is told the largest PPP packet the link carries
 * (interface MTU - 8) and neither asks for nor sends more, whatever MRU the
 * peer announces. An AC in memory with a scripted raw peer. */
#include "mem/raw_peer.h"

#include "core/ppp_defs.h"

#define LINK_MAX 1392   /* an Ethernet MTU of 1400 */

/* The MRU option of the AC's next Configure-Request (0: none). */
static uint16_t their_requested_mru(struct rp *r, uint8_t *id)
{
	size_t len;
	const uint8_t *req = rp_expect_ppp(r, PPP_LCP, 1, &len);
	*id = req[1];
	for (size_t i = 4; i + 2 <= len && req[i + 1] >= 2; i += req[i + 1])
		if (req[i] == 1 && req[i + 1] == 4)
			return uppp_get_be16(req + i + 2);
	return 0;
}

/* Reads the MRU of the AC's next Configure-Request and acks the request. */
static uint16_t ack_their_request_mru(struct rp *r)
{
	uint8_t id;
	size_t len;
	uint16_t mru = their_requested_mru(r, &id);
	/* their_requested_mru took it: ack it by echoing the same options */
	struct uppp_pppoe_frame f;
	for (size_t i = r->n_out; i-- > 0;) {
		if (uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f) || f.ethertype != ETH_P_PPPOE_SESS ||
		    uppp_get_be16(f.payload) != PPP_LCP || f.payload[2] != 1 || f.payload[3] != id)
			continue;
		len = uppp_get_be16(f.payload + 4);
		rp_cp(r, PPP_LCP, 2, id, f.payload + 6, len - 4u);
		return mru;
	}
	fail_msg("lost the AC's request");
	return 0;
}

static struct rp *start(uint16_t link_max)
{
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->cfg.ppp.link_max = link_max;
	rp_start(r);
	rp_discover(r);
	return r;
}

/* The peer asks MRU mru; returns the code of the AC's answer. */
static uint8_t peer_asks_mru(struct rp *r, uint16_t mru)
{
	uint8_t opts[] = { 1, 4, 0, 0, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d };
	uppp_put_be16(opts + 2, mru);
	rp_cp(r, PPP_LCP, 1, ++r->lcp_id, opts, sizeof(opts));
	for (uint8_t code = 2; code <= 4; code++) {
		size_t len;
		if (rp_find_ppp(r, PPP_LCP, code, &len))
			return code;
	}
	fail_msg("no answer to the peer's Configure-Request");
	return 0;
}

static void asks_and_sends_at_most_the_link(void **state)
{
	(void)state;
	struct rp *r = start(LINK_MAX);
	/* we ask for what the link carries, not 1492 */
	assert_int_equal(ack_their_request_mru(r), LINK_MAX);
	/* a peer that can receive 1492 is told nothing it must change (RFC
	 * 1661 §6.1: its MRU says what it can receive); we send less */
	assert_int_equal(peer_asks_mru(r, 1492), 2);
	rp_ipcp_open(r);
	assert_int_equal(r->ups, 1);
	assert_int_equal(r->link.mtu, LINK_MAX);   /* the session interface MTU */
	assert_int_equal(r->link.mru, LINK_MAX);

	/* a packet of the link's size goes out; one byte more is refused */
	uint8_t ip[1500] = { 0x45 };
	assert_int_equal(uppp_ac_send_ip(r->ac, r->sess, ip, LINK_MAX, r->now), 0);
	assert_int_equal(uppp_ac_send_ip(r->ac, r->sess, ip, LINK_MAX + 1, r->now), -EMSGSIZE);
	rp_free(r);
}

static void smaller_peer_mru_still_wins(void **state)
{
	(void)state;
	struct rp *r = start(LINK_MAX);
	assert_int_equal(peer_asks_mru(r, 1300), 2);
	rp_ack_their_request(r, PPP_LCP);
	rp_ipcp_open(r);
	assert_int_equal(r->link.mtu, 1300);
	assert_int_equal(r->link.mru, LINK_MAX);
	rp_free(r);
}

/* The peer Naks our MRU with a larger one: we do not go past the link. */
static void nak_cannot_raise_our_mru_past_the_link(void **state)
{
	(void)state;
	struct rp *r = start(LINK_MAX);
	uint8_t id, nak[] = { 1, 4, 0x05, 0xd4 };   /* MRU 1492 */
	assert_int_equal(their_requested_mru(r, &id), LINK_MAX);
	rp_cp(r, PPP_LCP, 3, id, nak, sizeof(nak));
	assert_int_equal(their_requested_mru(r, &id), LINK_MAX);
	rp_free(r);
}

/* No link_max (or one above 1492): RFC 2516's 1492 as before. */
static void default_is_pppoe_1492(void **state)
{
	(void)state;
	struct rp *r = start(0);
	uint8_t id;
	assert_int_equal(ack_their_request_mru(r), 1492);
	assert_int_equal(peer_asks_mru(r, 1492), 2);
	rp_ipcp_open(r);
	assert_int_equal(r->link.mtu, 1492);
	rp_free(r);
	r = start(9000 - 8);
	assert_int_equal(their_requested_mru(r, &id), 1492);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(asks_and_sends_at_most_the_link),
		cmocka_unit_test(smaller_peer_mru_still_wins),
		cmocka_unit_test(nak_cannot_raise_our_mru_past_the_link),
		cmocka_unit_test(default_is_pppoe_1492),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
