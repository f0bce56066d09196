"""Click's own words in Chinese: usage lines, help headings, the help and version options, and
the errors a mistyped command line gets ("No such option", "Missing argument", a bad date …).

Click marks these for gettext, but gettext chooses a language from environment variables
(LANGUAGE, LC_ALL, LANG) that a Windows PC in a township office does not set, and every other
word gkml says is Chinese whatever the locale. So the translations are handed to click's modules
themselves: each binds `_` (and `ngettext`) from gettext when it is imported, and `install`
rebinds them. A click that stops doing so is caught by the test that runs `gkml --help`
(tests/test_cli_chinese.py), and one that adds a message by the test that compares this table
with click's source.
"""
from __future__ import annotations

import importlib

import click

# Click's message ids (its source's `_("…")`), exactly as it writes them; the {fields} are
# filled in by click after translation, so each translation names the same ones.
MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s %(version)s 版",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "查看用法：{command} {option}",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value: {message}": "取值不对：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值不对：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 后面不带取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 应有 {nargs} 个取值。",
    "Value must be an iterable.": "取值应为一组值。",
    "Could not open file {filename!r}: {message}": "无法打开文件「{filename}」：{message}",
    "unknown error": "原因不明",
    "Aborted!": "已取消。",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接执行。",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "env var: {var}": "环境变量：{var}",
    "default: {default}": "默认：{default}",
    "required": "必填",  # click translates the word it puts in extra["required"]
    "(dynamic)": "（运行时确定）",
    "deprecated": "已停用",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Choice({choices})": "可选（{choices}）",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "「{value}」不是是/否的取值，可写：{states}",
    "{value!r} is not a valid {number_type}.": "「{value}」不是有效的数字。",  # number_type: "integer" …
    "{value!r} is not a valid UUID.": "「{value}」不是有效的 UUID。",
    "{name} {filename!r} is a file.": "{name}「{filename}」是一个文件。",
    "{name} {filename!r} is a directory.": "{name}「{filename}」是一个文件夹。",
    "{name} {filename!r} is not readable.": "{name}「{filename}」不可读。",
    "{name} {filename!r} is not writable.": "{name}「{filename}」不可写。",
    "{name} {filename!r} is not executable.": "{name}「{filename}」不可执行。",
    "{name} {filename!r} does not exist.": "{name}「{filename}」不存在。",
    "Windows error: {error}": "Windows 错误：{error}",
}

# Click's plural messages, by their singular id: Chinese says both the same way.
PLURALS = {
    "Got unexpected extra argument ({args})": "多了参数（{args}）",
    "Takes {nargs} values but 1 was given.": "应有 {nargs} 个取值，给了 {len} 个。",
    "Did you mean {possibility}?": "您要的是不是 {possibility}？",
    "Option {name!r} requires an argument.": "选项 {name} 后面应写上取值。",
    "{value!r} is not {choice}.": "「{value}」不是可选的取值：{choices}。",
    "{value!r} does not match the format {format}.": "「{value}」不是有效的日期（应写作 {formats}，如 2026-12-08）。",
    "{len_type} values are required, but {len_value} was given.": "应有 {len_type} 个取值，给了 {len_value} 个。",
}

# Messages gkml's users never meet: mistakes in the definition of a command (found by the
# tests), features gkml does not use (shell completion, click.edit, deprecated commands).
NOT_SHOWN = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Invalid start character for option ({option})",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "d",
}

# The modules of click that translate their messages (each imports `_` or `ngettext` itself).
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils",
           "_termui_impl", "_winconsole", "shell_completion")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    """Click speaks Chinese in this process from now on (before any command is defined: the help
    and version options take their texts when they are declared)."""
    for name in MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except Exception:  # _winconsole imports only on Windows
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


# Placeholders in usage lines and option lists: click's are English words in capitals.
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
ARGUMENTS = {"catalogue": "目录", "folder": "文件夹", "file": "文件"}  # by parameter name
# Option values stay in ASCII capitals (TEXT, INTEGER): click aligns the option list by counting
# characters, and a Chinese character takes two columns. A date shows its shape, not a strftime code.
VALUES = {"datetime": "YYYY-MM-DD"}  # by click type name


def localize(command: click.Command) -> None:
    """Chinese placeholders in the usage lines and option lists of `command` and its subcommands
    (options_metavar, subcommand_metavar and metavar are public settings of click's objects)."""
    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localize(sub)
    for param in command.params:
        if param.metavar is not None:
            continue
        if isinstance(param, click.Argument) and param.name in ARGUMENTS:
            name = ARGUMENTS[param.name]
            param.metavar = name if param.required else f"[{name}]"
        elif isinstance(param, click.Option) and not param.is_flag and param.type.name in VALUES:
            param.metavar = VALUES[param.type.name]
