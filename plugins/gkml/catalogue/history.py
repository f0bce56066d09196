"""修订记录: the dates an item file was committed, read from git in one call for the whole catalogue.

Only dates are shown, never commit messages or authors: a message may name a person or
describe something that must not be public. Without git, or outside a repository, there is
simply no history."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


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
