#!/usr/bin/env bash
# Whole-process benchmark of `bumper bump-manifest` on a generated config-repo tree,
# side by side with a sed floor and a YAML-aware yq rewrite. See src/bench/README.md.
#
#   bash src/bench/bump-tree.sh
#
# Environment:
#   N=20000          files in the generated tree (N/100 of them use ghcr.io/acme/web:1.4.1)
#   ROUNDS=5         timed rounds; each round runs every contender once, in rotating order
#   YQ_ROUNDS=ROUNDS rounds that include yq (it is slow); yq also stops after a run that
#                    took longer than YQ_MAX_SECONDS=300
#   JAVA_OPTS=       extra JVM options for bumper, e.g. JAVA_OPTS='-Xmx256m -XX:+UseSerialGC'
#   WARMUP=1         untimed warm-up runs of bumper and sed before round 1 (0 to disable)
#   BUILD=auto       auto | always | never: (re)build target/bumper.jar (see lib.sh)
#   SEED=42          generator seed
#   BENCH_TMP=/tmp   where the scratch directory goes (tree + copies; ~3x the tree size)
#   CONTENDERS="bumper sed yq"  (also: launcher, target/bumper with its own JVM settings and a
#                    class-data-sharing archive made beside it by an untimed bump of a copy;
#                    warm, bumper in one JVM kept running between runs: the run without the
#                    JVM's start and warm-up, which no CI job gets; see WarmJvm.java)
#   BASELINE_JAR=    another bumper build, e.g. a jar saved before a refactoring: adds contender
#                    baseline (run as bumper is) and the ratio of medians bumper/baseline
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/src/bench"
N="${N:-20000}"
ROUNDS="${ROUNDS:-5}"
YQ_ROUNDS="${YQ_ROUNDS:-$ROUNDS}"
YQ_MAX_SECONDS="${YQ_MAX_SECONDS:-300}"
JAVA_OPTS="${JAVA_OPTS:-}"
WARMUP="${WARMUP:-1}"
SEED="${SEED:-42}"
CONTENDERS="${CONTENDERS:-bumper sed yq}"
if [[ -n "${BASELINE_JAR:-}" && " $CONTENDERS " != *" baseline "* ]]; then
  CONTENDERS="$CONTENDERS baseline"
fi
IMAGE_OLD="ghcr.io/acme/web:1.4.1"
IMAGE_NEW="ghcr.io/acme/web:1.4.2"
YQ_FILTER='(.. | objects | select(has("image")) | select(.image|type=="string") | select(.image|startswith("ghcr.io/acme/web:")) | .image) |= "ghcr.io/acme/web:1.4.2"'

WORK="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/bump-tree.XXXXXX")"
cleanup() {
  stop_warm_jvm
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$BENCH/lib.sh"

for tool in java python3 grep sed xargs; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
[[ -x /usr/bin/time ]] || die "missing /usr/bin/time (apt-get install -y time)"
if [[ " $CONTENDERS " == *" yq "* ]]; then
  command -v yq >/dev/null || die "missing yq (python-yq); or set CONTENDERS='bumper sed'"
fi
read -r -a JOPTS <<<"$JAVA_OPTS"

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
ensure_jar
if [[ " $CONTENDERS " == *" launcher "* ]]; then
  ensure_launcher
fi
export LAUNCHER="${LAUNCHER:-}"
BUMPER_VERSION="$(java "${JOPTS[@]}" -jar "$JAR" --version 2>&1)" ||
  die "'java $JAVA_OPTS -jar bumper.jar --version' failed: $BUMPER_VERSION"
BUMPER_VERSION="${BUMPER_VERSION%%$'\n'*}"
note "jar: $BUMPER_VERSION, sha256 $(sha256sum "$JAR" | cut -c1-12)"
ensure_baseline
if [[ " $CONTENDERS " == *" baseline "* ]] && ((!BASELINE)); then
  die "contender baseline needs BASELINE_JAR (the jar of another bumper build)"
fi

note "generating $N files (seed $SEED)"
GEN_JSON="$(python3 "$BENCH/gen-tree.py" "$WORK/tree" -n "$N" --seed "$SEED" --targets-file "$WORK/targets")"
note "tree: $GEN_JSON"
read -r EXPECTED_DIGEST EXPECTED_COUNT < <(python3 "$BENCH/benchlib.py" expected "$WORK/tree" "$IMAGE_OLD" "$IMAGE_NEW")
GREP_FILES="$(grep -rl 'ghcr.io/acme/web:' "$WORK/tree" | wc -l || true)"
N_TARGETS="$(wc -l <"$WORK/targets")"

# --- contenders ---------------------------------------------------------------------
# /usr/bin/time needs a program, so the commands live in a small wrapper script:
# `run NAME COPY`. bumper and baseline are exec'd (no shell in between); sed and yq are shell
# pipelines, exactly as one would type them.
cat >"$WORK/run" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
read -r -a JOPTS <<<"${JAVA_OPTS:-}"
case "$1" in
  bumper) exec java "${JOPTS[@]}" -jar "$JAR" bump-manifest -C "$2" -i ghcr.io/acme/web:1.4.2 -q ;;
  launcher) unset BUMPER_JAVA_OPTS; exec "$LAUNCHER" bump-manifest -C "$2" -i ghcr.io/acme/web:1.4.2 -q ;;
  baseline) exec java "${JOPTS[@]}" -jar "$BASE_JAR" bump-manifest -C "$2" -i ghcr.io/acme/web:1.4.2 -q ;;
  warm) exec "$WARM_CLIENT" bump-manifest -C "$2" -i ghcr.io/acme/web:1.4.2 -q ;;
  sed) grep -rl 'ghcr.io/acme/web:' "$2" | xargs sed -i 's|ghcr.io/acme/web:1.4.1|ghcr.io/acme/web:1.4.2|g' ;;
  yq) grep -rl 'ghcr.io/acme/web:' "$2" | xargs -n1 yq -y -i "$YQ_FILTER" ;;
  *) echo "run: unknown contender $1" >&2; exit 2 ;;
