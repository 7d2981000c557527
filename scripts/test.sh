#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine or an existing checkout:
# installs what is missing, builds, and runs every ctest test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
