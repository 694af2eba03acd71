/* proto/pppoe.c — PPPoE frame codec (see pppoe.h). */
#include "proto/pppoe.h"

#include <errno.h>
#include <string.h>

#include "core/buf.h"

int uppp_pppoe_parse(const uint8_t *frame, size_t len, struct uppp_pppoe_frame *f)
{
	struct uppp_reader r = uppp_reader(frame, len);
	uint8_t vertype;
	uint16_t plen;

	memset(f, 0, sizeof(*f));
	if (uppp_rd_bytes(&r, 6, &f->dst) || uppp_rd_bytes(&r, 6, &f->src) ||
	    uppp_rd_be16(&r, &f->ethertype))
		return -EMSGSIZE;
	if (f->ethertype != ETH_P_PPPOE_DISC && f->ethertype != ETH_P_PPPOE_SESS)
		return -EPROTONOSUPPORT;
	if (uppp_rd_u8(&r, &vertype) || uppp_rd_u8(&r, &f->code) ||
	    uppp_rd_be16(&r, &f->session_id) || uppp_rd_be16(&r, &plen))
		return -EMSGSIZE;
	/* RFC 2516 §4: VER and TYPE are both 1. */
	if (vertype != 0x11)
		return -EBADMSG;
	/* The length field must fit in what arrived; anything after it is
	 * Ethernet padding (absent on unpadded virtio/tap frames). */
	if (uppp_rd_bytes(&r, plen, &f->payload))
		return -EMSGSIZE;
	f->payload_len = plen;
	return 0;
}

static void tag_set(struct uppp_pppoe_tag *t, const uint8_t *p, uint16_t len)
{
	if (t->present)
		return;  /* the first one wins */
	t->p = p;
	t->len = len;
	t->present = true;
}

int uppp_pppoe_parse_tags(const uint8_t *p, size_t len, struct uppp_pppoe_tags *t)
{
	struct uppp_reader r = uppp_reader(p, len);

	memset(t, 0, sizeof(*t));
	while (r.left > 0) {
		uint16_t type, tlen;
		const uint8_t *val;

		if (uppp_rd_be16(&r, &type) || uppp_rd_be16(&r, &tlen) ||
		    uppp_rd_bytes(&r, tlen, &val))
			return -EBADMSG;
		switch (type) {
		case PPPOE_TAG_END_OF_LIST:
			return 0;  /* RFC 2516 App. A: nothing after it is read */
		case PPPOE_TAG_SERVICE_NAME:
			tag_set(&t->service_name, val, tlen);
			if (t->n_services < UPPP_PPPOE_MAX_SERVICES)
				tag_set(&t->services[t->n_services++], val, tlen);
			break;
		case PPPOE_TAG_AC_NAME:
			tag_set(&t->ac_name, val, tlen);
			break;
		case PPPOE_TAG_HOST_UNIQ:
			tag_set(&t->host_uniq, val, tlen);
			break;
		case PPPOE_TAG_AC_COOKIE:
			tag_set(&t->cookie, val, tlen);
			break;
		case PPPOE_TAG_RELAY_SESSION_ID:
			tag_set(&t->relay_id, val, tlen);
			break;
		case PPPOE_TAG_SERVICE_NAME_ERROR:
			tag_set(&t->service_name_error, val, tlen);
			break;
		case PPPOE_TAG_AC_SYSTEM_ERROR:
			tag_set(&t->ac_system_error, val, tlen);
			break;
		case PPPOE_TAG_GENERIC_ERROR:
			tag_set(&t->generic_error, val, tlen);
			break;
		default:
			break;  /* Vendor-Specific and unknown tags: skipped */
		}
	}
	return 0;
}

bool uppp_pppoe_tags_have_error(const struct uppp_pppoe_tags *t)
{
	return t->service_name_error.present || t->ac_system_error.present ||
	       t->generic_error.present;
}

struct uppp_pppoe_tag uppp_pppoe_tag_str(const char *s)
{
	struct uppp_pppoe_tag t = { 0 };
	if (s) {
		size_t n = strlen(s);
		t.p = (const uint8_t *)s;
		t.len = n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
		t.present = true;
	}
	return t;
}

struct uppp_pppoe_tag uppp_pppoe_tag_bytes(const void *p, size_t len)
{
	struct uppp_pppoe_tag t = { p, len > UINT16_MAX ? UINT16_MAX : (uint16_t)len, true };
	return t;
}

static void put_tag(struct uppp_writer *w, uint16_t type, const struct uppp_pppoe_tag *t)
{
	if (!t->present)
		return;
	uppp_wr_be16(w, type);
	uppp_wr_be16(w, t->len);
	uppp_wr_bytes(w, t->p, t->len);
}

static size_t put_headers(struct uppp_writer *w, const uint8_t dst[6], const uint8_t src[6],
			  uint16_t ethertype, uint8_t code, uint16_t session_id)
{
	uppp_wr_bytes(w, dst, 6);
	uppp_wr_bytes(w, src, 6);
	uppp_wr_be16(w, ethertype);
	uppp_wr_u8(w, 0x11);  /* ver 1, type 1 */
	uppp_wr_u8(w, code);
	uppp_wr_be16(w, session_id);
	return uppp_wr_reserve(w, 2);
}

