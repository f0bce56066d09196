"""scripts/gen_corpus.py: a seeded corpus is byte-for-byte reproducible and passes `gkml check` cleanly."""
from __future__ import annotations

import datetime
import hashlib
import subprocess
import sys
from pathlib import Path

from gkml.catalogue.validate import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "gen_corpus.py"


def _generate(out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--items", "200", "--seed", "7", "--out", str(out), *extra],
                   check=True, capture_output=True)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_seeded_corpus_is_deterministic_and_valid(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    _generate(a)
    _generate(b)
    assert _digest(a) == _digest(b)
    catalogue, report = load_catalogue(a)
    assert catalogue is not None
    assert [d.format() for d in report.errors] == []
    assert [d.format() for d in report.warnings] == []
    assert len(catalogue.items) == 200
    assert len(catalogue.units) == 64
    assert any(i.interprets for i in catalogue.items) and any(i.replaced_by for i in catalogue.items)
    assert any(i.attachments for i in catalogue.items)
    titles = [len(i.title) for i in catalogue.items]
    assert 15 <= min(titles) and max(titles) <= 60
    last = datetime.date(2026, 11, 20)
    dates = [d for i in catalogue.items for d in (i.generated, i.written, i.published, i.review_date, i.repealed_on,
                                                  i.term_until) if d is not None]
    assert min(dates) >= datetime.date(2019, 1, 1) and max(dates) <= last


def test_other_seed_gives_another_corpus(tmp_path):
    _generate(tmp_path / "a")
    subprocess.run([sys.executable, str(SCRIPT), "--items", "200", "--seed", "8", "--out", str(tmp_path / "b")],
                   check=True, capture_output=True)
    assert _digest(tmp_path / "a") != _digest(tmp_path / "b")


def test_baseline_flavours_hold_the_public_items(tmp_path):
    _generate(tmp_path / "all", "--flavour", "all")
    catalogue, _ = load_catalogue(tmp_path / "all" / "catalogue")
    public = [i for i in catalogue.items if i.disclosure == "主动公开" and not i.draft]
    assert len(list((tmp_path / "all" / "mkdocs" / "docs" / "items").rglob("*.md"))) == len(public)
    assert len(list((tmp_path / "all" / "hugo" / "content" / "items").rglob("index.md"))) == len(public)
    assert (tmp_path / "all" / "mkdocs" / "mkdocs.yml").exists()
    assert (tmp_path / "all" / "hugo" / "layouts" / "_default" / "single.html").exists()
