#!/usr/bin/env bash
# Whole-process benchmark of `bumper bump-manifest --repo URL --push` where CI runs it: the config
# repo served by `git daemon` behind a proxy that delays every chunk DELAY_MS each way (a git host
# 2 * DELAY_MS away), everything on tmpfs, side by side with the shell way (shallow clone,
# grep | sed, commit, push). Then thirty-two pipelines at once on one shared values file.
# See src/bench/README.md.
#
#   bash src/bench/remote-push.sh
#
# Environment:
#   SCENARIOS="2000 20000 20000:path"
#                       each N[:path][@HISTORY]: a config repo of N files (N/100 use
#                       ghcr.io/acme/web:1.4.1); ":path" passes one app's directory as PATH (the
#                       shell greps only there too); "@H" gives it H commits of history;
#                       "@H+MB" adds MB megabytes of since-deleted files to that history
#                       (gen-history.py --ballast-mb), e.g. 2000@50000+2048
#   ROUNDS=7            timed rounds per scenario; each round runs every contender once, in
#                       rotating order
#   HISTORY=300         commits of history where a scenario names none (see gen-history.py)
#   RACE=32             pipelines at once in the race scenario (0: skip it)
#   RACE_ROUNDS=3       rounds of the race scenario (each: bumper's 32, then the shell's 32, rotating)
#   DELAY_MS=10         the proxy's delay each way
#   FILTER=1            the served repos allow fetch filters (uploadpack.allowFilter), as GitHub
#                       and GitLab do; 0: they do not
#   WARMUP=1            one untimed run of each contender per scenario before round 1 (0: none)
#   BUILD=missing       missing | auto | always | never (see lib.sh)
#   SEED=42             generator seed (tree and history)
#   BENCH_TMP=/dev/shm  where the scratch directory goes (falls back to /tmp with a note)
#   CONTENDERS="bumper bumper-jar shell"  (also: bumper-clone, the launcher in clone mode: -C DIR;
#                       bumper-warm, the bump in one JVM kept running between runs: the run
#                       without the JVM's start and warm-up, which no CI job gets; WarmJvm.java)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/src/bench"
SCENARIOS="${SCENARIOS:-2000 20000 20000:path}"
ROUNDS="${ROUNDS:-7}"
HISTORY="${HISTORY:-300}"
RACE="${RACE:-32}"
RACE_ROUNDS="${RACE_ROUNDS:-3}"
DELAY_MS="${DELAY_MS:-10}"
FILTER="${FILTER:-1}"
WARMUP="${WARMUP:-1}"
SEED="${SEED:-42}"
BUILD="${BUILD:-missing}"
CONTENDERS="${CONTENDERS:-bumper bumper-jar shell}"
IMAGE_OLD="ghcr.io/acme/web:1.4.1"
IMAGE_NEW="ghcr.io/acme/web:1.4.2"

NOTES=()
TMP_BASE="${BENCH_TMP:-/dev/shm}"
if [[ -z "${BENCH_TMP:-}" ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]] && [[ "$(stat -f -c %T /dev/shm 2>/dev/null)" == tmpfs ]]; then
    NOTES+=("scratch on /dev/shm (tmpfs, $(df -h --output=size /dev/shm | tail -1 | tr -d ' ') )")
  else
    TMP_BASE="${TMPDIR:-/tmp}"
    NOTES+=("no writable tmpfs at /dev/shm: scratch on $TMP_BASE, so the shell's checkout pays for a disk")
  fi
else
  NOTES+=("scratch on BENCH_TMP=$BENCH_TMP ($(stat -f -c %T "$BENCH_TMP" 2>/dev/null || echo '?'))")
fi
WORK="$(mktemp -d "$TMP_BASE/remote-push.XXXXXX")"
PIDS=()
cleanup() {
  stop_warm_jvm
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$BENCH/lib.sh"

for tool in java python3 git grep sed xargs; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
[[ -x /usr/bin/time ]] || die "missing /usr/bin/time (apt-get install -y time)"
for c in $CONTENDERS; do
  case "$c" in bumper | bumper-jar | bumper-clone | bumper-warm | shell) ;; *) die "unknown contender '$c' (bumper, bumper-jar, bumper-clone, bumper-warm, shell)" ;; esac
done
for s in $SCENARIOS; do
  [[ "$s" =~ ^[0-9]+(:path)?(@[0-9]+(\+[0-9]+)?)?$ ]] || die "SCENARIOS: '$s' is not N[:path][@HISTORY[+MB]]"
