"""Figures the reports show beside the findings: items per month, quarters, column matrix."""
from __future__ import annotations

from . import AuditResult
from .rules_time import quarter_counts

MAX_MONTHS = 36


def month_range(result: AuditResult) -> list[tuple[int, int]]:
    """The months charted: from --since (at most 36 months) or the 12 months up to the as-of date."""
    end = (result.as_of.year, result.as_of.month)
    if result.since is not None:
        start = (result.since.year, result.since.month)
    else:
        index = end[0] * 12 + end[1] - 1 - 11
        start = (index // 12, index % 12 + 1)
    months = []
    y, m = start
    while (y, m) <= end:
        months.append((y, m))
        y, m = (y + (m == 12), 1 if m == 12 else m + 1)
    return months[-MAX_MONTHS:]


def monthly(result: AuditResult) -> dict[str, list[int]]:
    """unit id -> public items published in each month of month_range()."""
    months = month_range(result)
    index = {m: i for i, m in enumerate(months)}
    out = {u.id: [0] * len(months) for u in result.units}
    for item in result.context.public:
        i = index.get((item.published.year, item.published.month))
        if i is not None:
            out[item.unit_id][i] += 1
    return out


def month_label(month: tuple[int, int]) -> str:
    return f"{month[0]}-{month[1]:02d}"


def quarters(result: AuditResult) -> list[dict]:
    ctx = result.context
    rows = []
    for unit in result.units:
        for (year, q), (total, last) in quarter_counts(ctx, unit.id).items():
            rows.append({"unit": unit.id, "quarter": f"{year}Q{q}", "items": total, "last_days": last,
                         "share": round(last / total, 4) if total else 0})
    return rows


def column_rows(result: AuditResult) -> list[dict]:
    """One row per (unit, leaf column in its profile), in unit then taxonomy order."""
    rows = []
    for unit in result.units:
        for s in result.statuses[unit.id]:
            c = s.column
            rows.append({"unit": unit.id, "column": c.code, "name": c.name, "weight": c.weight, "cycle": c.cycle,
                         "deadline": c.deadline.text if c.deadline else None, "state": s.state, "count": s.count,
                         "last": s.last.isoformat() if s.last else None, "reason": s.reason})
    return rows


def window_text(result: AuditResult) -> str:
    if result.since is None:
        return f"截至 {result.as_of} 的全部信息"
    return f"{result.since} 至 {result.as_of}"

