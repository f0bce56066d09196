"""One gate over everything that becomes output (issue 17): every text field of an item, attachment
names and file names, unit, site and taxonomy settings, read as a reader sees them (entities,
tags, emphasis, other digit forms), and the hidden parts of attachments (formulas, comments,
archives in archives, members with no or a misleading suffix, UTF-16 without BOM)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from conftest import line_of, write_item

from gkml.catalogue.attachment_text import extract
from gkml.catalogue.gates import ITEM_TEXT_FIELDS, NOT_GATED
from gkml.catalogue.model import Item
from gkml.catalogue.privacy import as_read, scan_as_read
from gkml.catalogue.validate import load_catalogue
from test_gates_attachments import ITEM

ID, MOBILE = "11010519491231002X", "13812345678"
ID_MASKED, MOBILE_MASKED = "110105********002X", "138****5678"


def gate_report(root: Path):
    cat, report = load_catalogue(root)
    found = [d for d in report.sorted() if d.code in ("personal-data", "negative-list")]
    return cat, found


def assert_blocked(root: Path, path: Path, field: str, line_prefix: str | None, masked: str | None = None):
    cat, found = gate_report(root)
    assert cat.by_index_no[ITEM["索引号"]].blocked
    assert found, "nothing found"
    d = found[0]
    assert d.field == field and d.path.endswith(path.name)
    if line_prefix is not None:
        assert d.line == line_of(path, line_prefix)
    if masked is not None:
        assert masked in d.message
    assert ID not in str([x.message for x in found]) and MOBILE not in str([x.message for x in found])
    return found


def test_every_text_field_of_an_item_is_gated():
    """A new text field on Item must be added to the gate (or excluded on purpose)."""
    text_like = {f.name for f in dataclasses.fields(Item) if f.type in ("str", "tuple[str, ...]", "tuple[str, str] | None")}
    assert text_like - NOT_GATED == set(ITEM_TEXT_FIELDS)


@pytest.mark.parametrize("field, value, line_prefix, masked", [
    ("关键词", [ID, MOBILE], "- " + ID, ID_MASKED),
    ("发布机构", f"示例区财政局{MOBILE}", "发布机构", MOBILE_MASKED),
    ("关键词", ["财政", "内部资料"], "- 内部资料", None),
])
def test_unscanned_fields_are_now_gated(catalogue, field, value, line_prefix, masked):
    path = write_item(catalogue, "qczj/2025/00009.md", {**ITEM, field: value})
    assert_blocked(catalogue, path, field, line_prefix, masked)


def test_reason_of_an_on_request_item_is_gated(catalogue):
    fields = {k: v for k, v in ITEM.items() if k not in ("发布日期",)}
    path = write_item(catalogue, "qczj/2025/00009.md", {**fields, "公开方式": "依申请公开", "不公开理由": f"涉及{ID}的个人隐私"})
    cat, found = gate_report(catalogue)
    item = cat.by_index_no[ITEM["索引号"]]
    assert item.blocked and not item.is_on_request
    assert found[0].field == "不公开理由" and found[0].line == line_of(path, "不公开理由") and ID_MASKED in found[0].message


def test_attachment_name_and_file_name_are_gated(catalogue):
    folder = catalogue / "items/qczj/2025/00009"
    folder.mkdir(parents=True)
    (folder / f"名单{MOBILE}.txt").write_text("无", encoding="utf-8")
    (folder / "说明.txt").write_text("无", encoding="utf-8")
    path = write_item(catalogue, "qczj/2025/00009.md",
                      {**ITEM, "附件": [f"00009/名单{MOBILE}.txt", {"文件": "00009/说明.txt", "名称": "内部资料说明"}]})
    found = assert_blocked(catalogue, path, "附件", None)
    assert [d.line for d in found] == [line_of(path, "- 00009/名单"), line_of(path, "- 文件: 00009/说明.txt")]
    assert f"附件「00009/名单{MOBILE_MASKED}.txt」：含有手机号码" in found[0].message
    assert "命中负面清单「内部资料」" in found[1].message


@pytest.mark.parametrize("body", [
    "110105&#49;9491231002X",
    "138<span></span>12345678",
    "138**1234**5678",
    "１３８１２３４５６７８",
    "١٣٨١٢٣٤٥٦٧٨",
    "138\u200b1234\u00ad5678",
    "内部&#36164;料",
    "内部<b></b>资料",
])
def test_spellings_a_reader_reads_whole_are_found(catalogue, body):
    path = write_item(catalogue, "qczj/2025/00009.md", ITEM, body=f"\n第一段。\n\n名单：{body}\n")
    _, found = gate_report(catalogue)
    assert len(found) == 1 and found[0].field == "正文" and found[0].line == line_of(path, "名单：")


def test_as_read_keeps_lines_and_leaves_plain_text_alone():
    assert as_read("甲\n<span\nclass=x>乙</span>") == "甲\n\n乙"
    plain = "示例区财政局关于2025年预算的说明，示财〔2025〕3号"
    assert as_read(plain) is plain
    assert scan_as_read("<td>138</td><td>12345678</td>") == []  # separate cells are not one number


def test_unit_site_and_taxonomy_settings_are_gated(catalogue):
    unit = catalogue / "units/qczj.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + f"简介: 联系人手机 {MOBILE}\n", encoding="utf-8")
    site = catalogue / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "网站:\n  主办单位: 示例区内部资料室\n", encoding="utf-8")
    tax = catalogue / "taxonomy.yml"
    text = tax.read_text(encoding="utf-8")
    name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("名称:") and line.startswith(" "))
    tax.write_text(text.replace(f"名称: {name}", f"名称: {name}&#{ord('1')};{ID[1:]}", 1), encoding="utf-8")
    cat, report = load_catalogue(catalogue)
    found = {(Path(d.path).name, d.code, d.field) for d in report.errors}
    assert ("qczj.yml", "personal-data", "简介") in found
    assert ("site.yml", "negative-list", "网站.主办单位") in found
    assert ("taxonomy.yml", "personal-data", "栏目.名称") in found
    by_file = {Path(d.path).name: d for d in report.errors}
    assert by_file["qczj.yml"].line == line_of(unit, "简介") and MOBILE_MASKED in by_file["qczj.yml"].message
    assert by_file["site.yml"].line == line_of(site, "  主办单位")
    assert MOBILE not in report.to_json() and ID not in report.to_json()


# -- hidden parts of attachments --------------------------------------------------------------------

def _xlsx_with_formula_and_comment(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"] = "姓名"
    ws["B2"] = '="1101051949"&"1231002X"'  # no cached value: only the formula is stored
    ws["A1"].comment = Comment(f"联系人 {MOBILE}", "编辑")
    wb.save(path)


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_xlsx_formula_and_comment_are_read(tmp_path):
    path = tmp_path / "表.xlsx"
    _xlsx_with_formula_and_comment(path)
    found = {(c.where, f.kind) for c in extract(path) for f in scan_as_read(c.text)}
    assert ("工作表「名单」单元格 B2的公式结果", "身份证号") in found
    assert any(kind == "手机号码" and "comments" in where for where, kind in found)


@pytest.mark.parametrize("entries", [
    {"外层/内层.zip": _zip({"名单.csv": f"张三,{ID}\n".encode()})},
    {"名单": f"张三,{ID}\n".encode()},
    {"名单.html": f"<p>张三 110105&#49;9491231002X</p>".encode()},
    {"名单.txt": f"张三,{ID}\n".encode("utf-16-le")},
])
def test_archives_are_read_whatever_their_members_are_called(tmp_path, entries):
    path = tmp_path / "材料.zip"
    path.write_bytes(_zip(entries))
    assert [f.masked for c in extract(path) for f in scan_as_read(c.text)] == [ID_MASKED]


def test_utf16_text_without_bom(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_bytes(f"姓名,身份证号\n张三,{ID}\n".encode("utf-16-le"))
    assert [f.masked for c in extract(path) for f in scan_as_read(c.text)] == [ID_MASKED]


def test_blocked_item_from_a_formula_in_an_attachment(catalogue):
    folder = catalogue / "items/qczj/2025/00009"
    folder.mkdir(parents=True)
    _xlsx_with_formula_and_comment(folder / "表.xlsx")
    path = write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "附件": ["00009/表.xlsx"]})
    found = assert_blocked(catalogue, path, "附件", "- 00009/表.xlsx")
    assert any("单元格 B2的公式结果：含有身份证号「110105********002X」" in d.message for d in found)
