#!/usr/bin/env bash
# The whole test suite (CI runs exactly this): installs what is missing, then
#  1. builds with warnings as errors and runs every CTest case (unit,
#     in-memory, netns, cli, fuzz corpus replay, install, sizes, QEMU interop);
#     then scripts/build-variants.sh: the client-only and server-only builds;
#  2. scripts/sanitize.sh: the same suite (but interop) built with ASan +
#     UBSan, and the unit, in-memory and kernel tests under valgrind;
#  3. scripts/fuzz.sh 20: every libFuzzer target for 20 s under ASan + UBSan;
#  4. scripts/cross.sh armhf and riscv64: cross builds whose unit and
#     in-memory tests run under qemu-user (docs/cross.md).
# Every step runs even when an earlier one failed; a summary says which
# failed. netns and interop cases need root and skip (exit 77) without it.
#
#   scripts/test.sh [--quick] [CTEST ARGS...]   --quick: step 1 only
set -uo pipefail
cd "$(dirname "$0")/.."
QUICK=0
if [ "${1:-}" = --quick ]; then
	QUICK=1
	shift
fi
./scripts/deps.sh || exit 1

results=()
step() {  # step NAME COMMAND...: runs it, remembers the outcome
	local name=$1 t0=$SECONDS rc=0
	shift
	echo
	echo "================ $name"
	"$@" || rc=$?
	results+=("$(printf '%-28s %-6s %4ss' "$name" "$([ $rc = 0 ] && echo ok || echo FAILED)" $((SECONDS - t0)))")
	return 0
}
suite() { ./scripts/build.sh && (cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j2 "$@"); }

step "build + ctest" suite "$@"
if [ $QUICK = 0 ]; then
	step "firmware configurations" ./scripts/build-variants.sh
	step "ASan+UBSan ctest" ./scripts/sanitize.sh asan
	step "valgrind unit+mem+kernel" ./scripts/sanitize.sh valgrind
	step "fuzz 20s/target" ./scripts/fuzz.sh 20
	step "cross armhf" ./scripts/cross.sh armhf
	step "cross riscv64" ./scripts/cross.sh riscv64
fi

echo
echo "================ summary"
printf '%s\n' "${results[@]}"
if printf '%s\n' "${results[@]}" | grep -q FAILED; then
	echo "TESTS FAILED"
	exit 1
fi
echo "all tests passed"
