/* test_trace.c — the pure pieces of capture and trace: which frames are
 * control and which data (runtime/tap.h), the trace's JSON lines
 * (runtime/trace.h), and the ladder `uppp trace` draws from such lines
 * (cli/ladder.c through cli/ctl.c's uppp_ctl_trace_render), against golden
 * text in UTF-8 and ASCII, with and without colour, escaping and the
 * 80-column limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "runtime/tap.h"
#include "runtime/trace.h"
/* the cli's renderer: cli/ is no library, its two files are compiled here */
#include "cli/ctl.c"
#include "cli/ladder.c"

static const uint8_t CLIENT[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t SERVER[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/* An Ethernet frame from src to dst: type, then body. */
static size_t frame(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type, const uint8_t *body,
		    size_t n)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
	memcpy(f + 14, body, n);
	return 14 + n;
}

static const uint8_t PADI[] = { 0x11, 0x09, 0x00, 0x00, 0x00, 0x0c, 0x01, 0x01, 0x00, 0x00,
				0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef };
/* session 0x0102: LCP Configure-Request id 1, MRU 1492 */
static const uint8_t LCP_REQ[] = { 0x11, 0x00, 0x01, 0x02, 0x00, 0x0a, 0xc0, 0x21,
				   0x01, 0x01, 0x00, 0x08, 0x01, 0x04, 0x05, 0xd4 };
static const uint8_t IPV4[] = { 0x11, 0x00, 0x01, 0x02, 0x00, 0x16, 0x00, 0x21, 0x45, 0, 0, 20, 0, 0, 0, 0,
				64, 1, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1 };

static void classify(void **state)
{
	uint8_t f[128];
	(void)state;
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8863, PADI, sizeof(PADI))),
			 UPPP_FRAME_DISCOVERY);
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8864, LCP_REQ, sizeof(LCP_REQ))),
			 UPPP_FRAME_CONTROL);
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8864, IPV4, sizeof(IPV4))),
			 UPPP_FRAME_DATA);
	uint8_t b[sizeof(LCP_REQ)];
	memcpy(b, LCP_REQ, sizeof(b));
	b[6] = 0x80, b[7] = 0x21;   /* IPCP: control */
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8864, b, sizeof(b))), UPPP_FRAME_CONTROL);
	b[6] = 0x00, b[7] = 0x57;   /* IPv6: data */
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8864, b, sizeof(b))), UPPP_FRAME_DATA);
	b[6] = 0x21;                /* a compressed protocol field (odd first byte): IPv4, data */
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8864, b, sizeof(b))), UPPP_FRAME_DATA);
	b[6] = 0xc2, b[7] = 0x23;   /* CHAP */
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8864, b, sizeof(b))), UPPP_FRAME_CONTROL);
	/* 802.1Q in front */
	uint8_t v[4 + sizeof(IPV4)] = { 0x00, 0x07, 0x88, 0x64 };
	memcpy(v + 4, IPV4, sizeof(IPV4));
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8100, v, sizeof(v))), UPPP_FRAME_DATA);
	/* not PPPoE, or too short to tell */
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x0800, IPV4 + 8, 20)), UPPP_FRAME_OTHER);
	assert_int_equal(uppp_frame_classify(f, frame(f, SERVER, CLIENT, 0x8864, LCP_REQ, 6)), UPPP_FRAME_OTHER);
	assert_int_equal(uppp_frame_classify(f, 13), UPPP_FRAME_OTHER);
}

/* A tap that counts what it is offered. */
struct counting_tap {
	struct uppp_tap tap;
	unsigned frames[4], ends;
	bool remove_self;
	struct uppp_taps *taps;
};

static void count_frame(struct uppp_tap *t, enum uppp_tap_dir dir, const uint8_t *f, size_t len,
			enum uppp_frame_class cls, uint64_t now)
{
	struct counting_tap *c = (struct counting_tap *)t;
	(void)dir, (void)f, (void)len, (void)now;
	c->frames[cls]++;
	if (c->remove_self)
		uppp_taps_remove(c->taps, t);
}

