#!/usr/bin/env bash
# make-test-image.sh OUT.tar [NAME...]
#
# Writes a busybox image as an OCI image-layout tar, made from the host's
# static busybox, so containerd can run real containers with no registry and
# no internet. Import it with:
#   ctr -a SOCK -n podscope images import OUT.tar
# Each NAME becomes an image name (default: docker.io/library/busybox:latest).
#
# The output is byte-for-byte deterministic for a given busybox binary (fixed
# mtimes, owners and ordering), so the image digest only changes when busybox
# does: re-importing is a no-op and cached snapshots stay valid.
set -euo pipefail

usage() { echo "usage: $0 OUT.tar [NAME...]" >&2; exit 2; }
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

printf '%s' \
  '{"architecture":"'"$arch"'","os":"linux",' \
  '"config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],' \
  '"Cmd":["sh"]},' \
  '"rootfs":{"type":"layers","diff_ids":["sha256:'"$layer_hex"'"]},' \
  '"history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/make-test-image.sh"}]}' \
  > "$work/config.json"
read -r config_hex config_size < <(put_blob "$work/config.json")

printf '%s' \
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",' \
  '"config":{"mediaType":"application/vnd.oci.image.config.v1+json",' \
  '"digest":"sha256:'"$config_hex"'","size":'"$config_size"'},' \
  '"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar",' \
  '"digest":"sha256:'"$layer_hex"'","size":'"$layer_size"'}]}' \
  > "$work/manifest.json"
read -r manifest_hex manifest_size < <(put_blob "$work/manifest.json")

entries=""
for n in "${names[@]}"; do
  tag=latest
  last=${n##*/}
  if [[ $last == *:* ]]; then tag=${last##*:}; fi
  [ -z "$entries" ] || entries+=","
  entries+='{"mediaType":"application/vnd.oci.image.manifest.v1+json",'
  entries+='"digest":"sha256:'"$manifest_hex"'","size":'"$manifest_size"','
  entries+='"platform":{"architecture":"'"$arch"'","os":"linux"},'
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
