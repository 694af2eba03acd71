/* config/options.c — the pppd options language (see options.h). The tables
 * live in options_table.c. */
#include "config/options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WORD_MAX 4096

void uppp_options_init(struct uppp_options *o)
{
	memset(o, 0, sizeof(*o));
}

void uppp_options_free(struct uppp_options *o)
{
	free(o->origins);
	o->origins = NULL;
	o->n_origins = o->cap_origins = 0;
	free(o->diags);
	o->diags = NULL;
	o->n_diags = o->cap_diags = 0;
}

static void vdiag(struct uppp_options *o, enum uppp_diag_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vdiag(struct uppp_options *o, enum uppp_diag_level level, const char *fmt, va_list ap)
{
	if (level == UPPP_DIAG_ERROR)
		o->n_errors++;
	else if (level == UPPP_DIAG_WARNING)
		o->n_warnings++;
	if (o->n_diags == o->cap_diags) {
		size_t cap = o->cap_diags ? o->cap_diags * 2 : 8;
		struct uppp_opt_diag *d = realloc(o->diags, cap * sizeof(*d));
		if (!d) {
			o->oom = true;
			return;
		}
		o->diags = d;
		o->cap_diags = cap;
	}
	struct uppp_opt_diag *d = &o->diags[o->n_diags++];
	char raw[sizeof(d->text)];
	size_t n = 0;
	d->level = level;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* Diagnostics quote words, values and paths as the file has them: a
	 * CR, an ESC or a byte >= 0x80 must not reach a terminal or a log, so
	 * every byte outside printable ASCII is written as \xNN. */
	for (const unsigned char *c = (const unsigned char *)raw; *c && n + 5 <= sizeof(d->text); c++) {
		if (*c >= 0x20 && *c <= 0x7e)
			d->text[n++] = (char)*c;
		else
			n += (size_t)snprintf(d->text + n, 5, "\\x%02x", *c);
	}
	d->text[n] = '\0';
}

void uppp_options_diag(struct uppp_options *o, enum uppp_diag_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(o, level, fmt, ap);
	va_end(ap);
}

static void note_origin(struct uppp_options *o, const char *key, const char *where)
{
	if (o->n_origins == o->cap_origins) {
		size_t cap = o->cap_origins ? o->cap_origins * 2 : 16;
		struct uppp_opt_origin *v = realloc(o->origins, cap * sizeof(*v));
		if (!v) {
			o->oom = true;
			return;
		}
		o->origins = v;
		o->cap_origins = cap;
	}
	struct uppp_opt_origin *r = &o->origins[o->n_origins++];
	r->key = key;
	snprintf(r->where, sizeof(r->where), "%s", where);
}

const char *uppp_options_where(const struct uppp_options *o, const char *key, char *buf, size_t cap)
{
	bool all = !strcmp(key, "ms-dns") || !strcmp(key, "ms-wins");
	const char *last = NULL;
	size_t n = 0;

	if (cap)
		buf[0] = '\0';
	for (size_t i = 0; i < o->n_origins; i++) {
		if (strcmp(o->origins[i].key, key) != 0)
			continue;
		last = o->origins[i].where;
		if (all && n < cap)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", last);
	}
	if (all && last)
		return buf;
	return last;
}

/* ---- words ---- */

struct lexer {
	const char *p, *end;
	int line;
};

/* Reads one word into out (NUL-terminated). Returns 1, 0 at the end of the
 * text, or -1 with why set (unterminated quote, word too long). *line is
 * the line the word starts on. */
static int next_word(struct lexer *lx, char *out, size_t cap, int *line, const char **why)
{
	size_t n = 0;
	char quote = 0;

	for (;;) {  /* skip blanks and comments */
		while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r' ||
					   *lx->p == '\n' || *lx->p == '\f' || *lx->p == '\v')) {
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		}
		if (lx->p < lx->end && *lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		break;
	}
	if (lx->p >= lx->end)
		return 0;
	*line = lx->line;
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (!quote && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'))
			break;
		lx->p++;
		if (c == '\n')
			lx->line++;
		if (!quote && (c == '"' || c == '\'')) {
			quote = c;
			continue;
		}
		if (quote && c == quote) {
			quote = 0;
			continue;
		}
		if (c == '\\') {
			if (lx->p >= lx->end)
				break;  /* a trailing backslash is dropped */
			c = *lx->p++;
			if (c == '\n') {  /* line continuation */
				lx->line++;
				continue;
			}
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 's': c = ' '; break;
			case 'x': {
				unsigned v = 0, k = 0;
				while (k < 2 && lx->p < lx->end && strchr("0123456789abcdefABCDEF", *lx->p) && *lx->p) {
					char h = *lx->p++;
					v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
					k++;
				}
				c = (char)v;
				break;
			}
			default:
				if (c >= '0' && c <= '7') {
					unsigned v = (unsigned)(c - '0'), k = 1;
					while (k < 3 && lx->p < lx->end && *lx->p >= '0' && *lx->p <= '7') {
						v = v * 8 + (unsigned)(*lx->p++ - '0');
						k++;
					}
					c = (char)v;
				}
				break;
			}
		}
		if (n + 1 >= cap) {
			*why = "word longer than 4095 bytes";
			return -1;
		}
		out[n++] = c;
	}
	if (quote) {
		*why = quote == '"' ? "unterminated \" quote" : "unterminated ' quote";
		return -1;
	}
	out[n] = '\0';
	return 1;
}

