"""Migrating an office's history: the 迁移 record and 原索引号 on items (gkml check), the
publisher registry, faithful cleaning and the import report, date rules that explain
themselves, and 修订记录 from real git history. The real-data run (import, check --strict,
a built site answering at the old paths) is in test_import_pingtan.py."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import posixpath
import subprocess
from pathlib import Path

import pytest

from conftest import MINI, check_json, run_cli, write_item

from gkml.catalogue.history import item_history, revisions
from gkml.catalogue.validate import load_catalogue
from gkml.importer.rows import clean_docno
from gkml.importer.sheet import clean_line

QZF = "11350199MB01000012"
TODAY = "2026-11-24"
MIGRATION = {"平台": "示例区旧门户", "原网址": "https://old.example.gov.cn/zwgk/t20240305_1.htm", "核对人": "核对员",
             "日期": dt.date(2026, 11, 20)}


def migrated(serial: int, published: str, **extra) -> dict:
    fields = {"索引号": f"{QZF}/2024-{serial:05d}", "原索引号": f"SQ001-0100-2024-{serial:05d}",
              "标题": f"示例区人民政府关于第{serial}项工作的通知", "内容概述": "通知。", "生成日期": dt.date(2024, 3, 5),
              "发布日期": dt.date.fromisoformat(published), "发布机构": "示例区人民政府", "栏目": "qtwj",
              "主题分类": "综合政务/其他", "体裁": "通知", "有效性": "有效", "公开方式": "主动公开", "迁移": dict(MIGRATION)}
    return fields | extra


def diagnostics_of(report: dict, name: str) -> list[dict]:
    return [d for d in report["diagnostics"] if d["path"].endswith(name)]


# -- the 迁移 record and 原索引号 in gkml check ------------------------------------------------------
def test_migrated_history_is_judged_by_the_migration_record(catalogue):
    write_item(catalogue, "qzf/2024/90001.md", migrated(90001, "2024-03-06"))  # published before the migration
    _, report = check_json(catalogue, "--today", TODAY)
    assert diagnostics_of(report, "90001.md") == []  # no review-missing, no invented review date needed
    cat, _ = load_catalogue(catalogue, today=dt.date.fromisoformat(TODAY))
    item = cat.by_index_no[f"{QZF}/2024-90001"]
    assert item.is_public and item.migrated_history and item.review_date is None
    assert item.original_index_no == "SQ001-0100-2024-90001" and item.migration.platform == "示例区旧门户"
    code, strict = check_json(catalogue, "--strict", "--today", TODAY)
    assert code == 0, strict["diagnostics"][:3]


def test_what_is_published_after_the_migration_needs_its_own_review(catalogue):
    write_item(catalogue, "qzf/2026/90002.md", migrated(90002, "2026-11-23", 生成日期=dt.date(2026, 11, 23),
                                                        索引号=f"{QZF}/2026-90002"))
    _, report = check_json(catalogue, "--today", TODAY)
    assert [d["code"] for d in diagnostics_of(report, "90002.md")] == ["review-missing"]
    cat, _ = load_catalogue(catalogue, today=dt.date.fromisoformat(TODAY))
    assert not cat.by_index_no[f"{QZF}/2026-90002"].is_public


def test_an_incomplete_record_says_what_is_missing(catalogue):
    record = {k: v for k, v in MIGRATION.items() if k != "核对人"}
    write_item(catalogue, "qzf/2024/90003.md", migrated(90003, "2024-03-06", 迁移=record))
    _, report = check_json(catalogue, "--today", TODAY)
    found = diagnostics_of(report, "90003.md")
    (error,) = [d for d in found if d["level"] == "error"]
    assert (error["code"], error["field"]) == ("required", "迁移.核对人") and "迁移记录应写明原平台、核对人和核对日期" in error["message"]
    assert "review-missing" in {d["code"] for d in found}  # an incomplete record vouches for nothing


def test_original_numbers_are_unique_and_any_format(catalogue):
    write_item(catalogue, "qzf/2024/90004.md", migrated(90004, "2024-03-06", 原索引号="PZ00101-3000-2020-00001"))
    write_item(catalogue, "qzf/2024/90005.md", migrated(90005, "2024-03-06", 原索引号="PZ00101-3000-2020-00001"))
    _, report = check_json(catalogue, "--today", TODAY)
    assert diagnostics_of(report, "90004.md") == []  # a format gkml's own 索引号 would refuse
    (dup,) = diagnostics_of(report, "90005.md")
    assert dup["code"] == "duplicate-original-index-no" and "90004.md" in dup["message"]


def test_a_migrated_doc_number_is_kept_as_issued(catalogue):
    write_item(catalogue, "qzf/2024/90006.md", migrated(90006, "2024-03-06", 文号="岚综管综〔2019〕178"))
    write_item(catalogue, "qzf/2024/90007.md", migrated(90007, "2024-03-06", 文号="岚综管综〔2019〕178", 迁移=None,
                                                        成文日期=dt.date(2019, 3, 1)))
    _, report = check_json(catalogue, "--today", TODAY)
    assert diagnostics_of(report, "90006.md") == []  # no docno error, no 成文日期 asked of the old platform
    assert [d for d in diagnostics_of(report, "90007.md") if d["code"] == "docno"]  # current work: the rule holds


# -- cleaning -----------------------------------------------------------------------------------
def test_cleaning_keeps_joint_issuers_apart_and_decodes_entities():
    notes = []
    assert clean_line("中共中央办公厅 国务院办公厅印发《意见》", lambda *n: notes.append(n)) == "中共中央办公厅 国务院办公厅印发《意见》"
    assert notes == []
    assert clean_line("纪念“8&#8226;22”事件  座谈会", lambda *n: notes.append(n)) == "纪念“8•22”事件座谈会"
    assert [n[0] for n in notes] == ["HTML 字符实体解码", "去掉首尾空格、合并连续空格", "去掉汉字之间多余的空格"]
    assert clean_line("示例区财政局 关于印发办法的通知") == "示例区财政局关于印发办法的通知"  # before 关于: a stray space


def test_doc_number_brackets_are_normalised_and_nothing_added():
    notes = []
    assert clean_docno("岚综管综【2019】178", lambda *n: notes.append(n)) == "岚综管综〔2019〕178"
    assert notes == [("文号的年份括号改为〔〕", "岚综管综【2019】178", "岚综管综〔2019〕178")]


# -- the import: registry, report, date rules -------------------------------------------------------
MAPPING = """\
列:
  标题: 标题
  日期: [成文日期, 生成日期]
  来源: 发布机构
  原索引号: 原索引号
  正文: 正文
  文号: 文号
  网址:
    - 原文链接
    - {字段: 生成日期, 提取: '/t(\\d{8})_', 备用: true}
    - {字段: 发布日期, 提取: '/t(\\d{8})_'}
