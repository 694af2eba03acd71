/* proto/decode.c — control packets as one line of text (see decode.h). */
#include "proto/decode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/ppp_defs.h"
#include "proto/pppoe.h"

#define HEX_BYTES_MAX 32      /* longer values print their first bytes then ".." */
#define STR_BYTES_MAX 128     /* longer peer strings print their first bytes then "..." */

/* ---- a bounded line ---- */

struct line {
	char *p;
	size_t cap;
	size_t len;
	bool full;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->full || l->cap == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->p + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		l->p[l->len] = '\0';
		l->full = true;
		return;
	}
	if ((size_t)n >= l->cap - l->len) {
		/* did not fit: keep what did, mark the cut */
		l->len = l->cap - 1;
		l->full = true;
		if (l->cap >= 4)
			memcpy(l->p + l->cap - 4, "...", 3);
		return;
	}
	l->len += (size_t)n;
}

static void put_hex(struct line *l, const uint8_t *d, size_t n)
{
	size_t shown = n > HEX_BYTES_MAX ? HEX_BYTES_MAX : n;

	for (size_t i = 0; i < shown; i++)
		put(l, "%02x", d[i]);
	if (shown < n)
		put(l, "..");
}

/* A peer string, escaped, in double quotes. */
static void put_str(struct line *l, const uint8_t *s, size_t n)
{
	char e[STR_BYTES_MAX * 4 + 4];

	uppp_escape(s, n > STR_BYTES_MAX ? STR_BYTES_MAX : n, e, sizeof(e));
	put(l, "\"%s%s\"", e, n > STR_BYTES_MAX ? "..." : "");
}

