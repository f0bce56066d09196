"""The annual report as a Word document, the form units submit to the level above: A4, the
layout of 国办公开办函〔2021〕30号 with its merged header cells, and the fonts of government
documents (GB/T 9704: 方正小标宋简体 title, 黑体 and 楷体_GB2312 headings, 仿宋_GB2312 text).

    data = render_docx(report)   # bytes of a .docx file
"""
from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..catalogue.workdays import estimate_note
from .tables import (APPLICANT_NAMES, BALANCE_NOTE, CASE_COLUMNS, CASE_GROUPS, COLUMNS, DECISION_BLOCKS, DOC_COLUMNS,
                     DOC_ROWS, OUTCOME_GROUPS, RESULTS_LABEL, ROW_CARRIED, ROW_FORWARD, ROW_LABEL, ROW_NEW, ROW_TOTAL,
                     SECTIONS, format_figure)

if TYPE_CHECKING:
    from .build import AnnualReport

TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = Pt(22), Pt(16), Pt(10.5)  # 二号, 三号, 五号
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def render_docx(rep: AnnualReport) -> bytes:
    doc = Document()
    _page(doc)
    _paragraph(doc, rep.title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=Pt(16))
    if rep.problems:
        p = _paragraph(doc, "本报告的数据未通过校验，不能公布：", HEADING_FONT, BODY_SIZE)
        p.runs[0].font.color.rgb = RGBColor(0xB9, 0x1C, 0x1C)
        for problem in rep.problems:
            _paragraph(doc, problem.message, BODY_FONT, BODY_SIZE)
    if rep.narrative and rep.narrative.preamble:
        _markdown(doc, rep.narrative.preamble)
    if rep.rollup:
        _paragraph(doc, f"本报告表格为以下 {len(rep.members)} 个单位{rep.year}年年度报告数据的汇总："
                   + ("、".join(rep.member_names[u] for u in rep.members) or "（暂无）") + "。", BODY_FONT, BODY_SIZE)
        if rep.left_out:
            _paragraph(doc, f"未纳入汇总的 {len(rep.left_out)} 个单位："
                       + "；".join(f"{name}（{why}）" for name, why in rep.left_out.items()) + "。", BODY_FONT, BODY_SIZE)
    for numeral, title in SECTIONS:
        _paragraph(doc, title, HEADING_FONT, BODY_SIZE)
        if numeral == "二":
            _table_a(doc, rep)
        elif numeral == "三":
            _table_b(doc, rep)
        elif numeral == "四":
            _table_c(doc, rep)
        else:
            text = rep.narrative.sections.get(numeral, "") if rep.narrative else ""
            _markdown(doc, text or ("（本部分见各单位年度报告。）" if rep.rollup and not rep.narrative else "无。"))
            if numeral == "五" and rep.late:
                _late(doc, rep)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- page and text --------------------------------------------------------------------------------

def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.font.name = LATIN_FONT


def _fonts(rpr, east_asian: str) -> None:
    """Word picks the Chinese face from w:eastAsia; python-docx's font.name sets only the Latin one."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _run(paragraph, text: str, font: str, size, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.name = LATIN_FONT
    run.bold = bold or None
    _fonts(run._element.get_or_add_rPr(), font)
    return run


def _paragraph(doc, text: str, font: str, size, *, align=None, indent: bool = True, after=Pt(0)):
    p = doc.add_paragraph()
    p.paragraph_format.alignment = align
    p.paragraph_format.first_line_indent = Pt(32) if indent else None  # two characters
    p.paragraph_format.space_after = after
    p.paragraph_format.line_spacing = Pt(28)
    parts = _BOLD.split(text)
    for i, part in enumerate(parts):
        if part:
            _run(p, part, font, size, bold=i % 2 == 1)
    return p


def _markdown(doc, text: str) -> None:
    """The narrative's Markdown as office paragraphs: ### headings in 楷体, **bold** kept, lists and
    tables as plain lines (the narrative is prose; its tables are rare and small)."""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            _paragraph(doc, lines[0].lstrip("#").strip(), SUBHEADING_FONT, BODY_SIZE)
            lines = lines[1:]
        if lines and all(line.startswith("|") for line in lines):
            for line in lines:
                cells = [c.strip() for c in line.strip("|").split("|")]
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
                    _paragraph(doc, "　".join(cells), BODY_FONT, BODY_SIZE)
            continue
        for n, line in enumerate(lines):
            if line.startswith(("- ", "* ")):
                _paragraph(doc, "· " + line[2:], BODY_FONT, BODY_SIZE)
            elif n == 0 or lines[n - 1].startswith(("- ", "* ")):
                _paragraph(doc, line, BODY_FONT, BODY_SIZE)
            else:  # a soft line break inside a paragraph: Markdown joins the lines
                _run(doc.paragraphs[-1], line, BODY_FONT, BODY_SIZE)


def _late(doc, rep: AnnualReport) -> None:
    _paragraph(doc, "据依申请公开登记统计，未在法定期限内办理的申请：", BODY_FONT, BODY_SIZE)
    for late in rep.late:
        unit = f"（{rep.member_names.get(late.request.unit_id, '')}）" if rep.rollup else ""
        _paragraph(doc, f"{late.request.number}{unit}：{late.explanation}", BODY_FONT, BODY_SIZE)
    estimated = sorted({y for late in rep.late for y in late.estimated})
    if estimated:
        _paragraph(doc, estimate_note(estimated) + "。", BODY_FONT, BODY_SIZE)


# -- tables ---------------------------------------------------------------------------------------

def _table(doc, rows: int, cols: int):
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _put(table, row: int, col: int, text, *, to: tuple[int, int] | None = None, left: bool = False,
         vertical: bool = False) -> None:
    """Write a cell (merged with the cell `to`, bottom-right corner, when given); `vertical`: the
    text runs top to bottom with the characters upright (竖排), as the 30号 form's tall label cells."""
    cell = table.cell(row, col)
    if to is not None and to != (row, col):
        cell = cell.merge(table.cell(*to))
    if vertical:  # python-docx has no API for it: <w:textDirection w:val="tbRlV"/> in the cell's
        direction = OxmlElement("w:textDirection")  # properties, before the <w:vAlign> set below (schema order)
        direction.set(qn("w:val"), "tbRlV")
        cell._tc.get_or_add_tcPr().append(direction)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    _run(p, str(text), BODY_FONT, TABLE_SIZE)


