/* uppp/engine.h — what the two sans-I/O engines share: the PPP link's
 * configuration and what it reports, log sinks, rates, deadlines and the
 * deferred authentication interface.
 *
 * The engines (uppp/ac.h: the access concentrator; uppp/dial.h: the client)
 * make no syscall and read no clock: the host feeds them Ethernet frames,
 * IP packets and the time `now` (milliseconds on any monotonic clock, the
 * same clock for every call), and they answer through a const table of
 * callbacks. They never block, never exit, and allocate only where their
 * functions say so. An engine is not thread-safe: one thread calls all of
 * its functions; engines share nothing, so several may run side by side.
 *
 * Addresses are IPv4 in host byte order throughout. */
#ifndef UPPP_ENGINE_H
#define UPPP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uppp/alloc.h"
#include "uppp/types.h"

/* The longest Ethernet frame an engine sends (no FCS, no VLAN tag). */
#define UPPP_FRAME_MAX 1514
/* Where the IP packet starts in a PPPoE session frame: Ethernet header 14,
 * PPPoE header 6, PPP protocol 2 (see the frame_buffer ops). */
#define UPPP_FRAME_IP_OFFSET 22

/* The deadline of an engine with nothing to wait for. */
#define UPPP_NO_DEADLINE UINT64_MAX

/* Where an engine's log lines go. A line is formatted only when emit is set
 * and its level is at least as severe as min (enum uppp_log_level): a
 * disabled level costs one comparison. emit gets one line without level
 * word, timestamp or newline (see uppp_log_fn, uppp/types.h), starting with
 * prefix when that is set (a session sets its own: "sess=3
 * mac=02:00:00:00:00:01"). A zeroed logger logs nothing. The engine copies
 * the struct; ud must outlive the engine. */
struct uppp_logger {
	enum uppp_log_level min;     /* lines less severe than this are dropped unformatted */
	uppp_log_fn *emit;           /* NULL: log nothing */
	void *ud;                    /* passed to emit unchanged */
	const char *prefix;          /* text (not a format) before every line; NULL or "" none */
};

/* A rate: `tokens` every `period_ms`, up to `burst` at once (a token bucket).
 * tokens == 0 means no limit. Values are clamped to sane ranges: tokens ≤
 * 100000, period 1 ms .. 1 day, burst 1 .. 1000000. */
struct uppp_rate {
	uint32_t tokens;
	uint32_t period_ms;
	uint32_t burst;
};

/* A convenience: n per second, burst b. */
static inline struct uppp_rate uppp_rate_per_s(uint32_t n, uint32_t b)
{
	struct uppp_rate r = { n, 1000, b };
	return r;
}

/* PAP and CHAP carry names and secrets of at most this many bytes. */
#define UPPP_AUTH_NAME_MAX 255

/* What the peer sent, for a host that judges it itself (the concentrator's
 * verify op): a RADIUS client forwards these, a local check compares them.
 * Every pointer is valid only during the verify call (copy what you keep);
 * strings are raw peer bytes: escape them before printing. */
struct uppp_auth_request {
	enum uppp_auth_method method;  /* PAP, CHAP_MD5 or MSCHAPV2 */
	const char *user;              /* the name the peer sent, NUL-terminated (no NUL inside), ≤ 255 */
	const uint8_t *password;       /* PAP: the password, password_len bytes; else NULL */
	size_t password_len;
	uint8_t id;                    /* CHAP: the Identifier of the Response (RFC 1994 §4.1) */
	const uint8_t *challenge;      /* CHAP, MS-CHAPv2: our Challenge value, 16 bytes */
	size_t challenge_len;
	const uint8_t *response;       /* CHAP-MD5: the 16-byte MD5 value; MS-CHAPv2: the 49-byte
					* Response value (Peer-Challenge 16, reserved 8, NT-Response 24,
					* flags 1: RFC 2759 §4) */
	size_t response_len;
	uint32_t serial;               /* this request's number on its link (1, 2, ...: every verify
					* call a new one, LCP renegotiations and MS-CHAPv2 retries
					* included); the verdict names it */
};

/* The host's answer to a pending verify, given later through
 * uppp_ac_session_auth_verdict(). Strings are copied before that call
 * returns. */
