#!/usr/bin/env python3
"""Helpers for the src/bench/*.sh benchmarks (verification digests and result tables).

    benchlib.py digest TREE                 sha256 over (relative path, bytes) of every file
    benchlib.py expected TREE OLD NEW       the digest TREE would have after replacing OLD by NEW
                                            in every file (the byte-exact expectation), and the
                                            number of occurrences replaced: "DIGEST COUNT"
    benchlib.py tree-report RESULTS.tsv META.json
    benchlib.py startup-report RESULTS.tsv META.json
    benchlib.py repo-diff-check GIT_DIR BASE REV OLD NEW
                                            every file changed between commits BASE and REV is a
                                            modified regular file (same mode) whose new blob is
                                            the old one with OLD replaced by NEW; prints problems,
                                            exit 1 if any
    benchlib.py repo-report META.json       tables for repo-push.sh (META names a RESULTS.tsv per size)
    benchlib.py remote-report META.json     tables for remote-push.sh (scenarios and the race)
    benchlib.py count-proxy PORT UPSTREAM FILE
                                            a loopback HTTP proxy in front of a registry on port
                                            UPSTREAM that writes the bytes of every blob upload
                                            body it passes on to FILE (JSON), for push.sh
    benchlib.py push-report RESULTS.tsv META.json
    benchlib.py diff-report RESULTS.tsv MB  the table for diff.sh
"""
import hashlib
import json
import os
import statistics
import subprocess
import sys


def walk(tree):
    for d, dirs, files in os.walk(tree):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            yield os.path.relpath(p, tree), p