def _table_a(doc, rep: AnnualReport) -> None:
    """表二: one four-column table; each block opens with its article across the whole width."""
    a = rep.table_a
    height = 2 + len(DOC_ROWS) + sum(2 + len(rows) for _, _, rows in DECISION_BLOCKS)
    t = _table(doc, height, 4)
    _put(t, 0, 0, "第二十条第（一）项", to=(0, 3))
    _put(t, 1, 0, "信息内容")
    for i, name in enumerate(DOC_COLUMNS):
        _put(t, 1, 1 + i, name)
    r = 2
    for key, name in DOC_ROWS:
        _put(t, r, 0, name)
        for i, value in enumerate(a.docs[key]):
            _put(t, r, 1 + i, value)
        r += 1
    for block, column, rows in DECISION_BLOCKS:
        _put(t, r, 0, block, to=(r, 3))
        _put(t, r + 1, 0, "信息内容")
        _put(t, r + 1, 1, column, to=(r + 1, 3))
        r += 2
        for key, name in rows:
            _put(t, r, 0, name)
            _put(t, r, 1, format_figure(a.figures[key]), to=(r, 3))
            r += 1


def _table_b(doc, rep: AnnualReport) -> None:
    """表三: 3 label columns and 7 number columns under the 申请人情况 header (3 rows)."""
    b = rep.table_b
    groups = OUTCOME_GROUPS
    data_rows = 2 + sum(len(g.outcomes) for g in groups) + 2
    t = _table(doc, 3 + data_rows, 3 + len(COLUMNS))
    _put(t, 0, 0, BALANCE_NOTE, to=(2, 2))
    _put(t, 0, 3, "申请人情况", to=(0, 2 + len(COLUMNS)))
    _put(t, 1, 3, APPLICANT_NAMES[0], to=(2, 3))
    _put(t, 1, 4, "法人或其他组织", to=(1, 3 + len(APPLICANT_NAMES) - 1))
    for i, name in enumerate(APPLICANT_NAMES[1:]):
        _put(t, 2, 4 + i, name)
    _put(t, 1, 3 + len(APPLICANT_NAMES), "总计", to=(2, 3 + len(APPLICANT_NAMES)))

    def numbers(row: int, key: str) -> None:
        for i, value in enumerate(b.rows[key]):
            _put(t, row, 3 + i, value)

    r = 3
    for key in (ROW_NEW, ROW_CARRIED):
        _put(t, r, 0, ROW_LABEL[key], to=(r, 2), left=True)
        numbers(r, key)
        r += 1
    results_top = r
    for group in groups:
        if group.split:
            _put(t, r, 1, group.label, to=(r + len(group.outcomes) - 1, 1), left=True)
            for o in group.outcomes:
                _put(t, r, 2, o.label, left=True)
                numbers(r, o.key)
                r += 1
        else:
            [o] = group.outcomes
            _put(t, r, 1, o.label, to=(r, 2), left=True)
            numbers(r, o.key)
            r += 1
    _put(t, r, 1, ROW_LABEL[ROW_TOTAL], to=(r, 2), left=True)
    numbers(r, ROW_TOTAL)
    _put(t, results_top, 0, RESULTS_LABEL, to=(r, 0), vertical=True)
    r += 1
    _put(t, r, 0, ROW_LABEL[ROW_FORWARD], to=(r, 2), left=True)
    numbers(r, ROW_FORWARD)


def _table_c(doc, rep: AnnualReport) -> None:
    """表四: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉), five columns each, one row of numbers."""
    c = rep.table_c
    width = len(CASE_COLUMNS)
    t = _table(doc, 4, width * len(CASE_GROUPS))
    _put(t, 0, 0, "行政复议", to=(1, width - 1))
    _put(t, 0, width, "行政诉讼", to=(0, 3 * width - 1))
    for g, (key, label) in enumerate(CASE_GROUPS):
        if key != "review":
            _put(t, 1, g * width, label, to=(1, g * width + width - 1))
        for i, name in enumerate(CASE_COLUMNS):
            _put(t, 2, g * width + i, name)
            _put(t, 3, g * width + i, c.groups[key][i])
