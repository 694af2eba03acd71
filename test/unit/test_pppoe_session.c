/* test_pppoe_session.c — the PPPoE session carrier (proto/pppoe_session.c) on
 * its own, under a fake owner: which session frames it hands to PPP and
 * which it refuses, the frames it builds, PADT at most once, and what it does
 * when the owner's randomness or interface fails. */
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
#include "proto/pppoe.h"
#include "proto/pppoe_session.h"

static const uint8_t our_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };
static const uint8_t peer_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
#define SID 0x1234

struct owner {
	struct uppp_pppoe_session ps;
	struct uppp_ppp_config cfg;   /* the session points at it */
	uint8_t tx[UPPP_PPPOE_FRAME_MAX];
	struct uppp_logger lg;   /* outlives the session */
	uint8_t last[UPPP_PPPOE_FRAME_MAX];
	size_t last_len;
	unsigned frames, delivered, ups, downs;
	int random_err;
	enum uppp_cause up_answer, down_cause;
	char log[16][512];
	unsigned n_log;
};

static struct owner *owner_of(struct uppp_pppoe_session *ps)
{
	return (struct owner *)((char *)ps - offsetof(struct owner, ps));
}

static void o_send(struct uppp_pppoe_session *ps, const uint8_t *frame, size_t len)
{
	struct owner *o = owner_of(ps);
	assert_true(len <= sizeof(o->last));
	memcpy(o->last, frame, len);
	o->last_len = len;
	o->frames++;
}

static uint8_t *o_tx(struct uppp_pppoe_session *ps) { return owner_of(ps)->tx; }
static const struct uppp_logger *o_logger(struct uppp_pppoe_session *ps) { return &owner_of(ps)->lg; }
static void o_deliver(struct uppp_pppoe_session *ps, uint8_t *pkt, size_t len) { owner_of(ps)->delivered++; }

static int o_random(struct uppp_pppoe_session *ps, void *buf, size_t len)
{
	struct owner *o = owner_of(ps);
	memset(buf, 0x5a, len);
	return o->random_err;
}

static enum uppp_cause o_up(struct uppp_pppoe_session *ps, const struct uppp_ppp_link *link)
{
	owner_of(ps)->ups++;
	return owner_of(ps)->up_answer;
}

static void o_down(struct uppp_pppoe_session *ps, enum uppp_cause cause)
{
	struct owner *o = owner_of(ps);
	o->downs++;
	o->down_cause = cause;
	ps->dead = true;
}

static void o_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct owner *o = ud;
	snprintf(o->log[o->n_log++ % 16], sizeof(o->log[0]), "%s", line);
}

static bool logged(const struct owner *o, const char *needle)
{
	for (unsigned i = 0; i < 16 && i < o->n_log; i++)
		if (strstr(o->log[i], needle))
			return true;
	return false;
}

static uint8_t *o_tx(struct uppp_pppoe_session *ps);
static const struct uppp_logger *o_logger(struct uppp_pppoe_session *ps);
static const struct uppp_pppoe_session_ops server_ops = {
	.is_server = true, .name_peer_mac = true, .tx_buffer = o_tx, .logger = o_logger,
	.send_frame = o_send, .deliver_ip = o_deliver, .random = o_random, .up = o_up, .down = o_down,
};
static const struct uppp_pppoe_session_ops client_ops = {
	.is_server = false, .name_peer_mac = false, .tx_buffer = o_tx, .logger = o_logger,
	.send_frame = o_send, .deliver_ip = o_deliver, .random = o_random, .up = o_up, .down = o_down,
};

/* An owner with an opened session (LCP Configure-Request sent). */
static struct owner *owner_new(const struct uppp_pppoe_session_ops *ops, bool debug)
{
	struct owner *o = calloc(1, sizeof(*o));

	assert_non_null(o);
	uppp_ppp_config_defaults(&o->cfg);
	o->cfg.debug = debug;
	o->cfg.is_server = !ops->is_server;   /* not read: the carrier's ops say */
	o->lg = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = o_emit, .ud = o };
	uppp_pppoe_session_init(&o->ps, ops, &o->cfg, &o->lg, our_mac, peer_mac, SID);
	assert_ptr_equal(o->ps.ppp.env.cfg, &o->cfg);   /* the template is shared, not copied */
	uppp_pppoe_session_open(&o->ps, &uppp_pppoe_session_ppp_ops, 1000);
	assert_int_equal(o->ps.ppp.lcp.is_server, ops->is_server);
	assert_int_equal(uppp_pppoe_session_settle(&o->ps, 1000) != UPPP_NO_DEADLINE, true);
	assert_int_equal(o->frames, 1);
	return o;
}

