#!/usr/bin/env bash
# Real pppd 2.4.9 (rp-pppoe plugin) clients in a QEMU guest dial `uppp server`
# running on the guest's tap in a namespace on the host. One guest boot runs
# every case; each case starts its own uppp server. See docs/interop.md.
# Usage: test_pppd_client.sh /path/to/uppp   (UPPP_INTEROP_CASES="pap chap" runs a subset)
. "$(dirname "$0")/lib.sh" "$@"

SECRETS=$W/secrets
{
	echo '# interop secrets: client server secret [IP]'
	echo 'alice * alice-pw *'
	for i in 1 2 3 4 5; do echo "user$i * pw$i *"; done
} >"$SECRETS"

# server ARGS...: uppp server on tap0 with our secrets, logging every packet.
server() {
	uppp_bg server server -I tap0 --control "$CW/control.sock" -L 10.0.0.1 -R 10.0.0.2 -N 20 --secrets "$SECRETS" -d "$@"
	SRV_PID=$LAST_PID
	wait_log "$CW/server.log" "event=started" 5 || fail "uppp server did not start"
}

# pppd_bg UNIT USER PASSWORD [OPTIONS...]: a pppd client in the guest, in the
# background; its log is /tmp/log/pppdUNIT.log, its exit status /tmp/log/pppdUNIT.rc.
# PASSWORD "-": none on the command line, pppd takes it from the guest's secrets files.
pppd_bg() {
	local unit=$1 user=$2 pw=""
	[ "$3" = - ] || pw="password $3"
	shift 3
	g_ok "(pppd plugin rp-pppoe.so eth0 unit $unit user $user $pw noauth nodetach \
		maxfail 1 debug logfile /tmp/log/pppd$unit.log $*; echo \$? >/tmp/log/pppd$unit.rc) \
		>/tmp/log/pppd$unit.out 2>&1 &"
}

# gwait FILE REGEX SECONDS: wait in the guest for REGEX in FILE (SECONDS is
# raised to HANG_GUARD: a guard against hangs only). A wait that fails leaves
# its status in gwait.txt (attached by fail).
gwait() {
	local rc secs
	secs=$(hang_limit "$3")
	g -t $((secs + 2)) "i=0; until grep -Eq '$2' $1 2>/dev/null; do [ \$i -ge $((secs * 10)) ] && exit 1; \
		sleep 0.1; i=\$((i+1)); done" >>"$CW/gwait.txt" 2>&1
	rc=$?
	[ $rc -eq 0 ] || echo "gwait $1 '$2' $3 s: status $rc after $((SECONDS - T_START)) s of the run" \
		"(1 = not there in time, 137 = guest timeout, 254 = no answer from the guest)" >>"$CW/gwait.txt"
	return $rc
}

# pppd_addr UNIT: the address pppd was given.
pppd_addr() {
	g "sed -n 's/.*local  IP address \([0-9.]*\).*/\1/p' /tmp/log/pppd$1.log | tail -n1"
}

# pppd_stop UNIT: SIGTERM to that pppd (it sends LCP Terminate-Request), wait for its exit.
pppd_stop() {
	g "kill -TERM \$(cat /run/ppp$1.pid)" >/dev/null || fail "pppd unit $1 is not running"
	gwait "/tmp/log/pppd$1.rc" . 10 || fail "pppd unit $1 did not exit after SIGTERM (waited $(hang_limit 10) s)"
}

# session_ended REGEX SECONDS: the server logged the end of a session with a cause matching REGEX.
session_ended() {
	wait_log "$CW/server.log" "event=session-end cause=($1)" "$2"
}

