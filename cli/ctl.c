/* cli/ctl.c — `uppp sessions`, `uppp kill`, `uppp stats`: one request line
 * to the server's control socket, one reply read back (docs/control.md),
 * shown as a table or text, or passed through (--json, --prometheus). Plain
 * libc: the cli includes only include/uppp/ and system headers. */
#include "cli/ctl.h"
#include "cli/ladder.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
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

/* Connects to the socket at path and sends line: the fd, or -1 with the
 * reason printed. */
static int ctl_connect(const char *verb, const char *path, const char *line)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "uppp %s: control socket path too long: %s\n", verb, path);
		return -1;
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
		return -1;
	}
	size_t len = strlen(line), off = 0;
	while (off < len) {
		ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "uppp %s: sending to %s: %s\n", verb, path, strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return fd;
}

/* Sends line, reads the whole reply into *out (malloc'd, NUL-terminated).
 * 0, or 1 with the reason printed. */
static int transact(const char *verb, const char *path, const char *line, char **out)
{
	int fd = ctl_connect(verb, path, line);
	if (fd < 0)
		return 1;
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

enum { O_CONTROL = 300, O_JSON, O_PROM, O_USER, O_IP, O_MAC, O_CAUSE, O_SID, O_DATA, O_SIZE, O_FILES };

static const struct option ctl_opts[] = {
	{ "control", required_argument, NULL, O_CONTROL }, { "json", no_argument, NULL, O_JSON },
	{ "prometheus", no_argument, NULL, O_PROM },       { "user", required_argument, NULL, O_USER },
	{ "ip", required_argument, NULL, O_IP },           { "mac", required_argument, NULL, O_MAC },
	{ "cause", required_argument, NULL, O_CAUSE },     { "help", no_argument, NULL, 'h' },
	{ "sid", required_argument, NULL, O_SID },         { "data", no_argument, NULL, O_DATA },
	{ "size", required_argument, NULL, O_SIZE },       { "files", required_argument, NULL, O_FILES },
	{ 0 },
};

struct ctl_args {
	const char *control, *user, *ip, *mac, *cause;
	bool json, prom, data;
	const char *sid;
	const char *size, *files;
	const char *pos[2];   /* capture: its words */
	int n_pos;
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
		case O_SID: a->sid = optarg; break;
		case O_DATA: a->data = true; break;
		case O_SIZE: a->size = optarg; break;
		case O_FILES: a->files = optarg; break;
		}
	}
	if (!strcmp(verb, "capture")) {
		while (optind < argc) {
			if (a->n_pos == 2)
				return uppp_cmdline_usage_error(stderr, verb, "unexpected argument '%s'", argv[optind]);
			a->pos[a->n_pos++] = argv[optind++];
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

/* ---- capture and trace ---- */

static const char capture_usage[] =
	"Usage: uppp capture start FILE [--data] [--size MB] [--files N] | stop | status\n"
	"                    [--control PATH] [--json]\n"
	"\n"
	"Starts or stops a pcap capture in a running `uppp server` (as its --capture flag):\n"
	"every PPPoE discovery frame and PPP control frame (LCP, PAP, CHAP, IPCP ...) to\n"
	"FILE, read by `tshark -r FILE`, tcpdump or Wireshark. The server writes FILE (only\n"
	"root or the server's own user may ask), rotated to FILE.1 ... by size.\n"
	"\n"
	"  --data           IP data frames too (one write per packet: for debugging)\n"
	"  --size MB        rotate at MB MiB (default 16)\n"
	"  --files N        files kept, FILE included (default 4)\n"
	"  --control PATH   the server's control socket (default: the one under /run/uppp/)\n"
	"  --json           the server's JSON reply as is\n"
	"  -h, --help       this text\n";

static const char trace_usage[] =
	"Usage: uppp trace [--sid N | --mac MAC] [--control PATH] [--json]\n"
	"\n"
	"Follows a running `uppp server` live: every discovery frame and PPP control frame\n"
	"of the matching client (all clients without --sid or --mac), in and out, decoded,\n"
	"drawn as a ladder, and the end of its session with the cause. Until the server\n"
	"stops or Ctrl-C. --mac sees the client from its PADI on; --sid from its PADS.\n"
	"\n"
	"  --sid N          one session id\n"
	"  --mac MAC        one client's MAC (xx:xx:xx:xx:xx:xx)\n"
	"  --control PATH   the server's control socket (default: the one under /run/uppp/)\n"
	"  --json           the server's JSON lines as they come (docs/control.md)\n"
	"  -h, --help       this text\n";

int uppp_ctl_capture_main(int argc, char **argv)
{
	static const int allowed[] = { O_CONTROL, O_JSON, O_DATA, O_SIZE, O_FILES, 0 };
	struct ctl_args a;
	char path[512], *reply, line[8192];
	struct jv v;
	int rc = parse(argc, argv, capture_usage, allowed, &a);
	if (rc)
		return rc == 3 ? 0 : rc;
	const char *what = a.n_pos ? a.pos[0] : "status";
	bool start = !strcmp(what, "start");
	if (!start && strcmp(what, "stop") && strcmp(what, "status"))
		return uppp_cmdline_usage_error(stderr, "capture", "'%s' is not start, stop or status", what);
	if (start != (a.n_pos == 2))
		return uppp_cmdline_usage_error(stderr, "capture", "%s", start ? "capture start needs FILE"
						: "only capture start takes a FILE");
	if (!start && (a.data || a.size || a.files))
		return uppp_cmdline_usage_error(stderr, "capture", "%s", "--data, --size and --files go with start");
	if (start) {
		/* the server's working directory is not ours: an absolute path */
		char abs[4096], file[3 * 4096 + 1], num[64];
		if (a.pos[1][0] == '/') {
			snprintf(abs, sizeof(abs), "%s", a.pos[1]);
		} else {
			char cwd[2048];
			if (!getcwd(cwd, sizeof(cwd)))
				return uppp_cmdline_usage_error(stderr, "capture", "%s", "cannot tell the current directory");
			snprintf(abs, sizeof(abs), "%s/%s", cwd, a.pos[1]);
		}
		encode(abs, file, sizeof(file));
		int k = snprintf(line, sizeof(line), "capture start file=%s%s", file, a.data ? " data=1" : "");
		if (a.size) {
			encode(a.size, num, sizeof(num));
			k += snprintf(line + k, sizeof(line) - (size_t)k, " size=%s", num);
		}
		if (a.files) {
			encode(a.files, num, sizeof(num));
			k += snprintf(line + k, sizeof(line) - (size_t)k, " files=%s", num);
		}
		snprintf(line + k, sizeof(line) - (size_t)k, "\n");
	} else {
		snprintf(line, sizeof(line), "capture%s\n", !strcmp(what, "stop") ? " stop" : "");
	}
	if (find_socket("capture", a.control, path, sizeof(path)) || transact("capture", path, line, &reply))
		return 1;
	if (reply_parse("capture", reply, &v)) {
		free(reply);
		return 1;
	}
	if (a.json) {
		fputs(reply, stdout);
	} else if (!strcmp(what, "stop")) {
		printf("capture stopped\n");
	} else {
		const struct jv *c = jget(&v, "capture");
		const struct jv *act = jget(c, "active"), *err = jget(c, "error");
		char file[8192], msg[1024];
		if (!jget(c, "file")) {
			printf("capture: off\n");
		} else {
			safe(jstr(c, "file"), file, sizeof(file));
			safe(err && err->t == J_STR ? err->s : "", msg, sizeof(msg));
			printf("capture: %s file=%s data=%s frames=%llu size=%lluMiB files=%llu rotations=%llu%s%s\n",
			       act && act->b ? "on" : "stopped", file,
			       jget(c, "data") && jget(c, "data")->b ? "yes" : "no", jnum(c, "frames"), jnum(c, "size_mb"),
			       jnum(c, "files"), jnum(c, "rotations"), msg[0] ? " error=" : "", msg);
		}
	}
	jfree(&v);
	free(reply);
	return 0;
}

int uppp_ctl_trace_render(struct uppp_ladder *l, const char *json, char *out, size_t cap)
{
	struct jv v;
	struct uppp_ladder_event e = { 0 };
	int rc = 0;

	out[0] = '\0';
	if (jparse(json, &v) < 0 || v.t != J_OBJ)
		return -1;
	const char *event = jget(&v, "event") ? jstr(&v, "event") : NULL;
	e.t = jnum(&v, "t");
	if (jget(&v, "error")) {
		rc = 1;
		safe(jstr(&v, "error"), out, cap);
	} else if (!event) {
		e.kind = UPPP_LADDER_FRAME;
		e.in = !strcmp(jstr(&v, "dir"), "in");
		e.text = jstr(&v, "text");
		uppp_ladder_line(l, &e, out, cap);
	} else if (!strcmp(event, "end")) {
		e.kind = UPPP_LADDER_END;
		e.sid = jnum(&v, "sid");
		e.cause = jstr(&v, "cause");
		e.text = jget(&v, "text") ? jstr(&v, "text") : "";
		uppp_ladder_line(l, &e, out, cap);
	} else if (!strcmp(event, "dropped")) {
		e.kind = UPPP_LADDER_DROPPED;
		e.lines = jnum(&v, "lines");
		uppp_ladder_line(l, &e, out, cap);
	} else if (!strcmp(event, "start")) {
		uppp_ladder_header(l, out, cap);
	}
	jfree(&v);
	return rc;
}

int uppp_ctl_trace_main(int argc, char **argv)
{
	static const int allowed[] = { O_CONTROL, O_JSON, O_SID, O_MAC, 0 };
	struct ctl_args a;
	char path[512], line[1024], sel[256];
	int rc = parse(argc, argv, trace_usage, allowed, &a);
	if (rc)
		return rc == 3 ? 0 : rc;
	int k = snprintf(line, sizeof(line), "trace");
	if (a.sid) {
		encode(a.sid, sel, sizeof(sel));
		k += snprintf(line + k, sizeof(line) - (size_t)k, " sid=%s", sel);
	}
	if (a.mac) {
		encode(a.mac, sel, sizeof(sel));
		k += snprintf(line + k, sizeof(line) - (size_t)k, " mac=%s", sel);
	}
	snprintf(line + k, sizeof(line) - (size_t)k, "\n");
	if (find_socket("trace", a.control, path, sizeof(path)))
		return 1;
	int fd = ctl_connect("trace", path, line);
	if (fd < 0)
		return 1;
	/* Only the terminal gets colours (and not with NO_COLOR); box-drawing
	 * arrows only in a UTF-8 locale. */
	struct uppp_ladder l = { 0 };
	setlocale(LC_CTYPE, "");
	l.utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	const char *nc = getenv("NO_COLOR");
	l.color = isatty(STDOUT_FILENO) && !(nc && nc[0]);
	FILE *in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		return 1;
	}
	char *buf = NULL, out[4096];
	size_t bcap = 0;
	rc = 0;
	for (ssize_t n; (n = getline(&buf, &bcap, in)) > 0;) {
		if (a.json) {
			fputs(buf, stdout);
		} else {
			int r = uppp_ctl_trace_render(&l, buf, out, sizeof(out));
			if (r == 1) {
				fprintf(stderr, "uppp trace: %s\n", out);
				rc = 1;
				break;
			}
			fputs(out, stdout);
		}
		fflush(stdout);   /* a live view: each line as it comes */
	}
	free(buf);
	fclose(in);
	return rc;
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
	if (a.n_pos)
		return uppp_cmdline_usage_error(stderr, verb, "unexpected argument '%s'", a.pos[0]);
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
