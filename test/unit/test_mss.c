/* test_mss.c — TCP MSS clamping on real IPv4 SYN packets.
 *
 * Packets are built here with a TCP checksum from an independent, full
 * reference computation (pseudo-header + segment). After clamping, the
 * checksum in the packet must equal the full recomputation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/mss.h"

#define SYN 0x02
#define ACK 0x10
#define RST 0x04

/* ---- reference checksum: plain RFC 1071 sum over every byte ---- */

static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

/* Full TCP checksum of the IPv4 packet pkt, with the checksum field taken as
 * zero. Reads IHL and total length from the header. */
static uint16_t tcp_csum_full(const uint8_t *pkt)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	size_t total = (size_t)pkt[2] << 8 | pkt[3];
	size_t tlen = total - ihl;
	uint8_t pseudo[12];
	memcpy(pseudo, pkt + 12, 8);  /* source and destination addresses */
	pseudo[8] = 0;
	pseudo[9] = 6;
	pseudo[10] = (uint8_t)(tlen >> 8);
	pseudo[11] = (uint8_t)tlen;
	uint8_t *seg = malloc(tlen);
	assert_non_null(seg);
	memcpy(seg, pkt + ihl, tlen);
	seg[16] = seg[17] = 0;
	uint32_t sum = sum_bytes(0, pseudo, sizeof(pseudo));
	sum = sum_bytes(sum, seg, tlen);
	free(seg);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t stored_csum(const uint8_t *pkt)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	return (uint16_t)(pkt[ihl + 16] << 8 | pkt[ihl + 17]);
}

/* ---- packet builder ---- */

struct spec {
	size_t ip_opts;          /* bytes of IP options (multiple of 4; NOPs) */
	uint8_t flags;           /* TCP flags byte */
	const uint8_t *opts;     /* TCP options */
	size_t opts_len;         /* multiple of 4 */
	const uint8_t *payload;
	size_t payload_len;
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq;
	uint8_t byte12_low;      /* low nibble of TCP byte 12 (reserved / AE bit) */
	uint16_t frag;           /* flags + fragment offset field */
	uint8_t proto;           /* 0 = TCP */
};

static size_t build(uint8_t *pkt, size_t cap, const struct spec *s)
{
	size_t ihl = 20 + s->ip_opts;
	size_t doff = 20 + s->opts_len;
	size_t total = ihl + doff + s->payload_len;
	assert_true(total <= cap);
	assert_true(s->ip_opts % 4 == 0 && s->opts_len % 4 == 0);
	memset(pkt, 0, total);
	pkt[0] = (uint8_t)(0x40 | ihl / 4);
	pkt[2] = (uint8_t)(total >> 8);
	pkt[3] = (uint8_t)total;
	pkt[4] = 0x12;
	pkt[5] = 0x34;
	pkt[6] = (uint8_t)(s->frag >> 8);
	pkt[7] = (uint8_t)s->frag;
	pkt[8] = 64;
	pkt[9] = s->proto ? s->proto : 6;
	for (int i = 0; i < 4; i++) {
		pkt[12 + i] = (uint8_t)(s->src >> (24 - 8 * i));
		pkt[16 + i] = (uint8_t)(s->dst >> (24 - 8 * i));
	}
	memset(pkt + 20, 1, s->ip_opts);  /* IP NOP options */
	uint8_t *t = pkt + ihl;
	t[0] = (uint8_t)(s->sport >> 8);
	t[1] = (uint8_t)s->sport;
	t[2] = (uint8_t)(s->dport >> 8);
	t[3] = (uint8_t)s->dport;
	for (int i = 0; i < 4; i++)
		t[4 + i] = (uint8_t)(s->seq >> (24 - 8 * i));
	t[12] = (uint8_t)((doff / 4) << 4 | (s->byte12_low & 0x0f));
	t[13] = s->flags;
	t[14] = 0xfa;
	t[15] = 0xf0;
	if (s->opts_len)
		memcpy(t + 20, s->opts, s->opts_len);
	if (s->payload_len)
		memcpy(t + doff, s->payload, s->payload_len);
	uint16_t c = tcp_csum_full(pkt);
	t[16] = (uint8_t)(c >> 8);
	t[17] = (uint8_t)c;
	return total;
}

