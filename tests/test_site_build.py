"""Whole-site tests on tests/fixtures/site: real MkDocs builds, every output file inspected."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from sitetools import SITE_FIXTURE, all_files, build_site, mkdocs_build, write_config

QZF = "11350199MB01000012"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    site, result = build_site(SITE_FIXTURE, tmp)
    assert result.returncode == 0, result.stderr
    return site


def text(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_output_file_is_free_of_what_must_not_be_public(built):
    markers = ["LEAK-ONREQ-BODY", "LEAK-WITHHELD", "LEAK-DRAFT", "LEAK-UNREVIEWED", "LEAK-SCRIPT", "LEAK-ONCLICK",
               "LEAK_JS_LINK", "LEAK-IFRAME", "LEAK-ONERROR"]
    files = all_files(built)
    assert len(files) > 50
    for rel, data in files.items():
        content = data.decode("utf-8", "replace") if not rel.endswith(".gz") else ""
        for marker in markers:
            assert marker not in content, f"{marker} leaked into {rel}"


def test_on_request_item_is_one_metadata_row_only(built):
    page = text(built, "qzf/yishenqing.html")
    assert "LEAK-ONREQ-SUMMARY-OK" in page and "属于四类过程性信息" in page
    assert not (built / "item" / QZF / "2025-00005.html").exists()
    others = [rel for rel, data in all_files(built).items()
              if b"LEAK-ONREQ-SUMMARY-OK" in data and rel != "qzf/yishenqing.html"]
    assert others == []


def test_only_public_items_get_pages(built):
    pages = sorted(p.relative_to(built).as_posix() for p in (built / "item").rglob("*.html"))
    assert pages == [f"item/{QZF}/2025-0000{n}.html" for n in (1, 2, 3, 4)] + [
        "item/11350199MB0300003D/2025-00001.html", "item/11350199MB0800008R/2025-00001.html"]


def test_item_page_metadata_table_and_body(built):
    # 索引号 may break after "/", never inside a part
    page = re.sub(r'<wbr>|<span class="gkml-nowrap">|</span>(?=/|</td>)', "", text(built, f"item/{QZF}/2025-00001.html"))
    for label, value in (("索引号", f"{QZF}/2025-00001"), ("文号", "示政办〔2025〕1号"), ("成文日期", "2025-03-01"),
                         ("发布日期", "2025-03-05"), ("主题分类", "综合政务/政务公开"), ("有效性", "有效"),
                         ("公开方式", "主动公开"), ("发布机构", "示例区人民政府")):
        assert re.search(rf"<th scope=\"row\">{label}</th><td[^>]*>{re.escape(value)}", page), label
    assert "<h2>总则</h2>" in page and "<table>" in page  # Markdown body rendered, with its table
    assert 'aria-label="当前位置"' in page and "政府信息公开制度" in page


def test_repealed_item_has_banner_linking_to_its_replacement(built):
    page = text(built, f"item/{QZF}/2025-00002.html")
    assert "本文件已废止" in page and "2025-06-01" in page
    assert 'href="2025-00003.html"' in page
    newer = text(built, f"item/{QZF}/2025-00003.html")
    assert "本文件替代的文件" in newer and 'href="2025-00002.html"' in newer


def test_document_and_interpretation_link_both_ways(built):
    doc = text(built, f"item/{QZF}/2025-00003.html")
    interp = text(built, f"item/{QZF}/2025-00004.html")
    assert 'href="2025-00004.html"' in doc and "政策解读" in doc
    assert 'href="2025-00003.html"' in interp and "的政策解读" in interp


def test_attachment_is_copied_and_listed_with_type_and_size(built):
    att = built / "item" / QZF / "2025-00004" / "00004" / "解读图表.csv"  # item URL + path beside the item
    source = (SITE_FIXTURE / "items/qzf/2025/00004/解读图表.csv").read_bytes()
    assert att.read_bytes() == b"\xef\xbb\xbf" + source  # UTF-8 text gets its mark (text_attachments.py)
    page = text(built, f"item/{QZF}/2025-00004.html")
    assert 'href="2025-00004/00004/解读图表.csv"' in page
    assert "救助标准对照表" in page and "CSV" in page and " B<" in page


def test_body_html_is_sanitised(built):
    page = text(built, "item/11350199MB0300003D/2025-00001.html")
    assert "预算总收入" in page
    assert "<script>alert" not in page and "onclick" not in page and "<iframe" not in page
    assert "javascript:" not in page and "onerror" not in page


def test_unit_tree_shows_counts_not_applicable_and_empty(built):
    tree = text(built, "qzf/fdzdgknr.html")
    assert "不适用" in tree and "区人民政府无规章制定权" in tree  # qzf marks 规章 不适用
    assert "暂无信息" in tree
    street = text(built, "cgjd/fdzdgknr.html")
    assert "社区事务公开" in street and "乡镇重点领域" not in street  # a subdistrict is not a township
    assert "政府预决算" not in street
    gz = text(built, "qzf/gz/index.html")
    assert "本栏目不适用" in gz


def test_column_page_lists_newest_first_with_required_fields(built):
    page = text(built, "qzf/gfxwj/index.html")
    assert '<table class="gkml-list gkml-items">' in page  # no 发布机构 column in a unit's own column
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert headers == ["索引号", "标题", "文号", "发布日期", "有效性"]
    # each row: its cells in the headers' order (the phone layout labels them by their place)
    rows = re.findall(r'<tr><td>([^<]+)</td><td><a href="([^"]+)">[^<]+</a></td>'
                      r'<td>[^<]+</td><td>([^<]+)</td><td>(?:有效|失效|废止)</td></tr>', page)
    assert [index_no for index_no, _, _ in rows] == [f"{QZF}/2025-00003", f"{QZF}/2025-00002"]
    assert [href for _, href, _ in rows] == [f"../../item/{QZF}/2025-00003.html", f"../../item/{QZF}/2025-00002.html"]
    assert page.count("<tr><td") == len(rows)
    # the list is ordered by 发布日期 and shows that date, not another one (issue 16)
    assert ">生成日期</th>" not in page
    dates = [date for _, _, date in rows]
    assert dates == sorted(dates, reverse=True)


def test_guide_carries_what_article_12_requires(built):
    page = text(built, "qczj/zhinan.html")
    for needed in ("公开工作机构", "办公地址", "办公时间", "联系电话", "传真", "互联网联系方式", "邮编",
                   "分类和编排体系", "获取方式", "7 个工作日", "15 个工作日", "20 个工作日"):
        assert needed in page, needed


def test_nav_holds_sections_only(built):
    for page in ("index.html", f"item/{QZF}/2025-00001.html"):
        links = re.findall(r'<a href="([^"]+)"[^>]*class="md-nav__link', text(built, page))
        assert links and not [u for u in links if "item/" in u], page
    home_links = re.findall(r'<a href="([^"]+)"[^>]*class="md-nav__link', text(built, "index.html"))
    assert "qczj/index.html" in home_links and "zhinan.html" in home_links


def test_cross_indexes_have_counts(built):
    topics = text(built, "topics/index.html")
    assert re.search(r'民政、扶贫、救灾</a> <span class="gkml-count" aria-label="4 条">4<', topics)
    assert '<a href="2025/index.html">2025</a> <span class="gkml-count" aria-label="6 条">6<' in text(built, "years/index.html")


def test_open_data_holds_public_items_only(built):  # feeds and sitemap: test_links_are_relative_under_a_sub_path
    data = json.loads(text(built, "data/items.json"))
    assert data["条数"] == 6 and {r["索引号"] for r in data["信息"]} >= {f"{QZF}/2025-00001"}
    rows = list(csv.DictReader(io.StringIO(text(built, "data/items.csv").lstrip("\ufeff"))))
    assert len(rows) == 6 and rows[0]["索引号"]


def test_nothing_is_loaded_from_outside_the_site(built):
    pattern = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//|@import\s+url\(\s*["']?(?:https?:)?//|url\(\s*["']?https?://""")
    for rel, data in all_files(built).items():
        if rel.endswith((".html", ".css", ".js")):
            content = data.decode("utf-8", "replace")
            for m in pattern.finditer(content):
                tag_start = content.rfind("<", 0, m.start())
                tag = content[tag_start:m.end()]
                assert tag.startswith("<a "), f"{rel} loads an external resource: {tag[:120]}"


