"""workers.py: tasks split over forked processes give the results of running them in order here,
and reading a catalogue on both cores gives the same items and diagnostics as on one."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from gkml import workers
from gkml.catalogue.validate import load_catalogue

AUDIT = Path(__file__).parent / "fixtures" / "audit" / "catalogue"


@pytest.mark.parametrize("count, parts", [(0, 2), (1, 2), (7, 3), (2001, 2)])
def test_slices_are_contiguous_and_cover_everything(count, parts):
    got = workers.slices(count, parts)
    assert len(got) == parts
    assert [n for part in got for n in part] == list(range(count))
    assert max(map(len, got)) - min(map(len, got)) <= 1


def test_tasks_run_in_workers_and_results_keep_their_order():
    pids = workers.run_tasks([lambda n=n: (n, os.getpid()) for n in range(3)])
    assert [n for n, _ in pids] == [0, 1, 2]
    assert pids[0][1] == os.getpid()  # the first task runs in the parent
    assert len({pid for _, pid in pids}) >= 2


def test_an_error_in_a_worker_reaches_the_caller():
    def fail():
        raise ValueError("第二个任务失败")
    with pytest.raises(ValueError, match="第二个任务失败"):
        workers.run_tasks([lambda: 1, fail])


def _read(monkeypatch, parallel_from: int):
    monkeypatch.setattr(workers, "PARALLEL_FROM", parallel_from)
    catalogue, report = load_catalogue(AUDIT)
    items = [(i.rel, i.index_no, i.title, i.blocked, i.is_public) for i in catalogue.items]
    return items, [d.format() for d in report.sorted()]


def test_reading_on_both_cores_equals_reading_on_one(monkeypatch):
    assert workers.cores() >= 2  # else this test would compare the serial path with itself
    serial = _read(monkeypatch, 10**9)
    forked = _read(monkeypatch, 1)
    assert forked == serial
    items, diagnostics = serial
    assert any(blocked for *_, blocked, _ in items)  # the fixture's gates must have fired in the workers too
    assert any("personal-data" in d or "个人信息" in d or "身份证" in d for d in diagnostics)


def _build(monkeypatch, tmp_path: Path, name: str, parallel_from: int) -> dict[str, bytes]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from sitetools import REPO, all_files, write_config

    monkeypatch.setattr(workers, "PARALLEL_FROM", parallel_from)
    where = tmp_path / name
    where.mkdir()
    cfg = load_config(str(write_config(REPO / "catalogue", where / "site", where)))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return all_files(where / "site")


def test_pages_and_machine_outputs_written_beside_each_other_equal_a_serial_build(monkeypatch, tmp_path):
    serial = _build(monkeypatch, tmp_path, "serial", 10**9)
    forked = _build(monkeypatch, tmp_path, "forked", 1)
    assert forked.keys() == serial.keys()
    assert [name for name in serial if forked[name] != serial[name]] == []
    assert "sw.js" in serial and any(name.startswith("search/s/") for name in serial)
    assert sum(name.startswith("item/") for name in serial) > 300