struct uppp_auth_verdict {
	/* req->serial of the request this answers. A verdict for any other
	 * request is refused (-EALREADY): an answer that comes after the peer
	 * renegotiated and asked again — perhaps as someone else — never
	 * judges the new request. */
	uint32_t serial;
	bool accept;
	/* refused: UPPP_CAUSE_AUTH_BAD_SECRET (UPPP_CAUSE_NONE means this),
	 * AUTH_NO_SECRET or AUTH_LOGIN; the first two count against the
	 * concentrator's auth_fail_per_mac as a wrong secret does */
	enum uppp_cause cause;
	const char *reason;            /* optional: one sentence for the log (escaped when logged) */
	/* MS-CHAPv2 accepted: "S=" and 40 hex digits, the authenticator response
	 * the peer checks (RFC 2759 §5; RADIUS' MS-CHAP2-Success without its
	 * Ident byte). Required then; ignored otherwise. */
	const char *mschapv2_success;
	/* accepted, optional: the peer's address; 0 = ask assign_address as
	 * usual. */
	uint32_t peer_ip;
};

/* How one PPP link behaves: the template every concentrator session copies
 * (uppp_ac_config.ppp) and the client's link (uppp_dial_config.ppp). Fill it
 * with uppp_ppp_config_defaults(), then change what you need. Strings must
 * outlive the engine. Times are milliseconds. */
struct uppp_ppp_config {
	bool is_server;              /* set by the engine: true in a concentrator, false in a client */
	uint16_t mru;                /* MRU we ask for; default 1492 (RFC 2516 §7) */
	uint16_t link_max;           /* largest PPP packet the lower layer carries: the Ethernet
				      * MTU - 8 (PPPoE header 6, PPP protocol 2); caps the MRU we
				      * ask and what we send; 0 = 1492 (RFC 2516 §7) */
	enum uppp_auth_method auth;  /* server: protocol we require; NONE = no authentication */
	const char *name;            /* server: our name in CHAP challenges; client: user name */
	const char *password;        /* client: password / CHAP secret */
	uint32_t local_ip;           /* server: our address; client: 0 */
	uint32_t dns[2];             /* server: DNS offered when asked (RFC 1877); 0 = none */
	int mss_clamp;               /* -1: off; 0: clamp TCP MSS to MTU - 40; >0: clamp to this */
	unsigned restart_ms;         /* RFC 1661 restart timer; default 3000 */
	unsigned max_configure;      /* default 10 */
	unsigned max_terminate;      /* default 2 */
	unsigned max_failure;        /* default 5 */
	unsigned echo_interval_ms;   /* 0 = no LCP echo keepalive */
	unsigned echo_failure;       /* Echo-Requests sent over as many silent intervals before the
				      * link is dropped at the end of the next silent one (default 3) */
	unsigned auth_timeout_ms;    /* server: time the peer has to authenticate; default 30000 */
	unsigned negotiation_timeout_ms; /* from PADS to IPCP Opened, and again from an LCP or
				      * IPCP renegotiation; then the link ends with cause
				      * NEGOTIATION_TIMEOUT; default 60000, 0 = no limit */
	unsigned auth_also;          /* server: protocols also accepted when the peer Naks `auth`
				      * (bits 1u << enum uppp_auth_method), strongest asked first */
	uint32_t wins[2];            /* server: WINS/NBNS offered when asked (RFC 1877); 0 = reject */
	unsigned idle_ms;            /* close the link after this long without IP data either way;
				      * 0 = never */
	unsigned client_accept;      /* client: protocols we agree to authenticate with (bits
				      * 1u << enum uppp_auth_method); 0 = every one this build has
				      * (PAP, CHAP-MD5, and MS-CHAPv2 when UPPP_HAVE_MSCHAPV2) */
	bool debug;                  /* log every control packet decoded, at debug level */
};

/* Fills *cfg with the defaults above (client, no authentication, no echo).
 * Cannot fail. */
UPPP_API void uppp_ppp_config_defaults(struct uppp_ppp_config *cfg);

/* What the network layer looks like once IPCP is Opened. */
struct uppp_ppp_link {
	uint32_t local_ip;
	uint32_t peer_ip;
	uint32_t dns[2];        /* 0 = none */
	uint16_t mtu;           /* largest packet we may send = the peer's MRU */
	uint16_t mru;           /* what we agreed to receive */
	const char *peer_name;  /* server: authenticated name ("" when no auth); raw peer bytes */
};

/* Counters of one link. */
struct uppp_ppp_stats {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;   /* IP data */
	uint64_t rx_dropped;   /* malformed or unexpected PPP packets */
	uint64_t tx_dropped;   /* from the interface but not IPv4 (no IPv6CP yet) */
	uint64_t mss_clamped;  /* SYNs rewritten */
};

#endif
