#!/usr/bin/env bash
# Installs, builds and opens Podscope on an example manifest with the
# simulated runtime. Without a display it runs the example offscreen instead,
# prints the recorded transitions and saves a screenshot of the window.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_BUILD_DIR:-$here/build}
manifest=${1:-$here/examples/init-containers.yaml}

"$here/scripts/build.sh"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d /tmp/podscope-xdg.XXXXXX)}
chmod 700 "$XDG_RUNTIME_DIR"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$build/src/ui/podscope" "$manifest"
fi
echo "No display: running $(basename "$manifest") offscreen." >&2
QT_QPA_PLATFORM=offscreen "$build/src/ui/podscope" --run --print-transitions --quit-after-run \
  --screenshot "$build/podscope-window.png" "$manifest"
echo "Screenshot of the window: $build/podscope-window.png" >&2
