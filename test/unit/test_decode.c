/* test_decode.c — control packets decoded to one line (proto/decode.h):
 * exact pppd-style text for each protocol, secrets hidden, peer strings
 * escaped, malformed and truncated input, and a bounded output buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "proto/decode.h"
#include "proto/pppoe.h"

static char out[UPPP_DECODE_LINE_MAX];

#define PPP(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static const char *ppp(const uint8_t *p, size_t n)
{
	return uppp_decode_ppp(p, n, out, sizeof(out));
}

static void test_lcp_conf_req(void **state)
{
	(void)state;
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 1, 0, 14, 1, 4, 0x05, 0xd4, 5, 6, 0x12, 0x34, 0xab, 0xcd)),
			    "[LCP ConfReq id=0x1 <mru 1492> <magic 0x1234abcd>]");
	/* auth options, PFC/ACFC, ACCM */
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 0x2a, 0, 23, 3, 5, 0xc2, 0x23, 0x81, 3, 4, 0xc0, 0x23,
				    7, 2, 8, 2, 2, 6, 0, 0, 0, 0)),
			    "[LCP ConfReq id=0x2a <auth chap MS-v2> <auth pap> <pcomp> <accomp> <asyncmap 0x00000000>]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 2, 3, 0, 9, 3, 5, 0xc2, 0x23, 5)),
			    "[LCP ConfAck id=0x3 <auth chap MD5>]");
}

/* What a Windows client asks: callback (CBCP), MRRU, short sequence,
 * endpoint discriminator, link discriminator. */
static void test_lcp_windows_options(void **state)
{
	(void)state;
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 0, 0, 24, 13, 3, 6, 17, 4, 0x06, 0x4e, 18, 2,
				    19, 7, 1, 0xde, 0xad, 0xbe, 0xef, 23, 4, 0, 1)),
			    "[LCP ConfReq id=0x0 <callback CBCP> <mrru 1614> <ssnhf> "
			    "<endpoint class 1 deadbeef> <link-discriminator 0x0001>]");
	/* unknown option, and a known one with a length its RFC forbids */
	assert_string_equal(ppp(PPP(0xc0, 0x21, 4, 1, 0, 10, 99, 3, 0x42, 1, 3, 0x05)),
			    "[LCP ConfRej id=0x1 <opt99 42> <opt1 05>]");
}

static void test_lcp_other_codes(void **state)
{
	(void)state;
	assert_string_equal(ppp(PPP(0xc0, 0x21, 5, 2, 0, 16, 'U', 's', 'e', 'r', ' ', 'r', 'e', 'q', 'u', 'e', 's', 't')),
			    "[LCP TermReq id=0x2 \"User request\"]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 6, 2, 0, 4)), "[LCP TermAck id=0x2]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 9, 7, 0, 8, 0xca, 0xfe, 0xba, 0xbe)),
			    "[LCP EchoReq id=0x7 magic=0xcafebabe]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 10, 7, 0, 10, 0, 0, 0, 1, 0xaa, 0xbb)),
			    "[LCP EchoRep id=0x7 magic=0x00000001 len=2]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 8, 9, 0, 10, 0x80, 0x57, 1, 1, 0, 4)),
			    "[LCP ProtRej id=0x9 protocol=0x8057 (IPV6CP) len=4]");
	/* Windows' Identification: magic then a message */
	assert_string_equal(ppp(PPP(0xc0, 0x21, 12, 3, 0, 15, 0, 0, 0, 0, 'M', 'S', 'R', 'A', 'S', 'V', '5')),
			    "[LCP Ident id=0x3 magic=0x00000000 \"MSRASV5\"]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 13, 4, 0, 12, 0, 0, 0, 0, 0, 0, 0x0e, 0x10)),
			    "[LCP TimeRem id=0x4 magic=0x00000000 seconds=3600]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 7, 5, 0, 8, 0x20, 1, 0, 4)),
			    "[LCP CodeRej id=0x5 rejected-code=0x20 len=4]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 0x42, 5, 0, 4)), "[LCP code=0x42 id=0x5]");
}

