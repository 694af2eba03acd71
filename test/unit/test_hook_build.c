/* test_hook_build.c — pppd's script arguments and environment, built from
 * a session's facts (runtime/hooks.h, uppp_hook_build: pure). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/hooks.h"

static const char *env_of(const struct uppp_hook_cmd *c, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; c->envp[i]; i++)
		if (!strncmp(c->envp[i], name, n) && c->envp[i][n] == '=')
			return c->envp[i] + n + 1;
	return NULL;
}

static size_t count(char *const *v)
{
	size_t n = 0;
	while (v[n])
		n++;
	return n;
}

static struct uppp_hook_facts session(void)
{
	struct uppp_hook_facts f = {
		.ifname = "ppp3", .device = "eth1", .peer_name = "alice", .user_name = "lab",
		.ipparam = "isp-a", .local_ip = 0x0a000001, .peer_ip = 0x0a000007,
		.have_peer_mac = true, .peer_mac = { 0x02, 0xab, 0, 0, 0, 0x0c },
		.session_id = 3, .orig_uid = 0, .logname = "root",
	};
	return f;
}

static void test_ip_up_args_and_env(void **state)
{
	(void)state;
	struct uppp_hook_facts f = session();
	struct uppp_hook_cmd c;
	assert_int_equal(uppp_hook_build(UPPP_HOOK_IP_UP, "/etc/ppp/ip-up", &f, &c), 0);
	/* pppd: interface-name tty-device speed local-IP remote-IP ipparam */
	assert_int_equal(count(c.argv), 7);
	assert_string_equal(c.argv[0], "/etc/ppp/ip-up");
	assert_string_equal(c.argv[1], "ppp3");
	assert_string_equal(c.argv[2], "eth1");
	assert_string_equal(c.argv[3], "0");
	assert_string_equal(c.argv[4], "10.0.0.1");
	assert_string_equal(c.argv[5], "10.0.0.7");
	assert_string_equal(c.argv[6], "isp-a");
	assert_string_equal(env_of(&c, "IFNAME"), "ppp3");
	assert_string_equal(env_of(&c, "DEVICE"), "eth1");
	assert_string_equal(env_of(&c, "IPLOCAL"), "10.0.0.1");
	assert_string_equal(env_of(&c, "IPREMOTE"), "10.0.0.7");
	assert_string_equal(env_of(&c, "PEERNAME"), "alice");
	assert_string_equal(env_of(&c, "MACREMOTE"), "02:AB:00:00:00:0C");
	assert_string_equal(env_of(&c, "ORIG_UID"), "0");
	assert_string_equal(env_of(&c, "PPPLOGNAME"), "root");
	assert_string_equal(env_of(&c, "IPPARAM"), "isp-a");
	assert_string_equal(env_of(&c, "UPPP_SESSION"), "3");
	assert_non_null(env_of(&c, "PATH"));
	/* statistics only for the down scripts; DNS only when the peer gave some */
	assert_null(env_of(&c, "CONNECT_TIME"));
	assert_null(env_of(&c, "BYTES_SENT"));
	assert_null(env_of(&c, "DNS1"));
	assert_null(env_of(&c, "USEPEERDNS"));
	/* nothing else: the environment is the whole environment */
	assert_int_equal(count(c.envp), 11);
	assert_int_equal(c.kind, UPPP_HOOK_IP_UP);
	assert_int_equal(c.session_id, 3);
}

static void test_ip_down_stats(void **state)
{
	(void)state;
	struct uppp_hook_facts f = session();
	struct uppp_hook_cmd c;
	f.have_stats = true;
	f.connect_time_s = 42;
	f.bytes_sent = 1000;
	f.bytes_rcvd = 2000;
	assert_int_equal(uppp_hook_build(UPPP_HOOK_IP_DOWN, "/x/ip-down", &f, &c), 0);
	assert_string_equal(c.argv[4], "10.0.0.1");
	assert_string_equal(env_of(&c, "CONNECT_TIME"), "42");
	assert_string_equal(env_of(&c, "BYTES_SENT"), "1000");
	assert_string_equal(env_of(&c, "BYTES_RCVD"), "2000");
}

static void test_auth_up_args(void **state)
{
	(void)state;
	struct uppp_hook_facts f = session();
	struct uppp_hook_cmd c;
	f.local_ip = f.peer_ip = 0;   /* before IPCP */
	f.ifname = "";
	assert_int_equal(uppp_hook_build(UPPP_HOOK_AUTH_UP, "/etc/ppp/auth-up", &f, &c), 0);
	/* pppd: interface-name peer-name user-name tty-device speed ipparam */
	assert_int_equal(count(c.argv), 7);
	assert_string_equal(c.argv[1], "");
	assert_string_equal(c.argv[2], "alice");
	assert_string_equal(c.argv[3], "lab");
	assert_string_equal(c.argv[4], "eth1");
	assert_string_equal(c.argv[5], "0");
	assert_string_equal(c.argv[6], "isp-a");
	assert_null(env_of(&c, "IPLOCAL"));
	assert_null(env_of(&c, "IPREMOTE"));
}

static void test_client_dns_no_peername(void **state)
{
	(void)state;
	struct uppp_hook_facts f = session();
	struct uppp_hook_cmd c;
	f.peer_name = "";
	f.ipparam = NULL;
	f.dns[0] = 0x08080808;
	f.dns[1] = 0x01010101;
	f.usepeerdns = true;
	assert_int_equal(uppp_hook_build(UPPP_HOOK_IP_UP, "/etc/ppp/ip-up", &f, &c), 0);
	assert_string_equal(env_of(&c, "DNS1"), "8.8.8.8");
	assert_string_equal(env_of(&c, "DNS2"), "1.1.1.1");
	assert_string_equal(env_of(&c, "USEPEERDNS"), "1");
	assert_null(env_of(&c, "PEERNAME"));   /* only when the peer authenticated */
	assert_null(env_of(&c, "IPPARAM"));
	assert_string_equal(c.argv[6], "");    /* the 6th argument is there, empty */
}

static void test_errors(void **state)
{
	(void)state;
	struct uppp_hook_facts f = session();
	struct uppp_hook_cmd c;
	char big[3000];
	assert_int_equal(uppp_hook_build(UPPP_HOOK_IP_UP, NULL, &f, &c), -EINVAL);
	assert_int_equal(uppp_hook_build(UPPP_HOOK_IP_UP, "", &f, &c), -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	f.ipparam = big;   /* argument and IPPARAM: more than the buffer */
	assert_int_equal(uppp_hook_build(UPPP_HOOK_IP_UP, "/x", &f, &c), -ENOSPC);
}

static void test_check(void **state)
{
	(void)state;
	char dir[] = "/tmp/uppp-hook-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ip-up", dir);
	assert_int_equal(uppp_hook_check(path), 0);          /* missing: silently nothing */
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("#!/bin/sh\n", fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(uppp_hook_check(path), -EACCES);    /* there, not executable */
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(uppp_hook_check(path), 1);
	assert_int_equal(uppp_hook_check(dir), -EISDIR);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_up_args_and_env),
		cmocka_unit_test(test_ip_down_stats),
		cmocka_unit_test(test_auth_up_args),
		cmocka_unit_test(test_client_dns_no_peername),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