def test_links_are_relative_under_a_sub_path(tmp_path):
    site, result = build_site(SITE_FIXTURE, tmp_path, "sub", "https://example.gov.cn/xxgk/")
    assert result.returncode == 0, result.stderr
    for rel, data in all_files(site).items():
        if rel.endswith(".html") and rel != "404.html":  # a 404 page is served at any path: absolute by design
            assert not re.search(r"""(?:href|src)="/(?!/)""", data.decode()), rel
    sitemap = (site / "sitemap.xml").read_text()
    assert "https://example.gov.cn/xxgk/item/" in sitemap
    feed = (site / "feed.xml").read_text(encoding="utf-8")  # feeds too: whole addresses
    assert 'rel="self" href="https://example.gov.cn/xxgk/feed.xml"' in feed
    assert re.findall(r'<link href="([^"]+)"', feed) and all(
        href.startswith("https://example.gov.cn/xxgk/item/") for href in re.findall(r'<link href="([^"]+)"', feed))
    assert feed.count("<entry>") == 6 and "2025-00005" not in feed  # public items only
    assert (site / "qczj" / "feed.xml").read_text(encoding="utf-8").count("<entry>") == 1
    assert 'href="feed.xml">订阅最新信息（Atom）</a>' in (site / "index.html").read_text(encoding="utf-8")
    assert f"item/{QZF}/2025-00004.html" in sitemap and "2025-00005" not in sitemap
    assert "site_url" not in result.stderr


