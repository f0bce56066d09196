"""The annual reports of a catalogue: one per unit and year that has a narrative, plus the
government's roll-up (汇总) per year, every one checked.

    reports = build_annual_reports(catalogue, report)
    for r in reports:
        r.title, r.problems, r.render_html()
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report
from ..catalogue.model import Catalogue
from ..catalogue.workdays import WorkCalendar, calendar_for
from .checks import Problem, check_carry_over, check_table_b, check_table_c
from .compute import Late, late_requests, table_a, tables_from_requests
from .inputs import AnnualInputs, read_inputs
from .narrative import Narrative
from .tables import FIGURES, TableA, TableB, TableC


@dataclass
class AnnualReport:
    unit_id: str  # for the roll-up: the government unit
    unit_name: str
    year: int
    title: str
    table_a: TableA
    table_b: TableB
    table_c: TableC
    narrative: Narrative | None
    rollup: bool = False
    members: tuple[str, ...] = ()  # roll-up: the units summed, in catalogue order
    member_names: dict[str, str] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)  # roll-up: unit name -> why its figures are not in it
    late: list[Late] = field(default_factory=list)  # handled after the legal time limit
    problems: list[Problem] = field(default_factory=list)  # failed checks: do not publish
    source: Path | None = None  # where failed checks are reported
    lines: dict[str, int] = field(default_factory=dict)  # row or group key -> line in `source`
    due: dt.date | None = None  # publication deadline (条例第四十九条)

    @property
    def slug_suffix(self) -> str:
        """Tells the roll-up from the government's own report of the same year in URLs."""
        return "-huizong" if self.rollup else ""

    @property
    def slug(self) -> str:
        """Stable and unique: `qzf-2025`, `qzf-2025-huizong`; usable in file names and HTML ids."""
        return f"{self.unit_id}-{self.year}{self.slug_suffix}"

    @property
    def ok(self) -> bool:
        return not self.problems

    def render_html(self, link=None) -> str:
        """HTML fragment for a Material page; `link(unit_id, year)` -> URL of a member's report (roll-up)."""
        from .render import render_html
        return render_html(self, link)

    def render_markdown(self) -> str:
        from .render import render_markdown
        return render_markdown(self)

    def to_dict(self) -> dict:
        from .render import report_dict
        return report_dict(self)


def build_annual_reports(catalogue: Catalogue, report: Report | None = None,
                         today: dt.date | None = None) -> list[AnnualReport]:
    """Every annual report, newest year first; the roll-up comes first in its year, then units in
    catalogue order. Input problems and failed checks are added to `report` once, however often
    this is called with the same report (load_catalogue already calls it via check_annual_inputs).
    """
    scratch = Report(base=report.base if report is not None else None)
    reports = _build(catalogue, scratch, today or dt.date.today())
    if report is not None:
        known = set(report.items)
        report.items.extend(d for d in scratch.items if d not in known)
    return reports


def check_annual_inputs(catalogue: Catalogue, report: Report, today: dt.date | None = None) -> None:
    """For `gkml check`: registers and narratives are valid and every report adds up."""
    build_annual_reports(catalogue, report, today)


def _build(catalogue: Catalogue, report: Report, today: dt.date) -> list[AnnualReport]:
    calendar = calendar_for(catalogue.root)
    calendar.report_problems(report)
    inputs = read_inputs(catalogue, calendar, report, today)
    units = {u.id: u for u in catalogue.sorted_units()}
    built: dict[tuple[str, int], AnnualReport] = {}
    for (unit_id, year), narrative in inputs.narratives.items():
        built[unit_id, year] = _unit_report(catalogue, inputs, narrative, calendar, report)
    for (unit_id, year), rep in built.items():
        previous = _table_b(inputs, unit_id, year - 1)
        if previous is not None:
            rep.problems += check_carry_over(previous, year - 1, rep.table_b)
    rollups = _rollups(catalogue, inputs, built, units)
    ordered = sorted(built.values(), key=lambda r: (-r.year, list(units).index(r.unit_id)))
    result = sorted(rollups + ordered, key=lambda r: (-r.year, not r.rollup))
    for rep in result:
        for p in rep.problems:
            report.error(rep.source, rep.lines.get(p.row), p.code, f"{rep.title}：{p.message}", p.cell)
    return result