static struct spec base_spec(const uint8_t *opts, size_t opts_len)
{
	struct spec s = { 0 };
	s.flags = SYN;
	s.opts = opts;
	s.opts_len = opts_len;
	s.src = 0x0a000007;  /* 10.0.0.7 */
	s.dst = 0x5db8d822;  /* 93.184.216.34 */
	s.sport = 51514;
	s.dport = 443;
	s.seq = 0x9e3779b9;
	return s;
}

/* Reads the MSS value of the option whose kind byte is at TCP offset off. */
static uint16_t mss_at(const uint8_t *pkt, size_t off)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	return (uint16_t)(pkt[ihl + off + 2] << 8 | pkt[ihl + off + 3]);
}

static void assert_clamped(uint8_t *pkt, size_t len, uint16_t max, size_t mss_off, uint16_t expect_mss)
{
	assert_int_equal(uppp_mss_clamp(pkt, len, max), 1);
	assert_int_equal(mss_at(pkt, mss_off), expect_mss);
	assert_int_equal(stored_csum(pkt), tcp_csum_full(pkt));
}

static void assert_untouched(uint8_t *pkt, size_t len, uint16_t max, int expect_rc)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, pkt, len);
	assert_int_equal(uppp_mss_clamp(pkt, len, max), expect_rc);
	assert_memory_equal(copy, pkt, len);
	free(copy);
}

/* MSS 1460 then SACK-permitted + NOP NOP: a typical Linux SYN has more, but
 * this is enough. */
static const uint8_t opts_plain[] = { 2, 4, 0x05, 0xb4, 4, 2, 1, 1 };

/* ---- tests ---- */

static void test_syn_clamped(void **state)
{
	(void)state;
	uint8_t pkt[128];
	struct spec s = base_spec(opts_plain, sizeof(opts_plain));
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_int_equal(stored_csum(pkt), tcp_csum_full(pkt));
	assert_clamped(pkt, n, 1452, 20, 1452);
	/* Clamping again is a no-op. */
	assert_untouched(pkt, n, 1452, 0);
	/* And further down. */
	assert_clamped(pkt, n, 1256, 20, 1256);
}

static void test_syn_ack_clamped(void **state)
{
	(void)state;
	uint8_t pkt[128];
	struct spec s = base_spec(opts_plain, sizeof(opts_plain));
	s.flags = SYN | ACK;
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_clamped(pkt, n, 1452, 20, 1452);
}

static void test_non_syn_untouched(void **state)
{
	(void)state;
	uint8_t pkt[128];
	struct spec s = base_spec(opts_plain, sizeof(opts_plain));
	uint8_t flags[] = { ACK, ACK | 0x08 /* PSH */, 0x01 /* FIN */, RST, 0 };
	for (size_t i = 0; i < sizeof(flags); i++) {
		s.flags = flags[i];
		size_t n = build(pkt, sizeof(pkt), &s);
		assert_untouched(pkt, n, 1200, 0);
	}
}

static void test_mss_below_or_equal_untouched(void **state)
{
	(void)state;
	uint8_t pkt[128];
	struct spec s = base_spec(opts_plain, sizeof(opts_plain));
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 1460, 0);
	assert_untouched(pkt, n, 1500, 0);
	assert_untouched(pkt, n, 65535, 0);
	/* No MSS option at all. */
	static const uint8_t no_mss[] = { 1, 1, 4, 2 };
	s = base_spec(no_mss, sizeof(no_mss));
	n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 536, 0);
	/* No options. */
	s = base_spec(NULL, 0);
	n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 536, 0);
}

static void test_nops_before_mss(void **state)
{
	(void)state;
	uint8_t pkt[128];
	static const uint8_t opts[] = { 1, 1, 1, 1, 2, 4, 0x23, 0x28, 1, 1, 1, 0 };  /* MSS 9000 */
	struct spec s = base_spec(opts, sizeof(opts));
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_clamped(pkt, n, 1452, 24, 1452);
}

