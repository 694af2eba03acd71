/* test_ac.c — the access concentrator fed hand-built frames, with fake ops. */
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
#include "proto/ac.h"
#include "proto/pppoe.h"

#include "fake_rng.h"

#define MAX_FRAMES 64
#define MAX_LOGS 64

struct fake {
	uint8_t frames[MAX_FRAMES][UPPP_PPPOE_FRAME_MAX];
	size_t lens[MAX_FRAMES];
	size_t n_frames;
	char logs[MAX_LOGS][1100];
	size_t n_logs;
	uint64_t rng;
	const uint16_t *forced_ids;   /* random(2 bytes) returns these first */
	size_t n_forced;
	bool refuse;                  /* can_accept() → false */
	int up_ret;
	unsigned downs;
	enum uppp_cause last_cause;
	struct uppp_ac_session *last_down;
	unsigned released;
};

static void f_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct fake *f = ctx;
	assert_true(len <= UPPP_PPPOE_FRAME_MAX);
	if (f->n_frames < MAX_FRAMES) {
		memcpy(f->frames[f->n_frames], frame, len);
		f->lens[f->n_frames++] = len;
	}
}

static int f_random(void *ctx, void *buf, size_t len)
{
	struct fake *f = ctx;
	uint8_t *p = buf;
	if (len == 2 && f->n_forced) {
		uppp_put_be16(p, f->forced_ids[0]);
		f->forced_ids++;
		f->n_forced--;
		return 0;
	}
	fake_rng_fill(&f->rng, p, len);
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

static int f_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	return -ENOENT;
}

static int f_assign(void *ctx, struct uppp_ac_session *s, const char *peer, uint32_t serial, uint32_t *ip)
{
	(void)serial;
	*ip = 0x0a000002;
	return 0;
}

static void f_release(void *ctx, struct uppp_ac_session *s, uint32_t ip)
{
	((struct fake *)ctx)->released++;
}

static int f_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *l)
{
	return ((struct fake *)ctx)->up_ret;
}

static void f_down(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct fake *f = ctx;
	f->downs++;
	f->last_cause = cause;
	f->last_down = s;
}

static void f_deliver(void *ctx, struct uppp_ac_session *s, uint8_t *pkt, size_t len) {}

static bool f_can_accept(void *ctx) { return !((struct fake *)ctx)->refuse; }

static const struct uppp_ac_ops fops = {
	.send_frame = f_send, .random = f_random,
	.get_secret = f_get_secret, .assign_address = f_assign, .release_address = f_release,
	.session_up = f_up, .session_down = f_down, .deliver_ip = f_deliver, .can_accept = f_can_accept,
};

