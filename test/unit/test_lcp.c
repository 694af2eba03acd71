/* test_lcp.c — LCP option verdicts, Nak values, answers to our request, and
 * the extra codes (Echo, Discard, Identification, Protocol-Reject). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/lcp.h"
#include "core/ppp_defs.h"

#include "cp_judge.h"

static uint8_t sent[8][1600];
static size_t sent_len[8];
static int n_sent;
static uint32_t rnd_next;
static int notices[8];
static uint32_t notice_arg;

static void t_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	(void)ctx;
	assert_int_equal(protocol, PPP_LCP);
	if (n_sent < 8) {
		memcpy(sent[n_sent], info, len);
		sent_len[n_sent] = len;
	}
	n_sent++;
}

static int t_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	assert_int_equal(len, 4);
	memcpy(buf, &rnd_next, 4);
	rnd_next += 0x01010101u;
	return 0;
}

static const struct uppp_ppp_ops t_ops = { .send = t_send, .random = t_random };

static void t_notify(struct uppp_fsm *f, enum uppp_fsm_notice n, uint32_t arg)
{
	(void)f;
	notices[n]++;
	notice_arg = arg;
}

static const struct uppp_fsm_hooks t_hooks = { .notify = t_notify };

static struct uppp_lcp l;
static struct uppp_fsm_env env;

static void fresh(bool server, enum uppp_auth_method auth)
{
	rnd_next = 0x11223344u;
	n_sent = 0;
	memset(notices, 0, sizeof(notices));
	uppp_fsm_env_init(&env, &t_hooks, &t_ops, NULL);
	uppp_lcp_init(&l, server, 1492, auth, &env);
	l.fsm.cb->reset(&l.fsm);
}

static enum uppp_cp_verdict judge(const uint8_t *opts, size_t len, bool may_nak)
{
	return cp_judge(&l.fsm, opts, len, may_nak);
}

static void test_mru(void **state)
{
	(void)state;
	fresh(true, UPPP_AUTH_NONE);
	JUDGE(UPPP_CP_ACK, 1, 4, 0x05, 0xd4);           /* 1492 */
	assert_true(l.his_mru_set);
	assert_int_equal(uppp_lcp_peer_mru(&l), 1492);
	JUDGE(UPPP_CP_ACK, 1, 4, 0x05, 0x78);           /* 1400 */
	assert_int_equal(uppp_lcp_peer_mru(&l), 1400);
	/* RFC 2516 §7: more than 1492 is Nak'd down to 1492 */
	JUDGE(UPPP_CP_NAK, 1, 4, 0x05, 0xdc);           /* 1500 */
	REPLY_IS(1, 4, 0x05, 0xd4);
	JUDGE(UPPP_CP_NAK, 1, 4, 0xff, 0xff);
	REPLY_IS(1, 4, 0x05, 0xd4);
	/* absurdly small is Nak'd up */
	JUDGE(UPPP_CP_NAK, 1, 4, 0x00, 0x10);
	REPLY_IS(1, 4, 0x00, 128);
	/* wrong lengths: 3 and 5 are rejected as received */
	JUDGE(UPPP_CP_REJ, 1, 3, 0x05);
	REPLY_IS(1, 3, 0x05);
	JUDGE(UPPP_CP_REJ, 1, 5, 0x05, 0xd4, 0x00);
	REPLY_IS(1, 5, 0x05, 0xd4, 0x00);
	/* not negotiated: 1500 default, capped to 1492 on PPPoE */
	JUDGE(UPPP_CP_ACK, 5, 6, 1, 2, 3, 4);
	assert_false(l.his_mru_set);
	assert_int_equal(uppp_lcp_peer_mru(&l), 1492);
}