static void test_ipcp(void **state)
{
	(void)state;
	assert_string_equal(ppp(PPP(0x80, 0x21, 1, 1, 0, 34, 3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0,
				    130, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0)),
			    "[IPCP ConfReq id=0x1 <addr 0.0.0.0> <ms-dns1 0.0.0.0> <ms-wins1 0.0.0.0> "
			    "<ms-dns2 0.0.0.0> <ms-wins2 0.0.0.0>]");
	assert_string_equal(ppp(PPP(0x80, 0x21, 3, 1, 0, 16, 3, 6, 10, 0, 0, 7, 129, 6, 10, 0, 0, 1)),
			    "[IPCP ConfNak id=0x1 <addr 10.0.0.7> <ms-dns1 10.0.0.1>]");
	assert_string_equal(ppp(PPP(0x80, 0x21, 4, 2, 0, 10, 2, 6, 0, 0x2d, 0x0f, 0x01)),
			    "[IPCP ConfRej id=0x2 <compress VJ 0f01>]");
	/* Echo is not an IPCP code */
	assert_string_equal(ppp(PPP(0x80, 0x21, 9, 2, 0, 4)), "[IPCP code=0x09 id=0x2]");
}

static void test_pap_hides_password(void **state)
{
	(void)state;
	const char *s = ppp(PPP(0xc0, 0x23, 1, 1, 0, 17, 5, 'a', 'l', 'i', 'c', 'e', 6, 's', 'e', 'c', 'r', 'e', 't'));
	assert_string_equal(s, "[PAP AuthReq id=0x1 user=\"alice\" password=<hidden>]");
	assert_null(strstr(s, "secret"));
	assert_string_equal(ppp(PPP(0xc0, 0x23, 3, 1, 0, 8, 3, 'n', 'o', '!')), "[PAP AuthNak id=0x1 \"no!\"]");
	assert_string_equal(ppp(PPP(0xc0, 0x23, 2, 1, 0, 5, 0)), "[PAP AuthAck id=0x1 \"\"]");
}

static void test_chap_md5(void **state)
{
	(void)state;
	uint8_t pkt[2 + 4 + 1 + 16 + 4] = { 0xc2, 0x23, 1, 0x11, 0, 25, 16 };
	for (int i = 0; i < 16; i++)
		pkt[7 + i] = (uint8_t)i;
	memcpy(pkt + 23, "uppp", 4);
	assert_string_equal(ppp(pkt, sizeof(pkt)),
			    "[CHAP Challenge id=0x11 <000102030405060708090a0b0c0d0e0f> name=\"uppp\"]");
	pkt[2] = 2;   /* the same bytes as a Response: the value is a secret-derived hash */
	assert_string_equal(ppp(pkt, sizeof(pkt)), "[CHAP Response id=0x11 <hidden 16 bytes> name=\"uppp\"]");
	assert_string_equal(ppp(PPP(0xc2, 0x23, 3, 0x11, 0, 8, 'O', 'K', '!', '!')),
			    "[CHAP Success id=0x11 \"OK!!\"]");
}

static void test_mschapv2_fields(void **state)
{
	(void)state;
	uint8_t pkt[2 + 4 + 1 + 49 + 5] = { 0xc2, 0x23, 2, 0x22, 0, 4 + 1 + 49 + 5, 49 };
	for (int i = 0; i < 16; i++)
		pkt[7 + i] = (uint8_t)(0xa0 + i);        /* Peer-Challenge */
	for (int i = 0; i < 24; i++)
		pkt[7 + 24 + i] = 0x77;                  /* NT-Response */
	pkt[7 + 48] = 0;                                 /* Flags */
	memcpy(pkt + 56, "alice", 5);
	const char *s = ppp(pkt, sizeof(pkt));
	assert_string_equal(s, "[CHAP Response id=0x22 ms-chapv2 peer-challenge=<a0a1a2a3a4a5a6a7a8a9aaabacadaeaf> "
			       "nt-response=<hidden> flags=0x00 name=\"alice\"]");
	assert_null(strstr(s, "7777"));
	const uint8_t fail[] = { 0xc2, 0x23, 4, 0x22, 0, 4 + 11, 'E', '=', '6', '9', '1', ' ', 'R', '=', '1', ' ', 'M' };
	assert_string_equal(ppp(fail, sizeof(fail)), "[CHAP Failure id=0x22 \"E=691 R=1 M\"]");
}

