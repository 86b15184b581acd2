#!/bin/sh
# Installs bumper, the jar and its launcher, into ~/.local/bin. Java 17 or newer must be on the
# PATH (or in JAVA_HOME).
#
# Environment: BUMPER_VERSION (0.1.0), BUMPER_DOWNLOAD_URL (the release's download address),
# BUMPER_HOME (~/.local/share/bumper).
set -eu
version=${BUMPER_VERSION:-0.1.0}
url=${BUMPER_DOWNLOAD_URL:-https://github.com/bumper-dev/bumper/releases/download/v$version}
home=${BUMPER_HOME:-$HOME/.local/share/bumper}

mkdir -p "$home" "$HOME/.local/bin"
curl -fsSL --retry 3 -o "$home/bumper.jar" "$url/bumper.jar"
curl -fsSL --retry 3 -o "$home/bumper" "$url/bumper"
chmod +x "$home/bumper"
# the launcher follows the link to find the jar beside it
ln -sf "$home/bumper" "$HOME/.local/bin/bumper"
"$HOME/.local/bin/bumper" --version
