"""The `gkml` command line for editors and administrators. Messages are in Chinese."""
from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

import click

from .. import __version__
from ..terminal import print_report, progress
from ..catalogue.validate import load_catalogue
from . import click_zh

click_zh.install()  # before the commands below are declared

CATALOGUE = click.argument("catalogue", type=click.Path(path_type=Path), default="catalogue", required=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gkml")
@click.option("-q", "--quiet", is_flag=True, help="只输出错误。")
@click.option("-v", "--verbose", is_flag=True, help="输出更多过程信息。")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """gkml（公开目录）：政府信息公开目录的检查、生成与发布工具。"""
    ctx.obj = {"quiet": quiet, "verbose": verbose}


@main.command()
@CATALOGUE
@click.option("--strict", is_flag=True, help="警告也视为错误。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按此日期判断「将来的日期」（测试用）。")
@click.option("--no-cache", is_flag=True, help="不沿用上次检查未改动文件的结果，全部重新读取。")
@click.pass_context
def check(ctx, catalogue: Path, strict: bool, fmt: str, today, no_cache: bool) -> None:
    """检查目录内容，列出全部问题；有错误时退出码为 1。

    未改动的信息文件沿用上次的检查结果（保存在本机用户的缓存文件夹，不在仓库中）；
    设置文件或 gkml 版本一变，全部重新检查；写有将来日期的文件换一天也重新检查。"""
    quiet = ctx.obj["quiet"] or fmt == "json"
    catalogue_obj, report = load_catalogue(catalogue, today=today.date() if today else None, cached=not no_cache,
                                           bodies=False,
                                           progress=functools.partial(progress, quiet=quiet))
    if fmt == "json":
        extra = {"items": len(catalogue_obj.items) if catalogue_obj else 0, "strict": strict}
        click.echo(report.to_json(**extra))
    else:
        print_report(report, ctx.obj["quiet"])
    if catalogue_obj and ctx.obj["verbose"]:  # on stderr: the JSON on stdout stays the same run to run
        click.echo(f"已检查 {len(catalogue_obj.units)} 个单位、{len(catalogue_obj.items)} 条信息"
                   f"（其中 {report.reused} 个文件未改动，沿用上次的检查结果）", err=True)
    sys.exit(1 if report.failed(strict) else 0)


@main.command()
@CATALOGUE
@click.option("--unit", required=True, help="单位代码，如 qczj。")
@click.option("--column", required=True, help="末级栏目代码，如 bmyjs。")
@click.option("--title", required=True, help="标题。")
@click.option("--summary", help="内容概述，默认同标题。")
@click.option("--doc-no", default="", help="文号，如 示财〔2026〕3号。")
@click.option("--topic", help="主题分类「一级/二级」，默认取栏目的预期主题。")
@click.option("--genre", default="其他", show_default=True, help="体裁（公文种类）。")
@click.option("--reviewer", help="保密审查人；写了即记录今天的审查，否则须审查后补写。")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="生成日期，默认今天。")
def new(catalogue: Path, unit: str, column: str, title: str, summary, doc_no: str, topic, genre: str, reviewer,
        on) -> None:
    """新建一条信息，自动取本单位本年的下一个索引号，并输出文件路径。"""
    from ..catalogue.editor import NewItemError, write_new_item
    try:
        path = write_new_item(catalogue, unit=unit, column=column, title=title, summary=summary, doc_no=doc_no,
                              topic=topic, genre=genre, reviewer=reviewer, on=on.date() if on else dt.date.today())
    except NewItemError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    click.echo(path.as_posix())


def _register_commands() -> None:
    """Subcommands live in their own modules; each exposes `COMMANDS`. The build and preview
    commands belong to the host adapter (the only code that imports MkDocs)."""
    from ..host import build_cmd
    from . import audit, bundle, importing, init, report, requests
    for module in (init, build_cmd, report, audit, requests, importing, bundle):
        for command in module.COMMANDS:
            main.add_command(command)


_register_commands()
click_zh.localize(main)
