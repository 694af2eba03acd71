/* proto/mss.c — TCP MSS clamping (see mss.h). */
#include "proto/mss.h"

#include <errno.h>
#include <stdbool.h>

#include "core/buf.h"

#define IPPROTO_TCP_NUM 6
#define TCP_FLAG_SYN 0x02
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_MSS_LEN 4
/* 40 bytes of options hold at most 10 MSS options of 4 bytes. */
#define MAX_MSS_OPTS 10

static uint16_t swap16(uint16_t v) { return (uint16_t)(v << 8 | v >> 8); }

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), in one's complement arithmetic.
 * m and m' are the old and new values of one 16-bit word of the sum. */
static uint16_t csum_replace16(uint16_t hc, uint16_t m, uint16_t m_new)
{
	uint32_t sum = (uint16_t)~hc;
	sum += (uint16_t)~m;
	sum += m_new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Walks the TCP options (RFC 9293 §3.1) and records where each MSS value
 * sits (offset from the TCP header) when it is larger than max_mss. */
static int find_large_mss(const uint8_t *tcp, size_t doff, uint16_t max_mss, size_t *at, size_t *n_at)
{
	struct uppp_reader r = uppp_reader(tcp + 20, doff - 20);
	*n_at = 0;
	while (r.left > 0) {
		size_t kind_off = (size_t)(r.p - tcp);
		uint8_t kind, olen;
		uppp_rd_u8(&r, &kind);
		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP)
			continue;
		if (uppp_rd_u8(&r, &olen) < 0)
			return -EINVAL;          /* kind without a length byte */
		if (olen < 2)
			return -EINVAL;          /* 0 or 1 would never advance */
		struct uppp_reader body;
		if (uppp_rd_sub(&r, olen - 2u, &body) < 0)
			return -EINVAL;          /* runs past the TCP header */
		if (kind != TCPOPT_MSS)
			continue;
		uint16_t mss;
		if (olen != TCPOPT_MSS_LEN || uppp_rd_be16(&body, &mss) < 0)
			return -EINVAL;
		if (mss > max_mss && *n_at < MAX_MSS_OPTS)
			at[(*n_at)++] = kind_off + 2;
	}
	return 0;
}

int uppp_mss_clamp(uint8_t *ip, size_t len, uint16_t max_mss)
{
	struct uppp_reader r = uppp_reader(ip, len);
	uint8_t ver_ihl, proto;
	uint16_t total, frag;

	if (uppp_rd_u8(&r, &ver_ihl) < 0)
		return -EINVAL;
	if (ver_ihl >> 4 != 4)
		return 0;
	size_t ihl = (size_t)(ver_ihl & 0x0f) * 4;
	if (ihl < 20 || ihl > len)
		return -EINVAL;
	/* ihl <= len and ihl >= 20: the fixed header is readable. */
	uppp_rd_skip(&r, 1);
	uppp_rd_be16(&r, &total);
	uppp_rd_skip(&r, 2);
	uppp_rd_be16(&r, &frag);
	uppp_rd_skip(&r, 1);
	uppp_rd_u8(&r, &proto);
	if (total < ihl || total > len)
		return -EINVAL;
	if (proto != IPPROTO_TCP_NUM)
		return 0;
	if (frag & 0x1fff)
		return 0;                        /* not the first fragment: no TCP header here */

	uint8_t *tcp = ip + ihl;
	size_t tcp_len = total - ihl;
	if (tcp_len < 20)
		return -EINVAL;
	/* Data offset: the high 4 bits of byte 12, in 32-bit words. */
	size_t doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || doff > tcp_len)
		return -EINVAL;
	if (!(tcp[13] & TCP_FLAG_SYN))
		return 0;

	size_t at[MAX_MSS_OPTS], n_at;
	int err = find_large_mss(tcp, doff, max_mss, at, &n_at);
	if (err < 0)
		return err;
	if (n_at == 0)
		return 0;

	uint16_t csum = uppp_get_be16(tcp + 16);
	for (size_t i = 0; i < n_at; i++) {
		uint16_t old = uppp_get_be16(tcp + at[i]);
		/* A value at an odd offset straddles two checksum words: its bytes
		 * count byte-swapped in the one's complement sum. */
		bool odd = at[i] & 1;
		csum = csum_replace16(csum, odd ? swap16(old) : old, odd ? swap16(max_mss) : max_mss);
		uppp_put_be16(tcp + at[i], max_mss);
	}
	uppp_put_be16(tcp + 16, csum);
	return 1;
}
