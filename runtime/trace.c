/* runtime/trace.c — live traces on the control socket (runtime/trace.h). */
#include "runtime/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/json.h"
#include "proto/decode.h"
#include "runtime/host.h"

/* ---- the lines (pure) ---- */

static size_t eth_payload(const uint8_t *f, size_t len, uint16_t *type)
{
	size_t off = 12;
	if (len < 14)
		return 0;
	*type = (uint16_t)(f[12] << 8 | f[13]);
	if (*type == 0x8100 && len >= 18) {
		*type = (uint16_t)(f[16] << 8 | f[17]);
		off += 4;
	}
	return off + 2;
}

bool uppp_trace_frame_peer(const uint8_t *f, size_t len, enum uppp_tap_dir dir, uint16_t *sid, uint8_t mac[6])
{
	uint16_t type;
	size_t off = eth_payload(f, len, &type);
	if (!off || len < off + 6)
		return false;
	memcpy(mac, dir == UPPP_TAP_IN ? f + 6 : f, 6);
	*sid = (uint16_t)(f[off + 2] << 8 | f[off + 3]);
	return true;
}

bool uppp_trace_match(const struct uppp_trace_filter *f, uint16_t sid, const uint8_t mac[6])
{
	if (f->by_sid && sid != f->sid)
		return false;
	return !f->by_mac || !memcmp(mac, f->mac, 6);
}

const char *uppp_trace_kind(const uint8_t *f, size_t len)
{
	uint16_t type;
	size_t off = eth_payload(f, len, &type);
	if (!off || len < off + 2)
		return "?";
	if (type == 0x8863) {
		switch (f[off + 1]) {
		case 0x09: return "PADI";
		case 0x07: return "PADO";
		case 0x19: return "PADR";
		case 0x65: return "PADS";
		case 0xa7: return "PADT";
		default: return "PPPoE";
		}
	}
	if (len < off + 8)
		return "PPP";
	switch (f[off + 6] << 8 | f[off + 7]) {
	case 0xc021: return "LCP";
	case 0xc023: return "PAP";
	case 0xc223: return "CHAP";
	case 0x8021: return "IPCP";
	case 0x80fd: return "CCP";
	case 0x8057: return "IPV6CP";
	default: return "PPP";
	}
}

static void kv_mac(struct uppp_json *j, const uint8_t mac[6])
{
	char s[18];
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	uppp_json_kv_str(j, "mac", s);
}

/* Closes the document and adds the newline: the length, or 0. */
static size_t finish(struct uppp_json *j, char *out, size_t cap)
{
	if (!uppp_json_ok(j) || j->len + 2 > cap)
		return 0;
	out[j->len] = '\n';
	out[j->len + 1] = '\0';
	return j->len + 1;
}

size_t uppp_trace_line_frame(char *out, size_t cap, uint64_t t, enum uppp_tap_dir dir, const uint8_t *frame,
			     size_t len)
{
	char text[UPPP_DECODE_LINE_MAX];
	uint16_t sid = 0;
	uint8_t mac[6] = { 0 };
	struct uppp_json j;

	(void)uppp_trace_frame_peer(frame, len, dir, &sid, mac);
	uppp_decode_frame(frame, len, text, sizeof(text));
	/* the decoder's line is "[...]": the brackets say nothing here */
	const char *body = text;
	size_t n = strlen(text);
	if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
		body++;
		n -= 2;
	}
	uppp_json_init(&j, out, cap);
	uppp_json_obj_begin(&j);
	uppp_json_kv_u64(&j, "t", t);
	uppp_json_kv_str(&j, "dir", dir == UPPP_TAP_IN ? "in" : "out");
	uppp_json_kv_u64(&j, "sid", sid);
	kv_mac(&j, mac);
	uppp_json_kv_str(&j, "kind", uppp_trace_kind(frame, len));
	uppp_json_key(&j, "text");
	uppp_json_strn(&j, (const uint8_t *)body, n);
	uppp_json_obj_end(&j);
	return finish(&j, out, cap);
}

size_t uppp_trace_line_end(char *out, size_t cap, uint64_t t, uint16_t sid, const uint8_t mac[6],
			   enum uppp_cause cause, const char *text)
{
	struct uppp_json j;
	uppp_json_init(&j, out, cap);
	uppp_json_obj_begin(&j);
	uppp_json_kv_u64(&j, "t", t);
	uppp_json_kv_str(&j, "event", "end");
	uppp_json_kv_u64(&j, "sid", sid);
	kv_mac(&j, mac);
	uppp_json_kv_str(&j, "cause", uppp_cause_name(cause));
	uppp_json_kv_str(&j, "text", text ? text : "");
	uppp_json_obj_end(&j);
	return finish(&j, out, cap);
}

