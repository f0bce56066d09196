"""Stage 3: the catalogue as plain Python objects, built whole before any page is rendered.

Validation (validate.py) constructs these from raw documents; everything downstream (pages,
search, reports, audit) reads only these objects.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class Deadline:
    """A column's publication deadline: N working days, or a fixed date every year."""

    text: str
    workdays: int | None = None
    month: int | None = None
    day: int | None = None


@dataclass(eq=False)
class Column:
    code: str
    name: str
    basis: str = ""
    deadline: Deadline | None = None
    kinds: frozenset[str] = frozenset()
    cycle: str | None = None
    weight: float = 1
    topics: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    interpretation: bool = False
    normative: bool = False
    annual: bool = False
    children: list[Column] = field(default_factory=list)
    parent: Column | None = None
    order: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def ancestors(self) -> list[Column]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def applies_to(self, kind: str) -> bool:
        return kind in self.kinds


@dataclass
class Taxonomy:
    name: str
    version: str
    roots: list[Column]
    by_code: dict[str, Column]

    def walk(self):
        for root in self.roots:
            yield from root.walk()

    def leaves(self):
        return [c for c in self.walk() if c.is_leaf]

    def profile(self, kind: str) -> list[Column]:
        """The columns (all levels) that apply to a unit kind, in taxonomy order."""
        return [c for c in self.walk() if c.applies_to(kind)]


@dataclass
class Unit:
    id: str
    name: str
    kind: str
    code: str
    parent_id: str | None
    order: int
    guide: dict[str, str]
    not_applicable: dict[str, str]
    intro: str = ""
    path: Path | None = None


@dataclass(frozen=True)
class Attachment:
    file: str  # relative to the item's folder, POSIX form
    name: str
    size: int
    suffix: str
    label: str
    source: Path


@dataclass(frozen=True)
class Migration:
    """The 迁移 record of an item brought over from an old platform: where it was published before,
    and who checked the migrated batch on which day. It stands in for a per-item 保密审查 of what
    the old platform had already published (发布日期 not after `date`)."""

    platform: str
    address: str  # the item's page on the old platform (原网址), "" when unknown
    checker: str
    date: dt.date


# Item fields with few distinct values: one shared string each, not one per item (100k items).
_SHARED_TEXT = ("unit_id", "disclosure", "column", "publisher", "genre", "validity", "scope", "term")


@dataclass(eq=False, slots=True)  # slots: no per-item __dict__ (about 1.5 KB an item)
class Item:
    path: Path
    rel: str  # path relative to the catalogue root, POSIX form
    unit_id: str
    index_no: str
    title: str
    disclosure: str
    generated: dt.date
    column: str
    publisher: str
    summary: str = ""
    written: dt.date | None = None
    published: dt.date | None = None
    doc_no: str = ""
    topic: tuple[str, str] | None = None
    genre: str = ""
    keywords: tuple[str, ...] = ()
    validity: str = "有效"
    repealed_on: dt.date | None = None
    replaced_by: str = ""
    reason: str = ""
    scope: str = "面向社会"
    term: str = "长期公开"
    term_until: dt.date | None = None
    reviewed: bool = False
    review_date: dt.date | None = None
    interprets: str = ""
    attachments: tuple[Attachment, ...] = ()
    draft: bool = False
    exemption: bool = False
    blocked: bool = False  # a publication gate (personal data, negative list) stopped it
    body: str = ""
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)
    original_index_no: str = ""  # 原索引号: the number the old platform published, any format
    migration: Migration | None = None

    def __post_init__(self) -> None:
        for name in _SHARED_TEXT:
            setattr(self, name, sys.intern(getattr(self, name)))
        self.lines = {sys.intern(k): v for k, v in self.lines.items()}

    @property
    def is_public(self) -> bool:
        """Gets pages, search entries, feed entries, exports."""
        return (self.disclosure == "主动公开" and self.reviewed and not self.draft and not self.blocked
                and self.published is not None)

    @property
    def is_on_request(self) -> bool:
        """Listed as one metadata row in the unit's 依申请公开目录, nothing more."""
        return self.disclosure == "依申请公开" and not self.draft and not self.blocked

    @property
    def migrated_history(self) -> bool:
        """Published on the old platform before the migration: judged by the 迁移 record."""
        return (self.migration is not None and self.published is not None
                and self.published <= self.migration.date)

    @property
    def year(self) -> int:
        return self.generated.year

    @property
    def topic_text(self) -> str:
        if not self.topic:
            return ""
        return "/".join(p for p in self.topic if p)

    @property
    def url(self) -> str:
        """Permanent, derived from the 索引号: item/<prefix>/<period-serial>.html"""
        return f"item/{self.index_no}.html"


