#!/usr/bin/env bash
# The Ethernet interface uppp serves disappears under it (a USB NIC pulled, a
# VLAN deleted): the server logs the cause once (Windows clients will see
# error 651/678), ends every session with that cause, removes their TUNs and
# exits non-zero instead of spinning on a dead handle.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
start_server --auth chap --lcp-echo-interval 1
start_client 1 client -u alice -p alice-pw
wait_for_log "$NS_WORK/client.log" "event=up" || fail "session did not come up"
ip -n "$SRV_NS" link show ppp0 >/dev/null || fail "server has no ppp0"

ip -n "$SRV_NS" link del br0
wait_for_log "$NS_WORK/server.log" "event=interface-down if=br0 cause=interface-down" ||
	fail "server did not log the interface going away"
wait_for_log "$NS_WORK/server.log" "event=session-end cause=interface-down" ||
	fail "the session did not end with cause interface-down"
wait_gone "$SRV_PID" || fail "server still running after its interface disappeared"
set +e
wait "$SRV_PID"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "server exited 0 after losing its interface"
ip -n "$SRV_NS" link show ppp0 >/dev/null 2>&1 && fail "server TUN left behind"
[ "$(grep -c 'event=interface-down' "$NS_WORK/server.log")" = 1 ] || fail "interface-down logged more than once"
echo "PASS (server exit status $rc)"
