/* core/json.c — the JSON writer of core/json.h. */
#include "core/json.h"

#include <string.h>

static void put(struct uppp_json *j, const char *s, size_t n)
{
	if (!j->overflow && j->len + n < j->cap) {
		memcpy(j->p + j->len, s, n);
		j->p[j->len + n] = '\0';
	} else {
		j->overflow = true;
	}
	j->len += n;
}

static void putc_(struct uppp_json *j, char c) { put(j, &c, 1); }

void uppp_json_init(struct uppp_json *j, char *buf, size_t cap)
{
	memset(j, 0, sizeof(*j));
	j->p = buf;
	j->cap = cap;
	if (cap)
		buf[0] = '\0';
	else
		j->overflow = true;
}

bool uppp_json_ok(const struct uppp_json *j) { return !j->overflow && j->depth == 0; }

/* Before any value: the comma that separates it from the one before. */
static void value_start(struct uppp_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		putc_(j, ',');
	j->need_comma[j->depth] = true;
}

static void open_(struct uppp_json *j, char c)
{
	value_start(j);
	putc_(j, c);
	if (j->depth >= UPPP_JSON_MAX_DEPTH) {
		j->overflow = true;   /* too deep: the document is refused as a whole */
		return;
	}
	j->need_comma[++j->depth] = false;
}

static void close_(struct uppp_json *j, char c)
{
	putc_(j, c);
	if (j->depth == 0)
		j->overflow = true;   /* closed more than was opened */
	else
		j->depth--;
}

void uppp_json_obj_begin(struct uppp_json *j) { open_(j, '{'); }
void uppp_json_obj_end(struct uppp_json *j) { close_(j, '}'); }
void uppp_json_arr_begin(struct uppp_json *j) { open_(j, '['); }
void uppp_json_arr_end(struct uppp_json *j) { close_(j, ']'); }

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 §4: shortest
 * form, no surrogates, at most U+10FFFF), 0 when there is none. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len;
	uint32_t cp;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void escaped(struct uppp_json *j, const uint8_t *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	putc_(j, '"');
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			put(j, e, 2);
			i++;
		} else if (c == '\n') {
			put(j, "\\n", 2);
			i++;
		} else if (c == '\t') {
			put(j, "\\t", 2);
			i++;
		} else if (c == '\r') {
			put(j, "\\r", 2);
			i++;
		} else if (c >= 0x20 && c < 0x7f) {
			putc_(j, (char)c);
			i++;
		} else if (c >= 0x80 && utf8_len(s + i, n - i)) {
			size_t l = utf8_len(s + i, n - i);
			put(j, (const char *)s + i, l);
			i += l;
		} else {
			/* a control byte, DEL, or a byte of no well-formed sequence */
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			put(j, e, 6);
			i++;
		}
	}
	putc_(j, '"');
}

void uppp_json_key(struct uppp_json *j, const char *key)
{
	value_start(j);
	escaped(j, (const uint8_t *)key, strlen(key));
	putc_(j, ':');
	j->after_key = true;
}

void uppp_json_strn(struct uppp_json *j, const uint8_t *s, size_t n)
{
	value_start(j);
	escaped(j, s, n);
}

void uppp_json_str(struct uppp_json *j, const char *s)
{
	uppp_json_strn(j, (const uint8_t *)s, strlen(s));
}

void uppp_json_u64(struct uppp_json *j, uint64_t v)
{
	char tmp[21];
	size_t n = sizeof(tmp);

	value_start(j);
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(j, tmp + n, sizeof(tmp) - n);
}

void uppp_json_bool(struct uppp_json *j, bool v)
{
	value_start(j);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

void uppp_json_null(struct uppp_json *j)
{
	value_start(j);
	put(j, "null", 4);
}

void uppp_json_kv_str(struct uppp_json *j, const char *key, const char *s)
{
	uppp_json_key(j, key);
	uppp_json_str(j, s);
}

void uppp_json_kv_u64(struct uppp_json *j, const char *key, uint64_t v)
{
	uppp_json_key(j, key);
	uppp_json_u64(j, v);
}
