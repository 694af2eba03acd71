/* proto/fsm.c — the RFC 1661 §4 automaton shared by LCP and IPCP.
 *
 * The transition table below is RFC 1661 §4.1 cell for cell: for each event
 * and state, the next state and the actions, which always run in the order
 * tld, tls, irc, zrc, scr, sca, scn, str, sta, scj, ser, tlu, tlf (the RFC's
 * own order in every cell). The state is set first, then the actions run, so
 * that an owner reacting to tlu/tld sees the new state. No option knowledge
 * lives here: the protocol's callbacks judge options.
 *
 * Two bounds on a peer that answers but never agrees (RFC 1661 leaves both
 * to the implementation; neither changes a cell of the table):
 *  - Naks received: a negotiation (from scr out of Starting, Closed, Stopped
 *    or Opened until Opened) takes max-failure Configure-Naks; from the
 *    max-failure-th on, a Nak is handed to the protocol as a Reject of the
 *    options it names (pppd's maxnakloops, which lcp-max-failure also sets).
 *  - Configure-Requests in answer to the peer: the scr of an event a
 *    received packet caused (RCN, RCA, RTA, RCR in Stopped or Opened) goes
 *    out at once only while fewer than max-failure such requests were sent
 *    since the budget was last renewed; after that the event is taken, the
 *    state moves as the table says, and the request waits for the restart
 *    timer (TO+ sends it; the timer is armed if it was not running). The
 *    budget is renewed when we start a negotiation (Up, Open) and when a
 *    peer packet starts a fresh one at least restart_ms after the last
 *    renewal. So a legitimate Nak (a PAP-only client Naking CHAP, a server
 *    Naking 0.0.0.0) still gets the next request at once, and a peer that
 *    keeps Naking gets at most max-failure + 1 requests at one instant, then
 *    one per restart period. Requests after Up/Open and after TO+ always go
 *    out at once. */
#include "proto/fsm.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "core/ppp_defs.h"

#define FSM_PKT_MAX 1500   /* largest control packet we build (PPPoE MRU bound) */

#define FSM_LOG(f, lvl, ...) UPPP_LOGF((f)->env->log, (lvl), (f)->cb->name, __VA_ARGS__)

enum {
	A_TLD = 1u << 0,
	A_TLS = 1u << 1,
	A_IRC = 1u << 2,
	A_ZRC = 1u << 3,
	A_SCR = 1u << 4,
	A_SCA = 1u << 5,
	A_SCN = 1u << 6,
	A_STR = 1u << 7,
	A_STA = 1u << 8,
	A_SCJ = 1u << 9,
	A_SER = 1u << 10,
	A_TLU = 1u << 11,
	A_TLF = 1u << 12,
};

struct transition {
	bool valid;           /* false: "-" in the RFC, the event cannot occur here */
	uint8_t next;
	uint16_t actions;
};

#define C(next, acts) { true, UPPP_FSM_##next, (acts) }
#define X { false, 0, 0 }

/* RFC 1661 §4.1. Columns: Initial, Starting, Closed, Stopped, Closing,
 * Stopping, Req-Sent, Ack-Rcvd, Ack-Sent, Opened. The "r" (restart) option
 * is not taken: Open in Stopped/Closing/Stopping/Opened does not bounce the
 * link. "p" (passive) is not taken either. */
