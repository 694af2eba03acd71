/* test_dial_renegotiate.c — the client engine (proto/dial.h) against a
 * scripted access concentrator that renegotiates LCP while the session is
 * up and then gives the client another address and a smaller MRU: the host
 * hears up() again with the new link (runtime/client.c then moves its TUN).
 * Then the host's frame buffer (uppp_dial_ops.frame_buffer): an IP packet it
 * put there is framed in place. Frames in memory, the virtual clock. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "proto/dial.h"
#include "core/ppp_defs.h"
#include "proto/pppoe.h"

#define OUT_MAX 128
#define SID 7

static const uint8_t ac_mac[6] = { 0x02, 0xac, 0, 0, 0, 1 };
static const uint8_t cl_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

struct dw {
	uint64_t now, rng;
	struct uppp_dial_config cfg;
	struct uppp_dial *d;
	struct { size_t len; bool taken; uint8_t b[UPPP_PPPOE_FRAME_MAX]; } out[OUT_MAX];
	size_t n_out;
	unsigned ups, downs;
	struct uppp_ppp_link link;
	uint8_t ac_id;
	bool verbose;
	uint8_t *fb;          /* frame_buffer returns this (NULL: the dial's own) */
	bool last_in_fb;      /* the last frame sent came from fb */
};

static void dw_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct dw *w = ctx;
	assert_true(w->n_out < OUT_MAX && len <= UPPP_PPPOE_FRAME_MAX);
	w->out[w->n_out].len = len;
	w->out[w->n_out].taken = false;
	w->last_in_fb = w->fb != NULL && frame == w->fb;
	memcpy(w->out[w->n_out].b, frame, len);
	w->n_out++;
}

static int dw_random(void *ctx, void *buf, size_t len)
{
	struct dw *w = ctx;
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++) {
		w->rng ^= w->rng << 13;
		w->rng ^= w->rng >> 7;
		w->rng ^= w->rng << 17;
		p[i] = (uint8_t)(w->rng >> 11);
	}
	return 0;
}

static void dw_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void dw_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
{
	struct dw *w = ctx;
	va_list ap;
	(void)level;
	if (!w->verbose)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* the engine's logger: every level, each line as one "%s" */
static void dw_emit(void *ud, enum uppp_log_level level, const char *line)
{
	dw_log(ud, level, "%s", line);
}

static int dw_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct dw *w = ctx;
	w->ups++;
	w->link = *link;
	return 0;
}

static void dw_down(void *ctx, enum uppp_cause cause)
{
	(void)cause;
	((struct dw *)ctx)->downs++;
}

static uint8_t *dw_frame_buffer(void *ctx) { return ((struct dw *)ctx)->fb; }

static const struct uppp_dial_ops dw_ops = {
	.send_frame = dw_send, .random = dw_random, .up = dw_up, .down = dw_down,
	.frame_buffer = dw_frame_buffer,
};

static void dw_inject(struct dw *w, uint8_t *frame, size_t len)
{
	uppp_dial_input(w->d, frame, len, w->now);
}

/* The next untaken frame the client sent of this ethertype and (discovery)
 * code or (session) PPP protocol and control code. */
static const uint8_t *dw_expect(struct dw *w, uint16_t ethertype, uint16_t proto, uint8_t code, size_t *len,
				struct uppp_pppoe_frame *f)
{
	for (size_t i = 0; i < w->n_out; i++) {
		if (w->out[i].taken || uppp_pppoe_parse(w->out[i].b, w->out[i].len, f) || f->ethertype != ethertype)
			continue;
		if (ethertype == ETH_P_PPPOE_DISC && f->code != code)
			continue;
		if (ethertype == ETH_P_PPPOE_SESS &&
		    (f->payload_len < 3 || uppp_get_be16(f->payload) != proto || f->payload[2] != code))
			continue;
		w->out[i].taken = true;
		*len = ethertype == ETH_P_PPPOE_SESS ? f->payload_len - 2u : f->payload_len;
		return ethertype == ETH_P_PPPOE_SESS ? f->payload + 2 : f->payload;
	}
	fail_msg("client sent no ethertype 0x%04x proto 0x%04x code %u", ethertype, proto, code);
	return NULL;
}

static const uint8_t *dw_expect_ppp(struct dw *w, uint16_t proto, uint8_t code, size_t *len)
{
	struct uppp_pppoe_frame f;
	return dw_expect(w, ETH_P_PPPOE_SESS, proto, code, len, &f);
}

static void dw_cp(struct dw *w, uint16_t proto, uint8_t code, uint8_t id, const uint8_t *data, size_t dlen)
{
	uint8_t f[UPPP_PPPOE_FRAME_MAX];
	int hl = uppp_pppoe_build_session_hdr(f, sizeof(f), cl_mac, ac_mac, SID, dlen + 6);
	assert_int_equal(hl, UPPP_PPPOE_SESSION_HLEN);
	uppp_put_be16(f + hl, proto);
	f[hl + 2] = code;
	f[hl + 3] = id;
	uppp_put_be16(f + hl + 4, (uint16_t)(dlen + 4));
	if (dlen)
		memcpy(f + hl + 6, data, dlen);
	dw_inject(w, f, (size_t)hl + 6 + dlen);
}

/* Acks the client's next request of proto, echoing its options. */
static void dw_ack_client(struct dw *w, uint16_t proto)
{
	size_t len;
	const uint8_t *req = dw_expect_ppp(w, proto, 1, &len);
	uint16_t plen = uppp_get_be16(req + 2);
	assert_true(plen >= 4 && plen <= len);
	dw_cp(w, proto, 2, req[1], req + 4, plen - 4u);
}

