#!/usr/bin/env python3
"""Turn a tree made by gen-tree.py into a deterministic Git history, as a `git fast-import` stream.

    python3 src/bench/gen-history.py TREE TARGETS_FILE [--commits 300] [--seed 42] [--branch main] \\
        | git -C BARE.git fast-import --quiet

Commit 1 imports the whole tree, with the targets (TARGETS_FILE, from gen-tree.py
--targets-file) on ghcr.io/acme/web:1.4.0. Each later commit is a small config change to 1-4
files that are not targets (a replica count, a RELEASE literal, a timeout, or a trailing
"# last change" comment), except one, about nine tenths of the way in, that deploys
ghcr.io/acme/web 1.4.0 -> 1.4.1 to every target. So the tip holds the targets exactly as
gen-tree.py wrote them, and the string ghcr.io/acme/web:1.4.1 still occurs only in the targets'
image fields (the edits never touch an image). Authors, dates and messages are seeded, so the
commit ids are the same on every run. With --commits 1 there is only the import, of the tree
as it is.

--ballast-mb M makes the history weigh about M MB more without changing the tip: spread over the
first four fifths of the history, commits replace one file, assets/archive.bin, with seeded
random bytes (8 MB each, incompressible), and the commit after the last deletes it. A repository
as heavy as a long-lived monorepo's, with the same tree at its tip.

Prints a one-line JSON summary on stderr.
"""
import argparse
import json
import os
import random
import re
import sys

OLD, PREV = b"ghcr.io/acme/web:1.4.1", b"ghcr.io/acme/web:1.4.0"
AUTHORS = [("Alice Ops", "alice@acme.io"), ("Bob Platform", "bob@acme.io"),
           ("Carol SRE", "carol@acme.io"), ("ci-bot", "ci@acme.io"), ("Dan Dev", "dan@acme.io")]
# Edits that keep the YAML valid and never touch an image: (pattern, new value of group 2, message)
EDITS = [
    (re.compile(rb"^(\s*replicas: )(\d+)$", re.M), lambda r: str(r.randint(1, 12)), "scale {svc} to {v} replicas"),
    (re.compile(rb"^(replicaCount: )(\d+)$", re.M), lambda r: str(r.randint(1, 8)), "helm: {svc} replicaCount {v}"),
    (re.compile(rb"^(\s*- RELEASE=)(\d+)$", re.M), lambda r: str(r.randint(100, 999)), "release {v} for {svc}"),
    (re.compile(rb"^(\s*timeout: )(\d+s)$", re.M), lambda r: f"{r.randint(1, 60)}s", "{svc}: upstream timeout {v}"),
]
COMMENT = re.compile(rb"\n# last change: [^\n]*\n\Z")


def files(tree):
    for d, dirs, fs in os.walk(tree):
        dirs.sort()
        for f in sorted(fs):
            p = os.path.join(d, f)
            yield os.path.relpath(p, tree).replace(os.sep, "/"), p


def data(out, blob):
    out.write(b"data %d\n" % len(blob))
    out.write(blob)
    out.write(b"\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tree")
    ap.add_argument("targets")
    ap.add_argument("--commits", type=int, default=300)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--branch", default="main")
    ap.add_argument("--ballast-mb", type=int, default=0)
    a = ap.parse_args()
    if a.commits < 1:
        sys.exit("gen-history: --commits must be >= 1")
    chunk = 8 << 20
    ballasts = -(-a.ballast_mb * (1 << 20) // chunk)
    if ballasts and ballasts + 3 > a.commits * 4 // 5:
        sys.exit(f"gen-history: --ballast-mb {a.ballast_mb} needs more than {(ballasts + 3) * 5 // 4} commits")
    # commits that replace the ballast file, and the one that deletes it
    ballast_at = {2 + i * (a.commits * 4 // 5 - 3) // max(ballasts, 1) for i in range(ballasts)}
    ballast_end = max(ballast_at) + 1 if ballasts else 0
    ballast_rng = random.Random(f"ballast:{a.seed}")
    rng = random.Random(f"history:{a.seed}")
    content = {rel: open(p, "rb").read() for rel, p in files(a.tree)}
    targets = [t for t in open(a.targets).read().split("\n") if t]
    missing = [t for t in targets if t not in content]
    if missing:
        sys.exit(f"gen-history: targets not in the tree: {missing[:3]}")
    tset = set(targets)
    others = sorted(rel for rel in content if rel not in tset)
    final = {t: content[t] for t in targets}
    deploy_at = max(2, a.commits - a.commits // 10) if a.commits >= 2 else 0
    if deploy_at:
        for t in targets:
            content[t] = content[t].replace(OLD, PREV)

    out = sys.stdout.buffer
    when = 1735689600  # 2025-01-01T00:00:00Z
    ref = f"refs/heads/{a.branch}".encode()
    touched = 0
    for n in range(1, a.commits + 1):
        when += rng.randint(600, 20000)
        name, email = rng.choice(AUTHORS)
        changes = {}
        if n == 1:
            msg = "Import the config repo"
            changes = dict(content)
        elif n == deploy_at:
            msg = "Deploy ghcr.io/acme/web 1.4.0 -> 1.4.1"
            changes = dict(final)
            content.update(final)
        else:
            k = rng.choice([1, 1, 1, 2, 2, 3, 4])
            subjects = []
            for rel in rng.sample(others, k):
                body = content[rel]
                svc = rel.split("/")[2] if rel.count("/") >= 2 else rel
                for pat, value, what in rng.sample(EDITS, len(EDITS)):
                    m = pat.search(body)
                    if m:
                        v = value(rng)
                        body = body[:m.start(2)] + v.encode() + body[m.end(2):]
                        subjects.append(what.format(svc=svc, v=v))
                        break
                else:
                    line = f"# last change: #{n} by {email}".encode()
                    body = COMMENT.sub(b"\n", body) if COMMENT.search(body) else body
                    body = body + line + b"\n"
                    subjects.append(f"{svc}: touch {rel.rsplit('/', 1)[-1]}")
                if body != content[rel]:
                    content[rel] = changes[rel] = body
            msg = subjects[0] if len(subjects) == 1 else f"{subjects[0]} (+{len(subjects) - 1} more)"
            if not changes:  # cannot happen with the edits above, but keep every commit non-empty
                rel = others[n % len(others)]
                content[rel] = changes[rel] = content[rel] + f"# last change: #{n}\n".encode()
        touched += len(changes) if n > 1 else 0
        msg = msg.encode() + b"\n"
        out.write(b"commit " + ref + b"\n")
        out.write(b"mark :%d\n" % n)
        who = f"{name} <{email}> {when} +0000\n".encode()
        out.write(b"author " + who + b"committer " + who)
        data(out, msg)
        if n > 1:
            out.write(b"from :%d\n" % (n - 1))
        for rel in sorted(changes):
            out.write(b"M 100644 inline " + rel.encode() + b"\n")
            data(out, changes[rel])
        if n in ballast_at:
            out.write(b"M 100644 inline assets/archive.bin\n")
            data(out, ballast_rng.randbytes(chunk))
        elif n == ballast_end:
            out.write(b"D assets/archive.bin\n")
    out.write(b"done\n")
    out.flush()
    if any(OLD in content[rel] for rel in others) or any(content[t] != final[t] for t in targets):
        sys.exit("gen-history: the tip does not hold the targets as generated")
    print(json.dumps({"commits": a.commits, "files": len(content), "targets": len(targets),
                      "files_touched_after_import": touched, "deploy_commit": deploy_at,
                      "ballast_mb": ballasts * chunk >> 20}), file=sys.stderr)


if __name__ == "__main__":
    main()
