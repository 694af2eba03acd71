/* core/version.c — the version of the library linked (uppp/version.h). */
#include "uppp/version.h"

const char *uppp_version(void)
{
	return UPPP_VERSION;
}
