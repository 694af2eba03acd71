/* test_fsm.c — RFC 1661 §4.1 state × event table, driven through packets
 * and the administrative calls, observed through callbacks and sent packets. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "proto/fsm.h"
#include "core/ppp_defs.h"

#define TEST_PROTO 0x8021

static char actions[256];
static uint8_t sent[16][1600];
static size_t sent_len[16];
static int n_sent;
static int resets;
static bool may_nak_seen;
static bool fail_build;

static void add_action(const char *a)
{
	if (actions[0])
		strcat(actions, ",");
	strcat(actions, a);
}

static void t_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	(void)ctx;
	assert_int_equal(protocol, TEST_PROTO);
	assert_true(len >= 4);
	assert_int_equal(uppp_get_be16(info + 2), len);
	if (n_sent < 16) {
		memcpy(sent[n_sent], info, len);
		sent_len[n_sent] = len;
		n_sent++;
	}
	switch (info[0]) {
	case CP_CONF_REQ: add_action("scr"); break;
	case CP_CONF_ACK: add_action("sca"); break;
	case CP_CONF_NAK:
	case CP_CONF_REJ: add_action("scn"); break;
	case CP_TERM_REQ: add_action("str"); break;
	case CP_TERM_ACK: add_action("sta"); break;
	case CP_CODE_REJ: add_action("scj"); break;
	case LCP_ECHO_REP: add_action("ser"); break;
	default: add_action("???"); break;
	}
}

static const struct uppp_ppp_ops t_ops = { .send = t_send };

static void t_reset(struct uppp_fsm *f) { (void)f; resets++; }

static int t_build(struct uppp_fsm *f, struct uppp_writer *w)
{
	(void)f;
	if (fail_build)
		return -EINVAL;
	uppp_wr_u8(w, 1);
	uppp_wr_u8(w, 3);
	uppp_wr_u8(w, 0xaa);
	return 0;
}

/* Option 1 acceptable, 2 wants a Nak, 3 a Reject; anything malformed drops. */
static enum uppp_cp_verdict t_request(struct uppp_fsm *f, const uint8_t *opts, size_t len,
				      struct uppp_writer *reply, bool may_nak)
{
	struct uppp_reader r = uppp_reader(opts, len);
	uint8_t type;
	const uint8_t *d;
	size_t dl;
	int rc;
	enum uppp_cp_verdict v = UPPP_CP_ACK;

	(void)f;
	may_nak_seen = may_nak;
	while ((rc = uppp_cp_next_option(&r, &type, &d, &dl)) == 1) {
		if (type == 2 && may_nak) {
			uppp_wr_u8(reply, 2);
			uppp_wr_u8(reply, 3);
			uppp_wr_u8(reply, 0xbb);
			v = UPPP_CP_NAK;
		} else if (type != 1) {
			uppp_wr_u8(reply, type);
			uppp_wr_u8(reply, (uint8_t)(dl + 2));
			uppp_wr_bytes(reply, d, dl);
			v = UPPP_CP_REJ;
		}
	}
	return rc < 0 ? UPPP_CP_DROP : v;
}

static int t_answer(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	(void)f; (void)opts; (void)len;
	return 0;
}

static void t_rxr(struct uppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	if (code == LCP_ECHO_REQ)
		uppp_fsm_send(f, LCP_ECHO_REP, id, data, len);
}

static int t_nak(struct uppp_fsm *f, const uint8_t *opts, size_t len, bool treat_as_reject)
{
	(void)treat_as_reject;
	return t_answer(f, opts, len);
}

static const struct uppp_fsm_callbacks t_cb = {
	.name = "test",
	.protocol = TEST_PROTO,
	.reset = t_reset,
	.build_request = t_build,
	.handle_request = t_request,
	.handle_ack = t_answer,
	.handle_nak = t_nak,
	.handle_reject = t_answer,
	.rxr_codes = 1u << LCP_ECHO_REQ,
	.handle_rxr = t_rxr,
};