static const struct transition table[UPPP_FSM_EV_COUNT][UPPP_FSM_STATE_COUNT] = {
	[UPPP_FSM_EV_UP] = {
		C(CLOSED, 0), C(REQ_SENT, A_IRC | A_SCR), X, X, X, X, X, X, X, X },
	[UPPP_FSM_EV_DOWN] = {
		X, X, C(INITIAL, 0), C(STARTING, A_TLS), C(INITIAL, 0), C(STARTING, 0),
		C(STARTING, 0), C(STARTING, 0), C(STARTING, 0), C(STARTING, A_TLD) },
	[UPPP_FSM_EV_OPEN] = {
		C(STARTING, A_TLS), C(STARTING, 0), C(REQ_SENT, A_IRC | A_SCR), C(STOPPED, 0),
		C(STOPPING, 0), C(STOPPING, 0), C(REQ_SENT, 0), C(ACK_RCVD, 0), C(ACK_SENT, 0),
		C(OPENED, 0) },
	[UPPP_FSM_EV_CLOSE] = {
		C(INITIAL, 0), C(INITIAL, A_TLF), C(CLOSED, 0), C(CLOSED, 0), C(CLOSING, 0),
		C(CLOSING, 0), C(CLOSING, A_IRC | A_STR), C(CLOSING, A_IRC | A_STR),
		C(CLOSING, A_IRC | A_STR), C(CLOSING, A_TLD | A_IRC | A_STR) },
	[UPPP_FSM_EV_TO_PLUS] = {
		X, X, X, X, C(CLOSING, A_STR), C(STOPPING, A_STR), C(REQ_SENT, A_SCR),
		C(REQ_SENT, A_SCR), C(ACK_SENT, A_SCR), X },
	[UPPP_FSM_EV_TO_MINUS] = {
		X, X, X, X, C(CLOSED, A_TLF), C(STOPPED, A_TLF), C(STOPPED, A_TLF),
		C(STOPPED, A_TLF), C(STOPPED, A_TLF), X },
	[UPPP_FSM_EV_RCR_PLUS] = {
		X, X, C(CLOSED, A_STA), C(ACK_SENT, A_IRC | A_SCR | A_SCA), C(CLOSING, 0),
		C(STOPPING, 0), C(ACK_SENT, A_SCA), C(OPENED, A_SCA | A_TLU), C(ACK_SENT, A_SCA),
		C(ACK_SENT, A_TLD | A_SCR | A_SCA) },
	[UPPP_FSM_EV_RCR_MINUS] = {
		X, X, C(CLOSED, A_STA), C(REQ_SENT, A_IRC | A_SCR | A_SCN), C(CLOSING, 0),
		C(STOPPING, 0), C(REQ_SENT, A_SCN), C(ACK_RCVD, A_SCN), C(REQ_SENT, A_SCN),
		C(REQ_SENT, A_TLD | A_SCR | A_SCN) },
	[UPPP_FSM_EV_RCA] = {
		X, X, C(CLOSED, A_STA), C(STOPPED, A_STA), C(CLOSING, 0), C(STOPPING, 0),
		C(ACK_RCVD, A_IRC), C(REQ_SENT, A_SCR), C(OPENED, A_IRC | A_TLU),
		C(REQ_SENT, A_TLD | A_SCR) },
	[UPPP_FSM_EV_RCN] = {
		X, X, C(CLOSED, A_STA), C(STOPPED, A_STA), C(CLOSING, 0), C(STOPPING, 0),
		C(REQ_SENT, A_IRC | A_SCR), C(REQ_SENT, A_SCR), C(ACK_SENT, A_IRC | A_SCR),
		C(REQ_SENT, A_TLD | A_SCR) },
	[UPPP_FSM_EV_RTR] = {
		X, X, C(CLOSED, A_STA), C(STOPPED, A_STA), C(CLOSING, A_STA), C(STOPPING, A_STA),
		C(REQ_SENT, A_STA), C(REQ_SENT, A_STA), C(REQ_SENT, A_STA),
		C(STOPPING, A_TLD | A_ZRC | A_STA) },
	[UPPP_FSM_EV_RTA] = {
		X, X, C(CLOSED, 0), C(STOPPED, 0), C(CLOSED, A_TLF), C(STOPPED, A_TLF),
		C(REQ_SENT, 0), C(REQ_SENT, 0), C(ACK_SENT, 0), C(REQ_SENT, A_TLD | A_SCR) },
	[UPPP_FSM_EV_RUC] = {
		X, X, C(CLOSED, A_SCJ), C(STOPPED, A_SCJ), C(CLOSING, A_SCJ), C(STOPPING, A_SCJ),
		C(REQ_SENT, A_SCJ), C(ACK_RCVD, A_SCJ), C(ACK_SENT, A_SCJ), C(OPENED, A_SCJ) },
	[UPPP_FSM_EV_RXJ_PLUS] = {
		X, X, C(CLOSED, 0), C(STOPPED, 0), C(CLOSING, 0), C(STOPPING, 0),
		C(REQ_SENT, 0), C(REQ_SENT, 0), C(ACK_SENT, 0), C(OPENED, 0) },
	[UPPP_FSM_EV_RXJ_MINUS] = {
		X, X, C(CLOSED, A_TLF), C(STOPPED, A_TLF), C(CLOSED, A_TLF), C(STOPPED, A_TLF),
		C(STOPPED, A_TLF), C(STOPPED, A_TLF), C(STOPPED, A_TLF),
		C(STOPPING, A_TLD | A_IRC | A_STR) },
	[UPPP_FSM_EV_RXR] = {
		X, X, C(CLOSED, 0), C(STOPPED, 0), C(CLOSING, 0), C(STOPPING, 0),
		C(REQ_SENT, 0), C(ACK_RCVD, 0), C(ACK_SENT, 0), C(OPENED, A_SER) },
};

