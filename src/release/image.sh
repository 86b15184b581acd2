#!/usr/bin/env bash
# bumper's own container image, built by bumper build-image from the release archive: no Docker
# daemon, no base image to pull. The image holds the archive's runtime and jar under /opt/bumper,
# the C libraries they link (copied from this machine), and a class-data-sharing archive of
# bumper's classes made for /opt/bumper by a run in a chroot of the image's own file system. It
# runs as the user bumper (65532), not root.
#
#   src/release/image.sh RELEASE_DIR BUILD-IMAGE-OPTIONS...
#   src/release/image.sh target/release --to ghcr.io/bumper-dev/bumper:0.1.0 --tar bumper-image.tar
#
# RELEASE_DIR is what release.sh made; the options go to build-image (--to is required; --tar,
# --tag, --metadata-file, --insecure-registry, more --label...). build-image is run by the archive's
# own bumper, on its trimmed runtime. Needs unshare (util-linux) with user namespaces, or root, for
# the chroot; without it the image is built without the archive of bumper's classes.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 RELEASE_DIR BUILD-IMAGE-OPTIONS..." >&2; exit 2; }
release=$1
shift
die() { echo "image: $*" >&2; exit 1; }

case $(uname -m) in
  x86_64 | amd64) arch=x86_64 platform=linux/amd64 ;;
  aarch64 | arm64) arch=aarch64 platform=linux/arm64 ;;
  *) die "no image for $(uname -m)" ;;
esac
archive=$release/bumper-linux-$arch.tar.gz
[ -f "$archive" ] || die "no $archive: run src/release/release.sh first"
expected=$(awk -v f="bumper-linux-$arch.tar.gz" '$2 == f { print $1 }' "$release/SHA256SUMS")
[ -n "$expected" ] && [ "$(sha256sum "$archive" | cut -d' ' -f1)" = "$expected" ] ||
  die "$archive does not match $release/SHA256SUMS"

work=$(mktemp -d "${TMPDIR:-/tmp}/bumper-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
dist=$work/bumper-linux-$arch
version=$(cat "$dist/VERSION")

# the file system, in three layers: system (C libraries, users), runtime, app (jar and archive)
system=$work/system
app=$work/app
mkdir -p "$system/etc" "$system/tmp" "$system/work" "$work/runtime/opt/bumper" "$app/opt/bumper"
cp -a "$dist/runtime" "$work/runtime/opt/bumper/runtime"
cp "$dist/bumper.jar" "$dist/LICENSE" "$dist/NOTICE" "$app/opt/bumper/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nbumper:x:65532:65532:bumper:/tmp:/sbin/nologin\n' >"$system/etc/passwd"
printf 'root:x:0:\nbumper:x:65532:\n' >"$system/etc/group"

# every shared library the runtime's programs and libraries link, at the path the loader finds it
libs=$(find "$dist/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null |
  awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
# (libjvm.so is not found by ldd: the launcher loads it before the libraries that link it)
missing=$(find "$dist/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null |
  grep 'not found' | grep -v 'libjvm.so' || true)
[ -z "$missing" ] || die "the runtime links libraries this machine lacks: $missing"
# glibc loads libgcc_s when a thread is cancelled or exits by unwinding
libgcc=$({ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true; } |
  awk '/libgcc_s.so.1 .*(x86-64|AArch64)/ && !found { print $NF; found = 1 }')
for lib in $libs $libgcc; do
  case $lib in "$dist"/*) continue ;; esac
  mkdir -p "$system$(dirname "$lib")"
  cp -L "$lib" "$system$lib"
done

# bumper's classes archived for /opt/bumper/bumper.jar as the image holds it: build-image gives every
# file the time 1970-01-01T00:00:01Z, and the archive is used only for a jar of the time it was made for
entrypoint='"/opt/bumper/runtime/bin/java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"'
touch -d @1 "$app/opt/bumper/bumper.jar"
root=$work/root
mkdir -p "$root"
cp -a "$system/." "$work/runtime/." "$app/." "$root/"
mkdir -p "$root/tmp/cds"
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: ghcr.io/acme/web:1.0 # app\n' \
  >"$root/tmp/cds/pod.yaml"
# a chroot with /proc of its own (the loader finds the runtime's libraries from /proc/self/exe)
mkdir -p "$root/proc"
chroot_bin=$(command -v chroot || echo /usr/sbin/chroot)
chroot=(unshare --mount --pid --fork --mount-proc="$root/proc" "$chroot_bin")
[ "$(id -u)" -eq 0 ] || chroot=(unshare --map-root-user --mount --pid --fork --mount-proc="$root/proc" "$chroot_bin")
# a static archive from the classes a dry run loads, as the launcher makes one (src/main/sh/bumper)
if "${chroot[@]}" "$root" /opt/bumper/runtime/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -XX:DumpLoadedClassList=/tmp/cds/classes \
  -jar /opt/bumper/bumper.jar bump-manifest --output json --dry-run -C /tmp/cds -i ghcr.io/acme/web:1.1 \
  >"$work/cds.log" 2>&1 &&
  "${chroot[@]}" "$root" /opt/bumper/runtime/bin/java -Xshare:dump -XX:SharedClassListFile=/tmp/cds/classes \
    -XX:SharedArchiveFile=/opt/bumper/bumper.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -cp /opt/bumper/bumper.jar \
    >>"$work/cds.log" 2>&1 && [ -s "$root/opt/bumper/bumper.jsa" ]; then
  cp "$root/opt/bumper/bumper.jsa" "$app/opt/bumper/bumper.jsa"
  chmod 644 "$app/opt/bumper/bumper.jsa"
  entrypoint="$entrypoint"', "-XX:SharedArchiveFile=/opt/bumper/bumper.jsa", "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"'
else
  echo "image: no class-data-sharing archive of bumper's classes (the image starts without it):" >&2
  cat "$work/cds.log" >&2
fi
entrypoint="[$entrypoint, \"-jar\", \"/opt/bumper/bumper.jar\"]"

"$dist/bumper" build-image --from scratch --platform "$platform" \
  --layer "$system:/" --layer "$work/runtime:/" --layer "$app:/" \
  --entrypoint "$entrypoint" \
  --env LANG=C.UTF-8 --env HOME=/tmp \
  --user 65532:65532 --working-directory /work \
  --label org.opencontainers.image.title=bumper \
  --label "org.opencontainers.image.description=The CI side of GitOps: build and push images, bump manifests byte-exactly, commit and push safely" \
  --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.licenses=Apache-2.0 \
  --label org.opencontainers.image.url=https://github.com/bumper-dev/bumper \
  --label org.opencontainers.image.source=https://github.com/bumper-dev/bumper \
  "$@"
