#!/usr/bin/env python3
"""Generate a deterministic Kubernetes config-repo tree for the bump-manifest benchmarks.

    python3 src/bench/gen-tree.py OUT_DIR [-n 20000] [--seed 42] [--targets-file FILE]

Writes N YAML files (Deployments, Services, ConfigMaps, kustomizations, Helm values; some
multi-document) under OUT_DIR/apps/team-XX/svc-YYY/..., each roughly 1-3 KB, with comments.
Exactly N // 100 files (the "targets") use the image ghcr.io/acme/web:1.4.1 in a
containers / initContainers item; no other file uses the repository ghcr.io/acme/web in
any image field. Near-misses are sprinkled in: ghcr.io/acme/web2, ghcr.io/acme/web-admin,
ghcr.io/acme/webhook, docker.io/acme/web, Helm values with repository ghcr.io/acme/web2,
and comments that mention ghcr.io/acme/web:<older tag> (which `grep -rl 'ghcr.io/acme/web:'`
picks up but neither sed's exact pattern nor a YAML-aware tool should change).
The string "ghcr.io/acme/web:1.4.1" occurs nowhere except in the targets' image fields,
so a correct byte-exact bump and the sed floor produce byte-identical trees.

Prints one JSON summary line on stdout; with --targets-file, writes the sorted relative
paths of the target files there (one per line).
"""
import argparse
import json
import os
import random
import sys

TARGET = "ghcr.io/acme/web:1.4.1"

OTHER_IMAGES = [
    "ghcr.io/acme/api", "ghcr.io/acme/worker", "ghcr.io/acme/billing", "ghcr.io/acme/auth",
    "ghcr.io/acme/search", "ghcr.io/acme/notifier", "ghcr.io/acme/gateway",
    "registry.acme.internal/platform/ledger", "registry.acme.internal/platform/router",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/core",
    "europe-docker.pkg.dev/acme-prod/apps/catalog", "quay.io/prometheus/node-exporter",
    "docker.io/library/nginx", "nginx", "redis", "postgres", "busybox", "alpine",
    "bitnami/kafka", "grafana/grafana", "envoyproxy/envoy", "otel/opentelemetry-collector",
    "gcr.io/distroless/static", "registry.k8s.io/ingress-nginx/controller",
]
NEAR_MISS_IMAGES = [
    "ghcr.io/acme/web2", "ghcr.io/acme/web-admin", "ghcr.io/acme/webhook",
    "docker.io/acme/web", "ghcr.io/acme/website", "ghcr.io/acme-labs/web",
]
SIDECARS = ["envoyproxy/envoy", "otel/opentelemetry-collector", "fluent/fluent-bit",
            "ghcr.io/acme/log-shipper", "busybox", "istio/proxyv2"]
TEAMS_WORDS = ["checkout", "payments", "search", "identity", "growth", "platform", "data",
               "mobile", "risk", "ledger", "catalog", "shipping", "support", "ads"]
SVC_WORDS = ["api", "worker", "cron", "gateway", "frontend", "indexer", "sync", "router",
             "scheduler", "exporter", "ingest", "reporter", "cache", "proxy", "web-ui"]


def tag(rng):
    r = rng.random()
    if r < 0.6:
        return f"{rng.randint(0, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
    if r < 0.75:
        return f"v{rng.randint(1, 3)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}"
    if r < 0.85:
        return f"{rng.randint(2022, 2025)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}-{rng.getrandbits(28):07x}"
    if r < 0.95:
        return rng.choice(["1.25", "1.27-alpine", "7.2", "16.3", "latest", "stable", "3.19"])
    return f"sha-{rng.getrandbits(40):010x}"


def other_image(rng, near_miss_rate=0.03):
    if rng.random() < near_miss_rate:
        return f"{rng.choice(NEAR_MISS_IMAGES)}:{tag(rng)}"
    img = f"{rng.choice(OTHER_IMAGES)}:{tag(rng)}"
    if rng.random() < 0.04:
        img += "@sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64))
    return img


