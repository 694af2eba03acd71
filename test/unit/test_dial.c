/* test_dial.c — the PPPoE client against scripted frames, virtual clock. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "proto/dial.h"
#include "proto/pppoe.h"

#include "fake_rng.h"

#define MAX_FRAMES 64
#define MAX_LOGS 64

struct fake {
	uint8_t frames[MAX_FRAMES][UPPP_PPPOE_FRAME_MAX];
	size_t lens[MAX_FRAMES];
	uint64_t sent_at[MAX_FRAMES];
	size_t n_frames;
	char logs[MAX_LOGS][1100];
	size_t n_logs;
	uint64_t rng;
	uint64_t now;
	unsigned downs;
	enum uppp_cause cause;
	size_t frames_at_down;
};

static void f_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct fake *f = ctx;
	assert_true(len <= UPPP_PPPOE_FRAME_MAX);
	if (f->n_frames < MAX_FRAMES) {
		memcpy(f->frames[f->n_frames], frame, len);
		f->sent_at[f->n_frames] = f->now;
		f->lens[f->n_frames++] = len;
	}
}

static int f_random(void *ctx, void *buf, size_t len)
{
	fake_rng_fill(&((struct fake *)ctx)->rng, buf, len);
	return 0;
}

static void f_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void f_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
{
	struct fake *f = ctx;
	va_list ap;
	if (f->n_logs >= MAX_LOGS)
		return;
	va_start(ap, fmt);
	vsnprintf(f->logs[f->n_logs++], sizeof(f->logs[0]), fmt, ap);
	va_end(ap);
}

/* the engine's logger: every level, each line as one "%s" */
static void f_emit(void *ud, enum uppp_log_level level, const char *line)
{
	f_log(ud, level, "%s", line);
}

static int f_up(void *ctx, const struct uppp_ppp_link *l) { return 0; }

static void f_down(void *ctx, enum uppp_cause cause)
{
	struct fake *f = ctx;
	f->downs++;
	f->cause = cause;
	f->frames_at_down = f->n_frames;
}

static void f_deliver(void *ctx, uint8_t *pkt, size_t len) {}

static const struct uppp_dial_ops fops = {
	.send_frame = f_send, .random = f_random, .up = f_up, .down = f_down, .deliver_ip = f_deliver,
};

static const uint8_t cl_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const uint8_t ac_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };
static const uint8_t ac2_mac[6] = { 0x02, 0xac, 0, 0, 0, 2 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t cookie[20] = { 0xc0, 0x0c, 0x1e, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };

struct t {
	struct fake fk;
	struct uppp_dial_config cfg;
	struct uppp_dial *d;
	uint8_t hu[8];
	size_t hu_len;
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	t->fk.rng = 7;
	memcpy(t->cfg.mac, cl_mac, 6);
	t->cfg.service = "";
	uppp_ppp_config_defaults(&t->cfg.ppp);
	t->cfg.ppp.name = "user";
	t->cfg.ppp.password = "pass";
	t->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = f_emit, .ud = &t->fk };
	t->d = uppp_dial_new(&t->cfg, &fops, &t->fk);
	assert_non_null(t->d);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	uppp_dial_free(t->d);
	free(t);
	return 0;
}

static void parse_sent(const struct fake *f, size_t i, struct uppp_pppoe_frame *pf, struct uppp_pppoe_tags *tg)
{
	assert_true(i < f->n_frames);
	assert_int_equal(uppp_pppoe_parse(f->frames[i], f->lens[i], pf), 0);
	if (tg)
		assert_int_equal(uppp_pppoe_parse_tags(pf->payload, pf->payload_len, tg), 0);
}

static unsigned count_disc(const struct fake *f, uint8_t code)
{
	unsigned n = 0;
	for (size_t i = 0; i < f->n_frames; i++) {
		struct uppp_pppoe_frame pf;
		if (uppp_pppoe_parse(f->frames[i], f->lens[i], &pf) == 0 &&
		    pf.ethertype == ETH_P_PPPOE_DISC && pf.code == code)
			n++;
	}
	return n;
}