static void put_ip(struct line *l, const uint8_t *d)
{
	put(l, "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
}

/* ---- names ---- */

static const char *cp_code_name(uint8_t code, bool lcp)
{
	static const char *const names[] = {
		[CP_CONF_REQ] = "ConfReq", [CP_CONF_ACK] = "ConfAck", [CP_CONF_NAK] = "ConfNak",
		[CP_CONF_REJ] = "ConfRej", [CP_TERM_REQ] = "TermReq", [CP_TERM_ACK] = "TermAck",
		[CP_CODE_REJ] = "CodeRej", [LCP_PROTO_REJ] = "ProtRej", [LCP_ECHO_REQ] = "EchoReq",
		[LCP_ECHO_REP] = "EchoRep", [LCP_DISC_REQ] = "DiscReq", [LCP_IDENT] = "Ident",
		[LCP_TIME_REM] = "TimeRem",
	};

	if (code == 0 || code > (lcp ? LCP_TIME_REM : CP_CODE_REJ))
		return NULL;
	return names[code];
}

static const char *protocol_name(uint16_t proto)
{
	switch (proto) {
	case PPP_LCP: return "LCP";
	case PPP_IPCP: return "IPCP";
	case PPP_PAP: return "PAP";
	case PPP_CHAP: return "CHAP";
	case PPP_CCP: return "CCP";
	case PPP_IPV6CP: return "IPV6CP";
	case PPP_LQR: return "LQR";
	case PPP_IP: return "IP";
	case PPP_IPV6: return "IPV6";
	case 0x80fb: return "CCP-link";     /* RFC 1962 individual link CCP */
	case 0xc029: return "CBCP";         /* Microsoft callback control */
	case 0xc227: return "EAP";          /* RFC 3748 */
	case 0x803d: return "MLCP";
	case 0x003d: return "MP";           /* RFC 1990 multilink */
	default: return NULL;
	}
}

/* ---- option lists (LCP, IPCP) ---- */

static void lcp_option(struct line *l, uint8_t type, const uint8_t *d, size_t n)
{
	switch (type) {
	case LCP_OPT_MRU:
		if (n == 2) {
			put(l, " <mru %u>", uppp_get_be16(d));
			return;
		}
		break;
	case LCP_OPT_ACCM:
		if (n == 4) {
			put(l, " <asyncmap 0x%08x>", uppp_get_be32(d));
			return;
		}
		break;
	case LCP_OPT_AUTH:
		if (n == 2 && uppp_get_be16(d) == PPP_PAP) {
			put(l, " <auth pap>");
			return;
		}
		if (n == 3 && uppp_get_be16(d) == PPP_CHAP) {
			if (d[2] == CHAP_MD5)
				put(l, " <auth chap MD5>");
			else if (d[2] == CHAP_MSCHAPV2)
				put(l, " <auth chap MS-v2>");
			else if (d[2] == 0x80)
				put(l, " <auth chap MS>");
			else
				put(l, " <auth chap 0x%02x>", d[2]);
			return;
		}
		if (n == 2 && uppp_get_be16(d) == 0xc227) {
			put(l, " <auth eap>");
			return;
		}
		if (n >= 2) {
			put(l, " <auth 0x%04x", uppp_get_be16(d));
			if (n > 2) {
				put(l, " ");
				put_hex(l, d + 2, n - 2);
			}
			put(l, ">");
			return;
		}
		break;
	case LCP_OPT_QUALITY:
		if (n >= 2) {
			put(l, " <quality 0x%04x>", uppp_get_be16(d));
			return;
		}
		break;
	case LCP_OPT_MAGIC:
		if (n == 4) {
			put(l, " <magic 0x%08x>", uppp_get_be32(d));
			return;
		}
		break;
	case LCP_OPT_PFC:
		if (n == 0) {
			put(l, " <pcomp>");
			return;
		}
		break;
	case LCP_OPT_ACFC:
		if (n == 0) {
			put(l, " <accomp>");
			return;
		}
		break;
	case LCP_OPT_CALLBACK:   /* RFC 1570 §2.3; operation 6 is Microsoft's CBCP */
		if (n >= 1) {
			if (d[0] == 6)
				put(l, " <callback CBCP>");
			else
				put(l, " <callback %u>", d[0]);
			return;
		}
		break;
	case LCP_OPT_MRRU:       /* RFC 1990 */
		if (n == 2) {
			put(l, " <mrru %u>", uppp_get_be16(d));
			return;
		}
		break;
	case LCP_OPT_SSNHF:
		if (n == 0) {
			put(l, " <ssnhf>");
			return;
		}
		break;
	case LCP_OPT_EPDISC:
		if (n >= 1) {
			put(l, " <endpoint class %u", d[0]);
			if (n > 1) {
				put(l, " ");
				put_hex(l, d + 1, n - 1);
			}
			put(l, ">");
			return;
		}
		break;
	case 23:                 /* RFC 2125 Link Discriminator (BACP) */
		if (n == 2) {
			put(l, " <link-discriminator 0x%04x>", uppp_get_be16(d));
			return;
		}
		break;
	default:
		break;
	}
	/* unknown, or a known option with a length its RFC does not allow */
	put(l, " <opt%u", type);
	if (n) {
		put(l, " ");
		put_hex(l, d, n);
	}
	put(l, ">");
}

static void ipcp_option(struct line *l, uint8_t type, const uint8_t *d, size_t n)
{
	static const char *const addr_names[] = { "ms-dns1", "ms-wins1", "ms-dns2", "ms-wins2" };

	if (type == IPCP_OPT_ADDR && n == 4) {
		put(l, " <addr ");
		put_ip(l, d);
		put(l, ">");
		return;
	}
	if (type == IPCP_OPT_ADDRS && n == 8) {
		put(l, " <addrs ");
		put_ip(l, d);
		put(l, " ");
		put_ip(l, d + 4);
		put(l, ">");
		return;
	}
	if (type == IPCP_OPT_COMP && n >= 2) {
		uint16_t p = uppp_get_be16(d);
		if (p == 0x002d)
			put(l, " <compress VJ");
		else
			put(l, " <compress 0x%04x", p);
		if (n > 2) {
			put(l, " ");
			put_hex(l, d + 2, n - 2);
		}
		put(l, ">");
		return;
	}
	if (type >= IPCP_OPT_DNS1 && type <= IPCP_OPT_NBNS2 && n == 4) {
		put(l, " <%s ", addr_names[type - IPCP_OPT_DNS1]);
		put_ip(l, d);
		put(l, ">");
		return;
	}
	put(l, " <opt%u", type);
	if (n) {
		put(l, " ");
		put_hex(l, d, n);
	}
	put(l, ">");
}

static void put_options(struct line *l, const uint8_t *d, size_t n, bool lcp)
{
	struct uppp_reader r = uppp_reader(d, n);

	while (r.left > 0 && !l->full) {
		uint8_t type, olen;
		const uint8_t *od;

		if (uppp_rd_u8(&r, &type) || uppp_rd_u8(&r, &olen)) {
			put(l, " <truncated>");
			return;
		}
		if (olen < 2) {
			put(l, " <opt%u bad length %u>", type, olen);
			return;
		}
		if (uppp_rd_bytes(&r, (size_t)olen - 2, &od)) {
			put(l, " <opt%u length %u> <truncated>", type, olen);
			return;
		}
		if (lcp)
			lcp_option(l, type, od, (size_t)olen - 2);
		else
			ipcp_option(l, type, od, (size_t)olen - 2);
	}
}

/* ---- control packets: code, id, length, data ---- */

struct cp_packet {
	uint8_t code, id;
	const uint8_t *data;   /* after the 4-byte header, up to Length */
	size_t data_len;
	bool truncated;        /* Length said more than the packet holds */
};

/* Splits the header off; prints "<truncated>"/"<bad length>" and returns
 * false when there is no usable header. */
static bool cp_header(struct line *l, const uint8_t *info, size_t len, struct cp_packet *c)
{
	uint16_t plen;

	if (len < 4) {
		if (len >= 2)
			put(l, " code=0x%02x id=0x%x", info[0], info[1]);
		put(l, " <truncated>");
		return false;
	}
	c->code = info[0];
	c->id = info[1];
	plen = uppp_get_be16(info + 2);
	if (plen < 4) {
		put(l, " code=0x%02x id=0x%x <bad length %u>", c->code, c->id, plen);
		return false;
	}
	c->truncated = plen > len;
	c->data = info + 4;
	c->data_len = (c->truncated ? len : plen) - 4;   /* bytes past Length are padding */
	return true;
}

static void put_code(struct line *l, const struct cp_packet *c, bool lcp)
{
	const char *name = cp_code_name(c->code, lcp);

	if (name)
		put(l, " %s id=0x%x", name, c->id);
	else
		put(l, " code=0x%02x id=0x%x", c->code, c->id);
}

/* LCP and IPCP. */
static void decode_cp(struct line *l, const uint8_t *info, size_t len, bool lcp)
{
	struct cp_packet c;
	struct uppp_reader r;

	if (!cp_header(l, info, len, &c))
		return;
	put_code(l, &c, lcp);
	r = uppp_reader(c.data, c.data_len);
	switch (c.code) {
	case CP_CONF_REQ:
	case CP_CONF_ACK:
	case CP_CONF_NAK:
	case CP_CONF_REJ:
		put_options(l, c.data, c.data_len, lcp);
		break;
	case CP_TERM_REQ:
	case CP_TERM_ACK:
		if (c.data_len) {
			put(l, " ");
			put_str(l, c.data, c.data_len);
		}
		break;
	case CP_CODE_REJ:
		if (c.data_len >= 1)
			put(l, " rejected-code=0x%02x", c.data[0]);
		put(l, " len=%zu", c.data_len);
		break;
	default:
		if (!lcp) {
			if (c.data_len)
				put(l, " len=%zu", c.data_len);
			break;
		}
		if (c.code == LCP_PROTO_REJ) {
			uint16_t proto;
			if (uppp_rd_be16(&r, &proto) == 0) {
				const char *pn = protocol_name(proto);
				put(l, " protocol=0x%04x", proto);
				if (pn)
					put(l, " (%s)", pn);
				put(l, " len=%zu", r.left);
			} else if (!c.truncated) {
				put(l, " <truncated>");
			}
		} else if (c.code >= LCP_ECHO_REQ && c.code <= LCP_TIME_REM) {
			uint32_t magic, secs;
			if (uppp_rd_be32(&r, &magic)) {
				if (c.data_len && !c.truncated)
					put(l, " <truncated>");
				break;
			}
			put(l, " magic=0x%08x", magic);
			if (c.code == LCP_TIME_REM) {
				if (uppp_rd_be32(&r, &secs)) {
					if (!c.truncated)
						put(l, " <truncated>");
					break;
				}
				put(l, " seconds=%u", secs);
			}
			if (c.code == LCP_IDENT || c.code == LCP_TIME_REM) {
				if (r.left) {
					put(l, " ");
					put_str(l, r.p, r.left);
				}
			} else if (r.left) {
				put(l, " len=%zu", r.left);
			}
		} else if (c.data_len) {
			put(l, " len=%zu", c.data_len);
		}
		break;
	}
	if (c.truncated)
		put(l, " <truncated>");
}

/* ---- PAP (RFC 1334) ---- */

static void decode_pap(struct line *l, const uint8_t *info, size_t len)
{
	static const char *const names[] = { NULL, "AuthReq", "AuthAck", "AuthNak" };
	struct cp_packet c;
	struct uppp_reader r;
	const uint8_t *s;
	uint8_t n;

	if (!cp_header(l, info, len, &c))
		return;
	if (c.code >= 1 && c.code <= 3)
		put(l, " %s id=0x%x", names[c.code], c.id);
	else
		put(l, " code=0x%02x id=0x%x", c.code, c.id);
	r = uppp_reader(c.data, c.data_len);
	if (c.code == 1) {
		if (uppp_rd_u8(&r, &n) || uppp_rd_bytes(&r, n, &s)) {
			put(l, " <truncated>");
			return;
		}
		put(l, " user=");
		put_str(l, s, n);
		if (uppp_rd_u8(&r, &n) || uppp_rd_skip(&r, n)) {
			put(l, " <truncated>");
			return;
		}
		put(l, " password=<hidden>");
	} else if (c.code == 2 || c.code == 3) {
		if (uppp_rd_u8(&r, &n) == 0) {
			if (uppp_rd_bytes(&r, n, &s)) {
				put(l, " <truncated>");
				return;
			}
			put(l, " ");
			put_str(l, s, n);
		}
	} else if (c.data_len) {
		put(l, " len=%zu", c.data_len);
	}
	if (c.truncated)
		put(l, " <truncated>");
}

/* ---- CHAP (RFC 1994) and MS-CHAPv2 (RFC 2759) ---- */

#define MSCHAPV2_RESPONSE_LEN 49   /* Peer-Challenge 16, reserved 8, NT-Response 24, Flags 1 */

static void decode_chap(struct line *l, const uint8_t *info, size_t len)
{
	static const char *const names[] = { NULL, "Challenge", "Response", "Success", "Failure" };
	struct cp_packet c;
	struct uppp_reader r;
	const uint8_t *v;
	uint8_t vlen;

	if (!cp_header(l, info, len, &c))
		return;
	if (c.code >= 1 && c.code <= 4)
		put(l, " %s id=0x%x", names[c.code], c.id);
	else
		put(l, " code=0x%02x id=0x%x", c.code, c.id);
	r = uppp_reader(c.data, c.data_len);
	if (c.code == 1 || c.code == 2) {
		if (uppp_rd_u8(&r, &vlen) || uppp_rd_bytes(&r, vlen, &v)) {
			put(l, " <truncated>");
			return;
		}
		if (c.code == 1) {
			/* the challenge is sent in the clear: no secret in it */
			put(l, " <");
			put_hex(l, v, vlen);
			put(l, ">");
		} else if (vlen == MSCHAPV2_RESPONSE_LEN) {
			put(l, " ms-chapv2 peer-challenge=<");
			put_hex(l, v, 16);
			put(l, "> nt-response=<hidden> flags=0x%02x", v[48]);
		} else {
			put(l, " <hidden %u bytes>", vlen);
		}
		put(l, " name=");
		put_str(l, r.p, r.left);
	} else if (c.code == 3 || c.code == 4) {
		/* MS-CHAPv2: "S=<40 hex> M=..." / "E=691 R=1 C=<32 hex> V=3 M=..." */
		if (c.data_len) {
			put(l, " ");
			put_str(l, c.data, c.data_len);
		}
	} else if (c.data_len) {
		put(l, " len=%zu", c.data_len);
	}
	if (c.truncated)
		put(l, " <truncated>");
}

/* ---- everything else ---- */

static void decode_other(struct line *l, uint16_t proto, const uint8_t *info, size_t len)
{
	struct cp_packet c;
	bool control = proto >= 0x8000;   /* RFC 1661 §2: 8xxx-bxxx NCPs, cxxx link layer */

	if (!control) {
		put(l, " len=%zu", len);
		return;
	}
	if (!cp_header(l, info, len, &c))
		return;
	put_code(l, &c, false);
	put(l, " len=%zu", c.data_len + 4);
	if (c.truncated)
		put(l, " <truncated>");
}

char *uppp_decode_ppp(const uint8_t *pkt, size_t len, char *out, size_t cap)
{
	struct line l = { out, cap, 0, false };
	uint16_t proto;
	const char *name;

	if (cap == 0)
		return out;
	out[0] = '\0';
	if (len < 2) {
		put(&l, "[<truncated>]");
		return out;
	}
	proto = uppp_get_be16(pkt);
	name = protocol_name(proto);
	if (name)
		put(&l, "[%s", name);
	else
		put(&l, "[proto=0x%04x", proto);
	switch (proto) {
	case PPP_LCP:
		decode_cp(&l, pkt + 2, len - 2, true);
		break;
	case PPP_IPCP:
		decode_cp(&l, pkt + 2, len - 2, false);
		break;
	case PPP_PAP:
		decode_pap(&l, pkt + 2, len - 2);
		break;
	case PPP_CHAP:
		decode_chap(&l, pkt + 2, len - 2);
		break;
	default:
		decode_other(&l, proto, pkt + 2, len - 2);
		break;
	}
	put(&l, "]");
	return out;
}

/* ---- PPPoE discovery (RFC 2516 §5, Appendix A) ---- */

static void put_tag(struct line *l, uint16_t type, const uint8_t *d, size_t n)
{
	switch (type) {
	case PPPOE_TAG_END_OF_LIST:
		put(l, " <end-of-list>");
		return;
	case PPPOE_TAG_SERVICE_NAME:
		put(l, " <service-name ");
		put_str(l, d, n);
		put(l, ">");
		return;
	case PPPOE_TAG_AC_NAME:
		put(l, " <ac-name ");
		put_str(l, d, n);
		put(l, ">");
		return;
	case PPPOE_TAG_SERVICE_NAME_ERROR:
	case PPPOE_TAG_AC_SYSTEM_ERROR:
	case PPPOE_TAG_GENERIC_ERROR:
		put(l, " <%s ", type == PPPOE_TAG_SERVICE_NAME_ERROR ? "service-name-error"
			       : type == PPPOE_TAG_AC_SYSTEM_ERROR ? "ac-system-error" : "generic-error");
		put_str(l, d, n);
		put(l, ">");
		return;
	case PPPOE_TAG_HOST_UNIQ:
		put(l, " <host-uniq 0x");
		break;
	case PPPOE_TAG_AC_COOKIE:
		put(l, " <ac-cookie 0x");
		break;
	case PPPOE_TAG_RELAY_SESSION_ID:
		put(l, " <relay-session-id 0x");
		break;
	case PPPOE_TAG_VENDOR_SPECIFIC:
		put(l, " <vendor-specific 0x");
		break;
	case 0x0120:   /* RFC 4638 PPP-Max-Payload */
		if (n == 2) {
			put(l, " <ppp-max-payload %u>", uppp_get_be16(d));
			return;
		}
		put(l, " <ppp-max-payload 0x");
		break;
	default:
		put(l, " <tag 0x%04x 0x", type);
		break;
	}
	put_hex(l, d, n);
	put(l, ">");
}

static const char *disc_code_name(uint8_t code)
{
	switch (code) {
	case PPPOE_CODE_PADI: return "PADI";
	case PPPOE_CODE_PADO: return "PADO";
	case PPPOE_CODE_PADR: return "PADR";
	case PPPOE_CODE_PADS: return "PADS";
	case PPPOE_CODE_PADT: return "PADT";
	default: return NULL;
	}
}

char *uppp_decode_discovery(uint8_t code, uint16_t session_id, const uint8_t *tags, size_t len,
			    char *out, size_t cap)
{
	struct line l = { out, cap, 0, false };
	struct uppp_reader r = uppp_reader(tags, len);
	const char *name = disc_code_name(code);

	if (cap == 0)
		return out;
	out[0] = '\0';
	if (name)
		put(&l, "[%s sess=0x%04x", name, session_id);
	else
		put(&l, "[PPPoE code=0x%02x sess=0x%04x", code, session_id);
	while (r.left > 0 && !l.full) {
		uint16_t type, tlen;
		const uint8_t *d;

		if (uppp_rd_be16(&r, &type) || uppp_rd_be16(&r, &tlen)) {
			put(&l, " <truncated>");
			break;
		}
		if (uppp_rd_bytes(&r, tlen, &d)) {
			put(&l, " <tag 0x%04x length %u> <truncated>", type, tlen);
			break;
		}
		put_tag(&l, type, d, tlen);
		if (type == PPPOE_TAG_END_OF_LIST)
			break;
	}
	put(&l, "]");
	return out;
}

char *uppp_decode_frame(const uint8_t *frame, size_t len, char *out, size_t cap)
{
	struct uppp_pppoe_frame f;
	struct line l = { out, cap, 0, false };
	int err;

	if (cap == 0)
		return out;
	out[0] = '\0';
	err = uppp_pppoe_parse(frame, len, &f);
	if (err) {
		put(&l, "[%s]", err == -EPROTONOSUPPORT ? "not PPPoE" : "PPPoE <truncated>");
		return out;
	}
	if (f.ethertype == ETH_P_PPPOE_DISC)
		return uppp_decode_discovery(f.code, f.session_id, f.payload, f.payload_len, out, cap);
	if (f.code != PPPOE_CODE_SESSION) {
		put(&l, "[PPPoE session code=0x%02x]", f.code);
		return out;
	}
	return uppp_decode_ppp(f.payload, f.payload_len, out, cap);
}