def digest(tree, old=None, new=None):
    h = hashlib.sha256()
    count = 0
    for rel, p in walk(tree):
        with open(p, "rb") as fh:
            data = fh.read()
        if old is not None:
            count += data.count(old)
            data = data.replace(old, new)
        h.update(rel.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return h.hexdigest(), count


def load(results):
    rows = []
    with open(results) as fh:
        for line in fh:
            if line.strip():
                name, rnd, secs, rss, cpu, ok = line.rstrip("\n").split("\t")
                rows.append({"name": name, "round": int(rnd), "secs": float(secs),
                             "rss_kb": int(rss), "cpu": float(cpu), "ok": ok == "ok"})
    return rows


def summarize(rows, name):
    """Runs and valid runs of one contender; for the valid runs, median/min/max wall seconds,
    median CPU seconds and peak RSS (MiB, max over runs). None when it has no runs."""
    runs = [r for r in rows if r["name"] == name]
    good = [r for r in runs if r["ok"]]
    if not runs:
        return None
    s = {"runs": len(runs), "valid": len(good)}
    if good:
        secs = [r["secs"] for r in good]
        s.update(median=statistics.median(secs), min=min(secs), max=max(secs),
                 cpu=statistics.median(r["cpu"] for r in good),
                 rss_mib=max(r["rss_kb"] for r in good) / 1024)
    return s


def print_table(stats, names, width):
    """The contenders' table: valid runs, median, min and max wall seconds, CPU, peak RSS."""
    hdr = (f"{'contender':<{width}} {'valid':>6} {'median s':>9} {'min s':>8} {'max s':>8} "
           f"{'cpu s (med)':>12} {'peak RSS MiB':>13}")
    print(hdr)
    print("-" * len(hdr))
    for name in names:
        s = stats.get(name)
        if not s:
            continue
        if "median" in s:
            print(f"{name:<{width}} {s['valid']:>3}/{s['runs']:<2} {s['median']:>9.3f} {s['min']:>8.3f} "
                  f"{s['max']:>8.3f} {s['cpu']:>12.2f} {s['rss_mib']:>13.1f}")
        else:
            print(f"{name:<{width}} {s['valid']:>3}/{s['runs']:<2} {'(no valid run)':>9}")


def fmt_ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "n/a"


def verdict(value, limit):
    if value is None:
        return "n/a"
    return "meets target" if value <= limit else "MISSES target"


def tree_report(results, meta_path):
    meta = json.load(open(meta_path))
    rows = load(results)
    order = ["bumper", "launcher", "warm", "baseline", "sed", "yq"]
    stats = {}
    for name in order:
        s = summarize(rows, name)
        if s:
            stats[name] = s

    print()
    print(f"bump-manifest whole-process benchmark: {meta['files']} files "
          f"({meta['targets']} use ghcr.io/acme/web:1.4.1, {meta['bytes'] / 1e6:.1f} MB), "
          f"{meta['rounds']} rounds" + (f" (yq: {meta['yq_rounds']})" if "yq" in stats and meta["yq_rounds"] != meta["rounds"] else ""))
    print(f"bumper: {meta['bumper_version']}, JAVA_OPTS='{meta['java_opts']}', {meta['cpus']} CPUs, "
          f"{meta['java']}")
    baseline = meta.get("baseline")
    if baseline:
        print(f"baseline: {baseline['version']}, BASELINE_JAR={baseline['jar']}, run as bumper is")
    print(f"grep prefilter 'ghcr.io/acme/web:' selects {meta['grep_files']} files (sed and yq edit only those)")
    for n in meta.get("notes", []):
        print(f"note: {n}")
    print()
    print_table(stats, order, 10)
    print()
    med = lambda n: stats.get(n, {}).get("median")
    r_sed = med("bumper") / med("sed") if med("bumper") and med("sed") else None
    r_yq = med("bumper") / med("yq") if med("bumper") and med("yq") else None
    rss = stats.get("bumper", {}).get("rss_mib")
    print(f"{'bumper/sed (ratio of medians)':<34} {(f'{r_sed:.2f}x' if r_sed else 'n/a'):>9}   target <= 3x       {verdict(r_sed, 3)}")
    print(f"{'bumper/yq  (ratio of medians)':<34} {(f'{r_yq:.3f}x' if r_yq else 'n/a'):>9}   target <= 0.05x    {verdict(r_yq, 0.05)}")
    print(f"{'bumper peak RSS (max of runs)':<34} {(f'{rss:.1f} MiB' if rss else 'n/a'):>9}   target <= 256 MiB  {verdict(rss, 256)}")
    r_launcher_sed = med("launcher") / med("sed") if med("launcher") and med("sed") else None
    r_launcher_yq = med("launcher") / med("yq") if med("launcher") and med("yq") else None
    launcher_rss = stats.get("launcher", {}).get("rss_mib")
    if "launcher" in stats:
        print(f"{'launcher/sed (ratio of medians)':<34} {(f'{r_launcher_sed:.2f}x' if r_launcher_sed else 'n/a'):>9}   target <= 3x       {verdict(r_launcher_sed, 3)}")
        print(f"{'launcher/yq  (ratio of medians)':<34} {(f'{r_launcher_yq:.3f}x' if r_launcher_yq else 'n/a'):>9}   target <= 0.05x    {verdict(r_launcher_yq, 0.05)}")
        print(f"{'launcher peak RSS (max of runs)':<34} {(f'{launcher_rss:.1f} MiB' if launcher_rss else 'n/a'):>9}   target <= 256 MiB  {verdict(launcher_rss, 256)}")
    r_warm_sed = med("warm") / med("sed") if med("warm") and med("sed") else None
    if "warm" in stats:
        print(f"{'warm/sed (ratio of medians)':<34} {(f'{r_warm_sed:.2f}x' if r_warm_sed else 'n/a'):>9}   "
              f"(no target: one JVM kept warm between runs, as no CI job runs it)")
    r_base = med("bumper") / med("baseline") if med("bumper") and med("baseline") else None
    if baseline:
        print(f"{'bumper/baseline (ratio of medians)':<34} {(f'{r_base:.2f}x' if r_base else 'n/a'):>9}   "
              f"(< 1: this build is faster)")
    invalid = sum(s["runs"] - s["valid"] for s in stats.values())
    if invalid:
        print(f"\n{invalid} run(s) failed verification and are excluded from the statistics (see messages above)")
    out = {"bench": "bump-tree", "files": meta["files"], "targets": meta["targets"],
           "rounds": meta["rounds"], "yq_rounds": meta["yq_rounds"], "java_opts": meta["java_opts"],
           "invalid_runs": invalid,
           "ratio_bumper_sed": round(r_sed, 4) if r_sed else None,
           "ratio_bumper_yq": round(r_yq, 4) if r_yq else None,
           "bumper_peak_rss_mib": round(rss, 1) if rss else None,
           "ratio_launcher_sed": round(r_launcher_sed, 4) if r_launcher_sed else None,
           "ratio_launcher_yq": round(r_launcher_yq, 4) if r_launcher_yq else None,
           "ratio_warm_sed": round(r_warm_sed, 4) if r_warm_sed else None}
    if baseline:
        out["ratio_bumper_baseline"] = round(r_base, 4) if r_base else None
        out["baseline_jar"], out["baseline_version"] = baseline["jar"], baseline["version"]
    for name, s in stats.items():
        out[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}
    print("BENCH_RESULT " + json.dumps(out, separators=(",", ":")))
    return 1 if invalid else 0


def startup_report(results, meta_path):
    meta = json.load(open(meta_path))
    rows = load(results)
    order = ["release", "bumper", "baseline", "bumper-cds", "baseline-cds", "launcher", "baseline-launcher",
             "launcher-cds", "baseline-launcher-cds", "hello-jar", "hello-cp"]
    stats = {}
    for name in order:
        secs = [r["secs"] for r in rows if r["name"] == name and r["ok"]]
        runs = [r for r in rows if r["name"] == name]
        if runs:
            stats[name] = {"runs": len(runs), "valid": len(secs)}
            if secs:
                stats[name].update(median=statistics.median(secs), min=min(secs), max=max(secs),
                                   cpu=statistics.median(r["cpu"] for r in rows if r["name"] == name and r["ok"]),
                                   rss_mib=max(r["rss_kb"] for r in rows if r["name"] == name) / 1024)
    workload = meta.get("workload", "version")
    what = "'--version'" if workload == "version" else "a dry-run bump of examples/config"
    print()
    print(f"startup: {what}, {meta['runs']} interleaved runs each after {meta['warmups']} warm-ups, "
          f"JAVA_OPTS='{meta['java_opts']}', {meta['java']}")
    print("bumper-cds   = java -XX:SharedArchiveFile=bumper.jsa -jar bumper.jar (the archive made as the build makes it)")
    print("launcher     = target/bumper with BUMPER_CDS=off (C1 only, serial GC); launcher-cds = target/bumper")
    if "release" in stats:
        print("release      = the release archive installed by install.sh: its launcher, runtime and archives")
    baseline = meta.get("baseline")
    if baseline:
        print(f"baseline*    = the same four forms of BASELINE_JAR={baseline['jar']} ({baseline['version']}),")
        print(f"               with its own archive; launcher from {baseline['launcher']}")
    if "hello-jar" in stats:
        print("hello-jar    = picocli hello world shaded into one jar (java -jar hello.jar --version);")
        print("hello-cp     = same class, java -cp hello-classes.jar:picocli-4.7.7.jar Hello --version")
    print()
    width = 22 if baseline else 13
    hdr = f"{'command':<{width}} {'valid':>6} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'CPU ms':>8} {'peak RSS MiB':>13}"
    print(hdr)
    print("-" * len(hdr))
    for name in order:
        s = stats.get(name)
        if s and "median" in s:
            print(f"{name:<{width}} {s['valid']:>3}/{s['runs']:<2} {s['median'] * 1e3:>10.1f} {s['min'] * 1e3:>8.1f} "
                  f"{s['max'] * 1e3:>8.1f} {s['cpu'] * 1e3:>8.0f} {s['rss_mib']:>13.1f}")
    print()
    med = lambda n: stats.get(n, {}).get("median")
    ratio = lambda a, b: med(a) / med(b) if med(a) and med(b) else None
    show = lambda r: f"{r:.2f}x" if r else "n/a"
    r_jar = ratio("bumper", "hello-jar")
    r_cp = ratio("bumper", "hello-cp")
    r_cds = ratio("bumper-cds", "bumper")
    r_launcher_cds = ratio("launcher-cds", "launcher")
    if "hello-jar" in stats:
        print(f"{'bumper/hello-jar (ratio of medians)':<42} {show(r_jar):>7}   target <= 1.3x   {verdict(r_jar, 1.3)}")
        print(f"{'bumper/hello-cp  (ratio of medians)':<42} {show(r_cp):>7}   (for reference)")
    print(f"{'bumper-cds/bumper (ratio of medians)':<42} {show(r_cds):>7}   (what the archive saves java -jar)")
    print(f"{'launcher-cds/launcher (ratio of medians)':<42} {show(r_launcher_cds):>7}   (what the archive saves target/bumper)")
    r_release = ratio("release", "launcher-cds")
    if "release" in stats:
        print(f"{'release/launcher-cds (ratio of medians)':<42} {show(r_release):>7}   target <= 1.0x   {verdict(r_release, 1.0)}")
    baseline_ratios = {}
    if baseline:
        print()
        for name in ("bumper", "bumper-cds", "launcher", "launcher-cds"):
            base = "baseline" + name[len("bumper"):] if name.startswith("bumper") else "baseline-" + name
            r = ratio(name, base)
            baseline_ratios["ratio_" + name.replace("-", "_") + "_baseline"] = round(r, 4) if r else None
            print(f"{name + '/' + base + ' (ratio of medians)':<56} {show(r):>7}   (< 1: this build is faster)")
    invalid = sum(s["runs"] - s["valid"] for s in stats.values())
    out = {"bench": "startup", "workload": workload, "runs": meta["runs"], "warmups": meta["warmups"],
           "java_opts": meta["java_opts"], "invalid_runs": invalid, **baseline_ratios,
           "ratio_bumper_hello_jar": round(r_jar, 4) if r_jar else None,
           "ratio_bumper_hello_cp": round(r_cp, 4) if r_cp else None,
           "ratio_cds": round(r_cds, 4) if r_cds else None,
           "ratio_launcher_cds": round(r_launcher_cds, 4) if r_launcher_cds else None,
           "ratio_release_launcher_cds": round(r_release, 4) if r_release else None}
    if baseline:
        out["baseline_jar"], out["baseline_version"] = baseline["jar"], baseline["version"]
        out["baseline_launcher"] = baseline["launcher"]
    for name, s in stats.items():
        out[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}
    print("BENCH_RESULT " + json.dumps(out, separators=(",", ":")))
    return 1 if invalid else 0


def repo_diff_check(git_dir, base, rev, old, new):
    """Byte-exact check of a pushed bump: see the module docstring. Returns problems (strings)."""
    git = ["git", "--git-dir", git_dir]
    raw = subprocess.run(git + ["diff", "--raw", "--no-renames", "-z", base, rev],
                         capture_output=True, check=True).stdout.split(b"\0")
    problems, pairs = [], []
    for meta, path in zip(raw[0::2], raw[1::2]):
        if not meta:
            continue
        mode_a, mode_b, sha_a, sha_b, status = meta[1:].decode().split(" ")
        path = path.decode()
        if status != "M" or mode_a != mode_b or mode_a not in ("100644", "100755"):
            problems.append(f"{path}: {status} {mode_a} -> {mode_b} (expected a modified file, same mode)")
        else:
            pairs.append((path, sha_a, sha_b))
    if pairs:
        ids = "".join(f"{a}\n{b}\n" for _, a, b in pairs).encode()
        out = subprocess.run(git + ["cat-file", "--batch"], input=ids, capture_output=True, check=True).stdout
        blobs, i = [], 0
        while i < len(out):
            nl = out.index(b"\n", i)
            size = int(out[i:nl].split(b" ")[2])
            blobs.append(out[nl + 1:nl + 1 + size])
            i = nl + 1 + size + 1
        for k, (path, _, _) in enumerate(pairs):
            before, after = blobs[2 * k], blobs[2 * k + 1]
            if old.encode() not in before:
                problems.append(f"{path}: changed, but did not contain {old}")
            elif after != before.replace(old.encode(), new.encode()):
                problems.append(f"{path}: not the old bytes with {old} replaced by {new}")
    return problems


REPO_CONTENDERS = ["bumper", "bumper-jar", "bumper-clone", "bumper-warm", "shell"]
REPO_TARGETS = {2000: 1.0, 20000: 0.5}  # issue: bumper/shell ratio of medians at that many files


def repo_report(meta_path):
    meta = json.load(open(meta_path))
    print()
    print(f"repo-push: bump-manifest --repo file://COPY --push, whole process; the config repo has "
          f"{meta['history']} commits of history, a fresh cp -a of it per run")
    print(f"bumper: {meta['bumper_version']}, {meta['cpus']} CPUs, {meta['java']}, {meta['git']}")
    print("  bumper     = bumper launcher (target/bumper: -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)")
    print("  bumper-jar = java -jar bumper.jar")
    print("  shell      = git clone --depth 1 + grep -rl | xargs sed -i + git commit -a + git push")
    for n in meta.get("notes", []):
        print(f"note: {n}")
    out = {"bench": "repo-push", "history": meta["history"], "rounds": meta["rounds"], "sizes": {}}
    invalid_total = 0
    for size in meta["sizes"]:
        rows = load(size["results"])
        stats = {name: s for name in REPO_CONTENDERS if (s := summarize(rows, name))}
        print()
        print(f"{size['files']} files ({size['targets']} use ghcr.io/acme/web:1.4.1, "
              f"{size['bytes'] / 1e6:.1f} MB; bare repo {size['repo_mib']:.1f} MiB), "
              f"{size['rounds']} rounds")
        print_table(stats, REPO_CONTENDERS, 13)
        med = lambda n: stats.get(n, {}).get("median")
        target = REPO_TARGETS.get(size["files"])
        res = {"files": size["files"], "targets": size["targets"], "rounds": size["rounds"],
               "repo_mib": round(size["repo_mib"], 1), "target_ratio": target}
        for name in ("bumper", "bumper-jar"):
            r = med(name) / med("shell") if med(name) and med("shell") else None
            label = f"{name}/shell (ratio of medians)"
            tgt = f"target <= {target}x   {verdict(r, target)}" if target else "(no target at this size)"
            print(f"{label:<36} {(f'{r:.2f}x' if r else 'n/a'):>7}   {tgt}")
            res["ratio_" + name.replace("-", "_") + "_shell"] = round(r, 4) if r else None
        invalid = sum(s["runs"] - s["valid"] for s in stats.values())
        if invalid:
            print(f"{invalid} run(s) failed verification and are excluded from the statistics (see messages above)")
        invalid_total += invalid
        res["invalid_runs"] = invalid
        for name, s in stats.items():
            res[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}
        out["sizes"][str(size["files"])] = res
    out["invalid_runs"] = invalid_total
    print("BENCH_RESULT " + json.dumps(out, separators=(",", ":")))
    return 1 if invalid_total else 0


REMOTE_TARGETS = {"2000": 1.0, "20000": 1.0, "20000:path": 0.5}  # issue 18: bumper/shell, ratio of medians


def remote_report(meta_path):
    meta = json.load(open(meta_path))
    print()
    print("remote-push: bump-manifest --repo git://... --push, whole process, against git daemon behind a")
    print("delaying proxy, everything on tmpfs; a fresh cp -a of the served repo per run")
    print(f"bumper: {meta['bumper_version']}, {meta['cpus']} CPUs, {meta['java']}, {meta['git']}")
    print("  bumper     = bumper launcher (target/bumper with its archive: -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)")
    print("  bumper-jar = java -jar bumper.jar")
    print("  bumper-clone = the launcher in clone mode: -C DIR --repo git://... --push (a checkout written)")
    print("  bumper-warm = the same bump in one JVM kept running between runs (WarmJvm.java): the run")
    print("               without the JVM's start and warm-up, which no CI job gets")
    print("  shell      = git clone --depth 1 + grep -rl [PATH] | xargs sed -i + git commit -a + git push")
    for n in meta.get("notes", []):
        print(f"note: {n}")
    out = {"bench": "remote-push", "rounds": meta["rounds"], "scenarios": {}}
    invalid_total = 0
    for sc in meta["scenarios"]:
        rows = load(sc["results"])
        stats = {name: s for name in REPO_CONTENDERS if (s := summarize(rows, name))}
        print()
        where = f", PATH {sc['path']} ({sc['expected']} targets there)" if sc.get("path") else ""
        print(f"{sc['scenario']}: {sc['files']} files ({sc['targets']} use ghcr.io/acme/web:1.4.1, "
              f"{sc['bytes'] / 1e6:.1f} MB; bare repo {sc['repo_mib']:.1f} MiB, {sc['history']} commits)"
              f"{where}, {sc['rounds']} rounds")
        print_table(stats, REPO_CONTENDERS, 13)
        med = lambda n: stats.get(n, {}).get("median")
        key = sc["scenario"].split("@")[0]
        target = REMOTE_TARGETS.get(key) if sc["history"] == 300 or "@" not in sc["scenario"] else None
        res = {"files": sc["files"], "targets": sc["targets"], "expected": sc["expected"],
               "path": sc.get("path"), "history": sc["history"], "rounds": sc["rounds"],
               "repo_mib": round(sc["repo_mib"], 1), "target_ratio": target}
        for name in ("bumper", "bumper-jar", "bumper-clone", "bumper-warm"):
            if name not in stats:
                continue
            r = med(name) / med("shell") if med(name) and med("shell") else None
            label = f"{name}/shell (ratio of medians)"
            # the targets are for a bump without a working tree, in a new process
            tgt = (f"target <= {target}x   {verdict(r, target)}" if target and name in ("bumper", "bumper-jar")
                   else "(no target)")
            print(f"{label:<36} {(f'{r:.2f}x' if r else 'n/a'):>7}   {tgt}")
            res["ratio_" + name.replace("-", "_") + "_shell"] = round(r, 4) if r else None
        invalid = sum(s["runs"] - s["valid"] for s in stats.values())
        if invalid:
            print(f"{invalid} run(s) failed verification and are excluded from the statistics (see messages above)")
        invalid_total += invalid
        res["invalid_runs"] = invalid
        for name, s in stats.items():
            res[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}
        out["scenarios"][sc["scenario"]] = res
    race = meta.get("race") or []
    if race:
        n = meta["race_pipelines"]
        print()
        print(f"race: {n} pipelines at once, each bumping its own image in one shared values file of a "
              f"2,000-file repo; time until the last one ends")
        print("  bumper = bump-manifest --repo --push (replays its bump on the new tip when a push loses)")
        print("  shell  = clone --depth 1, sed, commit, until git push; do git pull --rebase; done "
              "(a rebase stopped by a conflict gives up)")
        hdr = f"{'contender':<9} {'rounds':>6} {'median s':>9} {'min s':>8} {'max s':>8} {'landed (per round)':>22} {'exit 0':>10} {'exact':>6}"
        print(hdr)
        print("-" * len(hdr))
        out["race"] = {"pipelines": n}
        for name in ("bumper", "shell"):
            runs = [r for r in race if r["name"] == name]
            if not runs:
                continue
            secs = [r["secs"] for r in runs]
            landed = ",".join(str(r["landed"]) for r in runs)
            exit0 = ",".join(str(r["exit0"]) for r in runs)
            exact = all(r["exact"] == "yes" for r in runs)
            print(f"{name:<9} {len(runs):>6} {statistics.median(secs):>9.2f} {min(secs):>8.2f} {max(secs):>8.2f} "
                  f"{landed:>22} {exit0:>10} {('yes' if exact else 'no'):>6}")
            out["race"][name] = {"median": round(statistics.median(secs), 3), "min": min(secs), "max": max(secs),
                                 "landed": [r["landed"] for r in runs], "exit0": [r["exit0"] for r in runs],
                                 "exact": exact}
            if name == "bumper" and (not exact or any(r["landed"] != n or r["exit0"] != n for r in runs)):
                print(f"bumper: not all {n} landed in every round (see messages above)")
                invalid_total += 1
    out["invalid_runs"] = invalid_total
    print("BENCH_RESULT " + json.dumps(out, separators=(",", ":")))
    return 1 if invalid_total else 0


def count_proxy(port, upstream, counts_file):
    """Passes every request to the registry on 127.0.0.1:UPSTREAM, Host header and all (so
    upload URLs point back here), and counts the body bytes of blob uploads (PATCH and PUT to
    /blobs/uploads/), writing {"upload_bytes", "uploads", "requests"} to COUNTS_FILE after
    each request. Chunked bodies are de-chunked and sent on with a Content-Length."""
    import http.client
    import http.server
    import threading

    lock = threading.Lock()
    counts = {"upload_bytes": 0, "uploads": 0, "requests": 0}

    def save():
        tmp = counts_file + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(counts, fh)
        os.replace(tmp, counts_file)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def body(self):
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                parts = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(parts)
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def forward(self):
            data = self.body()
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("transfer-encoding", "content-length", "connection", "expect")}
            if data or self.command in ("PUT", "PATCH", "POST"):
                headers["Content-Length"] = str(len(data))
            conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=600)
            conn.request(self.command, self.path, body=data, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            with lock:
                counts["requests"] += 1
                if self.command in ("PUT", "PATCH") and "/blobs/uploads/" in self.path and data:
                    counts["upload_bytes"] += len(data)
                    counts["uploads"] += 1
                save()
            self.send_response_only(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            self.close_connection = True
            conn.close()

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = forward

    save()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.serve_forever()


PUSH_CONTENDERS = ["bumper", "bumper-jar", "skopeo"]


def push_report(results, meta_path):
    meta = json.load(open(meta_path))
    rows = load(results)
    stats = {name: s for name in PUSH_CONTENDERS if (s := summarize(rows, name))}
    print()
    print(f"push: a {meta['tarball_mb']:.1f} MB docker-archive tarball ({meta['layers']} layers of random data, "
          f"from build-image --tar) to a fresh loopback docker-registry per run, {meta['rounds']} rounds")
    print(f"bumper: {meta['bumper_version']}, {meta['cpus']} CPUs, {meta['java']}, {meta['skopeo']}")
    print("  bumper     = bumper launcher (target/bumper: -XX:TieredStopAtLevel=1 -XX:+UseSerialGC) push TARBALL --to REF")
    print("  bumper-jar = java -jar bumper.jar push TARBALL --to REF")
    print("  skopeo     = skopeo copy docker-archive:TARBALL docker://REF")
    for n in meta.get("notes", []):
        print(f"note: {n}")
    print()
    print_table(stats, PUSH_CONTENDERS, 11)
    med = lambda n: stats.get(n, {}).get("median")
    out = {"bench": "push", "tarball_mb": meta["tarball_mb"], "layers": meta["layers"], "rounds": meta["rounds"]}
    print()
    for name in ("bumper", "bumper-jar"):
        r = med(name) / med("skopeo") if med(name) and med("skopeo") else None
        print(f"{name + '/skopeo (ratio of medians)':<37} {(f'{r:.2f}x' if r else 'n/a'):>7}   target <= 1.2x   {verdict(r, 1.2)}")
        out["ratio_" + name.replace("-", "_") + "_skopeo"] = round(r, 4) if r else None
    rebuild = meta.get("rebuild")
    if rebuild:
        print()
        print(f"rebuild after a one-file change ({rebuild['files']} files in {rebuild['layers']} layers, "
              f"one {rebuild['changed_kb']} KB file changed in the last layer), build-image to the registry:")
        print(f"  image size (config + compressed layers)   {rebuild['image_bytes'] / 1e6:10.2f} MB")
        print(f"  uploaded by the first build               {rebuild['first_upload_bytes'] / 1e6:10.2f} MB in {rebuild['first_uploads']} uploads")
        print(f"  uploaded by the same build again          {rebuild['same_upload_bytes'] / 1e6:10.2f} MB in {rebuild['same_uploads']} uploads (digest unchanged: {rebuild['same_digest']})")
        print(f"  uploaded by the rebuild after the change  {rebuild['rebuild_upload_bytes'] / 1e6:10.2f} MB in {rebuild['rebuild_uploads']} uploads "
              f"= {100 * rebuild['rebuild_upload_bytes'] / rebuild['image_bytes']:.2f} % of the image")
        out["rebuild"] = rebuild
    invalid = sum(s["runs"] - s["valid"] for s in stats.values())
    if invalid:
        print(f"\n{invalid} run(s) failed verification and are excluded from the statistics (see messages above)")
    out["invalid_runs"] = invalid
    for name, s in stats.items():
        out[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}
    print("BENCH_RESULT " + json.dumps(out, separators=(",", ":")))
    return 1 if invalid else 0


def diff_report(results, mb):
    rows = load(results)
    stats = {name: summarize(rows, name) for name in ("launcher", "java-jar", "sed+diff")}
    print(f"unified diff of a {mb} MB file, two lines changed; median of valid runs")
    print(f"{'contender':<10} {'runs':>5} {'median s':>9} {'min':>6} {'max':>6} {'CPU s':>6} {'RSS MiB':>8}")
    for name, s in stats.items():
        if s and s["valid"]:
            print(f"{name:<10} {s['runs']:>5} {s['median']:>9.2f} {s['min']:>6.2f} {s['max']:>6.2f}"
                  f" {s['cpu']:>6.2f} {s['rss_mib']:>8.1f}")
    floor = (stats["sed+diff"] or {}).get("median")
    ratios = {name: (stats[name] or {}).get("median") and floor and stats[name]["median"] / floor
              for name in ("launcher", "java-jar")}
    for name, ratio in ratios.items():
        print(f"{name} / sed+diff: {fmt_ratio(stats[name] and stats[name].get('median'), floor)}")
    print("BENCH_RESULT " + json.dumps({"bench": "diff", "mb": int(mb), "stats": stats, "ratios": ratios}))
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "digest":
        print(digest(argv[1])[0])
    elif len(argv) == 4 and argv[0] == "expected":
        d, c = digest(argv[1], argv[2].encode(), argv[3].encode())
        print(d, c)
    elif len(argv) == 3 and argv[0] == "tree-report":
        return tree_report(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "startup-report":
        return startup_report(argv[1], argv[2])
    elif len(argv) == 6 and argv[0] == "repo-diff-check":
        problems = repo_diff_check(*argv[1:])
        for p in problems[:10]:
            print(p)
        if len(problems) > 10:
            print(f"... and {len(problems) - 10} more")
        return 1 if problems else 0
    elif len(argv) == 2 and argv[0] == "repo-report":
        return repo_report(argv[1])
    elif len(argv) == 2 and argv[0] == "remote-report":
        return remote_report(argv[1])
    elif len(argv) == 4 and argv[0] == "count-proxy":
        count_proxy(int(argv[1]), int(argv[2]), argv[3])
    elif len(argv) == 3 and argv[0] == "diff-report":
        return diff_report(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "push-report":
        return push_report(argv[1], argv[2])
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
