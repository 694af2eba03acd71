/* test_doctor_parse.c — the pure pieces `uppp doctor` decides with:
 * /proc/net/packet and /proc/net/route lines, `nft list ruleset` text
 * against the pool, secrets entries, CIDR, the MRU for an MTU.
 * UPPP_TEST_ANY_BUILD */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cli/doctor.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static const struct doctor_range pool_default = { IP(10, 0, 0, 2), IP(10, 0, 0, 21) };

static void cidr_parses_prefixes_and_refuses_junk(void **state)
{
	(void)state;
	struct doctor_range r;
	assert_int_equal(doctor_parse_cidr("10.0.0.0/24", &r), 0);
	assert_int_equal(r.lo, IP(10, 0, 0, 0));
	assert_int_equal(r.hi, IP(10, 0, 0, 255));
	assert_int_equal(doctor_parse_cidr("10.0.0.77/24", &r), 0);   /* host bits dropped */
	assert_int_equal(r.lo, IP(10, 0, 0, 0));
	assert_int_equal(doctor_parse_cidr("192.168.1.5", &r), 0);
	assert_int_equal(r.lo, r.hi);
	assert_int_equal(doctor_parse_cidr("0.0.0.0/0", &r), 0);
	assert_int_equal(r.lo, 0);
	assert_int_equal(r.hi, 0xffffffffu);
	assert_int_equal(doctor_parse_cidr("10.0.0.0/33", &r), -EINVAL);
	assert_int_equal(doctor_parse_cidr("10.0.0.0/", &r), -EINVAL);
	assert_int_equal(doctor_parse_cidr("10.0.0/24", &r), -EINVAL);
	assert_int_equal(doctor_parse_cidr("10.0.0.0/-1", &r), -EINVAL);
	assert_int_equal(doctor_parse_cidr("10.0.0.0/24x", &r), -EINVAL);
}

static void mru_is_mtu_minus_8_at_most_1492(void **state)
{
	(void)state;
	assert_int_equal(doctor_mru_for_mtu(1500), 1492);
	assert_int_equal(doctor_mru_for_mtu(9000), 1492);
	assert_int_equal(doctor_mru_for_mtu(1400), 1392);
	assert_int_equal(doctor_mru_for_mtu(4), 0);
}

static void ranges_overlap_at_their_edges(void **state)
{
	(void)state;
	struct doctor_range a = { 10, 20 }, b = { 20, 30 }, c = { 21, 30 };
	assert_true(doctor_ranges_overlap(a, b));
	assert_true(doctor_ranges_overlap(b, a));
	assert_false(doctor_ranges_overlap(a, c));
	assert_true(doctor_ranges_overlap((struct doctor_range){ 0, 0xffffffffu }, a));
}

static void packet_lines_give_proto_ifindex_inode(void **state)
{
	(void)state;
	struct doctor_packet_sock s;
	/* as Linux 6.18 prints them */
	assert_int_equal(doctor_parse_packet_line("sk               RefCnt Type Proto  Iface R Rmem   User   Inode", &s),
			 -EINVAL);
	assert_int_equal(doctor_parse_packet_line("0000000032648a33 3      3    8863   3     1 0      0      4501322", &s),
			 0);
	assert_int_equal(s.proto, 0x8863);
	assert_int_equal(s.ifindex, 3);
	assert_int_equal(s.inode, 4501322);
	assert_int_equal(doctor_parse_packet_line("0000000027b69c7b 3      3    0003   0     1 0      0      4501323", &s),
			 0);
	assert_int_equal(s.proto, 3);
	assert_int_equal(s.ifindex, 0);
	assert_int_equal(doctor_parse_packet_line("", &s), -EINVAL);
	assert_int_equal(doctor_parse_packet_line("0000000032648a33 3 3 8863", &s), -EINVAL);
}

