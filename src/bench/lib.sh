# Shared helpers for the src/bench/*.sh benchmarks (sourced, not run).
# Expects: ROOT (project root), WORK (scratch dir).

die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

# ensure_jar: make sure target/bumper.jar exists and is current, then copy it to
# $WORK/bumper.jar so that a concurrent rebuild of target/ can't change it mid-run.
#   BUILD=auto   (default) rebuild when the jar is missing or older than src/main or pom.xml;
#                if that build fails but an old jar exists, warn and use the old jar
#   BUILD=always rebuild;  BUILD=never use target/bumper.jar as is
#   BUILD=missing build only when there is no target/bumper.jar (else use it as is)
# Sets JAR.
ensure_jar() {
  local jar="$ROOT/target/bumper.jar" build="${BUILD:-auto}" need=0
  case "$build" in
    always) need=1 ;;
    never) ;;
    missing) [[ -f "$jar" ]] || need=1 ;;
    auto)
      if [[ ! -f "$jar" ]] || [[ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
        need=1
      fi ;;
    *) die "BUILD must be auto, always, never or missing (got '$build')" ;;
  esac
  if (( need )); then
    note "building target/bumper.jar (./mvnw -q -B package -DskipTests)"
    if ! (cd "$ROOT" && ./mvnw -q -B package -DskipTests) >&2; then
      if [[ "$build" == auto && -f "$jar" ]]; then
        note "WARNING: build failed; benchmarking the existing target/bumper.jar"
      else
        die "build failed"
      fi
    fi
  fi
  [[ -f "$jar" ]] || die "no target/bumper.jar (BUILD=$build)"
  cp "$jar" "$WORK/bumper.jar"
  JAR="$WORK/bumper.jar"
}

# ensure_launcher: after ensure_jar, copy the launcher script target/bumper (written by the same
# build) beside $WORK/bumper.jar, so that it runs that copy of the jar. Sets LAUNCHER.
ensure_launcher() {
  [[ -f "$ROOT/target/bumper" ]] || die "no target/bumper launcher (rebuild: ./mvnw -q -B package -DskipTests)"
  cp "$ROOT/target/bumper" "$WORK/bumper"
  chmod +x "$WORK/bumper"
  LAUNCHER="$WORK/bumper"
}

# ensure_baseline: when BASELINE_JAR is set (another bumper build, e.g. a jar saved before a
# refactoring), copy it to $WORK/baseline/bumper.jar, so that it runs as contender "baseline" in the
# same run as this build and the ratio of medians bumper/baseline measures the change. It gets its
# own directory so that a launcher and a class-data-sharing archive can sit beside it as they sit
# beside target/bumper.jar. Sets BASELINE (1 or 0), BASE_JAR and BASELINE_VERSION (its --version).
ensure_baseline() {
  BASELINE=0
  [[ -n "${BASELINE_JAR:-}" ]] || return 0
  [[ -f "$BASELINE_JAR" ]] || die "BASELINE_JAR=$BASELINE_JAR: no such file"
  mkdir -p "$WORK/baseline"
  cp "$BASELINE_JAR" "$WORK/baseline/bumper.jar"
  BASE_JAR="$WORK/baseline/bumper.jar"
  BASELINE=1
  local jopts
  read -r -a jopts <<<"${JAVA_OPTS:-}"
  BASELINE_VERSION="$(java "${jopts[@]}" -jar "$BASE_JAR" --version 2>&1)" ||
    die "BASELINE_JAR: 'java -jar $BASELINE_JAR --version' failed: $BASELINE_VERSION"
  BASELINE_VERSION="${BASELINE_VERSION%%$'\n'*}"
  note "baseline: $BASELINE_JAR, $BASELINE_VERSION, sha256 $(sha256sum "$BASE_JAR" | cut -c1-12)"
  if [[ -n "${JAR:-}" ]] && cmp -s "$JAR" "$BASE_JAR"; then
    note "WARNING: the baseline is the same jar as this build: bumper/baseline measures only noise"
  fi
}

# ensure_baseline_launcher: after ensure_baseline (with a baseline), copy a launcher beside
# $WORK/baseline/bumper.jar: BASELINE_LAUNCHER if set, else the `bumper` beside BASELINE_JAR (as a
# build leaves them in target/), else this build's target/bumper. Sets BASE_LAUNCHER and
# BASE_LAUNCHER_FROM (where the launcher came from).
ensure_baseline_launcher() {
  local from
  if [[ -n "${BASELINE_LAUNCHER:-}" ]]; then
    [[ -f "$BASELINE_LAUNCHER" ]] || die "BASELINE_LAUNCHER=$BASELINE_LAUNCHER: no such file"
    from="$BASELINE_LAUNCHER"
  elif [[ -f "$(dirname "$BASELINE_JAR")/bumper" ]]; then
    from="$(dirname "$BASELINE_JAR")/bumper"
  else
    [[ -f "$ROOT/target/bumper" ]] || die "no launcher for the baseline: set BASELINE_LAUNCHER"
    from="$ROOT/target/bumper"
    note "baseline: no launcher beside BASELINE_JAR and no BASELINE_LAUNCHER: using this build's target/bumper"
  fi
  cp "$from" "$WORK/baseline/bumper"
  chmod +x "$WORK/baseline/bumper"
  BASE_LAUNCHER="$WORK/baseline/bumper"
  BASE_LAUNCHER_FROM="$from"
}

