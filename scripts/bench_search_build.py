#!/usr/bin/env python3
"""Search index build: old code against new code, same corpus, same run (issue 4 build budget).

    git worktree add --detach /tmp/search-old <old commit>
    python3 scripts/bench_search_build.py --old /tmp/search-old/plugins                # default + 20k
    python3 scripts/bench_search_build.py --old /tmp/search-old/plugins --corpus 100000

Each build runs in a fresh process (the catalogue loaded first, from the pickle cache that
scripts/bench_search.py keeps in bench-out/search/c<N>.<model hash>.pickle, or `catalogue/` for "default"):
CPU seconds (user + system; system time is mostly creating the files and varies a lot on a
shared disk, so user time is reported apart) and wall seconds of write_search_index, and how much it raised the peak memory (ru_maxrss
after the build minus before it). Then every file of the two indexes is compared byte for byte:
the script exits 1 if any differs, so it is also the proof that a faster build writes the same
index. Old and new alternate (old, new, old, new, …) so a busy machine hurts both alike.

    python3 scripts/bench_search_build.py --phrase-cost bench-out/search/site-100000/search

estimates instead what a one-character "next character" fingerprint per body posting (to rank exact
body phrases first) would add to the cold two-term queries of scripts/bench_search.py.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "scripts"))
CACHE = ROOT / "bench-out" / "search"
from bench_search import pickle_path  # noqa: E402  (the cache bench_search.py keeps)

CHILD = r"""
import hashlib, json, os, pickle, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
import gkml
from gkml.search import write_search_index
source, out = sys.argv[2], Path(sys.argv[3])
if source.endswith(".pickle"):
    catalogue = pickle.loads(Path(source).read_bytes())
else:
    from gkml.catalogue.validate import load_catalogue
    catalogue = load_catalogue(Path(source))[0]
catalogue.public_items
import gkml.search.build, gkml.search.postings  # imports (numpy, OpenCC) are not the build
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, start = time.perf_counter(), os.times()
index = write_search_index(catalogue, out)
wall, end = time.perf_counter() - wall, os.times()
user, system = end.user - start.user, end.system - start.system
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
files = {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(out.rglob("*")) if p.is_file()}
print(json.dumps({"code": os.path.dirname(gkml.__file__), "cpu": user + system, "user": user, "sys": system, "wall": wall,
                  "added_mb": (after - before) / 1024, "peak_mb": after / 1024, "files": files,
                  "docs": index.stats["docs"], "terms": index.stats["terms"]}))
"""


def source_for(corpus: str) -> str:
    if corpus == "default":
        return str(ROOT / "catalogue")
    pickle = pickle_path(CACHE / f"c{corpus}")
    if not pickle.exists():
        sys.exit(f"{pickle} missing: run scripts/bench_search.py --sizes {corpus} once to make it")
    return str(pickle)


def build(plugins: Path, source: str) -> dict:
    out = Path(tempfile.mkdtemp(prefix="gkml-search-build-"))
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(plugins), source, str(out / "site")],
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(done.stderr)
        return json.loads(done.stdout)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def differences(old: dict, new: dict) -> list[str]:
    names = sorted(set(old) | set(new))
    return [name for name in names if old.get(name) != new.get(name)]


def compare(corpus: str, old_plugins: Path, new_plugins: Path, rounds: int) -> dict:
    source = source_for(corpus)
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    for _ in range(rounds):
        runs["old"].append(build(old_plugins, source))
        runs["new"].append(build(new_plugins, source))
    old, new = runs["old"][-1], runs["new"][-1]
    if old["code"] == new["code"]:
        sys.exit(f"old and new both imported gkml from {old['code']}")
    diff = differences(old["files"], new["files"])
    best = {name: min(r["cpu"] for r in rs) for name, rs in runs.items()}
    row = {"corpus": corpus, "docs": new["docs"], "terms": new["terms"], "files": len(new["files"]),
           "identical": not diff, "different_files": diff[:20],
           "old_cpu": best["old"], "new_cpu": best["new"], "ratio": best["old"] / best["new"],
           "old_user": min(r["user"] for r in runs["old"]), "new_user": min(r["user"] for r in runs["new"]),
           "old_wall": min(r["wall"] for r in runs["old"]), "new_wall": min(r["wall"] for r in runs["new"]),
           "old_added_mb": max(r["added_mb"] for r in runs["old"]),
           "new_added_mb": max(r["added_mb"] for r in runs["new"])}
    return row


def raw_list(reader, key: str) -> str:
    """The encoded posting list of `key` as the browser fetches it."""
    from gkml.search.encode import fnv1a
    if key in reader.meta["big"]:
        return reader.load(f"b/{reader.meta['big'][key]}.js")
    return reader.load(f"s/{fnv1a(key) % reader.meta['shards']}.js").get(key, "")


def phrase_cost(search_dir: Path) -> None:
    from bench_search import COLD_QUERIES  # which also puts the tests' search helpers on the path
    import searchtools
    from gkml.search.tokenize import query_terms
    reader = searchtools.IndexReader(search_dir)
    for query in COLD_QUERIES:
        keys = [key for term in query_terms(query) for key in term]
        listed = sum(len(raw_list(reader, key)) for key in keys)
        body = sum(sum(1 for v in reader.postings(key).values() if v is None) for key in keys)
        print(json.dumps({"query": query, "list_chars": listed, "body_postings": body,
                          "added": round(body / max(listed, 1), 2)}, ensure_ascii=False))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", type=Path, help="plugins/ directory of the old code")
    parser.add_argument("--phrase-cost", type=Path, metavar="SEARCH_DIR",
                        help="only estimate the cost of body-phrase fingerprints on this index")
    parser.add_argument("--new", type=Path, default=ROOT / "plugins", help="plugins/ directory of the new code")
    parser.add_argument("--corpus", nargs="+", default=["default", "20000"],
                        help='"default" (catalogue/) or a generated size with a pickle in bench-out/search/')
    parser.add_argument("--rounds", type=int, default=1, help="builds of each version (best CPU time is kept)")
    args = parser.parse_args(argv)
    if args.phrase_cost:
        return phrase_cost(args.phrase_cost)
    if not args.old:
        parser.error("--old is required")
    failed = False
    for corpus in args.corpus:
        row = compare(corpus, args.old, args.new, args.rounds)
        failed |= not row["identical"]
        print(json.dumps(row, ensure_ascii=False), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