static const uint8_t ac_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };
static const uint8_t cl1[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const uint8_t cl2[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x57 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t hu1[4] = { 0xde, 0xad, 0xbe, 0xef };

struct t {
	struct fake fk;
	struct uppp_ac_config cfg;
	struct uppp_ac *ac;
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	t->fk.rng = 42;
	memcpy(t->cfg.mac, ac_mac, 6);
	t->cfg.ac_name = "uppp-ac";
	t->cfg.services[0] = "rp-pppoe";
	t->cfg.n_services = 1;
	t->cfg.max_sessions = 20;
	uppp_ppp_config_defaults(&t->cfg.ppp);
	t->cfg.ppp.local_ip = 0x0a000001;
	t->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = f_emit, .ud = &t->fk };
	t->ac = uppp_ac_new(&t->cfg, &fops, &t->fk);
	assert_non_null(t->ac);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	uppp_ac_free(t->ac);
	free(t);
	return 0;
}

/* ---- frame helpers ---- */

static size_t mk_padi(uint8_t *buf, const uint8_t *src, const char *service, const uint8_t *hu, size_t hulen,
		      const uint8_t *relay, size_t rlen)
{
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_str(service);
	struct uppp_pppoe_out o = { 0 };
	o.services = &svc;
	o.n_services = service ? 1 : 0;
	if (hu)
		o.host_uniq = uppp_pppoe_tag_bytes(hu, hulen);
	if (relay)
		o.relay_id = uppp_pppoe_tag_bytes(relay, rlen);
	int n = uppp_pppoe_build_discovery(buf, UPPP_PPPOE_FRAME_MAX, PPPOE_CODE_PADI, bcast, src, 0, &o);
	assert_true(n > 0);
	return (size_t)n;
}

static size_t mk_padr(uint8_t *buf, const uint8_t *src, const char *service, const uint8_t *hu, size_t hulen,
		      const uint8_t *cookie, size_t clen)
{
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_str(service);
	struct uppp_pppoe_out o = { 0 };
	o.services = &svc;
	o.n_services = 1;
	if (hu)
		o.host_uniq = uppp_pppoe_tag_bytes(hu, hulen);
	if (cookie)
		o.cookie = uppp_pppoe_tag_bytes(cookie, clen);
	int n = uppp_pppoe_build_padr(buf, UPPP_PPPOE_FRAME_MAX, ac_mac, src, &o);
	assert_true(n > 0);
	return (size_t)n;
}

/* Index of the last sent discovery frame with this code, or -1. */
static int find_disc(const struct fake *f, uint8_t code)
{
	for (int i = (int)f->n_frames - 1; i >= 0; i--) {
		struct uppp_pppoe_frame pf;
		if (uppp_pppoe_parse(f->frames[i], f->lens[i], &pf) == 0 &&
		    pf.ethertype == ETH_P_PPPOE_DISC && pf.code == code)
			return i;
	}
	return -1;
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

static void parse_sent(const struct fake *f, int i, struct uppp_pppoe_frame *pf, struct uppp_pppoe_tags *tg)
{
	assert_true(i >= 0);
	assert_int_equal(uppp_pppoe_parse(f->frames[i], f->lens[i], pf), 0);
	assert_int_equal(uppp_pppoe_parse_tags(pf->payload, pf->payload_len, tg), 0);
}

static bool logged(const struct fake *f, const char *needle)
{
	for (size_t i = 0; i < f->n_logs; i++)
		if (strstr(f->logs[i], needle))
			return true;
	return false;
}

/* PADI from cl1 with Host-Uniq hu1 at now → the PADO's 20-byte AC-Cookie. */
static void pado_cookie(struct t *t, uint64_t now, uint8_t cookie[20])
{
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;

	uppp_ac_input(t->ac, buf, mk_padi(buf, cl1, "", hu1, 4, NULL, 0), now);
	parse_sent(&t->fk, find_disc(&t->fk, PPPOE_CODE_PADO), &pf, &tg);
	assert_int_equal(tg.cookie.len, 20);
	memcpy(cookie, tg.cookie.p, 20);
}

/* PADI → PADO → PADR with its cookie → the PADS's session id (0 if none). */
static uint16_t connect_client(struct t *t, const uint8_t *mac, const uint8_t *hu, size_t hulen, uint64_t now)
{
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;
	uint8_t cookie[64];
	size_t clen;
	size_t before = t->fk.n_frames;

	uppp_ac_input(t->ac, buf, mk_padi(buf, mac, "", hu, hulen, NULL, 0), now);
	int i = find_disc(&t->fk, PPPOE_CODE_PADO);
	if (i < (int)before)
		return 0;
	parse_sent(&t->fk, i, &pf, &tg);
	assert_true(tg.cookie.present);
	clen = tg.cookie.len;
	memcpy(cookie, tg.cookie.p, clen);
	before = t->fk.n_frames;
	uppp_ac_input(t->ac, buf, mk_padr(buf, mac, "", hu, hulen, cookie, clen), now + 10);
	i = find_disc(&t->fk, PPPOE_CODE_PADS);
	if (i < (int)before)
		return 0;
	parse_sent(&t->fk, i, &pf, &tg);
	return pf.session_id;
}

/* ---- tests ---- */

static void padi_gets_pado_with_echoes_and_cookie(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	const uint8_t relay[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;

	uppp_ac_input(t->ac, buf, mk_padi(buf, cl1, "", hu1, 4, relay, sizeof(relay)), 1000);
	assert_int_equal(t->fk.n_frames, 1);
	parse_sent(&t->fk, 0, &pf, &tg);
	assert_int_equal(pf.code, PPPOE_CODE_PADO);
	assert_int_equal(pf.session_id, 0);
	assert_memory_equal(pf.dst, cl1, 6);
	assert_memory_equal(pf.src, ac_mac, 6);
	assert_true(tg.ac_name.present);
	assert_int_equal(tg.ac_name.len, 7);
	assert_memory_equal(tg.ac_name.p, "uppp-ac", 7);
	/* The PADI's (empty) Service-Name first, then what we offer. */
	assert_int_equal(tg.n_services, 2);
	assert_int_equal(tg.services[0].len, 0);
	assert_int_equal(tg.services[1].len, 8);
	assert_memory_equal(tg.services[1].p, "rp-pppoe", 8);
	assert_int_equal(tg.host_uniq.len, 4);
	assert_memory_equal(tg.host_uniq.p, hu1, 4);
	assert_int_equal(tg.relay_id.len, sizeof(relay));
	assert_memory_equal(tg.relay_id.p, relay, sizeof(relay));
	assert_true(tg.cookie.present);
	assert_true(tg.cookie.len >= 20 && tg.cookie.len <= 24);
	assert_int_equal(uppp_ac_counters(t->ac)->padi_rx, 1);
	assert_int_equal(uppp_ac_counters(t->ac)->pado_tx, 1);
	assert_int_equal(uppp_ac_session_count(t->ac), 0);  /* PADI makes no state */

	/* Named service we offer: echoed first, not repeated. */
	uppp_ac_input(t->ac, buf, mk_padi(buf, cl1, "rp-pppoe", hu1, 4, NULL, 0), 1000);
	parse_sent(&t->fk, 1, &pf, &tg);
	assert_int_equal(tg.n_services, 1);
	assert_memory_equal(tg.service_name.p, "rp-pppoe", 8);
	assert_false(tg.relay_id.present);
}

static void padi_for_unoffered_service_gets_no_pado(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];

	uppp_ac_input(t->ac, buf, mk_padi(buf, cl1, "isp", hu1, 4, NULL, 0), 1000);
	assert_int_equal(t->fk.n_frames, 0);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_no_service, 1);
	assert_true(logged(&t->fk, "no PADO sent: client asked Service-Name 'isp', we offer 'rp-pppoe'"));
	assert_true(logged(&t->fk, "mac=52:54:00:12:34:56"));

	/* Hostile service name is escaped in the log. */
	uppp_ac_input(t->ac, buf, mk_padi(buf, cl1, "a'b\x01\n", hu1, 4, NULL, 0), 1000);
	assert_int_equal(t->fk.n_frames, 0);
	assert_true(logged(&t->fk, "asked Service-Name 'a\\x27b\\x01\\x0a'"));
}

static void padi_not_for_us_ignored(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	size_t n = mk_padi(buf, cl1, "", hu1, 4, NULL, 0);

	buf[0] = 0x02;  /* unicast to another AC */
	uppp_ac_input(t->ac, buf, n, 1000);
	assert_int_equal(t->fk.n_frames, 0);
	/* Unicast to us is fine. */
	memcpy(buf, ac_mac, 6);
	uppp_ac_input(t->ac, buf, n, 1000);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADO), 1);
	/* Multicast source: dropped as malformed. */
	memcpy(buf + 6, bcast, 6);
	uppp_ac_input(t->ac, buf, n, 1000);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADO), 1);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_malformed, 1);
}

