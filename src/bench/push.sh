#!/usr/bin/env bash
# Whole-process benchmark of `bumper push TARBALL` against `skopeo copy docker-archive:...`,
# side by side, each run to a fresh loopback docker-registry; then the bytes a rebuild uploads
# after a one-file change, against the image's size. See src/bench/README.md.
#
#   bash src/bench/push.sh
#
# Environment:
#   SIZE_MB=100         size of the tarball's random (incompressible) data
#   LAYERS=4            layers it is split into
#   ROUNDS=5            timed rounds; each runs every contender once, in rotating order
#   WARMUP=1            one untimed run of each contender first (0: none)
#   BUILD=missing       missing | auto | always | never (see lib.sh)
#   BENCH_TMP=/tmp      where the scratch directory goes (~4x SIZE_MB: tarball, data, registries)
#   CONTENDERS="bumper bumper-jar skopeo"
#   REBUILD=1           also measure the rebuild after a one-file change (0: skip)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/src/bench"
SIZE_MB="${SIZE_MB:-100}"
LAYERS="${LAYERS:-4}"
ROUNDS="${ROUNDS:-5}"
WARMUP="${WARMUP:-1}"
BUILD="${BUILD:-missing}"
CONTENDERS="${CONTENDERS:-bumper bumper-jar skopeo}"
REBUILD="${REBUILD:-1}"
REGISTRY_BIN="${REGISTRY_BIN:-/usr/bin/docker-registry}"

WORK="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/bumper-push.XXXXXX")"
REG_PID=""
PROXY_PID=""
cleanup() {
  [[ -n "$PROXY_PID" ]] && kill "$PROXY_PID" 2>/dev/null || true
  [[ -n "$REG_PID" ]] && kill "$REG_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$BENCH/lib.sh"

for tool in java python3 skopeo; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
[[ -x "$REGISTRY_BIN" ]] || die "missing $REGISTRY_BIN (apt-get install -y docker-registry)"
[[ -x /usr/bin/time ]] || die "missing /usr/bin/time (apt-get install -y time)"
for c in $CONTENDERS; do
  case "$c" in bumper | bumper-jar | skopeo) ;; *) die "unknown contender '$c' (bumper, bumper-jar, skopeo)" ;; esac
done
((SIZE_MB >= 1 && LAYERS >= 1 && ROUNDS >= 1)) || die "SIZE_MB, LAYERS and ROUNDS must be >= 1"

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
ensure_jar
ensure_launcher
BUMPER_VERSION="$("$LAUNCHER" --version 2>&1)" || die "'bumper --version' failed: $BUMPER_VERSION"
BUMPER_VERSION="${BUMPER_VERSION%%$'\n'*}"
export JAR LAUNCHER

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  local port="$1" pid="$2" i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# start_registry NAME: a registry with empty storage in $WORK/NAME; sets REG_PID and REG_PORT
start_registry() {
  local dir="$WORK/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  REG_PORT="$(free_port)"
  cat >"$dir/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
http:
  addr: 127.0.0.1:$REG_PORT
YML
  "$REGISTRY_BIN" serve "$dir/config.yml" >"$dir/log" 2>&1 &
  REG_PID=$!
  wait_port "$REG_PORT" "$REG_PID" || die "docker-registry did not start: $(cat "$dir/log")"
}

stop_registry() {
  kill "$REG_PID" 2>/dev/null || true
  wait "$REG_PID" 2>/dev/null || true
  REG_PID=""
}

manifest_digest() { skopeo inspect --raw --tls-verify=false "docker://$1" | sha256sum | cut -d' ' -f1 | sed 's/^/sha256:/'; }
config_digest() { skopeo inspect --raw --config --tls-verify=false "docker://$1" | sha256sum | cut -d' ' -f1 | sed 's/^/sha256:/'; }

# --- the tarball (untimed) -------------------------------------------------------------
note "generating ${SIZE_MB} MB of random data in $LAYERS layers and building the tarball"
LAYER_ARGS=()
for ((i = 1; i <= LAYERS; i++)); do
  mkdir -p "$WORK/data/layer$i"
  head -c "$((SIZE_MB * 1000000 / LAYERS))" /dev/urandom >"$WORK/data/layer$i/blob.bin"
  LAYER_ARGS+=(--layer "$WORK/data/layer$i:/data/layer$i")
