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


def _built_reports(ctx: AuditContext) -> dict:
    """(unit, year) -> the annual report the annual-report module builds and would publish, if it is installed."""
    try:
        from ..annual import build_annual_reports
    except ImportError:
        return {}
    return {(r.unit_id, r.year): r for r in build_annual_reports(ctx.catalogue, None, ctx.as_of) if not r.rollup and r.ok}


def annual_report(ctx: AuditContext) -> None:
    """The report on the previous year must be out by the 年报 column's date (default 1月31日)."""
    built = None
    for unit in ctx.units:
        for column in ctx.applicable(unit):
            if not column.annual:
                continue
            month, day = (column.deadline.month, column.deadline.day) if column.deadline and column.deadline.month \
                else (1, 31)
            due = _yearly(ctx.as_of.year, month, day)
            year = ctx.as_of.year - 1 if ctx.as_of > due else ctx.as_of.year - 2
            due = _yearly(year + 1, month, day)
            items = ctx.by_unit_column.get((unit.id, column.code), [])
            if any(report_year(i) == year for i in items):
                continue
            if built is None:
                built = _built_reports(ctx)
            computed = built.get((unit.id, year))
            where = dict(column=column.code, period=f"{year}年度", year=year, due=due.isoformat())
            if computed is not None and computed.published is None:  # nothing to judge the deadline by
                ctx.add("annual-report-undated", unit.id, f"{computed.title}由年度报告数据生成，但没有发布日期，"
                        f"无法核对是否在 {due} 前公开；公布后在 reports/{unit.id}/{year}.md 的元数据中写「发布日期」和「索引号」",
                        **where)
                continue
            if computed is not None and computed.published <= ctx.as_of:
                if computed.published > due:
                    ctx.add("annual-report-late", unit.id, f"{computed.title}（由年度报告数据生成）{computed.published} 才公开，"
                            f"晚于 {due}（条例第四十九条）", **where, published=computed.published.isoformat())
                continue
            ctx.add("annual-report-missing", unit.id, f"截至 {ctx.as_of} 仍没有公开 {year} 年政府信息公开工作年度报告"
                    f"（应于 {due} 前在「{column.name}」栏目公开，条例第四十九条）", column=column.code,
                    period=f"{year}年度", year=year, due=due.isoformat())

