/* config/secrets.h — the pppd chap-secrets / pap-secrets format, parsed from
 * a buffer (sans-I/O; config/secrets_file.h reads the file).
 *
 * One entry per line:   client  server  secret  [address ...]
 *  - fields are separated by blanks; `#` at the start of a field starts a
 *    comment that runs to the end of the line (inside a word it is a plain
 *    character, so passwords may contain it);
 *  - a field may be quoted with "..." or '...' to hold blanks; quoted and
 *    unquoted parts join into one field (ab"c d" is "abc d"); "" is an
 *    empty field;
 *  - a backslash escapes the next character, in or out of quotes: \n \t \r
 *    \s (space), \xHH, \ooo (octal), otherwise the character itself;
 *  - `*` as client or server matches any name;
 *  - addresses: none or `*`: any address from the pool; dotted quads: the
 *    addresses this client may use (the first is its static address; up to
 *    UPPP_SECRET_MAX_ADDRS are kept); `-`: no address allowed.
 * Not supported (rejected as malformed, never silently misread): host names
 * and subnets in the address column, `!` negation, line continuation.
 * A secret starting with '@' is taken literally (pppd would read a file). */
#ifndef UPPP_AUTH_SECRETS_H
#define UPPP_AUTH_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UPPP_SECRET_MAX_ADDRS 4

struct uppp_secret {
	char *client;        /* "*" = any */
	char *server;        /* "*" = any */
	char *secret;
	uint32_t addrs[UPPP_SECRET_MAX_ADDRS];  /* host byte order */
	size_t n_addrs;
	bool addr_any;       /* no address column, or `*` */
	bool addr_none;      /* `-`: this client gets no address */
	const char *file;    /* the file it came from (owned by the entry), for logs */
	int line;            /* line in the file, for logs */
};

struct uppp_secrets {
	struct uppp_secret *v;
	size_t n;
	size_t cap;
};

/* s must be zeroed (e.g. `struct uppp_secrets s = {0};`) or hold entries from
 * an earlier parse: new entries are appended. Returns 0, -EINVAL with err =
 * "FILE:LINE: reason" for a malformed line (s is then left as it was), or
 * -ENOMEM. err may be NULL. */
int uppp_secrets_parse(struct uppp_secrets *s, const char *text, size_t len,
		       const char *filename, char *err, size_t errcap);
/* The best entry for client talking to server (server NULL = any server):
 * an exact client beats a `*` client, then an exact server beats `*`;
 * among equals the first line wins. NULL if none matches. */
const struct uppp_secret *uppp_secrets_find(const struct uppp_secrets *s,
					    const char *client, const char *server);
/* What entry e (NULL: no entry) says about the peer's address: 1 with *addr
 * set to its static address (the first listed), 0 for any address from the
 * pool, -EPERM for `-` (pppd: no address allowed, IPCP must fail). */
int uppp_secret_address(const struct uppp_secret *e, uint32_t *addr);
/* Frees every entry (and wipes the secrets); s is left empty and reusable. */
void uppp_secrets_free(struct uppp_secrets *s);

#endif
