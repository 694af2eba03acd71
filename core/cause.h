/* core/cause.h — names and sentences for why a session did not come up or
 * went down: enum uppp_cause, uppp_cause_name() and uppp_cause_text() are
 * public (uppp/types.h); this header is what the layers include. */
#ifndef UPPP_CORE_CAUSE_H
#define UPPP_CORE_CAUSE_H

#include "uppp/types.h"

#endif
