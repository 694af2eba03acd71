/* proto/cause.h — why a session did not come up or went down.
 *
 * An enum, not free text (RFC 3145 style): logs print the name and a sentence
 * a Windows or pppd user recognises; counters are kept per cause. */
#ifndef UPPP_PROTO_CAUSE_H
#define UPPP_PROTO_CAUSE_H

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

/* Short stable name for logs and counters, e.g. "echo-timeout". */
const char *uppp_cause_name(enum uppp_cause c);
/* One sentence for a human, naming what a Windows client shows when it
 * applies, e.g. "peer stopped answering LCP echo requests". */
const char *uppp_cause_text(enum uppp_cause c);

#endif