#undef C
#undef X

/* Which state changes RFC 1661 allows at all, as a bit mask of targets per
 * source state: a second, independent statement of the table, checked by the
 * one state setter. */
#define S(x) (1u << UPPP_FSM_##x)
static const uint16_t legal_next[UPPP_FSM_STATE_COUNT] = {
	[UPPP_FSM_INITIAL] = S(STARTING) | S(CLOSED),
	[UPPP_FSM_STARTING] = S(INITIAL) | S(REQ_SENT),
	[UPPP_FSM_CLOSED] = S(INITIAL) | S(REQ_SENT),
	[UPPP_FSM_STOPPED] = S(STARTING) | S(CLOSED) | S(REQ_SENT) | S(ACK_SENT),
	[UPPP_FSM_CLOSING] = S(INITIAL) | S(CLOSED) | S(STOPPING),
	[UPPP_FSM_STOPPING] = S(STARTING) | S(STOPPED) | S(CLOSING),
	[UPPP_FSM_REQ_SENT] = S(STARTING) | S(STOPPED) | S(CLOSING) | S(ACK_RCVD) | S(ACK_SENT),
	[UPPP_FSM_ACK_RCVD] = S(STARTING) | S(STOPPED) | S(CLOSING) | S(REQ_SENT) | S(OPENED),
	[UPPP_FSM_ACK_SENT] = S(STARTING) | S(STOPPED) | S(CLOSING) | S(REQ_SENT) | S(OPENED),
	[UPPP_FSM_OPENED] = S(STARTING) | S(CLOSING) | S(STOPPING) | S(REQ_SENT) | S(ACK_SENT),
};
#undef S

static const char *const state_names[UPPP_FSM_STATE_COUNT] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing",
	"Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

static const char *const event_names[UPPP_FSM_EV_COUNT] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-",
	"RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

const char *uppp_fsm_state_name(enum uppp_fsm_state s)
{
	return (unsigned)s < UPPP_FSM_STATE_COUNT ? state_names[s] : "?";
}

const char *uppp_fsm_event_name(enum uppp_fsm_event e)
{
	return (unsigned)e < UPPP_FSM_EV_COUNT ? event_names[e] : "?";
}

/* The packet that caused a receive event: what sca/scn/sta/scj/ser answer. */
struct fsm_rx {
	uint8_t code;
	uint8_t id;
	const uint8_t *pkt;    /* whole packet (for Code-Reject) */
	size_t pkt_len;
	const uint8_t *data;   /* after the 4-byte header */
	size_t data_len;
	uint8_t reply_code;    /* scn: CP_CONF_NAK or CP_CONF_REJ */
	const uint8_t *reply;
	size_t reply_len;
};

void uppp_fsm_env_init(struct uppp_fsm_env *env, const struct uppp_fsm_hooks *hooks,
		       const struct uppp_ppp_ops *ops, void *ctx)
{
	memset(env, 0, sizeof(*env));
	env->hooks = hooks;
	env->ops = ops;
	env->ctx = ctx;
}

void uppp_fsm_init(struct uppp_fsm *f, const struct uppp_fsm_callbacks *cb, struct uppp_fsm_env *env)
{
	memset(f, 0, sizeof(*f));
	f->cb = cb;
	f->env = env;
	f->peer_mru = 1500;
	f->state = UPPP_FSM_INITIAL;
	f->deadline = UINT64_MAX;
	f->next_id = 1;
}

/* A limit as the automaton's 16-bit counters count it. */
static uint16_t limit16(unsigned limit)
{
	return limit > UINT16_MAX ? UINT16_MAX : (uint16_t)limit;
}

/* The limits of RFC 1661 §4.6 from the link's config: 0 (or no config) is
 * the default. */
static unsigned restart_ms(const struct uppp_fsm *f)
{
	const struct uppp_ppp_config *c = f->env->cfg;
	return c && c->restart_ms ? c->restart_ms : 3000;
}

