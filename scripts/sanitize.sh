#!/usr/bin/env bash
# Sanitizer passes of the test suite (scripts/test.sh runs this after the
# normal build and ctest):
#  1. an ASan + UBSan build in build-asan/ running every CTest case except
#     the QEMU interop suite (unit, mem, kernel, netns, cli, fuzz corpus
#     replay);
#  2. valgrind (memcheck, full leak check) over the unit, in-memory and
#     kernel tests of the normal build in build/ (scripts/build.sh must have
#     run). The kernel tests (real epoll, AF_PACKET, TUN, netlink) run here
#     too: their waits are on events with hang guards only, never deadlines,
#     so valgrind's 20-50x slowdown cannot fail them.
#
#   scripts/sanitize.sh [asan|valgrind]...    default: both
#
# CC picks the compiler of the ASan build (default: the system cc).
set -euo pipefail
cd "$(dirname "$0")/.."

STEPS=("$@")
((${#STEPS[@]})) || STEPS=(asan valgrind)
BUILD=${BUILD_DIR:-build}
ASAN_BUILD=${ASAN_BUILD_DIR:-build-asan}

asan() {
	echo "== sanitize: ASan + UBSan build in $ASAN_BUILD"
	BUILD_DIR=$ASAN_BUILD ./scripts/build.sh -DUPPP_SANITIZE=ON
	echo "== sanitize: ctest under ASan + UBSan (all but interop, the installed library, sizes and bench)"
	# halt_on_error: a UBSan report fails the test, not just prints. Left
	# out: the tests of the installed library (label install, and the
	# examples built from it, netns/examples) — a program that links an
	# instrumented libuppp must itself be built with the sanitizer runtime,
	# so they check the plain build's artifacts only — the size figures and
	# the benchmark (bench/short proves it runs in the plain build).
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir "$ASAN_BUILD" --output-on-failure -j2 -LE 'interop|install|sizes|bench' -E '^netns/examples$'
}

valgrind_pass() {
	local failed=() skipped=0 ran=0 src name exe rc
	echo "== sanitize: valgrind over unit + mem + kernel tests of $BUILD"
	# The cases this build knows (ctest -N lists "unit/test_x").
	for name in $(ctest --test-dir "$BUILD" -N -L '^(unit|mem|kernel)$' | sed -n 's#.*: \(unit\|mem\|kernel\)/##p'); do
		exe="$BUILD/test/$name"
		if [ ! -x "$exe" ]; then
			echo "valgrind: $exe missing (run scripts/build.sh first)"
			failed+=("$name")
			continue
		fi
		rc=0
		valgrind --quiet --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
			--suppressions=scripts/valgrind.supp --child-silent-after-fork=no \
			--log-file="$BUILD/valgrind-$name.log" "$exe" >"$BUILD/valgrind-$name.out" 2>&1 || rc=$?
		case $rc in
		0) ran=$((ran + 1)) ;;
		77) skipped=$((skipped + 1)) ;;
		*)
			failed+=("$name")
			echo "######## valgrind: $name FAILED (exit $rc)"
			cat "$BUILD/valgrind-$name.log"
			tail -n 30 "$BUILD/valgrind-$name.out"
			;;
		esac
	done
	echo "valgrind: $ran clean, $skipped skipped, ${#failed[@]} failed"
	if ((${#failed[@]})); then
		echo "VALGRIND FAILED: ${failed[*]}"
		return 1
	fi
}

for s in "${STEPS[@]}"; do
	case $s in
	asan) asan ;;
	valgrind) valgrind_pass ;;
	*) echo "usage: $0 [asan|valgrind]..." >&2; exit 2 ;;
	esac
done
