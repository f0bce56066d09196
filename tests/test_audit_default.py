"""gkml audit on the built-in example catalogue (catalogue/): it finds exactly the faults its author
left on purpose (tests/fixtures/default_faults.yml) — no more late items, no personal data, no
negative-list hits, no lifecycle faults. Empty columns exist and are expected."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gkml.audit import KINDS, audit_catalogue
from gkml.catalogue.validate import load_catalogue

REPO = Path(__file__).resolve().parent.parent
FAULTS = REPO / "tests" / "fixtures" / "default_faults.yml"
LABEL = {KINDS[k].label: k for k in ("late", "late-interpretation")}
MUST_BE_ABSENT = ("personal-data", "negative-list", "repealed-no-date", "repealed-no-replacement",
                  "replacement-missing", "attachment-unreadable", "calendar-gap")


@pytest.fixture(scope="module")
def result():
    catalogue, report = load_catalogue(REPO / "catalogue")
    as_of = max(i.published for i in catalogue.items if i.published)  # the content's own "today"
    return audit_catalogue(catalogue, report, as_of=as_of)


def test_late_findings_are_exactly_the_recorded_faults(result):
    recorded = yaml.safe_load(FAULTS.read_text(encoding="utf-8"))
    expected = sorted((LABEL[f["类型"]], f["索引号"]) for f in recorded)
    found = sorted((f.kind, f.index_no) for f in result.findings if f.kind in LABEL.values())
    assert found == expected


def test_no_personal_data_or_lifecycle_findings(result):
    assert [f for f in result.findings if f.kind in MUST_BE_ABSENT] == []


def test_empty_columns_are_reported_per_unit_and_counted_in_the_score(result):
    empty = [f for f in result.findings if f.kind == "empty-column"]
    assert empty, "the example catalogue leaves some applicable columns empty"
    scores = {s.unit.id: s for s in result.scores}
    for unit_id in {f.unit for f in empty}:
        assert scores[unit_id].empty == sum(1 for f in empty if f.unit == unit_id)
        assert scores[unit_id].base < 100
    assert len(result.scores) == len(result.catalogue.units)
