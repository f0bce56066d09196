"""What a citizen expects of a government site, checked in the built HTML (issue 16): the
government-website <meta> tags and a description on every page, the footer's identity fields,
one date in lists, labels that mean one thing, counts that agree, the manual out of the nav."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import check_json
from sitetools import SITE_FIXTURE, build_site

QZF = "11350199MB01000012"
IDENTITY = """网站:
  主办单位: 示例区人民政府办公室
  承办单位: 示例区大数据中心
  网站标识码: "3501990001"
  备案号: 示ICP备12345678号
  公安备案号: 示公网安备 35019902000001号
  党政机关标识: dzjg.png
  党政机关标识链接: https://bszs.conac.cn/sitename?method=show&id=1
  联系电话: 0591-12345678
  联系邮箱: gkml@example.org
  门户网站: https://www.example.org/
  门户网站名称: 示例区人民政府门户网站
  域名: www.example.org
"""


def with_identity(tmp: Path) -> Path:
    root = tmp / "catalogue"
    shutil.copytree(SITE_FIXTURE, root)
    site_yml = root / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(re.sub(r"网站:\n(  .*\n)+", IDENTITY, text), encoding="utf-8")
    (root / "dzjg.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("public")
    site, result = build_site(with_identity(tmp), tmp, "site", "https://www.example.org/gk/")
    assert result.returncode == 0, result.stderr
    return site


def metas_list(page: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(value)) for name, value in re.findall(r'<meta name="([^"]+)" content="([^"]*)"', page)]


def metas(page: str) -> dict[str, str]:
    return dict(metas_list(page))


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_page_carries_the_site_tags_and_a_description(built):
    pages = sorted(p for p in built.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        tags = metas(path.read_text(encoding="utf-8"))
        rel = path.relative_to(built).as_posix()
        assert tags.get("SiteName") == "示例区政府信息公开（测试）", rel
        assert tags.get("SiteDomain") == "www.example.org", rel
        assert tags.get("SiteIDCode") == "3501990001", rel
        assert "generator" not in tags, rel  # no software names and versions for a scan to report
        if rel not in ("404.html",):
            # HTML compares metadata names ASCII case-insensitively and allows one description
            described = [v for n, v in metas_list(path.read_text(encoding="utf-8")) if n.lower() == "description"]
            assert len(described) == 1 and described[0], rel
            assert tags.get("ColumnName") and tags.get("ColumnType"), rel


def test_item_page_carries_the_content_tags(built):
    tags = metas(read(built, f"item/{QZF}/2025-00001.html"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", tags["PubDate"])
    assert tags["PubDate"].startswith("2025-03-05")  # the 发布日期 shown on the page
    assert tags["ContentSource"] == "示例区人民政府"
    assert tags["ArticleTitle"] and tags["Description"] and "description" not in tags  # one tag serves both names
    assert tags["ColumnType"] == "信息公开目录"


def test_column_types_follow_the_page_kind(built):
    assert metas(read(built, "index.html"))["ColumnType"] == "首页"
    assert metas(read(built, "zhinan.html"))["ColumnType"] == "信息公开指南"
    assert metas(read(built, "qzf/nianbao.html"))["ColumnType"] == "信息公开年报"
    assert metas(read(built, "qzf/yishenqing.html"))["ColumnType"] == "依法申请公开"
    assert metas(read(built, "qzf/gfxwj/index.html"))["ColumnName"] == "行政规范性文件"


def test_footer_shows_the_identity_fields_on_every_page_kind(built):
    for rel in ("index.html", f"item/{QZF}/2025-00001.html", "qzf/gfxwj/index.html", "404.html"):
        footer = read(built, rel).split('<footer class="md-footer gkml-footer">', 1)[1]
        for needed in ("主办单位：示例区人民政府办公室", "承办单位：示例区大数据中心", "网站标识码：3501990001",
                       "示ICP备12345678号", "示公网安备 35019902000001号", "0591-12345678", "gkml@example.org",
                       'href="https://www.example.org/"', "示例区人民政府门户网站", 'alt="党政机关网站标识"',
                       "https://beian.miit.gov.cn/", "code=35019902000001"):
            assert needed in footer, (rel, needed)
    assert (built / "assets" / "gkml-dzjg.png").is_file()


def test_site_yml_identity_fields_are_checked(tmp_path):
    root = with_identity(tmp_path)
    site_yml = root / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace('"3501990001"', "网站12").replace(
        "示公网安备 35019902000001号", "公安局备案").replace("dzjg.png", "missing.png").replace(
        "  域名: www.example.org\n", "  域名: www.example.org\n  网址: x\n"), encoding="utf-8")
    code, report = check_json(root)
    assert code != 0
    problems = {(d["field"], d["message"]) for d in report["diagnostics"]}
    text = "\n".join(m for _, m in problems)
    assert "「网站标识码」写作「网站12」，应为10 位数字" in text
    assert "「公安备案号」写作「公安局备案」" in text
    assert "找不到党政机关标识图片「missing.png」" in text
    assert "网址" in text


def test_lists_show_the_date_they_are_ordered_by(built):
    for rel in ("index.html", "qzf/index.html", "qzf/gfxwj/index.html", "years/2025/index.html"):
        page = read(built, rel)
        assert ">发布日期</th>" in page and ">生成日期</th>" not in page, rel


def test_column_deadline_and_item_term_have_different_labels(built):
    column = read(built, "qzf/gfxwj/index.html")
    item = read(built, f"item/{QZF}/2025-00001.html")
    assert "<dt>发布时限</dt>" in column and "公开时限" not in column.split("<article", 1)[1]
    assert '<th scope="row">公开时限</th><td>长期公开' in item


def test_regulation_is_cited_with_book_title_marks(built):
    guide = read(built, "qzf/zhinan.html")
    assert "《条例》第二十九条" in guide and "（条例第" not in guide
    column = read(built, "qzf/gfxwj/index.html")
    assert "<dd>《条例》第" in column and "<dd>条例第" not in column


def test_platform_catalogue_counts_agree_with_the_unit_pages(built):
    platform = read(built, "fdzdgknr.html")
    count = re.search(r'href="qzf/fdzdgknr.html">[^<]+</a> <span class="gkml-count">(\d+)</span>', platform)[1]
    column = read(built, "qzf/fdzdgknr/index.html")
    rows = column.count("<tr><td>")
    total = re.search(r"共 (\d+) 条", column)
    assert int(count) == (int(total[1]) if total else rows)


def test_index_pages_hide_kinds_without_items(built):
    page = read(built, "genres/index.html")
    counts = re.findall(r'<span class="gkml-count" aria-label="(\d+) 条">', page)
    assert counts and "0" not in counts


def test_home_page_has_one_search_box(built):
    page = read(built, "index.html")
    assert page.count('role="search"') == 1
    assert read(built, "zhinan.html").count('role="search"') == 1  # the box on top of every other page


@pytest.fixture(scope="module")
def default_built(tmp_path_factory) -> Path:
    from sitetools import REPO, mkdocs_build
    site = tmp_path_factory.mktemp("public-default") / "site"
    result = mkdocs_build(REPO / "mkdocs.yml", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


def test_manual_is_linked_from_the_footer_not_the_navigation(default_built):
    site = default_built
    home = read(site, "index.html")
    nav, footer = home.split('<footer class="md-footer gkml-footer">', 1)
    assert "编辑手册" not in nav
    assert 'href="manual/index.html">编辑手册</a>' in footer
    assert (site / "manual" / "index.html").is_file()


def test_404_page_is_chinese_with_search_and_home_under_the_site_path(built):
    page = read(built, "404.html")
    assert "页面不存在" in page and "Not found" not in page
    assert 'action="/gk/search.html"' in page
    assert 'href="/gk/index.html">返回首页</a>' in page
    assert 'href="/gk/assets/gkml.css"' in page


def test_computed_annual_reports_are_dated_listed_fed_and_in_the_open_data(default_built):
    """The example's 汇总 reports carry 发布日期 and 索引号 in reports/qzf/<年份>-汇总.md; unit reports
    take them from the 年报 item filed under the same title (listed once, as that item)."""
    import csv
    import io
    import json
    site, rollup, number = default_built, "qzf/nianbao/2025-huizong.html", "11350199MB01000012/2026-00023"
    for rel in ("nianbao.html", "qzf/nianbao.html"):
        lists = "".join(re.findall(r'<ul class="gkml-annual">(.*?)</ul>', read(site, rel), re.S))
        rows = re.findall(r"<li><a href=\"[^\"]+\">[^<]+</a>(.*?)</li>", lists)
        assert rows and all(re.fullmatch(r"（\d{4}-\d\d-\d\d 发布）", r) for r in rows), (rel, rows)
    assert "（汇总）</a>（2026-03-20 发布）" in read(site, "nianbao.html")
    page = read(site, rollup)
    assert f"索引号：{number} · 发布日期：2026-03-20" in page
    assert metas(page)["PubDate"] == "2026-03-20 00:00" and metas(page)["ArticleTitle"].endswith("（汇总）")
    entries = read(site, "qzf/feed.xml").split("<entry>")  # the government's feed (the site's holds the newest 50)
    entry = next(e for e in entries if rollup in e)
    assert f"<id>tag:gkml,2026:{number}</id>" in entry and "<updated>2026-03-20T00:00:00+08:00</updated>" in entry
    dates = re.findall(r"<updated>([\d-]+)T", "".join(entries[1:]))
    assert dates == sorted(dates, reverse=True)  # in its place among the items, newest first
    data = json.loads(read(site, "data/items.json"))
    [row] = [r for r in data["信息"] if r["索引号"] == number]
    assert (row["网址"], row["发布日期"], row["栏目"]) == (rollup, "2026-03-20", "政府信息公开年报")
    assert data["条数"] == len(data["信息"])
    titles = [r["标题"] for r in data["信息"]]
    assert titles.count("示例区人民政府2025年政府信息公开工作年度报告") == 1  # the filed item, not twice
    rows = list(csv.DictReader(io.StringIO(read(site, "data/items.csv").lstrip("\ufeff"))))
    assert [r["网址"] for r in rows if r["索引号"] == number] == [rollup]
    # the search holds what the open data lists: the public items and the dated computed reports
    assert f'"docs":{data["条数"]},' in read(site, "search/meta.js")
    details = "".join(p.read_text(encoding="utf-8") for p in (site / "search" / "d").glob("*.js"))
    assert f'"示例区人民政府2025年政府信息公开工作年度报告（汇总）","{rollup}"' in details
