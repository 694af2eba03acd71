#!/usr/bin/env bash
# --metrics ADDR:PORT (runtime/metrics.c): the server serves the counters of
# `uppp stats --prometheus` over HTTP. A server with --metrics and two
# sessions up: GET /metrics answers 200 with the text format's media
# type; a strict parser of the format (prom_check.py) accepts the body; it
# counts two sessions up, as `uppp stats --json` does; after `uppp kill`
# ends one, the next scrape counts one session and one down (cause admin).
# Also: 404 and 405, a bad --metrics refused at parse time, and a port
# already taken fails the server's start with the reason.
. "$(dirname "$0")/common.sh" "$@"

if out=$("$UPPP" server -I br0 --metrics 127.0.0.1:9100 --help 2>&1); grep -q "built without metrics" <<<"$out"; then
	echo "SKIP: this uppp was built without metrics (libmicrohttpd)"
	exit 77
fi

# Syntax errors are the command line's (exit 2), before anything opens.
for bad in 127.0.0.1:0 127.0.0.1 localhost:9100 ::1:9100 '[::1]' 10.0.0.1:65536; do
	rc=0
	err=$("$UPPP" server -I br0 --metrics "$bad" 2>&1) || rc=$?
	[ "$rc" = 2 ] || fail "--metrics $bad: exit $rc, expected 2 (usage): $err"
	grep -qF -- "--metrics: '$bad'" <<<"$err" || fail "--metrics $bad: unclear error: $err"
done

for i in 1 2; do ns_add_client "$i"; done
PORT=9100
start_server --auth pap -L 10.0.0.1 -R 10.0.0.2 -N 10 --lcp-echo-interval 0 --metrics "127.0.0.1:$PORT"
grep -q "layer=metrics event=listening addr=127.0.0.1:$PORT" "$NS_WORK/server.log" || fail "no metrics listening line"
for i in 1 2; do start_client "$i" "client$i" -u "user$i" -p "pw$i" --lcp-echo-interval 0; done
for i in 1 2; do wait_for_log "$NS_WORK/client$i.log" "event=up" || fail "client $i did not come up"; done

# http METHOD PATH: "STATUS CONTENT-TYPE ALLOW" on the first line, the body after.
http() {
	ip netns exec "$SRV_NS" python3 - "$1" "http://127.0.0.1:$PORT$2" <<'PY'
import sys, urllib.error, urllib.request
req = urllib.request.Request(sys.argv[2], method=sys.argv[1], data=b"" if sys.argv[1] == "POST" else None)
try:
    r = urllib.request.urlopen(req, timeout=30)
except urllib.error.HTTPError as e:
    r = e
body = r.read().decode()
print(r.status, r.headers.get("Content-Type"), "|", r.headers.get("Allow"))
sys.stdout.write(body)
PY
}

# scrape NAME: GET /metrics into $NS_WORK/NAME.txt (the body), checking
# status and media type.
scrape() {
	http GET /metrics >"$NS_WORK/$1.http" || fail "GET /metrics failed"
	head -1 "$NS_WORK/$1.http" | grep -qx '200 text/plain; version=0.0.4; charset=utf-8 | None' ||
		fail "GET /metrics: $(head -1 "$NS_WORK/$1.http")"
	tail -n +2 "$NS_WORK/$1.http" >"$NS_WORK/$1.txt"
}

scrape up2
python3 "$HERE/prom_check.py" "$NS_WORK/up2.txt" uppp_sessions_up_total=2 uppp_sessions=2 \
	'uppp_auth_accepted_total{method="pap"}=2' 'uppp_discovery_frames_total{code="pads",direction="tx"}=2' \
	'uppp_leases{state="in_use"}=2' uppp_sessions_down_total'{cause="admin"}=0' ||
	fail "metrics with two sessions up: $(cat "$NS_WORK/up2.txt")"