done
TARBALL="$WORK/image.tar"
java -jar "$JAR" build-image --to bench/app:1 "${LAYER_ARGS[@]}" --tar "$TARBALL" --metadata-file "$WORK/built.json" -q >&2 ||
  die "build-image --tar failed"
rm -rf "$WORK/data"
EXPECTED_DIGEST="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$WORK/built.json")"
EXPECTED_CONFIG="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["imageId"])' "$WORK/built.json")"
TARBALL_MB="$(python3 -c 'import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)' "$TARBALL")"
note "tarball: $TARBALL_MB MB, digest $EXPECTED_DIGEST"

cat >"$WORK/run" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
case "$1" in
  bumper) exec "$LAUNCHER" push "$TARBALL" --to "$2" --insecure-registry "${2%%/*}" -q ;;
  bumper-jar) exec java -jar "$JAR" push "$TARBALL" --to "$2" --insecure-registry "${2%%/*}" -q ;;
  skopeo) exec skopeo copy -q --dest-tls-verify=false "docker-archive:$TARBALL" "docker://$2" ;;
  *) echo "run: unknown contender $1" >&2; exit 2 ;;
esac
SH
chmod +x "$WORK/run"
export TARBALL

# run_one NAME ROUND: fresh registry (untimed), timed push, verification; ROUND 0 = warm-up
run_one() {
  local name="$1" round="$2" rc ok=ok ref got
  start_registry registry
  ref="127.0.0.1:$REG_PORT/bench/app:1"
  mkdir -p "$WORK/home" && rm -rf "$WORK/home"/* "$WORK/home"/.[!.]* 2>/dev/null || true
  sync
  HOME="$WORK/home" timed_run "$WORK/run" "$name" "$ref"
  rc="$RUN_RC"
  if ((rc != 0)); then
    echo "VERIFY $name: exit code $rc; stderr:" >&2
    head -c 4000 "$WORK/err" | sed 's/^/    /' >&2
    ok=bad
  elif [[ "$name" == skopeo ]]; then
    # skopeo writes its own manifest; the config it pushed must be the tarball's
    got="$(config_digest "$ref" || echo none)"
    [[ "$got" == "$EXPECTED_CONFIG" ]] || { echo "VERIFY $name: config $got, expected $EXPECTED_CONFIG" >&2; ok=bad; }
  else
    got="$(manifest_digest "$ref" || echo none)"
    [[ "$got" == "$EXPECTED_DIGEST" ]] || { echo "VERIFY $name: registry digest $got, expected $EXPECTED_DIGEST" >&2; ok=bad; }
  fi
  stop_registry
  rm -rf "$WORK/registry"
  record "$WORK/results.tsv" "$name" "$round" "$ok"
}

read -r -a CLIST <<<"$CONTENDERS"
: >"$WORK/results.tsv"
if ((WARMUP)); then
  for c in "${CLIST[@]}"; do run_one "$c" 0; done
fi
k=${#CLIST[@]}
for ((r = 1; r <= ROUNDS; r++)); do
  for ((i = 0; i < k; i++)); do
    run_one "${CLIST[$(((i + r - 1) % k))]}" "$r"
  done
done
rm -f "$TARBALL"

# --- rebuild after a one-file change ----------------------------------------------------
REBUILD_JSON="null"
if ((REBUILD)); then
  note "rebuild: generating deps (60 x 1 MB), lib (30 x 1 MB) and app (100 x 100 KB)"
  SRC="$WORK/src"
  mkdir -p "$SRC/deps" "$SRC/lib" "$SRC/app"
  for ((i = 0; i < 60; i++)); do head -c 1000000 /dev/urandom >"$SRC/deps/dep$i.jar"; done
  for ((i = 0; i < 30; i++)); do head -c 1000000 /dev/urandom >"$SRC/lib/lib$i.so"; done
  for ((i = 0; i < 100; i++)); do head -c 100000 /dev/urandom >"$SRC/app/class$i.bin"; done
  start_registry rebuild
  PROXY_PORT="$(free_port)"
  python3 "$BENCH/benchlib.py" count-proxy "$PROXY_PORT" "$REG_PORT" "$WORK/counts.json" 2>"$WORK/proxy.log" &
  PROXY_PID=$!
  wait_port "$PROXY_PORT" "$PROXY_PID" || die "the counting proxy did not start: $(cat "$WORK/proxy.log")"
  REF="127.0.0.1:$PROXY_PORT/bench/rebuild:1"
  build() {
    local before after
    before="$(cat "$WORK/counts.json")"
    java -jar "$JAR" build-image --to "$REF" --layer "$SRC/deps:/opt/deps" --layer "$SRC/lib:/opt/lib" \
      --layer "$SRC/app:/opt/app" --insecure-registry "127.0.0.1:$PROXY_PORT" --output json -q >"$WORK/build.json" 2>"$WORK/build.err" ||
      die "build-image failed: $(cat "$WORK/build.err")"
    after="$(cat "$WORK/counts.json")"
    python3 - "$before" "$after" "$WORK/build.json" <<'PY'
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(a["upload_bytes"] - b["upload_bytes"], a["uploads"] - b["uploads"], json.load(open(sys.argv[3]))["digest"])
PY
  }
  read -r FIRST_BYTES FIRST_UPLOADS FIRST_DIGEST < <(build)
  read -r SAME_BYTES SAME_UPLOADS SAME_DIGEST < <(build)
  head -c 100000 /dev/urandom >"$SRC/app/class42.bin"
  read -r CHANGED_BYTES CHANGED_UPLOADS CHANGED_DIGEST < <(build)
  [[ "$CHANGED_DIGEST" != "$FIRST_DIGEST" ]] || die "the rebuild after a change gave the same digest"
  IMAGE_BYTES="$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$REG_PORT/bench/rebuild:1" |
    python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["config"]["size"] + sum(l["size"] for l in m["layers"]))')"
  kill "$PROXY_PID" 2>/dev/null || true
  wait "$PROXY_PID" 2>/dev/null || true
  PROXY_PID=""
  stop_registry
  REBUILD_JSON="$(python3 -c 'import json,sys; a=sys.argv[1:]; print(json.dumps(dict(files=190, layers=3, changed_kb=100,
      image_bytes=int(a[0]), first_upload_bytes=int(a[1]), first_uploads=int(a[2]), same_upload_bytes=int(a[3]),
      same_uploads=int(a[4]), same_digest=a[5] == a[6], rebuild_upload_bytes=int(a[7]), rebuild_uploads=int(a[8]))))' \
    "$IMAGE_BYTES" "$FIRST_BYTES" "$FIRST_UPLOADS" "$SAME_BYTES" "$SAME_UPLOADS" "$FIRST_DIGEST" "$SAME_DIGEST" \
    "$CHANGED_BYTES" "$CHANGED_UPLOADS")"
fi

NOTES=("load average (1/5/15 min) at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') on $(nproc) CPUs")
((WARMUP)) && NOTES+=("one untimed warm-up run of each contender before round 1")
NOTES+=("timed: the whole process; untimed: starting the empty registry of each run, checking what it holds")
python3 - "$WORK/meta.json" "$TARBALL_MB" "$LAYERS" "$ROUNDS" "$BUMPER_VERSION" "$(nproc)" \
  "$(java -version 2>&1 | head -1)" "$(skopeo --version)" "$REBUILD_JSON" "${NOTES[@]}" <<'PY'
import json, sys
out, mb, layers, rounds, ver, cpus, java, skopeo, rebuild, *notes = sys.argv[1:]
json.dump(dict(tarball_mb=float(mb), layers=int(layers), rounds=int(rounds), bumper_version=ver, cpus=int(cpus),
               java=java, skopeo=skopeo, rebuild=json.loads(rebuild), notes=notes), open(out, "w"))
PY
python3 "$BENCH/benchlib.py" push-report "$WORK/results.tsv" "$WORK/meta.json"
