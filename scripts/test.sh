#!/usr/bin/env bash
# Installs, builds and runs every test: unit, simulated runtime, GUI
# (offscreen), and the real containerd integration tests, against a private
# containerd that CTest starts and stops itself (scripts/containerd-start.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_BUILD_DIR:-$here/build}

"$here/scripts/build.sh"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d /tmp/podscope-xdg.XXXXXX)}
chmod 700 "$XDG_RUNTIME_DIR"
cd "$build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 600 "$@"
