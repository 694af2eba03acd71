/* core/escape.h — make peer-supplied strings safe for logs.
 *
 * User names, Service-Names, AC-Names, CHAP names and failure messages come
 * from the wire. Before they reach a log line they go through uppp_escape():
 * printable ASCII is kept, everything else (and '\\', '"', '\'') becomes \xNN.
 * Pure: no syscalls, no allocation. */
#ifndef UPPP_CORE_ESCAPE_H
#define UPPP_CORE_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

/* Writes the escaped form of s[0..n) into out (always NUL-terminated when
 * cap > 0; truncated with "..." if it does not fit). Returns out. */
char *uppp_escape(const uint8_t *s, size_t n, char *out, size_t cap);

/* The value of one hex digit (either case), -1 for any other character:
 * what undoes the escapes of secrets files and control requests. */
static inline int uppp_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Room for the escaped form of a 255-byte field. */
#define UPPP_ESCAPED_MAX (255 * 4 + 4)

#endif
