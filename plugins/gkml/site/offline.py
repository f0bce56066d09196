"""Offline support: a service worker, a web app manifest and its icons, written at the site root.

The page template registers sw.js only over http(s); a copy of the site opened with file:// needs
none of this (its search loads index files as scripts straight from disk).

Service worker strategy:
- install: precache the shell (home page, search page, stylesheets, scripts, icons) and the search
  metadata (search/meta.js, search/facets.js), never the item pages;
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

THEME = (0x9B, 0x1C, 0x1C)
ICON_SIZES = (192, 512)
SKIP_PRECACHE = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
PRECACHE_ROOT = ("index.html", "search.html", "404.html", "manifest.webmanifest")
PRECACHE_SEARCH = ("search/meta.js", "search/facets.js")
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

def manifest(site_name: str) -> dict:
    return {
        "name": site_name,
        "short_name": site_name if len(site_name) <= 12 else site_name[:12],
        "description": f"{site_name}：政府信息公开目录，可离线检索和查阅已访问的信息。",
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
    paths += [p if p.endswith("meta.js") else f"{p}?v={version}" for p in PRECACHE_SEARCH if (site_dir / p).is_file()]
    paths += [f"gkml-icon-{n}.png" for n in ICON_SIZES]
    assets = site_dir / "assets"
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            rel = path.relative_to(site_dir).as_posix()
            if path.is_file() and path.suffix in PRECACHE_SUFFIXES and not rel.startswith(SKIP_PRECACHE):
                paths.append(rel)
    return sorted(set(paths))


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
    digest = hashlib.sha256(SW_TEMPLATE.encode())
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


SW_TEMPLATE = r"""/* gkml service worker (generated by gkml.site.offline; do not edit). Build __VERSION__. */
"use strict";
var VERSION = "__VERSION__";
var CACHE = "gkml-" + VERSION;      // the shell and the search index files: never evicted
var VISITS = CACHE + "-visits";     // pages and attachments as visited: at most MAX_VISITS
var MAX_VISITS = __MAX_VISITS__;
var PRECACHE = __PRECACHE__;
var SCOPE = self.registration.scope;
var SHELL = {};
PRECACHE.forEach(function (path) { SHELL[key(new URL(path, SCOPE).href)] = true; });

function key(url) {
  // Index files are versioned (?v=<index version>) and immutable: the full URL is their key.
  // Everything else ignores the query string (search.html?q=… is search.html).
  var u = new URL(url);
  var path = u.pathname.slice(new URL(SCOPE).pathname.length);
  if (path.indexOf("search/") === 0 && path !== "search/meta.js") return u.href;
  return u.origin + u.pathname;
}

function refetch(url) {  // past the HTTP cache's guesses, so stale-while-revalidate revalidates
  return fetch(url, { cache: "no-cache", credentials: "same-origin" });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(PRECACHE.map(function (path) {
      var url = new URL(path, SCOPE).href;
      return refetch(url).then(function (res) {
        if (res.ok) return cache.put(key(url), res);
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("gkml-") === 0 && n !== CACHE && n !== VISITS; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

/* Cache.keys() lists entries in the order they were stored (a put replaces an entry and moves it
 * last), so the first ones are the least recently stored. One trim at a time. */
var trimming = Promise.resolve();
function trim() {
  trimming = trimming.then(function () {
    return caches.open(VISITS).then(function (cache) {
      return cache.keys().then(function (keys) {
        return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_VISITS))
          .map(function (request) { return cache.delete(request); }));
      });
    });
  }).catch(function () {});
  return trimming;
}

/* Store a fresh response (the visit cache trimmed after), or forget a page the server no longer
 * has; `event` keeps the worker alive until that is done. */
function store(event, cache, name, request, response) {
  var done = null;
  if (response && response.ok && response.type === "basic") {
    done = cache.put(key(request.url), response.clone());
    if (name === VISITS) done = done.then(trim);
  } else if (response && (response.status === 404 || response.status === 410)) {
    done = cache.delete(key(request.url));
  }
  if (done) event.waitUntil(done.catch(function () {}));
  return response;
}

function offlinePage() {
  return new Response("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>离线</title>" +
    "<body style=\"font-family:sans-serif;padding:1em;line-height:1.6\"><h1>当前处于离线状态</h1>" +
    "<p>这个页面还没有在本机保存过，联网后才能打开。已经访问过的页面和首页、检索页可以离线使用。</p>" +
    "<p><a href=\"" + SCOPE + "index.html\">返回首页</a> · <a href=\"" + SCOPE + "search.html\">信息检索</a></p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(SCOPE) !== 0) return;
  var path = new URL(request.url).pathname.slice(new URL(SCOPE).pathname.length);
  var name = SHELL[key(request.url)] || path.indexOf("search/") === 0 ? CACHE : VISITS;
  event.respondWith(caches.open(name).then(function (cache) {
    return cache.match(key(request.url)).then(function (cached) {
      var network = function () {
        return refetch(request.url).then(function (res) { return store(event, cache, name, request, res); });
      };
      if (path === "search/meta.js") {  // network first: a new index is noticed at once
        return network().catch(function () { return cached || Response.error(); });
      }
      if (path.indexOf("search/") === 0 && cached) return cached;  // versioned index files
      if (cached) {  // stale-while-revalidate
        event.waitUntil(network().catch(function () {}));
        return cached;
      }
      return network().catch(function () {
        return request.mode === "navigate" ? offlinePage() : Response.error();
      });
    });
  }));
});
"""

# Visited pages and attachments the service worker keeps (each item page is 20–45 KB).
MAX_VISITS = 500


def service_worker(version: str, precache: list[str], max_visits: int = MAX_VISITS) -> str:
    if max_visits < 1:
        raise ValueError("max_visits must be at least 1")
    return (SW_TEMPLATE.replace("__VERSION__", version).replace("__MAX_VISITS__", str(int(max_visits)))
            .replace("__PRECACHE__", json.dumps(precache, ensure_ascii=False)))


def write_offline_files(site_dir: Path, site_name: str, max_visits: int = MAX_VISITS) -> None:
    site_dir = Path(site_dir)
    for n in ICON_SIZES:
        (site_dir / f"gkml-icon-{n}.png").write_bytes(icon_png(n))
    (site_dir / "manifest.webmanifest").write_text(
        json.dumps(manifest(site_name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    precache = precache_list(site_dir)
    (site_dir / "sw.js").write_text(service_worker(build_hash(site_dir, precache), precache, max_visits),
                                    encoding="utf-8")
