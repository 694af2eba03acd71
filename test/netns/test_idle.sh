#!/usr/bin/env bash
# pppoe-server -T / pppd `idle`: a session without IP data is closed after
# the idle time (cause idle), one with traffic is not; the client hears of it.
# When exactly it closes is pinned with a virtual clock in
# test/unit/test_ppp.c (test_idle_timeout); here the order of events is the
# verdict, the seconds are printed for information only.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
CLI=$(cli_ns 1)
start_server --auth chap -T 3 --lcp-echo-interval 1
start_client 1 client -u alice -p alice-pw
wait_for_log "$NS_WORK/client.log" "event=up" || fail "session did not come up"
# Traffic for 4 s, one ping every 0.2 s: longer than the idle time, so no
# close — with a margin of 15 ping intervals per idle period for a loaded
# machine. Every ping must be answered: a session closed mid-way fails it.
ip netns exec "$CLI" ping -c 20 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "ping failed"
grep -q "cause=idle" "$NS_WORK/server.log" && fail "session closed as idle while it carried traffic"
start=$SECONDS
wait_for_log "$NS_WORK/server.log" "event=session-end cause=idle" || fail "idle session not closed"
took=$((SECONDS - start))
grep -q "event=idle idle-ms=3000" "$NS_WORK/server.log" || fail "idle close does not name the idle time"
wait_gone "$CLI_PID" || fail "client did not notice the hang-up"
echo "PASS (closed ${took}s after the last packet, for information)"
