/* core/runtime.c — helpers shared by the server and client runtimes. */
#include "core/runtime.h"

#include <stdio.h>

char *uppp_log_ip(uint32_t ip, char *out, size_t cap)
{
	snprintf(out, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return out;
}
