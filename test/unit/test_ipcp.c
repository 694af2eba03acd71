/* test_ipcp.c — IPCP option verdicts (RFC 1332, RFC 1877) on both sides,
 * Nak values, and answers to our own request. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ipcp.h"
#include "core/ppp_defs.h"

#include "cp_judge.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void t_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	(void)ctx; (void)info; (void)len;
	assert_int_equal(protocol, PPP_IPCP);
}

static const struct uppp_ppp_ops t_ops = { .send = t_send };

static struct uppp_ipcp c;
static struct uppp_fsm_env env;
static struct uppp_ppp_config t_cfg;

static struct uppp_fsm_env *t_env(void)
{
	uppp_fsm_env_init(&env, NULL, &t_ops, NULL);
	env.cfg = &t_cfg;
	return &env;
}

static void server(uint32_t dns1, uint32_t dns2)
{
	const uint32_t dns[2] = { dns1, dns2 };
	memset(&t_cfg, 0, sizeof(t_cfg));
	t_cfg.local_ip = IP(10, 0, 0, 1);
	t_cfg.dns[0] = dns[0];
	t_cfg.dns[1] = dns[1];
	uppp_ipcp_init(&c, true, t_env());
	c.peer_assigned = IP(10, 0, 0, 7);
	c.fsm.cb->reset(&c.fsm);
}

static void client(void)
{
	memset(&t_cfg, 0, sizeof(t_cfg));
	uppp_ipcp_init(&c, false, t_env());
	c.fsm.cb->reset(&c.fsm);
}

static enum uppp_cp_verdict judge(const uint8_t *opts, size_t len, bool may_nak)
{
	return cp_judge(&c.fsm, opts, len, may_nak);
}

static void test_server_address(void **state)
{
	(void)state;
	server(IP(114, 114, 114, 114), 0);
	/* Windows and pppd ask 0.0.0.0: Nak with the assigned address */
	JUDGE(UPPP_CP_NAK, 3, 6, 0, 0, 0, 0);
	REPLY_IS(3, 6, 10, 0, 0, 7);
	/* a wrong address: same */
	JUDGE(UPPP_CP_NAK, 3, 6, 192, 168, 1, 5);
	REPLY_IS(3, 6, 10, 0, 0, 7);
	/* the assigned one: Ack */
	JUDGE(UPPP_CP_ACK, 3, 6, 10, 0, 0, 7);
	assert_int_equal(uppp_ipcp_peer_ip(&c), IP(10, 0, 0, 7));
	/* wrong lengths */
	JUDGE(UPPP_CP_REJ, 3, 5, 10, 0, 0);
	REPLY_IS(3, 5, 10, 0, 0);
	JUDGE(UPPP_CP_REJ, 3, 7, 10, 0, 0, 7, 0);
	JUDGE(UPPP_CP_REJ, 3, 2);
	/* no address to give: reject rather than Nak nonsense */
	c.peer_assigned = 0;
	JUDGE(UPPP_CP_REJ, 3, 6, 0, 0, 0, 0);
}

static void test_server_dns(void **state)
{
	(void)state;
	server(IP(114, 114, 114, 114), 0);
	/* RFC 1877: asked 0.0.0.0, Nak with the configured server */
	JUDGE(UPPP_CP_NAK, 3, 6, 10, 0, 0, 7, 129, 6, 0, 0, 0, 0);
	REPLY_IS(129, 6, 114, 114, 114, 114);
	JUDGE(UPPP_CP_ACK, 3, 6, 10, 0, 0, 7, 129, 6, 114, 114, 114, 114);
	/* secondary not configured: rejected (and the Reject wins) */
	JUDGE(UPPP_CP_REJ, 3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0);
	REPLY_IS(131, 6, 0, 0, 0, 0);
	/* both configured */
	server(IP(1, 1, 1, 1), IP(8, 8, 8, 8));
	JUDGE(UPPP_CP_NAK, 3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0);
	REPLY_IS(3, 6, 10, 0, 0, 7, 129, 6, 1, 1, 1, 1, 131, 6, 8, 8, 8, 8);
	/* DNS of the wrong length */
	JUDGE(UPPP_CP_REJ, 129, 5, 0, 0, 0);
	/* none configured at all */
	server(0, 0);
	JUDGE(UPPP_CP_REJ, 3, 6, 10, 0, 0, 7, 129, 6, 0, 0, 0, 0);
	REPLY_IS(129, 6, 0, 0, 0, 0);
}

static void test_server_rejects(void **state)
{
	(void)state;
	server(IP(114, 114, 114, 114), 0);
	/* VJ compression, IP-Addresses, NBNS (WINS), unknown */
	JUDGE(UPPP_CP_REJ, 3, 6, 10, 0, 0, 7, 2, 6, 0, 0x2d, 0x0f, 0x01);
	REPLY_IS(2, 6, 0, 0x2d, 0x0f, 0x01);
	JUDGE(UPPP_CP_REJ, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0);
	JUDGE(UPPP_CP_REJ, 130, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0);
	REPLY_IS(130, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0);
	JUDGE(UPPP_CP_REJ, 200, 2);
	/* malformed option lengths drop the packet */
	JUDGE(UPPP_CP_DROP, 3, 0, 0, 0, 0, 0);
	JUDGE(UPPP_CP_DROP, 3, 1, 0, 0, 0, 0);
	JUDGE(UPPP_CP_DROP, 3, 7, 0, 0, 0, 0);
	JUDGE(UPPP_CP_DROP, 3, 6, 10, 0, 0, 7, 129);
	/* Naks spent: reject */
	const uint8_t o[] = { 3, 6, 0, 0, 0, 0 };
	assert_int_equal(judge(o, sizeof(o), false), UPPP_CP_REJ);
	assert_memory_equal(reply, o, sizeof(o));
}