# tcp_mss_check PEER EXPECTED_CLAMP: iperf3 TCP for 5 s from the guest to 10.0.0.1
# while capturing SYNs on the tap (PPPoE) and on the server's TUN. The host
# announces MSS 1460 (route advmss) on a smaller link, so uppp must rewrite the
# SYN-ACK on its way out; the guest's SYN must reach the TUN at most at the clamp.
tcp_mss_check() {
	local peer=$1 clamp=$2 tun t1 t2 v
	tun=$(ip -n "$NS" -o -4 addr show | awk -v p="$peer" '$0 ~ "peer " p "/" {print $2; exit}')
	[ -n "$tun" ] || fail "no server TUN with peer $peer"
	ip -n "$NS" route replace "$peer" dev "$tun" advmss 1460 || fail "cannot set advmss on $tun"
	host_bg iperf3-server iperf3 -s -1 -B 10.0.0.1
	host_bg tcpdump-tap tcpdump -U -ni tap0 -w "$CW/tap.pcap" 'pppoes and tcp[tcpflags] & tcp-syn != 0'
	t1=$LAST_PID
	host_bg tcpdump-tun tcpdump -U -ni "$tun" -w "$CW/tun.pcap" 'tcp[tcpflags] & tcp-syn != 0'
	t2=$LAST_PID
	# Start only once both captures and the iperf3 server are ready.
	wait_log "$CW/tcpdump-tap.log" "listening on" 0 || fail "tcpdump on tap0 did not start"
	wait_log "$CW/tcpdump-tun.log" "listening on" 0 || fail "tcpdump on $tun did not start"
	# (iperf3's own "Server listening" sits in its stdio buffer: ask the kernel.)
	wait_until 0 eval '[ -n "$(ip netns exec "$NS" ss -Hltn "sport = :5201")" ]' || fail "iperf3 server did not start"
	# Paced at 100 Mbit/s: unpaced, TCG's virtio-net TX ring fills and, rarely,
	# stalls for good ("NETDEV WATCHDOG: transmit queue 0 timed out").
	g "iperf3 -c 10.0.0.1 -t 5 -b 100M -f m" >"$CW/iperf3.txt" 2>&1 || fail "iperf3 from the guest failed: $(tail -n 3 "$CW/iperf3.txt")"
	v=$(awk '/sender$/ {print $7, $8}' "$CW/iperf3.txt")
	echo "info: iperf3 5 s TCP guest -> uppp: $v"
	# The SYNs were captured at the start of the connection; -U wrote each
	# as it came, and SIGINT flushes the rest.
	kill -INT "$t1" "$t2" 2>/dev/null
	wait_gone "$t1" 3
	wait_gone "$t2" 3
	tcpdump -nr "$CW/tap.pcap" >"$CW/syn-tap.txt" 2>/dev/null
	tcpdump -nr "$CW/tun.pcap" >"$CW/syn-tun.txt" 2>/dev/null
	# On the TUN: the server's SYN-ACKs leave with 1460 (before the clamp) ...
	grep -q 'Flags \[S\.\].*mss 1460' "$CW/syn-tun.txt" || fail "server SYN-ACK did not leave the TUN with mss 1460"
	# ... and reach the guest clamped; the guest's SYNs reach the TUN clamped.
	grep 'Flags \[S\.\]' "$CW/syn-tap.txt" | grep -q "mss $clamp" ||
		fail "SYN-ACK on the wire not clamped to $clamp"
	grep 'Flags \[S\.\]' "$CW/syn-tap.txt" | grep -q "mss 1460" && fail "a SYN-ACK left unclamped (mss 1460)"
	grep 'Flags \[S\],' "$CW/syn-tun.txt" | grep -q "mss $clamp" || fail "guest SYN did not reach the TUN with mss $clamp"
	grep 'Flags \[S\],' "$CW/syn-tun.txt" | grep -oE 'mss [0-9]+' | while read -r _ m; do
		[ "$m" -le "$clamp" ] || fail "guest SYN reached the TUN with mss $m > $clamp"
	done || exit 1
}

