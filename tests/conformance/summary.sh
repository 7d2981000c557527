#!/usr/bin/env bash
# Counts the conformance results written by run_case.sh.
set -u
results=$1 refusals=$2
[[ -d "$results" ]] || { echo "no conformance results in $results"; exit 1; }
cat "$results"/*.txt | awk -F'\t' '
  { count[$1]++ }
  $1 == "NOT_IMPLEMENTED" { missing[$2]++ }
  $1 == "FAIL" { failed = failed "\n  " FILENAME }
  END {
    printf "conformance: %d passed, %d refused on purpose (see refusals.txt), %d use operators not implemented, %d failed\n",
      count["PASS"], count["REFUSED"], count["NOT_IMPLEMENTED"], count["FAIL"]
    n = 0
    for (op in missing) n++
    if (n) {
      printf "operators not implemented (tests):"
      for (op in missing) printf " %s:%d", op, missing[op]
      printf "\n"
    }
  }' | sed "s/unsupported operator //g; s/ (domain [^:]*//g"
for f in "$results"/*.txt; do
  if [[ "$(cut -f1 "$f")" == FAIL ]]; then echo "FAILED: $(basename "$f" .txt | sed 's/__/\//') ($(cut -f2 "$f"))"; fi
done
! grep -q "^FAIL" "$results"/*.txt
