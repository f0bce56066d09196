"""`gkml import` on a realistic, dirty .xlsx export built here with openpyxl: a title row merged
across the sheet, headers with stray spaces and line breaks, merged 栏目 and 主题分类 cells,
dates as text, as Excel serials and as date cells, full-width digits, 【】 in 文号, 「无」, doubled
spaces, an empty row, and rows that must be refused."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import MINI, run_cli

TODAY = "2025-12-31"
FIXTURES = Path(__file__).parent / "fixtures" / "import"
QCZJ = "11350199MB0300003D"
PDF = MINI / "items" / "qczj" / "2025" / "00001" / "预算表.pdf"
TOPIC = "财政、金融、审计/财政"

HEADERS = ["索引号", "信息 名称", " 发文字号", "成文\n日期", "发布日期", "所属栏目", "主题分类", "关键词", "正文内容", "附件", "备注"]
ROWS = {  # spreadsheet row -> values in HEADERS order (None: empty cell; merged cells filled below)
    3: ["１１３５０１９９ＭＢ０３００００３Ｄ/２０２５-０００１０", "  示例区财政局关于  印发《示例区区级财政专项资金管理办法》的通知 ",
        "示财【2025】12号", "2025年3月5日", 45726, "行政规范性文件", TOPIC, "专项资金，绩效管理",
        "第一条　为规范区级财政专项资金管理，制定本办法。\r\n第二条　本办法自发布之日起施行。", "附件/办法.pdf", "旧平台备注"],
    4: [None, "示例区财政局2025年政府采购意向公开", "无", None, "2025/3/12", None, None, None, "采购意向见附件。", None, None],
    5: [None, "示例区财政局关于下达２０２５年专项资金的通知", "示财〔２０２５〕１５号", "2025-03-15 00:00:00",
        dt.datetime(2025, 3, 18), "其他文件", None, None, None, None, None],
    6: [None] * 11,
    7: [None, "示例区财政局2024年部门决算", None, None, "2025年13月1日", "部门预决算", TOPIC, None, None, None, None],
    8: [None, "示例区财政局关于报送材料的通知", None, None, "2025-03-20", "不存在的栏目", TOPIC, None, None, None, None],
    9: [None, "示例区财政局2031年部门预算", None, None, "2031-01-01", "部门预决算", TOPIC, None, None, None, None],
    10: [None, "关于征集意见的公告（联系人手机13812345678）", None, None, "2025-03-21", "其他文件", TOPIC, None, None, None, None],
    11: [None, "示例区财政局2025年政府采购意向公开 ", "/", None, "2025-03-12", "行政规范性文件", TOPIC, None, None, None, None],
    12: [None, "示例区财政局2025年“三公”经费预算", None, None, 45740.0, "部门预决算", TOPIC, None, None, "附件/缺失.pdf", None],
    13: [None, "示例区财政局2025年部门预算说明", None, dt.datetime(2025, 3, 25), None, "部门预决算", TOPIC, None, None, None, None],
}
MERGED = ["A1:K1", "F3:F4", "G3:G5"]  # the value sits in the top-left cell only
IMPORTED, REFUSED = (3, 4, 5, 13), (7, 8, 9, 10, 11, 12)


def build_workbook(folder: Path, rows: dict[int, list] = ROWS) -> Path:
    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "本表由旧平台导出，第二个工作表是信息列表。"
    ws = wb.create_sheet("信息列表")
    ws["A1"] = "示例区财政局政府信息公开目录导出（2025年）"
    for col, header in enumerate(HEADERS, 1):
        ws.cell(2, col, header)
    for r, values in rows.items():
        for col, value in enumerate(values, 1):
            if value is not None:
                ws.cell(r, col, value)
    ws.cell(13, 4).number_format = "yyyy-mm-dd"
    for rng in MERGED:
        ws.merge_cells(rng)
    (folder / "附件").mkdir(exist_ok=True)
    shutil.copyfile(PDF, folder / "附件" / "办法.pdf")
    path = folder / "导出.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    return build_workbook(folder)


def do_import(sheet: Path, catalogue: Path, *extra: str):
    return run_cli("import", sheet, "--unit", "qczj", "--mapping", FIXTURES / "dirty.yml", "--catalogue", catalogue,
                   "--today", TODAY, *extra)


def as_json(sheet: Path, catalogue: Path, *extra: str) -> dict:
    result = do_import(sheet, catalogue, "--format", "json", *extra)
    return json.loads(result.stdout)


def item_text(catalogue: Path, serial: str) -> str:
    return (catalogue / "items" / "qczj" / "2025" / f"{serial}.md").read_text(encoding="utf-8")


def test_dirty_rows_are_cleaned_and_bad_rows_refused(export, catalogue):
    result = do_import(export, catalogue)
    assert result.exit_code == 1, result.output  # some rows were refused
    out = result.stdout
    lines = {int(line.split(":")[1]): line for line in out.splitlines()
             if line.startswith("导出.xlsx:") and ": 错误: " in line}
    assert sorted(lines) == list(REFUSED), out
    assert "「发布日期」的值「2025年13月1日」不是有效的日期" in lines[7] and "列「发布日期」" in lines[7]
    assert "栏目「不存在的栏目」在映射文件的「栏目对照」中没有对应的栏目代码" in lines[8]
    assert "晚于今天（2025-12-31）" in lines[9]
    assert "手机号码「138****5678」" in lines[10] and "13812345678" not in out
    assert "与第 4 行是同一条信息" in lines[11]
    assert "附件文件「附件/缺失.pdf」不存在" in lines[12]
    assert "共 10 行，新增 4 条，更新 0 条，未变 0 条，未导入 6 行" in result.stderr

    written = sorted(p.name for p in (catalogue / "items" / "qczj" / "2025").glob("*.md"))
    assert written == ["00001.md", "00002.md", "00003.md", "00010.md", "00011.md", "00012.md", "00013.md"]

    row3 = item_text(catalogue, "00010")
    assert f'索引号: "{QCZJ}/2025-00010"' in row3  # full-width 索引号 made ASCII
    assert '标题: "示例区财政局关于印发《示例区区级财政专项资金管理办法》的通知"' in row3  # spaces gone
    assert '文号: "示财〔2025〕12号"' in row3  # 【】 corrected the way gkml check suggests
    assert "成文日期: 2025-03-05\n" in row3 and "生成日期: 2025-03-05\n" in row3  # 2025年3月5日
    assert "发布日期: 2025-03-10\n" in row3  # Excel serial 45726
    assert '栏目: "gfxwj"' in row3 and f'主题分类: "{TOPIC}"' in row3
    assert '关键词: ["专项资金", "绩效管理"]' in row3 and '体裁: "通知"' in row3
    assert "第一条　为规范区级财政专项资金管理，制定本办法。\n第二条" in row3
    assert '  - 文件: "00010/办法.pdf"' in row3
    assert (catalogue / "items/qczj/2025/00010/办法.pdf").read_bytes() == PDF.read_bytes()
    assert "旧平台备注" not in row3  # 备注 is ignored by the mapping

    row4 = item_text(catalogue, "00011")  # merged 栏目 (F3:F4) and 主题分类 (G3:G5) filled down
    assert '栏目: "gfxwj"' in row4 and f'主题分类: "{TOPIC}"' in row4
    assert "\n文号:" not in row4 and "\n成文日期:" not in row4  # 「无」 means no 文号
    assert "生成日期: 2025-03-12\n" in row4 and "发布日期: 2025-03-12\n" in row4  # 2025/3/12
    row5 = item_text(catalogue, "00012")
    assert '标题: "示例区财政局关于下达2025年专项资金的通知"' in row5 and '文号: "示财〔2025〕15号"' in row5
    assert "成文日期: 2025-03-15\n" in row5 and "发布日期: 2025-03-18\n" in row5
    assert f'主题分类: "{TOPIC}"' in row5  # the last row of the merged G3:G5
    row13 = item_text(catalogue, "00013")  # empty 发布日期: the mapping's fallback to 成文日期
    assert "生成日期: 2025-03-25\n" in row13 and "发布日期: 2025-03-25\n" in row13
    assert '保密审查:\n  审查人: "王某"\n  日期: 2025-03-01\n' in row13

    check = run_cli("check", "--strict", "--format", "json", "--today", TODAY, catalogue)
    assert check.exit_code == 0, check.stdout  # every imported row passes the validator, warnings included


def test_rerun_is_idempotent_and_updates_in_place(export, catalogue, tmp_path):
    first = as_json(export, catalogue)
    assert (first["added"], first["rejected"]) == (4, 6)
    before = {p: p.read_bytes() for p in (catalogue / "items").rglob("*") if p.is_file()}

    again = as_json(export, catalogue)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 4)
    assert {p: p.read_bytes() for p in (catalogue / "items").rglob("*") if p.is_file()} == before

    # An editor adds keywords to an imported item, and a row of the export is corrected.
    path = catalogue / "items/qczj/2025/00011.md"
    path.write_text(path.read_text(encoding="utf-8").replace("体裁:", '关键词: ["政府采购"]\n体裁:'), encoding="utf-8")
    rows = dict(ROWS)
    rows[4] = list(ROWS[4])
    rows[4][8] = "采购意向见附件（已更正）。"
    rows[3] = list(ROWS[3])
    rows[3][1] = "示例区财政局关于印发《示例区区级财政专项资金管理办法（修订）》的通知"  # 索引号 given: same item
    corrected = build_workbook(tmp_path / "export", rows)
    third = as_json(corrected, catalogue)
    assert (third["added"], third["updated"], third["unchanged"]) == (0, 2, 2), third
    assert {i["row"]: i["path"] for i in third["items"] if i["action"] == "更新"} == {
        3: "items/qczj/2025/00010.md", 4: "items/qczj/2025/00011.md"}
    text = path.read_text(encoding="utf-8")
    assert "采购意向见附件（已更正）。" in text and '关键词: ["政府采购"]' in text  # the editor's field is kept
    assert "（修订）" in item_text(catalogue, "00010")
    assert len(list((catalogue / "items").rglob("*.md"))) == len([p for p in before if p.suffix == ".md"])


def test_dry_run_writes_nothing_and_json_reports_every_row(export, catalogue):
    before = sorted(p.relative_to(catalogue) for p in catalogue.rglob("*"))
    report = as_json(export, catalogue, "--dry-run")
    assert sorted(p.relative_to(catalogue) for p in catalogue.rglob("*")) == before
    assert report["dry_run"] is True and report["rows"] == 10
    assert {i["row"]: (i["action"], i["index_no"]) for i in report["items"]} == {
        3: ("新增", f"{QCZJ}/2025-00010"), 4: ("新增", f"{QCZJ}/2025-00011"),
        5: ("新增", f"{QCZJ}/2025-00012"), 13: ("新增", f"{QCZJ}/2025-00013")}
    refused = {r["row"]: r["errors"] for r in report["rejected_rows"]}
    assert sorted(refused) == list(REFUSED)
    assert {e["code"] for e in refused[7]} == {"date-format"}
    assert refused[7][0]["source"] == "列「发布日期」"
    assert [e["code"] for e in refused[8]] == ["import-column"]
    assert [e["code"] for e in refused[9]] == ["date-future"] * 2  # 生成日期 and 发布日期
    assert {e["code"] for e in refused[10]} == {"personal-data"}
    assert [e["code"] for e in refused[11]] == ["import-duplicate"]
    assert [e["code"] for e in refused[12]] == ["import-attachment-missing"]
    assert report["ignored_columns"] == []