static void test_broken_option_lengths_drop(void **state)
{
	(void)state;
	fresh(true, UPPP_AUTH_NONE);
	JUDGE(UPPP_CP_DROP, 1, 0, 0x05, 0xd4);          /* length 0 */
	JUDGE(UPPP_CP_DROP, 1, 1, 0x05, 0xd4);          /* length 1 */
	JUDGE(UPPP_CP_DROP, 1, 6, 0x05, 0xd4);          /* past the end */
	JUDGE(UPPP_CP_DROP, 1, 4, 0x05, 0xd4, 5);       /* trailing half option */
	JUDGE(UPPP_CP_DROP, 5, 6, 1, 2, 3, 4, 99, 0);   /* good, then length 0 */
	JUDGE(UPPP_CP_DROP, 2, 1);
	/* an empty request is fine: everything default */
	assert_int_equal(judge(NULL, 0, true), UPPP_CP_ACK);
}

static void test_magic(void **state)
{
	(void)state;
	fresh(true, UPPP_AUTH_NONE);
	assert_int_not_equal(l.magic, 0);
	JUDGE(UPPP_CP_ACK, 5, 6, 0xde, 0xad, 0xbe, 0xef);
	assert_int_equal(l.his_magic, 0xdeadbeef);
	JUDGE(UPPP_CP_REJ, 5, 5, 0xde, 0xad, 0xbe);
	REPLY_IS(5, 5, 0xde, 0xad, 0xbe);
	JUDGE(UPPP_CP_REJ, 5, 7, 0xde, 0xad, 0xbe, 0xef, 0);
	/* zero is not a magic number */
	JUDGE(UPPP_CP_NAK, 5, 6, 0, 0, 0, 0);
	assert_int_equal(reply_len, 6);
	assert_int_not_equal(uppp_get_be32(reply + 2), 0);
	/* our own magic: looped back? Nak with a different one */
	uint8_t o[6] = { 5, 6 };
	uppp_put_be32(o + 2, l.magic);
	assert_int_equal(judge(o, sizeof(o), true), UPPP_CP_NAK);
	assert_int_equal(reply_len, 6);
	assert_int_equal(reply[0], 5);
	assert_int_not_equal(uppp_get_be32(reply + 2), l.magic);
	assert_int_not_equal(uppp_get_be32(reply + 2), 0);
	assert_int_equal(l.loopbacks, 1);
	/* after max-failure, the Nak becomes a Reject */
	assert_int_equal(judge(o, sizeof(o), false), UPPP_CP_REJ);
	assert_memory_equal(reply, o, sizeof(o));
}

static void test_rejected_options(void **state)
{
	static const uint8_t types[] = { LCP_OPT_ACCM, LCP_OPT_QUALITY, LCP_OPT_PFC, LCP_OPT_ACFC,
					 LCP_OPT_CALLBACK, LCP_OPT_MRRU, LCP_OPT_SSNHF, LCP_OPT_EPDISC,
					 23, 99, 255, 0 };
	(void)state;
	for (int server = 0; server < 2; server++) {
		fresh(server, UPPP_AUTH_NONE);
		for (size_t i = 0; i < sizeof(types); i++) {
			uint8_t o[6] = { types[i], 6, 0, 0, 0, 0 };
			assert_int_equal(judge(o, sizeof(o), true), UPPP_CP_REJ);
			assert_int_equal(reply_len, 6);
			assert_memory_equal(reply, o, 6);
			/* zero-data forms (PFC/ACFC are length 2) */
			uint8_t s[2] = { types[i], 2 };
			assert_int_equal(judge(s, sizeof(s), true), UPPP_CP_REJ);
			assert_int_equal(reply_len, 2);
		}
	}
	/* a Reject wins over a Nak: only the rejected options go back */
	fresh(true, UPPP_AUTH_NONE);
	JUDGE(UPPP_CP_REJ, 1, 4, 0x05, 0xdc, 2, 6, 0, 0, 0, 0, 5, 6, 1, 2, 3, 4, 8, 2);
	REPLY_IS(2, 6, 0, 0, 0, 0, 8, 2);
	/* several Naks together */
	JUDGE(UPPP_CP_NAK, 1, 4, 0x05, 0xdc, 5, 6, 0, 0, 0, 0);
	assert_int_equal(reply_len, 10);
	assert_int_equal(reply[0], 1);
	assert_int_equal(reply[4], 5);
}

