#!/usr/bin/env bash
# make-test-image.sh [--layered] [--salt TEXT] [--stop-signal SIG] OUT.tar [NAME...]
#
# Writes a busybox image as an OCI image-layout tar, made from the host's
# static busybox, so containerd can run real containers with no registry and
# no internet. Import it with:
#   ctr -a SOCK -n podscope images import OUT.tar
# Each NAME becomes an image name (default: docker.io/library/busybox:latest).
#
# --layered writes an image index instead (linux/<this machine> and a
# linux/arm64 or linux/amd64 sibling, so a puller must pick), whose
# manifest has three layers: busybox (an uncompressed tar), then two gzip
# layers that prove each layer is applied in order:
#   layer 1: /data/kept.txt ("from layer 1"), /data/gone.txt,
#            /data/dir/old.txt
#   layer 2: /data/top.txt ("from layer 2"), a whiteout of /data/gone.txt,
#            and /data/dir made opaque (old.txt hidden) with
#            /data/dir/new.txt
# Import it with `ctr images import --all-platforms` to keep the sibling.
# --salt TEXT puts TEXT in a file of every layer, so the layers (and the
# snapshots they unpack to) are new ones no other image shares.
# --stop-signal SIG gives the image a STOPSIGNAL (e.g. SIGQUIT, as the nginx
# images have), which a runtime sends instead of SIGTERM to stop it.
#
# The output is byte-for-byte deterministic for a given busybox binary (fixed
# mtimes, owners and ordering), so the image digest only changes when busybox
# does: re-importing is a no-op and cached snapshots stay valid.
set -euo pipefail

usage() { echo "usage: $0 [--layered] [--salt TEXT] [--stop-signal SIG] OUT.tar [NAME...]" >&2; exit 2; }
layered=""
salt=""
stop_signal=""
while [ $# -gt 0 ]; do
  case "$1" in
    --layered) layered=1; shift ;;
    --salt) [ $# -ge 2 ] || usage; salt=$2; shift 2 ;;
    --stop-signal)
      [ $# -ge 2 ] || usage
      [[ $2 =~ ^(SIG)?[A-Z0-9+-]+$ ]] || { echo "make-test-image: not a signal: $2" >&2; exit 2; }
      stop_signal=$2
      shift 2 ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage
out=$1
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(docker.io/library/busybox:latest)

busybox=${PODSCOPE_BUSYBOX:-/bin/busybox}
if [ ! -x "$busybox" ]; then
  echo "make-test-image: $busybox not found; install busybox-static" >&2
  exit 1
fi
ldd_out=$(ldd "$busybox" 2>&1 || true)
if [[ $ldd_out != *"not a dynamic executable"* && $ldd_out != *"statically linked"* ]]; then
  echo "make-test-image: $busybox is not statically linked; install busybox-static" >&2
  exit 1
fi
for n in "${names[@]}"; do
  # Names go into JSON unquoted-escaped; references never need more than this.
  if ! [[ $n =~ ^[A-Za-z0-9._/:@-]+$ ]]; then
    echo "make-test-image: not an image reference: $n" >&2
    exit 2
  fi
done

case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  armv7l) arch=arm ;;
  *) arch=$(uname -m) ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 022

# GNU tar options that make an archive depend only on the files' contents.
tar_det=(--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu)

