/* proto/fsm.h — the RFC 1661 option-negotiation automaton (§4), shared by
 * LCP and IPCP (and any later control protocol).
 *
 * One instance per control protocol per link. The protocol supplies a const
 * table of callbacks (what to ask, how to judge the peer's request, how to
 * take the peer's Ack/Nak/Reject); the owner (proto/ppp.c) hears about the
 * layer going up, down, started and finished through one notify hook. The
 * automaton sends through ops->send, logs through its env's logger (core/logger.h), keeps its restart
 * timer as a deadline the owner polls, and never allocates. */
#ifndef UPPP_PROTO_FSM_H
#define UPPP_PROTO_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "proto/ops.h"

/* RFC 1661 §4.2 states, numbered as in the RFC's table. */
enum uppp_fsm_state {
	UPPP_FSM_INITIAL = 0,
	UPPP_FSM_STARTING,
	UPPP_FSM_CLOSED,
	UPPP_FSM_STOPPED,
	UPPP_FSM_CLOSING,
	UPPP_FSM_STOPPING,
	UPPP_FSM_REQ_SENT,
	UPPP_FSM_ACK_RCVD,
	UPPP_FSM_ACK_SENT,
	UPPP_FSM_OPENED,
	UPPP_FSM_STATE_COUNT
};

/* RFC 1661 §4.3 events. */
enum uppp_fsm_event {
	UPPP_FSM_EV_UP = 0,
	UPPP_FSM_EV_DOWN,
	UPPP_FSM_EV_OPEN,
	UPPP_FSM_EV_CLOSE,
	UPPP_FSM_EV_TO_PLUS,
	UPPP_FSM_EV_TO_MINUS,
	UPPP_FSM_EV_RCR_PLUS,
	UPPP_FSM_EV_RCR_MINUS,
	UPPP_FSM_EV_RCA,
	UPPP_FSM_EV_RCN,
	UPPP_FSM_EV_RTR,
	UPPP_FSM_EV_RTA,
	UPPP_FSM_EV_RUC,
	UPPP_FSM_EV_RXJ_PLUS,
	UPPP_FSM_EV_RXJ_MINUS,
	UPPP_FSM_EV_RXR,
	UPPP_FSM_EV_COUNT
};

/* What a protocol decides about the peer's Configure-Request. */
enum uppp_cp_verdict {
	UPPP_CP_ACK,   /* every option acceptable: Configure-Ack */
	UPPP_CP_NAK,   /* reply holds options with values we want instead */
	UPPP_CP_REJ,   /* reply holds the options we do not negotiate */
	UPPP_CP_DROP,  /* malformed (option length < 2 or past the end): drop the packet */
};

/* What the owner hears (struct uppp_fsm_hooks.notify). */
enum uppp_fsm_notice {
	UPPP_FSM_LAYER_UP,        /* tlu: entered Opened */
	UPPP_FSM_LAYER_DOWN,      /* tld: left Opened */
	UPPP_FSM_LAYER_STARTED,   /* tls */
	UPPP_FSM_LAYER_FINISHED,  /* tlf: this layer is done (Closed/Stopped/Initial) */
	UPPP_FSM_PROTOCOL_REJECT, /* LCP only: the peer Protocol-Rejected arg */
};

struct uppp_fsm;

