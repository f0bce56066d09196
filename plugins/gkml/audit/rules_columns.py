"""Columns: empty ones (组配空白), stale ones (over their 更新周期), and the missing annual report."""
from __future__ import annotations

import re

from ..catalogue.model import Item
from .context import EMPTY, STALE, AuditContext, _yearly

_REPORT_YEAR = re.compile(r"(\d{4})\s*年度?\s*政府信息公开(?:工作)?年度?报告")


def empty_and_stale(ctx: AuditContext) -> None:
    for unit in ctx.units:
        for status in ctx.statuses[unit.id]:
            column = status.column
            if status.state == EMPTY:
                ctx.add("empty-column", unit.id, f"栏目「{column.name}」适用于本单位（{unit.kind}），截至 {ctx.as_of} "
                        "没有任何公开信息；确实没有的，请在单位文件的「不适用」中写明理由", column=column.code)
            elif status.state == STALE:
                days = (ctx.as_of - status.last).days
                ctx.add("stale-column", unit.id, f"栏目「{column.name}」的更新周期为「{column.cycle}」，最近一次发布是 "
                        f"{status.last}，截至 {ctx.as_of} 已 {days} 天未更新", column=column.code,
                        last=status.last.isoformat(), days=days, cycle=column.cycle)


def report_year(item: Item) -> int:
    """The year an annual report covers: from its title (…2025年政府信息公开工作年度报告), else the year before it was made."""
    m = _REPORT_YEAR.search(item.title)
    return int(m[1]) if m else item.generated.year - 1


ROLLUP_DUE = (3, 31)  # 条例第四十九条: the 县级以上地方人民政府's own report on the previous year by 3月31日


def _report_due(as_of, month: int, day: int):
    """(the year whose report is due by the latest deadline passed, that deadline)."""
    due = _yearly(as_of.year, month, day)
    year = as_of.year - 1 if as_of > due else as_of.year - 2
    return year, _yearly(year + 1, month, day)


def _judge_computed(ctx: AuditContext, report, due, late_kind: str, where: dict) -> bool:
    """A report gkml computed, judged by its 发布日期 (written in its reports/ file): True when
    that settles the deadline (out in time, late or undated), False when it is still not public."""
    if report.published is None:  # nothing to judge the deadline by
        name = f"{report.year}-汇总" if report.rollup else str(report.year)
        ctx.add("annual-report-undated", report.unit_id, f"{report.title}由年度报告数据生成，但没有发布日期，"
                f"无法核对是否在 {due} 前公开；公布后在 reports/{report.unit_id}/{name}.md 的元数据中写「发布日期」和「索引号」",
                **where)
        return True
    if report.published > ctx.as_of:
        return False
    if report.published > due:
        ctx.add(late_kind, report.unit_id, f"{report.title}（由年度报告数据生成）{report.published} 才公开，"
                f"晚于 {due}（条例第四十九条）", **where, published=report.published.isoformat())
    return True


def annual_report(ctx: AuditContext) -> None:
    """The report on the previous year must be out by the 年报 column's date (default 1月31日)."""
    computed = {(r.unit_id, r.year): r for r in ctx.annual_reports if not r.rollup and r.ok}
    for unit in ctx.units:
        for column in ctx.applicable(unit):
            if not column.annual:
                continue
            year, due = _report_due(ctx.as_of, *((column.deadline.month, column.deadline.day)
                                                 if column.deadline and column.deadline.month else (1, 31)))
            if any(report_year(i) == year for i in ctx.by_unit_column.get((unit.id, column.code), [])):
                continue
            where = dict(column=column.code, period=f"{year}年度", year=year, due=due.isoformat())
            report = computed.get((unit.id, year))
            if report is not None and _judge_computed(ctx, report, due, "annual-report-late", where):
                continue
            ctx.add("annual-report-missing", unit.id, f"截至 {ctx.as_of} 仍没有公开 {year} 年政府信息公开工作年度报告"
                    f"（应于 {due} 前在「{column.name}」栏目公开，条例第四十九条）", **where)


def government_report(ctx: AuditContext) -> None:
    """The government-level report (本级政府, 汇总) on the previous year must be out by 3月31日
    (条例第四十九条), whatever the 年报 column's own date (1月31日 is the departments'). A report
    of the 本级政府 typed into its 年报 column counts (its date is judged by `annual_report`);
    otherwise the 汇总 gkml computes, by the 发布日期 in reports/<本级政府>/<年份>-汇总.md."""
    gov = ctx.catalogue.units.get(ctx.catalogue.site.gov_unit)
    if gov is None or gov.id not in ctx.unit_ids:
        return
    columns = [c for c in ctx.applicable(gov) if c.annual]
    if not columns:
        return
    year, due = _report_due(ctx.as_of, *ROLLUP_DUE)
    if any(report_year(i) == year for c in columns for i in ctx.by_unit_column.get((gov.id, c.code), [])):
        return
    where = dict(column=columns[0].code, period=f"{year}年度", year=year, due=due.isoformat())
    rollup = next((r for r in ctx.annual_reports if r.rollup and r.year == year), None)
    if rollup is not None and _judge_computed(ctx, rollup, due, "annual-rollup-late", where):
        return
    ctx.add("annual-rollup-missing", gov.id, f"截至 {ctx.as_of} 仍没有公开{gov.name} {year} 年政府信息公开工作年度报告"
            f"（本级政府的报告，各单位汇总；应于 {due} 前在「{columns[0].name}」栏目公开，条例第四十九条）；"
            f"由 gkml 汇总的，在 reports/{gov.id}/{year}-汇总.md 中写公开时的「发布日期」和「索引号」", **where)
