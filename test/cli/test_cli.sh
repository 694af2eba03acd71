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

if [ $failures -ne 0 ]; then
	echo "$failures failed"
	exit 1
fi
echo "PASS"
