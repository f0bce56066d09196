"""Publication gates on attachment text: personal data (身份证号 with checksum, mobile numbers, bank
cards with Luhn) and the negative list in docx, xlsx, pdf, txt/csv and zip attachments stop the item,
name the file and the position, and show the number masked. Samples: tests/fixtures/audit/samples
(made by make_samples.py there)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest
from conftest import check_json, line_of, run_cli, write_item

from gkml.catalogue.attachment_text import Chunk, UnreadableAttachment, extract
from gkml.catalogue.privacy import scan
from gkml.catalogue.validate import load_catalogue

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "audit" / "samples"
VALID_ID, INVALID_ID, MOBILE, CARD = "350102199003071234", "350102199003071235", "13912345678", "6222021234567890128"


def hits(name: str) -> list[tuple[str, str, str]]:
    """(position, kind, masked) of every personal-data match in a sample."""
    return [(c.locate(f.start), f.kind, f.masked) for c in extract(SAMPLES / name) for f in scan(c.text)]


@pytest.mark.parametrize("name, expected", [
    ("名单.xlsx", [("工作表「名单」单元格 C3", "身份证号", "350102********1234")]),
    ("通知.docx", [("第 2 段", "手机号码", "139****5678"), ("第 1 个表格第 2 行第 2 列", "银行卡号", "6222***********0128")]),
    ("账户.pdf", [("第 2 页第 2 行", "银行卡号", "6222***********0128")]),
    ("名单-gbk.txt", [("第 3 行", "身份证号", "350102********1234")]),
    ("联系人.csv", [("第 4 行", "手机号码", "139****5678")]),
    ("材料.zip", [("压缩包内「名单.csv」第 2 行", "身份证号", "350102********1234")]),
    ("说明.pdf", []),  # 350102199003071235: wrong check character, not an ID
    ("无效编码.txt", []),  # the same, plus a 文号 and an amount
    ("内部资料.docx", []),
])
def test_personal_data_found_in_every_readable_format(name, expected):
    assert hits(name) == expected


def test_text_comes_out_in_reading_order_with_chinese_positions():
    docx = extract(SAMPLES / "通知.docx")
    assert [c.where for c in docx] == ["第 1 段", "第 2 段", "第 1 个表格第 1 行第 1 列", "第 1 个表格第 1 行第 2 列",
                                       "第 1 个表格第 2 行第 1 列", "第 1 个表格第 2 行第 2 列", "页眉第 1 段"]
    pdf = extract(SAMPLES / "账户.pdf")
    assert [c.where for c in pdf] == ["第 1 页", "第 2 页"] and "示例区财政局资金拨付说明" in pdf[0].text
    assert extract(SAMPLES / "名单-gbk.txt")[0] == Chunk("第 1 行", "临时救助对象名单")  # GB18030 decoded


def test_types_without_text_yield_nothing(tmp_path):
    image = tmp_path / "照片.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + VALID_ID.encode())
    assert extract(image) == []


@pytest.mark.parametrize("name, message", [
    ("损坏.pdf", "不是有效的 PDF 文件"),
    ("损坏.docx", "不是有效的 DOCX 文件"),
])
def test_damaged_files_raise_a_chinese_reason(name, message):
    with pytest.raises(UnreadableAttachment, match=message):
        extract(SAMPLES / name)


def test_damaged_xlsx_and_zip(tmp_path):
    bad = tmp_path / "表.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(UnreadableAttachment, match="不是有效的 XLSX 文件"):
        extract(bad)
    bad_zip = tmp_path / "包.zip"
    bad_zip.write_bytes(b"not a zip")
    with pytest.raises(UnreadableAttachment, match="不是有效的 ZIP 文件"):
        extract(bad_zip)


# -- the gates, through load_catalogue and gkml check ------------------------------------------

ITEM = {"索引号": "11350199MB0300003D/2025-00009", "标题": "示例区财政局资金拨付材料", "内容概述": "资金拨付材料。",
        "生成日期": dt.date(2025, 4, 1), "发布日期": dt.date(2025, 4, 2), "发布机构": "示例区财政局", "栏目": "bmyjs",
        "主题分类": "财政、金融、审计/财政", "体裁": "其他", "有效性": "有效", "公开方式": "主动公开",
        "保密审查": {"审查人": "陈某", "日期": dt.date(2025, 4, 1)}}


def with_attachments(root: Path, names: list[str], **extra) -> Path:
    folder = root / "items/qczj/2025/00009"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(SAMPLES / name, folder / name)
    return write_item(root, "qczj/2025/00009.md", {**ITEM, **extra, "附件": [f"00009/{n}" for n in names]})


def gate_messages(root: Path) -> list[tuple[str, str, int | None, str]]:
    _, report = load_catalogue(root, today=None)
    return [(d.code, d.path, d.line, d.message) for d in report.sorted() if d.code in ("personal-data", "negative-list")]


def test_attachment_personal_data_blocks_the_item_naming_file_and_position(catalogue):
    path = with_attachments(catalogue, ["名单.xlsx", "账户.pdf"])
    cat, report = load_catalogue(catalogue)
    item = cat.by_index_no[ITEM["索引号"]]
    assert item.blocked and not item.is_public and item not in cat.public_items
    errors = [d for d in report.errors if d.code == "personal-data"]
    assert [(d.path, d.field) for d in errors] == [("catalogue/items/qczj/2025/00009.md", "附件")] * 2
    messages = sorted(d.message for d in errors)
    assert messages[0].startswith("附件「00009/名单.xlsx」工作表「名单」单元格 C3：含有身份证号「350102********1234」，不会发布")
    assert messages[1].startswith("附件「00009/账户.pdf」第 2 页第 2 行：含有银行卡号「6222***********0128」，不会发布")
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = [n for n, text in enumerate(lines, 1) if text.startswith("- 00009/")]  # each on its attachment's line
    assert sorted(d.line for d in errors) == entries
    assert VALID_ID not in report.to_json() and CARD not in report.to_json()


def test_the_same_bytes_under_other_names_are_gated_each_time(catalogue):
    """Attachment text is read once per content (a form attached to many items); every item that
    carries it is still stopped, each message naming its own file."""
    with_attachments(catalogue, ["账户.pdf"])
    for serial, name in ((10, "甲.pdf"), (11, "乙.PDF")):
        folder = catalogue / f"items/qczj/2025/{serial:05d}"
        folder.mkdir(parents=True)
        shutil.copyfile(SAMPLES / "账户.pdf", folder / name)
        write_item(catalogue, f"qczj/2025/{serial:05d}.md", {**ITEM, "索引号": f"11350199MB0300003D/2025-{serial:05d}",
                                                               "附件": [f"{serial:05d}/{name}"]})
    cat, report = load_catalogue(catalogue)
    assert all(cat.by_index_no[f"11350199MB0300003D/2025-{serial:05d}"].blocked for serial in (9, 10, 11))
    assert sorted(d.message.split("：")[0] for d in report.errors if d.code == "personal-data") == [
        "附件「00009/账户.pdf」第 2 页第 2 行", "附件「00010/甲.pdf」第 2 页第 2 行", "附件「00011/乙.PDF」第 2 页第 2 行"]


def test_gkml_check_fails_on_attachment_personal_data(catalogue):
    with_attachments(catalogue, ["材料.zip"])
    code, data = check_json(catalogue)
    assert code == 1 and data["errors"] == 1
    (d,) = data["diagnostics"]
    assert d["code"] == "personal-data" and "附件「00009/材料.zip」压缩包内「名单.csv」第 2 行：含有身份证号" in d["message"]
    text = run_cli("check", catalogue)
    assert "items/qczj/2025/00009.md:" in text.stdout and "错误: 附件「00009/材料.zip」" in text.stdout


def test_invalid_checksum_in_attachments_is_not_an_error(catalogue):
    with_attachments(catalogue, ["说明.pdf", "无效编码.txt"])
    cat, report = load_catalogue(catalogue)
    assert gate_messages(catalogue) == [] and cat.by_index_no[ITEM["索引号"]].is_public


def test_reviewed_exemption_lifts_personal_data_but_not_the_negative_list(catalogue):
    exemption = {"个人信息豁免": {"理由": "公示名单经本人同意", "审查人": "陈某", "日期": dt.date(2025, 4, 1)}}
    with_attachments(catalogue, ["名单-gbk.txt", "通知.docx"], **exemption)
    assert gate_messages(catalogue) == []
    with_attachments(catalogue, ["名单-gbk.txt", "内部资料.docx"], **exemption)
    text, name = gate_messages(catalogue)  # the file name (a public URL) and the text both hold the word
    assert name[0] == text[0] == "negative-list"
    assert name[3].startswith("附件「00009/内部资料.docx」：命中负面清单「内部资料」：「内部资料」")
    assert text[3].startswith(
        "附件「00009/内部资料.docx」第 2 段：命中负面清单「内部资料」：「内部资料」；这类内容不得公开，不会发布")


def test_negative_list_in_attachments_blocks_without_exemption(catalogue):
    with_attachments(catalogue, ["内部资料.docx"])
    cat, _ = load_catalogue(catalogue)
    assert cat.by_index_no[ITEM["索引号"]].blocked
    assert [h[0] for h in gate_messages(catalogue)] == ["negative-list"] * 2


def test_many_numbers_in_one_attachment_are_capped_with_a_count(catalogue):
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES.parent / "make_samples.py")
    make_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_samples)
    xlsx = make_samples.xlsx
    folder = catalogue / "items/qczj/2025/00009"
    folder.mkdir(parents=True)
    (folder / "花名册.xlsx").write_bytes(xlsx([["姓名", "身份证号"]] + [[f"人员{i}", VALID_ID] for i in range(25)], "花名册"))
    write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "附件": ["00009/花名册.xlsx"]})
    messages = [m for _, _, _, m in gate_messages(catalogue)]
    assert len(messages) == 11
    assert messages.count("附件「00009/花名册.xlsx」另有 15 处个人信息未逐一列出") == 1


def test_unreadable_attachment_does_not_block_and_is_left_to_the_audit(catalogue):
    with_attachments(catalogue, ["损坏.pdf"])
    cat, report = load_catalogue(catalogue)
    assert cat.by_index_no[ITEM["索引号"]].is_public and not report.errors


def test_metadata_and_body_gates_still_apply(catalogue):
    path = write_item(catalogue, "qczj/2025/00009.md", {**ITEM, "内容概述": f"联系电话 {MOBILE}"}, body=f"\n账号 {CARD}\n")
    found = gate_messages(catalogue)
    assert [(code, line) for code, _, line, _ in found] == [("personal-data", line_of(path, "内容概述")),
                                                             ("personal-data", line_of(path, "账号"))]
    assert "手机号码「139****5678」" in found[0][3] and "银行卡号「6222***********0128」" in found[1][3]


def test_oversized_office_files_and_zip_members_are_refused_not_read(tmp_path, monkeypatch):
    import gkml.catalogue.attachment_text as at
    monkeypatch.setattr(at, "MAX_UNPACKED", 1000)
    monkeypatch.setattr(at, "MAX_MEMBER_BYTES", 20)
    big = tmp_path / "大.docx"
    big.write_bytes((SAMPLES / "通知.docx").read_bytes())  # its XML unpacks to more than 1000 bytes
    with pytest.raises(UnreadableAttachment, match="DOCX 文件解压后超过 0 MB，疑似压缩炸弹"):
        at.read_bytes(big.read_bytes(), ".docx")
    with pytest.raises(UnreadableAttachment, match="压缩包内「名单.csv」解压后超过 0 MB，未检查"):
        at.read_bytes((SAMPLES / "材料.zip").read_bytes(), ".zip")
