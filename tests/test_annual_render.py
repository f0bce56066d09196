"""The annual report as HTML (laid out cell for cell like the official form, accessible,
printable), Markdown and JSON."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from conftest import run_cli
from test_annual_helpers import annual, build, write  # noqa: F401

from gkml.annual.tables import SECTIONS


class Fragment(HTMLParser):
    """Tables as rows of cells, headings, ids: just what the tests look at."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.tables: list[dict] = []
        self.ids: dict[str, str] = {}
        self.h2: list[str] = []
        self._cell = self._h2 = None
        self._id_stack: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "table":
            self.tables.append({"class": a.get("class", ""), "rows": [], "caption": None})
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = {"tag": tag, "text": "", **a}
            self.tables[-1]["rows"][-1].append(self._cell)
        elif tag == "caption":
            self._cell = {"text": ""}
            self.tables[-1]["caption"] = self._cell
        elif tag == "h2":
            self._h2 = ""
        if "id" in a:
            self._id_stack.append((a["id"], tag))
            self.ids.setdefault(a["id"], "")

    def handle_endtag(self, tag):
        if tag in ("td", "th", "caption"):
            self._cell = None
        if tag == "h2":
            self.h2.append(self._h2)
            self._h2 = None
        if self._id_stack and self._id_stack[-1][1] == tag:
            self._id_stack.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        if self._h2 is not None:
            self._h2 += data
        for ident, _ in self._id_stack:
            self.ids[ident] += data

    def table(self, kind: str) -> dict:
        return next(t for t in self.tables if f"gkml-annual-table--{kind}" in t["class"])


def grid_widths(rows: list[list[dict]]) -> list[int]:
    """The number of grid columns each row occupies, counting cells spanning down from above."""
    carried: dict[int, int] = {}  # column -> rows still covered
    widths = []
    for row in rows:
        col, width = 0, 0
        cells = iter(row)
        taken = dict(carried)
        for cell in cells:
            while taken.get(col, 0) > 0:
                col += 1
                width += 1
            span, down = int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))
            for c in range(col, col + span):
                if down > 1:
                    carried[c] = down
            col += span
            width += span
        width += sum(1 for c, n in taken.items() if n > 0 and c >= col)
        widths.append(width)
        carried = {c: n - 1 for c, n in carried.items() if n - 1 > 0}
    return widths


@pytest.fixture
def qczj_2024(annual):
    reports, _ = build(annual)
    return reports["qczj-2024"]


def test_fragment_has_six_sections_in_order_and_no_page_shell(qczj_2024):
    html = qczj_2024.render_html()
    frag = Fragment(html)
    assert frag.h2 == [title for _, title in SECTIONS]
    assert not {"html", "head", "body", "h1", "script", "style"} & set(frag.tags)
    assert html.startswith('<article class="gkml-annual-report" id="gkml-annual-qczj-2024">')