done
# Java's temporary files (bumper's temporary repository) on the same tmpfs, as a CI runner's
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
export BUMPER_JAVA_TMP="-Djava.io.tmpdir=$TMPDIR"

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
ensure_jar
ensure_launcher
BUMPER_VERSION="$("$LAUNCHER" --version 2>&1)" || die "'bumper --version' failed: $BUMPER_VERSION"
BUMPER_VERSION="${BUMPER_VERSION%%$'\n'*}"
note "jar: $BUMPER_VERSION, sha256 $(sha256sum "$JAR" | cut -c1-12)"

# --- server: git daemon on a free port, the delaying proxy in front of it ----------------------
SRV="$WORK/srv"
mkdir -p "$SRV"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DAEMON_PORT="$(free_port)"
git daemon --reuseaddr --base-path="$SRV" --export-all --enable=receive-pack --max-connections=0 \
  --listen=127.0.0.1 --port="$DAEMON_PORT" "$SRV" 2>"$WORK/daemon.log" &
PIDS+=($!)
python3 "$BENCH/delay-proxy.py" 0 "$DAEMON_PORT" --delay-ms "$DELAY_MS" --port-file "$WORK/proxy.port" \
  2>"$WORK/proxy.log" &
PIDS+=($!)
for _ in $(seq 100); do [[ -s "$WORK/proxy.port" ]] && break; sleep 0.1; done
[[ -s "$WORK/proxy.port" ]] || die "the proxy did not start: $(cat "$WORK/proxy.log")"
PORT="$(cat "$WORK/proxy.port")"
git init -q --bare "$SRV/ping.git"
for _ in $(seq 100); do git ls-remote "git://127.0.0.1:$DAEMON_PORT/ping.git" >/dev/null 2>&1 && break; sleep 0.1; done
URL="git://127.0.0.1:$PORT/copy.git"
# what the delay costs: a request through the proxy to the daemon's first answer
RTT_MS="$(python3 - "$PORT" <<'PY'
import socket, sys, time
req = b"git-upload-pack /ping.git\0host=127.0.0.1\0"
pkt = b"%04x" % (len(req) + 4) + req
best = None
for _ in range(5):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.settimeout(10)
    t = time.monotonic()
    s.sendall(pkt)
    s.recv(65536)
    best = min(best or 1e9, time.monotonic() - t)
    s.close()
print(f"{best * 1e3:.1f}")
PY
)"
note "git daemon on :$DAEMON_PORT, proxy on :$PORT (${DELAY_MS} ms each way), request to first answer ${RTT_MS} ms"

# --- contenders ----------------------------------------------------------------------------------
# `run NAME SCRATCH [PATH]`, under /usr/bin/time; the shell flow as one would type it in CI.
cat >"$WORK/run" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
name="$1" scratch="$2"; shift 2
case "$name" in
  bumper) exec "$LAUNCHER" bump-manifest --repo "$URL" --push -i ghcr.io/acme/web:1.4.2 -q "$@" ;;
  bumper-jar) exec java "$BUMPER_JAVA_TMP" -jar "$JAR" bump-manifest --repo "$URL" --push -i ghcr.io/acme/web:1.4.2 -q "$@" ;;
  bumper-clone) exec "$LAUNCHER" bump-manifest --repo "$URL" -C "$scratch/clone" --push -i ghcr.io/acme/web:1.4.2 -q "$@" ;;
  bumper-warm) exec "$WARM_CLIENT" bump-manifest --repo "$URL" --push -i ghcr.io/acme/web:1.4.2 -q "$@" ;;
  shell)
    cd "$scratch"
    git clone -q --depth 1 "$URL" work && cd work &&
      grep -rl 'ghcr.io/acme/web:' "${@:-.}" | xargs sed -i 's|ghcr.io/acme/web:1.4.1|ghcr.io/acme/web:1.4.2|g' &&
      git -c user.name=ci -c user.email=ci@x commit -qam "Deploy" && git push -q origin HEAD ;;
  *) echo "run: unknown contender $name" >&2; exit 2 ;;
esac
SH
chmod +x "$WORK/run"
export JAR LAUNCHER URL BUMPER_JAVA_OPTS_SET="${BUMPER_JAVA_OPTS+x}"
# the launcher's own settings plus the temporary directory, unless the caller replaced them
if [[ -z "${BUMPER_JAVA_OPTS+x}" ]]; then
  export BUMPER_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC $BUMPER_JAVA_TMP"
  grep -q 'TieredStopAtLevel=1' "$LAUNCHER" || note "WARNING: the launcher's JVM settings changed; BUMPER_JAVA_OPTS assumed"
