#!/usr/bin/env bash
# Builds the libFuzzer targets with clang under ASan+UBSan into build-fuzz/
# and runs each for CNNRT_FUZZ_SECONDS (default 60) through ctest.
#   scripts/fuzz.sh            build and run every fuzzer
#   scripts/fuzz.sh -R model   extra arguments go to ctest
# clang is used only here: its -fopenmp would bring LLVM's libomp next to
# oneDNN's libgomp, so OpenMP is -fopenmp=libgomp (link GNU's runtime, no
# OpenMP code generation: cnnrt only calls omp_* functions, it has no pragmas).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${CNNRT_FUZZ_SECONDS:-60}
gomp=$(g++ -print-file-name=libgomp.so)
flags="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
if [[ ! -f build-fuzz/CMakeCache.txt ]]; then
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCNNRT_FUZZ=ON \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DOpenMP_C_FLAGS=-fopenmp=libgomp -DOpenMP_C_LIB_NAMES=gomp \
    -DOpenMP_CXX_FLAGS=-fopenmp=libgomp -DOpenMP_CXX_LIB_NAMES=gomp -DOpenMP_gomp_LIBRARY="$gomp" \
    >/dev/null
fi
cmake -S . -B build-fuzz -DCNNRT_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build build-fuzz -j"$(nproc)"
cd build-fuzz
ctest --output-on-failure -V -j"$(nproc)" -L fuzz "$@" | grep -v "^[0-9]*: Test command:\|^[0-9]*: Working Directory:\|^[0-9]*: Environment variables:"
