"""Annual report output: an HTML fragment laid out exactly as the official format (merged
cells included), Markdown for review, and a plain dict for JSON.

The HTML is a fragment for a Material page (no <html>/<body>); its classes are styled by
site-templates/assets/gkml-annual.css, whose print rules give the report an office can file.
Every data cell names its headers (`headers`/`id`), so screen readers announce row and column.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import markdown
import nh3

from .tables import (APPLICANT_NAMES, APPLICANTS, BALANCE_NOTE, CASE_COLUMNS, CASE_GROUPS, COLUMNS, DECISION_BLOCKS,
                     DOC_COLUMNS, DOC_ROWS, FIGURES, OUTCOME_GROUPS, RESULTS_LABEL, ROW_CARRIED, ROW_FORWARD, ROW_KEYS, ROW_LABEL,
                     ROW_NEW, ROW_SHORT, ROW_TOTAL, SECTION_TITLE, SECTIONS, TOTAL, format_figure, row_title)

from ..catalogue.workdays import estimate_mark, estimate_note

if TYPE_CHECKING:
    from .build import AnnualReport

NO_TEXT = "无。"


# -- HTML -----------------------------------------------------------------------------------------

def render_html(rep: AnnualReport, link=None) -> str:
    p = f"gkml-annual-{rep.slug}"
    parts = [f'<article class="gkml-annual-report" id="{p}">']
    if rep.problems:
        parts.append(_problems_html(rep))
    if rep.narrative and rep.narrative.preamble:
        parts.append(f'<div class="gkml-annual-report__preamble">{_markdown(rep.narrative.preamble)}</div>')
    if rep.rollup:
        parts.append(_members_html(rep, link))
    body = {
        "二": _table_a_html(rep, p), "三": _table_b_html(rep, p), "四": _table_c_html(rep, p),
    }
    for numeral, title in SECTIONS:
        if numeral in body:
            content = body[numeral]
        else:
            content = _markdown(_written(rep, numeral))
            if numeral == "五" and rep.late:
                content += _late_html(rep)
        parts.append(f'<section class="gkml-annual-report__section" aria-labelledby="{p}-s{numeral}">'
                     f'<h2 id="{p}-s{numeral}">{escape(title)}</h2>{content}</section>')
    parts.append("</article>")
    return "\n".join(parts)


def _written(rep: AnnualReport, numeral: str) -> str:
    if rep.narrative is None:
        return "（本部分见各单位年度报告。）" if rep.rollup else NO_TEXT
    return rep.narrative.sections.get(numeral) or NO_TEXT


def _markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(html)


def _problems_html(rep: AnnualReport) -> str:
    items = "".join(f"<li>{escape(p.message)}</li>" for p in rep.problems)
    return ('<div class="admonition danger gkml-annual-report__problems" role="alert">'
            '<p class="admonition-title">本报告的数据未通过校验，不能公布</p>'
            f"<ul>{items}</ul></div>")


def _members_html(rep: AnnualReport, link) -> str:
    names = []
    for unit_id in rep.members:
        name = escape(rep.member_names[unit_id])
        url = link(unit_id, rep.year) if link else None
        names.append(f'<a href="{escape(url)}">{name}</a>' if url else name)
    listed = "、".join(names) if names else "（暂无）"
    out = (f'<p class="gkml-annual-report__members">本报告表格为以下 {len(rep.members)} 个单位{rep.year}年'
           f"年度报告数据的汇总：{listed}。</p>")
    if rep.left_out:
        out += (f'<p class="gkml-annual-report__left-out">未纳入汇总的 {len(rep.left_out)} 个单位：'
                + "；".join(f"{escape(name)}（{escape(why)}）" for name, why in rep.left_out.items()) + "。</p>")
    return out


def _td(value, headers: list[str], colspan: int = 1) -> str:
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return f'<td{span} headers="{" ".join(headers)}">{escape(str(value))}</td>'


def _th(text: str, ident: str, scope: str, rowspan: int = 1, colspan: int = 1, cls: str = "") -> str:
    attrs = f' id="{ident}" scope="{scope}"'
    attrs += f' rowspan="{rowspan}"' if rowspan > 1 else ""
    attrs += f' colspan="{colspan}"' if colspan > 1 else ""
    attrs += f' class="{cls}"' if cls else ""
    return f"<th{attrs}>{escape(text)}</th>"


def _table(kind: str, caption: str, inner: str) -> str:
    return (f'<div class="gkml-annual-report__scroll" role="region" tabindex="0" aria-label="{escape(caption)}">'
            f'<table class="gkml-annual-table gkml-annual-table--{kind}">'
            f'<caption class="gkml-visually-hidden">{escape(caption)}</caption>{inner}</table></div>')


def _table_a_html(rep: AnnualReport, p: str) -> str:
    a = rep.table_a
    rows = []
    block = f"{p}-a1"
    rows.append("<tbody>")
    rows.append(f"<tr>{_th('第二十条第（一）项', block, 'colgroup', colspan=4, cls='gkml-annual-report__block')}</tr>")
    rows.append("<tr>" + _th("信息内容", f"{block}-h", "col")
                + "".join(_th(name, f"{block}-c{i}", "col") for i, name in enumerate(DOC_COLUMNS)) + "</tr>")
    for key, name in DOC_ROWS:
        rows.append("<tr>" + _th(name, f"{block}-{key}", "row")
                    + "".join(_td(v, [block, f"{block}-c{i}", f"{block}-{key}"]) for i, v in enumerate(a.docs[key]))
                    + "</tr>")
    rows.append("</tbody>")
    for n, (basis, column, figures) in enumerate(DECISION_BLOCKS, start=2):
        block = f"{p}-a{n}"
        rows.append("<tbody>")
        rows.append(f"<tr>{_th(basis, block, 'colgroup', colspan=4, cls='gkml-annual-report__block')}</tr>")
        rows.append("<tr>" + _th("信息内容", f"{block}-h", "col") + _th(column, f"{block}-c", "col", colspan=3) + "</tr>")
        for key, name in figures:
            rows.append("<tr>" + _th(name, f"{block}-{key}", "row")
                        + _td(format_figure(a.figures[key]), [block, f"{block}-c", f"{block}-{key}"], colspan=3)
                        + "</tr>")
        rows.append("</tbody>")
    cols = '<colgroup><col class="gkml-annual-report__label"><col><col><col></colgroup>'
    return _table("a", "主动公开政府信息情况", cols + "".join(rows))


def _table_b_html(rep: AnnualReport, p: str) -> str:
    b = rep.table_b
    q = f"{p}-b"
    col_ids = []
    for key, _ in APPLICANTS:
        col_ids.append([f"{q}-applicant", f"{q}-org", f"{q}-col-{key}"] if key != "natural" else
                       [f"{q}-applicant", f"{q}-col-natural"])
    col_ids.append([f"{q}-applicant", f"{q}-col-total"])
    head = [
        "<thead>",
        f'<tr><td colspan="3" rowspan="3" class="gkml-annual-report__note">{escape(BALANCE_NOTE)}</td>'
        + _th("申请人情况", f"{q}-applicant", "colgroup", colspan=7) + "</tr>",
        "<tr>" + _th("自然人", f"{q}-col-natural", "col", rowspan=2)
        + _th("法人或其他组织", f"{q}-org", "colgroup", colspan=5) + _th("总计", f"{q}-col-total", "col", rowspan=2) + "</tr>",
        "<tr>" + "".join(_th(name, f"{q}-col-{key}", "col") for key, name in APPLICANTS[1:]) + "</tr>",
        "</thead>",
    ]

    def cells(row_key: str, row_ids: list[str]) -> str:
        return "".join(_td(v, col_ids[i] + row_ids) for i, v in enumerate(b.rows[row_key]))

    body = ["<tbody>"]
    for key in (ROW_NEW, ROW_CARRIED):
        body.append("<tr>" + _th(ROW_LABEL[key], f"{q}-row-{key}", "row", colspan=3) + cells(key, [f"{q}-row-{key}"]) + "</tr>")
    results = f"{q}-row-results"
    first = True
    for group in OUTCOME_GROUPS:
        gid = f"{q}-grp-{group.key}"
        for i, outcome in enumerate(group.outcomes):
            lead = _th(RESULTS_LABEL, results, "row", rowspan=22) if first else ""
            first = False
            oid = f"{q}-row-{outcome.key}"
            if not group.split:
                row = lead + _th(outcome.label, oid, "row", colspan=2) + cells(outcome.key, [results, oid])
            else:
                glead = _th(group.label, gid, "row", rowspan=len(group.outcomes)) if i == 0 else ""
                row = lead + glead + _th(outcome.label, oid, "row", cls="gkml-annual-report__leaf") \
                    + cells(outcome.key, [results, gid, oid])
            body.append(f"<tr>{row}</tr>")
    tid = f"{q}-row-{ROW_TOTAL}"
    body.append("<tr>" + _th(ROW_LABEL[ROW_TOTAL], tid, "row", colspan=2) + cells(ROW_TOTAL, [results, tid]) + "</tr>")
    fid = f"{q}-row-{ROW_FORWARD}"
    body.append("<tr>" + _th(ROW_LABEL[ROW_FORWARD], fid, "row", colspan=3) + cells(ROW_FORWARD, [fid]) + "</tr>")
    body.append("</tbody>")
    cols = ('<colgroup><col class="gkml-annual-report__l1"><col class="gkml-annual-report__l2"><col class="gkml-annual-report__l3">'
            + "<col>" * len(COLUMNS) + "</colgroup>")
    return _table("b", "收到和处理政府信息公开申请情况", cols + "".join(head + body))


def _table_c_html(rep: AnnualReport, p: str) -> str:
    c = rep.table_c
    q = f"{p}-c"
    head = [
        "<thead>",
        "<tr>" + _th("行政复议", f"{q}-review", "colgroup", rowspan=2, colspan=5)
        + _th("行政诉讼", f"{q}-suit", "colgroup", colspan=10) + "</tr>",
        "<tr>" + _th("未经复议直接起诉", f"{q}-direct_suit", "colgroup", colspan=5)
        + _th("复议后起诉", f"{q}-suit_after_review", "colgroup", colspan=5) + "</tr>",
        "<tr>" + "".join(_th(name, f"{q}-{g}-{i}", "col") for g, _ in CASE_GROUPS
                         for i, name in enumerate(CASE_COLUMNS)) + "</tr>",
        "</thead>",
    ]
    cells = []
    for g, _ in CASE_GROUPS:
        groups = [f"{q}-{g}"] if g == "review" else [f"{q}-suit", f"{q}-{g}"]
        cells += [_td(v, groups + [f"{q}-{g}-{i}"]) for i, v in enumerate(c.groups[g])]
    body = ["<tbody><tr>", *cells, "</tr></tbody>"]
    return _table("c", "政府信息公开行政复议、行政诉讼情况", "".join(head + body))


def _late_html(rep: AnnualReport) -> str:
    answers = sum(late.kind == "答复" for late in rep.late)
    notices = len(rep.late) - answers
    summary = []
    if answers:
        summary.append(f"{answers}件申请超过法定期限答复")
    if notices:
        summary.append(f"{notices}件申请超过7个工作日才告知补正")
    unit_col = "<th scope=\"col\">单位</th>" if rep.rollup else ""
    rows = []
    for late in rep.late:
        unit = f"<td>{escape(rep.member_names.get(late.request.unit_id, late.request.unit_id))}</td>" if rep.rollup else ""
        rows.append(f"<tr>{unit}<th scope=\"row\">{escape(late.request.number)}</th><td>{escape(late.kind)}</td>"
                    f"<td>{late.request.received}</td><td>{late.due}{estimate_mark(list(late.estimated))}</td><td>{late.done}</td>"
                    f"<td>{late.late_workdays}</td></tr>")
    head = (f"<thead><tr>{unit_col}<th scope=\"col\">登记编号</th><th scope=\"col\">环节</th>"
            "<th scope=\"col\">收到日期</th><th scope=\"col\">期限截止</th><th scope=\"col\">实际日期</th>"
            "<th scope=\"col\">超过工作日数</th></tr></thead>")
    table = _table("late", "未在法定期限内办理的申请", head + "<tbody>" + "".join(rows) + "</tbody>")
    estimated = sorted({y for late in rep.late for y in late.estimated})
    note = f"<p>{escape(estimate_note(estimated))}。</p>" if estimated else ""
    return (f'<div class="gkml-annual-report__late"><p>据依申请公开登记统计（按国务院公布的节假日和调休安排计算工作日），'
            f"本年度有{'，'.join(summary)}：</p>{table}{note}</div>")


# -- Markdown and JSON ----------------------------------------------------------------------------

def _md_row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _md_table(head, rows) -> list[str]:
    return [_md_row(head), _md_row(["---"] * len(head)), *(_md_row(r) for r in rows)]


def _table_a_markdown(a) -> list[str]:
    """表二 as 30号 lays it out: four blocks, each headed by the article it implements."""
    out = ["**第二十条第（一）项**", ""]
    out += _md_table(("信息内容", *DOC_COLUMNS), [(name, *a.docs[key]) for key, name in DOC_ROWS])
    for block, column, rows in DECISION_BLOCKS:
        out += ["", f"**{block}**", ""]
        out += _md_table(("信息内容", column), [(name, format_figure(a.figures[key])) for key, name in rows])
    return out


def _table_b_markdown(b) -> list[str]:
    """表三 with the 申请人情况 grouping spelt out (Markdown has no merged cells) and the label rows
    of 三、本年度办理结果 and its groups, so it reads (and is read back, typed.py) like the printed table."""
    head = [BALANCE_NOTE] + [("法人或其他组织：" if 0 < i < TOTAL else "") + name for i, (_, name) in enumerate(COLUMNS)]
    blank = [""] * len(COLUMNS)
    rows = [(ROW_LABEL[ROW_NEW], *b.rows[ROW_NEW]), (ROW_LABEL[ROW_CARRIED], *b.rows[ROW_CARRIED]),
            (RESULTS_LABEL, *blank)]
    for group in OUTCOME_GROUPS:
        if group.split:
            rows.append((group.label, *blank))
        rows += [(o.label, *b.rows[o.key]) for o in group.outcomes]
    rows += [(ROW_LABEL[ROW_TOTAL], *b.rows[ROW_TOTAL]), (ROW_LABEL[ROW_FORWARD], *b.rows[ROW_FORWARD])]
    groups = f"申请人情况：自然人；法人或其他组织（{'、'.join(APPLICANT_NAMES[1:])}）；总计。"
    return [groups, "", *_md_table(head, rows)]


def _table_c_markdown(c) -> list[str]:
    """表四 as one row of 15 numbers under its three header levels, spelt out in each column head."""
    head = [("行政复议" if g == "review" else f"行政诉讼（{label}）") + f"：{name}"
            for g, label in CASE_GROUPS for name in CASE_COLUMNS]
    return _md_table(head, [[v for g, _ in CASE_GROUPS for v in c.groups[g]]])


def render_markdown(rep: AnnualReport) -> str:
    out = [f"# {rep.title}", ""]
    if rep.problems:
        out += ["> **本报告的数据未通过校验，不能公布：**", ">"] + [f"> - {p.message}" for p in rep.problems] + [""]
    if rep.narrative and rep.narrative.preamble:
        out += [rep.narrative.preamble, ""]
    if rep.rollup:
        out += [f"本报告表格为以下 {len(rep.members)} 个单位的汇总：" + "、".join(rep.member_names[u] for u in rep.members)
                + "。", ""]
        if rep.left_out:
            out += [f"未纳入汇总的 {len(rep.left_out)} 个单位：" + "；".join(f"{name}（{why}）" for name, why in rep.left_out.items())
                    + "。", ""]
    a, b, c = rep.table_a, rep.table_b, rep.table_c
    for numeral, title in SECTIONS:
        out += [f"## {title}", ""]
        if numeral == "二":
            out += _table_a_markdown(a)
        elif numeral == "三":
            out += _table_b_markdown(b)
        elif numeral == "四":
            out += _table_c_markdown(c)
        else:
            out.append(_written(rep, numeral))
            if numeral == "五" and rep.late:
                out += ["", "据依申请公开登记统计，未在法定期限内办理的申请：", ""]
                out += [f"- {late.request.number}"
                        + (f"（{rep.member_names.get(late.request.unit_id, '')}）" if rep.rollup else "")
                        + f"：{late.explanation}" for late in rep.late]
                estimated = sorted({y for late in rep.late for y in late.estimated})
                if estimated:
                    out += ["", estimate_note(estimated) + "。"]
        out.append("")
    return "\n".join(out)


def report_dict(rep: AnnualReport) -> dict:
    a, b, c = rep.table_a, rep.table_b, rep.table_c
    return {
        "unit_id": rep.unit_id, "unit_name": rep.unit_name, "year": rep.year, "title": rep.title,
        "rollup": rep.rollup, "members": list(rep.members), "left_out": dict(rep.left_out),
        "due": rep.due.isoformat() if rep.due else None,
        "published": rep.published.isoformat() if rep.published else None, "index_no": rep.index_no or None,
        "ok": rep.ok,
        "problems": [{"code": p.code, "cell": p.cell, "message": p.message} for p in rep.problems],
        "table_a": {
            **{key: dict(zip(("issued", "repealed", "in_force"), a.docs[key])) for key, _ in DOC_ROWS},
            **{key: (None if a.figures[key] is None else
                     float(a.figures[key]) if key == "fees" else a.figures[key]) for key, _ in FIGURES},
        },
        "table_b": {"columns": [key for key, _ in COLUMNS],
                    "rows": {key: {"label": row_title(key), "short": ROW_SHORT[key],
                                   "values": dict(zip((k for k, _ in COLUMNS), b.rows[key]))} for key in ROW_KEYS}},
        "table_c": {g: dict(zip(("maintained", "corrected", "other", "pending", "total"), c.groups[g]))
                    for g, _ in CASE_GROUPS},
        "late": [{"unit_id": late.request.unit_id, "number": late.request.number, "kind": late.kind,
                  "received": late.request.received.isoformat(), "due": late.due.isoformat(),
                  "done": late.done.isoformat(), "late_workdays": late.late_workdays,
                  "estimated": list(late.estimated),
                  "explanation": late.explanation} for late in rep.late],
        "sections": {SECTION_TITLE[n]: (rep.narrative.sections.get(n, "") if rep.narrative else "")
                     for n in ("一", "五", "六")},
    }
