/* proto/pppoe.h — PPPoE (RFC 2516) frame codec: Ethernet + PPPoE header,
 * discovery tags, and builders for PADI/PADO/PADR/PADS/PADT and the session
 * header.
 *
 * Parsing never copies: results point into the received frame, which must
 * outlive them. Builders write through core/buf.h and return the frame
 * length or -EMSGSIZE. Pure: no syscalls, no allocation. */
#ifndef UPPP_PROTO_PPPOE_H
#define UPPP_PROTO_PPPOE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ppp_defs.h"

/* Codes (RFC 2516 §5) */
#define PPPOE_CODE_SESSION 0x00
#define PPPOE_CODE_PADO    0x07
#define PPPOE_CODE_PADI    0x09
#define PPPOE_CODE_PADR    0x19
#define PPPOE_CODE_PADS    0x65
#define PPPOE_CODE_PADT    0xa7

/* Tags (RFC 2516 Appendix A) */
#define PPPOE_TAG_END_OF_LIST        0x0000
#define PPPOE_TAG_SERVICE_NAME       0x0101
#define PPPOE_TAG_AC_NAME            0x0102
#define PPPOE_TAG_HOST_UNIQ          0x0103
#define PPPOE_TAG_AC_COOKIE          0x0104
#define PPPOE_TAG_VENDOR_SPECIFIC    0x0105
#define PPPOE_TAG_RELAY_SESSION_ID   0x0110
#define PPPOE_TAG_SERVICE_NAME_ERROR 0x0201
#define PPPOE_TAG_AC_SYSTEM_ERROR    0x0202
#define PPPOE_TAG_GENERIC_ERROR      0x0203

#define UPPP_PPPOE_FRAME_MAX (UPPP_ETH_HLEN + UPPP_PPPOE_HLEN + UPPP_PPPOE_MAX_PAYLOAD) /* 1514 */
/* RFC 2516 §5.1: a PADI (PPPoE header + tags) must not exceed 1484 octets,
 * leaving room for a relay to add Relay-Session-Id. */
#define UPPP_PPPOE_PADI_MAX 1484
/* Service-Name tags remembered from one packet (a PADO may offer several). */
#define UPPP_PPPOE_MAX_SERVICES 8

/* One received frame's headers. */
struct uppp_pppoe_frame {
	const uint8_t *dst;       /* 6 bytes */
	const uint8_t *src;       /* 6 bytes */
	uint16_t ethertype;       /* ETH_P_PPPOE_DISC or ETH_P_PPPOE_SESS */
	uint8_t code;
	uint16_t session_id;
	const uint8_t *payload;   /* PPPoE payload (tags, or the PPP packet) */
	uint16_t payload_len;     /* the PPPoE length field; Ethernet padding excluded */
};

/* Parses dst, src, ethertype (0x8863/0x8864 only) and the PPPoE header.
 * Frames may be unpadded (a 32-byte PADI is valid); bytes past the PPPoE
 * length are Ethernet padding and ignored. Returns 0, -EMSGSIZE (truncated,
 * or length field larger than what was received), -EPROTONOSUPPORT (other
 * ethertype) or -EBADMSG (ver/type not 1/1). */
int uppp_pppoe_parse(const uint8_t *frame, size_t len, struct uppp_pppoe_frame *f);

/* One tag value, pointing into the frame. */
struct uppp_pppoe_tag {
	const uint8_t *p;
	uint16_t len;
	bool present;
};

struct uppp_pppoe_tags {
	struct uppp_pppoe_tag service_name;  /* the first Service-Name (present flag!) */
	struct uppp_pppoe_tag services[UPPP_PPPOE_MAX_SERVICES]; /* every Service-Name, in order */
	size_t n_services;                   /* ≤ UPPP_PPPOE_MAX_SERVICES (extra ones ignored) */
	struct uppp_pppoe_tag ac_name;
	struct uppp_pppoe_tag host_uniq;
	struct uppp_pppoe_tag cookie;
	struct uppp_pppoe_tag relay_id;
	struct uppp_pppoe_tag service_name_error;
	struct uppp_pppoe_tag ac_system_error;
	struct uppp_pppoe_tag generic_error;
};

/* Walks the discovery tags in p[0..len) (the PPPoE payload). The first of
 * each kind wins; unknown and Vendor-Specific tags are skipped; parsing stops
 * at End-Of-List. Returns 0 or -EBADMSG when a tag header or value runs past
 * the end. */
