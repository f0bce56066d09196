"""Build the files of the search index (everything under search/ of the site).

search/meta.js         version, sizes, facet labels, the t2s map the query needs
search/facets.js       per-document facet profiles and the years
search/s/<n>.js        shard n: the posting lists of the terms that hash to n
search/b/<n>.js        one big posting list, of a term listed in meta.js "big" (so a query
                       fetches it at once, not after its shard)
search/d/<n>.js        details of documents n*DETAIL_CHUNK … : what a result shows
search/t/<n>.js        only with `texts` (gkml bundle: a copy opened from disk), for documents
                       n*TEXT_CHUNK … : the URL and the text of each the index read besides its
                       title (text.search_fields). The browser reads it for results it ranks or
                       shows, to check that a phrase found in the body is there as a phrase and to
                       cut the snippet around it. A site on a web server has no t/: the browser
                       reads those results' own pages instead (issue 18: the copy was 3.5 KB an
                       item, a sixth of the site), which a page opened from file:// cannot.
                       Written while the postings are built (they are several times the rest of
                       the index, never all in memory), so they carry no version: the browser
                       checks each URL against the versioned details. Packed TEXT_CHUNK documents
                       a file (a file per item made a 100,000-item site too many files for the free
                       static hosts).

Every file is a script that calls gkmlSearchLoad(kind, number, version, data), so it loads the
same way over HTTP and from file:// (no fetch/XHR). Output is deterministic.
"""
from __future__ import annotations

import gc
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..site.export import newest_first
from .encode import fnv1a_many
from .facets import facet_tables
from .fold import fold, t2s_pairs
from .postings import build_postings
from .text import BODY_CHARS, EXCERPT_CHARS, SUMMARY_CHARS, clip, plain_text

FORMAT = 3
CALLBACK = "gkmlSearchLoad"
DETAIL_CHUNK = 16            # details a file (≈ 0.55 KB each): a page of ten results reads ≤ 10 files,
                             # often 5 or 6 (results cluster among the newest); 8 a file made 0.125
                             # files per item, 16 add ≈ 30-40 KB to a cold query (issue 18, BENCHMARKS.md)
TEXT_CHUNK = 32              # documents per t/ file (≈ 3.7 KB each): the texts a query reads are mostly
                             # of neighbouring documents (ties go newest first), so 32 a file reads 1-2
                             # files (≈ 90-200 KB) where 4 a file read 4-10 (≈ 50-115 KB) at 20k
SHARD_TARGET = 6 * 1024      # average shard size, in characters: a two-term query reads ≈ 10 shards
BIG_LIST = 4 * 1024          # a posting list longer than this gets a file of its own


@dataclass
class SearchIndex:
    files: dict[str, str] = field(default_factory=dict)  # path under search/ -> text (t/ only if kept)
    version: str = ""
    stats: dict = field(default_factory=dict)


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _script(kind: str, number: int, version: str, data) -> str:
    return f'{CALLBACK}("{kind}",{number},"{version}",{_dump(data)});\n'


