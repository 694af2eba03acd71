/* cli/doctor_parse.c — the pure pieces of `uppp doctor`: parsing the lines
 * of /proc/net/packet and /proc/net/route, the text of `nft list ruleset`,
 * a secrets file's entries, and the arithmetic on address ranges. No I/O. */
#include "cli/doctor.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *doctor_ip_str(uint32_t ip, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return buf;
}

/* "A.B.C.D" → host order; 0 or -EINVAL. Exactly four decimal parts. */
static int parse_ip(const char *s, size_t len, uint32_t *out)
{
	char tmp[16];
	struct in_addr a;

	if (len == 0 || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, &a) != 1)
		return -EINVAL;
	*out = ntohl(a.s_addr);
	return 0;
}

static struct doctor_range prefix_range(uint32_t addr, unsigned len)
{
	uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);
	return (struct doctor_range){ .lo = addr & mask, .hi = (addr & mask) | ~mask };
}

int doctor_parse_cidr(const char *s, struct doctor_range *out)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t addr;
	unsigned long len = 32;

	if (parse_ip(s, alen, &addr) < 0)
		return -EINVAL;
	if (slash) {
		char *end;
		if (!isdigit((unsigned char)slash[1]))
			return -EINVAL;
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (errno || *end || len > 32)
			return -EINVAL;
	}
	*out = prefix_range(addr, (unsigned)len);
	return 0;
}

unsigned doctor_mru_for_mtu(unsigned mtu)
{
	if (mtu <= 8)
		return 0;
	return mtu - 8 > 1492 ? 1492 : mtu - 8;
}

int doctor_parse_packet_line(const char *line, struct doctor_packet_sock *out)
{
	/* sk RefCnt Type Proto Iface R Rmem User Inode (net/packet/af_packet.c) */
	unsigned refcnt, type, proto, running, user;
	int ifindex;
	unsigned long rmem, inode;
	char sk[40];

	if (sscanf(line, "%39s %u %u %x %d %u %lu %u %lu", sk, &refcnt, &type, &proto, &ifindex, &running, &rmem,
		   &user, &inode) != 9)
		return -EINVAL;
	if (!isxdigit((unsigned char)sk[0]))
		return -EINVAL;
	out->proto = proto;
	out->ifindex = ifindex;
	out->inode = inode;
	return 0;
}

int doctor_parse_route_line(const char *line, struct doctor_route *out)
{
	/* Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT;
	 * the addresses are the kernel's big-endian words printed as numbers. */
	unsigned dst, gw, flags, mask;
	int refcnt, use, metric;

	if (sscanf(line, "%31s %x %x %x %d %d %d %x", out->ifname, &dst, &gw, &flags, &refcnt, &use, &metric,
		   &mask) != 8)
		return -EINVAL;
	uint32_t m = ntohl(mask);
	unsigned len = 0;
	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	if (len < 32 && (m << len) != 0)
		return -EINVAL;   /* not a contiguous mask */
	out->prefix_len = len;
	out->dst = prefix_range(ntohl(dst), len);
	out->gateway = ntohl(gw);
	out->up = (flags & 0x1) != 0;   /* RTF_UP */
	return 0;
}

unsigned doctor_secrets_entries(const char *text)
{
	unsigned n = 0;

	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		size_t i = 0;
		while (i < len && isspace((unsigned char)p[i]))
			i++;
		if (i < len && p[i] != '#')
			n++;
		p += len + (eol != NULL);
	}
	return n;
}

/* ---- nft list ruleset ---------------------------------------------- */

#define NFT_MAX_TOKENS 256
#define NFT_MAX_ELEMS 64

struct nft_line {
	const char *tok[NFT_MAX_TOKENS];
	size_t toklen[NFT_MAX_TOKENS];
	unsigned n;
};

/* Splits one line at white space; ',' ends a token too. Quoted strings stay
 * one token (a comment "a b" is not two words of the rule). */
static void tokenize(const char *p, size_t len, struct nft_line *t)
{
	size_t i = 0;

	t->n = 0;
	while (i < len && t->n < NFT_MAX_TOKENS) {
		while (i < len && (isspace((unsigned char)p[i]) || p[i] == ','))
			i++;
		if (i >= len)
			break;
		size_t start = i;
		if (p[i] == '"') {
			for (i++; i < len && p[i] != '"'; i++)
				;
			if (i < len)
				i++;
		} else {
			while (i < len && !isspace((unsigned char)p[i]) && p[i] != ',')
				i++;
		}
		t->tok[t->n] = p + start;
		t->toklen[t->n] = i - start;
		t->n++;
	}
}

static bool tok_is(const struct nft_line *t, unsigned i, const char *word)
{
	return i < t->n && t->toklen[i] == strlen(word) && !memcmp(t->tok[i], word, t->toklen[i]);
}

/* One element of a source match: "A.B.C.D", "A.B.C.D/N" or "A-B". */
static int parse_elem(const char *s, size_t len, struct doctor_range *out)
{
	const char *dash = memchr(s, '-', len);
	const char *slash = memchr(s, '/', len);
	uint32_t a, b;

	if (dash) {
		if (parse_ip(s, (size_t)(dash - s), &a) < 0 ||
		    parse_ip(dash + 1, len - (size_t)(dash - s) - 1, &b) < 0 || b < a)
			return -EINVAL;
		*out = (struct doctor_range){ a, b };
		return 0;
	}
	if (slash) {
		char tmp[24];
		if (len >= sizeof(tmp))
			return -EINVAL;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		return doctor_parse_cidr(tmp, out);
	}
	if (parse_ip(s, len, &a) < 0)
		return -EINVAL;
	*out = (struct doctor_range){ a, a };
	return 0;
}