# The full path for one authentication protocol.
auth_case() {
	local auth=$1 layer=$2
	shift 2
	server --auth "$auth" --lcp-echo-interval 2 --lcp-echo-failure 3
	local t0
	t0=$(date +%s%N)
	pppd_bg 0 alice alice-pw "$@"
	gwait /tmp/log/pppd0.log 'local  IP address' 25 || fail "pppd: no IPCP up within 25 s"
	echo "info: pppd started -> IPCP up in $((($(date +%s%N) - t0) / 1000000)) ms"
	addr=$(pppd_addr 0)
	[ "$addr" = 10.0.0.2 ] || fail "pppd got '$addr', expected the pool's first 10.0.0.2"
	grep -q "layer=$layer result=success user='alice'" "$CW/server.log" || fail "server did not log $layer success for alice"
	wait_log "$CW/server.log" "layer=session event=up if=ppp[0-9]+ local=10.0.0.1 peer=10.0.0.2 mtu=1492" 5 ||
		fail "server did not log the session up with MTU 1492"
	g "ping -c 3 -W 30 10.0.0.1" >"$CW/ping.txt" || fail "guest cannot ping 10.0.0.1"
	tcp_mss_check 10.0.0.2 1452
	pppd_stop 0
	rc=$(g cat /tmp/log/pppd0.rc)
	[ "$rc" = 5 ] || fail "pppd exit status $rc after SIGTERM, expected 5"
	session_ended 'peer-term-req|peer-padt' 5 || fail "server did not end the session after pppd hung up"
	echo "note: uppp saw $(grep -o 'event=session-end cause=[a-z-]*' "$CW/server.log" | head -n1) from pppd's hang-up"
	wait_until 0 no_server_tun || fail "server TUN still there after the session ended"
	return 0
}

case_pap() { auth_case pap pap refuse-chap refuse-mschap refuse-mschap-v2 refuse-eap; }
case_chap() { auth_case chap chap refuse-pap refuse-mschap refuse-mschap-v2 refuse-eap; }
case_mschapv2() { auth_case mschapv2 mschapv2 refuse-pap refuse-chap refuse-mschap refuse-eap; }

case_wrong_password() {
	server --auth chap
	g_ok "pppd plugin rp-pppoe.so eth0 unit 0 user alice password not-the-pw noauth nodetach maxfail 1 \
		debug logfile /tmp/log/pppd0.log >/dev/null 2>&1; echo \$? >/tmp/log/pppd0.rc"
	rc=$(g cat /tmp/log/pppd0.rc)
	# pppd: exit 19 = "we failed to authenticate ourselves to the peer"
	[ "$rc" = 19 ] || fail "pppd exit status '$rc' with a wrong password, expected 19"
	wait_log "$CW/server.log" "event=session-end cause=auth-bad-secret" 5 ||
		fail "server did not log cause=auth-bad-secret"
	g "grep -q 'CHAP authentication failed' /tmp/log/pppd0.log" || fail "pppd did not see a CHAP Failure"
	return 0
}

case_mru_1400() {
	server --auth pap
	pppd_bg 0 alice alice-pw mru 1400
	gwait /tmp/log/pppd0.log 'local  IP address' 25 || fail "pppd (mru 1400): no IPCP up"
	wait_log "$CW/server.log" "layer=session event=up .* mtu=1400" 5 || fail "server session MTU is not 1400"
	grep -q "peer-mru=1400" "$CW/server.log" || fail "server did not log peer-mru=1400"
	tun=$(ip -n "$NS" -o link show up | awk -F': ' '/ ppp[0-9]+:/ {print $2; exit}')
	ip -n "$NS" -o link show "$tun" | grep -q 'mtu 1400' || fail "server TUN $tun MTU is not 1400"
	# 1400-byte IP packets with DF fit; the guest's kernel answers them.
	ip netns exec "$NS" ping -c 2 -W 30 -M do -s 1372 10.0.0.2 >"$CW/ping.txt" 2>&1 ||
		fail "1400-byte ping to the guest failed"
	tcp_mss_check 10.0.0.2 1360
	pppd_stop 0
	session_ended 'peer-term-req|peer-padt' 5 || fail "server did not end the session"
	return 0
}

