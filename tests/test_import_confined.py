"""`gkml import` reads attachments only from the folder of the file being imported, and refuses
cells a spreadsheet would run as formulas (issue 17)."""
from __future__ import annotations

from pathlib import Path

import csv

from conftest import run_cli
from test_import_xlsx import FIXTURES, ROWS, TODAY, TOPIC, build_workbook, do_import


def test_an_attachment_outside_the_import_folder_is_refused(tmp_path: Path, catalogue: Path):
    secret = tmp_path / "内部" / "名单.txt"
    secret.parent.mkdir()
    secret.write_text("内部名单", encoding="utf-8")
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "附件").mkdir()
    (folder / "附件" / "链接.txt").symlink_to(secret)
    rows = {**ROWS, 4: ROWS[4][:9] + [str(secret), None], 5: ROWS[5][:9] + ["附件/链接.txt", None],
            13: ROWS[13][:9] + ["附件/../../内部/名单.txt", None]}
    result = do_import(build_workbook(folder, rows), catalogue)
    lines = {int(line.split(":")[1]): line for line in result.stdout.splitlines() if line.startswith("导出.xlsx:")}
    for row in (4, 5, 13):
        assert "不在附件文件夹" in lines[row], result.stdout
    assert not any(p.name == "名单.txt" for p in catalogue.rglob("*"))


def test_a_formula_cell_is_refused(tmp_path: Path, catalogue: Path):
    sheet = tmp_path / "导出.csv"
    head = ["索引号", "信息名称", "发文字号", "成文日期", "发布日期", "所属栏目", "主题分类", "关键词", "正文内容", "附件"]
    rows = [head, ["", '=HYPERLINK("http://evil.example","预算")', "", "", "2025-03-12", "其他文件", TOPIC, "", "正文", ""],
            ["", "@SUM(A1)", "", "", "2025-03-13", "其他文件", TOPIC, "", "正文", ""],
            ["", "示例区财政局2025年政府采购意向公开", "", "", "2025-03-14", "其他文件", TOPIC, "", "-1 元", ""]]
    with sheet.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    mapping = tmp_path / "映射.yml"
    mapping.write_text((FIXTURES / "dirty.yml").read_text(encoding="utf-8").replace("工作表: 信息列表\n", ""), encoding="utf-8")
    result = run_cli("import", sheet, "--unit", "qczj", "--mapping", mapping, "--catalogue", catalogue, "--today", TODAY)
    refused = [line for line in result.stdout.splitlines() if "是电子表格公式而不是文字" in line]
    assert sorted({line.split(":")[1] for line in refused}) == ["2", "3"], result.stdout
    imported = "".join(p.read_text(encoding="utf-8") for p in catalogue.rglob("*.md"))
    assert "HYPERLINK" not in imported and "@SUM" not in imported and "政府采购意向公开" in imported