static uint16_t max_configure(const struct uppp_fsm *f)
{
	const struct uppp_ppp_config *c = f->env->cfg;
	return limit16(c && c->max_configure ? c->max_configure : 10);
}

static uint16_t max_terminate(const struct uppp_fsm *f)
{
	const struct uppp_ppp_config *c = f->env->cfg;
	return limit16(c && c->max_terminate ? c->max_terminate : 2);
}

static uint16_t max_failure(const struct uppp_fsm *f)
{
	const struct uppp_ppp_config *c = f->env->cfg;
	return limit16(c && c->max_failure ? c->max_failure : 5);
}

static bool timer_state(enum uppp_fsm_state s)
{
	return s == UPPP_FSM_CLOSING || s == UPPP_FSM_STOPPING || s == UPPP_FSM_REQ_SENT ||
	       s == UPPP_FSM_ACK_RCVD || s == UPPP_FSM_ACK_SENT;
}

/* The one place the state changes. */
static void set_state(struct uppp_fsm *f, enum uppp_fsm_state next, enum uppp_fsm_event ev)
{
	enum uppp_fsm_state old = f->state;

	if (old == next) {
		FSM_LOG(f, UPPP_LOG_DEBUG, "%s (%s)", state_names[old], event_names[ev]);
		return;
	}
	if (!(legal_next[old] & (1u << next))) {
		FSM_LOG(f, UPPP_LOG_ERR, "illegal transition %s -> %s (%s)", state_names[old],
			state_names[next], event_names[ev]);
		/* a programming error, not a peer's doing: every (event, state)
		 * cell a packet can reach is pinned against RFC 1661 by
		 * test_fsm; with NDEBUG the move is refused and logged */
		assert(!"illegal RFC 1661 transition");
		return;
	}
	FSM_LOG(f, UPPP_LOG_DEBUG, "%s -> %s (%s)", state_names[old], state_names[next], event_names[ev]);
	f->state = next;
	if (!timer_state(next))
		f->deadline = UINT64_MAX;
}

static void notify(struct uppp_fsm *f, enum uppp_fsm_notice n, uint32_t arg)
{
	if (f->env->hooks && f->env->hooks->notify)
		f->env->hooks->notify(f, n, arg);
}

int uppp_fsm_send(struct uppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t buf[FSM_PKT_MAX];
	size_t max = f->peer_mru < sizeof(buf) ? f->peer_mru : sizeof(buf);

	if (max < 4)
		return -EMSGSIZE;
	if (len > max - 4)
		len = max - 4;
	buf[0] = code;
	buf[1] = id;
	uppp_put_be16(buf + 2, (uint16_t)(len + 4));
	if (len)
		memcpy(buf + 4, data, len);
	f->env->ops->send(f->env->ctx, f->cb->protocol, buf, len + 4);
	return 0;
}

uint8_t uppp_fsm_new_id(struct uppp_fsm *f)
{
	return f->next_id++;
}

static void arm_restart(struct uppp_fsm *f)
{
	f->deadline = f->env->now + restart_ms(f);
}

static void send_conf_req(struct uppp_fsm *f)
{
	uint8_t buf[FSM_PKT_MAX];
	size_t max = f->peer_mru < sizeof(buf) ? f->peer_mru : sizeof(buf);
	struct uppp_writer w = uppp_writer(buf, max);
	uint8_t id = uppp_fsm_new_id(f);
	int err;

	f->req_id = id;
	f->req_answered = false;
	uppp_wr_u8(&w, CP_CONF_REQ);
	uppp_wr_u8(&w, id);
	size_t len_at = uppp_wr_reserve(&w, 2);
	err = f->cb->build_request(f, &w);
	if (!err && uppp_wr_ok(&w)) {
		uppp_wr_patch_be16(&w, len_at, (uint16_t)w.len);
		f->env->ops->send(f->env->ctx, f->cb->protocol, buf, w.len);
	} else {
		FSM_LOG(f, UPPP_LOG_ERR, "event=send-conf-req-failed err=%d (retrying on the restart timer)",
			err ? err : -EMSGSIZE);
	}
	/* A failed build still counts and still arms the timer: never hang. */
	if (f->restart_count > 0)
		f->restart_count--;
	arm_restart(f);
}

/* The scr of an event a peer packet caused, once the budget of immediate
 * requests is spent: the restart timer sends it (TO+). Nothing of ours is
 * outstanding until then, so no answer is taken. */
