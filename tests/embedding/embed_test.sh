#!/usr/bin/env bash
# The embedding tests: cnnrt used the way an application outside the source
# tree uses it, from an installed prefix only.
#
#   embed_test.sh install BUILD_DIR PREFIX     cmake --install, then check what landed
#   embed_test.sh exports LIBRARY HEADER       the .so exports exactly the header's functions
#   embed_test.sh cmake   PREFIX SRC WORK shared|static MODEL IMAGE=CLASS...
#   embed_test.sh pkgconf PREFIX SRC WORK shared|static MODEL IMAGE=CLASS...
#       copy SRC (classify.c) to WORK, build it against PREFIX through
#       find_package or pkg-config, and check it classifies each IMAGE as CLASS
#   embed_test.sh python  PREFIX PYTHON MODEL IMAGE=CLASS...
#       the installed Python package finds the installed library by itself
set -euo pipefail
mode=$1
shift
die() { echo "FAIL: $*" >&2; exit 1; }

libdir_of() {  # the prefix's library folder (lib or lib/<multiarch>)
  local pc
  pc=$(find "$1" -name cnnrt.pc -path '*/pkgconfig/*' | head -1)
  [[ -n "$pc" ]] || die "no cnnrt.pc under $1"
  dirname "$(dirname "$pc")"
}

# Runs classify on each IMAGE=CLASS pair and checks the printed class.
classify_all() {
  local exe=$1 model=$2
  shift 2
  for pair in "$@"; do
    local image=${pair%=*} want=${pair##*=} out
    out=$(env -u LD_LIBRARY_PATH "$exe" "$model" "$image") || die "classify $image exited with $?: $out"
    echo "$(basename "$image"): $out"
    [[ "$out" == "class $want "* ]] || die "$image: expected class $want, got '$out'"
  done
}

# Checks how the program links: libcnnrt.so.N needed (shared) or not (static).
check_linkage() {
  local exe=$1 kind=$2 needed
  needed=$(readelf -d "$exe" | grep NEEDED || true)
  if [[ $kind == shared ]]; then
    grep -q 'libcnnrt\.so\.[0-9]' <<<"$needed" || die "$exe does not load libcnnrt.so.N:"$'\n'"$needed"
  else
    ! grep -q libcnnrt <<<"$needed" || die "$exe was linked statically but loads libcnnrt:"$'\n'"$needed"
  fi
}

case $mode in
install)
  build=$1 prefix=$2
  rm -rf "$prefix"
  cmake --install "$build" --prefix "$prefix" >/dev/null
  libdir=$(libdir_of "$prefix")
  for f in "$prefix/include/cnnrt.h" "$libdir/libcnnrt.a" "$libdir/libcnnrt.so" \
           "$libdir/cmake/cnnrt/cnnrtConfig.cmake" "$libdir/cmake/cnnrt/cnnrtConfigVersion.cmake" \
           "$prefix/bin/cnnrt-run" "$prefix/bin/cnnrt-ops"; do
    [[ -e "$f" ]] || die "not installed: $f"
  done
  soname=$(readelf -d "$libdir/libcnnrt.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
  [[ "$soname" =~ ^libcnnrt\.so\.[0-9]+$ ]] || die "SONAME is '$soname', not libcnnrt.so.MAJOR"
  [[ -e "$libdir/$soname" ]] || die "$libdir/$soname (the SONAME link) is missing"
  # Installed tools find the installed library by their RPATH alone.
  env -u LD_LIBRARY_PATH "$prefix/bin/cnnrt-ops" --version | grep -q '^[0-9]' || die "installed cnnrt-ops does not run"
  echo "installed into $prefix (SONAME $soname)"
  ;;

exports)
  lib=$1 header=$2
  exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort)
  declared=$(grep -o 'CNNRT_API [^(]*(' "$header" | grep -o 'cnnrt_[a-z0-9_]*($' | tr -d '(' | sort)
  [[ -n "$declared" ]] || die "no CNNRT_API functions found in $header"
  if [[ "$exported" != "$declared" ]]; then
    echo "exported but not declared:"; comm -23 <(echo "$exported") <(echo "$declared")
    echo "declared but not exported:"; comm -13 <(echo "$exported") <(echo "$declared")
    die "$lib must export exactly the functions of $header"
  fi
  echo "$(wc -l <<<"$exported") symbols exported, all declared in cnnrt.h"
  ;;

cmake | pkgconf)
  prefix=$1 src=$2 work=$3 kind=$4 model=$5
  shift 5
  rm -rf "$work"
  mkdir -p "$work/src"
  cp "$src"/classify.c "$src"/CMakeLists.txt "$work/src/"  # outside the source tree
  if [[ $mode == cmake ]]; then
    static=OFF
    [[ $kind == static ]] && static=ON
    cmake -S "$work/src" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" -DCLASSIFY_STATIC=$static \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON >"$work/configure.log" 2>&1 ||
      { cat "$work/configure.log"; die "configuring against the installed package failed"; }
    cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; die "build failed"; }
    exe=$work/build/classify
  else
    export PKG_CONFIG_PATH
    PKG_CONFIG_PATH=$(libdir_of "$prefix")/pkgconfig
    pkg-config --exists --print-errors 'cnnrt >= 0.1' || die "pkg-config does not find cnnrt >= 0.1"
    cflags=$(pkg-config --cflags cnnrt)
    if [[ $kind == shared ]]; then
      libs="$(pkg-config --libs cnnrt) -Wl,-rpath,$(pkg-config --variable=libdir cnnrt)"
    else
      libs=$(pkg-config --static --libs cnnrt | sed 's/-lcnnrt\b/-l:libcnnrt.a/')
    fi
    exe=$work/classify
    echo "cc -std=c99 ... $cflags ... $libs"
    # shellcheck disable=SC2086  # flags are words
    cc -std=c99 -Wall -Wextra -pedantic -Werror $cflags "$work/src/classify.c" -o "$exe" $libs ||
      die "compiling and linking through pkg-config failed"
  fi
  check_linkage "$exe" "$kind"
  classify_all "$exe" "$model" "$@"
  ;;

python)
  prefix=$1 python=$2 model=$3
  shift 3
  pydir=$(find "$prefix" -type d -name cnnrt -path '*dist-packages*' | head -1)
  [[ -n "$pydir" ]] || die "the Python package is not installed under $prefix"
  for pair in "$@"; do
    env -u CNNRT_LIBRARY -u LD_LIBRARY_PATH PYTHONPATH="$(dirname "$pydir")" PYTHONDONTWRITEBYTECODE=1 \
      "$python" - "$prefix" "$model" "${pair%=*}" "${pair##*=}" <<'PY' || die "the installed Python binding failed"
import os, sys
import numpy as np
import cnnrt
prefix, model_path, image, want = sys.argv[1:]
lib = os.path.realpath(cnnrt._lib.path)
assert lib.startswith(os.path.realpath(prefix) + "/"), f"loaded {lib}, not the installed library"
model = cnnrt.Model(model_path)
if image.endswith(".pb"):
    x = cnnrt.read_tensor(image)[1]
else:
    shape = tuple(d if d is not None else 1 for d in model.inputs[0].shape)
    x = np.fromfile(image, np.float32).reshape(shape)
scores = next(iter(model.session().run([x]).values()))
print(f"{os.path.basename(image)}: class {scores.argmax()} (python, {lib})")
assert scores.argmax() == int(want), f"expected class {want}"
PY
  done
  ;;

*)
  die "unknown mode '$mode'"
  ;;
esac
