#!/usr/bin/env bash
# pppd's scripts (acceptance 5): ip-up, ip-down and auth-up found where pppd
# looks for them (--options-dir), run with pppd's arguments and a clean
# environment (IFNAME, IPLOCAL, IPREMOTE, PEERNAME, MACREMOTE, ...), ip-down
# with the session's statistics; then an ip-up that hangs is killed at
# hook-timeout (logged) and the session stays up: ping works after the kill.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
CLI=$(cli_ns 1)
D=$NS_WORK/ppp
mkdir -p "$D"
export UPPP_TEST_SECRET_ENV=leak   # must not reach the scripts

# Each script writes its arguments, one per line, then its environment.
for s in ip-up ip-down auth-up; do
	cat >"$D/$s" <<SCRIPT
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done >"$NS_WORK/$s.args.tmp"
env >"$NS_WORK/$s.env"
mv "$NS_WORK/$s.args.tmp" "$NS_WORK/$s.args"
SCRIPT
	chmod 755 "$D/$s"
done
printf '%s\n' 'ipparam isp-a' >"$D/options"

start_server --options-dir "$D" --auth chap -L 10.0.0.1 -R 10.0.0.2 -N 20 --dns 10.0.0.53
start_client 1 client --user alice --password alice-pw
wait_for_log "$NS_WORK/client.log" "event=up" || fail "session did not come up"
addr=$(client_addr 1)
[ "$addr" = 10.0.0.2 ] || fail "client got '$addr', expected 10.0.0.2"
mac=$(ip -n "$CLI" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | awk '{print toupper($2)}')
sid=$(grep -o 'sess=[0-9]* mac=[^ ]* layer=session event=up' "$NS_WORK/server.log" | head -1 | sed 's/^sess=\([0-9]*\).*/\1/')

wait_for_file() { # FILE: 0 once it exists (the script's last step)
	local end=$((SECONDS + HANG_GUARD))
	while [ ! -e "$1" ]; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.05
	done
}
wait_for_file "$NS_WORK/ip-up.args" || fail "ip-up did not run"
wait_for_file "$NS_WORK/auth-up.args" || fail "auth-up did not run"
wait_for_log "$NS_WORK/server.log" "event=exit hook=ip-up .*status=0" || fail "ip-up's exit not logged"

# pppd: interface-name tty-device speed local-IP remote-IP ipparam
expect=$(printf '%s\n' ppp0 br0 0 10.0.0.1 10.0.0.2 isp-a)
[ "$(cat "$NS_WORK/ip-up.args")" = "$expect" ] || fail "ip-up arguments: $(cat "$NS_WORK/ip-up.args" | tr '\n' ' ')"
env_is() { # SCRIPT VAR VALUE
	grep -qx "$2=$3" "$NS_WORK/$1.env" || fail "$1: $2 is '$(grep "^$2=" "$NS_WORK/$1.env" || true)', expected '$3'"
}
env_is ip-up IFNAME ppp0
env_is ip-up DEVICE br0
env_is ip-up IPLOCAL 10.0.0.1
env_is ip-up IPREMOTE 10.0.0.2
env_is ip-up PEERNAME alice
env_is ip-up MACREMOTE "$mac"
env_is ip-up IPPARAM isp-a
env_is ip-up ORIG_UID 0
env_is ip-up PPPLOGNAME root
[ -n "$sid" ] || fail "no session-up line in the server log"
env_is ip-up UPPP_SESSION "$sid"
! grep -q '^UPPP_TEST_SECRET_ENV=' "$NS_WORK/ip-up.env" || fail "ip-up inherited uppp's environment"
! grep -q '^DNS1=' "$NS_WORK/ip-up.env" || fail "ip-up: DNS1 set on the server (pppd sets it only from the peer)"
! grep -q '^CONNECT_TIME=' "$NS_WORK/ip-up.env" || fail "ip-up: statistics belong to the down scripts"
# pppd: interface-name peer-name user-name tty-device speed ipparam
[ "$(sed -n 2p "$NS_WORK/auth-up.args")" = alice ] || fail "auth-up peer-name: $(cat "$NS_WORK/auth-up.args" | tr '\n' ' ')"
[ "$(sed -n 4p "$NS_WORK/auth-up.args")" = br0 ] || fail "auth-up tty-device: $(cat "$NS_WORK/auth-up.args" | tr '\n' ' ')"
env_is auth-up PEERNAME alice

ip netns exec "$CLI" ping -c 3 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "ping failed"
kill -TERM "$CLI_PID"
wait_gone "$CLI_PID" || fail "client did not exit"
wait "$CLI_PID" || true
wait_for_file "$NS_WORK/ip-down.args" || fail "ip-down did not run"
[ "$(cat "$NS_WORK/ip-down.args")" = "$expect" ] || fail "ip-down arguments: $(cat "$NS_WORK/ip-down.args" | tr '\n' ' ')"
env_is ip-down IFNAME ppp0
env_is ip-down IPREMOTE 10.0.0.2
grep -q '^CONNECT_TIME=[0-9][0-9]*$' "$NS_WORK/ip-down.env" || fail "ip-down: no CONNECT_TIME"
sent=$(sed -n 's/^BYTES_SENT=//p' "$NS_WORK/ip-down.env")
rcvd=$(sed -n 's/^BYTES_RCVD=//p' "$NS_WORK/ip-down.env")
# three pings of 84 bytes each way at least
[ "${sent:-0}" -ge 252 ] && [ "${rcvd:-0}" -ge 252 ] || fail "ip-down: BYTES_SENT=$sent BYTES_RCVD=$rcvd, expected >= 252"
kill -TERM "$SRV_PID"
wait_gone "$SRV_PID" || fail "server did not exit"
wait "$SRV_PID" || fail "server exit status $?"

echo "== a hanging ip-up is killed at hook-timeout; the session stays up"
: >"$NS_WORK/server.log"
rm -f "$D/auth-up" "$D/ip-down"
printf '#!/bin/sh\necho $$ >%s/hang.pid\nexec sleep 1000\n' "$NS_WORK" >"$D/ip-up"
printf '%s\n' 'hook-timeout 1' >"$D/options"
start_server --options-dir "$D" --auth chap -L 10.0.0.1 -R 10.0.0.2 -N 20
start_client 1 client --user alice --password alice-pw
wait_for_log "$NS_WORK/client.log" "event=up" || fail "session did not come up with a hanging ip-up"
wait_for_log "$NS_WORK/server.log" "event=timeout hook=ip-up .*signal=TERM" || fail "the hanging ip-up got no SIGTERM"
wait_for_log "$NS_WORK/server.log" "event=exit hook=ip-up .*signal=TERM" || fail "the hanging ip-up's end not logged"
hp=$(cat "$NS_WORK/hang.pid")
! kill -0 "$hp" 2>/dev/null || fail "the hanging ip-up (pid $hp) still runs"
ip netns exec "$CLI" ping -c 3 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "ping failed after the ip-up was killed"
! grep -q "event=session-end" "$NS_WORK/server.log" || fail "the session ended"
kill -TERM "$CLI_PID"
wait_gone "$CLI_PID" || fail "client did not exit"
kill -TERM "$SRV_PID"
wait_gone "$SRV_PID" || fail "server did not exit"
wait "$SRV_PID" || fail "server exit status $?"

ns_teardown
left=$(ns_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
