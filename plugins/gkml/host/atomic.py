"""Write a build to a temporary sibling directory and swap it in whole, so a failed build
leaves the previous site exactly as it was."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


class WarningCounter(logging.Handler):
    """Counts warnings MkDocs logs, so a --strict build that will abort is not swapped in."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class AtomicSiteDir:
    def __init__(self, target: Path):
        self.target = target.absolute()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-build-", dir=self.target.parent))

    def commit(self) -> None:
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
