/* config/secrets_file.h — read a chap-secrets / pap-secrets file into a
 * struct uppp_secrets (the parsing itself is config/secrets.c, sans-I/O). */
#ifndef UPPP_CORE_SECRETS_FILE_H
#define UPPP_CORE_SECRETS_FILE_H

#include <stddef.h>

#include "config/secrets.h"

/* Files larger than this are refused (a secrets file is a few KB). */
#define UPPP_SECRETS_FILE_MAX (4u << 20)

/* Reads path and appends its entries to s (zeroed or earlier entries).
 * Returns 0; -errno when the file cannot be read (err = "PATH: reason");
 * -EFBIG above UPPP_SECRETS_FILE_MAX; -EINVAL for a malformed line (err =
 * "PATH:LINE: reason"). On error s is unchanged. err may be NULL. */
int uppp_secrets_load(struct uppp_secrets *s, const char *path, char *err, size_t errcap);

#endif
