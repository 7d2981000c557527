#!/usr/bin/env bash
# The README's first command: installs the Debian packages cnnrt needs (only
# those missing), builds it (only what changed), and classifies a sample
# image with the embedded Fashion-MNIST model. A second run just classifies.
#   scripts/quickstart.sh            the sample ankle boot
#   scripts/quickstart.sh IMAGE...   your images (Fashion-MNIST style: 28x28, light on dark)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

# Build quietly; show the log only if it fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [[ ! -x build/bin/cnnrt-classify ]]; then
  echo "quickstart: building cnnrt into build/ (the first time takes a few minutes)" >&2
fi
if ! scripts/build.sh >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "quickstart: the build failed (the end of its log is above)" >&2
  exit 1
fi

if (($# == 0)); then
  set -- models/fashion_mnist/samples/ankle_boot_0.png
fi
exec build/bin/cnnrt-classify "$@"
