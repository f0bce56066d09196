"""`gkml check` as editors and tools see it: text lines, --format json, --strict, -q, exit codes,
all problems in one run, and the real `python -m gkml.cli` process."""
from __future__ import annotations

import datetime as dt
import json

from conftest import check_json, front_matter, run_cli, run_gkml, write_item
from test_check_rules import QCZJ, TODAY, base

D = dt.date


def one_error_one_warning(catalogue):
    """An item with a bad 文号 (error) and another with an unknown field (warning), both on line 16."""
    bad = write_item(catalogue, "qczj/2025/00009.md", base(文号="示财【2025】3号", 成文日期=D(2025, 3, 8)))
    odd = write_item(catalogue, "qczj/2025/00010.md", base(索引号=f"{QCZJ}/2025-00010", 备注="无"))
    return bad, odd


def test_text_format_is_path_line_level_message_field(catalogue):
    one_error_one_warning(catalogue)
    result = run_cli("check", "--today", TODAY, catalogue)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "catalogue/items/qczj/2025/00009.md:16: 错误: 文号应为「机关代字〔年份〕序号号」，如 示政办〔2025〕12号：年份写全四位，"
        "用六角括号〔〕，序号不加「第」、不补零；命令（令）写作 示政令第3号；应改为「示财〔2025〕3号」 (文号)",
        "catalogue/items/qczj/2025/00010.md:16: 警告: 未知字段「备注」，将被忽略 (备注)",
    ]
    assert result.stderr.strip() == "共 1 个错误，1 个警告"


def test_quiet_prints_errors_only(catalogue):
    one_error_one_warning(catalogue)
    result = run_cli("-q", "check", "--today", TODAY, catalogue)
    assert result.exit_code == 1 and len(result.stdout.splitlines()) == 1 and "错误" in result.stdout
    assert result.stderr == ""


def test_json_shape(catalogue):
    one_error_one_warning(catalogue)
    exit_code, data = check_json(catalogue, "--today", TODAY)
    assert exit_code == 1
    assert set(data) == {"errors", "warnings", "notices", "items", "strict", "diagnostics"}
    assert (data["errors"], data["warnings"], data["items"], data["strict"]) == (1, 1, 12, False)
    first, second = data["diagnostics"]
    assert first == {"path": "catalogue/items/qczj/2025/00009.md", "line": 16, "level": "error", "code": "docno",
                     "message": first["message"], "field": "文号"}
    assert (second["level"], second["code"], second["field"], second["line"]) == ("warning", "unknown-field", "备注", 16)


def test_json_on_a_clean_catalogue(catalogue):
    exit_code, data = check_json(catalogue, "--strict", "--today", TODAY)
    assert (exit_code, data) == (0, {"errors": 0, "warnings": 0, "notices": 0, "items": 10, "strict": True, "diagnostics": []})


def test_json_when_the_catalogue_cannot_be_read(tmp_path):
    result = run_cli("check", "--format", "json", tmp_path / "nowhere")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and data["items"] == 0 and data["diagnostics"][0]["code"] == "no-catalogue"


def test_strict_turns_warnings_into_failure(catalogue):
    write_item(catalogue, "qczj/2025/00010.md", base(索引号=f"{QCZJ}/2025-00010", 备注="无"))
    assert run_cli("check", "--today", TODAY, catalogue).exit_code == 0
    strict = run_cli("check", "--strict", "--today", TODAY, catalogue)
    assert strict.exit_code == 1 and "警告: 未知字段「备注」" in strict.stdout
    exit_code, data = check_json(catalogue, "--strict", "--today", TODAY)
    assert (exit_code, data["strict"], data["errors"], data["warnings"]) == (1, True, 0, 1)