def test_table_b_is_laid_out_exactly_as_the_official_form(qczj_2024):
    b = Fragment(qczj_2024.render_html()).table("b")
    rows = b["rows"]
    assert len(rows) == 3 + 25  # three header rows, 25 data rows
    assert set(grid_widths(rows)) == {10}  # 3 label columns + 7 number columns, on every row
    spans = {c["text"]: (int(c.get("rowspan", 1)), int(c.get("colspan", 1))) for row in rows for c in row
             if c["tag"] == "th" or "note" in c.get("class", "")}
    assert spans["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] == (3, 3)
    assert spans["申请人情况"] == (1, 7)
    assert spans["自然人"] == (2, 1) and spans["总计"] == (2, 1)
    assert spans["法人或其他组织"] == (1, 5)
    assert spans["三、本年度办理结果"] == (22, 1)
    assert spans["（三）不予公开"] == (8, 1) and spans["（四）无法提供"] == (3, 1)
    assert spans["（五）不予处理"] == (5, 1) and spans["（六）其他处理"] == (3, 1)
    assert spans["一、本年新收政府信息公开申请数量"] == (1, 3) and spans["四、结转下年度继续办理"] == (1, 3)
    assert spans["（一）予以公开"] == (1, 2) and spans["（七）总计"] == (1, 2)
    assert [c["text"] for c in rows[3] if c["tag"] == "td"] == ["3", "1", "1", "0", "1", "0", "6"]
    assert b["caption"]["text"] == "收到和处理政府信息公开申请情况"


def test_table_c_and_table_a_layout(qczj_2024):
    frag = Fragment(qczj_2024.render_html())
    c = frag.table("c")["rows"]
    assert set(grid_widths(c)) == {15}
    assert (c[0][0]["text"], c[0][0]["rowspan"], c[0][0]["colspan"]) == ("行政复议", "2", "5")
    assert (c[0][1]["text"], c[0][1]["colspan"]) == ("行政诉讼", "10")
    assert [x["text"] for x in c[1]] == ["未经复议直接起诉", "复议后起诉"]
    assert [x["text"] for x in c[2]][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [x["text"] for x in c[3]] == ["1", "0", "0", "0", "1", "0", "0", "0", "1", "1"] + ["0"] * 5
    a = frag.table("a")["rows"]
    assert set(grid_widths(a)) == {4}
    blocks = [r[0]["text"] for r in a if r[0].get("colspan") == "4"]
    assert blocks == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    values = {r[0]["text"]: [x["text"] for x in r[1:]] for r in a if r[0]["tag"] == "th" and len(r) > 1}
    assert values["行政许可"] == ["5"] and values["行政强制"] == ["/"] and values["行政事业性收费"] == ["3.25"]
    assert values["信息内容"] == ["本年收费金额（单位：万元）"]  # the last block's header row wins the key


def test_every_cell_names_its_headers(qczj_2024):
    frag = Fragment(qczj_2024.render_html())
    for table in frag.tables:
        assert table["caption"] and table["caption"]["text"]
        for row in table["rows"]:
            for cell in row:
                if cell["tag"] == "th":
                    assert cell.get("scope") in ("col", "colgroup", "row", "rowgroup"), cell
                elif "headers" in cell:
                    assert all(h in frag.ids for h in cell["headers"].split()), cell
    # One cell, read the way a screen reader announces it.
    b = frag.table("b")["rows"]
    cell = next(row for row in b if any(c["text"] == "4.保护第三方合法权益" for c in row))[-3]  # 法律服务机构
    assert cell["text"] == "1"
    assert [frag.ids[h].strip() for h in cell["headers"].split()] == [
        "申请人情况", "法人或其他组织", "法律服务机构", "三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"]


def test_ids_are_unique_across_reports_on_one_page(annual):
    reports, _ = build(annual)
    html = reports["qczj-2025"].render_html() + reports["qzf-2025-huizong"].render_html()
    ids = [line.split('id="')[1].split('"')[0] for line in html.split("<")[1:] if ' id="' in line]
    assert len(ids) == len(set(ids)) > 100


def test_narrative_is_rendered_and_sanitised(annual):
    path = annual / "reports/qczj/2025.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "测试用的总体情况：", "**加粗**的总体情况。<script>alert(1)</script><a href=\"javascript:alert(2)\">链接</a>\n\n"
                       "### （一）小标题\n\n| 项目 | 数量 |\n| --- | --- |\n| 甲 | 1 |"), encoding="utf-8")
    reports, _ = build(annual)
    html = reports["qczj-2025"].render_html()
    assert "<strong>加粗</strong>" in html and "<h3>（一）小标题</h3>" in html and "<td>甲</td>" in html
    assert "<script" not in html and "javascript:" not in html


def test_failed_checks_are_shown_at_the_top(annual):
    write(annual, "requests/qczj/2025.yml",
          "汇总表:\n  本年新收: [1, 0, 0, 0, 0, 0, 1]\n  上年结转: [1, 0, 1, 0, 0, 0, 2]\n"
          "  总计: [0, 0, 0, 0, 0, 0, 0]\n  结转下年度: [0, 0, 0, 0, 0, 0, 0]\n"
          "复议诉讼: {行政复议: [0,0,0,0,0], 未经复议直接起诉: [0,0,0,0,0], 复议后起诉: [0,0,0,0,0]}\n")
    reports, _ = build(annual)
    rep = reports["qczj-2025"]
    assert rep.problems and not rep.ok
    html = rep.render_html()
    assert html.index("本报告的数据未通过校验，不能公布") < html.index("<h2")
    assert rep.problems[0].message in html
    assert rep.render_markdown().splitlines()[2] == "> **本报告的数据未通过校验，不能公布：**"


