#!/usr/bin/env bash
# Installs the Debian packages cnnrt needs, and only those missing, so a
# second run does nothing (no apt-get update either).
#   scripts/install-deps.sh          build + run (library, tools)
#   scripts/install-deps.sh --test   also what the test suite needs
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libdnnl-dev ocl-icd-opencl-dev         # oneDNN (its CMake config needs OpenCL headers)
  libprotobuf-dev protobuf-compiler libonnx-dev
  libstb-dev doctest-dev libcli11-dev nlohmann-json3-dev
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(
    libonnx-testdata                     # ONNX backend node tests (conformance)
    python3 python3-numpy python3-onnx   # test-data scripts under /usr/bin/python3
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
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
