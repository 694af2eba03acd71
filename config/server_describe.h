/* config/server_describe.h — `uppp server --show-config`: every effective
 * setting of a parsed server command line with where it came from. */
#ifndef UPPP_CONFIG_SERVER_DESCRIBE_H
#define UPPP_CONFIG_SERVER_DESCRIBE_H

#include <stdbool.h>
#include <stdio.h>

#include "config/server_args.h"
#include "uppp/uppp.h"

/* Writes one line per setting of cfg (as a parsed: origins from
 * uppp_server_args_origin), "name value  # origin", origin "FILE:LINE",
 * "flag -X" or "default"; json: one JSON object {"settings":[{"name",
 * "value", "origin"}...]} instead. The secrets files are read to count
 * their entries (never printed). Values and origins are escaped (\xNN).
 * Returns 0, or -EIO when out failed. */
int uppp_server_describe(const struct server_args *a, const struct uppp_server_config *cfg, bool json, FILE *out);

#endif
