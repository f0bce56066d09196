"""gkml the way an office meets it: the wheel, installed into a fresh environment (no working
tree on the path), with the locked versions; then the command-line tests and full builds run
against that installation."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

# The test modules run again inside the fresh environment: every command of the CLI, a full
# build of the default site compared with the golden site, init, and the plugin-less hosts.
INSTALLED_SUITE = ["test_init.py", "test_host_safety.py", "test_check_output.py", "test_new.py", "test_build_cmd.py",
                   "test_audit_cli.py", "test_annual_render.py", "test_import_xlsx.py", "test_site_golden.py",
                   "test_cli_chinese.py"]

def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=1800, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, REPO)
    (built,) = out.glob("gkml-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh virtual environment with the wheel and the test tools at the locked versions."""
    where = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", where)
    python = where / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "-c", REPO / "constraints.txt", f"gkml[test] @ {wheel.as_uri()}")
    return where


def test_the_wheel_carries_everything_a_site_needs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("gkml/theme/main.html", "gkml/theme/gkml/home.html", "gkml/theme/assets/gkml.css",
                   "gkml/theme/assets/gkml-annual.css", "gkml/theme/assets/gkml-search.js", "gkml/example/site.yml",
                   "gkml/theme/partials/javascripts/base.html", "gkml/theme/assets/gkml-scope.js",
                   "gkml/example/taxonomy.yml", "gkml/manual/README.md", "gkml/scaffold/mkdocs.yml",
                   "gkml/pages/index.md", "gkml/recipes/gitlab-ci.yml", "gkml/py.typed"):
        assert needed in names, needed
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Requires-Dist: mkdocs<2,>=1.6.1" in metadata and "Project-URL:" in metadata and "Classifier:" in metadata


def test_an_office_installs_inits_checks_builds_and_reports(venv, tmp_path):
    gkml = venv / "bin" / "gkml"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")} | {"NO_COLOR": "1"}
    where = run(venv / "bin" / "python", "-c", "import gkml; print(gkml.__file__)", cwd=tmp_path, env=env).stdout
    assert str(venv) in where and str(REPO) not in where
    run(gkml, "init", "office", "--name", "测试县人民政府", "--code", "11350199MB01000012", cwd=tmp_path, env=env)
    run(gkml, "check", "--strict", "catalogue", cwd=tmp_path / "office", env=env)
    run(gkml, "build", cwd=tmp_path / "office", env=env)
    assert "测试县人民政府" in (tmp_path / "office" / "site" / "index.html").read_text(encoding="utf-8")
    run(gkml, "init", "demo", "--example", cwd=tmp_path, env=env)
    run(gkml, "build", "--strict", cwd=tmp_path / "demo", env=env)
    report = run(gkml, "report", "annual", "catalogue", "--unit", "qczj", "--year", "2025", "--format", "html",
                 cwd=tmp_path / "demo", env=env).stdout
    assert "@media print" in report  # the stylesheet shipped in the wheel is inlined


def test_the_command_line_suite_passes_against_the_installed_wheel(venv):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(GKML_TEST_INSTALLED="1", NO_COLOR="1")
    result = subprocess.run([venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                             *[f"tests/{m}" for m in INSTALLED_SUITE]], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=3600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
