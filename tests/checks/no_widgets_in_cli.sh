#!/usr/bin/env bash
# podscope-cli runs on servers: it may draw reports with Qt's GUI module
# (src/render) but must not pull in Qt Widgets, in its sources or in the
# libraries the built program loads.
#   no_widgets_in_cli.sh SOURCE_DIR [PODSCOPE_CLI]
set -euo pipefail
root=${1:?usage: no_widgets_in_cli.sh SOURCE_DIR [PODSCOPE_CLI]}
cli=${2:-}
hits=$(grep -rnE '^\s*#\s*include\s*[<"](QtWidgets/|QApplication|QWidget|QDialog|QMainWindow|QFileDialog|QMessageBox|ui/)' \
         "$root/src/render" "$root/src/cli" || true)
if [ -n "$hits" ]; then
  echo "widget headers included in src/render or src/cli (podscope-cli must run without them):"
  echo "$hits"
  exit 1
fi
if [ -n "$cli" ]; then
  if ldd "$cli" | grep -q 'libQt6Widgets'; then
    echo "$cli loads Qt Widgets:"
    ldd "$cli" | grep -i qt
    exit 1
  fi
fi
echo "ok: no widgets in src/render, src/cli${cli:+ or what $cli loads}"
