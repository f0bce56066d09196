"""What a built site costs a static host: bytes and files per item, and where its item pages' bytes go.

Three figures, for issue 18 («at most 10 KB and 1.2 files written per item»):

- the site's size by part (pages, search index, search texts, open data, …) with the items' own
  attachments set apart: they are copied as they are and do not count against the per-item budget;
- the marginal bytes and files per added item between two corpus sizes (same engine, same seed),
  and from them where the site crosses the free static hosts' limits;
- the frame/content split of item pages: the bytes inside the page's article (what the item
  itself says) against the rest (header, navigation, footer, scripts), the navigation sidebar and
  the indentation (whitespace after a line break) counted separately.
"""
from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ATTACHMENT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".csv", ".doc", ".xls", ".zip", ".ofd", ".wps"}
EXPORT_FOLDERS = {"data"}  # the site's own open data (items.csv), never an item's attachment

# Published-site limits of free (and one paid) static hosts, as documented in 2026-12.
HOST_LIMITS = (
    ("GitHub Pages: 1 GB published site", "bytes", 1_000_000_000),
    ("Cloudflare Pages (free): 20,000 files", "files", 20_000),
    ("Cloudflare Pages (paid): 100,000 files", "files", 100_000),
    ("GitLab Pages: 200,000 files", "files", 200_000),
)


def part_of(rel: str) -> str:
    """The part of the site a file belongs to (gkml's layout; other engines fall into pages/other)."""
    suffix = os.path.splitext(rel)[1].lower()
    top = rel.split("/", 1)[0]
    if suffix in ATTACHMENT_SUFFIXES and top not in EXPORT_FOLDERS:
        return "attachments"
    if rel.startswith("search/t/"):
        return "search texts"
    if top == "search":
        return "search index"
    if top in EXPORT_FOLDERS:
        return "open data"
    if suffix == ".html":
        return "pages"
    if top in ("assets", "manual") or suffix in (".js", ".css", ".png", ".svg", ".woff2", ".webmanifest", ".ico"):
        return "assets"
    return "other"  # sitemap, feeds, offline lists, redirects


@dataclass
class Footprint:
    parts: dict[str, list[int]] = field(default_factory=dict)  # part -> [bytes, files]

    def add(self, rel: str, size: int) -> None:
        entry = self.parts.setdefault(part_of(rel), [0, 0])
        entry[0] += size
        entry[1] += 1

    @property
    def bytes(self) -> int:
        """Everything but the attachments."""
        return sum(b for p, (b, _) in self.parts.items() if p != "attachments")

    @property
    def files(self) -> int:
        return sum(f for p, (_, f) in self.parts.items() if p != "attachments")


def footprint(site: Path) -> Footprint:
    fp = Footprint()
    for dirpath, _, names in os.walk(site):
        for name in names:
            path = os.path.join(dirpath, name)
            fp.add(os.path.relpath(path, site).replace(os.sep, "/"), os.path.getsize(path))
    return fp


@dataclass
class Marginal:
    """Bytes and files per item added between two sizes; `fixed_*` is what is left at zero items."""
    bytes_per_item: float
    files_per_item: float
    fixed_bytes: float
    fixed_files: float
    parts: dict[str, tuple[float, float]]  # part -> (bytes, files) per item

    def items_at(self, kind: str, limit: float) -> float | None:
        """Items at which the site (attachments excluded) reaches `limit` bytes or files."""
        per, fixed = (self.bytes_per_item, self.fixed_bytes) if kind == "bytes" else (self.files_per_item, self.fixed_files)
        return (limit - fixed) / per if per > 0 else None


def marginal(small_items: int, small: Footprint, large_items: int, large: Footprint) -> Marginal:
    n = large_items - small_items
    b = (large.bytes - small.bytes) / n
    f = (large.files - small.files) / n
    parts = {p: ((large.parts.get(p, [0, 0])[0] - small.parts.get(p, [0, 0])[0]) / n,
                 (large.parts.get(p, [0, 0])[1] - small.parts.get(p, [0, 0])[1]) / n)
             for p in sorted(set(small.parts) | set(large.parts))}
    return Marginal(b, f, small.bytes - b * small_items, small.files - f * small_items, parts)


# -- item pages: frame and content ---------------------------------------------------------------

_INDENT = re.compile(r"\n[ \t]+")
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_SIDEBAR = re.compile(r'<div class="md-sidebar md-sidebar--primary".*?(?=<div class="md-sidebar md-sidebar--secondary"|<div class="md-content")', re.S)
_HUGO_MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.S)


@dataclass
class PageSplit:
    pages: int = 0
    total: int = 0  # bytes of the sampled pages
    content: int = 0  # inside the article (gkml, MkDocs) or <main> (Hugo)
    sidebar: int = 0  # the primary navigation sidebar
    indent: int = 0  # whitespace after line breaks, anywhere in the page

    def per_page(self, value: int) -> float:
        return value / self.pages if self.pages else 0.0


def item_pages(site: Path, engine: str) -> list[Path]:
    """The item pages of a built site (where each engine puts them)."""
    if engine == "gkml":
        return sorted((site / "item").glob("*/*.html"))
    if engine == "hugo":
        return sorted(p for p in (site / "items").glob("*/*/*/index.html"))  # items/<unit>/<year>/<serial>/
    return sorted(p for p in (site / "items").rglob("*.html")) if (site / "items").exists() else []


def page_split(site: Path, engine: str, sample: int = 300, seed: int = 1) -> PageSplit:
    pages = item_pages(site, engine)
    if len(pages) > sample:
        pages = random.Random(seed).sample(pages, sample)
    split = PageSplit()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        split.pages += 1
        split.total += len(html.encode())
        m = (_HUGO_MAIN if engine == "hugo" else _ARTICLE).search(html)
        split.content += len(m.group(1).encode()) if m else 0
        s = _SIDEBAR.search(html)
        split.sidebar += len(s.group(0).encode()) if s else 0
        split.indent += sum(len(x.group(0)) - 1 for x in _INDENT.finditer(html))
    return split