/* ---- applying one option ---- */

struct parse_ctx {
	struct uppp_options *o;
	const struct uppp_options_io *io;
	const char *stack[UPPP_OPTIONS_MAX_DEPTH + 1];  /* canonical paths being read */
	unsigned depth;                                  /* files below the top one */
};

static int parse_text(struct parse_ctx *c, const char *text, size_t len, const char *filename);

static int get_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static bool is(const struct uppp_opt_info *oi, const char *a, const char *b)
{
	return !strcmp(oi->name, a) || (b && !strcmp(oi->name, b));
}

/* A numeric option: value in [min, max] or an error naming the range. */
static bool num_arg(struct uppp_options *o, const char *where, const struct uppp_opt_info *oi,
		    const char *arg, unsigned min, unsigned max, unsigned *out)
{
	if (get_uint(arg, min, max, out) == 0)
		return true;
	uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option '%s': '%s' is not a number from %u to %u", where,
			  oi->name, arg, min, max);
	return false;
}

static void apply_mtu_mru(struct uppp_options *o, const char *where, const struct uppp_opt_info *oi,
			  const char *arg, unsigned *out)
{
	unsigned v;
	if (!num_arg(o, where, oi, arg, 128, 65535, &v))
		return;
	if (v > 1492) {
		uppp_options_diag(o, UPPP_DIAG_WARNING,
				  "%s: warning: option '%s %u' lowered to 1492, the most PPPoE carries (RFC 2516 §7)",
				  where, oi->name, v);
		v = 1492;
	}
	*out = v;
}

static void apply_include(struct parse_ctx *c, const char *where, const char *path)
{
	struct uppp_options *o = c->o;
	char canon[PATH_MAX], err[512] = "";
	char *text = NULL;
	size_t len = 0;

	if (!c->io || !c->io->read) {
		uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'file %s': includes cannot be read here", where, path);
		return;
	}
	if (c->depth + 1 > UPPP_OPTIONS_MAX_DEPTH) {
		uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'file %s': files nested more than %d deep",
				  where, path, UPPP_OPTIONS_MAX_DEPTH);
		return;
	}
	int rc = c->io->read(c->io->ctx, path, &text, &len, canon, sizeof(canon), err, sizeof(err));
	if (rc < 0) {
		uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'file %s': %s", where, path, err);
		return;
	}
	for (unsigned i = 0; i <= c->depth; i++) {
		if (c->stack[i] && !strcmp(c->stack[i], canon)) {
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'file %s': '%s' is already being read (include loop)",
					  where, path, canon);
			free(text);
			return;
		}
	}
	c->stack[++c->depth] = canon;
	(void)parse_text(c, text, len, path);
	c->stack[c->depth--] = NULL;
	free(text);
}

static void apply_plugin(struct uppp_options *o, const char *where, const char *arg)
{
	const char *base = strrchr(arg, '/');
	base = base ? base + 1 : arg;
	if (!strcmp(base, "rp-pppoe.so") || !strcmp(base, "pppoe.so")) {
		uppp_options_diag(o, UPPP_DIAG_NOTICE, "%s: notice: option 'plugin %s': uppp speaks PPPoE itself", where, arg);
		return;
	}
	uppp_options_diag(o, UPPP_DIAG_ERROR,
			  "%s: option 'plugin %s' cannot be honoured: uppp runs no pppd plugins (an authentication plugin such as radius.so would change who may log in)",
			  where, arg);
}

static void apply_supported_option(struct parse_ctx *c, const char *where, const struct uppp_opt_info *oi,
				   const char *arg);

