#!/usr/bin/env bash
# Startup benchmark: `java -jar target/bumper.jar --version` against a picocli "hello world"
# with the same options (mixinStandardHelpOptions + a version), run as a shaded single jar
# (hello-jar, the comparable baseline: also `java -jar`) and as a plain class path
# (hello-cp, for reference); and bumper with and without its class-data-sharing archive, by
# `java -jar` and through the target/bumper launcher. See src/bench/README.md.
#
#   bash src/bench/startup.sh
#
# Environment:
#   RUNS=20       timed runs of each command, interleaved (bumper, hello-jar, hello-cp, ...)
#   WARMUPS=3     untimed runs of each command first
#   JAVA_OPTS=    JVM options, applied to every command alike (the launcher's own settings stay)
#   WORKLOAD=version  version: `--version` (all contenders); bump: a dry-run bump of a copy of
#                 examples/config (bumper's contenders only)
#   BUILD=auto    auto | always | never: (re)build target/bumper.jar (see lib.sh)
#   BASELINE_JAR= another bumper build to run side by side with this one, e.g. a jar saved before
#                 a refactoring: adds baseline, baseline-cds, baseline-launcher and
#                 baseline-launcher-cds, and prints the ratios bumper/baseline and so on
#   BASELINE_LAUNCHER=  the baseline's launcher script (default: the `bumper` beside
#                 BASELINE_JAR, else this build's target/bumper)
#   RELEASE=     a release directory made by src/release/release.sh (e.g. target/release): installs
#                its archive with install.sh into the scratch directory and adds contender
#                "release", the installed bumper on the archive's own runtime, to compare with
#                launcher-cds (today's launcher with its archive, on the machine's Java)
#   PICOCLI_VERSION=4.7.7
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/src/bench"
RUNS="${RUNS:-20}"
WARMUPS="${WARMUPS:-3}"
JAVA_OPTS="${JAVA_OPTS:-}"
PICOCLI_VERSION="${PICOCLI_VERSION:-4.7.7}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bumper-startup.XXXXXX")"
WORK="$(cd "$WORK" && pwd -P)" # the archive records the jar's physical path, as the launcher gives it
WORKLOAD="${WORKLOAD:-version}"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$BENCH/lib.sh"

for tool in java javac jar python3; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
[[ -x /usr/bin/time ]] || die "missing /usr/bin/time (apt-get install -y time)"
read -r -a JOPTS <<<"$JAVA_OPTS"

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
ensure_jar
ensure_launcher
ensure_baseline
if ((BASELINE)); then ensure_baseline_launcher; fi

# --- bumper's class-data-sharing archive, made for $WORK/bumper.jar as the build makes it -------
# (make_archive, lib.sh)
make_archive "$LAUNCHER"
# the baseline's own archive, made the same way by its own launcher, beside its own jar
if ((BASELINE)); then make_archive "$BASE_LAUNCHER"; fi
cp -r "$ROOT/examples/config" "$WORK/config"

# --- the release archive, installed as install.sh installs it --------------------------------
if [[ -n "${RELEASE:-}" ]]; then
  [[ -f "$RELEASE/SHA256SUMS" ]] || die "RELEASE=$RELEASE: no SHA256SUMS (make it with src/release/release.sh)"
  HOME="$WORK/release-home" sh "$ROOT/install.sh" --url "file://$(cd "$RELEASE" && pwd -P)" --prefix "$WORK/release-home/.local" >&2
fi

# --- the picocli hello world -----------------------------------------------------------
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
PICOCLI="$M2/info/picocli/picocli/$PICOCLI_VERSION/picocli-$PICOCLI_VERSION.jar"
if [[ ! -f "$PICOCLI" ]]; then
  note "fetching picocli $PICOCLI_VERSION"
  (cd "$ROOT" && ./mvnw -q -B dependency:get -Dartifact="info.picocli:picocli:$PICOCLI_VERSION" -Dtransitive=false) >&2
fi
[[ -f "$PICOCLI" ]] || die "no $PICOCLI"

mkdir -p "$WORK/src" "$WORK/classes" "$WORK/fat"
cat >"$WORK/src/Hello.java" <<'JAVA'
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "hello", mixinStandardHelpOptions = true, version = "hello 1.0",
         description = "Says hello.")
public class Hello implements Runnable {
    @Option(names = {"-n", "--name"}, description = "Who to greet.")
    String name = "world";

