#!/usr/bin/env bash
# The README's supported-operators table is generated from the op registry
# (cnnrt-ops prints it), never written by hand. This rewrites it between
#   <!-- ops-table:begin ... -->
#   <!-- ops-table:end -->
# in README.md.
#
#   scripts/update-ops-table.sh            builds cnnrt-ops, rewrites the table(s)
#   scripts/update-ops-table.sh --check [--tool PATH] [FILE...]
#                                          exit 1 with a diff if a table is stale
#                                          (the docs/ops-table test runs this)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
check=0 tool="" files=()
while (($#)); do
  case $1 in
    --check) check=1 ;;
    --tool) tool=$2; shift ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) files+=("$1") ;;
  esac
  shift
done
if ((${#files[@]} == 0)); then
  for f in "$root/README.md"; do
    [[ -f "$f" ]] && grep -q '<!-- ops-table:begin' "$f" && files+=("$f")
  done
  ((${#files[@]})) || { echo "update-ops-table: no README has an <!-- ops-table:begin --> marker" >&2; exit 1; }
fi
if [[ -z "$tool" ]]; then
  tool=$root/build/bin/cnnrt-ops
  if ((!check)); then
    [[ -f "$root/build/CMakeCache.txt" ]] || cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$root/build" --target cnnrt-ops -j"$(nproc)" >/dev/null
  fi
fi
table=$("$tool")

status=0
for f in "${files[@]}"; do
  begins=$(grep -c '<!-- ops-table:begin' "$f" || true)
  ends=$(grep -c '<!-- ops-table:end' "$f" || true)
  if [[ $begins != 1 || $ends != 1 ]]; then
    echo "update-ops-table: $f needs exactly one begin and one end marker (has $begins and $ends)" >&2
    exit 1
  fi
  updated=$(TABLE="$table" awk '
    /<!-- ops-table:begin/ { print; print ENVIRON["TABLE"]; skip = 1; next }
    /<!-- ops-table:end/ { skip = 0 }
    !skip { print }' "$f")
  if ((check)); then
    if ! diff -u --label "$f" --label "cnnrt-ops" "$f" <(printf '%s\n' "$updated"); then
      echo "update-ops-table: the table in $f is stale: run scripts/update-ops-table.sh" >&2
      status=1
    fi
  elif [[ "$(cat "$f")" != "$updated" ]]; then
    printf '%s\n' "$updated" >"$f"
    echo "update-ops-table: updated $f"
  fi
done
exit $status
