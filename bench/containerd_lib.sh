# containerd_lib.sh: shared by the bench/containerd_*.sh benchmarks (sourced,
# not run). Starts a private containerd in a fresh state directory, watches
# its event stream, and removes everything at exit, on failure too.
#
# The times the benchmarks take from containerd's events are the daemon's
# own timestamps (the same system clock as `date +%s%N`), so reading the
# event log late never adds to a figure taken from them. Where a benchmark
# must wait for an event inside a timed span, wait_event keeps the delay
# small, and the benchmark shows how small.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PODSCOPE_BUILD_DIR:-$here/build}
cli=$build/src/cli/podscope-cli
ns=podscope
image=docker.io/library/busybox:1.36
# A shell that ends on SIGTERM: a bare `sleep` as PID 1 ignores it.
sleeper="trap 'exit 0' TERM; sleep 3600 & wait"

[ -x "$cli" ] || { echo "no $cli: build podscope-cli first (or set PODSCOPE_BUILD_DIR)" >&2; exit 1; }

state=$(mktemp -d /tmp/podscope-bench.XXXXXX)
work=$state/work
mkdir -p "$work"
# Random per run: runc keeps every daemon's containers of one namespace under
# /run/containerd/runc/podscope, so ids must not meet another daemon's.
tag=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
events_pid=""
start_pid=""
bench_pids=()
cgroup_root=""

bench_cleanup() {
  local pid
  # PODSCOPE_BENCH_KEEP=DIR keeps the run's files (pods, records, errors,
  # containerd's events) for a look after a failure.
  if [ -n "${PODSCOPE_BENCH_KEEP:-}" ]; then mkdir -p "$PODSCOPE_BENCH_KEEP" && cp -r "$work" "$PODSCOPE_BENCH_KEEP/" 2>/dev/null || true; fi
  for pid in "${bench_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$events_pid" ]; then kill "$events_pid" 2>/dev/null || true; wait "$events_pid" 2>/dev/null || true; fi
  # An interrupted start finishes first, so that nothing it starts outlives
  # the clean-up.
  if [ -n "$start_pid" ]; then wait "$start_pid" 2>/dev/null || true; fi
  # Stops the daemon with every task, unmounts and removes $state (the
  # pods' sandboxes and logs are in it too).
  "$here/scripts/containerd-stop.sh" "$state" >/dev/null 2>&1 || true
  # Empty once their processes are gone, which the daemon's end sees to.
  [ -z "$cgroup_root" ] || rmdir "$cgroup_root/podscope-bench-$tag-"* 2>/dev/null || true
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

"$here/scripts/containerd-start.sh" "$state" > "$work/address" 2>/dev/null &
start_pid=$!
wait "$start_pid"
sock=$(cat "$work/address")
ctrd() { ctr -a "$sock" -n "$ns" "$@"; }
containerd_version=$(ctr -a "$sock" version 2>/dev/null | awk '/Server:/ {s=1} s && /Version:/ {print $2; exit}')
containerd_pid=$(cat "$state/containerd.pid")

events=$work/events.log
ctr -a "$sock" events > "$events" 2>/dev/null &
events_pid=$!
# The watcher is live once it has seen an event published after it started.
for _ in $(seq 1 100); do
  ctr -a "$sock" -n "$ns" images label "$image" podscope.io/bench="$tag" >/dev/null 2>&1
  grep -q '/images/update' "$events" && break
  sleep 0.05
done
grep -q '/images/update' "$events" || { echo "no events from containerd" >&2; exit 1; }

# Podscope's runs keep their sandboxes, locks and logs inside $state.
ps_state=$state/podscope
ps_logs=$state/logs
# `podscope_run FILE ARGS... &` leaves $! the pid of podscope-cli itself.
podscope_run() { exec "$cli" run "$@" --runtime containerd --address "$sock" --state-dir "$ps_state" --log-dir "$ps_logs"; }