static void route_lines_give_prefix_and_interface(void **state)
{
	(void)state;
	struct doctor_route r;
	/* the kernel prints its big-endian words as numbers: on this
	 * little-endian machine 10.0.0.0 is 0000000A */
	const uint32_t one = 1;
	bool little = *(const uint8_t *)&one == 1;
	assert_int_equal(doctor_parse_route_line("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU", &r),
			 -EINVAL);
	if (little) {
		assert_int_equal(doctor_parse_route_line("eth1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0", &r), 0);
		assert_string_equal(r.ifname, "eth1");
		assert_int_equal(r.prefix_len, 24);
		assert_int_equal(r.dst.lo, IP(10, 0, 0, 0));
		assert_int_equal(r.dst.hi, IP(10, 0, 0, 255));
		assert_true(r.up);
		assert_true(doctor_ranges_overlap(r.dst, pool_default));
		assert_int_equal(doctor_parse_route_line("eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0", &r), 0);
		assert_int_equal(r.prefix_len, 0);
		assert_int_equal(r.gateway, IP(192, 168, 2, 1));
		assert_int_equal(doctor_parse_route_line("eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FF00FF\t0\t0\t0", &r),
				 -EINVAL);   /* a mask with a hole */
	} else {
		assert_int_equal(doctor_parse_route_line("eth1\t0A000000\t00000000\t0001\t0\t0\t0\tFFFFFF00\t0\t0\t0", &r), 0);
		assert_int_equal(r.prefix_len, 24);
		assert_int_equal(r.dst.lo, IP(10, 0, 0, 0));
	}
}

static void secrets_entries_skip_comments_and_blanks(void **state)
{
	(void)state;
	assert_int_equal(doctor_secrets_entries(""), 0);
	assert_int_equal(doctor_secrets_entries("# Secrets for authentication using CHAP\n# client server secret IP\n\n  \n"),
			 0);
	assert_int_equal(doctor_secrets_entries("alice * alice-pw *\n  # x\n\"bob smith\" * \"bob pw\" *"), 2);
}

static void secrets_modes(void **state)
{
	(void)state;
	assert_false(doctor_secrets_mode_bad(0100600));
	assert_false(doctor_secrets_mode_bad(0100400));
	assert_true(doctor_secrets_mode_bad(0100644));
	assert_true(doctor_secrets_mode_bad(0100604));
	assert_true(doctor_secrets_mode_bad(0100620));
	assert_true(doctor_secrets_mode_bad(0100640));   /* what uppp server warns about too */
}

/* nft 1.0.6's text, as `nft list ruleset` printed the rules of a test. */
static const char ruleset_head[] = "table ip nat {\n"
				   "\tchain post {\n"
				   "\t\ttype nat hook postrouting priority srcnat; policy accept;\n";

static int covers(const char *rules, struct doctor_range pool)
{
	char text[2048], what[256];
	snprintf(text, sizeof(text), "%s%s\t}\n}\n", ruleset_head, rules);
	int rc = doctor_nft_covers(text, pool, what, sizeof(what));
	if (rc)
		assert_true(what[0] != '\0');
	else
		assert_string_equal(what, "");
	return rc;
}

static void nft_prefix_rules(void **state)
{
	(void)state;
	assert_int_equal(covers("\t\tip saddr 10.0.0.0/24 oifname \"eth0\" masquerade\n", pool_default), 1);
	assert_int_equal(covers("\t\tip saddr 10.0.0.0/28 masquerade\n", pool_default), 0);   /* .2-.15 only */
	assert_int_equal(covers("\t\tip saddr 192.168.0.0/16 snat to 1.2.3.4\n", pool_default), 0);
	assert_int_equal(covers("\t\tip saddr 10.0.0.0/8 snat to 1.2.3.4\n", pool_default), 1);
	assert_int_equal(covers("\t\tip saddr 10.0.0.0/24 accept\n", pool_default), 0);   /* no NAT in it */
	assert_int_equal(covers("", pool_default), 0);
}