/* A Windows client's first Configure-Request: MRU, magic, Callback (CBCP),
 * MRRU, Endpoint-Discriminator, Link-Discriminator (facts.md). Only the
 * four Windows extras come back rejected, in order and byte for byte; its
 * next request without them is acked. */
static void test_windows_conf_req(void **state)
{
	(void)state;
	fresh(true, UPPP_AUTH_MSCHAPV2);
	JUDGE(UPPP_CP_REJ, 1, 4, 0x05, 0xd4, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d, 13, 3, 6, 17, 4, 0x06, 0x4e,
	      19, 23, 1, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	      0x00, 0x01, 0x02, 0x03, 0x04, 23, 4, 0, 1);
	REPLY_IS(13, 3, 6, 17, 4, 0x06, 0x4e, 19, 23, 1, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
		 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 23, 4, 0, 1);
	/* short-sequence-number header format alone, too */
	JUDGE(UPPP_CP_REJ, 1, 4, 0x05, 0xd4, 18, 2);
	REPLY_IS(18, 2);
	JUDGE(UPPP_CP_ACK, 1, 4, 0x05, 0xd4, 5, 6, 0x1a, 0x2b, 0x3c, 0x4d);
	assert_int_equal(l.his_magic, 0x1a2b3c4d);
	assert_int_equal(uppp_lcp_peer_mru(&l), 1492);
}

static void test_auth_client(void **state)
{
	(void)state;
	fresh(false, UPPP_AUTH_NONE);
	JUDGE(UPPP_CP_ACK, 3, 4, 0xc0, 0x23);
	assert_int_equal(l.his_auth, UPPP_AUTH_PAP);
	JUDGE(UPPP_CP_ACK, 3, 5, 0xc2, 0x23, 5);
	assert_int_equal(l.his_auth, UPPP_AUTH_CHAP_MD5);
	/* MS-CHAPv2 (CHAP algorithm 0x81) is accepted */
	JUDGE(UPPP_CP_ACK, 3, 5, 0xc2, 0x23, 0x81);
	assert_int_equal(l.his_auth, UPPP_AUTH_MSCHAPV2);
	assert_int_equal(uppp_lcp_auth(&l), UPPP_AUTH_MSCHAPV2);
	/* MS-CHAPv1 and an unknown algorithm: Nak proposing CHAP-MD5, then PAP,
	 * then MS-CHAPv2 */
	JUDGE(UPPP_CP_NAK, 3, 5, 0xc2, 0x23, 0x80);
	REPLY_IS(3, 5, 0xc2, 0x23, 5);
	JUDGE(UPPP_CP_NAK, 3, 5, 0xc2, 0x23, 0x82);
	REPLY_IS(3, 4, 0xc0, 0x23);
	/* EAP */
	JUDGE(UPPP_CP_NAK, 3, 4, 0xc2, 0x27);
	REPLY_IS(3, 5, 0xc2, 0x23, 0x81);
	/* all offered: the last one is offered again */
	JUDGE(UPPP_CP_NAK, 3, 4, 0xc2, 0x27);
	REPLY_IS(3, 5, 0xc2, 0x23, 0x81);
	/* PAP with extra bytes is not PAP */
	JUDGE(UPPP_CP_NAK, 3, 5, 0xc0, 0x23, 0);
	/* too short to name a protocol */
	JUDGE(UPPP_CP_REJ, 3, 3, 0xc0);
	JUDGE(UPPP_CP_REJ, 3, 2);
	/* Naks spent: reject */
	uint8_t o[] = { 3, 5, 0xc2, 0x23, 0x80 };
	assert_int_equal(judge(o, sizeof(o), false), UPPP_CP_REJ);
	assert_memory_equal(reply, o, sizeof(o));
	/* the client asks no authentication of the server */
	fresh(false, UPPP_AUTH_NONE);
	uint8_t buf[64];
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));
	assert_int_equal(l.fsm.cb->build_request(&l.fsm, &w), 0);
	assert_int_equal(w.len, 4 + 6);
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[4], 5);
}

