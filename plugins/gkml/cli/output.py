"""Where an administrator's report goes: standard output, or a file with a line saying so."""
from __future__ import annotations

import sys
from pathlib import Path

import click


def fail(message: str, code: int = 2):
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def deliver(text: str, output: Path | None, written: str) -> None:
    """`text` on standard output, or into `output` (its folder made) and then `written` on
    standard error; a file that cannot be written is named, never a traceback."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"无法写入 {output}：{exc.strerror}")
    click.echo(written, err=True)
