/* cli/ctl.c — `uppp sessions`, `uppp kill`, `uppp stats`: one request line
 * to the server's control socket, one reply read back (docs/control.md),
 * shown as a table or text, or passed through (--json, --prometheus). Plain
 * libc: the cli includes only include/uppp/ and system headers. */
#include "cli/ctl.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "uppp/cmdline.h"

#define RUN_DIR "/run/uppp"
#define REPLY_TIMEOUT_MS 15000
#define REPLY_MAX (64u << 20)

/* ---- talking to the socket ---- */

/* The socket to use: --control, else the only one under /run/uppp. 0 with
 * path filled, or 1 with the reason printed. */
static int find_socket(const char *verb, const char *given, char *path, size_t cap)
{
	if (given) {
		snprintf(path, cap, "%s", given);
		return 0;
	}
	DIR *d = opendir(RUN_DIR);
	unsigned n = 0;
	char names[8][256];
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			size_t l = strlen(e->d_name);
			if (l < 6 || strcmp(e->d_name + l - 5, ".sock") != 0)
				continue;
			if (n < 8)
				snprintf(names[n], sizeof(names[n]), "%s", e->d_name);
			n++;
		}
		closedir(d);
	}
	if (n == 0) {
		fprintf(stderr, "uppp %s: no control socket under " RUN_DIR "/: is `uppp server` running? "
			"(or give --control PATH)\n", verb);
		return 1;
	}
	if (n > 1) {
		fprintf(stderr, "uppp %s: %u servers have a control socket; say which with --control PATH:\n", verb, n);
		for (unsigned i = 0; i < n && i < 8; i++)
			fprintf(stderr, "  " RUN_DIR "/%s\n", names[i]);
		return 1;
	}
	snprintf(path, cap, RUN_DIR "/%s", names[0]);
	return 0;
}

/* Sends line, reads the whole reply into *out (malloc'd, NUL-terminated).
 * 0, or 1 with the reason printed. */
static int transact(const char *verb, const char *path, const char *line, char **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "uppp %s: control socket path too long: %s\n", verb, path);
		return 1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;
		fprintf(stderr, "uppp %s: cannot reach the server at %s: %s%s\n", verb, path, strerror(err),
			err == ENOENT || err == ECONNREFUSED ? " (is `uppp server` running?)"
			: err == EACCES ? " (the socket is for root and its group: see --control-group)" : "");
		if (fd >= 0)
			close(fd);
		return 1;
	}
	size_t len = strlen(line), off = 0;
	while (off < len) {
		ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "uppp %s: sending to %s: %s\n", verb, path, strerror(errno));
			close(fd);
			return 1;
		}
		off += (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	size_t cap = 65536, got = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fprintf(stderr, "uppp %s: out of memory\n", verb);
			close(fd);
			return 1;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int pr = poll(&p, 1, REPLY_TIMEOUT_MS);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			fprintf(stderr, "uppp %s: no reply from %s within %d s\n", verb, path, REPLY_TIMEOUT_MS / 1000);
			free(buf);
			close(fd);
			return 1;
		}
		ssize_t n = read(fd, buf + got, cap - got - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "uppp %s: reading from %s: %s\n", verb, path, strerror(errno));
			free(buf);
			close(fd);
			return 1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got + 1 == cap) {
			if (cap >= REPLY_MAX) {
				fprintf(stderr, "uppp %s: reply too large\n", verb);
				free(buf);
				close(fd);
				return 1;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	return 0;
}

/* A value of a request word: printable ASCII but space and '%' as is, any
 * other byte %XX (docs/control.md). */
static void encode(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k + 4 < cap; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '%') {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hex[*p >> 4];
			out[k++] = hex[*p & 15];
		}
	}
	out[k] = '\0';
}

/* ---- a small JSON reader: what the server sends (objects, arrays,
 * strings, unsigned numbers, true, false, null) ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	char *s;            /* J_STR: decoded bytes (NUL-terminated); J_NUM: the digits */
	size_t slen;
	bool b;
	struct jv *kids;    /* J_ARR, J_OBJ: n values */
	char **keys;        /* J_OBJ: n decoded keys */
	size_t n;
};

struct jp {
	const char *p, *end;
	int depth;
};

static void ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string at j->p (its '"'); \u00XX below 0x100 gives that byte back (the
 * server writes a byte of no UTF-8 sequence so). */