def quote(rng, s):
    r = rng.random()
    if r < 0.15:
        return f'"{s}"'
    if r < 0.2:
        return f"'{s}'"
    return s


def comment_line(rng, indent, svc):
    choices = [
        f"# owned by {svc['team']} - see runbook https://wiki.acme.internal/{svc['team']}/{svc['name']}",
        "# keep in sync with the overlay patches",
        "# TODO: move to the shared chart once the migration is done",
        f"# managed by CI: do not edit by hand ({svc['name']})",
        "# resources tuned after the load test, see INC-" + str(rng.randint(1000, 9999)),
        "# the web frontend talks to this service over the mesh",
        "# NOTE: the web team owns the ingress for this one",
    ]
    return " " * indent + rng.choice(choices)


def web_history_comment(rng, indent):
    # mentions ghcr.io/acme/web:<tag> (matches grep 'ghcr.io/acme/web:'), never 1.4.1
    old = rng.choice(["1.3.9", "1.3.7", "1.2.0", "1.4.0", "1.0.5"])
    return " " * indent + rng.choice([
        f"# rolled back from ghcr.io/acme/web:{old} during INC-{rng.randint(1000, 9999)}",
        f"# same base image as ghcr.io/acme/web:{old}",
        f"# was pinned to ghcr.io/acme/web:{old} until the web split",
    ])


def header(rng, svc, what):
    bar = "# " + "-" * 70
    return [bar,
            f"# {what}: {svc['name']}    team: {svc['team']}",
            "# Source of truth for the clusters of this environment; Argo CD applies every",
            "# change merged to main. Do not kubectl-apply by hand.",
            f"# On-call: #{svc['team']}-oncall   Runbook: https://wiki.acme.internal/{svc['team']}/{svc['name']}",
            bar]


def extra_annotations(rng, indent):
    p = " " * indent
    return rng.sample([
        f'{p}acme.io/cost-center: "cc-{rng.randint(1000, 9999)}"',
        f"{p}acme.io/slack-channel: '#alerts-{rng.randint(1, 40)}'",
        f"{p}acme.io/data-classification: {rng.choice(['internal', 'confidential', 'public'])}",
        f"{p}acme.io/last-reviewed: \"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\"",
        f"{p}argocd.argoproj.io/sync-wave: \"{rng.randint(-2, 5)}\"",
        f"{p}link.argocd.argoproj.io/dashboard: https://grafana.acme.internal/d/{rng.getrandbits(32):08x}",
    ], rng.randint(2, 5))


def labels(svc, indent):
    p = " " * indent
    return [f"{p}app.kubernetes.io/name: {svc['name']}",
            f"{p}app.kubernetes.io/part-of: {svc['team']}",
            f"{p}app.kubernetes.io/managed-by: kustomize"]


def container(rng, svc, image, idx, main):
    name = svc["name"] if main else rng.choice(["sidecar", "proxy", "log-shipper", "metrics", "agent"]) + f"-{idx}"
    port = rng.choice([8080, 8443, 9090, 3000, 5000])
    lines = [f"        - name: {name}",
             f"          image: {image}",
             f"          imagePullPolicy: {rng.choice(['IfNotPresent', 'Always'])}"]
    if rng.random() < 0.25:
        lines.insert(1, comment_line(rng, 10, svc))
    lines += [f"          ports:",
              f"            - name: http",
              f"              containerPort: {port}",
              f"              protocol: TCP"]
    if main or rng.random() < 0.5:
        lines += ["          env:"]
        for _ in range(rng.randint(1, 4)):
            k = rng.choice(["LOG_LEVEL", "PORT", "OTEL_EXPORTER_OTLP_ENDPOINT", "FEATURE_FLAGS",
                            "DB_POOL_SIZE", "REGION", "JAVA_TOOL_OPTIONS", "UPSTREAM_URL"])
            v = rng.choice(['"info"', '"8080"', "http://otel-collector.observability:4317",
                            '"new-checkout,dark-mode"', '"20"', "eu-west-1",
                            '"-XX:MaxRAMPercentage=75"', "http://web.web.svc.cluster.local"])
            lines += [f"            - name: {k}", f"              value: {v}"]
    lines += ["          resources:",
              "            requests:",
              f"              cpu: {rng.choice(['50m', '100m', '250m', '500m'])}",
              f"              memory: {rng.choice(['64Mi', '128Mi', '256Mi', '512Mi'])}",
              "            limits:",
              f"              memory: {rng.choice(['256Mi', '512Mi', '1Gi'])}"]
    if main:
        lines += ["          readinessProbe:",
                  "            httpGet:",
                  "              path: /healthz",
                  f"              port: {port}",
                  f"            periodSeconds: {rng.choice([5, 10, 15])}",
                  "          livenessProbe:",
                  "            httpGet:",
                  "              path: /livez",
                  f"              port: {port}",
                  f"            initialDelaySeconds: {rng.choice([10, 20, 30])}"]
    return lines