int uppp_pppoe_build_discovery(uint8_t *buf, size_t cap, uint8_t code, const uint8_t dst[6],
			       const uint8_t src[6], uint16_t session_id,
			       const struct uppp_pppoe_out *o)
{
	struct uppp_writer w = uppp_writer(buf, cap);
	size_t len_at = put_headers(&w, dst, src, ETH_P_PPPOE_DISC, code, session_id);

	if (o) {
		for (size_t i = 0; i < o->n_services; i++)
			put_tag(&w, PPPOE_TAG_SERVICE_NAME, &o->services[i]);
		put_tag(&w, PPPOE_TAG_AC_NAME, &o->ac_name);
		put_tag(&w, PPPOE_TAG_HOST_UNIQ, &o->host_uniq);
		put_tag(&w, PPPOE_TAG_AC_COOKIE, &o->cookie);
		put_tag(&w, PPPOE_TAG_RELAY_SESSION_ID, &o->relay_id);
		put_tag(&w, PPPOE_TAG_SERVICE_NAME_ERROR, &o->service_name_error);
		put_tag(&w, PPPOE_TAG_AC_SYSTEM_ERROR, &o->ac_system_error);
		put_tag(&w, PPPOE_TAG_GENERIC_ERROR, &o->generic_error);
	}
	if (!uppp_wr_ok(&w) || w.len > UPPP_PPPOE_FRAME_MAX)
		return -EMSGSIZE;
	uppp_wr_patch_be16(&w, len_at, (uint16_t)(w.len - UPPP_PPPOE_SESSION_HLEN));
	return (int)w.len;
}

int uppp_pppoe_build_padi(uint8_t *buf, size_t cap, const uint8_t src[6],
			  struct uppp_pppoe_tag service, struct uppp_pppoe_tag host_uniq)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct uppp_pppoe_out o = { 0 };
	int n;

	/* RFC 2516 §5.1: exactly one Service-Name; absent means "any". */
	if (!service.present)
		service = uppp_pppoe_tag_bytes("", 0);
	o.services = &service;
	o.n_services = 1;
	o.host_uniq = host_uniq;
	n = uppp_pppoe_build_discovery(buf, cap, PPPOE_CODE_PADI, bcast, src, 0, &o);
	if (n > UPPP_ETH_HLEN + UPPP_PPPOE_PADI_MAX)
		return -EMSGSIZE;
	return n;
}

int uppp_pppoe_build_pado(uint8_t *buf, size_t cap, const uint8_t dst[6], const uint8_t src[6],
			  const struct uppp_pppoe_out *o)
{
	return uppp_pppoe_build_discovery(buf, cap, PPPOE_CODE_PADO, dst, src, 0, o);
}

int uppp_pppoe_build_padr(uint8_t *buf, size_t cap, const uint8_t dst[6], const uint8_t src[6],
			  const struct uppp_pppoe_out *o)
{
	return uppp_pppoe_build_discovery(buf, cap, PPPOE_CODE_PADR, dst, src, 0, o);
}

int uppp_pppoe_build_pads(uint8_t *buf, size_t cap, const uint8_t dst[6], const uint8_t src[6],
			  uint16_t session_id, const struct uppp_pppoe_out *o)
{
	return uppp_pppoe_build_discovery(buf, cap, PPPOE_CODE_PADS, dst, src, session_id, o);
}

int uppp_pppoe_build_padt(uint8_t *buf, size_t cap, const uint8_t dst[6], const uint8_t src[6],
			  uint16_t session_id, const char *error)
{
	struct uppp_pppoe_out o = { 0 };

	o.generic_error = uppp_pppoe_tag_str(error);
	return uppp_pppoe_build_discovery(buf, cap, PPPOE_CODE_PADT, dst, src, session_id, &o);
}

int uppp_pppoe_build_session_hdr(uint8_t *buf, size_t cap, const uint8_t dst[6],
				 const uint8_t src[6], uint16_t session_id, size_t ppp_len)
{
	struct uppp_writer w = uppp_writer(buf, cap);
	size_t len_at;

	if (ppp_len > UPPP_PPPOE_MAX_PAYLOAD)
		return -EMSGSIZE;
	len_at = put_headers(&w, dst, src, ETH_P_PPPOE_SESS, PPPOE_CODE_SESSION, session_id);
	if (!uppp_wr_ok(&w))
		return -EMSGSIZE;
	uppp_wr_patch_be16(&w, len_at, (uint16_t)ppp_len);
	return UPPP_PPPOE_SESSION_HLEN;
}

const char *uppp_pppoe_code_name(uint8_t code)
{
	switch (code) {
	case PPPOE_CODE_SESSION: return "session";
	case PPPOE_CODE_PADI: return "PADI";
	case PPPOE_CODE_PADO: return "PADO";
	case PPPOE_CODE_PADR: return "PADR";
	case PPPOE_CODE_PADS: return "PADS";
	case PPPOE_CODE_PADT: return "PADT";
	default: return "unknown";
	}
}

char *uppp_mac_str(const uint8_t mac[6], char out[UPPP_MAC_STR_LEN])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 6; i++) {
		out[i * 3] = hex[mac[i] >> 4];
		out[i * 3 + 1] = hex[mac[i] & 15];
		out[i * 3 + 2] = i == 5 ? '\0' : ':';
	}
	return out;
}
