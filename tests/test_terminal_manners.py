"""Terminal manners, on a real pseudo-terminal and in pipes: colour only on a terminal and never
with NO_COLOR; progress bars only on a terminal; --quiet and --verbose."""
from __future__ import annotations

import csv
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, write_item

ANSI = re.compile(r"\x1b\[")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and bold
MAPPING = "列:\n  标题: 标题\n  日期: [生成日期, 发布日期]\n默认值:\n  公开方式: 主动公开\n  有效性: 有效\n" \
          "  内容概述: '{标题}'\n  发布机构: '{单位}'\n  栏目: bmyjs\n  保密审查: {审查人: 王某, 日期: 2025-01-02}\n"


def env(**extra: str) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")}
    from conftest import INSTALLED
    source = {} if INSTALLED else {"PYTHONPATH": str(REPO / "plugins")}
    return {**base, **source, "TERM": "xterm-256color", "COLUMNS": "100", **extra}


def on_tty(args: list, cwd: Path, environment: dict) -> tuple[int, str]:
    """Run gkml with stdin, stdout and stderr on a pseudo-terminal; everything it wrote there."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "gkml.cli", *map(str, args)], stdin=slave, stdout=slave,
                            stderr=slave, cwd=cwd, env=environment, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=300)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


def in_pipes(args: list, cwd: Path, environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gkml.cli", *map(str, args)], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def broken(catalogue: Path) -> Path:
    write_item(catalogue, "qczj/2025/00009.md", {"标题": "缺少索引号的信息", "公开方式": "主动公开"})
    return catalogue


def test_check_colours_only_a_terminal_without_no_color(broken, tmp_path):
    code, coloured = on_tty(["check", broken], tmp_path, env())
    assert code == 1 and "缺少必填字段「索引号」" in coloured
    assert SGR.search(coloured), "on a terminal the errors are coloured (else this test could not fail)"
    code, plain = on_tty(["check", broken], tmp_path, env(NO_COLOR="1"))
    assert code == 1 and "缺少必填字段「索引号」" in plain and not ANSI.search(plain)
    piped = in_pipes(["check", broken], tmp_path, env())
    assert piped.returncode == 1 and "缺少必填字段「索引号」" in piped.stdout
    assert not ANSI.search(piped.stdout + piped.stderr)


@pytest.fixture
def long_export(tmp_path: Path) -> tuple[Path, Path]:
    sheet = tmp_path / "导出.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["标题", "日期"])
        for n in range(1, 41):
            writer.writerow([f"示例区财政局2025年第{n}批预算调整", f"2025年3月{n % 28 + 1}日"])
        writer.writerow(["示例区财政局日期写错的一行", "2025年3月32日"])
    mapping = tmp_path / "map.yml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return sheet, mapping


def import_args(catalogue: Path, sheet: Path, mapping: Path, *extra: str) -> list:
    return [*extra, "import", sheet, "--unit", "qczj", "--mapping", mapping, "--catalogue", catalogue,
            "--today", "2025-12-31", "--dry-run"]


def test_import_progress_bar_only_on_a_terminal(catalogue, long_export, tmp_path):
    sheet, mapping = long_export
    code, screen = on_tty(import_args(catalogue, sheet, mapping), tmp_path, env())
    assert code == 1 and "导出.csv:42: 错误:" in screen
    assert re.search(r"检查 +\[#+-*\] +\d+%", screen), screen  # click's bar, on the terminal
    code, screen = on_tty(import_args(catalogue, sheet, mapping), tmp_path, env(NO_COLOR="1"))
    assert re.search(r"检查 +\[#+-*\]", screen) and not SGR.search(screen)  # a bar, but no colour
    code, screen = on_tty(import_args(catalogue, sheet, mapping, "-q"), tmp_path, env())
    assert "[#" not in screen and "导出.csv:42: 错误:" in screen  # quiet: errors only
    piped = in_pipes(import_args(catalogue, sheet, mapping), tmp_path, env())
    assert piped.returncode == 1 and "导出.csv:42: 错误:" in piped.stdout
    assert "[#" not in piped.stderr and "检查" not in piped.stderr and not ANSI.search(piped.stdout + piped.stderr)
    assert "试运行（没有写入任何文件）：共 41 行，新增 40 条" in piped.stderr


def test_import_quiet_verbose_and_json(catalogue, long_export, tmp_path):
    sheet, mapping = long_export
    quiet = in_pipes(import_args(catalogue, sheet, mapping, "-q"), tmp_path, env())
    assert quiet.stdout.splitlines() == [line for line in quiet.stdout.splitlines() if ": 错误: " in line] != []
    verbose = in_pipes(import_args(catalogue, sheet, mapping, "-v"), tmp_path, env())
    added = [line for line in verbose.stdout.splitlines() if ": 新增 items/qczj/2025/" in line]
    assert len(added) == 40 and "导出.csv:2: 新增 items/qczj/2025/00004.md（索引号 11350199MB0300003D/2025-00004）" in added
    as_json = in_pipes(import_args(catalogue, sheet, mapping, "-v") + ["--format", "json"], tmp_path, env())
    data = json.loads(as_json.stdout)  # nothing but JSON on stdout, even when verbose
    assert data["added"] == 40 and data["rejected_rows"][0]["row"] == 42 and as_json.stderr == ""
    code, screen = on_tty(import_args(catalogue, sheet, mapping) + ["--format", "json"], tmp_path, env())
    assert "[#" not in screen and not ANSI.search(screen)  # no bar or colour around JSON a tool reads


def test_bundle_progress_only_on_a_terminal(catalogue, tmp_path):
    from sitetools import write_config
    config = write_config(catalogue, tmp_path / "site", tmp_path)
    code, screen = on_tty(["bundle", "-f", config, "-o", tmp_path / "a.zip"], tmp_path, env())
    assert code == 0 and re.search(r"打包 +\[#+-*\]", screen), screen
    piped = in_pipes(["bundle", "-f", config, "-o", tmp_path / "b.zip"], tmp_path, env())
    assert piped.returncode == 0 and "[#" not in piped.stderr and not ANSI.search(piped.stdout + piped.stderr)
    assert "副本已制作" in piped.stderr