static void padr_without_or_with_forged_cookie_dropped(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX], cookie[20];

	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu1, 4, NULL, 0), 1000);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_bad_cookie, 1);
	assert_true(logged(&t->fk, "no AC-Cookie"));

	/* Forged: right length, made-up bytes, current timestamp. */
	memset(cookie, 0x5a, sizeof(cookie));
	uppp_put_be32(cookie, 1);
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu1, 4, cookie, sizeof(cookie)), 1000);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_bad_cookie, 2);

	/* Wrong length (short, which must not be read past). */
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu1, 4, cookie, 3), 1000);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_bad_cookie, 3);

	/* A real cookie issued to cl1, replayed by cl2. */
	pado_cookie(t, 1000, cookie);
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl2, "", hu1, 4, cookie, 20), 1000);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_bad_cookie, 4);

	/* The same cookie one bit off. */
	cookie[19] ^= 1;
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu1, 4, cookie, 20), 1000);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_bad_cookie, 5);
	cookie[19] ^= 1;

	/* Expired: more than 60 s later. */
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu1, 4, cookie, 20), 1000 + 62000);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_bad_cookie, 6);
	assert_true(logged(&t->fk, "expired"));

	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADS), 0);
	assert_int_equal(uppp_ac_session_count(t->ac), 0);

	/* Within its lifetime it works. */
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu1, 4, cookie, 20), 1000 + 59000);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADS), 1);
	assert_int_equal(uppp_ac_session_count(t->ac), 1);
}

