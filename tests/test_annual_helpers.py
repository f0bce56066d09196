"""Shared pieces of the annual-report tests: the hand-worked fixture laid over the mini catalogue."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import MINI, write_item

ANNUAL = Path(__file__).resolve().parent / "fixtures" / "annual"
TODAY = dt.date(2026, 6, 30)  # after every date in the fixture, so nothing is "in the future"


@pytest.fixture
def annual(catalogue: Path) -> Path:
    """tests/fixtures/mini with tests/fixtures/annual/catalogue copied over it."""
    shutil.copytree(ANNUAL / "catalogue", catalogue, dirs_exist_ok=True)
    return catalogue


def build(root: Path, today: dt.date = TODAY):
    """(reports by slug, the Report of load_catalogue + build_annual_reports)."""
    from gkml.annual import build_annual_reports
    from gkml.catalogue.validate import load_catalogue
    cat, report = load_catalogue(root, today=today)
    assert cat is not None, [d.format() for d in report.errors]
    return {r.slug: r for r in build_annual_reports(cat, report, today)}, report


def diagnostics(report, code: str) -> list:
    return [d for d in report.items if d.code == code]


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def normative_item(root: Path, serial: int, **changes) -> Path:
    """A copy of the mini catalogue's 行政规范性文件 with a new 索引号 and the given changes
    (a change to None removes the field)."""
    text = (MINI / "items/qzf/2025/00002.md").read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    fields = {k: v for k, v in (yaml.safe_load(head) | changes).items() if v is not None}
    year = fields["生成日期"].year
    fields["索引号"] = f"11350199MB01000012/{year}-{serial:05d}"
    if "文号" in fields:
        fields["文号"] = f"示政规〔{fields['成文日期'].year}〕{serial}号"
    return write_item(root, f"qzf/{year}/{serial:05d}.md", fields, body)
