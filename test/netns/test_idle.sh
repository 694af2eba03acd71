#!/usr/bin/env bash
# pppoe-server -T / pppd `idle`: a session without IP data is closed after
# the idle time (cause idle), one with traffic is not; the client hears of it.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
CLI=$(cli_ns 1)
start_server --auth chap -T 3 --lcp-echo-interval 1
start_client 1 client -u alice -p alice-pw
wait_for_log "$NS_WORK/client.log" "event=up" 15 || fail "session did not come up"
# traffic for 5 s (one ping every 0.5 s): longer than the idle time, no close
ip netns exec "$CLI" ping -c 10 -i 0.5 -W 2 10.0.0.1 >/dev/null || fail "ping failed"
grep -q "cause=idle" "$NS_WORK/server.log" && fail "session closed as idle while it carried traffic"
start=$(date +%s)
wait_for_log "$NS_WORK/server.log" "event=session-end cause=idle" 10 || fail "idle session not closed"
took=$(($(date +%s) - start))
[ "$took" -ge 2 ] || fail "closed after ${took}s, before the 3 s idle time"
wait_gone "$CLI_PID" 10 || fail "client did not notice the hang-up"
echo "PASS (closed ${took}s after the last packet)"
