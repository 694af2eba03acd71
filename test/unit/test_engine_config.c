/* test_engine_config.c — config/engine_config.c: the user's server and client
 * configurations (uppp/uppp.h) mapped to the engines' (uppp/ac.h, uppp/dial.h)
 * field by field, with what the host knows handed in: defaults, every option
 * set, an Ethernet MTU below 1500 lowering `mru` / `mtu` and the MSS clamp,
 * and the MSS clamp default that a set `mtu` gives. The expected values are
 * worked out here from the inputs and the documented rules (a PPPoE frame
 * spends 8 bytes of the Ethernet MTU; a TCP MSS is the MTU less 40 bytes of
 * IPv4 and TCP headers; rates are per second with a burst of twice the
 * rate), not copied from the mapping. Log lines go to a recording logger. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config/engine_config.h"

#define PPPOE_PER_FRAME 8     /* PPPoE header 6 + PPP protocol 2 (RFC 2516) */
#define TCP_IP_HEADERS 40     /* IPv4 20 + TCP 20 */

struct rec {
	int n;
	enum uppp_log_level level[8];
	char line[8][512];
};

static void rec_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct rec *r = ud;
	assert_true(r->n < 8);
	r->level[r->n] = level;
	snprintf(r->line[r->n], sizeof(r->line[r->n]), "%s", line);
	r->n++;
}

static struct rec rec;
static struct uppp_logger logger;

static int setup(void **state)
{
	(void)state;
	memset(&rec, 0, sizeof(rec));
	logger = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = rec_emit, .ud = &rec };
	return 0;
}

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

static struct uppp_engine_facts facts_for(int eth_mtu)
{
	struct uppp_engine_facts f = {
		.eth_mtu = eth_mtu,
		.host_name = "gw.example",
		.pool_capacity = 37,
		.log = &logger,
	};
	memcpy(f.mac, our_mac, 6);
	return f;
}

static void assert_rate(struct uppp_rate r, unsigned per_period, unsigned period_ms, unsigned burst)
{
	assert_int_equal(r.tokens, per_period);
	assert_int_equal(r.period_ms, period_ms);
	assert_int_equal(r.burst, burst);
}

static void assert_logger_is_ours(const struct uppp_logger *lg)
{
	assert_ptr_equal(lg->emit, rec_emit);
	assert_ptr_equal(lg->ud, &rec);
	assert_int_equal(lg->min, UPPP_LOG_DEBUG);
	assert_null(lg->prefix);
}

/* What does not depend on the PPP options: the AC's own part. */
static void assert_ac_part(const struct uppp_ac_config *ac, const struct uppp_server_config *cfg,
			   const struct uppp_engine_facts *f)
{
	assert_memory_equal(ac->mac, f->mac, 6);
	assert_ptr_equal(ac->ac_name, cfg->ac_name ? cfg->ac_name : f->host_name);
	assert_int_equal(ac->n_services, cfg->n_services);
	for (unsigned i = 0; i < cfg->n_services; i++)
		assert_ptr_equal(ac->services[i], cfg->services[i]);
	for (unsigned i = cfg->n_services; i < UPPP_AC_MAX_SERVICES; i++)
		assert_null(ac->services[i]);
	assert_int_equal(ac->max_sessions, f->pool_capacity);
	assert_int_equal(ac->max_per_mac, cfg->max_per_mac);
	assert_rate(ac->padi_rate, cfg->padi_rate, 1000, 2 * cfg->padi_rate);
	assert_rate(ac->padi_rate_per_mac, cfg->padi_rate_per_mac, 1000, 2 * cfg->padi_rate_per_mac);
	assert_rate(ac->padr_rate, cfg->padr_rate, 1000, 2 * cfg->padr_rate);
	assert_rate(ac->padr_rate_per_mac, cfg->padr_rate_per_mac, 1000, 2 * cfg->padr_rate_per_mac);
	assert_int_equal(ac->max_negotiating, cfg->max_negotiating);
	/* failed logins per MAC per minute, all of them at once */
	assert_rate(ac->auth_fail_per_mac, cfg->auth_fail_limit, 60000, cfg->auth_fail_limit);
	assert_int_equal(ac->rate_sets, 0);      /* the engine's default sizing */
	assert_null(ac->alloc);
	assert_logger_is_ours(&ac->log);
}

