"""The built default site in real Chromium, over HTTP and from file://: a citizen's walk
home → unit → column → item → 政策解读 and back, screenshots, and an axe-core scan."""
from __future__ import annotations

import pytest

from sitetools import ARTIFACTS, record_failed_requests

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("mode", ["http", "file"])
def test_walk_home_unit_column_item_interpretation_and_back(chromium, default_site, http_root, mode):
    root = http_root if mode == "http" else default_site.as_uri()
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    failed: list[str] = []
    record_failed_requests(page, failed)
    page.goto(f"{root}/index.html")
    assert page.locator("h1").first.inner_text() == "示例区政府信息公开"
    _shot(page, f"{mode}-1-home")
    page.locator("article").get_by_role("link", name="示例区人民政府", exact=True).click()
    assert page.locator("h1").first.inner_text() == "示例区人民政府"
    page.locator("article").get_by_role("link", name="法定主动公开内容").click()
    assert "法定主动公开内容" in page.locator("h1").first.inner_text()
    _shot(page, f"{mode}-2-tree")
    page.locator("article").get_by_role("link", name="政策解读", exact=True).click()
    assert page.locator("h1").first.inner_text().startswith("政策解读")
    _shot(page, f"{mode}-3-column")
    first = page.locator("table.gkml-list tbody tr td a").first
    title = first.inner_text()
    first.click()
    assert page.locator("article h1").inner_text() == title
    assert page.locator("table.gkml-meta").get_by_text("索引号").count() == 1
    _shot(page, f"{mode}-4-interpretation")
    page.locator("p.gkml-related a").click()  # to the document it interprets
    doc_title = page.locator("article h1").inner_text()
    assert doc_title != title
    assert page.locator("aside.gkml-related").get_by_role("link", name=title).count() == 1
    _shot(page, f"{mode}-5-document")
    page.go_back()
    assert page.locator("article h1").inner_text() == title
    page.locator("nav.gkml-crumbs a").nth(1).click()  # breadcrumbs: back to the unit
    assert page.locator("h1").first.inner_text() == "示例区人民政府"
    assert failed == [], f"requests failed: {failed}"
    page.close()


def test_phone_width_has_no_horizontal_scroll(chromium, http_root):
    page = chromium.new_page(viewport={"width": 360, "height": 740})
    for path in ("index.html", "qzf/gfxwj/index.html", "qzf/zhinan.html"):
        page.goto(f"{http_root}/{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 360px"
    _shot(page, "phone-column")
    page.close()


def test_keyboard_reaches_the_search_box_and_content_links(chromium, http_root):
    page = chromium.new_page()
    page.goto(f"{http_root}/index.html")
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert "gkml-home-q" in focused  # the home page has one search box, its own
    assert "政府信息公开指南" in focused
    page.close()


PAGE_TYPES = ["index.html", "zhinan.html", "fdzdgknr.html", "yishenqing.html", "nianbao.html", "qzf/index.html",
              "qzf/zhinan.html", "qzf/fdzdgknr.html", "qzf/gfxwj/index.html", "qzf/yishenqing.html",
              "topics/index.html", "data/index.html", "search.html", "manual/index.html", "manual/add.html",
              "qzf/nianbao/2025.html"]


def test_axe_finds_no_serious_or_critical_violations(chromium, http_root, default_site):
    from axe_playwright_python.sync_playwright import Axe
    item = next((default_site / "item").rglob("*.html")).relative_to(default_site).as_posix()
    facet = "years/2025/index.html"
    axe = Axe()
    page = chromium.new_page()
    problems = []
    for path in PAGE_TYPES + [item, facet]:
        page.goto(f"{http_root}/{path}")
        results = axe.run(page)
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}")
    page.close()
    assert problems == []


def test_item_page_prints_cleanly(chromium, http_root, default_site):
    item = next((default_site / "item").rglob("*.html")).relative_to(default_site).as_posix()
    page = chromium.new_page()
    page.goto(f"{http_root}/{item}")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.gkml-topsearch', '.md-footer']
        .map(s => document.querySelector(s)).filter(Boolean)
        .every(e => getComputedStyle(e).display === 'none')""")
    assert hidden
    assert page.locator("table.gkml-meta").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "item-print.pdf"))
    page.close()