case_echo_sigstop() {
	server --auth pap --lcp-echo-interval 2 --lcp-echo-failure 3
	pppd_bg 0 alice alice-pw lcp-echo-interval 1 lcp-echo-failure 2
	gwait /tmp/log/pppd0.log 'local  IP address' 25 || fail "pppd: no IPCP up"
	# Three of pppd's Echo-Requests answered by uppp (pppd ignores a reply that
	# carries its own Magic-Number, or a wrong one): wait for the third reply,
	# not for time. (pppd logs no echo traffic once the link is up; uppp -d does.)
	wait_count "$CW/server.log" 'sent \[LCP EchoRep' 3 0 ||
		fail "uppp sent only $(log_count "$CW/server.log" 'sent \[LCP EchoRep') Echo-Replies to pppd's Echo-Requests"
	g "grep -q 'No response to' /tmp/log/pppd0.log" && fail "pppd gave up on LCP echo while uppp was running"
	grep -q "event=echo" "$CW/server.log" && fail "server logged echo trouble while running"
	kill -STOP "$SRV_PID"
	t0=$SECONDS
	# pppd declares the link dead after 2 unanswered echoes and sends
	# Terminate-Requests; uppp stays stopped until it has (not for a time).
	gwait /tmp/log/pppd0.log 'Serial link appears to be disconnected' 0
	hung_up=$?
	kill -CONT "$SRV_PID"
	echo "info: pppd declared the link dead $((SECONDS - t0)) s after uppp was stopped"
	[ $hung_up = 0 ] || fail "pppd did not declare the link dead while uppp was stopped"
	gwait /tmp/log/pppd0.rc . 0 || fail "pppd did not exit after uppp resumed"
	stopped_rc=$(g cat /tmp/log/pppd0.rc)
	# pppd: exit 15 = "the link was terminated because the peer is not responding to echo requests"
	[ "$stopped_rc" = 15 ] || fail "pppd exit status $stopped_rc, expected 15 (peer not responding)"
	g "grep -q 'No response to 2 echo-requests' /tmp/log/pppd0.log" || fail "pppd log does not show the echo failure"
	session_ended 'peer-term-req|peer-padt|echo-timeout' 0 || fail "uppp did not clean up after SIGCONT"
	echo "note: after SIGCONT uppp ended the session with $(grep -o 'event=session-end cause=[a-z-]*' "$CW/server.log" | head -n1)"
	wait_until 0 no_server_tun || fail "server TUN still there after cleanup"
	return 0
}

case_five_clients() {
	local i addrs a
	server --auth chap
	for i in 1 2 3 4 5; do pppd_bg "$i" "user$i" "pw$i"; done
	for i in 1 2 3 4 5; do
		gwait "/tmp/log/pppd$i.log" 'local  IP address' 30 || fail "pppd unit $i: no IPCP up"
	done
	addrs=""
	for i in 1 2 3 4 5; do
		a=$(pppd_addr "$i")
		case "$a" in 10.0.0.*) ;; *) fail "pppd unit $i got '$a'" ;; esac
		addrs="$addrs $a"
		g "ping -c 1 -W 30 -I ppp$i 10.0.0.1" >/dev/null || fail "ping 10.0.0.1 over ppp$i failed"
	done
	[ "$(echo $addrs | tr ' ' '\n' | sort -u | wc -l)" = 5 ] || fail "addresses not distinct:$addrs"
	echo "info: five sessions, addresses$addrs"
	[ "$(grep -c 'layer=session event=up' "$CW/server.log")" = 5 ] || fail "server does not log 5 sessions up"
	for i in 1 2 3 4 5; do pppd_stop "$i"; done
	wait_count "$CW/server.log" 'event=session-end' 5 0 || fail "server did not end all 5 sessions"
	[ "$(log_count "$CW/server.log" 'event=session-end')" = 5 ] || fail "more than 5 sessions ended"
	grep 'event=session-end' "$CW/server.log" | grep -vq 'cause=peer-term-req' && fail "a session ended for another cause than peer-term-req"
	wait_until 0 no_server_tun || fail "a server TUN is still there"
	return 0
}