static void t_notify(struct uppp_fsm *f, enum uppp_fsm_notice n, uint32_t arg)
{
	(void)f; (void)arg;
	switch (n) {
	case UPPP_FSM_LAYER_UP: add_action("tlu"); break;
	case UPPP_FSM_LAYER_DOWN: add_action("tld"); break;
	case UPPP_FSM_LAYER_STARTED: add_action("tls"); break;
	case UPPP_FSM_LAYER_FINISHED: add_action("tlf"); break;
	default: add_action("???"); break;
	}
}

static const struct uppp_fsm_hooks t_hooks = { .notify = t_notify };

static void clear(void)
{
	actions[0] = 0;
	n_sent = 0;
	fail_build = false;
}

static struct uppp_fsm_env env;
static struct uppp_ppp_config t_cfg;

static void fresh(struct uppp_fsm *f)
{
	uppp_fsm_env_init(&env, &t_hooks, &t_ops, NULL);
	uppp_fsm_init(f, &t_cb, &env);
	t_cfg.max_configure = 10;
	t_cfg.max_terminate = 2;
	t_cfg.max_failure = 5;
	t_cfg.restart_ms = 1000;
	env.cfg = &t_cfg;
	resets = 0;
	clear();
}

static int feed(struct uppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t dlen, uint64_t now)
{
	uint8_t pkt[256];
	pkt[0] = code;
	pkt[1] = id;
	uppp_put_be16(pkt + 2, (uint16_t)(dlen + 4));
	if (dlen)
		memcpy(pkt + 4, data, dlen);
	return uppp_fsm_input(f, pkt, dlen + 4, now);
}

/* RFC 1661 §4.1, written out again independently of proto/fsm.c. Each cell:
 * "next:actions", or "-" when the event cannot occur (nothing happens). */
static const char *const rfc_table[UPPP_FSM_EV_COUNT][UPPP_FSM_STATE_COUNT] = {
	/*            Initial   Starting    Closed        Stopped           Closing     Stopping
	 *            Req-Sent  Ack-Rcvd    Ack-Sent      Opened */
	[UPPP_FSM_EV_UP] = { "2:", "6:irc,scr", "-", "-", "-", "-", "-", "-", "-", "-" },
	[UPPP_FSM_EV_DOWN] = { "-", "-", "0:", "1:tls", "0:", "1:", "1:", "1:", "1:", "1:tld" },
	[UPPP_FSM_EV_OPEN] = { "1:tls", "1:", "6:irc,scr", "3:", "5:", "5:", "6:", "7:", "8:", "9:" },
	[UPPP_FSM_EV_CLOSE] = { "0:", "0:tlf", "2:", "2:", "4:", "4:",
				"4:irc,str", "4:irc,str", "4:irc,str", "4:tld,irc,str" },
	[UPPP_FSM_EV_TO_PLUS] = { "-", "-", "-", "-", "4:str", "5:str", "6:scr", "6:scr", "8:scr", "-" },
	[UPPP_FSM_EV_TO_MINUS] = { "-", "-", "-", "-", "2:tlf", "3:tlf", "3:tlf", "3:tlf", "3:tlf", "-" },
	[UPPP_FSM_EV_RCR_PLUS] = { "-", "-", "2:sta", "8:irc,scr,sca", "4:", "5:",
				   "8:sca", "9:sca,tlu", "8:sca", "8:tld,scr,sca" },
	[UPPP_FSM_EV_RCR_MINUS] = { "-", "-", "2:sta", "6:irc,scr,scn", "4:", "5:",
				    "6:scn", "7:scn", "6:scn", "6:tld,scr,scn" },
	[UPPP_FSM_EV_RCA] = { "-", "-", "2:sta", "3:sta", "4:", "5:", "7:irc", "6:scr", "9:irc,tlu", "6:tld,scr" },
	[UPPP_FSM_EV_RCN] = { "-", "-", "2:sta", "3:sta", "4:", "5:", "6:irc,scr", "6:scr", "8:irc,scr", "6:tld,scr" },
	[UPPP_FSM_EV_RTR] = { "-", "-", "2:sta", "3:sta", "4:sta", "5:sta", "6:sta", "6:sta", "6:sta", "5:tld,zrc,sta" },
	[UPPP_FSM_EV_RTA] = { "-", "-", "2:", "3:", "2:tlf", "3:tlf", "6:", "6:", "8:", "6:tld,scr" },
	[UPPP_FSM_EV_RUC] = { "-", "-", "2:scj", "3:scj", "4:scj", "5:scj", "6:scj", "7:scj", "8:scj", "9:scj" },
	[UPPP_FSM_EV_RXJ_PLUS] = { "-", "-", "2:", "3:", "4:", "5:", "6:", "6:", "8:", "9:" },
	[UPPP_FSM_EV_RXJ_MINUS] = { "-", "-", "2:tlf", "3:tlf", "2:tlf", "3:tlf", "3:tlf", "3:tlf", "3:tlf",
				    "5:tld,irc,str" },
	[UPPP_FSM_EV_RXR] = { "-", "-", "2:", "3:", "4:", "5:", "6:", "7:", "8:", "9:ser" },
};

