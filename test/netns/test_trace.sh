#!/usr/bin/env bash
# `uppp trace --mac M` (issue 12): started before the client dials, it shows
# that client's exchange as a ladder, in order — PADI, PADO, PADR, PADS,
# LCP, PAP, IPCP — then, when `uppp kill` ends the session, the PADT and the
# end with cause admin and the operator's text. A second client, traced by
# nobody, does not appear. The JSON form (--json) carries the same lines.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
ns_add_client 2
start_server --auth pap -L 10.0.0.1 -R 10.0.0.2 -N 5 --lcp-echo-interval 0
mac=$(ip -n "$(cli_ns 1)" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | awk '{print $2}')

# the ladder (stdout is a file: no colour; the C locale: ASCII arrows) and the JSON lines
LC_ALL=C "$UPPP" trace --mac "$mac" --control "$CONTROL" >"$NS_WORK/ladder.txt" 2>"$NS_WORK/trace.err" &
TRACE=$!
NS_PIDS+=("$TRACE")
"$UPPP" trace --mac "$mac" --json --control "$CONTROL" >"$NS_WORK/trace.json" 2>>"$NS_WORK/trace.err" &
TRACE_JSON=$!
NS_PIDS+=("$TRACE_JSON")
wait_for_log "$NS_WORK/ladder.txt" "client .* server" || fail "trace did not start: $(cat "$NS_WORK/trace.err")"
wait_for_log "$NS_WORK/trace.json" '"event":"start"' || fail "trace --json did not start: $(cat "$NS_WORK/trace.err")"

start_client 2 other -u user2 -p pw2 --lcp-echo-interval 0
wait_for_log "$NS_WORK/other.log" "event=up" || fail "the other client did not come up"
start_client 1 client -u alice -p alice-pw --lcp-echo-interval 0
wait_for_log "$NS_WORK/client.log" "event=up" || fail "session did not come up"
"$UPPP" kill --user alice --cause 'bye "now"' --control "$CONTROL" >/dev/null || fail "uppp kill failed"
wait_for_log "$NS_WORK/ladder.txt" "ended, cause: admin" || fail "no end line: $(cat "$NS_WORK/ladder.txt")"
wait_for_log "$NS_WORK/trace.json" '"event":"end"' || fail "no end line in the JSON"

# in order: each expected line after the one before
python3 - "$NS_WORK/ladder.txt" <<'PY' || fail "the ladder is not the session's: $(cat "$NS_WORK/ladder.txt")"
import re, sys
lines = open(sys.argv[1]).read().splitlines()
want = [r"^ +0\.\d{3}  --PADI .*-+>$", r"<-+.*PADO ", r"--PADR ", r"<-+.*PADS ", r"--LCP ConfReq ",
        r"LCP ConfAck", r"--PAP AuthReq ", r"<-.*PAP AuthAck", r"IPCP ConfReq", r"IPCP ConfAck",
        r"<-.*LCP TermReq", r"<-.*PADT ", r'ended, cause: admin "bye \\x22now\\x22"|ended, cause: admin "bye "now""']
i = 0
for w in want:
    while i < len(lines) and not re.search(w, lines[i]):
        i += 1
    assert i < len(lines), f"missing (in order): {w}"
    i += 1
for l in lines:
    assert len(l) <= 80, f"wider than 80 columns: {l!r}"
    assert "\033" not in l, "colour in a file"
    assert "user2" not in l, "the other client's exchange is in the trace"
PY
python3 - "$NS_WORK/trace.json" "$mac" <<'PY' || fail "bad JSON lines: $(cat "$NS_WORK/trace.json")"
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
assert docs[0] == {"event": "start", "sid": None, "mac": sys.argv[2]}, docs[0]
frames = [d for d in docs if "dir" in d]
assert all(d["mac"] == sys.argv[2] for d in frames)
kinds = [d["kind"] for d in frames]
for k in ["PADI", "PADO", "PADR", "PADS", "LCP", "PAP", "IPCP", "PADT"]:
    assert k in kinds, (k, kinds)
assert kinds.index("PADI") < kinds.index("PADS") < kinds.index("PAP") < kinds.index("IPCP") < kinds.index("PADT")
end = [d for d in docs if d.get("event") == "end"]
assert len(end) == 1 and end[0]["cause"] == "admin" and end[0]["mac"] == sys.argv[2], end
assert all(isinstance(d["t"], int) for d in frames)
PY
# the server stopping ends the traces
kill -INT "$SRV_PID"
wait_gone "$TRACE" || fail "trace did not end with the server"
wait_gone "$TRACE_JSON" || fail "trace --json did not end with the server"
cat "$NS_WORK/ladder.txt"
echo "PASS ($(wc -l <"$NS_WORK/ladder.txt") ladder lines)"
