#!/usr/bin/env bash
# package_test.sh SOURCE_DIR BUILD_DIR
#
# Makes the .deb from the built tree (scripts/package.sh --from-build), checks
# it as Debian would (lintian, desktop-file-validate, appstreamcli), installs
# it with apt-get, uses the installed programs as a person would, purges it
# and checks that nothing of it is left.
#
# It installs into the real /usr, so it needs root and a disposable machine
# (CI's, or a developer's who accepts that). It leaves the build tree as it
# was (CPack stages and writes the package under a temporary directory), can
# run any number of times, and purges the package whatever step fails. A
# podscope package that was installed before the test and not by it is left
# alone: the test is then skipped (exit 77).
set -euo pipefail

src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
version=$(tr -d '[:space:]' < "$src/VERSION")
# Remembers that this test installed the package, so a run that was killed
# before it could purge is cleaned up by the next one.
marker_dir=/var/lib/podscope-package-test
marker=$marker_dir/installed

step() { echo "== $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  echo "package test: skipped, installing a package needs root" >&2
  exit 77
fi

installed() { dpkg-query -W -f='${Status}' podscope 2>/dev/null | grep -q 'ok installed\|config-files'; }

export DEBIAN_FRONTEND=noninteractive
if installed; then
  if [ -f "$marker" ]; then
    step "purging the package an interrupted run of this test left installed"
    apt-get purge -y -q podscope
    rm -f "$marker"
  else
    echo "package test: skipped, a podscope package installed by someone else is left alone" >&2
    exit 77
  fi
fi

work=$(mktemp -d /tmp/podscope-package-test.XXXXXX)
cleanup() {
  local status=$?
  if [ -f "$marker" ] && installed; then
    echo "== purging the package (cleanup)"
    apt-get purge -y -q podscope >/dev/null || status=1
  fi
  rm -f "$marker"
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "making the package from $build"
deb=$(PODSCOPE_PACKAGE_DIR="$work/out" "$src/scripts/package.sh" --from-build "$build")
[ -f "$deb" ] || fail "scripts/package.sh printed no package path"
case "$(basename "$deb")" in
  podscope_"$version"-*_amd64.deb | podscope_"$version"-*_*.deb) ;;
  *) fail "unexpected package name $(basename "$deb") for version $version" ;;
esac

step "control fields"
dpkg-deb -I "$deb" | tee "$work/info"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = podscope ] || fail "Package is $(field Package)"
[[ "$(field Version)" == "$version"-* ]] || fail "Version $(field Version) is not VERSION ($version)"
[ "$(field Section)" = devel ] || fail "Section is $(field Section)"
[ "$(field Recommends)" = "containerd, runc" ] || fail "Recommends is $(field Recommends)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends=$(field Depends)
for dep in libcurl4 libc6 'libstdc\+\+6' libqt6core6 libqt6widgets6 libqt6svg6 'libyaml-cpp0\.7' libssl3 \
           'libqscintilla2-qt6-[0-9]+'; do
  grep -Eq "(^|, )$dep[ ,(]|(^|, )$dep\$" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
# The extended description has more than one line.
[ "$(field Description | wc -l)" -ge 5 ] || fail "the description is too short"
head -1 "$src/packaging/changelog" | grep -q "^podscope ($(field Version)) " ||
  fail "packaging/changelog's latest entry is not for $(field Version)"
grep -m1 '<release ' "$src/packaging/dev.podscope.Podscope.metainfo.xml" | grep -q "version=\"$version\"" ||
  fail "the AppStream metadata's latest release is not $version"

step "contents"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$work/contents"
for path in /usr/bin/podscope /usr/bin/podscope-cli \
            /usr/share/applications/podscope.desktop \
            /usr/share/icons/hicolor/scalable/apps/podscope.svg \
            /usr/share/icons/hicolor/16x16/apps/podscope.png /usr/share/icons/hicolor/48x48/apps/podscope.png \
            /usr/share/icons/hicolor/256x256/apps/podscope.png /usr/share/icons/hicolor/512x512/apps/podscope.png \
            /usr/share/mime/packages/podscope.xml /usr/share/metainfo/dev.podscope.Podscope.metainfo.xml \
            /usr/share/man/man1/podscope.1.gz /usr/share/man/man1/podscope-cli.1.gz \
            /usr/share/doc/podscope/copyright /usr/share/doc/podscope/changelog.Debian.gz \
            /usr/share/doc/podscope/README.md /usr/share/doc/podscope/docs/record-format.md \
            /usr/share/doc/podscope/examples/init-containers.yaml; do
  grep -qxF "$path" "$work/contents" || fail "the package lacks $path"