static void good_padr_gets_pads_and_session(void **state)
{
	struct t *t = *state;
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;
	uint16_t id = connect_client(t, cl1, hu1, 4, 5000);

	assert_int_not_equal(id, 0);
	assert_int_not_equal(id, 0xffff);
	assert_int_equal(uppp_ac_session_count(t->ac), 1);
	assert_int_equal(uppp_ac_counters(t->ac)->pads_tx, 1);
	parse_sent(&t->fk, find_disc(&t->fk, PPPOE_CODE_PADS), &pf, &tg);
	assert_memory_equal(pf.dst, cl1, 6);
	assert_memory_equal(tg.host_uniq.p, hu1, 4);
	assert_true(tg.service_name.present);
	assert_false(uppp_pppoe_tags_have_error(&tg));
	/* The session's engine started: its timer is the AC's next deadline. */
	struct uppp_ac_session *s = uppp_ac_session_find(t->ac, id);
	assert_non_null(s);
	assert_int_equal(uppp_ac_session_id(s), id);
	assert_memory_equal(uppp_ac_session_peer_mac(s), cl1, 6);
	assert_true(uppp_ac_next_deadline(t->ac) != UPPP_NO_DEADLINE);
	assert_true(uppp_ac_next_deadline(t->ac) > 5000);
	assert_true(logged(&t->fk, "event=session-start"));
	/* The engine talks right after PADS: a session frame with our id. */
	bool saw_session_frame = false;
	for (size_t i = 0; i < t->fk.n_frames; i++) {
		if (uppp_pppoe_parse(t->fk.frames[i], t->fk.lens[i], &pf) == 0 &&
		    pf.ethertype == ETH_P_PPPOE_SESS) {
			assert_int_equal(pf.session_id, id);
			assert_memory_equal(pf.dst, cl1, 6);
			assert_true(pf.payload_len >= 2);
			saw_session_frame = true;
		}
	}
	assert_true(saw_session_frame);
	int tag;
	uppp_ac_session_set_user(s, &tag);
	assert_ptr_equal(uppp_ac_session_user(s), &tag);
	assert_non_null(uppp_ac_session_stats(s));
}

