/* core/cause.c — names and sentences for enum uppp_cause. */
#include "core/cause.h"

static const struct {
	const char *name;
	const char *text;
} causes[UPPP_CAUSE_COUNT] = {
	[UPPP_CAUSE_NONE] = { "none", "no cause recorded" },
	[UPPP_CAUSE_ADMIN] = { "admin", "closed by the administrator (shutdown or signal); a Windows client shows error 734 (link control protocol terminated) or 629 (closed by the remote computer)" },
	[UPPP_CAUSE_PEER_PADT] = { "peer-padt", "the other end sent PADT and closed the PPPoE session (a Windows client shows error 628 when this comes during negotiation, 629 once connected)" },
	[UPPP_CAUSE_PEER_TERM_REQ] = { "peer-term-req", "peer sent LCP Terminate-Request (normal hang-up; a Windows client that receives one shows error 734)" },
	[UPPP_CAUSE_ECHO_TIMEOUT] = { "echo-timeout", "peer stopped answering LCP echo requests: link lost (a Windows client still there shows error 629, connection closed by the remote computer)" },
	[UPPP_CAUSE_LCP_FAILED] = { "lcp-failed", "LCP negotiation did not converge (Windows error 732, or 718 when one side stopped answering)" },
	[UPPP_CAUSE_AUTH_NO_SECRET] = { "auth-no-secret", "no secret for this client name and server name in chap-secrets/pap-secrets (Windows error 691)" },
	[UPPP_CAUSE_AUTH_BAD_SECRET] = { "auth-bad-secret", "wrong password (Windows error 691)" },
	[UPPP_CAUSE_AUTH_TIMEOUT] = { "auth-timeout", "peer did not authenticate in time (Windows error 718, or 734 when we close the link first)" },
	[UPPP_CAUSE_AUTH_REFUSED] = { "auth-refused", "the access concentrator refused our credentials (what Windows shows as error 691)" },
	[UPPP_CAUSE_AUTH_UNSUPPORTED] = { "auth-unsupported", "no authentication protocol both sides accept (Windows error 919; 734 on older versions)" },
	[UPPP_CAUSE_IPCP_FAILED] = { "ipcp-failed", "IPCP negotiation did not converge (Windows error 732, or 733 when IPCP is refused)" },
	[UPPP_CAUSE_NO_ADDRESS] = { "no-address", "address pool is empty: no address for this client, link closed (Windows error 734)" },
	[UPPP_CAUSE_IDLE] = { "idle", "idle timeout (a Windows client sees the link control protocol terminated, error 734)" },
	[UPPP_CAUSE_INTERFACE] = { "interface", "could not create or configure the session interface, link closed (Windows error 734)" },
	[UPPP_CAUSE_DISCOVERY_TIMEOUT] = { "discovery-timeout", "no answer to PADI/PADR (Windows error 651/678; 815 on Vista)" },
	[UPPP_CAUSE_NO_SERVICE] = { "no-service", "client asked for a Service-Name we do not offer, no PADO sent (Windows error 651; 678 on XP, 815 on Vista)" },
	[UPPP_CAUSE_MAC_LIMIT] = { "mac-limit", "this MAC already has max-per-mac sessions, no PADO sent (Windows error 651; 678 on XP, 815 on Vista)" },
	[UPPP_CAUSE_POOL_FULL] = { "pool-full", "session or address pool is full, no PADO sent (Windows error 651; 678 on XP, 815 on Vista)" },
	[UPPP_CAUSE_INTERFACE_DOWN] = { "interface-down", "the Ethernet interface went down or disappeared, discovery cannot be answered (Windows error 651; 678 on XP, 815 on Vista)" },
	[UPPP_CAUSE_AUTH_WRONG_PROTOCOL] = { "auth-wrong-protocol", "the client will not use the authentication protocol we require (Windows error 919; 734 on older versions)" },
	[UPPP_CAUSE_AUTH_LOGIN] = { "auth-login", "secret matched but `login` refused the user (no such system account or a different system password; Windows error 734 or 691)" },
	[UPPP_CAUSE_HOST_ERROR] = { "host-error", "out of resources on this host (memory for the session's timer or state): the session could not keep its retransmit and timeout timers and was ended (a Windows client shows error 629 or 734)" },
	[UPPP_CAUSE_NEGOTIATION_TIMEOUT] = { "negotiation-timeout", "LCP, authentication and IPCP did not all finish within negotiation-timeout: the peer answers but never agrees (Windows error 718, timed out waiting for a valid response; 734 when we close the link first)" },
	[UPPP_CAUSE_ADDRESS_CONFLICT] = { "address-conflict", "client insists on an IP address that is in use or not its own (Windows error 735, requested address rejected)" },
	[UPPP_CAUSE_ADDRESS_NOT_ALLOWED] = { "address-not-allowed", "the secrets file allows this client no IP address ('-' in its address column), link closed (Windows error 734)" },
};

const char *uppp_cause_name(enum uppp_cause c)
{
	return (unsigned)c < UPPP_CAUSE_COUNT ? causes[c].name : "unknown";
}

const char *uppp_cause_text(enum uppp_cause c)
{
	return (unsigned)c < UPPP_CAUSE_COUNT ? causes[c].text : "unknown cause";
}
