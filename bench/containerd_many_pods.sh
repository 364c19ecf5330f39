#!/usr/bin/env bash
# containerd_many_pods.sh [RUNS] [PODS]
#
# PODS (20) one-container busybox pods started at once on a private
# containerd, one podscope-cli process each, against PODS `ctr run -d` of the
# same image, command and log file started at once, in alternate rounds of
# the same run. Measures:
# - wall time from launching them all until containerd has published
#   /tasks/start for every container (the daemon's own timestamps);
# - CPU time (user + system) of the programs themselves, every thread
#   counted (each side's processes run in a CPU accounting cgroup of their
#   own): until all containers run, and over the whole life, deletion
#   included (podscope-cli: SIGTERMed once all run, it deletes its pod and
#   exits; ctr: `ctr task kill`, then after the exit `ctr task rm` and
#   `ctr container rm` for each);
# - for context, the CPU time of containerd itself (not of its shims) while
#   the containers start, and the wall time podscope-cli takes to delete its
#   pods and exit.
# Prints medians over RUNS rounds and ratios. Needs a build in build/.
set -euo pipefail
runs=${1:-5}
pods=${2:-20}
source "$(dirname "$0")/containerd_lib.sh"

ps_all=(); ps_cpu_start=(); ps_cpu_life=(); ps_delete=(); ps_ctrd=()
ctr_all=(); ctr_ret=(); ctr_cpu_start=(); ctr_cpu_life=(); ctr_ctrd=()

podscope_round() {
  local round=$1 prefix=ps-$tag-$1- t0 last k pids=() cg cpu ctrd0 ctrd1 td gone
  for k in $(seq 1 "$pods"); do write_pod "$prefix$k"; done
  cg=$(cgroup_new "ps-$round")
  ctrd0=$(cpu_ns "$containerd_pid")
  t0=$(now_ns)
  for k in $(seq 1 "$pods"); do
    (cgroup_enter "$cg"; podscope_run "$work/$prefix$k.yaml" -o json) > "$work/$prefix$k.json" 2> "$work/$prefix$k.err" &
    pids+=($!)
    bench_pids+=($!)
  done
  last=$(events_ns /tasks/start "$prefix" "$pods" | sort -n | tail -n1)
  cpu=$(cgroup_cpu_ns "$cg")
  ctrd1=$(cpu_ns "$containerd_pid")
  td=$(now_ns)
  for k in "${!pids[@]}"; do kill -TERM "${pids[k]}"; done
  for k in "${!pids[@]}"; do
    wait "${pids[k]}" || { echo "podscope-cli failed:" >&2; cat "$work/$prefix$((k + 1)).err" >&2; exit 1; }
  done
  gone=$(now_ns)
  bench_pids=()
  # Each had one pod to run and nothing else to say.
  for k in $(seq 1 "$pods"); do
    if grep -v '^deleting the pod (signal 15)\.\.\.$' "$work/$prefix$k.err" >&2; then echo "(podscope-cli $prefix$k)" >&2; fi
  done
  [ "$round" = 0 ] && return
  ps_all+=($((last - t0))); ps_cpu_start+=("$cpu"); ps_delete+=($((gone - td))); ps_ctrd+=($((ctrd1 - ctrd0)))
  ps_cpu_life+=("$(cgroup_cpu_ns "$cg")")
}

# ctr_in CGROUP ARGS...: ctr on our daemon and namespace, run in CGROUP.
ctr_in() { local cg=$1; shift; (cgroup_enter "$cg"; exec ctr -a "$sock" -n "$ns" "$@"); }

# The same deletion as podscope-cli's: SIGTERM, the exit, the task, the
# container with its snapshot.
ctr_delete_one() {
  ctr_in "$1" tasks kill "$2"
  event_ns /tasks/exit "$2" >/dev/null
  ctr_in "$1" tasks rm "$2" >/dev/null
  ctr_in "$1" containers rm "$2"
}

