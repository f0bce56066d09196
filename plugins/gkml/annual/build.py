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
from ..catalogue.identifiers import parse_index_no
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
    published: dt.date | None = None  # 发布日期: the narrative's, else the 年报 item that carries the report
    index_no: str = ""  # 索引号, from the same place
    filed_as: str = ""  # URL of the 年报 item carrying this report (it is in the feeds and open data already)

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
    _publication(catalogue, result, report)
    for rep in result:
        for p in rep.problems:
            report.error(rep.source, rep.lines.get(p.row), p.code, f"{rep.title}：{p.message}", p.cell)
    return result


def _publication(catalogue: Catalogue, reports: list[AnnualReport], report: Report) -> None:
    """Each report's 发布日期 and 索引号: written in its narrative (reports/<单位>/<年份>.md), or, where
    the office also filed the report as an item in a 年报 column under the same title, that item's."""
    annual = {c.code for c in catalogue.taxonomy.walk() if c.annual}
    filed = {(i.unit_id, i.title): i for i in catalogue.public_items if i.column in annual}
    taken: dict[str, str] = {}
    for rep in reports:
        narrative = rep.narrative
        item = filed.get((rep.unit_id, rep.title))
        rep.published = narrative.published if narrative and narrative.published else (item.published if item else None)
        rep.index_no = narrative.index_no if narrative and narrative.index_no else (item.index_no if item else "")
        if item is not None and rep.index_no == item.index_no:
            rep.filed_as = item.url
        if narrative is None or not narrative.index_no:
            continue
        line = narrative.lines.get("索引号")
        parsed = parse_index_no(rep.index_no)
        unit = catalogue.units[rep.unit_id]
        if parsed is not None and parsed.prefix != unit.code:
            report.error(narrative.path, line, "index-prefix",
                         f"索引号前段「{parsed.prefix}」应为本单位（{unit.name}）的机构代码 {unit.code}", "索引号")
        other = catalogue.by_index_no.get(rep.index_no)
        if other is not None and not rep.filed_as:
            report.error(narrative.path, line, "duplicate-index-no",
                         f"索引号「{rep.index_no}」与 {other.rel} 重复；索引号在全平台必须唯一", "索引号")
        elif rep.index_no in taken:
            report.error(narrative.path, line, "duplicate-index-no",
                         f"索引号「{rep.index_no}」与「{taken[rep.index_no]}」重复；索引号在全平台必须唯一", "索引号")
        taken[rep.index_no] = rep.title
    for rep in reports:
        if rep.published is None and rep.narrative is not None:
            report.notice(rep.narrative.path, None, "report-undated",
                          f"{rep.title}没有发布日期：公布后在本文件开头的元数据中写「发布日期」和「索引号」，"
                          f"年报列表、订阅和开放数据才会列出它，自查才能核对它是否在 {rep.due} 前公布")


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