static void duplicate_padr_resends_same_pads(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX], cookie[20];
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;

	pado_cookie(t, 1000, cookie);
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu1, 4, cookie, 20), 1100);
	parse_sent(&t->fk, find_disc(&t->fk, PPPOE_CODE_PADS), &pf, &tg);
	uint16_t id = pf.session_id;
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu1, 4, cookie, 20), 2100);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADS), 2);
	parse_sent(&t->fk, find_disc(&t->fk, PPPOE_CODE_PADS), &pf, &tg);
	assert_int_equal(pf.session_id, id);
	assert_int_equal(uppp_ac_session_count(t->ac), 1);

	/* Another Host-Uniq from the same MAC is another session. */
	const uint8_t hu2[4] = { 1, 1, 1, 1 };
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "", hu2, 4, cookie, 20), 2200);
	assert_int_equal(uppp_ac_session_count(t->ac), 2);
	parse_sent(&t->fk, find_disc(&t->fk, PPPOE_CODE_PADS), &pf, &tg);
	assert_int_not_equal(pf.session_id, id);
}

static void padr_for_unoffered_service_gets_service_name_error(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX], cookie[20];
	struct uppp_pppoe_frame pf;
	struct uppp_pppoe_tags tg;

	pado_cookie(t, 1000, cookie);
	uppp_ac_input(t->ac, buf, mk_padr(buf, cl1, "isp", hu1, 4, cookie, 20), 1100);
	parse_sent(&t->fk, find_disc(&t->fk, PPPOE_CODE_PADS), &pf, &tg);
	assert_int_equal(pf.session_id, 0);
	assert_true(tg.service_name_error.present);
	assert_memory_equal(tg.host_uniq.p, hu1, 4);
	assert_int_equal(uppp_ac_session_count(t->ac), 0);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_no_service, 1);
}

static void padt_only_from_the_peer(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	uint16_t id = connect_client(t, cl1, hu1, 4, 1000);
	int n;

	assert_int_not_equal(id, 0);
	size_t sent = t->fk.n_frames;
	/* Wrong MAC */
	n = uppp_pppoe_build_padt(buf, sizeof(buf), ac_mac, cl2, id, NULL);
	uppp_ac_input(t->ac, buf, (size_t)n, 2000);
	assert_int_equal(uppp_ac_session_count(t->ac), 1);
	assert_int_equal(t->fk.downs, 0);
	/* Wrong id */
	n = uppp_pppoe_build_padt(buf, sizeof(buf), ac_mac, cl1, (uint16_t)(id + 1), NULL);
	uppp_ac_input(t->ac, buf, (size_t)n, 2000);
	assert_int_equal(uppp_ac_session_count(t->ac), 1);
	assert_int_equal(t->fk.n_frames, sent);
	/* The peer */
	n = uppp_pppoe_build_padt(buf, sizeof(buf), ac_mac, cl1, id, "bye\x01");
	uppp_ac_input(t->ac, buf, (size_t)n, 3000);
	assert_int_equal(uppp_ac_session_count(t->ac), 0);
	assert_int_equal(t->fk.downs, 1);
	assert_int_equal(t->fk.last_cause, UPPP_CAUSE_PEER_PADT);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADT), 0);  /* no PADT back */
	assert_int_equal(uppp_ac_next_deadline(t->ac), UPPP_NO_DEADLINE);   /* timer cancelled */
	assert_true(logged(&t->fk, "cause=peer-padt"));
	assert_true(logged(&t->fk, "bye\\x01"));
	assert_int_equal(uppp_ac_counters(t->ac)->sessions_down, 1);
	/* A second PADT for the gone session changes nothing. */
	uppp_ac_input(t->ac, buf, (size_t)n, 3001);
	assert_int_equal(t->fk.downs, 1);
}