static bool logged(const struct fake *f, const char *needle)
{
	for (size_t i = 0; i < f->n_logs; i++)
		if (strstr(f->logs[i], needle))
			return true;
	return false;
}

/* Fires the timer while it is due up to `until` (virtual time). */
static void run_until(struct t *t, uint64_t until)
{
	while (uppp_dial_next_deadline(t->d) != UPPP_NO_DEADLINE && uppp_dial_next_deadline(t->d) <= until) {
		t->fk.now = uppp_dial_next_deadline(t->d);
		uppp_dial_run_timers(t->d, t->fk.now);
	}
	t->fk.now = until;
}

static void input(struct t *t, uint8_t *frame, int len)
{
	assert_true(len > 0);
	uppp_dial_input(t->d, frame, (size_t)len, t->fk.now);
}

/* Starts and remembers the Host-Uniq of the first PADI. */
static void start(struct t *t)
{
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;

	t->fk.now = 100;
	uppp_dial_start(t->d, 100);
	parse_sent(&t->fk, 0, &pf, &tg);
	assert_true(tg.host_uniq.present);
	t->hu_len = tg.host_uniq.len;
	memcpy(t->hu, tg.host_uniq.p, t->hu_len);
}

static int mk_pado(struct t *t, uint8_t *buf, const uint8_t *src, const char *ac_name, const char *svc,
		   const uint8_t *hu, size_t hulen, bool relay)
{
	struct uppp_pppoe_tag svcs[2] = { uppp_pppoe_tag_str(""), uppp_pppoe_tag_str(svc) };
	struct uppp_pppoe_out o = { 0 };
	static const uint8_t rel[] = { 0xaa, 0xbb, 0, 0xcc };
	o.services = svcs;
	o.n_services = svc ? 2 : 1;
	o.ac_name = uppp_pppoe_tag_str(ac_name);
	if (hu)
		o.host_uniq = uppp_pppoe_tag_bytes(hu, hulen);
	o.cookie = uppp_pppoe_tag_bytes(cookie, sizeof(cookie));
	if (relay)
		o.relay_id = uppp_pppoe_tag_bytes(rel, sizeof(rel));
	return uppp_pppoe_build_pado(buf, UPPP_PPPOE_FRAME_MAX, cl_mac, src, &o);
}

static int mk_pads(struct t *t, uint8_t *buf, uint16_t sid, const char *service_error)
{
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_str("");
	struct uppp_pppoe_out o = { 0 };
	o.services = &svc;
	o.n_services = 1;
	o.host_uniq = uppp_pppoe_tag_bytes(t->hu, t->hu_len);
	o.service_name_error = uppp_pppoe_tag_str(service_error);
	return uppp_pppoe_build_pads(buf, UPPP_PPPOE_FRAME_MAX, cl_mac, ac_mac, sid, &o);
}

/* ---- tests ---- */

static void padi_broadcast_with_service_and_host_uniq(void **state)
{
	struct t *t = *state;
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;

	t->cfg.service = "isp";
	start(t);
	assert_int_equal(t->fk.n_frames, 1);
	parse_sent(&t->fk, 0, &pf, &tg);
	assert_int_equal(pf.code, PPPOE_CODE_PADI);
	assert_memory_equal(pf.dst, bcast, 6);
	assert_memory_equal(pf.src, cl_mac, 6);
	assert_int_equal(tg.n_services, 1);
	assert_int_equal(tg.service_name.len, 3);
	assert_memory_equal(tg.service_name.p, "isp", 3);
	assert_true(t->hu_len >= 4 && t->hu_len <= 8);
	assert_int_equal(uppp_dial_next_deadline(t->d), 100 + 1000);
	assert_false(uppp_dial_is_up(t->d));
	assert_int_equal(uppp_dial_session_id(t->d), 0);
}

