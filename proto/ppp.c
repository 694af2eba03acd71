/* proto/ppp.c — one PPP link: phases (RFC 1661 §3.2), demultiplexing, LCP
 * echo keepalive, authentication and IPCP start, IP data and MSS clamping.
 *
 * The host hears about the link through two deferred notifications: up()
 * and down() are never called from inside an FSM action; they are flushed as
 * the last thing a public entry point does, so that down() really is the
 * engine's last act and the host may free the engine from it (after the
 * call returns).
 *
 * Peer Terminate-Request: we Terminate-Ack and, as RFC 1661 §4.4 (zrc)
 * asks, wait one restart period before the layer finishes; down(PEER_TERM_REQ)
 * comes after that wait (restart_ms, 3 s by default). */
#include "proto/ppp.h"
#include "proto/ppp_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "proto/mss.h"
#include "core/ppp_defs.h"

#define PPP_LOG(p, lvl, ...) UPPP_LOGF((p)->env.log, (lvl), "ppp", __VA_ARGS__)

static const char *const phase_names[UPPP_PHASE_COUNT] = {
	"dead", "establish", "authenticate", "network", "terminate",
};

/* Which phase changes exist. RFC 1661 §3.2's diagram: Dead -> Establish
 * (lower layer up), Establish -> Authenticate (LCP Opened) or Dead (LCP
 * failed), Authenticate -> Network (authenticated, or no authentication)
 * or Terminate (refused), Network -> Terminate (closing), Terminate ->
 * Dead. And the moves this engine takes beyond the diagram:
 *  - Authenticate or Network -> Establish: LCP went down without a cause of
 *    ours: the peer renegotiates (§3.4: a Configure-Request takes the link
 *    back to Establish) or sent a Terminate-Request (Dead follows when LCP
 *    finishes);
 *  - Establish -> Terminate: closed, or out of time, while LCP negotiates;
 *  - Dead -> Terminate: closed before the lower layer came up (Dead follows
 *    in the same call).
 * Never out of Terminate but to Dead: closing takes LCP down, which ends
 * this LCP session's authentication and network phase, so a verdict or an
 * address that comes later finds nothing awaited. */
#define PH(x) (1u << UPPP_PHASE_##x)
static const uint8_t phase_legal_next[UPPP_PHASE_COUNT] = {
	[UPPP_PHASE_DEAD] = PH(ESTABLISH) | PH(TERMINATE),
	[UPPP_PHASE_ESTABLISH] = PH(AUTHENTICATE) | PH(TERMINATE) | PH(DEAD),
	[UPPP_PHASE_AUTHENTICATE] = PH(NETWORK) | PH(ESTABLISH) | PH(TERMINATE),
	[UPPP_PHASE_NETWORK] = PH(ESTABLISH) | PH(TERMINATE),
	[UPPP_PHASE_TERMINATE] = PH(DEAD),
};
#undef PH

bool uppp_ppp_phase_legal(enum uppp_ppp_phase from, enum uppp_ppp_phase to)
{
	if ((unsigned)from >= UPPP_PHASE_COUNT || (unsigned)to >= UPPP_PHASE_COUNT)
		return false;
	return (phase_legal_next[from] & (1u << to)) != 0;
}

const char *uppp_ppp_phase_name(enum uppp_ppp_phase phase)
{
	return (unsigned)phase < UPPP_PHASE_COUNT ? phase_names[phase] : "?";
}

void uppp_ppp_config_defaults(struct uppp_ppp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->is_server = false;
	cfg->mru = UPPP_PPPOE_MTU;
	cfg->auth = UPPP_AUTH_NONE;
	cfg->mss_clamp = 0;   /* PPPoE links need it: clamp to MTU - 40 */
	cfg->restart_ms = 3000;
	cfg->max_configure = 10;
	cfg->max_terminate = 2;
	cfg->max_failure = 5;
	cfg->echo_interval_ms = 0;
	cfg->echo_failure = 3;
	cfg->auth_timeout_ms = 30000;
	cfg->negotiation_timeout_ms = 60000;
}

/* The one place the phase changes: checked against the table above and
 * logged, as proto/fsm.c and proto/dial.c do for their states. A refused
 * move is a programming error, not a peer's doing: logged and refused
 * (the library does not abort). */
bool uppp_ppp_set_phase(struct uppp_ppp *p, enum uppp_ppp_phase next, const char *why)
{
	enum uppp_ppp_phase old = p->phase;

	if (old == next)
		return true;
	if (!uppp_ppp_phase_legal(old, next)) {
		PPP_LOG(p, UPPP_LOG_ERR, "illegal transition phase=%s -> %s (%s)", uppp_ppp_phase_name(old),
			uppp_ppp_phase_name(next), why);
		return false;
	}
	PPP_LOG(p, UPPP_LOG_DEBUG, "phase=%s -> %s (%s)", phase_names[old], phase_names[next], why);
	p->phase = next;
	return true;
}

/* ---- memory held for a while (ops->alloc, proto/ops.h) ---- */

static void *ppp_alloc(struct uppp_ppp *p, size_t size)
{
	void *m = p->env.ops->alloc ? p->env.ops->alloc(p->env.ctx, size) : malloc(size);

	if (m)
		memset(m, 0, size);
	return m;
}

