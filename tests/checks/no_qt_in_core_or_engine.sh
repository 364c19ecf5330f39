#!/usr/bin/env bash
# core and engine are plain C++: no Qt header may be included there.
set -euo pipefail
root=${1:?usage: no_qt_in_core_or_engine.sh SOURCE_DIR}
hits=$(grep -rnE '^\s*#\s*include\s*[<"]Q' "$root/src/core" "$root/src/engine" || true)
if [ -n "$hits" ]; then
  echo "Qt headers included in core/engine (they must stay plain C++):"
  echo "$hits"
  exit 1
fi
echo "ok: no Qt includes in src/core or src/engine"