case_service_mismatch() {
	server --auth pap -S isp-a
	pppd_bg 0 alice alice-pw rp_pppoe_service isp-b
	wait_log "$CW/server.log" "no PADO sent: .*'isp-b'" 10 || fail "server did not log why it sent no PADO"
	# pppd retries PADI after 5 s and 10 s before giving up: two PADIs unanswered are enough.
	wait_count "$CW/server.log" 'no PADO sent' 2 0 || fail "pppd did not retry its PADI"
	g_absent 'Recv PPPOE Discovery.*PADO' /tmp/log/pppd0.log || fail "pppd received a PADO"
	g_absent 'local  IP address' /tmp/log/pppd0.log || fail "pppd came up anyway"
	grep -q "event=session-start" "$CW/server.log" && fail "server started a session anyway"
	echo "info: uppp logged: $(grep -m1 'no PADO sent' "$CW/server.log" | sed 's/.* level=[a-z]* //')"
	return 0
}

# ---- the seed's setup (shared facts, docs/migrating-from-rp-pppoe.md) ---------
# uppp as a drop-in for pppoe-server + pppd: the exact command line and files
# users migrate from, only `logfile` moved into the case's directory. `login`
# checks PAP passwords against system accounts: the server runs in a private
# mount namespace whose /etc/passwd and /etc/shadow hold an account rp-pppoe
# (password rp-pppoe), as in test/netns/test_dropin.sh.
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'rp-pppoe:x:1500:1500::/nonexistent:/usr/sbin/nologin' >"$W/passwd"
printf 'root:*:19000:0:99999:7:::\nrp-pppoe:%s:19000:0:99999:7:::\n' \
	"$(openssl passwd -6 -salt interopseed rp-pppoe)" >"$W/shadow"

# seed_server [EXTRA OPTION LINES...]: the seed's files in $CW/etc-ppp (EXTRA
# appended to pppoe-server-options), uppp started with the seed's command line.
# Its stderr must hold notices and info only (no warning), its log no warning/error.
seed_server() {
	local d=$CW/etc-ppp other
	mkdir -p "$d"
	printf '%s\n' local >"$d/options"
	printf '%s\n' 'rp-pppoe * rp-pppoe *' >"$d/chap-secrets"
	cp "$d/chap-secrets" "$d/pap-secrets"
	chmod 600 "$d/chap-secrets" "$d/pap-secrets"
	printf '%s\n' require-pap require-chap login 'lcp-echo-interval 10' 'lcp-echo-failure 2' \
		"logfile $CW/pppoe.log" 'ms-dns 114.114.114.114' defaultroute "$@" >"$d/pppoe-server-options"
	host_bg stderr unshare -m sh -c \
		'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && shift 2 && exec "$@"' \
		_ "$W/passwd" "$W/shadow" \
		"$UPPP" server -I tap0 --control "$CW/control.sock" -L 10.0.0.1 -R 10.0.0.2 -N 20 -O "$d/pppoe-server-options" --options-dir "$d"
	SRV_PID=$LAST_PID
	wait_log "$CW/pppoe.log" "event=started" 5 || fail "uppp server did not start with the seed's files"
	# Before it switches to the logfile uppp logs to stderr: info lines and notices only.
	other=$(grep -Ev ': notice: | level=info ' "$CW/stderr.log")
	[ -z "$other" ] || fail "uppp printed more than notices and info at start: $other"
	grep -q "options:1: notice: option 'local'" "$CW/stderr.log" || fail "no notice for 'local' in options"
	grep -q "pppoe-server-options:8: notice: option 'defaultroute'" "$CW/stderr.log" ||
		fail "no notice for 'defaultroute' naming pppoe-server-options:8"
	seed_log_clean
}

seed_log_clean() {
	local bad
	bad=$(grep -E 'level=(warn|err)' "$CW/pppoe.log")
	[ -z "$bad" ] || fail "warnings/errors in the seed's logfile: $bad"
}