static void ppp_free(struct uppp_ppp *p, void *m, size_t size)
{
	if (!m)
		return;
	memset(m, 0, size);   /* challenges, a client's response: nothing left behind */
	if (p->env.ops->free)
		p->env.ops->free(p->env.ctx, m, size);
	else
		free(m);
}

/* The authentication state goes (and what a server kept of it). */
static void auth_release(struct uppp_ppp *p)
{
	ppp_free(p, p->auth, sizeof(*p->auth));
	p->auth = NULL;
	if (p->auth_kept)
		ppp_free(p, p->auth_kept, uppp_auth_kept_len(p->auth_kept));
	p->auth_kept = NULL;
}

void uppp_ppp_release(struct uppp_ppp *p)
{
	auth_release(p);
	if (p->notify != UPPP_PPP_NOTIFY_DONE)   /* after down() it is the copy, gone */
		ppp_free(p, p->peer_term_reason, 1 + UPPP_PPP_PEER_REASON_MAX);
	p->peer_term_reason = NULL;
}

const char *uppp_ppp_peer_name(const struct uppp_ppp *p)
{
	if (p->auth_state == UPPP_PPP_AUTH_OFF)
		return "";
	if (p->auth_kept)
		return uppp_auth_kept_name(p->auth_kept);
	return p->auth && p->lcp.is_server ? uppp_auth_peer_name(p->auth) : "";
}

/* The link is over: down(cause) when the current entry point ends. The
 * first cause recorded wins. */
static void finish(struct uppp_ppp *p, enum uppp_cause cause)
{
	if (p->cause == UPPP_CAUSE_NONE)
		p->cause = cause;
	p->notify = UPPP_PPP_NOTIFY_DOWN;
}

/* Close the link (LCP Terminate-Request carrying the reason), then down(cause)
 * once the Terminate-Ack arrives or max-terminate runs out. */
static void close_link(struct uppp_ppp *p, enum uppp_cause cause)
{
	if (p->cause == UPPP_CAUSE_NONE)
		p->cause = cause;
	PPP_LOG(p, UPPP_LOG_INFO, "event=closing cause=%s reason=\"%s\"", uppp_cause_name(p->cause),
		uppp_cause_text(p->cause));
	uppp_ppp_set_phase(p, UPPP_PHASE_TERMINATE, uppp_cause_name(p->cause));
	uppp_fsm_close(&p->lcp.fsm, uppp_cause_text(p->cause), p->env.now);
	/* Closed/Stopped -> Closed and Initial have no handshake to wait for */
	if (p->lcp.fsm.state == UPPP_FSM_CLOSED || p->lcp.fsm.state == UPPP_FSM_INITIAL)
		finish(p, cause);
}

static void flush(struct uppp_ppp *p)
{
	if (p->in_callback || p->notify == UPPP_PPP_NOTIFY_DONE)
		return;
	if (p->notify == UPPP_PPP_NOTIFY_UP) {
		p->notify = UPPP_PPP_NOTIFY_NONE;
		if (p->env.ops->up) {
			p->in_callback = true;
			struct uppp_ppp_link link = {
				.local_ip = uppp_ipcp_local_ip(&p->ipcp),
				.peer_ip = uppp_ipcp_peer_ip(&p->ipcp),
				.dns = { uppp_ipcp_dns(&p->ipcp, 0), uppp_ipcp_dns(&p->ipcp, 1) },
				.mtu = p->mtu,
				.mru = p->mru,
				.peer_name = p->lcp.is_server ? uppp_ppp_peer_name(p) : "",
			};
			p->env.ops->up(p->env.ctx, &link);
			p->in_callback = false;
		}
	}
	if (p->notify == UPPP_PPP_NOTIFY_DOWN) {
		p->notify = UPPP_PPP_NOTIFY_DONE;
		uppp_ppp_set_phase(p, UPPP_PHASE_DEAD, uppp_cause_name(p->cause));
		char why[UPPP_PPP_REASON_ESCAPED_MAX];
		if (p->cause == UPPP_CAUSE_PEER_TERM_REQ && p->peer_term_reason && p->peer_term_reason[0])
			PPP_LOG(p, UPPP_LOG_INFO, "event=down cause=%s reason=\"%s\" peer_reason='%s'",
				uppp_cause_name(p->cause), uppp_cause_text(p->cause),
				uppp_ppp_peer_term_reason(p, why, sizeof(why)));
		else
			PPP_LOG(p, UPPP_LOG_INFO, "event=down cause=%s reason=\"%s\"", uppp_cause_name(p->cause),
				uppp_cause_text(p->cause));
		/* Everything held goes back before down(): the host may free p
		 * from it. The peer's Terminate-Request text stays readable
		 * during down() (uppp_ppp_peer_term_reason) from a copy here. */
		uint8_t text[1 + UPPP_PPP_PEER_REASON_MAX];
		uint8_t *held = p->peer_term_reason;
		if (held)
			memcpy(text, held, 1u + held[0]);
		auth_release(p);
		ppp_free(p, held, 1 + UPPP_PPP_PEER_REASON_MAX);
		p->peer_term_reason = held ? text : NULL;
		if (p->env.ops->down)
			p->env.ops->down(p->env.ctx, p->cause);
		/* p may be freed by now: touch nothing (peer_term_reason points
		 * at text: uppp_ppp_release knows, from notify) */
	}
}

