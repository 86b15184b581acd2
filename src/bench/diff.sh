#!/usr/bin/env bash
# The unified diff of a large file: `bumper bump-manifest --dry-run` (which prints the diff and
# writes nothing) on one multi-document file of MB megabytes, where the image is used in two
# documents, one near the start and one near the end, against the text tools' way of getting
# the same diff: `sed` into a copy, then `diff -u`. See src/bench/README.md.
#
#   bash src/bench/diff.sh
#
# Environment:
#   MB=50         size of the generated file
#   ROUNDS=5      timed rounds; contenders interleaved, order rotating
#   BUILD=auto    auto | always | never: (re)build target/bumper.jar (see lib.sh)
#   BENCH_TMP=/tmp  where the file is generated
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/src/bench"
MB="${MB:-50}"
ROUNDS="${ROUNDS:-5}"
WORK="$(mktemp -d "${BENCH_TMP:-/tmp}/bumper-diff.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$BENCH/lib.sh"

for tool in java python3 sed diff; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
[[ -x /usr/bin/time ]] || die "missing /usr/bin/time (apt-get install -y time)"
ensure_jar
ensure_launcher

mkdir -p "$WORK/config"
FILE="$WORK/config/big.yaml"
python3 - "$FILE" "$MB" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
docs, size = [], 0
i = 0
while size < mb * 1024 * 1024:
    doc = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\nspec:\n  template:\n"
           "    spec:\n      containers:\n        - name: main\n          image: registry.example.com/team/app-%d:1.0.%d\n---\n"
           % (i, i, i))
    docs.append(doc)
    size += len(doc)
    i += 1
for k in (10, len(docs) - 10):
    docs[k] = docs[k].replace("registry.example.com/team/app-%d:1.0.%d" % (k, k), "ghcr.io/acme/web:1.0")
open(path, "w").write("".join(docs))
PY
SUM="$(sha256sum "$FILE" | cut -d' ' -f1)"
note "$(du -m "$FILE" | cut -f1) MB, $(grep -c '^kind:' "$FILE") documents, the image in 2"

RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# verify NAME OUT: exactly the two image lines change, and the file is untouched.
verify() {
  local out="$2"
  [[ "$(grep -c '^-.*image: ghcr.io/acme/web:1.0$' "$out")" == 2 ]] || return 1
  [[ "$(grep -c '^+.*image: ghcr.io/acme/web:2.0$' "$out")" == 2 ]] || return 1
  [[ "$(grep -c '^[-+] ' "$out")" == 4 ]] || return 1
  [[ "$(sha256sum "$FILE" | cut -d' ' -f1)" == "$SUM" ]]
}

run() {
  local name="$1" round="$2"; shift 2
  local out="$WORK/$name.out" stats="$WORK/$name.time" start end code=0
  start=$(now_ns)
  /usr/bin/time -o "$stats" -f '%M %U %S' "$@" >"$out" 2>"$WORK/$name.err" || code=$?
  end=$(now_ns)
  local ok=ok
  # diff exits 1 when the files differ, which is the point here
  if [[ "$name" == sed+diff ]]; then (( code <= 1 )) || ok=failed; else (( code == 0 )) || ok=failed; fi
  verify "$name" "$out" || ok=failed
  [[ "$ok" == ok ]] || note "$name round $round failed (exit $code): $(head -c 300 "$WORK/$name.err")"
  read -r rss user sys < <(tail -n 1 "$stats") # time prefixes a line when the exit is not 0
  printf '%s\t%d\t%s\t%s\t%s\t%s\n' "$name" "$round" \
    "$(python3 -c "print(($end - $start) / 1e9)")" "$rss" "$(python3 -c "print($user + $sys)")" "$ok" >>"$RESULTS"
}

contender() {
  case "$1" in
    launcher) run launcher "$2" "$LAUNCHER" bump-manifest --dry-run -C "$WORK/config" -i ghcr.io/acme/web:2.0 ;;
    java-jar) run java-jar "$2" java -jar "$JAR" bump-manifest --dry-run -C "$WORK/config" -i ghcr.io/acme/web:2.0 ;;
    sed+diff) run sed+diff "$2" sh -c 'sed "s|ghcr.io/acme/web:1.0|ghcr.io/acme/web:2.0|" "$1" >"$2" && diff -u "$1" "$2"' \
                sh "$FILE" "$WORK/new.yaml" ;;
  esac
}

names=(launcher java-jar sed+diff)
for name in "${names[@]}"; do contender "$name" 0; done
: >"$RESULTS" # the first round warms the page cache and is not counted
for ((round = 1; round <= ROUNDS; round++)); do
  for ((k = 0; k < ${#names[@]}; k++)); do
    contender "${names[(k + round) % ${#names[@]}]}" "$round"
  done
done

python3 "$BENCH/benchlib.py" diff-report "$RESULTS" "$MB"
failed=$(grep -c $'\tfailed$' "$RESULTS" || true)
(( failed == 0 )) || die "$failed runs failed their verification"
