/* test_pppoe.c — PPPoE codec: header parse, tags, builders, hostile lengths. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "proto/pppoe.h"

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* A PADI exactly as pppd's rp-pppoe plugin sends it from a virtio NIC:
 * empty Service-Name, 4-byte Host-Uniq, no Ethernet padding (32 bytes). */
static const uint8_t padi32[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x88, 0x63,
	0x11, 0x09, 0x00, 0x00, 0x00, 0x0c,
	0x01, 0x01, 0x00, 0x00,
	0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
};

static void unpadded_32_byte_padi_parses(void **state)
{
	(void)state;
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;

	assert_int_equal(uppp_pppoe_parse(padi32, sizeof(padi32), &f), 0);
	assert_int_equal(f.ethertype, ETH_P_PPPOE_DISC);
	assert_int_equal(f.code, PPPOE_CODE_PADI);
	assert_int_equal(f.session_id, 0);
	assert_int_equal(f.payload_len, 12);
	assert_memory_equal(f.dst, bcast, 6);
	assert_int_equal(f.src[5], 0x56);
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_true(t.service_name.present);
	assert_int_equal(t.service_name.len, 0);
	assert_int_equal(t.n_services, 1);
	assert_true(t.host_uniq.present);
	assert_int_equal(t.host_uniq.len, 4);
	assert_memory_equal(t.host_uniq.p, "\xde\xad\xbe\xef", 4);
	assert_false(t.ac_name.present);
	assert_false(t.cookie.present);
	assert_false(t.relay_id.present);
	assert_false(uppp_pppoe_tags_have_error(&t));
}

static void ethernet_padding_is_ignored(void **state)
{
	(void)state;
	uint8_t frame[60];
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;

	memset(frame, 0xee, sizeof(frame));  /* padding of garbage that looks like a tag */
	memcpy(frame, padi32, sizeof(padi32));
	assert_int_equal(uppp_pppoe_parse(frame, sizeof(frame), &f), 0);
	assert_int_equal(f.payload_len, 12);
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_int_equal(t.n_services, 1);
}

static void every_truncation_fails_cleanly(void **state)
{
	(void)state;
	struct uppp_pppoe_frame f;

	for (size_t n = 0; n < sizeof(padi32); n++) {
		/* An exact-size heap copy so ASan catches any over-read. */
		uint8_t *buf = malloc(n ? n : 1);
		assert_non_null(buf);
		memcpy(buf, padi32, n);
		/* Short header, or a length field larger than what arrived. */
		assert_int_equal(uppp_pppoe_parse(buf, n, &f), -EMSGSIZE);
		free(buf);
	}
}

static void truncated_tags_at_every_offset(void **state)
{
	(void)state;
	const uint8_t *tags = padi32 + 20;
	size_t tlen = 12;
	struct uppp_pppoe_tags t;

	for (size_t n = 0; n <= tlen; n++) {
		uint8_t *buf = malloc(n ? n : 1);
		assert_non_null(buf);
		memcpy(buf, tags, n);
		int err = uppp_pppoe_parse_tags(buf, n, &t);
		free(buf);
		/* Whole tags: offsets 0, 4 (after Service-Name) and 12. */
		if (n == 0 || n == 4 || n == 12)
			assert_int_equal(err, 0);
		else
			assert_int_equal(err, -EBADMSG);
	}
}

static void bad_version_or_type_rejected(void **state)
{
	(void)state;
	uint8_t buf[sizeof(padi32)];
	struct uppp_pppoe_frame f;
	const uint8_t bad[] = { 0x21, 0x12, 0x01, 0x10, 0x00, 0xff };

	for (size_t i = 0; i < sizeof(bad); i++) {
		memcpy(buf, padi32, sizeof(buf));
		buf[14] = bad[i];
		assert_int_equal(uppp_pppoe_parse(buf, sizeof(buf), &f), -EBADMSG);
	}
}

static void other_ethertype_rejected(void **state)
{
	(void)state;
	uint8_t buf[sizeof(padi32)];
	struct uppp_pppoe_frame f;

	memcpy(buf, padi32, sizeof(buf));
	buf[12] = 0x08;
	buf[13] = 0x00;
	assert_int_equal(uppp_pppoe_parse(buf, sizeof(buf), &f), -EPROTONOSUPPORT);
}

