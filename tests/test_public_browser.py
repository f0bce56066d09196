"""The default site on a phone and a desktop, normal and in 适老模式 (issue 16): every page at
360 px without sideways scrolling, screenshots of every page kind in both modes and widths
(artifacts/pages/), axe clean in 适老模式 too, the mode switch by keyboard and remembered, the
404 page under a sub-path, paged lists with their results first."""
from __future__ import annotations

import contextlib
import datetime
import functools
import http.server
import threading
from pathlib import Path

import pytest

from sitetools import ARTIFACTS, REPO, SITE_FIXTURE, build_site, built, record_failed_requests, serve

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# One page of each kind the default site has.
PAGE_KINDS = {
    "home": "index.html", "platform-guide": "zhinan.html", "platform-system": "zhidu.html",
    "platform-catalogue": "fdzdgknr.html", "platform-annual": "nianbao.html", "platform-request": "yishenqing.html",
    "unit": "qzf/index.html", "unit-guide": "qzf/zhinan.html", "unit-tree": "qzf/fdzdgknr.html",
    "unit-annual": "qzf/nianbao.html", "unit-request": "qzf/yishenqing.html", "column": "qzf/fdzdgknr/index.html",
    "column-page-2": "qzf/fdzdgknr/page-2.html", "annual-report": "qzf/nianbao/2025.html",
    "item": "item/11350199MB01000012/2025-00014.html", "index": "topics/index.html", "facet": "years/2025/index.html",
    "data": "data/index.html", "search": "search.html?q=规范性文件", "manual": "manual/index.html", "404": "404.html",
}


def _paged_default_config(where: Path) -> Path:
    """The default site's mkdocs.yml with its folders named in full and 20 a page for the columns
    with subcolumns too (100 by default), so that 示例区人民政府's 法定主动公开内容 has a second page."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in (("docs_dir: pages", f"docs_dir: {REPO / 'pages'}"),
                     ("catalogue: catalogue", f"catalogue: {REPO / 'catalogue'}\n      index_page_size: 20"),
                     ("manual: docs/editors", f"manual: {REPO / 'docs' / 'editors'}")):
        assert old in text, old
        text = text.replace(old, new)
    (where / "mkdocs.yml").write_text(text, encoding="utf-8")
    return where / "mkdocs.yml"


@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("public-default")
    return built(_paged_default_config(where), where / "site")


@pytest.fixture(scope="module")
def http_root(default_site):
    with serve(default_site) as url:
        yield url


def _elder(page, on: bool) -> None:
    page.evaluate(f"localStorage.setItem('gkml-elder', '{1 if on else 0}')")


def test_every_page_of_the_default_site_fits_a_360px_phone(chromium, default_site, http_root):
    pages = sorted(p.relative_to(default_site).as_posix() for p in default_site.rglob("*.html"))
    assert len(pages) > 900
    page = chromium.new_page(viewport=PHONE)
    wide = []
    for rel in pages:
        page.goto(f"{http_root}/{rel}")
        if (overflow := page.evaluate(OVERFLOW)) > 1:
            wide.append(f"{rel} (+{overflow}px)")
    page.close()
    assert wide == [], f"{len(wide)} pages scroll sideways at 360 px: {wide[:20]}"


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_every_page_kind_at_phone_and_desktop_width_with_screenshots(chromium, http_root, mode):
    shots = ARTIFACTS / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    problems = []
    for width, viewport in (("360", PHONE), ("desktop", DESKTOP)):
        page = chromium.new_page(viewport=viewport)
        # Material's script on every page kind (bulk pages carry a cut configuration, shell.py)
        page.on("pageerror", lambda e, width=width: problems.append(f"{page.url} at {width}: script error {e}"))
        page.goto(f"{http_root}/index.html")
        _elder(page, mode == "elder")
        for kind, rel in PAGE_KINDS.items():
            page.goto(f"{http_root}/{rel}")
            if rel.startswith("search"):
                page.wait_for_selector('#gkml-search[data-state="done"]')
            on = page.evaluate("document.documentElement.classList.contains('gkml-elder')")
            if on != (mode == "elder"):
                problems.append(f"{kind}: 适老模式 {'not ' if not on else ''}applied")
            if (overflow := page.evaluate(OVERFLOW)) > 1:
                problems.append(f"{kind} at {width}: scrolls sideways by {overflow}px")
            page.screenshot(path=str(shots / f"{kind}-{width}-{mode}.png"), full_page=True)
        page.close()
    assert problems == []


def test_phone_list_cards_label_each_cell_with_its_column_heading(chromium, http_root):
    """At 360 px a list row is a card: each cell but the title says what it is, in the words of its
    column's heading (gkml.css labels the cells by their place); at desktop width the headings do it.
    years/: with a 发布机构 column; a column's own list: without."""
    cells = """() => [...document.querySelector('table.gkml-list tbody tr').cells].map(td => getComputedStyle(td, '::before').content)"""
    headings = """() => [...document.querySelectorAll('table.gkml-list thead th')].map(th => th.textContent)"""
    for rel in ("years/2025/index.html", "qzf/gfxwj/index.html"):
        page = chromium.new_page(viewport=PHONE)
        page.goto(f"{http_root}/{rel}")
        expected = [f'"{h}："' if h != "标题" else "none" for h in page.evaluate(headings)]
        assert page.evaluate(cells) == expected and len(expected) >= 5, rel
        page.set_viewport_size(DESKTOP)
        assert set(page.evaluate(cells)) <= {"none", "normal"}, rel
        page.close()


