"""`gkml report annual --format docx`: the Word document units submit, in the 30号 layout with
merged header cells, on A4, in the fonts of government documents; read back with python-docx."""
from __future__ import annotations

import docx
from docx.oxml.ns import qn

from conftest import run_cli
from test_annual_helpers import annual  # noqa: F401

from gkml.annual.tables import SECTIONS


def _docx(annual, tmp_path, *args):
    out = tmp_path / "report.docx"
    result = run_cli("report", "annual", annual, *args, "--format", "docx", "-o", out)
    return result, docx.Document(str(out))


def _east_asian(run) -> str:
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_word_document_in_the_30_layout(annual, tmp_path):
    result, d = _docx(annual, tmp_path, "--unit", "qczj", "--year", "2024")
    assert result.exit_code == 0 and "Word 文档已写入" in result.stderr and "全部校验通过" in result.stderr
    section = d.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 2.8 and round(section.top_margin.cm, 1) == 3.7
    title = d.paragraphs[0]
    assert title.text == "示例区财政局2024年政府信息公开工作年度报告" and title.alignment == 1  # centred
    assert _east_asian(title.runs[0]) == "方正小标宋简体"
    headings = [p.text for p in d.paragraphs if p.runs and _east_asian(p.runs[0]) == "黑体"]
    assert headings == [title for _, title in SECTIONS]
    body = next(p for p in d.paragraphs if p.text.startswith("测试用的总体情况"))
    assert _east_asian(body.runs[0]) == "仿宋_GB2312"
    a, b, c = d.tables
    # 表二: each block's article across the whole width; 「信息内容」 heads each block.
    assert a.cell(0, 0)._tc is a.cell(0, 3)._tc and a.cell(0, 0).text == "第二十条第（一）项"
    assert [a.cell(r, 0).text for r in range(len(a.rows))].count("信息内容") == 4
    assert [cell.text for cell in a.rows[2].cells] == ["规章", "0", "0", "0"]
    # 表三: the 3-row header with 申请人情况 > 法人或其他组织 > five kinds, and the merged label column.
    assert (len(b.rows), len(b.columns)) == (28, 10)
    assert b.cell(0, 0)._tc is b.cell(2, 2)._tc and b.cell(0, 0).text.startswith("（本列数据的勾稽关系为")
    assert b.cell(0, 3)._tc is b.cell(0, 9)._tc and b.cell(0, 3).text == "申请人情况"
    assert b.cell(1, 4)._tc is b.cell(1, 8)._tc and b.cell(1, 4).text == "法人或其他组织"
    assert [b.cell(2, i).text for i in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert b.cell(5, 0)._tc is b.cell(26, 0)._tc and b.cell(5, 0).text == "三、本年度办理结果"
    assert b.cell(5, 0)._tc.tcPr.find(qn("w:textDirection")).get(qn("w:val")) == "tbRlV"  # 竖排, characters upright
    assert [e.tag.split("}")[1] for e in b.cell(5, 0)._tc.tcPr][-2:] == ["textDirection", "vAlign"]  # schema order
    assert b.cell(27, 0)._tc.tcPr.find(qn("w:textDirection")) is None  # the one-row labels stay across
    third_party = next(r for r in range(len(b.rows)) if b.cell(r, 2).text == "4.保护第三方合法权益")
    assert b.cell(third_party, 1).text == "（三）不予公开"
    assert [b.cell(third_party, i).text for i in range(3, 10)] == ["0", "0", "0", "0", "1", "0", "1"]
    assert b.cell(27, 0).text == "四、结转下年度继续办理" and b.cell(27, 0)._tc is b.cell(27, 2)._tc
    # 表四: 行政复议 over two header rows, 行政诉讼 over its two kinds, one row of 15 numbers.
    assert c.cell(0, 0)._tc is c.cell(1, 4)._tc and c.cell(0, 0).text == "行政复议"
    assert c.cell(0, 5)._tc is c.cell(0, 14)._tc and c.cell(0, 5).text == "行政诉讼"
    assert c.cell(1, 10).text == "复议后起诉" and c.cell(2, 0).text == "结果维持"
    assert [cell.text for cell in c.rows[3].cells] == ["1", "0", "0", "0", "1", "0", "0", "0", "1", "1",
                                                       "0", "0", "0", "0", "0"]


def test_a_failing_report_says_so_in_the_document(annual, tmp_path):
    (annual / "requests/qczj/2025.yml").write_text(
        "汇总表:\n  本年新收: [1, 0, 0, 0, 0, 0, 1]\n  上年结转: [0, 0, 0, 0, 0, 0, 0]\n  予以公开: [1, 0, 0, 0, 0, 0, 1]\n"
        "  总计: [1, 0, 0, 0, 0, 0, 1]\n  结转下年度: [0, 0, 0, 0, 0, 0, 0]\n"
        "复议诉讼: {行政复议: [0,0,0,0,0], 未经复议直接起诉: [0,0,0,0,0], 复议后起诉: [1,0,0,0,0]}\n", encoding="utf-8")
    result, d = _docx(annual, tmp_path, "--unit", "qczj", "--year", "2025")
    assert result.exit_code == 1
    assert d.paragraphs[1].text == "本报告的数据未通过校验，不能公布："
    assert "「行政诉讼」「复议后起诉」「总计」为 0" in d.paragraphs[2].text


def test_rollup_document_names_members_and_left_out(annual, tmp_path):
    result, d = _docx(annual, tmp_path, "--unit", "qzf", "--year", "2025", "--rollup")
    assert result.exit_code == 0
    text = "\n".join(p.text for p in d.paragraphs)
    assert "本报告表格为以下 2 个单位2025年年度报告数据的汇总：示例区人民政府、示例区财政局。" in text
    assert "未纳入汇总的 2 个单位：示例区东湖镇人民政府" in text


def test_default_file_name(annual, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("report", "annual", annual, "--unit", "qczj", "--year", "2025", "--format", "docx")
    assert result.exit_code == 0 and (tmp_path / "qczj-2025.docx").stat().st_size > 10_000
