/* proto/cause.c — names and sentences for enum uppp_cause. */
#include "proto/cause.h"

static const struct {
	const char *name;
	const char *text;
} causes[UPPP_CAUSE_COUNT] = {
	[UPPP_CAUSE_NONE] = { "none", "no cause recorded" },
	[UPPP_CAUSE_ADMIN] = { "admin", "closed by the administrator (shutdown or signal)" },
	[UPPP_CAUSE_PEER_PADT] = { "peer-padt", "peer sent PADT (Windows shows error 628 if this comes right after start)" },
	[UPPP_CAUSE_PEER_TERM_REQ] = { "peer-term-req", "peer sent LCP Terminate-Request (normal hang-up)" },
	[UPPP_CAUSE_ECHO_TIMEOUT] = { "echo-timeout", "peer stopped answering LCP echo requests (link lost)" },
	[UPPP_CAUSE_LCP_FAILED] = { "lcp-failed", "LCP negotiation did not converge" },
	[UPPP_CAUSE_AUTH_NO_SECRET] = { "auth-no-secret", "no secret for this user name (Windows error 691)" },
	[UPPP_CAUSE_AUTH_BAD_SECRET] = { "auth-bad-secret", "wrong password (Windows error 691)" },
	[UPPP_CAUSE_AUTH_TIMEOUT] = { "auth-timeout", "peer did not authenticate in time" },
	[UPPP_CAUSE_AUTH_REFUSED] = { "auth-refused", "the access concentrator refused our credentials" },
	[UPPP_CAUSE_AUTH_UNSUPPORTED] = { "auth-unsupported", "no authentication protocol both sides accept (Windows error 691/734)" },
	[UPPP_CAUSE_IPCP_FAILED] = { "ipcp-failed", "IPCP negotiation did not converge" },
	[UPPP_CAUSE_NO_ADDRESS] = { "no-address", "address pool is empty" },
	[UPPP_CAUSE_IDLE] = { "idle", "idle timeout" },
	[UPPP_CAUSE_INTERFACE] = { "interface", "could not create or configure the session interface" },
	[UPPP_CAUSE_DISCOVERY_TIMEOUT] = { "discovery-timeout", "no answer to PADI/PADR (Windows error 651/678)" },
};

const char *uppp_cause_name(enum uppp_cause c)
{
	return (unsigned)c < UPPP_CAUSE_COUNT ? causes[c].name : "unknown";
}

const char *uppp_cause_text(enum uppp_cause c)
{
	return (unsigned)c < UPPP_CAUSE_COUNT ? causes[c].text : "unknown cause";
}
