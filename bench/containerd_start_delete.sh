#!/usr/bin/env bash
# containerd_start_delete.sh [RUNS]
#
# One busybox container that sleeps, on a private containerd: how long
# podscope-cli takes from its start until the container runs, and from the
# pod's deletion until everything is gone, against `ctr run -d` and
# `ctr task kill` + `ctr task rm` + `ctr container rm` of the same image,
# command and log file, measured alternately in the same run.
#
# Both sides are timed the same way, as whole programs:
# - start: from launching the program to containerd's /tasks/start event for
#   the container (the daemon's own timestamp). `ctr run -d` returns right
#   after that; its return is shown too.
# - delete: from the request (SIGTERM to podscope-cli, which deletes the pod
#   as Ctrl-C does; launching `ctr task kill` for ctr) until everything is
#   gone: podscope-cli has exited (task, container, snapshot and sandbox
#   removed, record written); `ctr container rm` has returned (its task
#   deleted after containerd's /tasks/exit event, snapshot removed with it).
#   The container's shell traps SIGTERM and exits at once, so this is the
#   graceful path, not the grace period's SIGKILL.
# Podscope's own record gives the same two spans inside the engine (from the
# pod's creation, so without process start and connecting): they are shown
# for context. Prints medians and ratios. Needs a build in build/.
set -euo pipefail
runs=${1:-15}
source "$(dirname "$0")/containerd_lib.sh"

settle=0.3  # how long each container runs before it is deleted

# The record's spans, in ns: the container's Waiting->Running transition, and
# from the Killing event to the last transition.
record_spans() {
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
started = next(t["timeNs"] for t in r["transitions"] if t["kind"] == "container" and t["to"] == "Running")
killing = next(e["timeNs"] for e in r["events"] if e["reason"] == "Killing")
print(started, r["transitions"][-1]["timeNs"] - killing)
PY
}

ps_start=(); ps_delete=(); ps_exit=(); ps_rec_start=(); ps_rec_delete=(); ps_before_pod=()
ctr_start=(); ctr_return=(); ctr_delete=(); ctr_exit=(); ctr_seen=()
ps_phase1=(); ps_phase2=(); ps_phase3=(); ctr_phase1=(); ctr_phase2=(); ctr_phase3=()

# The start's three phases, from containerd's events: launch to
# /snapshot/prepare (the program's start, connecting, image look-up; for
# podscope-cli also the pod's creation and its sandbox), to /tasks/create
# (container record, shim, runc create), to /tasks/start.
# phases ID T0 STARTED NAME: appends to NAME_phase1..3.
phases() {
  local prepared created
  prepared=$(event_ns /snapshot/prepare "$1" 1 key)
  created=$(event_ns /tasks/create "$1" 1)
  local -n p1=${4}_phase1 p2=${4}_phase2 p3=${4}_phase3
  p1+=($((prepared - $2))); p2+=($((created - prepared))); p3+=($(($3 - created)))
}

