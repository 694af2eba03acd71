/* proto/pppoe_session.c — one PPPoE session carrying one PPP link, shared by
 * the access concentrator and the client (see pppoe_session.h). Sans-I/O. */
#include "proto/pppoe_session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "proto/decode.h"

/* What hosts are told (uppp/engine.h) is what is built here. */
_Static_assert(UPPP_FRAME_MAX == UPPP_PPPOE_FRAME_MAX, "UPPP_FRAME_MAX");
_Static_assert(UPPP_FRAME_IP_OFFSET == UPPP_PPPOE_SESSION_HLEN + 2, "UPPP_FRAME_IP_OFFSET");

void uppp_pppoe_log_frame(const struct uppp_logger *lg, const char *dir, const uint8_t *frame, size_t len,
			  bool name_mac)
{
	char line[UPPP_DECODE_LINE_MAX], mac[UPPP_MAC_STR_LEN];
	struct uppp_pppoe_frame f;

	if (uppp_pppoe_parse(frame, len, &f))
		return;
	if (f.ethertype == ETH_P_PPPOE_SESS && f.payload_len >= 2 && uppp_get_be16(f.payload) < 0x8000)
		return;   /* RFC 1661 §2: below 0x8000 is network-layer data */
	if (name_mac) {
		uppp_mac_str(dir[0] == 's' ? f.dst : f.src, mac);
		UPPP_LOGF(lg, UPPP_LOG_DEBUG, NULL, "sess=%u mac=%s %s %s", f.session_id, mac, dir,
			  uppp_decode_frame(frame, len, line, sizeof(line)));
	} else {
		UPPP_LOGF(lg, UPPP_LOG_DEBUG, NULL, "sess=%u %s %s", f.session_id, dir,
			  uppp_decode_frame(frame, len, line, sizeof(line)));
	}
}

/* The session's emit: the line (formatted once, with its layer) goes to the
 * owner's logger behind the session's prefix, made now: a session keeps no
 * prefix text (tens of thousands of them would). */
static void session_emit(void *ud, enum uppp_log_level level, const char *line)
{
	const struct uppp_pppoe_session *ps = ud;
	struct uppp_logger owner = *ps->ops->logger((struct uppp_pppoe_session *)ps);
	char prefix[sizeof("sess=65535 mac=") + UPPP_MAC_STR_LEN], mac[UPPP_MAC_STR_LEN];

	if (ps->ops->name_peer_mac)
		snprintf(prefix, sizeof(prefix), "sess=%u mac=%s", ps->id, uppp_mac_str(ps->peer_mac, mac));
	else
		snprintf(prefix, sizeof(prefix), "sess=%u", ps->id);
	owner.prefix = prefix;
	uppp_logger_write(&owner, level, NULL, "%s", line);
}

void uppp_pppoe_session_init(struct uppp_pppoe_session *ps, const struct uppp_pppoe_session_ops *ops,
			     const struct uppp_ppp_config *ppp, const struct uppp_logger *log,
			     const uint8_t our_mac[6], const uint8_t peer_mac[6], uint16_t id)
{
	ps->ops = ops;
	ps->ppp.env.cfg = ppp;   /* the engine's own field: uppp_ppp_init_role sets it again at open */
	ps->id = id;
	memcpy(ps->our_mac, our_mac, 6);
	memcpy(ps->peer_mac, peer_mac, 6);
	ps->log = (struct uppp_logger){
		.min = log->min, .emit = log->emit ? session_emit : NULL, .ud = ps, .prefix = NULL,
	};
	ps->close_pending = UPPP_CAUSE_NONE;
	ps->dead = ps->peer_padt = ps->silent = ps->padt_sent = false;
}

void uppp_pppoe_session_open(struct uppp_pppoe_session *ps, const struct uppp_ppp_ops *ppp_ops, uint64_t now)
{
	uppp_ppp_init_role(&ps->ppp, ps->ppp.env.cfg, ps->ops->is_server, ppp_ops, ps);
	uppp_ppp_set_logger(&ps->ppp, &ps->log);
	uppp_ppp_open(&ps->ppp, now);
}

/* The frame built in tx (len bytes; nothing when len <= 0) to the wire. */
static void transmit(struct uppp_pppoe_session *ps, const uint8_t *tx, int len)
{
	char line[UPPP_DECODE_LINE_MAX];

	if (len <= 0)
		return;
	if (ps->ppp.env.cfg->debug)
		UPPP_LOGF(&ps->log, UPPP_LOG_DEBUG, NULL, "sent %s",
			  uppp_decode_frame(tx, (size_t)len, line, sizeof(line)));
	ps->ops->send_frame(ps, tx, (size_t)len);
}

