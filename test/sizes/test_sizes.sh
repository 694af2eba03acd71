#!/usr/bin/env bash
# The size figures of issue 10 (docs/embedding.md, "Sizes"), printed and never
# asserted — they depend on the compiler, the flags and the machine:
#  - the stripped `uppp` binary of this build (target <= 300 KB);
#  - a client-only PAP/CHAP sans-I/O library (-DUPPP_WITH_SERVER=OFF
#    -DUPPP_WITH_MSCHAPV2=OFF, MinSizeRel = -Os, stripped; target <= 80 KB),
#    configured and built here in a temporary directory;
#  - the private RSS of an idle default server (root only: test/sizes/idle_rss.sh);
#  - the fixed heap of a server sized for 64 sessions (target <= 512 KB):
#    what test_ac_sessions' counting allocator measures (uppp_ac_new with
#    max_sessions 64, before the first client), and the heap per session.
# Fails only when a figure cannot be produced (a build that does not build);
# exits 77 after printing the rest when the RSS needs root it does not have.
#
#   test_sizes.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: $0 BUILD_DIR SOURCE_DIR}" && pwd)
SRC=$(cd "${2:?usage: $0 BUILD_DIR SOURCE_DIR}" && pwd)
T=$(mktemp -d /tmp/uppp-sizes.XXXXXX)
trap 'rm -rf "$T"' EXIT
kb() { echo "$(( ($1 + 1023) / 1024 )) KiB ($1 bytes)"; }

strip -o "$T/uppp" "$BUILD/uppp" || { echo "FAIL: strip $BUILD/uppp"; exit 1; }
bt=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
echo "uppp binary, stripped (${bt:-RelWithDebInfo}): $(kb "$(stat -c %s "$T/uppp")") — target <= 300 KB"

if cmake -S "$SRC" -B "$T/min" -DCMAKE_BUILD_TYPE=MinSizeRel -DUPPP_TESTS=OFF \
	 -DUPPP_WITH_SERVER=OFF -DUPPP_WITH_MSCHAPV2=OFF >"$T/min.log" 2>&1 &&
   cmake --build "$T/min" --target uppp_proto >>"$T/min.log" 2>&1; then
	strip --strip-unneeded -o "$T/libmin.a" "$T/min/libuppp_proto.a"
	code=$(size -t "$T/libmin.a" | awk 'END {print $1 + $2}')
	echo "client-only PAP/CHAP sans-I/O library (-Os): text+data $(kb "$code"), stripped archive $(kb "$(stat -c %s "$T/libmin.a")") — target <= 80 KB"
else
	tail -30 "$T/min.log"
	echo "FAIL: the client-only PAP/CHAP library does not build"
	exit 1
fi

heap=$("$BUILD/test/test_ac_sessions" 2>&1 | grep -E '^(fixed heap|per session)')
[ -n "$heap" ] || { echo "FAIL: test_ac_sessions printed no heap figures"; exit 1; }
echo "$heap"

out=$(bash "$SRC/test/sizes/idle_rss.sh" "$BUILD/uppp" 2>&1)
rc=$?
echo "$out" | tail -n 40
[ $rc -eq 77 ] && exit 77
[ $rc -eq 0 ] || { echo "FAIL: idle server RSS could not be measured"; exit 1; }
exit 0
