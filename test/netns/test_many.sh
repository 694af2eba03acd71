#!/usr/bin/env bash
# 20 clients at once each get a distinct address from a pool of 20; the 21st
# is refused (no PADO) and the server logs why.
. "$(dirname "$0")/common.sh" "$@"
N=20
for i in $(seq 1 $((N + 1))); do ns_add_client "$i"; done

start_server --auth pap -L 10.0.0.1 -R 10.0.0.2 -N $N
for i in $(seq 1 $N); do
	start_client "$i" "client$i" -u "user$i" -p "pw$i"
done
for i in $(seq 1 $N); do
	wait_for_log "$NS_WORK/client$i.log" "event=up" || fail "client $i did not come up"
done
addrs=$(for i in $(seq 1 $N); do client_addr "$i"; done | sort -u)
count=$(echo "$addrs" | grep -c '^10\.0\.0\.')
[ "$count" = $N ] || fail "expected $N distinct addresses, got $count: $addrs"
echo "$addrs" | grep -qx 10.0.0.1 && fail "the server's own address was handed out"

# The 21st: wait for the server's refusal of that very client (its MAC), not
# for time to pass. Without a PADO it cannot reach PADR, so once refused it
# has no session — and the pool is still full, so no later PADI is answered.
last=$((N + 1))
mac=$(ip -n "$(cli_ns $last)" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | awk '{print $2}')
[ -n "$mac" ] || fail "no MAC for client $last"
start_client $last "client$last" -u "user$last" -p "pw$last"
wait_for_log "$NS_WORK/server.log" "mac=$mac event=no-pado" || fail "server did not log why the 21st client ($mac) was refused"
grep -q "event=up" "$NS_WORK/client$last.log" && fail "the 21st client got a session"
ups=$(count_lines "$NS_WORK/server.log" "layer=session event=up")
[ "$ups" = $N ] || fail "server brought up $ups sessions, expected $N"
grep "mac=$mac event=no-pado" "$NS_WORK/server.log" | head -1
echo "PASS"
