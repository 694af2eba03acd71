/* config/options_table.c — the tables of config/options.h: every pppd option and
 * pppoe-server flag uppp knows, with what it does with each. The docs
 * (docs/migrating-from-rp-pppoe.md) are checked against these tables by
 * test/unit/test_options_doc.c, so a change here must be made there too. */
#include "config/options.h"

#include <string.h>

#define S UPPP_OPT_SUPPORTED
#define N UPPP_OPT_NOTICE
#define W UPPP_OPT_WARNING
#define E UPPP_OPT_ERROR

const struct uppp_opt_info uppp_pppd_options[] = {
	/* authentication */
	{ "require-pap", false, S, "clients must authenticate with PAP (with other require-*: any of them)" },
	{ "+pap", false, S, "same as require-pap" },
	{ "require-chap", false, S, "clients must authenticate with CHAP-MD5 (with other require-*: any of them)" },
	{ "+chap", false, S, "same as require-chap" },
	{ "require-mschap-v2", false, S, "clients must authenticate with MS-CHAPv2 (with other require-*: any of them)" },
	{ "+mschap-v2", false, S, "same as require-mschap-v2" },
	{ "require-mschap", false, W, "MS-CHAP v1 is not implemented: ignored when another protocol is required, an error when it is the only one" },
	{ "+mschap", false, W, "same as require-mschap" },
	{ "require-eap", false, E, "EAP is not implemented; uppp cannot require it" },
	{ "+eap", false, E, "same as require-eap" },
	{ "auth", false, S, "require authentication (CHAP-MD5 or PAP when no require-* option says which)" },
	{ "noauth", false, S, "no authentication: any client gets an address" },
	{ "login", false, S, "PAP passwords are also checked against the system accounts (getpwnam + shadow hash)" },
	{ "papcrypt", false, E, "pap-secrets holding crypt() hashes are not supported" },
	{ "refuse-pap", false, N, "uppp never authenticates itself to its clients" },
	{ "-pap", false, N, "same as refuse-pap" },
	{ "refuse-chap", false, N, "uppp never authenticates itself to its clients" },
	{ "-chap", false, N, "same as refuse-chap" },
	{ "refuse-mschap", false, N, "uppp never authenticates itself to its clients" },
	{ "-mschap", false, N, "same as refuse-mschap" },
	{ "refuse-mschap-v2", false, N, "uppp never authenticates itself to its clients" },
	{ "-mschap-v2", false, N, "same as refuse-mschap-v2" },
	{ "refuse-eap", false, N, "uppp never authenticates itself to its clients" },
	{ "-eap", false, N, "same as refuse-eap" },
	{ "name", true, S, "our name: the server column matched in the secrets file and the name in CHAP challenges" },
	{ "usehostname", false, N, "the host name is uppp's default name already" },
	{ "domain", true, W, "not supported: the domain is not appended to the host name" },
	{ "remotename", true, N, "a client-side option: a server learns the peer's name from authentication" },
	{ "user", true, N, "a client-side option (the name we authenticate with)" },
	{ "password", true, N, "a client-side option (the password we authenticate with)" },
	{ "hide-password", false, N, "uppp never logs passwords" },
	{ "show-password", false, N, "uppp never logs passwords" },
	{ "chapms-strip-domain", false, N, "uppp already tries 'user' after 'DOMAIN\\user' for MS-CHAPv2" },
	{ "plugin", true, S, "rp-pppoe.so / pppoe.so: uppp speaks PPPoE itself (notice); any other plugin (radius.so ...) is an error" },
	/* LCP */
	{ "lcp-echo-interval", true, S, "seconds between LCP Echo-Requests (0 = off)" },
	{ "lcp-echo-failure", true, S, "Echo-Requests sent over as many silent intervals; the session ends when the next interval is silent too" },
	{ "lcp-echo-adaptive", false, N, "uppp counts any packet from the peer as a sign of life already" },
	{ "lcp-restart", true, S, "seconds between Configure-Request retransmissions (LCP, IPCP, auth)" },
	{ "lcp-max-configure", true, S, "Configure-Requests sent before giving up" },
	{ "lcp-max-terminate", true, S, "Terminate-Requests sent before giving up" },
	{ "lcp-max-failure", true, S, "Configure-Naks sent before rejecting instead; also Naks received in one negotiation before they are taken as Rejects (pppd's maxnakloops) and Configure-Requests sent at once in answer to the peer before the rest wait for lcp-restart" },
	{ "negotiation-timeout", true, S, "uppp's own (pppd has none): seconds from PADS, and from a renegotiation, to IPCP up; then the session ends, cause negotiation-timeout (default 60, 0 = no limit)" },
	{ "mru", true, S, "the MRU uppp asks for (at most 1492 on PPPoE, RFC 2516 §7, and at most the interface MTU - 8; lowered with a warning)" },
	{ "mtu", true, S, "caps the session interface MTU (and the MSS clamp) below the peer's MRU; at most the interface MTU - 8 (lowered with a warning)" },
	{ "nomagic", false, W, "uppp always negotiates a magic number (loop detection)" },
	{ "default-mru", false, W, "not supported: uppp asks for its MRU (1492 unless mru says otherwise)" },
	{ "silent", false, W, "not supported: uppp sends its Configure-Request first" },
	{ "passive", false, W, "not supported: uppp sends its Configure-Request first" },
	{ "-p", false, W, "same as passive" },
	{ "receive-all", false, N, "no async control-character map on PPPoE" },
	{ "noaccomp", false, N, "uppp never negotiates address/control field compression (RFC 2516 §7)" },
	{ "-ac", false, N, "same as noaccomp" },
	{ "nopcomp", false, N, "uppp never negotiates protocol field compression" },
	{ "-pc", false, N, "same as nopcomp" },
	{ "asyncmap", true, N, "no async map on PPPoE (RFC 2516 §7)" },
	{ "default-asyncmap", false, N, "no async map on PPPoE (RFC 2516 §7)" },
	{ "-am", false, N, "same as default-asyncmap" },
	{ "escape", true, N, "no character escaping on PPPoE" },
	{ "multilink", false, W, "multilink PPP is not supported" },
	{ "mp", false, W, "same as multilink" },
	{ "nomultilink", false, N, "uppp never negotiates multilink" },
	{ "nomp", false, N, "same as nomultilink" },
	{ "mrru", true, W, "multilink PPP is not supported" },
	{ "mpshortseq", false, W, "multilink PPP is not supported" },
	{ "endpoint", true, W, "multilink PPP is not supported" },
	{ "noendpoint", false, N, "uppp never sends an endpoint discriminator" },
	/* IPCP and addresses */
	{ "ms-dns", true, S, "DNS server offered to clients (RFC 1877); give twice for a second one" },
	{ "ms-wins", true, S, "WINS/NBNS server offered to clients (RFC 1877); give twice for a second one" },
	{ "local", false, N, "no modem control lines on PPPoE" },
	{ "modem", false, N, "no modem control lines on PPPoE" },
	{ "defaultroute", false, N, "a server adds no default route through its clients (no-op)" },
	{ "nodefaultroute", false, N, "uppp adds no default route" },
	{ "-defaultroute", false, N, "same as nodefaultroute" },
	{ "replacedefaultroute", false, N, "a server adds no default route through its clients (no-op)" },
	{ "noreplacedefaultroute", false, N, "uppp adds no default route" },
	{ "defaultroute-metric", true, N, "uppp adds no default route" },
	{ "noipdefault", false, N, "our address comes from -L, never from the host name" },
	{ "ipcp-accept-local", false, W, "not supported: our address is always -L" },
	{ "ipcp-accept-remote", false, W, "not supported: clients always get the address uppp assigns" },
	{ "noremoteip", false, W, "not supported: clients always get an address" },
	{ "proxyarp", false, W, "not supported: add the route or ARP entry yourself" },
	{ "noproxyarp", false, N, "uppp never adds proxy ARP entries" },
	{ "-proxyarp", false, N, "same as noproxyarp" },
	{ "netmask", true, W, "not supported: session interfaces are point-to-point /32" },
	{ "usepeerdns", false, N, "a client-side option" },
	{ "ipparam", true, S, "passed to every script as its last argument (and as IPPARAM)" },
	{ "allow-ip", true, N, "clients never choose their address with uppp" },
	{ "noip", false, E, "uppp only carries IPv4: a link without IPCP would be useless" },
	{ "-ip", false, E, "same as noip" },
	{ "noipv6", false, N, "uppp does not negotiate IPv6CP (the peer's IPv6CP is Protocol-Rejected)" },
	{ "-ipv6", false, N, "same as noipv6" },
	{ "+ipv6", false, W, "IPv6CP is not supported: IPv6 is not carried" },
	{ "ipv6", true, W, "IPv6CP is not supported: IPv6 is not carried" },
	{ "ipcp-restart", true, W, "not supported separately: lcp-restart applies to IPCP too" },
	{ "ipcp-max-configure", true, W, "not supported separately: lcp-max-configure applies to IPCP too" },
	{ "ipcp-max-terminate", true, W, "not supported separately: lcp-max-terminate applies to IPCP too" },
	{ "ipcp-max-failure", true, W, "not supported separately: lcp-max-failure applies to IPCP too" },
	{ "pap-restart", true, W, "not supported: lcp-restart applies to PAP too" },
	{ "pap-max-authreq", true, W, "not supported: uppp's default (10) applies" },
	{ "pap-timeout", true, W, "not supported: clients have 30 s to authenticate" },
	{ "chap-restart", true, W, "not supported: lcp-restart applies to CHAP too" },
	{ "chap-max-challenge", true, W, "not supported: uppp's default (10) applies" },
	{ "chap-interval", true, W, "not supported: no periodic re-challenge" },
	/* compression and encryption */
	{ "noccp", false, N, "uppp never negotiates compression (CCP is Protocol-Rejected)" },
	{ "-ccp", false, N, "same as noccp" },
	{ "novj", false, N, "uppp never negotiates Van Jacobson compression" },
	{ "-vj", false, N, "same as novj" },
	{ "novjccomp", false, N, "uppp never negotiates Van Jacobson compression" },
	{ "-vjccomp", false, N, "same as novjccomp" },
	{ "vj-max-slots", true, N, "uppp never negotiates Van Jacobson compression" },
	{ "nobsdcomp", false, N, "uppp never negotiates compression" },
	{ "nodeflate", false, N, "uppp never negotiates compression" },
	{ "nopredictor1", false, N, "uppp never negotiates compression" },
	{ "bsdcomp", true, W, "compression is not supported: data goes uncompressed" },
	{ "deflate", true, W, "compression is not supported: data goes uncompressed" },
	{ "predictor1", false, W, "compression is not supported: data goes uncompressed" },
	{ "nomppe", false, N, "uppp never negotiates MPPE" },
	{ "refuse-mppe", false, N, "uppp never negotiates MPPE" },
	{ "require-mppe", false, E, "MPPE encryption is not implemented: uppp cannot require it" },
	{ "require-mppe-40", false, E, "MPPE encryption is not implemented: uppp cannot require it" },
	{ "require-mppe-128", false, E, "MPPE encryption is not implemented: uppp cannot require it" },
	{ "mppe", true, E, "MPPE encryption is not implemented" },
	{ "mppe-stateful", false, E, "MPPE encryption is not implemented" },
	/* session limits and scripts */
	{ "idle", true, S, "close a session after this many seconds without IP data either way" },
	{ "busy-poll", true, S, "uppp's own (pppd has none): after any work, poll this many microseconds before sleeping (0..1000000, default 0 = off); lower latency for one core at 100 % while traffic flows and that long after it" },
	{ "maxconnect", true, W, "not supported: sessions have no time limit" },
	{ "active-filter", true, W, "not supported: every IP packet counts as activity for idle" },
	{ "pass-filter", true, W, "not supported: every packet passes" },
	{ "ip-up-script", true, S, "the script run when a session's IPCP opens (default DIR/ip-up of --options-dir, /etc/ppp/ip-up; run only when it exists), with pppd's arguments and environment, never waited for" },
	{ "ip-down-script", true, S, "the script run when a session's IP goes down, after its ip-up has exited (default /etc/ppp/ip-down)" },
	{ "ip-pre-up-script", true, S, "the script run when IPCP opens, before ip-up (default /etc/ppp/ip-pre-up); uppp does not hold the interface down while it runs" },
	{ "auth-up-script", true, S, "the script run when a client has authenticated (default /etc/ppp/auth-up)" },
	{ "auth-down-script", true, S, "the script run when a session that ran auth-up ends, after auth-up has exited (default /etc/ppp/auth-down)" },
	{ "hook-timeout", true, S, "uppp's own (pppd has none): a script still running after this many seconds gets SIGTERM, 5 s later SIGKILL (1..3600, default 60); the session is not affected" },
	{ "set", true, W, "not supported: scripts get pppd's variables only" },
	{ "connect", true, N, "no connect script on PPPoE" },
	{ "disconnect", true, N, "no disconnect script on PPPoE" },
	{ "init", true, N, "no init script on PPPoE" },
	{ "welcome", true, N, "no welcome script on PPPoE" },
	{ "ifname", true, W, "not supported: use uppp server --if-pattern" },
	{ "unit", true, W, "not supported: use uppp server --if-pattern" },
	{ "linkname", true, W, "not supported: uppp writes no per-link pid files" },
	{ "enable-session", false, W, "not supported: no utmp/wtmp or PAM session records" },
	/* serial lines, daemon control */
	{ "lock", false, N, "no serial device to lock" },
	{ "nolock", false, N, "no serial device to lock" },
	{ "crtscts", false, N, "no serial line flow control on PPPoE" },
	{ "nocrtscts", false, N, "no serial line flow control on PPPoE" },
	{ "-crtscts", false, N, "no serial line flow control on PPPoE" },
	{ "xonxoff", false, N, "no serial line flow control on PPPoE" },
	{ "sync", false, N, "PPPoE is synchronous PPP already" },
	{ "notty", false, N, "no serial device" },
	{ "pty", true, N, "uppp speaks PPPoE itself; there is no pty" },
	{ "persist", false, N, "a client-side option (redial)" },
	{ "demand", false, N, "a client-side option (dial on demand)" },
	{ "holdoff", true, N, "a client-side option (redial)" },
	{ "maxfail", true, N, "a client-side option (redial)" },
	{ "connect-delay", true, N, "a client-side option" },
	{ "nodetach", false, N, "uppp always runs in the foreground" },
	{ "-detach", false, N, "same as nodetach" },
	{ "updetach", false, N, "uppp always runs in the foreground" },
	{ "child-timeout", true, N, "uppp runs no child processes" },
	{ "ktune", false, N, "uppp changes no kernel settings" },
	{ "noktune", false, N, "uppp changes no kernel settings" },
	{ "kdebug", true, N, "there is no kernel PPP driver to debug" },
	{ "debug", false, S, "log every control packet and state change" },
	{ "-d", false, S, "same as debug" },
	{ "logfile", true, S, "append the log to this file (created 0600)" },
	{ "logfd", true, W, "not supported: use logfile" },
	{ "nolog", false, W, "not supported: uppp always logs (to stderr or logfile)" },
	{ "dump", false, W, "not supported" },
	{ "dryrun", false, W, "not supported" },
	{ "file", true, S, "read options from this file too (nested at most 8 deep)" },
	{ "call", true, W, "not supported on a server: name the file with `file`" },
	{ "pppoe-service", true, N, "a PPPoE client plugin option: use -S" },
	{ "rp_pppoe_service", true, N, "a PPPoE client plugin option: use -S" },
	{ "pppoe-ac", true, N, "a PPPoE client plugin option: use -C" },
	{ "rp_pppoe_ac", true, N, "a PPPoE client plugin option: use -C" },
	{ "pppoe-verbose", true, N, "a PPPoE client plugin option" },
	{ "rp_pppoe_verbose", true, N, "a PPPoE client plugin option" },
};
const size_t uppp_pppd_options_count = sizeof(uppp_pppd_options) / sizeof(uppp_pppd_options[0]);

