/* runtime/control.c — the control socket (runtime/control.h). */
#define _GNU_SOURCE  /* accept4, struct ucred (SO_PEERCRED) */
#include "runtime/control.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/json.h"
#include "runtime/capture.h"
#include "runtime/control_proto.h"
#include "runtime/host.h"
#include "runtime/trace.h"

struct ctl_conn {
	struct uppp_control *ctl;
	int fd;                                /* -1: the slot is free */
	pid_t pid;                             /* the peer (SO_PEERCRED), for the log */
	uid_t uid;
	bool replying;
	char in[UPPP_CTL_LINE_MAX + 2];
	size_t in_len;
	char *out;                             /* the reply, malloc'd */
	size_t out_len, out_off;
	struct uppp_timer timer;
};

struct uppp_control {
	struct uppp_control_config cfg;
	int fd;
	dev_t dev;                             /* the socket file we made (removed only if still it) */
	ino_t ino;
	struct ctl_conn conns[UPPP_CTL_MAX_CONNS];
	struct uppp_trace_hub *traces;         /* made at the first `trace` */
};

#define ctl_log(c, level, ...) uppp_logf((c)->cfg.log, (level), __VA_ARGS__)

/* ---- replies ---- */

static void conn_close(struct ctl_conn *k)
{
	if (k->fd < 0)
		return;
	uppp_loop_del_fd(k->ctl->cfg.loop, k->fd);
	close(k->fd);
	k->fd = -1;
	uppp_timer_cancel(k->ctl->cfg.loop, &k->timer);
	free(k->out);
	k->out = NULL;
	k->out_len = k->out_off = k->in_len = 0;
	k->replying = false;
}

/* Writes what the socket takes now; closes once all is written (or the
 * peer went away). */
static void conn_flush(struct ctl_conn *k)
{
	while (k->out_off < k->out_len) {
		ssize_t n = send(k->fd, k->out + k->out_off, k->out_len - k->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			k->out_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;   /* EPOLLOUT brings us back */
		break;        /* the peer is gone: nothing more to do */
	}
	conn_close(k);
}

static void conn_set_reply(struct ctl_conn *k, char *out, size_t len)
{
	free(k->out);
	k->out = out;
	k->out_len = len;
	k->out_off = 0;
	k->replying = true;
	uppp_loop_mod_fd(k->ctl->cfg.loop, k->fd, EPOLLOUT);
	uppp_timer_arm(k->ctl->cfg.loop, &k->timer, uppp_loop_now(k->ctl->cfg.loop) + UPPP_CTL_REPLY_TIMEOUT_MS);
}

/* A text reply (already formatted), copied. */
static void reply_text(struct ctl_conn *k, const char *text, size_t len)
{
	char *out = malloc(len + 1);
	if (!out) {
		conn_close(k);
		return;
	}
	memcpy(out, text, len);
	out[len] = '\n';
	conn_set_reply(k, out, len + 1);
}

static void reply_error(struct ctl_conn *k, const char *msg)
{
	char buf[1024];
	struct uppp_json j;
	uppp_json_init(&j, buf, sizeof(buf));
	uppp_ctl_json_error(&j, msg);
	if (!uppp_json_ok(&j)) {   /* a very long message: say less */
		uppp_json_init(&j, buf, sizeof(buf));
		uppp_ctl_json_error(&j, "error message too long");
	}
	reply_text(k, buf, j.len);
}

/* Builds a JSON document with build(j, arg): once in a guess, once more in
 * exactly what it needed when that was not enough. */
static void reply_json(struct ctl_conn *k, void (*build)(struct uppp_json *j, void *arg), void *arg)
{
	size_t cap = 4096;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct uppp_json j;
		char *buf = malloc(cap);
		if (!buf)
			break;
		uppp_json_init(&j, buf, cap);
		build(&j, arg);
		if (uppp_json_ok(&j)) {
			buf[j.len] = '\n';   /* replaces the NUL: the reply ends with a newline */
			conn_set_reply(k, buf, j.len + 1);
			return;
		}
		free(buf);
		if (j.len + 2 <= cap || j.len + 2 > UPPP_CTL_REPLY_MAX)
			break;
		cap = j.len + 2;
	}
	reply_error(k, "reply too large or out of memory");
}

/* ---- verbs ---- */

struct verb;
typedef void verb_fn(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi);

