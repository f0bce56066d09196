#!/usr/bin/env python3
"""Render every bulk page body of a build in one process, as write_pages does (rows and breadcrumbs
remembered), without MkDocs' pages or writing: CPU time by template and a digest of every body, to
compare two revisions' rendering (the digest must not change when the output must not).

    NO_MKDOCS_2_WARNING=1 PYTHONPATH=plugins python3 scripts/bench/render_bodies.py path/to/mkdocs.yml
    ... render_bodies.py path/to/mkdocs.yml --profile       # and the top functions by own time

The config is one scripts/bench writes next to a corpus (gkml-mkdocs.yml).
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import os
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("config")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config
    config = load_config(args.config)
    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins["gkml"]
    config = plugin.on_config(config)
    if plugin.staging is not None:
        plugin.staging.discard()
    build = plugin.build
    renderer = build.renderer
    cpu, pages, digest = collections.Counter(), collections.Counter(), hashlib.sha256()
    remembering = getattr(renderer, "remembering", contextlib.nullcontext)  # older revisions have none
    profile = None
    if args.profile:
        import cProfile
        profile = cProfile.Profile()
        profile.enable()
    started = time.process_time()
    with remembering():
        for spec in build.bulk:
            t = time.process_time()
            body = renderer.render(spec)
            cpu[spec.template] += time.process_time() - t
            pages[spec.template] += 1
            digest.update(spec.url.encode())
            digest.update(body.encode())
    total = time.process_time() - started
    if profile is not None:
        import pstats
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    for template, seconds in cpu.most_common():
        print(f"{template:22} {pages[template]:7} pages {seconds:7.2f} s CPU {seconds / pages[template] * 1e3:7.3f} ms a page")
    print(f"total {total:.2f} s CPU for {sum(pages.values())} bodies; digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
