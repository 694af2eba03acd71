/* runtime/tap.c — the frame tap (runtime/tap.h). */
#include "runtime/tap.h"

enum uppp_frame_class uppp_frame_classify(const uint8_t *f, size_t len)
{
	size_t off = 12;
	if (len < 14)
		return UPPP_FRAME_OTHER;
	uint16_t type = (uint16_t)(f[off] << 8 | f[off + 1]);
	if (type == 0x8100) {   /* one 802.1Q tag */
		off += 4;
		if (len < off + 2)
			return UPPP_FRAME_OTHER;
		type = (uint16_t)(f[off] << 8 | f[off + 1]);
	}
	off += 2;
	if (type == 0x8863)
		return UPPP_FRAME_DISCOVERY;
	if (type != 0x8864)
		return UPPP_FRAME_OTHER;
	off += 6;   /* the PPPoE header: ver/type, code, session id, length */
	if (len < off + 1)
		return UPPP_FRAME_OTHER;
	if (f[off] & 1)   /* RFC 1661 §6.5: a compressed protocol field, below 0x100 */
		return UPPP_FRAME_DATA;
	if (len < off + 2)
		return UPPP_FRAME_OTHER;
	uint16_t proto = (uint16_t)(f[off] << 8 | f[off + 1]);
	return proto < 0x4000 ? UPPP_FRAME_DATA : UPPP_FRAME_CONTROL;
}

void uppp_taps_add(struct uppp_taps *ts, struct uppp_tap *t)
{
	t->next = ts->head;
	ts->head = t;
}

void uppp_taps_remove(struct uppp_taps *ts, struct uppp_tap *t)
{
	for (struct uppp_tap **p = &ts->head; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			t->next = NULL;
			return;
		}
	}
}

void uppp_taps_frame(struct uppp_taps *ts, enum uppp_tap_dir dir, const uint8_t *frame, size_t len,
		     uint64_t now_ms)
{
	enum uppp_frame_class cls = uppp_frame_classify(frame, len);
	if (cls == UPPP_FRAME_OTHER)
		return;
	for (struct uppp_tap *t = ts->head, *next; t; t = next) {
		next = t->next;   /* t may remove (and free) itself */
		if (cls != UPPP_FRAME_DATA || t->data)
			t->frame(t, dir, frame, len, cls, now_ms);
	}
}

void uppp_taps_session_end(struct uppp_taps *ts, uint16_t sid, const uint8_t mac[6], enum uppp_cause cause,
			   const char *text, uint64_t now_ms)
{
	for (struct uppp_tap *t = ts->head, *next; t; t = next) {
		next = t->next;
		if (t->session_end)
			t->session_end(t, sid, mac, cause, text ? text : "", now_ms);
	}
}
