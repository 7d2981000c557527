#!/usr/bin/env bash
# `cnnrt-run --plan` must show an arena of at most MAX_RATIO x the lower bound.
#   check_plan_cli.sh CNNRT_RUN MODEL_DIR MAX_RATIO
set -u
run=$1 dir=$2 max=$3
out=$("$run" --plan "$dir" 2>&1)
rc=$?
echo "$out"
((rc == 0)) || { echo "cnnrt-run failed (exit $rc)"; exit 1; }
ratios=$(sed -n 's/^arena \/ lower bound: //p' <<<"$out")
[[ -n "$ratios" ]] || { echo "no 'arena / lower bound' line in the --plan output"; exit 1; }
for r in $ratios; do
  awk -v r="$r" -v m="$max" 'BEGIN { exit !(r <= m) }' || { echo "arena / lower bound $r exceeds $max"; exit 1; }
done
echo "arena / lower bound: $(echo $ratios) (at most $max)"
