"""修订记录: the dates an item file was committed, read from git in one call for the whole catalogue.

Only dates are shown, never commit messages or authors: a message may name a person or
describe something that must not be public. Without git, or outside a repository, there is
simply no history.

A migrated item (one with a 迁移 record) did not begin when the import was committed: its record
starts with its publication on the old platform and the migration, and only the commits after
the one that brought it in are changes."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from .model import Item


def item_history(root: Path) -> dict[str, list[dt.date]]:
    """catalogue-relative POSIX path -> commit dates, oldest first."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=30)
        if top.returncode != 0:
            return {}
        log = subprocess.run(["git", "-C", str(root), "log", "--no-renames", "--format=%x00%cs", "--name-only",
                              "--relative", "--", "items"], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return {}
    if log.returncode != 0:
        return {}
    history: dict[str, list[dt.date]] = {}
    for block in log.stdout.split("\0")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        day = dt.date.fromisoformat(lines[0])
        for path in lines[1:]:
            history.setdefault(path, []).append(day)
    return {path: sorted(days) for path, days in history.items()}


def revisions(item: Item, days: list[dt.date]) -> list[dict[str, str]]:
    """The 修订记录 of an item page from its commit dates (oldest first); [] without history."""
    if not days:
        return []
    if item.migration is None:
        return [{"date": d.isoformat(), "summary": "录入" if n == 0 else "修订"} for n, d in enumerate(days)]
    m = item.migration
    out = []
    if item.published is not None and item.published <= m.date:
        out.append({"date": item.published.isoformat(), "summary": f"在「{m.platform}」发布"})
    out.append({"date": m.date.isoformat(), "summary": "迁移"})
    return out + [{"date": d.isoformat(), "summary": "修订"} for d in days[1:]]
