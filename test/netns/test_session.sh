#!/usr/bin/env bash
# The demo path, automated, for PAP, CHAP-MD5 and MS-CHAPv2: session up with an address
# from the pool and MTU 1492 on both TUNs, ping across, TCP SYN and SYN-ACK
# MSS clamped by the server in both directions, clean hang-up (the server ends
# the session; its TUN waits, down and without addresses, for the next one and
# goes when the server stops), and nothing left behind.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
CLI=$(cli_ns 1)

for auth in pap chap mschapv2; do
	echo "== $auth"
	: >"$NS_WORK/server.log"
	start_server --auth "$auth" -L 10.0.0.1 -R 10.0.0.2 -N 20 --dns 10.0.0.53
	start_client 1 client --user alice --password alice-pw --no-mss-clamp
	wait_for_log "$NS_WORK/client.log" "event=up" || fail "$auth: session did not come up"
	if [ "$auth" = mschapv2 ]; then
		grep -q "layer=mschapv2 result=success user='alice'" "$NS_WORK/server.log" ||
			fail "$auth: server did not authenticate the client with MS-CHAPv2"
		grep -q "layer=mschapv2 result=success .*server-proved-password=yes" "$NS_WORK/client.log" ||
			fail "$auth: client did not verify the server's authenticator response"
	fi
	addr=$(client_addr 1)
	case "$addr" in 10.0.0.*) ;; *) fail "$auth: client address '$addr' not from 10.0.0.0/24" ;; esac
	[ "$addr" = 10.0.0.2 ] || fail "$auth: first client got $addr, expected the pool's first 10.0.0.2"
	grep -q "dns=10.0.0.53" "$NS_WORK/client.log" || fail "$auth: client did not learn the DNS server"
	mtu=$(ip -n "$CLI" -o link show ppp0 | grep -o 'mtu [0-9]*' | awk '{print $2}')
	[ "$mtu" = 1492 ] || fail "$auth: client ppp0 MTU $mtu, expected 1492"
	smtu=$(ip -n "$SRV_NS" -o link show ppp0 | grep -o 'mtu [0-9]*' | awk '{print $2}')
	[ "$smtu" = 1492 ] || fail "$auth: server ppp0 MTU $smtu, expected 1492"
	ip netns exec "$CLI" ping -c 3 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "$auth: ping 10.0.0.1 failed"

	# MSS: both kernels announce 1460 (route advmss) over a 1492 link; the
	# server (clamping at MTU-40 = 1452) must rewrite the SYN on its way in and
	# the SYN-ACK on its way out. The client runs with --no-mss-clamp.
	ip -n "$CLI" route replace 10.0.0.1 dev ppp0 advmss 1460
	ip -n "$SRV_NS" route replace "$addr" dev ppp0 advmss 1460
	ip netns exec "$SRV_NS" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.0.1", 5001)); s.listen(1); s.settimeout(120)
print("listening", flush=True)
c, _ = s.accept(); c.close()' >"$NS_WORK/listener.txt" &
	LPID=$!
	ip netns exec "$SRV_NS" tcpdump -lni ppp0 -c 2 -v 'tcp port 5001 and tcp[tcpflags] & tcp-syn != 0' \
		>"$NS_WORK/srv-syn.txt" 2>"$NS_WORK/srv-syn.err" &
	T1=$!
	ip netns exec "$CLI" tcpdump -lni ppp0 -c 2 -v 'tcp port 5001 and tcp[tcpflags] & tcp-syn != 0' \
		>"$NS_WORK/cli-syn.txt" 2>"$NS_WORK/cli-syn.err" &
	T2=$!
	# Connect only once both captures and the listener are ready.
	wait_for_log "$NS_WORK/srv-syn.err" "listening on" || fail "$auth: tcpdump on the server TUN did not start"
	wait_for_log "$NS_WORK/cli-syn.err" "listening on" || fail "$auth: tcpdump on the client TUN did not start"
	wait_for_log "$NS_WORK/listener.txt" "listening" || fail "$auth: TCP listener did not start"
	ip netns exec "$CLI" timeout "$HANG_GUARD" bash -c 'exec 3<>/dev/tcp/10.0.0.1/5001' || fail "$auth: TCP connect failed"
	# Each capture ends by itself after its SYN and SYN-ACK.
	wait_gone "$T1" || fail "$auth: the server TUN did not see SYN and SYN-ACK"
	wait_gone "$T2" || fail "$auth: the client TUN did not see SYN and SYN-ACK"
	wait "$T1" "$T2" "$LPID" || true
	# Server TUN: the client's SYN arrives clamped; client TUN: the server's SYN-ACK arrives clamped.
	grep -q "mss 1452" "$NS_WORK/srv-syn.txt" || fail "$auth: SYN not clamped at the server: $(cat "$NS_WORK/srv-syn.txt")"
	grep -q "mss 1460" "$NS_WORK/srv-syn.txt" || fail "$auth: server SYN-ACK did not leave with 1460"
	grep -q "mss 1460" "$NS_WORK/cli-syn.txt" || fail "$auth: client SYN did not leave with 1460"
	grep -q "mss 1452" "$NS_WORK/cli-syn.txt" || fail "$auth: SYN-ACK not clamped towards the client"

	# Hang-up: SIGTERM to the client → TermReq + PADT; the server ends the session.
	kill -TERM "$CLI_PID"
	wait_gone "$CLI_PID" || fail "$auth: client did not exit on SIGTERM"
	wait "$CLI_PID" || fail "$auth: client exit status $? after SIGTERM, expected 0"
	wait_for_log "$NS_WORK/server.log" "event=session-end cause=peer-term-req" || fail "$auth: server did not end the session as a hang-up by the peer"
	wait_link_idle "$SRV_NS" ppp0 || fail "$auth: server TUN ppp0 still up or addressed after hang-up"
	wait_no_link "$CLI" ppp0 || fail "$auth: client TUN ppp0 still there after exit"
	kill -TERM "$SRV_PID"
	wait_gone "$SRV_PID" || fail "$auth: server did not exit on SIGTERM"
	wait "$SRV_PID" || fail "$auth: server exit status $? after SIGTERM, expected 0"
	wait_no_link "$SRV_NS" ppp0 || fail "$auth: server TUN ppp0 still there after the server stopped"
done

ns_teardown
left=$(ns_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