int uppp_pppoe_parse_tags(const uint8_t *p, size_t len, struct uppp_pppoe_tags *t);

/* True when t carries any of the three error tags. */
bool uppp_pppoe_tags_have_error(const struct uppp_pppoe_tags *t);

/* What a discovery packet carries. Tags with present == false are left out;
 * services[0..n_services) become Service-Name tags, in order. */
struct uppp_pppoe_out {
	const struct uppp_pppoe_tag *services;
	size_t n_services;
	struct uppp_pppoe_tag ac_name;
	struct uppp_pppoe_tag host_uniq;          /* echoed byte for byte */
	struct uppp_pppoe_tag cookie;
	struct uppp_pppoe_tag relay_id;           /* echoed byte for byte */
	struct uppp_pppoe_tag service_name_error;
	struct uppp_pppoe_tag ac_system_error;
	struct uppp_pppoe_tag generic_error;
};

/* Helpers to make a tag from a C string (NULL = absent) or bytes. */
struct uppp_pppoe_tag uppp_pppoe_tag_str(const char *s);
struct uppp_pppoe_tag uppp_pppoe_tag_bytes(const void *p, size_t len);

/* Builds one 0x8863 frame into buf: Ethernet header, PPPoE header with code
 * and session_id, then the tags of o (o may be NULL: no tags). Returns the
 * frame length or -EMSGSIZE (does not fit cap, or longer than one Ethernet
 * payload). */
int uppp_pppoe_build_discovery(uint8_t *buf, size_t cap, uint8_t code, const uint8_t dst[6],
			       const uint8_t src[6], uint16_t session_id,
			       const struct uppp_pppoe_out *o);

/* PADI: broadcast, one Service-Name (service; "" = any), Host-Uniq if given.
 * -EMSGSIZE beyond RFC 2516's 1484 octets. */
int uppp_pppoe_build_padi(uint8_t *buf, size_t cap, const uint8_t src[6],
			  struct uppp_pppoe_tag service, struct uppp_pppoe_tag host_uniq);
/* PADO/PADR/PADS: thin wrappers for readability. */
int uppp_pppoe_build_pado(uint8_t *buf, size_t cap, const uint8_t dst[6], const uint8_t src[6],
			  const struct uppp_pppoe_out *o);
int uppp_pppoe_build_padr(uint8_t *buf, size_t cap, const uint8_t dst[6], const uint8_t src[6],
			  const struct uppp_pppoe_out *o);
int uppp_pppoe_build_pads(uint8_t *buf, size_t cap, const uint8_t dst[6], const uint8_t src[6],
			  uint16_t session_id, const struct uppp_pppoe_out *o);
/* PADT for session_id, with a Generic-Error text when error is not NULL. */
int uppp_pppoe_build_padt(uint8_t *buf, size_t cap, const uint8_t dst[6], const uint8_t src[6],
			  uint16_t session_id, const char *error);

/* Writes the 20-byte Ethernet + PPPoE session header (0x8864, code 0) for a
 * PPP packet of ppp_len bytes (protocol field included), which the caller
 * puts at buf + UPPP_PPPOE_SESSION_HLEN. Returns UPPP_PPPOE_SESSION_HLEN or
 * -EMSGSIZE (cap too small or ppp_len > UPPP_PPPOE_MAX_PAYLOAD). */
#define UPPP_PPPOE_SESSION_HLEN (UPPP_ETH_HLEN + UPPP_PPPOE_HLEN)
int uppp_pppoe_build_session_hdr(uint8_t *buf, size_t cap, const uint8_t dst[6],
				 const uint8_t src[6], uint16_t session_id, size_t ppp_len);

/* "PADI", "PADO", ..., "session", or "unknown". */
const char *uppp_pppoe_code_name(uint8_t code);

/* Formats a MAC as aa:bb:cc:dd:ee:ff into out (≥ 18 bytes). Returns out. */
#define UPPP_MAC_STR_LEN 18
char *uppp_mac_str(const uint8_t mac[6], char out[UPPP_MAC_STR_LEN]);

static inline bool uppp_mac_is_broadcast(const uint8_t m[6])
{
	return (m[0] & m[1] & m[2] & m[3] & m[4] & m[5]) == 0xff;
}
static inline bool uppp_mac_is_multicast(const uint8_t m[6]) { return (m[0] & 1) != 0; }

#endif
