"""`gkml audit`: the compliance self-inspection (自查) as text, JSON or an HTML report.

Exit status: 0 no error-level finding; 1 at least one (with --strict: or a warning), so CI can
gate on it; 2 the audit could not run (bad option, unknown unit, unreadable catalogue or 自查 settings).
"""
from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

import click

from ..terminal import progress, style, use_colour
from .output import deliver, fail


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} 的值「{value}」不是有效日期；应写成 YYYY-MM-DD，如 2026-01-31")


@click.command("audit")
@click.argument("catalogue", type=click.Path(file_okay=False, path_type=Path), default="catalogue", required=False)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="按此日期自查（默认今天）：只看那天已公开的信息。")
@click.option("--since", metavar="YYYY-MM-DD", help="时效统计（逾期、突击发布、月度图表）只看此日期以后发布的信息；默认全部。")
@click.option("--unit", metavar="单位代码", help="只自查这个单位，如 qczj；默认全平台。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="输出格式：文字、JSON（格式见 catalogue/README.md「六、自查」）或 HTML 自查报告。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件，而不是输出到屏幕。")
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束。")
def audit(catalogue: Path, as_of: str | None, since: str | None, unit: str | None, fmt: str, output: Path | None,
          strict: bool) -> None:
    """自查：空白和未更新栏目、逾期发布、解读逾期、年报缺失、突击发布、疑似错栏、废止失效问题、
    未保密审查、个人信息和负面清单；给出各单位加权得分和排名。有错误级问题时退出码为 1。"""
    from ..audit import AuditConfigError, AuditError, run_audit
    from ..audit.render_html import render_html
    from ..audit.render_json import render_json
    from ..audit.render_text import render_text

    as_of_date = _date(as_of, "--as-of") or dt.date.today()
    since_date = _date(since, "--since")
    try:
        result = run_audit(catalogue, as_of=as_of_date, unit=unit, since=since_date,
                           progress=functools.partial(progress, quiet=fmt == "json" and output is None))
    except AuditConfigError as exc:
        fail("site.yml 的「自查」设置有误：\n" + "\n".join(f"  {p}" for p in exc.problems))
    except AuditError as exc:
        fail(str(exc))
    if fmt == "json":
        text = render_json(result)
    elif fmt == "html":
        text = render_html(result)
    else:
        text = render_text(result, style if output is None and use_colour() else (lambda t, **kw: t))
    summary = f"自查报告已写入 {output}：{len(result.errors)} 个错误，{len(result.warnings)} 个警告"
    deliver(text, output, style(summary, fg="red" if result.errors else "green") if use_colour(sys.stderr) else summary)
    sys.exit(1 if result.failed(strict) else 0)


COMMANDS = [audit]
