#!/usr/bin/env bash
# Builds the firmware configurations (docs/embedding.md) with warnings as
# errors and runs their unit and in-memory tests (CMake leaves out the tests
# of what a configuration leaves out):
#   client-pap   -DUPPP_WITH_SERVER=OFF -DUPPP_WITH_MSCHAPV2=OFF -DUPPP_WITH_IO_URING=OFF
#                (a dial-only PAP/CHAP device; TUN writes one by one)
#   server-only  -DUPPP_WITH_CLIENT=OFF
# Each in build-variant-NAME/ (BUILD_PREFIX changes "build-variant-").
#
#   scripts/build-variants.sh [NAME...]     default: every configuration
set -uo pipefail
cd "$(dirname "$0")/.."
declare -A VARIANTS=(
	[client-pap]="-DUPPP_WITH_SERVER=OFF -DUPPP_WITH_MSCHAPV2=OFF -DUPPP_WITH_IO_URING=OFF"
	[server-only]="-DUPPP_WITH_CLIENT=OFF"
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(client-pap server-only)
rc=0
for name in "${names[@]}"; do
	[ -n "${VARIANTS[$name]:-}" ] || { echo "build-variants: unknown configuration $name"; exit 2; }
	dir=${BUILD_PREFIX:-build-variant-}$name
	echo "==== $name (${VARIANTS[$name]})"
	# shellcheck disable=SC2086  # the flags split into words
	if cmake -S . -B "$dir" -DUPPP_WERROR=ON ${VARIANTS[$name]} >/dev/null &&
	   cmake --build "$dir" -j"$(nproc)" >"$dir/build.log" 2>&1; then
		(cd "$dir" && ctest -L 'unit|mem' -j2 --output-on-failure) || { echo "FAIL: $name: tests"; rc=1; }
	else
		tail -40 "$dir/build.log"
		echo "FAIL: $name: build"
		rc=1
	fi
done
exit $rc