/* A session frame to us: code, id, source, PPP bytes. */
static size_t session_frame(uint8_t *f, uint8_t code, uint16_t id, const uint8_t *src, const uint8_t *ppp,
			    size_t len)
{
	memcpy(f, our_mac, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88, f[13] = 0x64, f[14] = 0x11, f[15] = code;
	uppp_put_be16(f + 16, id);
	uppp_put_be16(f + 18, (uint16_t)len);
	memcpy(f + 20, ppp, len);
	return 20 + len;
}

/* LCP Configure-Request without options: the engine answers it at once
 * (Configure-Ack), so a frame it got is seen on the wire. */
static const uint8_t conf_req[] = { 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };

static int feed(struct owner *o, struct uppp_pppoe_session *ps, uint8_t code, uint16_t id, const uint8_t *src,
		size_t ppp_len)
{
	uint8_t f[64];
	struct uppp_pppoe_frame pf;
	size_t n = session_frame(f, code, id, src, conf_req, ppp_len);

	assert_int_equal(uppp_pppoe_parse(f, n, &pf), 0);
	return uppp_pppoe_session_input(ps, f, &pf, 2000);
}

static void input_refuses_what_is_not_ours(void **state)
{
	struct owner *o = owner_new(&server_ops, false);
	static const uint8_t other[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x99 };
	unsigned before = o->frames;

	assert_int_equal(feed(o, &o->ps, 0x07, SID, peer_mac, sizeof(conf_req)), -EBADMSG);  /* code PADO */
	assert_int_equal(feed(o, &o->ps, 0xa7, SID, peer_mac, sizeof(conf_req)), -EBADMSG);  /* code PADT */
	assert_int_equal(feed(o, &o->ps, 0x00, SID, peer_mac, 1), -EBADMSG);                 /* no protocol */
	assert_int_equal(feed(o, &o->ps, 0x00, SID + 1, peer_mac, sizeof(conf_req)), -ENOENT);
	assert_int_equal(feed(o, &o->ps, 0x00, SID, other, sizeof(conf_req)), -ENOENT);
	assert_int_equal(feed(o, NULL, 0x00, SID, peer_mac, sizeof(conf_req)), -ENOENT);
	assert_int_equal(feed(o, NULL, 0x00, SID, peer_mac, 0), -EBADMSG);  /* malformed first */
	assert_int_equal(o->frames, before);   /* the engine saw none of them */

	/* ours: the engine answers the Configure-Request (Configure-Ack) */
	assert_int_equal(feed(o, &o->ps, 0x00, SID, peer_mac, sizeof(conf_req)), 0);
	assert_true(o->frames > before);
	before = o->frames;

	/* an ended session takes nothing */
	o->ps.dead = true;
	assert_int_equal(feed(o, &o->ps, 0x00, SID, peer_mac, sizeof(conf_req)), -ENOENT);
	assert_int_equal(o->frames, before);
	free(o);
}

static void ppp_packets_get_the_session_header(void **state)
{
	struct owner *o = owner_new(&server_ops, true);
	static const uint8_t info[] = { 0x09, 0x42, 0x00, 0x08, 1, 2, 3, 4 };
	static const uint8_t want_hdr[] = {
		0x52, 0x54, 0, 0x12, 0x34, 0x56,   /* to the peer */
		0x02, 0xac, 0, 0, 0, 1,            /* from us */
		0x88, 0x64, 0x11, 0x00,            /* session stage, ver/type 1/1, code 0 */
		0x12, 0x34, 0x00, 0x0a,            /* id, length = protocol + info */
		0xc0, 0x21,
	};

	uppp_pppoe_session_ppp_send(&o->ps, 0xc021, info, sizeof(info));
	assert_int_equal(o->last_len, sizeof(want_hdr) + sizeof(info));
	assert_memory_equal(o->last, want_hdr, sizeof(want_hdr));
	assert_memory_equal(o->last + sizeof(want_hdr), info, sizeof(info));
	/* debug: the control packet decoded, under the session's prefix */
	assert_true(logged(o, "sess=4660 mac=52:54:00:12:34:56 sent [LCP EchoReq id=0x42"));

	/* larger than one frame: dropped, logged, nothing sent */
	unsigned before = o->frames;
	uint8_t big[UPPP_PPPOE_MAX_PAYLOAD];
	memset(big, 0, sizeof(big));
	uppp_pppoe_session_ppp_send(&o->ps, 0x0021, big, sizeof(big));
	assert_int_equal(o->frames, before);
	assert_true(logged(o, "sess=4660 mac=52:54:00:12:34:56 event=tx-drop protocol=0x0021 len=1494"));
	/* one that just fits goes */
	uppp_pppoe_session_ppp_send(&o->ps, 0x0021, big, sizeof(big) - 2);
	assert_int_equal(o->frames, before + 1);
	assert_int_equal(o->last_len, UPPP_PPPOE_FRAME_MAX);

	/* silent or ended: nothing goes out, nothing is delivered */
	o->ps.silent = true;
	uppp_pppoe_session_ppp_send(&o->ps, 0xc021, info, sizeof(info));
	o->ps.silent = false;
	o->ps.dead = true;
	uppp_pppoe_session_ppp_send(&o->ps, 0xc021, info, sizeof(info));
	uppp_pppoe_session_ppp_deliver_ip(&o->ps, big, 20);
	assert_int_equal(o->frames, before + 1);
	assert_int_equal(o->delivered, 0);
	o->ps.dead = false;
	uppp_pppoe_session_ppp_deliver_ip(&o->ps, big, 20);
	assert_int_equal(o->delivered, 1);
	free(o);
}

static void padt_once_and_never_in_answer(void **state)
{
	struct owner *o = owner_new(&client_ops, true);
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;
	unsigned before = o->frames;

	assert_true(uppp_pppoe_session_send_padt(&o->ps, UPPP_CAUSE_ADMIN));
	assert_int_equal(o->frames, before + 1);
	assert_int_equal(uppp_pppoe_parse(o->last, o->last_len, &f), 0);
	assert_int_equal(f.ethertype, ETH_P_PPPOE_DISC);
	assert_int_equal(f.code, PPPOE_CODE_PADT);
	assert_int_equal(f.session_id, SID);
	assert_memory_equal(f.dst, peer_mac, 6);
	assert_memory_equal(f.src, our_mac, 6);
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_true(t.generic_error.present);
	assert_int_equal(t.generic_error.len, strlen(uppp_cause_text(UPPP_CAUSE_ADMIN)));
	assert_true(logged(o, "sess=4660 sent [PADT"));   /* client prefix: no mac= */
	assert_false(uppp_pppoe_session_send_padt(&o->ps, UPPP_CAUSE_ADMIN));
	assert_int_equal(o->frames, before + 1);
	free(o);

	o = owner_new(&server_ops, false);
	before = o->frames;
	o->ps.peer_padt = true;
	assert_false(uppp_pppoe_session_send_padt(&o->ps, UPPP_CAUSE_PEER_PADT));
	o->ps.peer_padt = false;
	o->ps.silent = true;
	assert_false(uppp_pppoe_session_send_padt(&o->ps, UPPP_CAUSE_ADMIN));
	assert_int_equal(o->frames, before);
	free(o);
}

static void failed_randomness_closes_after_the_call(void **state)
{
	struct owner *o = owner_new(&server_ops, false);
	uint8_t buf[8];

	o->random_err = -EIO;
	assert_int_equal(uppp_pppoe_session_ppp_random(&o->ps, buf, sizeof(buf)), -EIO);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);   /* never the owner's half-filled bytes */
	assert_int_equal(o->ps.close_pending, UPPP_CAUSE_HOST_ERROR);
	assert_true(logged(o, "sess=4660 mac=52:54:00:12:34:56 event=random-failed err=-5"));
	/* a later failure keeps the first cause */
	o->ps.close_pending = UPPP_CAUSE_INTERFACE;
	(void)uppp_pppoe_session_ppp_random(&o->ps, buf, sizeof(buf));
	assert_int_equal(o->ps.close_pending, UPPP_CAUSE_INTERFACE);
	o->ps.close_pending = UPPP_CAUSE_HOST_ERROR;

	/* settle runs the close: LCP Terminate-Request goes out */
	unsigned before = o->frames;
	(void)uppp_pppoe_session_settle(&o->ps, 1500);
	assert_int_equal(o->ps.close_pending, UPPP_CAUSE_NONE);
	assert_int_equal(o->frames, before + 1);
	assert_int_equal(uppp_get_be16(o->last + 20), 0xc021);
	assert_int_equal(o->last[22], 5);   /* Terminate-Request */
	free(o);
}

