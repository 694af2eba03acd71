/* test/unit/test_lcp_auth_fallback.c — a server with several accepted
 * authentication protocols (pppd's require-pap + require-chap) asks the
 * strongest and moves to the one the client Naks for, if accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ppp.h"
#include "core/ppp_defs.h"

struct cap {
	uint8_t last_req[64];
	size_t last_len;
	unsigned reqs;
	enum uppp_cause down;
	bool down_called;
};

static void cap_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct cap *c = ctx;
	if (protocol == PPP_LCP && len >= 4 && info[0] == 1 && len <= sizeof(c->last_req)) {
		memcpy(c->last_req, info, len);
		c->last_len = len;
		c->reqs++;
	}
}

static int cap_random(void *ctx, void *buf, size_t len)
{
	static uint8_t x = 1;
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = x++;
	return 0;
}

static void cap_down(void *ctx, enum uppp_cause cause)
{
	struct cap *c = ctx;
	c->down = cause;
	c->down_called = true;
}

static const struct uppp_ppp_ops ops = { .send = cap_send, .random = cap_random, .down = cap_down };

/* The Authentication-Protocol option of our last Configure-Request: its
 * protocol number (0 = none). */
static uint16_t asked_auth(const struct cap *c)
{
	for (size_t i = 4; i + 2 <= c->last_len;) {
		uint8_t t = c->last_req[i], l = c->last_req[i + 1];
		if (l < 2 || i + l > c->last_len)
			break;
		if (t == 3 && l >= 4)
			return (uint16_t)(c->last_req[i + 2] << 8 | c->last_req[i + 3]);
		i += l;
	}
	return 0;
}

/* The CHAP algorithm byte of that option (0 = none). */
static uint8_t asked_algo(const struct cap *c)
{
	for (size_t i = 4; i + 2 <= c->last_len;) {
		uint8_t t = c->last_req[i], l = c->last_req[i + 1];
		if (l < 2 || i + l > c->last_len)
			break;
		if (t == 3 && l == 5)
			return c->last_req[i + 4];
		i += l;
	}
	return 0;
}

/* The peer Naks our last request, suggesting auth (PAP: 2 bytes; CHAP: + algorithm). */
static void nak_auth(struct uppp_ppp *p, const struct cap *c, uint16_t proto, uint8_t algo)
{
	uint8_t pkt[16];
	size_t n = 0;
	pkt[n++] = PPP_LCP >> 8;
	pkt[n++] = PPP_LCP & 0xff;
	pkt[n++] = 3;                   /* Configure-Nak */
	pkt[n++] = c->last_req[1];      /* its Identifier */
	size_t len_at = n;
	n += 2;
	pkt[n++] = 3;
	pkt[n++] = proto == PPP_PAP ? 4 : 5;
	pkt[n++] = (uint8_t)(proto >> 8);
	pkt[n++] = (uint8_t)proto;
	if (proto != PPP_PAP)
		pkt[n++] = algo;
	pkt[len_at] = 0;
	pkt[len_at + 1] = (uint8_t)(n - 2);
	uppp_ppp_input(p, pkt, n, 10);
}

static void setup(struct uppp_ppp *p, struct uppp_ppp_config *cfg, struct cap *c, enum uppp_auth_method auth,
		  unsigned also)
{
	memset(c, 0, sizeof(*c));
	uppp_ppp_config_defaults(cfg);
	cfg->is_server = true;
	cfg->name = "srv";
	cfg->auth = auth;
	cfg->auth_also = also;
	uppp_ppp_init(p, cfg, &ops, c);
	uppp_ppp_open(p, 0);
}

static void test_chap_then_pap(void **state)
{
	struct uppp_ppp p;
	struct uppp_ppp_config cfg;
	struct cap c;
	(void)state;
	setup(&p, &cfg, &c, UPPP_AUTH_CHAP_MD5, 1u << UPPP_AUTH_PAP);
	assert_int_equal(asked_auth(&c), PPP_CHAP);
	nak_auth(&p, &c, PPP_PAP, 0);
	assert_int_equal(c.reqs, 2);
	assert_int_equal(asked_auth(&c), PPP_PAP);
	assert_false(c.down_called);
}

static void test_not_accepted_fails(void **state)
{
	struct uppp_ppp p;
	struct uppp_ppp_config cfg;
	struct cap c;
	(void)state;
	/* CHAP only: a Nak towards PAP ends negotiation (wrong protocol) */
	setup(&p, &cfg, &c, UPPP_AUTH_CHAP_MD5, 0);
	nak_auth(&p, &c, PPP_PAP, 0);
	assert_int_not_equal(asked_auth(&c), PPP_PAP);
}

static void test_unknown_suggestion_tries_next_then_gives_up(void **state)
{
	struct uppp_ppp p;
	struct uppp_ppp_config cfg;
	struct cap c;
	(void)state;
	/* MS-CHAPv2 + CHAP + PAP accepted; the peer keeps suggesting EAP (0xc227) */
	setup(&p, &cfg, &c, UPPP_AUTH_MSCHAPV2, 1u << UPPP_AUTH_PAP | 1u << UPPP_AUTH_CHAP_MD5);
	assert_int_equal(asked_auth(&c), PPP_CHAP);
	assert_int_equal(asked_algo(&c), 0x81);
	nak_auth(&p, &c, 0xc227, 0);
	assert_int_equal(asked_auth(&c), PPP_CHAP);
	assert_int_equal(asked_algo(&c), 5);               /* CHAP-MD5 next */
	nak_auth(&p, &c, 0xc227, 0);
	assert_int_equal(asked_auth(&c), PPP_PAP);         /* then PAP */
	unsigned before = c.reqs;
	nak_auth(&p, &c, 0xc227, 0);
	assert_int_equal(c.reqs, before);                  /* nothing left: no new request with PAP again */
	/* and the suggested one is taken directly when accepted */
	setup(&p, &cfg, &c, UPPP_AUTH_MSCHAPV2, 1u << UPPP_AUTH_PAP | 1u << UPPP_AUTH_CHAP_MD5);
	nak_auth(&p, &c, PPP_PAP, 0);
	assert_int_equal(asked_auth(&c), PPP_PAP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chap_then_pap),
		cmocka_unit_test(test_not_accepted_fails),
		cmocka_unit_test(test_unknown_suggestion_tries_next_then_gives_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
