/* config/secrets.c — chap-secrets / pap-secrets parser and lookup (see
 * secrets.h). Configuration, not the packet path: entries live on the heap. */
#include "config/secrets.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"

struct lexer {
	const char *p;     /* next unread character of the line */
	const char *end;   /* end of the line (the '\n' or the end of the text) */
	char reason[160];  /* why the last call failed */
};

static void wipe(void *p, size_t n)
{
	volatile char *v = p;

	while (n--)
		*v++ = 0;
}

/* One backslash escape starting after the backslash; writes the byte. */
static int lex_escape(struct lexer *lx, char *out)
{
	int v;

	if (lx->p >= lx->end) {
		snprintf(lx->reason, sizeof(lx->reason), "backslash at end of line (line continuation is not supported)");
		return -1;
	}
	char c = *lx->p++;
	switch (c) {
	case 'n': *out = '\n'; return 0;
	case 't': *out = '\t'; return 0;
	case 'r': *out = '\r'; return 0;
	case 's': *out = ' '; return 0;
	case 'x':
		v = 0;
		for (int i = 0; i < 2 && lx->p < lx->end && uppp_hex_digit(*lx->p) >= 0; i++)
			v = v * 16 + uppp_hex_digit(*lx->p++);
		if (lx->p[-1] == 'x') {
			snprintf(lx->reason, sizeof(lx->reason), "\\x without hex digits");
			return -1;
		}
		*out = (char)v;
		return 0;
	default:
		if (c >= '0' && c <= '7') {
			v = c - '0';
			for (int i = 0; i < 2 && lx->p < lx->end && *lx->p >= '0' && *lx->p <= '7'; i++)
				v = v * 8 + (*lx->p++ - '0');
			if (v > 255) {
				snprintf(lx->reason, sizeof(lx->reason), "octal escape above \\377");
				return -1;
			}
			*out = (char)v;
			return 0;
		}
		*out = c;
		return 0;
	}
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Next field of the line into out (NUL-terminated, *outlen bytes). Returns 1
 * for a field, 0 at the end of the line (or a comment), -1 on error. out has
 * room for the rest of the line plus one byte. */
static int lex_field(struct lexer *lx, char *out, size_t *outlen)
{
	size_t o = 0;
	char quote = 0;

	while (lx->p < lx->end && is_blank(*lx->p))
		lx->p++;
	if (lx->p >= lx->end || *lx->p == '#')
		return 0;

	while (lx->p < lx->end) {
		char c = *lx->p;

		if (!quote && is_blank(c))
			break;
		lx->p++;
		if (c == '\0') {
			snprintf(lx->reason, sizeof(lx->reason), "NUL byte in the file");
			return -1;
		}
		if (quote && c == quote) {
			quote = 0;
		} else if (!quote && (c == '"' || c == '\'')) {
			quote = c;
		} else if (c == '\\') {
			if (lex_escape(lx, &out[o]))
				return -1;
			if (out[o] == '\0') {
				snprintf(lx->reason, sizeof(lx->reason), "escape gives a NUL byte");
				return -1;
			}
			o++;
		} else {
			out[o++] = c;
		}
	}
	if (quote) {
		snprintf(lx->reason, sizeof(lx->reason), "unterminated %s quote",
			 quote == '"' ? "double" : "single");
		return -1;
	}
	out[o] = '\0';
	*outlen = o;
	return 1;
}

/* Strict dotted quad, decimal only (no octal "010", no hex, no short forms). */
static int parse_ipv4(const char *s, uint32_t *addr)
{
	uint32_t a = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		int digits = 0;

		if (part > 0 && *s++ != '.')
			return -1;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[-digits] == '0'))
			return -1;
		a = a << 8 | v;
	}
	if (*s != '\0')
		return -1;
	*addr = a;
	return 0;
}

static int parse_address(struct uppp_secret *e, const char *field, size_t flen, char *reason, size_t rcap)
{
	uint32_t addr;
	char shown[64];  /* enough to recognise the field; longer ones end in "..." */

	if (strcmp(field, "*") == 0) {
		e->addr_any = true;
	} else if (strcmp(field, "-") == 0) {
		e->addr_none = true;
	} else if (parse_ipv4(field, &addr) == 0) {
		if (e->n_addrs < UPPP_SECRET_MAX_ADDRS)
			e->addrs[e->n_addrs++] = addr;
	} else {
		uppp_escape((const uint8_t *)field, flen > 255 ? 255 : flen, shown, sizeof(shown));
		snprintf(reason, rcap, "bad IP address '%s' (expected a dotted quad, '*' or '-')", shown);
		return -1;
	}
	if (e->addr_none && (e->addr_any || e->n_addrs > 0)) {
		snprintf(reason, rcap, "'-' (no address) must be the only address");
		return -1;
	}
	return 0;
}

static void entry_free(struct uppp_secret *e)
{
	free(e->client);
	free(e->server);
	free((char *)e->file);
	if (e->secret) {
		wipe(e->secret, strlen(e->secret));
		free(e->secret);
	}
	memset(e, 0, sizeof(*e));
}