static char *jstring(struct jp *j, size_t *len)
{
	const char *p = j->p + 1;
	char *o = malloc((size_t)(j->end - p) + 1);
	size_t k = 0;
	if (!o)
		return NULL;
	while (p < j->end && *p != '"') {
		if (*p != '\\') {
			o[k++] = *p++;
			continue;
		}
		if (++p >= j->end)
			break;
		char c = *p++;
		switch (c) {
		case 'n': o[k++] = '\n'; break;
		case 't': o[k++] = '\t'; break;
		case 'r': o[k++] = '\r'; break;
		case 'b': o[k++] = '\b'; break;
		case 'f': o[k++] = '\f'; break;
		case 'u': {
			unsigned cp;
			if (j->end - p < 4 || hex4(p, &cp) < 0) {
				free(o);
				return NULL;
			}
			p += 4;
			if (cp < 0x100)
				o[k++] = (char)cp;
			else
				k += put_utf8(o + k, cp);
			break;
		}
		default: o[k++] = c; break;
		}
	}
	if (p >= j->end) {
		free(o);
		return NULL;
	}
	j->p = p + 1;
	o[k] = '\0';
	*len = k;
	return o;
}

static void jfree(struct jv *v)
{
	free(v->s);
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
}

static int jvalue(struct jp *j, struct jv *v);

static int jcontainer(struct jp *j, struct jv *v, bool obj)
{
	size_t cap = 0;
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
		j->p++;
		return 0;
	}
	for (;;) {
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			struct jv *k = realloc(v->kids, cap * sizeof(*k));
			if (!k)
				return -1;
			v->kids = k;
			if (obj) {
				char **ks = realloc(v->keys, cap * sizeof(*ks));
				if (!ks)
					return -1;
				v->keys = ks;
			}
		}
		ws(j);
		if (obj) {
			size_t kl;
			if (j->p >= j->end || *j->p != '"')
				return -1;
			char *key = jstring(j, &kl);
			if (!key)
				return -1;
			v->keys[v->n] = key;
			ws(j);
			if (j->p >= j->end || *j->p != ':') {
				free(key);
				return -1;
			}
			j->p++;
		}
		memset(&v->kids[v->n], 0, sizeof(v->kids[0]));
		int rc = jvalue(j, &v->kids[v->n]);
		v->n++;
		if (rc < 0)
			return -1;
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
			j->p++;
			return 0;
		}
		return -1;
	}
}

static int jvalue(struct jp *j, struct jv *v)
{
	ws(j);
	if (j->p >= j->end || ++j->depth > 32)
		return -1;
	int rc = 0;
	char c = *j->p;
	if (c == '{' || c == '[') {
		v->t = c == '{' ? J_OBJ : J_ARR;
		rc = jcontainer(j, v, c == '{');
	} else if (c == '"') {
		v->t = J_STR;
		v->s = jstring(j, &v->slen);
		rc = v->s ? 0 : -1;
	} else if (c >= '0' && c <= '9') {
		const char *s = j->p;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
		v->t = J_NUM;
		v->s = strndup(s, (size_t)(j->p - s));
		rc = v->s ? 0 : -1;
	} else if (j->end - j->p >= 4 && !memcmp(j->p, "true", 4)) {
		v->t = J_BOOL;
		v->b = true;
		j->p += 4;
	} else if (j->end - j->p >= 5 && !memcmp(j->p, "false", 5)) {
		v->t = J_BOOL;
		j->p += 5;
	} else if (j->end - j->p >= 4 && !memcmp(j->p, "null", 4)) {
		v->t = J_NULL;
		j->p += 4;
	} else {
		rc = -1;
	}
	j->depth--;
	return rc;
}

static int jparse(const char *text, struct jv *v)
{
	struct jp j = { text, text + strlen(text), 0 };
	memset(v, 0, sizeof(*v));
	if (jvalue(&j, v) < 0)
		return -1;
	ws(&j);
	return j.p == j.end ? 0 : -1;
}

static const struct jv *jget(const struct jv *o, const char *key)
{
	if (!o || o->t != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->kids[i];
	return NULL;
}

static const char *jstr(const struct jv *o, const char *key)
{
	const struct jv *v = jget(o, key);
	return v && (v->t == J_STR || v->t == J_NUM) ? v->s : "-";
}

static unsigned long long jnum(const struct jv *o, const char *key)
{
	const struct jv *v = jget(o, key);
	return v && v->t == J_NUM ? strtoull(v->s, NULL, 10) : 0;
}

/* A peer's string for a terminal: printable ASCII, the rest \xNN. */
static void safe(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k + 5 < cap; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			out[k++] = (char)*p;
		} else {
			out[k++] = '\\';
			out[k++] = 'x';
			out[k++] = hex[*p >> 4];
			out[k++] = hex[*p & 15];
		}
	}
	out[k] = '\0';
}

/* The reply, parsed; an {"error": ...} is printed and gives 1. */
static int reply_parse(const char *verb, const char *text, struct jv *v)
{
	if (jparse(text, v) < 0 || v->t != J_OBJ) {
		fprintf(stderr, "uppp %s: the server's reply is not the JSON expected\n", verb);
		jfree(v);
		return 1;
	}
	const struct jv *e = jget(v, "error");
	if (e) {
		char msg[4096];
		safe(e->t == J_STR ? e->s : "?", msg, sizeof(msg));
		fprintf(stderr, "uppp %s: %s\n", verb, msg);
		jfree(v);
		return 1;
	}
	return 0;
}

/* ---- the verbs ---- */

static const char sessions_usage[] =
	"Usage: uppp sessions [--control PATH] [--json]\n"
	"\n"
	"Lists the sessions of a running `uppp server`: id, user, MAC, IP, interface,\n"
	"state, uptime, bytes and packets in (from the client) and out, auth method, cause.\n"
	"\n"
	"  --control PATH   the server's control socket (default: the one under /run/uppp/)\n"
	"  --json           the server's JSON reply as is (docs/control.md)\n"
	"  -h, --help       this text\n";

static const char kill_usage[] =
	"Usage: uppp kill SID | --user USER | --ip ADDR | --mac MAC [--cause TEXT] [--control PATH]\n"
	"\n"
	"Ends sessions of a running `uppp server` (LCP Terminate-Request and PADT), logged\n"
	"with cause admin and TEXT. --user, --ip and --mac end every session that matches.\n"
	"\n"
	"  --cause TEXT     why, for the server's log\n"
	"  --control PATH   the server's control socket (default: the one under /run/uppp/)\n"
	"  --json           the server's JSON reply as is\n"
	"  -h, --help       this text\n";

static const char stats_usage[] =
	"Usage: uppp stats [--control PATH] [--json | --prometheus]\n"
	"\n"
	"Counters of a running `uppp server`: discovery frames by code, drops by reason,\n"
	"logins by method, sessions up and down by cause, rate-limit hits, leases.\n"
	"\n"
	"  --control PATH   the server's control socket (default: the one under /run/uppp/)\n"
	"  --json           the server's JSON reply as is (docs/control.md)\n"
	"  --prometheus     Prometheus text exposition format\n"
	"  -h, --help       this text\n";

static const char reload_usage[] =
	"Usage: uppp reload [--control PATH] [--json]\n"
	"\n"
	"Makes a running `uppp server` read its options and secrets files again (as\n"
	"SIGHUP does). Sessions stay up; new logins use the new configuration. A file\n"
	"with an error is refused whole (the reply names FILE:LINE) and the configuration\n"
	"in force stays.\n"
	"\n"
	"  --control PATH   the server's control socket (default: the one under /run/uppp/)\n"
	"  --json           the server's JSON reply as is\n"
	"  -h, --help       this text\n";

static const char show_usage[] =
	"Usage: uppp show config [--control PATH] [--json]\n"
	"\n"
	"The effective configuration of a running `uppp server`, each value with where it\n"
	"came from (FILE:LINE, flag or default); secrets files with their number of\n"
	"entries, never a secret.\n"
	"\n"
	"  --control PATH   the server's control socket (default: the one under /run/uppp/)\n"
	"  --json           the server's JSON reply as is\n"
	"  -h, --help       this text\n";

enum { O_CONTROL = 300, O_JSON, O_PROM, O_USER, O_IP, O_MAC, O_CAUSE };

static const struct option ctl_opts[] = {
	{ "control", required_argument, NULL, O_CONTROL }, { "json", no_argument, NULL, O_JSON },
	{ "prometheus", no_argument, NULL, O_PROM },       { "user", required_argument, NULL, O_USER },
	{ "ip", required_argument, NULL, O_IP },           { "mac", required_argument, NULL, O_MAC },
	{ "cause", required_argument, NULL, O_CAUSE },     { "help", no_argument, NULL, 'h' },
	{ 0 },
};

struct ctl_args {
	const char *control, *user, *ip, *mac, *cause;
	bool json, prom;
	const char *sid;
};

/* Parses argv for verb, allowing the flags in allowed (their O_ codes, 0
 * ended). 0, 3 (help printed) or 2 (usage). */
