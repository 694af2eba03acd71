/* runtime/control_proto.c — request parsing and reply formatting of the
 * control socket (runtime/control_proto.h). */
#include "runtime/control_proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Decodes src[0..n) into *out (advanced past a NUL it appends). Returns the
 * decoded length, or -1 on a bad %XX. */
static long decode(const char *src, size_t n, char **out)
{
	char *o = *out;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (src[i] != '%') {
			o[k++] = src[i];
			continue;
		}
		int hi = i + 1 < n ? uppp_hex_digit(src[i + 1]) : -1;
		int lo = i + 2 < n ? uppp_hex_digit(src[i + 2]) : -1;
		if (hi < 0 || lo < 0)
			return -1;
		o[k++] = (char)(hi << 4 | lo);
		i += 2;
	}
	o[k] = '\0';
	*out = o + k + 1;
	return (long)k;
}

int uppp_ctl_parse(const char *line, size_t len, struct uppp_ctl_request *req, char *err, size_t errlen)
{
	char *store = req->store;

	req->n = 0;
	if (len && line[len - 1] == '\r')
		len--;
	if (len > UPPP_CTL_LINE_MAX)
		return fail(err, errlen, "request longer than %u bytes", UPPP_CTL_LINE_MAX);
	for (size_t i = 0; i < len;) {
		if (line[i] == ' ' || line[i] == '\t') {
			i++;
			continue;
		}
		size_t start = i, eq = 0;
		bool has_eq = false;
		for (; i < len && line[i] != ' ' && line[i] != '\t'; i++) {
			unsigned char c = (unsigned char)line[i];
			if (c < 0x21 || c > 0x7e)
				return fail(err, errlen, "byte 0x%02x at offset %zu must be written %%%02X", c, i, c);
			if (c == '=' && !has_eq) {
				has_eq = true;
				eq = i;
			}
		}
		if (req->n == UPPP_CTL_MAX_WORDS)
			return fail(err, errlen, "more than %u words", UPPP_CTL_MAX_WORDS);
		struct uppp_ctl_word *w = &req->w[req->n];
		size_t key_end = has_eq ? eq : i;
		if (key_end == start)
			return fail(err, errlen, "word %u has an empty name before '='", req->n + 1);
		w->key = store;
		if (decode(line + start, key_end - start, &store) < 0)
			return fail(err, errlen, "word %u: '%%' must be followed by two hex digits", req->n + 1);
		w->val = NULL;
		w->val_len = 0;
		if (has_eq) {
			w->val = store;
			long vl = decode(line + eq + 1, i - eq - 1, &store);
			if (vl < 0)
				return fail(err, errlen, "word %u: '%%' must be followed by two hex digits", req->n + 1);
			w->val_len = (size_t)vl;
		}
		req->n++;
	}
	if (req->n == 0)
		return fail(err, errlen, "empty request");
	return 0;
}

size_t uppp_ctl_encode(const uint8_t *s, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		bool plain = c > 0x20 && c < 0x7f && c != '%';
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };
		for (size_t m = 0; m < (plain ? 1u : 3u); m++, k++)
			if (k + 1 < cap)
				out[k] = plain ? (char)c : e[m];
	}
	if (cap)
		out[k < cap ? k : cap - 1] = '\0';
	return k;
}

const char *uppp_ctl_auth_name(enum uppp_auth_method m)
{
	switch (m) {
	case UPPP_AUTH_NONE: return "none";
	case UPPP_AUTH_PAP: return "pap";
	case UPPP_AUTH_CHAP_MD5: return "chap-md5";
	case UPPP_AUTH_MSCHAPV2: return "mschapv2";
	}
	return "unknown";
}

void uppp_ctl_json_error(struct uppp_json *j, const char *msg)
{
	uppp_json_obj_begin(j);
	uppp_json_kv_str(j, "error", msg);
	uppp_json_obj_end(j);
}

static void ip_str(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

void uppp_ctl_json_session(struct uppp_json *j, const struct uppp_server_session *s)
{
	char mac[18], ip[16];

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", s->peer_mac[0], s->peer_mac[1], s->peer_mac[2],
		 s->peer_mac[3], s->peer_mac[4], s->peer_mac[5]);
	ip_str(s->peer_ip, ip);
	uppp_json_obj_begin(j);
	uppp_json_kv_u64(j, "id", s->id);
	uppp_json_kv_str(j, "user", s->user);
	uppp_json_kv_str(j, "mac", mac);
	uppp_json_key(j, "ip");
	if (s->peer_ip)
		uppp_json_str(j, ip);
	else
		uppp_json_null(j);
	uppp_json_kv_str(j, "interface", s->ifname);
	uppp_json_kv_str(j, "state", s->state ? s->state : "unknown");
	uppp_json_kv_u64(j, "up_since_ms", s->up_since_ms);
	uppp_json_kv_u64(j, "uptime_s", s->uptime_ms / 1000);
	uppp_json_kv_u64(j, "bytes_in", s->bytes_in);
	uppp_json_kv_u64(j, "packets_in", s->packets_in);
	uppp_json_kv_u64(j, "bytes_out", s->bytes_out);
	uppp_json_kv_u64(j, "packets_out", s->packets_out);
	uppp_json_kv_str(j, "auth", uppp_ctl_auth_name(s->auth));
	uppp_json_kv_str(j, "cause", uppp_cause_name(s->last_cause));
	uppp_json_obj_end(j);
}

