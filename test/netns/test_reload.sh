#!/usr/bin/env bash
# Reload (SIGHUP) of a running server, as an operator does it: two sessions
# up; then a password changed, the DNS changed (ms-dns in the options file)
# and a user added, and SIGHUP. The sessions up keep pinging; a new login
# with the new password comes up with the new DNS (as the client logs it);
# the old password is refused; the added user logs in. Then the options
# file is broken and SIGHUP again: the log names FILE:LINE, the server runs
# on, and a new login still gets the last good configuration.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
ns_add_client 2
ns_add_client 3
W=$NS_WORK
mkdir -p "$W/etc-ppp"
: >"$W/etc-ppp/options"
printf '%s\n' 'alice * alice-old *' 'bob * bob-pw *' >"$W/etc-ppp/chap-secrets"
chmod 600 "$W/etc-ppp/chap-secrets"
printf '%s\n' require-chap 'ms-dns 10.0.0.53' >"$W/options"
ns_bg "$SRV_NS" "$W/server.log" "$UPPP" server -I br0 --control "$CONTROL" -L 10.0.0.1 -R 10.0.0.2 -N 20 -O "$W/options" \
	--options-dir "$W/etc-ppp"
SRV_PID=$LAST_PID
wait_for_log "$W/server.log" "event=started" || fail "server did not start"

start_client 1 alice1 -u alice -p alice-old
A1=$CLI_PID
start_client 2 bob -u bob -p bob-pw
wait_for_log "$W/alice1.log" "event=up" || fail "alice did not come up"
wait_for_log "$W/bob.log" "event=up" || fail "bob did not come up"
grep -q "dns=10.0.0.53" "$W/alice1.log" || fail "alice did not get the first DNS"

# reload: alice's password changed, carol added, the DNS changed
printf '%s\n' 'alice * alice-new *' 'bob * bob-pw *' 'carol * carol-pw *' >"$W/etc-ppp/chap-secrets"
printf '%s\n' require-chap 'ms-dns 10.0.0.54' >"$W/options"
kill -HUP "$SRV_PID"
wait_for_log "$W/server.log" "event=reload result=ok" || fail "no event=reload result=ok"
grep -q "event=reload result=failed" "$W/server.log" && fail "the reload failed"
kill -0 "$SRV_PID" || fail "the server did not survive SIGHUP"

# the sessions up stay up and carry traffic
ip netns exec "$(cli_ns 1)" ping -c 2 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "alice's session stopped after the reload"
ip netns exec "$(cli_ns 2)" ping -c 2 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "bob's session stopped after the reload"
grep -q "event=down\|event=session-end" "$W/alice1.log" "$W/bob.log" && fail "a session went down in the reload"

# a new login with the new password: up, with the new DNS
start_client 3 alice2 -u alice -p alice-new
wait_for_log "$W/alice2.log" "event=up" || fail "alice's new password was not accepted"
grep -q "dns=10.0.0.54" "$W/alice2.log" || fail "the new login did not get the new DNS: $(grep event=up "$W/alice2.log")"
kill -TERM "$CLI_PID"
wait_gone "$CLI_PID" || fail "alice's second client did not hang up"

# the old password: refused
start_client 3 alice3 -u alice -p alice-old
wait_for_log "$W/server.log" "result=failure user='alice' cause=auth-bad-secret" ||
	fail "alice's old password was not refused"
wait_gone "$CLI_PID" || fail "the refused client did not end"
grep -q "event=up" "$W/alice3.log" && fail "the old password came up"

# the added user
start_client 3 carol1 -u carol -p carol-pw
wait_for_log "$W/carol1.log" "event=up" || fail "the added user carol did not come up"
kill -TERM "$CLI_PID"
wait_gone "$CLI_PID" || fail "carol's client did not hang up"

# a broken options file: refused with FILE:LINE, the last good one stays
printf '%s\n' require-chap 'ms-dns 10.0.0.55' 'no-such-option' >"$W/options"
printf '%s\n' 'alice * alice-newer *' >"$W/etc-ppp/chap-secrets"
kill -HUP "$SRV_PID"
wait_for_log "$W/server.log" "event=reload result=failed reason=\"$W/options:3: unknown option 'no-such-option'" ||
	fail "the failed reload does not name $W/options:3"
kill -0 "$SRV_PID" || fail "the server did not survive the broken reload"
start_client 3 carol2 -u carol -p carol-pw
wait_for_log "$W/carol2.log" "event=up" || fail "after the broken reload, carol (last good secrets) did not come up"
grep -q "dns=10.0.0.54" "$W/carol2.log" || fail "after the broken reload the DNS is not the last good one"
ip netns exec "$(cli_ns 1)" ping -c 1 -W 30 10.0.0.1 >/dev/null || fail "alice's first session stopped"
kill -0 "$A1" || fail "alice's first client ended"
# the same through the control socket: uppp reload names FILE:LINE and
# fails; fixed, it succeeds; uppp show config says where the DNS came from
if out=$("$UPPP" reload --control "$CONTROL" 2>&1); then
	fail "uppp reload of the broken file succeeded: $out"
fi
grep -q "$W/options:3: unknown option 'no-such-option'" <<<"$out" || fail "uppp reload does not name $W/options:3: $out"
printf '%s\n' require-chap 'ms-dns 10.0.0.56' >"$W/options"
out=$("$UPPP" reload --control "$CONTROL" 2>&1) || fail "uppp reload of the fixed file failed: $out"
out=$("$UPPP" show config --control "$CONTROL" 2>&1) || fail "uppp show config failed: $out"
grep -q "^dns 10.0.0.56.*# $W/options:2" <<<"$out" || fail "uppp show config does not show the DNS from $W/options:2: $out"
echo "PASS (reload: sessions stay, new secrets and DNS for new logins, a broken file keeps the last good config)"