static int parse(int argc, char **argv, const char *usage, const int *allowed, struct ctl_args *a)
{
	const char *verb = argv[0];
	int c;
	memset(a, 0, sizeof(*a));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", ctl_opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 3;
		}
		if (c == ':')
			return uppp_cmdline_usage_error(stderr, verb, "flag '%s' needs a value", argv[optind - 1]);
		bool ok = false;
		for (const int *p = allowed; *p; p++)
			ok |= *p == c;
		if (c == '?' || !ok)
			return uppp_cmdline_usage_error(stderr, verb, "unknown flag '%s'", argv[optind - 1]);
		switch (c) {
		case O_CONTROL: a->control = optarg; break;
		case O_JSON: a->json = true; break;
		case O_PROM: a->prom = true; break;
		case O_USER: a->user = optarg; break;
		case O_IP: a->ip = optarg; break;
		case O_MAC: a->mac = optarg; break;
		case O_CAUSE: a->cause = optarg; break;
		}
	}
	if (optind < argc) {
		if (strcmp(verb, "kill") != 0 || a->sid || optind + 1 < argc)
			return uppp_cmdline_usage_error(stderr, verb, "unexpected argument '%s'", argv[optind]);
		a->sid = argv[optind];
	}
	return 0;
}

static void human_bytes(unsigned long long b, char *out, size_t cap)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, cap, "%lluB", b);
	else
		snprintf(out, cap, "%.1f%s", v, unit[u]);
}

static void human_time(unsigned long long s, char *out, size_t cap)
{
	if (s >= 86400)
		snprintf(out, cap, "%llud%02lluh", s / 86400, s % 86400 / 3600);
	else
		snprintf(out, cap, "%02llu:%02llu:%02llu", s / 3600, s % 3600 / 60, s % 60);
}

int uppp_ctl_sessions_main(int argc, char **argv)
{
	static const int allowed[] = { O_CONTROL, O_JSON, 0 };
	struct ctl_args a;
	char path[512], *reply;
	struct jv v;
	int rc = parse(argc, argv, sessions_usage, allowed, &a);
	if (rc)
		return rc == 3 ? 0 : rc;
	if (find_socket("sessions", a.control, path, sizeof(path)) || transact("sessions", path, "sessions\n", &reply))
		return 1;
	if (reply_parse("sessions", reply, &v)) {
		free(reply);
		return 1;
	}
	if (a.json) {
		fputs(reply, stdout);
	} else {
		const struct jv *list = jget(&v, "sessions");
		printf("%-5s %-16s %-17s %-15s %-9s %-11s %-9s %-18s %-18s %-8s %s\n", "ID", "USER", "MAC", "IP",
		       "IFACE", "STATE", "UPTIME", "IN bytes/pkts", "OUT bytes/pkts", "AUTH", "CAUSE");
		for (size_t i = 0; list && list->t == J_ARR && i < list->n; i++) {
			const struct jv *s = &list->kids[i];
			char user[1024], up[32], ib[16], ob[16], in[40], out[40];
			safe(jstr(s, "user"), user, sizeof(user));
			human_time(jnum(s, "uptime_s"), up, sizeof(up));
			human_bytes(jnum(s, "bytes_in"), ib, sizeof(ib));
			human_bytes(jnum(s, "bytes_out"), ob, sizeof(ob));
			snprintf(in, sizeof(in), "%s/%llu", ib, jnum(s, "packets_in"));
			snprintf(out, sizeof(out), "%s/%llu", ob, jnum(s, "packets_out"));
			printf("%-5s %-16s %-17s %-15s %-9s %-11s %-9s %-18s %-18s %-8s %s\n", jstr(s, "id"),
			       user[0] ? user : "-", jstr(s, "mac"), jstr(s, "ip"),
			       jstr(s, "interface")[0] ? jstr(s, "interface") : "-", jstr(s, "state"), up, in, out,
			       jstr(s, "auth"), jstr(s, "cause"));
		}
	}
	jfree(&v);
	free(reply);
	return 0;
}

