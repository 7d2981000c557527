#!/usr/bin/env bash
# Runs one libFuzzer binary for a fixed time and reports what it did.
#   run_fuzzer.sh FUZZER SECONDS SEED_DIR WORK_DIR DICT REGRESSION_DIR [EXTRA_SEED_FILE...]
# The working corpus (WORK_DIR/corpus) keeps what earlier runs found; seeds
# and regressions are read, never written. A crash, leak, timeout or
# out-of-memory fails the test and names the input to keep as a regression.
set -u
fuzzer=$1 seconds=$2 seeds=$3 work=$4 dict=$5 regressions=$6
shift 6
name=$(basename "$fuzzer")
mkdir -p "$work/corpus" "$work/artifacts"
for f in "$@"; do
  [[ -f $f ]] && cp -n "$f" "$work/corpus/"
done
args=(
  -max_total_time="$seconds" -print_final_stats=1 -dict="$dict"
  -timeout=25              # one input taking longer is a hang
  -rss_limit_mb=3072       # the memory actually used may not grow past this
  -malloc_limit_mb=16896   # one allocation may go up to cnnrt's own limits (8 GiB per
                           # tensor, 16 GiB per arena, reserved but untouched until run)
  -max_len=65536
  -artifact_prefix="$work/artifacts/"
)
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
OMP_NUM_THREADS=1 "$fuzzer" "${args[@]}" "$work/corpus" "$seeds" "$regressions" > "$work/log.txt" 2>&1
rc=$?
stats=$(grep -E '^stat::' "$work/log.txt" | sed 's/^stat:://' | tr '\n' ' ')
last=$(grep -E '^#[0-9]+' "$work/log.txt" | tail -1)
echo "$name: ${seconds}s, corpus $(ls "$work/corpus" | wc -l) files; $stats"
echo "$name: last status: $last"
if ((rc != 0)); then
  echo "$name FAILED (exit $rc). End of its log ($work/log.txt):"
  tail -80 "$work/log.txt"
  echo "Inputs that failed:"
  ls -1 "$work/artifacts/"
  echo "Keep each as a regression: copy it into $regressions/ with a name saying what it broke, then fix the bug."
  exit 1
fi