/* A client told to use only some protocols (uppp client --auth) Naks the
 * others with what it accepts, and rejects the option when it accepts none
 * the peer could name. */
static void test_auth_client_restricted(void **state)
{
	(void)state;
	fresh(false, UPPP_AUTH_NONE);
	l.cfg_client_accept = 1u << UPPP_AUTH_PAP;
	JUDGE(UPPP_CP_ACK, 3, 4, 0xc0, 0x23);
	assert_int_equal(l.his_auth, UPPP_AUTH_PAP);
	/* CHAP-MD5 and MS-CHAPv2 refused: Nak proposing PAP, every time */
	JUDGE(UPPP_CP_NAK, 3, 5, 0xc2, 0x23, 5);
	REPLY_IS(3, 4, 0xc0, 0x23);
	assert_int_equal(l.his_auth, UPPP_AUTH_NONE);
	JUDGE(UPPP_CP_NAK, 3, 5, 0xc2, 0x23, 0x81);
	REPLY_IS(3, 4, 0xc0, 0x23);

	fresh(false, UPPP_AUTH_NONE);
	l.cfg_client_accept = 1u << UPPP_AUTH_MSCHAPV2 | 1u << UPPP_AUTH_CHAP_MD5;
	JUDGE(UPPP_CP_NAK, 3, 4, 0xc0, 0x23);          /* PAP refused */
	REPLY_IS(3, 5, 0xc2, 0x23, 5);                  /* CHAP-MD5 first */
	JUDGE(UPPP_CP_NAK, 3, 4, 0xc0, 0x23);
	REPLY_IS(3, 5, 0xc2, 0x23, 0x81);               /* then MS-CHAPv2 */
	JUDGE(UPPP_CP_ACK, 3, 5, 0xc2, 0x23, 0x81);
	assert_int_equal(l.his_auth, UPPP_AUTH_MSCHAPV2);
}

static void test_auth_server(void **state)
{
	uint8_t buf[64];
	(void)state;
	/* the server asks CHAP-MD5, between MRU and magic */
	fresh(true, UPPP_AUTH_CHAP_MD5);
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));
	assert_int_equal(l.fsm.cb->build_request(&l.fsm, &w), 0);
	const uint8_t want[] = { 1, 4, 0x05, 0xd4, 3, 5, 0xc2, 0x23, 5, 5, 6 };
	assert_int_equal(w.len, sizeof(want) + 4);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(uppp_get_be32(buf + 11), l.magic);

	/* MS-CHAPv2: CHAP with algorithm 0x81 */
	fresh(true, UPPP_AUTH_MSCHAPV2);
	w = uppp_writer(buf, sizeof(buf));
	assert_int_equal(l.fsm.cb->build_request(&l.fsm, &w), 0);
	const uint8_t want_ms[] = { 1, 4, 0x05, 0xd4, 3, 5, 0xc2, 0x23, 0x81, 5, 6 };
	assert_memory_equal(buf, want_ms, sizeof(want_ms));
	/* a client Naking MS-CHAPv2 with CHAP-MD5 cannot converge */
	const uint8_t nak_md5[] = { 3, 5, 0xc2, 0x23, 5 };
	assert_int_equal(l.fsm.cb->handle_nak(&l.fsm, nak_md5, sizeof(nak_md5), false), -EPROTO);
	assert_int_equal(l.fail_cause, UPPP_CAUSE_AUTH_WRONG_PROTOCOL);

	/* PAP */
	fresh(true, UPPP_AUTH_PAP);
	w = uppp_writer(buf, sizeof(buf));
	assert_int_equal(l.fsm.cb->build_request(&l.fsm, &w), 0);
	assert_int_equal(buf[4], 3);
	assert_int_equal(buf[5], 4);
	assert_int_equal(uppp_get_be16(buf + 6), PPP_PAP);

	/* a client asking us to authenticate ourselves is rejected */
	JUDGE(UPPP_CP_REJ, 3, 4, 0xc0, 0x23);
	REPLY_IS(3, 4, 0xc0, 0x23);

	/* Nak of our auth with something else: cannot converge */
	fresh(true, UPPP_AUTH_CHAP_MD5);
	const uint8_t nak_pap[] = { 3, 4, 0xc0, 0x23 };
	assert_int_equal(l.fsm.cb->handle_nak(&l.fsm, nak_pap, sizeof(nak_pap), false), -EPROTO);
	assert_int_equal(l.fail_cause, UPPP_CAUSE_AUTH_WRONG_PROTOCOL);
	/* Reject of our auth: same */
	fresh(true, UPPP_AUTH_CHAP_MD5);
	const uint8_t rej_auth[] = { 3, 5, 0xc2, 0x23, 5 };
	assert_int_equal(l.fsm.cb->handle_reject(&l.fsm, rej_auth, sizeof(rej_auth)), -EPROTO);
	assert_int_equal(l.fail_cause, UPPP_CAUSE_AUTH_WRONG_PROTOCOL);
}

