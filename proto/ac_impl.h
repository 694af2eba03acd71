/* proto/ac_impl.h — what proto/ac.c (sessions, PPP engine ops, public API)
 * and proto/ac_discovery.c (PADI/PADR/PADT, AC-Cookie, limits) share; not
 * for other files. */
#ifndef UPPP_PROTO_AC_IMPL_H
#define UPPP_PROTO_AC_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/deadline_heap.h"
#include "proto/ac.h"
#include "proto/pppoe.h"
#include "proto/pppoe_session.h"
#include "auth/mschapv2.h"   /* UPPP_MSCHAPV2_AUTH_RESPONSE_LEN */

#define AC_TAG_STORE_MAX 255        /* Host-Uniq / Relay-Session-Id / Service-Name kept per session */
#define COOKIE_KEY_LEN 32

/* A host's verdict given from inside a callback, kept until ac_leave()
 * applies it: its own allocation for that while (rare: a host that answers
 * at once answers from verify itself, through the return value). */
struct uppp_ac_verdict_copy {
	struct uppp_auth_verdict v;            /* its strings point into the two below */
	char reason[256];
	char success[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
};

/* The PPP template a session was created with, kept for it after
 * uppp_ac_reconfigure() replaced the AC's (ac->cfg->ppp): a copy with its
 * strings behind it, shared by every session of that generation and freed
 * with the last of them. */
struct uppp_ac_template {
	struct uppp_ppp_config ppp;   /* name and password point into strings[] */
	size_t refs;                  /* sessions pointing at it */
	size_t size;                  /* of the allocation */
	char strings[];
};

/* One allocation at PADR: this struct and, behind it, the discovery tags
 * the PADS echoes (a duplicate PADR gets it again), exactly as long as they
 * are. Besides it a session holds at most the name of its lease
 * (lease_name) and, for a moment, a deferred verdict (verdict). What only
 * the peer's discovery sent, only a negotiation needs, or the owner
 * already has is not kept here: the template of the PPP config is the
 * AC's, the verdict's strings live only while queued. */
struct uppp_ac_session {
	/* the PPPoE session and its PPP engine (id, peer MAC, prefixed logger,
	 * dead / peer_padt / silent, close_pending): proto/pppoe_session.h */
	struct uppp_pppoe_session ps;
	struct uppp_ac *ac;
	union {
		struct uppp_ac_session *id_next;        /* by-id bucket chain, while linked */
		struct uppp_ac_session *dead_next;      /* waiting to be freed (unlinked by then) */
	};
	struct uppp_ac_session *mac_next;               /* by-MAC bucket chain */
	struct uppp_ac_session *all_prev, *all_next;    /* every live session */
	struct uppp_ac_session *close_next; /* on ac->closing (uppp_ac_session_close deferred) */
	struct uppp_ac_session *answer_next;   /* on ac->answers */
	struct uppp_dheap_entry timer;/* its deadline in ac->timers (not in it: no deadline) */
	uint64_t started;
	char *lease_name;             /* the name peer_ip was (or is being) assigned for,
				       * allocated to its length; NULL: none asked yet */
	/* deferred answers (uppp_ac_session_auth_verdict / _address given
	 * from inside a callback), applied by ac_leave() */
	struct uppp_ac_verdict_copy *verdict;  /* a verdict queued (allocated until applied) */
	void *user;
	struct uppp_ac_template *tmpl;  /* its PPP template when not ac->cfg->ppp (a reconfigure
					 * came after it began); NULL: the AC's current one */
	uint32_t peer_ip;
	uint32_t address_serial;
	int address_err;
	uint32_t address_ip;
	uint32_t verdict_ip;          /* an accepting verdict's address, for the next assign_address */
	uint8_t admin_cause;          /* enum uppp_cause: its cause on ac->closing; NONE: not on the list */
	bool has_ip;
	bool was_up;                  /* session_up succeeded once (counted in sessions_up) */
	bool negotiating;             /* counted in ac->n_negotiating (past PADS, not yet up) */
	bool answer_queued;
	bool address_queued;
	bool has_host_uniq, has_relay_id;
	uint8_t host_uniq_len, relay_id_len, service_len;   /* ≤ AC_TAG_STORE_MAX */
	uint8_t tags[];               /* Host-Uniq, Relay-Session-Id, Service-Name, back to back */
};

/* What a session's allocation is (for uppp_mem_free). */
static inline size_t ac_sess_size(const struct uppp_ac_session *s)
{
	return sizeof(*s) + (size_t)s->host_uniq_len + s->relay_id_len + s->service_len;
}
static inline const uint8_t *ac_sess_host_uniq(const struct uppp_ac_session *s) { return s->tags; }
static inline const uint8_t *ac_sess_relay_id(const struct uppp_ac_session *s)
{
	return s->tags + s->host_uniq_len;
}
static inline const uint8_t *ac_sess_service(const struct uppp_ac_session *s)
{
	return s->tags + s->host_uniq_len + s->relay_id_len;
}

struct uppp_ac {
	const struct uppp_ac_config *cfg;
	const struct uppp_ac_ops *ops;
	void *ctx;
	struct uppp_ac_counters cnt;
	struct uppp_ac_session **by_id;                 /* id_mask + 1 buckets, chained by id_next */
	size_t id_mask;
	struct uppp_dheap timers;                       /* sessions by deadline, max_sessions slots */
	struct uppp_dheap_entry **timer_slots;          /* its storage */
	struct uppp_ac_session *closing;                /* closes deferred to the outermost entry */
	struct uppp_ac_session *answers;                /* host answers deferred likewise */
	const struct uppp_allocator *alloc;
	struct uppp_ac_session **by_mac;                /* mac_mask + 1 buckets, chained by mac_next */
	size_t mac_mask;
	struct uppp_ac_session *all;
	struct uppp_ac_session *dead;
	size_t n_sessions;
	size_t n_negotiating;
	unsigned max_sessions;
	unsigned depth;               /* nesting of entry points; reap at 0 */
	uint64_t now;
	uint64_t unknown_logged_at;
	bool unknown_logged;
	uint64_t unknown_suppressed;
	uint32_t mac_salt;
	struct uppp_rl_table padi_mac, padr_mac, authfail_mac;
	struct uppp_bucket padi_all, padr_all;
	struct uppp_bucket warn_log;  /* discovery warnings are rate limited too */
	uint64_t warn_suppressed;
	uint8_t cookie_key[COOKIE_KEY_LEN];
	uint8_t tx[UPPP_PPPOE_FRAME_MAX];
};

/* The AC session a carrier belongs to (ctx of its PPP engine's ops). */
static inline struct uppp_ac_session *ac_sess_of(void *ps)
{
	return (struct uppp_ac_session *)((char *)ps - offsetof(struct uppp_ac_session, ps));
}

static inline bool mac_eq(const uint8_t *a, const uint8_t *b) { return memcmp(a, b, 6) == 0; }

/* The live session with id (an ended one is unlinked at once), or NULL. Ids are
 * random (RFC 2516 §5.4 asks them unpredictable), so their low bits spread
 * the buckets evenly; chains stay about one session long. */
static inline struct uppp_ac_session *ac_by_id(const struct uppp_ac *ac, uint16_t id)
{
	struct uppp_ac_session *s = ac->by_id[id & ac->id_mask];
	while (s && s->ps.id != id)
		s = s->id_next;
	return s;
}

/* ac.c */
/* A line of the AC's own (no prefix, no layer word): formatted only when
 * the configured logger takes level. */
#define ac_log(ac, level, ...) UPPP_LOGF(&(ac)->cfg->log, (level), NULL, __VA_ARGS__)
/* A discovery warning an attacker can trigger at will: rate limited. */
void uppp_ac_warn(struct uppp_ac *ac, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The by-MAC hash bucket of mac. */
size_t uppp_ac_mac_bucket(const struct uppp_ac *ac, const uint8_t mac[6]);
/* Sends the frame built in ac->tx (len bytes; nothing when len <= 0). */
void uppp_ac_transmit(struct uppp_ac *ac, int len);
/* Gives back a session and what it holds (it is in no list). */
void uppp_ac_sess_free(struct uppp_ac *ac, struct uppp_ac_session *s);
/* A new session: into the by-id, by-MAC and all-sessions lists. */
void uppp_ac_sess_link(struct uppp_ac *ac, struct uppp_ac_session *s);
/* The session ends with cause: unlinked now, freed when the entry point returns. */
void uppp_ac_sess_finish(struct uppp_ac_session *s, enum uppp_cause cause);
/* After the engine ran: applies a pending close and moves the session in
 * the timer heap to the engine's next deadline. */
void uppp_ac_sess_settle(struct uppp_ac_session *s);
/* A session's line: "sess=<id> mac=<mac> " then fmt, formatted only when
 * the logger takes level. */
#define sess_log(s, level, ...) UPPP_LOGF(&(s)->ps.log, (level), NULL, __VA_ARGS__)
/* The carrier's ops for a session, and its PPP engine's (ctx = &s->ps). */
extern const struct uppp_pppoe_session_ops uppp_ac_sess_carrier_ops;
extern const struct uppp_ppp_ops uppp_ac_sess_ppp_ops;

/* ac_discovery.c: one received Ethernet frame (discovery or session). */
void uppp_ac_input_frame(struct uppp_ac *ac, uint8_t *frame, size_t len);

#endif