# now_ns: wall clock in nanoseconds
now_ns() { date +%s%N; }

# timed_run CMD...: runs CMD under /usr/bin/time, its stdout in $WORK/out and its stderr in
# $WORK/err; sets RUN_RC (its exit code), RUN_SECS (wall seconds), RUN_RSS (peak RSS, KiB) and
# RUN_CPU (user + system seconds). The one measurement every script's run_one makes. A run of the
# warm JVM (start_warm_jvm) gets that JVM's CPU time for the run and its resident size after it:
# the client the timer sees does none of the work.
timed_run() {
  local t0 t1 u s
  rm -f "${WARM_CPU:-$WORK/warm.cpu}"
  t0="$(now_ns)"
  set +e
  /usr/bin/time -f '%M %U %S' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err"
  RUN_RC=$?
  set -e
  t1="$(now_ns)"
  RUN_SECS="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.6f", (b-a)/1e9}')"
  read -r RUN_RSS u s < <(tail -n1 "$WORK/time")
  RUN_CPU="$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')"
  if [[ -s "${WARM_CPU:-$WORK/warm.cpu}" ]]; then
    RUN_CPU="$(awk '{printf "%.2f", $1}' "$WARM_CPU")"
    RUN_RSS="$(awk '/^VmRSS:/ {print $2}' "/proc/$WARM_PID/status" 2>/dev/null || echo 0)"
  fi
}

# start_warm_jvm: starts bumper in one JVM that stays up between runs (WarmJvm.java, with the
# launcher's JVM settings), for a contender that shows what a run costs once the JVM has loaded
# and compiled its code. Writes the client, $WORK/warm-client ARGS... (one run: bumper's exit
# code and standard error), exports what it needs, and sets WARM_PID; stop_warm_jvm ends it.
# Give the contender a few untimed runs first: C1 compiles a method after hundreds of calls.
start_warm_jvm() {
  export WARM_REQ="$WORK/warm.req" WARM_REP="$WORK/warm.rep" WARM_ERR="$WORK/warm.err" WARM_CPU="$WORK/warm.cpu"
  export WARM_CLIENT="$WORK/warm-client"
  mkfifo "$WARM_REQ" "$WARM_REP"
  cat >"$WARM_CLIENT" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
# with the JVM gone, opening its pipe would wait for ever
kill -0 "$WARM_PID" 2>/dev/null || { echo "warm-client: the warm JVM is not running (see $WARM_LOG)" >&2; exit 70; }
printf '%s\n' "$@" >"$WARM_REQ"
# opened both ways, the reply pipe does not wait for the JVM's end; the read has a deadline
exec 3<>"$WARM_REP"
read -r -t 3600 -u 3 code cpu || { echo "warm-client: no answer from the warm JVM (see $WARM_LOG)" >&2; exit 70; }
cat "$WARM_ERR" >&2
printf '%s\n' "$cpu" >"$WARM_CPU"
exit "$code"
SH
  chmod +x "$WARM_CLIENT"
  export WARM_LOG="$WORK/warm.log"
  # shellcheck disable=SC2086 # the options are words on purpose
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${BUMPER_JAVA_TMP:-} -cp "$JAR" "$BENCH/WarmJvm.java" \
    "$WARM_REQ" "$WARM_REP" "$WARM_ERR" 2>"$WARM_LOG" &
  WARM_PID=$!
  export WARM_PID
}

# stop_warm_jvm: ends the JVM start_warm_jvm started, if any.
stop_warm_jvm() {
  if [[ -n "${WARM_PID:-}" ]]; then
    kill "$WARM_PID" 2>/dev/null || true
    wait "$WARM_PID" 2>/dev/null || true
    WARM_PID=
  fi
}

# record RESULTS NAME ROUND OK [WHAT]: notes the last timed_run ("WHAT, round N: NAME ...") and,
# unless ROUND is 0 (a warm-up), appends it to the RESULTS file that benchlib.py reads.
record() {
  local results="$1" name="$2" round="$3" ok="$4" what="${5:+$5, }"
  note "$what$( ((round)) && echo "round $round" || echo "warm-up" ): $name ${RUN_SECS}s cpu ${RUN_CPU}s rss $((RUN_RSS / 1024))MiB $ok"
  if ((round)); then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$RUN_SECS" "$RUN_RSS" "$RUN_CPU" "$ok" >>"$results"
  fi
}

# byte_exact NAME GIT_DIR BASE: whether main in GIT_DIR is BASE with IMAGE_OLD replaced by
# IMAGE_NEW and nothing else changed (benchlib.py repo-diff-check); says why not.
byte_exact() {
  local got
  if ! got="$(python3 "$BENCH/benchlib.py" repo-diff-check "$2" "$3" main "$IMAGE_OLD" "$IMAGE_NEW")"; then
    echo "VERIFY $1: not a byte-exact bump:" >&2
    printf '%s\n' "$got" | sed 's/^/    /' >&2
    return 1
  fi
}

# make_archive LAUNCHER: bumper.jsa beside the launcher's jar, made as the build and install.sh
# make it: by the launcher's own training run (BUMPER_CDS=create without a command)
make_archive() {
  local launcher="$1"
  BUMPER_CDS=create "$launcher" >/dev/null || die "the launcher's training run failed: $launcher"
  [[ -s "$(dirname "$launcher")/bumper.jsa" ]] || die "no class-data-sharing archive was made by $launcher"
}
