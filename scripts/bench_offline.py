#!/usr/bin/env python3
"""How large is the whole search index a reader's browser would keep for offline search?

    python3 scripts/gen_corpus.py --items 10000 --seed 1 --out bench-out/c10k
    python3 scripts/bench_offline.py bench-out/c10k [more catalogues …]

For each catalogue: load it, write its search index into a scratch folder under bench-out/, and
report the index files the service worker would cache (gkml.site.offline.index_files: every file
under search/ but meta.js): the index a site publishes, against the offline budget
(OFFLINE_SEARCH_BUDGET, the plugin's offline_search_mb), and the item texts (t/) a copy made by
gkml bundle adds (search_texts). The README's «离线使用» figures come from this script.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from gkml.catalogue.validate import load_catalogue  # noqa: E402
from gkml.diagnostics import Report  # noqa: E402
from gkml.search import write_search_index  # noqa: E402
from gkml.site.offline import OFFLINE_SEARCH_BUDGET, index_files  # noqa: E402

MB = 1024 * 1024


def measure(catalogue: Path, scratch: Path) -> dict:
    cat, report = load_catalogue(catalogue, Report())
    if cat is None or report.errors:
        raise SystemExit(f"{catalogue}: 目录检查未通过（{report.summary()}）")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    write_search_index(cat, scratch, texts=True)
    files, total = index_files(scratch)
    texts = [f for f in files if f.startswith("search/t/")]
    text_bytes = sum((scratch / f.split("?")[0]).stat().st_size for f in texts)
    shutil.rmtree(scratch)
    return {"items": len(cat.public_items), "files": len(files) - len(texts), "site": total - text_bytes,
            "texts": text_bytes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("catalogues", nargs="+", type=Path)
    parser.add_argument("--scratch", type=Path, default=ROOT / "bench-out" / "offline-index")
    args = parser.parse_args()
    print(f"budget: {OFFLINE_SEARCH_BUDGET / MB:.0f} MB")
    print("| catalogue | public items | files | site's index MB | bundle's texts (t/) MB | fits |")
    print("|---|---:|---:|---:|---:|---|")
    for catalogue in args.catalogues:
        r = measure(catalogue, args.scratch)
        fits = "yes" if r["site"] <= OFFLINE_SEARCH_BUDGET else "no: 下载离线检索"
        print(f"| {catalogue} | {r['items']:,} | {r['files']:,} | {r['site'] / MB:.1f} | {r['texts'] / MB:.1f} | {fits} |")


if __name__ == "__main__":
    main()
