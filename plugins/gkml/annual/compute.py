"""From data to tables: Table A from the catalogue, Tables B and C from the request registers,
and the requests that missed their legal deadline.

Counting rules (also in catalogue/README.md「五、年度报告数据」):
- 规章: items in the column named 「规章」; 行政规范性文件: items in columns marked
  `规范性文件: true`. Only 主动公开, non-draft items count. 本年制发 by 成文日期 (生成日期 when
  there is none); 本年废止 by 废止日期 for 废止 or 失效 items; 现行有效 = made by 12月31日 and
  not repealed by then.
- A request is 本年新收 in the year it was received, concluded (三) in the year of its
  答复日期, 结转下年度 when it has no 答复日期 in or before the year, and 上年结转 in the next.
- A 复议/诉讼 counts in the year it was brought; one not closed by 12月31日 is 尚未审结.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..catalogue.model import Catalogue
from ..catalogue.workdays import WorkCalendar, estimate_mark
from .register import Case, Request
from .tables import (APPLICANTS, CASE_RESULT_SHORT, CASE_TOTAL, NO_DEADLINE, OUTCOME_BY_SHORT, ROW_CARRIED,
                     ROW_FORWARD, ROW_NEW, ROW_TOTAL, TOTAL, Figure, TableA, TableB, TableC)

ANSWER_WORKDAYS = 20  # 条例第三十三条
EXTENSION_WORKDAYS = 20
NOTICE_WORKDAYS = 7  # 条例第三十条: one correction notice within 7 working days
REGULATION_COLUMN = "规章"


def regulation_columns(catalogue: Catalogue) -> set[str]:
    return {c.code for c in catalogue.taxonomy.walk() if c.name == REGULATION_COLUMN}


def normative_columns(catalogue: Catalogue) -> set[str]:
    return {c.code for c in catalogue.taxonomy.walk() if c.normative}


def table_a(catalogue: Catalogue, unit_id: str, year: int, figures: dict[str, Figure]) -> TableA:
    table = TableA()
    table.figures.update(figures)
    end = dt.date(year, 12, 31)
    groups = (("regulations", regulation_columns(catalogue)), ("normative", normative_columns(catalogue)))
    for item in catalogue.unit_items(unit_id, public=False):
        if item.disclosure != "主动公开" or item.draft:
            continue
        for key, codes in groups:
            if item.column not in codes:
                continue
            made = item.written or item.generated
            repealed = item.repealed_on if item.validity in ("废止", "失效") else None
            row = table.docs[key]
            row[0] += made.year == year
            row[1] += repealed is not None and repealed.year == year
            row[2] += made <= end and (repealed is None or repealed > end)
    return table


def _applicant_row(counts: list[int]) -> list[int]:
    return counts[:TOTAL] + [sum(counts[:TOTAL])]


def tables_from_requests(requests: list[Request], year: int) -> tuple[TableB, TableC]:
    """Tables B and C for `year` from all of a unit's request records (every year's register)."""
    b, c = TableB(), TableC()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for req in requests:
        col = req.applicant
        open_at_start = req.received < start and (req.answered is None or req.answered >= start)
        if req.received.year == year:
            b.rows[ROW_NEW][col] += 1
        if open_at_start:
            b.rows[ROW_CARRIED][col] += 1
        if req.answered and req.answered.year == year and req.outcome:
            b.rows[OUTCOME_BY_SHORT[req.outcome].key][col] += 1
        if req.received <= end and (req.answered is None or req.answered > end):
            b.rows[ROW_FORWARD][col] += 1
        group = "suit_after_review" if req.review else "direct_suit"
        for key, case in (("review", req.review), (group, req.suit)):
            if case and case.filed.year == year:
                c.groups[key][_case_column(case, end)] += 1
    outcome_rows = [key for key in b.rows if key not in (ROW_NEW, ROW_CARRIED, ROW_TOTAL, ROW_FORWARD)]
    b.rows[ROW_TOTAL] = [sum(b.rows[key][i] for key in outcome_rows) for i in range(len(APPLICANTS))] + [0]
    for key in b.rows:
        b.rows[key] = _applicant_row(b.rows[key])
    for key in c.groups:
        c.groups[key][CASE_TOTAL] = sum(c.groups[key][:CASE_TOTAL])
    return b, c


def _case_column(case: Case, end: dt.date) -> int:
    if case.closed is None or case.closed > end:
        return CASE_RESULT_SHORT.index("尚未审结")
    return CASE_RESULT_SHORT.index(case.result)


@dataclass(frozen=True)
class Late:
    """A request handled after its legal time limit."""

    request: Request
    kind: str  # 答复 | 补正告知
    start: dt.date  # the clock started the day after this
    due: dt.date  # last day allowed
    done: dt.date  # when it was actually done
    late_workdays: int
    allowed_workdays: int
    estimated: tuple[int, ...] = ()  # years whose holidays were estimated (workdays.estimate_note)

    @property
    def explanation(self) -> str:
        req = self.request
        mark = estimate_mark(list(self.estimated))
        if self.kind == "补正告知":
            return (f"{req.received} 收到，应在 {self.allowed_workdays} 个工作日内（{self.due}{mark} 前）一次性告知补正，"
                    f"{self.done} 才告知，超过 {self.late_workdays} 个工作日")
        clock = f"{self.start} 收到补正" if req.corrected else f"{self.start} 收到"
        extra = []
        if req.extended:
            extra.append("已延期")
        if req.consulted:
            extra.append(f"征求意见 {req.consulted[0]} 至 {req.consulted[1]} 不计入")
        return (f"{clock}，答复期限 {self.allowed_workdays} 个工作日{'（' + '，'.join(extra) + '）' if extra else ''}，"
                f"应在 {self.due}{mark} 前答复，{self.done} 才答复，超期 {self.late_workdays} 个工作日")


def answer_due(req: Request, calendar: WorkCalendar) -> tuple[dt.date, dt.date, int]:
    """(clock start, last allowed day, working days allowed) for answering a request.

    The clock restarts when the corrected request arrives (条例第三十条); an approved extension
    adds 20 working days and consultation time is not counted (条例第三十三条).
    """
    start = req.corrected or req.received
    allowed = ANSWER_WORKDAYS + (EXTENSION_WORKDAYS if req.extended else 0)
    paused = calendar.workdays_between(*req.consulted) if req.consulted else 0
    return start, calendar.add_workdays(start, allowed + paused), allowed


def late_requests(requests: list[Request], year: int, calendar: WorkCalendar) -> list[Late]:
    """Requests concluded in `year` after their deadline, and correction notices sent too late."""
    found: list[Late] = []
    for req in requests:
        if req.notice and req.notice.year == year:
            due = calendar.add_workdays(req.received, NOTICE_WORKDAYS)
            if req.notice > due:
                found.append(Late(req, "补正告知", req.received, due, req.notice,
                                  calendar.workdays_between(due, req.notice), NOTICE_WORKDAYS,
                                  tuple(calendar.missing_years(req.received, req.notice))))
        if req.answered and req.answered.year == year and req.outcome not in NO_DEADLINE:
            start, due, allowed = answer_due(req, calendar)
            if req.answered > due:
                found.append(Late(req, "答复", start, due, req.answered, calendar.workdays_between(due, req.answered),
                                  allowed, tuple(calendar.missing_years(req.received, req.answered))))
    return sorted(found, key=lambda late: (late.done, late.request.number))