static const struct uppp_ctl_word *arg_find(const struct uppp_ctl_request *r, unsigned argi, const char *key)
{
	for (unsigned i = argi; i < r->n; i++)
		if (!strcmp(r->w[i].key, key))
			return &r->w[i];
	return NULL;
}

/* Only these arguments (key=value when with_value, else bare words). */
static bool args_known(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi,
		       const char *const *keys, bool with_value)
{
	for (unsigned i = argi; i < r->n; i++) {
		bool ok = false;
		for (const char *const *p = keys; *p; p++)
			ok |= !strcmp(r->w[i].key, *p) && (r->w[i].val != NULL) == with_value;
		if (!ok) {
			char msg[UPPP_ESCAPED_MAX + 64], esc[UPPP_ESCAPED_MAX];
			uppp_escape((const uint8_t *)r->w[i].key, strlen(r->w[i].key), esc, sizeof(esc));
			snprintf(msg, sizeof(msg), "unexpected argument '%s'", esc);
			reply_error(k, msg);
			return false;
		}
	}
	return true;
}

struct sessions_doc {
	struct uppp_server *srv;
};

static int add_session(void *ctx, const struct uppp_server_session *s)
{
	uppp_ctl_json_session(ctx, s);
	return 0;
}

static void build_sessions(struct uppp_json *j, void *arg)
{
	struct sessions_doc *d = arg;
	uppp_json_obj_begin(j);
	uppp_json_key(j, "sessions");
	uppp_json_arr_begin(j);
	uppp_server_sessions(d->srv, add_session, j);
	uppp_json_arr_end(j);
	uppp_json_obj_end(j);
}

static void verb_sessions(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const none[] = { NULL };
	struct sessions_doc d = { k->ctl->cfg.srv };
	if (args_known(k, r, argi, none, false))
		reply_json(k, build_sessions, &d);
}

static void build_stats(struct uppp_json *j, void *arg)
{
	uppp_ctl_json_stats(j, arg);
}

static void verb_stats(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const formats[] = { "prometheus", "json", NULL };
	struct uppp_server_stats st;

	if (!args_known(k, r, argi, formats, false))
		return;
	uppp_server_stats(k->ctl->cfg.srv, &st);
	if (!arg_find(r, argi, "prometheus")) {
		reply_json(k, build_stats, &st);
		return;
	}
	size_t need = uppp_ctl_prometheus(&st, NULL, 0);
	char *out = malloc(need + 1);
	if (!out) {
		reply_error(k, "out of memory");
		return;
	}
	uppp_ctl_prometheus(&st, out, need + 1);
	conn_set_reply(k, out, need);   /* the text ends with its own newline */
}

/* kill: which sessions match the one selector. */
struct kill_match {
	enum { BY_SID, BY_USER, BY_IP, BY_MAC } by;
	unsigned long sid;
	const char *user;
	size_t user_len;
	uint32_t ip;
	uint8_t mac[6];
	uint16_t *ids;
	size_t n, cap;
};

static int match_session(void *ctx, const struct uppp_server_session *s)
{
	struct kill_match *m = ctx;
	bool hit = false;
	switch (m->by) {
	case BY_SID: hit = s->id == m->sid; break;
	case BY_USER: hit = strlen(s->user) == m->user_len && !memcmp(s->user, m->user, m->user_len); break;
	case BY_IP: hit = s->peer_ip && s->peer_ip == m->ip; break;
	case BY_MAC: hit = !memcmp(s->peer_mac, m->mac, 6); break;
	}
	if (!hit)
		return 0;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		uint16_t *ids = realloc(m->ids, cap * sizeof(*ids));
		if (!ids)
			return -ENOMEM;
		m->ids = ids;
		m->cap = cap;
	}
	m->ids[m->n++] = s->id;
	return 0;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return strlen(s) == 17;
}

static void build_killed(struct uppp_json *j, void *arg)
{
	const struct kill_match *m = arg;
	uppp_json_obj_begin(j);
	uppp_json_key(j, "killed");
	uppp_json_arr_begin(j);
	for (size_t i = 0; i < m->n; i++)
		uppp_json_u64(j, m->ids[i]);
	uppp_json_arr_end(j);
	uppp_json_obj_end(j);
}

