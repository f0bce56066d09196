"""Run one build as a child process and measure it: wall time, CPU time, peak RSS, output size.

Peak RSS comes from wait4()'s rusage of the child, which covers the child and every descendant
it waited for (ru_maxrss is the largest single process of that tree, in KiB on Linux). The
builds measured here (mkdocs, hugo) are single processes, so that is the build's peak.
"""
from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process tree
    rss_mb: float  # peak resident set size, MiB
    returncode: int
    timed_out: bool = False
    stderr_tail: str = ""


@dataclass
class Result:
    engine: str
    items: int
    runs: list[Run] = field(default_factory=list)
    pages: int = 0
    out_bytes: int = 0
    out_files: int = 0
    note: str = ""  # "not available yet", "> 600 s", "failed: …"

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.returncode == 0 and not r.timed_out for r in self.runs)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.rss_mb for r in self.runs)

    @property
    def ms_per_item(self) -> float:
        return 1000 * self.wall / self.items


def run(cmd: list[str], timeout: float, cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run `cmd` in its own process group; kill the whole group after `timeout` seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    stderr = b""
    try:
        # Drain stderr (to avoid a full pipe blocking the child), then reap with wait4 for rusage.
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode,
               timed_out.is_set(), "\n".join(tail))


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(bytes, files, html pages) below `folder`."""
    total = files = pages = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            total += os.path.getsize(os.path.join(dirpath, name))
            files += 1
            pages += name.endswith(".html")
    return total, files, pages


def clear(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
