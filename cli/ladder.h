/* cli/ladder.h — `uppp trace` drawn as the ladder a user draws by hand
 * (docs/control.md, "trace"):
 *
 *             client                                     server
 *     0.000   ──PADI sess=0x0000 service-name "" host-uniq 0x01020304──▶
 *     0.002   ◀──────────────PADO sess=0x0000 ac-name "uppp" ...──
 *     9.120   ◀──PADT sess=0x0001 ...────────────────────────────────
 *     9.120   ══ session 1 ended: admin "moved to the new BRAS"
 *
 * Time since the first line on the left (seconds); each line fits 80
 * columns (the text is cut with "..." when longer); colour only when asked
 * (a terminal, NO_COLOR unset: the caller decides); plain ASCII arrows
 * (--> <--) when the locale is not UTF-8. Peer bytes (the decoded text
 * comes from the wire) are printed as \xNN unless printable ASCII.
 * Pure: no I/O (test/unit/test_trace.c). */
#ifndef UPPP_CLI_LADDER_H
#define UPPP_CLI_LADDER_H

#include <stdbool.h>
#include <stddef.h>

#define UPPP_LADDER_COLUMNS 80

struct uppp_ladder {
	bool utf8;                  /* box-drawing arrows; else ASCII */
	bool color;                 /* ANSI colours */
	bool have_t0;
	unsigned long long t0;      /* the first line's time (ms) */
};

enum uppp_ladder_kind { UPPP_LADDER_FRAME, UPPP_LADDER_END, UPPP_LADDER_DROPPED };

struct uppp_ladder_event {
	enum uppp_ladder_kind kind;
	unsigned long long t;       /* ms, the server's clock */
	bool in;                    /* FRAME: from the client to the server */
	const char *text;           /* FRAME: the decoded packet; END: the operator's text ("" none) */
	const char *cause;          /* END */
	unsigned long long sid;     /* END */
	unsigned long long lines;   /* DROPPED */
};

/* The two column heads. Returns the length written into out (NUL-ended). */
size_t uppp_ladder_header(const struct uppp_ladder *l, char *out, size_t cap);
/* One event as one line ending in '\n' (out NUL-ended): its length. */
size_t uppp_ladder_line(struct uppp_ladder *l, const struct uppp_ladder_event *e, char *out, size_t cap);

#endif