static void verb_kill(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const keys[] = { "sid", "user", "ip", "mac", "cause", NULL };
	struct kill_match m = { 0 };
	const struct uppp_ctl_word *sel = NULL, *cause = arg_find(r, argi, "cause");
	unsigned n_sel = 0;

	if (!args_known(k, r, argi, keys, true))
		return;
	for (unsigned i = argi; i < r->n; i++)
		if (strcmp(r->w[i].key, "cause") != 0) {
			sel = &r->w[i];
			n_sel++;
		}
	if (n_sel != 1) {
		reply_error(k, "kill needs exactly one of sid=N, user=U, ip=A, mac=M");
		return;
	}
	if (!strcmp(sel->key, "sid")) {
		char *end;
		m.by = BY_SID;
		errno = 0;
		m.sid = strtoul(sel->val, &end, 10);
		if (!sel->val[0] || *end || errno || m.sid < 1 || m.sid > 0xfffe) {
			reply_error(k, "sid: not a session id (1..65534)");
			return;
		}
	} else if (!strcmp(sel->key, "user")) {
		m.by = BY_USER;
		m.user = sel->val;
		m.user_len = sel->val_len;
	} else if (!strcmp(sel->key, "ip")) {
		struct in_addr a;
		m.by = BY_IP;
		if (inet_pton(AF_INET, sel->val, &a) != 1) {
			reply_error(k, "ip: not an IPv4 address");
			return;
		}
		m.ip = ntohl(a.s_addr);
	} else {
		m.by = BY_MAC;
		if (!parse_mac(sel->val, m.mac)) {
			reply_error(k, "mac: not a MAC address (xx:xx:xx:xx:xx:xx)");
			return;
		}
	}
	if (uppp_server_sessions(k->ctl->cfg.srv, match_session, &m) < 0) {
		free(m.ids);
		reply_error(k, "out of memory");
		return;
	}
	if (m.n == 0) {
		char msg[UPPP_ESCAPED_MAX + 64], esc[UPPP_ESCAPED_MAX];
		uppp_escape((const uint8_t *)sel->val, sel->val_len, esc, sizeof(esc));
		snprintf(msg, sizeof(msg), "no session with %s=%s", sel->key, esc);
		reply_error(k, msg);
		return;
	}
	char text[256];
	snprintf(text, sizeof(text), "%s", cause ? cause->val : "");
	for (size_t i = 0; i < m.n; i++) {
		ctl_log(k->ctl, UPPP_LOG_INFO, "sess=%u layer=control event=kill-request uid=%u pid=%d", m.ids[i],
			(unsigned)k->uid, (int)k->pid);
		(void)uppp_server_kill(k->ctl->cfg.srv, m.ids[i], text);
	}
	reply_json(k, build_killed, &m);
	free(m.ids);
}

static void build_ok(struct uppp_json *j, void *arg)
{
	(void)arg;
	uppp_json_obj_begin(j);
	uppp_json_key(j, "ok");
	uppp_json_bool(j, true);
	uppp_json_obj_end(j);
}

static void verb_reload(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const none[] = { NULL };
	const struct uppp_server_control_ops *ops = k->ctl->cfg.ops;
	char err[512] = "";

	if (!args_known(k, r, argi, none, false))
		return;
	if (!ops || !ops->reload) {
		reply_error(k, "not supported");
		return;
	}
	ctl_log(k->ctl, UPPP_LOG_INFO, "layer=control event=reload-request uid=%u pid=%d", (unsigned)k->uid,
		(int)k->pid);
	int rc = ops->reload(k->ctl->cfg.ops_ctx, err, sizeof(err));
	if (rc < 0) {
		reply_error(k, err[0] ? err : strerror(-rc));
		return;
	}
	reply_json(k, build_ok, NULL);
}

struct text_doc {
	const char *key;
	const char *text;
	size_t len;
};

static void build_text(struct uppp_json *j, void *arg)
{
	const struct text_doc *d = arg;
	uppp_json_obj_begin(j);
	uppp_json_key(j, d->key);
	uppp_json_strn(j, (const uint8_t *)d->text, d->len);
	uppp_json_obj_end(j);
}

static void verb_show_config(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const none[] = { NULL };
	const struct uppp_server_control_ops *ops = k->ctl->cfg.ops;
	char *text = NULL;
	size_t len = 0;

	if (!args_known(k, r, argi, none, false))
		return;
	if (!ops || !ops->show_config) {
		reply_error(k, "not supported");
		return;
	}
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		reply_error(k, "out of memory");
		return;
	}
	int rc = ops->show_config(k->ctl->cfg.ops_ctx, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -ENOMEM;
	if (rc < 0) {
		reply_error(k, strerror(-rc));
	} else {
		struct text_doc d = { "config", text ? text : "", text ? len : 0 };
		reply_json(k, build_text, &d);
	}
	free(text);
}