static void length_field_larger_than_frame_rejected(void **state)
{
	(void)state;
	uint8_t buf[sizeof(padi32)];
	struct uppp_pppoe_frame f;

	memcpy(buf, padi32, sizeof(buf));
	buf[19] = 13;  /* one more than received */
	assert_int_equal(uppp_pppoe_parse(buf, sizeof(buf), &f), -EMSGSIZE);
	buf[18] = 0xff;
	buf[19] = 0xff;
	assert_int_equal(uppp_pppoe_parse(buf, sizeof(buf), &f), -EMSGSIZE);
	buf[18] = 0;
	buf[19] = 4;  /* shorter is fine: the rest is padding */
	assert_int_equal(uppp_pppoe_parse(buf, sizeof(buf), &f), 0);
	assert_int_equal(f.payload_len, 4);
}

static void tag_lengths_zero_one_and_past_end(void **state)
{
	(void)state;
	struct uppp_pppoe_tags t;
	/* AC-Name len 0, Host-Uniq len 1 */
	const uint8_t ok[] = { 0x01, 0x02, 0x00, 0x00, 0x01, 0x03, 0x00, 0x01, 0x7f };
	const uint8_t past[] = { 0x01, 0x04, 0x00, 0x05, 1, 2, 3, 4 };
	const uint8_t huge[] = { 0x01, 0x01, 0xff, 0xff, 'x' };
	const uint8_t half_header[] = { 0x01, 0x01, 0x00 };

	assert_int_equal(uppp_pppoe_parse_tags(ok, sizeof(ok), &t), 0);
	assert_true(t.ac_name.present);
	assert_int_equal(t.ac_name.len, 0);
	assert_true(t.host_uniq.present);
	assert_int_equal(t.host_uniq.len, 1);
	assert_int_equal(t.host_uniq.p[0], 0x7f);
	assert_false(t.service_name.present);

	assert_int_equal(uppp_pppoe_parse_tags(past, sizeof(past), &t), -EBADMSG);
	assert_int_equal(uppp_pppoe_parse_tags(huge, sizeof(huge), &t), -EBADMSG);
	assert_int_equal(uppp_pppoe_parse_tags(half_header, sizeof(half_header), &t), -EBADMSG);
}

static void each_tag_kind_and_end_of_list(void **state)
{
	(void)state;
	struct uppp_pppoe_tags t;
	const uint8_t tags[] = {
		0x01, 0x01, 0x00, 0x03, 'i', 's', 'p',
		0x01, 0x01, 0x00, 0x02, 'v', '6',
		0x01, 0x02, 0x00, 0x02, 'a', 'c',
		0x01, 0x03, 0x00, 0x02, 0x11, 0x22,
		0x01, 0x04, 0x00, 0x03, 0xc0, 0x0c, 0x1e,
		0x01, 0x05, 0x00, 0x04, 0x00, 0x00, 0x0d, 0xe9,   /* vendor: skipped */
		0x01, 0x10, 0x00, 0x02, 0x99, 0x98,
		0x02, 0x01, 0x00, 0x01, 'S',
		0x02, 0x02, 0x00, 0x01, 'A',
		0x02, 0x03, 0x00, 0x01, 'G',
		0x01, 0x03, 0x00, 0x01, 0x55,                     /* second Host-Uniq: first wins */
		0x00, 0x00, 0x00, 0x00,                           /* End-Of-List */
		0x01, 0x02, 0xff, 0xff,                           /* garbage after it: not read */
	};

	assert_int_equal(uppp_pppoe_parse_tags(tags, sizeof(tags), &t), 0);
	assert_int_equal(t.n_services, 2);
	assert_memory_equal(t.service_name.p, "isp", 3);
	assert_memory_equal(t.services[1].p, "v6", 2);
	assert_memory_equal(t.ac_name.p, "ac", 2);
	assert_int_equal(t.host_uniq.len, 2);
	assert_int_equal(t.host_uniq.p[1], 0x22);
	assert_int_equal(t.cookie.len, 3);
	assert_int_equal(t.cookie.p[2], 0x1e);
	assert_int_equal(t.relay_id.len, 2);
	assert_int_equal(t.relay_id.p[0], 0x99);
	assert_int_equal(t.service_name_error.p[0], 'S');
	assert_int_equal(t.ac_system_error.p[0], 'A');
	assert_int_equal(t.generic_error.p[0], 'G');
	assert_true(uppp_pppoe_tags_have_error(&t));
}