@pytest.mark.parametrize("mode, viewport", [("normal", DESKTOP), ("normal", PHONE), ("elder", DESKTOP), ("elder", PHONE)])
def test_every_page_kind_keeps_axe_clean_in_both_modes(chromium, http_root, mode, viewport):
    from axe_playwright_python.sync_playwright import Axe
    page = chromium.new_page(viewport=viewport)
    page.goto(f"{http_root}/index.html")
    _elder(page, mode == "elder")
    axe = Axe()
    problems = []
    for kind, rel in PAGE_KINDS.items():
        page.goto(f"{http_root}/{rel}")
        if rel.startswith("search"):
            page.wait_for_selector('#gkml-search[data-state="done"]')
        for v in axe.run(page).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{kind}: {v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}")
    page.close()
    assert problems == []


def test_elder_switch_works_by_keyboard_and_is_remembered(chromium, http_root):
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(f"{http_root}/qzf/index.html")
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    for _ in range(60):  # Tab until the switch has the focus: it is reachable by keyboard
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "gkml-elder-switch":
            break
    else:
        pytest.fail("Tab never reaches the 适老模式 switch")
    page.keyboard.press("Enter")
    switch = page.locator("#gkml-elder-switch")
    assert switch.get_attribute("aria-pressed") == "true" and switch.inner_text() == "退出适老模式"
    larger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    assert larger >= normal * 1.2
    with page.expect_navigation():  # the next page loaded, not the old one still showing
        page.locator("article").get_by_role("link", name="法定主动公开内容").click()  # another page: still on
    assert page.evaluate("document.documentElement.classList.contains('gkml-elder')")
    page.locator("#gkml-elder-switch").focus()
    page.keyboard.press(" ")
    assert page.locator("#gkml-elder-switch").get_attribute("aria-pressed") == "false"
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('gkml-elder')")
    page.close()


def test_paged_column_shows_results_first_and_a_horizontal_pager(chromium, http_root):
    page = chromium.new_page(viewport=PHONE)
    page.goto(f"{http_root}/qzf/fdzdgknr/page-2.html")
    tree = page.locator("details.gkml-subtree")
    assert tree.count() == 1 and tree.get_attribute("open") is None  # folded: the list comes first
    table_top = page.locator("table.gkml-list").bounding_box()["y"]
    assert table_top < 740 * 1.5, f"the list starts {table_top}px down"
    boxes = [page.locator(".gkml-pages li").nth(n).bounding_box() for n in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]  # one row, not a stack
    tree.locator("summary").click()
    assert page.locator("details.gkml-subtree ul.gkml-tree a").first.is_visible()
    # An index page with more pages than the window shows: results on top, a bounded row of numbers
    page.goto(f"{http_root}/years/2026/index.html")
    assert page.locator("table.gkml-list").bounding_box()["y"] < 740
    shown = page.locator(".gkml-pages li:visible")
    labels = [t.strip() for t in shown.all_text_contents()]
    last = int(labels[-2])
    assert last > 5 and labels == ["1", "…", str(last), "下一页"], labels
    rows = {round(shown.nth(n).bounding_box()["y"]) for n in range(len(labels))}
    assert len(rows) == 1, labels  # one horizontal row at 360 px
    assert page.evaluate(OVERFLOW) <= 1
    # Mid-list: the phone shows the first, this and the last page between 上一页 and 下一页, in one row
    page.goto(f"{http_root}/years/2026/page-3.html")
    shown = page.locator(".gkml-pages li:visible")
    labels = shown.all_text_contents()
    assert [t.strip() for t in labels] == ["上一页", "1", "…", "3", "…", str(last), "下一页"], labels
    assert len({round(shown.nth(n).bounding_box()["y"]) for n in range(shown.count())}) == 1, labels
    assert page.evaluate(OVERFLOW) <= 1
    page.set_viewport_size({"width": 1280, "height": 800})  # a wide screen shows the window around this page
    labels = [t.strip() for t in page.locator(".gkml-pages li:visible").all_text_contents()]
    assert labels[:6] == ["上一页", "1", "2", "3", "4", "5"] and labels[-2:] == [str(last), "下一页"], labels
    page.close()


