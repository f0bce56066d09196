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
    for n, errors in refused.items():
        assert errors and all(e["message"] for e in errors)
        if csv_row_of(n, rows)["channel"] in GOVERNMENT_ONLY:
            assert {e["code"] for e in errors} == {"column-kind"}
            assert "不适用于县级政府" in errors[0]["message"] and errors[0]["source"] == "列「channel」"
    channels = [csv_row_of(n, rows)["channel"] for n in refused]
    assert sum(c in GOVERNMENT_ONLY for c in channels) == sum(r["channel"] in GOVERNMENT_ONLY for r in rows) == 59
    assert len(refused) - 59 <= 3, refused  # the rest: the privacy gate on real titles, nothing else
    assert {e["code"] for n, es in refused.items() if csv_row_of(n, rows)["channel"] not in GOVERNMENT_ONLY
            for e in es} <= {"personal-data"}


def test_imported_files_pass_gkml_check(imported):
    root, _, report = imported
    files = list((root / "items" / "qzf").rglob("*.md"))
    assert len(files) == 4 + report["added"]
    check = run_cli("check", "--format", "json", "--today", TODAY, root)
    data = json.loads(check.stdout)
    assert check.exit_code == 0 and data["errors"] == 0, [d for d in data["diagnostics"] if d["level"] == "error"][:5]
    codes = {d["code"] for d in data["diagnostics"]}
    assert codes == {"review-missing"}  # the mapping leaves 保密审查 to the unit: imported, not published


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
    assert "原文链接：<https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/zdjsxmdpzh/201907/t20190731_68139.htm>" in text

    text = file_of("86860")  # fileno 「无」, no source
    assert "\n文号:" not in text and '发布机构: "示例区人民政府"' in text
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