static void taps_offer_data_only_to_who_asked(void **state)
{
	struct uppp_taps taps = { 0 };
	struct counting_tap ctl = { .tap = { .frame = count_frame } };
	struct counting_tap all = { .tap = { .frame = count_frame, .data = true } };
	struct counting_tap once = { .tap = { .frame = count_frame, .data = true }, .remove_self = true, .taps = &taps };
	uint8_t f[128];
	(void)state;
	uppp_taps_add(&taps, &ctl.tap);
	uppp_taps_add(&taps, &once.tap);
	uppp_taps_add(&taps, &all.tap);
	uppp_taps_frame(&taps, UPPP_TAP_IN, f, frame(f, SERVER, CLIENT, 0x8864, IPV4, sizeof(IPV4)), 1);
	uppp_taps_frame(&taps, UPPP_TAP_OUT, f, frame(f, CLIENT, SERVER, 0x8864, LCP_REQ, sizeof(LCP_REQ)), 2);
	uppp_taps_frame(&taps, UPPP_TAP_IN, f, frame(f, SERVER, CLIENT, 0x8863, PADI, sizeof(PADI)), 3);
	uppp_taps_frame(&taps, UPPP_TAP_IN, f, frame(f, SERVER, CLIENT, 0x0806, PADI, sizeof(PADI)), 4);
	assert_int_equal(ctl.frames[UPPP_FRAME_DATA], 0);
	assert_int_equal(ctl.frames[UPPP_FRAME_CONTROL], 1);
	assert_int_equal(ctl.frames[UPPP_FRAME_DISCOVERY], 1);
	assert_int_equal(all.frames[UPPP_FRAME_DATA], 1);
	assert_int_equal(all.frames[UPPP_FRAME_CONTROL] + all.frames[UPPP_FRAME_DISCOVERY], 2);
	assert_int_equal(all.frames[UPPP_FRAME_OTHER] + ctl.frames[UPPP_FRAME_OTHER], 0);   /* not PPPoE: nobody */
	/* removed itself during the first frame, and the others still got it */
	assert_int_equal(once.frames[UPPP_FRAME_DATA], 1);
	assert_int_equal(once.frames[UPPP_FRAME_CONTROL], 0);
	uppp_taps_remove(&taps, &ctl.tap);
	uppp_taps_remove(&taps, &all.tap);
	assert_null(taps.head);
}

static void trace_lines(void **state)
{
	uint8_t f[128];
	char line[UPPP_TRACE_LINE_MAX];
	(void)state;
	size_t n = uppp_trace_line_frame(line, sizeof(line), 1234, UPPP_TAP_IN, f,
					 frame(f, SERVER, CLIENT, 0x8863, PADI, sizeof(PADI)));
	assert_string_equal(line, "{\"t\":1234,\"dir\":\"in\",\"sid\":0,\"mac\":\"02:00:00:00:00:01\",\"kind\":\"PADI\","
			    "\"text\":\"PADI sess=0x0000 <service-name \\\"\\\"> <host-uniq 0xdeadbeef>\"}\n");
	assert_int_equal(n, strlen(line));
	/* out: the peer is the destination */
	uppp_trace_line_frame(line, sizeof(line), 1240, UPPP_TAP_OUT, f,
			      frame(f, CLIENT, SERVER, 0x8864, LCP_REQ, sizeof(LCP_REQ)));
	assert_string_equal(line, "{\"t\":1240,\"dir\":\"out\",\"sid\":258,\"mac\":\"02:00:00:00:00:01\",\"kind\":\"LCP\","
			    "\"text\":\"LCP ConfReq id=0x1 <mru 1492>\"}\n");
	uppp_trace_line_end(line, sizeof(line), 1300, 258, CLIENT, UPPP_CAUSE_ADMIN, "bye \\x22now\\x22");
	assert_string_equal(line, "{\"t\":1300,\"event\":\"end\",\"sid\":258,\"mac\":\"02:00:00:00:00:01\","
			    "\"cause\":\"admin\",\"text\":\"bye \\\\x22now\\\\x22\"}\n");
	uppp_trace_line_dropped(line, sizeof(line), 1400, 17);
	assert_string_equal(line, "{\"t\":1400,\"event\":\"dropped\",\"lines\":17}\n");
	struct uppp_trace_filter flt = { .by_mac = true };
	memcpy(flt.mac, CLIENT, 6);
	uppp_trace_line_start(line, sizeof(line), &flt);
	assert_string_equal(line, "{\"event\":\"start\",\"sid\":null,\"mac\":\"02:00:00:00:00:01\"}\n");
	/* too small a buffer: 0, never a cut line */
	assert_int_equal(uppp_trace_line_dropped(line, 20, 1400, 17), 0);

	/* the filter: the peer of a frame, by MAC and by session */
	uint16_t sid;
	uint8_t mac[6];
	assert_true(uppp_trace_frame_peer(f, frame(f, CLIENT, SERVER, 0x8864, LCP_REQ, sizeof(LCP_REQ)), UPPP_TAP_OUT,
					  &sid, mac));
	assert_int_equal(sid, 0x0102);
	assert_memory_equal(mac, CLIENT, 6);
	assert_true(uppp_trace_match(&flt, sid, mac));
	struct uppp_trace_filter by_sid = { .by_sid = true, .sid = 7 };
	assert_false(uppp_trace_match(&by_sid, sid, mac));
	by_sid.sid = 0x0102;
	assert_true(uppp_trace_match(&by_sid, sid, mac));
	flt.mac[5] = 9;
	assert_false(uppp_trace_match(&flt, sid, mac));
}