static void unknown_session_frames_dropped_and_log_rate_limited(void **state)
{
	struct t *t = *state;
	uint8_t buf[64];
	uint16_t id = connect_client(t, cl1, hu1, 4, 1000);
	size_t logs;

	assert_int_equal(uppp_pppoe_build_session_hdr(buf, sizeof(buf), ac_mac, cl1, (uint16_t)(id ^ 0x8000), 6), 20);
	memcpy(buf + 20, "\x00\x21\x45\x00\x00\x00", 6);
	logs = t->fk.n_logs;
	for (int i = 0; i < 5; i++)
		uppp_ac_input(t->ac, buf, 26, 2000 + (uint64_t)i);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_unknown_session, 5);
	assert_int_equal(t->fk.n_logs - logs, 1);
	uppp_ac_input(t->ac, buf, 26, 3100);
	assert_int_equal(t->fk.n_logs - logs, 2);
	assert_true(logged(&t->fk, "suppressed=4"));

	/* Right id, wrong MAC: also unknown. */
	assert_int_equal(uppp_pppoe_build_session_hdr(buf, sizeof(buf), ac_mac, cl2, id, 6), 20);
	uppp_ac_input(t->ac, buf, 26, 3200);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_unknown_session, 7);

	/* Right session, PPPoE length < 2: malformed. */
	uint64_t mal = uppp_ac_counters(t->ac)->dropped_malformed;
	assert_int_equal(uppp_pppoe_build_session_hdr(buf, sizeof(buf), ac_mac, cl1, id, 1), 20);
	uppp_ac_input(t->ac, buf, 21, 3300);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_malformed, mal + 1);
	/* Length field past the received bytes: malformed. */
	assert_int_equal(uppp_pppoe_build_session_hdr(buf, sizeof(buf), ac_mac, cl1, id, 40), 20);
	uppp_ac_input(t->ac, buf, 26, 3300);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_malformed, mal + 2);
	assert_int_equal(uppp_ac_session_count(t->ac), 1);
}

static void malformed_discovery_dropped(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	size_t n = mk_padi(buf, cl1, "", hu1, 4, NULL, 0);

	/* Every truncation of a valid PADI, from an exact-size copy. */
	for (size_t k = 0; k < n; k++) {
		uint8_t *c = malloc(k ? k : 1);
		memcpy(c, buf, k);
		uppp_ac_input(t->ac, c, k, 1000);
		free(c);
	}
	assert_int_equal(t->fk.n_frames, 0);
	/* Tag length past the end (PPPoE length still consistent). */
	buf[20 + 2] = 0x40;
	uppp_ac_input(t->ac, buf, n, 1000);
	assert_int_equal(t->fk.n_frames, 0);
	assert_true(uppp_ac_counters(t->ac)->dropped_malformed >= n - 13);
}

static void max_sessions_and_per_mac_respected(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	const uint8_t hu2[4] = { 2, 2, 2, 2 };

	uppp_ac_free(t->ac);
	t->cfg.max_sessions = 2;
	t->cfg.max_per_mac = 1;
	t->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = f_emit, .ud = &t->fk };
	t->ac = uppp_ac_new(&t->cfg, &fops, &t->fk);
	assert_int_not_equal(connect_client(t, cl1, hu1, 4, 1000), 0);
	/* Same MAC, other Host-Uniq: over max-per-mac, no PADO. */
	size_t sent = t->fk.n_frames;
	uppp_ac_input(t->ac, buf, mk_padi(buf, cl1, "", hu2, 4, NULL, 0), 1100);
	assert_int_equal(t->fk.n_frames, sent);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_limit, 1);
	assert_true(logged(&t->fk, "max-per-mac is 1"));
	assert_int_not_equal(connect_client(t, cl2, hu1, 4, 1200), 0);
	assert_int_equal(uppp_ac_session_count(t->ac), 2);
	/* A third client: over max-sessions. */
	const uint8_t cl3[6] = { 0x52, 0x54, 0, 0, 0, 3 };
	sent = t->fk.n_frames;
	uppp_ac_input(t->ac, buf, mk_padi(buf, cl3, "", hu1, 4, NULL, 0), 1300);
	assert_int_equal(t->fk.n_frames, sent);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_limit, 2);
	assert_true(logged(&t->fk, "max-sessions is 2"));
	assert_int_equal(uppp_ac_session_count(t->ac), 2);
}