fi

# verify NAME COPY RC: returns 1 unless main in COPY is exactly one new commit on BASE that
# changes exactly the expected targets, byte for byte 1.4.1 -> 1.4.2.
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
  if [[ "$("${git[@]}" diff --name-only main~1 main | sort)" != "$(sort "$EXPECT")" ]]; then
    echo "VERIFY $name: the new commit changes $("${git[@]}" diff --name-only main~1 main | wc -l) files, not exactly the $(wc -l <"$EXPECT") expected" >&2
    bad=1
  fi
  byte_exact "$name" "$copy" "$BASE" || bad=1
  return $bad
}

# run_one NAME ROUND: fresh copy of the bare repo as the served copy.git (untimed), timed run,
# verification, clean-up (untimed); appends to $D/results.tsv (ROUND 0 = warm-up, not recorded).
run_one() {
  local name="$1" round="$2" copy="$SRV/copy.git" scratch="$WORK/scratch" rc ok=ok
  rm -rf "$copy" "$scratch"
  cp -a "$REPO" "$copy"
  mkdir "$scratch"
  timed_run "$WORK/run" "$name" "$scratch" "${PATH_ARG[@]}"
  rc="$RUN_RC"
  verify "$name" "$copy" "$rc" || ok=bad
  rm -rf "$copy" "$scratch"
  record "$D/results.tsv" "$name" "$round" "$ok" "$SC"
}

# make_repo N HISTORY DIR [BALLAST_MB]: generated tree + history as a packed bare repo in DIR/bare.git
make_repo() {
  local n="$1" h="$2" d="$3" mb="${4:-0}"
  [[ -d "$d/bare.git" ]] && return 0
  mkdir -p "$d"
  local t0
  t0="$(now_ns)"
  python3 "$BENCH/gen-tree.py" "$d/tree" -n "$n" --seed "$SEED" --targets-file "$d/targets" >"$d/gen.json"
  git init -q --bare -b main "$d/bare.git"
  python3 "$BENCH/gen-history.py" "$d/tree" "$d/targets" --commits "$h" --seed "$SEED" \
    --ballast-mb "$mb" 2>"$d/history.json" | git --git-dir "$d/bare.git" fast-import --quiet
  # the ballast is random bytes: no delta would be found, so none is searched for
  git --git-dir "$d/bare.git" -c core.bigFileThreshold=4m gc -q --prune=now
  # as GitHub and GitLab serve: protocol v2 with filters (FILTER=0 serves without them)
  git --git-dir "$d/bare.git" config uploadpack.allowFilter "$( ((FILTER)) && echo true || echo false)"
  rm -rf "$d/tree"
  note "$n files, $h commits: repo $(cat "$d/history.json"), $(du -sh "$d/bare.git" | cut -f1), set up in $(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN{printf "%.1f", (b-a)/1e9}')s"
}