size_t uppp_trace_line_dropped(char *out, size_t cap, uint64_t t, uint64_t lines)
{
	struct uppp_json j;
	uppp_json_init(&j, out, cap);
	uppp_json_obj_begin(&j);
	uppp_json_kv_u64(&j, "t", t);
	uppp_json_kv_str(&j, "event", "dropped");
	uppp_json_kv_u64(&j, "lines", lines);
	uppp_json_obj_end(&j);
	return finish(&j, out, cap);
}

size_t uppp_trace_line_start(char *out, size_t cap, const struct uppp_trace_filter *f)
{
	struct uppp_json j;
	uppp_json_init(&j, out, cap);
	uppp_json_obj_begin(&j);
	uppp_json_kv_str(&j, "event", "start");
	uppp_json_key(&j, "sid");
	if (f->by_sid)
		uppp_json_u64(&j, f->sid);
	else
		uppp_json_null(&j);
	if (f->by_mac) {
		kv_mac(&j, f->mac);
	} else {
		uppp_json_key(&j, "mac");
		uppp_json_null(&j);
	}
	uppp_json_obj_end(&j);
	return finish(&j, out, cap);
}

/* ---- the connections ---- */

struct trace_conn {
	struct uppp_trace_hub *hub;
	int fd;                       /* -1: free */
	struct uppp_trace_filter filter;
	char *buf;                    /* UPPP_TRACE_BUF bytes: what waits to be sent */
	size_t len;
	uint64_t dropped;             /* lines lost since the last "dropped" line */
	bool want_out;                /* EPOLLOUT asked */
};

struct uppp_trace_hub {
	struct uppp_tap tap;          /* first: the callbacks get &hub->tap */
	struct uppp_host *host;
	struct uppp_loop *loop;
	struct uppp_log *log;
	bool tapping;
	unsigned n;
	struct trace_conn conns[UPPP_TRACE_MAX_CONNS];
};

static void conn_close(struct trace_conn *k)
{
	struct uppp_trace_hub *hub = k->hub;
	if (k->fd < 0)
		return;
	uppp_loop_del_fd(hub->loop, k->fd);
	close(k->fd);
	k->fd = -1;
	free(k->buf);
	k->buf = NULL;
	k->len = 0;
	if (--hub->n == 0 && hub->tapping) {
		uppp_host_tap_remove(hub->host, &hub->tap);   /* no trace: no tap, no cost */
		hub->tapping = false;
	}
	uppp_logf(hub->log, UPPP_LOG_DEBUG, "layer=control event=trace-closed traces=%u", hub->n);
}

static void append(struct trace_conn *k, const char *line, size_t n)
{
	memcpy(k->buf + k->len, line, n);
	k->len += n;
}

/* The "dropped" line, when lines were lost and there is room for it. */
static void append_dropped(struct trace_conn *k)
{
	char line[128];
	if (!k->dropped)
		return;
	size_t n = uppp_trace_line_dropped(line, sizeof(line), uppp_loop_now(k->hub->loop), k->dropped);
	if (n && k->len + n <= UPPP_TRACE_BUF) {
		append(k, line, n);
		k->dropped = 0;
	}
}