int uppp_ctl_kill_main(int argc, char **argv)
{
	static const int allowed[] = { O_CONTROL, O_JSON, O_USER, O_IP, O_MAC, O_CAUSE, 0 };
	struct ctl_args a;
	char path[512], *reply, line[8192], sel[2048], cause[3 * 256 + 1] = "";
	struct jv v;
	int rc = parse(argc, argv, kill_usage, allowed, &a);
	if (rc)
		return rc == 3 ? 0 : rc;
	int n = !!a.sid + !!a.user + !!a.ip + !!a.mac;
	if (n != 1)
		return uppp_cmdline_usage_error(stderr, "kill", "%s", "give exactly one of SID, --user, --ip, --mac");
	if (a.cause && strlen(a.cause) > 255)
		return uppp_cmdline_usage_error(stderr, "kill", "%s", "--cause: at most 255 bytes");
	const char *key = a.sid ? "sid" : a.user ? "user" : a.ip ? "ip" : "mac";
	encode(a.sid ? a.sid : a.user ? a.user : a.ip ? a.ip : a.mac, sel, sizeof(sel));
	if (a.cause)
		encode(a.cause, cause, sizeof(cause));
	snprintf(line, sizeof(line), "kill %s=%s%s%s\n", key, sel, a.cause ? " cause=" : "", cause);
	if (find_socket("kill", a.control, path, sizeof(path)) || transact("kill", path, line, &reply))
		return 1;
	if (reply_parse("kill", reply, &v)) {
		free(reply);
		return 1;
	}
	if (a.json) {
		fputs(reply, stdout);
	} else {
		const struct jv *k = jget(&v, "killed");
		for (size_t i = 0; k && k->t == J_ARR && i < k->n; i++)
			printf("killed session %s\n", k->kids[i].t == J_NUM ? k->kids[i].s : "?");
	}
	jfree(&v);
	free(reply);
	return 0;
}

/* stats as text: one "path value" line per number. */
static void flatten(const struct jv *v, char *prefix, size_t plen, size_t cap)
{
	if (v->t == J_OBJ) {
		for (size_t i = 0; i < v->n; i++) {
			char key[256];
			safe(v->keys[i], key, sizeof(key));
			int w = snprintf(prefix + plen, cap - plen, "%s%s", plen ? "." : "", key);
			if (w > 0 && (size_t)w < cap - plen)
				flatten(&v->kids[i], prefix, plen + (size_t)w, cap);
			prefix[plen] = '\0';
		}
	} else if (v->t == J_NUM) {
		printf("%-45s %s\n", prefix, v->s);
	}
}

int uppp_ctl_stats_main(int argc, char **argv)
{
	static const int allowed[] = { O_CONTROL, O_JSON, O_PROM, 0 };
	struct ctl_args a;
	char path[512], *reply;
	struct jv v;
	int rc = parse(argc, argv, stats_usage, allowed, &a);
	if (rc)
		return rc == 3 ? 0 : rc;
	if (a.json && a.prom)
		return uppp_cmdline_usage_error(stderr, "stats", "%s", "--json and --prometheus exclude each other");
	if (find_socket("stats", a.control, path, sizeof(path)) ||
	    transact("stats", path, a.prom ? "stats prometheus\n" : "stats\n", &reply))
		return 1;
	if (a.prom && reply[0] != '{') {
		fputs(reply, stdout);
		free(reply);
		return 0;
	}
	if (reply_parse("stats", reply, &v)) {
		free(reply);
		return 1;
	}
	if (a.json) {
		fputs(reply, stdout);
	} else {
		char prefix[1024] = "";
		flatten(&v, prefix, 0, sizeof(prefix));
	}
	jfree(&v);
	free(reply);
	return 0;
}

/* A verb whose request is fixed and whose reply is {"ok"...} or a text. */
static int simple_verb(int argc, char **argv, const char *verb, const char *usage, const char *request,
		       const char *text_key)
{
	static const int allowed[] = { O_CONTROL, O_JSON, 0 };
	struct ctl_args a;
	char path[512], *reply;
	struct jv v;
	int rc = parse(argc, argv, usage, allowed, &a);
	if (rc)
		return rc == 3 ? 0 : rc;
	if (find_socket(verb, a.control, path, sizeof(path)) || transact(verb, path, request, &reply))
		return 1;
	if (reply_parse(verb, reply, &v)) {
		free(reply);
		return 1;
	}
	if (a.json) {
		fputs(reply, stdout);
	} else if (text_key) {
		const struct jv *t = jget(&v, text_key);
		/* the operator's own configuration: printed as the server wrote it */
		fputs(t && t->t == J_STR ? t->s : "", stdout);
	} else {
		printf("%s: done\n", verb);
	}
	jfree(&v);
	free(reply);
	return 0;
}

int uppp_ctl_reload_main(int argc, char **argv)
{
	return simple_verb(argc, argv, "reload", reload_usage, "reload\n", NULL);
}

int uppp_ctl_show_main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "config") != 0) {
		if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
			fputs(show_usage, stdout);
			return 0;
		}
		return uppp_cmdline_usage_error(stderr, "show", "%s", "expected `uppp show config`");
	}
	return simple_verb(argc - 1, argv + 1, "show config", show_usage, "show config\n", "config");
}
