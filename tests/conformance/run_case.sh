#!/usr/bin/env bash
# One ONNX backend test through cnnrt-run.
#   run_case.sh CNNRT_RUN TEST_DIR SUITE/CASE REFUSALS_FILE RESULTS_DIR
# Exit 0: passed, or refused on purpose and failed cleanly.
# Exit 77 (ctest: skipped): the model uses an operator cnnrt does not implement.
# Exit 1: anything else (wrong result, crash, unexpected error, stale refusal).
set -u
run=$1 dir=$2 case=$3 refusals=$4 results=$5
mkdir -p "$results"
out=$("$run" "$dir" 2>&1)
rc=$?
echo "$out"
record() { printf '%s\t%s\n' "$1" "$2" > "$results/${case//\//__}.txt"; }

reason=$(awk -v c="$case" '$1 == c { $1 = ""; sub(/^ +/, ""); print; exit }' "$refusals")
if [[ -n "$reason" ]]; then
  if ((rc == 0)); then
    echo "STALE REFUSAL: $case passes now; remove it from $refusals"
    record FAIL "listed as refused but passes"
    exit 1
  fi
  if ((rc != 1 && rc != 3)); then
    echo "CRASH: $case exited with $rc while being refused"
    record FAIL "exit code $rc"
    exit 1
  fi
  echo "REFUSED ON PURPOSE: $reason"
  record REFUSED "$reason"
  exit 77
fi
if ((rc == 0)); then
  record PASS ""
  exit 0
fi
if ((rc == 3)) && op=$(grep -o "unsupported operator '[^']*' (domain [^,]*" <<<"$out" | head -1) && [[ -n "$op" ]]; then
  echo "NOT IMPLEMENTED: $op"
  record NOT_IMPLEMENTED "$op"
  exit 77
fi
# Graph-level features cnnrt does not have at all (string tensors, sequences,
# optionals): the ops that use them are not implemented either.
if ((rc == 3)) && feature=$(grep -o "is not a tensor (sequences and maps are not supported)\|has unsupported element type string" <<<"$out" | head -1) && [[ -n "$feature" ]]; then
  echo "NOT IMPLEMENTED: $feature"
  record NOT_IMPLEMENTED "feature: ${feature#has unsupported }"
  exit 77
fi
record FAIL "exit code $rc"
exit 1
