/* config/engine_config.c — a user's configuration turned into an engine's
 * (config/engine_config.h). Pure but for the log lines of a small MTU. */
#include "config/engine_config.h"

#include <string.h>

#include "core/logger.h"
#include "proto/lcp.h"   /* UPPP_LCP_MIN_MRU */

#define PPPOE_OVERHEAD 8     /* PPPoE header 6 + PPP protocol field 2 */
#define PPPOE_MAX_MRU 1492   /* RFC 2516 §7 */

uint16_t uppp_link_max_for(const struct uppp_logger *log, const char *ifname, int eth_mtu, uint16_t *mru,
			   unsigned *mtu)
{
	if (eth_mtu <= 0 || eth_mtu - PPPOE_OVERHEAD >= PPPOE_MAX_MRU)
		return 0;
	unsigned max = eth_mtu - PPPOE_OVERHEAD < UPPP_LCP_MIN_MRU ? UPPP_LCP_MIN_MRU
								   : (unsigned)(eth_mtu - PPPOE_OVERHEAD);
	UPPP_LOGF(log, UPPP_LOG_INFO, "config", "event=small-mtu if=%s mtu=%d max-mru=%u "
		  "reason=\"the interface MTU is below 1500: PPP packets are at most MTU - 8\"", ifname, eth_mtu, max);
	if (mru && *mru > max) {
		UPPP_LOGF(log, UPPP_LOG_WARN, "config", "event=option-lowered option=mru value=%u now=%u "
			  "reason=\"interface %s has MTU %d: larger PPP packets cannot cross it\"", *mru, max, ifname,
			  eth_mtu);
		*mru = (uint16_t)max;
	}
	if (mtu && *mtu > max) {
		UPPP_LOGF(log, UPPP_LOG_WARN, "config", "event=option-lowered option=mtu value=%u now=%u "
			  "reason=\"interface %s has MTU %d: larger PPP packets cannot cross it\"", *mtu, max, ifname,
			  eth_mtu);
		*mtu = max;
	}
	return (uint16_t)max;
}

/* The PPP link as the server and the client both configure it, over
 * uppp_ppp_config_defaults(). mru and mtu are pppd's options (NULL: the
 * client has none), lowered here to what the Ethernet carries; a set `mtu`
 * also gives the MSS clamp its default (MTU - 40). */
static void link_config(struct uppp_ppp_config *ppp, const struct uppp_engine_facts *facts, const char *ifname,
			unsigned echo_interval_s, unsigned echo_failure, unsigned negotiation_timeout_s,
			int mss_clamp, enum uppp_log_level log_level, uint16_t *mru, unsigned *mtu)
{
	uppp_ppp_config_defaults(ppp);
	/* an Ethernet MTU below 1500 caps the MRU, and `mru`/`mtu` with it */
	ppp->link_max = uppp_link_max_for(facts->log, ifname, facts->eth_mtu, mru, mtu);
	if (mru && *mru)
		ppp->mru = *mru;
	ppp->mss_clamp = mss_clamp;
	if (mtu && *mtu && mss_clamp == 0)
		ppp->mss_clamp = (int)*mtu - 40;  /* the interface MTU is capped at `mtu` */
	ppp->echo_interval_ms = echo_interval_s * 1000;
	ppp->echo_failure = echo_failure;
	ppp->negotiation_timeout_ms = negotiation_timeout_s * 1000u;
	ppp->debug = log_level >= UPPP_LOG_DEBUG;   /* decoded packets (proto/decode.h) */
}

static struct uppp_logger logger_copy(const struct uppp_logger *log)
{
	struct uppp_logger none = { 0 };
	return log ? *log : none;   /* the engine formats each line once, straight to the host's sink */
}

#if UPPP_HAVE_SERVER
void uppp_server_engine_config(const struct uppp_server_config *cfg, const struct uppp_engine_facts *facts,
			       struct uppp_ac_config *ac, unsigned *mtu)
{
	memset(ac, 0, sizeof(*ac));
	memcpy(ac->mac, facts->mac, 6);
	ac->ac_name = cfg->ac_name ? cfg->ac_name : facts->host_name;
	for (unsigned i = 0; i < cfg->n_services && i < UPPP_AC_MAX_SERVICES; i++)
		ac->services[ac->n_services++] = cfg->services[i];
	ac->max_sessions = facts->pool_capacity;
	ac->max_per_mac = cfg->max_per_mac;
	ac->padi_rate = uppp_rate_per_s(cfg->padi_rate, cfg->padi_rate * 2);
	ac->padi_rate_per_mac = uppp_rate_per_s(cfg->padi_rate_per_mac, cfg->padi_rate_per_mac * 2);
	ac->padr_rate = uppp_rate_per_s(cfg->padr_rate, cfg->padr_rate * 2);
	ac->padr_rate_per_mac = uppp_rate_per_s(cfg->padr_rate_per_mac, cfg->padr_rate_per_mac * 2);
	ac->max_negotiating = cfg->max_negotiating;
	ac->auth_fail_per_mac = (struct uppp_rate){ cfg->auth_fail_limit, 60000, cfg->auth_fail_limit };

	uint16_t mru_opt = cfg->mru > 0xffff ? 0xffff : (uint16_t)cfg->mru;
	*mtu = cfg->mtu;
	link_config(&ac->ppp, facts, cfg->ifname, cfg->echo_interval_s, cfg->echo_failure,
		    cfg->negotiation_timeout_s, cfg->mss_clamp, cfg->log_level, &mru_opt, mtu);
	ac->ppp.is_server = true;
	ac->ppp.auth = cfg->auth;
	/* require-pap + require-chap ...: the others, if a client Naks the first */
	ac->ppp.auth_also = cfg->auth_also;
	ac->ppp.name = cfg->ppp_name ? cfg->ppp_name : facts->host_name;
	if (cfg->lcp_restart_s)
		ac->ppp.restart_ms = cfg->lcp_restart_s * 1000;
	if (cfg->lcp_max_configure)
		ac->ppp.max_configure = cfg->lcp_max_configure;
	if (cfg->lcp_max_terminate)
		ac->ppp.max_terminate = cfg->lcp_max_terminate;
	if (cfg->lcp_max_failure)
		ac->ppp.max_failure = cfg->lcp_max_failure;
	ac->ppp.local_ip = cfg->local_ip;
	ac->ppp.dns[0] = cfg->dns[0];
	ac->ppp.dns[1] = cfg->dns[1];
	ac->ppp.wins[0] = cfg->wins[0];
	ac->ppp.wins[1] = cfg->wins[1];
	ac->ppp.idle_ms = cfg->idle_s * 1000u;
	ac->log = logger_copy(facts->log);
}
#endif

#if UPPP_HAVE_CLIENT
void uppp_client_engine_config(const struct uppp_client_config *cfg, const struct uppp_engine_facts *facts,
			       struct uppp_dial_config *d)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->mac, facts->mac, 6);
	d->service = cfg->service ? cfg->service : "";
	d->ac_name = cfg->ac_name;
	d->padi_timeout_ms = 1000;
	d->padi_attempts = 5;
	link_config(&d->ppp, facts, cfg->ifname, cfg->echo_interval_s, cfg->echo_failure, cfg->negotiation_timeout_s,
		    cfg->mss_clamp, cfg->log_level, NULL, NULL);
	d->ppp.is_server = false;
	d->ppp.name = cfg->user;
	d->ppp.password = cfg->password;
	d->ppp.client_accept = cfg->auth_accept;
	d->log = logger_copy(facts->log);
}
#endif