# seed_case LAYER LCP_AUTH SECRETS_FILE [PPPD OPTIONS...]: the guest's pppd,
# with the seed's user in SECRETS_FILE only (no password on its command line),
# acks LCP_AUTH (as pppd prints it), authenticates, pings, hangs up; uppp ends
# the session and removes its TUN.
seed_case() {
	local layer=$1 lcp_auth=$2 secrets=$3 addr rc
	shift 3
	g "printf 'rp-pppoe * rp-pppoe *\n' >/etc/ppp/$secrets && chmod 600 /etc/ppp/$secrets" ||
		fail "cannot write the guest's /etc/ppp/$secrets"
	pppd_bg 0 rp-pppoe - usepeerdns "$@"
	gwait /tmp/log/pppd0.log 'local  IP address' 25 || fail "pppd: no IPCP up within 25 s"
	grep -q "layer=$layer result=success user='rp-pppoe'" "$CW/pppoe.log" ||
		fail "uppp did not log $layer success for rp-pppoe"
	g "grep -q 'sent \[LCP ConfAck .*<auth $lcp_auth>' /tmp/log/pppd0.log" || fail "pppd did not ack <auth $lcp_auth>"
	g "grep -q 'authentication succeeded' /tmp/log/pppd0.log" || fail "pppd did not log its authentication succeeding"
	addr=$(pppd_addr 0)
	[ "$addr" = 10.0.0.2 ] || fail "pppd got '$addr', expected 10.0.0.2"
	g "grep -q 'primary   DNS address 114.114.114.114' /tmp/log/pppd0.log" || fail "pppd did not get ms-dns 114.114.114.114"
	wait_log "$CW/pppoe.log" "layer=session event=up .*local=10.0.0.1 peer=10.0.0.2" 5 || fail "uppp did not log the session up"
	g "ping -c 3 -W 30 10.0.0.1" >"$CW/ping.txt" || fail "guest cannot ping 10.0.0.1"
	pppd_stop 0
	rc=$(g cat /tmp/log/pppd0.rc)
	[ "$rc" = 5 ] || fail "pppd exit status $rc after SIGTERM, expected 5"
	wait_log "$CW/pppoe.log" "event=session-end cause=(peer-term-req|peer-padt)" 5 ||
		fail "uppp did not end the session after pppd hung up"
	wait_until 0 no_server_tun || fail "server TUN still there after the session ended"
	seed_log_clean
	echo "info: $layer via the seed's files: $(grep -o 'event=session-end cause=[a-z-]*' "$CW/pppoe.log" | head -n1)"
	return 0
}

# PAP: the server asks CHAP-MD5 first; pppd refuses it and Naks PAP; require-pap
# lets uppp fall back, and `login` checks rp-pppoe's system account.
case_seed_pap() {
	seed_server
	seed_case pap pap pap-secrets refuse-chap refuse-mschap refuse-mschap-v2
	grep -q "event=auth-fallback asked=chap-md5 peer-offers=pap now-asking=pap" "$CW/pppoe.log" ||
		fail "uppp did not log its fallback from CHAP-MD5 to PAP"
}
case_seed_chap() {
	seed_server
	seed_case chap 'chap MD5' chap-secrets
}
case_seed_mschapv2() {
	seed_server require-mschap-v2
	seed_case mschapv2 'chap MS-v2' chap-secrets
}

boot_guest
run_case pap case_pap
run_case chap case_chap
# A case that cannot pass yet takes the mark `xfail` (e.g. `run_case NAME FN xfail`):
# it is then reported XFAIL, and an unexpected pass fails the run until the
# mark is removed. MS-CHAPv2 had it until uppp implemented it.
run_case mschapv2 case_mschapv2
run_case wrong-password case_wrong_password
run_case mru-1400 case_mru_1400
run_case echo-sigstop case_echo_sigstop
run_case five-clients case_five_clients
run_case service-mismatch case_service_mismatch
run_case seed-pap case_seed_pap
run_case seed-chap case_seed_chap
run_case seed-mschapv2 case_seed_mschapv2
finish