def deployment(rng, svc, target):
    n = rng.choice([1, 1, 1, 2, 2, 3])
    images = [other_image(rng) for _ in range(n)]
    init_target = False
    if target:
        pos = rng.randrange(n + 1)  # n => initContainer
        if pos == n:
            init_target = True
        else:
            images[pos] = quote(rng, TARGET)
    out = []
    if rng.random() < 0.5:
        out.append(f"# {svc['name']}: {svc['team']} team deployment")
    if rng.random() < 0.02:
        out.append(web_history_comment(rng, 0))
    out += ["apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            f"  name: {svc['name']}",
            f"  namespace: {svc['team']}",
            "  labels:"] + labels(svc, 4) + [
            "  annotations:",
            f"    acme.io/owner: \"{svc['team']}@acme.io\"",
            f"    acme.io/tier: {rng.choice(['frontend', 'backend', 'batch'])}",
            "spec:",
            f"  replicas: {rng.randint(1, 6)}",
            f"  revisionHistoryLimit: {rng.choice([3, 5, 10])}",
            "  selector:",
            "    matchLabels:",
            f"      app.kubernetes.io/name: {svc['name']}",
            "  strategy:",
            "    type: RollingUpdate",
            "    rollingUpdate:",
            "      maxSurge: 25%",
            "      maxUnavailable: 0",
            "  template:",
            "    metadata:",
            "      labels:",
            f"        app.kubernetes.io/name: {svc['name']}",
            "    spec:",
            f"      serviceAccountName: {svc['name']}",
            "      securityContext:",
            "        runAsNonRoot: true",
            "        runAsUser: 10001"]
    if init_target or rng.random() < 0.15:
        img = quote(rng, TARGET) if init_target else other_image(rng)
        out += ["      initContainers:",
                "        - name: migrate",
                f"          image: {img}",
                "          args: [\"migrate\", \"--wait\"]"]
    out.append("      containers:")
    if rng.random() < 0.3:
        out.append(comment_line(rng, 8, svc))
    for i, img in enumerate(images):
        out += container(rng, svc, img, i, i == 0)
    out += ["      terminationGracePeriodSeconds: 30"]
    return out


def service(rng, svc):
    out = header(rng, svc, "Service") if rng.random() < 0.8 else []
    if rng.random() < 0.5:
        out.append(comment_line(rng, 0, svc))
    out += ["apiVersion: v1",
            "kind: Service",
            "metadata:",
            f"  name: {svc['name']}",
            f"  namespace: {svc['team']}",
            "  labels:"] + labels(svc, 4) + [
            "  annotations:",
            "    prometheus.io/scrape: \"true\"",
            f"    prometheus.io/port: \"{rng.choice([9090, 8080])}\"",
            ] + extra_annotations(rng, 4) + [
            "spec:",
            "  sessionAffinity: None",
            "  internalTrafficPolicy: Cluster",
            f"  type: {rng.choice(['ClusterIP', 'ClusterIP', 'NodePort'])}",
            "  selector:",
            f"    app.kubernetes.io/name: {svc['name']}",
            "  ports:",
            "    - name: http",
            "      port: 80",
            "      targetPort: http",
            "    - name: metrics",
            "      port: 9090",
            "      targetPort: 9090"]
    if rng.random() < 0.5:
        out += ["    - name: grpc", "      port: 9000", "      targetPort: grpc", "      appProtocol: grpc"]
    return out


