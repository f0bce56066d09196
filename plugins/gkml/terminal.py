"""Terminal manners: colour only on a terminal and never with NO_COLOR; quiet and verbose."""
from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator

import click

from .diagnostics import ERROR, WARNING, Diagnostic, Report


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()  # empty NO_COLOR: unset


def style(text: str, **kw) -> str:
    return click.style(text, **kw) if use_colour() else text


class Failure(click.ClickException):
    """A command that cannot go on: its message shown as 「错误：…」 (click's own says "Error:")."""

    def show(self, file=None) -> None:
        click.echo(click.style(f"错误：{self.format_message()}", fg="red") if use_colour(sys.stderr)
                   else f"错误：{self.format_message()}", err=True)


def print_diagnostic(d: Diagnostic) -> None:
    line = d.format()
    click.echo(style(line, fg={ERROR: "red", WARNING: "yellow"}.get(d.level, "cyan")))


def print_report(report: Report, quiet: bool = False) -> None:
    for d in report.sorted():
        if quiet and d.level != ERROR:
            continue
        print_diagnostic(d)
    if not quiet:
        colour = "red" if report.errors else ("yellow" if report.warnings else "green")
        click.echo(style(report.summary(), fg=colour, bold=True), err=True)


PROGRESS_FROM = 20  # shorter runs finish before a bar would help


def shared_label(label: str, workers: int) -> str:
    """A bar's label when `workers` processes share the work and one of them shows its part."""
    return label if workers == 1 else f"{label}（{workers} 个进程，显示其一）"


def progress(items: Iterable, length: int, label: str, quiet: bool = False) -> Iterator:
    """A progress bar on stderr for long runs: on a terminal only (never in a pipe, a log file or
    CI), and not when the user asked for quiet."""
    stream = sys.stderr
    if quiet or length < PROGRESS_FROM or not (hasattr(stream, "isatty") and stream.isatty()):
        yield from items
        return
    with click.progressbar(items, length=length, label=label, file=stream) as bar:
        yield from bar