now_ns() { date +%s%N; }
# med ARRAY_NAME: the median of a bash array's values, which must be as
# many as the runs asked for.
med() {
  local -n values=$1
  [ "${#values[@]}" -eq "$runs" ] || { echo "$1: ${#values[@]} values, expected $runs" >&2; exit 1; }
  printf '%s\n' "${values[@]}" | median
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { awk -v x="$1" 'BEGIN {printf "%.1f", x / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
# CPU time (user + system) of a live process so far, in ns (clock ticks).
cpu_ns() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f\n", ($14 + $15) * 1e9 / hz}' "/proc/$1/stat"; }

# CPU accounting groups, so that the CPU time of processes and of all their
# threads, exited ones included, can be read at any moment to the
# nanosecond. cgroup_new NAME prints the group's directory;
# `(cgroup_enter DIR; exec CMD...) &` runs CMD in it; cgroup_cpu_ns DIR
# prints the CPU time used in it so far.
if [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then
  cgroup_root=/sys/fs/cgroup/cpuacct
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  cgroup_root=/sys/fs/cgroup
else
  cgroup_root=""
fi
cgroup_new() {
  [ -n "$cgroup_root" ] || { echo "no cgroup v1 cpuacct or cgroup v2 hierarchy to account CPU time in" >&2; return 1; }
  local dir=$cgroup_root/podscope-bench-$tag-$1
  mkdir "$dir"
  echo "$dir"
}
cgroup_enter() { echo "$BASHPID" > "$1/cgroup.procs"; }
cgroup_cpu_ns() {
  if [ -f "$1/cpuacct.usage" ]; then cat "$1/cpuacct.usage"; else awk '$1 == "usage_usec" {print $2 * 1000}' "$1/cpu.stat"; fi
}

# event_ns TOPIC ID [TIMEOUT_S] [FIELD]: waits for the first TOPIC event whose
# container id (or FIELD: `key` for snapshots, `id` for containers) is ID, or
# starts with ID when ID ends in '*', and prints its timestamp in ns.
event_ns() {
  local topic=$1 id=$2 limit=${3:-30} field=${4:-container_id} line="" deadline
  local pattern="\"$field\":\"${id%\*}"
  [[ $id == *\* ]] || pattern+='"'
  deadline=$(( $(date +%s) + limit ))
  while [ -e "$events" ]; do
    line=$(grep -F " $topic " "$events" | grep -F -m1 "$pattern" || true)
    [ -n "$line" ] && break
    [ "$(date +%s)" -lt "$deadline" ] || { echo "no $topic event for $id within ${limit}s" >&2; return 1; }
    sleep 0.002
  done
  [ -n "$line" ] || return 1
  # "2026-11-22 03:32:40.615623627 +0000 UTC podscope /tasks/start {...}"
  date -d "$(awk '{print $1, $2, $3}' <<< "$line")" +%s%N
}

# For waits inside a timed span, without a process per look: watch_events
# opens the event log at its end; wait_event TOPIC ID then reads on from
# there (a millisecond's pause at its end, no fork) until a TOPIC event for
# container ID, and leaves it in $event_line.
exec {pause_fd}<> <(:)
watch_fd=""
watch_events() {
  [ -z "$watch_fd" ] || exec {watch_fd}<&-
  exec {watch_fd}< "$events"
  while IFS= read -r -u "$watch_fd" _; do :; done
  watch_partial=""
}
wait_event() {
  local topic=$1 id=$2 line deadline=$(( SECONDS + ${3:-30} ))
  while (( SECONDS < deadline )); do
    if IFS= read -r -u "$watch_fd" line; then
      line=$watch_partial$line
      watch_partial=""
      if [[ $line == *" $topic "*"\"container_id\":\"$id\""* ]]; then
        event_line=$line
        return 0
      fi
    else
      watch_partial+=$line
      read -r -t 0.001 -u "$pause_fd" _ || true
    fi
  done
  echo "no $topic event for $id within ${3:-30}s" >&2
  return 1
}
# The id of the first container whose task started with an id beginning
# with PREFIX.
started_id() { grep -F ' /tasks/start ' "$events" | grep -o "\"container_id\":\"$1[^\"]*" | head -n1 | cut -d'"' -f4; }
line_ns() { date -d "$(awk '{print $1, $2, $3}' <<< "$1")" +%s%N; }

# events_ns TOPIC PREFIX COUNT [TIMEOUT_S]: the timestamps of the first COUNT
# TOPIC events for container ids starting with PREFIX, one a line.
events_ns() {
  local topic=$1 prefix=$2 count=$3 limit=${4:-60} deadline lines=""
  deadline=$(( $(date +%s) + limit ))
  while [ -e "$events" ]; do
    lines=$(grep -F " $topic " "$events" | grep -F "\"container_id\":\"$prefix" || true)
    [ -n "$lines" ] && [ "$(wc -l <<< "$lines")" -ge "$count" ] && break
    [ "$(date +%s)" -lt "$deadline" ] || { echo "fewer than $count $topic events for $prefix* within ${limit}s" >&2; return 1; }
    sleep 0.01
  done
  [ -n "$lines" ] || return 1
  head -n "$count" <<< "$lines" | while read -r d t z _; do date -d "$d $t $z" +%s%N; done
}

# Says what is left in the namespace and in Podscope's state directory
# (sandboxes, run locks, mounts); fails when anything is.
check_nothing_left() {
  local left
  left=$( { ctrd tasks ls -q; ctrd containers ls -q; ctrd snapshots ls | awk 'NR > 1 && $NF != "Committed" {print $1}';
            ls -A "$ps_state/sandboxes" "$ps_state/runs" 2>/dev/null | grep -v -e '^/' -e '^$';
            findmnt -rn -o TARGET | grep -F "$ps_state/"; } || true)
  if [ -n "$left" ]; then
    echo "left behind in namespace $ns or $ps_state:" >&2
    echo "$left" >&2
    return 1
  fi
  echo "nothing left behind (tasks, containers, active snapshots, sandboxes, run locks, mounts)"
}

# write_pod NAME: $work/NAME.yaml, a one-container busybox pod running
# $sleeper (the same image and command the ctr side runs).
write_pod() {
  cat > "$work/$1.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 5
  containers:
  - name: c
    image: busybox:1.36
    command: ["sh", "-c", "$sleeper"]
YAML
}