/* down() is due or was called: every entry point is a no-op. */
static bool dead(const struct uppp_ppp *p)
{
	return p->notify >= UPPP_PPP_NOTIFY_DOWN;
}

/* The link is up while IPCP is Opened (RFC 1661: This-Layer-Up). */
static bool ipcp_opened(const struct uppp_ppp *p)
{
	return p->ipcp.fsm.state == UPPP_FSM_OPENED;
}

/* Authentication started in this LCP session and no result acted upon. */
static bool auth_running(const struct uppp_ppp *p)
{
	return p->auth_state == UPPP_PPP_AUTH_RUNNING;
}

/* ---- network phase ---- */

/* Server: the address the host chose (err 0) or why there is none. */
static void network_address(struct uppp_ppp *p, int err, uint32_t ip)
{
	if (err == -EPERM) {
		close_link(p, UPPP_CAUSE_ADDRESS_NOT_ALLOWED);
		return;
	}
	if (err < 0 || ip == 0) {
		PPP_LOG(p, UPPP_LOG_WARN, "event=no-address err=%d (address pool is empty)", err);
		close_link(p, UPPP_CAUSE_NO_ADDRESS);
		return;
	}
	p->ipcp.peer_assigned = ip;
	if (p->ipcp.fsm.state == UPPP_FSM_INITIAL)
		uppp_fsm_open(&p->ipcp.fsm, p->env.now);
	uppp_fsm_up(&p->ipcp.fsm, p->env.now);
}

static void start_network(struct uppp_ppp *p, const char *why)
{
	if (p->net != UPPP_PPP_NET_IDLE || !uppp_ppp_set_phase(p, UPPP_PHASE_NETWORK, why))
		return;
	p->net = UPPP_PPP_NET_STARTED;
	/* Server: every time the network phase starts, also after LCP was
	 * renegotiated and the peer authenticated anew, perhaps as someone
	 * else: the host keeps the address for the same name (ops.h). */
	if (p->lcp.is_server) {
		const char *name = uppp_ppp_peer_name(p);
		uint32_t ip = 0;
		int err = p->env.ops->assign_address ? p->env.ops->assign_address(p->env.ctx, name, ++p->request_serial, &ip)
					  : -ENOSPC;
		if (err == -EINPROGRESS) {
			/* IPCP starts when the address comes (uppp_ppp_address);
			 * the negotiation deadline bounds the wait */
			p->net = UPPP_PPP_NET_WAIT_ADDRESS;
			PPP_LOG(p, UPPP_LOG_DEBUG, "event=address-pending (IPCP waits for the host's address)");
			return;
		}
		network_address(p, err, ip);
		return;
	}
	if (p->ipcp.fsm.state == UPPP_FSM_INITIAL)
		uppp_fsm_open(&p->ipcp.fsm, p->env.now);
	uppp_fsm_up(&p->ipcp.fsm, p->env.now);
}

/* ---- authentication phase ---- */

/* auth/ has its own small ops table (it stands below proto/): these forward
 * it to the link's host, ctx = the link. */
static void auth_op_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct uppp_ppp *p = ctx;
	p->env.ops->send(p->env.ctx, protocol, info, len);
}

static int auth_op_random(void *ctx, void *buf, size_t len)
{
	struct uppp_ppp *p = ctx;
	memset(buf, 0, len);
	return p->env.ops->random ? p->env.ops->random(p->env.ctx, buf, len) : 0;
}

static int auth_op_get_secret(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len)
{
	struct uppp_ppp *p = ctx;
	return p->env.ops->get_secret ? p->env.ops->get_secret(p->env.ctx, peer_name, secret, cap, len) : -ENOENT;
}

static int auth_op_check_password(void *ctx, const char *user, const uint8_t *pw, size_t len, char *why,
				  size_t whycap)
{
	struct uppp_ppp *p = ctx;
	return p->env.ops->check_password ? p->env.ops->check_password(p->env.ctx, user, pw, len, why, whycap) : -ENOSYS;
}

static bool auth_op_failed(void *ctx, enum uppp_cause cause, const char *user)
{
	struct uppp_ppp *p = ctx;
	return p->env.ops->auth_failed ? p->env.ops->auth_failed(p->env.ctx, cause, user) : true;
}

/* Each request gets the next serial of the link (the auth state is
 * rebuilt on every LCP renegotiation; the link lives on): the host's
 * verdict must name it, so a late answer never judges a newer request. */
static int auth_op_verify(void *ctx, const struct uppp_auth_request *req)
{
	struct uppp_ppp *p = ctx;
	struct uppp_auth_request r;

	if (!p->env.ops->verify)
		return -ENOSYS;
	r = *req;
	r.serial = ++p->request_serial;
	return p->env.ops->verify(p->env.ctx, &r);
}

static const struct uppp_auth_ops ppp_auth_ops = {
	.verify = auth_op_verify,
	.send = auth_op_send,
	.random = auth_op_random,
	.get_secret = auth_op_get_secret,
	.check_password = auth_op_check_password,
	.auth_failed = auth_op_failed,
};

