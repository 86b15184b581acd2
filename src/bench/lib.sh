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

# now_ns: wall clock in nanoseconds
now_ns() { date +%s%N; }