def configmap(rng, svc):
    out = header(rng, svc, "ConfigMap") + [comment_line(rng, 0, svc),
           "apiVersion: v1",
           "kind: ConfigMap",
           "metadata:",
           f"  name: {svc['name']}-config",
           f"  namespace: {svc['team']}",
           "  labels:"] + labels(svc, 4) + ["data:"]
    for _ in range(rng.randint(6, 14)):
        k = rng.choice(["LOG_LEVEL", "CACHE_TTL", "UPSTREAM", "FEATURES", "RETRIES", "TIMEOUT_MS",
                        "REGION", "QUEUE"]) + f"_{rng.randint(0, 99)}"
        v = rng.choice(['"debug"', '"300"', 'eu-west-1', '"true"', 'orders', '"2500"'])
        out.append(f"  {k}: {v}")
    out += ["  application.yaml: |",
            "    server:",
            f"      port: {rng.choice([8080, 8443])}",
            "    # the web image is built from the same base (ghcr.io/acme/web)",
            "    upstream:",
            f"      url: http://{rng.choice(SVC_WORDS)}.{svc['team']}.svc.cluster.local",
            f"      timeout: {rng.randint(1, 30)}s",
            "    logging:",
            "      level: INFO",
            "      format: json",
            "    retries:",
            f"      max: {rng.randint(1, 5)}",
            f"      backoff: {rng.choice(['100ms', '250ms', '1s'])}"]
    if rng.random() < 0.02:
        out.insert(1, web_history_comment(rng, 0))
    return out


def kustomization(rng, svc, overlay):
    out = header(rng, svc, "Kustomization") + [f"# kustomization for {svc['name']} ({overlay or 'base'})",
           "apiVersion: kustomize.config.k8s.io/v1beta1",
           "kind: Kustomization",
           f"namespace: {svc['team']}"]
    if overlay:
        out += ["resources:", "  - ../../base",
                "patches:",
                "  - path: patch-replicas.yaml",
                "    target:",
                "      kind: Deployment",
                f"      name: {svc['name']}"]
    else:
        out += ["resources:", "  - deployment.yaml", "  - service.yaml", "  - configmap.yaml"]
    if overlay:
        out += ["  - path: patch-resources.yaml" if rng.random() < 0.5 else "  - path: patch-env.yaml",
                "    target:",
                "      kind: Deployment",
                f"      labelSelector: app.kubernetes.io/name={svc['name']}",
                "replicas:",
                f"  - name: {svc['name']}",
                f"    count: {rng.randint(1, 9)}"]
    out += ["commonAnnotations:",
            f"  acme.io/owner: {svc['team']}",
            "commonLabels:",
            f"  app.kubernetes.io/part-of: {svc['team']}",
            f"  acme.io/env: {overlay or 'base'}",
            "images:"]
    for _ in range(rng.randint(1, 3)):
        full = other_image(rng, 0.08).split("@")[0]
        name, t = full.rsplit(":", 1)
        out += [f"  - name: {name}", f"    newTag: {quote(rng, t) if rng.random() < 0.5 else t}"]
    out += ["configMapGenerator:",
            f"  - name: {svc['name']}-env",
            "    behavior: merge",
            "    literals:",
            f"      - ENV={overlay or 'base'}",
            f"      - RELEASE={rng.randint(100, 999)}"]
    if rng.random() < 0.02:
        out.insert(1, web_history_comment(rng, 0))
    return out