static void server_defaults(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	uppp_server_config_defaults(&cfg);
	cfg.ifname = "vx0";
	struct uppp_engine_facts f = facts_for(1500);
	struct uppp_ppp_config def;
	uppp_ppp_config_defaults(&def);
	struct uppp_ac_config ac;
	memset(&ac, 0xa5, sizeof(ac));   /* every field must be written */
	unsigned mtu = 12345;

	uppp_server_engine_config(&cfg, &f, &ac, &mtu);

	assert_ac_part(&ac, &cfg, &f);
	assert_int_equal(mtu, 0);                 /* `mtu` not set */
	assert_true(ac.ppp.is_server);
	assert_int_equal(ac.ppp.mru, def.mru);
	assert_int_equal(ac.ppp.link_max, 0);     /* a 1500-byte Ethernet carries RFC 2516's 1492 */
	assert_int_equal(ac.ppp.auth, cfg.auth);
	assert_ptr_equal(ac.ppp.name, f.host_name);
	assert_null(ac.ppp.password);
	assert_int_equal(ac.ppp.local_ip, cfg.local_ip);
	assert_int_equal(ac.ppp.dns[0], 0);
	assert_int_equal(ac.ppp.dns[1], 0);
	assert_int_equal(ac.ppp.wins[0], 0);
	assert_int_equal(ac.ppp.wins[1], 0);
	assert_int_equal(ac.ppp.mss_clamp, cfg.mss_clamp);   /* 0: the engine clamps to the link MTU */
	assert_int_equal(ac.ppp.restart_ms, def.restart_ms);
	assert_int_equal(ac.ppp.max_configure, def.max_configure);
	assert_int_equal(ac.ppp.max_terminate, def.max_terminate);
	assert_int_equal(ac.ppp.max_failure, def.max_failure);
	assert_int_equal(ac.ppp.echo_interval_ms, cfg.echo_interval_s * 1000);
	assert_int_equal(ac.ppp.echo_failure, cfg.echo_failure);
	assert_int_equal(ac.ppp.auth_timeout_ms, def.auth_timeout_ms);
	assert_int_equal(ac.ppp.negotiation_timeout_ms, cfg.negotiation_timeout_s * 1000);
	assert_int_equal(ac.ppp.auth_also, 0);
	assert_int_equal(ac.ppp.idle_ms, 0);
	assert_int_equal(ac.ppp.client_accept, 0);
	assert_false(ac.ppp.debug);               /* log level info */
	assert_int_equal(rec.n, 0);               /* nothing to say at 1500 */
}

static void server_every_option(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	uppp_server_config_defaults(&cfg);
	cfg.ifname = "vx0";
	for (unsigned i = 0; i < UPPP_AC_MAX_SERVICES; i++)
		cfg.services[cfg.n_services++] = i % 2 ? "business" : "home";
	cfg.ac_name = "bras-7";
	cfg.ppp_name = "isp-chap";
	cfg.auth = UPPP_AUTH_PAP;
	cfg.auth_also = 1u << UPPP_AUTH_CHAP_MD5;
	cfg.local_ip = 0xc0a80001;
	cfg.dns[0] = 0x08080808;
	cfg.dns[1] = 0x01010101;
	cfg.wins[0] = 0x0a000005;
	cfg.wins[1] = 0x0a000006;
	cfg.echo_interval_s = 30;
	cfg.echo_failure = 7;
	cfg.negotiation_timeout_s = 90;
	cfg.idle_s = 600;
	cfg.max_per_mac = 2;
	cfg.padi_rate = 31;
	cfg.padi_rate_per_mac = 3;
	cfg.padr_rate = 17;
	cfg.padr_rate_per_mac = 4;
	cfg.max_negotiating = 11;
	cfg.auth_fail_limit = 6;
	cfg.lcp_restart_s = 5;
	cfg.lcp_max_configure = 12;
	cfg.lcp_max_terminate = 4;
	cfg.lcp_max_failure = 9;
	cfg.mru = 1400;
	cfg.mtu = 1300;
	cfg.mss_clamp = 0;
	cfg.log_level = UPPP_LOG_DEBUG;
	struct uppp_engine_facts f = facts_for(1500);
	struct uppp_ac_config ac;
	memset(&ac, 0xa5, sizeof(ac));
	unsigned mtu = 0;

	uppp_server_engine_config(&cfg, &f, &ac, &mtu);

	assert_ac_part(&ac, &cfg, &f);
	assert_ptr_equal(ac.ac_name, cfg.ac_name);
	assert_int_equal(ac.n_services, UPPP_AC_MAX_SERVICES);
	assert_true(ac.ppp.is_server);
	assert_ptr_equal(ac.ppp.name, cfg.ppp_name);
	assert_int_equal(ac.ppp.auth, UPPP_AUTH_PAP);
	assert_int_equal(ac.ppp.auth_also, cfg.auth_also);
	assert_int_equal(ac.ppp.local_ip, cfg.local_ip);
	assert_int_equal(ac.ppp.dns[0], cfg.dns[0]);
	assert_int_equal(ac.ppp.dns[1], cfg.dns[1]);
	assert_int_equal(ac.ppp.wins[0], cfg.wins[0]);
	assert_int_equal(ac.ppp.wins[1], cfg.wins[1]);
	assert_int_equal(ac.ppp.echo_interval_ms, cfg.echo_interval_s * 1000);
	assert_int_equal(ac.ppp.echo_failure, cfg.echo_failure);
	assert_int_equal(ac.ppp.negotiation_timeout_ms, cfg.negotiation_timeout_s * 1000);
	assert_int_equal(ac.ppp.idle_ms, cfg.idle_s * 1000);
	assert_int_equal(ac.ppp.restart_ms, cfg.lcp_restart_s * 1000);
	assert_int_equal(ac.ppp.max_configure, cfg.lcp_max_configure);
	assert_int_equal(ac.ppp.max_terminate, cfg.lcp_max_terminate);
	assert_int_equal(ac.ppp.max_failure, cfg.lcp_max_failure);
	assert_int_equal(ac.ppp.mru, cfg.mru);
	assert_int_equal(ac.ppp.link_max, 0);
	assert_int_equal(mtu, cfg.mtu);           /* fits the Ethernet: as given */
	/* mss_clamp 0 with `mtu`: the MSS that fits a packet of `mtu` */
	assert_int_equal(ac.ppp.mss_clamp, (int)cfg.mtu - TCP_IP_HEADERS);
	assert_true(ac.ppp.debug);                /* log level debug: decoded packets */
	assert_int_equal(rec.n, 0);
}

