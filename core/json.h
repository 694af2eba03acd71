/* core/json.h — a small JSON writer for the control socket's replies.
 *
 * Writes into the caller's buffer; overflow is sticky, as struct
 * uppp_writer's (core/buf.h): build the whole document, then check
 * uppp_json_ok() once (and retry with a larger buffer when it is false).
 * Commas between members and elements are placed by the writer. Strings are
 * escaped fully (RFC 8259 §7): '"', '\\' and every control byte (U+0000 to
 * U+001F, and 0x7f) as \uXXXX or the short forms; well-formed UTF-8 passes
 * unchanged; every other byte (a peer's user name may hold any) is written
 * as \u00XX, the code point of that byte read as Latin-1: the output is
 * always valid UTF-8 and valid JSON, whatever bytes came in.
 * Pure: no syscalls, no allocation. */
#ifndef UPPP_CORE_JSON_H
#define UPPP_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UPPP_JSON_MAX_DEPTH 16

struct uppp_json {
	char *p;                /* the buffer; NUL-terminated while it fits */
	size_t cap;
	size_t len;             /* bytes written (what would have been, on overflow) */
	bool overflow;          /* something did not fit (or nesting went past the maximum) */
	unsigned depth;
	bool need_comma[UPPP_JSON_MAX_DEPTH + 1];  /* per level: a value came already */
	bool after_key;         /* a key was written: the next value is its, no comma */
};

/* Starts a document in buf[0..cap). */
void uppp_json_init(struct uppp_json *j, char *buf, size_t cap);
/* True when everything fit and every object and array was closed. */
bool uppp_json_ok(const struct uppp_json *j);

void uppp_json_obj_begin(struct uppp_json *j);
void uppp_json_obj_end(struct uppp_json *j);
void uppp_json_arr_begin(struct uppp_json *j);
void uppp_json_arr_end(struct uppp_json *j);
/* A member's name inside an object (escaped like any string); the next
 * value written is its value. */
void uppp_json_key(struct uppp_json *j, const char *key);
/* Values. */
void uppp_json_str(struct uppp_json *j, const char *s);
void uppp_json_strn(struct uppp_json *j, const uint8_t *s, size_t n);
void uppp_json_u64(struct uppp_json *j, uint64_t v);
void uppp_json_bool(struct uppp_json *j, bool v);
void uppp_json_null(struct uppp_json *j);

/* Shorthands for one member: key and value. */
void uppp_json_kv_str(struct uppp_json *j, const char *key, const char *s);
void uppp_json_kv_u64(struct uppp_json *j, const char *key, uint64_t v);

#endif
