"""The mapping file of `gkml import`: which spreadsheet column feeds which gkml field.

```yaml
工作表: 信息列表              # .xlsx only; default: the first sheet
表头行: 1                     # default: found automatically in the first 20 rows
列:                           # spreadsheet header -> gkml field (or several; first non-empty source wins)
  信息名称: 标题
  成文日期: [成文日期, 生成日期]
  发布时间: [发布日期, {字段: 生成日期, 备用: true}]   # 成文日期为空时，生成日期取发布时间
  url:
    - 原文链接
    - {字段: 发布日期, 提取: '/t(\\d{8})_', 备用: true}
  正文: {字段: 正文, 可选: true}
忽略: [status]                # columns deliberately not imported
栏目对照: {公示公告: qtwj}     # value of the 栏目 column -> leaf column code
默认值: {公开方式: 主动公开, 内容概述: "{标题}", 发布机构: "{单位}"}
日期格式: ["%d/%m/%Y"]         # extra strptime formats
匹配: [标题, 文号, 生成日期]    # what identifies the same item on a re-run
附件目录: 附件/                # where attachment paths start; default: the spreadsheet's folder
迁移: {平台: 中国示例, 核对人: 王某, 日期: 2026-11-20, 网站名称: [示例在线]}  # the migration, declared once
发布机构对照: {区管委会: 示例区管理委员会}   # publisher values of the old platform -> issuer names
```
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report
from ..catalogue.fields import Fields, suggest
from ..catalogue.load import read_mapping
from ..catalogue.validate_items import FIELD_SYNONYMS, ITEM_KEYS
from .sheet import norm_header

# Fields a column can feed: the item's own (nested ones by their parts), plus three that are not
# front matter: 正文 (the body), 原文链接 (a link to the original page, written into the body) and
# 附件 (paths of attachment files, copied into the catalogue).
NESTED = {"保密审查": ("审查人", "日期"), "迁移": ("平台", "原网址", "核对人", "日期"),
          "个人信息豁免": ("理由", "审查人", "日期")}
PSEUDO = ("正文", "原文链接")
TARGETS: tuple[str, ...] = tuple(
    k for key in ITEM_KEYS for k in ([f"{key}.{p}" for p in NESTED[key]] if key in NESTED else [key])) + PSEUDO
DATE_FIELDS = frozenset({"生成日期", "成文日期", "发布日期", "废止日期", "公开截止", "保密审查.日期", "迁移.日期", "个人信息豁免.日期"})
DEFAULT_MATCH = ("标题", "文号", "生成日期")
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class MappingError(Exception):
    """The mapping file cannot be used; `report` says why, with lines."""

    def __init__(self, report: Report):
        super().__init__(report.summary())
        self.report = report


@dataclass(frozen=True)
class Source:
    header: str  # normalised spreadsheet header
    pattern: re.Pattern | None = None  # take group 1 (or the whole match) of this regex
    fallback: bool = False  # used only when every other source of the field is empty


@dataclass
class Mapping:
    path: Path
    sheet: str | None = None
    header_row: int | None = None
    fields: dict[str, list[Source]] = field(default_factory=dict)  # target -> sources, in mapping order
    optional: set[str] = field(default_factory=set)  # headers that may be missing from the sheet
    ignored: set[str] = field(default_factory=set)
    columns: dict[str, str] = field(default_factory=dict)  # normalised 栏目 name -> column code
    defaults: dict[str, object] = field(default_factory=dict)  # target -> value (may hold {placeholders})
    date_formats: tuple[str, ...] = ()
    match: tuple[str, ...] = DEFAULT_MATCH
    attachment_dir: Path | None = None
    migration: dict[str, object] = field(default_factory=dict)  # 迁移.平台/核对人/日期 for every row
    site_names: tuple[str, ...] = ()  # the old website's own names: never a publisher
    publishers: dict[str, str] = field(default_factory=dict)  # 发布机构对照: old value -> issuer name

    @property
    def headers(self) -> list[str]:
        seen: dict[str, None] = {}
        for sources in self.fields.values():
            for s in sources:
                seen.setdefault(s.header)
        return list(seen)

    def headers_of(self, target: str) -> list[str]:
        """The spreadsheet headers that feed `target` (or, for 保密审查, any of its parts)."""
        top = target.split(".")[0]
        return [s.header for t, sources in self.fields.items() if t == target or t.split(".")[0] == top
                for s in sources]


def canonical(name: str) -> str | None:
    """The gkml field a mapping names (synonyms such as 发文字号 accepted), or None."""
    name = name.strip()
    head, dot, rest = name.partition(".")
    head = FIELD_SYNONYMS.get(head, head)
    name = head + dot + rest
    return name if name in TARGETS or name in NESTED or name == "附件" else None


def load_mapping(path: Path | str) -> Mapping:
    """Read and check a mapping file; raise MappingError with every problem found."""
    path = Path(path).absolute()
    report = Report(base=Path.cwd())
    if not path.is_file():
        report.error(path, None, "mapping-missing", "映射文件不存在；请用 --mapping 指定映射文件（.yml）")
        raise MappingError(report)
    doc = read_mapping(path, path.parent, report)
    if doc is None:
        raise MappingError(report)
    f = Fields(doc, path, report)
    f.unknown_keys(("工作表", "表头行", "列", "忽略", "栏目对照", "默认值", "日期格式", "匹配", "附件目录", "迁移", "发布机构对照"))
    m = Mapping(path=path, sheet=f.text("工作表") or None)
    if f.has("表头行"):
        m.header_row = f.integer("表头行", 1, 1, 1000)
    _read_columns(f, m)
    m.ignored = {norm_header(h) for h in f.string_list("忽略")}
    _read_column_table(f, m)
    _read_defaults(f, m)
    m.date_formats = tuple(_date_formats(f))
    if f.has("匹配"):
        m.match = tuple(_match(f, m)) or DEFAULT_MATCH
    if f.has("附件目录"):
        m.attachment_dir = (path.parent / f.text("附件目录")).resolve()
    _read_migration(f, m)
    table = f.mapping("发布机构对照")
    for old, name in (table.data.items() if table is not None else ()):
        if not isinstance(name, str) or not name.strip():
            table.error(str(old), "mapping-publisher", f"「{old}」应对应一个发文机关全称，如「{old}: 示例区管理委员会」")
        else:
            m.publishers[str(old).strip()] = name.strip()
    if report.errors:
        raise MappingError(report)
    return m


def _read_columns(f: Fields, m: Mapping) -> None:
    columns = f.mapping("列", True, "表头 → gkml 字段，如「信息名称: 标题」")
    if columns is None:
        return
    for header, spec in columns.data.items():
        key = norm_header(str(header))
        where = columns.label(str(header))
        entries = spec if isinstance(spec, list) else [spec]
        for i, entry in enumerate(entries):
            line = f.doc.line(where, i) if isinstance(spec, list) else f.doc.line(where)
            pattern, target, fallback = None, entry, False
            if isinstance(entry, dict):
                unknown = set(entry) - {"字段", "提取", "可选", "备用"}
                if unknown:
                    f.report.error(f.path, line, "mapping-key", f"列「{header}」中有未知的键「{'、'.join(sorted(unknown))}」；"
                                   "可用：字段、提取（正则表达式）、可选（true：表格中可以没有这一列）、"
                                   "备用（true：同一字段的其他列都为空时才用这一列）", "列")
                target = entry.get("字段")
                if entry.get("可选") is True:
                    m.optional.add(key)
                fallback = entry.get("备用") is True
                if entry.get("提取") not in (None, ""):
                    try:
                        pattern = re.compile(str(entry["提取"]))
                    except re.error as exc:
                        f.report.error(f.path, line, "mapping-regex", f"列「{header}」的「提取」不是有效的正则表达式：{exc}", "列")
            if not isinstance(target, str) or not target.strip():
                f.report.error(f.path, line, "mapping-target", f"列「{header}」应写 gkml 字段名，或「{{字段: 字段名, 提取: 正则}}」", "列")
                continue
            name = canonical(target)
            if name is None or name in NESTED:
                hint = f"；「{target}」有下级字段，请写 {'、'.join(f'{target}.{p}' for p in NESTED[target])}" \
                    if name in NESTED else suggest(target, TARGETS)
                f.report.error(f.path, line, "mapping-target", f"列「{header}」对应的「{target}」不是 gkml 字段" + hint
                               + f"；可用的字段：{'、'.join(TARGETS)}、附件", "列")
                continue
            m.fields.setdefault(name, []).append(Source(key, pattern, fallback))
    for sources in m.fields.values():
        sources.sort(key=lambda source: source.fallback)  # stable: mapping order, fallbacks last


def _read_column_table(f: Fields, m: Mapping) -> None:
    table = f.mapping("栏目对照")
    if table is None:
        return
    for name, code in table.data.items():
        if not isinstance(code, str) or not code.strip():
            table.error(str(name), "mapping-column", f"栏目「{name}」应对应一个末级栏目代码，如 qtwj")
            continue
        m.columns[norm_header(str(name))] = code.strip()


def _read_defaults(f: Fields, m: Mapping) -> None:
    defaults = f.mapping("默认值")
    if defaults is None:
        return
    for key, value in defaults.data.items():
        name = canonical(str(key))
        if name is None or name == "附件":
            defaults.error(str(key), "mapping-default", f"「默认值」中的「{key}」不是 gkml 字段" + suggest(str(key), TARGETS))
            continue
        if name in NESTED:
            if not isinstance(value, dict):
                defaults.error(str(key), "mapping-default", f"「{name}」的默认值应写成「{{{'、'.join(NESTED[name])}}}」这样的键值对")
                continue
            for part, sub in value.items():
                if part not in NESTED[name]:
                    defaults.error(str(key), "mapping-default", f"「{name}」没有「{part}」；可写：{'、'.join(NESTED[name])}")
                else:
                    m.defaults[f"{name}.{part}"] = sub
            continue
        if isinstance(value, (dict, list)) and name != "关键词":
            defaults.error(str(key), "mapping-default", f"「{name}」的默认值应为一段文字")
            continue
        m.defaults[name] = value
    for name, value in m.defaults.items():
        for ref in PLACEHOLDER.findall(value if isinstance(value, str) else ""):
            if ref != "单位" and canonical(ref) is None:
                defaults.error(name.split(".")[0], "mapping-placeholder",
                               f"默认值「{value}」中的「{{{ref}}}」无法识别；可引用 {{单位}}（单位名称）或其他字段，如 {{标题}}")


def _read_migration(f: Fields, m: Mapping) -> None:
    """迁移: the old platform, who checked the batch and when; written into every imported item."""
    record = f.mapping("迁移")
    if record is None:
        return
    record.unknown_keys({"平台", "核对人", "日期", "网站名称"})
    why = "迁移记录说明这批信息来自哪个平台、由谁在哪天核对过"
    platform = record.text("平台", True, "原平台（网站）的名称；" + why)
    checker = record.text("核对人", True, "核对这批信息的人；" + why)
    day = record.date("日期", True, "核对的日期，如 2026-11-20；" + why)
    if platform and checker and day:
        m.migration = {"迁移.平台": platform, "迁移.核对人": checker, "迁移.日期": day}
    m.site_names = tuple(n for n in [platform, *record.string_list("网站名称")] if n)
    if "保密审查.日期" in m.defaults:
        f.warning("迁移", "mapping-review-default", "写了「迁移」，「默认值」中就不要再写保密审查：迁移前已发布的信息由迁移记录说明，"
                  "补写的审查日期晚于发布日期，每条都会得到「审查晚于发布」的警告")


def _date_formats(f: Fields):
    value = f.data.get("日期格式")
    for i, fmt in enumerate([value] if isinstance(value, str) else [str(x) for x in f.sequence("日期格式")]):
        try:
            dt.datetime.strptime(dt.date(2024, 3, 5).strftime(fmt), fmt)
        except ValueError:
            f.report.error(f.path, f.doc.line("日期格式", i), "mapping-date-format",
                           f"日期格式「{fmt}」无效；应为 strptime 格式，如 %Y年%m月%d日、%d/%m/%Y", "日期格式")
            continue
        yield fmt


def _match(f: Fields, m: Mapping):
    for name in f.string_list("匹配"):
        target = canonical(name)
        if target is None or target in NESTED or target == "附件":
            f.error("匹配", "mapping-match", f"「匹配」中的「{name}」不是可用于识别信息的字段；可用：标题、文号、生成日期、原文链接、索引号等")
            continue
        yield target