/* MSS value at an odd offset from the TCP header: its two bytes fall in two
 * different 16-bit checksum words. */
static void test_odd_aligned_mss(void **state)
{
	(void)state;
	uint8_t pkt[128];
	static const uint8_t opts1[] = { 1, 2, 4, 0x05, 0xb4, 1, 1, 0 };               /* value at 23 */
	static const uint8_t opts2[] = { 3, 3, 7, 2, 4, 0xff, 0xff, 0 };              /* WS then MSS, value at 25 */
	struct spec s = base_spec(opts1, sizeof(opts1));
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_clamped(pkt, n, 1452, 21, 1452);
	s = base_spec(opts2, sizeof(opts2));
	n = build(pkt, sizeof(pkt), &s);
	assert_clamped(pkt, n, 1400, 23, 1400);
}

/* Many random packets (addresses, ports, MSS, position, payload): the
 * incremental update must always match the full recomputation. */
static void test_random_checksums(void **state)
{
	(void)state;
	uint32_t x = 0x12345678;
#define NEXT() (x ^= x << 13, x ^= x >> 17, x ^= x << 5, x)
	for (int iter = 0; iter < 5000; iter++) {
		uint8_t opts[40], payload[33], pkt[200];
		size_t nops = NEXT() % 9;
		size_t olen = (nops + 4 + 3) / 4 * 4;
		memset(opts, 0, sizeof(opts));
		memset(opts, 1, nops);
		uint16_t mss = (uint16_t)(NEXT() | 1);
		uint16_t max = (uint16_t)(NEXT() % 65536);
		opts[nops] = 2;
		opts[nops + 1] = 4;
		opts[nops + 2] = (uint8_t)(mss >> 8);
		opts[nops + 3] = (uint8_t)mss;
		size_t plen = NEXT() % sizeof(payload);
		for (size_t i = 0; i < plen; i++)
			payload[i] = (uint8_t)NEXT();
		struct spec s = base_spec(opts, olen);
		s.src = NEXT();
		s.dst = NEXT();
		s.sport = (uint16_t)NEXT();
		s.dport = (uint16_t)NEXT();
		s.seq = NEXT();
		s.payload = payload;
		s.payload_len = plen;
		s.ip_opts = (NEXT() % 3) * 4;
		s.flags = (NEXT() & 1) ? SYN : SYN | ACK;
		size_t n = build(pkt, sizeof(pkt), &s);
		if (mss > max) {
			assert_clamped(pkt, n, max, 20 + nops, max);
		} else {
			assert_untouched(pkt, n, max, 0);
		}
	}
#undef NEXT
}

static void test_ip_options(void **state)
{
	(void)state;
	uint8_t pkt[128];
	for (size_t ipo = 4; ipo <= 40; ipo += 4) {
		struct spec s = base_spec(opts_plain, sizeof(opts_plain));
		s.ip_opts = ipo;
		size_t n = build(pkt, sizeof(pkt), &s);
		assert_clamped(pkt, n, 1412, 20, 1412);
	}
}

/* The classic trap: reading the data offset with the wrong shift or mask.
 * The low nibble of byte 12 holds reserved bits / AE; with a correct read
 * these are ignored. */
static void test_data_offset_read_correctly(void **state)
{
	(void)state;
	uint8_t pkt[128];
	struct spec s = base_spec(opts_plain, sizeof(opts_plain));
	s.byte12_low = 0x0f;
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_clamped(pkt, n, 1452, 20, 1452);

	/* Data offset 5 (no options) with MSS-looking bytes in the payload: the
	 * payload is not options and must not be touched. */
	static const uint8_t fake[] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 0 };
	s = base_spec(NULL, 0);
	s.payload = fake;
	s.payload_len = sizeof(fake);
	s.byte12_low = 0x0f;
	n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 1000, 0);
}

