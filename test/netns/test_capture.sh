#!/usr/bin/env bash
# Capture (acceptance 3 of issue 12): `uppp server --capture FILE` writes a
# pcap of a whole session that tshark reads with every step in it — PADI,
# PADO, PADR, PADS, LCP, PAP, IPCP, LCP Echo-Request and Echo-Reply, the
# PADT of `uppp kill` — and with nothing malformed and no expert error. IP
# data is left out unless asked (the ping is not in FILE). Then the control
# verbs on the running server: `uppp capture stop`, `uppp capture start
# FILE2 --data` (the ping is in FILE2 now), status, a second start refused.
. "$(dirname "$0")/common.sh" "$@"
command -v tshark >/dev/null || { echo "SKIP: tshark not installed (scripts/deps.sh)"; exit 77; }
ns_add_client 1
CAP="$NS_WORK/session.pcap"

# count FILE FILTER: the frames of FILE that match the display filter.
count() { tshark -r "$1" -Y "$2" 2>/dev/null | wc -l; }
has() { [ "$(count "$1" "$2")" -ge "${3:-1}" ]; }

start_server --auth pap -L 10.0.0.1 -R 10.0.0.2 -N 5 --lcp-echo-interval 1 --capture "$CAP"
grep -q "layer=capture event=started path=$CAP data=no" "$NS_WORK/server.log" || fail "no capture start line"
[ "$(stat -c %a "$CAP")" = 600 ] || fail "capture file mode $(stat -c %a "$CAP"), expected 600"
start_client 1 client -u alice -p alice-pw --lcp-echo-interval 0
wait_for_log "$NS_WORK/client.log" "event=up" || fail "session did not come up"
ip netns exec "$(cli_ns 1)" ping -q -c 2 -i 0.2 -W 5 10.0.0.1 >/dev/null || fail "ping over the session failed"
# two Echo-Replies from the client: the server's echo ran (its interval is 1 s)
wait_until "$HANG_GUARD" -- has "$CAP" 'lcp && ppp.code == 10' 2 || fail "no LCP Echo-Reply in the capture"
sid=$("$UPPP" sessions --json --control "$CONTROL" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"][0]["id"])')
"$UPPP" kill "$sid" --cause "capture test" --control "$CONTROL" >/dev/null || fail "uppp kill failed"
wait_until "$HANG_GUARD" -- has "$CAP" 'pppoed && pppoe.code == 0xa7' || fail "no PADT in the capture"

tshark -r "$CAP" >"$NS_WORK/decoded.txt" 2>&1 || fail "tshark -r failed: $(cat "$NS_WORK/decoded.txt")"
for f in 'pppoe.code == 0x09' 'pppoe.code == 0x07' 'pppoe.code == 0x19' 'pppoe.code == 0x65' \
	'pppoe.code == 0xa7' 'lcp && ppp.code == 1' 'lcp && ppp.code == 2' 'pap.code == 1' 'pap.code == 2' \
	'ipcp && ppp.code == 1' 'ipcp && ppp.code == 2' 'lcp && ppp.code == 9' 'lcp && ppp.code == 10'; do
	has "$CAP" "$f" || fail "nothing in the capture matches '$f': $(cat "$NS_WORK/decoded.txt")"
done
# the order of a session: PADI first, PADS before the first LCP, PADT last
first=$(tshark -r "$CAP" -T fields -e frame.number -Y 'pppoe.code == 0x09' | head -1)
pads=$(tshark -r "$CAP" -T fields -e frame.number -Y 'pppoe.code == 0x65' | head -1)
lcp1=$(tshark -r "$CAP" -T fields -e frame.number -Y 'lcp' | head -1)
echo=$(tshark -r "$CAP" -T fields -e frame.number -Y 'lcp && ppp.code == 10' | tail -1)
padt=$(tshark -r "$CAP" -T fields -e frame.number -Y 'pppoe.code == 0xa7' | tail -1)
# (the client's Terminate-Ack may still come after the PADT: the server drops it)
[ "$first" = 1 ] && [ "$pads" -lt "$lcp1" ] && [ "$padt" -gt "$echo" ] ||
	fail "frames out of order (PADI $first, PADS $pads, first LCP $lcp1, last Echo-Reply $echo, PADT $padt)"
has "$CAP" 'icmp || ip' && fail "IP data in the capture without --capture-data"
# no malformed frame, no expert info of severity Error (8388608, `tshark -G values`)
bad=$(tshark -r "$CAP" -Y '_ws.malformed || _ws.expert.severity >= 8388608' 2>/dev/null) || fail "tshark -Y failed"
[ -z "$bad" ] || fail "malformed frames or expert errors: $bad"

# The verbs, on the running server.
out=$("$UPPP" capture status --control "$CONTROL") || fail "capture status failed"
grep -q "^capture: on file=$CAP data=no frames=[1-9]" <<<"$out" || fail "capture status said: $out"
"$UPPP" capture stop --control "$CONTROL" >/dev/null || fail "capture stop failed"
wait_for_log "$NS_WORK/server.log" "layer=capture event=stopped path=$CAP" || fail "no capture stop line"
[ "$("$UPPP" capture --control "$CONTROL")" = "capture: off" ] || fail "capture status after stop is not off"
n=$(count "$CAP" '')
CAP2=capture2.pcap   # a relative path: the cli makes it absolute
(cd "$NS_WORK" && "$UPPP" capture start "$CAP2" --data --control "$CONTROL" >/dev/null) || fail "capture start failed"
if err=$("$UPPP" capture start "$NS_WORK/other.pcap" --control "$CONTROL" 2>&1); then fail "a second capture started: $err"; fi
grep -q "a capture is running already" <<<"$err" || fail "unclear error for a second capture: $err"
start_client 1 client2 -u alice -p alice-pw --lcp-echo-interval 0
wait_for_log "$NS_WORK/client2.log" "event=up" || fail "second session did not come up"
ip netns exec "$(cli_ns 1)" ping -q -c 2 -i 0.2 -W 5 10.0.0.1 >/dev/null || fail "ping over the second session failed"
wait_until "$HANG_GUARD" -- has "$NS_WORK/$CAP2" 'icmp.type == 0' 2 || fail "no ping reply in the --data capture"
has "$NS_WORK/$CAP2" 'pppoe.code == 0x09' || fail "no PADI in the second capture"
[ "$(count "$CAP" '')" = "$n" ] || fail "the stopped capture grew"
"$UPPP" capture stop --control "$CONTROL" >/dev/null || fail "capture stop failed"
bad=$(tshark -r "$NS_WORK/$CAP2" -Y '_ws.malformed || _ws.expert.severity >= 8388608' 2>/dev/null) ||
	fail "tshark -Y failed"
[ -z "$bad" ] || fail "malformed frames or expert errors in the data capture: $bad"
echo "PASS ($(wc -l <"$NS_WORK/decoded.txt") frames decoded by tshark, none malformed)"
