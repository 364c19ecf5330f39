#!/usr/bin/env bash
# The engine reads time only through its Clock; the machine's clocks are read
# in src/engine/host/ alone, so virtual-time runs stay deterministic.
set -euo pipefail
root=${1:?usage: engine_reads_no_wall_clock.sh SOURCE_DIR}
pattern='steady_clock|system_clock|high_resolution_clock|gettimeofday|clock_gettime|\btime\(\s*(NULL|nullptr|0)?\s*\)|gpr_now|std::this_thread::sleep|\bsleep\(|usleep\('
hits=$(grep -rnE "$pattern" "$root/src/engine" --include='*.h' --include='*.cpp' --include='*.cc' \
       | grep -v "^$root/src/engine/host/" || true)
if [ -n "$hits" ]; then
  echo "The engine reads the machine's clock outside src/engine/host/:"
  echo "$hits"
  exit 1
fi
echo "ok: the engine reads time only through its Clock"
