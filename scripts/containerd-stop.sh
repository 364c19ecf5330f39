#!/usr/bin/env bash
# containerd-stop.sh [STATE_DIR]
#
# Stops the private containerd that scripts/containerd-start.sh started in
# STATE_DIR (default ${PODSCOPE_CONTAINERD_DIR:-/tmp/podscope-containerd}),
# with every task it still runs, unmounts whatever is left mounted under
# STATE_DIR (overlay rootfs, namespace bind mounts) and removes STATE_DIR.
# Safe to run twice, and when nothing was started.
set -euo pipefail

state_dir=${1:-${PODSCOPE_CONTAINERD_DIR:-/tmp/podscope-containerd}}

log() { echo "containerd-stop: $*" >&2; }
die() { log "$*"; exit 1; }

[ -n "$state_dir" ] || die "empty state directory"
if [ ! -d "$state_dir" ]; then
  log "nothing to stop: $state_dir does not exist"
  exit 0
fi
state_dir=$(cd "$state_dir" && pwd)
[ "$state_dir" != / ] || die "refusing to use / as the state directory"
# Everything below deletes: only act on a directory the start script made.
[ -e "$state_dir/.podscope-containerd" ] ||
  die "$state_dir was not made by containerd-start.sh (no .podscope-containerd); not touching it"

sock=$state_dir/containerd.sock
config=$state_dir/config.toml
pid_file=$state_dir/containerd.pid

# Processes whose command line names this daemon (the daemon itself, by its
# config, and its shims, by its socket), so nothing else is ever signalled.
our_processes() {
  local dir pid cmd
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    cmd=$(tr '\0' ' ' 2>/dev/null < "$dir/cmdline") || continue
    case "$cmd" in
      *"--config $config "*|*"-address $sock "*) echo "$pid" ;;
    esac
  done
}

wait_gone() {
  local pid=$1 i
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

daemon_pid=""
if [ -f "$pid_file" ]; then
  pid=$(cat "$pid_file")
  cmd=""
  if [[ $pid =~ ^[0-9]+$ ]]; then cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || cmd=""; fi
  if [[ $cmd == *"--config $config "* ]]; then daemon_pid=$pid; fi
fi

# ctr would wait for a socket nobody serves, so only ask a live daemon.
if [ -n "$daemon_pid" ] && [ -S "$sock" ] && ctr -a "$sock" version >/dev/null 2>&1; then
  # Tasks first: shims and containers outlive the daemon otherwise.
  for ns in $(ctr -a "$sock" namespaces ls -q 2>/dev/null); do
    for task in $(ctr -a "$sock" -n "$ns" tasks ls -q 2>/dev/null); do
      ctr -a "$sock" -n "$ns" tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true
      ctr -a "$sock" -n "$ns" tasks delete -f "$task" >/dev/null 2>&1 || true
    done
  done
fi

if [ -n "$daemon_pid" ]; then
  log "stopping containerd (pid $daemon_pid)"
  kill -TERM "$daemon_pid" 2>/dev/null || true
  if ! wait_gone "$daemon_pid"; then
    log "containerd (pid $daemon_pid) ignored SIGTERM for 10s; killing it"
    kill -KILL "$daemon_pid" 2>/dev/null || true
    wait_gone "$daemon_pid" || true
  fi
fi
rm -f "$pid_file"

# A daemon that died left its containers to their shims: end them through
# runc, found by the task bundles this daemon kept in its state directory.
for bundle in "$state_dir"/state/io.containerd.runtime.v2.task/*/*; do
  [ -d "$bundle" ] || continue
  id=${bundle##*/}
  ns=${bundle%/*}
  ns=${ns##*/}
  runc --root "/run/containerd/runc/$ns" delete --force "$id" >/dev/null 2>&1 || true
done

for pid in $(our_processes); do
  log "killing leftover process $pid ($(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | cut -c1-80))"
  kill -KILL "$pid" 2>/dev/null || true
done

under_state_dir() { awk -v p="$state_dir/" 'index($0, p) == 1'; }

# Deepest first, so a parent is never detached before what is mounted inside
# it; lazily, so a busy mount cannot stop the clean-up.
unmount_all() {
  local target
  findmnt -rn -o TARGET | under_state_dir | sort -r |
    while read -r target; do
      # findmnt escapes blanks as \x20 and so on; undo that for umount.
      target=$(printf '%b' "$target")
      umount -l -- "$target" 2>/dev/null || log "could not unmount $target"
    done
}
unmount_all
if [ -n "$(findmnt -rn -o TARGET | under_state_dir)" ]; then
  unmount_all
fi

# --one-file-system: should anything still be mounted below, skip it rather
# than delete files through it.
rm -rf --one-file-system -- "$state_dir"
if [ -e "$state_dir" ]; then
  die "could not remove all of $state_dir"
fi
log "removed $state_dir"
