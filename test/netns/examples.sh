#!/usr/bin/env bash
# The examples of docs/examples/, built against the installed tree
# (test/install/examples-lib.sh: DESTDIR + pkg-config), on real interfaces:
# (a) server_epoll on br0, dialled by a `uppp client`: the session comes up;
#     SIGTERM to the example → it exits 0 after Terminate-Request and PADT
#     (the client logs the end), its session interface is gone;
# (c) two_servers on br0 and br1, one `uppp client` on each: both sessions
#     come up with an address of their own server's pool; SIGTERM → exit 0,
#     both clients see the end. Nothing is left behind.
# Usage: examples.sh UPPP BUILD_DIR SOURCE_DIR
. "$(dirname "$0")/common.sh" "$1"
BUILD=${2:?usage: $0 /path/to/uppp BUILD_DIR SOURCE_DIR}
SRC=${3:?usage: $0 /path/to/uppp BUILD_DIR SOURCE_DIR}
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config not installed"; exit 77; }
. "$HERE/../install/examples-lib.sh"
build_examples "$BUILD" "$SRC" "$NS_WORK/ex" || fail "the examples do not build against the installed tree"
EX=$NS_WORK/ex

# client_ended I LOG: client I got the server's Terminate-Request and PADT.
client_ended() {
	grep -q "layer=lcp event=terminate-request" "$NS_WORK/$2.log" || fail "client $1 got no Terminate-Request"
	grep -q "event=padt-received" "$NS_WORK/$2.log" || fail "client $1 got no PADT"
	grep -q "event=down cause=peer-term-req" "$NS_WORK/$2.log" ||
		fail "client $1: session did not end on the server's Terminate-Request"
}

# (a) server_epoll: one server, one client.
ns_add_client 1
ns_bg "$SRV_NS" "$NS_WORK/server_epoll.log" env LD_LIBRARY_PATH="$EX_LIBDIR" \
	"$EX/server_epoll" br0 10.0.0.1 10.0.0.2 4 "$NS_WORK/secrets"
SRV_PID=$LAST_PID
wait_for_log "$NS_WORK/server_epoll.log" "layer=core event=started if=br0" || fail "server_epoll did not start"
start_client 1 client1 --user alice --password alice-pw
C1=$CLI_PID
wait_for_log "$NS_WORK/client1.log" "event=up" || fail "client 1 did not come up on server_epoll"
[ "$(client_addr 1)" = 10.0.0.2 ] || fail "client 1 got '$(client_addr 1)', expected 10.0.0.2"
ip netns exec "$(cli_ns 1)" ping -c 2 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "ping through server_epoll failed"
kill -TERM "$SRV_PID"
wait_gone "$SRV_PID" || fail "server_epoll did not exit on SIGTERM"
wait "$SRV_PID" || fail "server_epoll exit status $?, expected 0"
grep -Eq "layer=core event=shutdown signal=TERM sessions=1" "$NS_WORK/server_epoll.log" || fail "server_epoll: no shutdown line"
grep -Eq "layer=core event=stopped leases=0" "$NS_WORK/server_epoll.log" || fail "server_epoll did not stop with leases=0"
wait_gone "$C1" || fail "client 1 did not notice server_epoll stopping"
client_ended 1 client1
wait_no_link "$SRV_NS" ppp0 || fail "server_epoll left ppp0 behind"
echo "ok: (a) server_epoll"

# (c) two_servers: p1 stays on br0, p2 on a second bridge br1.
ns_add_client 2
ip -n "$SRV_NS" link add br1 type bridge
ip -n "$SRV_NS" link set br1 up
ip -n "$SRV_NS" link set p2 nomaster
ip -n "$SRV_NS" link set p2 master br1 up
ns_bg "$SRV_NS" "$NS_WORK/two_servers.log" env LD_LIBRARY_PATH="$EX_LIBDIR" \
	"$EX/two_servers" "$NS_WORK/secrets" br0 10.0.0.1 10.0.0.2 br1 10.1.0.1 10.1.0.2
SRV_PID=$LAST_PID
wait_for_log "$NS_WORK/two_servers.log" "^srv=a layer=core event=started if=br0" || fail "server a did not start"
wait_for_log "$NS_WORK/two_servers.log" "^srv=b layer=core event=started if=br1" || fail "server b did not start"
start_client 1 client1c --user alice --password alice-pw
C1=$CLI_PID
start_client 2 client2c --user user1 --password pw1
C2=$CLI_PID
wait_for_log "$NS_WORK/client1c.log" "event=up" || fail "client 1 (br0) did not come up"
wait_for_log "$NS_WORK/client2c.log" "event=up" || fail "client 2 (br1) did not come up"
[ "$(client_addr 1)" = 10.0.0.2 ] || fail "client 1 got '$(client_addr 1)', expected server a's 10.0.0.2"
[ "$(client_addr 2)" = 10.1.0.2 ] || fail "client 2 got '$(client_addr 2)', expected server b's 10.1.0.2"
grep -Eq "^srv=a .*layer=session event=up if=pa0 " "$NS_WORK/two_servers.log" || fail "server a did not bring up pa0"
grep -Eq "^srv=b .*layer=session event=up if=pb0 " "$NS_WORK/two_servers.log" || fail "server b did not bring up pb0"
kill -USR1 "$SRV_PID"
wait_for_log "$NS_WORK/two_servers.log" "^srv=a layer=core event=counters sessions=1 " || fail "server a: no counters on SIGUSR1"
wait_for_log "$NS_WORK/two_servers.log" "^srv=b layer=core event=counters sessions=1 " || fail "server b: no counters on SIGUSR1"
kill -TERM "$SRV_PID"
wait_gone "$SRV_PID" || fail "two_servers did not exit on SIGTERM"
wait "$SRV_PID" || fail "two_servers exit status $?, expected 0"
for s in a b; do
	grep -Eq "^srv=$s layer=core event=shutdown signal=TERM sessions=1" "$NS_WORK/two_servers.log" || fail "server $s: no shutdown line"
	grep -Eq "^srv=$s layer=core event=stopped leases=0" "$NS_WORK/two_servers.log" || fail "server $s did not stop with leases=0"
done
wait_gone "$C1" || fail "client 1 did not notice server a stopping"
wait_gone "$C2" || fail "client 2 did not notice server b stopping"
client_ended 1 client1c
client_ended 2 client2c
wait_no_link "$SRV_NS" pa0 || fail "pa0 still there"
wait_no_link "$SRV_NS" pb0 || fail "pb0 still there"
echo "ok: (c) two_servers"

ns_teardown
left=$(ns_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
