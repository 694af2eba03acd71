/* proto/mss.h — TCP MSS clamping for IPv4 packets crossing a PPPoE link.
 *
 * A PPPoE link's MTU (1492 or less) is smaller than Ethernet's, and hosts
 * behind it announce an MSS that only fits 1500. Rewriting the MSS option of
 * every SYN and SYN-ACK, in both directions, to at most (link MTU - 40) keeps
 * TCP from depending on path-MTU discovery (often broken by ICMP filters).
 * Pure: no syscalls, works in place. */
#ifndef UPPP_PROTO_MSS_H
#define UPPP_PROTO_MSS_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 + TCP header without options: the usual "MTU - 40". */
#define UPPP_MSS_OVERHEAD 40u

/* If ip[0..len) is an IPv4 TCP segment with SYN set (SYN or SYN-ACK) whose
 * MSS option is larger than max_mss, rewrites it to max_mss and updates the
 * TCP checksum incrementally (RFC 1624). Returns 1 when rewritten, 0 when not
 * applicable (not IPv4, not TCP, no SYN, a non-first fragment, no MSS option,
 * MSS already <= max_mss), -EINVAL when the headers are malformed (bad IHL,
 * total length, TCP data offset, or an option running past the header). The
 * packet is untouched unless 1 is returned. Bytes past the IPv4 total length
 * (link padding) are ignored. */
int uppp_mss_clamp(uint8_t *ip, size_t len, uint16_t max_mss);

#endif
