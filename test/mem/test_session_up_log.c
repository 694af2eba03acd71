/* test_session_up_log.c — the peer's user name reaches the server's
 * session-up line escaped (issue 9, defect 7). With a `*` secrets line any
 * name authenticates, so the name is whatever bytes the peer chose: a
 * newline, an escape sequence, quotes, bytes that are not UTF-8.
 *
 * An AC in memory whose secrets lookup accepts every name (raw_peer.h), a
 * PAP login with a hostile name, then the server's line for the session
 * (runtime/runtime.c, uppp_log_session_up) written to a memory stream. */
#define _GNU_SOURCE
#include "mem/raw_peer.h"

#include <stdio.h>

#include "runtime/log.h"
#include "runtime/runtime.h"
#include "core/ppp_defs.h"

/* chap-secrets "* * secret *": every name has the same secret */
static int any_name(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	(void)ctx;
	(void)peer;
	assert_true(cap >= 6);
	memcpy(secret, "secret", 6);
	*len = 6;
	return 0;
}

static void hostile_user_name_is_escaped_in_the_session_up_line(void **state)
{
	static const char name[] = "ev\"il'\n\x1b[31mroot\xff\xfe\\";
	struct uppp_ac_ops ops = rp_ops;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	size_t len;
	(void)state;

	ops.get_secret = any_name;
	r->ac = uppp_ac_new(&r->cfg, &ops, r);
	assert_non_null(r->ac);
	rp_discover(r);
	rp_lcp_open(r);
	rp_pap(r, name, "secret");
	rp_expect_ppp(r, PPP_PAP, 2, &len);                 /* Authenticate-Ack */
	rp_ack_their_request(r, PPP_IPCP);
	static const uint8_t ipcp[] = { 3, 6, 0, 0, 0, 0 };
	rp_cp(r, PPP_IPCP, 1, 1, ipcp, sizeof(ipcp));
	const uint8_t *nak = rp_expect_ppp(r, PPP_IPCP, 3, &len);
	rp_cp(r, PPP_IPCP, 1, 2, nak + 4, len - 4);
	assert_int_equal(r->ups, 1);
	assert_string_equal(r->link.peer_name, name);   /* raw for lookups */

	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	struct uppp_log log;
	assert_non_null(out);
	uppp_log_init(&log, out, UPPP_LOG_INFO);
	log.timestamps = false;
	uppp_log_session_up(&log, uppp_ac_session_id(r->sess), r->mac, "ppp0", &r->link);
	fclose(out);

	assert_non_null(buf);
	/* one line, every byte printable ASCII */
	assert_non_null(strchr(buf, '\n'));
	assert_int_equal(strchr(buf, '\n') - buf, (long)strlen(buf) - 1);
	for (const char *c = buf; *c != '\n'; c++)
		assert_true(*c >= 0x20 && *c < 0x7f);
	assert_non_null(strstr(buf, " layer=session event=up if=ppp0 local=10.0.0.1 peer=10.0.0.2 mtu=1492 "
				    "user='ev\\x22il\\x27\\x0a\\x1b[31mroot\\xff\\xfe\\x5c'\n"));
	free(buf);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_user_name_is_escaped_in_the_session_up_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
