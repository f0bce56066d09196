"""The editors' docs say what the tools do: every `gkml` command line in docs/editors/ names a
real subcommand and real options, and the mapping file shown in import.md is a valid one."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from conftest import REPO
from gkml.cli import main
from gkml.importer import load_mapping

DOCS = REPO / "docs" / "editors"
PAGES = sorted(DOCS.glob("*.md"))


def code_blocks(text: str, lang: str = "") -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def gkml_lines() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for block in code_blocks(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                line = line.split("#", 1)[0].strip()
                if re.match(r"^(SOURCE_DATE_EPOCH=\S+ )?gkml [a-z]", line):
                    found.append((page.name, line))
    return found


def test_pages_exist_and_link_to_each_other():
    names = {p.name for p in PAGES}
    assert {"add.md", "correct.md", "withdraw.md", "interpret.md", "not-applicable.md", "import.md", "publish.md",
            "archive-copy.md", "git-hooks.md", "README.md"} <= names
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#]+\.md)\)", page.read_text(encoding="utf-8")):
            assert target in names, (page.name, target)


@pytest.mark.parametrize("page, line", gkml_lines())
def test_every_command_in_the_docs_exists(page, line):
    words = shlex.split(line)
    words = words[words.index("gkml") + 1:]
    command = main.get_command(click.Context(main), words[0])
    assert command is not None, (page, line)
    known = {opt for p in command.params if isinstance(p, click.Option) for opt in p.opts + p.secondary_opts}
    for word in words[1:]:
        if word.startswith("-"):
            assert word in known, (page, line, word)


def test_mapping_example_in_import_page_is_valid(tmp_path: Path):
    blocks = [b for b in code_blocks((DOCS / "import.md").read_text(encoding="utf-8"), "yaml") if "列:" in b]
    assert len(blocks) == 2  # the migration walkthrough's, then the reference example
    mappings = []
    for n, block in enumerate(blocks):
        path = tmp_path / f"映射{n}.yml"
        path.write_text(block, encoding="utf-8")
        mappings.append(load_mapping(path))
    walkthrough, mapping = mappings
    assert walkthrough.migration["迁移.平台"] == "中国平潭" and "原索引号" in walkthrough.fields
    assert "发布机构" not in walkthrough.defaults  # the walkthrough never fills publishers with the unit
    assert mapping.fields["生成日期"][-1].fallback and mapping.columns == {"行政规范性文件": "gfxwj", "部门预决算": "bmyjs"}
    assert load_mapping(REPO / "scripts" / "import-maps" / "pingtan.yml").match == ("原文链接",)
