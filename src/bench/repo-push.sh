#!/usr/bin/env bash
# Whole-process benchmark of the config-repo flow, `bumper bump-manifest --repo URL --push`,
# over file://, side by side with the shell way (shallow clone, grep | sed, commit, push).
# See src/bench/README.md.
#
#   bash src/bench/repo-push.sh
#
# Environment:
#   SIZES="2000 20000"  files in each generated config repo (N/100 use ghcr.io/acme/web:1.4.1)
#   ROUNDS=5            timed rounds per size; each round runs every contender once, in
#                       rotating order. ROUNDS_<N> overrides it for one size (ROUNDS_20000=3)
#   HISTORY=300         commits of history in each config repo (see gen-history.py)
#   WARMUP=1            one untimed run of each contender per size before round 1 (0: none)
#   BUILD=missing       missing | auto | always | never (see lib.sh); the default builds
#                       target/bumper.jar only when there is none
#   SEED=42             generator seed (tree and history)
#   BENCH_TMP=/tmp      where the scratch directory goes (repos, copies, clones)
#   CONTENDERS="bumper bumper-jar shell"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/src/bench"
SIZES="${SIZES:-2000 20000}"
ROUNDS="${ROUNDS:-5}"
HISTORY="${HISTORY:-300}"
WARMUP="${WARMUP:-1}"
SEED="${SEED:-42}"
BUILD="${BUILD:-missing}"
CONTENDERS="${CONTENDERS:-bumper bumper-jar shell}"
IMAGE_OLD="ghcr.io/acme/web:1.4.1"
IMAGE_NEW="ghcr.io/acme/web:1.4.2"

WORK="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/repo-push.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$BENCH/lib.sh"

for tool in java python3 git grep sed xargs; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
[[ -x /usr/bin/time ]] || die "missing /usr/bin/time (apt-get install -y time)"
for c in $CONTENDERS; do
  case "$c" in bumper | bumper-jar | shell) ;; *) die "unknown contender '$c' (bumper, bumper-jar, shell)" ;; esac
done
for n in $SIZES; do [[ "$n" =~ ^[0-9]+$ ]] && ((n >= 100)) || die "SIZES: '$n' is not a number >= 100"; done
((HISTORY >= 1)) || die "HISTORY must be >= 1"

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
ensure_jar
ensure_launcher
BUMPER_VERSION="$("$LAUNCHER" --version 2>&1)" || die "'bumper --version' failed: $BUMPER_VERSION"
BUMPER_VERSION="${BUMPER_VERSION%%$'\n'*}"
note "jar: $BUMPER_VERSION, sha256 $(sha256sum "$JAR" | cut -c1-12)"

# --- contenders ---------------------------------------------------------------------
# `run NAME COPY SCRATCH`, under /usr/bin/time. bumper is exec'd (the launcher is a sh script
# that execs java); the shell flow is typed as one would in CI, in SCRATCH.
cat >"$WORK/run" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
case "$1" in
  bumper) exec "$LAUNCHER" bump-manifest --repo "file://$2" --push -i ghcr.io/acme/web:1.4.2 -q ;;
  bumper-jar) exec java -jar "$JAR" bump-manifest --repo "file://$2" --push -i ghcr.io/acme/web:1.4.2 -q ;;
  shell)
    cd "$3"
    git clone -q --depth 1 "file://$2" work && cd work &&
      grep -rl 'ghcr.io/acme/web:' . | xargs sed -i 's|ghcr.io/acme/web:1.4.1|ghcr.io/acme/web:1.4.2|g' &&
      git -c user.name=ci -c user.email=ci@x commit -qam "Deploy" && git push -q origin HEAD ;;
  *) echo "run: unknown contender $1" >&2; exit 2 ;;
esac
SH
chmod +x "$WORK/run"
export JAR LAUNCHER