def test_late_requests_are_listed_in_section_five(annual):
    path = annual / "requests/qczj/2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("答复日期: 2025-10-30", "答复日期: 2025-11-04"),
                    encoding="utf-8")
    reports, _ = build(annual)
    frag = Fragment(reports["qczj-2025"].render_html())
    late = frag.table("late")
    assert [c["text"] for c in late["rows"][1]] == ["2025-002", "答复", "2025-09-26", "2025-10-30", "2025-11-04", "3"]
    rollup = Fragment(reports["qzf-2025-huizong"].render_html()).table("late")
    assert [c["text"] for c in rollup["rows"][1]][:2] == ["示例区财政局", "2025-002"]


def test_rollup_links_its_members_when_given_a_link_function(annual):
    reports, _ = build(annual)
    html = reports["qzf-2025-huizong"].render_html(link=lambda unit, year: f"../../{unit}/nianbao/{year}.html")
    assert '<a href="../../qczj/nianbao/2025.html">示例区财政局</a>' in html
    assert "本报告表格为以下 2 个单位2025年年度报告数据的汇总" in reports["qzf-2025-huizong"].render_html()


def test_markdown_follows_the_30_layout(qczj_2024):
    md = qczj_2024.render_markdown()
    assert md.startswith("# 示例区财政局2024年政府信息公开工作年度报告\n")
    assert [line for line in md.splitlines() if line.startswith("## ")] == [f"## {t}" for _, t in SECTIONS]
    # 表二: four blocks headed by their article, each table headed 「信息内容」.
    assert [line for line in md.splitlines() if line.startswith("**第二十条")] == [
        "**第二十条第（一）项**", "**第二十条第（五）项**", "**第二十条第（六）项**", "**第二十条第（八）项**"]
    assert md.count("| 信息内容 |") == 4 and "| 信息内容 | 本年收费金额（单位：万元） |" in md
    # 表三: the 申请人情况 grouping, the label rows, and each row under its own label.
    assert "| 自然人 | 法人或其他组织：商业企业 |" in md and "申请人情况：自然人；法人或其他组织（商业企业" in md
    assert "| （三）不予公开 |  |  |  |  |  |  |  |" in md
    assert "| 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 1 | 0 | 1 |" in md
    # 表四: one row of 15 numbers, not transposed.
    assert "| 行政复议：结果维持 | 行政复议：结果纠正 |" in md
    assert "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 |" in md


def test_markdown_tables_read_back_and_a_wrong_cell_is_named(qczj_2024):
    from gkml.annual.typed import read_typed_tables
    md = qczj_2024.render_markdown()
    assert read_typed_tables(md, 1) == []
    broken = md.replace("| 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 1 | 0 | 1 |",
                        "| 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 1 | 1 | 1 |")
    [problem] = read_typed_tables(broken, 1)
    assert problem.cell.endswith("第（三）项第4目「保护第三方合法权益」行「其他」列")
    assert problem.line == 1 + next(n for n, line in enumerate(broken.splitlines()) if line.startswith("| 4.保护第三方"))
    broken_c = md.replace("| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 1 |", "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 2 |")
    [case] = read_typed_tables(broken_c, 1)
    assert case.cell.endswith("「行政诉讼」「未经复议直接起诉」「总计」")


