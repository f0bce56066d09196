"""Reading the part of the report the office writes: `reports/<单位代码>/<年份>.md`.

Front matter: the Table A figures the catalogue cannot know (行政许可、行政处罚、行政强制
decisions and 行政事业性收费 in 万元). Body: an optional preamble, then exactly the sections
一、五、六 as `##` headings; 二、三、四 are the computed tables and must not be written.
The government's roll-up narrative, `reports/<本级政府>/<年份>-汇总.md`, has no figures: its
tables are sums. Either may name when the report went public and its 索引号 (发布日期, 索引号):
the report's own data for the 年报 lists, feeds, open data and the 1月31日 check.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..diagnostics import Report
from ..catalogue.fields import Fields
from ..catalogue.identifiers import parse_index_no
from ..catalogue.load import read_item, read_text
from ..catalogue.privacy import scan
from .tables import FIGURE_KEY, FIGURES, SECTION_TITLE, WRITTEN_SECTIONS, Figure

_HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*#*\s*$")
_NUMERAL = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]")
PUBLICATION_KEYS = ("发布日期", "索引号")
NOT_APPLICABLE = ("/", "／", "—", "-", "不适用")
_FEE_PLACES = Decimal("0.0001")


@dataclass
class Narrative:
    unit_id: str
    year: int
    path: Path
    rollup: bool = False
    preamble: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # 一 / 五 / 六 -> Markdown
    figures: dict[str, Figure] = field(default_factory=dict)  # Table A key -> value
    lines: dict[str, int] = field(default_factory=dict)
    published: dt.date | None = None  # 发布日期, when the report went public
    index_no: str = ""  # 索引号 the report is published under

    @property
    def text(self) -> str:
        return "\n".join([self.preamble, *self.sections.values()])


def read_narrative(path: Path, root: Path, unit_id: str, year: int, rollup: bool, report: Report) -> Narrative | None:
    narrative = Narrative(unit_id, year, path, rollup)
    if rollup:
        body = read_text(path, root, report)
        if body is None:
            return None
        body_line = 1
        if body.startswith("---\n"):  # only 发布日期 and 索引号: the tables are sums
            raw = read_item(path, root, report)
            if raw is None:
                return None
            f = Fields(raw.meta, path, report)
            for key in f.data:
                if key not in PUBLICATION_KEYS:
                    f.error(key, "rollup-front-matter", f"汇总报告的元数据只写发布日期和索引号，不认识「{key}」："
                                                        "它的表格由各单位的数据相加得到")
            _read_publication(f, narrative)
            body, body_line = raw.body, raw.body_line
    else:
        raw = read_item(path, root, report)
        if raw is None:
            return None
        f = Fields(raw.meta, path, report)
        _read_figures(f, narrative)
        _read_publication(f, narrative)
        body, body_line = raw.body, raw.body_line
    _read_sections(body, body_line, narrative, report)
    return narrative


def _read_figures(f: Fields, narrative: Narrative) -> None:
    names = tuple(name for _, name in FIGURES)
    for key in f.data:
        if key not in FIGURE_KEY and key not in PUBLICATION_KEYS:
            f.error(key, "report-key", f"年度报告的元数据只写{'、'.join(names)}四项（公布后再写发布日期、索引号），不认识「{key}」；"
                                       "规章和行政规范性文件的件数由目录中的信息自动统计")
    for key, name in FIGURES:
        unit = "本年收费金额（万元），可有小数" if key == "fees" else "本年处理决定数量（件）"
        value = f.raw(name, True, f"{unit}；没有的写 0，本单位无此职权的写「/」")
        narrative.lines[key] = f.line(name)
        if value is None:
            continue
        if isinstance(value, str) and value.strip() in NOT_APPLICABLE:
            narrative.figures[key] = None
        elif key == "fees" and isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            amount = Decimal(str(value))
            if amount != amount.quantize(_FEE_PLACES):
                f.error(name, "figure", f"「{name}」以万元为单位，最多写 4 位小数（即精确到元），实际为 {value}")
            else:
                narrative.figures[key] = amount
        elif key != "fees" and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            narrative.figures[key] = value
        else:
            f.error(name, "figure", f"「{name}」应为{'不小于 0 的数（万元）' if key == 'fees' else '不小于 0 的整数'}，"
                                    f"或「/」（本单位无此职权）；实际为「{value}」")


def _read_publication(f: Fields, narrative: Narrative) -> None:
    """发布日期 and 索引号, both optional; the 索引号's unit and uniqueness are checked in build.py."""
    narrative.published = f.date("发布日期")
    if narrative.published is not None:
        narrative.lines["发布日期"] = f.line("发布日期")
        if narrative.published.year <= narrative.year:
            f.error("发布日期", "report-published-early", f"{narrative.year} 年的年度报告在这一年结束后才能公布："
                    f"「发布日期」{narrative.published} 应晚于 {narrative.year}-12-31")
    narrative.index_no = f.text("索引号", max_len=60)
    if narrative.index_no:
        narrative.lines["索引号"] = f.line("索引号")
        if parse_index_no(narrative.index_no) is None:
            f.error("索引号", "index-format", f"索引号「{narrative.index_no}」格式不对；应为「机构代码/年份-流水号」，"
                                             f"如 11350100MB0A12345X/{narrative.year + 1}-00001")


