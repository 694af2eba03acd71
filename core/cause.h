/* core/cause.h — names and sentences for why a session did not come up or
 * went down (enum uppp_cause, public in uppp/types.h). */
#ifndef UPPP_CORE_CAUSE_H
#define UPPP_CORE_CAUSE_H

#include "uppp/types.h"

/* Short stable name for logs and counters, e.g. "echo-timeout". */
const char *uppp_cause_name(enum uppp_cause c);
/* One sentence for a human, naming what a Windows client shows when it
 * applies, e.g. "peer stopped answering LCP echo requests". */
const char *uppp_cause_text(enum uppp_cause c);

#endif