/* ---- capture and trace (runtime/capture.h, runtime/trace.h) ---- */

static void build_capture(struct uppp_json *j, void *arg)
{
	struct uppp_capture *c = arg;
	struct uppp_capture_status st;
	uppp_json_obj_begin(j);
	uppp_json_key(j, "capture");
	uppp_json_obj_begin(j);
	if (!c) {
		uppp_json_key(j, "active");
		uppp_json_bool(j, false);
	} else {
		uppp_capture_status(c, &st);
		uppp_json_key(j, "active");
		uppp_json_bool(j, st.active);
		uppp_json_kv_str(j, "file", st.path);
		uppp_json_key(j, "data");
		uppp_json_bool(j, st.data);
		uppp_json_kv_u64(j, "size_mb", st.size_bytes >> 20);
		uppp_json_kv_u64(j, "files", st.files);
		uppp_json_kv_u64(j, "frames", st.frames);
		uppp_json_kv_u64(j, "bytes", st.bytes);
		uppp_json_kv_u64(j, "rotations", st.rotations);
		if (st.error[0])
			uppp_json_kv_str(j, "error", st.error);
	}
	uppp_json_obj_end(j);
	uppp_json_obj_end(j);
}

static void verb_capture_status(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const none[] = { NULL };
	if (args_known(k, r, argi, none, false))
		reply_json(k, build_capture, *uppp_server_capture_slot(k->ctl->cfg.srv));
}

/* capture start file=PATH [data=1] [size=MB] [files=N]: a capture file may
 * be anywhere and is written with the server's rights, so only root and
 * the server's own user may ask (the socket's group may not). */
static void verb_capture_start(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const keys[] = { "file", "data", "size", "files", NULL };
	struct uppp_capture **slot = uppp_server_capture_slot(k->ctl->cfg.srv);
	const struct uppp_ctl_word *file = arg_find(r, argi, "file"), *data = arg_find(r, argi, "data");
	const struct uppp_ctl_word *size = arg_find(r, argi, "size"), *files = arg_find(r, argi, "files");
	struct uppp_capture_config cc = { 0 };
	char err[512];

	if (!args_known(k, r, argi, keys, true))
		return;
	if (k->uid != 0 && k->uid != geteuid()) {
		reply_error(k, "capture start: only root or the server's own user may choose a file the server writes");
		return;
	}
	if (!file || file->val[0] != '/') {
		reply_error(k, "capture start needs file=PATH, an absolute path");
		return;
	}
	cc.path = file->val;
	cc.data = data && strcmp(data->val, "0") != 0;
	if (size) {
		char *end;
		unsigned long mb = strtoul(size->val, &end, 10);
		if (!size->val[0] || *end || mb < 1 || mb > UPPP_CAPTURE_SIZE_MB_MAX) {
			reply_error(k, "size: not 1..65536 MiB");
			return;
		}
		cc.size_bytes = (uint64_t)mb << 20;
	}
	if (files) {
		char *end;
		unsigned long n = strtoul(files->val, &end, 10);
		if (!files->val[0] || *end || n < 1 || n > UPPP_CAPTURE_FILES_MAX) {
			reply_error(k, "files: not 1..1000");
			return;
		}
		cc.files = (unsigned)n;
	}
	if (*slot) {
		struct uppp_capture_status st;
		uppp_capture_status(*slot, &st);
		if (st.active) {
			reply_error(k, "a capture is running already (capture stop first)");
			return;
		}
		uppp_capture_close(*slot);   /* one that stopped on an error */
		*slot = NULL;
	}
	ctl_log(k->ctl, UPPP_LOG_INFO, "layer=control event=capture-start uid=%u pid=%d", (unsigned)k->uid,
		(int)k->pid);
	if (uppp_capture_open(&cc, uppp_server_host(k->ctl->cfg.srv), slot, err, sizeof(err)) < 0) {
		reply_error(k, err);
		return;
	}
	reply_json(k, build_capture, *slot);
}

