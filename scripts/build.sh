#!/usr/bin/env bash
# Configures (first time only) and builds cnnrt into build/ (Release).
#   --reconfigure   configure again even when build/ exists: the test suite
#                   discovers its data (ONNX test data, pip onnx, valgrind,
#                   Python modules) at configure time, so scripts/test.sh
#                   passes it after installing the test dependencies, which
#                   a build first configured by scripts/quickstart.sh lacked.
# Other arguments go to the CMake configure step (and imply --reconfigure).
set -euo pipefail
cd "$(dirname "$0")/.."
reconfigure=0
args=()
for a in "$@"; do
  if [[ "$a" == --reconfigure ]]; then reconfigure=1; else args+=("$a"); fi
done
if [[ ! -f build/CMakeCache.txt || $reconfigure == 1 || ${#args[@]} -gt 0 ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${args[@]}" >/dev/null
fi
cmake --build build -j"$(nproc)"