static void defer_conf_req(struct uppp_fsm *f)
{
	f->req_answered = true;
	if (f->deadline == UINT64_MAX)
		arm_restart(f);
	FSM_LOG(f, UPPP_LOG_DEBUG, "event=conf-req-deferred quick=%u (peer keeps answering without agreeing; "
		"next Configure-Request on the restart timer)", f->quick_reqs);
}

static unsigned quick_budget(const struct uppp_fsm *f)
{
	return max_failure(f);
}

static void send_term_req(struct uppp_fsm *f)
{
	uppp_fsm_send(f, CP_TERM_REQ, uppp_fsm_new_id(f), (const uint8_t *)f->term_reason,
		      f->term_reason_len);
	if (f->restart_count > 0)
		f->restart_count--;
	arm_restart(f);
}

/* Starting a negotiation afresh (scr out of a state with nothing agreed, or
 * out of Opened): the protocol goes back to what it wants to ask. */
static bool fresh_negotiation(enum uppp_fsm_state from)
{
	return from == UPPP_FSM_STARTING || from == UPPP_FSM_CLOSED || from == UPPP_FSM_STOPPED ||
	       from == UPPP_FSM_OPENED;
}

static void run_event(struct uppp_fsm *f, enum uppp_fsm_event ev, const struct fsm_rx *rx)
{
	enum uppp_fsm_state from = f->state;
	const struct transition *t = &table[ev][from];
	unsigned a;

	if (!t->valid) {
		FSM_LOG(f, UPPP_LOG_DEBUG, "event=%s state=%s ignored (cannot occur in this state)",
			event_names[ev], state_names[from]);
		return;
	}
	a = t->actions;
	set_state(f, (enum uppp_fsm_state)t->next, ev);

	if (a & A_TLD) {
		if (f->cb->down)
			f->cb->down(f);
		notify(f, UPPP_FSM_LAYER_DOWN, 0);
	}
	if (a & A_TLS)
		notify(f, UPPP_FSM_LAYER_STARTED, 0);
	if (a & A_IRC)
		f->restart_count = (a & A_STR) ? max_terminate(f) : max_configure(f);
	if (a & A_ZRC) {
		/* RFC 1661 §4.4: wait one restart period before finishing */
		f->restart_count = 0;
		arm_restart(f);
	}
	if (a & A_SCR) {
		if (fresh_negotiation(from)) {
			f->naks_sent = 0;
			f->naks_rcvd = 0;
			if (!rx || f->env->now >= f->quick_since + restart_ms(f)) {
				f->quick_reqs = 0;
				f->quick_since = f->env->now;
			}
			f->cb->reset(f);
		}
		if (!rx) {
			send_conf_req(f);
		} else if (f->quick_reqs < quick_budget(f)) {
			f->quick_reqs++;
			send_conf_req(f);
		} else {
			defer_conf_req(f);
		}
	}
	if ((a & A_SCA) && rx)
		uppp_fsm_send(f, CP_CONF_ACK, rx->id, rx->data, rx->data_len);
	if ((a & A_SCN) && rx)
		uppp_fsm_send(f, rx->reply_code, rx->id, rx->reply, rx->reply_len);
	if (a & A_STR)
		send_term_req(f);
	if ((a & A_STA) && rx)
		uppp_fsm_send(f, CP_TERM_ACK, rx->id, NULL, 0);
	if ((a & A_SCJ) && rx) {
		FSM_LOG(f, UPPP_LOG_INFO, "event=code-reject code=%u (unknown code from peer)", rx->code);
		uppp_fsm_send(f, CP_CODE_REJ, uppp_fsm_new_id(f), rx->pkt, rx->pkt_len);
	}
	if ((a & A_SER) && rx && f->cb->handle_rxr)
		f->cb->handle_rxr(f, rx->code, rx->id, rx->data, rx->data_len);
	if (a & A_TLU) {
		if (f->cb->up)
			f->cb->up(f);
		notify(f, UPPP_FSM_LAYER_UP, 0);
	}
	if (a & A_TLF)
		notify(f, UPPP_FSM_LAYER_FINISHED, 0);
}

void uppp_fsm_up(struct uppp_fsm *f, uint64_t now)
{
	f->env->now = now;
	run_event(f, UPPP_FSM_EV_UP, NULL);
}

void uppp_fsm_down(struct uppp_fsm *f, uint64_t now)
{
	f->env->now = now;
	run_event(f, UPPP_FSM_EV_DOWN, NULL);
}