/* The counters by reason, by method and by cause, each with its name: one
 * table for JSON and Prometheus alike. */
struct named { const char *name; uint64_t v; };

static size_t drops(const struct uppp_server_stats *st, struct named out[9])
{
	const struct named d[] = {
		{ "malformed", st->dropped_malformed },       { "unknown_session", st->dropped_unknown_session },
		{ "no_service", st->dropped_no_service },     { "limit", st->dropped_limit },
		{ "bad_cookie", st->dropped_bad_cookie },     { "bad_source", st->dropped_bad_source },
		{ "rate_limited", st->dropped_rate_limited }, { "negotiating", st->dropped_negotiating },
		{ "auth_limited", st->dropped_auth_limited },
	};
	memcpy(out, d, sizeof(d));
	return 9;
}

static size_t discovery(const struct uppp_server_stats *st, struct named out[6])
{
	const struct named d[] = {
		{ "padi_rx", st->padi_rx }, { "pado_tx", st->pado_tx }, { "padr_rx", st->padr_rx },
		{ "pads_tx", st->pads_tx }, { "padt_rx", st->padt_rx }, { "padt_tx", st->padt_tx },
	};
	memcpy(out, d, sizeof(d));
	return 6;
}

static const enum uppp_auth_method methods[] = { UPPP_AUTH_PAP, UPPP_AUTH_CHAP_MD5, UPPP_AUTH_MSCHAPV2 };

/* "key": { name: value, ... } for the k counters in n. */
static void json_group(struct uppp_json *j, const char *key, const struct named *n, size_t k)
{
	uppp_json_key(j, key);
	uppp_json_obj_begin(j);
	for (size_t i = 0; i < k; i++)
		uppp_json_kv_u64(j, n[i].name, n[i].v);
	uppp_json_obj_end(j);
}

void uppp_ctl_json_stats(struct uppp_json *j, const struct uppp_server_stats *st)
{
	struct named n[9];

	uppp_json_obj_begin(j);
	json_group(j, "discovery", n, discovery(st, n));
	json_group(j, "dropped", n, drops(st, n));
	uppp_json_key(j, "auth");
	uppp_json_obj_begin(j);
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		uppp_json_key(j, uppp_ctl_auth_name(methods[i]));
		uppp_json_obj_begin(j);
		uppp_json_kv_u64(j, "accepted", st->auth_accepted[methods[i]]);
		uppp_json_kv_u64(j, "refused", st->auth_refused[methods[i]]);
		uppp_json_obj_end(j);
	}
	uppp_json_obj_end(j);
	uppp_json_key(j, "sessions");
	uppp_json_obj_begin(j);
	uppp_json_kv_u64(j, "current", st->sessions);
	uppp_json_kv_u64(j, "negotiating", st->negotiating);
	uppp_json_kv_u64(j, "up", st->sessions_up);
	uppp_json_kv_u64(j, "down", st->sessions_down);
	uppp_json_key(j, "down_by_cause");
	uppp_json_obj_begin(j);
	for (unsigned c = 0; c < UPPP_CAUSE_COUNT; c++)
		if (c != UPPP_CAUSE_NONE || st->sessions_down_by_cause[c])
			uppp_json_kv_u64(j, uppp_cause_name((enum uppp_cause)c), st->sessions_down_by_cause[c]);
	uppp_json_obj_end(j);
	uppp_json_obj_end(j);
	uppp_json_key(j, "rate_limit_hits");
	uppp_json_obj_begin(j);
	uppp_json_kv_u64(j, "discovery", st->dropped_rate_limited);
	uppp_json_kv_u64(j, "auth", st->dropped_auth_limited);
	uppp_json_obj_end(j);
	uppp_json_key(j, "leases");
	uppp_json_obj_begin(j);
	uppp_json_kv_u64(j, "in_use", st->leases_in_use);
	uppp_json_kv_u64(j, "free", st->leases_free);
	uppp_json_obj_end(j);
	uppp_json_kv_u64(j, "ip_dropped_no_session", st->ip_dropped_no_session);
	uppp_json_obj_end(j);
}

