"""`gkml bundle`: an offline copy of the site (or one unit's / one year's part) as one zip, and
`gkml bundle --verify` for the archive that receives it. See bundle.py."""
from __future__ import annotations

import functools
import sys
import tempfile
from pathlib import Path

import click

from ..host.build_cmd import run_build
from ..site.bundle import BundleError, Contents, creation_time, make_bundle, verify_bundle
from ..terminal import progress
from ..terminal import use_colour


def _say(text: str, fg: str | None = None, err: bool = True) -> None:
    stream = sys.stderr if err else sys.stdout
    click.echo(click.style(text, fg=fg) if fg and use_colour(stream) else text, err=err)


def _fail(message: str) -> None:
    _say(f"错误：{message}", "red")
    sys.exit(1)


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="副本文件（.zip）。")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(path_type=Path),
              help="MkDocs 配置文件。")
@click.option("--unit", help="只包含这个单位（单位代码）。")
@click.option("--year", type=int, help="只包含这一年（按生成日期）的信息。")
@click.option("-s", "--strict", is_flag=True, help="有任何警告即不制作副本。")
@click.option("--verify", "verify_path", type=click.Path(dir_okay=False, path_type=Path),
              help="校验一份副本：每个文件与其中的 SHA256SUMS 是否一致。")
@click.pass_context
def bundle(ctx, output: Path | None, config_file: Path, unit: str | None, year: int | None, strict: bool,
           verify_path: Path | None) -> None:
    """制作可离线浏览的网站副本（zip），供档案馆、图书馆和查阅点使用；或用 --verify 校验副本。

    副本解压后用浏览器打开「说明.html」即可浏览、查看附件和检索，不需要网络。
    """
    quiet = ctx.obj.get("quiet", False)
    if verify_path is not None:
        _verify(verify_path, quiet)
        return
    if output is None:
        _fail("请用 -o 指定副本文件，如 gkml bundle -o 副本.zip；校验副本用 gkml bundle --verify 副本.zip")
    if output.suffix.lower() != ".zip":
        _fail(f"副本文件应以 .zip 结尾：{output}")
    if not config_file.is_file():
        _fail(f"配置文件 {config_file} 不存在；用 -f 指定 mkdocs.yml")
    created = creation_time()
    bar = functools.partial(progress, quiet=quiet)
    with tempfile.TemporaryDirectory(prefix="gkml-bundle-") as tmp:
        site = Path(tmp) / "site"
        catalogue = _build(ctx, config_file, site, unit, year, strict)
        items = catalogue.public_items
        contents = Contents(
            platform=catalogue.site.platform, units=[(u.id, u.name) for u in catalogue.sorted_units()], year=year,
            items=len(items), attachments=sum(len(i.attachments) for i in items), created=created, whole=unit is None)
        try:
            make_bundle(site, output, contents, bar)
        except OSError as exc:
            _fail(f"无法写入 {output}：{exc.strerror or exc}")
    if not quiet:
        _say(f"副本已制作：{output}（{contents.items} 条信息，{contents.files} 个文件，"
             f"{output.stat().st_size / 1048576:.1f} MB）", "green")


def _build(ctx, config_file: Path, site: Path, unit: str | None, year: int | None, strict: bool):
    """Build the site (or its part) into `site` with the plugin options unit/year set on top of
    the given configuration, and search_texts: a copy read from disk cannot read the item pages
    search checks phrases in (search/build.py); the catalogue it was built from."""
    _, plugin = run_build(ctx, config_file, site_dir=site, strict=strict,
                          options={"unit": unit, "year": year, "search_texts": True}, outcome="网站没有生成，副本没有制作")
    if plugin.build is None or not site.is_dir():
        _fail("网站没有生成，副本没有制作")
    return plugin.build.catalogue


def _verify(path: Path, quiet: bool) -> None:
    if not path.is_file():
        _fail(f"副本文件 {path} 不存在")
    try:
        result = verify_bundle(path)
    except BundleError as exc:
        _fail(str(exc))
    for problem in result.problems:
        _say(f"{path}: 错误: {problem}", "red", err=False)
    if result.problems:
        _fail(f"校验未通过：{len(result.problems)} 个问题；这份副本不完整或已被改动，请向制作单位重新索取")
    if not quiet:
        _say(f"校验通过：{result.checked} 个文件与 SHA256SUMS 一致", "green")


COMMANDS = [bundle]
