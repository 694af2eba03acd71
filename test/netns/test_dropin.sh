#!/usr/bin/env bash
# uppp as a drop-in for `pppoe-server` + pppd (docs/migrating-from-rp-pppoe.md):
# the setup users migrate from (shared/docs/facts.md) — its command line, its
# /etc/ppp/pppoe-server-options, /etc/ppp/options (`local`) and secrets
# (`rp-pppoe * rp-pppoe *`) — starts with no warning, only the no-op notices,
# and clients connect:
#  1. seed files as they are (require-pap + require-chap + login): CHAP-MD5;
#  2. + require-mschap-v2: MS-CHAPv2;
#  3. require-pap + login: PAP against a system account 'rp-pppoe' (a private
#     /etc/passwd + /etc/shadow bind-mounted in the server's mount namespace),
#     and a pap-secrets user who is no system account is refused with the
#     message naming `login` and its file:line (Windows error 734);
#  4. an unknown option / a malformed secrets line: error naming file:line,
#     exit non-zero, no interface touched.
# Only change to the seed files: logfile points into the test directory.
. "$(dirname "$0")/common.sh" "$@"
ns_add_client 1
CLI=$(cli_ns 1)
W=$NS_WORK
mkdir -p "$W/etc-ppp"
printf '%s\n' 'local' >"$W/etc-ppp/options"
printf '%s\n' '# client server secret IP' 'rp-pppoe * rp-pppoe *' 'alice * alice-pw *' >"$W/etc-ppp/chap-secrets"
cp "$W/etc-ppp/chap-secrets" "$W/etc-ppp/pap-secrets"
chmod 600 "$W/etc-ppp/chap-secrets" "$W/etc-ppp/pap-secrets"
seed_options() {  # the seed's /etc/ppp/pppoe-server-options, logfile moved
	printf '%s\n' require-pap require-chap login 'lcp-echo-interval 10' 'lcp-echo-failure 2' \
		"logfile $W/pppoe.log" 'ms-dns 114.114.114.114' defaultroute
}
seed_options >"$W/pppoe-server-options"

# run_server OPTIONS_FILE [WRAP]: the seed's command line; WRAP runs it in a
# private mount namespace with fake system accounts.
run_server() {
	: >"$W/pppoe.log"
	local cmd=("$UPPP" server -I br0 --control "$CONTROL" -L 10.0.0.1 -R 10.0.0.2 -N 20 -O "$1" --options-dir "$W/etc-ppp")
	if [ "${2:-}" = accounts ]; then
		ns_bg "$SRV_NS" "$W/server.err" unshare -m bash -c \
			'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && shift 2 && exec "$@"' \
			_ "$W/passwd" "$W/shadow" "${cmd[@]}"
	else
		ns_bg "$SRV_NS" "$W/server.err" "${cmd[@]}"
	fi
	SRV_PID=$LAST_PID
	wait_for_log "$W/pppoe.log" "event=started" || fail "server did not start: $(cat "$W/server.err")"
}
stop_server() {
	kill -TERM "$SRV_PID"
	wait_gone "$SRV_PID" || fail "server did not exit on SIGTERM"
	wait "$SRV_PID" || fail "server exit status $? after SIGTERM"
}
no_warnings() {
	grep -q "warning" "$W/server.err" && fail "$1: warnings at start: $(cat "$W/server.err")"
	grep -q "notice: option 'local'" "$W/server.err" || fail "$1: no notice for 'local' in etc-ppp/options"
	grep -q "pppoe-server-options:8: notice: option 'defaultroute'" "$W/server.err" ||
		fail "$1: no notice for defaultroute naming file:line"
	grep -q "level=warn\|level=err" "$W/pppoe.log" && fail "$1: warnings in the log: $(grep 'level=warn\|level=err' "$W/pppoe.log")"
	true
}
connect() {  # connect LABEL USER PASSWORD EXPECTED_AUTH_LOG
	start_client 1 client --user "$2" --password "$3" ${CLIENT_EXTRA:-}
	wait_for_log "$W/client.log" "event=up" || fail "$1: session did not come up"
	grep -Eq "$4" "$W/pppoe.log" || fail "$1: server log lacks '$4'"
	grep -q "dns=114.114.114.114" "$W/client.log" || fail "$1: client did not get ms-dns"
	ip netns exec "$CLI" ping -c 2 -i 0.2 -W 30 10.0.0.1 >/dev/null || fail "$1: ping failed"
	kill -TERM "$CLI_PID"
	wait_gone "$CLI_PID" || fail "$1: client did not exit"
	wait "$CLI_PID" || true
}

echo "== 1. seed files: require-pap require-chap login → CHAP-MD5"
run_server "$W/pppoe-server-options"
no_warnings seed
grep -q "auth=chap-md5" "$W/pppoe.log" || fail "seed: server does not ask CHAP-MD5 first"
connect chap rp-pppoe rp-pppoe "layer=chap result=success user='rp-pppoe'"
stop_server

echo "== 2. + require-mschap-v2 → MS-CHAPv2"
{ seed_options; echo require-mschap-v2; } >"$W/opts-ms"
run_server "$W/opts-ms"
grep -q "warning" "$W/server.err" && fail "mschapv2: warnings: $(cat "$W/server.err")"
connect mschapv2 rp-pppoe rp-pppoe "layer=mschapv2 result=success user='rp-pppoe'"
stop_server

echo "== 3. require-pap + login → PAP against system accounts"
printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' 'rp-pppoe:x:1500:1500::/nonexistent:/usr/sbin/nologin' >"$W/passwd"
printf 'root:*:19000:0:99999:7:::\nrp-pppoe:%s:19000:0:99999:7:::\n' "$(openssl passwd -6 -salt dropintest rp-pppoe)" >"$W/shadow"
printf '%s\n' require-pap login 'lcp-echo-interval 10' "logfile $W/pppoe.log" 'ms-dns 114.114.114.114' >"$W/opts-pap"
run_server "$W/opts-pap" accounts
grep -q "auth=pap" "$W/pppoe.log" || fail "pap: server does not ask PAP"
connect pap rp-pppoe rp-pppoe "layer=pap result=success user='rp-pppoe'"
# alice is in pap-secrets but no system account: refused, the message names login's file:line
start_client 1 client --user alice --password alice-pw
wait_for_log "$W/pppoe.log" "cause=auth-login" || fail "login: alice was not refused with cause auth-login"
grep -q "user 'alice' is not a system account; option 'login' in $W/opts-pap:2 requires one" "$W/pppoe.log" ||
	fail "login: refusal does not name the option: $(grep auth-login "$W/pppoe.log")"
wait_gone "$CLI_PID" 20 || kill -TERM "$CLI_PID"  # not a verdict: it may retry
wait "$CLI_PID" 2>/dev/null || true
stop_server

echo "== 3b. seed files again, a client that only does PAP (like a router set to PAP)"
# The server asks CHAP-MD5 first; the client Naks with PAP; the seed's
# require-pap lets the server fall back, and login checks the system account.
run_server "$W/pppoe-server-options" accounts
CLIENT_EXTRA="--auth pap" connect pap-fallback rp-pppoe rp-pppoe "layer=pap result=success user='rp-pppoe'"
stop_server

echo "== 4. config errors: file:line, non-zero exit, nothing opened"
{ seed_options; echo 'frobnicate 3'; } >"$W/opts-bad"
set +e
out=$(ip netns exec "$SRV_NS" "$UPPP" server -I br0 --control "$CONTROL" -O "$W/opts-bad" --options-dir "$W/etc-ppp" 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || fail "unknown option: exit 0"
grep -q "opts-bad:9: unknown option 'frobnicate'" <<<"$out" || fail "unknown option: no file:line: $out"
grep -q "event=started\|layer=eth" <<<"$out" && fail "unknown option: the server went on: $out"
printf '%s\n' 'rp-pppoe * rp-pppoe *' 'bob * "unterminated' >"$W/etc-ppp/chap-secrets"
set +e
out=$(ip netns exec "$SRV_NS" "$UPPP" server -I br0 --control "$CONTROL" -O "$W/pppoe-server-options" --options-dir "$W/etc-ppp" 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || fail "bad secrets: exit 0"
grep -q "chap-secrets:2: unterminated" <<<"$out" || fail "bad secrets: no file:line: $out"
grep -q "layer=eth" <<<"$out" && fail "bad secrets: the interface was opened: $out"
ip -n "$SRV_NS" link show ppp0 >/dev/null 2>&1 && fail "an interface was created"

# --run-as cannot read /etc/shadow afterwards: a pap-secrets '@login' entry
# (like the login option) makes it refuse to start, saying why.
printf '%s\n' 'rp-pppoe * @login *' >"$W/etc-ppp/pap-secrets"
printf '%s\n' 'rp-pppoe * rp-pppoe *' >"$W/etc-ppp/chap-secrets"
printf '%s\n' require-pap "logfile $W/runas.log" >"$W/opts-runas"
set +e
out=$(ip netns exec "$SRV_NS" "$UPPP" server -I br0 --control "$CONTROL" -O "$W/opts-runas" --options-dir "$W/etc-ppp" --run-as nobody 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || fail "--run-as with an @login secret: exit 0"
grep -q "'@login' checks system passwords" "$W/runas.log" <<<"$out" || fail "--run-as with @login: no reason given: $out $(cat "$W/runas.log")"

ns_teardown
left=$(ns_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
