"""What every rule needs: the catalogue as it stood on the as-of date, per unit and column."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..diagnostics import Report
from ..catalogue.model import Catalogue, Column, Item, Unit
from ..catalogue.vocab import UPDATE_CYCLES
from ..catalogue.workdays import WorkCalendar
from .config import AuditConfig

if TYPE_CHECKING:
    from ..annual.desk import Desk
from .findings import KINDS, OFF, Finding

OK, EMPTY, STALE, NOT_APPLICABLE = "ok", "empty", "stale", "not-applicable"


@dataclass(frozen=True)
class ColumnStatus:
    unit: str
    column: Column
    state: str  # ok | empty | stale | not-applicable
    count: int = 0  # public items in the column as of the date
    last: dt.date | None = None  # newest 发布日期 among them
    reason: str = ""  # 不适用 reason


@dataclass
class AuditContext:
    catalogue: Catalogue
    report: Report  # diagnostics of loading the catalogue (the publication gates among them)
    as_of: dt.date
    since: dt.date | None
    config: AuditConfig
    calendar: WorkCalendar
    units: list[Unit]  # the units audited, in catalogue order
    findings: list[Finding] = field(default_factory=list)
    estimated: dict[str, set[int]] = field(default_factory=dict)  # unit -> years whose working days were estimated
    desk: "Desk | None" = None  # the request desk as of the date (rules_requests)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)  # unit -> (interpreted, policy documents)

    def add(self, kind: str, unit: str, message: str, *, column: str | None = None, item: Item | None = None,
            line: int | None = None, period: str | None = None, file: str | None = None, **details) -> None:
        level = self.config.level(kind)
        if level == OFF:
            return
        assert kind in KINDS, kind
        self.findings.append(Finding(
            kind=kind, level=level, unit=unit, message=message, column=column if column is not None else (
                item.column if item is not None else None),
            file=item.rel if item is not None else file, line=line, index_no=item.index_no if item is not None else None,
            period=period, details=details))

    def in_window(self, day: dt.date) -> bool:
        return (self.since is None or day >= self.since) and day <= self.as_of

    @cached_property
    def annual_reports(self) -> list:
        """The annual reports gkml computes from reports/ and requests/ as of the date (AnnualReport),
        the government's 汇总 among them: judged by several rules, built once."""
        from ..annual import build_annual_reports
        return build_annual_reports(self.catalogue, None, self.as_of)

    @cached_property
    def unit_ids(self) -> set[str]:
        return {u.id for u in self.units}

    @cached_property
    def items(self) -> list[Item]:
        """The audited units' items that existed on the as-of date (生成日期 not after it), drafts excluded."""
        return [i for i in self.catalogue.items
                if i.unit_id in self.unit_ids and not i.draft and i.generated <= self.as_of]

    @cached_property
    def public(self) -> list[Item]:
        """Items the public could see on the as-of date, oldest first."""
        return sorted((i for i in self.items if i.is_public and i.published <= self.as_of),
                      key=lambda i: (i.published, i.index_no))

    def visible(self, index_no: str) -> Item | None:
        """Any unit's item with this 索引号, if public on the as-of date."""
        item = self.catalogue.by_index_no.get(index_no)
        if item is None or not item.is_public or item.published > self.as_of:
            return None
        return item

    def column(self, code: str) -> Column | None:
        return self.catalogue.taxonomy.by_code.get(code)

    def profile_leaves(self, unit: Unit) -> list[Column]:
        """Leaf columns of the unit's kind, in taxonomy order (including those it marked 不适用)."""
        return [c for c in self.catalogue.taxonomy.profile(unit.kind) if c.is_leaf]

    def applicable(self, unit: Unit) -> list[Column]:
        return [c for c in self.profile_leaves(unit) if c.code not in unit.not_applicable]

    @cached_property
    def by_unit_column(self) -> dict[tuple[str, str], list[Item]]:
        out: dict[tuple[str, str], list[Item]] = {}
        for item in self.public:
            out.setdefault((item.unit_id, item.column), []).append(item)
        return out

    @cached_property
    def statuses(self) -> dict[str, list[ColumnStatus]]:
        """unit id -> the status of every leaf column in its profile."""
        out: dict[str, list[ColumnStatus]] = {}
        for unit in self.units:
            rows = []
            for column in self.profile_leaves(unit):
                if column.code in unit.not_applicable:
                    rows.append(ColumnStatus(unit.id, column, NOT_APPLICABLE, reason=unit.not_applicable[column.code]))
                    continue
                items = self.by_unit_column.get((unit.id, column.code), [])
                last = items[-1].published if items else None
                state = EMPTY if not items else (STALE if is_stale(column, last, self.as_of) else OK)
                rows.append(ColumnStatus(unit.id, column, state, len(items), last))
            out[unit.id] = rows
        return out


def is_stale(column: Column, last: dt.date, as_of: dt.date) -> bool:
    """Whether a column's newest item is older than its 更新周期 allows.

    Annual-report columns are judged by the annual-report rule instead. A column with a fixed
    yearly deadline (每年M月D日前) is current when it has an item newer than one cycle before
    the latest deadline already passed, so the new item is not demanded before its deadline.
    """
    days = UPDATE_CYCLES.get(column.cycle or "")
    if days is None or column.annual:
        return False
    deadline = column.deadline
    if deadline is not None and deadline.month:
        due = _yearly(as_of.year, deadline.month, deadline.day)
        if due >= as_of:
            due = _yearly(as_of.year - 1, deadline.month, deadline.day)
        return last <= due - dt.timedelta(days=days)
    return (as_of - last).days > days


def _yearly(year: int, month: int, day: int) -> dt.date:
    """The deadline date in `year`; 2月29日 and other short months fall back to the month's last day."""
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1