# --- scenarios -------------------------------------------------------------------------------------
read -r -a CLIST <<<"$CONTENDERS"
: >"$WORK/scenarios.jsonl"
for SC in $SCENARIOS; do
  n="${SC%%[:@]*}"
  h="$HISTORY" mb=0
  [[ "$SC" == *@* ]] && h="${SC##*@}"
  [[ "$h" == *+* ]] && mb="${h##*+}" h="${h%%+*}"
  D="$WORK/sc-${SC//[:@]/-}"
  mkdir -p "$D"
  rd="$WORK/repo-$n-$h"
  ((mb)) && rd+="+$mb"
  make_repo "$n" "$h" "$rd" "$mb"
  REPO="$rd/bare.git"
  BASE="$(git --git-dir "$REPO" rev-parse refs/heads/main)"
  PATH_ARG=()
  EXPECT="$D/expected"
  if [[ "$SC" == *:path* ]]; then
    # one app's directory: the first target's apps/team-XX/svc-YYY
    dir="$(head -1 "$rd/targets" | cut -d/ -f1-3)"
    PATH_ARG=("$dir")
    grep "^$dir/" "$rd/targets" >"$EXPECT"
  else
    cp "$rd/targets" "$EXPECT"
  fi
  # the files holding the old image at the tip, as the verification expects them
  [[ "$(git --git-dir "$REPO" grep -l -F "$IMAGE_OLD" main | sed 's|^main:||' | sort)" == "$(sort "$rd/targets")" ]] ||
    die "$SC: the files holding $IMAGE_OLD at the tip are not the targets"
  if [[ ! -f "$WORK/bumper.jsa" ]] && [[ " $CONTENDERS " == *" bumper "* || " $CONTENDERS " == *" bumper-clone "* ]]; then
    # the class-data-sharing archive, as install.sh makes one beside the launcher
    make_archive "$LAUNCHER"
  fi
  : >"$D/results.tsv"
  if [[ " $CONTENDERS " == *" bumper-warm "* ]]; then
    [[ -n "${WARM_PID:-}" ]] || start_warm_jvm
    # three untimed runs whatever WARMUP says: the contender is the JVM once it is warm
    for _ in 1 2 3; do run_one bumper-warm 0; done
  fi
  if ((WARMUP)); then
    for c in "${CLIST[@]}"; do [[ "$c" == bumper-warm ]] || run_one "$c" 0; done
  fi
  k=${#CLIST[@]}
  for ((r = 1; r <= ROUNDS; r++)); do
    for ((i = 0; i < k; i++)); do
      run_one "${CLIST[$(((i + r - 1) % k))]}" "$r"
    done
  done
  python3 - "$SC" "$rd" "$h" "$ROUNDS" "$D/results.tsv" "${PATH_ARG[0]:-}" "$(wc -l <"$EXPECT")" \
    >>"$WORK/scenarios.jsonl" <<'PY'
import json, os, subprocess, sys
sc, d, h, rounds, results, path, expected = sys.argv[1:]
m = json.load(open(os.path.join(d, "gen.json")))
kb = int(subprocess.run(["du", "-sk", os.path.join(d, "bare.git")], capture_output=True, text=True).stdout.split()[0])
m.update(scenario=sc, history=int(h), rounds=int(rounds), results=results, path=path or None,
         expected=int(expected), repo_mib=kb / 1024)
print(json.dumps(m))
PY
done

# --- race: RACE pipelines at once, each bumping its own image in one shared values file --------------
: >"$WORK/race.jsonl"
if ((RACE > 0)); then
  make_repo 2000 "$HISTORY" "$WORK/repo-2000-$HISTORY"
  RD="$WORK/race"
  mkdir -p "$RD"
  git clone -q "$WORK/repo-2000-$HISTORY/bare.git" "$RD/seed"
  mkdir -p "$RD/seed/apps/shared"
  python3 - "$RACE" >"$RD/seed/apps/shared/values.yaml" <<'PY'
import sys
print("# Shared values: one image per service, bumped by each service's pipeline.")
for i in range(int(sys.argv[1])):
    print(f"svc{i:02d}:\n  image: ghcr.io/acme/svc{i:02d}:1.0.0\n  replicas: 2")
PY
  git -C "$RD/seed" add -A
  git -C "$RD/seed" -c user.name=ci -c user.email=ci@x commit -qm "Shared values"
  git clone -q --bare "$RD/seed" "$RD/race.git"
  git --git-dir "$RD/race.git" gc -q --prune=now
  RBASE="$(git --git-dir "$RD/race.git" rev-parse main)"
  sed 's|:1.0.0$|:2.0.0|' "$RD/seed/apps/shared/values.yaml" >"$RD/expected.yaml"
  rm -rf "$RD/seed"
  cat >"$WORK/race-one" <<'SH'
#!/usr/bin/env bash
# race-one NAME I SCRATCH: one pipeline bumping svcI to 2.0.0
set -uo pipefail
name="$1" i="$2" scratch="$3"
img="ghcr.io/acme/svc$i:2.0.0"
case "$name" in
  bumper) exec "$LAUNCHER" bump-manifest --repo "$URL" --push -i "$img" -q ;;
  shell)
    mkdir -p "$scratch" && cd "$scratch" || exit 1
    git clone -q --depth 1 "$URL" work && cd work || exit 1
    grep -rl "ghcr.io/acme/svc$i:" . | xargs sed -i "s|ghcr.io/acme/svc$i:1.0.0|$img|g" &&
      git -c user.name=ci -c user.email=ci@x commit -qam "Deploy $img" || exit 1
    # the usual loop, bounded: a rebase that stops on a conflict is given up
    n=0
    until git push -q origin HEAD:main 2>/dev/null; do
      n=$((n + 1))
      ((n < 30)) || exit 1
      git -c user.name=ci -c user.email=ci@x pull -q --rebase origin main 2>/dev/null || { git rebase --abort 2>/dev/null; exit 1; }
    done ;;
