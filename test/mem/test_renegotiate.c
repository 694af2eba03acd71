/* test_renegotiate.c — a peer renegotiates LCP while the session is up
 * (RFC 1661 §4.3: a Configure-Request in Opened takes the link back through
 * LCP, authentication and IPCP). The host hears up() again with the new link,
 * and a peer that now authenticates as someone else does not keep the first
 * user's address. An AC in memory, a scripted raw peer, the virtual clock. */
#include "mem/raw_peer.h"

#include "core/ppp_defs.h"

/* What the fake host knows beyond struct rp: the addresses it has handed
 * out (fixed ones for alice and bob, as a secrets file's address column
 * would give; a pool for anyone else) and the name of the last up(). */
static struct {
	uint32_t held[8];
	unsigned n_held;
	unsigned assigns;
	char up_name[64];
	uint32_t up_peer_ip;
	uint16_t up_mtu;
	bool async;           /* assign_address answers later (-EINPROGRESS) */
	uint32_t serial;      /* ... the serial it was given */
	char asked_for[64];   /* ... and for whom */
} host;

static int rn_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	static const struct ac_secret secrets[] = {
		{ "alice", "wonderland" },
		{ "bob", "builder" },
		{ "carol", "singer" },
	};
	(void)ctx;
	return ac_secret_lookup(secrets, sizeof(secrets) / sizeof(secrets[0]), peer, secret, cap, len);
}

static int rn_assign(void *ctx, struct uppp_ac_session *s, const char *peer, uint32_t serial, uint32_t *ip)
{
	struct rp *r = ctx;
	(void)s;
	host.assigns++;
	if (host.async) {
		host.serial = serial;
		snprintf(host.asked_for, sizeof(host.asked_for), "%s", peer);
		return -EINPROGRESS;
	}
	if (strcmp(peer, "alice") == 0)
		*ip = 0x0a000032;   /* 10.0.0.50 */
	else if (strcmp(peer, "bob") == 0)
		*ip = 0x0a00003c;   /* 10.0.0.60 */
	else
		*ip = r->next_ip++;
	for (unsigned i = 0; i < host.n_held; i++)
		if (host.held[i] == *ip)
			return -EADDRINUSE;  /* a double lease would be a bug */
	assert_true(host.n_held < 8);
	host.held[host.n_held++] = *ip;
	r->leased++;
	return 0;
}

static void rn_release(void *ctx, struct uppp_ac_session *s, uint32_t ip)
{
	struct rp *r = ctx;
	(void)s;
	for (unsigned i = 0; i < host.n_held; i++)
		if (host.held[i] == ip) {
			host.held[i] = host.held[--host.n_held];
			r->released++;
			return;
		}
	fail_msg("released %08x, which was not leased", ip);
}

static int rn_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link)
{
	snprintf(host.up_name, sizeof(host.up_name), "%s", link->peer_name ? link->peer_name : "");
	host.up_peer_ip = link->peer_ip;
	host.up_mtu = link->mtu;
	return rp_up(ctx, s, link);
}

static struct uppp_ac_ops rn_ops;

static struct rp *rn_start(void)
{
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	memset(&host, 0, sizeof(host));
	rn_ops = rp_ops;
	rn_ops.get_secret = rn_get_secret;
	rn_ops.assign_address = rn_assign;
	rn_ops.release_address = rn_release;
	rn_ops.session_up = rn_up;
	r->ac = uppp_ac_new(&r->cfg, &rn_ops, r);
	assert_non_null(r->ac);
	rp_discover(r);
	return r;
}

/* PAP as user; the AC acks. */
static void rn_auth(struct rp *r, const char *user, const char *password)
{
	size_t len;
	rp_pap(r, user, password);
	rp_expect_ppp(r, PPP_PAP, 2, &len);
}

/* IPCP as Windows and pppd do it: ask 0.0.0.0, take the Nak's address,
 * ask again, and ack the AC's own request. Returns the address. */
static uint32_t rn_ipcp(struct rp *r, uint8_t id)
{
	uint8_t ask[] = { 3, 6, 0, 0, 0, 0 };
	size_t len;
	rp_cp(r, PPP_IPCP, 1, id, ask, sizeof(ask));
	const uint8_t *nak = rp_expect_ppp(r, PPP_IPCP, 3, &len);
	assert_true(len >= 10 && nak[4] == 3 && nak[5] == 6);
	uint32_t ip = uppp_get_be32(nak + 6);
	memcpy(ask + 2, nak + 6, 4);
	rp_cp(r, PPP_IPCP, 1, (uint8_t)(id + 1), ask, sizeof(ask));
	rp_expect_ppp(r, PPP_IPCP, 2, &len);
	rp_ack_their_request(r, PPP_IPCP);
	return ip;
}

/* The peer sends a new LCP Configure-Request while everything is Opened
 * (MRU mru this time); the AC acks it and asks again, the peer acks. */
static void rn_renegotiate_lcp(struct rp *r, uint16_t mru)
{
	uint8_t opts[] = { 1, 4, 0, 0, 5, 6, 0x5e, 0x6f, 0x70, 0x81 };
	size_t len;
	uppp_put_be16(opts + 2, mru);
	rp_cp(r, PPP_LCP, 1, ++r->lcp_id, opts, sizeof(opts));
	const uint8_t *ack = rp_expect_ppp(r, PPP_LCP, 2, &len);
	assert_int_equal(ack[1], r->lcp_id);
	rp_ack_their_request(r, PPP_LCP);
}