static void padi_build_round_trip(void **state)
{
	(void)state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	const uint8_t hu[] = { 1, 2, 3, 4, 5, 6 };
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;
	int n = uppp_pppoe_build_padi(buf, sizeof(buf), mac_a, uppp_pppoe_tag_str("isp"),
				      uppp_pppoe_tag_bytes(hu, sizeof(hu)));

	assert_int_equal(n, 20 + 7 + 10);
	assert_int_equal(uppp_pppoe_parse(buf, (size_t)n, &f), 0);
	assert_memory_equal(f.dst, bcast, 6);
	assert_memory_equal(f.src, mac_a, 6);
	assert_int_equal(f.code, PPPOE_CODE_PADI);
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_int_equal(t.service_name.len, 3);
	assert_memory_equal(t.service_name.p, "isp", 3);
	assert_int_equal(t.host_uniq.len, sizeof(hu));
	assert_memory_equal(t.host_uniq.p, hu, sizeof(hu));

	/* Absent service becomes an empty Service-Name (exactly one is required). */
	n = uppp_pppoe_build_padi(buf, sizeof(buf), mac_a, uppp_pppoe_tag_str(NULL), uppp_pppoe_tag_str(NULL));
	assert_int_equal(n, 24);
	assert_int_equal(uppp_pppoe_parse(buf, (size_t)n, &f), 0);
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_true(t.service_name.present);
	assert_int_equal(t.service_name.len, 0);
	assert_false(t.host_uniq.present);
}

static void padi_limited_to_1484(void **state)
{
	(void)state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	static uint8_t hu[1500];
	/* PPPoE header 6 + Service-Name 4 + Host-Uniq 4 + n */
	size_t fit = UPPP_PPPOE_PADI_MAX - 6 - 4 - 4;

	assert_int_equal(uppp_pppoe_build_padi(buf, sizeof(buf), mac_a, uppp_pppoe_tag_str(""),
					       uppp_pppoe_tag_bytes(hu, fit)),
			 14 + UPPP_PPPOE_PADI_MAX);
	assert_int_equal(uppp_pppoe_build_padi(buf, sizeof(buf), mac_a, uppp_pppoe_tag_str(""),
					       uppp_pppoe_tag_bytes(hu, fit + 1)),
			 -EMSGSIZE);
}

static void pado_pads_padr_round_trip_echo_exact(void **state)
{
	(void)state;
	uint8_t buf[UPPP_PPPOE_FRAME_MAX];
	const uint8_t hu[] = { 0, 0xff, 0, 0x80, 9 };   /* binary, with NULs */
	const uint8_t relay[] = { 0xaa, 0, 0xbb, 0 };
	const uint8_t cookie[20] = { 7, 7, 7 };
	struct uppp_pppoe_tag svcs[2] = { uppp_pppoe_tag_str(""), uppp_pppoe_tag_str("rp-pppoe") };
	struct uppp_pppoe_out o = { 0 };
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;
	int n;

	o.services = svcs;
	o.n_services = 2;
	o.ac_name = uppp_pppoe_tag_str("uppp-ac");
	o.host_uniq = uppp_pppoe_tag_bytes(hu, sizeof(hu));
	o.relay_id = uppp_pppoe_tag_bytes(relay, sizeof(relay));
	o.cookie = uppp_pppoe_tag_bytes(cookie, sizeof(cookie));
	n = uppp_pppoe_build_pado(buf, sizeof(buf), mac_b, mac_a, &o);
	assert_true(n > 0);
	assert_int_equal(uppp_pppoe_parse(buf, (size_t)n, &f), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADO);
	assert_memory_equal(f.dst, mac_b, 6);
	assert_int_equal(f.payload_len, (size_t)n - 20);
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_int_equal(t.n_services, 2);
	assert_int_equal(t.services[0].len, 0);
	assert_memory_equal(t.services[1].p, "rp-pppoe", 8);
	assert_memory_equal(t.ac_name.p, "uppp-ac", 7);
	assert_int_equal(t.host_uniq.len, sizeof(hu));
	assert_memory_equal(t.host_uniq.p, hu, sizeof(hu));
	assert_int_equal(t.relay_id.len, sizeof(relay));
	assert_memory_equal(t.relay_id.p, relay, sizeof(relay));
	assert_memory_equal(t.cookie.p, cookie, sizeof(cookie));

	n = uppp_pppoe_build_pads(buf, sizeof(buf), mac_b, mac_a, 0x1234, &o);
	assert_int_equal(uppp_pppoe_parse(buf, (size_t)n, &f), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADS);
	assert_int_equal(f.session_id, 0x1234);

	n = uppp_pppoe_build_padr(buf, sizeof(buf), mac_a, mac_b, &o);
	assert_int_equal(uppp_pppoe_parse(buf, (size_t)n, &f), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADR);
	assert_int_equal(f.session_id, 0);

	/* Does not fit: -EMSGSIZE, nothing claimed. */
	assert_int_equal(uppp_pppoe_build_pado(buf, 30, mac_b, mac_a, &o), -EMSGSIZE);
}