static void padi_retransmits_doubling_then_gives_up(void **state)
{
	struct t *t = *state;

	start(t);
	run_until(t, 99 + 1000);  /* not yet */
	assert_int_equal(t->fk.n_frames, 1);
	run_until(t, 100000);
	/* 5 attempts at 100, 1100, 3100, 7100, 15100; give up at 31100. */
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADI), 5);
	assert_int_equal(t->fk.sent_at[1], 1100);
	assert_int_equal(t->fk.sent_at[2], 3100);
	assert_int_equal(t->fk.sent_at[3], 7100);
	assert_int_equal(t->fk.sent_at[4], 15100);
	assert_int_equal(t->fk.downs, 1);
	assert_int_equal(t->fk.cause, UPPP_CAUSE_DISCOVERY_TIMEOUT);
	assert_int_equal(uppp_dial_next_deadline(t->d), UPPP_NO_DEADLINE);
	/* Every retransmit carries the same Host-Uniq. */
	for (size_t i = 1; i < 5; i++) {
		struct uppp_pppoe_frame pf;
		struct uppp_pppoe_tags tg;
		parse_sent(&t->fk, i, &pf, &tg);
		assert_int_equal(tg.host_uniq.len, t->hu_len);
		assert_memory_equal(tg.host_uniq.p, t->hu, t->hu_len);
	}
}

static void custom_timeout_and_attempts(void **state)
{
	struct t *t = *state;

	t->cfg.padi_timeout_ms = 300;
	t->cfg.padi_attempts = 2;
	start(t);
	run_until(t, 100 + 300);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADI), 2);
	assert_int_equal(t->fk.downs, 0);
	run_until(t, 100 + 300 + 599);
	assert_int_equal(t->fk.downs, 0);
	run_until(t, 100 + 300 + 600);
	assert_int_equal(t->fk.downs, 1);
}

static void pado_filters_then_padr_echoes(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;
	uint8_t bad_hu[8];

	t->cfg.ac_name = "good-ac";
	t->cfg.service = "isp";
	start(t);
	/* Host-Uniq not ours */
	memcpy(bad_hu, t->hu, t->hu_len);
	bad_hu[0] ^= 0xff;
	input(t, buf, mk_pado(t, buf, ac_mac, "good-ac", "isp", bad_hu, t->hu_len, false));
	/* No Host-Uniq at all */
	input(t, buf, mk_pado(t, buf, ac_mac, "good-ac", "isp", NULL, 0, false));
	/* Wrong AC-Name */
	input(t, buf, mk_pado(t, buf, ac2_mac, "other-ac", "isp", t->hu, t->hu_len, false));
	/* Does not offer our service */
	input(t, buf, mk_pado(t, buf, ac2_mac, "good-ac", "video", t->hu, t->hu_len, false));
	assert_int_equal(t->fk.n_frames, 1);
	assert_true(logged(&t->fk, "other-ac"));
	/* The right one */
	input(t, buf, mk_pado(t, buf, ac_mac, "good-ac", "isp", t->hu, t->hu_len, true));
	assert_int_equal(t->fk.n_frames, 2);
	parse_sent(&t->fk, 1, &pf, &tg);
	assert_int_equal(pf.code, PPPOE_CODE_PADR);
	assert_memory_equal(pf.dst, ac_mac, 6);
	assert_memory_equal(pf.src, cl_mac, 6);
	assert_int_equal(pf.session_id, 0);
	assert_int_equal(tg.n_services, 1);
	assert_memory_equal(tg.service_name.p, "isp", 3);
	assert_int_equal(tg.cookie.len, sizeof(cookie));
	assert_memory_equal(tg.cookie.p, cookie, sizeof(cookie));
	assert_int_equal(tg.host_uniq.len, t->hu_len);
	assert_memory_equal(tg.host_uniq.p, t->hu, t->hu_len);
	assert_int_equal(tg.relay_id.len, 4);
	assert_memory_equal(tg.relay_id.p, "\xaa\xbb\x00\xcc", 4);
	/* A second PADO after choosing is ignored. */
	input(t, buf, mk_pado(t, buf, ac2_mac, "good-ac", "isp", t->hu, t->hu_len, false));
	assert_int_equal(t->fk.n_frames, 2);
	/* PADR retransmits with doubling, on its own clock. */
	assert_int_equal(uppp_dial_next_deadline(t->d), t->fk.now + 1000);
	uint64_t t0 = t->fk.now;
	run_until(t, t0 + 1000 + 2000);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADR), 3);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADI), 1);
}

