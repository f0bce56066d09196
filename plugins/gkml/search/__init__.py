"""Static full-text search of the public catalogue (issue 4).

    write_search_index(catalogue, site_dir, reports, texts)  writes site_dir/search/ (after the build)
    search_page_html()                        the body of search.html (form, facets, results)

Only `catalogue.public_items` and the dated 年报 gkml computes are indexed. See build.py for the files and gkml-search.js for
the query side.
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path
from queue import Queue

from .build import SearchIndex, build_search_index
from .page import search_page_html

__all__ = ["write_search_index", "search_page_html", "build_search_index", "SearchIndex"]

_BATCH = 256    # files handed to the writer thread at a time
_PENDING = 32   # batches waiting at most (≈ 30 MB of text): the build waits for a slow disk


class _Writer:
    """Writes files in a thread while the index is being built: the time is mostly in open/close
    system calls, which do not hold the interpreter (thousands of shards and details at 100k)."""

    def __init__(self, root: Path):
        self.root = root
        self.queue: Queue = Queue(maxsize=_PENDING)
        self.batch: list[tuple[str, bytes]] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="gkml-search-writer", daemon=True)
        self.thread.start()

    def __call__(self, rel: str, data: bytes) -> None:
        self.batch.append((rel, data))
        if len(self.batch) >= _BATCH:
            self.queue.put(self.batch)
            self.batch = []

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    for rel, data in batch:
                        with open(self.root / rel, "wb") as out:
                            out.write(data)
                except BaseException as exc:  # handed to the building thread in close()
                    self.error = exc

    def close(self, check: bool = True) -> None:
        self.queue.put(self.batch)
        self.queue.put(None)
        self.thread.join()
        if check and self.error is not None:
            raise self.error


def write_search_index(catalogue, site_dir: Path, reports=(), texts: bool = False) -> SearchIndex:
    """site_dir/search/, replaced whole; `texts`: build.py (search/t/, for copies read from disk)."""
    out = Path(site_dir) / "search"
    if out.exists():
        shutil.rmtree(out)
    for sub in ("s", "b", "d", "t") if texts else ("s", "b", "d"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    writer = _Writer(out)
    try:
        index = build_search_index(catalogue, write=writer, reports=reports, texts=texts)
        for rel, text in index.files.items():
            writer(rel, text.encode())
    except BaseException:
        writer.close(check=False)  # the build's own error is the one to report
        raise
    writer.close()
    return index
