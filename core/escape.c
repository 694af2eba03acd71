/* core/escape.c — escape peer strings for logs (see escape.h). */
#include "core/escape.h"

#include <string.h>

char *uppp_escape(const uint8_t *s, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (cap == 0)
		return out;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		int plain = c >= 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '\'';
		size_t need = plain ? 1 : 4;
		if (o + need + 1 > cap) {
			/* Truncate, marking it, if there is room for the mark. */
			if (cap >= 4) {
				o = o + 3 + 1 > cap ? cap - 4 : o;
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}