static void test_padding_after_total_length(void **state)
{
	(void)state;
	uint8_t pkt[128];
	struct spec s = base_spec(opts_plain, sizeof(opts_plain));
	size_t n = build(pkt, sizeof(pkt), &s);
	memset(pkt + n, 0xee, 18);  /* Ethernet-style padding after the packet */
	assert_clamped(pkt, n + 18, 1452, 20, 1452);
	for (size_t i = 0; i < 18; i++)
		assert_int_equal(pkt[n + i], 0xee);
}

/* Every prefix of a valid SYN, as the wire would cut it (total length
 * still claiming the full size): malformed, untouched, no over-read (each
 * prefix is its own heap block so ASan catches a read past it). */
static void test_truncated_every_length(void **state)
{
	(void)state;
	uint8_t pkt[128];
	static const uint8_t opts[] = { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 2, 4, 0x05, 0xb4 };
	static const uint8_t payload[] = "GET / HTTP/1.0\r\n";
	struct spec s = base_spec(opts, sizeof(opts));
	s.ip_opts = 8;
	s.payload = payload;
	s.payload_len = sizeof(payload) - 1;
	size_t n = build(pkt, sizeof(pkt), &s);
	size_t ihl = 28, hdr_end = ihl + 20 + sizeof(opts);
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *p = malloc(cut ? cut : 1);
		assert_non_null(p);
		memcpy(p, pkt, cut);
		assert_untouched(p, cut, 1000, -EINVAL);
		/* Same cut, but total length agreeing with it: still malformed
		 * until the whole TCP header is there. */
		if (cut >= 4) {
			p[2] = (uint8_t)(cut >> 8);
			p[3] = (uint8_t)cut;
			if (cut < hdr_end) {
				assert_untouched(p, cut, 1000, -EINVAL);
			} else {
				/* Header complete: the MSS is rewritten (checksum of the
				 * shortened segment is not what we check here). */
				assert_int_equal(uppp_mss_clamp(p, cut, 1000), 1);
				assert_int_equal(mss_at(p, 20 + 12), 1000);
			}
		}
		free(p);
	}
	assert_clamped(pkt, n, 1000, 32, 1000);
}

static void expect_bad_opts(const uint8_t *opts, size_t len)
{
	uint8_t pkt[128];
	struct spec s = base_spec(opts, len);
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 536, -EINVAL);
}

static void test_bad_option_lengths(void **state)
{
	(void)state;
	/* MSS with length 0, 1, 3, 5 and past the end of the header. */
	static const uint8_t mss0[] = { 2, 0, 0x05, 0xb4 };
	static const uint8_t mss1[] = { 2, 1, 0x05, 0xb4 };
	static const uint8_t mss3[] = { 2, 3, 0x05, 0xb4 };
	static const uint8_t mss5[] = { 2, 5, 0x05, 0xb4, 0, 0, 0, 0 };
	static const uint8_t mss_past[] = { 1, 1, 2, 4 };
	/* Another option with length 0, 1 and past the end, before a valid MSS. */
	static const uint8_t ts0[] = { 8, 0, 2, 4, 0x05, 0xb4, 0, 0 };
	static const uint8_t ts1[] = { 8, 1, 2, 4, 0x05, 0xb4, 0, 0 };
	static const uint8_t ts_past[] = { 2, 4, 0x05, 0xb4, 8, 10, 0, 0 };
	/* A kind byte as the last byte of the header: no room for its length. */
	static const uint8_t no_len[] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 8 };
	expect_bad_opts(mss0, sizeof(mss0));
	expect_bad_opts(mss1, sizeof(mss1));
	expect_bad_opts(mss3, sizeof(mss3));
	expect_bad_opts(mss5, sizeof(mss5));
	expect_bad_opts(mss_past, sizeof(mss_past));
	expect_bad_opts(ts0, sizeof(ts0));
	expect_bad_opts(ts1, sizeof(ts1));
	expect_bad_opts(ts_past, sizeof(ts_past));
	expect_bad_opts(no_len, sizeof(no_len));
}

static void test_eol_ends_options(void **state)
{
	(void)state;
	uint8_t pkt[128];
	/* After EOL, bytes are padding: an MSS-looking sequence there is ignored,
	 * and so is garbage (no -EINVAL). */
	static const uint8_t opts[] = { 1, 0, 2, 4, 0x05, 0xb4, 8, 0 };
	struct spec s = base_spec(opts, sizeof(opts));
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 536, 0);
}