static void test_answers_to_our_request(void **state)
{
	uint8_t buf[64];
	(void)state;
	fresh(true, UPPP_AUTH_PAP);
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));
	l.fsm.cb->build_request(&l.fsm, &w);

	/* an Ack must repeat our request exactly */
	buf[3] ^= 1;
	assert_int_equal(l.fsm.cb->handle_ack(&l.fsm, buf, w.len), -EINVAL);
	buf[3] ^= 1;
	assert_int_equal(l.fsm.cb->handle_ack(&l.fsm, buf, w.len - 1), -EINVAL);
	assert_int_equal(l.fsm.cb->handle_ack(&l.fsm, buf, w.len), 0);
	assert_true(l.got_mru && l.got_magic && l.got_auth);
	assert_int_equal(uppp_lcp_auth(&l), UPPP_AUTH_PAP);
	assert_int_equal(uppp_lcp_our_mru(&l), 1492);

	/* Nak of MRU 1400: we ask 1400 next; more than we can take is ignored */
	fresh(true, UPPP_AUTH_NONE);
	const uint8_t nak_mru[] = { 1, 4, 0x05, 0x78 };
	assert_int_equal(l.fsm.cb->handle_nak(&l.fsm, nak_mru, sizeof(nak_mru), false), 0);
	assert_int_equal(l.want_mru, 1400);
	const uint8_t nak_big[] = { 1, 4, 0x05, 0xdc };
	assert_int_equal(l.fsm.cb->handle_nak(&l.fsm, nak_big, sizeof(nak_big), false), 0);
	assert_int_equal(l.want_mru, 1400);
	/* Nak of magic: a new random number, not theirs */
	uint32_t old = l.magic;
	const uint8_t nak_magic[] = { 5, 6, 1, 2, 3, 4 };
	assert_int_equal(l.fsm.cb->handle_nak(&l.fsm, nak_magic, sizeof(nak_magic), false), 0);
	assert_int_not_equal(l.magic, old);
	assert_int_not_equal(l.magic, 0x01020304);
	/* malformed Nak */
	const uint8_t nak_bad[] = { 1, 1, 0 };
	assert_int_equal(l.fsm.cb->handle_nak(&l.fsm, nak_bad, sizeof(nak_bad), false), -EINVAL);

	/* Reject of MRU and magic: we stop asking */
	const uint8_t rej[] = { 1, 4, 0x05, 0x78, 5, 6, 0, 0, 0, 1 };
	assert_int_equal(l.fsm.cb->handle_reject(&l.fsm, rej, sizeof(rej)), 0);
	assert_false(l.ask_mru);
	assert_false(l.ask_magic);
	w = uppp_writer(buf, sizeof(buf));
	l.fsm.cb->build_request(&l.fsm, &w);
	assert_int_equal(w.len, 0);
	/* a Reject of something we did not ask is invalid */
	fresh(true, UPPP_AUTH_NONE);
	const uint8_t rej_accm[] = { 2, 6, 0, 0, 0, 0 };
	assert_int_equal(l.fsm.cb->handle_reject(&l.fsm, rej_accm, sizeof(rej_accm)), -EINVAL);
	assert_true(l.ask_mru);
}

