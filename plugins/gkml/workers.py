"""Both cores for the work that grows with the catalogue: reading item files, writing pages,
building the search index beside them.

Tasks run in forked processes where the system can fork: a worker inherits the model instead
of receiving it pickled, and only its (small) result travels back. Where it cannot (Windows),
or when the environment variable GKML_START_METHOD=spawn asks for it (the tests do, to keep that
path working on Linux), workers are spawned: every task after the first is then pickled whole
and rebuilt in a fresh interpreter, so the callers build their tasks from module-level functions
and picklable data only (never closures or bound methods of objects that hold a Jinja
environment or a MkDocs config). The first task runs in the parent itself, so n tasks cost
n - 1 workers and the parent is never idle while it waits.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import warnings
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

PARALLEL_FROM = 2000  # items or pages; below this, forking costs more than it saves
START_METHOD_VARIABLE = "GKML_START_METHOD"  # "fork" or "spawn"; default: fork where it exists
_TASKS: Sequence[Callable[[], object]] = ()


def start_method() -> str:
    """How workers start: GKML_START_METHOD if set (fork or spawn), else fork where the system has
    it (Linux, macOS), spawn elsewhere (Windows)."""
    available = multiprocessing.get_all_start_methods()
    wanted = os.environ.get(START_METHOD_VARIABLE, "").strip().lower()
    if wanted in ("fork", "spawn") and wanted in available:
        return wanted
    return "fork" if "fork" in available else "spawn"


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def slices(count: int, parts: int) -> list[range]:
    """`parts` contiguous ranges covering range(count). Contiguous, not interleaved: a worker
    then touches (and copies, through reference counts) only its own part of the parent's heap."""
    size, extra = divmod(count, parts)
    bounds = [0]
    for n in range(parts):
        bounds.append(bounds[-1] + size + (n < extra))
    return [range(a, b) for a, b in zip(bounds, bounds[1:])]


@contextlib.contextmanager
def _forking():
    """Python 3.12+ warns about forking a process that has threads (the preview's server and
    watcher). Workers only compute and write files and take no lock those threads use (logging's
    locks are renewed in a forked child), so the warning does not apply."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _run_task(index: int):
    return _TASKS[index]()


def _call(task: Callable[[], T]) -> T:
    return task()


def run_tasks(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """The results of `tasks`, in order: the first runs here, the others in workers (an
    exception in a worker is raised here). Forked workers inherit the callables; spawned ones
    receive them pickled, so every task but the first must then be picklable."""
    global _TASKS
    if len(tasks) < 2:
        return [task() for task in tasks]
    if start_method() == "spawn":
        with multiprocessing.get_context("spawn").Pool(len(tasks) - 1) as pool:
            pending = [pool.apply_async(_call, (task,)) for task in tasks[1:]]
            first = tasks[0]()
            return [first] + [result.get() for result in pending]
    _TASKS = tasks
    # Objects made so far move to the permanent generation, so no collection in a worker walks
    # (and writes to) them: their memory stays shared with the parent.
    gc.freeze()
    try:
        with _forking(), multiprocessing.get_context("fork").Pool(len(tasks) - 1) as pool:
            pending = [pool.apply_async(_run_task, (n,)) for n in range(1, len(tasks))]
            first = tasks[0]()
            return [first] + [result.get() for result in pending]
    finally:
        _TASKS = ()
        gc.unfreeze()


def workers_for(count: int, available: int | None = None) -> int:
    """How many processes `count` items or pages are worth: every core (or `available`), or one."""
    return (available or cores()) if count >= PARALLEL_FROM else 1


def _quietly_stoppable(job: Callable[[], object]) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: `stop` ends it silently
    job()


class Background:
    """One process at a time for work whose only result is files (the preview's search index,
    feeds and exports after an edit). A thread would hold the GIL for seconds and starve the
    preview's server and watcher; a newer job stops the older one, whose files it rewrites.
    Under spawn the job is pickled, so it must be picklable (see the module's docstring)."""

    def __init__(self):
        self.process: multiprocessing.process.BaseProcess | None = None

    def start(self, job: Callable[[], object]) -> None:
        self.stop()
        self.process = multiprocessing.get_context(start_method()).Process(target=_quietly_stoppable, args=(job,),
                                                                           daemon=True)
        with _forking():
            self.process.start()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.process = None

    def wait(self) -> None:
        if self.process is not None:
            self.process.join()
            self.process = None