static void test_other_protocols(void **state)
{
	(void)state;
	assert_string_equal(ppp(PPP(0x80, 0xfd, 1, 1, 0, 10, 0x12, 6, 0, 0, 0, 1)),
			    "[CCP ConfReq id=0x1 len=10]");
	assert_string_equal(ppp(PPP(0x80, 0x57, 1, 2, 0, 14, 1, 10, 1, 2, 3, 4, 5, 6, 7, 8)),
			    "[IPV6CP ConfReq id=0x2 len=14]");
	assert_string_equal(ppp(PPP(0x82, 0x81, 1, 3, 0, 4)), "[proto=0x8281 ConfReq id=0x3 len=4]");
	assert_string_equal(ppp(PPP(0x00, 0x21, 0x45, 0, 0, 20)), "[IP len=4]");
	assert_string_equal(ppp(PPP(0x12, 0x35, 1)), "[proto=0x1235 len=1]");
}

/* Peer strings never reach the log raw: quotes, control bytes, escapes. */
static void test_peer_strings_escaped(void **state)
{
	(void)state;
	const char *s = ppp(PPP(0xc0, 0x21, 5, 1, 0, 11, 'a', '"', '\n', 0x1b, '\\', '%', 'n'));
	assert_string_equal(s, "[LCP TermReq id=0x1 \"a\\x22\\x0a\\x1b\\x5c%n\"]");
	assert_null(strchr(s, '\n'));
}

static void test_truncated_and_malformed(void **state)
{
	(void)state;
	assert_string_equal(ppp(PPP(0xc0)), "[<truncated>]");
	assert_string_equal(ppp(PPP(0xc0, 0x21)), "[LCP <truncated>]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 1)), "[LCP code=0x01 id=0x1 <truncated>]");
	/* Length field below 4 */
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 1, 0, 2)), "[LCP code=0x01 id=0x1 <bad length 2>]");
	/* Length says more than we have: what is there, then <truncated> */
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 1, 0, 40, 1, 4, 0x05, 0xd4)),
			    "[LCP ConfReq id=0x1 <mru 1492> <truncated>]");
	/* option length 0 and 1 (the classic infinite loop) */
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 1, 0, 8, 1, 4, 0x05, 0xd4, 5, 0)),
			    "[LCP ConfReq id=0x1 <mru 1492>]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 1, 0, 10, 1, 4, 0x05, 0xd4, 5, 0)),
			    "[LCP ConfReq id=0x1 <mru 1492> <opt5 bad length 0>]");
	assert_string_equal(ppp(PPP(0x80, 0x21, 1, 1, 0, 6, 3, 1)), "[IPCP ConfReq id=0x1 <opt3 bad length 1>]");
	/* option runs past Length */
	assert_string_equal(ppp(PPP(0x80, 0x21, 1, 1, 0, 8, 3, 6, 10, 0)),
			    "[IPCP ConfReq id=0x1 <opt3 length 6> <truncated>]");
	/* one byte of option header */
	assert_string_equal(ppp(PPP(0xc0, 0x21, 1, 1, 0, 5, 1)), "[LCP ConfReq id=0x1 <truncated>]");
	/* padding past Length is ignored */
	assert_string_equal(ppp(PPP(0xc0, 0x21, 6, 2, 0, 4, 0, 0, 0, 0)), "[LCP TermAck id=0x2]");
	/* PAP / CHAP with lengths that lie */
	assert_string_equal(ppp(PPP(0xc0, 0x23, 1, 1, 0, 8, 9, 'a', 'b', 'c')), "[PAP AuthReq id=0x1 <truncated>]");
	assert_string_equal(ppp(PPP(0xc0, 0x23, 1, 1, 0, 8, 2, 'a', 'b', 9)),
			    "[PAP AuthReq id=0x1 user=\"ab\" <truncated>]");
	assert_string_equal(ppp(PPP(0xc2, 0x23, 1, 1, 0, 7, 16, 1, 2)), "[CHAP Challenge id=0x1 <truncated>]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 9, 1, 0, 6, 1, 2)), "[LCP EchoReq id=0x1 <truncated>]");
	assert_string_equal(ppp(PPP(0xc0, 0x21, 8, 1, 0, 5, 1)), "[LCP ProtRej id=0x1 <truncated>]");
	assert_string_equal(ppp(PPP(0x80, 0xfd, 1, 1, 0, 90, 1)), "[CCP ConfReq id=0x1 len=5 <truncated>]");
}

