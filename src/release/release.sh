#!/usr/bin/env bash
# Makes the release files from a build (./mvnw package): for this machine's platform, an archive
# that needs no Java on the machine it is installed on, plus the plain jar for those who have Java,
# and SHA256SUMS of them all.
#
#   src/release/release.sh [OUT_DIR]          # default OUT_DIR: target/release
#
# OUT_DIR gets:
#   bumper-linux-x86_64.tar.gz  bumper-linux-x86_64/: the launcher (bumper), bumper.jar, VERSION,
#                               LICENSE, NOTICE and runtime/, a Java runtime made with jlink from
#                               only the modules bumper uses, with its own class-data-sharing
#                               archive of the JDK's classes (runtime/lib/server/classes.jsa)
#   bumper.jar, bumper          the jar and the launcher, for a machine with Java 17 or newer
#   install.sh                  installs the archive for the machine it runs on, checksum checked
#   SHA256SUMS                  sha256sum's format, one line per file above
#
# The launcher runs the runtime beside it when there is one. bumper's own classes get their
# class-data-sharing archive (bumper.jsa) where the archive is installed: install.sh makes it
# there, since a Java 17 archive of an application's classes holds the jar's absolute path.
#
# Environment: JAVA_HOME (the JDK whose jlink and jmods make the runtime; default: the one of
# `javac` on the PATH), TARGET (the build's directory, default target), SOURCE_DATE_EPOCH (time
# stamp of the archive's entries; default the last commit's time).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd -P)
target=${TARGET:-$root/target}
out=${1:-$target/release}

die() { echo "release: $*" >&2; exit 1; }

if [ -z "${JAVA_HOME:-}" ]; then
  javac=$(command -v javac) || die "no JAVA_HOME and no javac on the PATH: a JDK 17 or newer is needed"
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$javac")")")
fi
jdk=$JAVA_HOME
for tool in jlink jdeps java; do
  [ -x "$jdk/bin/$tool" ] || die "$jdk/bin/$tool is missing (JAVA_HOME must be a JDK)"
done
[ -d "$jdk/jmods" ] || die "$jdk/jmods is missing: jlink needs the JDK's modules (Debian: openjdk-17-jdk)"
jar=$target/bumper.jar
launcher=$target/bumper
[ -f "$jar" ] && [ -f "$launcher" ] || die "no $jar and $launcher: run ./mvnw package first"

case $(uname -s) in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) die "no release archive for $(uname -s)" ;;
esac
case $(uname -m) in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) die "no release archive for $(uname -m)" ;;
esac
platform=$os-$arch
version=$("$jdk/bin/java" -jar "$jar" --version | head -n1)
version=${version#bumper }
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}

work=$(mktemp -d "${TMPDIR:-/tmp}/bumper-release.XXXXXX")
trap 'rm -rf "$work"' EXIT
dist=$work/bumper-$platform

# The modules: what jdeps finds the jar's classes use, plus what they need only at run time.
# jdk.crypto.ec holds the elliptic curves of TLS key exchange (X25519, P-256: what registries, Git
# hosts and SSH servers offer) and of ECDSA keys. Left out: java.desktop, which only optional code
# of Jackson, commons-compress and commons-lang3 refers to (java.beans), and which would bring the
# AWT libraries and their X11 dependencies.
modules=$("$jdk/bin/jdeps" --multi-release "$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java.specification.version = //p')" --ignore-missing-deps --print-module-deps "$jar")
modules=$(printf '%s\n' "$modules" | tr ',' '\n' | grep -vx 'java.desktop' | { cat; echo jdk.crypto.ec; } | sort -u | paste -sd, -)
echo "release: runtime modules: $modules" >&2
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$dist/runtime" >/dev/null
# the archive for heaps over 32 GB, which a command-line tool never has
rm -f "$dist/runtime/lib/server/classes_nocoops.jsa"
# a JDK packaged by a distribution may link its trust store to the system's: keep the certificates
if [ -L "$jdk/lib/security/cacerts" ] || [ ! -s "$dist/runtime/lib/security/cacerts" ]; then
  cp -L "$jdk/lib/security/cacerts" "$dist/runtime/lib/security/cacerts"
fi

cp "$jar" "$launcher" "$root/LICENSE" "$root/NOTICE" "$dist/"
chmod 755 "$dist/bumper"
printf '%s\n' "$version" >"$dist/VERSION"

# the runtime runs bumper, TLS included, before anything is packed
"$dist/bumper" --version >"$work/version.out" || die "the runtime cannot run bumper: $(cat "$work/version.out")"
grep -q "^bumper $version\$" "$work/version.out" || die "unexpected version: $(cat "$work/version.out")"

rm -rf "$out"
mkdir -p "$out"
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --format=gnu \
  -C "$work" -cf - "bumper-$platform" | gzip -n >"$out/bumper-$platform.tar.gz"
cp "$jar" "$launcher" "$root/install.sh" "$out/"
(cd "$out" && sha256sum -- * >SHA256SUMS)
echo "release: $out: $(cd "$out" && ls | paste -sd' ' -) (bumper $version, $platform)" >&2
