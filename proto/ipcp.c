/* proto/ipcp.c — IPCP options (RFC 1332, RFC 1877) on the RFC 1661 automaton. */
#include "proto/ipcp.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "core/ppp_defs.h"

#define IPCP_LOG(c, lvl, ...) UPPP_LOGF((c)->fsm.env->log, (lvl), "ipcp", __VA_ARGS__)

#define IP_FMT "%u.%u.%u.%u"
#define IP_ARGS(a) (unsigned)((a) >> 24), (unsigned)((a) >> 16 & 0xff), (unsigned)((a) >> 8 & 0xff), \
		   (unsigned)((a) & 0xff)

static struct uppp_ipcp *ipcp_of(struct uppp_fsm *f)
{
	return (struct uppp_ipcp *)((char *)f - offsetof(struct uppp_ipcp, fsm));
}

void uppp_ipcp_init(struct uppp_ipcp *c, bool is_server, struct uppp_fsm_env *env)
{
	memset(c, 0, sizeof(*c));
	uppp_fsm_init(&c->fsm, &uppp_ipcp_callbacks, env);
	c->fsm.peer_mru = UPPP_PPPOE_MTU;
	c->is_server = is_server;
}

/* Server: our address, the DNS (kind 0) or WINS (kind 1) server i offered,
 * from the link's config (read, not copied: one config for every session);
 * 0 for a client or without a config. */
static uint32_t cfg_local(const struct uppp_ipcp *c)
{
	const struct uppp_ppp_config *cfg = c->fsm.env->cfg;
	return c->is_server && cfg ? cfg->local_ip : 0;
}

static uint32_t cfg_server(const struct uppp_ipcp *c, int kind, int i)
{
	const struct uppp_ppp_config *cfg = c->fsm.env->cfg;
	if (!c->is_server || !cfg)
		return 0;
	return kind == 0 ? cfg->dns[i] : cfg->wins[i];
}

uint32_t uppp_ipcp_local_ip(const struct uppp_ipcp *c)
{
	if (c->is_server)
		return cfg_local(c);
	return c->got_addr ? c->want_addr : 0;
}

uint32_t uppp_ipcp_peer_ip(const struct uppp_ipcp *c)
{
	if (c->is_server)
		return c->peer_assigned;
	return c->his_addr;
}

uint32_t uppp_ipcp_dns(const struct uppp_ipcp *c, int i)
{
	if (i < 0 || i > 1)
		return 0;
	if (c->is_server)
		return cfg_server(c, 0, i);
	return c->got_dns[i] ? c->want_dns[i] : 0;
}

static void ipcp_reset(struct uppp_fsm *f)
{
	struct uppp_ipcp *c = ipcp_of(f);

	if (c->is_server) {
		c->ask_addr = cfg_local(c) != 0;
		c->want_addr = cfg_local(c);
		c->ask_dns[0] = c->ask_dns[1] = false;
	} else {
		/* RFC 1332 §3.3 / RFC 1877 §1: 0.0.0.0 asks the peer to choose */
		c->ask_addr = true;
		c->want_addr = 0;
		c->ask_dns[0] = c->ask_dns[1] = true;
		c->want_dns[0] = c->want_dns[1] = 0;
	}
	c->got_addr = c->got_dns[0] = c->got_dns[1] = false;
	c->suggested_addr = false;
	c->addr_naks = 0;
	c->fail_cause = UPPP_CAUSE_NONE;
}

static const uint8_t dns_opt[2] = { IPCP_OPT_DNS1, IPCP_OPT_DNS2 };

static void put_addr_opt(struct uppp_writer *w, uint8_t type, uint32_t a)
{
	uppp_wr_u8(w, type);
	uppp_wr_u8(w, 6);
	uppp_wr_be32(w, a);
}

static int ipcp_build_request(struct uppp_fsm *f, struct uppp_writer *w)
{
	struct uppp_ipcp *c = ipcp_of(f);

	if (c->ask_addr)
		put_addr_opt(w, IPCP_OPT_ADDR, c->want_addr);
	for (int i = 0; i < 2; i++)
		if (c->ask_dns[i])
			put_addr_opt(w, dns_opt[i], c->want_dns[i]);
	return uppp_wr_ok(w) ? 0 : -EMSGSIZE;
}

static int dns_index(uint8_t type)
{
	return type == IPCP_OPT_DNS1 ? 0 : type == IPCP_OPT_DNS2 ? 1 : -1;
}

static int wins_index(uint8_t type)
{
	return type == IPCP_OPT_NBNS1 ? 0 : type == IPCP_OPT_NBNS2 ? 1 : -1;
}

/* The peer asks for address a, not the one the host assigned it. 0.0.0.0
 * asks us to choose; anything else is an address that is in use or not its
 * own (a Windows client with a static address): Nak with the assigned one
 * until max-failure, then Reject (the client then shows error 735). */