/* The output never overflows, whatever the buffer size; a cut line ends in "...". */
static void test_bounded_output(void **state)
{
	(void)state;
	uint8_t pkt[2 + 4 + 200 * 6];
	size_t n = 0;
	char small[48];

	pkt[n++] = 0x80;
	pkt[n++] = 0x21;
	pkt[n++] = 1;
	pkt[n++] = 1;
	pkt[n++] = (uint8_t)((4 + 200 * 6) >> 8);
	pkt[n++] = (uint8_t)(4 + 200 * 6);
	for (int i = 0; i < 200; i++) {
		uint8_t o[] = { 3, 6, 10, 0, 0, (uint8_t)i };
		memcpy(pkt + n, o, 6);
		n += 6;
	}
	memset(small, 'Z', sizeof(small));
	uppp_decode_ppp(pkt, n, small, 40);
	assert_int_equal(strlen(small), 39);
	assert_memory_equal(small + 36, "...", 3);
	assert_int_equal(small[40], 'Z');   /* nothing written past cap */
	assert_memory_equal(small, "[IPCP ConfReq id=0x1 <addr 10.0.0.0> <", 38 - 2);

	/* a full-size buffer still bounds a huge packet */
	const char *s = ppp(pkt, n);
	assert_true(strlen(s) < sizeof(out));
	assert_memory_equal(s + strlen(s) - 3, "...", 3);

	/* tiny buffers */
	uppp_decode_ppp(pkt, n, small, 1);
	assert_int_equal(small[0], '\0');
	small[0] = 'Z';
	uppp_decode_ppp(pkt, n, small, 0);
	assert_int_equal(small[0], 'Z');
	uppp_decode_ppp(pkt, n, small, 3);
	assert_string_equal(small, "[I");
}

/* Every prefix of a valid packet, and random bytes, decode without
 * overrunning (ASan/valgrind watch the reads). */
static void test_every_prefix_and_noise(void **state)
{
	(void)state;
	uint8_t pkt[] = { 0xc0, 0x21, 1, 1, 0, 24, 13, 3, 6, 17, 4, 0x06, 0x4e, 18, 2,
			  19, 7, 1, 0xde, 0xad, 0xbe, 0xef, 23, 4, 0, 1 };
	uint64_t x = 88172645463325252ull;
	uint8_t buf[64];

	for (size_t i = 0; i <= sizeof(pkt); i++) {
		const char *s = ppp(pkt, i);
		assert_true(s[0] == '[');
		assert_true(s[strlen(s) - 1] == ']');
	}
	for (int round = 0; round < 20000; round++) {
		size_t n;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		n = x % sizeof(buf);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
		static const uint16_t protos[] = { 0xc021, 0x8021, 0xc023, 0xc223, 0x80fd, 0x8057 };
		if (n >= 2) {
			buf[0] = (uint8_t)(protos[round % 6] >> 8);
			buf[1] = (uint8_t)protos[round % 6];
		}
		const char *s = ppp(buf, n);
		assert_true(strlen(s) < sizeof(out));
		assert_int_equal(s[0], '[');
		uppp_decode_discovery(buf[0], 0, buf, n, out, sizeof(out));
		assert_true(strlen(out) < sizeof(out));
	}
}

