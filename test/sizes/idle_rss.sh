#!/usr/bin/env bash
# Prints the resident memory of an idle `uppp server` with the default
# configuration, on a bridge in a network namespace, once it has logged
# event=started: Anonymous and Private_Clean + Private_Dirty of
# /proc/PID/smaps_rollup. Root only (exit 77 otherwise).
#
#   idle_rss.sh /path/to/uppp
. "$(dirname "$0")/../netns/common.sh" "$@"
start_server
R=/proc/$SRV_PID/smaps_rollup
[ -r "$R" ] || fail "cannot read $R"
field() { awk -v f="$1:" '$1 == f {print $2}' "$R"; }
clean=$(field Private_Clean) dirty=$(field Private_Dirty) anon=$(field Anonymous)
# Private_Clean is mostly text of the binary and of libraries no other process
# maps at the moment (shared on a router running several): the anonymous
# figure is what the server itself costs, and what the target is about.
echo "idle default server: anonymous RSS ${anon} KiB — target <= 2048 KiB;" \
     "private RSS $((clean + dirty)) KiB (Private_Dirty ${dirty} + Private_Clean ${clean})"
