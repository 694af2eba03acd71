#!/usr/bin/env bash
# An Ethernet with MTU 1400 (VXLAN, some bridges): both ends cap the PPP MRU
# at MTU - 8 = 1392, so both ppp0 MTUs are 1392; a full-size DF ping crosses,
# and one byte more is refused locally (EMSGSIZE, "mtu=1392") instead of being
# black-holed on the wire. The server's `mru 1492` option is lowered with a
# warning naming it. Verdicts come from events (log lines, ping's answer);
# timeouts only guard against hangs.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
CLI=$(cli_ns 1)
ip -n "$CLI" link set eth0 mtu 1400
ip -n "$SRV_NS" link set p1 mtu 1400
ip -n "$SRV_NS" link set br0 mtu 1400

printf 'mru 1492\n' >"$NS_WORK/options"
start_server --auth pap -L 10.0.0.1 -R 10.0.0.2 -N 5 -O "$NS_WORK/options"
grep -q "event=small-mtu if=br0 mtu=1400 max-mru=1392" "$NS_WORK/server.log" ||
	fail "server did not take the interface MTU into account"
grep -q "event=option-lowered option=mru value=1492 now=1392" "$NS_WORK/server.log" ||
	fail "server did not lower its mru option with a warning"

start_client 1 client --user alice --password alice-pw
wait_for_log "$NS_WORK/client.log" "event=up" 30 || fail "session did not come up"
wait_for_log "$NS_WORK/server.log" "layer=session event=up" 30 || fail "server session not up"
grep -q "event=small-mtu if=eth0 mtu=1400 max-mru=1392" "$NS_WORK/client.log" ||
	fail "client did not take the interface MTU into account"

cmtu=$(ip -n "$CLI" -o link show ppp0 | grep -o 'mtu [0-9]*' | awk '{print $2}')
smtu=$(ip -n "$SRV_NS" -o link show ppp0 | grep -o 'mtu [0-9]*' | awk '{print $2}')
[ "$cmtu" = 1392 ] || fail "client ppp0 MTU $cmtu, expected 1392"
[ "$smtu" = 1392 ] || fail "server ppp0 MTU $smtu, expected 1392"
addr=$(client_addr 1)

# Full size with DF (1392 - 20 IP - 8 ICMP = 1364 bytes of data), both ways:
# -w is only an outer limit, the verdict is the reply.
ip netns exec "$CLI" ping -M do -s 1364 -c 1 -w 20 10.0.0.1 >"$NS_WORK/ping-c.txt" 2>&1 ||
	fail "full-size DF ping client -> server lost: $(cat "$NS_WORK/ping-c.txt")"
ip netns exec "$SRV_NS" ping -M do -s 1364 -c 1 -w 20 "$addr" >"$NS_WORK/ping-s.txt" 2>&1 ||
	fail "full-size DF ping server -> client lost: $(cat "$NS_WORK/ping-s.txt")"

# One byte more with DF: refused at once by the sender's own stack, naming
# the MTU, so path-MTU discovery works; not sent to be dropped on the wire.
for side in "$CLI:10.0.0.1" "$SRV_NS:$addr"; do
	ns=${side%%:*} dst=${side#*:}
	if ip netns exec "$ns" ping -M do -s 1365 -c 1 -w 20 "$dst" >"$NS_WORK/ping-big.txt" 2>&1; then
		fail "$ns: a 1393-byte DF packet crossed a 1392 link"
	fi
	grep -Eqi "mtu ?= ?1392|message too long" "$NS_WORK/ping-big.txt" ||
		fail "$ns: oversized DF ping not refused locally: $(cat "$NS_WORK/ping-big.txt")"
done

kill -TERM "$CLI_PID"
wait_gone "$CLI_PID" 10 || fail "client did not exit on SIGTERM"
wait_for_log "$NS_WORK/server.log" "event=session-end" 10 || fail "server did not end the session"
echo "PASS"
