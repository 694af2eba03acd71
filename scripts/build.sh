#!/usr/bin/env bash
# Configures and builds uppp in ./build (warnings are errors). Extra arguments
# go to cmake's configure step, e.g. -DUPPP_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DUPPP_WERROR=ON "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
