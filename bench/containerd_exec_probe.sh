#!/usr/bin/env bash
# containerd_exec_probe.sh [RUNS]
#
# An exec readiness probe's round trip on a private containerd against
# `ctr task exec` of the same command in the same container, measured in
# the same run. A one-container busybox pod whose readiness probe runs
# `cat /tmp/x` every second runs for about RUNS seconds under
# `podscope-cli run --probes -o json`; its record gives each attempt's
# duration (from the prober asking for the exec until its result is back:
# task lookup, exec, start, exit event, process deletion, output). Between
# two probes, half a period after each, the script times
# `ctr task exec --exec-id ID CONTAINER cat /tmp/x` in that same container,
# and `ctr version` (ctr's process start, connection and one call), so the
# share of ctr's time that is its own start-up can be told apart. Prints
# medians and ratios. Needs a build in build/.
set -euo pipefail
runs=${1:-20}
source "$(dirname "$0")/containerd_lib.sh"

name=probe-$tag
cat > "$work/$name.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $name}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 5
  containers:
  - name: c
    image: busybox:1.36
    command: ["sh", "-c", "echo ok > /tmp/x; $sleeper"]
    readinessProbe:
      exec: {command: [cat, /tmp/x]}
      periodSeconds: 1
YAML

podscope_run "$work/$name.yaml" --probes -o json > "$work/$name.json" 2> "$work/$name.err" &
pid=$!
bench_pids+=("$pid")
event_ns /tasks/start "$name-c-0-*" >/dev/null
container=$(started_id "$name-c-0-")
# The first probe runs about 1 s after the start (initialDelaySeconds 0, then
# the period); the ctr calls go half a period after each probe.
sleep 1.5

ctr_exec=(); ctr_version=()
timed() {
  local a b
  a=$(now_ns)
  "$@" >/dev/null
  b=$(now_ns)
  echo $((b - a))
}
# One warm-up each.
ctrd tasks exec --exec-id "bench-warm" "$container" cat /tmp/x >/dev/null
ctr -a "$sock" version >/dev/null
next=$(( $(now_ns) + 1000000000 ))
for i in $(seq 1 "$runs"); do
  # Alternate the order of the two ctr calls; keep to the period.
  if (( i % 2 )); then
    ctr_exec+=("$(timed ctrd tasks exec --exec-id "bench-$i" "$container" cat /tmp/x)")
    ctr_version+=("$(timed ctr -a "$sock" version)")
  else
    ctr_version+=("$(timed ctr -a "$sock" version)")
    ctr_exec+=("$(timed ctrd tasks exec --exec-id "bench-$i" "$container" cat /tmp/x)")
  fi
  wait_ns=$(( next - $(now_ns) ))
  if (( wait_ns > 0 )); then sleep "$(awk -v n="$wait_ns" 'BEGIN {printf "%.3f", n / 1e9}')"; fi
  next=$(( next + 1000000000 ))
done
kill -TERM "$pid"
wait "$pid" || { echo "podscope-cli failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
bench_pids=()

# Every readiness attempt while the pod ran; all must have passed.
probe_ns=$(python3 - "$work/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
# Those that began before the deletion: one in flight then may end in error.
killing = next(e["timeNs"] for e in r["events"] if e["reason"] == "Killing")
attempts = [a for a in r["attempts"] if a["kind"] == "readinessProbe" and a["timeNs"] < killing]
bad = [a for a in attempts if a["result"] != "success"]
if bad:
    sys.exit("probe attempts did not pass: %r" % bad[:3])
for a in attempts:
    print(a["durationNs"])
PY
)
probes=$(wc -l <<< "$probe_ns")
m_probe=$(median <<< "$probe_ns")
m_exec=$(med ctr_exec)
m_version=$(med ctr_version)
# Paired: each ctr exec less the ctr version next to it.
m_net=$(for i in "${!ctr_exec[@]}"; do echo $(( ctr_exec[i] - ctr_version[i] )); done | median)

printf 'exec probe round trip, %d probe attempts and %d ctr calls each, medians, containerd %s\n' \
  "$probes" "$runs" "$containerd_version"
printf '  %-62s %9s %7s\n' "" "median" "ratio"
printf '  %-62s %6s ms %7s\n' "podscope readiness probe exec [cat /tmp/x] (record)" "$(ms "$m_probe")" "$(ratio "$m_probe" "$m_exec")"
printf '  %-62s %6s ms %7s\n' "ctr task exec cat /tmp/x, whole program (reference)" "$(ms "$m_exec")" "1.00"
printf '  %-62s %6s ms\n' "  ctr version (ctr's start, connect, one call)" "$(ms "$m_version")"
printf '  %-62s %6s ms %7s\n' "  ctr task exec less ctr version (paired)" "$(ms "$m_net")" "$(ratio "$m_probe" "$m_net")"
printf '  %-62s %6s ms\n' "  fastest probe attempt" "$(ms "$(sort -n <<< "$probe_ns" | head -n1)")"
printf '  %-62s %6s ms\n' "  slowest probe attempt" "$(ms "$(sort -n <<< "$probe_ns" | tail -n1)")"
check_nothing_left