def _table_b(inputs: AnnualInputs, unit_id: str, year: int) -> TableB | None:
    """Table B of a unit's year as its register gives it, or None without a register."""
    register = inputs.registers.get((unit_id, year))
    if register is None:
        return None
    if register.itemised:
        return tables_from_requests(inputs.requests(unit_id), year)[0]
    return register.table_b


def _unit_report(catalogue: Catalogue, inputs: AnnualInputs, narrative: Narrative, calendar: WorkCalendar,
                 report: Report) -> AnnualReport:
    unit, year = catalogue.units[narrative.unit_id], narrative.year
    register = inputs.registers.get((unit.id, year))
    late: list[Late] = []
    if register is None:
        b, c = TableB(), TableC()
    elif register.itemised:
        requests = inputs.requests(unit.id)
        b, c = tables_from_requests(requests, year)
        late = late_requests(requests, year, calendar)
    else:
        b, c = register.table_b, register.table_c
    rep = AnnualReport(
        unit_id=unit.id, unit_name=unit.name, year=year,
        title=f"{unit.name}{year}年政府信息公开工作年度报告",
        table_a=table_a(catalogue, unit.id, year, narrative.figures), table_b=b, table_c=c,
        narrative=narrative, late=late,
        source=register.path if register else narrative.path,
        lines=register.lines if register else {},
        due=dt.date(year + 1, 1, 31))
    rep.problems = check_table_b(b) + check_table_c(c)
    return rep


def _rollups(catalogue: Catalogue, inputs: AnnualInputs, built: dict[tuple[str, int], AnnualReport],
             units: dict) -> list[AnnualReport]:
    """The government's 汇总 report per year: Tables A, B and C summed over every unit's report."""
    gov = catalogue.units.get(catalogue.site.gov_unit)
    if gov is None:
        return []
    years = sorted({year for _, year in built} | set(inputs.rollups))
    out: dict[int, AnnualReport] = {}
    for year in years:
        members = [u for u in units if (u, year) in built]
        a, b, c = TableA(figures={key: None for key, _ in FIGURES}), TableB(), TableC()  # "/" until a unit has one
        for unit_id in members:
            member = built[unit_id, year]
            a.add(member.table_a)
            b.add(member.table_b)
            c.add(member.table_c)
        narrative = inputs.rollups.get(year)
        left_out = {units[u].name: _why_left_out(inputs, u, year) for u in units if (u, year) not in built}
        rep = AnnualReport(
            unit_id=gov.id, unit_name=gov.name, year=year,
            title=f"{gov.name}{year}年政府信息公开工作年度报告（汇总）",
            table_a=a, table_b=b, table_c=c, narrative=narrative, rollup=True,
            members=tuple(members), member_names={u: units[u].name for u in members}, left_out=left_out,
            late=sorted((late for u in members for late in built[u, year].late),
                        key=lambda late: (late.done, late.request.unit_id, late.request.number)),
            source=narrative.path if narrative else catalogue.root / "requests",
            due=dt.date(year + 1, 3, 31))  # 条例第四十九条: the government's report by 3月31日
        rep.problems = check_table_b(b) + check_table_c(c)
        if year - 1 in out:
            rep.problems += check_carry_over(out[year - 1].table_b, year - 1, rep.table_b)
        out[year] = rep
    return list(out.values())


def _why_left_out(inputs: AnnualInputs, unit_id: str, year: int) -> str:
    if (unit_id, year) in inputs.registers:
        return f"有依申请公开登记，但没有 reports/{unit_id}/{year}.md，未生成本单位年报"
    return f"没有 {year} 年的年度报告数据（reports/{unit_id}/{year}.md）"
