/* proto/ac.h — the access concentrator engine, inside the tree.
 *
 * Its API is public and installed: uppp/ac.h (include/uppp/ac.h) declares
 * and documents it. proto/ac.c implements it (sessions, the PPP side),
 * proto/ac_discovery.c its discovery stage; both share proto/ac_impl.h.
 * runtime/server.c binds it to pcap and TUNs; tests bind it to another
 * stack in memory. This header adds only what code inside the tree uses
 * with it: the PPP engine and the rate tables. */
#ifndef UPPP_PROTO_AC_H
#define UPPP_PROTO_AC_H

#include "core/ratelimit.h"
#include "proto/ppp.h"
#include "uppp/ac.h"

#endif
