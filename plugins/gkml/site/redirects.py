"""Old addresses that keep working after a migration. When site.yml names the old platform's
address (原平台网址), every public migrated item whose 迁移 record holds an address on it gets a
static page at the old path that sends the reader to the new item page (meta refresh, a visible
link, rel=canonical), which any static host serves. For offices that run their own server, the
same pairs are written as an nginx map and Apache Redirect lines (redirects/ in the site), to be
included in the server's configuration for real 301 redirects.

The old site must be replaced on the same domain, and the new site served from its root, for the
static pages to answer at the old paths; the server maps add the site's own path in front."""
from __future__ import annotations

import posixpath
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ..catalogue.model import Catalogue

REDIRECT_FOLDER = "redirects"
NGINX_FILE = "nginx-map.conf"
APACHE_FILE = "apache-redirects.conf"
LIST_FILE = "pages.txt"  # the redirect pages the last build wrote, so a later build removes stale ones


def old_path(address: str, old_sites: tuple[str, ...]) -> str | None:
    """The path of `address` under one of the old platform's addresses (no leading /), or None. An
    address with a query (show.asp?id=12) has no file of its own to stand at: None."""
    for site in old_sites:
        base, here = urlsplit(site), urlsplit(address.strip())
        if here.query:
            return None
        if here.netloc.lower() != base.netloc.lower() or not here.path.startswith(base.path):
            continue
        path = here.path[len(base.path):].lstrip("/")
        clean = posixpath.normpath(path) if path else ""
        if clean in ("", ".") or clean.startswith("..") or "\\" in clean:
            return None
        return clean + ("/index.html" if path.endswith("/") else "")
    return None


def redirect_pairs(cat: Catalogue) -> list[tuple[str, str, str]]:
    """(old path, new item URL, title) for every public migrated item with an old address, sorted;
    an old path claimed twice keeps the first item by 索引号."""
    pairs: dict[str, tuple[str, str]] = {}
    for item in sorted(cat.public_items, key=lambda i: i.index_no):
        if item.migration is None or not item.migration.address:
            continue
        path = old_path(item.migration.address, cat.site.old_sites)
        if path is not None:
            pairs.setdefault(path, (item.url, item.title))
    return [(old, new, title) for old, (new, title) in sorted(pairs.items())]


def page_html(old: str, new: str, title: str, site_url: str) -> str:
    target = posixpath.relpath(new, posixpath.dirname(old) or ".")
    canonical = site_url.rstrip("/") + "/" + new if site_url else target
    t, url = escape(title), escape(target)
    return ("<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{t}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n"
            f"<link rel=\"canonical\" href=\"{escape(canonical)}\">\n<meta name=\"robots\" content=\"noindex\">\n"
            f"</head>\n<body>\n<p>本页已迁移到新的政府信息公开平台：<a href=\"{url}\">{t}</a></p>\n</body>\n</html>\n")


def write_redirects(cat: Catalogue, site_url: str, site_dir: Path) -> int:
    """Write the redirect pages and server maps; the number of old paths answered. A page the
    build wrote itself is never replaced by a redirect."""
    pairs = redirect_pairs(cat)
    folder = site_dir / REDIRECT_FOLDER
    _remove_stale(site_dir, folder / LIST_FILE, {old for old, _, _ in pairs})
    if not pairs:
        for name in (NGINX_FILE, APACHE_FILE, LIST_FILE):
            (folder / name).unlink(missing_ok=True)
        return 0
    root = urlsplit(site_url).path.rstrip("/") if site_url else ""
    written = []
    for old, new, title in pairs:
        path = site_dir / PurePosixPath(old)
        if path.exists() and not _is_redirect(path):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_html(old, new, title, site_url), encoding="utf-8")
        written.append((old, new))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LIST_FILE).write_text("".join(f"{old}\n" for old, _ in written), encoding="utf-8")
    head = "# gkml：原平台网址 → 新页面。由 gkml 生成，请勿手改；说明见 docs/editors/import.md「旧网址」\n"
    (folder / NGINX_FILE).write_text(
        head + "# 用法（http 块中）：map $uri $gkml_moved { include 本文件; }\n"
        "#       （server 块中）：if ($gkml_moved) { return 301 $gkml_moved; }\n"
        + "".join(f"{_nginx('/' + old)} {_nginx(f'{root}/{new}')};\n" for old, new in written), encoding="utf-8")
    (folder / APACHE_FILE).write_text(
        head + "# 用法：在站点配置（或 .htaccess）中 Include 本文件\n"
        + "".join(f"Redirect 301 {_apache('/' + old)} {_apache(f'{root}/{new}')}\n" for old, new in written),
        encoding="utf-8")
    return len(written)


def _remove_stale(site_dir: Path, listing: Path, keep: set[str]) -> None:
    """Redirect pages an earlier build wrote for items that are gone or no longer public."""
    try:
        earlier = listing.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for old in earlier:
        path = site_dir / PurePosixPath(old)
        if old and old not in keep and ".." not in PurePosixPath(old).parts and _is_redirect(path):
            path.unlink(missing_ok=True)


def _is_redirect(path: Path) -> bool:
    try:
        return 'http-equiv="refresh"' in path.read_text(encoding="utf-8", errors="replace")[:400]
    except OSError:
        return False


def _nginx(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _apache(path: str) -> str:
    return '"' + path.replace('"', "%22") + '"'
