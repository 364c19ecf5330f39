#!/usr/bin/env bash
# Builds the manifest reader's libFuzzer target (clang, ASan + UBSan) into
# build-fuzz/ (or $PODSCOPE_FUZZ_BUILD_DIR) and fuzzes it for SECONDS
# (default 60), starting from tests/fuzz/corpus. Exits non-zero on any crash,
# leak, timeout or out-of-memory, and prints the input that caused it.
#
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#   build-fuzz/manifest_fuzzer CRASH-FILE      replays one input
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_FUZZ_BUILD_DIR:-$here/build-fuzz}
seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))

cxx=${PODSCOPE_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}
if [ -z "$cxx" ]; then
  echo "fuzz: clang++ not found; scripts/install-deps.sh installs it" >&2
  exit 2
fi

cmake -S "$here/tests/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$build" --parallel "$(nproc)"

# The run works on a copy, so new inputs libFuzzer saves never dirty the
# checkout; the copy and any reproducers stay in the build directory until
# the next run.
run="$build/run"
rm -rf "$run"
mkdir -p "$run/corpus" "$run/artifacts"
cp -R "$here/tests/fuzz/corpus/." "$run/corpus/"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer); then
  export ASAN_SYMBOLIZER_PATH=$symbolizer
fi

status=0
"$build/manifest_fuzzer" "$run/corpus" \
  -dict="$here/tests/fuzz/manifest.dict" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$run/artifacts/" -print_final_stats=1 "$@" || status=$?

found=$(find "$run/artifacts" -type f | sort)
if [ "$status" -ne 0 ] || [ -n "$found" ]; then
  echo "fuzz: FAILED (exit $status)" >&2
  for f in $found; do
    echo "fuzz: reproducer: $f" >&2
    echo "fuzz:   replay with: $build/manifest_fuzzer $f" >&2
  done
  echo "fuzz: keep a fixed one as a regression in tests/fuzz/corpus/regressions/" >&2
  exit $((status == 0 ? 1 : status))
fi
echo "fuzz: no crash in ${seconds} s"