ctr_round() {
  local round=$1 prefix=ctr-$tag-$1- t0 returned last k pids=() cg cpu ctrd0 ctrd1
  cg=$(cgroup_new "ctr-$round")
  ctrd0=$(cpu_ns "$containerd_pid")
  t0=$(now_ns)
  for k in $(seq 1 "$pods"); do
    ctr_in "$cg" run -d --log-uri "file://$work/$prefix$k.log" "$image" "$prefix$k" sh -c "$sleeper" \
      > /dev/null 2> "$work/$prefix$k.err" &
    pids+=($!)
    bench_pids+=($!)
  done
  for k in "${!pids[@]}"; do wait "${pids[k]}" || { echo "ctr run failed:" >&2; cat "$work/$prefix$((k + 1)).err" >&2; exit 1; }; done
  returned=$(now_ns)
  bench_pids=()
  last=$(events_ns /tasks/start "$prefix" "$pods" | sort -n | tail -n1)
  cpu=$(cgroup_cpu_ns "$cg")
  ctrd1=$(cpu_ns "$containerd_pid")
  pids=()
  for k in $(seq 1 "$pods"); do ctr_delete_one "$cg" "$prefix$k" 2> "$work/$prefix$k.err" & pids+=($!); done
  for k in "${!pids[@]}"; do wait "${pids[k]}" || { echo "ctr delete failed:" >&2; cat "$work/$prefix$((k + 1)).err" >&2; exit 1; }; done
  [ "$round" = 0 ] && return
  ctr_all+=($((last - t0))); ctr_ret+=($((returned - t0))); ctr_ctrd+=($((ctrd1 - ctrd0)))
  ctr_cpu_start+=("$cpu"); ctr_cpu_life+=("$(cgroup_cpu_ns "$cg")")
}

# A warm-up round each, then alternately, each side first every other time.
podscope_round 0
ctr_round 0
for r in $(seq 1 "$runs"); do
  if (( r % 2 )); then podscope_round "$r"; ctr_round "$r"; else ctr_round "$r"; podscope_round "$r"; fi
done

m_ps=$(med ps_all); m_ctr=$(med ctr_all)
m_ps_cpu=$(med ps_cpu_start); m_ctr_cpu=$(med ctr_cpu_start)
m_ps_life=$(med ps_cpu_life); m_ctr_life=$(med ctr_cpu_life)

printf '%d pods started at once, median of %d rounds on containerd %s (%d CPUs)\n' "$pods" "$runs" "$containerd_version" "$(nproc)"
printf '  %-70s %9s %7s\n' "" "median" "ratio"
printf '  %-70s %6s ms %7s\n' "wall: podscope-cli run x$pods, launch to the last /tasks/start" "$(ms "$m_ps")" "$(ratio "$m_ps" "$m_ctr")"
printf '  %-70s %6s ms %7s\n' "wall: ctr run -d x$pods, launch to the last /tasks/start (reference)" "$(ms "$m_ctr")" "1.00"
printf '  %-70s %6s ms\n' "  ctr run -d x$pods, launch until all returned" "$(ms "$(med ctr_ret)")"
printf '  %-70s %6s ms %7s\n' "cpu: podscope-cli x$pods until all run" "$(ms "$m_ps_cpu")" "$(ratio "$m_ps_cpu" "$m_ctr_cpu")"
printf '  %-70s %6s ms %7s\n' "cpu: ctr run -d x$pods (reference)" "$(ms "$m_ctr_cpu")" "1.00"
printf '  %-70s %6s ms %7s\n' "cpu: podscope-cli x$pods, whole life: start, run, delete" "$(ms "$m_ps_life")" "$(ratio "$m_ps_life" "$m_ctr_life")"
printf '  %-70s %6s ms %7s\n' "cpu: ctr run -d, task kill, task rm, container rm x$pods (reference)" "$(ms "$m_ctr_life")" "1.00"
printf '  %-70s %6s ms\n' "  wall: SIGTERM to podscope-cli x$pods until all exited" "$(ms "$(med ps_delete)")"
printf '  %-70s %6s ms\n' "  containerd's own cpu while podscope's pods start" "$(ms "$(med ps_ctrd)")"
printf '  %-70s %6s ms\n' "  containerd's own cpu while ctr's containers start" "$(ms "$(med ctr_ctrd)")"
printf '  %-70s %s\n' "  each round, podscope-cli / ctr wall (ms):" \
  "$(for r in "${!ps_all[@]}"; do printf '%s/%s ' "$(ms "${ps_all[r]}")" "$(ms "${ctr_all[r]}")"; done)"
check_nothing_left
