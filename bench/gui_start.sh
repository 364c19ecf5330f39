#!/usr/bin/env bash
# gui_start.sh [RUNS]
#
# The desktop app's cold start and idle memory against a reference window
# measured in the same run: `podscope --report-startup FILE` and
# bench/gui_reference.cpp (a bare Qt main window with a QScintilla YAML
# editor holding the same file) each print the milliseconds from their
# launch to their first painted window and, after two idle seconds, their
# resident memory. Both run RUNS times, alternating, on one Xvfb server (a
# real X display, as a user's desktop; the offscreen platform paints
# nothing to a screen). Prints medians and ratios. Needs a build in build/
# (or PODSCOPE_BUILD_DIR) and xvfb-run.
set -euo pipefail
runs=${1:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_BUILD_DIR:-$here/build}
app=$build/src/ui/podscope
reference=$build/bench/podscope_bench_gui_reference
manifest=$here/examples/init-containers.yaml
for program in "$app" "$reference"; do
  [ -x "$program" ] || { echo "gui_start: $program is missing; build first (scripts/build.sh)" >&2; exit 1; }
done
command -v xvfb-run >/dev/null || { echo "gui_start: xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }

if [ -z "${PODSCOPE_GUI_START_INNER:-}" ]; then
  export PODSCOPE_GUI_START_INNER=1
  exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" "$@"
fi

work=$(mktemp -d /tmp/podscope-gui-start.XXXXXX)
trap 'rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR=$work/xdg
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# A home of its own: no remembered layout, recent files or unsaved buffers.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
mkdir -p "$HOME"

measure() {  # label command...
  local label=$1
  shift
  local out
  out=$("$@" 2>/dev/null) || true
  local paint rss
  paint=$(awk '/^first-paint-ms/ {print $2}' <<< "$out")
  rss=$(awk '/^idle-rss-kb/ {print $2}' <<< "$out")
  [ -n "$paint" ] && [ -n "$rss" ] || { echo "gui_start: $label printed no figures" >&2; exit 1; }
  echo "$paint" >> "$work/$label.paint"
  echo "$rss" >> "$work/$label.rss"
}

# One warm-up each: the first launch also reads every library from disk.
measure warmup "$app" --report-startup "$manifest"
measure warmup "$reference" "$manifest"
for i in $(seq 1 "$runs"); do
  if (( i % 2 )); then
    measure podscope "$app" --report-startup "$manifest"
    measure reference "$reference" "$manifest"
  else
    measure reference "$reference" "$manifest"
    measure podscope "$app" --report-startup "$manifest"
  fi
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
p_paint=$(median "$work/podscope.paint"); r_paint=$(median "$work/reference.paint")
p_rss=$(median "$work/podscope.rss"); r_rss=$(median "$work/reference.rss")
printf '%-62s %10s %8s\n' "" median ratio
printf '%-62s %7.1f ms %8.2f\n' "podscope: launch to first painted window (target < 500 ms)" "$p_paint" \
  "$(awk -v a="$p_paint" -v b="$r_paint" 'BEGIN {print a / b}')"
printf '%-62s %7.1f ms %8.2f\n' "reference Qt + QScintilla window" "$r_paint" 1
printf '%-62s %7.1f MB %8.2f\n' "podscope: resident memory when idle (target < 120 MB)" \
  "$(awk -v k="$p_rss" 'BEGIN {print k / 1024}')" "$(awk -v a="$p_rss" -v b="$r_rss" 'BEGIN {print a / b}')"
printf '%-62s %7.1f MB %8.2f\n' "reference Qt + QScintilla window" "$(awk -v k="$r_rss" 'BEGIN {print k / 1024}')" 1
echo "$runs runs each, alternating, after one warm-up each"