def shard_count(total_chars: int) -> int:
    """As many shards as SHARD_TARGET fills (the browser takes the hash modulo the count): a power
    of two made them 0.6-1 times the target, 0.17 files per item at 100k (issue 18)."""
    return max(1, -(-total_chars // SHARD_TARGET))


def _detail(item) -> list:
    return [item.title, item.url, item.publisher, item.published.isoformat(), item.doc_no,
            clip(item.summary, SUMMARY_CHARS), clip(plain_text(item.body[:EXCERPT_CHARS * 6], EXCERPT_CHARS * 2), EXCERPT_CHARS),
            item.validity]


@contextmanager
def _no_cyclic_gc():
    """The build makes millions of small containers and no reference cycles: with the catalogue
    loaded, each collection the allocations trigger would walk every page of it again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_search_index(catalogue, body_chars: int = BODY_CHARS, write=None, reports=(),
                       texts: bool = False) -> SearchIndex:
    """The index of the public items and `reports` (the dated 年报 gkml computes, site/export.py
    ReportEntry: public pages that are not items); with `texts`, the t/ files too, handed to
    write(path, UTF-8 bytes) as they are made if given, else put into files."""
    with _no_cyclic_gc():
        return _build(catalogue, body_chars, write, reports, texts)


class _Texts:
    """The t/ files, handed on as the postings builder reads each item's fields (in document
    order), TEXT_CHUNK documents a file; `close` writes the last, shorter one."""

    def __init__(self, write):
        self.write = write
        self.digest = hashlib.sha256()
        self.bytes = 0
        self.files = 0
        self.pending: list[list[str]] = []

    def __call__(self, doc: int, item, fields: list[str]) -> None:
        assert doc == self.files * TEXT_CHUNK + len(self.pending), "texts must come in document order"
        self.pending.append([item.url, *fields])
        if len(self.pending) == TEXT_CHUNK:
            self.close()

    def close(self) -> None:
        if not self.pending:
            return
        data = _script("t", self.files, "", self.pending).encode()
        self.digest.update(data)
        self.bytes += len(data)
        self.write(f"t/{self.files}.js", data)
        self.files += 1
        self.pending = []


def _build(catalogue, body_chars: int, write, reports, keep_texts: bool) -> SearchIndex:
    items = newest_first(catalogue.public_items, reports)  # nothing else may ever be indexed
    index = SearchIndex()
    texts = _Texts(write or (lambda path, data: index.files.__setitem__(path, data.decode())))
    postings = build_postings(items, body_chars, texts if keep_texts else None)
    texts.close()
    labels, facet_data = facet_tables(catalogue, items)

    shards_n = shard_count(sum(map(len, postings.values())))
    shards: list[dict[str, object]] = [{} for _ in range(shards_n)]
    big: list[tuple[str, str]] = []
    keys = sorted(postings)
    for key, hashed in zip(keys, fnv1a_many(keys)):
        encoded = postings[key]
        target = shards[hashed % shards_n]
        if len(encoded) > BIG_LIST:
            big.append((key, encoded))
        else:
            target[key] = encoded
    details = [_detail(item) for item in items]

    # The version is a hash of everything the index holds, so files of two builds never mix.
    payload: list[tuple[str, str, object]] = [("facets", "facets.js", facet_data)]
    payload += [("s", f"s/{n}.js", shard) for n, shard in enumerate(shards)]
    payload += [("b", f"b/{n}.js", encoded) for n, (_, encoded) in enumerate(big)]
    payload += [("d", f"d/{n}.js", details[n * DETAIL_CHUNK:(n + 1) * DETAIL_CHUNK])
                for n in range((len(details) + DETAIL_CHUNK - 1) // DETAIL_CHUNK)]
    digest = hashlib.sha256(f"{FORMAT}\n{body_chars}\n".encode())
    for _, path, data in payload:
        digest.update(path.encode() + b"\0" + _dump(data).encode() + b"\0")
    digest.update(texts.digest.digest())
    version = digest.hexdigest()[:16]

    chars = {ch for key in postings for ch in key}
    chars.update(ch for item in items for ch in fold(item.title))
    meta = {
        "format": FORMAT,
        "docs": len(items),
        "shards": shards_n,
        "big": {key: n for n, (key, _) in enumerate(big)},
        "detailChunk": DETAIL_CHUNK,
        "textChunk": TEXT_CHUNK if keep_texts else 0,  # 0: read the results' pages
        "labels": labels,
        "t2s": t2s_pairs(chars),
        "bodyChars": body_chars,
    }
    index.version = version
    index.files["meta.js"] = _script("meta", 0, version, meta)
    for kind, path, data in payload:
        number = int(path.split("/")[-1].split(".")[0]) if "/" in path else 0
        index.files[path] = _script(kind, number, version, data)
    kept = {path: text for path, text in index.files.items() if not path.startswith("t/")}
    index.stats = {"docs": len(items), "terms": len(postings), "shards": shards_n, "big": len(big),
                   "posting_chars": sum(map(len, postings.values())),
                   "bytes": sum(len(t.encode()) for t in kept.values()), "files": len(kept),
                   "text_bytes": texts.bytes, "text_files": texts.files,
                   "t2s_pairs": len(meta["t2s"]) // 2}
    return index
