"""`gkml requests`: the request desk (办理台账) — each unit's open 依申请公开 requests with their
due dates, working days left, 即将逾期 and 逾期, as text, JSON or a printable HTML page.

Exit status: 0 nothing overdue; 1 at least one request is 逾期 (so a scheduled job can alert);
2 the desk could not be built (bad option, unknown unit, unreadable catalogue or settings).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..terminal import style, use_colour
from .output import deliver, fail


@click.command("requests")
@click.argument("catalogue", type=click.Path(file_okay=False, path_type=Path), default="catalogue", required=False)
@click.option("--unit", metavar="单位代码", help="只列这个单位，如 qczj；默认全部单位。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按此日期计算剩余工作日（默认今天）。")
@click.option("--warn-days", type=click.IntRange(0, 40), metavar="N",
              help="剩余不超过 N 个工作日的列为「即将逾期」；默认取 site.yml 自查.即将逾期，未设置时为 5。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="输出格式：文字、JSON 或可打印的 HTML 台账（内部用，不发布）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件，而不是输出到屏幕。")
def requests(catalogue: Path, unit: str | None, today, warn_days: int | None, fmt: str, output: Path | None) -> None:
    """依申请公开办理台账：各单位未办结的申请、答复期限（计入延期、补正、征求意见）、剩余工作日，
    标出「即将逾期」和「逾期」。有逾期申请时退出码为 1。"""
    from ..annual.desk import build_desk, desk_dict
    from ..annual.desk_render import render_html, render_text
    from ..audit.config import AuditConfigError, read_config
    from ..catalogue.validate import load_catalogue

    on = today.date() if today else dt.date.today()
    cat, report = load_catalogue(catalogue, today=on)
    if cat is None:
        fail("无法读取目录，台账无法生成：\n" + "\n".join(d.format() for d in report.sorted()))
    if unit is not None and unit not in cat.units:
        fail(f"没有单位「{unit}」；可选：{'、'.join(f'{u.id}（{u.name}）' for u in cat.sorted_units())}")
    if warn_days is None:
        try:
            warn_days = read_config(cat.site.audit).warn_days
        except AuditConfigError as exc:
            fail("site.yml 的「自查」设置有误：\n" + "\n".join(f"  {p}" for p in exc.problems))
    desk = build_desk(cat, on, warn_days, unit)
    if fmt == "json":
        text = json.dumps(desk_dict(desk), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        text = render_html(desk, cat.site.platform)
    else:
        text = render_text(desk, cat.site.platform, style if output is None and use_colour() else (lambda t, **kw: t))
    if report.errors:
        click.echo(f"注意：gkml check 报告 {len(report.errors)} 个错误，有错误的登记项没有列入台账，请先修正。", err=True)
    deliver(text, output, f"办理台账已写入 {output}")
    sys.exit(1 if desk.counts()["逾期"] else 0)


COMMANDS = [requests]
