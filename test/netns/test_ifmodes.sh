#!/usr/bin/env bash
# The server's two interface modes (--if-mode), each with three sessions:
#  - per-session: ppp0..ppp2, pings across; a session that ends leaves its
#    TUN down and without addresses, and the next session gets that very
#    device (same name);
#  - shared: one TUN (--if-shared-name) for all, our address once and one
#    /32 route per session with its MTU; pings across both ways (the
#    server's answers find their session by destination); an ended
#    session's route goes, the next session's comes.
# In both, the server's stop leaves no TUN and no route behind.
# Then, shared, with someone else's route to the address a session gets:
# the session's route (sent with the turn's batch) is refused, the session
# ends with cause interface, the other route stays; with an ip-up script
# the route is in or refused before the script would run (it does not).
. "$(dirname "$0")/common.sh" "$@"
N=3
for i in $(seq 1 $((N + 1))); do ns_add_client "$i"; done

# pings I: client I pings the server, and the server pings client I's address.
pings() {
	local i=$1 addr
	addr=$(client_addr "$i")
	[ -n "$addr" ] || fail "$mode: client $i has no address"
	ip netns exec "$(cli_ns "$i")" ping -c 2 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "$mode: client $i cannot ping 10.0.0.1"
	ip netns exec "$SRV_NS" ping -c 2 -i 0.2 -W 30 "$addr" >/dev/null || fail "$mode: the server cannot ping client $i at $addr"
}

# server_if_of MAC: the if= of the server's last event=up line for that MAC.
server_if_of() {
	grep "mac=$1 layer=session event=up" "$NS_WORK/server.log" | tail -1 | grep -o ' if=[^ ]*' | cut -d= -f2
}

client_mac() {
	ip -n "$(cli_ns "$1")" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | awk '{print $2}'
}

session_routes() {  # the server's /32 routes into the pool's 10.0.0.0/24
	ip -n "$SRV_NS" -4 route show | grep -E '^10\.0\.0\.[0-9]+ ' || true
}

for mode in per-session shared; do
	echo "== $mode"
	: >"$NS_WORK/server.log"
	start_server --auth pap -L 10.0.0.1 -R 10.0.0.2 -N 10 --if-mode "$mode" --if-shared-name upshared
	for i in $(seq 1 $N); do start_client "$i" "client$i" -u "user$i" -p "pw$i"; eval "C$i=\$CLI_PID"; done
	for i in $(seq 1 $N); do
		wait_for_log "$NS_WORK/client$i.log" "event=up" || fail "$mode: client $i did not come up"
	done
	tuns=$(session_tuns "$SRV_NS" | sort | tr '\n' ' ')
	if [ "$mode" = shared ]; then
		[ "$tuns" = "upshared " ] || fail "$mode: server TUNs '$tuns', expected upshared alone"
		[ "$(count_lines "$NS_WORK/server.log" "layer=session event=up if=upshared ")" = $N ] ||
			fail "$mode: the up lines do not name upshared"
		[ "$(ip -n "$SRV_NS" -4 -o addr show dev upshared | grep -c 'inet 10.0.0.1/32')" = 1 ] ||
			fail "$mode: upshared lacks 10.0.0.1/32: $(ip -n "$SRV_NS" -4 -o addr show dev upshared)"
		[ "$(session_routes | grep -c 'dev upshared .*src 10.0.0.1 .*mtu 1492')" = $N ] ||
			fail "$mode: expected $N routes via upshared with mtu 1492: $(session_routes)"
	else
		[ "$tuns" = "ppp0 ppp1 ppp2 " ] || fail "$mode: server TUNs '$tuns', expected ppp0 ppp1 ppp2"
	fi
	for i in $(seq 1 $N); do pings "$i"; done

	# Client 2 hangs up; client 4 (a new MAC) comes next.
	mac2=$(client_mac 2)
	if2=$(server_if_of "$mac2")
	addr2=$(client_addr 2)
	idx2=$(ip -n "$SRV_NS" -o link show "$if2" | cut -d: -f1)
	kill -TERM "$C2"
	wait_gone "$C2" || fail "$mode: client 2 did not exit"
	wait_for_log "$NS_WORK/server.log" "mac=$mac2 .*event=session-end" || fail "$mode: server did not end client 2's session"
	if [ "$mode" = shared ]; then
		wait_until -- eval '[ -z "$(ip -n "$SRV_NS" -4 route show "$addr2/32")" ]' ||
			fail "$mode: the route to $addr2 is still there: $(session_routes)"
	else
		wait_link_idle "$SRV_NS" "$if2" || fail "$mode: $if2 is still up or addressed after its session ended"
	fi
	start_client 4 client4 -u user4 -p pw4
	C4=$CLI_PID
	wait_for_log "$NS_WORK/client4.log" "event=up" || fail "$mode: client 4 did not come up"
	if4=$(server_if_of "$(client_mac 4)")
	if [ "$mode" = shared ]; then
		[ "$if4" = upshared ] || fail "$mode: client 4's session is on '$if4'"
		[ "$(session_routes | grep -c 'dev upshared')" = $N ] || fail "$mode: expected $N routes: $(session_routes)"
	else
		[ "$if4" = "$if2" ] || fail "$mode: client 4 got '$if4', not the released $if2"
		# the very device, not a new one the kernel happened to name alike
		[ "$(ip -n "$SRV_NS" -o link show "$if4" | cut -d: -f1)" = "$idx2" ] ||
			fail "$mode: $if4 is a new device (ifindex $idx2 before)"
		[ "$(session_tuns "$SRV_NS" | wc -l)" = $N ] || fail "$mode: a TUN was made instead of reusing $if2"
	fi
	for i in 1 3 4; do pings "$i"; done
	# Nothing of the shared device's traffic went to no session.
	kill -USR1 "$SRV_PID"
	wait_for_log "$NS_WORK/server.log" "event=counters" || fail "$mode: no counters line"
	grep -q "event=counters .*ip_dropped_no_session=0" "$NS_WORK/server.log" ||
		fail "$mode: packets for no session: $(grep 'event=counters' "$NS_WORK/server.log")"

	kill -TERM "$SRV_PID"
	wait_gone "$SRV_PID" || fail "$mode: server did not exit on SIGTERM"
	wait "$SRV_PID" || fail "$mode: server exit status $? after SIGTERM, expected 0"
	grep -q "event=stopped leases=0" "$NS_WORK/server.log" || fail "$mode: server did not stop with leases=0"
	[ -z "$(session_tuns "$SRV_NS")" ] || fail "$mode: TUNs left after the server stopped: $(session_tuns "$SRV_NS")"
	[ -z "$(session_routes)" ] || fail "$mode: routes left after the server stopped: $(session_routes)"
	# the clients end on the server's Terminate-Request and PADT
	for pid in "$C1" "$C3" "$C4"; do wait_gone "$pid" || fail "$mode: a client did not end when the server stopped"; done
