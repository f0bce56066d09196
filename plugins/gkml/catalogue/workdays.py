"""Chinese working days: public holidays and 调休 make-up workdays.

Three sources, in this order of precedence (catalogue/README.md「节假日」 is the editors' text):

1. `catalogue/holidays.yml`, per-date additions and corrections on top of the library:

       2027:
         放假: [2027-01-01, 2027-02-06, ...]
         调休上班: [2027-02-14, ...]

   A year the library already has keeps all its other dates; `替换全年: true` makes the file's
   dates (plus ordinary weekends) the whole year instead. A year the library does not have is
   taken from the file alone: it is the State Council's notice typed in.
2. The chinese_calendar package (the State Council's arrangement, released each November).
3. For a year neither knows: an estimate (估算) on a stated basis, never an error, so a
   December request whose deadline falls in January never stops a build. Callers ask
   `missing_years` and mark what they show as 估算; nothing is cached, so the dates are
   recomputed as soon as the data for that year arrives.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar
from chinese_calendar.constants import holidays as _LIBRARY_HOLIDAYS

from .fields import suggest
from .yamldoc import YamlProblem, parse_mapping

HOLIDAYS_FILE = "holidays.yml"
HOLIDAY_KEY, WORKDAY_KEY, REPLACE_KEY = "放假", "调休上班", "替换全年"
OLD_HOLIDAY_KEY = "节假日"  # the first format's name for 放假, still read
YEAR_KEYS = (HOLIDAY_KEY, WORKDAY_KEY, REPLACE_KEY, OLD_HOLIDAY_KEY)
ESTIMATE = "估算"

# Statutory holidays whose Gregorian dates never move (全国年节及纪念日放假办法, 2024): the part of
# a year's arrangement known before the State Council's notice.
FIXED_HOLIDAYS = ((1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"), (10, 1, "国庆节"), (10, 2, "国庆节"),
                  (10, 3, "国庆节"))
_FIXED = {(m, d) for m, d, _ in FIXED_HOLIDAYS}
ESTIMATE_BASIS = ("周一至周五上班、周六周日休息，扣除日期固定的法定节假日（1月1日元旦，5月1日、2日劳动节，"
                  "10月1日至3日国庆节）")
ESTIMATE_LEFT_OUT = "春节、清明节、端午节、中秋节的放假日和调休上班日要等国务院公布当年安排后才能计入"

LIBRARY_YEARS = frozenset(day.year for day in _LIBRARY_HOLIDAYS)
LIBRARY_NAME = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()


@dataclass(frozen=True)
class CalendarProblem:
    """A problem in holidays.yml, reported by whoever checks the catalogue."""

    line: int | None
    level: str  # error | warning
    code: str
    message: str
    field: str | None = None


@dataclass
class YearOverride:
    holidays: set[dt.date] = field(default_factory=set)
    workdays: set[dt.date] = field(default_factory=set)
    replace: bool = False
    line: int | None = None


@dataclass
class WorkCalendar:
    overrides: dict[int, YearOverride] = field(default_factory=dict)
    library_years: frozenset[int] = LIBRARY_YEARS  # tests narrow it to stand for an older release
    problems: list[CalendarProblem] = field(default_factory=list)
    path: Path | None = None

    @classmethod
    def from_file(cls, path: Path | None, library_years: frozenset[int] = LIBRARY_YEARS) -> "WorkCalendar":
        cal = cls(library_years=library_years, path=path)
        if path is None or not path.exists():
            return cal
        try:
            doc = parse_mapping(path.read_text(encoding="utf-8-sig"))
        except YamlProblem as exc:
            if exc.code != "yaml-empty":  # only comments (the file gkml init writes): nothing to add yet
                cal.problems.append(CalendarProblem(exc.line, "error", "holidays-syntax", exc.message))
            return cal
        except (OSError, UnicodeDecodeError) as exc:
            cal.problems.append(CalendarProblem(None, "error", "holidays-unreadable",
                                                f"无法读取节假日文件（{exc}）；请保存为 UTF-8 编码的文本文件"))
            return cal
        _read_years(cal, doc)
        return cal

    # -- asking about days ---------------------------------------------------------------------

    def known(self, year: int) -> bool:
        """Whether the year's arrangement is known (library or holidays.yml), not estimated."""
        return year in self.library_years or year in self.overrides

    def missing_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The years from `start` to `end` whose working days are estimated."""
        first, last = sorted((start.year, end.year))
        return [y for y in range(first, last + 1) if not self.known(y)]

    def is_workday(self, day: dt.date) -> bool:
        override = self.overrides.get(day.year)
        if override is not None:
            if day in override.workdays:
                return True
            if day in override.holidays:
                return False
            if override.replace or day.year not in self.library_years:
                return day.weekday() < 5
        if day.year in self.library_years:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5 and (day.month, day.day) not in _FIXED  # the estimate

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

    # -- telling people ------------------------------------------------------------------------

    def report_problems(self, report) -> None:
        """Add holidays.yml's problems to a diagnostics Report (once per Report: callers dedupe)."""
        for p in self.problems:
            report.add(self.path, p.line, p.level, p.code, p.message, p.field)