/* A clamp the user chose (or turned off) is kept whatever `mtu` says. */
static void server_explicit_mss_clamp_stays(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	uppp_server_config_defaults(&cfg);
	cfg.ifname = "vx0";
	cfg.mtu = 1300;
	struct uppp_engine_facts f = facts_for(1500);
	struct uppp_ac_config ac;
	unsigned mtu;
	const int chosen[] = { 1200, -1 };

	for (size_t i = 0; i < sizeof(chosen) / sizeof(chosen[0]); i++) {
		cfg.mss_clamp = chosen[i];
		uppp_server_engine_config(&cfg, &f, &ac, &mtu);
		assert_int_equal(ac.ppp.mss_clamp, chosen[i]);
		assert_int_equal(mtu, cfg.mtu);
	}
}

static void server_small_mtu_lowers_mru_mtu_and_mss(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	uppp_server_config_defaults(&cfg);
	cfg.ifname = "vx0";
	cfg.mru = 1492;
	cfg.mtu = 1480;
	cfg.mss_clamp = 0;
	const int eth_mtu = 1400;
	const unsigned cap = eth_mtu - PPPOE_PER_FRAME;
	struct uppp_engine_facts f = facts_for(eth_mtu);
	struct uppp_ac_config ac;
	unsigned mtu = 0;
	char want[512];

	uppp_server_engine_config(&cfg, &f, &ac, &mtu);

	assert_int_equal(ac.ppp.link_max, cap);
	assert_int_equal(ac.ppp.mru, cap);
	assert_int_equal(mtu, cap);
	assert_int_equal(ac.ppp.mss_clamp, (int)cap - TCP_IP_HEADERS);
	/* the lines the operator (and the netns tests) read, word for word */
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.level[0], UPPP_LOG_INFO);
	snprintf(want, sizeof(want), "layer=config event=small-mtu if=vx0 mtu=%d max-mru=%u reason=\"the interface "
		 "MTU is below 1500: PPP packets are at most MTU - 8\"", eth_mtu, cap);
	assert_string_equal(rec.line[0], want);
	assert_int_equal(rec.level[1], UPPP_LOG_WARN);
	snprintf(want, sizeof(want), "layer=config event=option-lowered option=mru value=%u now=%u reason=\"interface "
		 "vx0 has MTU %d: larger PPP packets cannot cross it\"", cfg.mru, cap, eth_mtu);
	assert_string_equal(rec.line[1], want);
	assert_int_equal(rec.level[2], UPPP_LOG_WARN);
	snprintf(want, sizeof(want), "layer=config event=option-lowered option=mtu value=%u now=%u reason=\"interface "
		 "vx0 has MTU %d: larger PPP packets cannot cross it\"", cfg.mtu, cap, eth_mtu);
	assert_string_equal(rec.line[2], want);
}

