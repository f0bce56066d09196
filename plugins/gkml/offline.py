"""Offline support: a service worker, a web app manifest and its icons, written at the site root.

The page template registers sw.js only over http(s); a copy of the site opened with file:// needs
none of this (its search loads index files as scripts straight from disk).

Service worker strategy:
- install: precache the shell (home page, search page, stylesheets, scripts, icons) and the search
  metadata (search/meta.js, search/facets.js), never the item pages;
- pages, attachments and other same-site files: stale-while-revalidate, cached on first visit;
- search index files (shards, details), versioned per build: cache first, cached on first use;
- search/meta.js: network first, so a new index is noticed at once; the cache when offline;
- the cache is named after a content hash of the whole build, so a new build installs a new
  worker and its activation deletes the old caches.
"""
from __future__ import annotations

import hashlib
import json
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


def build_hash(site_dir: Path) -> str:
    """sha256 over every file of the build (path and content), sw.js itself excepted."""
    digest = hashlib.sha256()
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "sw.js":
            continue
        digest.update(rel.encode() + b"\0")
        with path.open("rb") as fh:
            digest.update(hashlib.file_digest(fh, "sha256").digest())
    return digest.hexdigest()[:16]


SW_TEMPLATE = r"""/* gkml service worker (generated by gkml.offline; do not edit). Build __VERSION__. */
"use strict";
var VERSION = "__VERSION__";
var CACHE = "gkml-" + VERSION;
var PRECACHE = __PRECACHE__;
var SCOPE = self.registration.scope;

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
    return Promise.all(names.filter(function (n) { return n.indexOf("gkml-") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function put(cache, request, response) {
  if (response && response.ok && response.type === "basic") cache.put(key(request.url), response.clone());
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
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(key(request.url)).then(function (cached) {
      var network = function () {
        return refetch(request.url).then(function (res) { return put(cache, request, res); });
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


def service_worker(version: str, precache: list[str]) -> str:
    return SW_TEMPLATE.replace("__VERSION__", version).replace("__PRECACHE__", json.dumps(precache, ensure_ascii=False))


def write_offline_files(site_dir: Path, site_name: str) -> None:
    site_dir = Path(site_dir)
    for n in ICON_SIZES:
        (site_dir / f"gkml-icon-{n}.png").write_bytes(icon_png(n))
    (site_dir / "manifest.webmanifest").write_text(
        json.dumps(manifest(site_name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    precache = precache_list(site_dir)
    (site_dir / "sw.js").write_text(service_worker(build_hash(site_dir), precache), encoding="utf-8")
