/* test/unit/test_auth_build_switch.c — MS-CHAPv2 (CHAP algorithm 0x81) is
 * negotiated exactly when the library was built with it (UPPP_HAVE_MSCHAPV2,
 * -DUPPP_WITH_MSCHAPV2): a build without it never accepts it from a server,
 * never offers it in a client's Nak, and as a server never asks for it, even
 * when the configuration's bits name it. Runs in every build (CMake marker:
 * UPPP_TEST_ANY_BUILD), each asserting what its build must do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ppp.h"
#include "core/ppp_defs.h"

#define ALGO_MS_V2 0x81   /* RFC 2759 §2 */
#define ALL_BITS 0xfu     /* every protocol bit the configuration could set */

struct cap {
	uint8_t last[64];     /* the last LCP packet we sent */
	size_t last_len;
	uint8_t last_req[64]; /* our last Configure-Request */
	size_t last_req_len;
};

static void cap_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct cap *c = ctx;
	if (protocol != PPP_LCP || len < 4 || len > sizeof(c->last))
		return;
	memcpy(c->last, info, len);
	c->last_len = len;
	if (info[0] == 1) {
		memcpy(c->last_req, info, len);
		c->last_req_len = len;
	}
}

static int cap_random(void *ctx, void *buf, size_t len)
{
	static uint8_t x = 7;
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = x++;
	return 0;
}

static const struct uppp_ppp_ops ops = { .send = cap_send, .random = cap_random };

/* The Authentication-Protocol option (type 3) of an LCP packet's options, or NULL. */
static const uint8_t *auth_opt(const uint8_t *pkt, size_t len)
{
	for (size_t i = 4; i + 2 <= len;) {
		if (pkt[i + 1] < 2 || i + pkt[i + 1] > len)
			return NULL;
		if (pkt[i] == 3)
			return pkt + i;
		i += pkt[i + 1];
	}
	return NULL;
}

/* The peer sends an LCP packet (code, id) whose only option is
 * Authentication-Protocol CHAP with algorithm algo. */
static void peer_sends_chap_opt(struct uppp_ppp *p, uint8_t code, uint8_t id, uint8_t algo)
{
	uint8_t pkt[] = { PPP_LCP >> 8, PPP_LCP & 0xff, code, id, 0, 9, 3, 5, PPP_CHAP >> 8, PPP_CHAP & 0xff, algo };
	uppp_ppp_input(p, pkt, sizeof(pkt), 10);
}

static void client_setup(struct uppp_ppp *p, struct uppp_ppp_config *cfg, struct cap *c, unsigned accept)
{
	memset(c, 0, sizeof(*c));
	uppp_ppp_config_defaults(cfg);
	cfg->name = "user";
	cfg->password = "secret";
	cfg->client_accept = accept;
	uppp_ppp_init(p, cfg, &ops, c);
	uppp_ppp_open(p, 0);
}

/* A server asks for MS-CHAPv2: the client acks it when built with it, else
 * Naks towards CHAP-MD5 (RFC 1661 §6.2) — with and without the user's bits. */
static void test_client_answer_to_ms_v2(void **state)
{
	const unsigned accepts[] = { 0, ALL_BITS };
	(void)state;
	for (size_t i = 0; i < sizeof(accepts) / sizeof(accepts[0]); i++) {
		struct uppp_ppp p;
		struct uppp_ppp_config cfg;
		struct cap c;
		client_setup(&p, &cfg, &c, accepts[i]);
		peer_sends_chap_opt(&p, 1, 42, ALGO_MS_V2);
		assert_int_equal(c.last[1], 42);
		const uint8_t *o = auth_opt(c.last, c.last_len);
		if (UPPP_HAVE_MSCHAPV2) {
			assert_int_equal(c.last[0], 2);   /* Configure-Ack */
			assert_non_null(o);
			assert_int_equal(o[4], ALGO_MS_V2);
		} else {
			assert_int_equal(c.last[0], 3);   /* Configure-Nak */
			assert_non_null(o);
			assert_int_equal(o[1], 5);
			assert_int_equal(o[4], 5);        /* CHAP-MD5, not 0x81 */
		}
	}
}

/* A server whose configuration accepts every protocol, asked to use CHAP
 * 0x81 by the client's Nak, asks for it only when built with it. */
static void test_server_never_asks_ms_v2_without_it(void **state)
{
	struct uppp_ppp p;
	struct uppp_ppp_config cfg;
	struct cap c;
	(void)state;
	memset(&c, 0, sizeof(c));
	uppp_ppp_config_defaults(&cfg);
	cfg.is_server = true;
	cfg.name = "srv";
	cfg.auth = UPPP_AUTH_CHAP_MD5;
	cfg.auth_also = ALL_BITS;
	uppp_ppp_init(&p, &cfg, &ops, &c);
	uppp_ppp_open(&p, 0);
	const uint8_t *o = auth_opt(c.last_req, c.last_req_len);
	assert_non_null(o);
	assert_int_equal(o[4], 5);                        /* CHAP-MD5 first, as configured */
	peer_sends_chap_opt(&p, 3, c.last_req[1], ALGO_MS_V2);
	o = auth_opt(c.last_req, c.last_req_len);
	assert_non_null(o);
	if (UPPP_HAVE_MSCHAPV2) {
		assert_int_equal(o[1], 5);
		assert_int_equal(o[4], ALGO_MS_V2);
	} else {
		/* not a protocol we know: the next accepted one, PAP */
		assert_int_equal(o[1], 4);
		assert_int_equal(o[2] << 8 | o[3], PPP_PAP);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_answer_to_ms_v2),
		cmocka_unit_test(test_server_never_asks_ms_v2_without_it),
	};
	printf("# built %s MS-CHAPv2\n", UPPP_HAVE_MSCHAPV2 ? "with" : "without");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
