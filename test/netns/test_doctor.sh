#!/usr/bin/env bash
# uppp doctor (acceptance 4): in the server namespace a healthy set-up (br0
# up with a port, MTU 1500, ip_forward 1, an nft masquerade rule for the
# pool, an uplink with a default route, secrets 0600, no other server)
# reports no problem and exits 0; then each fault, provoked alone and undone,
# is named (its id with ok false in --json, the exit status exactly 1): ip_forward
# off, no NAT rule, interface down, MTU 1400 (MRU 1392 said), a second
# server on the interface (a real `uppp server`, and a packet socket bound
# to 0x8863 as pppoe-server has), a world-readable secrets file, a bridge
# port given as -I, the pool overlapping an address. Verdicts come from
# doctor's output; waits are for events.
. "$(dirname "$0")/common.sh" "$@"
command -v nft >/dev/null || { echo "SKIP: nft not installed (scripts/deps.sh installs nftables)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
ns_add_client 1   # br0 gets a port, hence a carrier

S() { ip netns exec "$SRV_NS" "$@"; }
S sysctl -qw net.ipv4.ip_forward=1
S ip link add up0 type veth peer name up1
S ip link set up1 up
S ip link set up0 up
S ip addr add 192.168.77.1/24 dev up0
S ip route add default via 192.168.77.254
nat_on() {
	S nft add table ip nat
	S nft 'add chain ip nat postrouting { type nat hook postrouting priority 100; }'
	S nft add rule ip nat postrouting ip saddr 10.0.0.0/24 oifname up0 masquerade
}
nat_on

DOCTOR=("$UPPP" doctor -I br0 -R 10.0.0.2 -N 20 --auth chap --secrets "$NS_WORK/secrets")

# run_doctor NAME [ARGS]: doctor's JSON in $NS_WORK/NAME.json, its text in
# NAME.txt, exit statuses in JRC and TRC.
run_doctor() {
	local name=$1
	shift
	set +e
	S "${DOCTOR[@]}" "$@" --json >"$NS_WORK/$name.json" 2>"$NS_WORK/$name.err"
	JRC=$?
	S "${DOCTOR[@]}" "$@" >"$NS_WORK/$name.txt" 2>&1
	TRC=$?
	set -e
}

# problems NAME: the ids with ok false, one a line (and fails on bad JSON).
problems() {
	python3 -c '
import json, sys
for c in json.load(open(sys.argv[1])):
    assert set(c) == {"id", "ok", "finding", "fix"}, c
    if c["ok"] is False:
        assert c["fix"], c
        print(c["id"])' "$NS_WORK/$1.json"
}

# finding NAME ID: the finding text of check ID.
finding() {
	python3 -c '
import json, sys
print("\n".join(c["finding"] for c in json.load(open(sys.argv[1])) if c["id"] == sys.argv[2]))' "$NS_WORK/$1.json" "$2"
}

# expect_only NAME ID: exactly one problem, ID, in JSON and text alike.
expect_only() {
	local name=$1 id=$2 got
	got=$(problems "$name") || fail "$name: doctor's JSON does not parse: $(cat "$NS_WORK/$name.json")"
	[ "$got" = "$id" ] || fail "$name: problems '$got', expected only $id; text: $(cat "$NS_WORK/$name.txt")"
	[ "$JRC" -eq 1 ] && [ "$TRC" -eq 1 ] || fail "$name: exit status $JRC/$TRC, expected 1 (one problem)"
	grep -q "^PROBLEM *$id: " "$NS_WORK/$name.txt" || fail "$name: the text does not name $id: $(cat "$NS_WORK/$name.txt")"
	grep -q "^ *fix: " "$NS_WORK/$name.txt" || fail "$name: the text gives no fix"
	grep -q "^1 problem found" "$NS_WORK/$name.txt" || fail "$name: no count line"
}

echo "== healthy"
run_doctor healthy
[ -z "$(problems healthy)" ] || fail "healthy set-up: problems $(problems healthy): $(cat "$NS_WORK/healthy.txt")"
[ "$JRC" -eq 0 ] && [ "$TRC" -eq 0 ] || fail "healthy set-up: exit status $JRC/$TRC: $(cat "$NS_WORK/healthy.txt")"
grep -q "no problems found" "$NS_WORK/healthy.txt" || fail "healthy: no summary line"
! grep -q $'\033' "$NS_WORK/healthy.txt" || fail "colour codes in output that is not a terminal"
for id in interface ethernet carrier mtu enslaved tun ip_forward nat other_server secrets pool_overlap default_route; do
	python3 -c '
import json, sys
sys.exit(0 if any(c["id"] == sys.argv[2] and c["ok"] is True for c in json.load(open(sys.argv[1]))) else 1)' \
		"$NS_WORK/healthy.json" "$id" || fail "healthy: check $id not reported ok"
done
finding healthy nat | grep -q "ip saddr 10.0.0.0/24 oifname \"up0\" masquerade" || fail "healthy: nat does not quote the rule"

echo "== ip_forward off"
S sysctl -qw net.ipv4.ip_forward=0
run_doctor forward
S sysctl -qw net.ipv4.ip_forward=1
expect_only forward ip_forward
grep -q "sysctl -w net.ipv4.ip_forward=1" "$NS_WORK/forward.txt" || fail "ip_forward: fix not given"

echo "== no NAT rule"
S nft flush ruleset
run_doctor nonat
expect_only nonat nat
# a masquerade for another network does not count; one without a source match does
S nft add table ip nat
S nft 'add chain ip nat postrouting { type nat hook postrouting priority 100; }'
S nft add rule ip nat postrouting ip saddr 192.168.0.0/16 masquerade
run_doctor othernat
expect_only othernat nat
S nft add rule ip nat postrouting oifname up0 masquerade
run_doctor anynat
[ -z "$(problems anynat)" ] || fail "a masquerade without a source match covers the pool: $(cat "$NS_WORK/anynat.txt")"
S nft flush ruleset
nat_on

echo "== interface down"
S ip link set br0 down
run_doctor down
S ip link set br0 up
expect_only down interface
grep -q "ip link set br0 up" "$NS_WORK/down.txt" || fail "down: fix not given"

echo "== MTU 1400"
S ip link set br0 mtu 1400
run_doctor mtu
S ip link set br0 mtu 1500
expect_only mtu mtu
finding mtu mtu | grep -q "MRU 1392" || fail "mtu: the MRU clients get (1392) is not said: $(finding mtu mtu)"

echo "== a second server: uppp"
start_server --auth chap
run_doctor uppp
finding uppp other_server | grep -q "uppp server (pid $SRV_PID)" ||
	fail "the running uppp server (pid $SRV_PID) is not named: $(finding uppp other_server)"
expect_only uppp other_server
kill -TERM "$SRV_PID"
wait_gone "$SRV_PID" || fail "uppp server did not stop"

echo "== a second server: a discovery socket (as pppoe-server binds one)"
ip netns exec "$SRV_NS" python3 -c '
import signal, socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x8863))
s.bind(("br0", 0x8863))
print("bound", flush=True)
signal.pause()' >"$NS_WORK/disc.log" 2>&1 &
DISC=$!
NS_PIDS+=("$DISC")
wait_for_log "$NS_WORK/disc.log" "bound" || fail "the discovery socket was not bound"
run_doctor disc
kill "$DISC"
wait_gone "$DISC" || fail "the discovery socket's process did not stop"
expect_only disc other_server
finding disc other_server | grep -q "python3 (pid [0-9]*) listens for PPPoE on br0" ||
	fail "the 0x8863 listener is not named: $(finding disc other_server)"