/* irc/zrc are not packets: they show in the restart counter afterwards. */
static unsigned expected_count(const char *acts, unsigned before, const struct uppp_fsm *f)
{
	unsigned c = before;
	if (strstr(acts, "zrc"))
		return 0;
	if (strstr(acts, "irc"))
		c = strstr(acts, "str") ? f->env->cfg->max_terminate : f->env->cfg->max_configure;
	if (strstr(acts, "scr") || strstr(acts, "str"))
		c--;
	return c;
}

static void strip_irc_zrc(const char *in, char *out)
{
	char buf[128];
	char *save = NULL, *tok;
	out[0] = 0;
	snprintf(buf, sizeof(buf), "%s", in);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "irc") || !strcmp(tok, "zrc"))
			continue;
		if (out[0])
			strcat(out, ",");
		strcat(out, tok);
	}
}

static void drive(struct uppp_fsm *f, enum uppp_fsm_event ev)
{
	static const uint8_t opt_ok[] = { 1, 3, 0 };
	static const uint8_t opt_nak[] = { 2, 3, 0 };
	static const uint8_t echo[] = { 0, 0, 0, 0, 'x' };
	static const uint8_t rej_conf[] = { CP_CONF_REQ, 9, 0, 4 };
	static const uint8_t rej_echo[] = { LCP_ECHO_REQ, 9, 0, 8, 0, 0, 0, 0 };
	const uint64_t now = 5000;

	switch (ev) {
	case UPPP_FSM_EV_UP: uppp_fsm_up(f, now); break;
	case UPPP_FSM_EV_DOWN: uppp_fsm_down(f, now); break;
	case UPPP_FSM_EV_OPEN: uppp_fsm_open(f, now); break;
	case UPPP_FSM_EV_CLOSE: uppp_fsm_close(f, "bye", now); break;
	case UPPP_FSM_EV_TO_PLUS:
		f->deadline = now;
		uppp_fsm_timer(f, now);
		break;
	case UPPP_FSM_EV_TO_MINUS:
		f->restart_count = 0;
		f->deadline = now;
		uppp_fsm_timer(f, now);
		break;
	case UPPP_FSM_EV_RCR_PLUS: feed(f, CP_CONF_REQ, 0x42, opt_ok, sizeof(opt_ok), now); break;
	case UPPP_FSM_EV_RCR_MINUS: feed(f, CP_CONF_REQ, 0x42, opt_nak, sizeof(opt_nak), now); break;
	case UPPP_FSM_EV_RCA: feed(f, CP_CONF_ACK, 0x50, opt_ok, sizeof(opt_ok), now); break;
	case UPPP_FSM_EV_RCN: feed(f, CP_CONF_NAK, 0x50, opt_nak, sizeof(opt_nak), now); break;
	case UPPP_FSM_EV_RTR: feed(f, CP_TERM_REQ, 0x43, NULL, 0, now); break;
	case UPPP_FSM_EV_RTA: feed(f, CP_TERM_ACK, 0x44, NULL, 0, now); break;
	case UPPP_FSM_EV_RUC: feed(f, 0x30, 0x45, echo, sizeof(echo), now); break;
	case UPPP_FSM_EV_RXJ_PLUS: feed(f, CP_CODE_REJ, 0x46, rej_echo, sizeof(rej_echo), now); break;
	case UPPP_FSM_EV_RXJ_MINUS: feed(f, CP_CODE_REJ, 0x46, rej_conf, sizeof(rej_conf), now); break;
	case UPPP_FSM_EV_RXR: feed(f, LCP_ECHO_REQ, 0x47, echo, sizeof(echo), now); break;
	default: fail();
	}
}

