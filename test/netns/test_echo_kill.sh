#!/usr/bin/env bash
# A client killed with SIGKILL sends nothing (like a real Linux client that
# loses power): the server must notice the silence through LCP echo, remove
# the session and its TUN, and give the same address to the next client.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
ns_add_client 2

start_server --auth chap -N 5 --lcp-echo-interval 1 --lcp-echo-failure 3
start_client 1 client1 -u alice -p alice-pw --lcp-echo-interval 0
wait_for_log "$NS_WORK/client1.log" "event=up" 15 || fail "first session did not come up"
first=$(client_addr 1)
[ "$first" = 10.0.0.2 ] || fail "first client got '$first', expected 10.0.0.2"
ip -n "$SRV_NS" link show ppp0 >/dev/null || fail "server has no ppp0"

kill -KILL "$CLI_PID"
start=$(date +%s)
wait_for_log "$NS_WORK/server.log" "cause=echo-timeout" 10 || fail "server did not drop the silent session"
took=$(($(date +%s) - start))
# 3 silent intervals of 1 s: about 3-4 s, never immediately.
[ "$took" -ge 2 ] || fail "session dropped after ${took}s, before 3 echo intervals"
sleep 0.3
ip -n "$SRV_NS" link show ppp0 >/dev/null 2>&1 && fail "server TUN still there after echo timeout"

start_client 2 client2 -u user1 -p pw1
wait_for_log "$NS_WORK/client2.log" "event=up" 15 || fail "second session did not come up"
second=$(client_addr 2)
[ "$second" = "$first" ] || fail "address $first was not reused (second client got '$second')"
echo "PASS (dropped after ${took}s, address $first reused)"
