/* fuzz_mss.c — the TCP MSS clamp.
 *
 * Input: 2 bytes of maximum MSS, then an IPv4 packet. Oracles: the packet
 * is untouched unless 1 is returned; when it was rewritten, only MSS values
 * among the TCP options and the checksum changed, changed bytes are bytes of
 * max_mss, and a TCP checksum that was right stays right. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "fuzz_common.h"
#include "proto/mss.h"

/* Ones'-complement sum over the TCP pseudo-header and segment; 0xffff when
 * the checksum is right. Only called on packets the clamp accepted. */
static uint16_t tcp_sum(const uint8_t *ip, size_t ihl, size_t total)
{
	uint32_t sum = 0;
	size_t tcp_len = total - ihl;

	for (int i = 12; i < 20; i += 2)
		sum += uppp_get_be16(ip + i);
	sum += 6 + (uint32_t)tcp_len;
	for (size_t i = 0; i + 1 < tcp_len; i += 2)
		sum += uppp_get_be16(ip + ihl + i);
	if (tcp_len & 1)
		sum += (uint32_t)ip[ihl + tcp_len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *pkt, *orig;
	uint16_t max_mss;
	size_t len;
	int r;

	if (size < 2)
		return 0;
	max_mss = uppp_get_be16(data);
	len = size - 2;
	pkt = malloc(len ? len : 1);   /* exact size: ASan sees any read past the end */
	orig = malloc(len ? len : 1);
	FUZZ_CHECK(pkt && orig);
	memcpy(pkt, data + 2, len);
	memcpy(orig, data + 2, len);

	r = uppp_mss_clamp(pkt, len, max_mss);
	FUZZ_CHECK(r == 1 || r == 0 || r < 0);
	if (r != 1) {
		FUZZ_CHECK(memcmp(pkt, orig, len) == 0);
	} else {
		size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
		size_t total = uppp_get_be16(pkt + 2);
		FUZZ_CHECK(len >= 20 && total <= len && ihl >= 20 && total >= ihl + 20);
		/* Only the checksum and MSS values among the options may change
		 * (every MSS option above max_mss is rewritten). */
		size_t doff = (size_t)(pkt[ihl + 12] >> 4) * 4, changed = 0;
		for (size_t i = 0; i < len; i++) {
			if (pkt[i] == orig[i])
				continue;
			changed++;
			FUZZ_CHECK((i >= ihl + 16 && i < ihl + 18) || (i >= ihl + 20 && i < ihl + doff));
			if (i >= ihl + 20)   /* an MSS value: now max_mss */
				FUZZ_CHECK(pkt[i] == (max_mss >> 8) || pkt[i] == (max_mss & 0xff));
		}
		FUZZ_CHECK(changed >= 1);
		if (tcp_sum(orig, ihl, total) == 0xffff)
			FUZZ_CHECK(tcp_sum(pkt, ihl, total) == 0xffff);
	}
	free(pkt);
	free(orig);
	return 0;
}