static void test_server_suggests_address_once(void **state)
{
	(void)state;
	server(0, 0);
	/* a peer that does not ask an address is told one, once */
	assert_int_equal(judge(NULL, 0, true), UPPP_CP_NAK);
	REPLY_IS(3, 6, 10, 0, 0, 7);
	assert_int_equal(judge(NULL, 0, true), UPPP_CP_ACK);
}

static void test_server_request(void **state)
{
	uint8_t buf[64];
	(void)state;
	server(IP(114, 114, 114, 114), 0);
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));
	assert_int_equal(c.fsm.cb->build_request(&c.fsm, &w), 0);
	const uint8_t want[] = { 3, 6, 10, 0, 0, 1 };
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(c.fsm.cb->handle_ack(&c.fsm, want, sizeof(want)), 0);
	/* a client may not move the server's address */
	const uint8_t nak[] = { 3, 6, 10, 9, 9, 9 };
	assert_int_equal(c.fsm.cb->handle_nak(&c.fsm, nak, sizeof(nak), false), 0);
	assert_int_equal(c.want_addr, IP(10, 0, 0, 1));
	assert_int_equal(uppp_ipcp_local_ip(&c), IP(10, 0, 0, 1));
	assert_int_equal(uppp_ipcp_dns(&c, 0), IP(114, 114, 114, 114));
	assert_int_equal(uppp_ipcp_dns(&c, 1), 0);
	assert_int_equal(uppp_ipcp_dns(&c, 2), 0);
}

static void test_client(void **state)
{
	uint8_t buf[64];
	(void)state;
	client();
	/* asks 0.0.0.0 for itself and both DNS */
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));
	assert_int_equal(c.fsm.cb->build_request(&c.fsm, &w), 0);
	const uint8_t want[] = { 3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0 };
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));

	/* the server rejects secondary DNS and Naks the rest */
	const uint8_t rej[] = { 131, 6, 0, 0, 0, 0 };
	assert_int_equal(c.fsm.cb->handle_reject(&c.fsm, rej, sizeof(rej)), 0);
	const uint8_t nak[] = { 3, 6, 10, 0, 0, 7, 129, 6, 114, 114, 114, 114 };
	assert_int_equal(c.fsm.cb->handle_nak(&c.fsm, nak, sizeof(nak), false), 0);
	w = uppp_writer(buf, sizeof(buf));
	c.fsm.cb->build_request(&c.fsm, &w);
	assert_int_equal(w.len, sizeof(nak));
	assert_memory_equal(buf, nak, sizeof(nak));
	/* the Ack must match, then the values are ours */
	assert_int_equal(c.fsm.cb->handle_ack(&c.fsm, want, sizeof(want)), -EINVAL);
	assert_int_equal(uppp_ipcp_local_ip(&c), 0);
	assert_int_equal(c.fsm.cb->handle_ack(&c.fsm, nak, sizeof(nak)), 0);
	assert_int_equal(uppp_ipcp_local_ip(&c), IP(10, 0, 0, 7));
	assert_int_equal(uppp_ipcp_dns(&c, 0), IP(114, 114, 114, 114));
	assert_int_equal(uppp_ipcp_dns(&c, 1), 0);

	/* the server's own address is accepted */
	JUDGE(UPPP_CP_ACK, 3, 6, 10, 0, 0, 1);
	assert_int_equal(uppp_ipcp_peer_ip(&c), IP(10, 0, 0, 1));
	/* a server asking us for an address, or offering DNS to us: rejected */
	JUDGE(UPPP_CP_REJ, 3, 6, 0, 0, 0, 0);
	JUDGE(UPPP_CP_REJ, 3, 6, 10, 0, 0, 1, 129, 6, 1, 2, 3, 4, 2, 6, 0, 0x2d, 0x0f, 1);
	REPLY_IS(129, 6, 1, 2, 3, 4, 2, 6, 0, 0x2d, 0x0f, 1);
	JUDGE(UPPP_CP_DROP, 3, 6, 10, 0, 0);

	/* a Nak or Reject that is malformed or names what we did not ask */
	const uint8_t bad[] = { 3, 1 };
	assert_int_equal(c.fsm.cb->handle_nak(&c.fsm, bad, sizeof(bad), false), -EINVAL);
	assert_int_equal(c.fsm.cb->handle_reject(&c.fsm, rej, sizeof(rej)), -EINVAL);

	/* the server refusing to give us an address: cannot go on */
	client();
	const uint8_t rej_addr[] = { 3, 6, 0, 0, 0, 0 };
	assert_int_equal(c.fsm.cb->handle_reject(&c.fsm, rej_addr, sizeof(rej_addr)), -EPROTO);
	assert_int_equal(c.fail_cause, UPPP_CAUSE_IPCP_FAILED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_address),
		cmocka_unit_test(test_server_dns),
		cmocka_unit_test(test_server_rejects),
		cmocka_unit_test(test_server_suggests_address_once),
		cmocka_unit_test(test_server_request),
		cmocka_unit_test(test_client),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
