"""Run one build as a child process and measure it: wall time, CPU time, peak memory, output size.

Two memory figures: peak RSS from wait4()'s rusage (ru_maxrss: the largest single process of the
tree, KiB on Linux), and the peak of the whole process group's PSS (proportional set size, so
pages shared by forked workers count once), sampled from /proc every 0.25 s. gkml forks render
workers, so the group figure is the one to hold against a memory budget.
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
    rss_mb: float  # peak resident set size of the largest single process, MiB
    returncode: int
    timed_out: bool = False
    stderr_tail: str = ""
    group_mb: float = 0.0  # peak PSS of the whole process group (sampled), MiB


@dataclass
class Result:
    engine: str
    items: int
    runs: list[Run] = field(default_factory=list)
    pages: int = 0
    out_bytes: int = 0
    out_files: int = 0
    note: str = ""  # "not available yet", "> 600 s", "failed: …"
    footprint: object = None  # footprint.Footprint of the last run's site
    split: object = None  # footprint.PageSplit of its item pages

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
    def group_mb(self) -> float:
        return max(r.group_mb for r in self.runs)

    @property
    def ms_per_item(self) -> float:
        return 1000 * self.wall / self.items


def group_pss_kib(pgid: int) -> int:
    """Sum of PSS over the live processes of process group `pgid` (0 if none can be read)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
            if int(stat[stat.rindex(b")") + 2:].split()[2]) != pgid:
                continue
            with open(f"/proc/{entry.name}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total


class GroupMemory(threading.Thread):
    """Samples the process group's PSS until stopped; `peak` in KiB."""

    def __init__(self, pgid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.pgid, self.interval, self.peak = pgid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, group_pss_kib(self.pgid))


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
    memory = GroupMemory(proc.pid)  # start_new_session: the child leads its own group
    memory.start()
    stderr = b""
    try:
        # Drain stderr (to avoid a full pipe blocking the child), then reap with wait4 for rusage.
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
        memory.done.set()
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode,
               timed_out.is_set(), "\n".join(tail), memory.peak / 1024)


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
