"""Progress bars for long runs: on a terminal only (never in a pipe, a log file or CI), on stderr,
and not when the user asked for quiet."""
from __future__ import annotations

import sys
from typing import Iterable, Iterator

import click

MIN_ITEMS = 20  # shorter runs finish before a bar would help


def progress(items: Iterable, length: int, label: str, quiet: bool = False) -> Iterator:
    stream = sys.stderr
    if quiet or length < MIN_ITEMS or not (hasattr(stream, "isatty") and stream.isatty()):
        yield from items
        return
    with click.progressbar(items, length=length, label=label, file=stream) as bar:
        yield from bar
