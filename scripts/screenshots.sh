#!/usr/bin/env bash
# screenshots.sh [OUT_DIR]
#
# Saves pictures of the desktop app in the states people most often need to
# see, each on the simulated runtime under Xvfb, into OUT_DIR (default
# build/screenshots), so they can be looked at after a change:
#   init-containers-mid-run.png  the seed pod whose first init container
#                                waits for its database, 20 s in (Init:0/2)
#   crash-loop-backoff.png       a container that keeps failing, 3 minutes in
#   readiness-failing.png        a web server not ready yet, 10 s in
#   readiness-failing-events.png the same run's Events tab
#   deployment-first-rollout.png a 3-replica Deployment 4 s into its first
#                                rollout (a lane per ReplicaSet, pods beneath)
#   rollout-mid-way.png          the same Deployment rolling to a new image,
#   rollout-history.png          and its History tab, both taken by the UI
#                                test that applies the new revision
# Needs a build (scripts/build.sh) and xvfb-run (scripts/install-deps.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PODSCOPE_BUILD_DIR:-$here/build}
out=${1:-$build/screenshots}
app=$build/src/ui/podscope
seeds=${PODSCOPE_SEEDS_DIR:-$here/../shared/manifests/seeds}

[ -x "$app" ] || { echo "screenshots: $app is missing; run scripts/build.sh first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "screenshots: xvfb-run is missing; run scripts/install-deps.sh" >&2; exit 1; }
mkdir -p "$out"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d /tmp/podscope-xdg.XXXXXX)}
chmod 700 "$XDG_RUNTIME_DIR"

shoot() {  # name manifest watch-for tab
  local name=$1 manifest=$2 watch=$3 tab=$4
  if [ ! -f "$manifest" ]; then
    echo "screenshots: $manifest is missing; skipping $name" >&2
    return
  fi
  xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --run --for "$watch" --tab "$tab" \
    --screenshot "$out/$name.png" --quit-after-run "$manifest" >/dev/null
  echo "$out/$name.png"
}

# The seed as written, plus a simulation scenario in which the database its
# first init container pings answers only after 45 s (the simulator would
# otherwise let an unmodelled `ping` succeed at once).
work=$(mktemp -d /tmp/podscope-shots.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -f "$seeds/pod-initcontainer.yaml" ]; then
  awk '{print} /^metadata:/ && !done {
         print "  annotations:"
         print "    podscope.dev/simulate: |"
         print "      container test-mysql:"
         print "        exits 0 after 45s"
         done = 1 }' "$seeds/pod-initcontainer.yaml" > "$work/pod-initcontainer.yaml"
fi
shoot init-containers-mid-run "$work/pod-initcontainer.yaml" 20s timeline
shoot crash-loop-backoff "$here/examples/crash-loop.yaml" 3m timeline
shoot readiness-failing "$here/examples/readiness-scenario.yaml" 10s timeline
shoot readiness-failing-events "$here/examples/readiness-scenario.yaml" 10s events

# A Deployment's first rollout, watched for 4 s of the run (pods ready at 2 s).
cat > "$work/nginx-deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
      annotations:
        podscope.dev/simulate: |
          readiness fails until 2s
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        readinessProbe:
          httpGet:
            path: /
            port: 80
          periodSeconds: 1
YAML
XDG_DATA_HOME="$work/data" shoot deployment-first-rollout "$work/nginx-deployment.yaml" 4s timeline

# A new revision applied while the Deployment runs, and the History tab:
# the UI test drives the window and saves the pictures.
tests=$build/tests/ui/podscope_ui_tests
if [ -x "$tests" ]; then
  PODSCOPE_UI_SCREENSHOT_DIR=$out xvfb-run -a -s "-screen 0 1600x1100x24" env QT_QPA_PLATFORM=xcb "$tests" \
    --gtest_filter=DeploymentGuiTest.RollsOutAppliesANewRevisionRecordsTheHistoryAndDeletes >/dev/null
  echo "$out/rollout-mid-way.png"
  echo "$out/rollout-history.png"
else
  echo "screenshots: $tests is missing; skipping rollout-mid-way and rollout-history" >&2
fi
