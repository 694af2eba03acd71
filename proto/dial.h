/* proto/dial.h — the client engine, inside the tree.
 *
 * Its API is public and installed: uppp/dial.h (include/uppp/dial.h)
 * declares and documents it; proto/dial.c implements it, runtime/client.c
 * binds it to pcap and a TUN. This header adds the PPP engine for code
 * inside the tree. */
#ifndef UPPP_PROTO_DIAL_H
#define UPPP_PROTO_DIAL_H

#include "proto/ppp.h"
#include "uppp/dial.h"

#endif
