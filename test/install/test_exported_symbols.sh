#!/usr/bin/env bash
# libuppp.so exports exactly the documented API: the functions the public
# headers mark UPPP_API, listed in test/install/exported-symbols.txt. A
# difference fails, naming each symbol added or missing.
#
#   test_exported_symbols.sh LIBUPPP_SO EXPECTED_LIST
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
echo "ok: $SO exports the $(printf '%s\n' "$actual" | wc -l) functions of $EXPECTED"