static void judge_peer_address(struct uppp_ipcp *c, struct uppp_cp_judge *j, const uint8_t *d, size_t n,
			       uint32_t a)
{
	uint8_t v[4];

	if (a != 0 && !j->may_nak) {
		c->fail_cause = UPPP_CAUSE_ADDRESS_CONFLICT;
		IPCP_LOG(c, UPPP_LOG_WARN,
			 "event=address-rejected cause=%s reason=\"%s\" asked=" IP_FMT " assigned=" IP_FMT,
			 uppp_cause_name(UPPP_CAUSE_ADDRESS_CONFLICT), uppp_cause_text(UPPP_CAUSE_ADDRESS_CONFLICT),
			 IP_ARGS(a), IP_ARGS(c->peer_assigned));
	} else if (a != 0) {
		bool first = c->addr_naks == 0;

		c->addr_naks += c->addr_naks < UINT8_MAX;   /* counts to 255 */
		if (first)
			IPCP_LOG(c, UPPP_LOG_INFO,
				 "event=address-nak asked=" IP_FMT " assigned=" IP_FMT
				 " (client asked for an address that is not its own; offering the assigned one)",
				 IP_ARGS(a), IP_ARGS(c->peer_assigned));
	}
	uppp_put_be32(v, c->peer_assigned);
	uppp_cp_nak(j, IPCP_OPT_ADDR, d, n, v, 4);
}

/* DNS (129/131) and WINS (130/132), RFC 1877: Nak towards what is
 * configured, reject what is not. */
static void judge_name_server(struct uppp_cp_judge *j, uint8_t type, const uint8_t *d, size_t n,
			      uint32_t configured)
{
	uint8_t v[4];

	if (configured == 0 || n != 4) {
		uppp_cp_reject(j, type, d, n);
		return;
	}
	if (uppp_get_be32(d) != configured) {
		uppp_put_be32(v, configured);
		uppp_cp_nak(j, type, d, n, v, 4);
	}
}

static void judge_server(struct uppp_ipcp *c, struct uppp_cp_judge *j, uint8_t type,
			 const uint8_t *d, size_t n, bool *saw_addr)
{
	int i = dns_index(type), w = wins_index(type);

	if (type == IPCP_OPT_ADDR && n == 4) {
		uint32_t a = uppp_get_be32(d);
		*saw_addr = true;
		if (c->peer_assigned == 0)
			uppp_cp_reject(j, type, d, n);
		else if (a != c->peer_assigned)
			judge_peer_address(c, j, d, n, a);
		else
			c->his_addr = a;
		return;
	}
	if (i >= 0) {
		judge_name_server(j, type, d, n, cfg_server(c, 0, i));
		return;
	}
	if (w >= 0) {
		judge_name_server(j, type, d, n, cfg_server(c, 1, w));
		return;
	}
	/* wrong lengths, IP-Compression (VJ), IP-Addresses, anything unknown */
	uppp_cp_reject(j, type, d, n);
}

static void judge_client(struct uppp_ipcp *c, struct uppp_cp_judge *j, uint8_t type,
			 const uint8_t *d, size_t n)
{
	if (type == IPCP_OPT_ADDR && n == 4 && uppp_get_be32(d) != 0) {
		c->his_addr = uppp_get_be32(d);
		return;
	}
	/* a server asking us to choose its address, or DNS from us: we have
	 * nothing to offer */
	uppp_cp_reject(j, type, d, n);
}

static enum uppp_cp_verdict ipcp_handle_request(struct uppp_fsm *f, const uint8_t *opts, size_t len,
						struct uppp_writer *reply, bool may_nak)
{
	struct uppp_ipcp *c = ipcp_of(f);
	struct uppp_reader r = uppp_reader(opts, len);
	struct uppp_cp_judge j;
	uint8_t type;
	const uint8_t *d;
	size_t n;
	int rc;
	bool saw_addr = false;

	uppp_cp_judge_init(&j, reply, may_nak);
	c->his_addr = 0;
	while ((rc = uppp_cp_next_option(&r, &type, &d, &n)) == 1) {
		if (c->is_server)
			judge_server(c, &j, type, d, n, &saw_addr);
		else
			judge_client(c, &j, type, d, n);
	}
	if (rc < 0)
		return UPPP_CP_DROP;
	/* RFC 1661 §5.3: a Nak may carry an option the peer did not ask, to
	 * suggest it. Done once: a peer that will not ask keeps the address the
	 * host assigned anyway. */
	if (c->is_server && !saw_addr && c->peer_assigned && !c->suggested_addr && may_nak && j.n_rej == 0) {
		uint8_t v[4];
		uppp_put_be32(v, c->peer_assigned);
		uppp_cp_nak(&j, IPCP_OPT_ADDR, v, 4, v, 4);
		c->suggested_addr = true;
	}
	return uppp_cp_judge_verdict(&j);
}

static int ipcp_handle_ack(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct uppp_ipcp *c = ipcp_of(f);

	if (!uppp_cp_ack_matches(f, opts, len))
		return -EINVAL;
	c->got_addr = c->ask_addr;
	c->got_dns[0] = c->ask_dns[0];
	c->got_dns[1] = c->ask_dns[1];
	return 0;
}

