#!/usr/bin/env bash
# 1. The suite again in build-asan/, compiled with g++ and
#    -fsanitize=address,undefined (any undefined behaviour aborts, leaks fail
#    at exit): everything but the pretrained-model regression suite (too
#    slow under ASan), valgrind (not with ASan) and the tests labelled
#    `uninstrumented`: they load libcnnrt into a process that was not built
#    with ASan (Debian's python3, programs compiled by the embedding and docs
#    tests against the installed library) or interpose malloc themselves (the
#    steady-state allocation counter), which ASan's own allocator forbids.
#    Stage 1 runs them on the normal build. Extra arguments go to this ctest.
# 2. The stress tests in build-tsan/ under ThreadSanitizer (see below).
set -euo pipefail
cd "$(dirname "$0")/.."
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# Configured every time (a few seconds): the suite finds its test data at
# configure time, and they may have been installed since the last run.
# -O1 -g1 (line tables only): half the compile time of -O2 -g, same stack traces.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build build-asan -j"$(nproc)"
cd build-asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --output-on-failure -j"$(nproc)" -LE '^(regression|valgrind|uninstrumented)$' "$@"

# ThreadSanitizer on the stress tests (build-tsan/: only the library and
# the stress program). oneDNN, libgomp and libstdc++.so are not
# instrumented: with oneDNN's primitive cache on, a primitive descriptor made
# on one thread and handed to another through the cache is reported as a
# race (the synchronisation is inside libdnnl), so the cache is off here.
# What TSan checks is cnnrt's own shared state: models, the weight cache, the
# registry, the per-thread error; it does report two threads on one session.
cd ..
if [[ ! -f build-tsan/CMakeCache.txt ]]; then
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_CXX_FLAGS=-fsanitize=thread \
    -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread >/dev/null
fi
cmake --build build-tsan -j"$(nproc)" --target cnnrt-stress-tests
cd build-tsan
ONEDNN_PRIMITIVE_CACHE_CAPACITY=0 TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1} \
  ctest --output-on-failure -j"$(nproc)" -L stress