static char *dup_field(const char *f, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, f, n);
		d[n] = '\0';
	}
	return d;
}

static int append(struct uppp_secrets *s, const struct uppp_secret *e)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		struct uppp_secret *nv = realloc(s->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = *e;
	return 0;
}

static void set_err(char *err, size_t errcap, const char *filename, int line, const char *reason)
{
	if (err && errcap > 0)
		snprintf(err, errcap, "%s:%d: %s", filename ? filename : "<secrets>", line, reason);
}

/* One line: 0 (entry appended or blank line), -EINVAL (reason set), -ENOMEM. */
static int parse_line(struct uppp_secrets *s, struct lexer *lx, const char *filename, int line,
		      char *scratch, char *reason, size_t rcap)
{
	struct uppp_secret e;
	size_t flen;
	int nfields = 0, r, err = 0;

	memset(&e, 0, sizeof(e));
	e.line = line;
	while ((r = lex_field(lx, scratch, &flen)) == 1) {
		switch (nfields) {
		case 0: e.client = dup_field(scratch, flen); break;
		case 1: e.server = dup_field(scratch, flen); break;
		case 2: e.secret = dup_field(scratch, flen); break;
		default:
			if (parse_address(&e, scratch, flen, reason, rcap))
				err = -EINVAL;
			break;
		}
		wipe(scratch, flen);
		if (err)
			goto fail;
		if ((nfields == 0 && !e.client) || (nfields == 1 && !e.server) || (nfields == 2 && !e.secret)) {
			err = -ENOMEM;
			goto fail;
		}
		nfields++;
	}
	if (r < 0) {
		snprintf(reason, rcap, "%s", lx->reason);
		err = -EINVAL;
		goto fail;
	}
	if (nfields == 0)
		return 0;  /* blank or comment */
	if (nfields < 3) {
		snprintf(reason, rcap, "expected 'client server secret [addresses]', found only %d field%s",
			 nfields, nfields == 1 ? "" : "s");
		err = -EINVAL;
		goto fail;
	}
	if (!e.addr_none && e.n_addrs == 0)
		e.addr_any = true;  /* no address column: any address from the pool */
	e.file = dup_field(filename, strlen(filename));
	if (!e.file) {
		err = -ENOMEM;
		goto fail;
	}
	err = append(s, &e);
	if (err == 0)
		return 0;
fail:
	entry_free(&e);
	return err;
}

int uppp_secrets_parse(struct uppp_secrets *s, const char *text, size_t len,
		       const char *filename, char *err, size_t errcap)
{
	size_t before = s->n;
	const char *p = text, *end = text + len;
	char *scratch = NULL;
	size_t scratch_cap = 0;
	char reason[200];
	int line = 0, rc = 0;

	if (err && errcap > 0)
		err[0] = '\0';
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t llen = (size_t)(eol - p);
		struct lexer lx = { p, eol, "" };

		line++;
		if (llen + 1 > scratch_cap) {
			char *ns = malloc(llen + 1);

			if (!ns) {
				rc = -ENOMEM;
				set_err(err, errcap, filename, line, "out of memory");
				break;
			}
			if (scratch) {
				wipe(scratch, scratch_cap);
				free(scratch);
			}
			scratch = ns;
			scratch_cap = llen + 1;
		}
		rc = parse_line(s, &lx, filename ? filename : "<secrets>", line, scratch, reason,
				sizeof(reason));
		if (rc) {
			set_err(err, errcap, filename, line, rc == -ENOMEM ? "out of memory" : reason);
			break;
		}
		p = nl ? nl + 1 : end;
	}
	if (scratch) {
		wipe(scratch, scratch_cap);
		free(scratch);
	}
	if (rc) {
		/* Leave s as it was before this call. */
		while (s->n > before)
			entry_free(&s->v[--s->n]);
	}
	return rc;
}

const struct uppp_secret *uppp_secrets_find(const struct uppp_secrets *s,
					    const char *client, const char *server)
{
	const struct uppp_secret *best = NULL;
	int best_score = -1;

	if (!client)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		const struct uppp_secret *e = &s->v[i];
		int score = 0;

		if (strcmp(e->client, client) == 0)
			score += 2;
		else if (strcmp(e->client, "*") != 0)
			continue;
		if (server && strcmp(e->server, server) == 0)
			score += 1;
		else if (server && strcmp(e->server, "*") != 0)
			continue;
		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	return best;
}

int uppp_secret_address(const struct uppp_secret *e, uint32_t *addr)
{
	if (!e)
		return 0;
	if (e->addr_none)
		return -EPERM;
	if (e->n_addrs > 0) {
		*addr = e->addrs[0];
		return 1;
	}
	return 0;
}

void uppp_secrets_free(struct uppp_secrets *s)
{
	for (size_t i = 0; i < s->n; i++)
		entry_free(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}
