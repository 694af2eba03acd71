/* test_json.c — the control socket's JSON writer (core/json.h): structure,
 * commas, numbers, overflow, and strings escaped whatever bytes they hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/json.h"

static void nested_document_gets_its_commas(void **state)
{
	(void)state;
	char buf[256];
	struct uppp_json j;
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_json_obj_begin(&j);
	uppp_json_kv_u64(&j, "a", 0);
	uppp_json_key(&j, "list");
	uppp_json_arr_begin(&j);
	uppp_json_u64(&j, 18446744073709551615ull);
	uppp_json_str(&j, "x");
	uppp_json_obj_begin(&j);
	uppp_json_obj_end(&j);
	uppp_json_bool(&j, true);
	uppp_json_null(&j);
	uppp_json_arr_end(&j);
	uppp_json_kv_str(&j, "b", "y");
	uppp_json_key(&j, "e");
	uppp_json_arr_begin(&j);
	uppp_json_arr_end(&j);
	uppp_json_obj_end(&j);
	assert_true(uppp_json_ok(&j));
	assert_string_equal(buf, "{\"a\":0,\"list\":[18446744073709551615,\"x\",{},true,null],\"b\":\"y\",\"e\":[]}");
	assert_int_equal(j.len, strlen(buf));
}

static void strings_escape_every_byte_that_needs_it(void **state)
{
	(void)state;
	char buf[256];
	struct uppp_json j;
	/* quote, backslash, newline, tab, CR, NUL, ESC, DEL, a lone 0xff and a
	 * truncated sequence; then well-formed UTF-8 (é, €, U+1F600) kept */
	const uint8_t in[] = { '"', '\\', '\n', '\t', '\r', 0, 0x1b, 0x7f, 0xff, 0xe2, 0x82, 'a',
			       0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80 };
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_json_strn(&j, in, sizeof(in));
	assert_true(uppp_json_ok(&j));
	assert_string_equal(buf, "\"\\\"\\\\\\n\\t\\r\\u0000\\u001b\\u007f\\u00ff\\u00e2\\u0082a"
				 "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
}

static void overlong_and_surrogate_utf8_are_escaped(void **state)
{
	(void)state;
	char buf[128];
	struct uppp_json j;
	const uint8_t in[] = { 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80 };
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_json_strn(&j, in, sizeof(in));
	assert_true(uppp_json_ok(&j));
	assert_string_equal(buf, "\"\\u00c0\\u00af\\u00ed\\u00a0\\u0080\\u00f4\\u0090\\u0080\\u0080\"");
}

static void keys_are_escaped_too(void **state)
{
	(void)state;
	char buf[64];
	struct uppp_json j;
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_json_obj_begin(&j);
	uppp_json_kv_str(&j, "k\"", "v");
	uppp_json_obj_end(&j);
	assert_true(uppp_json_ok(&j));
	assert_string_equal(buf, "{\"k\\\"\":\"v\"}");
}

static void overflow_is_sticky_and_len_says_what_was_needed(void **state)
{
	(void)state;
	char big[64], small[8];
	struct uppp_json j;
	uppp_json_init(&j, small, sizeof(small));
	uppp_json_obj_begin(&j);
	uppp_json_kv_str(&j, "key", "value");
	uppp_json_obj_end(&j);
	assert_false(uppp_json_ok(&j));
	assert_true(strlen(small) < sizeof(small));
	size_t need = j.len;
	uppp_json_init(&j, big, sizeof(big));
	uppp_json_obj_begin(&j);
	uppp_json_kv_str(&j, "key", "value");
	uppp_json_obj_end(&j);
	assert_true(uppp_json_ok(&j));
	assert_int_equal(strlen(big), need);
	/* exactly the bytes plus the NUL fits */
	char exact[16];
	uppp_json_init(&j, exact, need + 1);
	uppp_json_obj_begin(&j);
	uppp_json_kv_str(&j, "key", "value");
	uppp_json_obj_end(&j);
	assert_true(uppp_json_ok(&j));
	uppp_json_init(&j, exact, need);
	uppp_json_obj_begin(&j);
	uppp_json_kv_str(&j, "key", "value");
	uppp_json_obj_end(&j);
	assert_false(uppp_json_ok(&j));
}

static void unbalanced_or_too_deep_is_not_ok(void **state)
{
	(void)state;
	char buf[256];
	struct uppp_json j;
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_json_obj_begin(&j);
	assert_false(uppp_json_ok(&j));    /* still open */
	uppp_json_obj_end(&j);
	assert_true(uppp_json_ok(&j));
	uppp_json_obj_end(&j);             /* one too many */
	assert_false(uppp_json_ok(&j));
	uppp_json_init(&j, buf, sizeof(buf));
	for (int i = 0; i < UPPP_JSON_MAX_DEPTH + 1; i++)
		uppp_json_arr_begin(&j);
	for (int i = 0; i < UPPP_JSON_MAX_DEPTH + 1; i++)
		uppp_json_arr_end(&j);
	assert_false(uppp_json_ok(&j));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_document_gets_its_commas),
		cmocka_unit_test(strings_escape_every_byte_that_needs_it),
		cmocka_unit_test(overlong_and_surrogate_utf8_are_escaped),
		cmocka_unit_test(keys_are_escaped_too),
		cmocka_unit_test(overflow_is_sticky_and_len_says_what_was_needed),
		cmocka_unit_test(unbalanced_or_too_deep_is_not_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
