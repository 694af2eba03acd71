/* netif/seterr.h — the error text every netif/ open function fills in. */
#ifndef UPPP_NETIF_SETERR_H
#define UPPP_NETIF_SETERR_H

#include <stddef.h>

/* Formats a message for the caller into err (errcap bytes); nothing when
 * err is NULL or errcap is 0. */
__attribute__((format(printf, 3, 4)))
void uppp_seterr(char *err, size_t errcap, const char *fmt, ...);

#endif