def test_json_has_keys_labels_and_values(qczj_2024):
    data = json.loads(json.dumps(qczj_2024.to_dict(), ensure_ascii=False))
    assert data["table_b"]["rows"]["carried_forward"]["values"] == {
        "natural": 1, "commercial": 0, "research": 1, "public_welfare": 0, "legal_service": 0, "other": 0, "total": 2}
    assert data["table_b"]["rows"]["denied_third_party"]["short"] == "第三方合法权益"
    assert data["table_c"]["direct_suit"] == {"maintained": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert data["table_a"]["coercion"] is None and data["table_a"]["fees"] == 3.25
    assert data["ok"] is True and data["due"] == "2025-01-31"
    assert (data["published"], data["index_no"]) == ("2025-01-20", "11350199MB0300003D/2025-00091")  # its own data


# -- the command ----------------------------------------------------------------------------------

def test_report_command_formats(annual):
    md = run_cli("report", "annual", annual, "--unit", "qczj", "--year", "2025")
    assert md.exit_code == 0 and md.stdout.startswith("# 示例区财政局2025年政府信息公开工作年度报告")
    assert "全部校验通过" in md.stderr
    data = json.loads(run_cli("report", "annual", annual, "--unit", "qzf", "--year", "2025", "--rollup",
                              "--format", "json").stdout)
    assert data["title"].endswith("（汇总）") and data["members"] == ["qzf", "qczj"]
    html = run_cli("report", "annual", annual, "--unit", "qczj", "--year", "2025", "--format", "html").stdout
    assert html.startswith("<!doctype html>") and "<title>示例区财政局2025年政府信息公开工作年度报告</title>" in html
    assert "@media print" in html  # the print styles are inlined


def test_report_command_exits_1_listing_failed_checks(annual):
    write(annual, "requests/qczj/2025.yml",
          "汇总表:\n  本年新收: [1, 0, 0, 0, 0, 0, 1]\n  上年结转: [1, 0, 1, 0, 0, 0, 2]\n"
          "  总计: [0, 0, 0, 0, 0, 0, 0]\n  结转下年度: [2, 0, 1, 0, 0, 0, 3]\n"
          "复议诉讼: {行政复议: [0,0,0,0,0], 未经复议直接起诉: [0,0,0,0,0], 复议后起诉: [1,0,0,0,0]}\n")
    result = run_cli("report", "annual", annual, "--unit", "qczj", "--year", "2025")
    assert result.exit_code == 1
    assert "catalogue/requests/qczj/2025.yml:6: 错误: 示例区财政局2025年政府信息公开工作年度报告：「行政诉讼」「复议后起诉」「总计」为 0" \
        in result.stderr
    assert "1 项校验未通过，0 个输入错误" in result.stderr
    assert "汇总" not in result.stderr  # only this unit's report, not the roll-up's echo of it


@pytest.mark.parametrize("args, message", [
    (["--unit", "qczj", "--year", "2023"], "没有示例区财政局2023年的年度报告：请建立 catalogue/reports/qczj/2023.md"),
    (["--unit", "qzjc", "--year", "2025"], "单位「qzjc」不存在"),
    (["--unit", "qczj", "--year", "2025", "--rollup"], "只有本级政府（qzf）有汇总报告"),
])
def test_report_command_refuses_in_chinese(annual, args, message):
    result = run_cli("report", "annual", annual, *args)
    assert result.exit_code == 1 and message in result.stderr and result.stdout == ""


# -- in a real browser ------------------------------------------------------------------------------

@pytest.mark.browser
def test_standalone_report_passes_axe_and_prints_on_a4(annual, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from sitetools import browser
    page_file = tmp_path / "report.html"
    result = run_cli("report", "annual", annual, "--unit", "qzf", "--year", "2025", "--rollup", "--format", "html",
                     "-o", page_file)
    assert result.exit_code == 0
    with browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_file.as_uri())
        violations = [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in Axe().run(page).response["violations"]]
        assert violations == []
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794 - 2 * 83, "height": 1123})  # A4 at 96 dpi minus the 2.2 cm margins
        fits = page.evaluate("""() => [...document.querySelectorAll('table.gkml-annual-table')]
            .map(t => t.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)""")
        assert fits and all(fits)
        ruled = page.evaluate("""() => getComputedStyle(document.querySelector('.gkml-annual-table--b td'))
            .borderTopStyle""")
        assert ruled == "solid"
        assert len(page.pdf(format="A4")) > 10_000
