#!/usr/bin/env bash
# registry-start.sh [STATE_DIR]
#
# Starts a private OCI registry (Debian's docker-registry, distribution 2.8)
# for Podscope's pull tests and demos, on a free loopback port, and prints
# its address (127.0.0.1:PORT) on stdout; everything else goes to stderr, so
#   registry=$(scripts/registry-start.sh /tmp/reg)
# works. STATE_DIR defaults to ${PODSCOPE_REGISTRY_DIR:-/tmp/podscope-registry}.
#
# The registry keeps its config, storage, log and address under STATE_DIR:
#   STATE_DIR/address       the address it serves on
#   STATE_DIR/registry.log  its log, one line per request
#   STATE_DIR/storage       the images pushed to it
# It speaks plain HTTP on 127.0.0.1 only (Podscope and Docker treat loopback
# registries as insecure), with no authentication. Running the script again
# while it is up only prints the address. Stop it with
# scripts/registry-stop.sh STATE_DIR.
set -euo pipefail

state_dir=${1:-${PODSCOPE_REGISTRY_DIR:-/tmp/podscope-registry}}

log() { echo "registry-start: $*" >&2; }
die() { log "$*"; exit 1; }

[ -n "$state_dir" ] || die "empty state directory"
mkdir -p "$state_dir"
state_dir=$(cd "$state_dir" && pwd)
[ "$state_dir" != / ] || die "refusing to use / as the state directory"

config=$state_dir/config.yml
pid_file=$state_dir/registry.pid
log_file=$state_dir/registry.log
address_file=$state_dir/address
marker=$state_dir/.podscope-registry

command -v docker-registry >/dev/null || die "docker-registry not found; run scripts/install-deps.sh"
command -v ss >/dev/null || die "ss not found (iproute2); run scripts/install-deps.sh"
command -v curl >/dev/null || die "curl not found; run scripts/install-deps.sh"

# Only a registry started with this directory's config counts: the pid may
# have been reused since.
our_pid() {
  local pid cmd
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || return 1
  [[ $cmd == *"serve $config "* ]] || return 1
  echo "$pid"
}

answers() { curl -fsS -m 2 -o /dev/null "http://$1/v2/" 2>/dev/null; }

if our_pid >/dev/null && [ -f "$address_file" ] && answers "$(cat "$address_file")"; then
  log "already running (pid $(our_pid)) on $(cat "$address_file")"
  cat "$address_file"
  exit 0
fi

touch "$marker"
mkdir -p "$state_dir/storage"
rm -f "$address_file"

port_in_use() { ss -Htln "sport = :$1" | grep -q .; }

started=""
for attempt in 1 2 3 4 5; do
  # A random port in the dynamic range that nothing listens on now; another
  # process may still take it first, so the start is checked below.
  port=""
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 30000 ))
    if ! port_in_use "$candidate"; then port=$candidate; break; fi
  done
  [ -n "$port" ] || die "no free port found on 127.0.0.1"
  address=127.0.0.1:$port
  cat > "$config" <<YAML
# Written by scripts/registry-start.sh: a registry private to Podscope.
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $state_dir/storage
  delete:
    enabled: true
http:
  addr: $address
  headers:
    X-Content-Type-Options: [nosniff]
YAML
  # A session of its own and no inherited descriptors: the registry must
  # outlive this script, and a test runner waiting for our output must not
  # wait for it.
  setsid docker-registry serve "$config" < /dev/null >> "$log_file" 2>&1 &
  pid=$!
  echo "$pid" > "$pid_file"
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if answers "$address"; then started=1; break; fi
    sleep 0.1
  done
  if [ -n "$started" ]; then break; fi
  if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  rm -f "$pid_file"
  log "attempt $attempt on $address failed; last lines of $log_file:"
  tail -n 5 "$log_file" >&2 || true
done
[ -n "$started" ] || die "the registry did not start; see $log_file"

echo "$address" > "$address_file"
log "started docker-registry (pid $pid) on $address, log in $log_file"
echo "$address"