static void pads_starts_session_and_engine(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	struct uppp_pppoe_frame pf;

	start(t);
	input(t, buf, mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false));
	/* PADS from another MAC: ignored */
	int n = mk_pads(t, buf, 0x1234, NULL);
	memcpy(buf + 6, ac2_mac, 6);
	input(t, buf, n);
	assert_int_equal(uppp_dial_session_id(t->d), 0);
	input(t, buf, mk_pads(t, buf, 0x1234, NULL));
	assert_int_equal(uppp_dial_session_id(t->d), 0x1234);
	assert_int_equal(t->fk.downs, 0);
	/* The engine's first LCP packet goes to the AC in our session. */
	parse_sent(&t->fk, t->fk.n_frames - 1, &pf, NULL);
	assert_int_equal(pf.ethertype, ETH_P_PPPOE_SESS);
	assert_int_equal(pf.session_id, 0x1234);
	assert_memory_equal(pf.dst, ac_mac, 6);
	assert_int_equal(uppp_get_be16(pf.payload), 0xc021);
	/* From now on the timer belongs to the engine (LCP restart). */
	assert_true(uppp_dial_next_deadline(t->d) != UPPP_NO_DEADLINE);
	assert_true(logged(&t->fk, "event=session-start"));
	/* IP before IPCP: refused */
	uint8_t pkt[20] = { 0x45 };
	assert_int_equal(uppp_dial_send_ip(t->d, pkt, sizeof(pkt), t->fk.now), -ENOTCONN);
}

static void pads_with_error_goes_down(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];

	start(t);
	input(t, buf, mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false));
	input(t, buf, mk_pads(t, buf, 0, "no such service\x07"));
	assert_int_equal(t->fk.downs, 1);
	assert_int_equal(t->fk.cause, UPPP_CAUSE_DISCOVERY_TIMEOUT);
	assert_true(logged(&t->fk, "Service-Name-Error"));
	assert_true(logged(&t->fk, "no such service\\x07"));
	assert_int_equal(uppp_dial_next_deadline(t->d), UPPP_NO_DEADLINE);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADT), 0);
}

static void padt_from_ac_ends_session(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];

	start(t);
	input(t, buf, mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false));
	input(t, buf, mk_pads(t, buf, 7, NULL));
	/* From another MAC, or for another id: ignored. */
	input(t, buf, uppp_pppoe_build_padt(buf, sizeof(buf), cl_mac, ac2_mac, 7, NULL));
	input(t, buf, uppp_pppoe_build_padt(buf, sizeof(buf), cl_mac, ac_mac, 8, NULL));
	assert_int_equal(t->fk.downs, 0);
	input(t, buf, uppp_pppoe_build_padt(buf, sizeof(buf), cl_mac, ac_mac, 7, "RP-PPPoE: Received PADT"));
	assert_int_equal(t->fk.downs, 1);
	assert_int_equal(t->fk.cause, UPPP_CAUSE_PEER_PADT);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADT), 0);
	assert_true(logged(&t->fk, "RP-PPPoE: Received PADT"));
	assert_int_equal(uppp_dial_next_deadline(t->d), UPPP_NO_DEADLINE);
	/* Down only once. */
	input(t, buf, uppp_pppoe_build_padt(buf, sizeof(buf), cl_mac, ac_mac, 7, NULL));
	uppp_dial_hangup(t->d, UPPP_CAUSE_ADMIN, t->fk.now);
	assert_int_equal(t->fk.downs, 1);
}

/* Every state change goes through one setter that logs it (house style:
 * as proto/fsm.c does): idle -> padi-sent -> padr-sent -> session -> down,
 * in that order, each with its reason. */
