/* proto/decode.h — one control packet as one line of text, for `debug` logs.
 *
 * The form is the one pppd users know:
 *     [LCP ConfReq id=0x1 <mru 1492> <magic 0x1234abcd>]
 *     [IPCP ConfNak id=0x2 <addr 10.0.0.7> <ms-dns1 10.0.0.1>]
 *     [CHAP Response id=0x5 ms-chapv2 peer-challenge=<16 bytes hex> nt-response=<hidden> flags=0x00 name="alice"]
 *     [PADI sess=0x0000 <service-name ""> <host-uniq 0x0a0b0c0d>]
 * The host adds "rcvd " or "sent " in front.
 *
 * Peer strings are escaped (core/escape.h). Secrets are never printed: the
 * PAP password, the CHAP-MD5 response value and the MS-CHAPv2 NT-Response
 * show as <hidden>. Malformed input prints what could be read, then
 * "<truncated>" (or "<bad length N>"). The output is bounded by cap: a line
 * that does not fit ends in "..." and is always NUL-terminated (cap > 0).
 * Pure: no syscalls, no allocation, no state. */
#ifndef UPPP_PROTO_DECODE_H
#define UPPP_PROTO_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* A buffer this large holds any decoded line without "..." in practice. */
#define UPPP_DECODE_LINE_MAX 640

/* One PPP packet as a PPPoE session carries it: the 2-byte protocol field,
 * then the information field. LCP, IPCP, PAP and CHAP (CHAP-MD5 and
 * MS-CHAPv2) are decoded field by field; CCP, IPv6CP and other control
 * protocols as name, code, id and length; data protocols as name and
 * length. Returns out. */
char *uppp_decode_ppp(const uint8_t *pkt, size_t len, char *out, size_t cap);

/* One PPPoE discovery packet: the code and session id from the PPPoE
 * header and the payload (the tags). Returns out. */
char *uppp_decode_discovery(uint8_t code, uint16_t session_id, const uint8_t *tags, size_t len,
			    char *out, size_t cap);

/* A whole Ethernet frame, 0x8863 (discovery) or 0x8864 (session, decoded
 * as uppp_decode_ppp). Returns out. */
char *uppp_decode_frame(const uint8_t *frame, size_t len, char *out, size_t cap);

#endif
