/* proto/ac_impl.h — what proto/ac.c (sessions, PPP engine ops, public API)
 * and proto/ac_discovery.c (PADI/PADR/PADT, AC-Cookie, limits) share; not
 * for other files. */
#ifndef UPPP_PROTO_AC_IMPL_H
#define UPPP_PROTO_AC_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/ac.h"
#include "proto/pppoe.h"

#define AC_MAC_BUCKETS 1024
#define AC_TAG_STORE_MAX 255        /* Host-Uniq / Relay-Session-Id / Service-Name kept per session */
#define COOKIE_KEY_LEN 32

struct uppp_ac_session {
	struct uppp_ac *ac;
	struct uppp_ppp ppp;
	struct uppp_ppp_config ppp_cfg;
	uint16_t id;
	uint8_t peer_mac[6];
	char mac_str[UPPP_MAC_STR_LEN];
	struct uppp_ac_session *mac_next;               /* by-MAC bucket chain */
	struct uppp_ac_session *all_prev, *all_next;    /* every live session */
	struct uppp_ac_session *dead_next;              /* waiting to be freed */
	uint8_t host_uniq[AC_TAG_STORE_MAX];
	uint16_t host_uniq_len;
	bool has_host_uniq;
	uint8_t relay_id[AC_TAG_STORE_MAX];
	uint16_t relay_id_len;
	bool has_relay_id;
	uint8_t service[AC_TAG_STORE_MAX];
	uint16_t service_len;
	uint64_t started;
	uint64_t armed;               /* deadline last handed to set_timer */
	uint32_t peer_ip;
	bool has_ip;
	char lease_name[UPPP_AUTH_NAME_MAX + 1]; /* the name peer_ip was assigned for */
	bool was_up;                  /* session_up succeeded once (counted in sessions_up) */
	bool dead;                    /* down handled; freed at the end of the entry point */
	bool peer_padt;               /* peer ended it with PADT: do not answer with one */
	bool silent;                  /* uppp_ac_free: send nothing */
	bool negotiating;             /* counted in ac->n_negotiating (past PADS, not yet up) */
	enum uppp_cause close_pending;/* close requested from inside an engine callback */
	void *user;
};

struct uppp_ac {
	const struct uppp_ac_config *cfg;
	const struct uppp_ac_ops *ops;
	void *ctx;
	struct uppp_ac_counters cnt;
	struct uppp_ac_session **by_id;                 /* 65536 slots */
	struct uppp_ac_session *by_mac[AC_MAC_BUCKETS];
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

static inline bool mac_eq(const uint8_t *a, const uint8_t *b) { return memcmp(a, b, 6) == 0; }

/* ac.c */
void uppp_ac_log(struct uppp_ac *ac, enum uppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A discovery warning an attacker can trigger at will: rate limited. */
void uppp_ac_warn(struct uppp_ac *ac, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* `debug`: one discovery or PPP control packet, decoded on one line. */
void uppp_ac_log_packet(struct uppp_ac *ac, const char *dir, const uint8_t *frame, size_t len);
/* The by-MAC hash bucket of mac. */
size_t uppp_ac_mac_bucket(const struct uppp_ac *ac, const uint8_t mac[6]);
/* Sends the frame built in ac->tx (len bytes; nothing when len <= 0). */
void uppp_ac_transmit(struct uppp_ac *ac, int len);
/* The session ends with cause: unlinked now, freed when the entry point returns. */
void uppp_ac_sess_finish(struct uppp_ac_session *s, enum uppp_cause cause);
/* After the engine ran: applies a pending close and re-arms the timer. */
void uppp_ac_sess_settle(struct uppp_ac_session *s);
/* The PPP engine's ops for a session (ctx = the session). */
extern const struct uppp_ppp_ops uppp_ac_sess_ppp_ops;

/* ac_discovery.c: one received Ethernet frame (discovery or session). */
void uppp_ac_input_frame(struct uppp_ac *ac, uint8_t *frame, size_t len);

#endif
