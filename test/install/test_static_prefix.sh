#!/usr/bin/env bash
# Every global symbol defined in the static archives starts with uppp_, so
# nothing of libuppp.a can clash with a name of the firmware it is linked
# into (hidden visibility does not help a static link).
#
#   test_static_prefix.sh ARCHIVE...
set -uo pipefail
[ $# -gt 0 ] || { echo "usage: $0 ARCHIVE..."; exit 2; }
bad=0
for a in "$@"; do
	syms=$(nm -g --defined-only "$a" 2>/dev/null | awk 'NF == 3 {print $3}' | LC_ALL=C sort -u) ||
		{ echo "FAIL: nm $a"; exit 1; }
	[ -n "$syms" ] || { echo "FAIL: $a defines no global symbol"; bad=1; continue; }
	stray=$(printf '%s\n' "$syms" | grep -v '^uppp_')
	if [ -n "$stray" ]; then
		echo "FAIL: $a defines global symbols without the uppp_ prefix (make them static or prefix them):"
		printf '  %s\n' $stray
		bad=1
	else
		echo "ok: $a: $(printf '%s\n' "$syms" | wc -l) global symbols, all uppp_*"
	fi
done
exit $bad
