#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as
# errors, runs every CTest case (unit, in-memory, netns). netns cases need
# root and skip (exit 77) without it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j2 "$@"