# verify NAME COPY RC: prints problems, returns 1 unless main in COPY has exactly one new
# commit on top of BASE that changes exactly the targets, byte for byte 1.4.1 -> 1.4.2.
verify() {
  local name="$1" copy="$2" rc="$3" bad=0 got
  local -a git=(git --git-dir "$copy")
  if ((rc != 0)); then
    echo "VERIFY $name: exit code $rc; stderr:" >&2
    head -c 4000 "$WORK/err" | sed 's/^/    /' >&2
    bad=1
  fi
  read -r -a got < <("${git[@]}" rev-list --parents -n1 main 2>/dev/null || true)
  if ((${#got[@]} != 2)) || [[ "${got[1]}" != "$BASE" ]]; then
    echo "VERIFY $name: main is ${got[0]:-?} with parents '${got[*]:1}', expected one new commit on $BASE" >&2
    return 1
  fi
  got="$("${git[@]}" diff --name-only main~1 main | wc -l)"
  if ((got != N_TARGETS)); then
    echo "VERIFY $name: the new commit changes $got files, expected the $N_TARGETS targets" >&2
    bad=1
  elif [[ "$("${git[@]}" diff --name-only main~1 main | sort)" != "$(sort "$D/targets")" ]]; then
    echo "VERIFY $name: the new commit changes $got files, but not exactly the targets" >&2
    bad=1
  fi
  if "${git[@]}" grep -q -F "$IMAGE_OLD" main; then
    echo "VERIFY $name: $("${git[@]}" grep -l -F "$IMAGE_OLD" main | wc -l) files on main still contain $IMAGE_OLD" >&2
    bad=1
  fi
  if [[ "$("${git[@]}" grep -c -F "$IMAGE_NEW" main | sort || true)" != "$EXPECTED_GREP" ]]; then
    echo "VERIFY $name: git grep -c $IMAGE_NEW on main is not one line per target with its count of $IMAGE_OLD" >&2
    bad=1
  fi
  byte_exact "$name" "$copy" "$BASE" || bad=1
  return $bad
}

# run_one NAME ROUND: fresh copy of the bare repo (untimed), timed run, verification, clean-up
# (untimed); appends to $D/results.tsv (ROUND 0 = warm-up, not recorded).
run_one() {
  local name="$1" round="$2" copy="$WORK/copy.git" scratch="$WORK/scratch" rc ok=ok
  rm -rf "$copy" "$scratch"
  cp -a "$D/bare.git" "$copy"
  mkdir "$scratch"
  sync
  timed_run "$WORK/run" "$name" "$copy" "$scratch"
  rc="$RUN_RC"
  verify "$name" "$copy" "$rc" || ok=bad
  rm -rf "$copy" "$scratch"
  record "$D/results.tsv" "$name" "$round" "$ok" "$N files"
}

# --- main ------------------------------------------------------------------------------
read -r -a CLIST <<<"$CONTENDERS"
: >"$WORK/sizes.jsonl"
NOTES=()
for N in $SIZES; do
  D="$WORK/n$N"
  mkdir -p "$D"
  rv="ROUNDS_$N"
  R="${!rv:-$ROUNDS}"
  [[ "$R" =~ ^[0-9]+$ ]] && ((R >= 1)) || die "$rv/ROUNDS must be a number >= 1 (got '$R')"
  ((R != ROUNDS)) && NOTES+=("$N files: $R rounds ($rv)")

  # setup (untimed): tree, history, bare repo
  t0="$(now_ns)"
  note "$N files: generating the tree and $HISTORY commits of history (seed $SEED)"
  GEN_JSON="$(python3 "$BENCH/gen-tree.py" "$D/tree" -n "$N" --seed "$SEED" --targets-file "$D/targets")"
  git init -q --bare -b main "$D/bare.git"
  python3 "$BENCH/gen-history.py" "$D/tree" "$D/targets" --commits "$HISTORY" --seed "$SEED" 2>"$D/history.json" |
    git --git-dir "$D/bare.git" fast-import --quiet
  git --git-dir "$D/bare.git" gc -q --prune=now
  rm -rf "$D/tree"
  BASE="$(git --git-dir "$D/bare.git" rev-parse refs/heads/main)"
  N_TARGETS="$(wc -l <"$D/targets")"
  EXPECTED_GREP="$(git --git-dir "$D/bare.git" grep -c -F "$IMAGE_OLD" main | sort | sed "s|^main:||")"
  [[ "$(printf '%s\n' "$EXPECTED_GREP" | cut -d: -f1)" == "$(sort "$D/targets")" ]] ||
    die "$N files: the files holding $IMAGE_OLD at the tip are not the targets"
  EXPECTED_GREP="$(printf '%s\n' "$EXPECTED_GREP" | sed "s|^|main:|")"
  ! git --git-dir "$D/bare.git" grep -q -F "$IMAGE_NEW" main || die "$N files: $IMAGE_NEW already at the tip"
  REPO_KB="$(du -sk "$D/bare.git" | cut -f1)"
  note "$N files: repo $(cat "$D/history.json"), $((REPO_KB / 1024)) MiB, tip ${BASE:0:12}, set up in $(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN{printf "%.1f", (b-a)/1e9}')s"

  : >"$D/results.tsv"
  if ((WARMUP)); then
    for c in "${CLIST[@]}"; do run_one "$c" 0; done
  fi
  k=${#CLIST[@]}
  for ((r = 1; r <= R; r++)); do
    for ((i = 0; i < k; i++)); do
      run_one "${CLIST[$(((i + r - 1) % k))]}" "$r"   # rotate the order each round
    done
  done
  python3 - "$GEN_JSON" "$D/history.json" "$R" "$REPO_KB" "$D/results.tsv" >>"$WORK/sizes.jsonl" <<'PY'
import json, sys
gen, hist, rounds, kb, results = sys.argv[1:]
m = json.loads(gen)
m.update(history=json.load(open(hist)), rounds=int(rounds), repo_mib=int(kb) / 1024, results=results)
print(json.dumps(m))
PY
  rm -rf "$D/bare.git"
done

NOTES+=("load average (1/5/15 min) at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') on $(nproc) CPUs")
((WARMUP)) && NOTES+=("one untimed warm-up run of each contender per size before round 1")
[[ -n "${BUMPER_JAVA_OPTS+x}" ]] && NOTES+=("BUMPER_JAVA_OPTS='$BUMPER_JAVA_OPTS' replaces the launcher's JVM settings")
NOTES+=("timed: the whole process (bumper: incl. deleting its temporary repo; shell: clone to commit to push); untimed: cp -a of the repo, removing the clone")

python3 - "$WORK/meta.json" "$WORK/sizes.jsonl" "$HISTORY" "$ROUNDS" "$BUMPER_VERSION" "$(nproc)" \
  "$(java -version 2>&1 | head -1)" "$(git --version)" "${NOTES[@]}" <<'PY'
import json, sys
out, sizes, history, rounds, ver, cpus, java, git, *notes = sys.argv[1:]
m = dict(history=int(history), rounds=int(rounds), bumper_version=ver, cpus=int(cpus), java=java, git=git,
         notes=notes, sizes=[json.loads(l) for l in open(sizes) if l.strip()])
json.dump(m, open(out, "w"))
PY
python3 "$BENCH/benchlib.py" repo-report "$WORK/meta.json"
