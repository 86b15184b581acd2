#!/bin/sh
# Installs bumper from a release: the archive for this machine's platform, which brings its own
# Java runtime, checked against the release's SHA256SUMS before anything is installed.
#
#   curl -fsSL https://github.com/bumper-dev/bumper/releases/latest/download/install.sh | sh
#   sh install.sh --version 0.1.0
#
# Options (each also an environment variable):
#   --version V    BUMPER_VERSION       the release, 0.1.0 or v0.1.0 (default: the latest)
#   --prefix DIR   BUMPER_PREFIX        where: DIR/share/bumper/VERSION, linked from DIR/bin/bumper
#                                       (default: ~/.local)
#   --url URL      BUMPER_RELEASE_URL   the address of the release's files (a mirror, a local
#                                       copy): URL/SHA256SUMS, URL/bumper-linux-x86_64.tar.gz...
#                                       (default: the project's GitHub release of that version)
#
# Running it again for an installed version changes nothing; another version is installed beside
# it and the link moves to it. A download whose checksum is not the one in SHA256SUMS is refused,
# and nothing is installed: the archive is unpacked into a temporary directory and moved into
# place only after the check. Needs curl or wget, sha256sum (or shasum), tar and gzip.
set -eu

releases=https://github.com/bumper-dev/bumper/releases
version=${BUMPER_VERSION:-latest}
prefix=${BUMPER_PREFIX:-${HOME:?HOME is not set}/.local}
url=${BUMPER_RELEASE_URL:-}

die() {
  echo "install.sh: $*" >&2
  exit 1
}
note() { echo "install.sh: $*" >&2; }

usage() {
  sed -n '2,/^set -eu/p' "$0" 2>/dev/null | sed -e '$d' -e 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case $1 in
    --version | --prefix | --url)
      [ $# -ge 2 ] || die "$1 needs a value"
      case $1 in
        --version) version=$2 ;;
        --prefix) prefix=$2 ;;
        --url) url=$2 ;;
      esac
      shift 2
      ;;
    --version=*) version=${1#*=} && shift ;;
    --prefix=*) prefix=${1#*=} && shift ;;
    --url=*) url=${1#*=} && shift ;;
    -h | --help) usage && exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

version=${version#v}
case $version in
  '' | *[!A-Za-z0-9._+-]*) die "not a version: '$version'" ;;
esac
if [ -z "$url" ]; then
  if [ "$version" = latest ]; then
    url=$releases/latest/download
  else
    url=$releases/download/v$version
  fi
fi
url=${url%/}

case $(uname -s) in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) os=$(uname -s) ;;
esac
case $(uname -m) in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
platform=$os-$arch
archive=bumper-$platform.tar.gz
if [ "$os" = linux ] && { [ -e "/lib/ld-musl-$arch.so.1" ] || ldd --version 2>&1 | grep -qi musl; }; then
  die "the release's runtime needs glibc and this system uses musl (Alpine):" \
    "install Java 17 or newer and use bumper.jar from $url"
fi

if command -v curl >/dev/null 2>&1; then
  download() { curl -fsSL --retry 3 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  download() { wget -q -O "$2" "$1"; }
else
  die "needs curl or wget to download the release"
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  die "needs sha256sum or shasum to check the download"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bumper-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

download "$url/SHA256SUMS" "$tmp/SHA256SUMS" || die "cannot download $url/SHA256SUMS"
expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
[ -n "$expected" ] ||
  die "the release at $url has no archive for $platform; with Java 17 or newer, use $url/bumper.jar"
download "$url/$archive" "$tmp/$archive" || die "cannot download $url/$archive"
actual=$(sha256 "$tmp/$archive")
if [ "$actual" != "$expected" ]; then
  die "checksum mismatch for $url/$archive: SHA256SUMS says $expected, the download is $actual;" \
    "nothing was installed"
fi

mkdir "$tmp/unpack"
gzip -dc "$tmp/$archive" | tar -xf - -C "$tmp/unpack" || die "cannot unpack $archive"
unpacked=$tmp/unpack/bumper-$platform
[ -x "$unpacked/bumper" ] && [ -f "$unpacked/bumper.jar" ] && [ -f "$unpacked/VERSION" ] ||
  die "$archive does not hold bumper-$platform/bumper, bumper.jar and VERSION"
installed=$(cat "$unpacked/VERSION")
case $installed in
  '' | *[!A-Za-z0-9._+-]*) die "$archive names no valid version in VERSION" ;;
esac

home=$prefix/share/bumper
dest=$home/$installed
mkdir -p "$home" "$prefix/bin"
if [ -f "$dest/.archive-sha256" ] && [ "$(cat "$dest/.archive-sha256")" = "$actual" ] && [ -x "$dest/bumper" ]; then
  note "bumper $installed is already installed in $dest"
else
  # moved next to its place first (a copy when the temporary directory is on another file
  # system), then renamed into it
  staging=$home/.$installed.$$.new
  rm -rf "$staging"
  mv "$unpacked" "$staging"
  printf '%s\n' "$actual" >"$staging/.archive-sha256"
  if [ -e "$dest" ]; then
    rm -rf "$home/.$installed.old"
    mv "$dest" "$home/.$installed.old"
  fi
  mv "$staging" "$dest"
  rm -rf "$home/.$installed.old"
fi

# bumper's classes in a class-data-sharing archive, made here: a Java 17 archive holds the jar's
# path, so it is made where the jar now is, by the launcher's own training run (two bumps pushed
# to a repository made for it, one from a clone and one in memory; a dry run where there is no git)
if [ ! -s "$dest/bumper.jsa" ]; then
  BUMPER_CDS=create "$dest/bumper" >/dev/null 2>"$tmp/cds.err" ||
    note "no class-data-sharing archive (bumper starts without it): $(cat "$tmp/cds.err")"
fi

link=$prefix/bin/bumper
ln -s "$dest/bumper" "$prefix/bin/.bumper.$$"
mv -f "$prefix/bin/.bumper.$$" "$link"

"$link" --version
case :${PATH:-}: in
  *:"$prefix/bin":*) ;;
  *) note "$prefix/bin is not on the PATH: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
