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
	wait_for_log "$NS_WORK/client$i.log" "event=up" 30 || fail "client $i did not come up"
done
addrs=$(for i in $(seq 1 $N); do client_addr "$i"; done | sort -u)
count=$(echo "$addrs" | grep -c '^10\.0\.0\.')
[ "$count" = $N ] || fail "expected $N distinct addresses, got $count: $addrs"
echo "$addrs" | grep -qx 10.0.0.1 && fail "the server's own address was handed out"

start_client $((N + 1)) "client$((N + 1))" -u "user$((N + 1))" -p "pw$((N + 1))"
wait_for_log "$NS_WORK/server.log" "no PADO" 10 || fail "server did not log why the 21st client was refused"
sleep 2
grep -q "event=up" "$NS_WORK/client$((N + 1)).log" && fail "the 21st client got a session"
grep "no PADO" "$NS_WORK/server.log" | head -1
echo "PASS"
