#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) into build-fuzz/ (or
# $PODSCOPE_FUZZ_BUILD_DIR) and fuzzes them for SECONDS in all (default 60):
#   manifest  the manifest reader (manifest_fuzzer, from tests/fuzz/corpus)
#   record    the run and rollout record readers (record_fuzzer, from
#             tests/fuzz/record-corpus)
# With no TARGET (or `all`) both run, one after the other, each for half of
# SECONDS. Exits non-zero on any crash, leak, timeout, out-of-memory or
# broken invariant, and prints the inputs that caused them.
#
#   scripts/fuzz.sh [SECONDS] [TARGET] [extra libFuzzer flags...]
#   build-fuzz/record_fuzzer CRASH-FILE        replays one input
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_FUZZ_BUILD_DIR:-$here/build-fuzz}
seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))
target=all
case "${1:-}" in
  manifest | record | all) target=$1; shift ;;
  -*) ;;  # libFuzzer flags, as before TARGET existed
  "") ;;
  *)
    echo "fuzz: unknown target '$1' (expected manifest, record or all)" >&2
    exit 2
    ;;
esac
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "fuzz: SECONDS must be a whole number of seconds, at least 1; got '$seconds'" >&2
  exit 2
fi

# What each target reads: its corpus and its dictionary.
corpus_of() { case $1 in manifest) echo corpus ;; record) echo record-corpus ;; esac; }
dict_of() { case $1 in manifest) echo manifest.dict ;; record) echo record.dict ;; esac; }
if [ "$target" = all ]; then targets=(manifest record); else targets=("$target"); fi

cxx=${PODSCOPE_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}
if [ -z "$cxx" ]; then
  echo "fuzz: clang++ not found; scripts/install-deps.sh installs it" >&2
  exit 2
fi

cmake -S "$here/tests/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]/%/_fuzzer}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer); then
  export ASAN_SYMBOLIZER_PATH=$symbolizer
fi

# The time is shared out so the whole run takes SECONDS; the first target
# gets the odd second.
count=${#targets[@]}
failed=0
for i in "${!targets[@]}"; do
  name=${targets[$i]}
  share=$(((seconds + count - 1 - i) / count))
  [ "$share" -ge 1 ] || share=1
  fuzzer="$build/${name}_fuzzer"
  corpus=$(corpus_of "$name")

  # Each run works on a copy, so new inputs libFuzzer saves never dirty the
  # checkout; the copy and any reproducers stay in the build directory until
  # the next run.
  run="$build/run/$name"
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/artifacts"
  cp -R "$here/tests/fuzz/$corpus/." "$run/corpus/"

  echo "fuzz: $name for ${share} s"
  status=0
  "$fuzzer" "$run/corpus" \
    -dict="$here/tests/fuzz/$(dict_of "$name")" \
    -max_total_time="$share" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$run/artifacts/" -print_final_stats=1 "$@" || status=$?

  found=$(find "$run/artifacts" -type f | sort)
  if [ "$status" -ne 0 ] || [ -n "$found" ]; then
    echo "fuzz: $name FAILED (exit $status)" >&2
    for f in $found; do
      echo "fuzz: reproducer: $f" >&2
      echo "fuzz:   replay with: $fuzzer $f" >&2
    done
    echo "fuzz: keep a fixed one as a regression in tests/fuzz/$corpus/regressions/" >&2
    [ "$failed" -ne 0 ] || failed=$((status == 0 ? 1 : status))
  else
    echo "fuzz: $name: no crash in ${share} s"
  fi
done
exit "$failed"
