"""The cleaning rules of `gkml import`, value by value, and what a bad mapping file or an
unreadable export is told (in Chinese, with file and line, never a traceback)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import run_cli
from gkml.importer.rows import clean_docno, genre_from_title, match_key
from gkml.importer.sheet import clean_code, clean_line, norm_header, parse_date, read_sheet
from gkml.cli.importing import row_ranges

D = dt.date(2024, 3, 5)


@pytest.mark.parametrize("value", [
    "2024年3月5日", "2024年03月05日", "2024/3/5", "2024-03-05 00:00:00", "2024-3-5 17:11", "2024.3.5", "20240305",
    "２０２４年３月５日", " 2024 年 3 月 5 日 ", "二〇二四年三月五日", 45356, 45356.0, "45356",
    dt.datetime(2024, 3, 5, 0, 0), dt.datetime(2024, 3, 5, 17, 11), D,
])
def test_dates_in_the_ways_exports_write_them(value):
    assert parse_date(value) == D


@pytest.mark.parametrize("value", ["2024年13月5日", "2024-02-30", "明天", "3月5日", "12", 123456789, ""])
def test_what_is_not_a_date_stays_unparsed(value):
    assert parse_date(value) is None


def test_excel_1904_serials_and_extra_formats():
    assert parse_date(43894, epoch=dt.datetime(1904, 1, 1)) == D
    assert parse_date("05/03/2024", formats=("%d/%m/%Y",)) == D


@pytest.mark.parametrize("raw, clean", [
    ("  示例区财政局关于  印发《办法》的通知 ", "示例区财政局关于印发《办法》的通知"),
    ("平潭综合实验区管委会 关于成立“10·8” 国家海洋局海岛 研究中心", "平潭综合实验区管委会关于成立“10·8”国家海洋局海岛研究中心"),
    ("２０２６ 年度单位预算", "2026年度单位预算"),
    ("COVID-19  疫苗 接种\u3000公告", "COVID-19疫苗接种公告"),
    ("Open  Data\u00a0Day", "Open Data Day"),
    (2025, "2025"), (12.0, "12"), (None, ""),
])
def test_one_line_fields(raw, clean):
    assert clean_line(raw) == clean


@pytest.mark.parametrize("raw, clean", [
    ("岚综管综【2019】117号", "岚综管综〔2019〕117号"), ("示财〔２０２５〕１５号", "示财〔2025〕15号"),
    ("示财 [2025] 第012号", "示财〔2025〕12号"), ("无", ""), ("/", ""), ("  ", ""), ("示政令第3号", "示政令第3号"),
    ("内部明电", "内部明电"),  # not a 文号 gkml can fix: kept, so the validator says what is wrong
])
def test_docno(raw, clean):
    assert clean_docno(raw) == clean


def test_codes_and_headers():
    assert clean_code("１１３５０１９９ＭＢ０３００００３Ｄ / ２０２５-０００１０") == "11350199MB0300003D/2025-00010"
    assert norm_header(" 成文\n日期 ") == "成文日期" and norm_header("ｕｒｌ") == "url"


@pytest.mark.parametrize("title, genre", [
    ("关于调整金井湾学校项目拟选址地块规划事宜的批复", "批复"), ("关于做好防汛工作的紧急通知", "通知"),
    ("示例区人民政府令", ""), ("示例区人民政府命令", "命令（令）"), ("2024年度单位决算", ""), ("征收土地公告", "公告"),
])
def test_genre_from_title(title, genre):
    assert genre_from_title(title) == genre


def test_match_key_and_row_ranges():
    assert match_key({"标题": "", "文号": ""}) == ""
    assert match_key({"标题": "甲"}) != match_key({"标题": "乙"}) and len(match_key({"标题": "甲"})) == 16
    assert row_ranges([2, 3, 4, 7, 9, 10]) == "2—4、7、9—10"


def test_csv_in_gbk_and_tsv(tmp_path: Path):
    gbk = tmp_path / "导出.csv"
    gbk.write_bytes("标题,发布日期\n示例通知,2024/3/5\n".encode("gb18030"))
    sheet = read_sheet(gbk, ["标题", "发布日期"])
    assert sheet.rows[0].cells == {"标题": "示例通知", "发布日期": "2024/3/5"} and "GBK" in sheet.notes[0]
    tsv = tmp_path / "导出.tsv"
    tsv.write_text('说明行\n\n标题\t备注\n"引号"开头\tx\n', encoding="utf-8")
    sheet = read_sheet(tsv, ["标题"])
    assert sheet.header_row == 3 and sheet.rows[0].number == 4 and sheet.rows[0].cells["标题"] == '"引号"开头'


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_mapping_files_are_explained(tmp_path: Path, catalogue: Path):
    sheet = write(tmp_path / "a.csv", "标题,日期\n甲,2024-03-05\n")
    before = sorted(catalogue.rglob("*"))
    mapping = write(tmp_path / "m.yml", "列:\n  标题: 题目\n  日期: {字段: 发布日期, 提取: '(\\d+'}\n默认值:\n  内容概述: '{摘要x}'\n未知: 1\n")
    result = run_cli("import", sheet, "--unit", "qczj", "--mapping", mapping, "--catalogue", catalogue)
    assert result.exit_code == 1 and result.stdout == ""
    err = result.stderr
    assert "m.yml:2: 错误: 列「标题」对应的「题目」不是 gkml 字段" in err
    assert "m.yml:3: 错误: 列「日期」的「提取」不是有效的正则表达式" in err
    assert "默认值「{摘要x}」中的「{摘要x}」无法识别" in err
    assert "m.yml:6: 警告: 未知字段「未知」" in err
    assert "映射文件" in err and "没有导入任何内容" in err and "Traceback" not in err
    assert sorted(catalogue.rglob("*")) == before  # the catalogue is untouched
    yaml_error = write(tmp_path / "bad.yml", "列:\n\t标题: 标题\n")
    result = run_cli("import", sheet, "--unit", "qczj", "--mapping", yaml_error, "--catalogue", catalogue)
    assert result.exit_code == 1 and "bad.yml:2: 错误: YAML 语法错误" in result.stderr and "Tab" in result.stderr


def test_unreadable_exports_and_wrong_units_are_explained(tmp_path: Path, catalogue: Path):
    mapping = write(tmp_path / "m.yml", "列:\n  信息名称: 标题\n  发布时间: [发布日期, 生成日期]\n")
    cases = [
        (write(tmp_path / "a.csv", "标题,发布时间\n甲,2024-03-05\n"), "qczj",
         "找不到映射文件「列」中的表头「信息名称」；第 1 行的表头是：标题、发布时间"),
        (write(tmp_path / "old.xls", "x"), "qczj", "不支持 .xls 格式；请用 Excel 或 WPS 打开后「另存为」.xlsx"),
        (write(tmp_path / "fake.xlsx", "not a zip"), "qczj", "无法作为 .xlsx 读取"),
        (tmp_path / "missing.csv", "qczj", "表格文件"),
        (write(tmp_path / "b.csv", "信息名称,发布时间\n甲,2024-03-05\n"), "nosuch", "没有单位「nosuch」"),
        (write(tmp_path / "c.csv", "信息名称,发布时间,信息名称\n甲,2024-03-05,乙\n"), "qczj",
         "表头「信息名称」出现了 2 次（第 A、C 列）"),
    ]
    for sheet, unit, message in cases:
        result = run_cli("import", sheet, "--unit", unit, "--mapping", mapping, "--catalogue", catalogue)
        assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.stderr, (sheet, result.stderr)
        assert result.stderr.startswith("错误：")


def test_json_mode_reports_fatal_errors_as_json(tmp_path: Path, catalogue: Path):
    import json
    sheet = write(tmp_path / "a.csv", "标题\n甲\n")
    mapping = write(tmp_path / "m.yml", "列:\n  标题: 题目\n")
    result = run_cli("import", sheet, "--unit", "qczj", "--mapping", mapping, "--catalogue", catalogue, "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and "没有导入任何内容" in data["error"]
    assert data["diagnostics"][0]["line"] == 2 and data["diagnostics"][0]["code"] == "mapping-target"
    result = run_cli("import", sheet, "--unit", "nosuch", "--mapping", write(tmp_path / "ok.yml", "列:\n  标题: 标题\n"),
                     "--catalogue", catalogue, "--format", "json")
    assert result.exit_code == 1 and "没有单位「nosuch」" in json.loads(result.stdout)["error"]
