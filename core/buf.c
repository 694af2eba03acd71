/* core/buf.c — checked readers and writers (see buf.h). */
#include "core/buf.h"

#include <errno.h>
#include <string.h>

int uppp_rd_u8(struct uppp_reader *r, uint8_t *v)
{
	if (r->left < 1)
		return -EMSGSIZE;
	*v = r->p[0];
	r->p++;
	r->left--;
	return 0;
}

int uppp_rd_be16(struct uppp_reader *r, uint16_t *v)
{
	if (r->left < 2)
		return -EMSGSIZE;
	*v = uppp_get_be16(r->p);
	r->p += 2;
	r->left -= 2;
	return 0;
}

int uppp_rd_be32(struct uppp_reader *r, uint32_t *v)
{
	if (r->left < 4)
		return -EMSGSIZE;
	*v = uppp_get_be32(r->p);
	r->p += 4;
	r->left -= 4;
	return 0;
}

int uppp_rd_bytes(struct uppp_reader *r, size_t n, const uint8_t **out)
{
	if (r->left < n)
		return -EMSGSIZE;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return 0;
}

int uppp_rd_skip(struct uppp_reader *r, size_t n)
{
	const uint8_t *unused;
	return uppp_rd_bytes(r, n, &unused);
}

int uppp_rd_sub(struct uppp_reader *r, size_t n, struct uppp_reader *sub)
{
	const uint8_t *p;
	int err = uppp_rd_bytes(r, n, &p);
	if (err)
		return err;
	*sub = uppp_reader(p, n);
	return 0;
}

static uint8_t *wr_take(struct uppp_writer *w, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return NULL;
	}
	uint8_t *at = w->p + w->len;
	w->len += n;
	return at;
}

void uppp_wr_u8(struct uppp_writer *w, uint8_t v)
{
	uint8_t *at = wr_take(w, 1);
	if (at)
		at[0] = v;
}

void uppp_wr_be16(struct uppp_writer *w, uint16_t v)
{
	uint8_t *at = wr_take(w, 2);
	if (at)
		uppp_put_be16(at, v);
}

void uppp_wr_be32(struct uppp_writer *w, uint32_t v)
{
	uint8_t *at = wr_take(w, 4);
	if (at)
		uppp_put_be32(at, v);
}

void uppp_wr_bytes(struct uppp_writer *w, const void *src, size_t n)
{
	uint8_t *at = wr_take(w, n);
	if (at && n)
		memcpy(at, src, n);
}

size_t uppp_wr_reserve(struct uppp_writer *w, size_t n)
{
	uint8_t *at = wr_take(w, n);
	if (!at)
		return SIZE_MAX;
	memset(at, 0, n);
	return (size_t)(at - w->p);
}

void uppp_wr_patch_be16(struct uppp_writer *w, size_t off, uint16_t v)
{
	if (w->overflow || off == SIZE_MAX || off + 2 > w->len)
		return;
	uppp_put_be16(w->p + off, v);
}