static void uppp_auth_current_result(struct uppp_ppp *p, enum uppp_auth_result r)
{
	if (!auth_running(p) || r == UPPP_AUTH_CONTINUE)
		return;
	p->auth_state = UPPP_PPP_AUTH_DECIDED;
	if (r == UPPP_AUTH_SUCCEEDED) {
		if (p->lcp.is_server) {
			/* what stays of the authentication: the name, and what a
			 * repeated request needs to be answered again */
			size_t n = uppp_auth_kept_size(p->auth);

			p->auth_kept = ppp_alloc(p, n);
			if (!p->auth_kept) {
				PPP_LOG(p, UPPP_LOG_ERR, "event=no-memory reason=\"no room to keep the peer's name\"");
				auth_release(p);
				close_link(p, UPPP_CAUSE_HOST_ERROR);
				return;
			}
			uppp_auth_keep(p->auth, p->auth_kept);
			ppp_free(p, p->auth, sizeof(*p->auth));
			p->auth = NULL;
			if (p->env.ops->auth_accepted)
				p->env.ops->auth_accepted(p->env.ctx, p->auth_proto, uppp_ppp_peer_name(p));
		}
		start_network(p, "authenticated");
		return;
	}
	enum uppp_cause cause = p->auth->fail_cause != UPPP_CAUSE_NONE ? p->auth->fail_cause
									: UPPP_CAUSE_AUTH_BAD_SECRET;
	if (p->lcp.is_server)
		auth_release(p);   /* LCP closes: nothing more to answer */
	close_link(p, cause);
}

static void start_auth(struct uppp_ppp *p)
{
	enum uppp_auth_method proto = uppp_lcp_auth(&p->lcp);

	if (!uppp_ppp_set_phase(p, UPPP_PHASE_AUTHENTICATE, "LCP opened"))
		return;
	if (proto == UPPP_AUTH_NONE) {
		start_network(p, "no authentication");
		return;
	}
	p->auth_proto = proto;
	auth_release(p);   /* none is held here; belt and braces */
	p->auth = ppp_alloc(p, sizeof(*p->auth));
	if (!p->auth) {
		PPP_LOG(p, UPPP_LOG_ERR, "event=no-memory reason=\"no room for the authentication state\"");
		p->auth_state = UPPP_PPP_AUTH_DECIDED;
		close_link(p, UPPP_CAUSE_HOST_ERROR);
		return;
	}
	uppp_auth_init(p->auth, proto, p->lcp.is_server, p->env.cfg->name, p->env.cfg->password, &ppp_auth_ops, p);
	p->auth->log = p->env.log;
	p->auth->restart_ms = p->env.cfg->restart_ms;
	p->auth->max_tries = p->env.cfg->max_configure;
	p->auth->timeout_ms = p->env.cfg->auth_timeout_ms;
	p->auth_state = UPPP_PPP_AUTH_RUNNING;
	uppp_auth_current_result(p, uppp_auth_start(p->auth, p->env.now));
}

/* ---- keepalive ---- */

static void echo_start(struct uppp_ppp *p)
{
	p->echo_silent = 0;
	p->rx_seen = false;
	p->echo_deadline = p->env.cfg->echo_interval_ms ? p->env.now + p->env.cfg->echo_interval_ms : UPPP_NO_DEADLINE;
}

/* One echo interval ended. Any packet from the peer during it proves the
 * link alive (facts.md: count failures only for silence); an Echo-Request
 * goes out only after a silent interval. With lcp-echo-failure N, N silent
 * intervals send N Echo-Requests (as pppd sends N); the link fails when the
 * interval after the N-th request was silent too: (N + 1) silent intervals,
 * i.e. between (N + 1) and (N + 2) echo intervals after the peer's last
 * packet. N = 1 still sends one request, so an idle peer that answers echoes
 * but sends none of its own (Windows) stays up. */
static void echo_tick(struct uppp_ppp *p)
{
	if (p->rx_seen)
		p->echo_silent = 0;
	else
		p->echo_silent++;
	p->rx_seen = false;
	if (p->env.cfg->echo_failure && p->echo_silent > p->env.cfg->echo_failure) {
		PPP_LOG(p, UPPP_LOG_WARN, "event=echo-timeout silent-ms=%llu (peer stopped answering LCP echo requests)",
			(unsigned long long)p->echo_silent * p->env.cfg->echo_interval_ms);
		p->echo_deadline = UPPP_NO_DEADLINE;
		/* one Terminate-Request as a courtesy, then down without waiting:
		 * the peer is gone */
		if (p->cause == UPPP_CAUSE_NONE)
			p->cause = UPPP_CAUSE_ECHO_TIMEOUT;
		uppp_ppp_set_phase(p, UPPP_PHASE_TERMINATE, uppp_cause_name(UPPP_CAUSE_ECHO_TIMEOUT));
		uppp_fsm_close(&p->lcp.fsm, uppp_cause_text(UPPP_CAUSE_ECHO_TIMEOUT), p->env.now);
		finish(p, UPPP_CAUSE_ECHO_TIMEOUT);
		return;
	}
	if (p->echo_silent > 0)
		uppp_lcp_send_echo_request(&p->lcp);
	p->echo_deadline = p->env.now + p->env.cfg->echo_interval_ms;
}

/* ---- negotiation deadline ---- */

/* A peer that answers but never agrees (Acks ours and never asks, Naks
 * what we ignore) keeps LCP or IPCP negotiating for ever: RCA does irc, so
 * the restart counter never runs out. The whole of LCP, authentication and
 * IPCP gets negotiation_timeout_ms from the open (PADS), and again from a
 * renegotiation after the link was up. */
static void negotiation_arm(struct uppp_ppp *p)
{
	if (p->env.cfg->negotiation_timeout_ms && p->negotiation_deadline == UPPP_NO_DEADLINE)
		p->negotiation_deadline = p->env.now + p->env.cfg->negotiation_timeout_ms;
}

static void negotiation_expired(struct uppp_ppp *p)
{
	p->negotiation_deadline = UPPP_NO_DEADLINE;
	if (p->phase == UPPP_PHASE_TERMINATE)
		return;   /* already closing: the handshake ends it */
	PPP_LOG(p, UPPP_LOG_WARN,
		"event=negotiation-timeout timeout-ms=%u lcp=%s ipcp=%s (link not up in time: peer answers but never agrees)",
		p->env.cfg->negotiation_timeout_ms, uppp_fsm_state_name(p->lcp.fsm.state),
		uppp_fsm_state_name(p->ipcp.fsm.state));
	/* one Terminate-Request as a courtesy, then down at once: the slot
	 * this session holds is wanted by someone who will agree */
	if (p->cause == UPPP_CAUSE_NONE)
		p->cause = UPPP_CAUSE_NEGOTIATION_TIMEOUT;
	uppp_ppp_set_phase(p, UPPP_PHASE_TERMINATE, uppp_cause_name(UPPP_CAUSE_NEGOTIATION_TIMEOUT));
	uppp_fsm_close(&p->lcp.fsm, uppp_cause_text(UPPP_CAUSE_NEGOTIATION_TIMEOUT), p->env.now);
	finish(p, UPPP_CAUSE_NEGOTIATION_TIMEOUT);
}

/* ---- idle timeout ---- */

/* The deadline is moved lazily: data only records its time, and the timer
 * re-arms itself from the last packet until a whole idle period passes. */
static void idle_check(struct uppp_ppp *p)
{
	uint64_t quiet_until = p->last_data + p->env.cfg->idle_ms;
	if (p->env.now < quiet_until) {
		p->idle_deadline = quiet_until;
		return;
	}
	p->idle_deadline = UPPP_NO_DEADLINE;
	PPP_LOG(p, UPPP_LOG_INFO, "event=idle idle-ms=%u (no IP data in either direction)", p->env.cfg->idle_ms);
	close_link(p, UPPP_CAUSE_IDLE);
}

/* ---- layer events ---- */

static void lcp_event(struct uppp_ppp *p, enum uppp_fsm_notice n, uint32_t arg)
{
	switch (n) {
	case UPPP_FSM_LAYER_UP:
		p->ipcp.fsm.peer_mru = uppp_lcp_peer_mru(&p->lcp);
		echo_start(p);
		start_auth(p);
		break;
	case UPPP_FSM_LAYER_DOWN:
		/* A peer that hangs up after we refused its password (MS-CHAPv2
		 * lets it retry, so we were still waiting) ends the link for
		 * that reason, not as a normal hang-up. */
		if (p->lcp.fsm.got_term_req && auth_running(p) &&
		    p->auth->fail_cause != UPPP_CAUSE_NONE && p->cause == UPPP_CAUSE_NONE)
			p->cause = p->auth->fail_cause;
		p->echo_deadline = UPPP_NO_DEADLINE;
		if (p->cause == UPPP_CAUSE_NONE && p->phase != UPPP_PHASE_TERMINATE)
			negotiation_arm(p);   /* renegotiating */
		p->auth_state = UPPP_PPP_AUTH_OFF;
		auth_release(p);
		p->net = UPPP_PPP_NET_IDLE;   /* a late address finds nothing awaited */
		if (p->ipcp.fsm.state != UPPP_FSM_INITIAL && p->ipcp.fsm.state != UPPP_FSM_STARTING)
			uppp_fsm_down(&p->ipcp.fsm, p->env.now);
		if (p->cause != UPPP_CAUSE_NONE)
			uppp_ppp_set_phase(p, UPPP_PHASE_TERMINATE, uppp_cause_name(p->cause));
		else
			uppp_ppp_set_phase(p, UPPP_PHASE_ESTABLISH,
					   p->lcp.fsm.got_term_req ? "peer Terminate-Request" : "LCP renegotiating");
		break;
	case UPPP_FSM_LAYER_FINISHED:
		if (p->lcp.fsm.got_term_req)
			/* a client that hangs up because we refused the address
			 * it insists on ends the link for that reason */
			finish(p, p->ipcp.fail_cause == UPPP_CAUSE_ADDRESS_CONFLICT ? UPPP_CAUSE_ADDRESS_CONFLICT
										   : UPPP_CAUSE_PEER_TERM_REQ);
		else
			finish(p, p->lcp.fail_cause != UPPP_CAUSE_NONE ? p->lcp.fail_cause : UPPP_CAUSE_LCP_FAILED);
		break;
	case UPPP_FSM_PROTOCOL_REJECT:
		if (arg == PPP_IPCP) {
			/* the peer does not do IPv4: IPCP stops, the link stays */
			PPP_LOG(p, UPPP_LOG_WARN, "event=ipcp-rejected (peer does not speak IPCP; link kept)");
			p->ipcp_rejected = true;
			uppp_fsm_rejected(&p->ipcp.fsm, p->env.now);
		} else if ((arg == PPP_PAP || arg == PPP_CHAP) && auth_running(p)) {
			p->auth_state = UPPP_PPP_AUTH_DECIDED;
			close_link(p, UPPP_CAUSE_AUTH_UNSUPPORTED);
		}
		break;
	case UPPP_FSM_LAYER_STARTED:
		break;
	}
}

