#!/usr/bin/env bash
# Prints the python3 that holds (or may be given, with pip) the pip release
# of onnx whose node tests the conformance suite generates. Debian's
# /usr/bin/python3 is never it: its onnx is Debian's (the same 1.12 as
# libonnx-testdata) and pip may not install into it (PEP 668).
#   CNNRT_ONNX_PYTHON=/path/to/python3   use that one
#   otherwise                            pyenv's python3, then the first
#                                        other python3 on PATH
# Prints the interpreter's real path (not a pyenv shim); exit 1 if none.
# Used by scripts/install-deps.sh --test and tests/conformance/CMakeLists.txt.
set -uo pipefail

candidates=()
if [[ -n "${CNNRT_ONNX_PYTHON:-}" ]]; then
  candidates=("$CNNRT_ONNX_PYTHON")
else
  pyenv_root=${PYENV_ROOT:-${HOME:-/root}/.pyenv}
  [[ -x "$pyenv_root/shims/python3" ]] && candidates+=("$pyenv_root/shims/python3")
  IFS=: read -r -a path_dirs <<<"${PATH:-}"
  for d in "${path_dirs[@]}"; do
    [[ -x "$d/python3" ]] && candidates+=("$d/python3")
  done
fi
for py in "${candidates[@]}"; do
  # Debian's python3 (and /bin/python3, the same) has prefix /usr; a venv
  # made from it has its own prefix and takes pip installs.
  real=$("$py" -c 'import sys; print(sys.executable if sys.prefix != "/usr" else "")' 2>/dev/null) || continue
  [[ -n "$real" ]] || continue
  echo "$real"
  exit 0
done
exit 1
