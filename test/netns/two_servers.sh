#!/usr/bin/env bash
# Two servers in one process (test/netns/two_servers.c: two struct
# uppp_server objects on one poll loop, br0 and br1), each dialled by a
# `uppp client` on its own bridge: both sessions come up with an address of
# their own server's pool, both pass traffic; SIGTERM to the process stops
# both servers gracefully (Terminate-Request and PADT: both clients see the
# session end), SIGUSR1 logs both servers' counters, every
# lease comes back, every session interface goes, nothing is left behind.
# Usage: two_servers.sh UPPP TWO_SERVERS
. "$(dirname "$0")/common.sh" "$1"
TWO=${2:?usage: $0 /path/to/uppp /path/to/two_servers}

ns_add_client 1               # p1 on br0
ns_add_client 2               # p2 moves to br1
ip -n "$SRV_NS" link add br1 type bridge
ip -n "$SRV_NS" link set br1 up
ip -n "$SRV_NS" link set p2 nomaster
ip -n "$SRV_NS" link set p2 master br1 up

ns_bg "$SRV_NS" "$NS_WORK/servers.log" "$TWO" "$NS_WORK/secrets"
SRV_PID=$LAST_PID
wait_for_log "$NS_WORK/servers.log" "^srv=a layer=core event=started if=br0" || fail "server a did not start"
wait_for_log "$NS_WORK/servers.log" "^srv=b layer=core event=started if=br1" || fail "server b did not start"

start_client 1 client1 --user alice --password alice-pw
C1=$CLI_PID
start_client 2 client2 --user user1 --password pw1
C2=$CLI_PID
wait_for_log "$NS_WORK/client1.log" "event=up" || fail "client 1 (br0) did not come up"
wait_for_log "$NS_WORK/client2.log" "event=up" || fail "client 2 (br1) did not come up"
a1=$(client_addr 1)
a2=$(client_addr 2)
[ "$a1" = 10.0.0.2 ] || fail "client 1 got '$a1', expected server a's first address 10.0.0.2"
[ "$a2" = 10.1.0.2 ] || fail "client 2 got '$a2', expected server b's first address 10.1.0.2"
grep -Eq "^srv=a .*layer=session event=up if=pa0 " "$NS_WORK/servers.log" || fail "server a did not bring up pa0"
grep -Eq "^srv=b .*layer=session event=up if=pb0 " "$NS_WORK/servers.log" || fail "server b did not bring up pb0"
ip netns exec "$(cli_ns 1)" ping -c 2 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "ping through server a failed"
ip netns exec "$(cli_ns 2)" ping -c 2 -i 0.2 -W 30 10.1.0.1 >/dev/null || fail "ping through server b failed"

kill -USR1 "$SRV_PID"
wait_for_log "$NS_WORK/servers.log" "^srv=a layer=core event=counters sessions=1 " || fail "server a: no counters on SIGUSR1"
wait_for_log "$NS_WORK/servers.log" "^srv=b layer=core event=counters sessions=1 " || fail "server b: no counters on SIGUSR1"

kill -TERM "$SRV_PID"
wait_gone "$SRV_PID" || fail "the two servers did not exit on SIGTERM"
wait "$SRV_PID" || fail "two_servers exit status $?, expected 0"
for s in a b; do
	grep -Eq "^srv=$s layer=core event=shutdown signal=TERM sessions=1" "$NS_WORK/servers.log" || fail "server $s: no shutdown line"
	grep -Eq "^srv=$s layer=core event=stopped leases=0" "$NS_WORK/servers.log" || fail "server $s did not stop with leases=0"
done
grep -q "two_servers: both stopped and freed" "$NS_WORK/servers.log" || fail "two_servers did not free both"
# Terminate-Request, then PADT reached each client, which ends its session.
wait_gone "$C1" || fail "client 1 did not notice its server stopping"
wait_gone "$C2" || fail "client 2 did not notice its server stopping"
for i in 1 2; do
	grep -q "layer=lcp event=terminate-request" "$NS_WORK/client$i.log" || fail "client $i got no Terminate-Request"
	grep -q "event=padt-received" "$NS_WORK/client$i.log" || fail "client $i got no PADT"
	grep -q "event=down cause=peer-term-req" "$NS_WORK/client$i.log" || fail "client $i: session did not end on the server's Terminate-Request"
done
wait_no_link "$SRV_NS" pa0 || fail "pa0 still there"
wait_no_link "$SRV_NS" pb0 || fail "pb0 still there"

ns_teardown
left=$(ns_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
