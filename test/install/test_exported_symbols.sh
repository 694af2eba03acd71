#!/usr/bin/env bash
# libuppp.so exports exactly the documented API: the functions the public
# headers mark UPPP_API, listed in test/install/exported-symbols.txt. A
# difference fails, naming each symbol added or missing. With INCLUDE_DIR
# (include/uppp) the list must also be exactly the UPPP_API declarations of
# those headers, and each declaration must have its comment, ending on the
# line above it.
#
#   test_exported_symbols.sh LIBUPPP_SO EXPECTED_LIST [INCLUDE_DIR]
#
# A new public function is added deliberately: declare it UPPP_API in
# include/uppp/*.h with its documentation, then regenerate the list with
#   nm -D --defined-only build/libuppp.so | awk '{print $3}' | LC_ALL=C sort \
#       > test/install/exported-symbols.txt
# and commit the list with the header. (A build without the server, client
# or MS-CHAPv2 exports fewer: the list is for the default build.)
set -uo pipefail
SO=${1:?usage: $0 LIBUPPP_SO EXPECTED_LIST}
EXPECTED=${2:?usage: $0 LIBUPPP_SO EXPECTED_LIST}
actual=$(nm -D --defined-only "$SO" | awk '{print $3}' | LC_ALL=C sort) || { echo "FAIL: nm -D $SO"; exit 1; }
[ -n "$actual" ] || { echo "FAIL: $SO exports nothing"; exit 1; }
diff_out=$(diff <(LC_ALL=C sort "$EXPECTED") <(printf '%s\n' "$actual"))
if [ -n "$diff_out" ]; then
	echo "FAIL: the symbols $SO exports differ from $EXPECTED"
	printf '%s\n' "$diff_out" | sed -n 's/^> /  exported but not in the list: /p; s/^< /  in the list but not exported: /p'
	echo "If the change is deliberate (a documented UPPP_API function added or removed), regenerate the list:"
	echo "  nm -D --defined-only $SO | awk '{print \$3}' | LC_ALL=C sort > $EXPECTED"
	exit 1
fi
if [ -n "${3:-}" ]; then
	# UPPP_API <type> [*]name( … : each declaration must follow the end
	# of a comment ("*/" closing the line above it).
	declared=$(awk '
		/^UPPP_API / {
			line = $0; sub(/\(.*/, "", line); n = split(line, w, /[ *]+/); name = w[n]
			if (!prev_comment)
				printf "UNDOCUMENTED %s:%d %s\n", FILENAME, FNR, name
			print name
			prev_comment = 0; in_decl = ($0 !~ /;/); next
		}
		in_decl { in_decl = ($0 !~ /;/); next }
		{ prev_comment = ($0 ~ /\*\/[[:space:]]*$/) }
	' "$3"/*.h "$3"/*.h.in)
	undocumented=$(printf '%s\n' "$declared" | grep '^UNDOCUMENTED ' || true)
	if [ -n "$undocumented" ]; then
		echo "FAIL: public functions without a comment above them:"
		printf '%s\n' "$undocumented" | sed 's/^UNDOCUMENTED /  /'
		exit 1
	fi
	diff_out=$(diff <(LC_ALL=C sort "$EXPECTED") <(printf '%s\n' "$declared" | LC_ALL=C sort -u))
	if [ -n "$diff_out" ]; then
		echo "FAIL: $EXPECTED differs from the UPPP_API functions of $3/*.h"
		printf '%s\n' "$diff_out" | sed -n 's/^> /  declared UPPP_API but not in the list: /p; s/^< /  in the list but not declared UPPP_API: /p'
		exit 1
	fi
fi
echo "ok: $SO exports the $(printf '%s\n' "$actual" | wc -l) functions of $EXPECTED"
