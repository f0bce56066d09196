"""Hostile files: `gkml check` reports each one as `path:line: 错误: message (field)` and never a traceback."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import check_json, front_matter, run_cli, run_gkml, write_item
from test_check_rules import TODAY, assert_clean, assert_reported, base, rel

ITEM = "qczj/2025/00009.md"


def write_raw(catalogue: Path, data: bytes, relpath: str = ITEM) -> Path:
    path = catalogue / "items" / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def valid_text(**changes) -> str:
    return f"---\n{front_matter(base(**changes))}---\n\n正文第一段。\n\n正文第二段。\n"


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


# -- accepted: BOM, CRLF, old Mac CR, tabs inside values ------------------------------------------

@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8-sig"),
    lambda t: t.replace("\n", "\r\n").encode(),
    lambda t: t.replace("\n", "\r\n").encode("utf-8-sig"),
    lambda t: t.replace("\n", "\r").encode(),
], ids=["bom", "crlf", "bom+crlf", "cr"])
def test_bom_and_line_endings_are_accepted(catalogue, encode):
    path = write_raw(catalogue, encode(valid_text()))
    assert_clean(catalogue, path)


def test_crlf_keeps_line_numbers(catalogue):
    text = valid_text(文号="示财【2025】3号", 成文日期=base()["生成日期"])
    path = write_raw(catalogue, text.replace("\n", "\r\n").encode("utf-8-sig"))
    line = text.split("\n").index("文号: 示财【2025】3号") + 1
    assert_reported(catalogue, path, code="docno", field="文号", line=line, text="应改为「示财〔2025〕3号」")


def test_tab_between_key_and_value_is_accepted(catalogue):
    path = write_raw(catalogue, valid_text().replace("标题: ", "标题:\t").encode())
    assert_clean(catalogue, path)


# -- refused, each with its file, line and field ---------------------------------------------------

def test_tab_indentation(catalogue):
    text = valid_text().replace("  审查人: 陈某", "\t审查人: 陈某")
    path = write_raw(catalogue, text.encode())
    line = text.split("\n").index("\t审查人: 陈某") + 1
    d = assert_reported(catalogue, path, code="yaml-syntax", field="保密审查", line=line, text="Tab")
    assert "空格" in d["message"]


@pytest.mark.parametrize("bad_line, code, field, text", [
    ("标题: 关于: 的通知", "yaml-syntax", "标题", "值中含有「: 」时请给整个值加英文引号"),
    ("标题: \"未闭合的引号", "yaml-syntax", "标题", "引号或括号没有闭合"),
    ("标题: [预算, 决算", "yaml-syntax", "标题", "方括号 [ ] 没有闭合"),
    ("标题: @开头", "yaml-syntax", "标题", "特殊值请加引号"),
    ("标题: !!binary aGVsbG8=", "yaml-tag", "标题", "不支持 YAML 标签「!!binary」"),
    ("标题: !!python/object:os.system ls", "yaml-tag", "标题", "不支持 YAML 标签「!!python/object:os.system」"),
    ("标题: " + "9" * 5000, "yaml-value", "标题", "无法识别的值"),
    ("标题：示例区财政局", "yaml-syntax", "标题", "用了中文冒号「：」"),
    ("标题:示例区财政局", "yaml-syntax", "标题", "冒号后面缺少空格"),
    # A line without a colon is not a field; YAML notices it where it started.
    ("标题 示例", "yaml-syntax", None, "缺少冒号"),
    # Indented, the line continues the value of the field above, which is what YAML reports.
    ("  标题: 缩进错了", "yaml-syntax", "索引号", "与上一项对齐"),
])
def test_broken_yaml_names_line_and_field(catalogue, bad_line, code, field, text):
    lines = valid_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("标题:"))
    lines[at] = bad_line
    path = write_raw(catalogue, "\n".join(lines).encode())
    exit_code, data = check_json(catalogue, "--today", TODAY)
    mine = [d for d in data["diagnostics"] if d["path"] == rel(catalogue, path)]
    assert exit_code == 1 and len(mine) == 1, mine
    assert (mine[0]["level"], mine[0]["code"], mine[0]["line"], mine[0]["field"]) == ("error", code, at + 1, field)
    assert text in mine[0]["message"]


def test_no_front_matter(catalogue):
    path = write_raw(catalogue, "# 标题\n\n正文\n".encode())
    assert_reported(catalogue, path, code="no-front-matter", field=None, line=1, text="文件第一行应为「---」")


def test_front_matter_not_closed(catalogue):
    path = write_raw(catalogue, valid_text().replace("---\n\n正文", "\n正文").encode())
    assert_reported(catalogue, path, code="front-matter-unclosed", field=None, line=1, text="加一行「---」")


def test_front_matter_that_is_a_list(catalogue):
    path = write_raw(catalogue, "---\n- 标题\n- 正文\n---\n正文\n".encode())
    assert_reported(catalogue, path, code="yaml-not-mapping", field=None, line=2, text="顶层应为「键: 值」的列表")


def test_front_matter_that_is_empty(catalogue):
    path = write_raw(catalogue, "---\n---\n正文\n".encode())
    assert_reported(catalogue, path, code="yaml-empty", field=None, line=2, text="YAML 内容为空")


def test_closing_marker_with_trailing_spaces(catalogue):
    path = write_raw(catalogue, valid_text().replace("\n---\n\n正文", "\n---   \n\n正文", 1).encode())
    assert_clean(catalogue, path)


def test_non_utf8_gbk_names_the_line(catalogue):
    text = valid_text()
    data = text.encode("utf-8").replace("正文第二段。".encode(), "正文第二段。".encode("gbk"))
    path = write_raw(catalogue, data)
    line = text.split("\n").index("正文第二段。") + 1
    assert_reported(catalogue, path, code="encoding", field="正文", line=line, text="GBK")


def test_non_utf8_in_front_matter_names_line_and_field(catalogue):
    text = valid_text()
    data = text.encode("utf-8").replace("示例区财政局2025".encode(), "示例区财政局2025".encode("gbk"))
    path = write_raw(catalogue, data)
    line = next(i for i, s in enumerate(text.split("\n"), 1) if s.startswith("标题:"))
    d = assert_reported(catalogue, path, code="encoding", field="标题", line=line, text="不是 UTF-8 编码")
    assert "UTF-8" in d["message"] and "重新保存" in d["message"]


def test_utf16_file(catalogue):
    path = write_raw(catalogue, valid_text().encode("utf-16"))
    assert_reported(catalogue, path, code="encoding", field=None, line=None, text="UTF-16")


def test_binary_file(catalogue):
    path = write_raw(catalogue, b"---\n\xff\xd8\xff\xe0\x00\x10JFIF")
    assert_reported(catalogue, path, code="binary", field=None, line=2, text="不是文本文件")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n", "\ufeff".encode()], ids=["empty", "blank", "bom-only"])
def test_empty_file(catalogue, data):
    path = write_raw(catalogue, data)
    assert_reported(catalogue, path, code="empty-file", field=None, line=None, text="文件为空")


def test_fifty_megabyte_file(catalogue):
    path = write_raw(catalogue, valid_text().encode())
    with path.open("r+b") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: instant, no disk
    assert_reported(catalogue, path, code="file-too-large", field=None, line=None, text="文件过大（50.0 MB）")


def test_symlink_out_of_the_tree(catalogue, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(valid_text(), encoding="utf-8")
    path = catalogue / "items" / ITEM
    os.symlink(outside, path)
    assert_reported(catalogue, path, code="symlink-outside", field=None, line=None, text="符号链接指向目录之外")


def test_symlinked_folder_out_of_the_tree(catalogue, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "00009.md").write_text(valid_text(), encoding="utf-8")
    link = catalogue / "items/qczj/2026"
    os.symlink(outside, link, target_is_directory=True)
    assert_reported(catalogue, link, code="symlink-outside", field=None, line=None, text="符号链接指向目录之外")


def test_symlink_inside_the_tree_is_read(catalogue):
    target = write_raw(catalogue, valid_text().encode(), "qczj/2025/real.md")
    os.symlink(target, catalogue / "items/qczj/2025/link.md")
    exit_code, data = check_json(catalogue, "--today", TODAY)
    # Same file twice: the link is a second item with the same 索引号, which must be reported.
    assert exit_code == 1 and [d["code"] for d in data["diagnostics"]] == ["duplicate-index-no"]


def test_dangling_symlink(catalogue, tmp_path):
    path = catalogue / "items" / ITEM
    os.symlink(catalogue / "items/nowhere.md", path)
    assert_reported(catalogue, path, code="unreadable", field=None, line=None, text="无法读取文件")


def test_fifo_is_not_read(catalogue):
    path = catalogue / "items" / ITEM
    os.mkfifo(path)  # reading it would block `gkml check` for ever
    assert_reported(catalogue, path, code="not-a-file", field=None, line=None, text="不是普通文件")


def test_alias_bomb(catalogue):
    # "Billion laughs": 9 levels of 9 aliases would expand to 9^9 strings if aliases were followed.
    lines = ['a0: &a0 ["哈"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = valid_text().replace("---\n", "---\n" + "\n".join(lines) + "\n", 1)
    path = write_raw(catalogue, text.encode())
    assert_reported(catalogue, path, code="yaml-alias", field="a1", line=3, text="不支持 YAML 锚点和别名")


def test_merge_key(catalogue):
    text = valid_text().replace("---\n", "---\n默认: &d {发布机构: 示例区财政局}\n<<: *d\n", 1)
    path = write_raw(catalogue, text.encode())
    assert_reported(catalogue, path, code="yaml-alias", field="<<", line=3, text="合并键")


def test_repeated_key(catalogue):
    text = valid_text()
    lines = text.split("\n")
    first = next(i for i, s in enumerate(lines, 1) if s.startswith("标题:"))
    path = write_raw(catalogue, text.replace("\n---\n\n", "\n标题: 另一个标题\n---\n\n", 1).encode())
    again = len(front_matter(base()).split("\n")) + 1
    d = assert_reported(catalogue, path, code="yaml-duplicate-key", field="标题", line=again, text="键「标题」重复出现")
    assert f"第 {first} 行已有" in d["message"]


def test_repeated_nested_key(catalogue):
    text = valid_text().replace("  审查人: 陈某\n", "  审查人: 陈某\n  审查人: 李某\n")
    path = write_raw(catalogue, text.encode())
    line = text.split("\n").index("  审查人: 陈某") + 2
    assert_reported(catalogue, path, code="yaml-duplicate-key", field="保密审查.审查人", line=line, text="重复出现")


def test_control_character(catalogue):
    text = valid_text().replace("示例区财政局2025年", "示例区财政局\x07 2025年", 1)
    path = write_raw(catalogue, text.encode())
    line = next(i for i, s in enumerate(text.split("\n"), 1) if s.startswith("标题:"))
    assert_reported(catalogue, path, code="yaml-syntax", field="标题", line=line, text="控制字符")


@pytest.mark.parametrize("shape", ["[", "- ", "{a: "])
def test_deep_nesting_does_not_crash_the_process(catalogue, shape):
    # libyaml's composer recursed until the process died with SIGSEGV (no message at all).
    n = 100_000
    close = {"[": "]", "- ": "", "{a: ": "}"}[shape]
    value = shape * n + ("x" if shape != "[" else "") + close * n
    text = valid_text().replace("---\n", f"---\n深: {value}\n", 1) if shape != "- " else \
        valid_text().replace("---\n", f"---\n深:\n  {value}\n", 1)
    path = write_raw(catalogue, text.encode())
    result = run_gkml("check", "--format", "json", "--today", TODAY, catalogue.parent / "catalogue",
                      cwd=catalogue.parent)
    no_traceback(result)
    assert result.returncode == 1, result.stderr[-500:]
    assert f'"path": "{rel(catalogue, path)}"' in result.stdout and "嵌套层次过深" in result.stdout


def test_hostile_settings_files(catalogue):
    (catalogue / "units/dhz.yml").write_bytes("名称: 东湖镇\n类型: 乡镇\n类型: 街道\n".encode())
    (catalogue / "units/cgjd.yml").write_bytes("名称: 城关街道\n".encode("utf-16"))
    (catalogue / "units/zz.yml").write_bytes(b"")
    exit_code, data = check_json(catalogue, "--today", TODAY)
    got = {(d["path"], d["line"], d["code"], d["field"]) for d in data["diagnostics"]}
    assert ("catalogue/units/dhz.yml", 3, "yaml-duplicate-key", "类型") in got
    assert ("catalogue/units/cgjd.yml", None, "encoding", None) in got
    assert ("catalogue/units/zz.yml", None, "empty-file", None) in got
    assert exit_code == 1


def test_broken_site_yml_stops_with_a_message(catalogue):
    (catalogue / "site.yml").write_text("名称: 示例区人民政府\n本级政府: [qzf\n", encoding="utf-8")
    result = run_cli("check", catalogue)
    assert result.exit_code == 1
    assert result.stdout == "catalogue/site.yml:2: 错误: YAML 语法错误：方括号 [ ] 没有闭合或其中缺少逗号；列表写作 [甲, 乙] (本级政府)\n"


@pytest.mark.parametrize("where", ["../outside.yml", "/etc/hostname", "units/../../outside.yml"])
def test_taxonomy_path_cannot_leave_the_catalogue(catalogue, where):
    (catalogue.parent / "outside.yml").write_text("名称: 外部\n栏目: []\n", encoding="utf-8")
    site = catalogue / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + f"目录: {where}\n", encoding="utf-8")
    exit_code, data = check_json(catalogue)
    d = next(d for d in data["diagnostics"] if d["code"] == "path-outside")
    assert (d["path"], d["field"], exit_code) == ("catalogue/site.yml", "目录", 1)
    assert d["line"] == len(site.read_text(encoding="utf-8").splitlines()) and "必须在目录文件夹之内" in d["message"]


def test_catalogue_argument_that_does_not_exist(tmp_path):
    result = run_gkml("check", tmp_path / "nowhere")
    no_traceback(result)
    assert result.returncode == 1 and "目录不存在" in result.stdout


def test_catalogue_without_site_yml(tmp_path):
    (tmp_path / "catalogue").mkdir()
    result = run_gkml("check", "catalogue", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("catalogue/site.yml: 错误: 缺少平台设置文件 site.yml")
