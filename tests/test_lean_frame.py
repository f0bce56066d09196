"""The lean page frame of bulk pages (issue 18): an item page carries its own place (breadcrumbs,
its unit, the platform's top entries, search), not the whole tree of units, and no indentation;
every link of the frame still leads to a page of the site."""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from gkml.host.shell import lean_config, squeeze
from sitetools import SITE_FIXTURE, build_site, mkdocs_build, write_config

QZF = "11350199MB01000012"
ITEM = f"item/{QZF}/2025-00001.html"
# a 1×1 PNG: an office's logo
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                     "0000000d49444154789c6360f8cf000000030101a9e0f8c20000000049454e44ae426082")
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">.*</article>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site, result = build_site(SITE_FIXTURE, tmp_path_factory.mktemp("lean"))
    assert result.returncode == 0, result.stderr
    return site


def sidebar(html: str) -> str:
    start = html.index('<div class="md-sidebar md-sidebar--primary"')
    return html[start:html.index('<div class="md-content"', start)]


def test_item_page_sidebar_holds_its_unit_not_every_unit(built):
    html = (built / ITEM).read_text(encoding="utf-8")
    nav = sidebar(html)
    home = (built / "index.html").read_text(encoding="utf-8")
    unit_links = set(re.findall(r'href="\.\./\.\./([a-z]+)/index\.html"', nav)) - {"topics", "genres", "years", "publishers"}
    assert unit_links == {"qzf"}, unit_links  # its own unit only; the home page's nav still lists them all
    assert len(set(re.findall(r'href="([a-z]+)/index\.html" class="md-nav__link"', sidebar(home)))) > 4
    assert 'href="../../index.html#gkml-units"' in nav and 'id="gkml-units"' in home  # 全部单位
    for entry in ("政府信息公开指南", "法定主动公开内容", "依申请公开", "按年份", "信息检索"):
        assert entry in nav, entry
    assert 'aria-label="当前位置"' in html and 'class="gkml-topsearch"' in html  # breadcrumbs, search box


def test_a_page_of_no_unit_gets_no_unit_entry(built):
    nav = sidebar((built / "years/2025/index.html").read_text(encoding="utf-8"))
    assert "全部单位" in nav and not re.search(r'href="\.\./\.\./(qzf|qczj|cgjd|dhz)/index\.html"', nav)


def test_frame_links_lead_to_pages_of_the_site(built):
    """Relative links only, each to a file that exists: the page works from file:// as over HTTP."""
    for rel in (ITEM, "qzf/gfxwj/index.html", "years/2025/index.html"):
        html = (built / rel).read_text(encoding="utf-8")
        frame = _ARTICLE.sub("", html)
        for href in re.findall(r'(?:href|src)="([^"#]+)', frame):
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
            assert (built / target).is_file(), (rel, href)


def test_frame_is_small_and_unindented(built):
    html = (built / ITEM).read_text(encoding="utf-8")
    frame = _ARTICLE.sub("", html)
    assert not re.search(r"\n[ \t]+<", frame.split("<script", 1)[0])
    assert len(frame.encode()) < 8000, len(frame.encode())  # the full tree of units made it 20 KB


def test_frame_writes_no_icon_and_no_material_helpers_inline(built):
    """The header's and back-to-top icons are drawn by gkml.css and Material's page-state helpers
    come from assets/gkml-scope.js: none of it is repeated in each page of the site."""
    for rel in (ITEM, "qzf/gfxwj/index.html", "index.html", "zhinan.html", "404.html"):
        frame = _ARTICLE.sub("", (built / rel).read_text(encoding="utf-8"))
        assert "<svg" not in frame and "__md_scope" not in frame, rel
        assert re.search(r'<script src="[^"]*assets/gkml-scope\.js"></script>', frame), rel


