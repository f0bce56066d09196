"""Finding and reading every annual-report input file, and the rules that span several files.

    requests/<单位代码>/<年份>.yml     依申请公开登记 (register.py)
    reports/<单位代码>/<年份>.md       the unit's narrative and Table A figures (narrative.py)
    reports/<本级政府>/<年份>-汇总.md  the government's roll-up narrative
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..diagnostics import Report
from ..catalogue.fields import suggest
from ..catalogue.load import read_mapping, walk_files
from ..catalogue.model import Catalogue
from ..catalogue.workdays import WorkCalendar, estimate_mark, estimate_note
from .compute import answer_due
from .narrative import Narrative, read_narrative
from .register import Register, Request, read_register

ROLLUP_SUFFIX = "-汇总"
_REGISTER_NAME = re.compile(r"^(\d{4})\.yml$")
_NARRATIVE_NAME = re.compile(rf"^(\d{{4}})({ROLLUP_SUFFIX})?\.md$")


@dataclass
class AnnualInputs:
    registers: dict[tuple[str, int], Register] = field(default_factory=dict)
    narratives: dict[tuple[str, int], Narrative] = field(default_factory=dict)
    rollups: dict[int, Narrative] = field(default_factory=dict)

    def requests(self, unit_id: str) -> list[Request]:
        """Every request record of a unit, whichever year's register holds it."""
        return [r for (u, _), reg in sorted(self.registers.items()) if u == unit_id and reg.itemised
                for r in reg.requests]


def read_inputs(catalogue: Catalogue, calendar: WorkCalendar, report: Report, today: dt.date) -> AnnualInputs:
    root = catalogue.root
    inputs = AnnualInputs()
    for path, unit_id, m in _files(catalogue, "requests", _REGISTER_NAME, "<年份>.yml，如 2025.yml", report):
        doc = read_mapping(path, root, report)
        register = doc and read_register(doc, path, unit_id, int(m[1]), report, today)
        if register:
            inputs.registers[unit_id, register.year] = register
    for path, unit_id, m in _files(catalogue, "reports", _NARRATIVE_NAME,
                                   f"<年份>.md（本级政府的汇总报告为 <年份>{ROLLUP_SUFFIX}.md），如 2025.md", report):
        year, rollup = int(m[1]), bool(m[2])
        if rollup and unit_id != catalogue.site.gov_unit:
            report.error(path, None, "rollup-unit", f"只有本级政府（{catalogue.site.gov_unit}）有汇总报告；"
                                                    f"本单位的报告请命名为 {year}.md")
            continue
        narrative = read_narrative(path, root, unit_id, year, rollup, report)
        if narrative and rollup:
            inputs.rollups[year] = narrative
        elif narrative:
            inputs.narratives[unit_id, year] = narrative
    _check_placement(inputs, report)
    _check_pairs(catalogue, inputs, report, today)
    _check_pending(inputs, calendar, report, today)
    return inputs


def _files(catalogue: Catalogue, folder: str, pattern: re.Pattern, expected: str, report: Report):
    root = catalogue.root
    for path in walk_files(root / folder, root, report, ""):
        parts = path.relative_to(root / folder).parts
        if len(parts) != 2 or not (m := pattern.match(parts[1])):
            report.error(path, None, f"{folder}-location", f"{folder}/ 下的文件应为 {folder}/<单位代码>/{expected}")
            continue
        if parts[0] not in catalogue.units:
            report.error(path, None, "unknown-unit", f"单位「{parts[0]}」不存在（units/ 下没有 {parts[0]}.yml）"
                         + suggest(parts[0], catalogue.units))
            continue
        yield path, parts[0], m


def _check_placement(inputs: AnnualInputs, report: Report) -> None:
    """Each request is registered once, in the register of the year it was received.

    A request received in an earlier year may be listed only while that year has no itemised
    register (the first year a unit keeps one, or after a year given as 汇总表): it is then a
    上年结转 request carried into this register.
    """
    seen: dict[tuple[str, str], Request] = {}
    for (unit_id, year), register in sorted(inputs.registers.items()):
        for req in register.requests or ():
            first = seen.setdefault((unit_id, req.number), req)
            if first is not req:
                report.error(req.path, req.lines.get("编号"), "request-duplicate",
                             f"编号「{req.number}」与 {report.rel(first.path)} 第 {first.line} 行重复；一件申请只登记一次", "编号")
            home = inputs.registers.get((unit_id, req.received.year))
            if req.received.year > year:
                report.error(req.path, req.lines.get("收到日期"), "request-wrong-year",
                             f"收到日期是 {req.received.year} 年，应登记在 requests/{unit_id}/{req.received.year}.yml", "收到日期")
            elif req.received.year < year and home is not None and home.itemised:
                report.error(req.path, req.lines.get("收到日期"), "request-wrong-year",
                             f"收到日期是 {req.received.year} 年，应登记在 requests/{unit_id}/{req.received.year}.yml；"
                             "跨年办理的申请只在收到的那一年登记一次，gkml 自动把它计入次年的「上年结转」", "收到日期")