/* One supported option, and where it was given when it took effect. */
static void apply_supported(struct parse_ctx *c, const char *where, const struct uppp_opt_info *oi, const char *arg)
{
	struct uppp_options *o = c->o;
	size_t errors = o->n_errors;
	unsigned n_dns = o->n_dns, n_wins = o->n_wins;

	apply_supported_option(c, where, oi, arg);
	if (o->n_errors != errors || is(oi, "file", NULL) || is(oi, "plugin", NULL))
		return;
	if ((is(oi, "ms-dns", NULL) && o->n_dns == n_dns) || (is(oi, "ms-wins", NULL) && o->n_wins == n_wins))
		return;   /* a third server, ignored */
	bool auth = is(oi, "auth", "noauth") || is(oi, "require-pap", "+pap") || is(oi, "require-chap", "+chap") ||
		    is(oi, "require-mschap-v2", "+mschap-v2");
	note_origin(o, auth ? "auth" : is(oi, "-d", NULL) ? "debug" : oi->name, where);
}

static void apply_supported_option(struct parse_ctx *c, const char *where, const struct uppp_opt_info *oi,
				   const char *arg)
{
	struct uppp_options *o = c->o;

	if (is(oi, "require-pap", "+pap") || is(oi, "require-chap", "+chap") ||
	    is(oi, "require-mschap-v2", "+mschap-v2")) {
		enum uppp_auth_method p = is(oi, "require-pap", "+pap") ? UPPP_AUTH_PAP
				       : is(oi, "require-chap", "+chap") ? UPPP_AUTH_CHAP_MD5 : UPPP_AUTH_MSCHAPV2;
		if (!(UPPP_AUTH_PROTOS_BUILT & UPPP_AUTH_BIT(p))) {
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option '%s': this uppp was built without MS-CHAPv2",
					  where, oi->name);
			return;
		}
		o->auth_required |= UPPP_AUTH_BIT(p);
		o->noauth = false;
	} else if (is(oi, "auth", NULL)) {
		o->auth = true;
		o->noauth = false;
	} else if (is(oi, "noauth", NULL)) {
		o->noauth = true;
		o->auth = false;
		o->auth_required = 0;
		o->mschap_v1_required = false;
	} else if (is(oi, "login", NULL)) {
		o->login = true;
		snprintf(o->login_where, sizeof(o->login_where), "%s", where);
	} else if (is(oi, "name", NULL)) {
		if (strlen(arg) > 255 || !*arg)
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'name': a name is 1 to 255 bytes", where);
		else
			snprintf(o->name, sizeof(o->name), "%s", arg);
	} else if (is(oi, "plugin", NULL)) {
		apply_plugin(o, where, arg);
	} else if (is(oi, "lcp-echo-interval", NULL)) {
		if (num_arg(o, where, oi, arg, 0, 3600, &o->echo_interval_s))
			o->have_echo_interval = true;
	} else if (is(oi, "lcp-echo-failure", NULL)) {
		if (num_arg(o, where, oi, arg, 1, 1000, &o->echo_failure))
			o->have_echo_failure = true;
	} else if (is(oi, "lcp-restart", NULL)) {
		if (num_arg(o, where, oi, arg, 1, 60, &o->restart_s))
			o->have_restart = true;
	} else if (is(oi, "lcp-max-configure", NULL)) {
		if (num_arg(o, where, oi, arg, 1, 255, &o->max_configure))
			o->have_max_configure = true;
	} else if (is(oi, "lcp-max-terminate", NULL)) {
		if (num_arg(o, where, oi, arg, 1, 255, &o->max_terminate))
			o->have_max_terminate = true;
	} else if (is(oi, "lcp-max-failure", NULL)) {
		if (num_arg(o, where, oi, arg, 1, 255, &o->max_failure))
			o->have_max_failure = true;
	} else if (is(oi, "negotiation-timeout", NULL)) {
		if (num_arg(o, where, oi, arg, 0, 3600, &o->negotiation_timeout_s))
			o->have_negotiation_timeout = true;
	} else if (is(oi, "busy-poll", NULL)) {
		if (num_arg(o, where, oi, arg, 0, 1000000, &o->busy_poll_us))
			o->have_busy_poll = true;
	} else if (is(oi, "idle", NULL)) {
		if (num_arg(o, where, oi, arg, 0, 86400 * 365, &o->idle_s))
			o->have_idle = true;
	} else if (is(oi, "mru", NULL)) {
		apply_mtu_mru(o, where, oi, arg, &o->mru);
	} else if (is(oi, "mtu", NULL)) {
		apply_mtu_mru(o, where, oi, arg, &o->mtu);
	} else if (is(oi, "ms-dns", NULL)) {
		struct in_addr a;
		if (inet_pton(AF_INET, arg, &a) != 1 || a.s_addr == 0) {
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'ms-dns': '%s' is not an IPv4 address", where, arg);
		} else if (o->n_dns >= 2) {
			uppp_options_diag(o, UPPP_DIAG_WARNING,
					  "%s: warning: option 'ms-dns %s': clients are offered two DNS servers at most; this one is ignored",
					  where, arg);
		} else {
			o->dns[o->n_dns++] = ntohl(a.s_addr);
		}
	} else if (is(oi, "ms-wins", NULL)) {
		struct in_addr a;
		if (inet_pton(AF_INET, arg, &a) != 1 || a.s_addr == 0) {
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'ms-wins': '%s' is not an IPv4 address", where, arg);
		} else if (o->n_wins >= 2) {
			uppp_options_diag(o, UPPP_DIAG_WARNING,
					  "%s: warning: option 'ms-wins %s': clients are offered two WINS servers at most; this one is ignored",
					  where, arg);
		} else {
			o->wins[o->n_wins++] = ntohl(a.s_addr);
		}
	} else if (is(oi, "logfile", NULL)) {
		if (!*arg || strlen(arg) >= sizeof(o->logfile))
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'logfile': bad path", where);
		else
			snprintf(o->logfile, sizeof(o->logfile), "%s", arg);
	} else if (is(oi, "ip-up-script", NULL) || is(oi, "ip-down-script", NULL) || is(oi, "ip-pre-up-script", NULL) ||
		   is(oi, "auth-up-script", NULL) || is(oi, "auth-down-script", NULL)) {
		char *dst = is(oi, "ip-up-script", NULL) ? o->ip_up_script
			: is(oi, "ip-down-script", NULL) ? o->ip_down_script
			: is(oi, "ip-pre-up-script", NULL) ? o->ip_pre_up_script
			: is(oi, "auth-up-script", NULL) ? o->auth_up_script : o->auth_down_script;
		if (!*arg || strlen(arg) >= sizeof(o->ip_up_script))
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option '%s': bad path", where, oi->name);
		else
			snprintf(dst, sizeof(o->ip_up_script), "%s", arg);
	} else if (is(oi, "ipparam", NULL)) {
		if (strlen(arg) >= sizeof(o->ipparam)) {
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option 'ipparam': longer than %zu bytes", where,
					  sizeof(o->ipparam) - 1);
		} else {
			snprintf(o->ipparam, sizeof(o->ipparam), "%s", arg);
			o->have_ipparam = true;
		}
	} else if (is(oi, "hook-timeout", NULL)) {
		if (num_arg(o, where, oi, arg, 1, 3600, &o->hook_timeout_s))
			o->have_hook_timeout = true;
	} else if (is(oi, "debug", "-d")) {
		o->debug = true;
	} else if (is(oi, "file", NULL)) {
		apply_include(c, where, arg);
	}
}

