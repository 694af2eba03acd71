/* core/hot.h — UPPP_HOT marks the functions every data packet runs through.
 *
 * GCC puts them next to each other (section .text.hot) instead of wherever
 * their files landed in the binary: the data path then runs in a few pages of
 * code, not fifteen. That matters where each syscall empties the TLB (kernel
 * page-table isolation on a CPU without PCID, as in many VMs): every page the
 * path touches between two syscalls costs a page walk per packet. Only for
 * the per-packet path; nothing else is hot. */
#ifndef UPPP_CORE_HOT_H
#define UPPP_CORE_HOT_H

#if defined(__GNUC__)
#define UPPP_HOT __attribute__((hot))
#else
#define UPPP_HOT
#endif

#endif