static void state_changes_are_logged_in_order(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	static const char *const want[] = {
		"layer=dial idle -> padi-sent (start)",
		"layer=dial padi-sent -> padr-sent (PADO accepted)",
		"layer=dial padr-sent -> session (PADS)",
		"layer=dial session -> down (peer-padt)",
	};
	size_t next = 0;

	start(t);
	input(t, buf, mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false));
	input(t, buf, mk_pads(t, buf, 7, NULL));
	input(t, buf, uppp_pppoe_build_padt(buf, sizeof(buf), cl_mac, ac_mac, 7, NULL));
	for (size_t i = 0; i < t->fk.n_logs; i++) {
		if (!strstr(t->fk.logs[i], "layer=dial "))
			continue;
		assert_true(next < 4);
		assert_non_null(strstr(t->fk.logs[i], want[next]));
		next++;
	}
	assert_int_equal(next, 4);
}

static void hangup_sends_termreq_then_padt_then_down(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;

	start(t);
	input(t, buf, mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false));
	input(t, buf, mk_pads(t, buf, 9, NULL));
	size_t before = t->fk.n_frames;
	uint64_t t0 = t->fk.now;
	uppp_dial_hangup(t->d, UPPP_CAUSE_ADMIN, t0);
	/* Terminate-Request now; PADT waits for the Ack (or a second) */
	assert_int_equal(t->fk.downs, 0);
	assert_int_equal(t->fk.n_frames, before + 1);
	parse_sent(&t->fk, before, &pf, NULL);
	assert_int_equal(pf.ethertype, ETH_P_PPPOE_SESS);
	assert_int_equal(uppp_get_be16(pf.payload), 0xc021);
	assert_int_equal(pf.payload[2], 5);  /* Terminate-Request */
	uint8_t term_id = pf.payload[3];
	/* the peer's Terminate-Ack: PADT, then down */
	uint8_t ack[] = { 0xc0, 0x21, 6, term_id, 0, 4 };
	int hl = uppp_pppoe_build_session_hdr(buf, sizeof(buf), cl_mac, ac_mac, 9, sizeof(ack));
	memcpy(buf + hl, ack, sizeof(ack));
	input(t, buf, hl + (int)sizeof(ack));
	assert_int_equal(t->fk.downs, 1);
	assert_int_equal(t->fk.cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(t->fk.n_frames, before + 2);
	assert_int_equal(t->fk.frames_at_down, before + 2);  /* PADT sent before down() */
	parse_sent(&t->fk, before + 1, &pf, &tg);
	assert_int_equal(pf.code, PPPOE_CODE_PADT);
	assert_int_equal(pf.session_id, 9);
	assert_memory_equal(pf.dst, ac_mac, 6);
	assert_int_equal(uppp_dial_next_deadline(t->d), UPPP_NO_DEADLINE);
}

/* A peer that never acks: PADT and down one second after the
 * Terminate-Request; a second hang-up while waiting ends at once. */
static void hangup_without_ack(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	struct uppp_pppoe_frame pf;

	start(t);
	input(t, buf, mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false));
	input(t, buf, mk_pads(t, buf, 9, NULL));
	size_t before = t->fk.n_frames;
	uint64_t t0 = t->fk.now;
	uppp_dial_hangup(t->d, UPPP_CAUSE_ADMIN, t0);
	assert_true(uppp_dial_next_deadline(t->d) <= t0 + 1000);
	run_until(t, t0 + 999);
	assert_int_equal(t->fk.downs, 0);
	run_until(t, t0 + 1000);
	assert_int_equal(t->fk.downs, 1);
	parse_sent(&t->fk, t->fk.n_frames - 1, &pf, NULL);
	assert_int_equal(pf.code, PPPOE_CODE_PADT);
	assert_true(t->fk.n_frames >= before + 2);

	/* impatient: hang up twice */
	teardown(state);
	setup(state);
	t = *state;
	start(t);
	input(t, buf, mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false));
	input(t, buf, mk_pads(t, buf, 9, NULL));
	uppp_dial_hangup(t->d, UPPP_CAUSE_ADMIN, t->fk.now);
	assert_int_equal(t->fk.downs, 0);
	uppp_dial_hangup(t->d, UPPP_CAUSE_ADMIN, t->fk.now);
	assert_int_equal(t->fk.downs, 1);
	parse_sent(&t->fk, t->fk.n_frames - 1, &pf, NULL);
	assert_int_equal(pf.code, PPPOE_CODE_PADT);
}