GOVERNMENT_KINDS = ("县级政府", "乡镇")  # 人民政府: 条例第五十条 asks them for more
GOVERNMENT_TOPICS = ("考核", "社会评议", "责任追究")
# 30号: 一、总体情况 covers five topics; each is found by any of its words.
OVERVIEW_TOPICS = (("主动公开", ("主动公开",)), ("依申请公开", ("依申请公开", "公开申请")),
                   ("政府信息管理", ("信息管理", "保密审查", "动态调整", "清理")),
                   ("政府信息公开平台建设", ("平台",)), ("监督保障", ("监督", "考核", "培训", "保障")))
# 30号: 六、其他需要报告的事项 reports these besides 信息处理费.
OTHER_TOPICS = (("政务公开工作要点落实情况", ("工作要点",), "本年度政务公开工作要点落实情况：……"),
                ("人大代表建议和政协提案办理结果公开情况", ("建议", "提案"),
                 "本年度承办人大代表建议X件、政协提案X件，办理结果均已公开（未承办的写「本年度未承办人大代表建议和政协提案」）"))


def _check_topics(narrative: Narrative, report: Report) -> None:
    """一 names the five topics of 30号; 六 reports the 工作要点 and 建议提案 (warnings: wording varies)."""
    overview = narrative.sections.get("一", "")
    missing = [name for name, words in OVERVIEW_TOPICS if not any(w in overview for w in words)]
    if missing:
        report.warning(narrative.path, narrative.lines.get("一"), "report-overview-topics",
                       f"「一、总体情况」应分别写主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面"
                       f"（国办公开办函〔2021〕30号），文中没有写到「{'」「'.join(missing)}」", "一、总体情况")
    other = narrative.sections.get("六", "")
    for name, words, example in OTHER_TOPICS:
        if not any(w in other for w in words):
            report.warning(narrative.path, narrative.lines.get("六"), "report-other-topics",
                           f"「六、其他需要报告的事项」应写明{name}（国办公开办函〔2021〕30号），如「{example}」",
                           "六、其他需要报告的事项")


def _check_pairs(catalogue: Catalogue, inputs: AnnualInputs, report: Report, today: dt.date) -> None:
    for narrative in [n for _, n in sorted(inputs.narratives.items())] + [n for _, n in sorted(inputs.rollups.items())]:
        _check_topics(narrative, report)
    for (unit_id, year), narrative in sorted(inputs.narratives.items()):
        missing = [t for t in GOVERNMENT_TOPICS if t not in narrative.text]
        if catalogue.units[unit_id].kind in GOVERNMENT_KINDS and missing:
            report.warning(narrative.path, narrative.lines.get("一"), "report-government-topics",
                           f"人民政府的年度报告应写明工作考核、社会评议和责任追究结果（条例第五十条），"
                           f"文中没有提到「{'」「'.join(missing)}」", "一、总体情况")
        if "信息处理费" not in narrative.sections.get("六", ""):
            report.warning(narrative.path, narrative.lines.get("六"), "report-fee-missing",
                           "第六部分应写明收取信息处理费的情况（国办函〔2020〕109号）；没有收取的写「本年度未收取信息处理费。」",
                           "六、其他需要报告的事项")
        if (unit_id, year) not in inputs.registers:
            report.warning(narrative.path, None, "register-missing",
                           f"没有 {year} 年的依申请公开登记 requests/{unit_id}/{year}.yml，表三、表四将全部为 0；"
                           "本年没有收到申请的，请建立该文件并写「申请: []」")
    for (unit_id, year), register in sorted(inputs.registers.items()):
        due = dt.date(year + 1, 1, 31)  # 条例第四十九条
        if (unit_id, year) not in inputs.narratives and today > due:
            report.warning(register.path, None, "report-missing",
                           f"{catalogue.units[unit_id].name}{year} 年的年度报告应在 {due} 前公布（条例第四十九条），"
                           f"但还没有 reports/{unit_id}/{year}.md")


def _check_pending(inputs: AnnualInputs, calendar: WorkCalendar, report: Report, today: dt.date) -> None:
    """Open requests past their deadline; an estimated deadline is said to be one, with what to add."""
    for register in inputs.registers.values():
        for req in register.requests or ():
            if req.answered or (req.notice and not req.corrected):
                continue  # concluded, or waiting for the applicant's correction
            _, due, _ = answer_due(req, calendar)
            missing = calendar.missing_years(req.received, due)
            mark = estimate_mark(missing)
            if due < today:
                report.notice(req.path, req.line, "request-pending-overdue",
                               f"申请「{req.number}」的答复期限 {due}{mark} 已过，仍未登记答复日期；"
                               "办结后请填写「答复日期」和「办理结果」", "答复日期")
            if missing:
                report.notice(req.path, req.line, "calendar-estimate",
                               f"申请「{req.number}」的答复期限 {due}{mark}：{estimate_note(missing)}", "收到日期")