static void ipcp_event(struct uppp_ppp *p, enum uppp_fsm_notice n)
{
	switch (n) {
	case UPPP_FSM_LAYER_UP:
		p->mtu = uppp_lcp_peer_mru(&p->lcp);
		p->mru = uppp_lcp_our_mru(&p->lcp);
		p->negotiation_deadline = UPPP_NO_DEADLINE;
		p->last_data = p->env.now;
		p->idle_deadline = p->env.cfg->idle_ms ? p->env.now + p->env.cfg->idle_ms : UPPP_NO_DEADLINE;
		/* every time IPCP opens: again after a renegotiation, with the
		 * link as it is now (host notes in ppp.h) */
		if (p->notify == UPPP_PPP_NOTIFY_NONE)
			p->notify = UPPP_PPP_NOTIFY_UP;
		break;
	case UPPP_FSM_LAYER_DOWN:
		p->idle_deadline = UPPP_NO_DEADLINE;
		/* IPCP renegotiating (not Protocol-Rejected: that link stays) */
		if (p->cause == UPPP_CAUSE_NONE && p->phase != UPPP_PHASE_TERMINATE && !p->ipcp_rejected)
			negotiation_arm(p);
		break;
	case UPPP_FSM_LAYER_FINISHED:
		/* IPCP is our only network protocol: without it the link is
		 * useless (unless the peer Protocol-Rejected it: then we keep
		 * the link, as a peer that only wants other protocols may) */
		if (p->ipcp_rejected || p->phase == UPPP_PHASE_TERMINATE || p->cause != UPPP_CAUSE_NONE)
			break;
		close_link(p, p->ipcp.fail_cause == UPPP_CAUSE_ADDRESS_CONFLICT ? UPPP_CAUSE_ADDRESS_CONFLICT
			   : p->ipcp.fsm.got_term_req ? UPPP_CAUSE_PEER_TERM_REQ
			   : p->ipcp.fail_cause != UPPP_CAUSE_NONE ? p->ipcp.fail_cause
								   : UPPP_CAUSE_IPCP_FAILED);
		break;
	default:
		break;
	}
}

static void notify(struct uppp_fsm *f, enum uppp_fsm_notice n, uint32_t arg)
{
	struct uppp_ppp *p = (struct uppp_ppp *)((char *)f->env - offsetof(struct uppp_ppp, env));

	if (f == &p->lcp.fsm)
		lcp_event(p, n, arg);
	else
		ipcp_event(p, n);
}

static const struct uppp_fsm_hooks ppp_hooks = { .notify = notify };

/* ---- public ---- */

void uppp_ppp_init(struct uppp_ppp *p, const struct uppp_ppp_config *cfg,
		   const struct uppp_ppp_ops *ops, void *ctx)
{
	uppp_ppp_init_role(p, cfg, cfg->is_server, ops, ctx);
}

void uppp_ppp_init_role(struct uppp_ppp *p, const struct uppp_ppp_config *cfg, bool is_server,
			const struct uppp_ppp_ops *ops, void *ctx)
{
	memset(p, 0, sizeof(*p));
	uppp_fsm_env_init(&p->env, &ppp_hooks, ops, ctx);
	p->env.cfg = cfg;
	p->phase = UPPP_PHASE_DEAD;
	p->echo_deadline = UPPP_NO_DEADLINE;
	p->idle_deadline = UPPP_NO_DEADLINE;
	p->negotiation_deadline = UPPP_NO_DEADLINE;
	uppp_lcp_init(&p->lcp, is_server, cfg->mru, cfg->auth, &p->env);
	uppp_lcp_set_link_max(&p->lcp, cfg->link_max);
	p->lcp.cfg_auth_also = is_server ? (uint8_t)(cfg->auth_also & UPPP_AUTH_PROTOS_BUILT) : 0;
	/* a set that names only protocols not built accepts none (0x80: no
	 * protocol's bit), as before it was kept in a byte */
	p->lcp.cfg_client_accept = is_server || !cfg->client_accept ? 0
				   : cfg->client_accept & UPPP_AUTH_PROTOS_BUILT ? (uint8_t)(cfg->client_accept & UPPP_AUTH_PROTOS_BUILT)
				   : 0x80;
	uppp_ipcp_init(&p->ipcp, is_server, &p->env);
}

void uppp_ppp_set_logger(struct uppp_ppp *p, const struct uppp_logger *lg)
{
	p->env.log = lg;
}

void uppp_ppp_open(struct uppp_ppp *p, uint64_t now)
{
	if (dead(p))
		return;
	p->env.now = now;
	uppp_ppp_set_phase(p, UPPP_PHASE_ESTABLISH, "lower layer up");
	negotiation_arm(p);
	uppp_fsm_open(&p->lcp.fsm, now);
	uppp_fsm_up(&p->lcp.fsm, now);
	flush(p);
}

