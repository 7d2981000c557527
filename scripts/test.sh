#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine or an existing checkout.
# Installs what is missing, then:
#   1. builds build/ (Release) and runs every ctest test (arguments go to this ctest);
#   2. scripts/test-sanitizers.sh: the suite again under ASan+UBSan (build-asan/),
#      and the stress tests under TSan (build-tsan/);
#   3. scripts/fuzz.sh: each libFuzzer target for CNNRT_FUZZ_SECONDS, default 60 (build-fuzz/).
# CNNRT_TEST_QUICK=1 runs only stage 1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

# Runs a stage, keeping ctest's closing line and the stage's wall time.
stage() {
  local name=$1 start=$SECONDS log
  shift
  log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | sed "s/^/$name: /" >> "$summary"
  echo "$name: $(grep -c '\*\*\*Skipped' "$log" || true) skipped" >> "$summary"
  echo "$name: $((SECONDS - start)) s" >> "$summary"
  rm -f "$log"
}

suite() { scripts/build.sh --reconfigure && cd build && ctest --output-on-failure -j"$(nproc)" "$@"; }
stage "suite" suite "$@"
if [[ "${CNNRT_TEST_QUICK:-0}" != 1 ]]; then
  stage "sanitizers" scripts/test-sanitizers.sh
  stage "fuzz" scripts/fuzz.sh
fi

echo "==== test.sh summary"
cat "$summary"
read -r passed failed skipped < <(awk '/tests passed/ { t += $NF; f += $(NF-5) } / skipped$/ { s += $(NF-1) }
  END { print t - f - s, f + 0, s + 0 }' "$summary")
echo "test.sh: ${passed} passed, ${failed} failed, ${skipped} skipped"
