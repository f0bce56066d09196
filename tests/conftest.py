"""Shared test helpers: a throw-away copy of the mini catalogue, item writing, and two ways to run the CLI."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
# GKML_TEST_INSTALLED=1 (tests/test_wheel.py): test gkml as installed from its wheel into a fresh
# environment, never the working tree; otherwise test the working tree, installed or not.
INSTALLED = os.environ.get("GKML_TEST_INSTALLED") == "1"
if not INSTALLED:
    sys.path.insert(0, str(REPO / "plugins"))


def source_env(**extra: str) -> dict[str, str]:
    """The environment for a gkml or mkdocs subprocess: the working tree first on its path,
    unless the suite tests the installed wheel."""
    env = {**os.environ, **extra}
    if not INSTALLED:
        env["PYTHONPATH"] = str(REPO / "plugins")
    return env


@pytest.fixture(scope="session", autouse=True)
def _check_cache_folder(tmp_path_factory) -> None:
    """`gkml check` keeps its cache in the session's temporary folder, never the user's home."""
    os.environ["GKML_CACHE_DIR"] = str(tmp_path_factory.mktemp("gkml-cache"))


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A fresh copy of tests/fixtures/mini at <tmp>/catalogue, safe to modify."""
    root = tmp_path / "catalogue"
    shutil.copytree(MINI, root)
    return root


@pytest.fixture(scope="session")
def default_site(tmp_path_factory) -> Path:
    """The default site exactly as the README builds it (the repository's mkdocs.yml, --strict),
    built once per test process; tests read it and never change it."""
    from sitetools import built
    return built(REPO / "mkdocs.yml", tmp_path_factory.mktemp("default") / "site")


@pytest.fixture(scope="session")
def http_root(default_site):
    """The default site over HTTP (a plain static server, as a host serves it)."""
    from sitetools import serve
    with serve(default_site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, one per test module (sitetools.browser)."""
    from sitetools import browser
    with browser() as b:
        yield b


class _PlainDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # a value used twice is written twice, never as &anchor/*alias
        return True


def front_matter(fields: dict) -> str:
    """One `key: value` line per top-level field, in the given order (so tests can count lines)."""
    return yaml.dump(fields, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1000)


def write_item(root: Path, rel: str, fields: dict | str, body: str = "正文。\n") -> Path:
    """Write items/<rel>: `fields` is a dict (dumped as YAML) or the literal front-matter text."""
    path = root / "items" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = fields if isinstance(fields, str) else front_matter(fields)
    path.write_text(f"---\n{meta.rstrip()}\n---\n\n{body}", encoding="utf-8")
    return path


def line_of(path: Path, prefix: str) -> int:
    """1-based number of the first line of `path` that starts with `prefix`."""
    for n, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
        if line.startswith(prefix):
            return n
    raise AssertionError(f"{prefix!r} not in {path}")


def run_cli(*args: str):
    """`gkml <args>` in-process through click's CliRunner (stdout and stderr kept apart)."""
    from gkml.cli import main
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def run_gkml(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real `python -m gkml.cli <args>` in a subprocess, as an editor or a git hook runs it."""
    return subprocess.run([sys.executable, "-m", "gkml.cli", *map(str, args)], cwd=cwd, env=source_env(NO_COLOR="1"),
                          capture_output=True, text=True, timeout=timeout)


def check_json(root: Path, *extra: str) -> tuple[int, dict]:
    """Run `gkml check --format json` and return (exit code, parsed report)."""
    result = run_cli("check", "--format", "json", *extra, root)
    return result.exit_code, json.loads(result.stdout)