esac
SH
chmod +x "$WORK/run"
export JAR BASE_JAR="${BASE_JAR:-}" JAVA_OPTS YQ_FILTER

# verify NAME COPY RC: prints problems, returns 1 if the run is not a correct bump.
verify() {
  local name="$1" copy="$2" rc="$3" bad=0 got
  if (( rc != 0 )); then
    echo "VERIFY $name: exit code $rc; stderr:" >&2
    head -c 4000 "$WORK/err" | sed 's/^/    /' >&2
    bad=1
  fi
  # the files now holding the new image must be exactly the targets
  got="$(grep -rlF "$IMAGE_NEW" "$copy" | sed "s|^$copy/||" | sort || true)"
  if [[ "$got" != "$(sort "$WORK/targets")" ]]; then
    echo "VERIFY $name: $(printf '%s' "$got" | grep -c . || true) files contain $IMAGE_NEW, expected exactly the $N_TARGETS targets" >&2
    bad=1
  fi
  if grep -rqF "$IMAGE_OLD" "$copy"; then
    echo "VERIFY $name: $(grep -rlF "$IMAGE_OLD" "$copy" | wc -l) files still contain $IMAGE_OLD" >&2
    bad=1
  fi
  got="$(grep -roF "$IMAGE_NEW" "$copy" | wc -l || true)"
  if (( got != EXPECTED_COUNT )); then
    echo "VERIFY $name: $got occurrences of $IMAGE_NEW, expected $EXPECTED_COUNT" >&2
    bad=1
  fi
  # byte-exact contenders must produce exactly the expected tree (no other byte changed,
  # no stray temp files); yq reformats the files it touches, so it only gets the checks above
  if [[ "$name" != yq ]]; then
    got="$(python3 "$BENCH/benchlib.py" digest "$copy")"
    if [[ "$got" != "$EXPECTED_DIGEST" ]]; then
      echo "VERIFY $name: tree is not byte-identical to the expected result; first differences:" >&2
      python3 - "$WORK/tree" "$copy" "$IMAGE_OLD" "$IMAGE_NEW" >&2 <<'PY' || true
import os, sys, difflib
src, dst, old, new = sys.argv[1:]
shown = 0
for d, _, fs in os.walk(dst):
    for f in fs:
        rel = os.path.relpath(os.path.join(d, f), dst)
        s = os.path.join(src, rel)
        if not os.path.exists(s):
            print(f"    extra file: {rel}"); shown += 1; continue
        exp = open(s, "rb").read().replace(old.encode(), new.encode())
        act = open(os.path.join(dst, rel), "rb").read()
        if exp != act:
            shown += 1
            print(f"    differs: {rel}")
            for l in list(difflib.unified_diff(exp.decode(errors="replace").splitlines(),
                                                act.decode(errors="replace").splitlines(),
                                                "expected", "actual", lineterm="", n=1))[:12]:
                print("      " + l)
        if shown >= 5: sys.exit(0)
for d, _, fs in os.walk(src):
    for f in fs:
        rel = os.path.relpath(os.path.join(d, f), src)
        if not os.path.exists(os.path.join(dst, rel)):
            print(f"    missing file: {rel}"); shown += 1
            if shown >= 5: sys.exit(0)
PY
      bad=1
    fi
  fi
  return $bad
}

