/* netif/seterr.c — see seterr.h. */
#include "netif/seterr.h"

#include <stdarg.h>
#include <stdio.h>

void uppp_seterr(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errcap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}