esac
SH
  chmod +x "$WORK/race-one"
  RLIST=()
  for c in "${CLIST[@]}"; do [[ "$c" == bumper || "$c" == shell ]] && RLIST+=("$c"); done
  for ((r = 1; r <= RACE_ROUNDS; r++)); do
    for ((i = 0; i < ${#RLIST[@]}; i++)); do
      name="${RLIST[$(((i + r - 1) % ${#RLIST[@]}))]}"
      rm -rf "$SRV/copy.git" "$RD/scratch"
      cp -a "$RD/race.git" "$SRV/copy.git"
      mkdir -p "$RD/scratch"
      t0="$(now_ns)"
      pids=()
      for ((p = 0; p < RACE; p++)); do
        pp="$(printf '%02d' "$p")"
        "$WORK/race-one" "$name" "$pp" "$RD/scratch/$pp" >"$RD/out.$pp" 2>"$RD/err.$pp" &
        pids+=($!)
      done
      ok_exit=0
      for p in "${pids[@]}"; do wait "$p" && ok_exit=$((ok_exit + 1)); done
      t1="$(now_ns)"
      secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')"
      git --git-dir "$SRV/copy.git" show main:apps/shared/values.yaml >"$RD/final.yaml"
      landed="$(grep -c ':2.0.0$' "$RD/final.yaml" || true)"
      commits="$(git --git-dir "$SRV/copy.git" rev-list --count "$RBASE..main")"
      exact=no
      if cmp -s "$RD/final.yaml" "$RD/expected.yaml" &&
        [[ -z "$(git --git-dir "$SRV/copy.git" diff --name-only "$RBASE" main -- . ':!apps/shared/values.yaml')" ]]; then
        exact=yes
      fi
      note "race, round $r: $name: $landed of $RACE landed ($ok_exit exited 0, $commits commits) in ${secs}s, final file as expected: $exact"
      if [[ "$name" == bumper ]] && [[ "$exact" != yes || "$landed" != "$RACE" || "$ok_exit" != "$RACE" ]]; then
        for f in "$RD"/err.*; do [[ -s "$f" ]] && { echo "  $f:"; head -c 600 "$f" | sed 's/^/    /'; }; done >&2
      fi
      printf '{"name":"%s","round":%d,"secs":%s,"landed":%d,"exit0":%d,"commits":%d,"exact":"%s"}\n' \
        "$name" "$r" "$secs" "$landed" "$ok_exit" "$commits" "$exact" >>"$WORK/race.jsonl"
      rm -rf "$SRV/copy.git" "$RD/scratch"
    done
  done
fi

NOTES+=("load average (1/5/15 min) at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') on $(nproc) CPUs")
NOTES+=("git daemon behind delay-proxy.py: ${DELAY_MS} ms each way; a request's first answer took ${RTT_MS} ms; uploadpack.allowFilter=$( ((FILTER)) && echo true || echo false)")
((WARMUP)) && NOTES+=("one untimed warm-up run of each contender per scenario before round 1")
[[ " $CONTENDERS " == *" bumper-warm "* ]] &&
  NOTES+=("bumper-warm: three untimed runs per scenario before round 1; its CPU is the warm JVM's for the run, its RSS that JVM's resident size after it")
[[ -n "$BUMPER_JAVA_OPTS_SET" ]] && NOTES+=("BUMPER_JAVA_OPTS='$BUMPER_JAVA_OPTS' replaces the launcher's JVM settings")
NOTES+=("timed: the whole process (bumper: incl. its temporary repo; shell: clone to commit to push); untimed: cp -a of the served repo, removing the clone")

python3 - "$WORK/meta.json" "$WORK/scenarios.jsonl" "$WORK/race.jsonl" "$RACE" "$ROUNDS" "$BUMPER_VERSION" "$(nproc)" \
  "$(java -version 2>&1 | head -1)" "$(git --version)" "${NOTES[@]}" <<'PY'
import json, sys
out, scen, race, n_race, rounds, ver, cpus, java, git, *notes = sys.argv[1:]
m = dict(rounds=int(rounds), bumper_version=ver, cpus=int(cpus), java=java, git=git, notes=notes,
         race_pipelines=int(n_race), scenarios=[json.loads(l) for l in open(scen) if l.strip()],
         race=[json.loads(l) for l in open(race) if l.strip()])
json.dump(m, open(out, "w"))
PY
python3 "$BENCH/benchlib.py" remote-report "$WORK/meta.json"