def test_header_icons_drawn_and_material_state_kept_from_file(built, chromium):
    """From file:// at a folder depth of two: the logo, menu and back-to-top icons are drawn (a mask
    of the text colour, 1.2rem), and Material's helpers keep state under the site's root, as its
    inline script did, so a setting stored on one page is read on a page of another depth."""
    for rel, width, shown, pseudo in ((ITEM, 1280, ".md-header .gkml-logo", ""),
                                      (ITEM, 360, 'label.md-header__button[for="__drawer"]', "::before"),
                                      ("index.html", 360, ".md-nav__title .gkml-logo", "")):
        page = chromium.new_page(viewport={"width": width, "height": 700})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((built / rel).as_uri())
        if ".md-nav__title" in shown:
            page.click('label.md-header__button[for="__drawer"]')  # the full tree's drawer title holds the logo
            page.wait_for_timeout(400)
        icon = page.evaluate("""([s, p]) => { const e = document.querySelector(s), c = getComputedStyle(e, p);
            return [c.webkitMaskImage || c.maskImage, e.getBoundingClientRect().width > 0 || c.width, c.backgroundColor]; }""",
                             [shown, pseudo])
        assert icon[0].startswith('url("data:image/svg+xml') and icon[1] not in (False, "0px", "auto") \
            and icon[2] != "rgba(0, 0, 0, 0)", (shown, icon)
        # Material's back-to-top button (partials/top.html; this fixture's site does not turn it on)
        top = page.evaluate("""() => { const b = document.createElement('button'); b.className = 'md-top md-icon';
            document.body.append(b); return getComputedStyle(b, '::before').webkitMaskImage; }""")
        assert top.startswith('url("data:image/svg+xml'), top
        assert page.evaluate("__md_scope.href") == built.as_uri() + "/"
        page.evaluate("__md_set('__gkml_probe', {n: 1})")
        page.goto((built / ("index.html" if rel == ITEM else ITEM)).as_uri())
        assert page.evaluate("__md_get('__gkml_probe')") == {"n": 1}
        assert page.evaluate("__md_hash('示例😀')") == page.evaluate(
            "[...'示例😀'].reduce((h, c) => (h << 5) - h + c.charCodeAt(0), 0)")  # Material's own hash
        assert errors == []
        page.close()


def test_squeeze_keeps_pre_textarea_and_script():
    html = "<div>\n    <p>a</p>\n\n  </div><pre>  x\n    y</pre>\n  <textarea>\n  t</textarea><script>\n  var a = `\n  b`;</script>"
    assert squeeze(html) == "<div>\n<p>a</p>\n</div><pre>  x\n    y</pre>\n<textarea>\n  t</textarea><script>\n  var a = `\n  b`;</script>"


def test_squeeze_writes_material_config_as_characters():
    html = ('<script id="__config" type="application/json">{"base": "../</x>", "features": [], '
            '"translations": {"clipboard.copy": "\\u590d\\u5236"}, "version": {"provider": "mike"}}</script>')
    assert squeeze(html) == ('<script id="__config" type="application/json">{"base":"../<\\/x>","features":[],'
                             '"translations":{},"version":{"provider":"mike"}}</script>')


MATERIAL_CONFIG = {"annotate": None, "base": "../..", "features": ["navigation.sections", "navigation.top"],
                   "search": "../../assets/javascripts/workers/search.min.js", "tags": None, "version": None,
                   "translations": {"clipboard.copied": "已复制", "clipboard.copy": "复制", "search.result.none": "没有",
                                    "search.result.other": "# 个", "select.version": "选择当前版本"}}


def test_lean_config_keeps_what_materials_script_reads_on_the_page():
    """base and features always, translations as an object (its lookups index it); the search
    strings and worker only beside Material's own search box, the copy button's strings only with
    that feature, the version selector's only with a version."""
    assert lean_config(MATERIAL_CONFIG) == {"base": "../..", "features": ["navigation.sections", "navigation.top"],
                                            "translations": {}}
    searching = lean_config(MATERIAL_CONFIG, material_search=True)
    assert searching["search"] == MATERIAL_CONFIG["search"]
    assert set(searching["translations"]) == {"search.result.none", "search.result.other"}
    copying = lean_config({**MATERIAL_CONFIG, "features": ["content.code.copy"], "version": {"provider": "mike"}})
    assert set(copying["translations"]) == {"clipboard.copied", "clipboard.copy", "select.version"}
    assert copying["version"] == {"provider": "mike"} and "annotate" not in copying and "search" not in copying
    sharing = lean_config({**MATERIAL_CONFIG, "features": ["search.share"]}, material_search=True)
    assert "clipboard.copied" in sharing["translations"]  # a copied search link says so
    assert lean_config({**MATERIAL_CONFIG, "features": ["search.share"]})["translations"] == {}


