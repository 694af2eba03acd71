#!/usr/bin/env bash
# The control socket (docs/control.md), acceptance 1 of issue 12: three
# sessions up; `uppp sessions --json` lists them with the right users and
# addresses, and their byte counters grow by at least what a ping sent;
# `uppp kill --user` ends exactly that one, with a PADT on the wire and the
# cause logged; `uppp stats --json` counts what the wire saw (PADI, PADR,
# PADS, PADT), three up and one down with cause admin; the Prometheus text
# passes a strict parser of the text format (Debian's promtool comes only
# with the Prometheus daemon). Also: the socket's mode, a second server on
# the same socket refused, clear errors, the file removed at exit.
. "$(dirname "$0")/common.sh" "$@"
for i in 1 2 3; do ns_add_client "$i"; done

# Every discovery frame on the server's bridge, from before the first PADI.
ip netns exec "$SRV_NS" tcpdump -l -e -n -i br0 'ether proto 0x8863' >"$NS_WORK/disc.txt" 2>"$NS_WORK/disc.err" &
TCPDUMP=$!
NS_PIDS+=("$TCPDUMP")
wait_for_log "$NS_WORK/disc.err" "listening on" || fail "tcpdump did not start"

start_server --auth pap -L 10.0.0.1 -R 10.0.0.2 -N 10 --lcp-echo-interval 0
[ -S "$CONTROL" ] || fail "no control socket at $CONTROL"
mode=$(stat -c %a "$CONTROL")
[ "$mode" = 660 ] || fail "control socket mode $mode, expected 660"
srv_mac=$(ip -n "$SRV_NS" -o link show br0 | grep -o 'link/ether [0-9a-f:]*' | awk '{print $2}')

for i in 1 2 3; do start_client "$i" "client$i" -u "user$i" -p "pw$i" --lcp-echo-interval 0; done
for i in 1 2 3; do wait_for_log "$NS_WORK/client$i.log" "event=up" || fail "client $i did not come up"; done

sessions_json() { "$UPPP" sessions --json --control "$CONTROL"; }
# check_sessions JSON USER=IP...: exactly these users, each with its
# address, state up, an interface and PAP.
check_sessions() {
	python3 - "$@" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
want = dict(a.split("=") for a in sys.argv[2:])
got = {s["user"]: s for s in doc["sessions"]}
assert set(got) == set(want), f"users {sorted(got)} != {sorted(want)}"
for u, ip in want.items():
    s = got[u]
    assert s["ip"] == ip, f"{u}: ip {s['ip']} != {ip}"
    assert s["state"] == "up" and s["interface"] and s["auth"] == "pap", s
    assert 1 <= s["id"] <= 65534 and len(s["mac"]) == 17, s
PY
}
declare -A ADDR
for i in 1 2 3; do ADDR[$i]=$(client_addr "$i"); [ -n "${ADDR[$i]}" ] || fail "client $i has no address"; done
before=$(sessions_json) || fail "uppp sessions --json failed"
check_sessions "$before" "user1=${ADDR[1]}" "user2=${ADDR[2]}" "user3=${ADDR[3]}" || fail "sessions listed wrongly: $before"
"$UPPP" sessions --control "$CONTROL" >"$NS_WORK/table.txt" || fail "uppp sessions failed"
[ "$(grep -c ' up ' "$NS_WORK/table.txt")" = 3 ] || fail "table does not show three sessions up: $(cat "$NS_WORK/table.txt")"

# A ping of N echo requests of S bytes of payload: each an IP packet of
# 20 + 8 + S bytes from the client, and its reply as big back.
N=5 S=300
ip netns exec "$(cli_ns 1)" ping -q -c $N -i 0.2 -s $S -W 5 10.0.0.1 >"$NS_WORK/ping.txt" ||
	fail "ping over session 1 failed: $(cat "$NS_WORK/ping.txt")"
after=$(sessions_json) || fail "uppp sessions --json failed"
python3 - "$before" "$after" "$N" "$S" <<'PY' || fail "counters did not grow by the ping: $before / $after"
import json, sys
b = {s["user"]: s for s in json.loads(sys.argv[1])["sessions"]}["user1"]
a = {s["user"]: s for s in json.loads(sys.argv[2])["sessions"]}["user1"]
n, size = int(sys.argv[3]), int(sys.argv[4])
ip_len = 20 + 8 + size
for k, want in (("packets_in", n), ("bytes_in", n * ip_len), ("packets_out", n), ("bytes_out", n * ip_len)):
    d = a[k] - b[k]
    assert d >= want, f"{k} grew by {d}, the ping alone sent {want}"
    print(f"{k} +{d} (ping: {want})")
PY

# Kill user2, with a cause text that needs escaping all the way.
victim=$(python3 -c 'import json,sys; print([s["id"] for s in json.loads(sys.argv[1])["sessions"] if s["user"]=="user2"][0])' "$after")
out=$("$UPPP" kill --user user2 --cause $'planned "maint"\n%20' --control "$CONTROL") || fail "uppp kill failed: $out"
[ "$out" = "killed session $victim" ] || fail "uppp kill said '$out', expected 'killed session $victim'"
wait_for_log "$NS_WORK/server.log" "sess=$victim layer=core event=kill cause=admin text='planned \\\\x22maint\\\\x22\\\\x0a%20'" ||
	fail "no kill line with cause admin and the escaped text"
