/* test/kernel/ping_packet.h — IPv4 packets built by hand (an ICMP echo
 * request, a UDP datagram), for the kernel tests that push packets through
 * TUNs (test_netif.c, test_sessif.c, test_host_batch.c, test_tunq.c). */
#ifndef UPPP_TEST_PING_PACKET_H
#define UPPP_TEST_PING_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* RFC 1071 checksum of len bytes. */
static inline uint16_t test_csum16(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The 20-byte IPv4 header of a len-byte packet of protocol proto, src ->
 * dst (host byte order), TTL 64, checksummed, into p (its first 20 bytes
 * zeroed first). */
static inline void test_ipv4_header(uint8_t *p, size_t len, uint8_t proto, uint32_t src, uint32_t dst)
{
	uint16_t c;

	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;  /* TTL */
	p[9] = proto;
	for (int i = 0; i < 4; i++) {
		p[12 + i] = (uint8_t)(src >> (24 - 8 * i));
		p[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
	}
	c = test_csum16(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
}

/* Echo request src -> dst (host byte order) with id and seq and 16 bytes of
 * data, into p (at least 44 bytes). Returns its length, 44. */
static inline size_t test_build_ping(uint8_t *p, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq)
{
	const size_t len = 20 + 8 + 16;
	uint16_t c;

	memset(p, 0, len);
	test_ipv4_header(p, len, 1 /* ICMP */, src, dst);
	p[20] = 8;  /* echo request */
	p[24] = (uint8_t)(id >> 8);
	p[25] = (uint8_t)id;
	p[26] = (uint8_t)(seq >> 8);
	p[27] = (uint8_t)seq;
	for (int i = 0; i < 16; i++)
		p[28 + i] = (uint8_t)('a' + i);
	c = test_csum16(p + 20, len - 20);
	p[22] = (uint8_t)(c >> 8);
	p[23] = (uint8_t)c;
	return len;
}

/* UDP datagram src -> dst:dport (host byte order, source port 40000)
 * carrying text, without UDP checksum (IPv4 allows none), into p (at least
 * 28 + strlen(text) bytes). Returns its length. */
static inline size_t test_build_udp(uint8_t *p, uint32_t src, uint32_t dst, uint16_t dport, const char *text)
{
	size_t tl = strlen(text), len = 20 + 8 + tl;

	test_ipv4_header(p, len, 17 /* UDP */, src, dst);
	memset(p + 20, 0, 8);
	p[20] = 40000 >> 8;
	p[21] = 40000 & 0xff;
	p[22] = (uint8_t)(dport >> 8);
	p[23] = (uint8_t)dport;
	p[24] = (uint8_t)((8 + tl) >> 8);
	p[25] = (uint8_t)(8 + tl);
	memcpy(p + 28, text, tl);
	return len;
}

#endif