void uppp_fsm_open(struct uppp_fsm *f, uint64_t now)
{
	f->env->now = now;
	run_event(f, UPPP_FSM_EV_OPEN, NULL);
}

void uppp_fsm_close(struct uppp_fsm *f, const char *reason, uint64_t now)
{
	size_t n = reason ? strlen(reason) : 0;

	if (n > UPPP_FSM_REASON_MAX)
		n = UPPP_FSM_REASON_MAX;
	f->term_reason = reason;
	f->term_reason_len = (uint8_t)n;
	f->env->now = now;
	run_event(f, UPPP_FSM_EV_CLOSE, NULL);
}

void uppp_fsm_rejected(struct uppp_fsm *f, uint64_t now)
{
	f->env->now = now;
	run_event(f, UPPP_FSM_EV_RXJ_MINUS, NULL);
}

void uppp_fsm_timer(struct uppp_fsm *f, uint64_t now)
{
	if (f->deadline == UINT64_MAX || now < f->deadline)
		return;
	f->env->now = now;
	f->deadline = UINT64_MAX;
	if (!timer_state(f->state))
		return;
	if (f->restart_count > 0) {
		run_event(f, UPPP_FSM_EV_TO_PLUS, NULL);
	} else {
		FSM_LOG(f, UPPP_LOG_INFO, "event=timeout state=%s (no answer from peer, giving up)",
			state_names[f->state]);
		run_event(f, UPPP_FSM_EV_TO_MINUS, NULL);
	}
}

int uppp_cp_next_option(struct uppp_reader *r, uint8_t *type, const uint8_t **data, size_t *dlen)
{
	uint8_t t, l;

	if (r->left == 0)
		return 0;
	if (uppp_rd_u8(r, &t) || uppp_rd_u8(r, &l) || l < 2 || uppp_rd_bytes(r, (size_t)l - 2, data))
		return -EBADMSG;
	*type = t;
	*dlen = (size_t)l - 2;
	return 1;
}

static int drop(struct uppp_fsm *f, const char *why, uint8_t code)
{
	f->rx_dropped++;
	FSM_LOG(f, UPPP_LOG_DEBUG, "event=drop code=%u state=%s reason=\"%s\"", code,
		state_names[f->state], why);
	return -EBADMSG;
}

/* Negotiating states: where the peer's request gets judged (RCR+/- differ). */
static bool judges_request(enum uppp_fsm_state s)
{
	return s == UPPP_FSM_STOPPED || s == UPPP_FSM_REQ_SENT || s == UPPP_FSM_ACK_RCVD ||
	       s == UPPP_FSM_ACK_SENT || s == UPPP_FSM_OPENED;
}

/* The peer's Configure-Request while our first one is still unanswered
 * (Req-Sent, one request sent): ours was probably sent before the peer could
 * hear it — a PPPoE peer connects its session socket after PADS, and
 * pppoe-server starts its pppd ~1 s later (docs/interop.md). Shorten the
 * restart timer to a tenth so the link does not wait a whole period; a peer
 * that answers in time stops the timer first and sees nothing extra. */
static void hurry_lost_first_request(struct uppp_fsm *f)
{
	uint64_t soon = f->env->now + restart_ms(f) / 10;

	if (timer_state(f->state) && soon < f->deadline)
		f->deadline = soon;
}

static int rcv_conf_req(struct uppp_fsm *f, struct fsm_rx *rx)
{
	uint8_t reply[FSM_PKT_MAX];
	struct uppp_writer w = uppp_writer(reply, sizeof(reply) - 4);
	enum uppp_cp_verdict v;
	bool first_unanswered = f->state == UPPP_FSM_REQ_SENT && !f->req_answered &&
				f->restart_count + 1u == max_configure(f);

	if (!judges_request(f->state)) {
		run_event(f, UPPP_FSM_EV_RCR_PLUS, rx); /* Closed: sta; Closing/Stopping: nothing */
		return 0;
	}
	v = f->cb->handle_request(f, rx->data, rx->data_len, &w, f->naks_sent < max_failure(f));
	if (v == UPPP_CP_DROP || ((v == UPPP_CP_NAK || v == UPPP_CP_REJ) && !uppp_wr_ok(&w)))
		return drop(f, "malformed Configure-Request options", rx->code);
	if (v == UPPP_CP_ACK) {
		f->naks_sent = 0;
		run_event(f, UPPP_FSM_EV_RCR_PLUS, rx);
	} else {
		if (v == UPPP_CP_NAK)
			f->naks_sent += f->naks_sent < UINT16_MAX;
		rx->reply_code = v == UPPP_CP_NAK ? CP_CONF_NAK : CP_CONF_REJ;
		rx->reply = reply;
		rx->reply_len = w.len;
		run_event(f, UPPP_FSM_EV_RCR_MINUS, rx);
	}
	if (first_unanswered)
		hurry_lost_first_request(f);
	return 0;
}

