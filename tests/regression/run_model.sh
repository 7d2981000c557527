#!/usr/bin/env bash
# One model of the PyTorch regression suite through cnnrt-run.
#   run_model.sh CNNRT_RUN MODEL_DIR TOLERANCES_FILE [CNNRT_RUN_FLAG...]
# MODEL_DIR is <model>-op<N> as models/regression/export.py writes it. The
# bound comes from TOLERANCES_FILE ("<model>-op<N>" before "<model>", else
# 1e-4 x max|reference|); the top-k outputs of each image must always be
# identical, k from the export's meta.json (5 classes; 1 for a dense
# prediction, see models/regression/exporter.py), 5 if it does not say.
# Exit 0 if every test set passes, 1 otherwise. A model that uses an operator
# cnnrt does not implement fails (it is not skipped) and says which.
set -u
run=$1 dir=$2 tolerances=$3
shift 3  # the rest are extra cnnrt-run flags (e.g. --batch-mode per-image)
case=$(basename "$dir")
model=${case%-op*}
[[ -f "$dir/model.onnx" ]] || { echo "no model in $dir: did the export fixture run?"; exit 1; }

line=$(awk -v c="$case" '$1 == c { print; exit }' "$tolerances")
[[ -n "$line" ]] || line=$(awk -v m="$model" '$1 == m { print; exit }' "$tolerances")
read -r _ kind value reason <<<"$line"
case "${kind:-}" in
  "") bound=(--atol-scale 1e-4); reason="default" ;;
  scale) bound=(--atol-scale "$value") ;;
  abs) bound=(--atol "$value" --rtol 0) ;;
  *) echo "$tolerances: bad kind '$kind' for $model (scale or abs)"; exit 1 ;;
esac
topk=$(grep -o '"topk": [0-9]*' "$dir/meta.json" 2>/dev/null | grep -o '[0-9]*$')
topk=${topk:-5}
echo "tolerance: ${bound[*]} --topk $topk ($reason)"

out=$("$run" --topk "$topk" "${bound[@]}" "$@" "$dir" 2>&1)
rc=$?
echo "$out"
if ((rc == 3)); then
  op=$(grep -o "unsupported operator '[^']*' (domain [^,]*, opset [0-9]*)" <<<"$out" | head -1)
  echo "MISSING OPERATOR: ${op:-see the error above}"
fi
((rc == 0))
