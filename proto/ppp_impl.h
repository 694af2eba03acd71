/* proto/ppp_impl.h — proto/ppp.c's phase table and setter, exposed for the
 * unit tests (test/unit/test_ppp_phase.c); hosts use proto/ppp.h. */
#ifndef UPPP_PROTO_PPP_IMPL_H
#define UPPP_PROTO_PPP_IMPL_H

#include <stdbool.h>

#include "proto/ppp.h"

/* Whether the link may move from phase `from` to `to` (to != from): RFC 1661
 * §3.2's diagram, plus a return to Establish when LCP goes down without a
 * cause of ours (the peer renegotiates, §3.4, or sends Terminate-Request),
 * Terminate from every phase but Terminate (a close, a timeout; from Dead a
 * close before the lower layer came up), and Dead from Establish (LCP
 * failed, the lower layer went away). Out-of-range phases: false. */
bool uppp_ppp_phase_legal(enum uppp_ppp_phase from, enum uppp_ppp_phase to);
/* "dead", "establish", ...; "?" out of range. */
const char *uppp_ppp_phase_name(enum uppp_ppp_phase phase);
/* The one place p->phase changes: logs `phase=old -> new (why)` at debug
 * level and returns true (also when p is there already, silently), or
 * logs an illegal transition at error level, leaves the phase and returns
 * false. */
bool uppp_ppp_set_phase(struct uppp_ppp *p, enum uppp_ppp_phase next, const char *why);

#endif