static int rcv_conf_answer(struct uppp_fsm *f, struct fsm_rx *rx)
{
	int err = 0;

	/* RFC 1661 §5.2-5.4: an answer must carry our last request's id */
	if (rx->id != f->req_id || f->req_answered)
		return drop(f, "identifier does not match our last Configure-Request", rx->code);
	if (f->state == UPPP_FSM_REQ_SENT || f->state == UPPP_FSM_ACK_SENT) {
		/* RFC 1661 §5.4: a Reject names only options of our request, in
		 * its order, with its values */
		if (rx->code == CP_CONF_REJ && !uppp_cp_reject_matches(f, rx->data, rx->data_len))
			return drop(f, "Configure-Reject is not a part of our Configure-Request", rx->code);
		if (rx->code == CP_CONF_ACK) {
			err = f->cb->handle_ack(f, rx->data, rx->data_len);
		} else if (rx->code == CP_CONF_NAK) {
			bool as_reject = f->naks_rcvd + 1u >= max_failure(f);
			if (as_reject && f->naks_rcvd + 1u == max_failure(f))
				FSM_LOG(f, UPPP_LOG_INFO, "event=nak-as-reject naks=%u (peer keeps Naking: "
					"what it names is dropped from our request, RFC 1661 §4.6 Max-Failure)",
					f->naks_rcvd + 1);
			err = f->cb->handle_nak(f, rx->data, rx->data_len, as_reject);
			if (err == 0)
				f->naks_rcvd += f->naks_rcvd < UINT16_MAX;
		} else {
			err = f->cb->handle_reject(f, rx->data, rx->data_len);
		}
		if (err == -EPROTO) {
			f->req_answered = true;
			uppp_fsm_close(f, "configuration did not converge", f->env->now);
			return 0;
		}
		if (err)
			return drop(f, "answer does not match our Configure-Request", rx->code);
	}
	f->req_answered = true;
	run_event(f, rx->code == CP_CONF_ACK ? UPPP_FSM_EV_RCA : UPPP_FSM_EV_RCN, rx);
	return 0;
}

int uppp_fsm_input(struct uppp_fsm *f, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct uppp_reader r = uppp_reader(pkt, len);
	struct fsm_rx rx = { 0 };
	uint16_t plen;

	f->env->now = now;
	if (uppp_rd_u8(&r, &rx.code) || uppp_rd_u8(&r, &rx.id) || uppp_rd_be16(&r, &plen))
		return drop(f, "shorter than a header", 0);
	if (plen < 4 || plen > len)
		return drop(f, "length field out of range", rx.code);
	rx.pkt = pkt;
	rx.pkt_len = plen;   /* bytes past the length field are padding */
	rx.data = pkt + 4;
	rx.data_len = (size_t)plen - 4;

	/* RFC 1661 §4.2: nothing is received before the lower layer is up */
	if (f->state == UPPP_FSM_INITIAL || f->state == UPPP_FSM_STARTING)
		return drop(f, "layer not started", rx.code);

	switch (rx.code) {
	case CP_CONF_REQ:
		return rcv_conf_req(f, &rx);
	case CP_CONF_ACK:
	case CP_CONF_NAK:
	case CP_CONF_REJ:
		return rcv_conf_answer(f, &rx);
	case CP_TERM_REQ:
		f->got_term_req = true;
		FSM_LOG(f, UPPP_LOG_INFO, "event=terminate-request state=%s (peer is closing)",
			state_names[f->state]);
		run_event(f, UPPP_FSM_EV_RTR, &rx);
		return 0;
	case CP_TERM_ACK:
		run_event(f, UPPP_FSM_EV_RTA, &rx);
		return 0;
	case CP_CODE_REJ:
		if (rx.data_len < 1)
			return drop(f, "empty Code-Reject", rx.code);
		/* Rejecting a code the protocol cannot live without is fatal. */
		if (rx.data[0] >= CP_CONF_REQ && rx.data[0] <= CP_CODE_REJ) {
			FSM_LOG(f, UPPP_LOG_WARN, "event=code-rejected code=%u (peer does not speak this protocol)",
				rx.data[0]);
			run_event(f, UPPP_FSM_EV_RXJ_MINUS, &rx);
		} else {
			FSM_LOG(f, UPPP_LOG_INFO, "event=code-rejected code=%u (optional, carrying on)",
				rx.data[0]);
			run_event(f, UPPP_FSM_EV_RXJ_PLUS, &rx);
		}
		return 0;
	default:
		break;
	}
	if (rx.code < 32 && (f->cb->rxr_codes & (1u << rx.code))) {
		run_event(f, UPPP_FSM_EV_RXR, &rx);
		return 0;
	}
	if (f->cb->handle_other) {
		int err = f->cb->handle_other(f, rx.code, rx.id, rx.data, rx.data_len);
		if (err == 0)
			return 0;
		if (err != -ENOENT)
			return drop(f, "malformed packet", rx.code);
	}
	run_event(f, UPPP_FSM_EV_RUC, &rx);
	return 0;
}