done
outside=$(grep -v '^/usr/' "$work/contents" | grep -v '^/$' || true)
[ -z "$outside" ] || fail "files outside /usr: $outside"

step "lintian"
# Errors fail the test; warnings are listed for a person to weigh.
lintian --fail-on error --info --display-level '>=warning' "$deb" | tee "$work/lintian" ||
  fail "lintian reported errors"

step "validating the desktop entry, AppStream metadata and man pages"
mkdir "$work/root"
dpkg-deb -x "$deb" "$work/root"
desktop-file-validate "$work/root/usr/share/applications/podscope.desktop"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/dev.podscope.Podscope.metainfo.xml"
# The MIME type, in a database of its own.
mkdir -p "$work/mime/packages"
cp "$work/root/usr/share/mime/packages/podscope.xml" "$work/mime/packages/"
mime_errors=$(XDG_DATA_HOME=$work update-mime-database "$work/mime" 2>&1)
[ -z "$mime_errors" ] || fail "update-mime-database: $mime_errors"
grep -qx 'application/vnd.podscope.run-record+json' "$work/mime/types" || fail "the MIME type is not defined"
for page in podscope podscope-cli; do
  # groff's warnings (bad escapes, unknown requests) fail the page.
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
             man --warnings -E UTF-8 -l -Tutf8 -Z "$work/root/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null || true)
  [ -z "$warnings" ] || fail "$page.1 has groff warnings: $warnings"
  zcat "$work/root/usr/share/man/man1/$page.1.gz" | grep -q '^\.SH OPTIONS' || fail "$page.1 lists no options"
done
zcat "$work/root/usr/share/man/man1/podscope-cli.1.gz" | grep -q 'Options of run' ||
  fail "podscope-cli.1 lacks the run subcommand's options"
for size in 16 22 24 32 48 64 128 256 512; do
  file "$work/root/usr/share/icons/hicolor/${size}x${size}/apps/podscope.png" | grep -q "PNG image data, $size x $size" ||
    fail "the ${size}x${size} icon is not a $size x $size PNG"
done

step "no build or source paths in the installed files"
leaks=$(grep -rlF -e "$src" -e "$build" "$work/root" || true)
[ -z "$leaks" ] || fail "these installed files name the build or source tree: $leaks"

step "installing with apt-get"
mkdir -p "$marker_dir"
touch "$marker"
# Recommends (containerd, runc) are left out: installing containerd would
# start a system daemon, and the test needs none.
apt-get install -y -q --no-install-recommends "$deb"
dpkg -L podscope > "$work/listed"

step "shared libraries of the installed programs"
for program in /usr/bin/podscope /usr/bin/podscope-cli; do
  ldd "$program" > "$work/ldd" || fail "ldd $program failed"
  if grep -q 'not found' "$work/ldd"; then cat "$work/ldd"; fail "$program misses libraries"; fi
  file "$program" | grep -q ', stripped' || fail "$program is not stripped"
done

step "the run record's MIME type is registered"
grep -qx 'application/vnd.podscope.run-record+json' /usr/share/mime/types ||
  fail "update-mime-database did not register application/vnd.podscope.run-record+json"

step "the installed programs, from outside the source tree"
cd "$work"
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_STATE_HOME=$work/home/.local/state
export XDG_RUNTIME_DIR=$work/xdg-runtime
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
examples=/usr/share/doc/podscope/examples

