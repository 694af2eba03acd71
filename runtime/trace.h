/* runtime/trace.h — `uppp trace`: a live ladder of one client's exchange
 * (docs/control.md, "trace"). A control connection that asked `trace
 * [sid=N] [mac=M]` is handed here: it stays open and the server writes one
 * JSON line per discovery or PPP control frame of the matching client(s),
 * in or out, decoded as the `debug` log decodes it (proto/decode.h), and
 * one line when a matching session ends, with its cause.
 *
 * Never blocks the loop: each connection has a bounded output buffer
 * (UPPP_TRACE_BUF); a client that reads too slowly loses lines, and is
 * told how many in a "dropped" line as soon as there is room again. At
 * most UPPP_TRACE_MAX_CONNS connections; the hub is a frame tap
 * (runtime/tap.h) only while one is open, and never asks for IP data.
 *
 * The line builders are pure (test/unit/test_trace.c). */
#ifndef UPPP_RUNTIME_TRACE_H
#define UPPP_RUNTIME_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/tap.h"

#define UPPP_TRACE_MAX_CONNS 4
#define UPPP_TRACE_BUF (64u * 1024)
#define UPPP_TRACE_LINE_MAX 2048   /* one JSON line, at most */

struct uppp_host;
struct uppp_loop;
struct uppp_log;
struct uppp_trace_hub;

/* Which frames a trace wants: both filters must hold; none = every client. */
struct uppp_trace_filter {
	bool by_sid, by_mac;
	uint16_t sid;          /* the PPPoE session id (PADI, PADO, PADR carry 0: not matched) */
	uint8_t mac[6];        /* the client's MAC: the source of frames in, the destination out */
};

/* The client a frame is about: its session id and the peer's MAC (source
 * when in, destination when out). False when it is too short. */
bool uppp_trace_frame_peer(const uint8_t *frame, size_t len, enum uppp_tap_dir dir, uint16_t *sid, uint8_t mac[6]);
bool uppp_trace_match(const struct uppp_trace_filter *f, uint16_t sid, const uint8_t mac[6]);

/* One line each, ending in '\n', into out[0..cap): its length, or 0 when it
 * does not fit. t is the loop's time (ms).
 *   {"t":T,"dir":"in","sid":N,"mac":"02:..","kind":"LCP","text":"LCP ConfReq id=0x1 <mru 1492>"}
 *   {"t":T,"event":"end","sid":N,"mac":"02:..","cause":"admin","text":"moved"}
 *   {"t":T,"event":"dropped","lines":N}
 *   {"event":"start","sid":N|null,"mac":"..."|null}                        */
size_t uppp_trace_line_frame(char *out, size_t cap, uint64_t t, enum uppp_tap_dir dir, const uint8_t *frame,
			     size_t len);
size_t uppp_trace_line_end(char *out, size_t cap, uint64_t t, uint16_t sid, const uint8_t mac[6],
			   enum uppp_cause cause, const char *text);
size_t uppp_trace_line_dropped(char *out, size_t cap, uint64_t t, uint64_t lines);
size_t uppp_trace_line_start(char *out, size_t cap, const struct uppp_trace_filter *f);
/* "PADI" ... "PADT", "LCP", "PAP", "CHAP", "IPCP", "CCP", "IPV6CP", "PPP"
 * (another protocol), "PPPoE" (another discovery code). */
const char *uppp_trace_kind(const uint8_t *frame, size_t len);

/* The traces of one server: frames from h, connections served in loop. */
struct uppp_trace_hub *uppp_trace_hub_new(struct uppp_host *h, struct uppp_loop *loop, struct uppp_log *log);
/* Closes every trace connection and frees. NULL: nothing. */
void uppp_trace_hub_free(struct uppp_trace_hub *hub);
/* Room for one more connection? */
bool uppp_trace_hub_full(const struct uppp_trace_hub *hub);
/* Takes fd (a connected, non-blocking stream socket, not in the loop) and
 * starts tracing f into it: the "start" line is written first. 0, or
 * -EBUSY (full) / -errno, fd then still the caller's. */
int uppp_trace_attach(struct uppp_trace_hub *hub, int fd, const struct uppp_trace_filter *f);

#endif