static void test_rfc1661_table(void **state)
{
	(void)state;
	for (int ev = 0; ev < UPPP_FSM_EV_COUNT; ev++) {
		for (int st = 0; st < UPPP_FSM_STATE_COUNT; st++) {
			struct uppp_fsm f;
			const char *cell = rfc_table[ev][st];
			char want_acts[128];
			int want_state;
			unsigned before = 5;

			fresh(&f);
			f.state = (enum uppp_fsm_state)st;
			f.restart_count = before;
			f.req_id = 0x50;
			f.req_answered = false;
			/* a running timer in the states that have one */
			if (st == UPPP_FSM_CLOSING || st == UPPP_FSM_STOPPING || st >= UPPP_FSM_REQ_SENT)
				if (st != UPPP_FSM_OPENED)
					f.deadline = 999999;
			if (!strcmp(cell, "-")) {
				want_state = st;
				want_acts[0] = 0;
			} else {
				want_state = cell[0] - '0';
				strip_irc_zrc(cell + 2, want_acts);
			}
			drive(&f, (enum uppp_fsm_event)ev);
			if ((int)f.state != want_state || strcmp(actions, want_acts) != 0)
				fail_msg("event %s in %s: got state %s actions \"%s\", want %s \"%s\"",
					 uppp_fsm_event_name((enum uppp_fsm_event)ev),
					 uppp_fsm_state_name((enum uppp_fsm_state)st),
					 uppp_fsm_state_name(f.state), actions,
					 uppp_fsm_state_name((enum uppp_fsm_state)want_state), want_acts);
			if (strcmp(cell, "-") != 0 && ev != UPPP_FSM_EV_TO_MINUS) {
				unsigned want_count = expected_count(cell + 2, before, &f);
				if (f.restart_count != want_count)
					fail_msg("event %s in %s: restart count %u, want %u",
						 uppp_fsm_event_name((enum uppp_fsm_event)ev),
						 uppp_fsm_state_name((enum uppp_fsm_state)st), f.restart_count,
						 want_count);
			}
			/* the restart timer runs exactly in the RFC's timer states */
			bool timer_state = f.state == UPPP_FSM_CLOSING || f.state == UPPP_FSM_STOPPING ||
					   f.state == UPPP_FSM_REQ_SENT || f.state == UPPP_FSM_ACK_RCVD ||
					   f.state == UPPP_FSM_ACK_SENT;
			if (!timer_state && f.deadline != UINT64_MAX)
				fail_msg("event %s in %s: timer still armed in %s",
					 uppp_fsm_event_name((enum uppp_fsm_event)ev),
					 uppp_fsm_state_name((enum uppp_fsm_state)st),
					 uppp_fsm_state_name(f.state));
			if (strstr(want_acts, "scr") || strstr(want_acts, "str") || strstr(cell, "zrc"))
				assert_int_equal(f.deadline, 5000 + 1000);
		}
	}
}

