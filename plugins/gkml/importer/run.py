"""One import: read the sheet, recognise items imported before, give new rows the next free 索引号,
write every row as the item file it would become into a staging copy, validate those files with
the real validator (the same rules as `gkml check`, across the whole catalogue), and write into
the catalogue only the rows that pass."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..diagnostics import ERROR, Report
from ..catalogue.editor import index_nos_in_files
from ..catalogue.identifiers import format_index_no, next_serial, period_of
from ..catalogue.load import RawDoc, read_item, walk_files
from ..catalogue.model import Catalogue, Item, Unit
from ..catalogue.validate import read_item_file, check_catalogue, load_catalogue
from ..catalogue.validate_items import ITEM_KEYS
from .mapping import NESTED, TARGETS, Mapping
from .changes import Changes, Tally
from .publishers import Publishers
from .rows import (DEFAULT_ORIGIN, KEY_RE, MIGRATION_ORIGIN, Context, Draft, Problem, build_draft, draft_body,
                   item_key, link_moved, render_item)
from .sheet import read_sheet

Progress = Callable[[Iterable, int, str], Iterable]
ADDED, UPDATED, UNCHANGED, REJECTED = "新增", "更新", "未变", "未导入"
_INDEX_LINE = re.compile(r'^索引号:\s*["\']?([^"\'#\n]+?)["\']?\s*(?:#.*)?$', re.MULTILINE)


class ImportFailure(Exception):
    """Nothing can be imported (the catalogue or the unit is unusable); the message says why."""


@dataclass
class RowOutcome:
    row: int
    action: str
    index_no: str = ""
    path: str = ""  # relative to the catalogue root
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # field -> where its value came from, for messages

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level != ERROR]


@dataclass
class ImportResult:
    source: Path
    unit: str
    dry_run: bool
    outcomes: list[RowOutcome]
    notes: list[str]
    ignored_columns: list[str]
    catalogue_errors: int
    changes: list[Tally] = field(default_factory=list)  # what cleaning did to the imported rows' values
    unknown_publishers: dict[str, list[int]] = field(default_factory=dict)  # imported rows' issuers not registered

    def count(self, action: str) -> int:
        return sum(o.action == action for o in self.outcomes)

    @property
    def rejected(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == REJECTED]


@dataclass
class _Existing:
    path: Path
    unit: str
    index_no: str
    key: str


@dataclass
class _Plan:
    draft: Draft
    existing: _Existing | None = None
    index_no: str = ""
    rel: str = ""
    text: str = ""
    attachments: list[tuple[str, Path]] = field(default_factory=list)  # (path relative to the item folder, source)


def _no_progress(items: Iterable, length: int, label: str) -> Iterable:
    return items


def run_import(source: Path, mapping: Mapping, root: Path, unit_id: str, dry_run: bool = False,
               today: dt.date | None = None, progress: Progress = _no_progress) -> ImportResult:
    root = Path(root).absolute()
    today = today or dt.date.today()
    catalogue, report = load_catalogue(root, today=today)
    if catalogue is None:
        raise ImportFailure("目录无法读取，请先运行 gkml check 修正：" + "；".join(d.format() for d in report.errors[:3]))
    unit = catalogue.units.get(unit_id)
    if unit is None:
        raise ImportFailure(f"没有单位「{unit_id}」（{root.name}/units/ 下没有 {unit_id}.yml）；可选：{'、'.join(sorted(catalogue.units))}")
    sheet = read_sheet(source, mapping.headers, mapping.optional, mapping.sheet, mapping.header_row)
    site = catalogue.site
    publishers = Publishers(site.issuers, [u.name for u in catalogue.units.values()],
                            [*mapping.site_names, site.platform], mapping.publishers)
    ctx = Context(mapping, catalogue.taxonomy, unit.name, sheet.epoch, mapping.attachment_dir or sheet.path.parent.absolute(),
                  publishers)
    drafts = [build_draft(row, ctx) for row in progress(sheet.rows, len(sheet.rows), "读取")]
    importer = _Importer(catalogue, unit, mapping, today, ctx.changes)
    outcomes = importer.run(drafts, progress)
    if not dry_run:
        importer.write()
    ignored = [h for h in sheet.headers if h and h not in mapping.headers and h not in mapping.ignored]
    imported = {o.row for o in outcomes if o.action != REJECTED}
    unknown = {name: kept for name, rows in ctx.unknown_publishers.items() if (kept := [r for r in rows if r in imported])}
    return ImportResult(source, unit_id, dry_run, outcomes, sheet.notes, ignored, len(report.errors),
                        ctx.changes.only(imported), unknown)


class _Importer:
    def __init__(self, catalogue: Catalogue, unit: Unit, mapping: Mapping, today: dt.date, changes: Changes):
        self.cat, self.unit, self.mapping, self.today, self.changes = catalogue, unit, mapping, today, changes
        self.moved: dict[str, tuple[str, str]] = {}  # old-platform address -> (new page URL, title)
        self.root = catalogue.root
        self.files = self._scan()
        self.by_path = {f.path: f for f in self.files}
        # the unit's computed 年报 may be published under a 索引号 too (reports/<单位>/<年份>.md)
        self.taken = {f.index_no for f in self.files if f.index_no} | set(catalogue.by_index_no) \
            | set(index_nos_in_files(self.root / "reports" / unit.id))
        own = [f for f in self.files if f.unit == unit.id]
        self.by_index = {f.index_no: f for f in own if f.index_no}
        self.by_key = {f.key: f for f in own if f.key}
        for item in catalogue.items:  # items written before, by hand or by an older import, recognised by their fields
            if item.unit_id == unit.id and (key := item_key(item, mapping.match)) and item.path in self.by_path:
                self.by_key.setdefault(key, self.by_path[item.path])
        self.passing: list[_Plan] = []
        self.staging: Path | None = None
        self.staged: dict[str, tuple[str, Item | None, list]] = {}  # rel -> (text, item, its own diagnostics)

    def _scan(self) -> list[_Existing]:
        found = []
        for path in walk_files(self.root / "items", self.root, Report(), ".md"):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            head = text.split("\n---", 1)[0]
            index = _INDEX_LINE.search(head)
            key = KEY_RE.search(head)
            rel = path.relative_to(self.root / "items").parts
            found.append(_Existing(path, rel[0] if len(rel) > 1 else "", index[1].strip() if index else "",
                                   key[1] if key else ""))
        return found

    # -- deciding what each row becomes -----------------------------------------------------------
    def run(self, drafts: list[Draft], progress: Progress) -> list[RowOutcome]:
        outcomes = {d.row: RowOutcome(d.row, REJECTED, sources=_sources(d, self.mapping)) for d in drafts}
        plans = self._match(drafts, outcomes)
        with tempfile.TemporaryDirectory(prefix="gkml-import-") as tmp:
            self.staging = Path(tmp)
            while plans:
                self._allocate(plans)
                problems = self._validate(plans, progress)
                failed = {row for row, found in problems.items() if any(p.level == ERROR for p in found)}
                for plan in plans:
                    d = plan.draft
                    outcomes[d.row].problems = d.problems + [_explained(p, d) for p in problems.get(d.row, [])]
                if not failed:
                    break
                plans = [p for p in plans if p.draft.row not in failed]  # the rest again: numbers close up, links re-checked
            self.staging, self.staged = None, {}
        for plan in plans:
            out = outcomes[plan.draft.row]
            out.index_no, out.path = plan.index_no, plan.rel
            out.action = ADDED if plan.existing is None else UPDATED if self._changed(plan) else UNCHANGED
        self.passing = plans
        for out in outcomes.values():
            if out.action == REJECTED and not out.errors:
                out.problems.append(Problem("import-rejected", "未导入", None))
        return [outcomes[d.row] for d in drafts]

    def _match(self, drafts: list[Draft], outcomes: dict[int, RowOutcome]) -> list[_Plan]:
        plans, first_key, first_index, claimed = [], {}, {}, {}
        for d in drafts:
            out = outcomes[d.row]
            if any(p.level == ERROR for p in d.problems):
                out.problems = list(d.problems)
                continue
            given = d.text("索引号")
            if (other := first_key.get(d.key)) is not None:
                out.problems = [Problem("import-duplicate", f"与第 {other} 行是同一条信息（{'、'.join(self.mapping.match)}相同），"
                                        "没有重复导入；如果确实是两条信息，请在映射文件的「匹配」中加上能区分它们的字段（如 原文链接）",
                                        self.mapping.match[0])]
                continue
            if given and (other := first_index.get(given)) is not None:
                out.problems = [Problem("import-duplicate", f"索引号「{given}」与第 {other} 行相同；索引号在全平台必须唯一", "索引号")]
                continue
            existing = self.by_index.get(given) if given else None
            existing = existing or self.by_key.get(d.key)
            if existing is not None:
                if given and existing.index_no and given != existing.index_no:
                    out.problems = [Problem("import-index-changed", f"这一行与已有的 {existing.path.relative_to(self.root).as_posix()}"
                                            f"（索引号「{existing.index_no}」）是同一条信息，但索引号写作「{given}」；索引号发布后不得更改", "索引号")]
                    continue
                if (other := claimed.get(existing.path)) is not None:
                    out.problems = [Problem("import-duplicate", f"与第 {other} 行对应同一个文件 "
                                            f"{existing.path.relative_to(self.root).as_posix()}，没有重复导入", "索引号")]
                    continue
                claimed[existing.path] = d.row
            first_key[d.key] = d.row
            if given:
                first_index[given] = d.row
            plans.append(_Plan(d, existing))
        return plans

    def _allocate(self, plans: list[_Plan]) -> None:
        """索引号 for rows that have none, in row order, after the highest one in use; file names."""
        taken = self.taken | {p.draft.text("索引号") for p in plans if p.draft.text("索引号")}
        counters: dict[str, int] = {}
        used: set[Path] = {p.existing.path for p in plans if p.existing}
        site = self.cat.site
        for plan in plans:
            d = plan.draft
            if plan.existing is not None:
                plan.index_no = d.text("索引号") or plan.existing.index_no
            else:
                plan.index_no = d.text("索引号")
            if not plan.index_no:
                period = period_of(d.generated or self.today, site.index_period)
                if period not in counters:
                    counters[period] = next_serial(list(taken), self.unit.code, period)
                plan.index_no = format_index_no(self.unit.code, period, counters[period], site.serial_width)
                counters[period] += 1
            if plan.existing is not None:
                path = plan.existing.path
            else:
                folder = self.root / "items" / self.unit.id / str((d.generated or self.today).year)
                stem = re.sub(r"[^0-9A-Za-z-]", "", plan.index_no.rsplit("-", 1)[-1]) or "item"
                path, n = folder / f"{stem}.md", 1
                while path in used or path.exists():
                    n += 1
                    path = folder / f"{stem}-{n}.md"
            used.add(path)
            plan.rel = path.relative_to(self.root).as_posix()
        replaced = {p.existing.path for p in plans if p.existing}
        self.moved = {i.migration.address: (i.url, i.title) for i in self.cat.items
                      if i.migration is not None and i.migration.address and i.path not in replaced}
        self.moved |= {p.draft.text("迁移.原网址"): (f"item/{p.index_no}.html", p.draft.text("标题"))
                       for p in plans if p.draft.text("迁移.原网址")}

    # -- the files and their validation -----------------------------------------------------------
    def _render(self, plan: _Plan) -> None:
        d = plan.draft
        stem = Path(plan.rel).stem
        values, entries, body, extra = {}, [], "", {}
        if plan.existing is not None:
            raw = read_item(plan.existing.path, self.root, Report())
            if raw is not None:
                values, entries, extra = _existing_values(raw)
                body = raw.body
        for target, value in d.values.items():  # the sheet's own columns (and 迁移) win; defaults only fill gaps
            origin = d.origin.get(target, DEFAULT_ORIGIN)
            if origin in self.mapping.headers or origin == MIGRATION_ORIGIN or values.get(target) in (None, "", []):
                values[target] = value
        plan.attachments = []
        listed, this_row = {e.get("文件") for e in entries}, set()
        for source in d.attachments:
            rel, n = f"{stem}/{source.name}", 1
            while rel in this_row:
                n += 1
                rel = f"{stem}/{n}-{source.name}"
            this_row.add(rel)
            if rel not in listed:
                entries.append({"文件": rel})
                listed.add(rel)
            plan.attachments.append((rel, source))
        body = link_moved(draft_body(d, body), f"item/{plan.index_no}.html", self.moved,
                          self.changes.noter(d.row, "正文"))
        plan.text = render_item(values, d.key, self.mapping.match, plan.index_no, entries, body, extra)

    def _validate(self, plans: list[_Plan], progress: Progress) -> dict[int, list[Problem]]:
        """Stage every planned file and check it the way `gkml check` does. A file staged by an
        earlier pass with the same text is not written or read again."""
        report = Report()
        row_of: dict[str, int] = {}
        items: list[Item] = []
        planned = {p.rel for p in plans}
        for rel in [r for r in self.staged if r not in planned]:
            self._unstage(rel)
        for plan in progress(plans, len(plans), "检查"):
            self._render(plan)
            path = self.staging / plan.rel
            row_of[path.as_posix()] = plan.draft.row
            cached = self.staged.get(plan.rel)
            if cached is None or cached[0] != plan.text:
                self._unstage(plan.rel)
                own = Report()
                self._stage(plan, path)
                item = read_item_file(path, self.staging, self.cat.units, own, self.today)
                cached = self.staged[plan.rel] = (plan.text, item, own.items)
            report.items.extend(cached[2])
            if cached[1] is not None:
                items.append(cached[1])
        replaced = {p.existing.path for p in plans if p.existing}
        kept = [i for i in self.cat.items if i.path not in replaced]
        check_catalogue(Catalogue(self.root, self.cat.site, self.cat.taxonomy, self.cat.units, kept + items), report)
        found: dict[int, list[Problem]] = {}
        for d in report.items:
            row = row_of.get(d.path)
            if row is not None:
                found.setdefault(row, []).append(Problem(d.code, d.message, d.field, d.level))
        return found

    def _stage(self, plan: _Plan, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(plan.text, encoding="utf-8")
        for rel, source in plan.attachments:
            _place(source, path.parent / rel, link=True)
        if plan.existing is not None:  # attachments the item already had, so the file checks as it will be
            for rel in _attachment_files(plan.text):
                old = plan.existing.path.parent / rel
                if not (path.parent / rel).exists() and old.is_file():
                    _place(old, path.parent / rel, link=True)

    def _unstage(self, rel: str) -> None:
        if self.staged.pop(rel, None) is not None:
            path = self.staging / rel
            path.unlink(missing_ok=True)
            shutil.rmtree(path.with_suffix(""), ignore_errors=True)

    def _changed(self, plan: _Plan) -> bool:
        path = plan.existing.path
        try:
            if path.read_text(encoding="utf-8") != plan.text:
                return True
        except (OSError, UnicodeDecodeError):
            return True
        return any(not (path.parent / rel).is_file() or (path.parent / rel).read_bytes() != source.read_bytes()
                   for rel, source in plan.attachments)

    def write(self) -> None:
        for plan in self.passing:
            target = self.root / plan.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            for rel, source in plan.attachments:
                dest = target.parent / rel
                if not dest.is_file() or dest.read_bytes() != source.read_bytes():
                    _place(source, dest, link=False)
            if not target.is_file() or target.read_text(encoding="utf-8", errors="replace") != plan.text:
                tmp = target.with_name(f".{target.name}.gkml-import")
                tmp.write_text(plan.text, encoding="utf-8")
                os.replace(tmp, target)


def _explained(p: Problem, d: Draft) -> Problem:
    """A validator's message about a field the row left empty, with why its 提取 rules found nothing."""
    why = d.explain.get(p.field or "")
    return Problem(p.code, f"{p.message}（{why}）", p.field, p.level) if why and p.code == "required" else p


