"""`gkml import` on real data: a CSV derived from the 平潭 platform's index export
(/work/shared/realdata/pingtan/index-sample.tsv, 1,093 rows, with the bodies of the 15 saved
pages), through scripts/import-maps/pingtan.yml and the real validator."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from conftest import REPO, run_cli

PINGTAN = REPO.parent / "shared" / "realdata" / "pingtan"
if not PINGTAN.is_dir():
    PINGTAN = Path("/work/shared/realdata/pingtan")
MAPPING = REPO / "scripts" / "import-maps" / "pingtan.yml"
TODAY = "2026-11-24"
QZF = "11350199MB01000012"
GOVERNMENT_ONLY = {"zwgk/zdlyxxgk/ssjygk/sjccjg", "zwgk/zdlyxxgk/ssjygk/sjccjhsxqd", "zwgk/zdlyxxgk/tjcx"}


def source_rows() -> list[dict]:
    with (PINGTAN / "index-sample.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def page_body(page_id: str) -> str:
    path = PINGTAN / "pages" / f"{page_id}.txt"
    if not path.is_file():
        return ""
    return path.read_text(encoding="utf-8").split("==== 正文 ====", 1)[1].lstrip("=").strip()


def page_id(url: str) -> str:
    return re.search(r"_(\d+)\.htm", url)[1]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """The index as an editor would save it from a spreadsheet program: CSV, UTF-8, plus a body column."""
    path = tmp_path_factory.mktemp("pingtan") / "pingtan-index.csv"
    rows = source_rows()
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([*rows[0].keys(), "body"])
        for row in rows:
            writer.writerow([*row.values(), page_body(page_id(row["url"]))])
    return path


@pytest.fixture(scope="module")
def imported(export, tmp_path_factory):
    import shutil

    from conftest import MINI
    root = tmp_path_factory.mktemp("pingtan-catalogue") / "catalogue"
    shutil.copytree(MINI, root)
    result = run_cli("import", export, "--unit", "qzf", "--mapping", MAPPING, "--catalogue", root, "--today", TODAY,
                     "--format", "json")
    return root, result, json.loads(result.stdout)


def csv_row_of(n: int, rows: list[dict]) -> dict:
    return rows[n - 2]  # line 1 is the header; no value spans lines in this export


def test_every_row_is_imported_or_refused_with_a_reason(imported):
    root, result, report = imported
    rows = source_rows()
    assert report["rows"] == len(rows) == 1093
    assert report["added"] + report["rejected"] == 1093
    assert result.exit_code == 1  # some rows cannot go into a 县级政府's catalogue
    refused = {r["row"]: r["errors"] for r in report["rejected_rows"]}
    no_publisher = set()
    for n, errors in refused.items():
        assert errors and all(e["message"] for e in errors)
        if {e["code"] for e in errors} == {"import-publisher"}:  # checked before the row is validated
            no_publisher.add(n)
            assert errors[0]["field"] == "发布机构" and "不要用本单位的名称代替其他机关" in errors[0]["message"]
            assert not rows[n - 2]["source"].strip() or rows[n - 2]["source"] in errors[0]["message"]
        elif csv_row_of(n, rows)["channel"] in GOVERNMENT_ONLY:
            assert {e["code"] for e in errors} == {"column-kind"}
            assert "不适用于县级政府" in errors[0]["message"] and errors[0]["source"] == "列「channel」"
    channels = [csv_row_of(n, rows)["channel"] for n in set(refused) - no_publisher]
    assert sum(c in GOVERNMENT_ONLY for c in channels) + sum(
        csv_row_of(n, rows)["channel"] in GOVERNMENT_ONLY for n in no_publisher) == 59
    # an empty publisher, or the website's name, is never filled with the importing unit's name
    empty_or_junk = {n for n, r in enumerate(rows, 2) if r["source"].strip() in ("", "中国平潭", "福建平潭", "退役军人事务处", "局灾防处")}
    assert no_publisher <= empty_or_junk and len(no_publisher) < len(empty_or_junk)
    assert {e["code"] for n, es in refused.items() if n not in no_publisher
            and csv_row_of(n, rows)["channel"] not in GOVERNMENT_ONLY for e in es} <= {"personal-data"}


def test_imported_files_pass_gkml_check(imported):
    root, _, report = imported
    files = list((root / "items" / "qzf").rglob("*.md"))
    assert len(files) == 4 + report["added"]
    check = run_cli("check", "--strict", "--format", "json", "--today", TODAY, root)
    data = json.loads(check.stdout)
    # the 迁移 record stands in for 保密审查 of what the old platform had published: no review
    # warnings, no invented review dates, --strict passes on the migrated history
    assert check.exit_code == 0 and data["diagnostics"] == [], data["diagnostics"][:5]


def test_real_values_are_cleaned(imported):
    root, _, report = imported
    by_row = {i["row"]: root / i["path"] for i in report["items"]}
    rows = source_rows()

    def file_of(pid: str) -> str:
        n = next(i for i, r in enumerate(rows, 2) if page_id(r["url"]) == pid)
        return by_row[n].read_text(encoding="utf-8")

    text = file_of("68139")  # 岚综管综【2019】117号, pubdate 2019-07-30, page published 2019-07-31
    assert '文号: "岚综管综〔2019〕117号"' in text
    assert "生成日期: 2019-07-30\n" in text and "成文日期: 2019-07-30\n" in text and "发布日期: 2019-07-31\n" in text
    assert '栏目: "xmpz"' in text and '体裁: "批复"' in text
    assert "索 引 号： PZ00101-0900-2019-00030" in text  # the saved page text is the body
    assert '原索引号: "PZ00101-0900-2019-00030"\n' in text  # taken from the saved page
    assert ('迁移:\n  平台: "中国平潭"\n  原网址: "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/zdjsxmdpzh/201907/'
            't20190731_68139.htm"\n  核对人: "平潭综合实验区管委会办公室 林某"\n  日期: 2026-11-20\n') in text
    assert "保密审查" not in text and "原文链接：" not in text  # the address lives in the 迁移 record

    text = file_of("82591")  # fileno 「无」
    assert "\n文号:" not in text and '发布机构: "平潭综合实验区苏平片区管理局"' in text
    refused = {r["row"]: r["errors"] for r in report["rejected_rows"]}
    n = next(i for i, r in enumerate(rows, 2) if page_id(r["url"]) == "86860")  # 「公示」, no source: not the county
    assert n in refused and refused[n][0]["code"] == "import-publisher"
    n = next(i for i, r in enumerate(rows, 2) if page_id(r["url"]) == "82800")  # no source: the title names it
    assert '发布机构: "平潭综合实验区苏平片区管理局"' in by_row[n].read_text(encoding="utf-8")
    text = file_of("9307")  # no pubdate: dates from the page address t20180316
    assert "生成日期: 2018-03-16\n" in text and "发布日期: 2018-03-16\n" in text and "成文日期" not in text
    n = next(i for i, r in enumerate(rows, 2) if r["title"].startswith("  平潭综合实验区财政金融局转发"))
    assert '标题: "平潭综合实验区财政金融局转发关于互联网平台企业' in by_row[n].read_text(encoding="utf-8")
    n = next(i for i, r in enumerate(rows, 2) if "服务中心关于 房屋结构" in r["title"])
    assert "服务中心关于房屋结构安全鉴定" in by_row[n].read_text(encoding="utf-8")
    years = {p.parent.name for p in by_row.values()}
    assert years == {str(y) for y in range(2014, 2027)}
    assert all(p.stem.isdigit() for p in by_row.values())


def test_rerun_changes_nothing(imported, export):
    root, _, first = imported
    before = {p: p.read_bytes() for p in (root / "items").rglob("*") if p.is_file()}
    result = run_cli("import", export, "--unit", "qzf", "--mapping", MAPPING, "--catalogue", root, "--today", TODAY,
                     "--format", "json")
    again = json.loads(result.stdout)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, first["added"])
    assert {r["row"] for r in again["rejected_rows"]} == {r["row"] for r in first["rejected_rows"]}
    assert {p: p.read_bytes() for p in (root / "items").rglob("*") if p.is_file()} == before
    index_nos = [i["index_no"] for i in again["items"]]
    assert len(set(index_nos)) == len(index_nos) and all(i.startswith(f"{QZF}/") for i in index_nos)


OLD_SITE = "https://www.pingtan.gov.cn/"


@pytest.fixture(scope="module")
def migrated_site(imported, tmp_path_factory):
    """The imported catalogue built into a site that replaces the old platform on its domain."""
    import shutil

    from sitetools import build_site
    root, _, report = imported
    tmp = tmp_path_factory.mktemp("pingtan-site")
    copy = tmp / "catalogue"
    shutil.copytree(root, copy)
    site_yml = copy / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + f"原平台网址: {OLD_SITE}\n", encoding="utf-8")
    site, result = build_site(copy, tmp, "site", OLD_SITE)
    assert result.returncode == 0, result.stderr
    return site, report


def test_the_built_site_answers_at_the_old_paths(migrated_site, chromium):
    from sitetools import serve
    site, report = migrated_site
    rows = source_rows()
    old = {r["url"][len(OLD_SITE):] for n, r in enumerate(rows, 2) if n in {i["row"] for i in report["items"]}}
    pages = {p.relative_to(site).as_posix() for p in (site / "zwgk").rglob("*.htm")}
    assert pages == old and len(old) == report["added"]  # every imported row, at its old path
    path = "zwgk/zfxxgk/gwhwj/zdjsxmdpzh/201907/t20190731_68139.htm"
    new = next(i["index_no"] for i in report["items"] if rows[i["row"] - 2]["url"].endswith(path))
    html = (site / path).read_text(encoding="utf-8")
    relative = f"../../../../../item/{new}.html"
    assert f'<meta http-equiv="refresh" content="0; url={relative}">' in html
    assert f'<link rel="canonical" href="{OLD_SITE}item/{new}.html">' in html and f'<a href="{relative}">' in html
    nginx = (site / "redirects" / "nginx-map.conf").read_text(encoding="utf-8")
    apache = (site / "redirects" / "apache-redirects.conf").read_text(encoding="utf-8")
    assert f'"/{path}" "/item/{new}.html";\n' in nginx and f'Redirect 301 "/{path}" "/item/{new}.html"\n' in apache
    assert nginx.count(";\n") == apache.count("Redirect 301") == len(old)
    with serve(site) as url:
        page = chromium.new_page()
        page.goto(f"{url}/{path}")
        page.wait_for_url(f"{url}/item/{new}.html")
        assert page.inner_text("h1") == "关于调整金井湾学校项目拟选址地块规划事宜的批复"
        meta = page.inner_text("table.gkml-meta")
        assert "原索引号\tPZ00101-0900-2019-00030" in meta and f"索引号\t{new}" in meta
        assert "本信息迁移自「中国平潭」" in page.inner_text(".gkml-migration")
        page.close()


def test_a_citizen_finds_the_item_by_its_old_number(migrated_site, chromium):
    from urllib.parse import quote

    from sitetools import SEARCH_DONE, serve
    site, _ = migrated_site
    with serve(site) as url:
        page = chromium.new_page()
        page.goto(f"{url}/search.html?q=" + quote("PZ00101-0900-2019-00030"))
        page.wait_for_selector(SEARCH_DONE, timeout=15000)
        titles = page.eval_on_selector_all(".gkml-result-title", "els => els.map(e => e.textContent)")
        assert titles[0] == "关于调整金井湾学校项目拟选址地块规划事宜的批复"
        page.close()
    data = json.loads((site / "data" / "items.json").read_text(encoding="utf-8"))
    (row,) = [r for r in data["信息"] if r["原索引号"] == "PZ00101-0900-2019-00030"]
    assert row["标题"] == "关于调整金井湾学校项目拟选址地块规划事宜的批复"
