/* core/runtime.h — small helpers shared by the server and client runtimes. */
#ifndef UPPP_CORE_RUNTIME_H
#define UPPP_CORE_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

#define UPPP_MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define UPPP_MAC_ARGS(m) (m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]

/* Dotted quad of a host-order address into out (≥ 16 bytes). */
char *uppp_log_ip(uint32_t ip, char *out, size_t cap);

#endif
