#!/usr/bin/env bash
# Installs the dependencies (Debian 12 packages) and builds Podscope into
# build/ (or $PODSCOPE_BUILD_DIR). Safe to run again: both steps are incremental.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_BUILD_DIR:-$here/build}

"$here/scripts/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${PODSCOPE_BUILD_TYPE:-RelWithDebInfo} >/dev/null
cmake --build "$build" --parallel "$(nproc)"
