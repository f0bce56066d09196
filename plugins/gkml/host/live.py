"""The preview's fast path: an edit to the text of an item rewrites only the pages that show
that item, without a MkDocs rebuild.

"Text" is what no page's place or order depends on: the title, body, 内容概述, 关键词, 文号 and
成文日期 (lists are ordered by 发布日期 and 索引号). The title of an item in an annual-report
column is not: it names the year the report is listed under. Anything else — a new, moved or deleted file, another title, date, column, status,
link or attachment, or a problem the file did not have — returns None, and the caller runs a
full (dirty) build, which checks the whole catalogue again.

The new text is copied onto the Item object the page plan already holds, so every page
context that shows the item sees it; which pages those are comes from walking the contexts
once (`PageIndex`). Pages in the nav were rendered by MkDocs around the body gkml gave it; their
new HTML is the old one with the body replaced.

A provisional update (`provisional=True`) takes the other edits an editor makes to one item —
its 发布机构, dates, 主题分类, 栏目 … — onto the pages that already show it, at once; the full
build that must follow puts the item into its new lists and order, and checks the catalogue
again. Only what decides whether and under which address the item is published (索引号, unit,
public status, attachments) and its links to other items (checked across the catalogue) still
wait for the full build.

An item taken out of publication — its file deleted, or read without errors but no longer
public (a draft again, 不予公开 …) — has its page taken down at once; the full build takes it
out of its lists. (An edit with errors leaves the page as the last good build made it.)

A new item file is provisional too: read, checked against the catalogue and gated as the full
build would (the same functions), and, if clean and public, its own page is rendered and it is
put into the list of its column (and of the columns above it); the full build puts it into all
its lists, counts and indexes. Attachments are copied into the site by the full build only, so an
item with attachments waits for it.

The pages are returned, not written: the preview serves them over what is on disk until a full
build that read the edit has written its own (preview.py, Overlay), so a build running meanwhile
never overwrites them with what it read before the edit.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..diagnostics import Report
from ..catalogue.model import Column, Item, Unit
from ..site.pages import PageSpec
from ..catalogue.validate import FileMemo, check_new_item

TEXT_FIELDS = frozenset({"title", "body", "body_line", "lines", "summary", "keywords", "written", "doc_no"})
_PLACE_FIELDS = tuple(f.name for f in dataclasses.fields(Item) if f.name not in TEXT_FIELDS)
_PUBLICATION_FIELDS = ("path", "rel", "unit_id", "index_no", "disclosure", "reviewed", "draft", "blocked",
                       "exemption", "attachments", "interprets", "replaced_by")


def items_in(value, found: dict[int, Item], seen: set[int]) -> None:
    """Every Item inside a page context: in lists, tuples, dicts and dataclasses such as Listing.
    Units and columns are leaves (their parents and children lead everywhere)."""
    if isinstance(value, Item):
        found[id(value)] = value
    elif isinstance(value, (str, int, float, type(None), dt.date, Unit, Column)) or id(value) in seen:
        return
    elif isinstance(value, (list, tuple, dict)):
        seen.add(id(value))
        for v in (value.values() if isinstance(value, dict) else value):
            items_in(v, found, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        seen.add(id(value))
        for f in dataclasses.fields(value):
            items_in(getattr(value, f.name), found, seen)


class PageIndex:
    """Which pages show which item, from the page plan."""

    def __init__(self, pages: list[PageSpec]):
        self.by_item: dict[int, list[PageSpec]] = {}
        for spec in pages:
            found: dict[int, Item] = {}
            items_in(spec.context, found, set())
            for key in found:
                self.by_item.setdefault(key, []).append(spec)

    def pages_of(self, item: Item) -> list[PageSpec]:
        return self.by_item.get(id(item), [])


class LiveUpdate:
    def __init__(self, build, memo: FileMemo, new_items: bool = True):
        self.build = build  # a SiteBuild whose pages are on disk
        self.memo = memo
        self.new_items = new_items  # False: the site is a part of the catalogue (one unit, one year)
        self.by_path = {item.path: item for item in build.catalogue.items}
        self._index: PageIndex | None = None
        self._columns: dict[tuple[str, str], list[PageSpec]] | None = None
        self.listed: dict[Path, list] = {}  # a new file -> the listings it was put into, to take it out again
        self.shown: dict[Path, Item] = {}  # new files whose pages are shown, not yet read by a full build
        self.negative = build.catalogue.site.negative_patterns
        self.annual = {id(item) for item in build.plan.annual_items}

    @property
    def index(self) -> PageIndex:
        """Made when first asked for: the preview asks right after each build, before an edit
        waits for it (two threads asking at once each make one; either will do)."""
        if self._index is None:
            self._index = PageIndex(self.build.plan.pages)
        return self._index

    def reread(self, path: Path, report: Report, provisional: bool = False) -> tuple[Item, Item] | None:
        """(the plan's item, the file as it is now) if only its text changed (provisional: nothing
        that decides its publication) and it is still clean."""
        old = self.by_path.get(path)
        if old is None or not path.is_file():
            return None
        new, sub = self.read(path, report)
        if new is None:
            return None
        fixed = _PUBLICATION_FIELDS if provisional else _PLACE_FIELDS
        if sub.errors or any(getattr(old, name) != getattr(new, name) for name in fixed) or old.is_public != new.is_public:
            return None
        if id(old) in self.annual and old.title != new.title and not provisional:
            return None
        report.items.extend(sub.items)
        return old, new

    def column_pages(self, item: Item) -> list[PageSpec]:
        """A new item put, for now, into the list of its column and of each column above it (the
        page of each where its date places it, one item longer than the others until the full
        build); the pages to render again. Counts, cross indexes and the latest items of the home
        pages wait for the full build."""
        if self._columns is None:
            self._columns = {}
            for spec in self.build.plan.pages:
                if spec.template == "column.html":
                    key = (spec.context["unit"].id, spec.context["column"].code)
                    self._columns.setdefault(key, []).append(spec)
        for listing in self.listed.pop(item.path, []):  # saved again before the build: put in anew
            listing.items[:] = [i for i in listing.items if i.path != item.path]
        column = self.build.catalogue.taxonomy.by_code[item.column]
        key = (item.published, item.index_no)
        changed = []
        for col in [column, *column.ancestors]:
            pages = self._columns.get((item.unit_id, col.code), [])
            spec = next((p for p in pages if p.context["listing"].items
                         and (p.context["listing"].items[-1].published, p.context["listing"].items[-1].index_no) < key),
                        pages[-1] if pages else None)
            if spec is None:
                continue
            items = spec.context["listing"].items
            at = next((n for n, i in enumerate(items) if (i.published, i.index_no) < key), len(items))
            items.insert(at, item)
            self.listed.setdefault(item.path, []).append(spec.context["listing"])
            changed.append(spec)
        return changed

    def read(self, path: Path, report: Report) -> tuple[Item | None, Report]:
        """The file as it is now, read and gated as the full build does (the memo's own functions,
        which the build calls too), with what they found."""
        cat = self.build.catalogue
        sub = Report(base=report.base)
        new = self.memo.read_item(path, cat.root, cat.units, sub, self.build.today or dt.date.today())
        if new is not None:
            self.memo.gates(new, self.negative, sub)
        return new, sub

    def added(self, path: Path, report: Report) -> Item | None:
        """A new item file, if it is clean, public and fits the catalogue as it stands."""
        if not self.new_items or not path.is_file():
            return None
        new, sub = self.read(path, report)
        if new is None or sub.errors:
            return None
        # against the new files shown since the last full build too (a second file with the 索引号
        # of one saved a moment before would take over its page)
        check_new_item(self.build.catalogue, new, sub, [i for p, i in self.shown.items() if p != path and p.exists()])
        if sub.errors or not new.is_public or new.attachments:
            return None
        report.items.extend(sub.items)
        return new

    def withdrawn(self, path: Path, report: Report) -> bool:
        """Whether this published item's file is gone or, read without errors, no longer public
        (a draft again, 不予公开 …): its page is taken down at once, before its lists follow."""
        old = self.by_path.get(path)
        if old is None or not old.is_public:
            return False
        if not path.exists():
            return True
        new, sub = self.read(path, report)
        return new is not None and not sub.errors and not new.is_public

    def apply(self, paths: list[Path], report: Report, provisional: bool = False) -> dict[str, str | None] | None:
        """The pages rendered again for these edited item files, URL -> HTML (None: the page is
        taken down), or None: a full build is needed (after a provisional update, one is needed
        anyway)."""
        paths = [Path(p).absolute() for p in paths]
        fresh = [p for p in paths if p not in self.by_path]
        if not paths or (fresh and not provisional):
            return None
        gone = [p for p in paths if provisional and self.withdrawn(p, report)]
        added = [self.added(p, report) for p in fresh]
        edits = [self.reread(p, report, provisional) for p in paths if p in self.by_path and p not in gone]
        if None in edits or None in added or len({item.index_no for item in added}) != len(added):
            return None  # (two new files with one 索引号: the full build says which)
        specs = {spec.url: spec for old, _ in edits for spec in self.index.pages_of(old)}
        if not all(map(self.build.can_rewrite, specs.values())):
            return None
        for old, new in edits:
            for field in dataclasses.fields(Item):  # what reread let differ: the text, or (provisional) more
                setattr(old, field.name, getattr(new, field.name))
            for spec in self.index.pages_of(old):
                if spec.context.get("item") is old:  # the item's own page is titled after it
                    spec.title = old.title
        pages: dict[str, str | None] = {url: self.build.rewrite(spec) for url, spec in specs.items()}
        pages.update((self.by_path[p].url, None) for p in gone)
        for path, item in zip(fresh, added):
            self.shown[path] = item
            spec = self.build.plan.item_page(item)
            pages[spec.url] = self.build.rewrite(spec)
            pages.update((spec.url, self.build.rewrite(spec)) for spec in self.column_pages(item))
        return pages