/* What the answers carry: ids and data. */
static void test_reply_contents(void **state)
{
	struct uppp_fsm f;
	static const uint8_t opts[] = { 1, 3, 7, 2, 3, 9 };
	(void)state;

	/* Ack echoes the id and the options verbatim */
	fresh(&f);
	f.state = UPPP_FSM_REQ_SENT;
	assert_int_equal(feed(&f, CP_CONF_REQ, 0x77, opts, 3, 10), 0);
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent[0][0], CP_CONF_ACK);
	assert_int_equal(sent[0][1], 0x77);
	assert_memory_equal(sent[0] + 4, opts, 3);

	/* Nak carries the protocol's suggestion, same id */
	clear();
	assert_int_equal(feed(&f, CP_CONF_REQ, 0x78, opts, 6, 10), 0);
	assert_int_equal(sent[0][0], CP_CONF_NAK);
	assert_int_equal(sent[0][1], 0x78);
	assert_int_equal(sent_len[0], 7);
	assert_int_equal(sent[0][6], 0xbb);

	/* Terminate-Ack uses the Terminate-Request's id */
	clear();
	assert_int_equal(feed(&f, CP_TERM_REQ, 0x99, NULL, 0, 10), 0);
	assert_int_equal(sent[0][0], CP_TERM_ACK);
	assert_int_equal(sent[0][1], 0x99);
	assert_true(f.got_term_req);

	/* Code-Reject carries the rejected packet */
	clear();
	assert_int_equal(feed(&f, 0x33, 0x5, opts, 6, 10), 0);
	assert_int_equal(sent[0][0], CP_CODE_REJ);
	assert_int_equal(sent_len[0], 4 + 10);
	assert_int_equal(sent[0][4], 0x33);
	assert_int_equal(sent[0][5], 0x5);
	assert_memory_equal(sent[0] + 8, opts, 6);

	/* Terminate-Request carries the close reason */
	clear();
	f.state = UPPP_FSM_OPENED;
	uppp_fsm_close(&f, "auth failed", 20);
	assert_string_equal(actions, "tld,str");
	assert_int_equal(sent_len[0], 4 + 11);
	assert_memory_equal(sent[0] + 4, "auth failed", 11);
}

static void test_malformed_dropped(void **state)
{
	struct uppp_fsm f;
	uint8_t pkt[16] = { CP_CONF_REQ, 1, 0, 0, 1, 3, 0 };
	(void)state;

	fresh(&f);
	f.state = UPPP_FSM_REQ_SENT;
	/* shorter than a header */
	for (size_t n = 0; n < 4; n++)
		assert_int_equal(uppp_fsm_input(&f, pkt, n, 1), -EBADMSG);
	/* length field < 4 */
	for (uint16_t l = 0; l < 4; l++) {
		uppp_put_be16(pkt + 2, l);
		assert_int_equal(uppp_fsm_input(&f, pkt, 7, 1), -EBADMSG);
	}
	/* length field past what was received */
	uppp_put_be16(pkt + 2, 8);
	assert_int_equal(uppp_fsm_input(&f, pkt, 7, 1), -EBADMSG);
	/* option length 0, 1, and past the end */
	uppp_put_be16(pkt + 2, 7);
	pkt[5] = 0;
	assert_int_equal(uppp_fsm_input(&f, pkt, 7, 1), -EBADMSG);
	pkt[5] = 1;
	assert_int_equal(uppp_fsm_input(&f, pkt, 7, 1), -EBADMSG);
	pkt[5] = 4;
	assert_int_equal(uppp_fsm_input(&f, pkt, 7, 1), -EBADMSG);
	/* an empty Code-Reject */
	pkt[0] = CP_CODE_REJ;
	uppp_put_be16(pkt + 2, 4);
	assert_int_equal(uppp_fsm_input(&f, pkt, 4, 1), -EBADMSG);
	assert_int_equal(n_sent, 0);
	assert_int_equal(f.state, UPPP_FSM_REQ_SENT);
	assert_int_equal(f.rx_dropped, 13);

	/* trailing padding past the length field is ignored, not an error */
	pkt[0] = CP_CONF_REQ;
	pkt[5] = 3;
	uppp_put_be16(pkt + 2, 7);
	assert_int_equal(uppp_fsm_input(&f, pkt, 16, 1), 0);
	assert_int_equal(f.state, UPPP_FSM_ACK_SENT);
	assert_int_equal(sent_len[0], 7);
}

static void test_stale_id_dropped(void **state)
{
	struct uppp_fsm f;
	static const uint8_t opt[] = { 1, 3, 0 };
	(void)state;

	fresh(&f);
	uppp_fsm_open(&f, 0);
	uppp_fsm_up(&f, 0);
	assert_int_equal(f.state, UPPP_FSM_REQ_SENT);
	uint8_t id = sent[0][1];
	assert_int_equal(feed(&f, CP_CONF_ACK, (uint8_t)(id + 1), opt, 3, 1), -EBADMSG);
	assert_int_equal(f.state, UPPP_FSM_REQ_SENT);
	assert_int_equal(feed(&f, CP_CONF_ACK, id, opt, 3, 1), 0);
	assert_int_equal(f.state, UPPP_FSM_ACK_RCVD);
	/* a duplicate of the same Ack is dropped too */
	assert_int_equal(feed(&f, CP_CONF_ACK, id, opt, 3, 1), -EBADMSG);
	assert_int_equal(f.state, UPPP_FSM_ACK_RCVD);
}