static void hangup_during_discovery(void **state)
{
	struct t *t = *state;

	start(t);
	uppp_dial_hangup(t->d, UPPP_CAUSE_ADMIN, 200);
	assert_int_equal(t->fk.downs, 1);
	assert_int_equal(t->fk.n_frames, 1);  /* no session: no PADT */
	assert_int_equal(uppp_dial_next_deadline(t->d), UPPP_NO_DEADLINE);
	run_until(t, 100000);
	assert_int_equal(t->fk.n_frames, 1);
}

static void hostile_frames_ignored(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	int n;

	start(t);
	n = mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false);
	/* Every truncation, from an exact-size copy. */
	for (int k = 0; k < n; k++) {
		uint8_t *c = malloc(k ? (size_t)k : 1);
		memcpy(c, buf, (size_t)k);
		uppp_dial_input(t->d, c, (size_t)k, t->fk.now);
		free(c);
	}
	/* Tag length past the end */
	buf[20 + 3] = 0xff;
	input(t, buf, n);
	assert_int_equal(t->fk.n_frames, 1);
	/* PADO not addressed to us */
	n = mk_pado(t, buf, ac_mac, "ac", NULL, t->hu, t->hu_len, false);
	buf[5] ^= 1;
	input(t, buf, n);
	assert_int_equal(t->fk.n_frames, 1);
}

/* The allocator hook: the dial's one allocation goes through it, and
 * comes back with the size it was asked for; a hook with no memory gives
 * NULL, never an abort. */
struct counting_pool {
	unsigned allocs, frees;
	size_t live;
	bool empty;
};

static void *pool_alloc(void *ud, size_t size)
{
	struct counting_pool *p = ud;

	if (p->empty)
		return NULL;
	p->allocs++;
	p->live += size;
	return malloc(size);
}

static void pool_free(void *ud, void *ptr, size_t size)
{
	struct counting_pool *p = ud;

	p->frees++;
	assert_true(p->live >= size);
	p->live -= size;
	free(ptr);
}

static void allocator_hook_takes_the_allocation(void **state)
{
	struct t *t = *state;
	struct counting_pool pool = { 0 };
	struct uppp_allocator a = { pool_alloc, pool_free, &pool };
	struct uppp_dial_config cfg = t->cfg;
	struct uppp_dial *d;

	cfg.alloc = &a;
	d = uppp_dial_new(&cfg, &fops, &t->fk);
	assert_non_null(d);
	assert_int_equal(pool.allocs, 1);
	assert_true(pool.live > 0);
	uppp_dial_start(d, 0);
	uppp_dial_abort(d, UPPP_CAUSE_ADMIN, 1);
	uppp_dial_free(d);
	assert_int_equal(pool.frees, 1);
	assert_int_equal(pool.live, 0);
	uppp_dial_free(NULL);

	pool.empty = true;
	assert_null(uppp_dial_new(&cfg, &fops, &t->fk));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(padi_broadcast_with_service_and_host_uniq, setup, teardown),
		cmocka_unit_test_setup_teardown(padi_retransmits_doubling_then_gives_up, setup, teardown),
		cmocka_unit_test_setup_teardown(custom_timeout_and_attempts, setup, teardown),
		cmocka_unit_test_setup_teardown(pado_filters_then_padr_echoes, setup, teardown),
		cmocka_unit_test_setup_teardown(pads_starts_session_and_engine, setup, teardown),
		cmocka_unit_test_setup_teardown(pads_with_error_goes_down, setup, teardown),
		cmocka_unit_test_setup_teardown(padt_from_ac_ends_session, setup, teardown),
		cmocka_unit_test_setup_teardown(state_changes_are_logged_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(hangup_sends_termreq_then_padt_then_down, setup, teardown),
		cmocka_unit_test_setup_teardown(hangup_without_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(hangup_during_discovery, setup, teardown),
		cmocka_unit_test_setup_teardown(hostile_frames_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(allocator_hook_takes_the_allocation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