int uppp_pppoe_session_input(struct uppp_pppoe_session *ps, uint8_t *frame, const struct uppp_pppoe_frame *f,
			     uint64_t now)
{
	if (f->code != PPPOE_CODE_SESSION || f->payload_len < 2)
		return -EBADMSG;
	if (!ps || ps->dead || f->session_id != ps->id || memcmp(f->src, ps->peer_mac, 6) != 0)
		return -ENOENT;
	uppp_ppp_input(&ps->ppp, frame + UPPP_PPPOE_SESSION_HLEN, f->payload_len, now);
	return 0;
}

uint64_t uppp_pppoe_session_settle(struct uppp_pppoe_session *ps, uint64_t now)
{
	while (!ps->dead && ps->close_pending != UPPP_CAUSE_NONE) {
		enum uppp_cause c = ps->close_pending;
		ps->close_pending = UPPP_CAUSE_NONE;
		uppp_ppp_close(&ps->ppp, c, now);
	}
	return ps->dead ? UPPP_NO_DEADLINE : uppp_ppp_next_deadline(&ps->ppp);
}

bool uppp_pppoe_session_send_padt(struct uppp_pppoe_session *ps, enum uppp_cause cause)
{
	if (ps->peer_padt || ps->padt_sent || ps->silent)
		return false;
	uint8_t *tx = ps->ops->tx_buffer(ps);

	ps->padt_sent = true;
	transmit(ps, tx, uppp_pppoe_build_padt(tx, UPPP_PPPOE_FRAME_MAX, ps->peer_mac, ps->our_mac, ps->id,
					       uppp_cause_text(cause)));
	return true;
}

/* ---- the PPP engine's ops (ctx = the session) ---- */

void uppp_pppoe_session_ppp_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct uppp_pppoe_session *ps = ctx;
	uint8_t *tx;
	int hl;

	if (ps->dead || ps->silent)
		return;
	tx = ps->ops->tx_buffer(ps);
	hl = uppp_pppoe_build_session_hdr(tx, UPPP_PPPOE_FRAME_MAX, ps->peer_mac, ps->our_mac, ps->id, len + 2);
	if (hl < 0 || (size_t)hl + 2 + len > UPPP_PPPOE_FRAME_MAX) {
		UPPP_LOGF(&ps->log, UPPP_LOG_WARN, NULL,
			  "event=tx-drop protocol=0x%04x len=%zu reason=\"larger than one PPPoE frame\"", protocol, len);
		return;
	}
	uppp_put_be16(tx + hl, protocol);
	if (len && info != tx + hl + 2)   /* an IP packet may already be in place */
		memmove(tx + hl + 2, info, len);
	if (protocol >= 0x8000)   /* control: logged with `debug`; IP data never */
		transmit(ps, tx, hl + 2 + (int)len);
	else
		ps->ops->send_frame(ps, tx, (size_t)hl + 2 + len);
}

void uppp_pppoe_session_ppp_deliver_ip(void *ctx, uint8_t *pkt, size_t len)
{
	struct uppp_pppoe_session *ps = ctx;

	if (!ps->dead)
		ps->ops->deliver_ip(ps, pkt, len);
}

/* No randomness: the session ends (HOST_ERROR) when the engine call
 * returns; the bytes it got are never used for a decision. */
int uppp_pppoe_session_ppp_random(void *ctx, void *buf, size_t len)
{
	struct uppp_pppoe_session *ps = ctx;
	int err = ps->ops->random(ps, buf, len);

	if (err < 0) {
		memset(buf, 0, len);
		UPPP_LOGF(&ps->log, UPPP_LOG_ERR, NULL, "event=random-failed err=%d reason=\"%s\"", err,
			  uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
		if (ps->close_pending == UPPP_CAUSE_NONE)
			ps->close_pending = UPPP_CAUSE_HOST_ERROR;
	}
	return err;
}

void uppp_pppoe_session_ppp_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct uppp_pppoe_session *ps = ctx;
	enum uppp_cause c = ps->ops->up(ps, link);

	if (c != UPPP_CAUSE_NONE)
		ps->close_pending = c;
}

void uppp_pppoe_session_ppp_down(void *ctx, enum uppp_cause cause)
{
	struct uppp_pppoe_session *ps = ctx;

	ps->ops->down(ps, cause);
}

const struct uppp_ppp_ops uppp_pppoe_session_ppp_ops = { UPPP_PPPOE_SESSION_PPP_OPS };