/usr/bin/podscope-cli validate "$examples/init-containers.yaml" "$examples/crash-loop.yaml"
/usr/bin/podscope-cli run "$examples/init-containers.yaml" --runtime sim | tee "$work/run"
grep -q '^pod/init-demo: Succeeded .* on simulated$' "$work/run" || fail "the simulated run did not succeed"
/usr/bin/podscope-cli run "$examples/init-containers.yaml" --runtime sim --output json > "$work/run.podscope.json"
head -c 64 "$work/run.podscope.json" | grep -q '"format": "podscope.run-record"' ||
  fail "the record does not begin as the MIME type's magic expects"

# Reports drawn by Qt, with no display and no platform asked for: the CLI
# falls back on Qt's offscreen platform by itself.
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM \
  /usr/bin/podscope-cli report "$work/run.podscope.json" -o "$work/report.pdf" 2>&1 | tee "$work/report"
grep -q "^wrote $work/report.pdf (pdf, " "$work/report" || fail "podscope-cli report wrote no PDF"
head -c 5 "$work/report.pdf" | grep -q '^%PDF-' || fail "the report is not a PDF"
if command -v pdfinfo >/dev/null; then
  pdfinfo "$work/report.pdf" | grep -q 'Page size: *595 x 842 pts (A4)' || fail "the PDF report is not A4"
fi
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM \
  /usr/bin/podscope-cli report "$work/run.podscope.json" -o "$work/timeline.png" --scale 3 | tee -a "$work/report"
file "$work/timeline.png" | grep -q 'PNG image data, 3300 x' || fail "the PNG is not the timeline at 3x"
if ldd /usr/bin/podscope-cli | grep -q libQt6Widgets; then fail "podscope-cli loads Qt Widgets"; fi

QT_QPA_PLATFORM=offscreen /usr/bin/podscope --run --print-transitions --quit-after-run \
  --screenshot "$work/window.png" "$examples/init-containers.yaml" | tee "$work/gui"
grep -Eq 'wait-for-config +Running +Terminated' "$work/gui" || fail "the GUI's run printed no transitions"
file "$work/window.png" | grep -q 'PNG image data' || fail "the GUI saved no screenshot"

step "--version"
/usr/bin/podscope-cli --version --address "$work/no-containerd.sock" | tee "$work/version"
[ "$(sed -n 1p "$work/version")" = "podscope-cli $version" ] || fail "podscope-cli --version: wrong first line"
[ "$(sed -n 2p "$work/version")" = "containerd: not reachable at $work/no-containerd.sock (no socket there)" ] ||
  fail "podscope-cli --version: wrong containerd line"
/usr/bin/podscope --version --address "$work/no-containerd.sock" | tee "$work/version"
grep -Eq "^podscope $version \(Qt 6\.[0-9]+\.[0-9]+\)\$" <(sed -n 1p "$work/version") ||
  fail "podscope --version: wrong first line"
[ "$(sed -n 2p "$work/version")" = "containerd: not reachable at $work/no-containerd.sock (no socket there)" ] ||
  fail "podscope --version: wrong containerd line"

step "man pages"
man -w podscope
man -w podscope-cli
[ "$(man -w podscope)" = /usr/share/man/man1/podscope.1.gz ] || fail "man -w podscope does not find the page"

step "purging"
apt-get purge -y -q podscope
rm -f "$marker"
installed && fail "podscope is still installed after the purge"
left=""
while IFS= read -r path; do
  case "$path" in
    /usr/share/doc/podscope* | /usr/share/icons/hicolor/*/apps/podscope.* | /usr/bin/podscope* | \
    /usr/share/man/man1/podscope* | /usr/share/applications/podscope.desktop | \
    /usr/share/mime/packages/podscope.xml | /usr/share/metainfo/dev.podscope.Podscope.metainfo.xml)
      [ -e "$path" ] || [ -L "$path" ] && left+=" $path" ;;
    *)
      # A directory the package shared with others (/usr/bin, /usr/share/man/man1)
      # may stay; a file of its own may not.
      [ -f "$path" ] || [ -L "$path" ] && left+=" $path" ;;
  esac
done < "$work/listed"
[ -z "$left" ] || fail "left after the purge:$left"
grep -qx 'application/vnd.podscope.run-record+json' /usr/share/mime/types &&
  fail "the MIME type is still registered after the purge"

echo "package test: passed ($(basename "$deb"))"