/* Puts l in Opened through real packets: our request acked, theirs acked. */
static void open_link(bool server, uint16_t peer_mru)
{
	uint8_t pkt[64];

	fresh(server, UPPP_AUTH_NONE);
	uppp_fsm_open(&l.fsm, 0);
	uppp_fsm_up(&l.fsm, 0);
	assert_int_equal(n_sent, 1);
	/* ack exactly what we sent */
	memcpy(pkt, sent[0], sent_len[0]);
	pkt[0] = CP_CONF_ACK;
	assert_int_equal(uppp_fsm_input(&l.fsm, pkt, sent_len[0], 0), 0);
	const uint8_t req[] = { CP_CONF_REQ, 1, 0, 14, 1, 4, (uint8_t)(peer_mru >> 8), (uint8_t)peer_mru,
				5, 6, 0xca, 0xfe, 0xba, 0xbe };
	assert_int_equal(uppp_fsm_input(&l.fsm, req, sizeof(req), 0), 0);
	assert_int_equal(l.fsm.state, UPPP_FSM_OPENED);
	assert_int_equal(notices[UPPP_FSM_LAYER_UP], 1);
	n_sent = 0;
}

static void test_echo(void **state)
{
	uint8_t pkt[1600];
	(void)state;
	open_link(true, 1400);

	/* Echo-Request answered with our magic and the peer's data */
	const uint8_t req[] = { LCP_ECHO_REQ, 7, 0, 11, 0xca, 0xfe, 0xba, 0xbe, 'a', 'b', 'c' };
	assert_int_equal(uppp_fsm_input(&l.fsm, req, sizeof(req), 1), 0);
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent_len[0], 11);
	assert_int_equal(sent[0][0], LCP_ECHO_REP);
	assert_int_equal(sent[0][1], 7);
	assert_int_equal(uppp_get_be32(sent[0] + 4), l.magic);
	assert_memory_equal(sent[0] + 8, "abc", 3);

	/* a big one is truncated to the peer's MRU */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = LCP_ECHO_REQ;
	pkt[1] = 8;
	uppp_put_be16(pkt + 2, 1492);
	uppp_put_be32(pkt + 4, 0xcafebabe);
	n_sent = 0;
	assert_int_equal(uppp_fsm_input(&l.fsm, pkt, 1492, 1), 0);
	assert_int_equal(sent_len[0], 1400);
	assert_int_equal(uppp_get_be16(sent[0] + 2), 1400);

	/* too short for a magic number: dropped, no reply */
	n_sent = 0;
	const uint8_t short_req[] = { LCP_ECHO_REQ, 9, 0, 6, 1, 2 };
	uppp_fsm_input(&l.fsm, short_req, sizeof(short_req), 1);
	assert_int_equal(n_sent, 0);

	/* our own magic coming back: looped back, no reply */
	uint8_t loop[8] = { LCP_ECHO_REQ, 10, 0, 8 };
	uppp_put_be32(loop + 4, l.magic);
	uppp_fsm_input(&l.fsm, loop, sizeof(loop), 1);
	assert_int_equal(n_sent, 0);
	assert_int_equal(l.loopbacks, 1);

	/* Echo-Reply counted; Discard-Request, Identification, Time-Remaining
	 * taken silently */
	const uint8_t rep[] = { LCP_ECHO_REP, 1, 0, 8, 0xca, 0xfe, 0xba, 0xbe };
	assert_int_equal(uppp_fsm_input(&l.fsm, rep, sizeof(rep), 1), 0);
	assert_int_equal(l.echo_replies, 1);
	const uint8_t disc[] = { LCP_DISC_REQ, 1, 0, 8, 0xca, 0xfe, 0xba, 0xbe };
	const uint8_t ident[] = { LCP_IDENT, 2, 0, 13, 0xca, 0xfe, 0xba, 0xbe, 'M', 'S', 'R', 'A', 'S' };
	const uint8_t trem[] = { LCP_TIME_REM, 3, 0, 12, 0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 60 };
	assert_int_equal(uppp_fsm_input(&l.fsm, disc, sizeof(disc), 1), 0);
	assert_int_equal(uppp_fsm_input(&l.fsm, ident, sizeof(ident), 1), 0);
	assert_int_equal(uppp_fsm_input(&l.fsm, trem, sizeof(trem), 1), 0);
	assert_int_equal(n_sent, 0);
	assert_int_equal(l.fsm.state, UPPP_FSM_OPENED);

	/* unknown code: Code-Reject */
	const uint8_t odd[] = { 0x40, 4, 0, 4 };
	assert_int_equal(uppp_fsm_input(&l.fsm, odd, sizeof(odd), 1), 0);
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent[0][0], CP_CODE_REJ);
	assert_memory_equal(sent[0] + 4, odd, 4);

	/* Echo before Opened is ignored */
	fresh(true, UPPP_AUTH_NONE);
	uppp_fsm_open(&l.fsm, 0);
	uppp_fsm_up(&l.fsm, 0);
	n_sent = 0;
	assert_int_equal(uppp_fsm_input(&l.fsm, req, sizeof(req), 1), 0);
	assert_int_equal(n_sent, 0);
}