/* Below 1500 with `mru` / `mtu` unset or already small: only the cap moves,
 * and a clamp of 0 without `mtu` stays 0 (the engine clamps to the link). */
static void server_small_mtu_keeps_what_fits(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	uppp_server_config_defaults(&cfg);
	cfg.ifname = "vx0";
	cfg.mru = 1300;
	const int eth_mtu = 1450;
	struct uppp_engine_facts f = facts_for(eth_mtu);
	struct uppp_ac_config ac;
	unsigned mtu = 0;

	uppp_server_engine_config(&cfg, &f, &ac, &mtu);

	assert_int_equal(ac.ppp.link_max, eth_mtu - PPPOE_PER_FRAME);
	assert_int_equal(ac.ppp.mru, cfg.mru);
	assert_int_equal(mtu, 0);
	assert_int_equal(ac.ppp.mss_clamp, 0);
	assert_int_equal(rec.n, 1);
	assert_non_null(strstr(rec.line[0], "event=small-mtu"));
}

/* A tiny Ethernet still leaves LCP its least MRU (128); an unknown MTU is
 * taken as 1500; with no logger nothing is logged and nothing breaks. */
static void server_tiny_unknown_and_unlogged(void **state)
{
	(void)state;
	struct uppp_server_config cfg;
	uppp_server_config_defaults(&cfg);
	cfg.ifname = "vx0";
	struct uppp_ac_config ac;
	unsigned mtu;
	struct uppp_engine_facts f = facts_for(100);

	uppp_server_engine_config(&cfg, &f, &ac, &mtu);
	assert_int_equal(ac.ppp.link_max, 128);
	f = facts_for(0);
	uppp_server_engine_config(&cfg, &f, &ac, &mtu);
	assert_int_equal(ac.ppp.link_max, 0);
	f = facts_for(-1);
	uppp_server_engine_config(&cfg, &f, &ac, &mtu);
	assert_int_equal(ac.ppp.link_max, 0);
	assert_int_equal(rec.n, 1);               /* the 100-byte one only */

	f = facts_for(1400);
	f.log = NULL;
	cfg.mtu = 1480;
	uppp_server_engine_config(&cfg, &f, &ac, &mtu);
	assert_int_equal(mtu, 1400 - PPPOE_PER_FRAME);
	assert_null(ac.log.emit);
	assert_int_equal(rec.n, 1);
}

static void client_defaults(void **state)
{
	(void)state;
	struct uppp_client_config cfg;
	uppp_client_config_defaults(&cfg);
	cfg.ifname = "vx0";
	cfg.user = "alice";
	cfg.password = "s3cret";
	struct uppp_engine_facts f = facts_for(1500);
	f.host_name = NULL;                       /* a client needs neither */
	f.pool_capacity = 0;
	struct uppp_ppp_config def;
	uppp_ppp_config_defaults(&def);
	struct uppp_dial_config d;
	memset(&d, 0xa5, sizeof(d));

	uppp_client_engine_config(&cfg, &f, &d);

	assert_memory_equal(d.mac, f.mac, 6);
	assert_string_equal(d.service, "");       /* any */
	assert_null(d.ac_name);                   /* any */
	assert_int_equal(d.padi_timeout_ms, 1000);   /* uppp/dial.h's defaults */
	assert_int_equal(d.padi_attempts, 5);
	assert_logger_is_ours(&d.log);
	assert_false(d.ppp.is_server);
	assert_ptr_equal(d.ppp.name, cfg.user);
	assert_ptr_equal(d.ppp.password, cfg.password);
	assert_int_equal(d.ppp.mru, def.mru);
	assert_int_equal(d.ppp.link_max, 0);
	assert_int_equal(d.ppp.auth, def.auth);
	assert_int_equal(d.ppp.local_ip, 0);
	assert_int_equal(d.ppp.mss_clamp, cfg.mss_clamp);
	assert_int_equal(d.ppp.restart_ms, def.restart_ms);
	assert_int_equal(d.ppp.max_configure, def.max_configure);
	assert_int_equal(d.ppp.max_terminate, def.max_terminate);
	assert_int_equal(d.ppp.max_failure, def.max_failure);
	assert_int_equal(d.ppp.echo_interval_ms, cfg.echo_interval_s * 1000);
	assert_int_equal(d.ppp.echo_failure, cfg.echo_failure);
	assert_int_equal(d.ppp.negotiation_timeout_ms, cfg.negotiation_timeout_s * 1000);
	assert_int_equal(d.ppp.auth_timeout_ms, def.auth_timeout_ms);
	assert_int_equal(d.ppp.client_accept, 0);   /* every protocol this build has */
	assert_int_equal(d.ppp.idle_ms, 0);
	assert_int_equal(d.ppp.auth_also, 0);
	assert_false(d.ppp.debug);
	assert_int_equal(rec.n, 0);

	cfg.service = NULL;                       /* NULL is "" too */
	uppp_client_engine_config(&cfg, &f, &d);
	assert_string_equal(d.service, "");
}