static void verb_capture_stop(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const none[] = { NULL };
	struct uppp_capture **slot = uppp_server_capture_slot(k->ctl->cfg.srv);
	if (!args_known(k, r, argi, none, false))
		return;
	if (!*slot) {
		reply_error(k, "no capture is running");
		return;
	}
	ctl_log(k->ctl, UPPP_LOG_INFO, "layer=control event=capture-stop uid=%u pid=%d", (unsigned)k->uid,
		(int)k->pid);
	uppp_capture_close(*slot);
	*slot = NULL;
	reply_json(k, build_ok, NULL);
}

/* trace [sid=N] [mac=M]: the connection is handed to the trace hub and
 * stays open (runtime/trace.h); this slot is free again. */
static void verb_trace(struct ctl_conn *k, const struct uppp_ctl_request *r, unsigned argi)
{
	static const char *const keys[] = { "sid", "mac", NULL };
	struct uppp_control *c = k->ctl;
	const struct uppp_ctl_word *sid = arg_find(r, argi, "sid"), *mac = arg_find(r, argi, "mac");
	struct uppp_trace_filter f = { 0 };

	if (!args_known(k, r, argi, keys, true))
		return;
	if (sid) {
		char *end;
		unsigned long v = strtoul(sid->val, &end, 10);
		if (!sid->val[0] || *end || v < 1 || v > 0xfffe) {
			reply_error(k, "sid: not a session id (1..65534)");
			return;
		}
		f.by_sid = true;
		f.sid = (uint16_t)v;
	}
	if (mac) {
		if (!parse_mac(mac->val, f.mac)) {
			reply_error(k, "mac: not a MAC address (xx:xx:xx:xx:xx:xx)");
			return;
		}
		f.by_mac = true;
	}
	if (!c->traces && !(c->traces = uppp_trace_hub_new(uppp_server_host(c->cfg.srv), c->cfg.loop, c->cfg.log))) {
		reply_error(k, "out of memory");
		return;
	}
	if (uppp_trace_hub_full(c->traces)) {
		char msg[64];
		snprintf(msg, sizeof(msg), "busy: %u traces run already", UPPP_TRACE_MAX_CONNS);
		reply_error(k, msg);
		return;
	}
	int fd = k->fd;
	uppp_loop_del_fd(c->cfg.loop, fd);
	if (uppp_trace_attach(c->traces, fd, &f) < 0) {
		close(fd);   /* the client sees its connection end */
	}
	/* the slot forgets the descriptor: it is the trace's (or closed) */
	uppp_timer_cancel(c->cfg.loop, &k->timer);
	k->fd = -1;
	k->in_len = 0;
	k->replying = false;
}

/* The verbs: the words that name each (one or two), then its handler. A
 * new verb (capture start, trace ...) is one line here. */
static const struct verb {
	const char *words[2];
	verb_fn *fn;
} verbs[] = {
	{ { "sessions", NULL }, verb_sessions },
	{ { "kill", NULL }, verb_kill },
	{ { "stats", NULL }, verb_stats },
	{ { "reload", NULL }, verb_reload },
	{ { "show", "config" }, verb_show_config },
	{ { "capture", "start" }, verb_capture_start },   /* before "capture" alone */
	{ { "capture", "stop" }, verb_capture_stop },
	{ { "capture", NULL }, verb_capture_status },
	{ { "trace", NULL }, verb_trace },
};

static void dispatch(struct ctl_conn *k, const char *line, size_t len)
{
	struct uppp_ctl_request *r = malloc(sizeof(*r));
	char err[256];

	if (!r) {
		reply_error(k, "out of memory");
		return;
	}
	if (uppp_ctl_parse(line, len, r, err, sizeof(err)) < 0) {
		reply_error(k, err);
		free(r);
		return;
	}
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
		unsigned n = verbs[v].words[1] ? 2 : 1;
		if (r->n < n || r->w[0].val || strcmp(r->w[0].key, verbs[v].words[0]) != 0)
			continue;
		if (n == 2 && (r->w[1].val || strcmp(r->w[1].key, verbs[v].words[1]) != 0))
			continue;
		ctl_log(k->ctl, UPPP_LOG_DEBUG, "layer=control event=request verb=%s%s%s uid=%u pid=%d",
			verbs[v].words[0], n == 2 ? "-" : "", n == 2 ? verbs[v].words[1] : "", (unsigned)k->uid,
			(int)k->pid);
		verbs[v].fn(k, r, n);
		free(r);
		return;
	}
	char msg[UPPP_ESCAPED_MAX + 128], esc[UPPP_ESCAPED_MAX];
	uppp_escape((const uint8_t *)r->w[0].key, strnlen(r->w[0].key, 255), esc, sizeof(esc));
	snprintf(msg, sizeof(msg), "unknown verb '%s' (expected sessions, kill, stats, reload, show config, "
		 "capture or trace)", esc);
	reply_error(k, msg);
	free(r);
}

