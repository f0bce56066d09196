"""`gkml report annual`: one unit's 政府信息公开工作年度报告, computed and checked."""
from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

import click

from ..catalogue.fields import suggest
from ..diagnostics import ERROR
from ..resources import theme_dir
from ..terminal import style
from ..catalogue.validate import load_catalogue

CATALOGUE = click.argument("catalogue", type=click.Path(file_okay=False, path_type=Path), default="catalogue",
                           required=False)
# Printing styles live with the site templates; the standalone HTML inlines them when they are there.
ANNUAL_CSS = theme_dir() / "assets" / "gkml-annual.css"


@click.group("report")
def report() -> None:
    """生成报告（年度报告等）。"""


@report.command("annual")
@CATALOGUE
@click.option("--unit", required=True, help="单位代码，如 qzf、qczj。")
@click.option("--year", type=int, required=True, help="报告年度，如 2025。")
@click.option("--rollup", is_flag=True, help="本级政府的汇总报告（各单位表格相加）。")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html", "docx"]), default="md", show_default=True,
              help="输出格式：md 供审阅，json 供程序使用，html 为可直接打印的完整网页，docx 为报送上级用的 Word 文档。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入文件，不写则输出到屏幕（docx 不写时存为当前文件夹下的 <单位代码>-<年份>.docx）。")
@click.pass_context
def annual(ctx, catalogue: Path, unit: str, year: int, rollup: bool, fmt: str, output: Path | None) -> None:
    """生成并校验某单位某年度的政府信息公开工作年度报告；数字不平衡时列出问题并以退出码 1 结束。"""
    from ..annual import build_annual_reports
    from ..annual.checks import CHECK_CODES

    cat, diagnostics = load_catalogue(catalogue)
    if cat is None:
        _fail(diagnostics.errors, "目录无法读取，不能生成年度报告")
    if unit not in cat.units:
        _fail([], f"单位「{unit}」不存在（units/ 下没有 {unit}.yml）" + suggest(unit, cat.units))
    if rollup and unit != cat.site.gov_unit:
        _fail([], f"只有本级政府（{cat.site.gov_unit}）有汇总报告；{cat.units[unit].name}的报告请去掉 --rollup")
    reports = build_annual_reports(cat, diagnostics)
    found = next((r for r in reports if r.unit_id == unit and r.year == year and r.rollup == rollup), None)
    # Input problems of this report's own files (registers, narratives; all of them for the roll-up).
    own = [d for d in diagnostics.sorted() if _concerns(d.path, cat.root, diagnostics.rel, unit, rollup)]
    if found is None:
        _fail([d for d in own if d.level == ERROR],
              f"没有{cat.units[unit].name}{year}年的年度报告：请建立 {diagnostics.rel(cat.root)}/reports/{unit}/"
              f"{year}{'-汇总' if rollup else ''}.md（格式见 README.md「五、年度报告数据」）")
    if fmt == "docx":
        from ..annual.render_docx import render_docx
        target = output or Path(f"{found.slug}.docx")
        try:
            target.write_bytes(render_docx(found))
        except OSError as exc:
            _fail([], f"无法写入 {target}：{exc.strerror}")
        click.echo(f"Word 文档已写入 {target}", err=True)
    else:
        if fmt == "json":
            text = json.dumps(found.to_dict(), ensure_ascii=False, indent=2)
        elif fmt == "html":
            text = _standalone_html(found)
        else:
            text = found.render_markdown()
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            click.echo(text)
    for d in own:
        if not (ctx.obj or {}).get("quiet") or d.level == ERROR:
            _echo(d)
    errors = [d for d in own if d.level == ERROR and d.code not in CHECK_CODES]  # failed checks are counted apart
    if found.problems or errors:
        click.echo(style(f"{found.title}：{len(found.problems)} 项校验未通过，{len(errors)} 个输入错误；"
                         "请按上面的提示改正后再公布", fg="red", bold=True), err=True)
        sys.exit(1)
    late = f"，{len(found.late)} 件申请未在法定期限内办理（见第五部分）" if found.late else ""
    click.echo(style(f"{found.title}：全部校验通过{late}", fg="green"), err=True)


def _concerns(path: str, root: Path, rel, unit: str, rollup: bool) -> bool:
    base = rel(root)
    folders = ("requests", "reports") if rollup else (f"requests/{unit}", f"reports/{unit}")
    return any(path == f"{base}/{f}" or path.startswith(f"{base}/{f}/") for f in folders) or \
        path == rel(root / "holidays.yml")


def _echo(d) -> None:
    """Diagnostics go to stderr: stdout carries the report itself."""
    click.echo(style(d.format(), fg="red" if d.level == ERROR else "yellow"), err=True)


def _fail(diags, message: str) -> None:
    for d in diags:
        _echo(d)
    click.echo(style(f"错误：{message}", fg="red"), err=True)
    sys.exit(1)


def _standalone_html(rep) -> str:
    css = ANNUAL_CSS.read_text(encoding="utf-8") if ANNUAL_CSS.exists() else ""
    return (f'<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(rep.title)}</title>\n'
            f"<style>\n{css}</style>\n</head>\n<body>\n<main>\n"
            f'<h1 class="gkml-annual-heading">{escape(rep.title)}</h1>\n{rep.render_html()}\n</main>\n</body>\n</html>')


COMMANDS = [report]
