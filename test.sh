#!/usr/bin/env bash
# Runs every test: installs the programs the tests use where it can, then ./mvnw verify.
#
# The programs, their Debian/Ubuntu packages and what they are for are listed in
# src/test/tools.tsv. Missing ones are installed with apt-get when this runs as root or can use
# sudo without a password. Otherwise the tests that need them are skipped and listed at the end
# with the command that installs them; under CI=true a missing program fails the run instead.
# The npm packages of the table (npm:NAME@VERSION) are installed with npm into target/npm at their
# pinned versions, the same way: skipped tests where that fails, a failed run under CI=true.
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
    case "$package" in npm:*) continue ;; esac
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

# The npm packages of the table, NAME@VERSION, and those not installed at that version. The
# version is read from the installed package.json as the tests read it (Tools.java).
npm_dir=target/npm
npm_specs() {
  while IFS=$'\t' read -r _ package _; do
    case "$package" in npm:*) printf '%s\n' "${package#npm:}" ;; esac
  done < src/test/tools.tsv
}
npm_installed() {
  local manifest="$npm_dir/node_modules/${1%@*}/package.json"
  [ -f "$manifest" ] &&
    [ "$(grep -Eo '"version"[[:space:]]*:[[:space:]]*"[^"]*"' "$manifest" | head -1 | cut -d'"' -f4)" = "${1##*@}" ]
}
missing_npm() { for spec in $(npm_specs); do npm_installed "$spec" || printf '%s\n' "$spec"; done; }

missing=$(missing_npm)
if [ -n "$missing" ] && installed npm; then
  echo "Installing the npm packages the tests read: $(paste -sd' ' <<<"$missing")"
  mkdir -p "$npm_dir"
  # All of them in one command: npm removes what a later --no-save install does not name.
  # --ignore-scripts: these packages are data, nothing of theirs needs to run.
  # shellcheck disable=SC2046 # one word per package
  npm install --prefix "$npm_dir" --no-save --ignore-scripts --no-audit --no-fund --loglevel=error \
    $(npm_specs) >/dev/null || true
  missing=$(missing_npm)
fi
if [ -n "$missing" ]; then
  specs=$(tr '\n' ' ' <<<"$missing")
  if [ "$ci" = true ]; then
    echo "CI=true and these npm packages could not be installed: ${specs% } (npm install --prefix $npm_dir --no-save --ignore-scripts ${specs% })" >&2
    exit 1
  fi
  echo "Not installed (no npm, or npm install failed): ${specs% }."
  echo "The tests that need them will be skipped."
fi

rm -f target/skipped-tests.tsv
status=0
./mvnw -B -ntp verify "$@" || status=$?

if [ -s target/skipped-tests.tsv ]; then
  echo
  echo "Skipped test classes (a program they run or a package they read is not installed):"
  sort -u target/skipped-tests.tsv | while IFS=$'\t' read -r class commands _; do
    printf '  %-28s needs %s\n' "$class" "$commands"
  done
  packages=$(cut -f3 target/skipped-tests.tsv | tr ' ' '\n' | sort -u)
  debian=$(grep -v '^npm:' <<<"$packages" | tr '\n' ' ' || true)
  npm=$(grep '^npm:' <<<"$packages" | sed 's/^npm://' | tr '\n' ' ' || true)
  how=()
  if [ -n "${debian// /}" ]; then how+=("sudo apt-get install -y ${debian% }"); fi
  if [ -n "${npm// /}" ]; then how+=("npm install --prefix $npm_dir --no-save --ignore-scripts ${npm% }"); fi
  echo "To run them too: ${how[0]}"
  if [ "${#how[@]}" -gt 1 ]; then echo "             and ${how[1]}"; fi
fi
exit "$status"
