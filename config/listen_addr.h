/* config/listen_addr.h — an ADDR:PORT to listen on (`--metrics`), parsed
 * without a name lookup: a dotted IPv4 address or a bracketed IPv6 address,
 * a colon, a port from 1 to 65535. No host names (a lookup at start-up can
 * block and can resolve to an address nobody meant) and no ":PORT" for
 * "every address": an unauthenticated listener is bound where it is named. */
#ifndef UPPP_CONFIG_LISTEN_ADDR_H
#define UPPP_CONFIG_LISTEN_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* Parses s into *sa (sockaddr_in or sockaddr_in6, port in network order)
 * and *len. Returns 0, or -EINVAL with one sentence in err[0..errlen). */
int uppp_listen_addr_parse(const char *s, struct sockaddr_storage *sa, socklen_t *len, char *err, size_t errlen);

#endif
