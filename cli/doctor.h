/* cli/doctor.h — `uppp doctor`: checks what makes PPPoE clients fail before
 * they reach uppp (the interface, forwarding, NAT, another server, the
 * secrets files, the pool against the routes) and says what to do.
 *
 * doctor.c does the reading (sysfs, procfs, getifaddrs, `nft` as a child);
 * doctor_parse.c holds the pure pieces it decides with — text in, verdict
 * out, no I/O — so that test/unit/test_doctor_parse.c can pin them. */
#ifndef UPPP_CLI_DOCTOR_H
#define UPPP_CLI_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit status: the number of problems found, at most this; above it,
 * doctor could not run (a bad command line, out of memory). */
#define DOCTOR_MAX_PROBLEMS 125
#define DOCTOR_EXIT_CANNOT_RUN 126

/* `uppp doctor ARGS` (argv[0] is "doctor"); returns the exit status. */
int doctor_main(int argc, char **argv);

/* An IPv4 range, host byte order, lo <= hi. */
struct doctor_range {
	uint32_t lo, hi;
};

/* "A.B.C.D/N" (N 0..32; "A.B.C.D" alone is /32) → the whole prefix.
 * 0, or -EINVAL. */
int doctor_parse_cidr(const char *s, struct doctor_range *out);

/* The PPPoE MRU a client is offered on an Ethernet with this MTU: MTU − 8
 * (the PPPoE header and the PPP protocol field), at most 1492 (RFC 2516 §7). */
unsigned doctor_mru_for_mtu(unsigned mtu);

static inline bool doctor_ranges_overlap(struct doctor_range a, struct doctor_range b)
{
	return a.lo <= b.hi && b.lo <= a.hi;
}

/* One line of /proc/net/packet (not the header): a packet socket. */
struct doctor_packet_sock {
	unsigned proto;     /* the ethertype it is bound to, host order (3 = ETH_P_ALL) */
	int ifindex;        /* 0 = every interface */
	unsigned long inode;
};

/* 0, or -EINVAL for the header or a line that does not parse. */
int doctor_parse_packet_line(const char *line, struct doctor_packet_sock *out);

/* One line of /proc/net/route (not the header): a route of the main table. */
struct doctor_route {
	char ifname[32];
	struct doctor_range dst;   /* destination & mask as a range */
	unsigned prefix_len;
	uint32_t gateway;          /* host order, 0 = on-link */
	bool up;                   /* RTF_UP */
};

/* 0, or -EINVAL. */
int doctor_parse_route_line(const char *line, struct doctor_route *out);

/* Whether `nft list ruleset` (the text form; iptables-nft's rules appear in
 * it too) has an IPv4 masquerade or SNAT rule whose source match covers the
 * whole pool. A rule without an `ip saddr` match covers every source;
 * `ip saddr != X` covers the pool when X does not touch it; a named set
 * (`@name`) cannot be judged from the rule and is taken as covering (with a
 * note in *what). Rules in ip6, arp, bridge and netdev tables do not count.
 * Returns 1 (and the rule, trimmed, in what), or 0 (what empty). */
int doctor_nft_covers(const char *ruleset, struct doctor_range pool, char *what, size_t whatcap);

/* Whether a secrets file with this mode is a problem: any permission for
 * its group or other users — what `uppp server` itself warns about
 * (event=secrets-exposed), so that doctor and server agree; pppd's files
 * are 0600. */
static inline bool doctor_secrets_mode_bad(mode_t mode)
{
	return (mode & 0077) != 0;
}

/* How many entries (non-empty, non-comment lines) a secrets file's text has. */
unsigned doctor_secrets_entries(const char *text);

/* "10.0.0.2" for an address in host order; buf holds at least 16 bytes. */
const char *doctor_ip_str(uint32_t ip, char *buf);

#endif