def _read_sections(body: str, body_line: int, narrative: Narrative, report: Report) -> None:
    path = narrative.path
    current: str | None = None
    chunks: dict[str | None, list[str]] = {None: []}
    for offset, line in enumerate(body.split("\n")):
        lineno = body_line + offset
        m = _HEADING.match(line)
        if not m:
            chunks[current].append(line)
            continue
        if m[1] == "#":
            report.error(path, lineno, "report-title", "不要写一级标题「# …」：报告标题由 gkml 按「机关名称+年份」生成；"
                                                       "各部分请用二级标题，如「## 一、总体情况」")
            continue
        numeral = (n := _NUMERAL.match(m[2])) and n[1]
        if numeral not in SECTION_TITLE:
            report.error(path, lineno, "report-section", f"不认识的部分「{m[2]}」；二级标题只能是 "
                         + "、".join(f"「## {SECTION_TITLE[s]}」" for s in WRITTEN_SECTIONS) + "，小标题请用「### 」")
            chunks[current].append(line)
            continue
        if numeral not in WRITTEN_SECTIONS:
            report.error(path, lineno, "report-computed-section",
                         f"「{SECTION_TITLE[numeral]}」由 gkml 根据目录和依申请公开登记自动生成，请删除这一部分")
            current = f"skip-{numeral}"
            chunks.setdefault(current, [])
            continue
        if numeral in chunks:
            report.error(path, lineno, "report-section-repeated", f"「{SECTION_TITLE[numeral]}」出现了两次；请合并")
        elif any(WRITTEN_SECTIONS.index(s) > WRITTEN_SECTIONS.index(numeral) for s in chunks if s in WRITTEN_SECTIONS):
            report.error(path, lineno, "report-section-order", "各部分应按 一、五、六 的顺序排列")
        if m[2].replace(" ", "") != SECTION_TITLE[numeral]:
            report.warning(path, lineno, "report-section-title", f"标题应为「{SECTION_TITLE[numeral]}」（国办公开办函〔2021〕30号）")
        current = numeral
        narrative.lines[numeral] = lineno
        chunks.setdefault(numeral, [])
    narrative.preamble = "\n".join(chunks[None]).strip()
    for numeral in WRITTEN_SECTIONS:
        text = "\n".join(chunks.get(numeral, [])).strip()
        if numeral not in chunks:
            report.error(path, None, "report-section-missing", f"缺少「## {SECTION_TITLE[numeral]}」；没有内容的部分写「无。」")
        elif not text:
            report.error(path, narrative.lines[numeral], "report-section-empty",
                         f"「{SECTION_TITLE[numeral]}」没有内容；没有需要报告的写「无。」")
        narrative.sections[numeral] = text
    for finding in scan(body):
        report.error(path, body_line + body.count("\n", 0, finding.start), "personal-data",
                     f"含有{finding.kind}「{finding.masked}」；年度报告要公开发布，请删除或遮盖")
