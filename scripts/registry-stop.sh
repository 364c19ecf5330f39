#!/usr/bin/env bash
# registry-stop.sh [STATE_DIR]
#
# Stops the private registry that scripts/registry-start.sh started in
# STATE_DIR (default ${PODSCOPE_REGISTRY_DIR:-/tmp/podscope-registry}) and
# removes STATE_DIR with the images pushed to it. Safe to run twice, and
# when nothing was started; never signals a process it did not start.
set -euo pipefail

state_dir=${1:-${PODSCOPE_REGISTRY_DIR:-/tmp/podscope-registry}}

log() { echo "registry-stop: $*" >&2; }
die() { log "$*"; exit 1; }

[ -n "$state_dir" ] || die "empty state directory"
if [ ! -d "$state_dir" ]; then
  log "nothing to stop: $state_dir does not exist"
  exit 0
fi
state_dir=$(cd "$state_dir" && pwd)
[ "$state_dir" != / ] || die "refusing to use / as the state directory"
# Everything below deletes: only act on a directory the start script made.
[ -e "$state_dir/.podscope-registry" ] ||
  die "$state_dir was not made by registry-start.sh (no .podscope-registry); not touching it"

config=$state_dir/config.yml
pid_file=$state_dir/registry.pid

if [ -f "$pid_file" ]; then
  pid=$(cat "$pid_file")
  cmd=""
  if [[ $pid =~ ^[0-9]+$ ]]; then cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || cmd=""; fi
  if [[ $cmd == *"serve $config "* ]]; then
    log "stopping docker-registry (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "docker-registry (pid $pid) ignored SIGTERM for 5s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  elif [ -n "$cmd" ]; then
    log "pid $pid is not this directory's registry ($(echo "$cmd" | cut -c1-60)); leaving it alone"
  fi
fi

rm -rf --one-file-system -- "$state_dir"
[ ! -e "$state_dir" ] || die "could not remove all of $state_dir"
log "removed $state_dir"