/* Whether the union of elems holds every address of pool. */
static bool union_covers(const struct doctor_range *e, unsigned n, struct doctor_range pool)
{
	uint64_t cur = pool.lo;

	while (cur <= pool.hi) {
		uint64_t next = cur;
		for (unsigned i = 0; i < n; i++)
			if (e[i].lo <= cur && cur <= e[i].hi && (uint64_t)e[i].hi + 1 > next)
				next = (uint64_t)e[i].hi + 1;
		if (next == cur)
			return false;
		cur = next;
	}
	return true;
}

enum saddr_verdict { SADDR_COVERS, SADDR_MISSES, SADDR_NAMED_SET };

/* The `ip saddr [!=|==] VALUE` match starting at token i ("ip"). */
static enum saddr_verdict judge_saddr(const struct nft_line *t, unsigned i, struct doctor_range pool)
{
	struct doctor_range elems[NFT_MAX_ELEMS];
	unsigned n = 0;
	bool negated = false;

	i += 2;
	if (tok_is(t, i, "!=")) {
		negated = true;
		i++;
	} else if (tok_is(t, i, "==")) {
		i++;
	}
	if (i >= t->n)
		return SADDR_MISSES;
	if (t->tok[i][0] == '@')
		return SADDR_NAMED_SET;
	if (tok_is(t, i, "{")) {
		for (i++; i < t->n && !tok_is(t, i, "}"); i++) {
			if (n == NFT_MAX_ELEMS || parse_elem(t->tok[i], t->toklen[i], &elems[n]) < 0)
				return SADDR_MISSES;   /* what we cannot read, we do not vouch for */
			n++;
		}
	} else if (parse_elem(t->tok[i], t->toklen[i], &elems[n]) == 0) {
		n++;
	} else {
		return SADDR_MISSES;
	}
	if (negated) {
		for (unsigned k = 0; k < n; k++)
			if (doctor_ranges_overlap(elems[k], pool))
				return SADDR_MISSES;
		return SADDR_COVERS;
	}
	return union_covers(elems, n, pool) ? SADDR_COVERS : SADDR_MISSES;
}

/* A rule line with a masquerade or snat statement; not a chain, set or map
 * that happens to be named so, nor a jump to one. */
static bool is_source_nat(const struct nft_line *t)
{
	static const char *const not_rules[] = { "chain", "set", "map", "flowtable", "type", "policy", "elements",
						 "flags", "}" };

	for (size_t k = 0; k < sizeof(not_rules) / sizeof(not_rules[0]); k++)
		if (tok_is(t, 0, not_rules[k]))
			return false;
	for (unsigned i = 0; i < t->n; i++) {
		bool named_by = i > 0 && (tok_is(t, i - 1, "jump") || tok_is(t, i - 1, "goto"));
		if ((tok_is(t, i, "masquerade") || tok_is(t, i, "snat")) && !named_by)
			return true;
		/* iptables-nft's compat targets: xt target "MASQUERADE" */
		if (tok_is(t, i, "xt") && tok_is(t, i + 1, "target") &&
		    (tok_is(t, i + 2, "\"MASQUERADE\"") || tok_is(t, i + 2, "\"SNAT\"") ||
		     tok_is(t, i + 2, "MASQUERADE") || tok_is(t, i + 2, "SNAT")))
			return true;
	}
	return false;
}

static void copy_trimmed(const char *p, size_t len, char *out, size_t cap)
{
	size_t o = 0;

	while (len && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	for (size_t i = 0; i < len && o + 1 < cap; i++)
		out[o++] = isprint((unsigned char)p[i]) ? p[i] : '?';
	if (cap)
		out[o] = '\0';
}

int doctor_nft_covers(const char *ruleset, struct doctor_range pool, char *what, size_t whatcap)
{
	struct nft_line t;
	bool ipv4_table = false;

	if (whatcap)
		what[0] = '\0';
	for (const char *p = ruleset; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		tokenize(p, len, &t);
		if (tok_is(&t, 0, "table") && t.n >= 3)
			ipv4_table = tok_is(&t, 1, "ip") || tok_is(&t, 1, "inet");
		else if (ipv4_table && is_source_nat(&t)) {
			bool covers = true, named = false;
			for (unsigned i = 0; i + 1 < t.n; i++) {
				if (!tok_is(&t, i, "ip") || !tok_is(&t, i + 1, "saddr"))
					continue;
				enum saddr_verdict v = judge_saddr(&t, i, pool);
				if (v == SADDR_MISSES)
					covers = false;
				else if (v == SADDR_NAMED_SET)
					named = true;
			}
			if (covers) {
				char rule[240];
				copy_trimmed(p, len, rule, sizeof(rule));
				if (whatcap)
					snprintf(what, whatcap, "%s%s", rule,
						 named ? " (its source is a named set: taken as covering the pool)" : "");
				return 1;
			}
		}
		p += len + (eol != NULL);
	}
	return 0;
}
