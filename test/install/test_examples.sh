#!/usr/bin/env bash
# docs/examples/*.c build against the installed tree alone (examples-lib.sh:
# DESTDIR + pkg-config), link to libuppp.so, and without root answer bad
# command lines with a usage line or a clear message and exit status 2. Their
# runs on real interfaces are netns/examples (root).
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
echo "ok: both examples build against the installed tree"

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

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok: examples built from the installed tree and checked"