static void client_every_option(void **state)
{
	(void)state;
	struct uppp_client_config cfg;
	uppp_client_config_defaults(&cfg);
	cfg.ifname = "vx0";
	cfg.user = "bob";
	cfg.password = "pw";
	cfg.service = "business";
	cfg.ac_name = "bras-7";
	cfg.auth_accept = 1u << UPPP_AUTH_CHAP_MD5;
	cfg.echo_interval_s = 20;
	cfg.echo_failure = 4;
	cfg.negotiation_timeout_s = 30;
	cfg.mss_clamp = 1360;
	cfg.log_level = UPPP_LOG_DEBUG;
	struct uppp_engine_facts f = facts_for(1500);
	struct uppp_dial_config d;

	uppp_client_engine_config(&cfg, &f, &d);

	assert_ptr_equal(d.service, cfg.service);
	assert_ptr_equal(d.ac_name, cfg.ac_name);
	assert_ptr_equal(d.ppp.name, cfg.user);
	assert_ptr_equal(d.ppp.password, cfg.password);
	assert_int_equal(d.ppp.client_accept, cfg.auth_accept);
	assert_int_equal(d.ppp.echo_interval_ms, cfg.echo_interval_s * 1000);
	assert_int_equal(d.ppp.echo_failure, cfg.echo_failure);
	assert_int_equal(d.ppp.negotiation_timeout_ms, cfg.negotiation_timeout_s * 1000);
	assert_int_equal(d.ppp.mss_clamp, cfg.mss_clamp);
	assert_true(d.ppp.debug);
	assert_int_equal(rec.n, 0);
}

/* The client has no `mru` / `mtu`: a small Ethernet caps the link (logged
 * as for the server) and the MRU we ask stays the default, which the engine
 * caps at link_max itself. */
static void client_small_mtu(void **state)
{
	(void)state;
	struct uppp_client_config cfg;
	uppp_client_config_defaults(&cfg);
	cfg.ifname = "vx0";
	const int eth_mtu = 1400;
	struct uppp_engine_facts f = facts_for(eth_mtu);
	struct uppp_ppp_config def;
	uppp_ppp_config_defaults(&def);
	struct uppp_dial_config d;
	char want[512];

	uppp_client_engine_config(&cfg, &f, &d);

	assert_int_equal(d.ppp.link_max, eth_mtu - PPPOE_PER_FRAME);
	assert_int_equal(d.ppp.mru, def.mru);
	assert_int_equal(d.ppp.mss_clamp, cfg.mss_clamp);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.level[0], UPPP_LOG_INFO);
	snprintf(want, sizeof(want), "layer=config event=small-mtu if=vx0 mtu=%d max-mru=%d reason=\"the interface "
		 "MTU is below 1500: PPP packets are at most MTU - 8\"", eth_mtu, eth_mtu - PPPOE_PER_FRAME);
	assert_string_equal(rec.line[0], want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(server_defaults, setup),
		cmocka_unit_test_setup(server_every_option, setup),
		cmocka_unit_test_setup(server_explicit_mss_clamp_stays, setup),
		cmocka_unit_test_setup(server_small_mtu_lowers_mru_mtu_and_mss, setup),
		cmocka_unit_test_setup(server_small_mtu_keeps_what_fits, setup),
		cmocka_unit_test_setup(server_tiny_unknown_and_unlogged, setup),
		cmocka_unit_test_setup(client_defaults, setup),
		cmocka_unit_test_setup(client_every_option, setup),
		cmocka_unit_test_setup(client_small_mtu, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