wait_for_log "$NS_WORK/server.log" "sess=$victim .*event=session-end cause=admin" || fail "session end not logged with cause admin"
# the PADT: from the server, for the victim's session id (tcpdump prints it "[ses 0xN]")
padt_seen() { grep "$srv_mac >" "$NS_WORK/disc.txt" | grep -q "PADT.*\[ses 0x$(printf %x "$victim")\]"; }
wait_until -- padt_seen || fail "no PADT for session $victim from the server on the wire: $(grep PADT "$NS_WORK/disc.txt")"
wait_until -- grep -q "event=session-end\|event=down\|PADT" "$NS_WORK/client2.log" || fail "client 2 did not see its session end"
left=$(sessions_json) || fail "uppp sessions --json failed"
check_sessions "$left" "user1=${ADDR[1]}" "user3=${ADDR[3]}" || fail "after the kill: $left"
for i in 1 3; do
	ip netns exec "$(cli_ns "$i")" ping -q -c 1 -W 5 10.0.0.1 >/dev/null || fail "session $i did not survive the kill"
done

# stats: what the wire saw, and the events this test caused.
stats=$("$UPPP" stats --json --control "$CONTROL") || fail "uppp stats --json failed"
count() { grep -c "$1" "$NS_WORK/disc.txt" || true; }
python3 - "$stats" "$(count 'PADI')" "$(count 'PADR')" "$(count 'PADS')" \
	"$(grep "$srv_mac >" "$NS_WORK/disc.txt" | grep -c PADT || true)" <<'PY' || fail "stats do not match: $stats"
import json, sys
st = json.loads(sys.argv[1])
padi, padr, pads, padt_tx = map(int, sys.argv[2:6])
d = st["discovery"]
checks = {
    "padi_rx": (d["padi_rx"], padi), "padr_rx": (d["padr_rx"], padr), "pads_tx": (d["pads_tx"], pads),
    "padt_tx": (d["padt_tx"], padt_tx), "pads_tx is 3": (d["pads_tx"], 3),
    "sessions.up": (st["sessions"]["up"], 3), "sessions.down": (st["sessions"]["down"], 1),
    "down_by_cause.admin": (st["sessions"]["down_by_cause"]["admin"], 1),
    "sessions.current": (st["sessions"]["current"], 2), "auth.pap.accepted": (st["auth"]["pap"]["accepted"], 3),
    "auth.pap.refused": (st["auth"]["pap"]["refused"], 0), "leases.in_use": (st["leases"]["in_use"], 2),
    "leases.free": (st["leases"]["free"], 8),
}
bad = {k: v for k, v in checks.items() if v[0] != v[1]}
assert not bad, f"(stats, expected): {bad}"
assert padi >= 3 and padr >= 3, (padi, padr)
print("stats match:", {k: v[0] for k, v in checks.items()})
PY
"$UPPP" stats --control "$CONTROL" | grep -Eq '^sessions\.down_by_cause\.admin +1$' || fail "uppp stats text lacks the admin count"

# Prometheus: a strict reader of the text format (0.0.4; test/netns/prom_check.py).
"$UPPP" stats --prometheus --control "$CONTROL" >"$NS_WORK/metrics.txt" || fail "uppp stats --prometheus failed"
python3 "$HERE/prom_check.py" "$NS_WORK/metrics.txt" 'uppp_sessions_down_total{cause="admin"}=1' \
	uppp_sessions_up_total=3 uppp_sessions=2 'uppp_auth_accepted_total{method="pap"}=3' \
	'uppp_discovery_frames_total{code="pads",direction="tx"}=3' 'uppp_leases{state="in_use"}=2' ||
	fail "Prometheus text does not parse or does not match: $(cat "$NS_WORK/metrics.txt")"

# Errors: a kill that matches nothing, a socket nobody serves.
if err=$("$UPPP" kill --user nobody --control "$CONTROL" 2>&1); then fail "kill of no session succeeded: $err"; fi
grep -q "no session with user=nobody" <<<"$err" || fail "unclear error for a kill of no session: $err"
if err=$("$UPPP" stats --control "$NS_WORK/none.sock" 2>&1); then fail "stats on no socket succeeded"; fi
grep -q "cannot reach the server" <<<"$err" || fail "unclear error without a server: $err"

# A second server on the same socket is refused; the first keeps it.
if err=$(ip netns exec "$SRV_NS" "$UPPP" server -I br0 --auth none --control "$CONTROL" 2>&1); then
	fail "a second server started on the same control socket"
fi
grep -q "another server answers on this control socket" <<<"$err" || fail "no clear error for a live socket: $err"
"$UPPP" sessions --json --control "$CONTROL" >/dev/null || fail "the first server lost its socket"

kill -INT "$SRV_PID"
wait_gone "$SRV_PID" || fail "server did not exit"
[ ! -e "$CONTROL" ] || fail "control socket left behind at exit"
kill -INT "$TCPDUMP"
echo "PASS"