/* Sends what the socket takes now; the rest waits for EPOLLOUT. May close k. */
static void conn_flush(struct trace_conn *k)
{
	for (int round = 0; round < 2; round++) {
		while (k->len) {
			ssize_t n = send(k->fd, k->buf, k->len, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (n <= 0) {
				conn_close(k);   /* the reader went away */
				return;
			}
			memmove(k->buf, k->buf + n, k->len - (size_t)n);
			k->len -= (size_t)n;
		}
		if (k->len)
			break;
		append_dropped(k);   /* room again: say what was lost */
	}
	bool want = k->len != 0;
	if (want != k->want_out) {
		uppp_loop_mod_fd(k->hub->loop, k->fd, EPOLLIN | (want ? EPOLLOUT : 0));
		k->want_out = want;
	}
}

static void conn_emit(struct trace_conn *k, const char *line, size_t n)
{
	append_dropped(k);
	if (k->dropped || !n || k->len + n > UPPP_TRACE_BUF) {
		k->dropped++;   /* the reader is too slow: this line is lost */
		return;
	}
	append(k, line, n);
	if (!k->want_out)   /* else EPOLLOUT will come */
		conn_flush(k);
}

static void conn_event(void *ctx, int fd, uint32_t events)
{
	struct trace_conn *k = ctx;
	if (events & EPOLLIN) {   /* the client sends nothing more: only its end matters */
		char junk[256];
		ssize_t n = recv(fd, junk, sizeof(junk), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
			conn_close(k);
			return;
		}
	}
	if (events & (EPOLLERR | EPOLLHUP)) {
		conn_close(k);
		return;
	}
	if (events & EPOLLOUT)
		conn_flush(k);
}

static void hub_frame(struct uppp_tap *t, enum uppp_tap_dir dir, const uint8_t *frame, size_t len,
		      enum uppp_frame_class cls, uint64_t now_ms)
{
	struct uppp_trace_hub *hub = (struct uppp_trace_hub *)t;
	char line[UPPP_TRACE_LINE_MAX];
	size_t n = 0;
	bool built = false;
	uint16_t sid;
	uint8_t mac[6];
	(void)cls;   /* never data: the hub does not ask for it */
	if (!uppp_trace_frame_peer(frame, len, dir, &sid, mac))
		return;
	for (size_t i = 0; i < UPPP_TRACE_MAX_CONNS; i++) {
		struct trace_conn *k = &hub->conns[i];
		if (k->fd < 0 || !uppp_trace_match(&k->filter, sid, mac))
			continue;
		if (!built) {   /* decoded once, for every trace that wants it */
			n = uppp_trace_line_frame(line, sizeof(line), now_ms, dir, frame, len);
			built = true;
		}
		conn_emit(k, line, n);
	}
}

static void hub_session_end(struct uppp_tap *t, uint16_t sid, const uint8_t mac[6], enum uppp_cause cause,
			    const char *text, uint64_t now_ms)
{
	struct uppp_trace_hub *hub = (struct uppp_trace_hub *)t;
	char line[UPPP_TRACE_LINE_MAX];
	size_t n = uppp_trace_line_end(line, sizeof(line), now_ms, sid, mac, cause, text);
	for (size_t i = 0; i < UPPP_TRACE_MAX_CONNS; i++) {
		struct trace_conn *k = &hub->conns[i];
		if (k->fd >= 0 && uppp_trace_match(&k->filter, sid, mac))
			conn_emit(k, line, n);
	}
}

struct uppp_trace_hub *uppp_trace_hub_new(struct uppp_host *h, struct uppp_loop *loop, struct uppp_log *log)
{
	struct uppp_trace_hub *hub = calloc(1, sizeof(*hub));
	if (!hub)
		return NULL;
	hub->tap.frame = hub_frame;
	hub->tap.session_end = hub_session_end;
	hub->host = h;
	hub->loop = loop;
	hub->log = log;
	for (size_t i = 0; i < UPPP_TRACE_MAX_CONNS; i++) {
		hub->conns[i].hub = hub;
		hub->conns[i].fd = -1;
	}
	return hub;
}

void uppp_trace_hub_free(struct uppp_trace_hub *hub)
{
	if (!hub)
		return;
	for (size_t i = 0; i < UPPP_TRACE_MAX_CONNS; i++)
		conn_close(&hub->conns[i]);
	free(hub);
}

bool uppp_trace_hub_full(const struct uppp_trace_hub *hub)
{
	return hub->n >= UPPP_TRACE_MAX_CONNS;
}

int uppp_trace_attach(struct uppp_trace_hub *hub, int fd, const struct uppp_trace_filter *f)
{
	struct trace_conn *k = NULL;
	for (size_t i = 0; i < UPPP_TRACE_MAX_CONNS && !k; i++)
		if (hub->conns[i].fd < 0)
			k = &hub->conns[i];
	if (!k)
		return -EBUSY;
	k->buf = malloc(UPPP_TRACE_BUF);
	if (!k->buf)
		return -ENOMEM;
	int rc = uppp_loop_add_fd(hub->loop, fd, EPOLLIN, conn_event, k);
	if (rc < 0) {
		free(k->buf);
		k->buf = NULL;
		return rc;
	}
	k->fd = fd;
	k->filter = *f;
	k->len = 0;
	k->dropped = 0;
	k->want_out = false;
	hub->n++;
	if (!hub->tapping) {
		uppp_host_tap_add(hub->host, &hub->tap);
		hub->tapping = true;
	}
	char line[128];
	size_t n = uppp_trace_line_start(line, sizeof(line), f);
	uppp_logf(hub->log, UPPP_LOG_INFO, "layer=control event=trace-started traces=%u", hub->n);
	conn_emit(k, line, n);
	return 0;
}