def test_squeeze_drops_materials_empty_placeholders_and_keeps_a_dialog_with_something_to_say():
    shell = ('<div data-md-component="skip">\n</div>\n<div data-md-component="announce">\n</div>\n'
             '<div data-md-component="announce"><p>通知</p></div>\n'
             '<div class="md-dialog" data-md-component="dialog">\n<div class="md-dialog__inner md-typeset"></div>\n</div>\n'
             '<script id="__config" type="application/json">{"base": ".", "features": %s, '
             '"translations": {"clipboard.copied": "已复制"}}</script>')
    lean = squeeze(shell % "[]")
    assert lean.startswith('<div data-md-component="announce"><p>通知</p></div>\n<script id="__config"'), lean
    assert 'data-md-component="dialog"' in squeeze(shell % '["content.code.copy"]')


def test_bulk_pages_carry_the_lean_config_and_no_tab_script(built):
    for rel in (ITEM, "qzf/gfxwj/index.html", "years/2025/index.html"):
        html = (built / rel).read_text(encoding="utf-8")
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))
        assert config["translations"] == {} and "search" not in config and config["base"].startswith(".."), rel
        assert "__tabbed_" not in html and 'data-md-component="dialog"' not in html, rel
        assert 'data-md-component="skip"' not in html and 'data-md-component="header"' in html, rel
    assert "__tabbed_" in (built / "index.html").read_text(encoding="utf-8")  # pages MkDocs writes keep Material's own


def test_phone_drawer_shows_every_entry_of_the_lean_sidebar(built, chromium):
    """At 360 px the sidebar is Material's drawer: every entry is on screen and not covered (a
    nested <nav class="md-nav"> would become a sliding panel over the list), and 全部单位 leads
    to the home page's list of units — from file://."""
    page = chromium.new_page(viewport={"width": 360, "height": 740})
    page.goto((built / ITEM).as_uri())
    page.click('label.md-header__button[for="__drawer"]')
    page.wait_for_timeout(400)  # the drawer slides in
    covered = page.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')].filter(a => {
        a.scrollIntoView({block: 'center'});
        const r = a.getBoundingClientRect(), hit = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
        return r.width === 0 || r.right > innerWidth || !(hit === a || a.contains(hit));
      }).map(a => a.textContent.trim())""")
    assert covered == []
    assert page.locator(".md-sidebar--primary a.md-nav__link").count() >= 12
    page.click(".md-sidebar--primary >> text=全部单位")
    page.wait_for_url("**/index.html#gkml-units")
    assert page.locator("#gkml-units").is_visible()
    page.close()


def test_an_offices_own_logo_replaces_the_drawn_icon(tmp_path):
    """`theme.logo` (an image beside the site's pages) shows in the header and the drawer, with no
    text of its own (the link around it names the site) and no drawn icon beside it."""
    config = write_config(SITE_FIXTURE, tmp_path / "site", tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  logo: emblem.png\n"),
                      encoding="utf-8")
    (tmp_path / "pages" / "emblem.png").write_bytes(_PNG)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    for rel, prefix in ((ITEM, "../../"), ("index.html", "")):
        html = (tmp_path / "site" / rel).read_text(encoding="utf-8")
        assert html.count(f'<img src="{prefix}emblem.png" alt="">') == (1 if rel == ITEM else 2), rel  # header (+ drawer)
        assert "gkml-logo" not in html, rel
    assert (tmp_path / "site" / "emblem.png").read_bytes() == _PNG
