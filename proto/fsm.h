/* proto/fsm.h — the RFC 1661 option-negotiation automaton (§4), shared by
 * LCP and IPCP. Defined by the FSM implementation; see proto/fsm.c. */
#ifndef UPPP_PROTO_FSM_H
#define UPPP_PROTO_FSM_H
/* (to be written) */
#endif