static void nft_rule_without_saddr_covers_all(void **state)
{
	(void)state;
	assert_int_equal(covers("\t\tmasquerade\n", pool_default), 1);
	assert_int_equal(covers("\t\toifname \"eth0\" counter packets 0 bytes 0 masquerade\n", pool_default), 1);
}

static void nft_sets_ranges_and_negation(void **state)
{
	(void)state;
	assert_int_equal(covers("\t\tip saddr { 10.1.0.0/24, 10.2.0.0/24 } masquerade\n", pool_default), 0);
	assert_int_equal(covers("\t\tip saddr { 10.0.0.0/29, 10.0.0.8/29, 10.0.0.16/28 } masquerade\n", pool_default), 1);
	assert_int_equal(covers("\t\tip saddr { 10.0.0.0/29, 10.0.0.16/28 } masquerade\n", pool_default), 0);   /* .8-.15 */
	assert_int_equal(covers("\t\tip saddr 10.0.0.0-10.0.0.50 masquerade\n", pool_default), 1);
	assert_int_equal(covers("\t\tip saddr 10.0.0.5-10.0.0.50 masquerade\n", pool_default), 0);
	assert_int_equal(covers("\t\tip saddr != 10.4.0.0/24 masquerade\n", pool_default), 1);
	assert_int_equal(covers("\t\tip saddr != 10.0.0.0/24 masquerade\n", pool_default), 0);
	assert_int_equal(covers("\t\tip saddr @clients masquerade\n", pool_default), 1);   /* named: cannot tell */
}

static void nft_iptables_nft_and_other_families(void **state)
{
	(void)state;
	/* iptables-nft's -j MASQUERADE, native or as a compat target */
	assert_int_equal(covers("\t\tip saddr 10.0.0.0/24 counter packets 0 bytes 0 xt target \"MASQUERADE\"\n",
				pool_default), 1);
	assert_int_equal(covers("\t\tip saddr 10.9.0.0/24 counter packets 0 bytes 0 xt target \"MASQUERADE\"\n",
				pool_default), 0);
	char what[256];
	/* an ip6 table's masquerade does nothing for IPv4 clients */
	assert_int_equal(doctor_nft_covers("table ip6 nat {\n\tchain post {\n\t\tmasquerade\n\t}\n}\n", pool_default,
					   what, sizeof(what)), 0);
	/* an inet table's does */
	assert_int_equal(doctor_nft_covers("table inet nat {\n\tchain post {\n\t\tip saddr 10.0.0.0/24 masquerade\n\t}\n}\n",
					   pool_default, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "ip saddr 10.0.0.0/24 masquerade"));
	/* a chain named snat, and a jump to it, are not NAT rules */
	assert_int_equal(doctor_nft_covers("table ip nat {\n\tchain snat {\n\t}\n\tchain post {\n\t\tjump snat\n\t}\n}\n",
					   pool_default, what, sizeof(what)), 0);
	/* a comment that says masquerade is not one */
	assert_int_equal(covers("\t\tip saddr 10.0.0.0/24 accept comment \"masquerade\"\n", pool_default), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cidr_parses_prefixes_and_refuses_junk),
		cmocka_unit_test(mru_is_mtu_minus_8_at_most_1492),
		cmocka_unit_test(ranges_overlap_at_their_edges),
		cmocka_unit_test(packet_lines_give_proto_ifindex_inode),
		cmocka_unit_test(route_lines_give_prefix_and_interface),
		cmocka_unit_test(secrets_entries_skip_comments_and_blanks),
		cmocka_unit_test(secrets_modes),
		cmocka_unit_test(nft_prefix_rules),
		cmocka_unit_test(nft_rule_without_saddr_covers_all),
		cmocka_unit_test(nft_sets_ranges_and_negation),
		cmocka_unit_test(nft_iptables_nft_and_other_families),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