static void clamp_mss(struct uppp_ppp *p, uint8_t *ip, size_t len)
{
	unsigned mtu = p->mtu < p->mru ? p->mtu : p->mru;
	unsigned mss;

	if (p->env.cfg->mss_clamp < 0)
		return;
	mss = p->env.cfg->mss_clamp > 0 ? (unsigned)p->env.cfg->mss_clamp
				    : (mtu > UPPP_MSS_OVERHEAD ? mtu - UPPP_MSS_OVERHEAD : 0);
	if (mss == 0 || mss > 0xffff)
		return;
	if (uppp_mss_clamp(ip, len, (uint16_t)mss) == 1)
		p->stats.mss_clamped++;
}

/* The peer's Terminate-Request text (RFC 1661 §5.5 data), raw, for the log
 * line that ends the link (escaped there). */
static void remember_term_reason(struct uppp_ppp *p, const uint8_t *info, size_t len)
{
	size_t plen = uppp_get_be16(info + 2);
	size_t n;

	if (plen < 4 || plen > len)
		return;   /* the FSM drops it */
	n = plen - 4;
	if (n > UPPP_PPP_PEER_REASON_MAX)
		n = UPPP_PPP_PEER_REASON_MAX;
	if (!p->peer_term_reason) {
		if (n == 0)
			return;   /* nothing to keep: as if none came */
		/* once per link: a peer that sends more reuses it */
		p->peer_term_reason = ppp_alloc(p, 1 + UPPP_PPP_PEER_REASON_MAX);
		if (!p->peer_term_reason) {
			/* the text is only for the log line that ends the link */
			PPP_LOG(p, UPPP_LOG_WARN, "event=no-memory reason=\"no room to keep the peer's Terminate-Request text\"");
			return;
		}
	}
	memcpy(p->peer_term_reason + 1, info + 4, n);
	p->peer_term_reason[0] = (uint8_t)n;
}

const char *uppp_ppp_peer_term_reason(const struct uppp_ppp *p, char *buf, size_t cap)
{
	if (!p->peer_term_reason) {
		if (cap)
			buf[0] = '\0';
		return buf;
	}
	return uppp_escape(p->peer_term_reason + 1, p->peer_term_reason[0], buf, cap);
}

