#!/usr/bin/env bash
# Configures and builds (Release, or $BUILD_TYPE) into build/ (or
# $BUILD_DIR). Extra arguments go to CMake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
# ccache: paths relative to the checkout and no working directory in the hash
# (it is hashed with -g), so a fresh clone elsewhere still hits the cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
"$root/scripts/deps.sh"
# Ninja for a new tree: it compiles a target's files while the libraries
# it links are still building (Make waits for them), and schedules the
# whole tree at once. An existing tree keeps its generator.
gen=()
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null; then gen=(-G Ninja); fi
cmake -S "$root" -B "$build" ${gen[@]+"${gen[@]}"} "-DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release}" "$@" >/dev/null
# TARGETS (space-separated) limits the build, e.g. TARGETS="unit_tests lstmsim".
if [ -n "${TARGETS:-}" ]; then
  # shellcheck disable=SC2086
  cmake --build "$build" -j"$(nproc)" --target $TARGETS
else
  cmake --build "$build" -j"$(nproc)"
fi