def test_site_url_unset_warns_in_chinese_and_writes_no_sitemap_or_feeds(tmp_path):
    site, result = build_site(SITE_FIXTURE, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "mkdocs.yml 没有设置 site_url" in result.stderr
    assert "sitemap.xml" in result.stderr and "feed.xml" in result.stderr
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert not (site / "feed.xml").exists() and list(site.glob("*/feed.xml")) == []
    for rel, data in all_files(site).items():  # and no page links to what is not there
        if rel.endswith(".html"):
            assert not re.search(r'href="[^"]*(?:feed|sitemap)\.xml"', data.decode()), rel
    assert (site / "data" / "items.json").is_file()  # open data needs no address


def test_two_builds_are_byte_identical(built, tmp_path):
    again, result = build_site(SITE_FIXTURE, tmp_path, "again")
    assert result.returncode == 0
    first, second = all_files(built), all_files(again)
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_failed_build_leaves_the_previous_site_untouched(tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(SITE_FIXTURE, catalogue)
    site, result = build_site(catalogue, tmp_path)
    assert result.returncode == 0
    before = all_files(site)
    (catalogue / "items/qczj/2025/00001.md").write_text("---\n标题: [未闭合\n---\n", encoding="utf-8")
    _, result = build_site(catalogue, tmp_path)
    assert result.returncode != 0
    assert re.search(r"items/qczj/2025/00001\.md:\d+: 错误: YAML 语法错误", result.stderr)
    assert all_files(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # staging cleaned up


def test_strict_build_with_warnings_keeps_the_previous_site(tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(SITE_FIXTURE, catalogue)
    site = tmp_path / "site"
    site.mkdir()
    (site / "marker.txt").write_text("old site")
    result = mkdocs_build(write_config(catalogue, site, tmp_path), "--strict")
    assert result.returncode != 0  # the fixture has one unreviewed item: a warning
    assert "没有保密审查记录" in result.stderr
    assert (site / "marker.txt").read_text() == "old site" and len(list(site.iterdir())) == 1


def _git(cwd: Path, *args: str, date: str = "2025-01-01T10:00:00") -> None:
    import os
    import subprocess
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "编辑",
           "GIT_COMMITTER_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.gov.cn", "GIT_COMMITTER_EMAIL": "e@example.gov.cn"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_item_pages_show_git_history_and_build_without_git(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(SITE_FIXTURE, repo / "catalogue")
    cfg = write_config(repo / "catalogue", tmp_path / "plain", tmp_path).read_text().replace("history: false", "history: true")
    (tmp_path / "mkdocs.yml").write_text(cfg)
    result = mkdocs_build(tmp_path / "mkdocs.yml")  # not a git repository yet: no history, no failure
    assert result.returncode == 0, result.stderr
    assert "修订记录" not in (tmp_path / "plain" / f"item/{QZF}/2025-00001.html").read_text()
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "首次发布 张三 13912345678", date="2025-03-05T09:00:00+08:00")
    item = repo / "catalogue/items/qzf/2025/00001.md"
    item.write_text(item.read_text(encoding="utf-8").replace("制定本制度。", "制定本制度（已更正）。"), encoding="utf-8")
    _git(repo, "commit", "-qam", "更正", date="2025-04-01T09:00:00+08:00")
    result = mkdocs_build(tmp_path / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "plain" / f"item/{QZF}/2025-00001.html").read_text()
    assert "修订记录" in page and "2025-03-05 录入" in page and "2025-04-01 修订" in page
    assert "13912345678" not in page and "张三" not in page  # commit messages are never shown
    other = (tmp_path / "plain" / f"item/{QZF}/2025-00003.html").read_text()
    assert "2025-03-05 录入" in other and "2025-04-01" not in other


def test_offline_page_limit_is_a_setting(tmp_path):
    config = write_config(SITE_FIXTURE, tmp_path / "site", tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      history: false\n", "      history: false\n      offline_pages: 7\n"), encoding="utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    assert "var MAX_VISITS = 7;" in (tmp_path / "site" / "sw.js").read_text(encoding="utf-8")
    config.write_text(text.replace("      history: false\n", "      history: false\n      offline_pages: 0\n"), encoding="utf-8")
    result = mkdocs_build(config)
    assert result.returncode != 0 and "'offline_pages': 应不小于 1" in result.stderr and "Traceback" not in result.stderr
