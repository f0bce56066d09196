"""Tables A, B and C of the annual report: a hand-worked example comes out exactly, the two
register forms agree, and each 勾稽 check fails on a table crafted to break only it."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from test_annual_helpers import ANNUAL, annual, build, diagnostics, normative_item, write  # noqa: F401

from gkml.annual.tables import COLUMNS, OUTCOMES, ROW_KEYS

ZERO = [0] * 7


def nonzero(table_b) -> dict[str, list[int]]:
    return {k: v for k, v in table_b.rows.items() if any(v)}


# -- the hand-worked example (tests/fixtures/annual/README.md) ------------------------------------

def test_schema_has_the_official_rows_and_columns():
    assert len(ROW_KEYS) == 25  # 一、二, 21 outcomes, （七）总计, 四
    assert len(OUTCOMES) == 21
    assert [name for _, name in COLUMNS] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def test_qczj_2024_by_hand(annual):
    reports, report = build(annual)
    rep = reports["qczj-2024"]
    assert rep.title == "示例区财政局2024年政府信息公开工作年度报告"
    assert nonzero(rep.table_b) == {
        "new": [3, 1, 1, 0, 1, 0, 6],                   # 2024-001, 003, 005 自然人; 002; 006; 004
        "carried_over": [1, 0, 0, 0, 0, 0, 1],          # 2023-019, registered in the first register
        "granted": [1, 0, 0, 0, 0, 0, 1],               # 2024-001 (2024-005 is answered in 2025)
        "partial": [0, 1, 0, 0, 0, 0, 1],
        "denied_third_party": [0, 0, 0, 0, 1, 0, 1],    # written as the official wording
        "unable_not_held": [1, 0, 0, 0, 0, 0, 1],
        "refused_repeat": [1, 0, 0, 0, 0, 0, 1],
        "total": [3, 1, 0, 0, 1, 0, 5],
        "carried_forward": [1, 0, 1, 0, 0, 0, 2],       # 2024-005, 2024-006
    }
    assert rep.table_c.groups == {
        "review": [1, 0, 0, 0, 1],                      # 2024-003: 维持
        "direct_suit": [0, 0, 0, 1, 1],                 # 2024-004: decided 2025-01-20, so 尚未审结 at year end
        "suit_after_review": [0, 0, 0, 0, 0],
    }
    assert rep.problems == [] and report.errors == []


def test_qczj_2025_by_hand(annual):
    reports, _ = build(annual)
    rep = reports["qczj-2025"]
    assert nonzero(rep.table_b) == {
        "new": [2, 1, 0, 0, 0, 0, 3],
        "carried_over": [1, 0, 1, 0, 0, 0, 2],          # = 2024's 结转下年度
        "granted": [3, 0, 0, 0, 0, 0, 3],               # 2025-001, 2025-002, and 2024-005 from last year
        "unable_needs_creation": [0, 0, 1, 0, 0, 0, 1],  # 2024-006
        "total": [3, 0, 1, 0, 0, 0, 4],
        "carried_forward": [0, 1, 0, 0, 0, 0, 1],       # 2025-003, answered 2026-01-20
    }
    assert rep.table_c.groups == {"review": [0, 0, 1, 0, 1], "direct_suit": [0, 0, 0, 0, 0],
                                  "suit_after_review": [1, 0, 0, 0, 1]}
    assert rep.table_a.figures == {"licensing": 5, "penalty": 1, "coercion": None, "fees": Decimal("3.25")}
    assert rep.problems == []


def test_rollup_sums_every_units_report(annual):
    reports, _ = build(annual)
    rollup = reports["qzf-2025-huizong"]
    assert rollup.rollup and rollup.unit_id == "qzf" and rollup.year == 2025
    assert rollup.title == "示例区人民政府2025年政府信息公开工作年度报告（汇总）"
    assert rollup.members == ("qzf", "qczj")
    assert nonzero(rollup.table_b) == {
        "new": [3, 1, 0, 1, 0, 0, 5],
        "carried_over": [1, 0, 1, 0, 0, 0, 2],
        "granted": [4, 0, 0, 0, 0, 0, 4],
        "unable_needs_creation": [0, 0, 1, 0, 0, 0, 1],
        "refused_publication": [0, 0, 0, 1, 0, 0, 1],
        "total": [4, 0, 1, 1, 0, 0, 6],
        "carried_forward": [0, 1, 0, 0, 0, 0, 1],
    }
    assert rollup.table_c.groups == reports["qczj-2025"].table_c.groups
    # "/" stays "/" only where every unit wrote "/": qzf 行政强制 2 + qczj "/" = 2.
    assert rollup.table_a.figures == {"licensing": 5, "penalty": 1, "coercion": 2, "fees": Decimal("3.25")}
    assert rollup.due == dt.date(2026, 3, 31) and reports["qczj-2025"].due == dt.date(2026, 1, 31)
    assert reports["qzf-2024-huizong"].members == ("qczj",)
    assert rollup.problems == []


def test_reports_exist_for_each_narrative_newest_first(annual):
    reports, _ = build(annual)
    assert list(reports) == ["qzf-2025-huizong", "qzf-2025", "qczj-2025", "qzf-2024-huizong", "qczj-2024"]


def test_table_a_counts_regulations_and_normative_documents_at_year_end(annual):
    units = annual / "units" / "qzf.yml"  # let 区政府 have the 规章 column for this test
    units.write_text(re.sub(r"不适用:\n(  .*\n)+", "", units.read_text(encoding="utf-8")), encoding="utf-8")
    made = dict(生成日期=dt.date(2025, 2, 3), 成文日期=dt.date(2025, 2, 1), 发布日期=dt.date(2025, 2, 5))
    normative_item(annual, 10, 栏目="gz", 体裁="命令（令）", **made)                         # 规章, made 2025
    normative_item(annual, 11, 栏目="gz", 体裁="命令（令）", 有效性="废止", 废止日期=dt.date(2026, 3, 1),
                   替代="11350199MB01000012/2025-00010", **made)                               # repealed after 2025
    normative_item(annual, 12, 草稿=True, **made)                                                # draft: not counted
    normative_item(annual, 13, 公开方式="依申请公开", 不公开理由="过程性信息", **made)            # not proactive
    normative_item(annual, 14, 成文日期=None, 文号=None, 生成日期=dt.date(2025, 7, 1),
                   发布日期=dt.date(2025, 7, 2))                                                 # no 成文日期: 生成日期
    reports, report = build(annual)
    assert [d.format() for d in report.errors] == []
    a = reports["qzf-2025"].table_a
    # mini: 00001 made 2025-01-08, repealed 2025-06-01; 00002 made 2025-05-18; plus 00014 above.
    assert a.docs == {"regulations": [2, 0, 2], "normative": [3, 1, 2]}
    assert a.figures == {"licensing": None, "penalty": None, "coercion": 2, "fees": None}


# -- the two forms agree --------------------------------------------------------------------------

def test_totals_form_gives_the_same_report_as_the_register(annual):
    itemised, _ = build(annual)
    (annual / "requests/qczj/2025.yml").write_text((ANNUAL / "totals-qczj-2025.yml").read_text(encoding="utf-8"),
                                                   encoding="utf-8")
    typed, report = build(annual)
    assert typed["qczj-2025"].table_b.rows == itemised["qczj-2025"].table_b.rows
    assert typed["qczj-2025"].table_c.groups == itemised["qczj-2025"].table_c.groups
    assert typed["qczj-2025"].problems == [] and report.errors == []


# -- each check fails on a crafted wrong table ---------------------------------------------------

def _typed(annual, **rows):
    """The qczj 2025 totals form with some rows replaced; returns (report, the register path)."""
    text = (ANNUAL / "totals-qczj-2025.yml").read_text(encoding="utf-8")
    for name, values in rows.items():
        text, n = re.subn(rf"(?m)^(  {name}: ).*$", lambda m: m[1] + str(values), text)
        if n == 0:
            text = text.replace("复议诉讼:", f"  {name}: {values}\n复议诉讼:")
    path = write(annual, "requests/qczj/2025.yml", text)
    reports, report = build(annual)
    return reports["qczj-2025"], report, path


def _line(path, prefix):
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.lstrip().startswith(prefix))


def test_balance_check_names_the_column(annual):
    rep, report, path = _typed(annual, 本年新收=[3, 1, 0, 0, 0, 0, 4])  # one more 自然人, rows still add up
    assert {p.code for p in rep.problems} == {"annual-balance"}
    cells = sorted(p.cell for p in rep.problems)
    assert cells == ["三、收到和处理政府信息公开申请情况「总计」列", "三、收到和处理政府信息公开申请情况「自然人」列"]
    message = next(p.message for p in rep.problems if "自然人" in p.cell)
    assert message == ("「自然人」列：一、本年新收 3 + 二、上年结转 1 = 4，而 三、（七）总计 3 + 四、结转下年度继续办理 0 = 3；"
                       "两者应相等（相差 1）")
    found = [d for d in diagnostics(report, "annual-balance") if d.message.startswith(rep.title + "：")]
    assert {(d.path, d.line) for d in found} == {("catalogue/requests/qczj/2025.yml", _line(path, "结转下年度"))}
    assert len(found) == 2


def test_row_total_check_names_the_row(annual):
    rep, _, _ = _typed(annual, 本年新收=[2, 1, 0, 0, 0, 0, 4], 结转下年度=[0, 1, 0, 0, 0, 0, 2])  # 总计 cells only
    assert {p.code for p in rep.problems} == {"annual-row-total"}
    assert sorted(p.cell for p in rep.problems) == [
        "三、收到和处理政府信息公开申请情况「一、本年新收政府信息公开申请数量」行「总计」列",
        "三、收到和处理政府信息公开申请情况「四、结转下年度继续办理」行「总计」列"]
    assert rep.problems[0].message == ("「一、本年新收政府信息公开申请数量」行：总计为 4，而六类申请人之和为 3"
                                       "（2 + 1 + 0 + 0 + 0 + 0）；总计应等于自然人与五类法人或其他组织之和")


def test_outcome_total_check(annual):
    rep, report, path = _typed(annual, 予以公开=[4, 0, 0, 0, 0, 0, 4])  # the row adds up; （七）总计 does not
    assert {p.code for p in rep.problems} == {"annual-outcome-total"}
    assert sorted(p.cell for p in rep.problems) == [
        "三、收到和处理政府信息公开申请情况「（七）总计」行「总计」列",
        "三、收到和处理政府信息公开申请情况「（七）总计」行「自然人」列"]
    assert "（七）总计为 3，而（一）至（六）各项办理结果之和为 4" in next(p.message for p in rep.problems if "自然人" in p.cell)
    assert {(d.path, d.line) for d in diagnostics(report, "annual-outcome-total") if d.message.startswith(rep.title)} \
        == {("catalogue/requests/qczj/2025.yml", _line(path, "总计:"))}


def test_an_outcome_row_the_register_leaves_out_counts_as_zero_and_still_adds_up(annual):
    rep, _, _ = _typed(annual, 重复申请=[0, 0, 0, 0, 0, 0, 0])
    assert rep.problems == []


def test_case_total_check_per_group(annual):
    rep, report, path = _typed(annual, 行政复议=[0, 0, 1, 0, 2])
    assert [(p.code, p.cell) for p in rep.problems] == [
        ("annual-case-total", "四、政府信息公开行政复议、行政诉讼情况「行政复议」「总计」")]
    assert rep.problems[0].message == ("「行政复议」「总计」为 2，而 结果维持 0 + 结果纠正 0 + 其他结果 1 + 尚未审结 0 = 1；"
                                       "总计应等于四项结果之和：请核对「行政复议」「结果维持」、「行政复议」「结果纠正」、"
                                       "「行政复议」「其他结果」、「行政复议」「尚未审结」和「行政复议」「总计」")
    assert [d.line for d in diagnostics(report, "annual-case-total") if d.message.startswith(rep.title)] == [
        _line(path, "行政复议")]


def test_carry_over_check_against_last_year(annual):
    # Internally consistent, but last year's two carried requests were 自然人 and 科研机构, not 其他.
    rep, report, path = _typed(annual, 上年结转=[1, 0, 0, 0, 0, 1, 2], 需另行制作=[0, 0, 0, 0, 0, 1, 1],
                               总计=[3, 0, 0, 0, 0, 1, 4])
    assert {p.code for p in rep.problems} == {"annual-carry-over"}
    assert sorted(p.cell for p in rep.problems) == [
        "三、收到和处理政府信息公开申请情况「二、上年结转政府信息公开申请数量」行「其他」列",
        "三、收到和处理政府信息公开申请情况「二、上年结转政府信息公开申请数量」行「科研机构」列"]
    assert "二、上年结转为 0，而 2024 年报告的「四、结转下年度继续办理」为 1" in \
        next(p.message for p in rep.problems if "科研机构" in p.cell)
    assert {d.line for d in diagnostics(report, "annual-carry-over") if d.message.startswith(rep.title)} == {
        _line(path, "上年结转")}


def test_rollup_is_checked_the_same_way(annual):
    rep, _, _ = _typed(annual, 本年新收=[3, 1, 0, 0, 0, 0, 4])
    reports, _ = build(annual)
    assert {p.code for p in reports["qzf-2025-huizong"].problems} == {"annual-balance"}


def test_wrong_report_fails_gkml_check(annual):
    from conftest import check_json
    _typed(annual, 行政复议=[0, 0, 1, 0, 2])
    code, data = check_json(annual)
    assert code == 1
    assert [d["code"] for d in data["diagnostics"] if d["level"] == "error"] == ["annual-case-total"] * 2  # unit + 汇总


def test_balanced_fixture_passes_gkml_check_strict(annual):
    from conftest import check_json
    code, data = check_json(annual, "--strict", "--today", "2026-06-30")
    assert (code, data["diagnostics"]) == (0, [])


@pytest.mark.parametrize("year", [2024, 2025])
def test_default_catalogue_reports_build_and_pass(year):
    from conftest import REPO
    reports, report = build(REPO / "catalogue", dt.date.today())
    annual_errors = [d.format() for d in report.errors if d.path.startswith(("catalogue/requests", "catalogue/reports"))]
    assert annual_errors == []
    for slug in (f"qzf-{year}", f"qczj-{year}", f"qzf-{year}-huizong"):
        assert reports[slug].problems == []
    assert reports[f"qzf-{year}"].table_b.cell("new", 6) >= 24  # dozens for the government
    assert 1 <= reports[f"qczj-{year}"].table_b.cell("new", 6) <= 10  # a few for the department
    if year == 2025:  # carried over from 2024 into 2025, consistently
        for unit in ("qzf", "qczj"):
            assert reports[f"{unit}-2025"].table_b.rows["carried_over"] == reports[f"{unit}-2024"].table_b.rows[
                "carried_forward"] != ZERO


def test_suit_sub_cells_are_named_by_all_three_header_levels(annual):
    rep, _, _ = _typed(annual, 复议后起诉=[1, 0, 0, 0, 0])
    [problem] = rep.problems
    assert problem.cell == "四、政府信息公开行政复议、行政诉讼情况「行政诉讼」「复议后起诉」「总计」"
    assert "请核对「行政诉讼」「复议后起诉」「结果维持」" in problem.message


def test_one_wrong_cell_is_named_instead_of_its_row_and_column(annual):
    # 第三方合法权益 typed as 1 for 其他 (applicant column 6): its row (总计 0) and the 其他 column
    # (（七）总计 0) both break, by the same 1.
    rep, report, path = _typed(annual, 第三方合法权益=[0, 0, 0, 0, 0, 1, 0])
    [problem] = rep.problems
    assert problem.code == "annual-cell"
    assert problem.cell == "三、收到和处理政府信息公开申请情况第（三）项第4目「保护第三方合法权益」行「其他」列"
    assert problem.message == ("第（三）项第4目「保护第三方合法权益」行「其他」列为 1，很可能填错了：该行六类申请人之和 1 与总计 0 "
                               "不符，「其他」列的勾稽关系也不成立，两处都相差 1；这一格应为 0")
    [found] = [d for d in diagnostics(report, "annual-cell") if d.message.startswith(rep.title)]
    assert found.line == _line(path, "第三方合法权益")


def test_a_wrong_cell_in_the_first_rows_is_named_too(annual):
    rep, _, _ = _typed(annual, 本年新收=[3, 1, 0, 0, 0, 0, 3])  # 自然人 one too many: row 一 and the balance break
    [problem] = rep.problems
    assert problem.cell.endswith("「一、本年新收政府信息公开申请数量」行「自然人」列") and "这一格应为 2" in problem.message


def test_two_wrong_cells_in_one_row_are_not_guessed(annual):
    rep, _, _ = _typed(annual, 第三方合法权益=[1, 0, 0, 0, 0, 1, 0])
    assert "annual-cell" not in {p.code for p in rep.problems}
    assert {"annual-row-total", "annual-outcome-total"} <= {p.code for p in rep.problems}
