#!/usr/bin/env python3
"""Profile one gkml build (MkDocs + gkml plugin) of a generated corpus with cProfile.

    python3 scripts/bench/profile_build.py --items 10000            # reuses bench-out/build/n10000-s1 if there
    python3 scripts/bench/profile_build.py --catalogue path/to/catalogue --top 40

Prints the build's phases (MkDocs' and the plugin's events, cumulative time), the functions with
the most own time (file:line), and the heaviest gkml functions by cumulative time. The raw
profile is saved next to the corpus (profile.prof) for pstats/snakeviz. The build runs with one
process (gkml.workers sees one core) so that the profile sees all of it; cProfile adds
overhead (roughly 1.5–2x on this code), so read the shares, not the absolute seconds.
"""
from __future__ import annotations

import argparse
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ROOT  # noqa: E402
from bench import engines  # noqa: E402

# (label, file suffix, function name): the phases of a build, as cumulative time of these calls.
PHASES = (
    ("load config + plugin on_config (load, validate, plan)", "gkml/plugin.py", "on_config"),
    ("  load_catalogue (read + validate)", "gkml/validate.py", "load_catalogue"),
    ("  SiteBuild (page plan, annual reports)", "gkml/site_build.py", "__init__"),
    ("MkDocs get_files (walks docs_dir)", "mkdocs/structure/files.py", "get_files"),
    ("plugin on_files (generated pages, attachments)", "gkml/plugin.py", "on_files"),
    ("MkDocs nav", "mkdocs/structure/nav.py", "get_navigation"),
    ("MkDocs _populate_page (read + Markdown for every page)", "mkdocs/commands/build.py", "_populate_page"),
    ("  plugin on_page_content (gkml page bodies)", "gkml/plugin.py", "on_page_content"),
    ("MkDocs _build_page (Material template for every page)", "mkdocs/commands/build.py", "_build_page"),
    ("MkDocs copy static files / attachments", "mkdocs/structure/files.py", "copy_static_files"),
    ("plugin on_post_build (bulk pages, feeds, data, search, offline)", "gkml/plugin.py", "on_post_build"),
    ("  write_bulk (shell pages)", "gkml/site_build.py", "write_bulk"),
    ("  Renderer.render (all fragment templates)", "gkml/render.py", "render"),
    ("  BodyRenderer (cmark-gfm + nh3)", "gkml/render.py", "__call__"),
    ("  search index", "gkml/search/__init__.py", "write_search_index"),
    ("  feeds", "gkml/export.py", "write_feeds"),
    ("  open data", "gkml/export.py", "write_open_data"),
    ("  sitemap", "gkml/export.py", "write_sitemap"),
    ("  atomic swap (commit)", "gkml/atomic.py", "commit"),
)


def where(func: tuple) -> str:
    path, line, name = func
    for marker in ("site-packages/", "plugins/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line} {name}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--catalogue", type=Path, help="profile this catalogue instead of a generated one")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--gkml-rev", default="HEAD", help="gkml as committed at this revision, or 'worktree'")
    args = ap.parse_args(argv)
    source = engines.use_source(args.gkml_rev, ROOT / "bench-out" / "build")
    catalogue = args.catalogue
    if catalogue is None:
        from bench_build import corpus_for
        catalogue = corpus_for(ROOT / "bench-out" / "build", args.items, args.seed, ["gkml"])["gkml"]
    site = catalogue.parent / "site-profile"
    out = catalogue.parent / "profile.prof"
    argv = ["mkdocs", "build", "-q", "-f", str(engines.gkml_config(catalogue, site)), "-d", str(site.absolute())]
    # cProfile sees one process only: make gkml see one core (workers.cores() reads the affinity mask, else
    # cpu_count), so that it forks no worker and the profile covers the whole build. The wall time is then that
    # of a one-core build.
    runner = ("import cProfile, os, sys; os.cpu_count = lambda: 1; os.sched_getaffinity = lambda pid: {0}; "
              "from mkdocs.__main__ import cli; "
              f"sys.argv = {argv!r}; cProfile.run('cli(standalone_mode=False)', {str(out)!r})")
    cmd = [sys.executable, "-c", runner]
    start = time.perf_counter()
    subprocess.run(cmd, env=engines.build_env(), check=True)
    wall = time.perf_counter() - start
    shutil.rmtree(site, ignore_errors=True)

    stats = pstats.Stats(str(out))
    raw = stats.stats  # func -> (cc, nc, tottime, cumtime, callers)
    total = sum(v[2] for v in raw.values())
    print(f"profiled build of {catalogue} (gkml {source}): {wall:.1f} s wall under cProfile; profile saved to {out}\n")
    print("| phase | cumulative s | share |\n|---|---:|---:|")
    for label, suffix, name in PHASES:
        cum = sum(v[3] for f, v in raw.items() if f[0].endswith(suffix) and f[2] == name)
        if cum:
            print(f"| {label} | {cum:.1f} | {100 * cum / total:.0f}% |")
    print(f"\nTop {args.top} functions by own time (file:line function — own s, cumulative s, calls):")
    for func, (cc, nc, tt, ct, _) in sorted(raw.items(), key=lambda kv: -kv[1][2])[:args.top]:
        print(f"  {tt:7.2f} {ct:7.2f} {nc:>9}  {where(func)}")
    print(f"\nTop {args.top} gkml functions by cumulative time:")
    gk = [(f, v) for f, v in raw.items() if "/gkml/" in f[0]]
    for func, (cc, nc, tt, ct, _) in sorted(gk, key=lambda kv: -kv[1][3])[:args.top]:
        print(f"  {ct:7.2f} {tt:7.2f} {nc:>9}  {where(func)}")


if __name__ == "__main__":
    main()
