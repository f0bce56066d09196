"""Stage 2: validate the whole catalogue and build the model from it.

`load_catalogue` reads every file, reports every problem in one run, and returns the model
built from what was valid. Callers decide what errors mean: `gkml check` prints them, the
build refuses to publish.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import partial
from itertools import chain
from pathlib import Path

from ..diagnostics import Report
from .check_cache import CheckCache, cache_file, context_key
from .fields import short, suggest
from .identifiers import parse_index_no, period_of
from .load import read_item, read_mapping, walk_files
from .model import Catalogue, Item, SiteConfig, Taxonomy, Unit
from .stamps import digest, stamp, stamps, unchanged
from .gates import gate_item, gate_settings
from ..terminal import shared_label
from .validate_config import read_site, read_taxonomy, read_unit
from .validate_items import read_item_fields
from ..workers import run_tasks, slices, workers_for
from .yamldoc import YamlDoc


class FileMemo:
    """Per-file work remembered between rebuilds in one process (`gkml serve`): an item file whose
    stamp, and whose attachments' stamps, have not changed gives the same Item and diagnostics,
    and the same publication-gate result for the same negative list."""

    def __init__(self):
        self._items: dict[str, tuple] = {}
        self._gates: dict[str, tuple] = {}

    def read_item(self, path: Path, root: Path, units: dict[str, Unit], report: Report, today: dt.date) -> Item | None:
        key = (stamp(path), today, path.relative_to(root).parts[1] in units)
        entry = self._items.get(str(path))
        if entry is None or entry[0] != key or not unchanged(entry[3]):
            sub = Report(base=report.base)
            item = read_item_file(path, root, units, sub, today)
            sources = [a.source for a in item.attachments] if item else []
            entry = self._items[str(path)] = (key, item, sub.items, stamps(sources))
        report.items.extend(entry[2])
        return entry[1]

    def stamp_of(self, item: Item) -> tuple | None:
        """The stamp its file had when this Item was read from it; None when the memo now holds
        another reading of the file (the preview re-read it since): then nobody knows which."""
        entry = self._items.get(str(item.path))
        return entry[0][0] if entry is not None and entry[1] is item else None

    def gates(self, item: Item, negative: list[re.Pattern], report: Report) -> None:
        read = self._items.get(str(item.path))  # the file's and its attachments' stamps
        key = (read and (read[0], tuple(read[3])), tuple(p.pattern for p in negative))
        entry = self._gates.get(str(item.path))
        if entry is None or entry[0] != key or key[0] is None:
            sub = Report(base=report.base)
            item.blocked = False
            _gates(item, negative, sub)
            entry = self._gates[str(item.path)] = (key, item.blocked, sub.items)
        item.blocked = entry[1]
        report.items.extend(entry[2])


def load_catalogue(root: Path | str, report: Report | None = None, today: dt.date | None = None,
                   memo: FileMemo | None = None, progress=None, cached: bool = False,
                   bodies: bool = True) -> tuple[Catalogue | None, Report]:
    """`progress(items, length, label)` wraps the loop over item files (a terminal bar). `cached`
    (`gkml check`): reuse, and keep for next time, what unchanged item files gave last time
    (check_cache.py); items taken from the cache have no body (their gates ran when they were read).
    Without `bodies` (`gkml check`: nothing it runs after the gates reads a body) no item keeps it."""
    root = Path(root).absolute()
    report = report if report is not None else Report(base=root.parent)
    today = today or dt.date.today()
    if not root.is_dir():
        report.error(root, None, "no-catalogue", "这是一个文件，不是目录文件夹；请指定 catalogue 文件夹" if root.exists()
                     else "目录不存在；请指定 catalogue 文件夹")
        return None, report
    site_doc = read_mapping(root / "site.yml", root, report) if (root / "site.yml").exists() else None
    if site_doc is None:
        if not (root / "site.yml").exists():
            report.error(root / "site.yml", None, "missing-file", "缺少平台设置文件 site.yml；见 README.md「一、平台设置」")
        return None, report
    site = read_site(site_doc, root / "site.yml", report)
    negative = site.negative_patterns
    gate_settings(site_doc, root / "site.yml", negative, report)
    tax_path = root / site.taxonomy_file
    tax_doc = read_mapping(tax_path, root, report) if tax_path.exists() else None
    if tax_doc is None:
        if not tax_path.exists():
            report.error(tax_path, None, "missing-file", f"缺少统一目录文件 {site.taxonomy_file}")
        return None, report
    taxonomy = read_taxonomy(tax_doc, tax_path, report)
    gate_settings(tax_doc, tax_path, negative, report)
    units = _read_units(root, site, taxonomy, report, site_doc.line("本级政府"))
    paths = walk_files(root / "items", root, report, ".md")
    if memo is not None:
        paths = progress(paths, len(paths), "读取条目") if progress is not None else paths
        items = [item for path in paths if (item := memo.read_item(path, root, units, report, today)) is not None]
    else:
        cache = _open_cache(root, site, today) if cached else None
        items = _read_items(paths, root, units, report, today, negative, progress, cache, bodies)
        if cache is not None:
            cache.save()
            report.reused = cache.reused
    catalogue = Catalogue(root, site, taxonomy, units, items)
    check_catalogue(catalogue, report, memo, gate=memo is not None)
    from ..annual import check_annual_inputs  # registers and narratives of the 年度报告 (annual/)
    check_annual_inputs(catalogue, report, today)
    return catalogue, report


def _open_cache(root: Path, site: SiteConfig, today: dt.date) -> CheckCache | None:
    file = cache_file(root)
    if file is None:
        return None
    settings = [p for p in root.iterdir() if p.suffix in (".yml", ".yaml")] + [root / site.taxonomy_file]
    settings += (root / "units").rglob("*.yml") if (root / "units").is_dir() else []
    return CheckCache(file, context_key(settings), today)


def _read_items(paths: list[Path], root: Path, units: dict[str, Unit], report: Report, today: dt.date,
                negative: list[re.Pattern], progress=None, cache: CheckCache | None = None,
                bodies: bool = True) -> list[Item]:
    """Every item file read, checked on its own and gated, on all cores for a large catalogue;
    with a cache, only the files changed since it was written. A task carries its own slice of
    paths and plain data (picklable, for spawned workers); only the first, which runs here, shows
    the progress bar. Items come back in the order of `paths`, without their path (it is set here
    again: rebuilding Paths is much of unpickling a worker's results) and, unless `bodies`, without
    their body (most of an item's bytes)."""
    cached = [cache.get(path) for path in paths] if cache else [None] * len(paths)
    todo = [path for path, got in zip(paths, cached) if got is None]
    workers = workers_for(len(todo))
    tasks = []
    for n, part in enumerate(slices(len(todo), workers)):
        mine = todo[part.start:part.stop]
        if n == 0 and progress is not None:
            mine = progress(mine, len(mine), shared_label("读取条目", workers))
        tasks.append(partial(_read_part, mine, root, units, report.base, today, negative, cache is not None, bodies))
    fresh = chain.from_iterable(run_tasks(tasks))  # in the order of `todo`, which is that of `paths`
    items: list[Item] = []
    for path, got in zip(paths, cached):
        if got is None:
            item, diagnostics, files, latest = next(fresh)
            if item is not None:
                item.path = path
            if cache is not None and files is not None:
                cache.put(path, item, diagnostics, files, latest)
        else:
            item, diagnostics = got
        report.items.extend(diagnostics)
        if item is not None:
            items.append(item)
    return items


def _read_part(paths, root: Path, units: dict[str, Unit], base: Path | None, today: dt.date,
               negative: list[re.Pattern], record: bool = False, bodies: bool = True) -> list[tuple]:
    """(item or None, its diagnostics, what the check cache records of the files read or None, the
    latest date its rules compared with `today`) for each file: a file's result stands on its own;
    the item without its path (the caller has it) and, unless `bodies`, without its body. With
    `record`, the file's and its attachments' stamps, taken before they were read, and digests of
    their content; none when a stamp moved while they were read (an editor saving
    meanwhile), so a result is never recorded against content it was not made from."""
    out = []
    for path in paths:
        sub = Report(base=base)
        before = stamp(path) if record else None
        item = read_item_file(path, root, units, sub, today)
        sources = [a.source for a in item.attachments] if item is not None else []
        seen = [stamp(source) for source in sources] if record else []
        if item is not None:
            _gates(item, negative, sub)
        files = None
        if record:
            digests = [digest(f) for f in [path, *sources]]
            if [stamp(f) for f in [path, *sources]] == [before, *seen]:
                files = (before, digests[0], tuple(zip(sources, seen, digests[1:])))
        if item is not None:
            item.path = None
            if not bodies:
                item.body = ""
        out.append((item, sub.items, files, sub.latest))
    return out


def _read_units(root: Path, site: SiteConfig, taxonomy: Taxonomy, report: Report,
                gov_line: int | None = None) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    docs: dict[str, YamlDoc] = {}
    codes: dict[str, str] = {}
    for path in walk_files(root / "units", root, report, ".yml"):
        doc = read_mapping(path, root, report)
        unit = doc and read_unit(doc, path, report, taxonomy)
        if not unit:
            continue
        gate_settings(doc, path, site.negative_patterns, report)
        if unit.code in codes:
            report.error(path, doc.line("机构代码"), "duplicate-org-code",
                         f"机构代码与单位「{codes[unit.code]}」相同；每个单位的机构代码必须不同", "机构代码")
        codes[unit.code] = unit.id
        units[unit.id] = unit
        docs[unit.id] = doc
    for unit in units.values():
        if unit.parent_id and unit.parent_id not in units:
            report.error(unit.path, docs[unit.id].line("上级"), "unknown-unit",
                         f"上级单位「{unit.parent_id}」不存在（units/ 下没有这个文件）" + suggest(unit.parent_id, units), "上级")
    in_cycle = []
    for unit in units.values():
        chain = [unit.id]
        while (parent := units.get(chain[-1]).parent_id) in units and parent not in chain:
            chain.append(parent)
        if parent == unit.id:
            in_cycle.append(unit)
            report.error(unit.path, docs[unit.id].line("上级"), "unit-cycle",
                         f"上级单位形成了循环：{' → '.join(chain + [unit.id])}；请把其中一个改为真正的上级", "上级")
    for unit in in_cycle:  # pages walk up the parents; a loop must not reach them
        unit.parent_id = None
    gov = units.get(site.gov_unit)
    if site.gov_unit and gov is None:
        report.error(root / "site.yml", gov_line, "unknown-unit",
                     f"本级政府「{site.gov_unit}」在 units/ 下没有对应文件" + suggest(site.gov_unit, units), "本级政府")
    elif gov is not None and gov.kind != "县级政府":
        report.error(root / "site.yml", gov_line, "gov-kind", f"本级政府「{gov.name}」的类型应为「县级政府」", "本级政府")
    return units


def read_item_file(path: Path, root: Path, units: dict[str, Unit], report: Report, today: dt.date) -> Item | None:
    rel = path.as_posix()[len(root.as_posix()) + 1:]  # walk_files yields paths below root; pathlib is slow here
    rel_parts = rel.split("/")[1:]
    if len(rel_parts) != 3:
        report.error(path, None, "item-location", "条目应放在 items/<单位代码>/<年份>/<文件名>.md")
        return None
    unit_id, year_folder, _ = rel_parts
    if unit_id not in units:
        report.error(path, None, "unknown-unit", f"单位「{unit_id}」不存在（units/ 下没有 {unit_id}.yml）" + suggest(unit_id, units))
        return None
    raw = read_item(path, root, report)
    if raw is None:
        return None
    item = read_item_fields(raw, rel, unit_id, report, today)
    if item is None:
        return None
    if not re.fullmatch(r"\d{4}", year_folder):
        report.error(path, None, "item-location", f"年份文件夹「{year_folder}」应为四位年份，如 {item.year}")
    elif int(year_folder) != item.year:
        report.warning(path, item.lines.get("生成日期"), "year-folder",
                       f"条目在 {year_folder}/ 文件夹，但生成日期是 {item.year} 年；请移到 {item.year}/ 下", "生成日期")
    return item


def check_catalogue(cat: Catalogue, report: Report, memo: FileMemo | None = None, gate: bool = True) -> None:
    """Rules that need more than one file: identifiers, columns, links between items; and the
    gates, unless the items were gated as they were read (`gate=False`)."""
    gates = memo.gates if memo is not None else _gates
    seen: dict[str, Item] = {}
    seen_original: dict[str, Item] = {}
    negative = cat.site.negative_patterns if gate else []
    unit_names = {u.name for u in cat.units.values()}
    if gate:  # first: links must know which items the gates stop
        for item in cat.items:
            gates(item, negative, report)
    for item in cat.items:
        check_item(cat, item, report, seen, seen_original, unit_names)


def check_new_item(cat: Catalogue, item: Item, report: Report, also: list[Item] = ()) -> None:
    """The rules that need more than one file, for an item file the catalogue does not hold yet
    (the preview shows a new file's page before the full build checks everything again); `also`:
    other new files already shown so, which the catalogue does not hold either."""
    items = [*cat.items, *also]
    seen = {i.index_no: i for i in reversed(items)}  # the first holder of a number, as above
    seen_original = {i.original_index_no: i for i in reversed(items) if i.original_index_no}
    check_item(cat, item, report, seen, seen_original, {u.name for u in cat.units.values()})


def check_item(cat: Catalogue, item: Item, report: Report, seen: dict[str, Item], seen_original: dict[str, Item],
               unit_names: set[str]) -> None:
    """One item against the catalogue: `seen` and `seen_original` map the numbers of the items
    checked before it to their first holder."""
    unit = cat.units[item.unit_id]
    line = item.lines.get
    first = seen.setdefault(item.index_no, item)
    if first is not item:
        report.error(item.path, line("索引号"), "duplicate-index-no",
                     f"索引号「{item.index_no}」与 {first.rel} 重复；索引号在全平台必须唯一，可用 gkml new 取下一个", "索引号")
    if item.original_index_no and (first := seen_original.setdefault(item.original_index_no, item)) is not item:
        report.error(item.path, line("原索引号"), "duplicate-original-index-no",
                     f"原索引号「{short(item.original_index_no)}」与 {first.rel} 重复；同一个原索引号只能属于一条信息", "原索引号")
    parsed = parse_index_no(item.index_no)
    width = cat.site.serial_width
    expected = f"{unit.code}/{period_of(item.generated, cat.site.index_period)}-{'0' * (width - 1)}1"
    if parsed is None or len(item.index_no.rsplit("-", 1)[1]) != width \
            or len(parsed.period) != (6 if cat.site.index_period == "年月" else 4):
        report.error(item.path, line("索引号"), "index-format",
                     f"索引号「{short(item.index_no)}」格式不对；应为「机构代码/{'年月' if cat.site.index_period == '年月' else '年份'}-{width}位流水号」，如 {expected}",
                     "索引号")
    else:
        if parsed.prefix != unit.code:
            report.error(item.path, line("索引号"), "index-prefix",
                         f"索引号前段「{parsed.prefix}」应为本单位（{unit.name}）的机构代码 {unit.code}", "索引号")
        if parsed.period != period_of(item.generated, cat.site.index_period):
            report.warning(item.path, line("索引号"), "index-period",
                           f"索引号的日期段 {parsed.period} 与生成日期 {item.generated} 不符", "索引号")
    _check_column(cat, item, unit, report)
    _check_links(cat, item, report)
    if cat.site.issuers and item.migration is None:  # a migrated item's was judged when it was imported
        _check_publisher(item, cat.site.issuers, unit_names, report)


def _check_publisher(item: Item, issuers: dict[str, str], unit_names: set[str], report: Report) -> None:
    """Where site.yml keeps a 发文机关 register (gkml import starts one), every 发布机构 an editor
    writes is one of the platform's units or a registered issuer, in full; joint issuers are
    separated by spaces. A warning, not an error: a new issuer is legitimate once registered."""
    line = item.lines.get("发布机构")
    for part in item.publisher.split():
        full = issuers.get(part)
        if part in unit_names or full == part:
            continue
        if full:
            report.warning(item.path, line, "publisher-alias", f"发布机构「{part}」是「{full}」的简称（site.yml「发文机关」）；"
                           f"请写全称「{full}」", "发布机构")
        else:
            report.warning(item.path, line, "publisher-unknown", f"发布机构「{part}」不是本平台的单位，也没有登记在 site.yml 的"
                           "「发文机关」中" + (suggest(part, unit_names | set(issuers.values())) or "；")
                           + "请核对并写机关全称；确是新的发文机关的，把它（和常用简称）登记到「发文机关」", "发布机构")


def _check_column(cat: Catalogue, item: Item, unit: Unit, report: Report) -> None:
    line = item.lines.get("栏目")
    column = cat.taxonomy.by_code.get(item.column)
    if column is None:
        report.error(item.path, line, "unknown-column",
                     f"统一目录中没有栏目「{short(item.column)}」" + suggest(item.column, cat.taxonomy.by_code), "栏目")
    elif not column.is_leaf:
        report.error(item.path, line, "column-not-leaf",
                     f"「{column.name}」有下级栏目，信息只能放在末级栏目：{'、'.join(f'{c.code}（{c.name}）' for c in column.children)}", "栏目")
    elif not column.applies_to(unit.kind):
        report.error(item.path, line, "column-kind",
                     f"栏目「{column.name}」不适用于{unit.kind}（适用：{'、'.join(sorted(column.kinds)) or '无'}）；请换成本单位类型的栏目", "栏目")
    elif column.code in unit.not_applicable:
        report.error(item.path, line, "column-not-applicable",
                     f"本单位已把栏目「{column.name}」标为不适用；请换栏目，或从 units/{unit.id}.yml 的「不适用」中删除它", "栏目")
    else:
        if column.interpretation and not item.interprets and not item.migrated_history:  # the old platform never linked
            report.warning(item.path, line, "interpretation-target-missing",
                           "政策解读栏目中的信息应在「政策解读」字段写明所解读文件的索引号", "政策解读")
        if item.interprets and not column.interpretation:
            report.warning(item.path, item.lines.get("政策解读"), "interpretation-column",
                           f"写了「政策解读」，但栏目「{column.name}」不是政策解读栏目", "政策解读")


def _check_links(cat: Catalogue, item: Item, report: Report) -> None:
    for field_name, target in (("替代", item.replaced_by), ("政策解读", item.interprets)):
        if not target:
            continue
        line = item.lines.get(field_name)
        other = cat.by_index_no.get(target)
        if target == item.index_no:
            report.error(item.path, line, "self-link", f"「{field_name}」不能指向本条信息自己", field_name)
        elif other is None:
            report.error(item.path, line, "unknown-index-no",
                         f"「{field_name}」指向的索引号「{short(target)}」在平台上不存在" + suggest(target, cat.by_index_no), field_name)
        elif item.disclosure == "主动公开" and other.disclosure != "主动公开":
            report.error(item.path, line, "link-not-public",
                         f"「{field_name}」指向的「{other.title}」不是主动公开信息，公众无法打开", field_name)
        elif item.is_public and not other.is_public:
            report.error(item.path, line, "link-not-published",
                         f"「{field_name}」指向的「{other.title}」（{other.rel}）不会发布（{unpublished_reason(other)}），"
                         "公众无法打开；请先让它能够发布，或删去这一行", field_name)
        elif field_name == "替代" and other.replaced_by == item.index_no:
            report.error(item.path, line, "replacement-cycle",
                         f"本文件与「{other.title}」互相「替代」；替代只能由新文件替代旧文件，请删除其中一个的「替代」", field_name)
        elif field_name == "政策解读" and other.interprets:
            report.warning(item.path, line, "interprets-interpretation", "「政策解读」指向的也是一篇解读；应指向被解读的原文件", field_name)


def unpublished_reason(item: Item) -> str:
    """Why an item that is 主动公开 gets no page, in Chinese."""
    if item.draft:
        return "是草稿"
    if item.blocked:
        return "含有个人信息或负面清单内容"
    if not item.reviewed:
        return "没有保密审查记录"
    return "没有发布日期" if item.published is None else "不是主动公开"


def _gates(item: Item, negative: list[re.Pattern], report: Report) -> None:
    gate_item(item, negative, report)