/* ---- connections ---- */

static void conn_readable(struct ctl_conn *k)
{
	for (;;) {
		size_t room = sizeof(k->in) - k->in_len;
		ssize_t n = room ? recv(k->fd, k->in + k->in_len, room, MSG_DONTWAIT) : 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			conn_close(k);
			return;
		}
		if (n == 0 && room) {
			/* EOF: what came is the request (a client may omit the
			 * newline and shut its side down), if anything came */
			if (k->in_len == 0) {
				conn_close(k);
				return;
			}
			dispatch(k, k->in, k->in_len);
			return;
		}
		size_t from = k->in_len;
		k->in_len += (size_t)n;
		char *nl = memchr(k->in + from, '\n', k->in_len - from);
		if (nl) {
			dispatch(k, k->in, (size_t)(nl - k->in));
			return;
		}
		if (k->in_len > UPPP_CTL_LINE_MAX) {
			char msg[64];
			snprintf(msg, sizeof(msg), "request longer than %u bytes", UPPP_CTL_LINE_MAX);
			reply_error(k, msg);
			return;
		}
	}
}

static void conn_event(void *ctx, int fd, uint32_t events)
{
	struct ctl_conn *k = ctx;
	(void)fd;
	if (k->replying) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			conn_flush(k);
		return;
	}
	conn_readable(k);
	if (k->fd >= 0 && k->replying)
		conn_flush(k);
}

static void conn_timeout(void *ctx, uint64_t now)
{
	struct ctl_conn *k = ctx;
	(void)now;
	ctl_log(k->ctl, UPPP_LOG_DEBUG, "layer=control event=timeout uid=%u pid=%d reason=\"%s\"", (unsigned)k->uid,
		(int)k->pid, k->replying ? "the client did not read its reply" : "the client sent no request line");
	conn_close(k);
}

static void listener_event(void *ctx, int fd, uint32_t events)
{
	struct uppp_control *c = ctx;
	(void)events;
	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR)
				continue;
			return;   /* EAGAIN, or EMFILE & co.: the client sees its connection refused */
		}
		struct ctl_conn *k = NULL;
		for (size_t i = 0; i < UPPP_CTL_MAX_CONNS && !k; i++)
			if (c->conns[i].fd < 0)
				k = &c->conns[i];
		if (!k) {
			static const char busy[] = "{\"error\":\"busy: too many control connections\"}\n";
			(void)!send(cfd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(cfd);
			ctl_log(c, UPPP_LOG_WARN, "layer=control event=busy reason=\"%u connections open\"",
				UPPP_CTL_MAX_CONNS);
			continue;
		}
		struct ucred cred = { 0 };
		socklen_t cl = sizeof(cred);
		(void)getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &cl);
		k->fd = cfd;
		k->pid = cred.pid;
		k->uid = cred.uid;
		k->in_len = 0;
		k->replying = false;
		if (uppp_loop_add_fd(c->cfg.loop, cfd, EPOLLIN, conn_event, k) < 0) {
			close(cfd);
			k->fd = -1;
			continue;
		}
		uppp_timer_arm(c->cfg.loop, &k->timer, uppp_loop_now(c->cfg.loop) + UPPP_CTL_REQUEST_TIMEOUT_MS);
	}
}

/* ---- the socket file ---- */

/* Someone listens on path? 1 yes, 0 no (stale), -errno. */
static int socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	int err = errno;
	close(fd);
	if (rc == 0 || err == EAGAIN || err == EINPROGRESS)
		return 1;
	if (err == ECONNREFUSED)
		return 0;
	return -err;
}

static int make_dir(struct uppp_control *c, const char *path)
{
	static const char run_dir[] = "/run/uppp/";
	if (strncmp(path, run_dir, sizeof(run_dir) - 1) != 0 || strchr(path + sizeof(run_dir) - 1, '/'))
		return 0;
	if (mkdir("/run/uppp", 0755) < 0 && errno != EEXIST) {
		int err = errno;
		ctl_log(c, UPPP_LOG_ERR, "layer=control event=open-failed path=%s err=\"mkdir /run/uppp: %s\"", path,
			strerror(err));
		return -err;
	}
	return 0;
}