echo "== world-readable secrets"
chmod 644 "$NS_WORK/secrets"
run_doctor secrets
chmod 600 "$NS_WORK/secrets"
expect_only secrets secrets
grep -q "chmod 600 $NS_WORK/secrets" "$NS_WORK/secrets.txt" || fail "secrets: fix not given"

echo "== missing secrets file"
run_doctor nosecrets --secrets "$NS_WORK/none"
expect_only nosecrets secrets
finding nosecrets secrets | grep -q "does not exist (--auth chap reads it)" || fail "missing secrets: $(finding nosecrets secrets)"

echo "== a bridge port as -I"
DOCTOR[3]=p1
run_doctor port
DOCTOR[3]=br0
expect_only port enslaved
finding port enslaved | grep -q "port of bridge br0" || fail "enslaved: $(finding port enslaved)"

echo "== the pool holds an address of this host"
S ip addr add 10.0.0.5/32 dev up0
run_doctor overlap
S ip addr del 10.0.0.5/32 dev up0
expect_only overlap pool_overlap

echo "== bad command line: 126, not a count of problems"
set +e
S "$UPPP" doctor >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 126 ] || fail "doctor without -I exited $rc, expected 126"

echo "== healthy again"
run_doctor again
[ "$JRC" -eq 0 ] || fail "not healthy after undoing every fault: $(cat "$NS_WORK/again.txt")"

ns_teardown
left=$(ns_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