const struct uppp_opt_info uppp_pppoe_server_flags[] = {
	{ "-I", true, S, "the Ethernet interface facing the clients (one per uppp process)" },
	{ "-L", true, S, "our address on every session" },
	{ "-R", true, S, "the first address handed to clients" },
	{ "-N", true, S, "number of client addresses, i.e. sessions" },
	{ "-S", true, S, "offer this Service-Name; repeatable (up to 8)" },
	{ "-C", true, S, "the AC-Name sent in PADO" },
	{ "-x", true, S, "sessions allowed per client MAC (0 = unlimited)" },
	{ "-O", true, S, "pppd options file read for every session (the pppd options language)" },
	{ "-m", true, S, "clamp TCP MSS to this value" },
	{ "-d", false, S, "debug logging" },
	{ "-F", false, S, "run in the foreground: uppp always does" },
	{ "-X", true, S, "write our process id to this file (removed on exit)" },
	{ "-i", false, S, "send no PADO when full: uppp always does" },
	{ "-h", false, S, "help" },
	{ "-r", false, N, "session ids are always random in uppp" },
	{ "-q", true, N, "path of pppd: uppp runs no pppd" },
	{ "-Q", true, N, "path of pppoe: uppp runs no pppoe" },
	{ "-k", false, N, "kernel-mode PPPoE: uppp runs in userspace and needs no kernel PPP" },
	{ "-s", false, N, "synchronous PPP: what PPPoE in uppp always is" },
	{ "-o", true, N, "session number offset: uppp picks random session ids over the whole range" },
	{ "-T", true, S, "idle timeout: close a session after this many seconds without IP data (uppp --idle)" },
	{ "-l", false, W, "not supported: -L is our address on every session" },
	{ "-u", true, W, "not supported: use --if-pattern for interface names" },
	{ "-M", true, W, "not supported: no PADM message is sent" },
	{ "-H", true, W, "not supported: no PADM URL is sent" },
	{ "-p", true, E, "address pool files are not supported: use -R and -N (and addresses in the secrets file)" },
	{ "-f", true, E, "non-standard Ethernet types are not supported (0x8863/0x8864 only)" },
};
const size_t uppp_pppoe_server_flags_count =
	sizeof(uppp_pppoe_server_flags) / sizeof(uppp_pppoe_server_flags[0]);

const struct uppp_opt_info *uppp_pppd_option_find(const char *name)
{
	for (size_t i = 0; i < uppp_pppd_options_count; i++)
		if (!strcmp(uppp_pppd_options[i].name, name))
			return &uppp_pppd_options[i];
	return NULL;
}

const struct uppp_opt_info *uppp_pppoe_server_flag_find(char flag)
{
	for (size_t i = 0; i < uppp_pppoe_server_flags_count; i++)
		if (uppp_pppoe_server_flags[i].name[1] == flag)
			return &uppp_pppoe_server_flags[i];
	return NULL;
}

const char *uppp_opt_status_name(enum uppp_opt_status s)
{
	switch (s) {
	case UPPP_OPT_SUPPORTED: return "supported";
	case UPPP_OPT_NOTICE: return "notice";
	case UPPP_OPT_WARNING: return "warning";
	case UPPP_OPT_ERROR: return "error";
	}
	return "?";
}
