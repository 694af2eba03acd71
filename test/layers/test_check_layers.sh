#!/usr/bin/env bash
# scripts/check-layers.sh passes on the tree, and fails — naming the file
# and line — when an upward or sideways #include is planted in a copy of it:
# base → runtime, auth → proto, proto → netif, cli → a private header.
set -uo pipefail
ROOT=${1:?usage: $0 SOURCE_ROOT}
CHECK="$ROOT/scripts/check-layers.sh"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

out=$(bash "$CHECK" "$ROOT") || fail "the tree itself breaks the layers: $out"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One copy of the layers; each case adds one #include to one file of it and
# puts the file back afterwards.
mkdir -p "$tmp/tree/include"
for d in core auth ipam proto netif config runtime cli; do cp -r "$ROOT/$d" "$tmp/tree/$d"; done
cp -r "$ROOT/include/uppp" "$tmp/tree/include/uppp"
plant() {  # plant FILE INCLUDE
	cp "$ROOT/$1" "$tmp/tree/$1"
	printf '#include "%s"\n' "$2" >>"$tmp/tree/$1"
}
for case in "core/buf.c runtime/loop.h" "auth/pap.c proto/ppp.h" "proto/ppp.c netif/eth.h" \
	    "cli/main.c config/options.h" "ipam/ipam.c auth/auth.h" "include/uppp/uppp.h core/buf.h"; do
	set -- $case
	plant "$1" "$2"
	if out=$(bash "$CHECK" "$tmp/tree"); then
		fail "$1 including $2 was not caught"
	else
		grep -q "^$1:[0-9]*: #include \"$2\" runs against the layers" <<<"$out" ||
			fail "$1 including $2: the message does not name it: $out"
	fi
	cp "$ROOT/$1" "$tmp/tree/$1"
done
[ "$failures" -eq 0 ] && echo "PASS (the tree keeps its layers; 6 planted includes caught)"
exit $((failures > 0))