def test_every_problem_is_reported_in_one_run(catalogue, tmp_path):
    """Faults in many files of every kind: all of them appear in a single `gkml check`."""
    items = catalogue / "items"
    write_item(catalogue, "qczj/2025/a.md", base(索引号=f"{QCZJ}/2025-00101", 文号="示财[2025]3号", 成文日期=D(2025, 3, 8)))
    write_item(catalogue, "qczj/2025/b.md", base(索引号=f"{QCZJ}/2025-00102", 栏目="nyzc"))
    write_item(catalogue, "qczj/2025/c.md", base(索引号=f"{QCZJ}/2025-00102"))  # same 索引号 as b
    write_item(catalogue, "qczj/2025/d.md", base(索引号=f"{QCZJ}/2025-00104", 发布日期=D(2025, 3, 1)))
    write_item(catalogue, "qczj/2025/e.md", base(索引号=f"{QCZJ}/2025-00105", 有效性="废止"))
    write_item(catalogue, "qczj/2025/f.md", base(索引号=f"{QCZJ}/2025-00106", 附件=["f/缺失.pdf"]))
    (items / "qczj/2025/g.md").write_bytes(f"---\n{front_matter(base())}标题: 重复\n---\n".encode())
    (items / "qczj/2025/h.md").write_bytes("---\n标题: 关于\n".encode("gbk"))
    (items / "qczj/2025/i.md").write_bytes(b"")
    (items / "qczj/2025/j.md").write_text("没有元数据\n", encoding="utf-8")
    write_item(catalogue, "qczj/2025/k.md", base(索引号=f"{QCZJ}/2025-00111", 政策解读=f"{QCZJ}/2025-99999"))
    write_item(catalogue, "nobody/2025/l.md", base())
    (catalogue / "units/dhz.yml").write_text((catalogue / "units/dhz.yml").read_text(encoding="utf-8")
                                             .replace("类型: 乡镇", "类型: 村"), encoding="utf-8")
    exit_code, data = check_json(catalogue, "--today", TODAY)
    got = {(d["path"].removeprefix("catalogue/"), d["code"]) for d in data["diagnostics"]}
    expected = {
        ("items/qczj/2025/a.md", "docno"), ("items/qczj/2025/b.md", "column-kind"),
        ("items/qczj/2025/c.md", "duplicate-index-no"), ("items/qczj/2025/d.md", "date-order"),
        ("items/qczj/2025/e.md", "required"), ("items/qczj/2025/f.md", "attachment-missing"),
        ("items/qczj/2025/g.md", "yaml-duplicate-key"), ("items/qczj/2025/h.md", "encoding"),
        ("items/qczj/2025/i.md", "empty-file"), ("items/qczj/2025/j.md", "no-front-matter"),
        ("items/qczj/2025/k.md", "unknown-index-no"), ("items/nobody/2025/l.md", "unknown-unit"),
        ("units/dhz.yml", "enum"),
    }
    assert exit_code == 1 and expected <= got, expected - got
    assert data["errors"] >= len(expected)


def test_real_process_clean_and_failing(catalogue):
    ok = run_gkml("check", "--strict", "--today", TODAY, "catalogue", cwd=catalogue.parent)
    assert (ok.returncode, ok.stdout, ok.stderr.strip()) == (0, "", "共 0 个错误，0 个警告")
    one_error_one_warning(catalogue)
    bad = run_gkml("check", "--today", TODAY, "catalogue", cwd=catalogue.parent)
    assert bad.returncode == 1 and "\x1b[" not in bad.stdout  # NO_COLOR is set, and stdout is a pipe
    assert bad.stdout.splitlines()[0].startswith("catalogue/items/qczj/2025/00009.md:16: 错误: 文号应为")
    as_json = run_gkml("check", "--format", "json", "--today", TODAY, "catalogue", cwd=catalogue.parent)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["errors"] == 1


def test_default_catalogue_argument(catalogue):
    result = run_gkml("check", "--today", TODAY, cwd=catalogue.parent)  # `catalogue` in the working directory
    assert result.returncode == 0 and result.stderr.strip() == "共 0 个错误，0 个警告"


def test_a_file_instead_of_a_folder_gets_a_chinese_error(tmp_path):
    target = tmp_path / "README.md"
    target.write_text("# 说明\n", encoding="utf-8")
    result = run_gkml("check", target)
    assert result.returncode == 1
    assert "这是一个文件，不是目录文件夹" in result.stdout and "Usage" not in result.stderr
