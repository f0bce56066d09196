"""Chinese working days: public holidays and 调休 make-up workdays.

Uses the chinese_calendar package, with a local override file (catalogue/holidays.yml) for
years it does not cover yet or corrections the State Council announces later:

    2027:
      节假日: [2027-01-01, 2027-02-06, ...]
      调休上班: [2027-02-14, ...]
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar

from .yamldoc import YamlProblem, parse_mapping


class CalendarGap(Exception):
    """A year neither chinese_calendar nor the override file covers."""


@dataclass
class WorkCalendar:
    holidays: set[dt.date] = field(default_factory=set)
    workdays: set[dt.date] = field(default_factory=set)
    years: set[int] = field(default_factory=set)  # years fully described by the override

    @classmethod
    def from_file(cls, path: Path | None) -> "WorkCalendar":
        cal = cls()
        if path is None or not path.exists():
            return cal
        try:
            doc = parse_mapping(path.read_text(encoding="utf-8-sig"))
        except YamlProblem as exc:
            raise CalendarGap(f"{path}:{exc.line}: {exc.message}") from None
        for year, spec in doc.data.items():
            cal.years.add(int(year))
            for day in (spec or {}).get("节假日", []) or []:
                cal.holidays.add(_date(day))
            for day in (spec or {}).get("调休上班", []) or []:
                cal.workdays.add(_date(day))
        return cal

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in self.years:
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarGap(f"{day.year} 年的节假日安排尚未收录；请在 holidays.yml 中补充该年的节假日和调休上班日") from None

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The last day of a period of n working days counted from the day after `start`."""
        day = start
        while n > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 if end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def calendar_for(catalogue_root: Path) -> WorkCalendar:
    return WorkCalendar.from_file(Path(catalogue_root) / "holidays.yml")
