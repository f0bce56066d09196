"""Timeliness: late publication (条例第二十六条 and the column's 时限), late policy
interpretation, and items rushed out at the end of a quarter."""
from __future__ import annotations

import datetime as dt

from ..catalogue.model import Deadline, Item
from ..catalogue.workdays import WorkCalendar, estimate_mark, estimate_note
from .context import AuditContext, _yearly


def due_date(deadline: Deadline, start: dt.date, calendar: WorkCalendar) -> dt.date | None:
    """Last day allowed: N working days after `start`, or the yearly date in `start`'s year."""
    if deadline.workdays is not None:
        return calendar.add_workdays(start, deadline.workdays)
    if deadline.month:
        return _yearly(start.year, deadline.month, deadline.day)
    return None


def _late(ctx: AuditContext, item: Item, kind: str, start: dt.date, start_label: str, deadline: Deadline,
          **extra) -> None:
    due = due_date(deadline, start, ctx.calendar)
    if due is None or item.published <= due:
        return
    used = ctx.calendar.workdays_between(start, item.published)
    missing = ctx.calendar.missing_years(start, item.published)
    if missing:
        extra["estimated"] = missing
        ctx.estimated.setdefault(item.unit_id, set()).update(missing)
    where = f"迁移前在「{item.migration.platform}」发布：" if kind == "late-migrated" else ""
    ctx.add(kind, item.unit_id,
            f"{where}{start_label} {start.isoformat()}，栏目时限「{deadline.text}」，最晚应于 {due.isoformat()}{estimate_mark(missing)} 发布，"
            f"实际 {item.published.isoformat()} 发布（相隔 {used} 个工作日{'，' + estimate_mark(missing)[1:-1] if missing else ''}）",
            item=item, line=item.lines.get("发布日期"), start=start.isoformat(), due=due.isoformat(),
            published=item.published.isoformat(), workdays=used, deadline=deadline.text, **extra)


def calendar_estimates(ctx: AuditContext) -> None:
    """One note per unit whose findings rest on estimated working days (run after the timeliness rules)."""
    for unit_id, years in sorted(ctx.estimated.items()):
        ctx.add("calendar-gap", unit_id, f"本单位有逾期判断按估算的工作日得出。{estimate_note(sorted(years))}",
                estimated=sorted(years))


def _kind(item: Item, kind: str) -> str:
    """Migrated history is judged apart from current work: its lateness is its own kind."""
    return "late-migrated" if item.migrated_history else kind


def late(ctx: AuditContext) -> None:
    """发布日期 later than the column's 时限 counted from 生成日期 (政策解读: see late_interpretation)."""
    for item in ctx.public:
        column = ctx.column(item.column)
        if column is None or column.deadline is None or column.interpretation or not ctx.in_window(item.published):
            continue
        _late(ctx, item, _kind(item, "late"), item.generated, "生成日期", column.deadline)


def late_interpretation(ctx: AuditContext) -> None:
    """A 政策解读 published later than its column's 时限 (3 working days) after the document it explains."""
    for item in ctx.public:
        column = ctx.column(item.column)
        if column is None or not column.interpretation or not item.interprets or not ctx.in_window(item.published):
            continue
        document = ctx.catalogue.by_index_no.get(item.interprets)
        if document is None or document.published is None or column.deadline is None:
            continue  # `gkml check` reports the broken link
        _late(ctx, item, _kind(item, "late-interpretation"), document.published, f"被解读文件「{document.title}」发布日期",
              column.deadline, document=document.index_no)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return (dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1)) - dt.timedelta(days=1)


def in_rush(day: dt.date, days: int) -> bool:
    """Within the last `days` calendar days of its quarter (the quarter's last day included)."""
    return (quarter_end(*quarter_of(day)) - day).days < days


def quarter_counts(ctx: AuditContext, unit_id: str | None = None) -> dict[tuple[int, int], tuple[int, int]]:
    """(year, quarter) -> (items published in the quarter, of them in its last N days), within the
    window; migrated history left out."""
    out: dict[tuple[int, int], list[int]] = {}
    for item in ctx.public:
        if (unit_id is None or item.unit_id == unit_id) and ctx.in_window(item.published) \
                and not item.migrated_history:  # the old platform's habits are not this office's work
            counts = out.setdefault(quarter_of(item.published), [0, 0])
            counts[0] += 1
            counts[1] += in_rush(item.published, ctx.config.rush_days)
    return {q: (a, b) for q, (a, b) in sorted(out.items())}


def rushed(ctx: AuditContext) -> None:
    cfg = ctx.config
    for unit in ctx.units:
        for (year, quarter), (total, last) in quarter_counts(ctx, unit.id).items():
            if total < cfg.rush_min_items or last / total <= cfg.rush_share:
                continue
            end = quarter_end(year, quarter)
            start = end - dt.timedelta(days=cfg.rush_days - 1)
            ctx.add("rushed", unit.id,
                    f"{year}年第{quarter}季度公开的 {total} 条信息中有 {last} 条（{last / total:.0%}）集中在季度最后 "
                    f"{cfg.rush_days} 天（{start.isoformat()} 至 {end.isoformat()}）发布，超过 {cfg.rush_share:.0%}；"
                    "信息应在形成后及时公开，不应集中在检查前突击发布",
                    period=f"{year}年第{quarter}季度", quarter=f"{year}Q{quarter}", total=total, last_days=last,
                    share=round(last / total, 4))
