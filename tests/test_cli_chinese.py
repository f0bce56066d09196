"""Click's own words in Chinese (cli/click_zh.py): help screens, usage lines and the errors a
mistyped command line gets, in a real `gkml` process as an editor types it."""
from __future__ import annotations

import ast
import string
from pathlib import Path

import click
import pytest

from conftest import run_cli, run_gkml

ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version", "[required]", "[default:",
           "[OPTIONS]", "COMMAND [ARGS]", "CATALOGUE", "Error:", "Try '", "No such", "Missing", "Invalid value")


def _commands(group: click.Group, path=()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_every_help_screen_is_chinese():
    from gkml.cli import main
    screens = [()] + list(_commands(main))
    assert ("report", "annual") in screens and ("serve",) in screens
    for path in screens:
        result = run_cli(*path, "--help")
        assert result.exit_code == 0, (path, result.output)
        text = result.output
        assert text.startswith("用法：") and "选项:" in text and "显示本帮助并退出" in text, (path, text)
        assert not [w for w in ENGLISH if w in text], (path, text)
    assert "命令 [参数]..." in run_cli("--help").output
    assert "[必填]" in run_cli("new", "--help").output and "--date YYYY-MM-DD" in run_cli("new", "--help").output
    assert run_cli("--version").output == f"gkml {__import__('gkml').__version__} 版\n"


@pytest.mark.parametrize("args, says", [
    (["chek"], "没有命令 chek。 您要的是不是 'check'？"),
    (["check", "--nocache"], "没有选项 --nocache。 您要的是不是 '--no-cache'？"),
    (["check", "--today", "2026-13-01"], "'--today' 的取值不对：「2026-13-01」不是有效的日期（应写作 '%Y-%m-%d'，如 2026-12-08）。"),
    (["check", "--format", "xml"], "'--format' 的取值不对：「xml」不是可选的取值：'text', 'json'。"),
    (["new", "--title", "x"], "缺少选项 '--unit'"),
    (["new", "--unit"], "选项 --unit 后面应写上取值。"),
    (["check", "a", "b"], "多了参数（b）"),
    (["report", "annual", "--unit", "qzf", "--year", "二〇二五"], "'--year' 的取值不对：「二〇二五」不是有效的数字。"),
])
def test_a_mistyped_command_line_is_told_in_chinese(args, says):
    result = run_gkml(*args)
    assert result.returncode == 2 and f"错误：{says}" in result.stderr, result.stderr
    assert not [w for w in ENGLISH if w in result.stderr], result.stderr
    assert "Traceback" not in result.stderr


def test_a_group_without_its_command_shows_its_help():
    result = run_gkml("report")
    assert result.returncode == 2 and result.stderr.startswith("用法： python -m gkml.cli report [选项] 命令 [参数]...")
    assert "annual" in result.stderr and not [w for w in ENGLISH if w in result.stderr]


def _fields(template: str) -> set[str]:
    if "%(" in template:
        import re
        return set(re.findall(r"%\((\w+)\)s", template))
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _click_messages() -> tuple[set[str], dict[str, str]]:
    """The message ids in the installed click's source: `_("…")` and `ngettext("…", "…", n)`."""
    singles, plurals = set(), {}
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    continue
                if node.func.id == "_":
                    singles.add(first.value)
                elif node.func.id == "ngettext":
                    plurals[first.value] = node.args[1].value
    return singles, plurals


def test_every_message_of_click_is_translated_or_never_shown():
    """A click that adds or rewords a message fails here (its text would come out in English)."""
    from gkml.cli.click_zh import MESSAGES, NOT_SHOWN, PLURALS
    singles, plurals = _click_messages()
    assert singles and plurals
    assert sorted(singles - set(MESSAGES) - NOT_SHOWN - {"required"}) == []
    assert sorted(set(plurals) - set(PLURALS) - NOT_SHOWN) == []
    for msgid, text in MESSAGES.items():  # a translation fills in only what click gives it
        assert _fields(text) <= _fields(msgid), msgid
    for msgid, text in PLURALS.items():
        assert _fields(text) <= _fields(msgid) | _fields(plurals.get(msgid, msgid)), msgid