root=$work/rootfs
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/www"
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$busybox" "$root/bin/busybox"
chmod 755 "$root/bin/busybox"
# Every applet, as in the busybox images people pull from Docker Hub.
while read -r applet; do
  case "$applet" in ''|busybox|*/*) continue ;; esac
  ln -s busybox "$root/bin/$applet"
done < <("$busybox" --list)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' \
  > "$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
chmod 644 "$root/etc/passwd" "$root/etc/group"
if [ -n "$salt" ]; then
  printf '%s\n' "$salt" > "$root/etc/podscope-salt"
  chmod 644 "$root/etc/podscope-salt"
fi

blobs=$work/layout/blobs/sha256
mkdir -p "$blobs"

# Stores stdin (or a file) as a blob and prints its digest hex and size.
put_blob() {
  local src=$1 hex size
  hex=$(sha256sum "$src" | cut -d' ' -f1)
  size=$(stat -c %s "$src")
  cp "$src" "$blobs/$hex"
  echo "$hex $size"
}

tar "${tar_det[@]}" -C "$root" -cf "$work/layer.tar" bin etc root tmp var
read -r layer_hex layer_size < <(put_blob "$work/layer.tar")
diff_ids='"sha256:'"$layer_hex"'"'
layers='{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:'"$layer_hex"'","size":'"$layer_size"'}'

if [ -n "$layered" ]; then
  # Adds a gzip layer made from directory $1 (-n: no name or time in the
  # gzip header, so the blob stays deterministic).
  add_gzip_layer() {
    local dir=$1 name=$2 diff_hex gz_hex gz_size
    tar "${tar_det[@]}" -C "$dir" -cf "$work/$name.tar" .
    diff_hex=$(sha256sum "$work/$name.tar" | cut -d' ' -f1)
    gzip -n -9 -c "$work/$name.tar" > "$work/$name.tar.gz"
    read -r gz_hex gz_size < <(put_blob "$work/$name.tar.gz")
    diff_ids+=',"sha256:'"$diff_hex"'"'
    layers+=',{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:'"$gz_hex"'","size":'"$gz_size"'}'
  }
  one=$work/layer1
  mkdir -p "$one/data/dir"
  echo "from layer 1" > "$one/data/kept.txt"
  echo "deleted by layer 2" > "$one/data/gone.txt"
  echo "hidden by layer 2" > "$one/data/dir/old.txt"
  [ -z "$salt" ] || printf '%s\n' "$salt" > "$one/data/salt1"
  add_gzip_layer "$one" layer1
  two=$work/layer2
  mkdir -p "$two/data/dir"
  echo "from layer 2" > "$two/data/top.txt"
  : > "$two/data/.wh.gone.txt"
  : > "$two/data/dir/.wh..wh..opq"
  echo "from layer 2" > "$two/data/dir/new.txt"
  [ -z "$salt" ] || printf '%s\n' "$salt" > "$two/data/salt2"
  add_gzip_layer "$two" layer2
  find "$one" "$two" -type f -exec chmod 644 {} +
fi

# Writes the config and manifest for architecture $1; prints the manifest's
# digest hex and size.
write_image() {
  local image_arch=$1 config_hex config_size
  printf '%s' \
    '{"architecture":"'"$image_arch"'","os":"linux",' \
    '"config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],' \
    '"Cmd":["sh"]'"${stop_signal:+,\"StopSignal\":\"$stop_signal\"}"'},' \
    '"rootfs":{"type":"layers","diff_ids":['"$diff_ids"']},' \
    '"history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/make-test-image.sh"}]}' \
    > "$work/config-$image_arch.json"
  read -r config_hex config_size < <(put_blob "$work/config-$image_arch.json")
  printf '%s' \
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",' \
    '"config":{"mediaType":"application/vnd.oci.image.config.v1+json",' \
    '"digest":"sha256:'"$config_hex"'","size":'"$config_size"'},' \
    '"layers":['"$layers"']}' \
    > "$work/manifest-$image_arch.json"
  put_blob "$work/manifest-$image_arch.json"
}

read -r manifest_hex manifest_size < <(write_image "$arch")
top_type=application/vnd.oci.image.manifest.v1+json
top_platform=',"platform":{"architecture":"'"$arch"'","os":"linux"}'
if [ -n "$layered" ]; then
  other=arm64
  [ "$arch" != arm64 ] || other=amd64
  read -r other_hex other_size < <(write_image "$other")
  # The sibling comes first, so taking the first entry would be wrong.
  printf '%s' \
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[' \
    '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$other_hex"'","size":'"$other_size"',' \
    '"platform":{"architecture":"'"$other"'","os":"linux"}},' \
    '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$manifest_hex"'","size":'"$manifest_size"',' \
    '"platform":{"architecture":"'"$arch"'","os":"linux"}}]}' \
    > "$work/index.json"
  read -r manifest_hex manifest_size < <(put_blob "$work/index.json")
  top_type=application/vnd.oci.image.index.v1+json
  top_platform=""
fi

entries=""
for n in "${names[@]}"; do
  tag=latest
  last=${n##*/}
  if [[ $last == *:* ]]; then tag=${last##*:}; fi
  [ -z "$entries" ] || entries+=","
  entries+='{"mediaType":"'"$top_type"'",'
  entries+='"digest":"sha256:'"$manifest_hex"'","size":'"$manifest_size""$top_platform"','
  entries+='"annotations":{"io.containerd.image.name":"'"$n"'",'
  entries+='"org.opencontainers.image.ref.name":"'"$tag"'"}}'
done
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' \
  "$entries" > "$work/layout/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"
find "$work/layout" -type f -exec chmod 644 {} +
find "$work/layout" -type d -exec chmod 755 {} +

mkdir -p "$(dirname "$out")"
tar "${tar_det[@]}" -C "$work/layout" -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"
echo "make-test-image: wrote $out (manifest sha256:$manifest_hex; ${names[*]})" >&2
