"""Write a build to a temporary sibling directory and swap it in whole, so a failed build
leaves the previous site exactly as it was."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class WarningCounter(logging.Handler):
    """Counts warnings MkDocs logs, so a --strict build that will abort is not swapped in."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


LEFTOVER_AGE = 3600  # seconds: a staging folder of an older gkml (no process id in its name) this old is abandoned


class AtomicSiteDir:
    def __init__(self, target: Path):
        self.target = target.absolute()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(self.target)
        # the process id in the name tells a later build whether this one is still running
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-build-{os.getpid()}-", dir=self.target.parent))

    def commit(self) -> None:
        # mkdtemp makes the folder 0700: a web server running as another user could not read the site
        self.staging.chmod(0o777 & ~current_umask())
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}-old-{os.getpid()}")
            os.replace(self.target, old)
        os.replace(self.staging, self.target)
        if old is not None:  # the new site is live; deleting the old one can take a while on slow disks
            subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                              str(old)], start_new_session=True, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def clean_leftovers(target: Path) -> list[Path]:
    """Staging and old-site folders that killed builds left beside `target` (`kill -9`, a power cut):
    those whose build process is gone. Returns what was removed."""
    removed = []
    for kind in ("build", "old"):
        for path in target.parent.glob(f".{target.name}-{kind}-*"):
            tail = path.name[len(f".{target.name}-{kind}-"):]
            pid = tail.split("-", 1)[0]
            if pid.isdigit() and ("-" in tail or kind == "old"):
                stale = not _running(int(pid)) or int(pid) == os.getpid()
            else:  # named by an older gkml: no process id to ask
                try:
                    stale = time.time() - path.stat().st_mtime > LEFTOVER_AGE
                except OSError:
                    continue
            if stale and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed
