#!/bin/sh
# Installs bumper with the release's install.sh: the archive for this machine, which brings its own
# Java runtime (no Java needed), checked against the release's SHA256SUMS, into ~/.local (the
# command in ~/.local/bin). Running it again changes nothing.
#
# Environment: BUMPER_VERSION (0.1.0), BUMPER_RELEASE_URL (the release's download address, or a
# mirror of it), BUMPER_PREFIX (~/.local).
set -eu
version=${BUMPER_VERSION:-0.1.0}
url=${BUMPER_RELEASE_URL:-https://github.com/bumper-dev/bumper/releases/download/v$version}
script=$(mktemp)
trap 'rm -f "$script"' EXIT
curl -fsSL --retry 3 -o "$script" "$url/install.sh"
sh "$script" --version "$version" --url "$url"