static void apply(struct parse_ctx *c, const char *where, const struct uppp_opt_info *oi, const char *arg)
{
	struct uppp_options *o = c->o;
	char shown[WORD_MAX + 64];

	if (oi->has_arg)
		snprintf(shown, sizeof(shown), "%s %s", oi->name, arg);
	else
		snprintf(shown, sizeof(shown), "%s", oi->name);
	switch (oi->status) {
	case UPPP_OPT_SUPPORTED:
		apply_supported(c, where, oi, arg);
		break;
	case UPPP_OPT_NOTICE:
		uppp_options_diag(o, UPPP_DIAG_NOTICE, "%s: notice: option '%s' has no effect: %s", where, shown, oi->note);
		break;
	case UPPP_OPT_WARNING:
		if (is(oi, "require-mschap", "+mschap")) {
			o->mschap_v1_required = true;
			o->noauth = false;
		}
		uppp_options_diag(o, UPPP_DIAG_WARNING, "%s: warning: option '%s' is not supported by uppp and is ignored (%s)",
				  where, shown, oi->note);
		break;
	case UPPP_OPT_ERROR:
		uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option '%s' cannot be honoured: %s", where, shown, oi->note);
		break;
	}
}

static int parse_text(struct parse_ctx *c, const char *text, size_t len, const char *filename)
{
	struct uppp_options *o = c->o;
	struct lexer lx = { text, text + len, 1 };
	char *word = malloc(WORD_MAX), *arg = malloc(WORD_MAX);
	char where[UPPP_OPTIONS_WHERE_MAX];
	size_t errors_before = o->n_errors;
	const char *why = NULL;
	int line = 0, arg_line = 0, skip_line = 0, rc;

	if (!word || !arg) {
		free(word);
		free(arg);
		return -ENOMEM;
	}
	while ((rc = next_word(&lx, word, WORD_MAX, &line, &why)) != 0) {
		if (rc < 0) {
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s:%d: %s", filename, lx.line, why);
			break;  /* the rest of the file cannot be split into words reliably */
		}
		if (line == skip_line)
			continue;  /* the rest of a line that began with an unknown option */
		snprintf(where, sizeof(where), "%s:%d", filename, line);
		const struct uppp_opt_info *oi = uppp_pppd_option_find(word);
		if (!oi) {
			char shown[80];
			snprintf(shown, sizeof(shown), "%.60s%s", word, strlen(word) > 60 ? "..." : "");
			uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: unknown option '%s' (pppd would refuse it too)",
					  where, shown);
			skip_line = line;
			continue;
		}
		arg[0] = '\0';
		if (oi->has_arg) {
			rc = next_word(&lx, arg, WORD_MAX, &arg_line, &why);
			if (rc <= 0) {
				if (rc < 0)
					uppp_options_diag(o, UPPP_DIAG_ERROR, "%s:%d: %s", filename, lx.line, why);
				else
					uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: option '%s' needs a value", where, oi->name);
				break;
			}
		}
		apply(c, where, oi, arg);
	}
	free(word);
	free(arg);
	if (o->oom)
		return -ENOMEM;
	return o->n_errors > errors_before ? -EINVAL : 0;
}

