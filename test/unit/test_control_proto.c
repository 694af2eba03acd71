/* test_control_proto.c — the control socket's protocol without the socket
 * (runtime/control_proto.h): request lines parsed into words with %XX
 * decoding (any byte can pass), malformed lines refused with a reason,
 * encode/parse round trips, and the replies: a session as JSON, stats as
 * JSON and as Prometheus text (HELP/TYPE, _total counters, labels). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "runtime/control_proto.h"

static struct uppp_ctl_request req;
static char err[256];

static int parse(const char *line)
{
	err[0] = '\0';
	return uppp_ctl_parse(line, strlen(line), &req, err, sizeof(err));
}

static void words_and_values(void **state)
{
	(void)state;
	assert_int_equal(parse("  kill\tuser=bob%20smith cause=a%25b%0A=x \r"), 0);
	assert_int_equal(req.n, 3);
	assert_string_equal(req.w[0].key, "kill");
	assert_null(req.w[0].val);
	assert_string_equal(req.w[1].key, "user");
	assert_string_equal(req.w[1].val, "bob smith");
	assert_string_equal(req.w[2].key, "cause");
	assert_int_equal(req.w[2].val_len, 6);
	assert_memory_equal(req.w[2].val, "a%b\n=x", 6);   /* the first '=' splits, later ones are value */
	assert_int_equal(parse("stats prometheus"), 0);
	assert_int_equal(req.n, 2);
	assert_int_equal(parse("kill user="), 0);
	assert_string_equal(req.w[1].val, "");
	assert_int_equal(parse("kill user=%00x"), 0);
	assert_int_equal(req.w[1].val_len, 2);
}

static void malformed_lines_refused_with_a_reason(void **state)
{
	(void)state;
	const char *bad[] = { "", "   ", "kill =x", "kill user=%", "kill user=%4", "kill user=%zz", "kill us%er=x",
			      "kill user=\x01", "kill user=\xc3\xa9" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i]), -EINVAL);
		assert_true(err[0] != '\0');
	}
	char many[256] = "";
	for (int i = 0; i < UPPP_CTL_MAX_WORDS + 1; i++)
		strcat(many, "w ");
	assert_int_equal(parse(many), -EINVAL);
	assert_non_null(strstr(err, "words"));
	static char longl[UPPP_CTL_LINE_MAX + 2];
	memset(longl, 'a', sizeof(longl) - 1);
	assert_int_equal(uppp_ctl_parse(longl, sizeof(longl) - 1, &req, err, sizeof(err)), -EINVAL);
	/* exactly the maximum is fine */
	assert_int_equal(uppp_ctl_parse(longl, UPPP_CTL_LINE_MAX, &req, err, sizeof(err)), 0);
}

static void every_byte_round_trips(void **state)
{
	(void)state;
	uint8_t all[256];
	char enc[3 * 256 + 1], line[3 * 256 + 16];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	size_t n = uppp_ctl_encode(all, sizeof(all), enc, sizeof(enc));
	assert_int_equal(n, strlen(enc));
	snprintf(line, sizeof(line), "kill user=%s", enc);
	assert_int_equal(parse(line), 0);
	assert_int_equal(req.w[1].val_len, 256);
	assert_memory_equal(req.w[1].val, all, 256);
	/* a short buffer is cut and says what it needs */
	char small[8];
	assert_int_equal(uppp_ctl_encode(all, 4, small, sizeof(small)), 12);
	assert_true(strlen(small) < sizeof(small));
}

static void session_as_json(void **state)
{
	(void)state;
	struct uppp_server_session s = {
		.id = 7, .peer_mac = { 2, 0, 0, 0, 0, 0xab }, .peer_ip = 0x0a000002, .state = "up",
		.up_since_ms = 1000, .uptime_ms = 61999, .bytes_in = 1, .packets_in = 2, .bytes_out = 3,
		.packets_out = 4, .auth = UPPP_AUTH_MSCHAPV2, .last_cause = UPPP_CAUSE_NONE,
	};
	snprintf(s.user, sizeof(s.user), "a\"\x1b");
	snprintf(s.ifname, sizeof(s.ifname), "ppp0");
	char buf[1024];
	struct uppp_json j;
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_ctl_json_session(&j, &s);
	assert_true(uppp_json_ok(&j));
	assert_string_equal(buf, "{\"id\":7,\"user\":\"a\\\"\\u001b\",\"mac\":\"02:00:00:00:00:ab\",\"ip\":\"10.0.0.2\","
				 "\"interface\":\"ppp0\",\"state\":\"up\",\"up_since_ms\":1000,\"uptime_s\":61,"
				 "\"bytes_in\":1,\"packets_in\":2,\"bytes_out\":3,\"packets_out\":4,"
				 "\"auth\":\"mschapv2\",\"cause\":\"none\"}");
	s.peer_ip = 0;
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_ctl_json_session(&j, &s);
	assert_non_null(strstr(buf, "\"ip\":null"));
}