podscope_once() {
  local name=ps-$tag-$1 t0 started td exited gone pid
  write_pod "$name"
  t0=$(now_ns)
  podscope_run "$work/$name.yaml" -o json > "$work/$name.json" 2> "$work/$name.err" &
  pid=$!
  bench_pids+=("$pid")
  started=$(event_ns /tasks/start "$name-c-0-*")
  sleep "$settle"
  td=$(now_ns)
  kill -TERM "$pid"
  wait "$pid" || { echo "podscope-cli failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
  gone=$(now_ns)
  bench_pids=()
  exited=$(event_ns /tasks/exit "$name-c-0-*")
  [ "$1" = 0 ] && return
  read -r rec_started rec_delete < <(record_spans "$work/$name.json")
  ps_start+=($((started - t0))); ps_delete+=($((gone - td))); ps_exit+=($((exited - td)))
  ps_rec_start+=("$rec_started"); ps_rec_delete+=("$rec_delete")
  ps_before_pod+=($((started - t0 - rec_started)))
  phases "$(started_id "$name-c-0-")" "$t0" "$started" ps
}

ctr_once() {
  local id=ctr-$tag-$1 t0 returned started td exited seen gone
  t0=$(now_ns)
  ctrd run -d --log-uri "file://$work/$id.log" "$image" "$id" sh -c "$sleeper" >/dev/null
  returned=$(now_ns)
  started=$(event_ns /tasks/start "$id")
  sleep "$settle"
  watch_events
  td=$(now_ns)
  ctrd tasks kill "$id"
  wait_event /tasks/exit "$id"
  seen=$(now_ns)
  ctrd tasks rm "$id" >/dev/null
  ctrd containers rm "$id"
  gone=$(now_ns)
  exited=$(line_ns "$event_line")
  [ "$1" = 0 ] && return
  ctr_start+=($((started - t0))); ctr_return+=($((returned - t0))); ctr_delete+=($((gone - td)))
  ctr_exit+=($((exited - td))); ctr_seen+=($((seen - exited)))
  phases "$id" "$t0" "$started" ctr
}

# One warm-up each (page cache, image metadata), then alternately, each
# side first every other time.
podscope_once 0
ctr_once 0
for i in $(seq 1 "$runs"); do
  if (( i % 2 )); then podscope_once "$i"; ctr_once "$i"; else ctr_once "$i"; podscope_once "$i"; fi
done

m_ps_start=$(med ps_start); m_ctr_start=$(med ctr_start)
m_ps_delete=$(med ps_delete); m_ctr_delete=$(med ctr_delete)

printf 'one-container pod, start and delete, median of %d runs on containerd %s\n' "$runs" "$containerd_version"
printf '  %-58s %9s %7s\n' "" "median" "ratio"
printf '  %-58s %6s ms %7s\n' "start: podscope-cli run, launch to /tasks/start" "$(ms "$m_ps_start")" "$(ratio "$m_ps_start" "$m_ctr_start")"
printf '  %-58s %6s ms %7s\n' "start: ctr run -d, launch to /tasks/start (reference)" "$(ms "$m_ctr_start")" "1.00"
printf '  %-58s %6s ms\n' "  ctr run -d, launch to return" "$(ms "$(med ctr_return)")"
for side in ps ctr; do
  label=ctr
  [ "$side" = ctr ] || label=podscope-cli
  printf '  %-58s %6s ms\n' "  $label: launch to /snapshot/prepare" "$(ms "$(med "${side}_phase1")")"
  printf '  %-58s %6s ms\n' "  $label: /snapshot/prepare to /tasks/create" "$(ms "$(med "${side}_phase2")")"
  printf '  %-58s %6s ms\n' "  $label: /tasks/create to /tasks/start" "$(ms "$(med "${side}_phase3")")"
done
printf '  %-58s %6s ms\n' "  podscope record: pod created to container Running" "$(ms "$(med ps_rec_start)")"
printf '  %-58s %6s ms\n' "  podscope: launch to pod created (start less record)" "$(ms "$(med ps_before_pod)")"
printf '  %-58s %6s ms %7s\n' "delete: SIGTERM to podscope-cli to its exit" "$(ms "$m_ps_delete")" "$(ratio "$m_ps_delete" "$m_ctr_delete")"
printf '  %-58s %6s ms %7s\n' "delete: ctr task kill, task rm, container rm (reference)" "$(ms "$m_ctr_delete")" "1.00"
printf '  %-58s %6s ms\n' "  podscope: SIGTERM to podscope-cli to /tasks/exit" "$(ms "$(med ps_exit)")"
printf '  %-58s %6s ms\n' "  ctr: launch of ctr task kill to /tasks/exit" "$(ms "$(med ctr_exit)")"
printf '  %-58s %6s ms\n' "  ctr: /tasks/exit to the script seeing it (in ctr's time)" "$(ms "$(med ctr_seen)")"
printf '  %-58s %6s ms\n' "  podscope record: Killing to last transition" "$(ms "$(med ps_rec_delete)")"
check_nothing_left