static void test_protocol_reject(void **state)
{
	(void)state;
	open_link(true, 1492);
	const uint8_t rej_ipcp[] = { LCP_PROTO_REJ, 1, 0, 8, 0x80, 0x21, 1, 2 };
	assert_int_equal(uppp_fsm_input(&l.fsm, rej_ipcp, sizeof(rej_ipcp), 1), 0);
	assert_int_equal(notices[UPPP_FSM_PROTOCOL_REJECT], 1);
	assert_int_equal(notice_arg, PPP_IPCP);
	assert_int_equal(l.fsm.state, UPPP_FSM_OPENED);
	/* too short to name a protocol: dropped */
	const uint8_t short_rej[] = { LCP_PROTO_REJ, 2, 0, 5, 0x80 };
	assert_int_equal(uppp_fsm_input(&l.fsm, short_rej, sizeof(short_rej), 1), -EBADMSG);
	assert_int_equal(notices[UPPP_FSM_PROTOCOL_REJECT], 1);
	/* LCP itself rejected: the layer goes (RXJ-) */
	const uint8_t rej_lcp[] = { LCP_PROTO_REJ, 3, 0, 6, 0xc0, 0x21 };
	assert_int_equal(uppp_fsm_input(&l.fsm, rej_lcp, sizeof(rej_lcp), 1), 0);
	assert_int_equal(l.fsm.state, UPPP_FSM_STOPPING);
	assert_int_equal(notices[UPPP_FSM_LAYER_DOWN], 1);

	/* sending one: protocol then the rejected information, within the MRU */
	open_link(true, 200);
	uint8_t big[400];
	memset(big, 0x5a, sizeof(big));
	uppp_lcp_send_protocol_reject(&l, PPP_IPV6CP, big, sizeof(big));
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent[0][0], LCP_PROTO_REJ);
	assert_int_equal(sent_len[0], 200);
	assert_int_equal(uppp_get_be16(sent[0] + 4), PPP_IPV6CP);
	assert_int_equal(sent[0][6], 0x5a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mru),
		cmocka_unit_test(test_broken_option_lengths_drop),
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_rejected_options),
		cmocka_unit_test(test_windows_conf_req),
		cmocka_unit_test(test_auth_client),
		cmocka_unit_test(test_auth_client_restricted),
		cmocka_unit_test(test_auth_server),
		cmocka_unit_test(test_answers_to_our_request),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_protocol_reject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
