#!/usr/bin/env bash
# The command line: every flag the parser knows is described by --help, and
# unknown flags, missing values and bad values give an error naming the flag
# (exit 2) before anything is opened.
set -uo pipefail
UPPP=${1:?usage: $0 /path/to/uppp}
SRC=$(cd "$(dirname "$0")/../.." && pwd)/config  # the parsers: config/server_args.c, config/client_args.c
failures=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }

"$UPPP" --help | grep -q "server" || { echo "FAIL: uppp --help"; failures=$((failures + 1)); }
"$UPPP" --version | grep -Eq '^uppp [0-9]+\.[0-9]+' || { echo "FAIL: --version"; failures=$((failures + 1)); }

# Every long option in each command's getopt table must appear in its --help.
for cmd in server client; do
	help=$("$UPPP" $cmd --help)
	[ $? -eq 0 ] || { echo "FAIL: $cmd --help exit status"; failures=$((failures + 1)); }
	table=$(awk -v t="${cmd}_longopts" '$0 ~ "^static const struct option " t "\\[" {on=1} on && /^}/ {exit} on' "$SRC/${cmd}_args.c" |
		grep -o '{ "[a-z-]*"' | tr -d '{" ')
	[ -n "$table" ] || { echo "FAIL: could not read $cmd's option table"; failures=$((failures + 1)); }
	for opt in $table; do
		grep -q -- "--$opt" <<<"$help" || { echo "FAIL: $cmd --help does not describe --$opt"; failures=$((failures + 1)); }
	done
done

# uppp doctor: its table is in cli/doctor.c.
help=$("$UPPP" doctor --help)
[ $? -eq 0 ] || { echo "FAIL: doctor --help exit status"; failures=$((failures + 1)); }
table=$(awk '/^static const struct option doctor_longopts\[/ {on=1} on && /^}/ {exit} on' "$SRC/../cli/doctor.c" |
	grep -o '{ "[a-z-]*"' | tr -d '{" ')
[ -n "$table" ] || { echo "FAIL: could not read doctor's option table"; failures=$((failures + 1)); }
for opt in $table; do
	grep -q -- "--$opt" <<<"$help" || { echo "FAIL: doctor --help does not describe --$opt"; failures=$((failures + 1)); }
done
"$UPPP" --help | grep -q "doctor" || { echo "FAIL: uppp --help does not list doctor"; failures=$((failures + 1)); }

# doctor's usage errors exit 126: its 1..125 count problems found.
expect_doctor_error() {  # expect_doctor_error NEEDLE ARGS...
	local needle=$1 out rc
	shift
	out=$("$UPPP" doctor "$@" 2>&1)
	rc=$?
	if [ $rc -ne 126 ] || ! grep -qF -- "$needle" <<<"$out"; then
		echo "FAIL: uppp doctor $* → exit $rc, output: $out (wanted exit 126 and '$needle')"
		failures=$((failures + 1))
	fi
}
expect_doctor_error "-I IFACE is required"
expect_doctor_error "--pool: '10.0.0.0/33'" -I eth0 --pool 10.0.0.0/33
expect_doctor_error "--pool or -R/-N, not both" -I eth0 --pool 10.0.0.0/24 -N 5
expect_doctor_error "-I: '../x' is not an interface name" -I ../x
expect_doctor_error "--auth: 'md5'" -I eth0 --auth md5
expect_doctor_error "unknown flag '--bogus'" -I eth0 --bogus
expect_doctor_error "-R/-N: the pool runs past" -I eth0 -R 255.255.255.250 -N 10