static void test_two_mss_options_both_clamped(void **state)
{
	(void)state;
	uint8_t pkt[128];
	static const uint8_t opts[] = { 2, 4, 0x05, 0xb4, 1, 2, 4, 0x20, 0x00, 0, 0, 0 };
	struct spec s = base_spec(opts, sizeof(opts));
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_clamped(pkt, n, 1300, 20, 1300);
	assert_int_equal(mss_at(pkt, 25), 1300);
}

static void test_bad_ip_headers(void **state)
{
	(void)state;
	uint8_t pkt[128];
	memset(pkt, 0, sizeof(pkt));
	struct spec s = base_spec(opts_plain, sizeof(opts_plain));
	size_t n = build(pkt, sizeof(pkt), &s);

	/* IHL below 5. */
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		pkt[0] = (uint8_t)(0x40 | ihl);
		assert_untouched(pkt, n, 536, -EINVAL);
	}
	/* IHL × 4 beyond the buffer. */
	pkt[0] = 0x4f;
	assert_untouched(pkt, 56, 536, -EINVAL);
	n = build(pkt, sizeof(pkt), &s);
	/* Total length beyond the buffer, or shorter than the IP header. */
	pkt[2] = 0;
	pkt[3] = (uint8_t)(n + 1);
	assert_untouched(pkt, n, 536, -EINVAL);
	pkt[3] = 19;
	assert_untouched(pkt, n, 536, -EINVAL);
	n = build(pkt, sizeof(pkt), &s);
	/* TCP data offset below 5 or beyond the segment. */
	uint8_t saved = pkt[32];
	for (uint8_t d = 0; d < 5; d++) {
		pkt[32] = (uint8_t)(d << 4);
		assert_untouched(pkt, n, 536, -EINVAL);
	}
	pkt[32] = 0xf0;
	assert_untouched(pkt, n, 536, -EINVAL);
	pkt[32] = saved;
	assert_clamped(pkt, n, 536, 20, 536);
}

static void test_not_applicable(void **state)
{
	(void)state;
	uint8_t pkt[128];
	struct spec s = base_spec(opts_plain, sizeof(opts_plain));

	s.proto = 17;  /* UDP */
	size_t n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 536, 0);

	s.proto = 0;
	s.frag = 0x0005;  /* offset 40 bytes: a later fragment */
	n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 536, 0);
	s.frag = 0x2000 | 0x1fff;
	n = build(pkt, sizeof(pkt), &s);
	assert_untouched(pkt, n, 536, 0);

	/* First fragment (MF, offset 0) carries the TCP header: clamped. */
	s.frag = 0x2000;
	n = build(pkt, sizeof(pkt), &s);
	assert_clamped(pkt, n, 536, 20, 536);

	/* IPv6 and other versions are left alone. */
	s.frag = 0;
	n = build(pkt, sizeof(pkt), &s);
	pkt[0] = 0x60;
	assert_untouched(pkt, n, 536, 0);
	pkt[0] = 0x65;
	assert_untouched(pkt, 1, 536, 0);

	/* Empty input is malformed. */
	assert_int_equal(uppp_mss_clamp(pkt, 0, 536), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn_clamped),
		cmocka_unit_test(test_syn_ack_clamped),
		cmocka_unit_test(test_non_syn_untouched),
		cmocka_unit_test(test_mss_below_or_equal_untouched),
		cmocka_unit_test(test_nops_before_mss),
		cmocka_unit_test(test_odd_aligned_mss),
		cmocka_unit_test(test_random_checksums),
		cmocka_unit_test(test_ip_options),
		cmocka_unit_test(test_data_offset_read_correctly),
		cmocka_unit_test(test_padding_after_total_length),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_bad_option_lengths),
		cmocka_unit_test(test_eol_ends_options),
		cmocka_unit_test(test_two_mss_options_both_clamped),
		cmocka_unit_test(test_bad_ip_headers),
		cmocka_unit_test(test_not_applicable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