static void up_again_after_lcp_renegotiation(void **state)
{
	(void)state;
	struct rp *r = rn_start();
	rp_lcp_open(r);
	rn_auth(r, "carol", "singer");
	uint32_t first = rn_ipcp(r, 1);
	assert_int_equal(r->ups, 1);
	assert_int_equal(host.up_mtu, 1492);

	rn_renegotiate_lcp(r, 1400);
	assert_int_equal(r->downs, 0);   /* the session goes on: no down() */
	rn_auth(r, "carol", "singer");
	uint32_t second = rn_ipcp(r, 3);

	/* up() again, with the link as it is now */
	assert_int_equal(r->ups, 2);
	assert_int_equal(r->downs, 0);
	assert_int_equal(host.up_mtu, 1400);
	assert_string_equal(host.up_name, "carol");
	/* the same user keeps the same address, leased once */
	assert_int_equal(second, first);
	assert_int_equal(host.up_peer_ip, first);
	assert_int_equal(r->leased, 1);
	assert_int_equal(r->released, 0);
	assert_int_equal(uppp_ac_counters(r->ac)->sessions_up, 1);   /* one session, up once */
	assert_int_equal(uppp_ac_negotiating_count(r->ac), 0);
	rp_free(r);
}

static void other_user_after_renegotiation_gets_own_address(void **state)
{
	(void)state;
	struct rp *r = rn_start();
	rp_lcp_open(r);
	rn_auth(r, "alice", "wonderland");
	assert_int_equal(rn_ipcp(r, 1), 0x0a000032);
	assert_string_equal(host.up_name, "alice");

	rn_renegotiate_lcp(r, 1492);
	rn_auth(r, "bob", "builder");
	/* bob's own (fixed) address, not alice's lease */
	assert_int_equal(rn_ipcp(r, 3), 0x0a00003c);
	assert_int_equal(r->ups, 2);
	assert_string_equal(host.up_name, "bob");
	assert_int_equal(host.up_peer_ip, 0x0a00003c);
	/* alice's address went back; only bob's is held */
	assert_int_equal(r->released, 1);
	assert_int_equal(host.n_held, 1);
	assert_int_equal(host.held[0], 0x0a00003c);

	/* and bob's goes back when the session ends */
	rp_free(r);
	assert_int_equal(host.n_held, 0);
}

static void pool_user_to_fixed_user_and_back(void **state)
{
	(void)state;
	struct rp *r = rn_start();
	rp_lcp_open(r);
	rn_auth(r, "carol", "singer");
	uint32_t pool = rn_ipcp(r, 1);
	assert_int_equal(pool, 0x0a000002);

	rn_renegotiate_lcp(r, 1492);
	rn_auth(r, "alice", "wonderland");
	assert_int_equal(rn_ipcp(r, 3), 0x0a000032);
	assert_int_equal(host.n_held, 1);

	rn_renegotiate_lcp(r, 1492);
	rn_auth(r, "carol", "singer");
	assert_int_equal(rn_ipcp(r, 5), 0x0a000003);
	assert_int_equal(r->ups, 3);
	assert_int_equal(host.n_held, 1);
	assert_int_equal(r->released, 2);
	rp_free(r);
	assert_int_equal(host.n_held, 0);
}

/* A slow IPAM: the address asked for alice comes only after the peer
 * renegotiated LCP and authenticated as bob, whose own question is then
 * pending. The late answer names alice's question: refused (-EALREADY), not
 * taken, not released; bob's answer brings IPCP up with bob's address. */
static void late_address_never_answers_a_newer_question(void **state)
{
	(void)state;
	struct rp *r = rn_start();
	uint32_t alices;

	host.async = true;
	rp_lcp_open(r);
	rn_auth(r, "alice", "wonderland");
	assert_string_equal(host.asked_for, "alice");
	alices = host.serial;

	rn_renegotiate_lcp(r, 1492);
	rn_auth(r, "bob", "builder");
	assert_string_equal(host.asked_for, "bob");
	assert_int_not_equal(host.serial, alices);

	/* alice's fixed address, late: not bob's */
	assert_int_equal(uppp_ac_session_address(r->ac, r->sid, alices, 0, 0x0a000032, r->now), -EALREADY);
	assert_int_equal(r->ups, 0);
	assert_int_equal(r->released, 0);

	host.held[host.n_held++] = 0x0a00003c;   /* bob's, now handed over */
	assert_int_equal(uppp_ac_session_address(r->ac, r->sid, host.serial, 0, 0x0a00003c, r->now), 0);
	assert_int_equal(rn_ipcp(r, 3), 0x0a00003c);
	assert_int_equal(r->ups, 1);
	assert_string_equal(host.up_name, "bob");
	assert_int_equal(host.up_peer_ip, 0x0a00003c);
	rp_free(r);
	assert_int_equal(host.n_held, 0);   /* bob's came back at the end */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(up_again_after_lcp_renegotiation),
		cmocka_unit_test(other_user_after_renegotiation_gets_own_address),
		cmocka_unit_test(pool_user_to_fixed_user_and_back),
		cmocka_unit_test(late_address_never_answers_a_newer_question),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