def _place(source: Path, dest: Path, link: bool) -> None:
    """Put a copy of `source` at `dest`: a hard link in the staging area where it can be, a real
    copy in the catalogue (so a later change to the export never reaches a published file)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            os.link(source, dest)
            return
        except OSError:
            pass
    tmp = dest.with_name(f".{dest.name}.gkml-import")
    shutil.copyfile(source, tmp)
    os.replace(tmp, dest)


def _attachment_files(text: str) -> list[str]:
    return re.findall(r'^  - 文件: "(.*)"$', text.split("\n---", 1)[0], re.MULTILINE)


def _existing_values(raw: RawDoc) -> tuple[dict, list[dict], dict]:
    """The fields of an item file, as import values; its attachment entries; fields gkml does not know."""
    values, entries, extra = {}, [], {}
    for key, value in raw.meta.data.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key in raw.meta.source:
            value = raw.meta.source[key]
        if key == "附件" and isinstance(value, list):
            entries = [dict(e) if isinstance(e, dict) else {"文件": str(e)} for e in value]
        elif key in NESTED and isinstance(value, dict):
            values.update({f"{key}.{p}": v for p, v in value.items() if p in NESTED[key]})
        elif key in ITEM_KEYS:
            values[key] = value
        else:
            extra[key] = value
    return values, entries, extra


def _sources(d: Draft, mapping: Mapping) -> dict[str, str]:
    """Where each field's value came from (or why it has none), in words, for messages about the row."""
    out = {}
    for target in {*TARGETS, *NESTED, "附件"}:
        origin = d.origin.get(target)
        if origin in mapping.headers:
            out[target] = f"列「{origin}」"
        elif origin == DEFAULT_ORIGIN:
            out[target] = "映射文件的「默认值」"
        elif origin:
            out[target] = origin
        elif headers := mapping.headers_of(target):
            out[target] = f"列「{'、'.join(headers)}」为空"
        elif target not in d.values:
            out[target] = "映射文件的「列」和「默认值」中都没有这一字段"
    return out