默认值: {公开方式: 主动公开, 有效性: 有效, 内容概述: "{标题}", 栏目: qtwj}
迁移: {平台: 示例区旧门户, 核对人: 核对员, 日期: 2026-11-20, 网站名称: [示例在线]}
发布机构对照: {区政府: 示例区人民政府}
匹配: [原文链接]
"""
BODY = "依据 https://old.example.gov.cn/zwgk/t20240306_1.htm 执行，见[原通知](https://old.example.gov.cn/zwgk/t20240306_1.htm)。"
ROWS = [  # 标题, 日期, 来源, 原索引号, 网址
    ("示例区人民政府关于春耕的通知", "2024-03-05", "区政府", "SQ001-0100-2024-00001", "https://old.example.gov.cn/zwgk/t20240306_1.htm"),
    ("国务院办公厅关于印发方案的通知", "2024-03-07", "", "", "https://old.example.gov.cn/zwgk/t20240308_2.htm"),
    ("公示", "2024-03-09", "", "", "https://old.example.gov.cn/zwgk/t20240310_3.htm"),
    ("关于停电的通知", "2024-03-11", "示例在线", "", "https://old.example.gov.cn/zwgk/t20240312_4.htm"),
    ("关于招聘的公告", "2024-03-13", "https://old.example.gov.cn", "", "https://old.example.gov.cn/zwgk/t20240314_5.htm"),
    ("关于采购的公告", "2024-03-15", "财务处", "", "https://old.example.gov.cn/zwgk/t20240316_6.htm"),
    ("关于值班的通知", "2024-03-17", "桌面", "", "https://old.example.gov.cn/zwgk/t20240318_7.htm"),
    ("示例区水利局关于防汛的通知", "2024-03-19", "示例区水利局", "", "https://old.example.gov.cn/zwgk/t20240320_8.htm"),
    ("纪念“8&#8226;22”的通知", "2024-03-21", "示例区人民政府", "", "https://old.example.gov.cn/zwgk/t20240322_9.htm"),
    ("附件：名单", "", "示例区人民政府", "", "https://old.example.gov.cn/zwgk/P020240101.pdf"),
]


@pytest.fixture
def imported(catalogue, tmp_path):
    return _import(catalogue, tmp_path)


def _import(catalogue, tmp_path):
    site = catalogue / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "发文机关:\n  - 名称: 国务院办公厅\n    别名: [国办]\n",
                    encoding="utf-8")
    sheet = tmp_path / "旧平台.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["标题", "日期", "来源", "原索引号", "网址", "正文", "文号"])
        writer.writerows([(*row, BODY if row[0].startswith("示例区水利局") else "", "示综【2024】7" if row[0].startswith("纪念") else "")
                          for row in ROWS])
    mapping = tmp_path / "映射.yml"
    mapping.write_text(MAPPING, encoding="utf-8")
    result = run_cli("import", sheet, "--unit", "qzf", "--mapping", mapping, "--catalogue", catalogue,
                     "--today", TODAY, "--format", "json")
    return catalogue, json.loads(result.stdout), (sheet, mapping)


def rejected(report: dict) -> dict[int, list[dict]]:
    return {r["row"]: r["errors"] for r in report["rejected_rows"]}


def test_every_item_carries_the_migration_record(imported):
    root, report, _ = imported
    by_row = {i["row"]: (root / i["path"]).read_text(encoding="utf-8") for i in report["items"]}
    text = by_row[2]
    assert '原索引号: "SQ001-0100-2024-00001"\n' in text and '发布机构: "示例区人民政府"' in text  # 区政府 mapped
    assert ('迁移:\n  平台: "示例区旧门户"\n  原网址: "https://old.example.gov.cn/zwgk/t20240306_1.htm"\n'
            '  核对人: "核对员"\n  日期: 2026-11-20\n') in text
    assert "保密审查" not in text
    code, check = check_json(root, "--strict", "--today", TODAY)
    assert code == 0, check["diagnostics"][:3]


def test_publishers_are_never_guessed_as_the_importing_unit(imported):
    root, report, _ = imported
    by_row = {i["row"]: (root / i["path"]).read_text(encoding="utf-8") for i in report["items"]}
    assert '发布机构: "国务院办公厅"' in by_row[3]  # empty, but the title names its issuer
    assert [i["warnings"] for i in report["items"] if i["row"] == 3] == [[]]  # registered in site.yml: known
    refused = rejected(report)
    assert "发布机构为空，标题中也看不出发文机关" in refused[4][0]["message"]  # 「公示」: not filled with the county
    assert "「示例在线」是网站的名称" in refused[5][0]["message"]
    assert "是网址" in refused[6][0]["message"]
    assert "「财务处」只是内设机构的名称" in refused[7][0]["message"]
    assert "「桌面」不是机关的名称" in refused[8][0]["message"]
    assert all(e["field"] == "发布机构" for r in (4, 5, 6, 7, 8) for e in refused[r])
    unknown = [w for i in report["items"] if i["row"] == 9 for w in i["warnings"]]
    assert ["import-publisher"] == [w["code"] for w in unknown]
    assert "「示例区水利局」不在发文机关名录中" in unknown[0]["message"]
    assert report["unknown_publishers"] == [{"name": "示例区水利局", "count": 1, "rows": "9"}]  # ready for site.yml


def test_the_report_counts_every_change_and_groups_findings(imported):
    root, report, _ = imported
    row10 = next(i for i in report["items"] if i["row"] == 10)
    assert '文号: "示综〔2024〕7"\n' in (root / row10["path"]).read_text(encoding="utf-8")  # no 号 added
    assert [w["code"] for w in row10["warnings"]] == ["import-docno-kept"]
    assert "文号「示综〔2024〕7」不合现行格式，按原平台的写法保留" in row10["warnings"][0]["message"]
    changes = {(c["field"], c["kind"]): c for c in report["changes"]}
    entity = changes[("标题", "HTML 字符实体解码")]
    assert entity["count"] == 1 and entity["rows"] == "10"
    assert entity["examples"] == [{"row": 10, "before": "纪念“8&#8226;22”的通知", "after": "纪念“8•22”的通知"}]
    alias = changes[("发布机构", "按映射文件的「发布机构对照」改写")]
    assert alias["examples"][0]["before"] == "区政府" and alias["examples"][0]["after"] == "示例区人民政府"
    assert changes[("发布机构", "发布机构为空，按标题中的发文机关填写")]["rows"] == "3"
    genre = changes[("体裁", "表格中没有，按标题末尾的公文种类填写")]  # values the import supplied are counted too
    assert genre["examples"][0] == {"row": 2, "before": "示例区人民政府关于春耕的通知", "after": "通知"}
    assert changes[("内容概述", "表格中为空，按映射文件的「默认值」填写")]["count"] == len(report["items"])
    kinds = {(f["level"], f["kind"]): f for f in report["findings"]}
    publisher = kinds[("error", "发布机构")]
    assert publisher["count"] == 5 and publisher["rows"] == "4—8" and len(publisher["messages"]) == 5


def test_a_date_rule_that_finds_nothing_says_which_rule_on_which_value(imported):
    _, report, _ = imported
    error = next(e for e in rejected(report)[11] if e["field"] == "生成日期")
    assert "缺少必填字段「生成日期」" in error["message"]
    assert "列「网址」的值「https://old.example.gov.cn/zwgk/P020240101.pdf」不符合「提取」规则 /t(\\d{8})_" in error["message"]


def test_the_text_report_shows_each_kind_once_with_its_rows(imported):
    root, _, (sheet, mapping) = imported
    result = run_cli("import", sheet, "--unit", "qzf", "--mapping", mapping, "--catalogue", root, "--today", TODAY,
                     "--dry-run")
    out = result.stdout
    assert "【未导入·发布机构】5 行：第 4—8 行" in out
    assert "发文机关:\n  - 示例区水利局    # 1 行：第 9 行\n" in out  # to check, then paste into site.yml
    assert "导入时对数据的改动和补填（只计导入的行）：" in out
    assert "标题·HTML 字符实体解码：1 行（第 10 行）；例：第 10 行「纪念“8&#8226;22”的通知」→「纪念“8•22”的通知」" in out


def test_site_registry_is_checked(catalogue):
    site = catalogue / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "发文机关:\n  - 国务院办公厅\n  - {名称: 省政府办公厅, 别名: 国务院办公厅}\n"
                    "  - [坏]\n原平台网址: old.example.gov.cn\n", encoding="utf-8")
    _, report = check_json(catalogue, "--today", TODAY)
    codes = {d["code"] for d in report["diagnostics"] if d["path"].endswith("site.yml")}
    assert codes == {"issuer", "issuer-alias", "old-site"}


# -- 修订记录 --------------------------------------------------------------------------------------
def git(root: Path, *args: str, day: str) -> None:
    env = {"GIT_AUTHOR_DATE": f"{day}T10:00:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_history_shows_the_original_publication_and_the_migration(catalogue):
    path = write_item(catalogue, "qzf/2024/90001.md", migrated(90001, "2024-03-06"))
    git(catalogue, "init", "-q", day="2026-11-21")
    git(catalogue, "add", "-A", day="2026-11-21")
    git(catalogue, "commit", "-qm", "从旧平台导入", day="2026-11-21")
    path.write_text(path.read_text(encoding="utf-8").replace("通知。", "关于春耕的通知。"), encoding="utf-8")
    git(catalogue, "commit", "-qam", "补写内容概述", day="2026-11-23")
    cat, _ = load_catalogue(catalogue, today=dt.date.fromisoformat(TODAY))
    item = cat.by_index_no[f"{QZF}/2024-90001"]
    days = item_history(catalogue)[item.rel]
    assert days == [dt.date(2026, 11, 21), dt.date(2026, 11, 23)]
    assert revisions(item, days) == [{"date": "2024-03-06", "summary": "在「示例区旧门户」发布"},
                                     {"date": "2026-11-20", "summary": "迁移"},
                                     {"date": "2026-11-23", "summary": "修订"}]
    other = next(i for i in cat.items if i.migration is None)
    assert [r["summary"] for r in revisions(other, days)] == ["录入", "修订"]


# -- 原索引号 in search and open data ---------------------------------------------------------------
def test_the_old_number_alone_finds_the_item(catalogue, tmp_path):
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "search"))
    import searchtools as st

    from gkml.search import write_search_index
    from gkml.site.export import export_rows
    write_item(catalogue, "qzf/2024/90001.md", migrated(90001, "2024-03-06", 原索引号="PZ00101-3000-2020-00001"),
               body="正文里没有原来的编号。\n")
    cat, _ = load_catalogue(catalogue, today=dt.date.fromisoformat(TODAY))
    write_search_index(cat, tmp_path)
    index = st.IndexReader(tmp_path / "search")
    doc = next(n for n, i in enumerate(cat.public_items) if i.index_no == f"{QZF}/2024-90001")
    assert index.match("PZ00101-3000-2020-00001") == {doc}
    rows = export_rows(cat)
    assert [r["原索引号"] for r in rows if r["索引号"] == f"{QZF}/2024-90001"] == ["PZ00101-3000-2020-00001"]
    assert all(r["原索引号"] == "" for r in rows if r["索引号"] != f"{QZF}/2024-90001")


def test_links_to_old_addresses_in_bodies_point_at_the_new_pages(imported):
    root, report, _ = imported
    by_row = {i["row"]: i for i in report["items"]}
    new = by_row[2]["index_no"]
    text = (root / by_row[9]["path"]).read_text(encoding="utf-8")
    target = posixpath.relpath(f"item/{new}.html", posixpath.dirname(f"item/{by_row[9]['index_no']}.html"))
    assert f"依据 [示例区人民政府关于春耕的通知]({target}) 执行，见[原通知]({target})。" in text
    assert "old.example.gov.cn/zwgk/t20240306_1.htm)" not in text
    changes = {(c["field"], c["kind"]): c for c in report["changes"]}
    assert changes[("正文", "指向旧平台网址的链接改为新页面")]["rows"] == "9"


# -- redirects ------------------------------------------------------------------------------------
def test_redirect_pages_follow_the_catalogue(catalogue, tmp_path):
    from gkml.site.redirects import old_path, write_redirects
    assert old_path("https://old.example.gov.cn/zwgk/a/t1_1.htm", ("https://old.example.gov.cn/",)) == "zwgk/a/t1_1.htm"
    assert old_path("https://old.example.gov.cn/zwgk/", ("https://old.example.gov.cn/",)) == "zwgk/index.html"
    assert old_path("https://other.example.gov.cn/zwgk/a.htm", ("https://old.example.gov.cn/",)) is None
    assert old_path("https://old.example.gov.cn/../etc/passwd", ("https://old.example.gov.cn/",)) is None
    assert old_path("https://old.example.gov.cn/show.asp?id=12", ("https://old.example.gov.cn/",)) is None
    site = catalogue / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "原平台网址: https://old.example.gov.cn/\n", encoding="utf-8")
    item = write_item(catalogue, "qzf/2024/90001.md", migrated(90001, "2024-03-06"))
    out = tmp_path / "site"
    (out / "zwgk").mkdir(parents=True)
    (out / "zwgk" / "t20240305_1.htm").write_text("<p>the site's own page</p>", encoding="utf-8")
    cat, _ = load_catalogue(catalogue, today=dt.date.fromisoformat(TODAY))
    assert write_redirects(cat, "", out) == 0  # never replaces a page the build wrote itself
    (out / "zwgk" / "t20240305_1.htm").unlink()
    assert write_redirects(cat, "", out) == 1
    page = (out / "zwgk" / "t20240305_1.htm").read_text(encoding="utf-8")
    assert f'content="0; url=../item/{QZF}/2024-90001.html"' in page and "示例区人民政府关于第90001项工作的通知" in page
    item.write_text(item.read_text(encoding="utf-8").replace("公开方式: 主动公开", "公开方式: 依申请公开\n不公开理由: 过程性信息"),
                    encoding="utf-8")
    cat, _ = load_catalogue(catalogue, today=dt.date.fromisoformat(TODAY))
    assert write_redirects(cat, "", out) == 0
    assert not (out / "zwgk" / "t20240305_1.htm").exists()  # no longer public: its redirect is gone
    assert not (out / "redirects" / "nginx-map.conf").exists()


def test_a_migrated_interpretation_is_not_asked_for_a_link_the_old_platform_never_kept(catalogue):
    write_item(catalogue, "qzf/2024/90008.md", migrated(90008, "2024-03-06", 栏目="zcjd", 标题="《春耕办法》政策解读", 体裁="其他"))
    write_item(catalogue, "qzf/2024/90009.md", migrated(90009, "2024-03-06", 栏目="zcjd", 标题="《秋收办法》政策解读", 体裁="其他",
                                                        迁移=None, 保密审查={"审查人": "审查员", "日期": dt.date(2024, 3, 6)}))
    _, report = check_json(catalogue, "--today", TODAY)
    assert diagnostics_of(report, "90008.md") == []
    assert [d["code"] for d in diagnostics_of(report, "90009.md")] == ["interpretation-target-missing"]


# -- the audit ------------------------------------------------------------------------------------
@pytest.mark.parametrize("with_record", [True, False])
def test_the_old_platforms_rush_is_not_this_offices(catalogue, with_record):
    from gkml.audit import run_audit
    for n in range(6):
        extra = {} if with_record else {"迁移": None, "保密审查": {"审查人": "审查员", "日期": dt.date(2024, 3, 26)}}
        write_item(catalogue, f"qzf/2024/9000{n}.md", migrated(90000 + n, f"2024-03-{26 + n}", **extra))
    result = run_audit(catalogue, as_of=dt.date(2024, 12, 31))
    rushed = [f for f in result.findings if f.kind == "rushed" and f.period == "2024年第1季度"]
    assert (rushed == []) == with_record


def test_a_built_item_page_tells_the_history_and_not_the_checker(tmp_path):
    import shutil

    from sitetools import SITE_FIXTURE, mkdocs_build, write_config
    repo = tmp_path / "repo"
    shutil.copytree(SITE_FIXTURE, repo / "catalogue")
    path = write_item(repo / "catalogue", "qzf/2024/90001.md", migrated(90001, "2024-03-06", 迁移=MIGRATION | {"核对人": "林核对"}))
    git(repo, "init", "-q", day="2026-11-21")
    git(repo, "add", "-A", day="2026-11-21")
    git(repo, "commit", "-qm", "从旧平台导入", day="2026-11-21")
    path.write_text(path.read_text(encoding="utf-8").replace("通知。", "关于春耕的通知。"), encoding="utf-8")
    git(repo, "commit", "-qam", "补写内容概述", day="2026-11-23")
    config = write_config(repo / "catalogue", tmp_path / "site", tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("history: false", "history: true"), encoding="utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / f"item/{QZF}/2024-90001.html").read_text(encoding="utf-8")
    history = page[page.index("修订记录"):]
    assert "2024-03-06 在「示例区旧门户」发布" in history and "2026-11-20 迁移" in history
    assert "2026-11-23 修订" in history and "录入" not in history and "2026-11-21" not in history
    assert "原索引号</th><td colspan=\"3\">SQ001-0100-2024-90001</td>" in page
    assert "林核对" not in page  # who checked the batch is recorded, never published


def test_a_piece_of_a_joined_permit_number_is_not_a_new_find(catalogue):
    """A real 平潭 title: 「选址意见书公示（选字第350128201800005-3501282017000011号）」. The gates read
    the whole number; search splits it at the hyphen, and the 16-digit piece passes the Luhn check.
    The build-end scan must not call that piece a bank card (it did, and refused the real site)."""
    from gkml.catalogue.privacy import scan_as_read
    from gkml.site.leak_scan import Leak, _outside_context
    title = "选址意见书公示（选字第350128201800005-3501282017000011号）"
    write_item(catalogue, "qzf/2024/90001.md", migrated(90001, "2024-03-06", 标题=title))
    cat, _ = load_catalogue(catalogue, today=dt.date.fromisoformat(TODAY))
    assert cat.by_index_no[f"{QZF}/2024-90001"].is_public  # the gates passed the title
    assert [f.kind for f in scan_as_read("3501282017000011")] == ["银行卡号"]  # the piece alone looks like one
    piece, card = (Leak("search/s/0.js", "银行卡号", "", key) for key in ("3501282017000011", "6222021234567890"))
    assert _outside_context([piece, card], cat) == [card]


def test_import_never_takes_the_index_number_of_a_computed_report(catalogue, tmp_path):
    """A 年报 gkml computes may be published under a 索引号 of the unit (reports/qzf/<年份>-汇总.md):
    the import numbers its rows around it, as `gkml new` does."""
    (tmp_path / "first").mkdir()
    numbers = sorted(i["index_no"] for i in _import(catalogue, tmp_path / "first")[1]["items"])
    again = tmp_path / "again" / "catalogue"
    shutil.copytree(MINI, again)
    report = again / "reports" / "qzf" / "2024-汇总.md"
    report.parent.mkdir(parents=True)
    report.write_text(f"---\n发布日期: 2025-03-20\n索引号: {numbers[0]}\n---\n\n汇总。\n", encoding="utf-8")
    renumbered = sorted(i["index_no"] for i in _import(again, tmp_path / "again")[1]["items"])
    assert len(renumbered) == len(numbers) and numbers[0] not in renumbered
    assert renumbered[-1] > numbers[-1]  # the report's number is skipped, not reused
