/* core/buf.h — checked readers and writers for packet bytes.
 *
 * Parsers never cast packet bytes to structs. They walk a reader that fails
 * cleanly (returns -EMSGSIZE and reads nothing) when fewer bytes remain than
 * asked. Builders append to a writer whose overflow is sticky: build the whole
 * packet, then check uppp_wr_ok() once. Pure: no syscalls, no allocation. */
#ifndef UPPP_CORE_BUF_H
#define UPPP_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uppp_reader {
	const uint8_t *p;  /* next unread byte */
	size_t left;       /* bytes remaining */
};

static inline struct uppp_reader uppp_reader(const uint8_t *p, size_t len)
{
	struct uppp_reader r = { p, len };
	return r;
}

int uppp_rd_u8(struct uppp_reader *r, uint8_t *v);
int uppp_rd_be16(struct uppp_reader *r, uint16_t *v);
int uppp_rd_be32(struct uppp_reader *r, uint32_t *v);
/* Points *out at the next n bytes (no copy) and advances. */
int uppp_rd_bytes(struct uppp_reader *r, size_t n, const uint8_t **out);
int uppp_rd_skip(struct uppp_reader *r, size_t n);
/* Splits off the next n bytes as a sub-reader and advances past them. */
int uppp_rd_sub(struct uppp_reader *r, size_t n, struct uppp_reader *sub);

struct uppp_writer {
	uint8_t *p;        /* start of the buffer */
	size_t cap;        /* its size */
	size_t len;        /* bytes written so far */
	bool overflow;     /* set once any write did not fit; later writes are ignored */
};

static inline struct uppp_writer uppp_writer(uint8_t *p, size_t cap)
{
	struct uppp_writer w = { p, cap, 0, false };
	return w;
}

static inline bool uppp_wr_ok(const struct uppp_writer *w) { return !w->overflow; }

void uppp_wr_u8(struct uppp_writer *w, uint8_t v);
void uppp_wr_be16(struct uppp_writer *w, uint16_t v);
void uppp_wr_be32(struct uppp_writer *w, uint32_t v);
void uppp_wr_bytes(struct uppp_writer *w, const void *src, size_t n);
/* Reserves n bytes to fill in later (e.g. a length field); returns their
 * offset, or SIZE_MAX on overflow. */
size_t uppp_wr_reserve(struct uppp_writer *w, size_t n);
/* Writes a big-endian u16 at an offset returned by uppp_wr_reserve(). */
void uppp_wr_patch_be16(struct uppp_writer *w, size_t off, uint16_t v);

static inline uint16_t uppp_get_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t uppp_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void uppp_put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void uppp_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif
