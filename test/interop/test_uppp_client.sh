#!/usr/bin/env bash
# `uppp client` dials a real rp-pppoe 3.15 pppoe-server (+ pppd 2.4.9 over a pty,
# user mode) in a QEMU guest. One guest boot runs every case. See docs/interop.md.
# Usage: test_uppp_client.sh /path/to/uppp   (UPPP_INTEROP_CASES="pap" runs a subset)
. "$(dirname "$0")/lib.sh" "$@"

# pppoe_server AUTH: configure and start pppoe-server in the guest, requiring AUTH.
pppoe_server() {
	g_ok "printf '%s\n' 'alice * alice-pw *' >/etc/ppp/pap-secrets
		cp /etc/ppp/pap-secrets /etc/ppp/chap-secrets
		chmod 600 /etc/ppp/pap-secrets /etc/ppp/chap-secrets
		printf '%s\n' require-$1 local lcp-echo-interval 10 lcp-echo-failure 2 'ms-dns 10.0.0.53' \
			debug 'logfile /tmp/log/server-pppd.log' >/etc/ppp/pppoe-server-options
		pppoe-server -F -I eth0 -L 10.0.0.1 -R 10.0.0.2 -N 4 -C guest-ac \
			-O /etc/ppp/pppoe-server-options >/tmp/log/pppoe-server.out 2>&1 &"
	g "i=0; until pidof pppoe-server >/dev/null; do [ \$i -ge $((HANG_GUARD * 10)) ] && exit 1; sleep 0.1; i=\$((i+1)); done" \
		>/dev/null || fail "pppoe-server is not running in the guest"
}

# client: uppp client on tap0; waits until its session is up.
client() {
	local t0
	t0=$(date +%s%N)
	uppp_bg client client -I tap0 -u alice -p alice-pw -d "$@"
	CLI_PID=$LAST_PID
	wait_log "$CW/client.log" "event=up" 20 || fail "uppp client: no session within 20 s"
	echo "info: uppp client started -> session up in $((($(date +%s%N) - t0) / 1000000)) ms"
}

client_checks() {
	local addr
	addr=$(ip -n "$NS" -o -4 addr show | awk '$2 ~ /^ppp/ {split($4, a, "/"); print a[1]; exit}')
	[ "$addr" = 10.0.0.2 ] || fail "uppp client got '$addr', expected 10.0.0.2 from pppoe-server -R"
	grep -q "dns=10.0.0.53" "$CW/client.log" || fail "uppp client did not learn DNS 10.0.0.53 (ms-dns)"
	grep -q "ac_name='guest-ac'" "$CW/client.log" || fail "the client log does not name the AC 'guest-ac'"
	ip netns exec "$NS" ping -c 3 -W 30 10.0.0.1 >"$CW/ping.txt" 2>&1 || fail "ping 10.0.0.1 (the guest's pppd) failed"
	g "ping -c 2 -W 30 10.0.0.2" >/dev/null || fail "the guest cannot ping the uppp client at 10.0.0.2"
}

auth_case() {
	local auth=$1
	pppoe_server "$auth"
	client
	g "grep -Eq '$2' /tmp/log/server-pppd.log" || fail "the guest's pppd did not log $auth success"
	client_checks
	# Clean hang-up: SIGTERM → LCP Terminate-Request, PADT once the pppd has
	# acked it (pppoe-server SIGTERMs its pppd on our PADT, so a PADT sent
	# with the Terminate-Request could overtake it), exit 0, TUN gone.
	kill -TERM "$CLI_PID"
	wait_gone "$CLI_PID" 0 || fail "uppp client did not exit after SIGTERM"
	wait "$CLI_PID"
	rc=$?
	[ $rc = 0 ] || fail "uppp client exit status $rc after SIGTERM, expected 0"
	wait_until 0 no_server_tun || fail "client TUN still there after exit"
	g "i=0; until grep -q 'rcvd \\[LCP TermReq' /tmp/log/server-pppd.log; do [ \$i -ge $((HANG_GUARD * 10)) ] && exit 1; sleep 0.1; i=\$((i+1)); done" >/dev/null ||
		fail "the guest's pppd did not see our Terminate-Request"
	g "i=0; until grep -q 'sent \\[LCP TermAck' /tmp/log/server-pppd.log; do [ \$i -ge $((HANG_GUARD * 10)) ] && exit 1; sleep 0.1; i=\$((i+1)); done" >/dev/null ||
		fail "the guest's pppd did not ack our Terminate-Request before our PADT ended it"
	g "i=0; while pidof pppd >/dev/null; do [ \$i -ge $((HANG_GUARD * 10)) ] && exit 1; sleep 0.1; i=\$((i+1)); done" >/dev/null ||
		fail "the guest's pppd is still running after our hang-up"
	return 0
}

case_pap() { auth_case pap 'sent \[PAP AuthAck'; }
case_chap() { auth_case chap 'sent \[CHAP Success'; }

# The server hangs up (its pppd is killed): pppoe-server sends PADT; the
# client must notice, remove its TUN and exit 1 with the cause in its log.
case_server_hangup() {
	pppoe_server pap
	client
	g "kill -TERM \$(pidof pppd)" >/dev/null || fail "no pppd to kill in the guest"
	wait_gone "$CLI_PID" 15 || fail "uppp client still running 15 s after the server hung up"
	wait "$CLI_PID"
	rc=$?
	[ $rc = 1 ] || fail "uppp client exit status $rc after the server hung up, expected 1"
	grep -Eq 'cause=(peer-padt|peer-term-req)' "$CW/client.log" || fail "client did not log why the session ended"
	echo "note: client logged $(grep -oE 'event=[a-z-]+ cause=(peer-padt|peer-term-req)' "$CW/client.log" | head -n1)"
	ip -n "$NS" -o link show | grep -q ' ppp[0-9]*:' && fail "client TUN still there"
	return 0
}

boot_guest
run_case client-pap case_pap
run_case client-chap case_chap
run_case client-server-hangup case_server_hangup
finish
