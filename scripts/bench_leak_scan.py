#!/usr/bin/env python3
"""What the build-end scan (site/leak_scan.py) costs: a generated corpus built once, then the scan
timed alone over the built site, next to the build's own wall time.

    python3 scripts/bench_leak_scan.py --items 10000
    python3 scripts/bench_leak_scan.py --items 100000 --runs 1

Writes under bench-out/ (git-ignored). Record the result in BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="scan runs (median reported)")
    args = parser.parse_args()
    work = ROOT / "bench-out" / f"leak{args.items}"
    corpus, site = work / "catalogue", work / "site"
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_corpus.py"), "--items", str(args.items),
                        "--seed", str(args.seed), "--out", str(corpus)], check=True)
    config = work / "mkdocs.yml"
    config.write_text(f"site_name: 基准\ndocs_dir: {work / 'pages'}\nsite_dir: {site}\nuse_directory_urls: false\n"
                      f"theme:\n  name: material\n  custom_dir: {ROOT / 'site-templates'}\n  language: zh\n  font: false\n"
                      f"plugins:\n  - gkml:\n      catalogue: {corpus}\n      history: false\n      progress: false\n"
                      "extra:\n  generator: false\n", encoding="utf-8")
    (work / "pages").mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "NO_MKDOCS_2_WARNING": "1"}
    started = time.monotonic()
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], env=env,
                           capture_output=True, text=True)
    wall = time.monotonic() - started
    if build.returncode:
        sys.exit(build.stderr[-3000:])
    logged = next((line for line in build.stderr.splitlines() if "最终检查" in line), "")

    import material
    from gkml.catalogue.validate import load_catalogue
    from gkml.site.leak_scan import scan_site
    cat, _ = load_catalogue(corpus)
    theme = [ROOT / "site-templates", Path(material.__file__).parent / "templates"]
    files = sum(1 for p in site.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    times = []
    for _ in range(args.runs):
        started = time.monotonic()
        leaks = scan_site(site, cat, {}, theme)
        times.append(time.monotonic() - started)
        assert not leaks, leaks[:3]
    times.sort()
    print(f"items {args.items}: build {wall:.1f} s ({logged.strip()}); site {files} files, {size / 1048576:.0f} MB; "
          f"scan alone median {times[len(times) // 2]:.1f} s over {args.runs} runs "
          f"({times[len(times) // 2] / wall:.0%} of the build)")


if __name__ == "__main__":
    main()