static struct uppp_server_stats sample_stats(void)
{
	struct uppp_server_stats st;
	memset(&st, 0, sizeof(st));
	st.padi_rx = 11;
	st.pads_tx = 3;
	st.dropped_rate_limited = 5;
	st.auth_accepted[UPPP_AUTH_PAP] = 3;
	st.auth_refused[UPPP_AUTH_CHAP_MD5] = 2;
	st.sessions_up = 3;
	st.sessions_down = 1;
	st.sessions_down_by_cause[UPPP_CAUSE_ADMIN] = 1;
	st.leases_in_use = 2;
	st.leases_free = 8;
	return st;
}

static void stats_as_json(void **state)
{
	(void)state;
	struct uppp_server_stats st = sample_stats();
	char buf[4096];
	struct uppp_json j;
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_ctl_json_stats(&j, &st);
	assert_true(uppp_json_ok(&j));
	assert_non_null(strstr(buf, "\"discovery\":{\"padi_rx\":11,"));
	assert_non_null(strstr(buf, "\"rate_limited\":5"));
	assert_non_null(strstr(buf, "\"pap\":{\"accepted\":3,\"refused\":0}"));
	assert_non_null(strstr(buf, "\"chap-md5\":{\"accepted\":0,\"refused\":2}"));
	assert_non_null(strstr(buf, "\"down_by_cause\":{\"admin\":1,"));
	assert_null(strstr(buf, "\"none\""));   /* cause none only when it counted something */
	assert_non_null(strstr(buf, "\"leases\":{\"in_use\":2,\"free\":8}"));
}

/* Every line is HELP, TYPE or a sample of the family last typed; counters
 * end in _total. */
static void prometheus_text(void **state)
{
	(void)state;
	struct uppp_server_stats st = sample_stats();
	char buf[16384];
	size_t need = uppp_ctl_prometheus(&st, NULL, 0);
	assert_int_equal(uppp_ctl_prometheus(&st, buf, sizeof(buf)), need);
	assert_int_equal(strlen(buf), need);
	assert_true(need > 0 && buf[need - 1] == '\n');
	assert_non_null(strstr(buf, "# TYPE uppp_sessions_down_total counter\n"));
	assert_non_null(strstr(buf, "uppp_sessions_down_total{cause=\"admin\"} 1\n"));
	assert_non_null(strstr(buf, "uppp_discovery_frames_total{code=\"padi\",direction=\"rx\"} 11\n"));
	assert_non_null(strstr(buf, "uppp_discovery_dropped_total{reason=\"rate_limited\"} 5\n"));
	assert_non_null(strstr(buf, "uppp_auth_refused_total{method=\"chap-md5\"} 2\n"));
	assert_non_null(strstr(buf, "uppp_leases{state=\"free\"} 8\n"));
	char type[128] = "", typed[128] = "";
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char name[128];
		if (sscanf(line, "# TYPE %127s %127s", typed, type) == 2)
			continue;
		if (!strncmp(line, "# HELP ", 7))
			continue;
		assert_int_equal(sscanf(line, "%127[a-z_]", name), 1);
		assert_string_equal(name, typed);
		if (!strcmp(type, "counter"))
			assert_non_null(strstr(name, "_total"));
		assert_int_equal(strncmp(name, "uppp_", 5), 0);
	}
	/* cut short: NUL-terminated, and says what it needed */
	char small[32];
	assert_int_equal(uppp_ctl_prometheus(&st, small, sizeof(small)), need);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_and_values),
		cmocka_unit_test(malformed_lines_refused_with_a_reason),
		cmocka_unit_test(every_byte_round_trips),
		cmocka_unit_test(session_as_json),
		cmocka_unit_test(stats_as_json),
		cmocka_unit_test(prometheus_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
