#!/usr/bin/env bash
# Configures (first time only) and builds cnnrt into build/ (Release).
# Extra arguments go to the CMake configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build/CMakeCache.txt || $# -gt 0 ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
fi
cmake --build build -j"$(nproc)"
