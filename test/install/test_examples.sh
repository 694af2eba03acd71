#!/usr/bin/env bash
# docs/examples/*.c build against the installed tree alone (examples-lib.sh:
# DESTDIR + pkg-config), link to libuppp.so, and without root answer bad
# command lines with a usage line or a clear message and exit status 2. Their
# runs on real interfaces are netns/examples (root). client_callback needs no
# interface: it runs here, as an unprivileged user when we are root, and must
# get every ping answered through its callbacks and end the session cleanly.
#
#   test_examples.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=${1:?usage: $0 BUILD_DIR SOURCE_DIR}
SRC=${2:?usage: $0 BUILD_DIR SOURCE_DIR}
. "$(dirname "$0")/examples-lib.sh"
D=$(mktemp -d /tmp/uppp-examples.XXXXXX)
trap 'rm -rf "$D"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

build_examples "$BUILD" "$SRC" "$D" || exit 1
echo "ok: the examples build against the installed tree"

# expect_exit NAME STATUS REGEX CMD...: CMD exits STATUS, its stderr matches REGEX.
expect_exit() {
	local name=$1 want=$2 re=$3 got
	shift 3
	LD_LIBRARY_PATH=$EX_LIBDIR "$@" >"$D/out" 2>"$D/err"
	got=$?
	[ "$got" = "$want" ] || { fail "$name: exit status $got, expected $want: $(cat "$D/err")"; return; }
	grep -Eq -- "$re" "$D/err" || { fail "$name: stderr '$(cat "$D/err")' does not match '$re'"; return; }
	echo "ok: $name"
}
for ex in server_epoll two_servers client_callback; do
	readelf -d "$D/$ex" | grep -q 'NEEDED.*libuppp\.so\.' || fail "$ex is not linked to libuppp.so"
done
for ex in server_epoll two_servers; do
	readelf -d "$D/$ex" | grep -q 'NEEDED.*libuppp\.so\.' || fail "$ex is not linked to libuppp.so"
	expect_exit "$ex without arguments" 2 "^usage: .*$ex " "$D/$ex"
done
expect_exit "server_epoll with a bad address" 2 "must be IPv4 addresses" \
	"$D/server_epoll" eth0 10.0.0.1 not-an-ip 4 /nonexistent
expect_exit "server_epoll with COUNT 0" 2 "COUNT a number > 0" \
	"$D/server_epoll" eth0 10.0.0.1 10.0.0.2 0 /nonexistent
expect_exit "two_servers with a bad address" 2 "'nope' or '10.1.0.2' is not an IPv4 address" \
	"$D/two_servers" /nonexistent eth0 10.0.0.1 10.0.0.2 eth1 nope 10.1.0.2
# Not starting is an error with the reason, and nothing to free is no crash.
expect_exit "server_epoll with a missing secrets file" 1 "server_epoll: cannot start on eth0: " \
	"$D/server_epoll" eth0 10.0.0.1 10.0.0.2 4 "$D/no-such-secrets"
expect_exit "two_servers with a missing secrets file" 1 "two_servers: server a on eth0: " \
	"$D/two_servers" "$D/no-such-secrets" eth0 10.0.0.1 10.0.0.2 eth1 10.1.0.1 10.1.0.2

expect_exit "client_callback with PINGS 0" 2 "^usage: .*client_callback " "$D/client_callback" 0

# (b) of issue 10: a client whose packets go to a callback, over a
# socketpair to an in-process server, without root.
chmod -R a+rX "$D"
as_user=()
if [ "$(id -u)" -eq 0 ]; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all --)
fi
if env LD_LIBRARY_PATH="$EX_LIBDIR" "${as_user[@]}" "$D/client_callback" 5 >"$D/cb.out" 2>"$D/cb.err"; then
	if grep -q "^client_callback: 5 of 5 pings answered, session ended cleanly$" "$D/cb.out" &&
		[ "$(grep -c '^client: echo reply [0-4] from the server' "$D/cb.out")" -eq 5 ] &&
		grep -q "^server: session [0-9]* down: peer-term-req$" "$D/cb.out"; then
		echo "ok: client_callback ran${as_user:+ as uid 65534}: 5 pings answered through callbacks, clean hang-up"
	else
		fail "client_callback: unexpected output: $(cat "$D/cb.out" "$D/cb.err")"
	fi
else
	fail "client_callback exited $?${as_user:+ as uid 65534}: $(cat "$D/cb.out" "$D/cb.err")"
fi

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok: examples built from the installed tree and checked"
