#!/usr/bin/env bash
# Prints the python3 that holds the pip packages the tests use for test
# data and comparison only (never a dependency of cnnrt): onnxruntime and
# openvino (benchmark peers), a newer onnx (conformance test data).
# Debian's /usr/bin/python3 is never it: pip may not install into it
# (PEP 668), and its onnx is Debian's.
#   CNNRT_PIP_PYTHON=/path/to/python3   that one
#   otherwise                           the first python3 on PATH that is not
#                                       Debian's (pyenv's on the dev machines),
#                                       else the venv $CNNRT_VENV
#                                       (default ~/.cache/cnnrt/venv)
#   --create                            make that venv if it is missing
#                                       (needs Debian's python3-venv)
# Prints the interpreter's real path (not a pyenv shim); exit 1 if none.
set -uo pipefail
venv=${CNNRT_VENV:-${HOME:-/root}/.cache/cnnrt/venv}

candidates=()
if [[ -n "${CNNRT_PIP_PYTHON:-}" ]]; then
  candidates=("$CNNRT_PIP_PYTHON")
else
  IFS=: read -r -a path_dirs <<<"${PATH:-}"
  for d in "${path_dirs[@]}"; do
    [[ -x "$d/python3" ]] && candidates+=("$d/python3")
  done
  candidates+=("$venv/bin/python3")
fi
for py in "${candidates[@]}"; do
  # Debian's python3 (and /bin/python3, the same) has prefix /usr; a venv
  # made from it has its own prefix and takes pip installs.
  real=$("$py" -c 'import sys; print(sys.executable if sys.prefix != "/usr" else "")' 2>/dev/null) || continue
  [[ -n "$real" ]] || continue
  echo "$real"
  exit 0
done
if [[ "${1:-}" == "--create" && -z "${CNNRT_PIP_PYTHON:-}" ]]; then
  /usr/bin/python3 -m venv "$venv" >&2 || exit 1
  echo "$venv/bin/python3"
  exit 0
fi
exit 1
