/* runtime/tap.h — the frame tap: where the host hands received Ethernet
 * frames to the engine and where frames leave (runtime/host.c), taps see
 * each frame with its direction and the loop's time. Capture
 * (runtime/capture.c) and trace (runtime/trace.c) are taps.
 *
 * With no tap the host pays one well-predicted branch per frame and nothing
 * else. With taps, each frame is classified once (uppp_frame_classify):
 * discovery and PPP control frames go to every tap, IP data frames only to
 * the taps that asked for them (data).
 *
 * Not thread-safe: taps are added and removed on the loop's thread. A tap
 * may remove itself (and free itself) from inside its own callback; it must
 * not remove another. */
#ifndef UPPP_RUNTIME_TAP_H
#define UPPP_RUNTIME_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uppp/types.h"

enum uppp_tap_dir {
	UPPP_TAP_IN,    /* received from the Ethernet */
	UPPP_TAP_OUT,   /* sent to it */
};

enum uppp_frame_class {
	UPPP_FRAME_OTHER,       /* not PPPoE, or too short to say */
	UPPP_FRAME_DISCOVERY,   /* ethertype 0x8863: PADI, PADO, PADR, PADS, PADT */
	UPPP_FRAME_CONTROL,     /* 0x8864 carrying LCP, PAP, CHAP, an NCP (IPCP, CCP ...) */
	UPPP_FRAME_DATA,        /* 0x8864 carrying a network-layer protocol (IPv4 0x0021 ...) */
};

/* What a frame is (pure; one 802.1Q tag is looked through). PPP protocols
 * 0x0001-0x3fff are network-layer data (RFC 1661 §2), a compressed
 * (one-byte, odd) protocol field too; 0x8000 and up are control. */
enum uppp_frame_class uppp_frame_classify(const uint8_t *frame, size_t len);

struct uppp_tap {
	/* One frame (valid during the call only), its direction, the loop's
	 * time (ms) and its class (never UPPP_FRAME_DATA unless data). */
	void (*frame)(struct uppp_tap *t, enum uppp_tap_dir dir, const uint8_t *frame, size_t len,
		      enum uppp_frame_class cls, uint64_t now_ms);
	/* Optional: a session ended (the server's session_down), with its
	 * cause and, for cause admin, the operator's text ("" when none). */
	void (*session_end)(struct uppp_tap *t, uint16_t sid, const uint8_t mac[6], enum uppp_cause cause,
			    const char *text, uint64_t now_ms);
	bool data;                 /* wants IP data frames too */
	struct uppp_tap *next;     /* the host's list (owned by it while added) */
};

/* The taps of one host: a list head (NULL: none). */
struct uppp_taps {
	struct uppp_tap *head;
};

/* Adds t (not yet added) / removes t (added; nothing when it is not). */
void uppp_taps_add(struct uppp_taps *ts, struct uppp_tap *t);
void uppp_taps_remove(struct uppp_taps *ts, struct uppp_tap *t);

/* The slow path of the host's hook: classifies frame and offers it to each
 * tap that wants it. Call only when ts->head is not NULL. */
void uppp_taps_frame(struct uppp_taps *ts, enum uppp_tap_dir dir, const uint8_t *frame, size_t len,
		     uint64_t now_ms);
/* A session ended: each tap's session_end, if any. */
void uppp_taps_session_end(struct uppp_taps *ts, uint16_t sid, const uint8_t mac[6], enum uppp_cause cause,
			   const char *text, uint64_t now_ms);

#endif