expect_usage_error() {  # expect_usage_error NEEDLE ARGS...
	local needle=$1 out rc
	shift
	out=$("$UPPP" "$@" 2>&1)
	rc=$?
	if [ $rc -ne 2 ] || ! grep -qF -- "$needle" <<<"$out"; then
		echo "FAIL: uppp $* → exit $rc, output: $out (wanted exit 2 and '$needle')"
		failures=$((failures + 1))
	fi
}
expect_usage_error "--bogus" server -I eth0 --bogus
expect_usage_error "-z" server -I eth0 -z
expect_usage_error "--frobnicate" client -I eth0 -u a -p b --frobnicate
expect_usage_error "-I IFACE is required" server
expect_usage_error "-u USER and -p PASSWORD" client -I eth0
expect_usage_error "'10.0.0.300' is not an IPv4 address" server -I eth0 -L 10.0.0.300
expect_usage_error "--auth: 'md5'" server -I eth0 --auth md5
expect_usage_error "-N: 'lots'" server -I eth0 -N lots
expect_usage_error "needs a value" server -I
expect_usage_error "--if-mode: 'pool' is not per-session or shared" server -I eth0 --if-mode pool
expect_usage_error "--if-shared-name: '0123456789abcdefg'" server -I eth0 --if-shared-name 0123456789abcdefg
expect_usage_error "--busy-poll: '1000001' is not 0..1000000 microseconds" server -I eth0 --busy-poll 1000001
expect_usage_error "--busy-poll: 'fast' is not 0..1000000 microseconds" server -I eth0 --busy-poll fast
expect_usage_error "--busy-poll: '-1' is not 0..1000000 microseconds" client -I eth0 -u a -p b --busy-poll -1
expect_usage_error "needs a value" client -I eth0 -u a -p b --busy-poll
expect_usage_error "--show-config=yaml: only json may follow" server -I eth0 --show-config=yaml
# --metrics ADDR:PORT: refused at parse time when malformed; a build without
# libmicrohttpd refuses the flag itself, saying so.
metrics_out=$("$UPPP" server -I eth0 --metrics 127.0.0.1:9100 --help 2>&1)
if grep -q "built without metrics" <<<"$metrics_out"; then
	expect_usage_error "--metrics 127.0.0.1:9100: this uppp was built without metrics (libmicrohttpd" \
		server -I eth0 --metrics 127.0.0.1:9100
else
	expect_usage_error "--metrics: '127.0.0.1:0': the port is a number from 1 to 65535" server -I eth0 --metrics 127.0.0.1:0
	expect_usage_error "--metrics: '127.0.0.1': no port" server -I eth0 --metrics 127.0.0.1
	expect_usage_error "--metrics: 'localhost:9100': not an IPv4 address (names are not looked up)" server -I eth0 --metrics localhost:9100
	expect_usage_error "--metrics: '::1:9100': an IPv6 address is written [ADDR]:PORT" server -I eth0 --metrics ::1:9100
	expect_usage_error "--metrics: ':9100': no address" server -I eth0 --metrics :9100
	expect_usage_error "--metrics: '[::1]x:9100'" server -I eth0 --metrics '[::1]x:9100'
	expect_usage_error "--metrics: '[fe80::1%eth0]:9100'" server -I eth0 --metrics '[fe80::1%eth0]:9100'
fi
expect_usage_error "unknown command 'serve'" serve
expect_usage_error "missing command"

# --show-config: every effective setting with its origin, and exit 0 without
# opening anything (the interface need not exist); a broken file names FILE:LINE.
check() { [ "$1" = ok ] || { echo "FAIL: --show-config: $2"; failures=$((failures + 1)); }; }
T=$(mktemp -d)
printf '%s\n' require-pap 'ms-dns 10.0.0.53' >"$T/opts"
printf '%s\n' 'alice * s3cret-pw *' >"$T/pap-secrets"
out=$("$UPPP" server -I no-such-if0 -N 5 -O "$T/opts" --options-dir "$T" --show-config 2>&1)
rc=$?
[ $rc -eq 0 ] && check ok || check bad "exit $rc: $out"
grep -qxF "count 5  # flag -N" <<<"$out" && check ok || check bad "no 'count 5  # flag -N' in: $out"
grep -qxF "auth pap  # $T/opts:1" <<<"$out" && check ok || check bad "no 'auth pap  # $T/opts:1'"
grep -qxF "dns 10.0.0.53  # $T/opts:2" <<<"$out" && check ok || check bad "no 'dns 10.0.0.53  # $T/opts:2'"
grep -qxF "secrets $T/pap-secrets entries=1  # flag --options-dir" <<<"$out" && check ok || check bad "no secrets line"
grep -qxF "lcp-echo-failure 3  # default" <<<"$out" && check ok || check bad "no 'lcp-echo-failure 3  # default'"
grep -q "s3cret-pw" <<<"$out" && check bad "a secret was shown" || check ok
out=$("$UPPP" server -I no-such-if0 -O "$T/opts" --options-dir "$T" --show-config=json 2>&1)
python3 -c 'import json, sys; d = json.load(sys.stdin); assert any(s["name"] == "dns" and s["value"] == "10.0.0.53" for s in d["settings"])' \
	<<<"$out" && check ok || check bad "JSON: $out"
printf '%s\n' require-pap 'ms-dns 10.0.0.300' >"$T/opts"
out=$("$UPPP" server -I no-such-if0 -O "$T/opts" --options-dir "$T" --show-config 2>&1)
rc=$?
[ $rc -eq 1 ] && grep -qF "$T/opts:2: option 'ms-dns': '10.0.0.300'" <<<"$out" && check ok ||
	check bad "broken file: exit $rc, $out"
rm -rf "$T"

if [ $failures -ne 0 ]; then
	echo "$failures failed"
	exit 1
fi
echo "PASS"