static const char *const JSON_LINES[] = {
	"{\"event\":\"start\",\"sid\":null,\"mac\":\"02:00:00:00:00:01\"}",
	"{\"t\":5000,\"dir\":\"in\",\"sid\":0,\"mac\":\"02:00:00:00:00:01\",\"kind\":\"PADI\",\"text\":\"PADI sess=0x0000\"}",
	"{\"t\":5002,\"dir\":\"out\",\"sid\":0,\"mac\":\"02:00:00:00:00:01\",\"kind\":\"PADO\",\"text\":\"PADO sess=0x0000 <ac-name \\\"uppp\\\">\"}",
	"{\"t\":5010,\"dir\":\"in\",\"sid\":1,\"mac\":\"02:00:00:00:00:01\",\"kind\":\"LCP\",\"text\":\"LCP ConfReq id=0x1 <mru 1492> <magic 0x0a0b0c0d>\"}",
	"{\"t\":5011,\"dir\":\"in\",\"sid\":1,\"mac\":\"02:00:00:00:00:01\",\"kind\":\"PAP\",\"text\":\"PAP AuthReq id=0x2 user=\\\"e\\u001b[31mvil\\\" password=<hidden> and a great deal more text than any terminal line holds\"}",
	"{\"t\":5012,\"event\":\"dropped\",\"lines\":3}",
	"{\"t\":6500,\"dir\":\"out\",\"sid\":1,\"mac\":\"02:00:00:00:00:01\",\"kind\":\"PADT\",\"text\":\"PADT sess=0x0001\"}",
	"{\"t\":6500,\"event\":\"end\",\"sid\":1,\"mac\":\"02:00:00:00:00:01\",\"cause\":\"admin\",\"text\":\"moved\"}",
	NULL,
};

static void render_all(bool utf8, bool color, char *out, size_t cap)
{
	struct uppp_ladder l = { .utf8 = utf8, .color = color };
	size_t len = 0;
	out[0] = '\0';
	for (const char *const *p = JSON_LINES; *p; p++) {
		char line[1024];
		assert_int_equal(uppp_ctl_trace_render(&l, *p, line, sizeof(line)), 0);
		assert_true(len + strlen(line) < cap);
		memcpy(out + len, line, strlen(line) + 1);
		len += strlen(line);
	}
}

static const char GOLDEN_ASCII[] =
	"           client                                    server\n"
	"    0.000  --PADI sess=0x0000----------------------------->\n"
	"    0.002  <--------------PADO sess=0x0000 ac-name \"uppp\"--\n"
	"    0.010  --LCP ConfReq id=0x1 mru 1492 magic 0x0a0b0c0d-->\n"
	"    0.011  --PAP AuthReq id=0x2 user=\"e\\x1b[31mvil\" password=hidden and a...-->\n"
	"    0.012  ... 3 lines dropped (this trace was read too slowly)\n"
	"    1.500  <-----------------------------PADT sess=0x0001--\n"
	"    1.500  == session 1 ended, cause: admin \"moved\"\n";

static void ladder_ascii(void **state)
{
	char out[4096];
	(void)state;
	render_all(false, false, out, sizeof(out));
	assert_string_equal(out, GOLDEN_ASCII);
	/* every line within 80 columns */
	for (char *p = out, *nl; (nl = strchr(p, '\n')); p = nl + 1)
		assert_true(nl - p <= UPPP_LADDER_COLUMNS);
}

static void ladder_utf8_and_colour(void **state)
{
	char out[8192], ascii[8192];
	(void)state;
	render_all(true, false, out, sizeof(out));
	/* the same picture: ─ for -, ▶ for >, ◀ for <, ═ for = */
	size_t k = 0;
	for (const char *p = out; *p;) {
		if (!strncmp(p, "\u2500", 3)) { ascii[k++] = '-'; p += 3; }
		else if (!strncmp(p, "\u25b6", 3)) { ascii[k++] = '>'; p += 3; }
		else if (!strncmp(p, "\u25c0", 3)) { ascii[k++] = '<'; p += 3; }
		else if (!strncmp(p, "\u2550", 3)) { ascii[k++] = '='; p += 3; }
		else ascii[k++] = *p++;
	}
	ascii[k] = '\0';
	assert_string_equal(ascii, GOLDEN_ASCII);
	assert_non_null(strstr(out, "\u2500\u2500PADI"));
	assert_null(strchr(out, '\033'));
	render_all(true, true, out, sizeof(out));
	assert_non_null(strstr(out, "\033[32m\u2500\u2500PADI"));   /* in: green */
	assert_non_null(strstr(out, "\033[36m\u25c0"));               /* out: cyan */
	assert_non_null(strstr(out, "\033[1;31m\u2550\u2550 session 1 ended"));
	/* the only escapes are ours: the peer's ESC is \x1b */
	assert_non_null(strstr(out, "user=\"e\\x1b[31mvil\""));
}

static void ladder_bad_lines(void **state)
{
	struct uppp_ladder l = { 0 };
	char out[256];
	(void)state;
	assert_int_equal(uppp_ctl_trace_render(&l, "not json", out, sizeof(out)), -1);
	assert_int_equal(uppp_ctl_trace_render(&l, "{\"error\":\"busy: 4 traces\\u0007\"}", out, sizeof(out)), 1);
	assert_string_equal(out, "busy: 4 traces\\x07");
	assert_int_equal(uppp_ctl_trace_render(&l, "{\"event\":\"future\"}", out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classify),
		cmocka_unit_test(taps_offer_data_only_to_who_asked),
		cmocka_unit_test(trace_lines),
		cmocka_unit_test(ladder_ascii),
		cmocka_unit_test(ladder_utf8_and_colour),
		cmocka_unit_test(ladder_bad_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
