"""gkml audit on tests/fixtures/audit/catalogue: one instance of every fault is seeded (each item's
front matter says which, in a `# 自查测试：` comment) and exactly those are found, nothing else."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from gkml.audit import KINDS, AuditConfigError, AuditError, run_audit

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "audit" / "catalogue"
AS_OF = dt.date(2025, 12, 15)

EXPECTED = sorted([
    ("empty-column", "qczj", "zd"),
    ("stale-column", "qczj", "xkjg"),
    ("annual-report-missing", "qczj", "nb"),
    ("rushed", "qczj", None),
    ("late", "items/qzf/2025/00003.md", "gfxwj"),  # 21 working days across 春节 2025
    ("interpretation-missing", "items/qzf/2025/00003.md", "gfxwj"),  # and nobody explained it
    ("interpretation-missing", "items/qzf/2025/00011.md", "gfxwj"),  # the migrated document has none either
    ("interpretation-ratio", "qzf", None),  # so 2 of qzf's 4 documents in force have a 解读
    ("late", "items/qzf/2025/00006.md", "tjgb"),  # 每年4月30日前, published 5月6日
    ("late-interpretation", "items/qzf/2025/00008.md", "zcjd"),
    ("late-migrated", "items/qzf/2025/00011.md", "gfxwj"),  # published late on the old platform, before migrating
    ("misfiled-topic", "items/qczj/2025/00003.md", "yjs"),
    ("misfiled-genre", "items/qzf/2025/00007.md", "gfxwj"),
    ("repealed-no-date", "items/qczj/2024/00002.md", "gfxwj"),
    ("repealed-no-replacement", "items/qczj/2024/00003.md", "gfxwj"),
    ("replacement-missing", "items/qczj/2024/00004.md", "gfxwj"),
    ("unreviewed", "items/qczj/2025/00010.md", "gfxwj"),
    ("review-after-publication", "items/qczj/2025/00005.md", "xkjg"),
    ("personal-data", "items/qzf/2025/00009.md", "zd"),  # valid 身份证号 in the body
    ("personal-data", "items/qczj/2025/00004.md", "yjs"),  # valid 身份证号 in an xlsx attachment, cell C3
    ("negative-list", "items/qczj/2025/00011.md", "gfxwj"),  # 内部资料 in a docx attachment
    ("attachment-unreadable", "items/qczj/2025/00006.md", "xkjg"),  # damaged PDF
], key=str)


def tuples(result) -> list[tuple]:
    return sorted(((f.kind, f.file or f.unit, f.column) for f in result.findings), key=str)


def findings(result, kind: str) -> list:
    return [f for f in result.findings if f.kind == kind]


@pytest.fixture(scope="module")
def result():
    return run_audit(FIXTURE, as_of=AS_OF)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "catalogue"
    shutil.copytree(FIXTURE, root)
    return root


def set_audit_config(root: Path, text: str) -> None:
    site = root / "site.yml"
    content = site.read_text(encoding="utf-8")
    start = content.index("自查:")
    end = content.index("负面清单:")
    site.write_text(content[:start] + text.rstrip() + "\n" + content[end:], encoding="utf-8")


def test_exactly_the_seeded_faults_are_found(result):
    assert tuples(result) == EXPECTED


def test_every_kind_but_the_calendar_gap_is_exercised(result):
    # The fixture has no request register, no git history, no hand-typed and no computed 年报:
    # test_request_desk, test_audit_depth and the computed-report tests below exercise those kinds.
    assert {f.kind for f in result.findings} == set(KINDS) - {
        "calendar-gap", "request-overdue", "request-due-soon", "backdated", "backdated-migrated", "annual-hand-typed",
        "annual-item-table", "annual-report-late", "annual-report-undated", "annual-rollup-missing",
        "annual-rollup-late"}


def test_spring_festival_counts_working_days_with_make_up_days(result):
    (late,) = [f for f in findings(result, "late") if f.column == "gfxwj"]
    assert late.details == {"start": "2025-01-20", "due": "2025-02-21", "published": "2025-02-24", "workdays": 21,
                            "deadline": "20个工作日"}
    assert "相隔 21 个工作日" in late.message and "最晚应于 2025-02-21 发布" in late.message
    # 00002 was generated the same day and published on 2025-02-21, the 20th working day: on time,
    # though a weekday-only count (24 days) or a calendar count (32 days) would call it late.
    assert not [f for f in result.findings if f.file == "items/qzf/2025/00002.md"]


def test_yearly_deadline_and_interpretation_deadline(result):
    (bulletin,) = [f for f in findings(result, "late") if f.column == "tjgb"]
    assert bulletin.details["due"] == "2025-04-30" and bulletin.details["deadline"] == "每年4月30日前"
    (interp,) = findings(result, "late-interpretation")
    assert interp.details["start"] == "2025-05-12" and interp.details["due"] == "2025-05-15"
    assert interp.details["document"] == "11350199MB01000012/2025-00007" and interp.details["workdays"] == 4
    assert not [f for f in result.findings if f.file == "items/qzf/2025/00004.md"]  # 3rd working day: on time


def test_invalid_id_checksum_and_exempted_item_are_not_flagged(result):
    flagged = {f.file for f in findings(result, "personal-data")}
    assert "items/qzf/2025/00005.md" not in flagged  # 350102199003071235: wrong check character (body and PDF)
    assert "items/qzf/2025/00010.md" not in flagged  # 个人信息豁免 recorded and reviewed
    body, attachment = sorted(findings(result, "personal-data"), key=lambda f: f.unit)[::-1]
    assert "身份证号「350102********1234」" in body.message and body.line == 19
    assert "附件「00004/名单.xlsx」工作表「名单」单元格 C3" in attachment.message
    assert "350102199003071234" not in "".join(f.message for f in result.findings)


def test_rushed_quarter_details(result):
    (rushed,) = findings(result, "rushed")
    assert rushed.period == "2025年第3季度"
    assert (rushed.details["total"], rushed.details["last_days"], rushed.details["share"]) == (5, 3, 0.6)


def test_levels_split_errors_from_warnings(result):
    errors = {f.kind for f in result.errors}
    assert errors == {"late", "late-interpretation", "annual-report-missing", "repealed-no-date",
                      "repealed-no-replacement", "replacement-missing", "personal-data", "negative-list"}
    assert result.failed() and result.check_errors == 7  # 内部资料.docx: its file name and its text


def test_weighted_scores_and_ranking(result):
    scores = {s.unit.id: s for s in result.scores}
    # qczj: 应建 zd1 gfxwj1 zcjd1 yjs3 xkjg2 nb1 = 9; 达标 gfxwj zcjd yjs nb = 6 → 66.7;
    # 扣分 年报 5 + 突击 3 + 错栏 1 + 生命周期 3 + 未审查 1 + 先发后审 1 + 个人信息 5 + 负面清单 5 + 附件 1 = 25
    assert (scores["qczj"].base, scores["qczj"].penalty, scores["qczj"].score) == (66.7, 25.0, 41.7)
    # qzf: all 6 columns current → 100; 逾期 2×1 + 2×1, 解读逾期 2×1, 错栏 1, 个人信息 5 = 12
    assert (scores["qzf"].base, scores["qzf"].penalty, scores["qzf"].score) == (100.0, 12.0, 88.0)
    assert (scores["dhz"].applicable, scores["dhz"].score) == (4, 100.0)  # sfbz 不适用 is not counted
    assert [(s.rank, s.unit.id) for s in result.scores] == [(1, "dhz"), (2, "qzf"), (3, "qczj")]
    assert result.platform_score == 76.6


def test_late_penalty_is_multiplied_by_the_column_weight(copy):
    set_audit_config(copy, "自查:\n  扣分:\n    逾期发布: 10\n")
    text = (copy / "taxonomy.yml").read_text(encoding="utf-8")
    (copy / "taxonomy.yml").write_text(text.replace("时限: 每年4月30日前,", "时限: 每年4月30日前, 权重: 3,"), encoding="utf-8")
    scores = {s.unit.id: s for s in run_audit(copy, as_of=AS_OF).scores}
    assert scores["qzf"].penalties["late"] == 10 * 1 + 10 * 3


def test_items_published_after_the_as_of_date_do_not_count(result):
    later = run_audit(FIXTURE, as_of=dt.date(2025, 12, 31))
    added = set(tuples(later)) - set(EXPECTED)
    assert added == {("late", "items/dhz/2025/00004.md", "nyzc")}  # published 2025-12-20
    assert not [f for f in result.findings if f.file == "items/dhz/2025/00004.md"]


def test_annual_report_is_due_after_january_31():
    on_the_day = run_audit(FIXTURE, as_of=dt.date(2025, 1, 31))
    missing = {(f.unit, f.details["year"]) for f in findings(on_the_day, "annual-report-missing")}
    assert missing == {("qzf", 2023), ("dhz", 2023)}  # the 2024 reports are not due yet
    day_after = run_audit(FIXTURE, as_of=dt.date(2025, 2, 1))
    assert {(f.unit, f.details["year"]) for f in findings(day_after, "annual-report-missing")} == {("qczj", 2024)}


def test_since_limits_the_timeliness_findings():
    result = run_audit(FIXTURE, as_of=AS_OF, since=dt.date(2025, 3, 1))
    late = {f.file for f in result.findings if f.kind in ("late", "late-interpretation")}
    assert late == {"items/qzf/2025/00006.md", "items/qzf/2025/00008.md"}  # 00003 was published 2025-02-24


def test_one_unit(tmp_path):
    result = run_audit(FIXTURE, as_of=AS_OF, unit="dhz")
    assert result.findings == [] and [s.unit.id for s in result.scores] == ["dhz"] and not result.failed()
    assert result.check_errors == 0 and run_audit(FIXTURE, as_of=AS_OF, unit="qczj").check_errors == 6
    qzf = run_audit(FIXTURE, as_of=AS_OF, unit="qzf")
    assert tuples(qzf) == [t for t in EXPECTED if "qzf" in t[1]]


def test_unknown_unit_and_backwards_window_are_chinese_errors():
    with pytest.raises(AuditError, match="没有单位「nope」；可选：qzf（示例区人民政府）"):
        run_audit(FIXTURE, as_of=AS_OF, unit="nope")
    with pytest.raises(AuditError, match="起始日期 2025-12-31 晚于自查日期 2025-12-15"):
        run_audit(FIXTURE, as_of=AS_OF, since=dt.date(2025, 12, 31))


def test_rush_thresholds_come_from_site_yml(copy):
    set_audit_config(copy, "自查:\n  抢发比例: 0.6\n")  # 3/5 is not more than 60%
    assert not findings(run_audit(copy, as_of=AS_OF), "rushed")
    set_audit_config(copy, "自查:\n  抢发最少条数: 6\n")
    assert not findings(run_audit(copy, as_of=AS_OF), "rushed")
    set_audit_config(copy, "自查:\n  抢发天数: 5\n")  # 9月26日 onwards: only 1 of 5
    assert not findings(run_audit(copy, as_of=AS_OF), "rushed")
    set_audit_config(copy, "自查:\n  抢发天数: 10\n  抢发比例: 0.59\n")
    assert len(findings(run_audit(copy, as_of=AS_OF), "rushed")) == 1


def test_levels_and_penalties_are_configurable(copy):
    set_audit_config(copy, "自查:\n  级别:\n    逾期发布: 警告\n    个人信息: 错误\n    空白栏目: 忽略\n    年报缺失: 警告\n"
                           "  扣分:\n    突击发布: 0\n")
    result = run_audit(copy, as_of=AS_OF)
    assert {f.level for f in findings(result, "late")} == {"warning"}
    assert not findings(result, "empty-column")
    assert {s.unit.id: s.penalties.get("rushed") for s in result.scores}["qczj"] == 0
    assert result.config.as_dict()["级别"]["逾期发布"] == "warning"


def test_bad_audit_settings_list_every_problem_in_chinese(copy):
    set_audit_config(copy, "自查:\n  抢发天数: 十\n  抢发比例: 1.5\n  阈值: 3\n  级别:\n    逾期: 错误\n    空白栏目: 严重\n")
    with pytest.raises(AuditConfigError) as info:
        run_audit(copy, as_of=AS_OF)
    assert info.value.problems == [
        "自查 下没有「阈值」这一项；可写：抢发天数、抢发比例、抢发最少条数、即将逾期、解读比例、补录天数、上线日期、级别、扣分",
        "自查.抢发天数 应为整数，现为「十」",
        "自查.抢发比例 应在 0 到 1 之间，现为 1.5",
        "自查.级别 中的「逾期」不是自查问题类型；可选：" + "、".join(k.label for k in KINDS.values()),
        "自查.级别.空白栏目 应为 错误、警告 或 忽略，现为「严重」",
    ]


def test_unreadable_catalogue_is_an_audit_error(tmp_path):
    with pytest.raises(AuditError, match="无法读取目录"):
        run_audit(tmp_path / "nothing", as_of=AS_OF)


def _date_the_report(root: Path, published: str) -> None:
    path = root / "reports" / "qczj" / "2024.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "行政强制: 0\n", f"行政强制: 0\n发布日期: {published}\n索引号: 11350199MB0300003D/2025-00099\n"), encoding="utf-8")


def test_an_annual_report_built_from_reports_folder_is_judged_by_its_own_date(copy):
    """The annual-report module (reports/<单位>/<年份>.md + requests/) publishes the report; its
    发布日期 (the narrative's) decides the 1月31日 check, like an item's would."""
    shutil.copytree(FIXTURE.parent / "annual-report", copy, dirs_exist_ok=True)  # a copy of the example's qczj 2024
    undated = run_audit(copy, as_of=AS_OF)
    assert not findings(undated, "annual-report-missing")
    assert [(f.unit, f.details["year"]) for f in findings(undated, "annual-report-undated")] == [("qczj", 2024)]
    _date_the_report(copy, "2025-01-20")
    on_time = run_audit(copy, as_of=AS_OF)
    assert not [f for f in on_time.findings if f.kind.startswith("annual-report")]
    day_after = run_audit(copy, as_of=dt.date(2025, 2, 1))  # the day after the deadline: it was out in time
    assert not [f for f in day_after.findings if f.kind.startswith("annual-report") and f.unit == "qczj"]


def test_a_computed_annual_report_published_late_or_not_yet(copy):
    shutil.copytree(FIXTURE.parent / "annual-report", copy, dirs_exist_ok=True)
    _date_the_report(copy, "2025-03-02")
    late = findings(run_audit(copy, as_of=AS_OF), "annual-report-late")
    assert [(f.unit, f.details["year"], f.details["published"], f.details["due"]) for f in late] == [
        ("qczj", 2024, "2025-03-02", "2025-01-31")]
    assert "2025-03-02 才公开，晚于 2025-01-31" in late[0].message
    not_yet = run_audit(copy, as_of=dt.date(2025, 2, 15))  # past the deadline, report not out until March
    assert [(f.unit, f.details["year"]) for f in findings(not_yet, "annual-report-missing")] == [("qczj", 2024)]


def test_the_governments_report_is_due_by_march_31(copy):
    """条例第四十九条: the 本级政府's report (gkml's 汇总 of every unit) by 3月31日, whatever the 年报
    column's 1月31日 (the departments'); judged by the 发布日期 in reports/<本级政府>/<年份>-汇总.md."""
    shutil.copytree(FIXTURE.parent / "annual-report", copy, dirs_exist_ok=True)
    _date_the_report(copy, "2025-01-20")
    (copy / "items/qzf/2025/00001.md").unlink()  # the government's hand-typed 2024 report: now only the 汇总
    undated = run_audit(copy, as_of=AS_OF)
    [note] = [f for f in findings(undated, "annual-report-undated") if f.unit == "qzf"]
    assert note.details["year"] == 2024 and "reports/qzf/2024-汇总.md" in note.message
    assert not findings(undated, "annual-rollup-missing") and not findings(undated, "annual-rollup-late")
    rollup = copy / "reports" / "qzf" / "2024-汇总.md"
    rollup.parent.mkdir()
    rollup.write_text("---\n发布日期: 2025-04-02\n索引号: 11350199MB01000012/2025-00099\n---\n\n汇总。\n",
                      encoding="utf-8")
    late = findings(run_audit(copy, as_of=AS_OF), "annual-rollup-late")
    assert [(f.unit, f.details["year"], f.details["published"], f.details["due"]) for f in late] == [
        ("qzf", 2024, "2025-04-02", "2025-03-31")]
    assert "（汇总）（由年度报告数据生成）2025-04-02 才公开，晚于 2025-03-31" in late[0].message
    for day, missing in ((dt.date(2025, 3, 31), 2023), (dt.date(2025, 4, 1), 2024)):  # not due / due, not yet out
        found = findings(run_audit(copy, as_of=day), "annual-rollup-missing")
        assert [(f.unit, f.details["year"], f.details["due"]) for f in found] == [
            ("qzf", missing, f"{missing + 1}-03-31")], day
    rollup.write_text(rollup.read_text(encoding="utf-8").replace("2025-04-02", "2025-03-20"), encoding="utf-8")
    on_time = run_audit(copy, as_of=AS_OF)
    assert not [f for f in on_time.findings if f.kind.startswith("annual-rollup")]
    assert not [f for f in on_time.findings if f.kind == "annual-report-undated" and f.unit == "qzf"]