int uppp_options_parse(struct uppp_options *o, const char *text, size_t len, const char *filename,
		       const char *canon, const struct uppp_options_io *io)
{
	struct parse_ctx c = { .o = o, .io = io, .depth = 0 };
	c.stack[0] = canon ? canon : filename;
	return parse_text(&c, text, len, filename);
}

int uppp_options_finish(struct uppp_options *o)
{
	if (o->mschap_v1_required && o->auth_required == 0)
		uppp_options_diag(o, UPPP_DIAG_ERROR,
				  "option 'require-mschap' cannot be honoured: MS-CHAP v1 is not implemented and no other authentication protocol is required (add require-mschap-v2 or require-chap)");
	if (o->login && o->auth_required && !(o->auth_required & UPPP_AUTH_BIT(UPPP_AUTH_PAP)))
		uppp_options_diag(o, UPPP_DIAG_WARNING,
				  "%s: warning: option 'login' only applies to PAP, and PAP is not required: it has no effect",
				  o->login_where);
	if (o->login && o->noauth)
		uppp_options_diag(o, UPPP_DIAG_WARNING,
				  "%s: warning: option 'login' has no effect with noauth", o->login_where);
	if (o->oom)
		return -ENOMEM;
	return o->n_errors ? -EINVAL : 0;
}

/* ---- files ---- */

int uppp_options_read_file(void *ctx, const char *path, char **text, size_t *len,
			   char *canon, size_t canon_cap, char *err, size_t errcap)
{
	struct stat st;
	(void)ctx;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errcap, "cannot open '%s': %s", path, strerror(e));
		return -e;
	}
	int e = fstat(fd, &st) < 0 ? errno : 0;  /* errno only when fstat failed: it may be stale */
	if (e || !S_ISREG(st.st_mode) || st.st_size > (off_t)UPPP_OPTIONS_FILE_MAX) {
		close(fd);
		snprintf(err, errcap, "'%s' is %s", path,
			 e ? strerror(e) : !S_ISREG(st.st_mode) ? "not a regular file" : "too large for an options file");
		return e ? -e : -EINVAL;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errcap, "out of memory");
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			close(fd);
			free(buf);
			snprintf(err, errcap, "cannot read '%s': %s", path, strerror(e));
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {  /* grew since fstat: refuse rather than read half */
			close(fd);
			free(buf);
			snprintf(err, errcap, "'%s' changed while being read", path);
			return -EAGAIN;
		}
	}
	close(fd);
	buf[n] = '\0';
	char resolved[PATH_MAX];
	snprintf(canon, canon_cap, "%s", realpath(path, resolved) ? resolved : path);
	*text = buf;
	*len = n;
	return 0;
}

int uppp_options_load_file(struct uppp_options *o, const char *path)
{
	static const struct uppp_options_io file_io = { uppp_options_read_file, NULL };
	char canon[PATH_MAX], err[512];
	char *text = NULL;
	size_t len = 0;

	int rc = uppp_options_read_file(NULL, path, &text, &len, canon, sizeof(canon), err, sizeof(err));
	if (rc < 0) {
		uppp_options_diag(o, UPPP_DIAG_ERROR, "%s: %s", path, err);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	rc = uppp_options_parse(o, text, len, path, canon, &file_io);
	free(text);
	return rc;
}