/* ---- Prometheus text format 0.0.4 ---- */

struct prom {
	char *p;
	size_t cap, len;
};

static void pf(struct prom *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pf(struct prom *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	va_start(ap, fmt);
	int n = vsnprintf(room ? o->p + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void header(struct prom *o, const char *name, const char *type, const char *help)
{
	pf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped (the format's
 * only escapes); every value here is one of our own names, but a name is
 * never trusted to need none. */
static void label_value(struct prom *o, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\')
			pf(o, "\\\\");
		else if (*v == '"')
			pf(o, "\\\"");
		else if (*v == '\n')
			pf(o, "\\n");
		else
			pf(o, "%c", *v);
	}
}

static void sample(struct prom *o, const char *name, const char *label, const char *value, uint64_t v)
{
	if (label) {
		pf(o, "%s{%s=\"", name, label);
		label_value(o, value);
		pf(o, "\"} %llu\n", (unsigned long long)v);
	} else {
		pf(o, "%s %llu\n", name, (unsigned long long)v);
	}
}

size_t uppp_ctl_prometheus(const struct uppp_server_stats *st, char *out, size_t cap)
{
	struct prom o = { out, cap, 0 };
	struct named n[9];
	size_t k;

	if (cap)
		out[0] = '\0';
	header(&o, "uppp_discovery_frames_total", "counter", "PPPoE discovery frames received (PADI, PADR, PADT) and sent (PADO, PADS, PADT), by code and direction.");
	k = discovery(st, n);
	for (size_t i = 0; i < k; i++) {
		char code[5];
		snprintf(code, sizeof(code), "%.4s", n[i].name);
		pf(&o, "uppp_discovery_frames_total{code=\"");
		label_value(&o, code);
		pf(&o, "\",direction=\"%s\"} %llu\n", strstr(n[i].name, "_rx") ? "rx" : "tx", (unsigned long long)n[i].v);
	}
	header(&o, "uppp_discovery_dropped_total", "counter", "PPPoE frames dropped, by reason.");
	k = drops(st, n);
	for (size_t i = 0; i < k; i++)
		sample(&o, "uppp_discovery_dropped_total", "reason", n[i].name, n[i].v);
	header(&o, "uppp_auth_accepted_total", "counter", "Authentications accepted, by method.");
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		sample(&o, "uppp_auth_accepted_total", "method", uppp_ctl_auth_name(methods[i]), st->auth_accepted[methods[i]]);
	header(&o, "uppp_auth_refused_total", "counter", "Authentications refused, by method.");
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		sample(&o, "uppp_auth_refused_total", "method", uppp_ctl_auth_name(methods[i]), st->auth_refused[methods[i]]);
	header(&o, "uppp_sessions_up_total", "counter", "Sessions whose IPCP came up.");
	sample(&o, "uppp_sessions_up_total", NULL, NULL, st->sessions_up);
	header(&o, "uppp_sessions_down_total", "counter", "Sessions ended (past PADS), by cause.");
	for (unsigned c = 0; c < UPPP_CAUSE_COUNT; c++)
		if (c != UPPP_CAUSE_NONE || st->sessions_down_by_cause[c])
			sample(&o, "uppp_sessions_down_total", "cause", uppp_cause_name((enum uppp_cause)c),
			       st->sessions_down_by_cause[c]);
	header(&o, "uppp_rate_limit_hits_total", "counter", "PADI/PADR dropped by a rate limit (discovery) or a MAC's failed-login limit (auth).");
	sample(&o, "uppp_rate_limit_hits_total", "limit", "discovery", st->dropped_rate_limited);
	sample(&o, "uppp_rate_limit_hits_total", "limit", "auth", st->dropped_auth_limited);
	header(&o, "uppp_ip_dropped_no_session_total", "counter", "IP packets from the interfaces that no session took.");
	sample(&o, "uppp_ip_dropped_no_session_total", NULL, NULL, st->ip_dropped_no_session);
	header(&o, "uppp_sessions", "gauge", "Sessions now (past PADS).");
	sample(&o, "uppp_sessions", NULL, NULL, st->sessions);
	header(&o, "uppp_sessions_negotiating", "gauge", "Sessions now past PADS whose IPCP is not up.");
	sample(&o, "uppp_sessions_negotiating", NULL, NULL, st->negotiating);
	header(&o, "uppp_leases", "gauge", "Addresses of the pool, by state.");
	sample(&o, "uppp_leases", "state", "in_use", st->leases_in_use);
	sample(&o, "uppp_leases", "state", "free", st->leases_free);
	return o.len;
}
