"""workers.py: tasks split over worker processes give the results of running them in order here,
and reading a catalogue on both cores gives the same items and diagnostics as on one. Every path
runs with forked workers and with spawned ones (GKML_START_METHOD=spawn, as on Windows, where
fork does not exist): a spawned worker gets its task pickled and must rebuild what it needs."""
from __future__ import annotations

import os
from functools import partial
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


STATE = "as imported"


def _state(n: int) -> tuple[int, str, int]:
    return n, STATE, os.getpid()


@pytest.mark.parametrize("method, seen", [("fork", "changed in the parent"), ("spawn", "as imported")])
def test_the_start_method_is_fork_unless_spawn_is_asked_for(monkeypatch, method, seen):
    """A forked worker sees what the parent changed after import; a spawned one imports afresh,
    so it sees only what its pickled task carries."""
    monkeypatch.setenv(workers.START_METHOD_VARIABLE, method)
    monkeypatch.setattr(__import__(__name__), "STATE", "changed in the parent")
    assert workers.start_method() == method
    got = workers.run_tasks([partial(_state, n) for n in range(3)])
    assert [n for n, _, _ in got] == [0, 1, 2]
    assert got[0][1:] == ("changed in the parent", os.getpid())
    assert [s for _, s, pid in got[1:]] == [seen, seen] and all(pid != os.getpid() for *_, pid in got[1:])


def test_fork_is_the_default_where_it_exists(monkeypatch):
    monkeypatch.delenv(workers.START_METHOD_VARIABLE, raising=False)
    assert workers.start_method() == "fork"
    monkeypatch.setenv(workers.START_METHOD_VARIABLE, "bogus")
    assert workers.start_method() == "fork"


def _read(monkeypatch, parallel_from: int, method: str = "fork"):
    monkeypatch.setattr(workers, "PARALLEL_FROM", parallel_from)
    monkeypatch.setenv(workers.START_METHOD_VARIABLE, method)
    catalogue, report = load_catalogue(AUDIT)
    items = [(i.rel, i.index_no, i.title, i.blocked, i.is_public) for i in catalogue.items]
    return items, [d.format() for d in report.sorted()]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_reading_on_both_cores_equals_reading_on_one(monkeypatch, method):
    assert workers.cores() >= 2  # else this test would compare the serial path with itself
    serial = _read(monkeypatch, 10**9)
    parallel = _read(monkeypatch, 1, method)
    assert parallel == serial
    items, diagnostics = serial
    assert any(blocked for *_, blocked, _ in items)  # the fixture's gates must have fired in the workers too
    assert any("personal-data" in d or "个人信息" in d or "身份证" in d for d in diagnostics)


def _build(monkeypatch, tmp_path: Path, name: str, parallel_from: int, method: str = "fork") -> dict[str, bytes]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from sitetools import REPO, all_files, write_config

    monkeypatch.setattr(workers, "PARALLEL_FROM", parallel_from)
    monkeypatch.setenv(workers.START_METHOD_VARIABLE, method)
    where = tmp_path / name
    where.mkdir()
    cfg = load_config(str(write_config(REPO / "catalogue", where / "site", where, site_url="https://www.example.org/")))
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


def test_a_spawned_build_of_the_default_site_equals_a_forked_one(monkeypatch, tmp_path):
    """Catalogue read, pages written and machine outputs (search index, feeds, open data, offline
    files) beside them, all in spawned workers: the same files, byte for byte."""
    forked = _build(monkeypatch, tmp_path, "forked", 1, "fork")
    spawned = _build(monkeypatch, tmp_path, "spawned", 1, "spawn")
    assert spawned.keys() == forked.keys()
    assert [name for name in forked if spawned[name] != forked[name]] == []
    assert "sw.js" in forked and "sitemap.xml" in forked and any(name.startswith("search/s/") for name in forked)
    assert "assets/gkml-search.js" in forked and "assets/gkml-reload.js" not in forked  # the preview's own scripts stay out
    assert sum(name.startswith("item/") for name in forked) > 300


def test_gkml_check_under_spawn_reports_what_it_reports_under_fork(monkeypatch):
    from click.testing import CliRunner
    from gkml.cli import main

    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    results = {}
    for method in ("fork", "spawn"):
        monkeypatch.setenv(workers.START_METHOD_VARIABLE, method)
        result = CliRunner().invoke(main, ["check", str(AUDIT)])
        results[method] = (result.exit_code, result.output)
    assert results["spawn"] == results["fork"]
    code, output = results["spawn"]
    assert code == 1 and "身份证号「350102********1234」" in output and "命中负面清单" in output
