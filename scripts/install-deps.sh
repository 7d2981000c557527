#!/usr/bin/env bash
# Installs the Debian packages cnnrt needs, and only those missing, so a
# second run does nothing (no apt-get update either). With --test, also
# pip's onnx (for test data only) if the pip python3 lacks it.
#   scripts/install-deps.sh          build + run (library, tools)
#   scripts/install-deps.sh --test   also what the test suite needs
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libdnnl-dev ocl-icd-opencl-dev         # oneDNN (its CMake config needs OpenCL headers)
  libprotobuf-dev protobuf-compiler libonnx-dev
  libstb-dev libturbojpeg0-dev doctest-dev libcli11-dev nlohmann-json3-dev
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(
    libonnx-testdata                     # ONNX backend node tests (conformance)
    python3 python3-numpy python3-onnx   # test-data scripts under /usr/bin/python3
    python3-venv                         # a pip python when there is none but Debian's (scripts/pip-python.sh)
    python3-pil                          # CLI tests read PNGs (tests/cli)
    python3-torch python3-torchvision    # PyTorch exports for the regression suite
    dataset-fashion-mnist                # the embedded model's training data
    valgrind                             # the C API test runs under it too
    clang-14 libclang-rt-14-dev          # libFuzzer and the sanitizer runtimes (scripts/fuzz.sh)
  )
fi

missing=()
for p in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# pip packages for the tests only, never dependencies of cnnrt, in the
# python3 scripts/pip-python.sh names (pyenv's here, else a venv it makes):
# - the benchmark peers onnxruntime and openvino (tests/bench,
#   scripts/bench/compare.py);
# - onnx, whose newer node tests tests/conformance generates at configure
#   time. Pinned, so every machine generates the same cases; an onnx already
#   there is left alone, whatever its version (the suite is named after it).
if [[ "${1:-}" == "--test" ]]; then
  onnx_pip_version=1.23.2
  py=$("$(dirname "$0")/pip-python.sh" --create)
  want=()
  "$py" -c 'import onnxruntime, openvino' 2>/dev/null || want+=(onnxruntime openvino)
  "$py" -c 'import importlib.metadata as m; m.version("onnx")' 2>/dev/null || want+=("onnx==$onnx_pip_version")
  if ((${#want[@]})); then
    echo "install-deps: pip-installing ${want[*]} into $py (tests only)"
    "$py" -m pip install --quiet --disable-pip-version-check "${want[@]}"
  fi
fi
