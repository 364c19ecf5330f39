#!/usr/bin/env bash
# Installs everything Podscope needs to build, run and test on Debian 12.
# Idempotent: packages already present are left alone; safe to run again.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # Qt 6 (Widgets, Svg, PrintSupport, Test) and the QScintilla editor component
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libqscintilla2-qt6-dev libgl-dev libxkbcommon-dev
  # core libraries
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev
  # containerd's native API: gRPC/protobuf and the protos Debian ships
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  golang-github-containerd-containerd-dev golang-github-gogo-protobuf-dev
  # https probes (TLS client); openssl's test server for the https tests
  libssl-dev openssl
  # image pulls from registries (HTTP client)
  libcurl4-openssl-dev
  # tests and benchmarks; poppler-utils (pdfinfo, pdftotext, pdftoppm) reads
  # the PDF reports back
  googletest libgtest-dev libgmock-dev libbenchmark-dev poppler-utils
  # the fuzzers of the manifest and record readers: clang, its
  # libFuzzer/sanitizer runtimes, and llvm-symbolizer (in llvm-14) so crash
  # reports name functions and lines
  clang-14 libclang-rt-14-dev llvm-14
  # the real runtime, and what the test images are made from
  containerd runc busybox-static iproute2
  # a private OCI registry on loopback for the pull tests
  docker-registry
  # GUI runs without a display, and screenshots
  xvfb xauth fonts-dejavu-core
  # the Debian package (scripts/package.sh) and its test: man pages from
  # --help, icons rendered from the SVG, dpkg-shlibdeps, and the checks
  help2man librsvg2-bin dpkg-dev file lintian desktop-file-utils appstream shared-mime-info man-db
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Installing the containerd package must not start or restart a system daemon:
# Podscope's scripts always run a private one. policy-rc.d (exit 101) tells
# invoke-rc.d to leave services alone for the duration of this install.
added_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  added_policy=1
fi
cleanup() { if [ -n "$added_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