/* Per protocol, const. Option walkers get only the options field. */
struct uppp_fsm_callbacks {
	const char *name;      /* "lcp", "ipcp": the log layer */
	uint16_t protocol;     /* PPP_LCP, PPP_IPCP */
	/* Forget what was negotiated and go back to what we want to ask for
	 * (start of a negotiation). May be called more than once. */
	void (*reset)(struct uppp_fsm *f);
	/* Append our Configure-Request options. 0 or -errno. */
	int (*build_request)(struct uppp_fsm *f, struct uppp_writer *w);
	/* Judge the peer's request; write the Nak/Reject options into reply.
	 * may_nak is false once max-failure Naks were sent: Nak becomes Reject
	 * (RFC 1661 §4.6 Max-Failure). */
	enum uppp_cp_verdict (*handle_request)(struct uppp_fsm *f, const uint8_t *opts, size_t len,
					       struct uppp_writer *reply, bool may_nak);
	/* Our request was acked / naked / rejected with these options.
	 * 0; -EINVAL: not a valid answer to what we sent (packet dropped);
	 * -EPROTO: we cannot go on (the layer closes; the protocol logged why). */
	int (*handle_ack)(struct uppp_fsm *f, const uint8_t *opts, size_t len);
	/* treat_as_reject: this negotiation already took max-failure Naks
	 * (pppd's maxnakloops): the options we asked that the Nak names are
	 * dropped from our request as if rejected, and its suggestions of
	 * options we did not ask are ignored. */
	int (*handle_nak)(struct uppp_fsm *f, const uint8_t *opts, size_t len, bool treat_as_reject);
	/* Called only when the Reject is a part of our last request, in its
	 * order, with its values (uppp_cp_reject_matches). */
	int (*handle_reject)(struct uppp_fsm *f, const uint8_t *opts, size_t len);
	/* Protocol-specific part of tlu/tld (before the owner hears it). Optional. */
	void (*up)(struct uppp_fsm *f);
	void (*down)(struct uppp_fsm *f);
	/* Codes that are the RXR event (LCP: Echo-Request/Reply, Discard-
	 * Request), as a bit mask (1u << code); handle_rxr runs in Opened only. */
	uint32_t rxr_codes;
	void (*handle_rxr)(struct uppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
	/* Any other code. 0 = handled; -ENOENT = unknown code (Code-Reject it);
	 * other -errno = malformed, dropped. Optional (NULL: all unknown). */
	int (*handle_other)(struct uppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
};

/* The owner's ear (the owner finds itself from f->env, which it embeds). */
struct uppp_fsm_hooks {
	void (*notify)(struct uppp_fsm *f, enum uppp_fsm_notice n, uint32_t arg);
};

#define UPPP_FSM_REASON_MAX 64

/* What the automata of one link share, once (embedded in their owner, each
 * automaton points at it): the owner's ear, the host's ops and logger, the
 * link's config (the limits of RFC 1661 §4.6 are read from it), and the
 * time of the call being handled. */
struct uppp_fsm_env {
	const struct uppp_fsm_hooks *hooks;
	const struct uppp_ppp_ops *ops;
	void *ctx;
	const struct uppp_logger *log;  /* NULL: nothing logged; set by the owner */
	/* restart_ms, max_configure, max_terminate, max_failure: 0 (or no
	 * config) is RFC 1661's default (3 s, 10, 2, 5); an automaton counts
	 * to at most 65,535 of each. Set by the owner after uppp_fsm_env_init. */
	const struct uppp_ppp_config *cfg;
	uint64_t now;   /* set by each entry point of an automaton */
};

struct uppp_fsm {
	const struct uppp_fsm_callbacks *cb;
	struct uppp_fsm_env *env;

	/* private */
	uint64_t deadline;      /* restart timer; UINT64_MAX when stopped */
	uint64_t quick_since;   /* when quick_reqs was last set to 0 */
	const char *term_reason;  /* uppp_fsm_close's reason (not copied: static text) */
	uint32_t rx_dropped;    /* malformed, stale identifier, wrong state */
	/* counters against the limits (each at most 65,535: uppp_fsm_env) */
	uint16_t restart_count;
	uint16_t naks_sent;     /* consecutive Configure-Naks (Max-Failure) */
	uint16_t naks_rcvd;     /* Configure-Naks taken in this negotiation (pppd maxnakloops) */
	uint16_t quick_reqs;    /* Configure-Requests sent at once in answer to the peer */
	uint16_t peer_mru;      /* bound for what we send (Code-Reject is truncated); default 1500 */
	uint8_t state;          /* enum uppp_fsm_state */
	uint8_t next_id;        /* identifier for the next request we send */
	uint8_t req_id;         /* identifier of our last Configure-Request */
	bool req_answered;      /* an Ack/Nak/Rej for req_id was already taken */
	bool got_term_req;      /* the peer sent Terminate-Request */
	uint8_t term_reason_len;
};

/* Fills env for an owner: its hooks, the host's ops and ctx, no logger, no
 * config (RFC 1661's default limits). */
void uppp_fsm_env_init(struct uppp_fsm_env *env, const struct uppp_fsm_hooks *hooks,
		       const struct uppp_ppp_ops *ops, void *ctx);
/* Prepares f for protocol cb on env (which must outlive f). */
void uppp_fsm_init(struct uppp_fsm *f, const struct uppp_fsm_callbacks *cb, struct uppp_fsm_env *env);

/* The administrative and lower-layer events. */
void uppp_fsm_up(struct uppp_fsm *f, uint64_t now);
void uppp_fsm_down(struct uppp_fsm *f, uint64_t now);
void uppp_fsm_open(struct uppp_fsm *f, uint64_t now);
/* reason (may be NULL) goes into the Terminate-Request data, its first
 * UPPP_FSM_REASON_MAX bytes; it is not copied and must outlive f (the
 * callers pass static text: a cause's sentence). */
void uppp_fsm_close(struct uppp_fsm *f, const char *reason, uint64_t now);
/* The peer Protocol-Rejected us (RXJ-). */
void uppp_fsm_rejected(struct uppp_fsm *f, uint64_t now);

/* One packet of this protocol (code, id, length, data). Returns 0, or
 * -EBADMSG when it was dropped (malformed, stale id, not expected in this
 * state); f->rx_dropped counts those. */
int uppp_fsm_input(struct uppp_fsm *f, const uint8_t *pkt, size_t len, uint64_t now);
/* Restart timer: UINT64_MAX when not running. */
static inline uint64_t uppp_fsm_deadline(const struct uppp_fsm *f) { return f->deadline; }
/* Runs the restart timer if it is due at now (TO+ or TO-). */
void uppp_fsm_timer(struct uppp_fsm *f, uint64_t now);

/* Sends a packet of this protocol with the given code/id and data;
 * truncated to peer_mru. 0 or -EMSGSIZE. */
int uppp_fsm_send(struct uppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
/* A fresh identifier for a packet we originate (Echo, Protocol-Reject). */
uint8_t uppp_fsm_new_id(struct uppp_fsm *f);

const char *uppp_fsm_state_name(enum uppp_fsm_state s);
const char *uppp_fsm_event_name(enum uppp_fsm_event e);

/* Walks options: 1 with type, data and dlen set, 0 at the end, -EBADMSG when
 * an option length is < 2 or runs past the end. */
int uppp_cp_next_option(struct uppp_reader *r, uint8_t *type, const uint8_t **data, size_t *dlen);

/* Collects the verdict on the peer's Configure-Request while its options
 * are walked (RFC 1661 §5.2-5.4): rejected options go straight into the
 * reply as received; suggestions go aside and are used only if nothing was
 * rejected. Once may_nak is false a suggestion becomes a rejection. */
struct uppp_cp_judge {
	struct uppp_writer *reply;
	struct uppp_writer nak;
	uint8_t nak_buf[1500];
	unsigned n_rej, n_nak;
	bool may_nak;
};

void uppp_cp_judge_init(struct uppp_cp_judge *j, struct uppp_writer *reply, bool may_nak);
/* Reject the option as received (type + its data). */
void uppp_cp_reject(struct uppp_cp_judge *j, uint8_t type, const uint8_t *data, size_t dlen);
/* Suggest val instead of data (Nak), or reject data when Naks are spent. */
void uppp_cp_nak(struct uppp_cp_judge *j, uint8_t type, const uint8_t *data, size_t dlen,
		 const uint8_t *val, size_t vlen);
/* Ack, Nak (suggestions copied into reply) or Rej; Drop if a buffer overflowed. */
enum uppp_cp_verdict uppp_cp_judge_verdict(struct uppp_cp_judge *j);

/* True when a Configure-Ack's options are byte for byte the request
 * build_request makes now (RFC 1661 §5.2); at most 64 bytes of options. */
bool uppp_cp_ack_matches(struct uppp_fsm *f, const uint8_t *opts, size_t len);
/* True when a Configure-Reject's options are a part of the request
 * build_request makes now: at least one, each with our type, length and
 * value, in our order (RFC 1661 §5.4). The FSM drops any other Reject. */
bool uppp_cp_reject_matches(struct uppp_fsm *f, const uint8_t *opts, size_t len);

#endif
