#!/usr/bin/env bash
# containerd_image_pull.sh [RUNS]
#
# A cold image pull from a registry on loopback into a private containerd:
# Podscope's pull (fetch, verify, store, unpack through the diff service,
# as timed by the runtime itself and reported in the kubelet's Pulled event)
# against `ctr images pull --plain-http` of the same image (wall time, so it
# includes ctr's own start of a few ms). The image is the three-layer
# busybox index of scripts/make-test-image.sh --layered (about 2 MiB); before
# every run it is deleted with a synchronous garbage collection, so each pull
# downloads and unpacks everything. Prints the medians and their ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_BUILD_DIR:-$here/build}
runs=${1:-15}
cli=$build/src/cli/podscope-cli
[ -x "$cli" ] || { echo "no $cli: build podscope-cli first (or set PODSCOPE_BUILD_DIR)" >&2; exit 1; }

state=$(mktemp -d /tmp/podscope-bench.XXXXXX)
cleanup() {
  "$here/scripts/registry-stop.sh" "$state/registry" >/dev/null 2>&1 || true
  "$here/scripts/containerd-stop.sh" "$state/containerd" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sock=$("$here/scripts/containerd-start.sh" "$state/containerd" 2>/dev/null)
registry=$("$here/scripts/registry-start.sh" "$state/registry" 2>/dev/null)
ctrd() { ctr -a "$sock" "$@"; }

image=$registry/bench/layered:1
"$here/scripts/make-test-image.sh" --layered --salt "bench-$$" "$state/layered.tar" localhost/bench/layered:1 2>/dev/null
ctrd -n bench-push images import --all-platforms --no-unpack "$state/layered.tar" >/dev/null
ctrd -n bench-push images push --plain-http "$image" localhost/bench/layered:1 >/dev/null 2>&1
# containerd shares a blob one namespace has with the others: only with the
# image gone from every namespace does a pull download it.
ctrd -n bench-push images rm --sync localhost/bench/layered:1 >/dev/null

pod=$state/pod.yaml
cat > "$pod" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: bench-pull}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: "$image", imagePullPolicy: Always, command: ["/bin/true"]}
YAML

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Go duration ("812ms", "1.503s", "1m2.5s") to microseconds.
go_us() {
  awk -v d="$1" 'BEGIN {
    us = 0
    if (match(d, /[0-9.]+m[^s]/)) { us += substr(d, RSTART, RLENGTH - 2) * 60e6; d = substr(d, RSTART + RLENGTH - 1) }
    if (d ~ /ms$/) us += substr(d, 1, length(d) - 2) * 1e3
    else if (d ~ /s$/) us += substr(d, 1, length(d) - 1) * 1e6
    printf "%d", us
  }'
}
# A cold start for the next pull: the image, its blobs and snapshots gone
# from both namespaces.
forget() {
  ctrd -n podscope images rm --sync "$image" >/dev/null 2>&1 || true
  ctrd -n ctr images rm --sync "$image" >/dev/null 2>&1 || true
}

size_file=$state/image-size
podscope_pull() {
  local out took
  forget
  out=$("$cli" run "$pod" --runtime containerd --address "$sock" --state-dir "$state/podscope" \
        --log-dir "$state/logs" --events 2>&1) || { echo "podscope-cli run failed: $out" >&2; exit 1; }
  took=$(grep -o 'Successfully pulled image "[^"]*" in [^ ]*' <<< "$out" | awk '{print $NF}')
  [ -n "$took" ] || { echo "no Pulled event in: $out" >&2; exit 1; }
  grep -o 'Image size: [0-9]*' <<< "$out" | awk '{print $3}' > "$size_file"
  go_us "$took"
}
ctr_pull() {
  local start end
  forget
  start=$(now_ns)
  ctrd -n ctr images pull --plain-http "$image" >/dev/null 2>&1 || { echo "ctr images pull failed" >&2; exit 1; }
  end=$(now_ns)
  echo $(( (end - start) / 1000 ))
}

# Warm-up: the page cache holds both programs and the registry's blobs.
podscope_pull >/dev/null
ctr_pull >/dev/null

p=(); c=()
for _ in $(seq 1 "$runs"); do
  p+=("$(podscope_pull)")
  c+=("$(ctr_pull)")
done
podscope_us=$(printf '%s\n' "${p[@]}" | median)
ctr_us=$(printf '%s\n' "${c[@]}" | median)
ratio=$(awk -v a="$podscope_us" -v b="$ctr_us" 'BEGIN {printf "%.2f", a / b}')
printf 'cold pull of a 3-layer index image (%s bytes) from a loopback registry, median of %d runs on containerd %s\n' \
  "$(cat "$size_file")" "$runs" \
  "$(ctrd version 2>/dev/null | awk '/Server:/ {s=1} s && /Version:/ {print $2; exit}')"
printf '  podscope pull (Pulled event)     %8.1f ms\n' "$(awk -v x="$podscope_us" 'BEGIN {print x / 1000}')"
printf '  ctr images pull --plain-http     %8.1f ms\n' "$(awk -v x="$ctr_us" 'BEGIN {print x / 1000}')"
printf '  ratio podscope/ctr               %8s\n' "$ratio"
