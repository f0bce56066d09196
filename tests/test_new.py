"""`gkml new`: the next free 索引号, today's dates, a file that passes `gkml check`, Chinese refusals."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import check_json, run_cli, run_gkml, write_item
from gkml.catalogue.yamldoc import parse_mapping
from test_check_rules import QCZJ, base

TODAY = dt.date.today()


def new(catalogue: Path, *args: str):
    return run_cli("new", "--unit", "qczj", "--column", "sgjf", *args, catalogue)


def meta(path: Path) -> dict:
    return parse_mapping(path.read_text(encoding="utf-8").split("\n---\n")[0][4:]).data


def test_new_item_in_an_empty_year_starts_at_one_and_passes_check(catalogue):
    result = new(catalogue, "--title", "示例区财政局2026年三公经费预算", "--reviewer", "陈某")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path == catalogue / "items" / "qczj" / str(TODAY.year) / "00001.md" and path.is_file()
    data = meta(path)
    assert data["索引号"] == f"{QCZJ}/{TODAY.year}-00001"
    assert data["生成日期"] == data["发布日期"] == data["保密审查"]["日期"] == TODAY
    assert (data["栏目"], data["公开方式"], data["标题"]) == ("sgjf", "主动公开", "示例区财政局2026年三公经费预算")
    exit_code, report = check_json(catalogue, "--strict")
    assert (exit_code, report["diagnostics"], report["items"]) == (0, [], 11)


def test_next_serial_after_existing_ones(catalogue):
    result = new(catalogue, "--title", "二〇二五年的信息", "--date", "2025-12-01", "--reviewer", "陈某")
    # The fixture has qczj 2025-00001 … 00003: the next is 00004.
    assert result.exit_code == 0 and result.stdout.strip().endswith("items/qczj/2025/00004.md")
    assert meta(Path(result.stdout.strip()))["索引号"] == f"{QCZJ}/2025-00004"
    second = new(catalogue, "--title", "再一条", "--date", "2025-12-02", "--reviewer", "陈某")
    assert meta(Path(second.stdout.strip()))["索引号"] == f"{QCZJ}/2025-00005"
    assert check_json(catalogue, "--strict")[0] == 0


def test_next_serial_skips_gaps_and_other_units(catalogue):
    write_item(catalogue, "qczj/2025/late.md", base(索引号=f"{QCZJ}/2025-00041"))
    result = new(catalogue, "--title", "x", "--date", "2025-12-01")
    assert meta(Path(result.stdout.strip()))["索引号"] == f"{QCZJ}/2025-00042"


def test_next_serial_skips_a_number_an_annual_report_holds(catalogue):
    # reports/<单位>/<年份>.md may publish the computed 年报 under a 索引号 of the unit's
    report = catalogue / "reports" / "qczj" / "2024.md"
    report.parent.mkdir(parents=True)
    report.write_text(f"---\n行政许可: 0\n发布日期: 2025-01-20\n索引号: {QCZJ}/2025-00009\n---\n", encoding="utf-8")
    result = new(catalogue, "--title", "x", "--date", "2025-12-01")
    assert result.exit_code == 0 and meta(Path(result.stdout.strip()))["索引号"] == f"{QCZJ}/2025-00010"


def test_next_serial_counts_items_the_validator_cannot_read(catalogue):
    # A broken item still owns its 索引号: reusing it would collide once the item is repaired.
    broken = catalogue / "items/qczj/2025/broken.md"
    broken.write_text(f"---\n索引号: {QCZJ}/2025-00077\n标题: [未闭合\n---\n", encoding="utf-8")
    result = new(catalogue, "--title", "x", "--date", "2025-12-01")
    assert result.exit_code == 0 and meta(Path(result.stdout.strip()))["索引号"] == f"{QCZJ}/2025-00078"


def test_without_reviewer_passes_check_with_one_warning(catalogue):
    path = Path(new(catalogue, "--title", "待审查的信息").stdout.strip())
    exit_code, report = check_json(catalogue)
    assert exit_code == 0 and [(d["path"].split("/")[-1], d["code"]) for d in report["diagnostics"]] == \
        [(path.name, "review-missing")]
    assert "# 保密审查:" in path.read_text(encoding="utf-8")


def test_doc_no_topic_genre_and_awkward_title(catalogue):
    title = '关于"引号": 冒号、#井号 与 [括号] 的通知'
    result = new(catalogue, "--title", title, "--doc-no", "示财〔2025〕9号", "--topic", "财政、金融、审计/财政",
                 "--genre", "命令", "--date", "2025-12-01", "--reviewer", "陈某")
    data = meta(Path(result.stdout.strip()))
    assert (data["标题"], data["文号"], data["成文日期"], data["主题分类"], data["体裁"]) == \
        (title, "示财〔2025〕9号", dt.date(2025, 12, 1), "财政、金融、审计/财政", "命令（令）")
    assert check_json(catalogue, "--strict")[0] == 0


@pytest.mark.parametrize("args, message", [
    (("--unit", "qczjj", "--column", "sgjf", "--title", "x"), "没有单位「qczjj」（units/ 下没有 qczjj.yml）；是否应为「qczj」？"),
    (("--unit", "qczj", "--column", "sgjj", "--title", "x"), "统一目录中没有栏目「sgjj」；是否应为「sgjf」？"),
    (("--unit", "qczj", "--column", "czxx", "--title", "x"), "有下级栏目，信息只能放在末级栏目：bmyjs、sgjf"),
    (("--unit", "qczj", "--column", "nyzc", "--title", "x"), "它不适用于政府部门"),
    (("--unit", "qczj", "--column", "sfbz", "--title", "x"), "本单位已在 units/qczj.yml 中把它标为不适用"),
    (("--unit", "qczj", "--column", "sgjf", "--title", "  "), "标题不能为空"),
    (("--unit", "qczj", "--column", "sgjf", "--title", "x", "--doc-no", "示财【2025】9号"), "应改为「示财〔2025〕9号」"),
    (("--unit", "qczj", "--column", "sgjf", "--title", "x", "--topic", "财政"), "不是 22 个主题之一"),
    (("--unit", "qczj", "--column", "sgjf", "--title", "x", "--genre", "通知书"), "体裁「通知书」应为：决议、决定"),
    (("--unit", "qczj", "--column", "sgjf", "--title", "x", "--date", "2999-01-01"), "晚于今天"),
])
def test_refusals_in_chinese(catalogue, args, message):
    result = run_gkml("new", *args, catalogue)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("错误：") and message in result.stderr and "Traceback" not in result.stderr
    assert not (catalogue / "items/qczj" / str(TODAY.year)).exists()


def test_refuses_when_the_catalogue_cannot_be_read(catalogue):
    (catalogue / "site.yml").write_text("名称: [\n", encoding="utf-8")
    result = run_gkml("new", "--unit", "qczj", "--column", "sgjf", "--title", "x", catalogue)
    assert result.returncode == 1 and "目录无法读取，请先运行 gkml check 修正" in result.stderr and "site.yml:1" in result.stderr


def test_real_process_prints_the_path(catalogue):
    result = run_gkml("new", "--unit", "dhz", "--column", "nyzc", "--title", "东湖镇新闻", "--reviewer", "林某",
                      "catalogue", cwd=catalogue.parent)
    assert result.returncode == 0 and result.stdout == f"catalogue/items/dhz/{TODAY.year}/00001.md\n"
    assert run_gkml("check", "--strict", "catalogue", cwd=catalogue.parent).returncode == 0