static void pool_full_means_no_pado(void **state)
{
	struct t *t = *state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];

	t->fk.refuse = true;
	uppp_ac_input(t->ac, buf, mk_padi(buf, cl1, "", hu1, 4, NULL, 0), 1000);
	assert_int_equal(t->fk.n_frames, 0);
	assert_int_equal(uppp_ac_counters(t->ac)->dropped_limit, 1);
	assert_true(logged(&t->fk, "no PADO sent: address pool"));
}

static void session_ids_random_nonzero_unique(void **state)
{
	struct t *t = *state;
	/* The random source repeats itself and offers the reserved ids. */
	static const uint16_t ids[] = { 0, 0xffff, 77, 77, 0, 77, 77, 78 };
	uint8_t mac[6] = { 0x52, 0, 0, 0, 0, 0 };

	t->fk.forced_ids = ids;
	t->fk.n_forced = sizeof(ids) / sizeof(ids[0]);
	mac[5] = 1;
	assert_int_equal(connect_client(t, mac, hu1, 4, 1000), 77);
	mac[5] = 2;
	assert_int_equal(connect_client(t, mac, hu1, 4, 1000), 78);
	mac[5] = 3;
	uint16_t third = connect_client(t, mac, hu1, 4, 1000);
	assert_true(third != 0 && third != 77 && third != 78 && third != 0xffff);
}

static void shutdown_sends_padt_and_reports_each(void **state)
{
	struct t *t = *state;

	assert_int_not_equal(connect_client(t, cl1, hu1, 4, 1000), 0);
	assert_int_not_equal(connect_client(t, cl2, hu1, 4, 1000), 0);
	uppp_ac_shutdown(t->ac, UPPP_CAUSE_ADMIN, 2000);
	assert_int_equal(uppp_ac_session_count(t->ac), 0);
	assert_int_equal(t->fk.downs, 2);
	assert_int_equal(t->fk.last_cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(count_disc(&t->fk, PPPOE_CODE_PADT), 2);
	assert_true(logged(&t->fk, "cause=admin"));
}

static void free_reports_each_without_sending(void **state)
{
	struct t *t = *state;

	assert_int_not_equal(connect_client(t, cl1, hu1, 4, 1000), 0);
	size_t sent = t->fk.n_frames;
	uppp_ac_free(t->ac);
	t->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = f_emit, .ud = &t->fk };
	t->ac = uppp_ac_new(&t->cfg, &fops, &t->fk);
	assert_int_equal(t->fk.downs, 1);
	assert_int_equal(t->fk.n_frames, sent);
}

static void send_ip_before_up_refused(void **state)
{
	struct t *t = *state;
	uint8_t pkt[20] = { 0x45 };

	uint16_t id = connect_client(t, cl1, hu1, 4, 1000);
	assert_int_not_equal(id, 0);
	assert_int_equal(uppp_ac_send_ip(t->ac, uppp_ac_session_find(t->ac, id), pkt, sizeof(pkt), 1100), -ENOTCONN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(padi_gets_pado_with_echoes_and_cookie, setup, teardown),
		cmocka_unit_test_setup_teardown(padi_for_unoffered_service_gets_no_pado, setup, teardown),
		cmocka_unit_test_setup_teardown(padi_not_for_us_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(padr_without_or_with_forged_cookie_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(good_padr_gets_pads_and_session, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_padr_resends_same_pads, setup, teardown),
		cmocka_unit_test_setup_teardown(padr_for_unoffered_service_gets_service_name_error, setup, teardown),
		cmocka_unit_test_setup_teardown(padt_only_from_the_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_session_frames_dropped_and_log_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_discovery_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(max_sessions_and_per_mac_respected, setup, teardown),
		cmocka_unit_test_setup_teardown(pool_full_means_no_pado, setup, teardown),
		cmocka_unit_test_setup_teardown(session_ids_random_nonzero_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(shutdown_sends_padt_and_reports_each, setup, teardown),
		cmocka_unit_test_setup_teardown(free_reports_each_without_sending, setup, teardown),
		cmocka_unit_test_setup_teardown(send_ip_before_up_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
