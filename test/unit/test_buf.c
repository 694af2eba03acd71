/* test_buf.c — checked readers/writers and log escaping. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/escape.h"

static void reader_reads_in_order_and_stops_at_end(void **state)
{
	(void)state;
	const uint8_t data[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct uppp_reader r = uppp_reader(data, sizeof(data));
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	assert_int_equal(uppp_rd_u8(&r, &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(uppp_rd_be16(&r, &u16), 0);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(uppp_rd_be32(&r, &u32), 0);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(r.left, 0);
	assert_int_equal(uppp_rd_u8(&r, &u8), -EMSGSIZE);
	assert_int_equal(u8, 1); /* untouched on failure */
}

static void reader_short_input_reads_nothing(void **state)
{
	(void)state;
	const uint8_t data[] = { 0xaa, 0xbb, 0xcc };
	struct uppp_reader r = uppp_reader(data, sizeof(data));
	uint32_t u32 = 7;
	const uint8_t *p = NULL;
	struct uppp_reader sub;
	assert_int_equal(uppp_rd_be32(&r, &u32), -EMSGSIZE);
	assert_int_equal(u32, 7);
	assert_int_equal(r.left, 3);
	assert_int_equal(uppp_rd_bytes(&r, 4, &p), -EMSGSIZE);
	assert_null(p);
	assert_int_equal(uppp_rd_sub(&r, 2, &sub), 0);
	assert_int_equal(sub.left, 2);
	assert_ptr_equal(sub.p, data);
	assert_int_equal(r.left, 1);
	assert_int_equal(uppp_rd_skip(&r, 2), -EMSGSIZE);
	assert_int_equal(uppp_rd_skip(&r, 1), 0);
	assert_int_equal(r.left, 0);
	/* A huge length must not wrap the pointer arithmetic. */
	struct uppp_reader r2 = uppp_reader(data, sizeof(data));
	assert_int_equal(uppp_rd_bytes(&r2, SIZE_MAX, &p), -EMSGSIZE);
}

static void writer_overflow_is_sticky(void **state)
{
	(void)state;
	uint8_t buf[5];
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));
	uppp_wr_be16(&w, 0x1234);
	size_t len_at = uppp_wr_reserve(&w, 2);
	assert_int_equal(len_at, 2);
	uppp_wr_patch_be16(&w, len_at, 0xbeef);
	assert_true(uppp_wr_ok(&w));
	uppp_wr_be16(&w, 0x5678); /* 6 > 5: overflow */
	assert_false(uppp_wr_ok(&w));
	uppp_wr_u8(&w, 0x99);     /* would fit alone, but overflow is sticky */
	assert_false(uppp_wr_ok(&w));
	assert_int_equal(w.len, 4);
	const uint8_t want[] = { 0x12, 0x34, 0xbe, 0xef };
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(uppp_wr_reserve(&w, 1), SIZE_MAX);
}

static void writer_exact_fit(void **state)
{
	(void)state;
	uint8_t buf[7];
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));
	uppp_wr_u8(&w, 1);
	uppp_wr_be32(&w, 0x02030405);
	uppp_wr_bytes(&w, "\x06\x07", 2);
	assert_true(uppp_wr_ok(&w));
	assert_int_equal(w.len, 7);
	assert_memory_equal(buf, "\x01\x02\x03\x04\x05\x06\x07", 7);
}

static void escape_keeps_printable_and_hexes_the_rest(void **state)
{
	(void)state;
	char out[64];
	const uint8_t in[] = { 'b', 'o', 'b', 0x00, '\n', '\'', 0xff, '%', 's' };
	assert_string_equal(uppp_escape(in, sizeof(in), out, sizeof(out)), "bob\\x00\\x0a\\x27\\xff%s");
	assert_string_equal(uppp_escape((const uint8_t *)"", 0, out, sizeof(out)), "");
}

static void escape_truncates_with_a_mark(void **state)
{
	(void)state;
	char out[8];
	const uint8_t in[] = "abcdefghijkl";
	uppp_escape(in, 12, out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_non_null(strstr(out, "..."));
	assert_memory_equal(out, "abcd", 4);
	/* A non-printable byte that does not fit is not cut in half. */
	const uint8_t bin[] = { 'a', 'b', 'c', 'd', 'e', 0x01, 0x02 };
	uppp_escape(bin, sizeof(bin), out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_null(strstr(out, "\\x0"));
	char tiny[2];
	uppp_escape(in, 12, tiny, sizeof(tiny));
	assert_true(strlen(tiny) <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_reads_in_order_and_stops_at_end),
		cmocka_unit_test(reader_short_input_reads_nothing),
		cmocka_unit_test(writer_overflow_is_sticky),
		cmocka_unit_test(writer_exact_fit),
		cmocka_unit_test(escape_keeps_printable_and_hexes_the_rest),
		cmocka_unit_test(escape_truncates_with_a_mark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
