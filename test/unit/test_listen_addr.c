/* test_listen_addr.c — ADDR:PORT for --metrics (config/listen_addr.c):
 * IPv4 and [IPv6] with a port 1..65535 into a sockaddr; everything else
 * refused with a sentence (no names, no port 0, no bare IPv6, no ":PORT"). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/listen_addr.h"

static void test_ipv4(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	char err[128] = "";

	assert_int_equal(uppp_listen_addr_parse("127.0.0.1:9100", &ss, &len, err, sizeof(err)), 0);
	const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
	assert_int_equal(a->sin_family, AF_INET);
	assert_int_equal(ntohs(a->sin_port), 9100);
	assert_int_equal(ntohl(a->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(uppp_listen_addr_parse("0.0.0.0:1", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(uppp_listen_addr_parse("10.1.2.3:65535", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(ntohs(a->sin_port), 65535);
}

static void test_ipv6(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	char err[128] = "";
	struct in6_addr lo = IN6ADDR_LOOPBACK_INIT;

	assert_int_equal(uppp_listen_addr_parse("[::1]:9100", &ss, &len, err, sizeof(err)), 0);
	const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
	assert_int_equal(a->sin6_family, AF_INET6);
	assert_int_equal(ntohs(a->sin6_port), 9100);
	assert_memory_equal(&a->sin6_addr, &lo, sizeof(lo));
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_int_equal(uppp_listen_addr_parse("[fd00:1::42]:80", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(uppp_listen_addr_parse("[::]:9100", &ss, &len, err, sizeof(err)), 0);
}

static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *in, *why;
	} bad[] = {
		{ "127.0.0.1:0", "port" },        { "127.0.0.1:65536", "port" },   { "127.0.0.1:", "port" },
		{ "127.0.0.1:-1", "port" },       { "127.0.0.1:9x", "port" },      { "127.0.0.1: 9", "port" },
		{ "127.0.0.1", "no port" },       { ":9100", "no address" },       { "localhost:9100", "IPv4" },
		{ "1.2.3:9100", "IPv4" },         { "::1:9100", "[ADDR]:PORT" },    { "[::1]", "[ADDR]:PORT" },
		{ "[::1]9100", "[ADDR]:PORT" },   { "[]:9100", "IPv6" },           { "[1.2.3.4]:9100", "IPv6" },
		{ "[fe80::1%eth0]:9100", "IPv6" }, { "", "no port" },
		{ "[0000:0000:0000:0000:0000:0000:0000:0000:0000]:1", "IPv6" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sockaddr_storage ss;
		socklen_t len = 0;
		char err[128] = "";
		int rc = uppp_listen_addr_parse(bad[i].in, &ss, &len, err, sizeof(err));
		if (rc != -EINVAL || !strstr(err, bad[i].why))
			fail_msg("'%s': rc %d, err '%s' (wanted -EINVAL and '%s')", bad[i].in, rc, err, bad[i].why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