done

refused() { # LABEL [SERVER ARGS...]: a session whose route is refused, ended
	local what=$1
	shift
	echo "== shared, a refused route$what"
	: >"$NS_WORK/server.log"
	start_server --auth pap -L 10.0.0.1 -R 10.0.0.2 -N 1 --if-mode shared --if-shared-name upshared "$@"
	start_client 1 "refused$what" -u user1 -p pw1
	local c=$CLI_PID
	wait_for_log "$NS_WORK/server.log" 'event=interface-failed .*upshared: cannot add route 10.0.0.2/32 mtu 1492: a route to that address exists already' ||
		fail "refused$what: no interface-failed line naming the route"
	wait_for_log "$NS_WORK/server.log" "event=session-end cause=interface " ||
		fail "refused$what: the session did not end with cause interface"
	[ "$(ip -n "$SRV_NS" -4 route show 10.0.0.2/32)" = "10.0.0.2 dev lo scope link " ] ||
		[ "$(ip -n "$SRV_NS" -4 route show 10.0.0.2/32)" = "10.0.0.2 dev lo scope link" ] ||
		fail "refused$what: the other route changed: $(ip -n "$SRV_NS" -4 route show 10.0.0.2/32)"
	kill -TERM "$c" 2>/dev/null || true
	wait_gone "$c" || fail "refused$what: the client did not exit"
	kill -TERM "$SRV_PID"
	wait_gone "$SRV_PID" || fail "refused$what: server did not exit on SIGTERM"
	grep -q "event=stopped leases=0" "$NS_WORK/server.log" || fail "refused$what: the address was not given back"
}
ip -n "$SRV_NS" route add 10.0.0.2/32 dev lo
refused ""
D=$NS_WORK/ppp
mkdir -p "$D"
printf '#!/bin/sh\ntouch "%s"\n' "$NS_WORK/ip-up.ran" >"$D/ip-up"
chmod 755 "$D/ip-up"
refused " (ip-up)" --options-dir "$D"
[ ! -e "$NS_WORK/ip-up.ran" ] || fail "ip-up ran for a session whose route was refused"
grep -q "event=up .*if=upshared" "$NS_WORK/server.log" && fail "refused (ip-up): the session was logged up"
ip -n "$SRV_NS" route del 10.0.0.2/32 dev lo

ns_teardown
left=$(ns_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
