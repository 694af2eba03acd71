#!/usr/bin/env bash
# A client killed with SIGKILL sends nothing (like a real Linux client that
# loses power): the server must notice the silence through LCP echo, remove
# the session and its TUN, and give the same address to the next client.
# The verdict is on what happened on the wire, not on seconds: the server
# declared the peer dead only after Echo-Requests went unanswered.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
ns_add_client 2
ECHO_FAILURE=3

start_server --auth chap -N 5 --lcp-echo-interval 1 --lcp-echo-failure $ECHO_FAILURE
start_client 1 client1 -u alice -p alice-pw --lcp-echo-interval 0
wait_for_log "$NS_WORK/client1.log" "event=up" || fail "first session did not come up"
first=$(client_addr 1)
[ "$first" = 10.0.0.2 ] || fail "first client got '$first', expected 10.0.0.2"
ip -n "$SRV_NS" link show ppp0 >/dev/null || fail "server has no ppp0"

# Every LCP Echo-Request (code 9) and Echo-Reply (code 10) on the server's
# bridge: PPPoE session frames (0x8864) carrying LCP (0xc021 at offset 20).
# The client echoes nothing itself (--lcp-echo-interval 0), so requests are
# the server's and replies the client's.
ip netns exec "$SRV_NS" tcpdump -l -n -i br0 \
	'ether proto 0x8864 and ether[20:2] = 0xc021 and (ether[22] = 9 or ether[22] = 10)' \
	>"$NS_WORK/echo.txt" 2>"$NS_WORK/echo.err" &
TCPDUMP=$!
NS_PIDS+=("$TCPDUMP")
wait_for_log "$NS_WORK/echo.err" "listening on" || fail "tcpdump did not start"

kill -KILL "$CLI_PID"
start=$SECONDS
wait_for_log "$NS_WORK/server.log" "cause=echo-timeout" || fail "server did not drop the silent session"
took=$((SECONDS - start))
wait_link_idle "$SRV_NS" ppp0 || fail "server TUN still up or addressed after echo timeout"
kill -INT "$TCPDUMP"
wait_gone "$TCPDUMP" || fail "tcpdump did not exit"
# Requests after the last reply went unanswered. A link declared dead with
# fewer than lcp-echo-failure of them was dropped on silence it never probed
# (pppd sends lcp-echo-failure requests before it gives up, and so do we).
unanswered=$(awk '/Echo-Reply/ {n = 0} /Echo-Request/ {n++} END {print n + 0}' "$NS_WORK/echo.txt")
requests=$(count_lines "$NS_WORK/echo.txt" "Echo-Request")
[ "$requests" -gt 0 ] || fail "no Echo-Request seen on the wire: $(cat "$NS_WORK/echo.txt" "$NS_WORK/echo.err")"
[ "$unanswered" -ge "$ECHO_FAILURE" ] ||
	fail "session dropped after $unanswered unanswered Echo-Requests (lcp-echo-failure $ECHO_FAILURE): $(cat "$NS_WORK/echo.txt")"

start_client 2 client2 -u user1 -p pw1
wait_for_log "$NS_WORK/client2.log" "event=up" || fail "second session did not come up"
second=$(client_addr 2)
[ "$second" = "$first" ] || fail "address $first was not reused (second client got '$second')"
# ... and the first session's TUN, waiting in the server's pool, too.
[ "$(count_lines "$NS_WORK/server.log" "layer=session event=up if=ppp0 ")" = 2 ] ||
	fail "the second session did not get the first one's ppp0: $(grep 'event=up' "$NS_WORK/server.log")"
[ "$(session_tuns "$SRV_NS" | wc -l)" = 1 ] || fail "server TUNs: $(session_tuns "$SRV_NS" | tr '\n' ' '), expected ppp0 alone"
echo "PASS (dropped after $unanswered unanswered Echo-Requests, ${took}s for information; address $first reused)"
