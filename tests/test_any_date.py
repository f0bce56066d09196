"""The default catalogue through an office's year, on the machine's clock itself (libfaketime, as
the system date of an office PC or a CI runner): the turn of the year beyond the holiday data,
the 年报 deadline of 1月31日, a leap day, the day after Material's end of support. No `--today`
anywhere: this is what happens when nobody thinks of the date.

Needs Debian's `faketime` (`.ci/run` installs it, as it installs Chromium)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import REPO, source_env

FAKETIME = shutil.which("faketime") or "/usr/bin/faketime"


def on(day: str, *args: str, cwd=REPO, timeout: float = 600) -> subprocess.CompletedProcess:
    """`gkml <args>` with the system clock at 09:00 of `day`."""
    return subprocess.run([FAKETIME, f"{day} 09:00:00", sys.executable, "-m", "gkml.cli", *args], cwd=cwd,
                          env=source_env(NO_COLOR="1", GKML_CACHE="0"), capture_output=True, text=True,
                          timeout=timeout)


def test_the_clock_is_faked():
    result = on("2028-02-29", "requests", "catalogue")
    assert result.returncode in (0, 1), result.stderr
    assert "2028-02-29" in result.stdout + result.stderr  # the desk counts from "today"


@pytest.mark.parametrize("day", ["2026-12-31", "2027-01-04", "2027-02-01", "2027-05-06", "2028-02-29"])
def test_the_example_catalogue_checks_clean_on(day):
    result = on(day, "check", "--strict", "catalogue")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "共 0 个错误，0 个警告" in result.stdout + result.stderr


@pytest.mark.parametrize("day, tense", [("2027-01-04", "于 2027年5月5日停止维护"), ("2027-05-06", "已于 2027年5月5日停止维护")])
def test_the_default_site_builds_on(day, tense, tmp_path):
    result = on(day, "build", "--strict", "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert tense in result.stderr and "Traceback" not in result.stderr


def test_the_year_end_reports_on_the_days_offices_write_them(tmp_path):
    # the example's data run to late 2026: its 2025 report before and after the next deadline
    for day in ("2026-12-31", "2027-02-02"):
        report = on(day, "report", "annual", "--unit", "qzf", "--year", "2025", "--format", "docx",
                    "-o", str(tmp_path / f"{day}.docx"))
        assert report.returncode == 0, report.stderr
        assert (tmp_path / f"{day}.docx").stat().st_size > 10_000
        audit = on(day, "audit", "catalogue", "--format", "json")
        assert audit.returncode in (0, 1) and audit.stdout.lstrip().startswith("{"), audit.stderr
        assert "Traceback" not in audit.stderr

    # January 2027: the 2026 report wanted, its narrative not written yet — said plainly
    missing = on("2027-01-20", "report", "annual", "--unit", "qzf", "--year", "2026")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert "没有示例区人民政府2026年的年度报告：请建立 catalogue/reports/qzf/2026.md" in missing.stderr