# The same counters as `uppp stats --json`.
# same_as_stats FILE: each counter of the JSON document equals its sample.
same_as_stats() {
	local stats
	stats=$("$UPPP" stats --json --control "$CONTROL") || return 1
	python3 - "$stats" "$(python3 "$HERE/prom_check.py" "$1" --json)" <<'PY'
import json, sys
st, prom = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pairs = {
    "uppp_sessions_up_total": st["sessions"]["up"],
    "uppp_sessions": st["sessions"]["current"],
    "uppp_sessions_negotiating": st["sessions"]["negotiating"],
    'uppp_leases{state="in_use"}': st["leases"]["in_use"],
    'uppp_leases{state="free"}': st["leases"]["free"],
    'uppp_auth_accepted_total{method="pap"}': st["auth"]["pap"]["accepted"],
    'uppp_sessions_down_total{cause="admin"}': st["sessions"]["down_by_cause"]["admin"],
}
for code in ("padi", "pado", "padr", "pads", "padt"):
    for d in ("rx", "tx"):
        if f"{code}_{d}" in st["discovery"]:
            pairs[f'uppp_discovery_frames_total{{code="{code}",direction="{d}"}}'] = st["discovery"][f"{code}_{d}"]
bad = {k: (prom.get(k), v) for k, v in pairs.items() if prom.get(k) != v}
assert not bad, f"(metrics, stats --json): {bad}"
print("metrics match uppp stats --json:", len(pairs), "counters")
PY
}
same_as_stats "$NS_WORK/up2.txt" || fail "metrics differ from uppp stats --json"

# Other paths, other methods.
status_line() { http "$1" "$2" >"$NS_WORK/other.http" || return 1; head -1 "$NS_WORK/other.http"; }
s=$(status_line GET /) && [[ $s == "404 "* ]] || fail "GET / is not 404: $s"
s=$(status_line GET /metrics/x) && [[ $s == "404 "* ]] || fail "GET /metrics/x is not 404: $s"
s=$(status_line POST /metrics) && [[ $s == "405 "*"| GET, HEAD" ]] || fail "POST /metrics is not 405 with Allow: $s"

# One session ends: the next scrape counts it.
out=$("$UPPP" kill --user user2 --control "$CONTROL") || fail "uppp kill failed: $out"
wait_for_log "$NS_WORK/server.log" "event=session-end cause=admin" || fail "session end not logged"
one_left() {
	scrape up1
	python3 "$HERE/prom_check.py" "$NS_WORK/up1.txt" uppp_sessions=1 >/dev/null 2>&1
}
wait_until -- one_left || fail "metrics never showed one session: $(cat "$NS_WORK/up1.txt")"
python3 "$HERE/prom_check.py" "$NS_WORK/up1.txt" uppp_sessions_up_total=2 uppp_sessions=1 \
	'uppp_sessions_down_total{cause="admin"}=1' 'uppp_leases{state="in_use"}=1' ||
	fail "metrics after the kill: $(cat "$NS_WORK/up1.txt")"
same_as_stats "$NS_WORK/up1.txt" || fail "metrics differ from uppp stats --json after the kill"

# A second server (on an interface of its own) cannot take the same port,
# and says why.
ip -n "$SRV_NS" link add br1 type bridge
ip -n "$SRV_NS" link set br1 up
if err=$(ip netns exec "$SRV_NS" "$UPPP" server -I br1 --secrets "$NS_WORK/secrets" --control none \
	--metrics "127.0.0.1:$PORT" 2>&1); then
	fail "a second server started on a taken metrics port"
fi
grep -qF "layer=metrics event=open-failed addr=127.0.0.1:$PORT err=\"bind: Address already in use" <<<"$err" ||
	fail "no clear error for a taken port: $(printf %q "$err")"
scrape after
kill -INT "$SRV_PID"
wait_gone "$SRV_PID" || fail "server did not exit"
echo "PASS"
