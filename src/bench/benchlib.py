#!/usr/bin/env python3
"""Helpers for the src/bench/*.sh benchmarks (verification digests and result tables).

    benchlib.py digest TREE                 sha256 over (relative path, bytes) of every file
    benchlib.py expected TREE OLD NEW       the digest TREE would have after replacing OLD by NEW
                                            in every file (the byte-exact expectation), and the
                                            number of occurrences replaced: "DIGEST COUNT"
    benchlib.py tree-report RESULTS.tsv META.json
    benchlib.py startup-report RESULTS.tsv META.json
"""
import hashlib
import json
import os
import statistics
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


def fmt_ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "n/a"


def verdict(value, limit):
    if value is None:
        return "n/a"
    return "meets target" if value <= limit else "MISSES target"


def tree_report(results, meta_path):
    meta = json.load(open(meta_path))
    rows = load(results)
    order = ["bumper", "sed", "yq"]
    stats = {}
    for name in order:
        runs = [r for r in rows if r["name"] == name]
        good = [r for r in runs if r["ok"]]
        if not runs:
            continue
        s = {"runs": len(runs), "valid": len(good)}
        if good:
            secs = [r["secs"] for r in good]
            s.update(median=statistics.median(secs), min=min(secs), max=max(secs),
                     cpu=statistics.median(r["cpu"] for r in good),
                     rss_mib=max(r["rss_kb"] for r in good) / 1024)
        stats[name] = s

    print()
    print(f"bump-manifest whole-process benchmark: {meta['files']} files "
          f"({meta['targets']} use ghcr.io/acme/web:1.4.1, {meta['bytes'] / 1e6:.1f} MB), "
          f"{meta['rounds']} rounds" + (f" (yq: {meta['yq_rounds']})" if "yq" in stats and meta["yq_rounds"] != meta["rounds"] else ""))
    print(f"bumper: {meta['bumper_version']}, JAVA_OPTS='{meta['java_opts']}', {meta['cpus']} CPUs, "
          f"{meta['java']}")
    print(f"grep prefilter 'ghcr.io/acme/web:' selects {meta['grep_files']} files (sed and yq edit only those)")
    for n in meta.get("notes", []):
        print(f"note: {n}")
    print()
    hdr = f"{'contender':<10} {'valid':>6} {'median s':>9} {'min s':>8} {'max s':>8} {'cpu s (med)':>12} {'peak RSS MiB':>13}"
    print(hdr)
    print("-" * len(hdr))
    for name in order:
        s = stats.get(name)
        if not s:
            continue
        if "median" in s:
            print(f"{name:<10} {s['valid']:>3}/{s['runs']:<2} {s['median']:>9.3f} {s['min']:>8.3f} "
                  f"{s['max']:>8.3f} {s['cpu']:>12.2f} {s['rss_mib']:>13.1f}")
        else:
            print(f"{name:<10} {s['valid']:>3}/{s['runs']:<2} {'(no valid run)':>9}")
    print()
    med = lambda n: stats.get(n, {}).get("median")
    r_sed = med("bumper") / med("sed") if med("bumper") and med("sed") else None
    r_yq = med("bumper") / med("yq") if med("bumper") and med("yq") else None
    rss = stats.get("bumper", {}).get("rss_mib")
    print(f"{'bumper/sed (ratio of medians)':<32} {(f'{r_sed:.2f}x' if r_sed else 'n/a'):>9}   target <= 3x       {verdict(r_sed, 3)}")
    print(f"{'bumper/yq  (ratio of medians)':<32} {(f'{r_yq:.3f}x' if r_yq else 'n/a'):>9}   target <= 0.2x     {verdict(r_yq, 0.2)}")
    print(f"{'bumper peak RSS (max of runs)':<32} {(f'{rss:.1f} MiB' if rss else 'n/a'):>9}   target <= 256 MiB  {verdict(rss, 256)}")
    invalid = sum(s["runs"] - s["valid"] for s in stats.values())
    if invalid:
        print(f"\n{invalid} run(s) failed verification and are excluded from the statistics (see messages above)")
    out = {"bench": "bump-tree", "files": meta["files"], "targets": meta["targets"],
           "rounds": meta["rounds"], "yq_rounds": meta["yq_rounds"], "java_opts": meta["java_opts"],
           "invalid_runs": invalid,
           "ratio_bumper_sed": round(r_sed, 4) if r_sed else None,
           "ratio_bumper_yq": round(r_yq, 4) if r_yq else None,
           "bumper_peak_rss_mib": round(rss, 1) if rss else None}
    for name, s in stats.items():
        out[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}
    print("BENCH_RESULT " + json.dumps(out, separators=(",", ":")))
    return 1 if invalid else 0


def startup_report(results, meta_path):
    meta = json.load(open(meta_path))
    rows = load(results)
    order = ["bumper", "hello-jar", "hello-cp"]
    stats = {}
    for name in order:
        secs = [r["secs"] for r in rows if r["name"] == name and r["ok"]]
        runs = [r for r in rows if r["name"] == name]
        if runs:
            stats[name] = {"runs": len(runs), "valid": len(secs)}
            if secs:
                stats[name].update(median=statistics.median(secs), min=min(secs), max=max(secs),
                                   rss_mib=max(r["rss_kb"] for r in rows if r["name"] == name) / 1024)
    print()
    print(f"startup: '--version', {meta['runs']} interleaved runs each after {meta['warmups']} warm-ups, "
          f"JAVA_OPTS='{meta['java_opts']}', {meta['java']}")
    print("hello-jar = picocli hello world shaded into one jar (java -jar hello.jar --version);")
    print("hello-cp  = same class, java -cp hello-classes.jar:picocli-4.7.7.jar Hello --version")
    print()
    hdr = f"{'command':<10} {'valid':>6} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'peak RSS MiB':>13}"
    print(hdr)
    print("-" * len(hdr))
    for name in order:
        s = stats.get(name)
        if s and "median" in s:
            print(f"{name:<10} {s['valid']:>3}/{s['runs']:<2} {s['median'] * 1e3:>10.1f} {s['min'] * 1e3:>8.1f} "
                  f"{s['max'] * 1e3:>8.1f} {s['rss_mib']:>13.1f}")
    print()
    med = lambda n: stats.get(n, {}).get("median")
    r_jar = med("bumper") / med("hello-jar") if med("bumper") and med("hello-jar") else None
    r_cp = med("bumper") / med("hello-cp") if med("bumper") and med("hello-cp") else None
    print(f"{'bumper/hello-jar (ratio of medians)':<38} {(f'{r_jar:.2f}x' if r_jar else 'n/a'):>7}   target <= 1.3x   {verdict(r_jar, 1.3)}")
    print(f"{'bumper/hello-cp  (ratio of medians)':<38} {(f'{r_cp:.2f}x' if r_cp else 'n/a'):>7}   (for reference)")
    invalid = sum(s["runs"] - s["valid"] for s in stats.values())
    out = {"bench": "startup", "runs": meta["runs"], "warmups": meta["warmups"],
           "java_opts": meta["java_opts"], "invalid_runs": invalid,
           "ratio_bumper_hello_jar": round(r_jar, 4) if r_jar else None,
           "ratio_bumper_hello_cp": round(r_cp, 4) if r_cp else None}
    for name, s in stats.items():
        out[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}
    print("BENCH_RESULT " + json.dumps(out, separators=(",", ":")))
    return 1 if invalid else 0


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
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