static void dw_discover(struct dw *w)
{
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;
	struct uppp_pppoe_tag svc = uppp_pppoe_tag_str("");
	struct uppp_pppoe_out o = { 0 };
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	size_t len;

	uppp_dial_start(w->d, w->now);
	const uint8_t *p = dw_expect(w, ETH_P_PPPOE_DISC, 0, PPPOE_CODE_PADI, &len, &f);
	assert_int_equal(uppp_pppoe_parse_tags(p, len, &t), 0);
	o.services = &svc;
	o.n_services = 1;
	o.ac_name = uppp_pppoe_tag_str("scripted");
	o.host_uniq = uppp_pppoe_tag_bytes(t.host_uniq.p, t.host_uniq.len);
	int n = uppp_pppoe_build_pado(buf, sizeof(buf), cl_mac, ac_mac, &o);
	assert_true(n > 0);
	dw_inject(w, buf, (size_t)n);
	dw_expect(w, ETH_P_PPPOE_DISC, 0, PPPOE_CODE_PADR, &len, &f);
	n = uppp_pppoe_build_pads(buf, sizeof(buf), cl_mac, ac_mac, SID, &o);
	assert_true(n > 0);
	dw_inject(w, buf, (size_t)n);
	assert_int_equal(uppp_dial_session_id(w->d), SID);
}

/* LCP with our MRU and PAP required; the client's request acked. */
static void dw_lcp(struct dw *w, uint16_t mru)
{
	uint8_t opts[] = { 1, 4, 0, 0, 3, 4, 0xc0, 0x23, 5, 6, 0x11, 0x22, 0x33, 0x44 };
	size_t len;
	uppp_put_be16(opts + 2, mru);
	dw_cp(w, PPP_LCP, 1, ++w->ac_id, opts, sizeof(opts));
	dw_expect_ppp(w, PPP_LCP, 2, &len);
	dw_ack_client(w, PPP_LCP);
}

static void dw_pap_ack(struct dw *w)
{
	static const uint8_t msg[] = { 0 };
	size_t len;
	const uint8_t *req = dw_expect_ppp(w, PPP_PAP, 1, &len);
	dw_cp(w, PPP_PAP, 2, req[1], msg, sizeof(msg));
}

/* IPCP: the client asks 0.0.0.0, we Nak with ip; it asks ip, we ack; it
 * acks our own request (10.0.0.1). */
static void dw_ipcp(struct dw *w, uint32_t ip)
{
	uint8_t ours[] = { 3, 6, 10, 0, 0, 1 }, nak[] = { 3, 6, 0, 0, 0, 0 };
	size_t len;
	uppp_put_be32(nak + 2, ip);
	dw_cp(w, PPP_IPCP, 1, ++w->ac_id, ours, sizeof(ours));
	const uint8_t *req = dw_expect_ppp(w, PPP_IPCP, 1, &len);
	dw_cp(w, PPP_IPCP, 3, req[1], nak, sizeof(nak));
	dw_ack_client(w, PPP_IPCP);
	dw_expect_ppp(w, PPP_IPCP, 2, &len);
}

static void client_hears_up_again_with_new_address_and_mtu(void **state)
{
	(void)state;
	struct dw *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->rng = 0x243f6a8885a308d3ull;
	w->verbose = getenv("UPPP_TEST_VERBOSE") != NULL;
	memcpy(w->cfg.mac, cl_mac, 6);
	w->cfg.service = "";
	uppp_ppp_config_defaults(&w->cfg.ppp);
	w->cfg.ppp.name = "alice";
	w->cfg.ppp.password = "wonderland";
	w->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = dw_emit, .ud = w };
	w->d = uppp_dial_new(&w->cfg, &dw_ops, w);
	assert_non_null(w->d);

	dw_discover(w);
	dw_lcp(w, 1492);
	dw_pap_ack(w);
	dw_ipcp(w, 0x0a000007);
	assert_int_equal(w->ups, 1);
	assert_int_equal(w->link.local_ip, 0x0a000007);
	assert_int_equal(w->link.mtu, 1492);

	/* the AC renegotiates: new MRU, and (after PAP) another address */
	dw_lcp(w, 1400);
	assert_false(uppp_dial_is_up(w->d));
	dw_pap_ack(w);
	dw_ipcp(w, 0x0a000008);
	assert_true(uppp_dial_is_up(w->d));
	assert_int_equal(w->ups, 2);
	assert_int_equal(w->downs, 0);
	assert_int_equal(w->link.local_ip, 0x0a000008);
	assert_int_equal(w->link.peer_ip, 0x0a000001);
	assert_int_equal(w->link.mtu, 1400);

	/* the host's slot: a packet it read there is framed where it lies */
	uint8_t slot[UPPP_FRAME_MAX] = { 0 }, ip[40] = { 0x45 };
	ip[9] = 17;
	ip[39] = 0x5a;
	w->fb = slot;
	memcpy(slot + UPPP_FRAME_IP_OFFSET, ip, sizeof(ip));
	assert_int_equal(uppp_dial_send_ip(w->d, slot + UPPP_FRAME_IP_OFFSET, sizeof(ip), w->now), 0);
	assert_true(w->last_in_fb);
	assert_int_equal(w->out[w->n_out - 1].len, UPPP_FRAME_IP_OFFSET + sizeof(ip));
	assert_memory_equal(w->out[w->n_out - 1].b, ac_mac, 6);
	assert_int_equal(uppp_get_be16(w->out[w->n_out - 1].b + 20), PPP_IP);
	assert_memory_equal(w->out[w->n_out - 1].b + UPPP_FRAME_IP_OFFSET, ip, sizeof(ip));

	uppp_dial_free(w->d);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(client_hears_up_again_with_new_address_and_mtu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
