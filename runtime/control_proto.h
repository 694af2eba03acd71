/* runtime/control_proto.h — the control socket's protocol without the
 * socket (docs/control.md): parsing one request line into words, and
 * formatting the replies (sessions and stats as JSON, stats as Prometheus
 * text). No syscalls, no allocation: unit-tested and fuzzed as is
 * (test/unit/test_control_proto.c, test/fuzz/fuzz_control.c).
 *
 * A request is one line (at most UPPP_CTL_LINE_MAX bytes before its "\n"):
 * words separated by spaces or tabs. A word is a bare name ("sessions") or
 * KEY=VALUE. Every byte of a word is printable ASCII other than space; any
 * other byte (and '%', and a space) is written %XX (two hex digits), which
 * the parser decodes: a value can hold any byte. */
#ifndef UPPP_RUNTIME_CONTROL_PROTO_H
#define UPPP_RUNTIME_CONTROL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uppp/uppp.h"
#include "core/json.h"

#define UPPP_CTL_LINE_MAX 4096
#define UPPP_CTL_MAX_WORDS 16

struct uppp_ctl_word {
	const char *key;        /* the bare word, or what precedes '=' (decoded, NUL-terminated) */
	const char *val;        /* decoded value (NUL-terminated), NULL for a bare word */
	size_t val_len;         /* its length (it may hold NUL bytes) */
};

struct uppp_ctl_request {
	struct uppp_ctl_word w[UPPP_CTL_MAX_WORDS];
	unsigned n;
	char store[UPPP_CTL_LINE_MAX + UPPP_CTL_MAX_WORDS * 2 + 2];  /* the decoded words */
};

/* Parses line[0..len) (no "\n"; a trailing "\r" is ignored) into *req.
 * Returns 0, or -EINVAL with one sentence in err[0..errlen): empty line,
 * too long, too many words, a byte that must be %XX-encoded, a bad %XX, an
 * empty key. */
int uppp_ctl_parse(const char *line, size_t len, struct uppp_ctl_request *req, char *err, size_t errlen);

/* Percent-encodes s[0..n) for a request word's value into out (NUL
 * terminated). Returns the length it needs (without the NUL), as snprintf
 * does: the output was cut when that is >= cap. */
size_t uppp_ctl_encode(const uint8_t *s, size_t n, char *out, size_t cap);

/* Stable names: "none", "pap", "chap-md5", "mschapv2". */
const char *uppp_ctl_auth_name(enum uppp_auth_method m);

/* {"error":"msg"} */
void uppp_ctl_json_error(struct uppp_json *j, const char *msg);
/* One session as an object (docs/control.md lists the members). */
void uppp_ctl_json_session(struct uppp_json *j, const struct uppp_server_session *s);
/* The whole stats document. */
void uppp_ctl_json_stats(struct uppp_json *j, const struct uppp_server_stats *st);
/* The Prometheus text exposition format (version 0.0.4) of st into
 * out[0..cap) (NUL-terminated). Returns the length it needs (without the
 * NUL), as snprintf: retry with more room when that is >= cap. */
size_t uppp_ctl_prometheus(const struct uppp_server_stats *st, char *out, size_t cap);

#endif
