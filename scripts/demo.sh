#!/usr/bin/env bash
# The demo: installs what is missing, builds, then runs uppp server and uppp
# client in two network namespaces joined by a veth pair (through a bridge),
# shows the session, pings across it, shows a TCP SYN's MSS clamped, and
# tears everything down. Needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
	exec sudo -E "$0" "$@"
fi
./scripts/deps.sh
./scripts/build.sh
UPPP=$PWD/build/uppp
. scripts/netns-lib.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

ns_init "uppp-demo"
ns_add_client 1
CLI=$(cli_ns 1)
printf 'demo * demo-secret *\n' >"$NS_WORK/chap-secrets"
chmod 600 "$NS_WORK/chap-secrets"

step "uppp server in namespace $SRV_NS on br0 (pool 10.0.0.2+20, CHAP)"
ns_bg "$SRV_NS" "$NS_WORK/server.log" "$UPPP" server -I br0 -L 10.0.0.1 -R 10.0.0.2 -N 20 \
	--auth chap --secrets "$NS_WORK/chap-secrets" --dns 10.0.0.1 -S demo -C uppp-demo \
	--control "$NS_WORK/control.sock"
SRV_PID=$LAST_PID
wait_for_log "$NS_WORK/server.log" "event=started" 5 || { cat "$NS_WORK/server.log"; exit 1; }

step "uppp client in namespace $CLI on eth0 (user demo), without its own MSS clamp"
ns_bg "$CLI" "$NS_WORK/client.log" "$UPPP" client -I eth0 -u demo -p demo-secret -S demo --no-mss-clamp
CLI_PID=$LAST_PID
if ! wait_for_log "$NS_WORK/client.log" "event=up" 15; then
	echo "session did not come up"; cat "$NS_WORK/server.log" "$NS_WORK/client.log"; exit 1
fi
grep -h "event=up" "$NS_WORK/server.log" "$NS_WORK/client.log"

step "the client's interface (address from 10.0.0.0/24, MTU 1492)"
ip -n "$CLI" addr show dev ppp0

step "ping 10.0.0.1 from the client, across both TUNs"
ip netns exec "$CLI" ping -c 3 -W 2 10.0.0.1

step "the server's sessions and a few counters, through its control socket (docs/control.md)"
"$UPPP" sessions --control "$NS_WORK/control.sock"
"$UPPP" stats --control "$NS_WORK/control.sock" | grep -E "^(discovery\.pad[ir]_rx|sessions\.up) " || true

step "a TCP SYN with MSS 1460 (above the clamp) leaves the client; the server's TUN sees it clamped"
# The route's advmss makes the client's kernel announce 1460 although the
# link MTU is 1492; uppp server clamps SYNs to MTU - 40 = 1452.
ip -n "$CLI" route replace 10.0.0.1 dev ppp0 advmss 1460
ip netns exec "$CLI" tcpdump -lni ppp0 -c 1 -v 'tcp[tcpflags] & tcp-syn != 0' >"$NS_WORK/cli-syn.txt" 2>/dev/null &
T1=$!
ip netns exec "$SRV_NS" tcpdump -lni ppp0 -c 1 -v 'tcp[tcpflags] & tcp-syn != 0' >"$NS_WORK/srv-syn.txt" 2>/dev/null &
T2=$!
sleep 1
ip netns exec "$CLI" timeout 3 bash -c 'exec 3<>/dev/tcp/10.0.0.1/7' 2>/dev/null || true
wait "$T1" "$T2" || true
echo "client ppp0 sent:     $(grep -o 'mss [0-9]*' "$NS_WORK/cli-syn.txt" | head -1)"
echo "server ppp0 received: $(grep -o 'mss [0-9]*' "$NS_WORK/srv-syn.txt" | head -1)"

step "hang up: SIGTERM to the client (LCP Terminate-Request + PADT), then to the server"
kill -TERM "$CLI_PID"
wait_gone "$CLI_PID" 5
wait_for_log "$NS_WORK/server.log" "event=down|event=end" 5 || true
kill -TERM "$SRV_PID"
wait_gone "$SRV_PID" 5
grep -hE "event=(hangup|session-end|stopped)" "$NS_WORK/client.log" "$NS_WORK/server.log" || true

step "tear down"
ns_teardown
left=$(ns_leftovers)
if [ -n "$left" ]; then
	echo "left behind: $left"; exit 1
fi
echo "no namespace, veth or TUN left behind"