def estimate_note(years: list[int]) -> str:
    """Why a date is marked 估算 and what to do about it: one sentence for messages and pages."""
    names = "、".join(f"{y} 年" for y in years)
    return (f"{ESTIMATE}：{names}的节假日安排尚未收录（{LIBRARY_NAME} 只到 {max(LIBRARY_YEARS)} 年），"
            f"暂按{ESTIMATE_BASIS}计算，{ESTIMATE_LEFT_OUT}；国务院公布该年安排后，把放假日和调休上班日写入 catalogue/{HOLIDAYS_FILE}"
            f"（写法见 catalogue/README.md「节假日」）或升级 chinesecalendar，gkml 会自动重算")


def estimate_mark(years: list[int]) -> str:
    """The short mark shown next to an estimated date: 「（估算）」, or nothing."""
    return f"（{ESTIMATE}）" if years else ""


# -- reading holidays.yml ------------------------------------------------------------------------

def _read_years(cal: WorkCalendar, doc) -> None:
    def problem(path: tuple, level: str, code: str, message: str) -> None:
        cal.problems.append(CalendarProblem(doc.line(*path), level, code, message, ".".join(map(str, path[:2]))))

    for key, spec in doc.data.items():
        if not (str(key).isdigit() and len(str(key)) == 4):
            problem((key,), "error", "holidays-year", f"「{key}」不是年份；节假日文件的每一项以年份开头，如「2027:」")
            continue
        year = int(key)
        if not isinstance(spec, dict):
            problem((key,), "error", "holidays-year",
                    f"「{year}:」下应写「{HOLIDAY_KEY}: [...]」和「{WORKDAY_KEY}: [...]」两个日期列表")
            continue
        override = YearOverride(line=doc.line(key))
        for name, value in spec.items():
            if name not in YEAR_KEYS:
                problem((key, name), "error", "holidays-key",
                        f"不认识「{name}」；年份下只能写「{HOLIDAY_KEY}」「{WORKDAY_KEY}」和「{REPLACE_KEY}」"
                        + suggest(name, YEAR_KEYS))
        replace = spec.get(REPLACE_KEY, False)
        if not isinstance(replace, bool):
            problem((key, REPLACE_KEY), "error", "holidays-replace",
                    f"「{REPLACE_KEY}」应为 true 或 false（true：本文件写的就是 {year} 年的全部放假日和调休上班日）")
            replace = False
        override.replace = replace
        if HOLIDAY_KEY in spec and OLD_HOLIDAY_KEY in spec:
            problem((key, OLD_HOLIDAY_KEY), "error", "holidays-key",
                    f"「{OLD_HOLIDAY_KEY}」是「{HOLIDAY_KEY}」的旧名称，两者只写一个；请把日期合并到「{HOLIDAY_KEY}」")
        for name, target in ((HOLIDAY_KEY, override.holidays), (OLD_HOLIDAY_KEY, override.holidays),
                             (WORKDAY_KEY, override.workdays)):
            for i, day in _dates(spec.get(name), (key, name), year, problem):
                target.add(day)
        for day in sorted(override.holidays & override.workdays):
            problem((key, WORKDAY_KEY), "error", "holidays-both",
                    f"{day} 同时写在「{HOLIDAY_KEY}」和「{WORKDAY_KEY}」中；一天只能是其中一种，请对照国务院通知删去一处")
        override.workdays -= override.holidays
        for day in sorted(override.workdays):
            if day.weekday() < 5:
                problem((key, WORKDAY_KEY), "warning", "holidays-weekday-workday",
                        f"{day} 是星期{'一二三四五'[day.weekday()]}，本来就上班；调休上班日通常是周六或周日，请核对日期")
        if year not in cal.library_years or replace:
            missing = [f"{m}月{d}日（{name}）" for m, d, name in FIXED_HOLIDAYS
                       if dt.date(year, m, d) not in override.holidays]
            if missing:
                problem((key,), "warning", "holidays-incomplete",
                        f"{year} 年的安排以本文件为准（{'写了「替换全年」' if replace else f'{LIBRARY_NAME} 没有这一年'}），"
                        f"但「{HOLIDAY_KEY}」中没有 {'、'.join(missing)}；请把国务院通知中的放假日全部写入")
        cal.overrides[year] = override


def _dates(value, path: tuple, year: int, problem):
    """(position, date) for each valid date of a list, reporting the others."""
    if value is None:
        return
    if not isinstance(value, list):
        problem(path, "error", "holidays-list", f"「{path[-1]}」应为日期列表，如 [{year}-01-01, {year}-01-02]")
        return
    for i, raw in enumerate(value):
        try:
            day = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
        except ValueError:
            problem((*path, i), "error", "holidays-date", f"「{raw}」不是有效日期；请写成 {year}-01-01 的形式")
            continue
        if day.year != year:
            problem((*path, i), "error", "holidays-wrong-year",
                    f"{day} 不在 {year} 年；请写到「{day.year}:」下（每一天写在它所在年份之下）")
            continue
        yield i, day


def calendar_for(catalogue_root: Path) -> WorkCalendar:
    return WorkCalendar.from_file(Path(catalogue_root) / HOLIDAYS_FILE)
