"""The example catalogue (catalogue/, the fictional 示例区) is the one source of the example: editors
and maintainers change it by hand, as the editors' manual teaches. These tests hold it to what an
example must show, beyond what `gkml check` requires of any catalogue: believable dates (working-day
deadlines met, no quarter-end rush, columns kept up to their update cycle), consistent identifiers,
no personal data even in the loose forms a real office would flag, exactly the faults left on
purpose for `gkml audit` (tests/fixtures/default_faults.yml), and 年报 items whose text is the
report gkml computes from the registers.

Everything is read through gkml's own loader, so the tests see the catalogue as the build does.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from gkml.annual import build_annual_reports
from gkml.annual.render import render_markdown
from gkml.catalogue.model import Catalogue, Item
from gkml.catalogue.validate import load_catalogue
from gkml.catalogue.vocab import UPDATE_CYCLES
from gkml.catalogue.workdays import calendar_for

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = REPO / "catalogue"
FAULTS = REPO / "tests" / "fixtures" / "default_faults.yml"
# The example's own "today": its content runs up to this day. An item published later, or a
# column left longer than its update cycle before it, is an error in the example.
EXAMPLE_TODAY = dt.date(2026, 11, 24)
INTERPRETATION_WORKDAYS = 3  # 政策解读 within 3 working days of the document (REFERENCE.md)
CLOSE_TO_DEADLINE = 12  # items on time stay this many working days inside a 20-day deadline
SUMMARY_MAX = 300
ANNUAL_TITLE = re.compile(r"(\d{4})年政府信息公开工作年度报告$")
# Stricter than gkml's personal-data gate (which verifies checksums): the example shows no number
# that merely looks like a mobile, ID or card number, and only 0000- telephone numbers.
LOOKS_PERSONAL = (r"(?<!\d)1[3-9]\d{9}(?!\d)", r"\d{15,}", r"\d{17}[\dXx]")
PHONE = re.compile(r"\d{3,4}-\d{7,8}")


@pytest.fixture(scope="module")
def loaded():
    return load_catalogue(CATALOGUE, today=EXAMPLE_TODAY)  # checks that depend on the date see the example's


@pytest.fixture(scope="module")
def cat(loaded) -> Catalogue:
    return loaded[0]


@pytest.fixture(scope="module")
def calendar():
    return calendar_for(CATALOGUE)


def tag(item: Item) -> str:
    return f"{item.rel}（{item.title}）"


def public(cat: Catalogue) -> list[Item]:
    return [i for i in cat.items if i.disclosure == "主动公开"]


def test_gkml_check_is_clean(loaded):
    catalogue, report = loaded
    assert catalogue is not None
    assert report.items == []


def test_items_sit_in_applicable_leaf_columns(cat):
    errs = []
    for item in cat.items:
        column, unit = cat.taxonomy.by_code.get(item.column), cat.units[item.unit_id]
        if column is None or not column.is_leaf:
            errs.append(f"{tag(item)}: 栏目 {item.column} 不是末级栏目")
        elif not column.applies_to(unit.kind):
            errs.append(f"{tag(item)}: 栏目 {item.column} 不适用于{unit.kind}")
        elif item.column in unit.not_applicable:
            errs.append(f"{tag(item)}: 栏目 {item.column} 被本单位标为不适用")
    assert errs == []


def test_topics_and_genres_are_the_columns_expected_ones(cat):
    errs = []
    for item in cat.items:
        column = cat.taxonomy.by_code[item.column]
        topic = item.topic_text
        first = item.topic[0] if item.topic else ""
        if column.topics and not any(t in (topic, first) for t in column.topics):
            errs.append(f"{tag(item)}: 主题 {topic} 不在预期主题 {column.topics}")
        if column.genres and item.genre not in column.genres:
            errs.append(f"{tag(item)}: 体裁 {item.genre} 不在预期体裁 {column.genres}")
        if item.doc_no and item.genre == "其他":
            errs.append(f"{tag(item)}: 有文号但体裁为其他")
    assert errs == []


def test_index_and_document_numbers_are_unique_and_consistent(cat):
    errs = []
    seen_index, seen_doc = {}, {}
    for item in cat.items:
        if item.index_no in seen_index:
            errs.append(f"{tag(item)}: 索引号与 {seen_index[item.index_no]} 重复")
        seen_index.setdefault(item.index_no, item.rel)
        if not item.doc_no:
            continue
        if item.doc_no in seen_doc:
            errs.append(f"{tag(item)}: 文号与 {seen_doc[item.doc_no]} 重复")
        seen_doc.setdefault(item.doc_no, item.rel)
        if item.written is None or item.written > item.generated:
            errs.append(f"{tag(item)}: 成文日期 {item.written} 缺失或晚于生成日期 {item.generated}")
        elif f"〔{item.written.year}〕" not in item.doc_no:
            errs.append(f"{tag(item)}: 文号 {item.doc_no} 的年份与成文日期 {item.written} 不符")
    assert errs == []


def test_serials_run_without_gaps_per_unit_and_year(cat):
    serials: dict[tuple[str, int], list[int]] = defaultdict(list)
    for item in cat.items:
        serials[(item.unit_id, item.year)].append(int(item.index_no.rsplit("-", 1)[1]))
    gaps = {key: sorted(ns) for key, ns in serials.items() if sorted(ns) != list(range(1, len(ns) + 1))}
    assert gaps == {}


def test_summaries_and_reasons(cat):
    errs = []
    for item in cat.items:
        if len(item.summary) > SUMMARY_MAX:
            errs.append(f"{tag(item)}: 内容概述超过{SUMMARY_MAX}字")
        if item.disclosure == "主动公开" and not item.summary:
            errs.append(f"{tag(item)}: 缺内容概述")
        if item.disclosure != "主动公开" and not item.reason:
            errs.append(f"{tag(item)}: 缺不公开理由")
    assert errs == []


def in_quarter_rush(day: dt.date, days: int) -> bool:
    """In the last `days` days of a quarter (the audit's 抢发 window)."""
    if day.month not in (3, 6, 9, 12):
        return False
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return (following - day).days <= days


def test_public_items_dates_are_in_order_and_outside_the_quarter_end_rush(cat):
    rush_days = int(cat.site.audit.get("抢发天数", 10))
    errs = []
    for item in public(cat):
        if not (item.review_date and item.published
                and item.generated <= item.review_date <= item.published <= EXAMPLE_TODAY):
            errs.append(f"{tag(item)}: 日期顺序不对 生成{item.generated} 审查{item.review_date} 发布{item.published}")
        elif in_quarter_rush(item.published, rush_days):
            errs.append(f"{tag(item)}: 发布日期 {item.published} 在季度末{rush_days}天内")
    assert errs == []


def late_faults(cat: Catalogue, calendar) -> tuple[list[dict], list[str]]:
    """The faults a public item's dates make (late publication, late interpretation), worded as
    tests/fixtures/default_faults.yml records them, and the example's other date errors."""
    faults, errs = [], []
    for item in public(cat):
        if item.published is None:
            continue  # reported by the date-order test
        deadline = cat.taxonomy.by_code[item.column].deadline
        if item.interprets:
            doc = cat.by_index_no[item.interprets]
            if doc.unit_id != item.unit_id:
                errs.append(f"{tag(item)}: 解读与被解读文件不属同一单位")
            if item.published < doc.published:
                errs.append(f"{tag(item)}: 解读早于文件发布")
            n = calendar.workdays_between(doc.published, item.published)
            if n > INTERPRETATION_WORKDAYS:
                faults.append({"类型": "解读逾期", "索引号": item.index_no,
                               "说明": f"政策解读发布于{item.published}，被解读文件（{doc.index_no}）发布于{doc.published}，"
                                     f"相隔{n}个工作日，超过{INTERPRETATION_WORKDAYS}个工作日。"})
        elif deadline.workdays is not None:
            n = calendar.workdays_between(item.generated, item.published)
            if n > deadline.workdays:
                spring = "（跨2025年春节假期）" if (item.generated.year, item.generated.month) == (2025, 1) else ""
                faults.append({"类型": "逾期发布", "索引号": item.index_no,
                               "说明": f"生成日期{item.generated}，发布日期{item.published}，相隔{n}个工作日，"
                                     f"超过{deadline.workdays}个工作日{spring}。"})
            elif n > CLOSE_TO_DEADLINE:
                errs.append(f"{tag(item)}: 发布间隔{n}个工作日，太接近时限")
        elif item.published > dt.date(item.generated.year, deadline.month, deadline.day):
            errs.append(f"{tag(item)}: 超过时限「{deadline.text}」")
    return sorted(faults, key=lambda f: (f["类型"], f["索引号"])), errs


def test_deadlines_are_met_except_for_the_recorded_faults(cat, calendar):
    faults, errs = late_faults(cat, calendar)
    assert errs == []
    assert faults == yaml.safe_load(FAULTS.read_text(encoding="utf-8"))


def test_annual_report_items_are_titled_and_published_as_required(cat):
    errs = []
    for item in public(cat):
        if not cat.taxonomy.by_code[item.column].annual:
            continue
        m = ANNUAL_TITLE.search(item.title)
        year = int(m.group(1)) if m else None
        if (not m or item.title != f"{cat.units[item.unit_id].name}{year}年政府信息公开工作年度报告"
                or (item.published.year, item.published.month) != (year + 1, 1)):
            errs.append(f"{tag(item)}: 年报标题或发布时间不符合要求")
    assert errs == []


def test_repealed_documents_point_to_a_later_replacement(cat):
    errs = []
    for item in cat.items:
        if not item.repealed_on:
            continue
        new = cat.by_index_no.get(item.replaced_by)
        if new is None or not (item.generated < new.generated and new.published <= item.repealed_on <= EXAMPLE_TODAY):
            errs.append(f"{tag(item)}: 废止日期/替代文件日期不合理")
    assert errs == []


def test_no_negative_list_words_or_personal_looking_numbers(cat):
    errs = []
    for item in cat.items:
        text = item.path.read_text(encoding="utf-8")
        errs += [f"{tag(item)}: 命中负面清单 {p.pattern}" for p in cat.site.negative_patterns if p.search(text)]
        errs += [f"{tag(item)}: 疑似个人信息 {p}" for p in LOOKS_PERSONAL if re.search(p, text)]
        errs += [f"{tag(item)}: 电话号码 {m.group(0)} 不是 0000- 开头"
                 for m in PHONE.finditer(text) if not m.group(0).startswith("0000-")]
    assert errs == []


def test_columns_are_kept_up_to_their_update_cycle(cat):
    """Between two public items of a unit's column, and from the last one to the example's today,
    no more than the column's update cycle, by 发布日期 and by 生成日期."""
    series: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in public(cat):
        if not item.draft:
            series[(item.unit_id, item.column)].append(item)
    errs = []
    for (unit_id, code), items in series.items():
        cycle = cat.taxonomy.by_code[code].cycle
        days = UPDATE_CYCLES.get(cycle or "")
        if days is None:
            continue
        for attr in ("published", "generated"):
            dates = sorted(getattr(i, attr) for i in items) + [EXAMPLE_TODAY]
            errs += [f"{unit_id}/{code}: 更新周期{cycle}，{attr} {a} → {b} 相隔{(b - a).days}天"
                     for a, b in zip(dates, dates[1:]) if (b - a).days >= days]
    assert errs == []


def test_the_example_is_large_and_spread_enough(cat):
    assert len(cat.items) >= 230
    assert len({i.column for i in cat.items}) >= 45
    years = defaultdict(set)
    for item in cat.items:
        years[item.unit_id].add(item.year)
    assert {u: sorted(ys) for u, ys in years.items() if not ys >= {2023, 2024, 2025, 2026}} == {}
    assert set(years) == set(cat.units)


def test_attachments_stay_small(cat):
    big = [(i.rel, a.file, a.size) for i in cat.items for a in i.attachments if a.size >= 100_000]
    assert big == []


def test_annual_report_items_carry_the_report_gkml_computes(cat):
    """Where a unit keeps the registers of a year (reports/<单位>/<年份>.md), the 年报 item in its
    column must read as the report gkml builds from them, so the two never disagree."""
    items = {}
    for item in public(cat):
        m = ANNUAL_TITLE.search(item.title)
        if cat.taxonomy.by_code[item.column].annual and m:
            items[(item.unit_id, int(m.group(1)))] = item
    compared = []
    for rep in build_annual_reports(cat, None, EXAMPLE_TODAY):
        if rep.rollup or (rep.unit_id, rep.year) not in items:
            continue
        item = items[(rep.unit_id, rep.year)]
        assert rep.ok, rep.problems
        assert rep.title == item.title
        assert item.body.strip() == render_markdown(rep).split("\n", 2)[2].strip(), item.rel
        compared.append((rep.unit_id, rep.year))
    kept = {(p.parent.name, int(p.stem)) for p in (CATALOGUE / "reports").glob("*/*.md") if p.stem.isdigit()}
    assert sorted(compared) == sorted(kept)