/* The peer will not stop Naking: what it names of our request is dropped
 * from it, as if rejected (pppd's maxnakloops). A client cannot do without
 * its address: it gives up. */
static int ipcp_nak_as_reject(struct uppp_ipcp *c, const uint8_t *opts, size_t len)
{
	struct uppp_reader r = uppp_reader(opts, len);
	uint8_t type;
	const uint8_t *d;
	size_t n;
	int rc;
	bool addr = c->ask_addr, dns[2] = { c->ask_dns[0], c->ask_dns[1] };

	while ((rc = uppp_cp_next_option(&r, &type, &d, &n)) == 1) {
		int i = dns_index(type);
		if (type == IPCP_OPT_ADDR)
			addr = false;
		else if (i >= 0)
			dns[i] = false;
	}
	if (rc < 0)
		return -EINVAL;
	if (c->ask_addr && !addr) {
		if (!c->is_server) {
			c->fail_cause = UPPP_CAUSE_IPCP_FAILED;
			IPCP_LOG(c, UPPP_LOG_WARN, "event=address-refused (the server keeps Naking our address)");
			return -EPROTO;
		}
		IPCP_LOG(c, UPPP_LOG_INFO, "event=address-dropped local=" IP_FMT
			 " (peer keeps Naking our own address; not asking it any more)", IP_ARGS(c->want_addr));
	}
	c->ask_addr = addr;
	c->ask_dns[0] = dns[0];
	c->ask_dns[1] = dns[1];
	return 0;
}

static int ipcp_handle_nak(struct uppp_fsm *f, const uint8_t *opts, size_t len, bool treat_as_reject)
{
	struct uppp_ipcp *c = ipcp_of(f);
	struct uppp_reader r = uppp_reader(opts, len);
	uint8_t type;
	const uint8_t *d;
	size_t n;
	int rc;

	if (treat_as_reject)
		return ipcp_nak_as_reject(c, opts, len);
	while ((rc = uppp_cp_next_option(&r, &type, &d, &n)) == 1) {
		int i = dns_index(type);
		if (c->is_server || n != 4)
			continue;   /* our own address is not the peer's to choose */
		if (type == IPCP_OPT_ADDR) {
			c->ask_addr = true;
			c->want_addr = uppp_get_be32(d);
		} else if (i >= 0 && c->ask_dns[i]) {
			c->want_dns[i] = uppp_get_be32(d);
		}
	}
	return rc < 0 ? -EINVAL : 0;
}

static int ipcp_handle_reject(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct uppp_ipcp *c = ipcp_of(f);
	struct uppp_reader r = uppp_reader(opts, len);
	uint8_t type;
	const uint8_t *d;
	size_t n;
	int rc;
	bool addr = c->ask_addr, dns[2] = { c->ask_dns[0], c->ask_dns[1] };

	while ((rc = uppp_cp_next_option(&r, &type, &d, &n)) == 1) {
		int i = dns_index(type);
		if (type == IPCP_OPT_ADDR && c->ask_addr)
			addr = false;
		else if (i >= 0 && c->ask_dns[i])
			dns[i] = false;
		else
			return -EINVAL;   /* RFC 1661 §5.4: not something we asked */
	}
	if (rc < 0)
		return -EINVAL;
	if (!c->is_server && c->ask_addr && !addr) {
		c->fail_cause = UPPP_CAUSE_IPCP_FAILED;
		IPCP_LOG(c, UPPP_LOG_WARN, "event=address-rejected (the server will not give us an address)");
		return -EPROTO;
	}
	c->ask_addr = addr;
	c->ask_dns[0] = dns[0];
	c->ask_dns[1] = dns[1];
	return 0;
}

static void ipcp_up(struct uppp_fsm *f)
{
	struct uppp_ipcp *c = ipcp_of(f);
	uint32_t l = uppp_ipcp_local_ip(c), p = uppp_ipcp_peer_ip(c);
	uint32_t d0 = uppp_ipcp_dns(c, 0), d1 = uppp_ipcp_dns(c, 1);

	c->fail_cause = UPPP_CAUSE_NONE;   /* whatever went wrong on the way was overcome */

	IPCP_LOG(c, UPPP_LOG_INFO, "event=opened local=" IP_FMT " peer=" IP_FMT " dns1=" IP_FMT " dns2=" IP_FMT,
		 IP_ARGS(l), IP_ARGS(p), IP_ARGS(d0), IP_ARGS(d1));
}

const struct uppp_fsm_callbacks uppp_ipcp_callbacks = {
	.name = "ipcp",
	.protocol = PPP_IPCP,
	.reset = ipcp_reset,
	.build_request = ipcp_build_request,
	.handle_request = ipcp_handle_request,
	.handle_ack = ipcp_handle_ack,
	.handle_nak = ipcp_handle_nak,
	.handle_reject = ipcp_handle_reject,
	.up = ipcp_up,
};