static void padt_with_and_without_error(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;
	int n = uppp_pppoe_build_padt(buf, sizeof(buf), mac_a, mac_b, 0x0042, NULL);

	assert_int_equal(n, 20);
	assert_int_equal(uppp_pppoe_parse(buf, (size_t)n, &f), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADT);
	assert_int_equal(f.session_id, 0x42);
	assert_int_equal(f.payload_len, 0);

	n = uppp_pppoe_build_padt(buf, sizeof(buf), mac_a, mac_b, 7, "bye");
	assert_int_equal(n, 27);
	assert_int_equal(uppp_pppoe_parse(buf, (size_t)n, &f), 0);
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_true(t.generic_error.present);
	assert_memory_equal(t.generic_error.p, "bye", 3);
}

static void session_header_round_trip(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct uppp_pppoe_frame f;

	assert_int_equal(uppp_pppoe_build_session_hdr(buf, sizeof(buf), mac_a, mac_b, 0xbeef, 10),
			 UPPP_PPPOE_SESSION_HLEN);
	memset(buf + 20, 0x21, 10);
	assert_int_equal(uppp_pppoe_parse(buf, 30, &f), 0);
	assert_int_equal(f.ethertype, ETH_P_PPPOE_SESS);
	assert_int_equal(f.code, 0);
	assert_int_equal(f.session_id, 0xbeef);
	assert_int_equal(f.payload_len, 10);
	assert_ptr_equal(f.payload, buf + 20);
	assert_int_equal(uppp_pppoe_build_session_hdr(buf, 19, mac_a, mac_b, 1, 10), -EMSGSIZE);
	assert_int_equal(uppp_pppoe_build_session_hdr(buf, sizeof(buf), mac_a, mac_b, 1,
						      UPPP_PPPOE_MAX_PAYLOAD + 1), -EMSGSIZE);
}

static void names_and_mac_format(void **state)
{
	(void)state;
	char s[UPPP_MAC_STR_LEN];
	assert_string_equal(uppp_pppoe_code_name(PPPOE_CODE_PADI), "PADI");
	assert_string_equal(uppp_pppoe_code_name(PPPOE_CODE_PADT), "PADT");
	assert_string_equal(uppp_pppoe_code_name(0x42), "unknown");
	assert_string_equal(uppp_mac_str(padi32 + 6, s), "52:54:00:12:34:56");
	assert_true(uppp_mac_is_broadcast(bcast));
	assert_false(uppp_mac_is_broadcast(mac_a));
	assert_true(uppp_mac_is_multicast(bcast));
	assert_false(uppp_mac_is_multicast(mac_a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unpadded_32_byte_padi_parses),
		cmocka_unit_test(ethernet_padding_is_ignored),
		cmocka_unit_test(every_truncation_fails_cleanly),
		cmocka_unit_test(truncated_tags_at_every_offset),
		cmocka_unit_test(bad_version_or_type_rejected),
		cmocka_unit_test(other_ethertype_rejected),
		cmocka_unit_test(length_field_larger_than_frame_rejected),
		cmocka_unit_test(tag_lengths_zero_one_and_past_end),
		cmocka_unit_test(each_tag_kind_and_end_of_list),
		cmocka_unit_test(padi_build_round_trip),
		cmocka_unit_test(padi_limited_to_1484),
		cmocka_unit_test(pado_pads_padr_round_trip_echo_exact),
		cmocka_unit_test(padt_with_and_without_error),
		cmocka_unit_test(session_header_round_trip),
		cmocka_unit_test(names_and_mac_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