void uppp_ppp_input(struct uppp_ppp *p, uint8_t *pkt, size_t len, uint64_t now)
{
	uint16_t proto;
	uint8_t *info;
	size_t ilen;

	if (dead(p))
		return;
	p->env.now = now;
	p->rx_seen = true;   /* any packet proves the peer alive */
	if (len < 2) {
		p->stats.rx_dropped++;
		return;
	}
	proto = uppp_get_be16(pkt);
	info = pkt + 2;
	ilen = len - 2;

	if (proto == PPP_LCP) {
		if (ilen >= 4 && info[0] == CP_TERM_REQ)
			remember_term_reason(p, info, ilen);
		if (uppp_fsm_input(&p->lcp.fsm, info, ilen, now) < 0)
			p->stats.rx_dropped++;
	} else if (p->lcp.fsm.state != UPPP_FSM_OPENED) {
		/* RFC 1661 §3.4: only LCP until LCP is Opened */
		p->stats.rx_dropped++;
	} else if (proto == PPP_PAP || proto == PPP_CHAP) {
		/* CHAP carries both CHAP-MD5 and MS-CHAPv2 */
		bool ours = proto == PPP_PAP ? p->auth_proto == UPPP_AUTH_PAP
					     : p->auth_proto == UPPP_AUTH_CHAP_MD5 || p->auth_proto == UPPP_AUTH_MSCHAPV2;
		if (p->auth_state == UPPP_PPP_AUTH_OFF || !ours)
			p->stats.rx_dropped++;
		else if (p->auth)
			uppp_auth_current_result(p, uppp_auth_input(p->auth, info, ilen, now));
		else if (p->auth_kept) {
			/* a server after success: the request repeated gets its
			 * answer again from what was kept (decides nothing) */
			struct uppp_auth again;

			uppp_auth_restore(&again, p->auth_kept, p->env.cfg->name, &ppp_auth_ops, p, p->env.log);
			(void)uppp_auth_input(&again, info, ilen, now);
			memset(&again, 0, sizeof(again));
		} else
			p->stats.rx_dropped++;
	} else if (proto == PPP_IPCP) {
		if (p->net == UPPP_PPP_NET_WAIT_ADDRESS) {
			/* RFC 1661 §3.4: IPCP is not started until the host gives
			 * the address; the peer retransmits meanwhile */
			p->stats.rx_dropped++;
			PPP_LOG(p, UPPP_LOG_DEBUG, "dropped IPCP packet reason=\"waiting for the host's address\"");
		} else if (uppp_fsm_input(&p->ipcp.fsm, info, ilen, now) < 0)
			p->stats.rx_dropped++;
	} else if (proto == PPP_IP) {
		if (ipcp_opened(p)) {
			clamp_mss(p, info, ilen);
			p->last_data = now;
			p->stats.rx_packets++;
			p->stats.rx_bytes += ilen;
			if (p->env.ops->deliver_ip)
				p->env.ops->deliver_ip(p->env.ctx, info, ilen);
		} else {
			p->stats.rx_dropped++;
		}
	} else {
		/* CCP, IPv6CP, IPv6, LQR...: RFC 1661 §5.7 Protocol-Reject,
		 * the link stays as it is */
		p->stats.rx_dropped++;
		uppp_lcp_send_protocol_reject(&p->lcp, proto, info, ilen);
	}
	flush(p);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t uppp_ppp_next_deadline(const struct uppp_ppp *p)
{
	uint64_t t;

	if (dead(p))
		return UPPP_NO_DEADLINE;
	t = min_u64(uppp_fsm_deadline(&p->lcp.fsm), uppp_fsm_deadline(&p->ipcp.fsm));
	t = min_u64(t, p->echo_deadline);
	t = min_u64(t, p->idle_deadline);
	t = min_u64(t, p->negotiation_deadline);
	if (auth_running(p))
		t = min_u64(t, uppp_auth_next_deadline(p->auth));
	return t;
}

void uppp_ppp_timer(struct uppp_ppp *p, uint64_t now)
{
	if (dead(p))
		return;
	p->env.now = now;
	uppp_fsm_timer(&p->lcp.fsm, now);
	if (!dead(p))
		uppp_fsm_timer(&p->ipcp.fsm, now);
	if (!dead(p) && auth_running(p) && uppp_auth_next_deadline(p->auth) <= now)
		uppp_auth_current_result(p, uppp_auth_timer(p->auth, now));
	if (!dead(p) && p->echo_deadline <= now)
		echo_tick(p);
	if (!dead(p) && p->idle_deadline <= now)
		idle_check(p);
	if (!dead(p) && p->negotiation_deadline <= now)
		negotiation_expired(p);
	flush(p);
}

void uppp_ppp_close(struct uppp_ppp *p, enum uppp_cause cause, uint64_t now)
{
	if (dead(p))
		return;
	p->env.now = now;
	close_link(p, cause != UPPP_CAUSE_NONE ? cause : UPPP_CAUSE_ADMIN);
	flush(p);
}

void uppp_ppp_lower_down(struct uppp_ppp *p, enum uppp_cause cause, uint64_t now)
{
	if (dead(p))
		return;
	p->env.now = now;
	/* A peer that said goodbye with a Terminate-Request and then PADT (as
	 * uppp's client does) hung up normally: report the first. */
	if (p->cause == UPPP_CAUSE_NONE)
		p->cause = p->lcp.fsm.got_term_req ? UPPP_CAUSE_PEER_TERM_REQ : cause;
	uppp_fsm_down(&p->lcp.fsm, now);
	finish(p, cause);
	flush(p);
}

int uppp_ppp_send_ip(struct uppp_ppp *p, uint8_t *pkt, size_t len, uint64_t now)
{
	if (!uppp_ppp_is_up(p))
		return -ENOTCONN;
	/* Only IPv4 rides in PPP_IP. The interface also hands us what its
	 * kernel sends on its own (IPv6 router solicitations, MLD): without
	 * IPv6CP those have nowhere to go, and they must not count as data. */
	if (len < 20 || pkt[0] >> 4 != 4) {
		p->stats.tx_dropped++;
		return -EPROTONOSUPPORT;
	}
	if (len > p->mtu)
		return -EMSGSIZE;
	clamp_mss(p, pkt, len);
	p->last_data = now;
	p->stats.tx_packets++;
	p->stats.tx_bytes += len;
	p->env.ops->send(p->env.ctx, PPP_IP, pkt, len);
	return 0;
}

int uppp_ppp_auth_verdict(struct uppp_ppp *p, const struct uppp_auth_verdict *v, uint64_t now)
{
	enum uppp_auth_result r;
	int err;

	if (dead(p))
		return -ENOENT;
	if (!auth_running(p) || v->serial != p->request_serial)
		return -EALREADY;
	p->env.now = now;
	err = uppp_auth_verdict(p->auth, v, now, &r);
	if (err == 0)
		uppp_auth_current_result(p, r);
	flush(p);
	return err;
}

bool uppp_ppp_awaits_address(const struct uppp_ppp *p, uint32_t serial)
{
	return p->net == UPPP_PPP_NET_WAIT_ADDRESS && serial == p->request_serial;
}

int uppp_ppp_address(struct uppp_ppp *p, uint32_t serial, int err, uint32_t peer_ip, uint64_t now)
{
	if (dead(p))
		return -ENOENT;
	if (!uppp_ppp_awaits_address(p, serial))
		return -EALREADY;
	p->env.now = now;
	p->net = UPPP_PPP_NET_STARTED;
	network_address(p, err, peer_ip);
	flush(p);
	return 0;
}

enum uppp_auth_method uppp_ppp_auth_method(const struct uppp_ppp *p)
{
	return p->auth_state != UPPP_PPP_AUTH_OFF ? p->auth_proto : UPPP_AUTH_NONE;
}

bool uppp_ppp_is_up(const struct uppp_ppp *p)
{
	return ipcp_opened(p) && !dead(p);
}

const struct uppp_ppp_stats *uppp_ppp_stats(const struct uppp_ppp *p)
{
	return &p->stats;
}
