#!/usr/bin/env bash
# package.sh [--from-build BUILD_DIR]
#
# Makes Podscope's Debian package and prints its path on stdout (everything
# else goes to stderr), so
#   deb=$(scripts/package.sh) && apt-get install -y "$deb"
# works. The .deb lands in build-package/ (or $PODSCOPE_PACKAGE_DIR).
#
# By default it makes a release build of its own in build-package/release
# (Release, tests and benchmarks off, Debian's hardening flags), which takes
# several minutes on two cores the first time and little after that
# (ccache). --from-build packages an existing, already built tree instead
# (any build type; CPack strips the binaries), as the packaging test does.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${PODSCOPE_PACKAGE_DIR:-$here/build-package}
from_build=""

log() { echo "package: $*" >&2; }
die() { log "$*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --from-build) [ $# -ge 2 ] || die "--from-build needs a build directory"; from_build=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

"$here/scripts/install-deps.sh" >&2

if [ -n "$from_build" ]; then
  build=$(cd "$from_build" && pwd)
  [ -f "$build/CPackConfig.cmake" ] || die "$build is not a configured Podscope build directory"
else
  build=$out/release
  # Debian's hardening flags (stack protector, fortify, relro, bind now).
  export DEB_BUILD_MAINT_OPTIONS=hardening=+all
  cppflags=$(dpkg-buildflags --get CPPFLAGS)
  cxxflags="$(dpkg-buildflags --get CXXFLAGS) $cppflags"
  cflags="$(dpkg-buildflags --get CFLAGS) $cppflags"
  ldflags=$(dpkg-buildflags --get LDFLAGS)
  log "configuring a release build in $build"
  CFLAGS=$cflags CXXFLAGS=$cxxflags LDFLAGS=$ldflags \
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPODSCOPE_BUILD_TESTS=OFF -DPODSCOPE_BUILD_BENCH=OFF >&2
  log "building (${PODSCOPE_JOBS:-$(nproc)} jobs)"
  cmake --build "$build" --parallel "${PODSCOPE_JOBS:-$(nproc)}" >&2
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
# CPack stages the installation under its own directory beside the package,
# not in the build tree.
staging=$(mktemp -d "$out/cpack.XXXXXX")
# CPack's install step writes install_manifest.txt into the build tree;
# a tree that was only lent (--from-build) gets its own back.
manifest=$build/install_manifest.txt
had_manifest=""
if [ -n "$from_build" ] && [ -f "$manifest" ]; then
  cp -p "$manifest" "$staging/install_manifest.txt.saved"
  had_manifest=1
fi
restore_tree() {
  if [ -n "$from_build" ]; then
    if [ -n "$had_manifest" ]; then
      cp -p "$staging/install_manifest.txt.saved" "$manifest"
    else
      rm -f "$manifest"
    fi
  fi
  rm -rf "$staging"
}
trap restore_tree EXIT
log "running cpack on $build"
(cd "$build" && cpack -G DEB -B "$staging" --config "$build/CPackConfig.cmake") >&2
debs=("$staging"/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || die "cpack made no package (see above)"
name=$(basename "${debs[0]}")
mv -f "${debs[0]}" "$out/$name"
log "made $out/$name"
echo "$out/$name"
