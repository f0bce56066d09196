"""The corpus as records: which unit publishes what, when, and how items link to each other.

`generate(n, seed)` returns a Corpus whose items are fully decided (dates, 索引号, 文号, links,
attachments) and which the writers in writers.py turn into a gkml catalogue, an MkDocs site or a
Hugo site. Deterministic: the same (n, seed) gives the same corpus.
"""
from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar

from gkml.diagnostics import Report
from gkml.catalogue.load import read_mapping
from gkml.catalogue.model import Column, Taxonomy
from gkml.catalogue.validate_config import read_taxonomy

from . import ROOT
from . import phrases as P
from .compose import BodyWriter, Heading, column_heading, doc_heading, interpretation_heading, issuing_heading, \
    pick_topic, revised_heading, summary_of
from .units import BenchUnit, build_units

FIRST_DATE = dt.date(2019, 1, 1)
LAST_DATE = dt.date(2026, 11, 20)  # no item is dated after this day
SOURCE_CATALOGUE = ROOT / "catalogue"

# Shares of the corpus (per item), chosen to look like a real district's catalogue.
PAIR_SHARE = 0.12  # 政策文件 that get a 政策解读 item
CHAIN_SHARE = 0.25  # 行政规范性文件 that are later revised (废止 + 替代)
LAPSED_SHARE = 0.04  # 失效 documents
ON_REQUEST_SHARE = 0.035
WITHHELD_SHARE = 0.01
DRAFT_SHARE = 0.004
TIME_LIMITED_SHARE = 0.02
ATTACHMENT_SHARE = 0.05
INTERPRETED_GENRES = ("通知", "意见")  # the documents that get a 政策解读


@dataclass(eq=False)
class Rec:
    unit: BenchUnit
    column: str
    head: Heading
    topic: str
    generated: dt.date
    published: dt.date | None = None
    written: dt.date | None = None
    review: dt.date | None = None
    summary: str = ""
    keywords: tuple[str, ...] = ()
    body: str = ""
    disclosure: str = "主动公开"
    reason: str = ""
    validity: str = "有效"
    repealed_on: dt.date | None = None
    replaced_by: Rec | None = None
    interprets: Rec | None = None
    draft: bool = False
    term_until: dt.date | None = None
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (relative file, display name)
    index_no: str = ""
    serial: int = 0
    doc_no: str = ""

    @property
    def year(self) -> int:
        return self.generated.year

    @property
    def folder(self) -> str:
        """items/<unit>/<year> relative to the catalogue root."""
        return f"items/{self.unit.id}/{self.year}"

    @property
    def stem(self) -> str:
        return f"{self.serial:05d}"


@dataclass
class Corpus:
    seed: int
    units: list[BenchUnit]
    taxonomy: Taxonomy
    items: list[Rec]
    gov_id: str = "qzf"


def load_taxonomy(source: Path = SOURCE_CATALOGUE) -> Taxonomy:
    report = Report(base=source)
    path = source / "taxonomy.yml"
    doc = read_mapping(path, source, report)
    if doc is None or report.errors:
        raise SystemExit(f"cannot read {path}: {[d.format() for d in report.errors]}")
    return read_taxonomy(doc, path, report)


