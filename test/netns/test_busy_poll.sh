#!/usr/bin/env bash
# --busy-poll end to end: a server (given `busy-poll` in its -O options file)
# and a client (--busy-poll on the command line) with a window of a second,
# so both spin through the whole test: the session comes up, pings cross it,
# and SIGTERM still stops each one cleanly (exit 0) while it is spinning —
# its signalfd is in the runtime's epoll set, which a wait of timeout 0
# reports as any other fd, and it handles them between two waits.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
CLI=$(cli_ns 1)

printf 'busy-poll 1000000\n' >"$NS_WORK/options"
start_server --auth chap -L 10.0.0.1 -R 10.0.0.2 -N 4 -O "$NS_WORK/options" --options-dir "$NS_WORK"
grep -q "event=busy-poll usec=1000000" "$NS_WORK/server.log" || fail "server did not take busy-poll from its options file"
start_client 1 client --user alice --password alice-pw --busy-poll 1000000
wait_for_log "$NS_WORK/client.log" "event=up" || fail "session did not come up"
grep -q "event=busy-poll usec=1000000" "$NS_WORK/client.log" || fail "client did not take --busy-poll"
ip netns exec "$CLI" ping -c 10 -i 0.05 -W 30 10.0.0.1 >/dev/null || fail "ping through the session failed"

# Pings keep flowing (every 20 ms, well inside the window) while SIGTERM
# reaches the client: it never sleeps, so only a signal seen by a wait that
# does not block can stop it.
ip netns exec "$CLI" ping -q -i 0.02 -c 100000 10.0.0.1 >/dev/null 2>&1 &
PING_PID=$!
ip netns exec "$CLI" ping -c 1 -W 30 10.0.0.1 >/dev/null || fail "second ping failed"
kill -TERM "$CLI_PID"
wait_gone "$CLI_PID" || fail "client did not exit on SIGTERM while busy polling"
kill "$PING_PID" 2>/dev/null || true
wait "$PING_PID" 2>/dev/null || true
wait "$CLI_PID" || fail "client exit status $? after SIGTERM, expected 0"
wait_for_log "$NS_WORK/server.log" "event=session-end cause=peer-term-req" || fail "server did not see the hang-up"
kill -TERM "$SRV_PID"
wait_gone "$SRV_PID" || fail "server did not exit on SIGTERM while busy polling"
wait "$SRV_PID" || fail "server exit status $? after SIGTERM, expected 0"
grep -q "event=stopped" "$NS_WORK/server.log" || fail "server did not stop gracefully"

ns_teardown
left=$(ns_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
