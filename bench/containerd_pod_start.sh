#!/usr/bin/env bash
# containerd_pod_start.sh [RUNS]
#
# Whole-program comparison on a private containerd: how long podscope-cli
# takes to run a one-container pod to completion (connect, image lookup,
# sandbox, snapshot, container, task, start, exit, cleanup) against the
# reference `ctr run --rm` of the same image and command, measured in the same
# run. Prints the median of each and their ratio. Needs a build in build/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_BUILD_DIR:-$here/build}
runs=${1:-15}
state=$(mktemp -d /tmp/podscope-bench.XXXXXX)
trap '"$here/scripts/containerd-stop.sh" "$state" >/dev/null 2>&1 || true' EXIT

sock=$("$here/scripts/containerd-start.sh" "$state" 2>/dev/null)
pod=$state/pod.yaml
cat > "$pod" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: bench}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: busybox:1.36, command: ["/bin/true"]}
YAML

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() {
  local out=() start end
  for i in $(seq 1 "$runs"); do
    start=$(now_ns)
    "$@" "$i" >/dev/null 2>&1 || { echo "benchmark command failed: $*" >&2; exit 1; }
    end=$(now_ns)
    out+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${out[@]}" | median
}

# Logs, sandboxes and run locks go under $state, which the clean-up removes.
podscope_run() {
  "$build/src/cli/podscope-cli" run "$pod" --runtime containerd --address "$sock" \
    --state-dir "$state/podscope" --log-dir "$state/logs"
}
ctr_run() { ctr -a "$sock" -n podscope run --rm docker.io/library/busybox:1.36 "bench-ctr-$$-$1" /bin/true; }

# One warm-up each so the page cache holds both programs and the image.
podscope_run 0 >/dev/null 2>&1
ctr_run 0 >/dev/null 2>&1

podscope_us=$(measure podscope_run)
ctr_us=$(measure ctr_run)
ratio=$(awk -v a="$podscope_us" -v b="$ctr_us" 'BEGIN {printf "%.2f", a / b}')
printf 'pod start to cleanup, median of %d runs on containerd %s\n' "$runs" \
  "$(ctr -a "$sock" version 2>/dev/null | awk '/Server:/ {s=1} s && /Version:/ {print $2; exit}')"
printf '  podscope-cli run     %8.1f ms\n' "$(awk -v x="$podscope_us" 'BEGIN {print x / 1000}')"
printf '  ctr run --rm         %8.1f ms\n' "$(awk -v x="$ctr_us" 'BEGIN {print x / 1000}')"
printf '  ratio podscope/ctr   %8s\n' "$ratio"