def _workdays() -> list[dt.date]:
    days, day = [], FIRST_DATE
    while day <= LAST_DATE:
        if chinese_calendar.is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class Generator:
    def __init__(self, n: int, seed: int, taxonomy: Taxonomy):
        self.n, self.rng = n, random.Random(seed)
        self.taxonomy = taxonomy
        self.units = build_units()
        self.days = _workdays()
        self.bodies = BodyWriter(self.rng)
        self.items: list[Rec] = []
        self.unit_weights = [u.weight for u in self.units]
        self.columns: dict[str, tuple[list[Column], list[float]]] = {}
        for unit in self.units:
            cols = [c for c in taxonomy.leaves()
                    if c.applies_to(unit.kind) and c.code not in unit.not_applicable and P.COLUMN_WEIGHTS.get(c.code, 1)]
            self.columns[unit.id] = (cols, [P.COLUMN_WEIGHTS.get(c.code, 1) for c in cols])
        self.interp_column = next(c for c in taxonomy.leaves() if c.interpretation)

    # -- dates ------------------------------------------------------------------------------
    def _day(self, lo: dt.date = FIRST_DATE, hi: dt.date = LAST_DATE) -> dt.date:
        i, j = bisect.bisect_left(self.days, lo), bisect.bisect_right(self.days, hi)
        return self.days[self.rng.randrange(i, j)] if j > i else lo

    def _next_workday(self, day: dt.date, gap: int) -> dt.date | None:
        i = bisect.bisect_left(self.days, day) + gap
        return self.days[i] if i < len(self.days) else None

    def _dates(self, rec: Rec) -> None:
        rng = self.rng
        if rec.head.docno_suffix is not None:
            rec.written = rec.generated - dt.timedelta(days=rng.choice((0, 0, 1, 2, 3)))
        if rec.disclosure == "主动公开":
            rec.published = self._next_workday(rec.generated, rng.choice((0, 1, 1, 2, 3, 5, 8))) or rec.generated
            rec.review = rec.published if rec.published == rec.generated else \
                rec.published - dt.timedelta(days=rng.choice((0, 1)))

    # -- items ------------------------------------------------------------------------------
    def _subject(self, topic: str) -> str:
        return self.rng.choice(P.SUBJECTS[topic.split("/")[0]])

    def _new(self, unit: BenchUnit, column: Column, day: dt.date, head: Heading | None = None,
             topic: str | None = None) -> Rec:
        rng = self.rng
        topic = topic or pick_topic(rng, column.topics, unit)
        if head is None:
            head = column_heading(rng, unit, column.code, self._subject(topic), column.genres, day)
        rec = Rec(unit, column.code, head, topic, day)
        rec.summary = summary_of(rng, head, unit)
        rec.keywords = tuple(dict.fromkeys((head.subject, topic.split("/")[-1]))) if rng.random() < 0.6 else ()
        rec.body = self.bodies.body(head, unit, day)
        self.items.append(rec)
        return rec

    def _single(self, unit: BenchUnit, column: Column) -> Rec:
        day = self._day()
        if P.COLUMN_STYLES.get(column.code, ("",))[0] == "annual":  # 年报: every January
            year = self.rng.randint(FIRST_DATE.year, LAST_DATE.year)
            day = self._day(dt.date(year, 1, 4), dt.date(year, 1, 28))
        rec = self._new(unit, column, day)
        roll = self.rng.random()
        if roll < ON_REQUEST_SHARE:
            rec.disclosure, rec.reason = "依申请公开", self.rng.choice(P.REASONS_ON_REQUEST)
        elif roll < ON_REQUEST_SHARE + WITHHELD_SHARE:
            rec.disclosure, rec.reason = "不予公开", self.rng.choice(P.REASONS_WITHHELD)
        elif roll < ON_REQUEST_SHARE + WITHHELD_SHARE + DRAFT_SHARE:
            rec.draft = True
        self._dates(rec)
        if rec.head.docno_suffix is not None and rec.disclosure == "主动公开" and self.rng.random() < LAPSED_SHARE:
            end = self._next_workday(rec.generated, self.rng.randint(120, 700))
            if end is not None:
                rec.validity, rec.repealed_on = "失效", end
        if rec.disclosure == "主动公开" and self.rng.random() < TIME_LIMITED_SHARE:
            until = rec.generated + dt.timedelta(days=self.rng.choice((30, 90, 180, 365)))
            if until <= LAST_DATE:  # no date of the corpus lies after LAST_DATE
                rec.term_until = until
        return rec

    def _pair(self, unit: BenchUnit, column: Column) -> list[Rec]:
        """A 政策文件 and its 政策解读, published within 3 working days of each other."""
        rng = self.rng
        topic = pick_topic(rng, column.topics, unit)
        day = self._day(hi=LAST_DATE - dt.timedelta(days=30))
        genres = tuple(g for g in column.genres if g in INTERPRETED_GENRES) or INTERPRETED_GENRES
        head = doc_heading(rng, unit, self._subject(topic), genres, day)
        doc = self._new(unit, column, day, head, topic)
        self._dates(doc)
        later = self._next_workday(doc.published, rng.choice((0, 0, 1, 2)))
        interp = self._new(unit, self.interp_column, later, interpretation_heading(rng, unit, head, later), topic)
        interp.interprets = doc
        interp.published = interp.review = later  # 解读 within 3 working days of the document
        return [doc, interp]

    def _chain(self, unit: BenchUnit, column: Column, length: int) -> list[Rec]:
        """A normative document revised `length - 1` times; every older version is 废止 and names its successor."""
        rng = self.rng
        topic = pick_topic(rng, column.topics, unit)
        day = self._day(hi=dt.date(2023, 6, 30))
        head = issuing_heading(rng, unit, self._subject(topic), day)
        chain = [self._new(unit, column, day, head, topic)]
        self._dates(chain[0])
        for _ in range(1, length):
            day = self._next_workday(chain[-1].published, rng.randint(250, 700))
            if day is None or day > LAST_DATE - dt.timedelta(days=15):
                break
            new = self._new(unit, column, day, revised_heading(head, unit, day), topic)
            self._dates(new)
            old = chain[-1]
            old.validity, old.repealed_on, old.replaced_by = "废止", new.published, new
            chain.append(new)
        return chain

    def run(self) -> list[Rec]:
        rng = self.rng
        while len(self.items) < self.n:
            unit = rng.choices(self.units, self.unit_weights)[0]
            cols, weights = self.columns[unit.id]
            column = rng.choices(cols, weights)[0]
            room = self.n - len(self.items)
            roll = rng.random()
            if column.normative and room >= 2 and roll < CHAIN_SHARE:
                self._chain(unit, column, min(room, rng.choice((2, 2, 3))))
            elif column.code in ("gfxwj", "qtwj") and room >= 2 and roll < CHAIN_SHARE + PAIR_SHARE:
                self._pair(unit, column)
            else:
                self._single(unit, column)
        self._number()
        self._attach()
        return self.items

    # -- identifiers ------------------------------------------------------------------------
    def _number(self) -> None:
        """索引号 serials per unit and year, 文号 serials per 代字 and year, both in date order."""
        order = sorted(range(len(self.items)), key=lambda i: (self.items[i].generated, i))
        serials: dict[tuple[str, int], int] = {}
        docnos: dict[tuple[str, int], int] = {}
        for i in order:
            rec = self.items[i]
            key = (rec.unit.id, rec.year)
            serials[key] = rec.serial = serials.get(key, 0) + 1
            rec.index_no = f"{rec.unit.code}/{rec.year}-{rec.serial:05d}"
            if rec.head.docno_suffix is not None:
                agency = rec.unit.agency + rec.head.docno_suffix
                dkey = (agency, rec.written.year)
                docnos[dkey] = docnos.get(dkey, 0) + 1
                rec.doc_no = f"{agency}〔{rec.written.year}〕{docnos[dkey]}号"

    def _attach(self) -> None:
        kinds = ("pdf", "pdf", "xlsx", "docx", "csv")
        for rec in self.items:
            if rec.disclosure == "主动公开" and self.rng.random() < ATTACHMENT_SHARE:
                for k in range(self.rng.choice((1, 1, 1, 2))):
                    suffix = kinds[self.rng.randrange(len(kinds))]
                    rec.attachments.append((f"{rec.stem}/附件{k + 1}.{suffix}", f"{rec.head.subject}附件{k + 1}"))


def generate(n: int, seed: int, source: Path = SOURCE_CATALOGUE) -> Corpus:
    gen = Generator(n, seed, load_taxonomy(source))
    return Corpus(seed, gen.units, gen.taxonomy, gen.run())