static void test_discovery(void **state)
{
	(void)state;
	const uint8_t padi[] = { 0x01, 0x01, 0, 0, 0x01, 0x03, 0, 4, 0x0a, 0x0b, 0x0c, 0x0d };
	assert_string_equal(uppp_decode_discovery(PPPOE_CODE_PADI, 0, padi, sizeof(padi), out, sizeof(out)),
			    "[PADI sess=0x0000 <service-name \"\"> <host-uniq 0x0a0b0c0d>]");
	const uint8_t pado[] = { 0x01, 0x02, 0, 4, 'u', 'p', 'p', 'p', 0x01, 0x01, 0, 3, 'i', 's', 'p',
				 0x01, 0x04, 0, 2, 0xbe, 0xef, 0x01, 0x10, 0, 1, 0x99, 0x01, 0x20, 0, 2, 0x05, 0xdc };
	assert_string_equal(uppp_decode_discovery(PPPOE_CODE_PADO, 0, pado, sizeof(pado), out, sizeof(out)),
			    "[PADO sess=0x0000 <ac-name \"uppp\"> <service-name \"isp\"> <ac-cookie 0xbeef> "
			    "<relay-session-id 0x99> <ppp-max-payload 1500>]");
	const uint8_t padt[] = { 0x02, 0x03, 0, 5, 'b', 'y', 'e', '\'', 0, 0x02, 0x02, 0, 0, 0x01, 0x05, 0, 0 };
	assert_string_equal(uppp_decode_discovery(PPPOE_CODE_PADT, 0x1234, padt, sizeof(padt), out, sizeof(out)),
			    "[PADT sess=0x1234 <generic-error \"bye\\x27\\x00\"> <ac-system-error \"\"> "
			    "<vendor-specific 0x>]");
	/* tag past the end; unknown tag; End-Of-List stops */
	const uint8_t bad[] = { 0x01, 0x03, 0, 9, 1 };
	assert_string_equal(uppp_decode_discovery(PPPOE_CODE_PADR, 0, bad, sizeof(bad), out, sizeof(out)),
			    "[PADR sess=0x0000 <tag 0x0103 length 9> <truncated>]");
	const uint8_t odd[] = { 0x77, 0x77, 0, 1, 5, 0, 0, 0, 0, 0x01, 0x01, 0, 0 };
	assert_string_equal(uppp_decode_discovery(0x42, 1, odd, sizeof(odd), out, sizeof(out)),
			    "[PPPoE code=0x42 sess=0x0001 <tag 0x7777 0x05> <end-of-list>]");
	const uint8_t half[] = { 0x01 };
	assert_string_equal(uppp_decode_discovery(PPPOE_CODE_PADS, 7, half, sizeof(half), out, sizeof(out)),
			    "[PADS sess=0x0007 <truncated>]");
}

static void test_frames(void **state)
{
	(void)state;
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 1 }, src[6] = { 2, 0, 0, 0, 0, 2 };
	uint8_t f[128];
	int n = uppp_pppoe_build_padi(f, sizeof(f), src, uppp_pppoe_tag_str("isp"), uppp_pppoe_tag_bytes("\x01\x02", 2));
	assert_true(n > 0);
	assert_string_equal(uppp_decode_frame(f, (size_t)n, out, sizeof(out)),
			    "[PADI sess=0x0000 <service-name \"isp\"> <host-uniq 0x0102>]");
	n = uppp_pppoe_build_session_hdr(f, sizeof(f), dst, src, 0x11, 2 + 8);
	assert_int_equal(n, UPPP_PPPOE_SESSION_HLEN);
	const uint8_t echo[] = { 0xc0, 0x21, 9, 1, 0, 8, 0, 0, 0, 5 };
	memcpy(f + n, echo, sizeof(echo));
	assert_string_equal(uppp_decode_frame(f, (size_t)n + sizeof(echo), out, sizeof(out)),
			    "[LCP EchoReq id=0x1 magic=0x00000005]");
	assert_string_equal(uppp_decode_frame(f, 10, out, sizeof(out)), "[PPPoE <truncated>]");
	f[12] = 0x08;
	f[13] = 0x00;
	assert_string_equal(uppp_decode_frame(f, (size_t)n + sizeof(echo), out, sizeof(out)), "[not PPPoE]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lcp_conf_req),
		cmocka_unit_test(test_lcp_windows_options),
		cmocka_unit_test(test_lcp_other_codes),
		cmocka_unit_test(test_ipcp),
		cmocka_unit_test(test_pap_hides_password),
		cmocka_unit_test(test_chap_md5),
		cmocka_unit_test(test_mschapv2_fields),
		cmocka_unit_test(test_other_protocols),
		cmocka_unit_test(test_peer_strings_escaped),
		cmocka_unit_test(test_truncated_and_malformed),
		cmocka_unit_test(test_bounded_output),
		cmocka_unit_test(test_every_prefix_and_noise),
		cmocka_unit_test(test_discovery),
		cmocka_unit_test(test_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
