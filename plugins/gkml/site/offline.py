"""Offline support: a service worker, a web app manifest and its icons, written at the site root.

Every page loads assets/gkml-sw-register.js, which registers sw.js only over http(s); a copy of
the site opened with file:// needs none of this (its search loads index files as scripts straight
from disk).

Service worker strategy:
- install: precache the shell (home page, search page, stylesheets, scripts, icons) and the search
  metadata (search/meta.js, search/facets.js), never the item pages; and the whole search index
  when it is at most OFFLINE_SEARCH_BUDGET bytes (search/offline.json says so; above it the search
  page offers 「下载离线检索（约 N MB）」, which fetches search/offline-files.json through the worker);
- pages, attachments and other same-site files: stale-while-revalidate, cached on first visit in a
  cache of their own holding at most `MAX_VISITS` entries: the least recently stored go first
  (every online view revalidates and so re-stores its page, so this is least recently used while
  online). The shell and the search index files are in the build's main cache, never evicted;
- a revalidation answered 404 or 410 deletes the cached copy (a withdrawn page stops showing);
- search index files (shards, details), versioned per build: cache first, cached on first use;
- search/meta.js: network first, so a new index is noticed at once; the cache when offline;
- both caches are named after the build hash, so a new build installs a new worker and its
  activation deletes the old caches.

What the build hash (the cache name) covers, and why not every byte of the site:
a new hash costs every visitor their whole cache (visited pages included), and computing it must
not read the site back (5.9 GB of pages at 100,000 items). It has to change when keeping the old
cache would serve something wrong or lose something needed offline:
- the precached files, by content: they are only (re)fetched on install, and a new stylesheet or
  script must not sit beside old pages of the shell; this includes search/meta.js, whose index
  version changes with anything the index holds (titles, bodies, facets), and the versioned
  facets.js (O(precache bytes), a few MB);
- the list of output paths (not their contents, sizes or mtimes): a page that disappears
  (a withdrawn item) must leave visitors' caches even if they never open it again online;
  a new page needs no new cache (O(number of files), from directory listings alone);
- the service worker template itself, so a changed caching scheme starts from empty caches.
Item pages and attachments whose content changes need no new cache: they are stale-while-
revalidate, so the next online view brings the new copy. Mtimes and absolute paths are left out,
so two builds of the same input write the same sw.js.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import zlib
from pathlib import Path

from ..resources import theme_dir

THEME = (0x9B, 0x1C, 0x1C)
ICON_SIZES = (192, 512)
SKIP_PRECACHE = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
PRECACHE_ROOT = ("index.html", "search.html", "404.html", "manifest.webmanifest")
PRECACHE_SEARCH = ("search/meta.js", "search/facets.js", "search/offline.json")
PRECACHE_SUFFIXES = (".css", ".js", ".png", ".svg", ".ico", ".woff2")


# ---------------------------------------------------------------------------------------------
# Icons: a red square with a white sheet of paper and four text lines, drawn pixel by pixel.

def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def icon_png(size: int) -> bytes:
    red, white, grey = bytes(THEME), b"\xff\xff\xff", b"\xc9\x8a\x8a"
    s = size / 192
    left, right, top, bottom = round(52 * s), round(140 * s), round(36 * s), round(156 * s)
    text_left = round(64 * s)
    lines = [(round((62 + 20 * k) * s), round((68 + 20 * k) * s), round((128 if k < 3 else 104) * s)) for k in range(4)]
    plain = red * size
    paper = red * left + white * (right - left) + red * (size - right)
    rows = []
    for y in range(size):
        row = paper if top <= y < bottom else plain
        for a, b, end in lines:
            if a <= y < b:
                row = red * left + white * (text_left - left) + grey * (end - text_left) + white * (right - end) \
                    + red * (size - right)
        rows.append(row)
    return _png(size, size, rows)


# ---------------------------------------------------------------------------------------------

# The search index a visit caches whole for offline use (README «离线使用»); a larger index is
# downloaded only when the reader asks for it on the search page.
OFFLINE_SEARCH_BUDGET = 30 * 1024 * 1024
OFFLINE_SUMMARY = "search/offline.json"  # {version, bytes, files, whole}: what the search page offers
OFFLINE_FILES = "search/offline-files.json"  # the index files to download, when not whole


def manifest(site_name: str, whole_index: bool = True) -> dict:
    offline = ("访问一次后，检索和已访问的页面可以离线使用。" if whole_index else
               "已访问的页面可以离线使用；在检索页下载离线检索后，检索也可以离线使用。")
    return {
        "name": site_name,
        "short_name": site_name if len(site_name) <= 12 else site_name[:12],
        "description": f"{site_name}：政府信息公开目录。{offline}",
        "lang": "zh-CN",
        "dir": "ltr",
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#%02x%02x%02x" % THEME,
        "icons": [{"src": f"gkml-icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png", "purpose": "any"}
                  for n in ICON_SIZES],
    }


def _index_version(site_dir: Path) -> str:
    meta = site_dir / "search" / "meta.js"
    match = re.match(r'gkmlSearchLoad\("meta",0,"([0-9a-f]+)"', meta.read_text(encoding="utf-8")) if meta.is_file() else None
    return match.group(1) if match else ""


def precache_list(site_dir: Path) -> list[str]:
    """Site-relative URLs of the shell: a few pages, the theme's assets, search metadata (the index
    files with the ?v=<version> the search script asks for)."""
    version = _index_version(site_dir)
    paths = [p for p in PRECACHE_ROOT if (site_dir / p).is_file()]
    paths += [p if p.endswith(("meta.js", ".json")) else f"{p}?v={version}" for p in PRECACHE_SEARCH
              if (site_dir / p).is_file()]
    paths += [f"gkml-icon-{n}.png" for n in ICON_SIZES]
    assets = site_dir / "assets"
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            rel = path.relative_to(site_dir).as_posix()
            if path.is_file() and path.suffix in PRECACHE_SUFFIXES and not rel.startswith(SKIP_PRECACHE):
                paths.append(rel)
    return sorted(set(paths))


def index_files(site_dir: Path) -> tuple[list[str], int]:
    """The search index files as the search page asks for them (?v=<index version>) and their
    bytes; search/meta.js (precached anyway) and the offline summaries left out."""
    version = _index_version(site_dir)
    skip = {"search/meta.js", OFFLINE_SUMMARY, OFFLINE_FILES}
    files, total = [], 0
    stack = [("search/", os.fspath(Path(site_dir) / "search"))]
    while stack:
        prefix, folder = stack.pop()
        if not os.path.isdir(folder):
            continue
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((prefix + entry.name + "/", entry.path))
                elif prefix + entry.name not in skip:
                    files.append(f"{prefix}{entry.name}?v={version}")
                    total += entry.stat().st_size
    return sorted(files), total


def output_paths(site_dir: Path) -> list[str]:
    """Every file of the build, site-relative, sorted; from directory listings (no file is read)."""
    out: list[str] = []
    stack = [("", os.fspath(site_dir))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((prefix + entry.name + "/", entry.path))
                else:
                    out.append(prefix + entry.name)
    return sorted(out)


def build_hash(site_dir: Path, precache: list[str] | None = None) -> str:
    """sha256 over the service worker template, the precached files (path and content: the shell
    and the search metadata, whose index version stands for the whole index) and the list of
    output paths; sw.js itself excepted. Reads only the precached files (see the module doc)."""
    site_dir = Path(site_dir)
    if precache is None:
        precache = precache_list(site_dir)
    digest = hashlib.sha256(sw_template().encode())
    digest.update(b"\0index\0" + _index_version(site_dir).encode())
    for url in precache:
        path = site_dir / url.split("?")[0]
        digest.update(b"\0precache\0" + url.encode() + b"\0")
        with path.open("rb") as fh:
            digest.update(hashlib.file_digest(fh, "sha256").digest())
    digest.update(b"\0paths\0")
    for rel in output_paths(site_dir):
        if rel != "sw.js":
            digest.update(rel.encode() + b"\0")
    return digest.hexdigest()[:16]


SW_SOURCE = "assets/gkml-sw.js"  # in the theme folder; filled in and written as sw.js


def sw_template() -> str:
    return (theme_dir() / SW_SOURCE).read_text(encoding="utf-8")

# Visited pages and attachments the service worker keeps (each item page is 20–45 KB).
MAX_VISITS = 500


def service_worker(version: str, precache: list[str], max_visits: int = MAX_VISITS, index: list[str] = ()) -> str:
    if max_visits < 1:
        raise ValueError("max_visits must be at least 1")
    return (sw_template().replace("__VERSION__", version).replace("__MAX_VISITS__", str(int(max_visits)))
            .replace("__PRECACHE__", json.dumps(precache, ensure_ascii=False))
            .replace("__INDEX__", json.dumps(list(index), ensure_ascii=False)))


def write_offline_files(site_dir: Path, site_name: str, max_visits: int = MAX_VISITS,
                        budget: int = OFFLINE_SEARCH_BUDGET) -> None:
    site_dir = Path(site_dir)
    index, size = index_files(site_dir)
    whole = size <= budget
    if (site_dir / "search").is_dir():
        summary = {"version": _index_version(site_dir), "bytes": size, "files": len(index), "whole": whole}
        (site_dir / OFFLINE_SUMMARY).write_text(json.dumps(summary) + "\n", encoding="utf-8")
        (site_dir / OFFLINE_FILES).write_text(json.dumps([] if whole else index) + "\n", encoding="utf-8")
    for n in ICON_SIZES:
        (site_dir / f"gkml-icon-{n}.png").write_bytes(icon_png(n))
    (site_dir / "manifest.webmanifest").write_text(
        json.dumps(manifest(site_name, whole), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (site_dir / SW_SOURCE).unlink(missing_ok=True)  # the theme's copy, unfilled: sw.js is the worker
    precache = precache_list(site_dir)
    (site_dir / "sw.js").write_text(service_worker(build_hash(site_dir, precache), precache, max_visits,
                                                   index if whole else ()), encoding="utf-8")
