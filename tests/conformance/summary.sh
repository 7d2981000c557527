#!/usr/bin/env bash
# Counts the conformance results run_case.sh wrote, one line per source:
# Debian's libonnx-testdata (suites node, pytorch-*, simple) and the newer
# onnx release (suite onnx-M.m/node). Only the cases this build registered
# (the manifest CMake writes) count; a registered case without a result has
# not run, and fails the summary like a failed case.
#   summary.sh RESULTS_DIR MANIFEST
set -u
results=$1 manifest=$2
[[ -d "$results" ]] || { echo "no conformance results in $results"; exit 1; }

# One line per registered case: source, case, outcome, detail.
rows=$(while IFS=$'\t' read -r case _; do
  f="$results/${case//\//__}.txt"
  source=libonnx-testdata
  [[ $case == onnx-* ]] && source=${case%%/*}
  if [[ -f "$f" ]]; then
    printf '%s\t%s\t%s\n' "$source" "$case" "$(head -1 "$f")"
  else
    printf '%s\t%s\tNOT_RUN\tno result\n' "$source" "$case"
  fi
done <"$manifest")

awk -F'\t' '
  { n[$1]++; count[$1, $3]++ }
  END {
    for (s in n) {
      printf "conformance %s: %d passed, %d refused on purpose (see refusals.txt), %d use operators or features not implemented, %d failed",
        s, count[s, "PASS"], count[s, "REFUSED"], count[s, "NOT_IMPLEMENTED"], count[s, "FAIL"]
      if (count[s, "NOT_RUN"]) printf ", %d not run", count[s, "NOT_RUN"]
      printf "\n"
    }
  }' <<<"$rows" | sort
# Per missing operator or feature, the cases that stop at it (the first each meets).
awk -F'\t' '$3 == "NOT_IMPLEMENTED" { print $4 }' <<<"$rows" |
  sed "s/unsupported operator //; s/ (domain [^:]*//" | sort | uniq -c |
  awk '{ c = $1; $1 = ""; sub(/^ /, ""); line = line " " $0 ":" c } END { if (line) print "not implemented (tests):" line }'
awk -F'\t' '$3 == "FAIL" || $3 == "NOT_RUN" { print "FAILED: " $2 " (" $4 ")"; bad = 1 } END { exit bad }' <<<"$rows"