@dataclass
class SiteConfig:
    name: str
    platform: str
    gov_unit: str
    region: str = ""
    taxonomy_file: str = "taxonomy.yml"
    index_period: str = "年"
    serial_width: int = 5
    website: dict[str, str] = field(default_factory=dict)
    audit: dict = field(default_factory=dict)
    negative: tuple[str, ...] = ()  # 负面清单: regular expressions (checked when site.yml is read)
    issuers: dict[str, str] = field(default_factory=dict)  # 发文机关: name or alias -> registered name
    old_sites: tuple[str, ...] = ()  # 原平台网址, each ending in "/"

    @property
    def negative_patterns(self) -> list[re.Pattern]:
        return [re.compile(p) for p in self.negative]


@dataclass
class Catalogue:
    root: Path
    site: SiteConfig
    taxonomy: Taxonomy
    units: dict[str, Unit]
    items: list[Item]

    @cached_property
    def by_index_no(self) -> dict[str, Item]:
        return {i.index_no: i for i in self.items}

    @cached_property
    def public_items(self) -> list[Item]:
        """Newest first: 发布日期, then 索引号, so order is stable."""
        return sorted((i for i in self.items if i.is_public),
                      key=lambda i: (i.published, i.index_no), reverse=True)

    def _group_public(self, key) -> dict[str, list[Item]]:
        """Public items (newest first) grouped by `key(item)`, items with an empty key left out."""
        out: dict[str, list[Item]] = {}
        for item in self.public_items:
            if value := key(item):
                out.setdefault(value, []).append(item)
        return out

    @cached_property
    def interpretations(self) -> dict[str, list[Item]]:
        """索引号 of a document -> its public 政策解读 items."""
        return self._group_public(lambda i: i.interprets)

    @cached_property
    def replaces(self) -> dict[str, list[Item]]:
        """索引号 of a new document -> public documents it replaced."""
        return self._group_public(lambda i: i.replaced_by)

    @cached_property
    def _public_by_unit(self) -> dict[str, list[Item]]:
        return self._group_public(lambda i: i.unit_id)

    def unit_items(self, unit_id: str, public: bool = True) -> list[Item]:
        """A unit's items; public ones newest first."""
        if public:
            return self._public_by_unit.get(unit_id, [])
        return [i for i in self.items if i.unit_id == unit_id]

    def sorted_units(self) -> list[Unit]:
        from .vocab import UNIT_KINDS
        return sorted(self.units.values(), key=lambda u: (UNIT_KINDS.index(u.kind), u.order, u.id))

    def subset(self, unit_id: str | None = None, year: int | None = None) -> "Catalogue":
        """The part of the catalogue one unit and/or one year holds (for copies handed to archives)."""
        units = {k: u for k, u in self.units.items() if unit_id is None or k == unit_id}
        items = [i for i in self.items if i.unit_id in units and (year is None or i.year == year)]
        return Catalogue(self.root, self.site, self.taxonomy, units, items)

    def public_link(self, index_no: str) -> Item | None:
        item = self.by_index_no.get(index_no)
        return item if item is not None and item.is_public else None