class _SubPath(http.server.SimpleHTTPRequestHandler):
    """A static host serving the site under /gk/ and its 404.html for any missing address."""

    def __init__(self, *args, site: Path, **kwargs):
        self.site = site
        super().__init__(*args, directory=str(site.parent), **kwargs)

    def translate_path(self, path):
        path = path.split("?", 1)[0]
        return str(self.site / path[len("/gk/"):]) if path.startswith("/gk/") else str(self.site / "missing")

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (self.site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _serve_under_gk(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPath, site=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_404_page_in_chinese_finds_its_way_home_under_a_sub_path(chromium, tmp_path):
    site, result = build_site(SITE_FIXTURE, tmp_path, "site", "https://www.example.org/gk/")
    assert result.returncode == 0, result.stderr
    with _serve_under_gk(site) as root:
        page = chromium.new_page(viewport=PHONE)
        failed: list[str] = []
        record_failed_requests(page, failed)
        response = page.goto(f"{root}/gk/qzf/no-such-column/page-9.html")
        assert response.status == 404
        assert page.locator("article h1").inner_text() == "页面不存在"
        assert page.evaluate(OVERFLOW) <= 1
        (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "pages" / "404-under-subpath-360.png"), full_page=True)
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"  # styled
        page.locator("#gkml-404-q").fill("规范性文件")
        page.locator("#gkml-404-q").press("Enter")
        page.wait_for_selector('#gkml-search[data-state="done"]')
        assert page.url.startswith(f"{root}/gk/search.html?q=")
        page.goto(f"{root}/gk/a/b/c.html")
        page.get_by_role("link", name="返回首页").click()
        assert page.url == f"{root}/gk/index.html"
        assert page.locator("article h1").first.inner_text() == "示例区政府信息公开（测试）"
        assert [f for f in failed if "/gk/" in f and "missing" not in f] == []
        page.close()


# ---- search: what citizens type (issue 16, point 8) ------------------------------------------

def _result_texts(page) -> list[str]:
    return page.eval_on_selector_all(".gkml-result", "es => es.map(e => e.textContent)")


def test_a_bracketed_doc_no_fragment_ranks_the_items_that_hold_it_first(chromium, default_site, http_root):
    holding = sum(1 for p in (REPO / "catalogue" / "items").rglob("*.md")
                  if "〔2025〕" in next((line for line in p.read_text(encoding="utf-8").splitlines()
                                        if line.startswith("文号:")), ""))
    assert holding >= 10
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(f"{http_root}/search.html?q=" + "〔2025〕")
    page.wait_for_selector('#gkml-search[data-state="done"]')
    top = _result_texts(page)[:10]
    assert len(top) == 10 and all("〔2025〕" in t for t in top), top
    page.close()


def test_a_whole_short_title_ranks_first(chromium, tmp_path):
    from conftest import write_item
    catalogue = tmp_path / "catalogue"
    import shutil
    shutil.copytree(SITE_FIXTURE, catalogue)
    day = datetime.date
    base = {"内容概述": "公示内容。", "生成日期": day(2025, 2, 1), "发布日期": day(2025, 2, 3), "发布机构": "示例区人民政府",
            "栏目": "qtwj", "主题分类": "综合政务/政务公开", "体裁": "公告", "有效性": "有效", "公开方式": "主动公开",
            "保密审查": {"审查人": "王某", "日期": day(2025, 2, 1)}}
    write_item(catalogue, "qzf/2025/00040.md", {"索引号": "11350199MB01000012/2025-00040", "标题": "公示", **base})
    for n in range(41, 53):  # newer items whose titles hold the word
        write_item(catalogue, f"qzf/2025/000{n}.md", {"索引号": f"11350199MB01000012/2025-000{n}",
                   "标题": f"关于第{n}批项目的公示", **base, "发布日期": day(2025, 3, n - 30)})
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0, result.stderr
    with serve(site) as url:
        page = chromium.new_page(viewport=DESKTOP)
        page.goto(f"{url}/search.html?q=" + "公示")
        page.wait_for_selector('#gkml-search[data-state="done"]')
        titles = page.eval_on_selector_all(".gkml-result-title", "es => es.map(e => e.textContent)")
        assert titles[0] == "公示" and len(titles) == 10
        page.close()


def test_guide_and_unit_pages_are_found_by_name_and_by_what_they_hold(chromium, http_root):
    page = chromium.new_page(viewport=PHONE)
    for query, expected in (("政府信息公开指南", "zhinan.html"), ("办公地址", "zhinan.html"),
                            ("示例区财政局", "qczj/index.html"), ("怎么 申请", None)):
        page.goto(f"{http_root}/search.html?q={query}")
        page.wait_for_selector('#gkml-search[data-state="done"]')
        links = page.eval_on_selector_all("#gkml-pages-found a", "es => es.map(e => e.getAttribute('href'))")
        if expected is None:
            assert page.locator("#gkml-pages-found").is_hidden(), (query, links)
        else:
            assert links and links[0] == expected, (query, links)
            assert page.evaluate(OVERFLOW) <= 1
    page.goto(f"{http_root}/search.html?q=办公地址")
    page.wait_for_selector('#gkml-search[data-state="done"]')
    page.locator("#gkml-pages-found a").first.click()
    assert page.locator("article h1").first.inner_text() == "政府信息公开指南"
    page.close()


def test_a_utf8_text_attachment_reads_right_from_a_server_that_names_no_charset(chromium, default_site, http_root):
    import urllib.request
    rel = "item/11350199MB0600006E/2023-00003/00003/分村汇总表.txt"
    source = REPO / "catalogue" / "items" / "dhz" / "2023" / "00003" / "分村汇总表.txt"
    assert not source.read_bytes().startswith(b"\xef\xbb\xbf")  # the editor's file has no mark
    url = f"{http_root}/" + urllib.request.quote(rel)
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"] == "text/plain"  # python's http.server: no charset
    page = chromium.new_page(viewport=PHONE)
    page.goto(url)
    shown = page.evaluate("document.body.innerText")
    assert shown.startswith("村（社区）\t补贴户数") and "湖滨村" in shown, shown[:80]
    page.close()


LINES_OF = """e => {  // the most line boxes one piece of the element's text is laid out on (a <br> is meant)
    const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT); let most = 0;
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      const range = document.createRange(); range.selectNodeContents(t);
      most = Math.max(most, new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size);
    }
    return most; }"""
UNBROKEN = ("table.gkml-list th", "table.gkml-meta th", "td.gkml-col-docno", "table.gkml-items td:first-child",
            "table.gkml-items td:nth-last-child(3)", "table.gkml-items td:nth-last-child(2)")  # 索引号, 文号, 发布日期


def test_headers_doc_numbers_and_index_numbers_never_wrap_inside(chromium, http_root):
    """Table headers, 索引号, 文号 and dates stay on one line (「索/引/号」 was one character a line)."""
    wrapped, seen = [], 0
    for viewport in (PHONE, DESKTOP):
        page = chromium.new_page(viewport=viewport)
        for rel in ("qzf/fdzdgknr/index.html", "years/2025/index.html", "index.html", "qzf/yishenqing.html",
                    "item/11350199MB01000012/2025-00014.html", "item/11350199MB01000012/2025-00003.html"):
            page.goto(f"{http_root}/{rel}")
            for selector in UNBROKEN:
                for n, lines in enumerate(page.eval_on_selector_all(selector, f"es => es.filter(e => e.offsetParent)"
                                                                                f".map({LINES_OF})")):
                    seen += 1
                    if lines > 1:
                        wrapped.append(f"{viewport['width']} {rel} {selector}[{n}]: {lines} lines")
        page.close()
    assert seen > 100 and wrapped == [], wrapped[:20]
