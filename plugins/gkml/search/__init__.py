"""Static full-text search of the public catalogue (issue 4).

    write_search_index(catalogue, site_dir)  writes site_dir/search/ (called after the build)
    search_page_html()                        the body of search.html (form, facets, results)

Only `catalogue.public_items` are indexed. See build.py for the files and gkml-search.js for
the query side.
"""
from __future__ import annotations

import shutil
from itertools import chain
from pathlib import Path

from .build import SearchIndex, build_search_index
from .page import search_page_html

__all__ = ["write_search_index", "search_page_html", "build_search_index", "SearchIndex"]


def write_search_index(catalogue, site_dir: Path) -> SearchIndex:
    index = build_search_index(catalogue)
    out = Path(site_dir) / "search"
    if out.exists():
        shutil.rmtree(out)
    for sub in ("s", "b", "d", "t"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for rel, text in chain(index.files.items(), index.text_files()):
        (out / rel).write_text(text, encoding="utf-8", newline="\n")
    return index
