"""The request desk (办理台账): every open 依申请公开 request with its due date and how many
working days are left, so an office answers before the deadline instead of typing the facts
in afterwards. Used by `gkml requests` and by the request section of `gkml audit`.

States, most urgent first:
- 逾期       the answer deadline has passed;
- 即将逾期   at most `warn_days` working days left (default 5);
- 办理中     the clock runs;
- 征求意见中 the clock is paused while a third party or another body is consulted
             (条例第三十二、三十三条; the third party has 15 working days to reply);
- 待补正     waiting for the applicant's correction: the clock restarts when it arrives (第三十条).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import Report
from ..catalogue.model import Catalogue
from ..catalogue.workdays import WorkCalendar, calendar_for, estimate_mark, estimate_note
from .compute import ANSWER_WORKDAYS, EXTENSION_WORKDAYS, NOTICE_WORKDAYS, answer_due
from .inputs import read_inputs
from .register import Request

WARN_WORKDAYS = 5
THIRD_PARTY_WORKDAYS = 15  # 条例第三十二条
OVERDUE, SOON, RUNNING, CONSULTING, CORRECTING = "逾期", "即将逾期", "办理中", "征求意见中", "待补正"
STATES = (OVERDUE, SOON, RUNNING, CONSULTING, CORRECTING)


@dataclass(frozen=True)
class OpenRequest:
    request: Request
    state: str
    start: dt.date  # the clock started the day after this
    allowed: int  # working days allowed (20, or 40 with 延期)
    due: dt.date | None  # None while paused (征求意见中, 待补正)
    left: int | None  # working days left after today up to the due date; negative: working days overdue
    estimated: tuple[int, ...] = ()  # years whose holidays were estimated
    notes: tuple[str, ...] = ()

    @property
    def due_text(self) -> str:
        if self.due is None:
            return "暂停计时"
        return f"{self.due}{estimate_mark(list(self.estimated))}"

    @property
    def left_text(self) -> str:
        if self.left is None:
            return "—"
        if self.left < 0:
            return f"已超过 {-self.left} 个工作日"
        return "今天到期" if self.left == 0 else f"剩 {self.left} 个工作日"


@dataclass
class Desk:
    today: dt.date
    warn_days: int
    root: Path  # the catalogue, for file paths relative to it
    units: list[tuple[str, str]]  # (id, name) of the units shown, in catalogue order
    registered: set[str] = field(default_factory=set)  # units with at least one itemised register
    registered_years: set[tuple[str, int]] = field(default_factory=set)  # (unit, year) with a register of any form
    open: dict[str, list[OpenRequest]] = field(default_factory=dict)  # unit id -> its open requests

    def all(self) -> list[OpenRequest]:
        return [r for uid, _ in self.units for r in self.open.get(uid, [])]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATES}
        for r in self.all():
            out[r.state] += 1
        return out

    def unit_summary(self, uid: str) -> str:
        """One line for a unit with an itemised register: how many requests are open and how urgent
        (the audit shows it); "" for a unit without one."""
        if uid not in self.registered:
            return ""
        rows = self.open.get(uid, [])
        urgent = [f"{s} {n} 件" for s in (OVERDUE, SOON) if (n := sum(o.state == s for o in rows))]
        return f"依申请公开：未办结 {len(rows)} 件" + (f"，其中{'、'.join(urgent)}" if urgent else "") + \
            ("（逐件见 gkml requests）" if rows else "")

    def rel(self, req: Request) -> str:
        try:
            return req.path.relative_to(self.root).as_posix()
        except ValueError:
            return req.path.as_posix()

    @property
    def estimated(self) -> list[int]:
        return sorted({y for r in self.all() for y in r.estimated})

    @property
    def estimate_note(self) -> str:
        return estimate_note(self.estimated) if self.estimated else ""


def as_of(req: Request, today: dt.date) -> Request | None:
    """The request as the register stood on `today`: what happened later is not known yet
    (an audit as of a past date sees a request answered after it as open)."""
    if req.received > today:
        return None
    later = lambda day: day is not None and day > today  # noqa: E731
    changes = {}
    if later(req.answered):
        changes.update(answered=None, outcome=None)
    if later(req.notice):
        changes.update(notice=None, corrected=None)
    elif later(req.corrected):
        changes["corrected"] = None
    if req.consulted and later(req.consulted[0]):
        changes["consulted"] = None
    elif req.consulted and later(req.consulted[1]):
        changes.update(consulted=None, consulting=req.consulted[0])
    if later(req.consulting):
        changes["consulting"] = None
    return replace(req, **changes) if changes else req


def open_request(req: Request, calendar: WorkCalendar, today: dt.date, warn_days: int) -> OpenRequest | None:
    """Where a request stands on `today`; None if it was answered by then (or not yet received)."""
    req = as_of(req, today)
    if req is None or req.answered is not None:
        return None
    allowed = ANSWER_WORKDAYS + (EXTENSION_WORKDAYS if req.extended else 0)
    notes = []
    if req.extended:
        notes.append(f"已延期，答复期限 {allowed} 个工作日")
    if req.notice and not req.corrected:
        return OpenRequest(req, CORRECTING, req.received, allowed, None, None, notes=tuple(notes + [
            f"{req.notice} 已告知补正，等待申请人补正；收到补正后重新计算 {allowed} 个工作日"]))
    if req.corrected:
        notes.append(f"{req.corrected} 收到补正，自次日重新计算")
    elif not req.notice:
        notice_due = calendar.add_workdays(req.received, NOTICE_WORKDAYS)
        if notice_due >= today:
            notes.append(f"需要补正的，应在 {notice_due}{estimate_mark(calendar.missing_years(req.received, notice_due))}"
                         " 前一次性告知（条例第三十条）")
    if req.consulted:
        notes.append(f"征求意见 {req.consulted[0]} 至 {req.consulted[1]} 不计入")
    start = req.corrected or req.received
    if req.consulting:
        used = calendar.workdays_between(start, req.consulting)
        reply_due = calendar.add_workdays(req.consulting, THIRD_PARTY_WORKDAYS)
        missing = calendar.missing_years(start, max(reply_due, today))
        late = "，已过期，可依法自行决定（条例第三十二条）" if reply_due < today else ""
        notes.append(f"{req.consulting} 发出征求意见，暂停计时；第三方应在 {reply_due}{estimate_mark(missing)} 前答复{late}")
        return OpenRequest(req, CONSULTING, start, allowed, None, allowed - used, tuple(missing), tuple(notes))
    _, due, _ = answer_due(req, calendar)
    missing = calendar.missing_years(req.received, max(due, today))
    if due < today:
        return OpenRequest(req, OVERDUE, start, allowed, due, -calendar.workdays_between(due, today),
                           tuple(missing), tuple(notes))
    left = calendar.workdays_between(today, due)
    return OpenRequest(req, SOON if left <= warn_days else RUNNING, start, allowed, due, left, tuple(missing),
                       tuple(notes))


def build_desk(catalogue: Catalogue, today: dt.date, warn_days: int = WARN_WORKDAYS, unit: str | None = None,
               report: Report | None = None) -> Desk:
    """The desk of every unit (or one): register problems go to `report` (a scratch one by default)."""
    calendar = calendar_for(catalogue.root)
    inputs = read_inputs(catalogue, calendar, report or Report(), today)
    units = [(u.id, u.name) for u in catalogue.sorted_units() if unit is None or u.id == unit]
    desk = Desk(today, warn_days, catalogue.root, units)
    rank = {s: i for i, s in enumerate(STATES)}
    desk.registered = {u for (u, _), reg in inputs.registers.items() if reg.itemised}
    desk.registered_years = set(inputs.registers)
    for uid, _ in units:
        found = [o for req in inputs.requests(uid) if (o := open_request(req, calendar, today, warn_days))]
        desk.open[uid] = sorted(found, key=lambda o: (rank[o.state], o.due or dt.date.max, o.request.received,
                                                      o.request.number))
    return desk


def desk_dict(desk: Desk) -> dict:
    """The JSON form (`gkml requests --format json`; catalogue/README.md describes the keys)."""
    return {
        "today": desk.today.isoformat(), "warn_days": desk.warn_days, "counts": desk.counts(),
        "estimated": desk.estimated, "estimate_note": desk.estimate_note,
        "units": [{"id": uid, "name": name, "registered": uid in desk.registered, "requests": [{
            "number": o.request.number, "state": o.state, "received": o.request.received.isoformat(),
            "start": o.start.isoformat(), "allowed": o.allowed, "due": o.due.isoformat() if o.due else None,
            "left": o.left, "estimated": list(o.estimated), "extended": o.request.extended,
            "notes": list(o.notes), "file": desk.rel(o.request), "line": o.request.line,
        } for o in desk.open.get(uid, [])]} for uid, name in desk.units],
    }