    @Override
    public void run() {
        System.out.println("hello " + name);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Hello()).execute(args));
    }
}
JAVA
javac --release 17 -cp "$PICOCLI" -d "$WORK/classes" "$WORK/src/Hello.java"
jar --create --file "$WORK/hello-classes.jar" -C "$WORK/classes" .
cp "$PICOCLI" "$WORK/picocli.jar"
# shaded: picocli's classes + Hello in one jar with Main-Class, like target/bumper.jar
(cd "$WORK/fat" && jar xf "$WORK/picocli.jar" && rm -f META-INF/MANIFEST.MF META-INF/*.SF META-INF/*.DSA META-INF/*.RSA)
cp "$WORK/classes/"*.class "$WORK/fat/"
jar --create --file "$WORK/hello.jar" --main-class Hello -C "$WORK/fat" .

# --- commands ----------------------------------------------------------------------------
cat >"$WORK/run" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
read -r -a JOPTS <<<"${JAVA_OPTS:-}"
if [[ "$WORKLOAD" == bump ]]; then
  ARGS=(bump-manifest -C "$WORK/config" -i ghcr.io/acme/web:1.4.2 --dry-run)
else
  ARGS=(--version)
fi
CDS=(-XX:SharedArchiveFile="$WORK/bumper.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
case "$1" in
  bumper) exec java "${JOPTS[@]}" -jar "$WORK/bumper.jar" "${ARGS[@]}" ;;
  bumper-cds) exec java "${CDS[@]}" "${JOPTS[@]}" -jar "$WORK/bumper.jar" "${ARGS[@]}" ;;
  launcher) BUMPER_CDS=off exec "$WORK/bumper" "${ARGS[@]}" ;;
  launcher-cds) exec "$WORK/bumper" "${ARGS[@]}" ;;
  release) exec "$WORK/release-home/.local/bin/bumper" "${ARGS[@]}" ;;
  baseline) exec java "${JOPTS[@]}" -jar "$WORK/baseline/bumper.jar" "${ARGS[@]}" ;;
  baseline-cds) exec java -XX:SharedArchiveFile="$WORK/baseline/bumper.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    "${JOPTS[@]}" -jar "$WORK/baseline/bumper.jar" "${ARGS[@]}" ;;
  baseline-launcher) BUMPER_CDS=off exec "$WORK/baseline/bumper" "${ARGS[@]}" ;;
  baseline-launcher-cds) exec "$WORK/baseline/bumper" "${ARGS[@]}" ;;
  hello-jar) exec java "${JOPTS[@]}" -jar "$WORK/hello.jar" --version ;;
  hello-cp) exec java "${JOPTS[@]}" -cp "$WORK/hello-classes.jar:$WORK/picocli.jar" Hello --version ;;
  *) echo "run: unknown command $1" >&2; exit 2 ;;
esac
SH
chmod +x "$WORK/run"
export WORK JAVA_OPTS WORKLOAD

if [[ "$WORKLOAD" == bump ]]; then
  declare -A EXPECT=([bumper]="--- a/" [bumper-cds]="--- a/" [launcher]="--- a/" [launcher-cds]="--- a/")
  NAMES=(bumper bumper-cds launcher launcher-cds)
elif [[ "$WORKLOAD" == version ]]; then
  declare -A EXPECT=([bumper]="bumper " [bumper-cds]="bumper " [launcher]="bumper " [launcher-cds]="bumper "
    [hello-jar]="hello 1.0" [hello-cp]="hello 1.0")
  NAMES=(bumper bumper-cds launcher launcher-cds hello-jar hello-cp)
else
  die "WORKLOAD must be version or bump (got '$WORKLOAD')"
fi
if [[ -n "${RELEASE:-}" ]]; then
  EXPECT[release]="${EXPECT[bumper]}"
  NAMES=(release "${NAMES[@]}")
fi
if ((BASELINE)); then
  # the same four forms of the baseline build, expected to answer as bumper does
  for n in baseline baseline-cds baseline-launcher baseline-launcher-cds; do EXPECT[$n]="${EXPECT[bumper]}"; done
  NAMES=(bumper baseline bumper-cds baseline-cds launcher baseline-launcher launcher-cds baseline-launcher-cds
    "${NAMES[@]:4}")
fi

# run_one NAME ROUND (0 = warm-up, not recorded)
run_one() {
  local name="$1" round="$2" ok=ok
  timed_run "$WORK/run" "$name"
  if (( RUN_RC != 0 )) || [[ "$(head -n1 "$WORK/out")" != "${EXPECT[$name]}"* ]]; then
    ok=bad
    { echo "VERIFY $name: exit $RUN_RC, stdout:"; head -c 2000 "$WORK/out"; echo "stderr:"; head -c 2000 "$WORK/err"; } | sed 's/^/    /' >&2
  fi
  if ((round)); then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$RUN_SECS" "$RUN_RSS" "$RUN_CPU" "$ok" \
      >>"$WORK/results.tsv"
  fi
}

note "bumper: $(java "${JOPTS[@]}" -jar "$JAR" --version 2>&1 | head -n1 || true); $WARMUPS warm-ups + $RUNS runs each"
: >"$WORK/results.tsv"
for ((r = 1; r <= WARMUPS; r++)); do
  for n in "${NAMES[@]}"; do run_one "$n" 0; done
done
for ((r = 1; r <= RUNS; r++)); do
  k=${#NAMES[@]}
  for ((i = 0; i < k; i++)); do run_one "${NAMES[$(((i + r - 1) % k))]}" "$r"; done
done

python3 - "$WORK/meta.json" "$RUNS" "$WARMUPS" "$JAVA_OPTS" "$(java -version 2>&1 | head -1)" "$WORKLOAD" \
  "$( ((BASELINE)) && printf '%s' "$BASELINE_JAR" )" "${BASELINE_VERSION:-}" "${BASE_LAUNCHER_FROM:-}" <<'PY'
import json, sys
out, runs, warm, jo, java, workload, base_jar, base_version, base_launcher = sys.argv[1:]
meta = {"runs": int(runs), "warmups": int(warm), "java_opts": jo, "java": java, "workload": workload}
if base_jar:
    meta["baseline"] = {"jar": base_jar, "version": base_version, "launcher": base_launcher}
json.dump(meta, open(out, "w"))
PY
echo "load average (1/5/15 min) at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') on $(nproc) CPUs"
python3 "$BENCH/benchlib.py" startup-report "$WORK/results.tsv" "$WORK/meta.json"
