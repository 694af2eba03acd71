/* cli/ladder.c — the trace ladder (cli/ladder.h). */
#include "cli/ladder.h"

#include <stdio.h>
#include <string.h>

#define TIME_COLS 11                              /* "%5llu.%03llu  " */
#define ARROW_MIN 48                              /* the usual arrow's width */
#define ARROW_MAX (UPPP_LADDER_COLUMNS - TIME_COLS - 1)

/* A small writer that never overflows: out[cap-1] stays for the NUL. */
struct w {
	char *p;
	size_t cap, len;
};

static void put(struct w *w, const char *s)
{
	size_t n = strlen(s);
	if (w->len + n >= w->cap)
		n = w->cap > w->len + 1 ? w->cap - w->len - 1 : 0;
	memcpy(w->p + w->len, s, n);
	w->len += n;
	w->p[w->len] = '\0';
}

static void put_n(struct w *w, const char *s, unsigned times)
{
	while (times--)
		put(w, s);
}

/* The label: the text, angle brackets dropped, non-printable bytes as
 * \xNN, at most max columns (cut with "..."). Returns its width. */
static size_t label(const char *text, char *out, size_t cap, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	bool cut = false;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		char tmp[5];
		size_t n;
		if (*p == '<' || *p == '>')
			continue;
		if (*p >= 0x20 && *p < 0x7f) {
			tmp[0] = (char)*p;
			n = 1;
		} else {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hex[*p >> 4];
			tmp[3] = hex[*p & 15];
			n = 4;
		}
		if (k + n > max || k + n + 1 > cap) {
			cut = true;
			break;
		}
		memcpy(out + k, tmp, n);
		k += n;
	}
	if (cut) {
		while (k > 0 && k + 3 > max)
			k--;
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return k;
}

static void time_col(struct uppp_ladder *l, struct w *w, unsigned long long t)
{
	char s[32];
	if (!l->have_t0) {
		l->t0 = t;
		l->have_t0 = true;
	}
	unsigned long long d = t >= l->t0 ? t - l->t0 : 0;
	snprintf(s, sizeof(s), "%5llu.%03llu  ", d / 1000, d % 1000);
	put(w, s);
}

size_t uppp_ladder_header(const struct uppp_ladder *l, char *out, size_t cap)
{
	struct w w = { out, cap, 0 };
	char s[128];
	(void)l;
	if (!cap)
		return 0;
	out[0] = '\0';
	snprintf(s, sizeof(s), "%*s%-*s%s\n", TIME_COLS, "", ARROW_MIN - 6, "client", "server");
	put(&w, s);
	return w.len;
}

size_t uppp_ladder_line(struct uppp_ladder *l, const struct uppp_ladder_event *e, char *out, size_t cap)
{
	struct w w = { out, cap, 0 };
	const char *dash = l->utf8 ? "\u2500" : "-";
	char lab[256], s[1024];

	if (!cap)
		return 0;
	out[0] = '\0';
	time_col(l, &w, e->t);
	switch (e->kind) {
	case UPPP_LADDER_FRAME: {
		/* "──" LABEL "─"... "▶"  or  "◀" "─"... LABEL "──" */
		size_t n = label(e->text ? e->text : "", lab, sizeof(lab), ARROW_MAX - 5);
		size_t width = n + 5 > ARROW_MIN ? n + 5 : ARROW_MIN;
		unsigned fill = (unsigned)(width - n - 3);
		if (l->color)
			put(&w, e->in ? "\033[32m" : "\033[36m");
		if (e->in) {
			put_n(&w, dash, 2);
			put(&w, lab);
			put_n(&w, dash, fill);
			put(&w, l->utf8 ? "\u25b6" : ">");
		} else {
			put(&w, l->utf8 ? "\u25c0" : "<");
			put_n(&w, dash, fill);
			put(&w, lab);
			put_n(&w, dash, 2);
		}
		break;
	}
	case UPPP_LADDER_END: {
		char text[256];
		label(e->text ? e->text : "", text, sizeof(text), 40);
		label(e->cause ? e->cause : "?", lab, sizeof(lab), 32);
		if (l->color)
			put(&w, "\033[1;31m");
		snprintf(s, sizeof(s), "%s session %llu ended, cause: %s%s%s%s", l->utf8 ? "\u2550\u2550" : "==",
			 e->sid, lab, text[0] ? " \"" : "", text, text[0] ? "\"" : "");
		put(&w, s);
		break;
	}
	case UPPP_LADDER_DROPPED:
		if (l->color)
			put(&w, "\033[33m");
		snprintf(s, sizeof(s), "... %llu lines dropped (this trace was read too slowly)", e->lines);
		put(&w, s);
		break;
	}
	if (l->color)
		put(&w, "\033[0m");
	put(&w, "\n");
	return w.len;
}
