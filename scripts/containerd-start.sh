#!/usr/bin/env bash
# containerd-start.sh [STATE_DIR]
#
# Starts a private containerd for Podscope (tests, demos) and prints its
# socket address on stdout; everything else goes to stderr, so
#   sock=$(scripts/containerd-start.sh)
# works. STATE_DIR defaults to ${PODSCOPE_CONTAINERD_DIR:-/tmp/podscope-containerd}.
#
# The daemon keeps its root, state, sockets and log under STATE_DIR and never
# touches a system containerd (/run/containerd/containerd.sock). Running the
# script again while it is up only prints the address. The busybox test image
# (scripts/make-test-image.sh) is imported into namespace "podscope" under the
# names the examples use. Stop it with scripts/containerd-stop.sh STATE_DIR.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state_dir=${1:-${PODSCOPE_CONTAINERD_DIR:-/tmp/podscope-containerd}}
namespace=podscope
image_names=(
  docker.io/library/busybox:latest
  docker.io/library/busybox:1.30
  docker.io/library/busybox:1.36
  registry.k8s.io/busybox:latest
)

log() { echo "containerd-start: $*" >&2; }
die() { log "$*"; exit 1; }

[ -n "$state_dir" ] || die "empty state directory"
mkdir -p "$state_dir"
state_dir=$(cd "$state_dir" && pwd)
[ "$state_dir" != / ] || die "refusing to use / as the state directory"

sock=$state_dir/containerd.sock
# A unix socket path longer than sun_path (108 bytes) cannot be bound.
if [ ${#sock} -ge 108 ]; then
  die "socket path too long for a unix socket (${#sock} >= 108 bytes): $sock; pass a shorter STATE_DIR"
fi
config=$state_dir/config.toml
pid_file=$state_dir/containerd.pid
log_file=$state_dir/containerd.log
marker=$state_dir/.podscope-containerd

[ "$(id -u)" -eq 0 ] || die "containerd needs root; run this script as root"
for tool in containerd ctr runc containerd-shim-runc-v2; do
  command -v "$tool" >/dev/null || die "$tool not found; run scripts/install-deps.sh"
done

# ctr waits up to 10s for a socket that does not exist yet; only ask once
# there is one.
answers() { [ -S "$sock" ] && ctr -a "$sock" version >/dev/null 2>&1; }

our_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # Only a containerd started with this state directory's config counts: the
  # pid may have been reused since.
  local cmd
  cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || return 1
  [[ $cmd == *"--config $config "* ]] || return 1
  echo "$pid"
}

if our_pid >/dev/null && answers; then
  log "already running (pid $(our_pid))"
else
  if [ -S "$sock" ] && answers; then
    die "another containerd already answers on $sock; stop it first"
  fi
  touch "$marker"
  mkdir -p "$state_dir/root" "$state_dir/state" "$state_dir/opt"
  cat > "$config" <<EOF
# Written by scripts/containerd-start.sh: a containerd private to Podscope.
version = 2
root = "$state_dir/root"
state = "$state_dir/state"
# The CRI plugin and the snapshotters this machine cannot use only cost start-up time.
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = "$sock"

[ttrpc]
  address = "$sock.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$state_dir/opt"
EOF
  rm -f "$sock" "$sock.ttrpc"
  # A session of its own and no inherited descriptors: the daemon must
  # outlive this script, and a test runner waiting for our output must not
  # wait for the daemon.
  setsid containerd --config "$config" < /dev/null >> "$log_file" 2>&1 &
  pid=$!
  echo "$pid" > "$pid_file"
  log "started containerd (pid $pid), log in $log_file"

  ready=""
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if answers; then ready=1; break; fi
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    if kill -0 "$pid" 2>/dev/null; then
      log "containerd did not answer on $sock within 30s; last lines of $log_file:"
    else
      log "containerd exited before answering on $sock; last lines of $log_file:"
    fi
    tail -n 20 "$log_file" >&2 || true
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
    rm -f "$pid_file"
    exit 1
  fi
fi

missing=()
present=$(ctr -a "$sock" -n "$namespace" images ls -q 2>/dev/null || true)
for name in "${image_names[@]}"; do
  grep -qxF -- "$name" <<< "$present" || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  image_tar=$state_dir/busybox-image.tar
  "$script_dir/make-test-image.sh" "$image_tar" "${image_names[@]}"
  log "importing ${missing[*]} into namespace $namespace"
  if ! ctr -a "$sock" -n "$namespace" images import "$image_tar" >&2; then
    die "importing $image_tar failed; see $log_file"
  fi
fi

echo "$sock"