static int open_socket(struct uppp_control *c)
{
	const char *path = c->cfg.path;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		ctl_log(c, UPPP_LOG_ERR, "layer=control event=open-failed path=%s err=\"path longer than %zu bytes\"",
			path, sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	gid_t gid = (gid_t)-1;
	if (c->cfg.group) {
		struct group gr, *res = NULL;
		char buf[4096];
		if (getgrnam_r(c->cfg.group, &gr, buf, sizeof(buf), &res) != 0 || !res) {
			ctl_log(c, UPPP_LOG_ERR, "layer=control event=open-failed path=%s group=%s err=\"no such group\"",
				path, c->cfg.group);
			return -EINVAL;
		}
		gid = gr.gr_gid;
	}
	if ((rc = make_dir(c, path)) < 0)
		return rc;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	for (int attempt = 0;; attempt++) {
		if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		int err = errno;
		if (err != EADDRINUSE || attempt > 0) {
			ctl_log(c, UPPP_LOG_ERR, "layer=control event=open-failed path=%s err=\"bind: %s\"", path,
				strerror(err));
			return -err;
		}
		if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
			ctl_log(c, UPPP_LOG_ERR, "layer=control event=open-failed path=%s err=\"exists and is not a "
				"socket; remove it or choose another --control path\"", path);
			return -EEXIST;
		}
		int alive = socket_alive(&sa);
		if (alive != 0) {
			ctl_log(c, UPPP_LOG_ERR, "layer=control event=open-failed path=%s err=\"%s\"", path,
				alive > 0 ? "another server answers on this control socket (one socket per server: "
				"--control PATH)" : strerror(-alive));
			return alive > 0 ? -EADDRINUSE : alive;
		}
		ctl_log(c, UPPP_LOG_INFO, "layer=control event=stale-socket path=%s reason=\"no server answers on it: "
			"replaced\"", path);
		unlink(path);
	}
	if (chmod(path, 0660) < 0 || (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0)) {
		int err = errno;
		ctl_log(c, UPPP_LOG_ERR, "layer=control event=open-failed path=%s err=\"chmod/chown: %s\"", path,
			strerror(err));
		unlink(path);
		return -err;
	}
	if (stat(path, &st) == 0) {
		c->dev = st.st_dev;
		c->ino = st.st_ino;
	}
	if (listen(c->fd, UPPP_CTL_MAX_CONNS) < 0) {
		int err = errno;
		unlink(path);
		return -err;
	}
	return 0;
}

int uppp_control_open(const struct uppp_control_config *cfg, struct uppp_control **out)
{
	struct uppp_control *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return -ENOMEM;
	c->cfg = *cfg;
	c->fd = -1;
	for (size_t i = 0; i < UPPP_CTL_MAX_CONNS; i++) {
		c->conns[i].ctl = c;
		c->conns[i].fd = -1;
		uppp_timer_init(&c->conns[i].timer, conn_timeout, &c->conns[i]);
	}
	if ((rc = open_socket(c)) < 0 || (rc = uppp_loop_add_fd(cfg->loop, c->fd, EPOLLIN, listener_event, c)) < 0) {
		bool made = c->ino != 0;
		if (c->fd >= 0)
			close(c->fd);
		if (made)
			unlink(cfg->path);
		free(c);
		return rc;
	}
	ctl_log(c, UPPP_LOG_INFO, "layer=control event=listening path=%s mode=0660%s%s", cfg->path,
		cfg->group ? " group=" : "", cfg->group ? cfg->group : "");
	*out = c;
	return 0;
}

void uppp_control_close(struct uppp_control *c)
{
	struct stat st;

	if (!c)
		return;
	for (size_t i = 0; i < UPPP_CTL_MAX_CONNS; i++)
		conn_close(&c->conns[i]);
	uppp_trace_hub_free(c->traces);
	uppp_loop_del_fd(c->cfg.loop, c->fd);
	close(c->fd);
	/* only our own socket file: another server may have taken the path
	 * since (after --run-as the directory may refuse us: the next start
	 * finds the file stale and replaces it) */
	if (stat(c->cfg.path, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino && unlink(c->cfg.path) < 0)
		ctl_log(c, UPPP_LOG_DEBUG, "layer=control event=unlink-failed path=%s err=\"%s\"", c->cfg.path,
			strerror(errno));
	free(c);
}