# run_one NAME ROUND: fresh copy (untimed), timed run, verification; appends to results.tsv
# (ROUND 0 = warm-up, not recorded). Sets LAST_SECS.
run_one() {
  local name="$1" round="$2" copy="$WORK/run-$1" rc ok=ok
  rm -rf "$copy"
  cp -a "$WORK/tree" "$copy"
  sync
  timed_run "$WORK/run" "$name" "$copy"
  rc="$RUN_RC"
  verify "$name" "$copy" "$rc" || ok=bad
  rm -rf "$copy"
  LAST_SECS="$RUN_SECS"
  record "$WORK/results.tsv" "$name" "$round" "$ok"
}

# --- main ------------------------------------------------------------------------------
: >"$WORK/results.tsv"
NOTES=()
if [[ -n "$LAUNCHER" ]]; then
  # the archive as install.sh makes one beside the launcher
  (unset BUMPER_JAVA_OPTS; make_archive "$LAUNCHER")
fi
WARMED=()
if [[ " $CONTENDERS " == *" warm "* ]]; then
  start_warm_jvm
  # three untimed runs whatever WARMUP says: the contender is the JVM once it is warm
  for _ in 1 2 3; do run_one warm 0; done
  NOTES+=("warm: three untimed runs before round 1; its CPU is the warm JVM's for the run, its RSS that JVM's resident size after it")
fi
if ((WARMUP)); then
  for c in $CONTENDERS; do
    [[ "$c" == yq || "$c" == warm ]] && continue
    run_one "$c" 0
    WARMED+=("$c")
  done
fi
read -r -a CLIST <<<"$CONTENDERS"
YQ_STOPPED=0
for ((r = 1; r <= ROUNDS; r++)); do
  k=${#CLIST[@]}
  for ((i = 0; i < k; i++)); do
    c="${CLIST[$(((i + r - 1) % k))]}"   # rotate the order each round
    if [[ "$c" == yq ]]; then
      if ((r > YQ_ROUNDS || YQ_STOPPED)); then continue; fi
    fi
    run_one "$c" "$r"
    if [[ "$c" == yq ]] && awk -v s="$LAST_SECS" -v m="$YQ_MAX_SECONDS" 'BEGIN{exit !(s > m)}'; then
      YQ_STOPPED=1
      NOTES+=("yq took ${LAST_SECS}s (> YQ_MAX_SECONDS=$YQ_MAX_SECONDS) in round $r: no further yq rounds")
    fi
  done
done
YQ_DONE="$(grep -c '^yq' "$WORK/results.tsv" || true)"
if [[ " $CONTENDERS " == *" yq "* ]] && ((YQ_DONE < ROUNDS)); then
  NOTES+=("yq ran $YQ_DONE of $ROUNDS rounds (YQ_ROUNDS=$YQ_ROUNDS)")
fi
if [[ " $CONTENDERS " == *" yq "* ]]; then
  NOTES+=("yq runs one 'yq -y -i' process per grep-selected file (xargs -n1), sequentially")
fi
NOTES+=("load average (1/5/15 min) at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') on $(nproc) CPUs")
((WARMUP)) && NOTES+=("one untimed warm-up run each of ${WARMED[*]} before round 1")

python3 - "$WORK/meta.json" "$GEN_JSON" "$ROUNDS" "$YQ_DONE" "$JAVA_OPTS" "$BUMPER_VERSION" \
  "$(nproc)" "$(java -version 2>&1 | head -1)" "$GREP_FILES" "${BASELINE_JAR:-}" "${BASELINE_VERSION:-}" \
  "${NOTES[@]}" <<'PY'
import json, sys
out, gen, rounds, yq, jo, ver, cpus, java, grepf, base_jar, base_ver, *notes = sys.argv[1:]
m = json.loads(gen)
m.update(rounds=int(rounds), yq_rounds=int(yq), java_opts=jo, bumper_version=ver, cpus=int(cpus),
         java=java, grep_files=int(grepf), notes=notes)
if base_jar:
    m["baseline"] = {"jar": base_jar, "version": base_ver}
json.dump(m, open(out, "w"))
PY
python3 "$BENCH/benchlib.py" tree-report "$WORK/results.tsv" "$WORK/meta.json"
