#!/usr/bin/env python3
"""Generate a deterministic benchmark corpus: a gkml catalogue, or the same items as a plain MkDocs or Hugo site.

    python3 scripts/gen_corpus.py --items 10000 --seed 1 --out bench-out/c10k               # gkml catalogue
    python3 scripts/gen_corpus.py --items 10000 --seed 1 --out bench-out/c10k-mk --flavour mkdocs
    python3 scripts/gen_corpus.py --items 10000 --seed 1 --out bench-out/c10k-all --flavour all
        # --flavour all writes DIR/catalogue, DIR/mkdocs and DIR/hugo from one generation

The catalogue (64 units: 1 government, 40 departments, 15 townships, 8 subdistricts) passes
`gkml check` with zero errors and zero warnings. Same --items and --seed give byte-identical output.
Write under bench-out/ (git-ignored), not /tmp: on this machine /tmp is ~15x slower per file.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.corpus import generate  # noqa: E402
from bench.writers import WRITERS, prepare  # noqa: E402

FOLDERS = {"gkml": "catalogue", "mkdocs": "mkdocs", "hugo": "hugo"}  # sub-folders for --flavour all


def write(items: int, seed: int, out: Path, flavours: list[str], force: bool = False, quiet: bool = False,
          subfolders: bool | None = None) -> dict:
    """Generate once and write each flavour to `out`/<folder> (default when there are several) or to `out`;
    returns {flavour: folder}."""
    t0 = time.perf_counter()
    corpus = generate(items, seed)
    t1 = time.perf_counter()
    folders = {}
    for flavour in flavours:
        target = out / FOLDERS[flavour] if (len(flavours) > 1 if subfolders is None else subfolders) else out
        prepare(target, force)
        files = WRITERS[flavour](corpus, target)
        folders[flavour] = target
        if not quiet:
            print(f"{flavour}: {files.count} files, {files.bytes / 1e6:.1f} MB -> {target}", file=sys.stderr)
    if not quiet:
        print(f"{items} items (seed {seed}): generated in {t1 - t0:.1f} s, written in {time.perf_counter() - t1:.1f} s",
              file=sys.stderr)
    return folders


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, required=True, help="number of items (all disclosure kinds included)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="output folder (replaced with --force)")
    ap.add_argument("--flavour", choices=[*WRITERS, "all"], default="gkml")
    ap.add_argument("--force", action="store_true", help="replace a corpus this script wrote earlier in --out")
    args = ap.parse_args(argv)
    if args.items < 1:
        ap.error("--items must be positive")
    write(args.items, args.seed, args.out, list(WRITERS) if args.flavour == "all" else [args.flavour], args.force)


if __name__ == "__main__":
    main()