def patch(rng, svc, overlay):
    return header(rng, svc, "Patch") + [f"# {overlay} overrides for {svc['name']}",
            comment_line(rng, 0, svc),
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            f"  name: {svc['name']}",
            "spec:",
            f"  replicas: {rng.randint(2, 12)}",
            "  template:",
            "    spec:",
            "      containers:",
            f"        - name: {svc['name']}",
            "          resources:",
            "            requests:",
            f"              cpu: {rng.choice(['250m', '500m', '1'])}",
            f"              memory: {rng.choice(['256Mi', '512Mi', '1Gi'])}",
            "            limits:",
            f"              memory: {rng.choice(['512Mi', '1Gi', '2Gi'])}",
            "      topologySpreadConstraints:",
            "        - maxSkew: 1",
            "          topologyKey: topology.kubernetes.io/zone",
            "          whenUnsatisfiable: ScheduleAnyway",
            "          labelSelector:",
            "            matchLabels:",
            f"              app.kubernetes.io/name: {svc['name']}",
            "      tolerations:",
            "        - key: dedicated",
            "          operator: Equal",
            f"          value: {svc['team']}",
            "          effect: NoSchedule"]


def values(rng, svc):
    img = other_image(rng, 0.1).split("@")[0]
    repo, t = img.rsplit(":", 1)
    reg = None
    if rng.random() < 0.4 and "/" in repo and "." in repo.split("/")[0]:
        reg, repo = repo.split("/", 1)
    out = [f"# Default values for {svc['name']}.",
           "# This is a YAML-formatted file.",
           f"replicaCount: {rng.randint(1, 5)}",
           "image:"]
    if reg:
        out.append(f"  registry: {reg}")
    out += [f"  repository: {repo}",
            "  # Overrides the image tag whose default is the chart appVersion.",
            f"  tag: {quote(rng, t)}",
            "  pullPolicy: IfNotPresent",
            "imagePullSecrets:",
            "  - name: ghcr-pull",
            "serviceAccount:",
            "  create: true",
            f"  name: {svc['name']}",
            "podAnnotations:",
            "  cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"",
            "service:",
            "  type: ClusterIP",
            "  port: 80",
            "ingress:",
            f"  enabled: {rng.choice(['true', 'false'])}",
            f"  className: {rng.choice(['nginx', 'internal'])}",
            "  hosts:",
            f"    - host: {svc['name']}.{svc['team']}.acme.io",
            "      paths:",
            "        - path: /",
            "          pathType: Prefix",
            "resources:",
            "  requests:",
            "    cpu: 100m",
            "    memory: 128Mi",
            "autoscaling:",
            "  enabled: true",
            f"  minReplicas: {rng.randint(1, 3)}",
            f"  maxReplicas: {rng.randint(4, 20)}",
            "  targetCPUUtilizationPercentage: 80",
            "metrics:",
            "  serviceMonitor:",
            "    enabled: true",
            f"    interval: {rng.choice(['15s', '30s', '1m'])}",
            "podSecurityContext:",
            "  runAsNonRoot: true",
            "  fsGroup: 10001",
            "securityContext:",
            "  readOnlyRootFilesystem: true",
            "  allowPrivilegeEscalation: false",
            "  capabilities:",
            "    drop: [\"ALL\"]",
            "nodeSelector:",
            f"  acme.io/pool: {rng.choice(['general', 'compute', 'memory'])}",
            "tolerations: []",
            "env:",
            f"  LOG_LEVEL: {rng.choice(['info', 'debug', 'warn'])}",
            f"  REGION: {rng.choice(['eu-west-1', 'us-east-1'])}"]
    if rng.random() < 0.5:
        out += ["initImage:",
                f"  repository: {rng.choice(['busybox', 'alpine', 'ghcr.io/acme/web2'])}",
                f"  tag: \"{rng.choice(['1.36', '3.19', '2.0.1'])}\""]
    if rng.random() < 0.02:
        out.insert(2, web_history_comment(rng, 0))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("-n", type=int, default=int(os.environ.get("N", "20000")))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--targets-file")
    a = ap.parse_args()
    if a.n < 100:
        sys.exit("gen-tree: -n must be >= 100")
    rng = random.Random(a.seed)

    # 1) plan: a list of (relpath, kind, svc, extra) until N files
    plan = []
    t = 0
    while len(plan) < a.n:
        team = f"team-{t:02d}"
        tw = TEAMS_WORDS[t % len(TEAMS_WORDS)]
        for s in range(rng.randint(25, 60)):
            if len(plan) >= a.n:
                break
            name = f"{tw}-{SVC_WORDS[s % len(SVC_WORDS)]}-{s:03d}"
            svc = {"team": team, "name": name}
            d = f"apps/{team}/svc-{s:03d}"
            layout = rng.random()
            if layout < 0.55:  # kustomize base + overlays
                files = [(f"{d}/base/deployment.yaml", "deploy"),
                         (f"{d}/base/service.yaml", "service"),
                         (f"{d}/base/configmap.yaml", "configmap"),
                         (f"{d}/base/kustomization.yaml", "kust")]
                for ov in rng.sample(["dev", "staging", "prod"], rng.randint(1, 3)):
                    files += [(f"{d}/overlays/{ov}/kustomization.yaml", "kust:" + ov),
                              (f"{d}/overlays/{ov}/patch-replicas.yaml", "patch:" + ov)]
            elif layout < 0.8:  # plain manifests, deployment+service in one multi-doc file
                files = [(f"{d}/manifests/{name}.yaml", "deploy+service"),
                         (f"{d}/manifests/configmap.yml", "configmap")]
            else:  # helm chart values
                files = [(f"{d}/chart/values.yaml", "values"),
                         (f"{d}/chart/values-prod.yaml", "values"),
                         (f"{d}/chart/templates-rendered/deployment.yaml", "deploy")]
            for f, k in files:
                if len(plan) < a.n:
                    plan.append((f, k, svc))
        t += 1

    deploy_idx = [i for i, (_, k, _) in enumerate(plan) if k.startswith("deploy")]
    n_targets = a.n // 100
    if len(deploy_idx) < n_targets:
        sys.exit("gen-tree: not enough deployments for the targets")
    targets = set(rng.sample(deploy_idx, n_targets))

    # 2) write
    total = 0
    sizes = []
    for i, (rel, k, svc) in enumerate(plan):
        frng = random.Random(f"{a.seed}:{rel}")
        is_t = i in targets
        if k == "deploy":
            lines = deployment(frng, svc, is_t)
        elif k == "deploy+service":
            lines = deployment(frng, svc, is_t) + ["---"] + service(frng, svc)
            if frng.random() < 0.3:
                lines = ["---"] + lines
        elif k == "service":
            lines = service(frng, svc)
        elif k == "configmap":
            lines = configmap(frng, svc)
        elif k == "kust":
            lines = kustomization(frng, svc, None)
        elif k.startswith("kust:"):
            lines = kustomization(frng, svc, k[5:])
        elif k.startswith("patch:"):
            lines = patch(frng, svc, k[6:])
        elif k == "values":
            lines = values(frng, svc)
        else:
            raise AssertionError(k)
        text = "\n".join(lines) + "\n"
        if (TARGET in text) != is_t:
            raise AssertionError(f"target bookkeeping broken for {rel}")
        p = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        total += len(text.encode())
        sizes.append(len(text.encode()))

    tlist = sorted(plan[i][0] for i in targets)
    if a.targets_file:
        with open(a.targets_file, "w") as fh:
            fh.write("\n".join(tlist) + "\n")
    sizes.sort()
    print(json.dumps({"files": len(plan), "targets": len(tlist), "bytes": total,
                      "min_bytes": sizes[0], "median_bytes": sizes[len(sizes) // 2],
                      "max_bytes": sizes[-1], "seed": a.seed}))


if __name__ == "__main__":
    main()
