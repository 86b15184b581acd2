#!/usr/bin/env bash
# Runs every test: installs the programs the tests use where it can, then ./mvnw verify.
#
# The programs, their Debian/Ubuntu packages and what they are for are listed in
# src/test/tools.tsv. Missing ones are installed with apt-get when this runs as root or can use
# sudo without a password. Otherwise the tests that need them are skipped and listed at the end
# with the command that installs them; under CI=true a missing program fails the run instead.
# Arguments are passed to Maven: ./test.sh -Dtest=CorpusTest -Dsurefire.failIfNoSpecifiedTests=false
set -euo pipefail
cd "$(dirname "$0")"

ci=false
case "${CI:-}" in [Tt][Rr][Uu][Ee]) ci=true ;; esac

installed() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

# The missing commands and their packages, from the table.
missing_commands() {
  while IFS=$'\t' read -r command package _; do
    case "$command" in ''|'#'*) continue ;; esac
    installed "$command" || printf '%s\t%s\n' "$command" "$package"
  done < src/test/tools.tsv
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
can_install() {
  command -v apt-get >/dev/null 2>&1 &&
    { [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }
}

missing=$(missing_commands)
packages() { cut -f2 <<<"$missing" | sort -u | tr '\n' ' '; }
if [ -n "$missing" ] && can_install; then
  echo "Installing what the tests use: $(packages)"
  as_root apt-get update -qq
  # shellcheck disable=SC2046 # one word per package
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(packages) >/dev/null
  missing=$(missing_commands)
fi
if [ -n "$missing" ]; then
  commands=$(cut -f1 <<<"$missing" | tr '\n' ' ')
  if [ "$ci" = true ]; then
    echo "CI=true and these programs are missing: ${commands% } (sudo apt-get install -y $(packages))" >&2
    exit 1
  fi
  if can_install; then why="apt-get install did not provide them"; else why="not root, no sudo without a password, or no apt-get"; fi
  echo "Not installed ($why): ${commands% }."
  echo "The tests that need them will be skipped."
fi

rm -f target/skipped-tests.tsv
status=0
./mvnw -B -ntp verify "$@" || status=$?

if [ -s target/skipped-tests.tsv ]; then
  echo
  echo "Skipped test classes (a program they run is not installed):"
  sort -u target/skipped-tests.tsv | while IFS=$'\t' read -r class commands _; do
    printf '  %-28s needs %s\n' "$class" "$commands"
  done
  echo "To run them too: sudo apt-get install -y $(cut -f3 target/skipped-tests.tsv | tr ' ' '\n' | sort -u | tr '\n' ' ')"
fi
exit "$status"
