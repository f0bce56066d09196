"""Offline files: manifest, icons and service worker; in Chromium, the site keeps searching and
showing visited pages once the server is gone, and a new build replaces the old cache."""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import time
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import MINI, write_item
from sitetools import SEARCH_DONE, browser, build_site, serve

from gkml.site.offline import ICON_SIZES, build_hash, icon_png, manifest, precache_list, write_offline_files



def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, size, idat = 8, None, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = size
    assert len(zlib.decompress(idat)) == (width * 3 + 1) * height
    return width, height


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icons_are_valid_png_of_their_size(size):
    assert _png_size(icon_png(size)) == (size, size)
    assert icon_png(size) == icon_png(size)


def test_manifest_is_relative_and_chinese():
    m = manifest("示例区政府信息公开")
    assert m["lang"] == "zh-CN" and m["name"] == "示例区政府信息公开"
    assert m["start_url"] == "./index.html" and m["scope"] == "./"
    assert [i["sizes"] for i in m["icons"]] == ["192x192", "512x512"]
    assert all(not i["src"].startswith(("/", "http")) for i in m["icons"])


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("offline")
    catalogue = tmp / "catalogue"
    shutil.copytree(MINI, catalogue)
    site, result = build_site(catalogue, tmp)
    assert result.returncode == 0, result.stderr
    return site


def _sw_constants(site: Path) -> tuple[str, list[str]]:
    text = (site / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'var VERSION = "([0-9a-f]+)";', text).group(1)
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", text).group(1))
    return version, precache


def test_written_files_and_precache_list(mini_site):
    site = mini_site
    m = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    for icon in m["icons"]:
        assert (site / icon["src"]).is_file()
    version, precache = _sw_constants(site)
    assert version == build_hash(site)
    assert precache == precache_list(site)
    index_version = re.match(r'gkmlSearchLoad\("meta",0,"(\w+)"', (site / "search/meta.js").read_text()).group(1)
    assert {"index.html", "search.html", "search/meta.js", f"search/facets.js?v={index_version}",
            "assets/gkml-search.js", "manifest.webmanifest", "gkml-icon-192.png"} <= set(precache)
    assert all((site / p.split("?")[0]).is_file() for p in precache)
    assert not [p for p in precache if p.startswith(("item/", "search/s/", "search/d/", "assets/javascripts/lunr"))]


def _bytes_read() -> int:
    """Bytes this process has read through read(2) and friends so far (Linux)."""
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["rchar"])