static void test_retransmit_then_give_up(void **state)
{
	struct uppp_fsm f;
	uint64_t now = 0;
	(void)state;

	fresh(&f);
	fail_build = false;
	uppp_fsm_open(&f, now);
	uppp_fsm_up(&f, now);
	assert_int_equal(resets, 1);
	int reqs = 1;
	while (f.state == UPPP_FSM_REQ_SENT) {
		assert_int_equal(uppp_fsm_deadline(&f), now + 1000);
		now = uppp_fsm_deadline(&f);
		uppp_fsm_timer(&f, now - 1);   /* not yet due */
		uppp_fsm_timer(&f, now);
		if (f.state == UPPP_FSM_REQ_SENT)
			reqs++;
	}
	assert_int_equal(reqs, 10);   /* max-configure transmissions */
	assert_int_equal(f.state, UPPP_FSM_STOPPED);
	assert_true(strstr(actions, "tlf") != NULL);
	assert_int_equal(uppp_fsm_deadline(&f), UINT64_MAX);
}

static void test_failed_build_still_arms_timer(void **state)
{
	struct uppp_fsm f;
	(void)state;

	fresh(&f);
	uppp_fsm_open(&f, 0);
	clear();
	fail_build = true;
	uppp_fsm_up(&f, 100);
	assert_int_equal(n_sent, 0);
	assert_int_equal(f.state, UPPP_FSM_REQ_SENT);
	assert_int_equal(uppp_fsm_deadline(&f), 1100);
	fail_build = false;
	uppp_fsm_timer(&f, 1100);
	assert_int_equal(n_sent, 1);
	assert_int_equal(sent[0][0], CP_CONF_REQ);
}

static void test_max_failure_turns_nak_into_reject(void **state)
{
	struct uppp_fsm f;
	static const uint8_t opt_nak[] = { 2, 3, 0 };
	(void)state;

	fresh(&f);
	t_cfg.max_failure = 2;
	f.state = UPPP_FSM_REQ_SENT;
	feed(&f, CP_CONF_REQ, 1, opt_nak, 3, 0);
	assert_true(may_nak_seen);
	assert_int_equal(sent[0][0], CP_CONF_NAK);
	clear();
	feed(&f, CP_CONF_REQ, 2, opt_nak, 3, 0);
	assert_int_equal(sent[0][0], CP_CONF_NAK);
	clear();
	feed(&f, CP_CONF_REQ, 3, opt_nak, 3, 0);
	assert_false(may_nak_seen);
	assert_int_equal(sent[0][0], CP_CONF_REJ);
}

static void test_close_and_terminate_handshake(void **state)
{
	struct uppp_fsm f;
	uint64_t now = 0;
	(void)state;

	/* Close while opened, peer never answers: max-terminate TermReqs then tlf */
	fresh(&f);
	f.state = UPPP_FSM_OPENED;
	uppp_fsm_close(&f, NULL, now);
	while (f.state == UPPP_FSM_CLOSING) {
		now = uppp_fsm_deadline(&f);
		uppp_fsm_timer(&f, now);
	}
	assert_int_equal(f.state, UPPP_FSM_CLOSED);
	assert_string_equal(actions, "tld,str,str,tlf");
	assert_int_equal(now, 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1661_table),
		cmocka_unit_test(test_reply_contents),
		cmocka_unit_test(test_malformed_dropped),
		cmocka_unit_test(test_stale_id_dropped),
		cmocka_unit_test(test_retransmit_then_give_up),
		cmocka_unit_test(test_failed_build_still_arms_timer),
		cmocka_unit_test(test_max_failure_turns_nak_into_reject),
		cmocka_unit_test(test_close_and_terminate_handshake),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
