/* uppp/types.h — the enums every part of libuppp and its users share: why a
 * session ended (causes), how severe a log line is and how a peer
 * authenticates, with the names and sentences for causes; and UPPP_API,
 * which marks what libuppp exports. */
#ifndef UPPP_TYPES_H
#define UPPP_TYPES_H

/* Marks a function of the public API. libuppp is built with
 * -fvisibility=hidden: only functions declared with UPPP_API are exported
 * from libuppp.so (test/install/exported-symbols.txt lists them). */
#if defined(__GNUC__) || defined(__clang__)
#define UPPP_API __attribute__((visibility("default")))
#else
#define UPPP_API
#endif

/* Log levels, most severe first: a logger set to a level takes that level
 * and every one above it. */
enum uppp_log_level { UPPP_LOG_ERR, UPPP_LOG_WARN, UPPP_LOG_INFO, UPPP_LOG_DEBUG };

/* A log line for the embedding program: one event, key=value text
 * ("sess=3 mac=02:00:00:00:00:01 layer=lcp event=up"), without level word,
 * timestamp or newline; peer strings in it are escaped, CR and LF written
 * as spaces. Called only for levels up to the configured one: nothing is
 * formatted for the others. Called from inside the library: it must not
 * call back into the object that logged. line is valid only during the
 * call. */
typedef void uppp_log_fn(void *ud, enum uppp_log_level level, const char *line);

/* How a peer authenticates (RFC 1334 PAP, RFC 1994 CHAP with MD5, RFC 2759
 * MS-CHAPv2): one enum for the engines, the runtimes' configs and their
 * bit masks (1u << method). */
enum uppp_auth_method {
	UPPP_AUTH_NONE = 0,
	UPPP_AUTH_PAP,
	UPPP_AUTH_CHAP_MD5,
	UPPP_AUTH_MSCHAPV2,   /* CHAP algorithm 0x81 */
};

/* Why a session did not come up or went down: an enum, not free text (RFC
 * 3145 style); logs print the name and a sentence a Windows or pppd user
 * recognises, and counters are kept per cause. New causes are added at the
 * end (before UPPP_CAUSE_COUNT): the numbers never change. */
enum uppp_cause {
	UPPP_CAUSE_NONE = 0,
	UPPP_CAUSE_ADMIN,            /* local shutdown (signal, operator) */
	UPPP_CAUSE_PEER_PADT,        /* peer sent PADT */
	UPPP_CAUSE_PEER_TERM_REQ,    /* peer sent LCP Terminate-Request */
	UPPP_CAUSE_ECHO_TIMEOUT,     /* peer silent for echo-interval × (echo-failure + 1) */
	UPPP_CAUSE_LCP_FAILED,       /* LCP did not converge (max-configure / max-failure) */
	UPPP_CAUSE_AUTH_NO_SECRET,   /* no secret for that client name */
	UPPP_CAUSE_AUTH_BAD_SECRET,  /* wrong password / response */
	UPPP_CAUSE_AUTH_TIMEOUT,     /* peer did not authenticate in time */
	UPPP_CAUSE_AUTH_REFUSED,     /* we (client) were refused by the peer */
	UPPP_CAUSE_AUTH_UNSUPPORTED, /* no common authentication protocol */
	UPPP_CAUSE_IPCP_FAILED,      /* IPCP did not converge */
	UPPP_CAUSE_NO_ADDRESS,       /* address pool empty */
	UPPP_CAUSE_IDLE,             /* idle timeout */
	UPPP_CAUSE_INTERFACE,        /* could not create/configure the TUN */
	UPPP_CAUSE_DISCOVERY_TIMEOUT,/* client: no PADO/PADS */
	UPPP_CAUSE_NO_SERVICE,       /* server: no PADO: Service-Name not offered */
	UPPP_CAUSE_MAC_LIMIT,        /* server: no PADO: max-per-mac reached */
	UPPP_CAUSE_POOL_FULL,        /* server: no PADO: max-sessions reached or address pool full */
	UPPP_CAUSE_INTERFACE_DOWN,   /* the Ethernet interface went down or disappeared */
	UPPP_CAUSE_AUTH_WRONG_PROTOCOL, /* peer will not use the authentication protocol we require */
	UPPP_CAUSE_AUTH_LOGIN,       /* secret matched but `login` (system account check) refused */
	UPPP_CAUSE_ADDRESS_CONFLICT, /* peer insists on an address that is not the one it was given */
	UPPP_CAUSE_ADDRESS_NOT_ALLOWED, /* the secrets file allows this client no address (`-`) */
	UPPP_CAUSE_HOST_ERROR,       /* the host could not arm a timer or allocate for the session */
	UPPP_CAUSE_NEGOTIATION_TIMEOUT, /* IPCP not Opened within negotiation-timeout of PADS */
	UPPP_CAUSE_COUNT
};

/* Short stable name of a cause for logs, counters and scripts, e.g.
 * "echo-timeout". Never NULL: a value outside the enum gives "unknown".
 * The string is static; do not free it. */
UPPP_API const char *uppp_cause_name(enum uppp_cause c);
/* One sentence for a human, naming what a Windows client shows when it
 * applies, e.g. "peer stopped answering LCP echo requests". Never NULL:
 * a value outside the enum gives "unknown cause". Static, like the name. */
UPPP_API const char *uppp_cause_text(enum uppp_cause c);

#endif