def test_build_hash_reads_the_precached_files_only(mini_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(mini_site, copy)
    before = build_hash(copy)
    shell = sum((copy / p.split("?")[0]).stat().st_size for p in precache_list(copy))
    # an item page grown to 256 MB (sparse: no disk used); reading it would show in rchar
    page = copy / "item/11350199MB01000012/2025-00002.html"
    os.truncate(page, 256 << 20)
    start = _bytes_read()
    after = build_hash(copy)
    read = _bytes_read() - start
    assert read < shell + 64 * 1024, (read, shell)
    assert after == before  # a page's content is revalidated by the worker, not a new cache


def test_build_hash_ignores_where_and_when_the_files_were_written(mini_site, tmp_path):
    copy = tmp_path / "elsewhere" / "copy"
    shutil.copytree(mini_site, copy)
    for path in copy.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    write_offline_files(copy, "示例区政府信息公开")
    assert (copy / "sw.js").read_bytes() == (mini_site / "sw.js").read_bytes()
    assert build_hash(copy) == build_hash(mini_site)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("change", ["shell script", "home page", "index version", "facets", "page removed",
                                    "page added"])
def test_build_hash_changes_with_the_shell_the_index_and_the_list_of_pages(mini_site, tmp_path, change):
    copy = tmp_path / "site"
    shutil.copytree(mini_site, copy)
    before = build_hash(copy)
    index_version = re.match(r'gkmlSearchLoad\("meta",0,"(\w+)"', (copy / "search/meta.js").read_text()).group(1)
    if change == "shell script":
        _edit(copy / "assets/gkml-search.js", "function", "function ")
    elif change == "home page":
        _edit(copy / "index.html", "</body>", " </body>")
    elif change == "index version":  # what a rebuilt index looks like to the worker: meta.js names a new version
        _edit(copy / "search/meta.js", index_version, "0" * len(index_version))
    elif change == "facets":
        facets = copy / "search/facets.js"
        facets.write_bytes(facets.read_bytes() + b" ")
    elif change == "page removed":
        (copy / "item/11350199MB01000012/2025-00002.html").unlink()
    else:
        shutil.copy(copy / "item/11350199MB01000012/2025-00002.html", copy / "item/11350199MB01000012/new.html")
    assert build_hash(copy) != before
    write_offline_files(copy, "示例区政府信息公开")
    assert (copy / "sw.js").read_bytes() != (mini_site / "sw.js").read_bytes()


# ---- in Chromium ------------------------------------------------------------------------------

def _until(page, expression: str, expected, timeout: float = 15.0):
    """Evaluate `expression` (its promise awaited) until it equals `expected`; the last value.
    (page.wait_for_function does not await a promise: any promise counts as true.)"""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value == expected or time.monotonic() > deadline:
            return value
        page.wait_for_timeout(100)


def _visit_urls(version: str) -> str:
    """A script listing the URLs in the service worker's visit cache, oldest first."""
    return f"caches.open('gkml-{version}-visits').then(c => c.keys()).then(k => k.map(r => r.url))"


def _controlled_context(chromium, url: str):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{url}/index.html")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return context, page


@pytest.mark.browser
def test_offline_search_and_visited_pages_after_the_server_is_gone(mini_site):
    site = mini_site
    item = "item/11350199MB01000012/2025-00002.html"
    unvisited = "item/11350199MB0300003D/2025-00001.html"
    with browser() as chromium:
        with serve(site) as url:
            context, page = _controlled_context(chromium, url)
            page.goto(f"{url}/search.html?q=" + quote("救助"))
            page.wait_for_selector(SEARCH_DONE)
            page.goto(f"{url}/{item}")
            assert "临时救助办法（修订）" in page.inner_text("h1")
            page.wait_for_timeout(300)  # let stale-while-revalidate puts finish
        # the server is gone: everything below comes from the service worker's cache
        page.goto(f"{url}/search.html?q=" + quote("临时救助") + "&valid=" + quote("废止"))
        page.wait_for_selector(SEARCH_DONE)
        assert page.eval_on_selector_all(".gkml-result-title", "es => es.map(e => e.textContent)") == [
            "示例区人民政府关于印发《示例区城乡居民临时救助办法》的通知"]
        page.goto(f"{url}/{item}")
        assert "临时救助办法（修订）" in page.inner_text("h1")
        page.goto(f"{url}/{unvisited}")
        assert "当前处于离线状态" in page.inner_text("body")
        context.close()


@pytest.mark.browser
def test_a_new_build_replaces_the_old_cache(tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(MINI, catalogue)
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
    old_version, _ = _sw_constants(site)
    with browser() as chromium, serve(site) as url:
        context, page = _controlled_context(chromium, url)
        assert page.evaluate("caches.keys()") == [f"gkml-{old_version}"]
        fields = (catalogue / "items" / "qzf" / "2025" / "00004.md").read_text(encoding="utf-8")
        write_item(catalogue, "qzf/2025/00004.md",
                   fields.split("---\n")[1].replace("防汛工作的通知", "防汛防台风工作的通知"), "更新后的正文。\n")
        site2, result = build_site(catalogue, tmp_path)
        assert result.returncode == 0, result.stderr
        new_version, _ = _sw_constants(site2)
        assert new_version != old_version
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        assert _until(page, "caches.keys()", [f"gkml-{new_version}"]) == [f"gkml-{new_version}"]
        page.goto(f"{url}/search.html?q=" + quote("防台风"))
        page.wait_for_selector('#gkml-search[data-state="done"], #gkml-search[data-state="error"]')
        assert page.inner_text("#gkml-status").startswith("找到 1 条"), page.inner_text("#gkml-status")
        assert page.eval_on_selector(".gkml-result-title", "e => e.textContent") == \
            "示例区人民政府关于做好2025年防汛防台风工作的通知"
        context.close()


@pytest.mark.browser
def test_the_visit_cache_keeps_the_most_recent_pages_and_the_whole_shell(mini_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(mini_site, site)
    write_offline_files(site, "示例区政府信息公开", max_visits=3)  # the real worker, a small limit
    version, precache = _sw_constants(site)
    assert "var MAX_VISITS = 3;" in (site / "sw.js").read_text(encoding="utf-8")
    pages = ["item/11350199MB01000012/2025-00001.html", "item/11350199MB01000012/2025-00002.html",
             "item/11350199MB01000012/2025-00003.html", "item/11350199MB0600006E/2025-00001.html",
             "item/11350199MB0800008R/2025-00001.html"]
    visits = _visit_urls(version)
    with browser() as chromium:
        with serve(site) as url:
            context, page = _controlled_context(chromium, url)
            page.goto(f"{url}/search.html?q=" + quote("救助"))
            page.wait_for_selector(SEARCH_DONE)

            def visit(rel: str, expected: list[str]) -> None:
                page.goto(f"{url}/{rel}")
                want = [f"{url}/{p}" for p in expected]
                assert _until(page, visits, want) == want

            visit(pages[0], pages[:1])
            visit(pages[1], pages[:2])
            visit(pages[2], pages[:3])
            visit(pages[3], pages[1:4])                         # the oldest goes
            visit(pages[1], [pages[2], pages[3], pages[1]])     # seen again online: the newest now
            visit(pages[4], [pages[3], pages[1], pages[4]])
            shell = page.evaluate(f"caches.open('gkml-{version}').then(c => c.keys()).then(k => k.map(r => r.url))")
            assert {f"{url}/{p}" for p in precache} <= set(shell)
            assert any("/search/s/" in u for u in shell)  # index shards the query used stay too
        # the server is gone
        for rel in (pages[1], pages[3], pages[4]):
            page.goto(f"{url}/{rel}")
            assert "当前处于离线状态" not in page.inner_text("body"), rel
            assert page.inner_text("h1")
        for rel in (pages[0], pages[2]):
            page.goto(f"{url}/{rel}")
            assert "当前处于离线状态" in page.inner_text("body"), rel
        page.goto(f"{url}/search.html?q=" + quote("救助"))
        page.wait_for_selector(SEARCH_DONE)
        assert page.eval_on_selector_all(".gkml-result-title", "es => es.length") > 0
        context.close()


@pytest.mark.browser
def test_a_page_the_server_no_longer_has_leaves_the_cache(mini_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(mini_site, site)
    version, _ = _sw_constants(site)
    rel = "item/11350199MB01000012/2025-00003.html"
    visits = _visit_urls(version)
    with browser() as chromium, serve(site) as url:
        context, page = _controlled_context(chromium, url)
        page.goto(f"{url}/{rel}")
        assert _until(page, visits, [f"{url}/{rel}"]) == [f"{url}/{rel}"]
        (site / rel).unlink()  # withdrawn from the site
        page.goto(f"{url}/{rel}")  # served from the cache once; the revalidation finds it gone
        assert _until(page, visits, []) == []
        context.close()


@pytest.mark.browser
def test_pages_the_search_reads_are_not_kept_as_visits(mini_site):
    """Search reads the pages of its results to check phrases (gkml-search.js pageFields): those
    reads must not push the reader's own visits out of the visit cache; a visit still counts."""
    version, _ = _sw_constants(mini_site)
    rel = "item/11350199MB01000012/2025-00002.html"
    visits = _visit_urls(version)
    with browser() as chromium, serve(mini_site) as url:
        context, page = _controlled_context(chromium, url)
        page.goto(f"{url}/search.html")
        fields = page.evaluate(f"gkmlSearch.pageFields('{rel}')")
        assert fields[4] == "11350199MB01000012/2025-00002" and "救助" in fields[5]  # read, through the worker
        page.wait_for_timeout(300)
        assert f"{url}/{rel}" not in page.evaluate(visits)
        page.goto(f"{url}/{rel}")
        assert f"{url}/{rel}" in _until(page, visits, [f"{url}/{rel}"])
        context.close()


# ---- the whole search offline (issue 16) ------------------------------------------------------

def test_the_worker_template_is_an_asset_filled_at_build_time(mini_site):
    text = (mini_site / "sw.js").read_text(encoding="utf-8")
    assert "__" + "PRECACHE__" not in text and "__" + "INDEX__" not in text and "__" + "VERSION__" not in text
    assert not (mini_site / "assets" / "gkml-sw.js").exists()  # the unfilled template is not served
    summary = json.loads((mini_site / "search" / "offline.json").read_text(encoding="utf-8"))
    assert summary["whole"] is True and 0 < summary["bytes"] < 30 * 1024 * 1024
    index = json.loads(re.search(r"var INDEX = (\[.*?\]);", text).group(1))
    assert len(index) == summary["files"] and any(p.startswith("search/s/") for p in index)
    assert all((mini_site / p.split("?")[0]).is_file() for p in index)
    assert "访问一次后，检索和已访问的页面可以离线使用" in (mini_site / "manifest.webmanifest").read_text(encoding="utf-8")


def _over_budget_site(tmp: Path) -> Path:
    """The mini catalogue built with an offline budget of 0 MB: its index is «too large»."""
    from sitetools import mkdocs_build, write_config
    catalogue = tmp / "catalogue"
    shutil.copytree(MINI, catalogue)
    config = write_config(catalogue, tmp / "site", tmp)
    config.write_text(config.read_text(encoding="utf-8").replace(
        "history: false\n", "history: false\n      offline_search_mb: 0\n"), encoding="utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def test_an_index_over_the_budget_is_listed_for_download_not_precached(tmp_path):
    site = _over_budget_site(tmp_path)
    text = (site / "sw.js").read_text(encoding="utf-8")
    assert re.search(r"var INDEX = \[\];", text)
    summary = json.loads((site / "search" / "offline.json").read_text(encoding="utf-8"))
    files = json.loads((site / "search" / "offline-files.json").read_text(encoding="utf-8"))
    assert summary["whole"] is False and len(files) == summary["files"] > 0
    assert "在检索页下载离线检索后" in (site / "manifest.webmanifest").read_text(encoding="utf-8")


@pytest.mark.browser
def test_one_visit_to_the_home_page_makes_the_whole_search_work_offline(mini_site):
    with browser() as chromium:
        with serve(mini_site) as url:
            context, page = _controlled_context(chromium, url)  # the home page only: no search yet
        # the server is gone; a query whose index files were never requested
        page.goto(f"{url}/search.html?q=" + quote("救助办法"))
        page.wait_for_selector(SEARCH_DONE)
        assert page.locator(".gkml-result-title").count() >= 1
        page.wait_for_function("document.querySelector('.gkml-offline-note').textContent.includes('已自动保存到本机')")
        assert page.locator("#gkml-offline button").is_hidden()  # nothing to download
        context.close()


@pytest.mark.browser
def test_a_large_index_is_downloaded_on_request_and_then_searches_offline(tmp_path):
    site = _over_budget_site(tmp_path)
    with browser() as chromium, serve(site) as url:
        context, page = _controlled_context(chromium, url)
        page.goto(f"{url}/search.html")  # no query: no index file but meta.js loaded yet
        button = page.locator("#gkml-offline button")
        button.wait_for(state="visible")
        assert re.fullmatch(r"下载离线检索（(约 [\d.]+ MB|不到 1 MB)）", button.inner_text())
        context.set_offline(True)
        page.goto(f"{url}/search.html?q=" + quote("救助办法"))
        page.wait_for_selector('#gkml-search[data-state="error"]')
        message = page.inner_text("#gkml-status")
        assert "离线状态" in message and "下载离线检索" in message and not re.search(r"[A-Za-z]{3}", message)
        context.set_offline(False)
        page.goto(f"{url}/search.html")
        page.locator("#gkml-offline button").click()
        page.wait_for_function("document.querySelector('.gkml-offline-note').textContent.includes('已下载到本机')")
        context.set_offline(True)
        page.goto(f"{url}/search.html?q=" + quote("救助办法"))
        page.wait_for_selector(SEARCH_DONE)
        assert page.locator(".gkml-result-title").count() >= 1
        context.close()