static void up_refused_by_the_owner_closes(void **state)
{
	struct owner *o = owner_new(&client_ops, false);
	struct uppp_ppp_link link = { 0 };

	uppp_pppoe_session_ppp_up(&o->ps, &link);
	assert_int_equal(o->ups, 1);
	assert_int_equal(o->ps.close_pending, UPPP_CAUSE_NONE);
	o->up_answer = UPPP_CAUSE_INTERFACE;
	uppp_pppoe_session_ppp_up(&o->ps, &link);
	assert_int_equal(o->ps.close_pending, UPPP_CAUSE_INTERFACE);

	/* down reaches the owner; once it has ended, settle has no deadline */
	uppp_pppoe_session_ppp_down(&o->ps, UPPP_CAUSE_INTERFACE);
	assert_int_equal(o->downs, 1);
	assert_int_equal(o->down_cause, UPPP_CAUSE_INTERFACE);
	assert_true(uppp_pppoe_session_settle(&o->ps, 2000) == UPPP_NO_DEADLINE);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(input_refuses_what_is_not_ours),
		cmocka_unit_test(ppp_packets_get_the_session_header),
		cmocka_unit_test(padt_once_and_never_in_answer),
		cmocka_unit_test(failed_randomness_closes_after_the_call),
		cmocka_unit_test(up_refused_by_the_owner_closes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
