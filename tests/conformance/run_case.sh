#!/usr/bin/env bash
# One ONNX backend test through cnnrt-run.
#   run_case.sh CNNRT_RUN TEST_DIR SUITE/CASE REFUSALS_FILE TOLERANCES_FILE RESULTS_DIR
# Exit 0: passed, or refused on purpose and failed cleanly.
# Exit 77 (ctest: skipped): the model uses an operator or a feature cnnrt
# does not implement, or the case is refused on purpose (refusals.txt).
# Exit 1: anything else (wrong result, crash, unexpected error, stale refusal).
set -u
run=$1 dir=$2 case=$3 refusals=$4 tolerances=$5 results=$6
mkdir -p "$results"
# A case whose reference outputs are less exact than cnnrt-run's default
# tolerance is compared at the relative tolerance tolerances.txt gives it,
# with the reason; the result records both.
read -r rtol why < <(awk -v c="$case" '$1 == c { $1 = ""; sub(/^ +/, ""); print; exit }' "$tolerances")
opts=()
[[ -n "${rtol:-}" ]] && opts=(--rtol "$rtol")
out=$("$run" "${opts[@]}" "$dir" 2>&1)
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
  record PASS "${rtol:+rtol $rtol: $why}"
  exit 0
fi
if ((rc == 3)) && op=$(grep -o "unsupported operator '[^']*' (domain [^,]*" <<<"$out" | head -1) && [[ -n "$op" ]]; then
  echo "NOT IMPLEMENTED: $op"
  record NOT_IMPLEMENTED "$op"
  exit 77
fi
# Graph-level features cnnrt does not have at all (sequences, optionals):
# the ops that use them are not implemented either.
if ((rc == 3)) && grep -q "is not a tensor (sequences and maps are not supported)" <<<"$out"; then
  echo "NOT IMPLEMENTED: sequences, maps or optionals"
  record NOT_IMPLEMENTED "feature: is not a tensor (sequences and maps are not supported)"
  exit 77
fi
# Element types cnnrt has no storage or compute for (strings, complex, and
# ONNX's float8, float4, 4-bit and 2-bit types), named by the loader (a graph
# input) or by Cast (its 'to'). float16, bfloat16 and double are types cnnrt
# holds but most operators refuse: those cases are listed in refusals.txt.
missing_types=" string complex64 complex128 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz float8e8m0 float4e2m1 int4 uint4 int2 uint2 "
if ((rc == 3)) && type=$(grep -oE "(has unsupported element type|casting to element type) [a-z0-9]+" <<<"$out" | head -1 | awk '{ print $NF }') &&
   [[ -n "$type" && "$missing_types" == *" $type "* ]]; then
  echo "NOT IMPLEMENTED: element type $type"
  record NOT_IMPLEMENTED "feature: element type $type"
  exit 77
fi
record FAIL "exit code $rc"
exit 1