void uppp_cp_judge_init(struct uppp_cp_judge *j, struct uppp_writer *reply, bool may_nak)
{
	j->reply = reply;
	j->nak = uppp_writer(j->nak_buf, sizeof(j->nak_buf));
	j->n_rej = 0;
	j->n_nak = 0;
	j->may_nak = may_nak;
}

static void put_option(struct uppp_writer *w, uint8_t type, const uint8_t *data, size_t dlen)
{
	if (dlen > 253) {
		w->overflow = true;
		return;
	}
	uppp_wr_u8(w, type);
	uppp_wr_u8(w, (uint8_t)(dlen + 2));
	uppp_wr_bytes(w, data, dlen);
}

void uppp_cp_reject(struct uppp_cp_judge *j, uint8_t type, const uint8_t *data, size_t dlen)
{
	j->n_rej++;
	put_option(j->reply, type, data, dlen);
}

void uppp_cp_nak(struct uppp_cp_judge *j, uint8_t type, const uint8_t *data, size_t dlen,
		 const uint8_t *val, size_t vlen)
{
	if (!j->may_nak) {
		uppp_cp_reject(j, type, data, dlen);
		return;
	}
	j->n_nak++;
	put_option(&j->nak, type, val, vlen);
}

enum uppp_cp_verdict uppp_cp_judge_verdict(struct uppp_cp_judge *j)
{
	if (!uppp_wr_ok(j->reply) || !uppp_wr_ok(&j->nak))
		return UPPP_CP_DROP;
	if (j->n_rej)
		return UPPP_CP_REJ;
	if (j->n_nak) {
		uppp_wr_bytes(j->reply, j->nak_buf, j->nak.len);
		return uppp_wr_ok(j->reply) ? UPPP_CP_NAK : UPPP_CP_DROP;
	}
	return UPPP_CP_ACK;
}

bool uppp_cp_reject_matches(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	uint8_t buf[FSM_PKT_MAX];
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));
	struct uppp_reader ours, theirs = uppp_reader(opts, len);
	uint8_t t, ot;
	const uint8_t *d, *od;
	size_t n, on;
	int rc, orc;

	if (len == 0 || f->cb->build_request(f, &w) || !uppp_wr_ok(&w))
		return false;
	ours = uppp_reader(buf, w.len);
	while ((rc = uppp_cp_next_option(&theirs, &t, &d, &n)) == 1) {
		/* the next of our options that is this one, byte for byte */
		while ((orc = uppp_cp_next_option(&ours, &ot, &od, &on)) == 1)
			if (ot == t && on == n && (n == 0 || memcmp(od, d, n) == 0))
				break;
		if (orc != 1)
			return false;
	}
	return rc == 0;
}

bool uppp_cp_ack_matches(struct uppp_fsm *f, const uint8_t *opts, size_t len)
{
	uint8_t buf[64];
	struct uppp_writer w = uppp_writer(buf, sizeof(buf));

	/* RFC 1661 §5.2: an Ack repeats our request exactly */
	if (f->cb->build_request(f, &w) || w.len != len)
		return false;
	return len == 0 || memcmp(buf, opts, len) == 0;
}
