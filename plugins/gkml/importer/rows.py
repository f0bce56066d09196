"""One spreadsheet row -> the item file it would become: field values cleaned and defaulted, the
body, attachment files, and the key that recognises the same item when the import is run again."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue.editor import default_topic
from ..catalogue.fields import short
from ..catalogue.identifiers import check_docno, is_no_docno
from ..catalogue.model import Item, Taxonomy
from ..catalogue.validate_items import ITEM_KEYS
from ..catalogue.vocab import GENRE_ALIASES, GENRES
from .changes import Changes
from .mapping import DATE_FIELDS, NESTED, PLACEHOLDER, Mapping
from .publishers import Publishers
from .sheet import (Note, SheetRow, clean_body, clean_code, clean_line, is_empty_marker, norm_header, parse_date,
                    plain)

DEFAULT_ORIGIN = "默认值"
MIGRATION_ORIGIN = "映射文件的「迁移」"
EMPTY_MARKER = "「无」「/」等表示没有的值视为空"
DATE_REWRITTEN = "日期改写为 YYYY-MM-DD"
DOCNO_BRACKETS = "文号的年份括号改为〔〕"
DOCNO_TIDY = "文号去掉空格、「第」和序号前的 0"
FILLED_DEFAULT = "表格中为空，按映射文件的「默认值」填写"
FILLED_TOPIC = "表格中没有，按栏目的预期主题填写"
FILLED_GENRE = "表格中没有，按标题末尾的公文种类填写"
FILLED_OTHER = "表格中没有，标题看不出公文种类，填为「其他」"
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")
_PATH_SPLIT = re.compile(r"[;；|\n]+")
_TRUE, _FALSE = ("是", "true", "True", "TRUE", "1", "草稿", "y", "Y"), ("否", "false", "False", "FALSE", "0", "n", "N")
# The Item attribute of each field that can identify an item already in the catalogue.
ITEM_ATTRS = {"索引号": "index_no", "标题": "title", "文号": "doc_no", "生成日期": "generated", "成文日期": "written",
              "发布日期": "published", "发布机构": "publisher", "栏目": "column"}


@dataclass
class Problem:
    """Why a row cannot be imported, or what to look at: a Chinese message about one field."""

    code: str
    message: str
    field: str | None = None
    level: str = "error"


@dataclass
class Draft:
    row: int
    values: dict[str, object] = field(default_factory=dict)  # target -> str | date | list | bool
    origin: dict[str, str] = field(default_factory=dict)  # target -> header it came from, or 默认值
    attachments: list[Path] = field(default_factory=list)  # source files
    problems: list[Problem] = field(default_factory=list)
    key: str = ""
    explain: dict[str, str] = field(default_factory=dict)  # target -> why its 提取 rules found nothing

    def text(self, target: str) -> str:
        value = self.values.get(target)
        return value.isoformat() if isinstance(value, dt.date) else plain(value) if value is not None else ""

    @property
    def generated(self) -> dt.date | None:
        value = self.values.get("生成日期")
        return value if isinstance(value, dt.date) else None


@dataclass
class Context:
    mapping: Mapping
    taxonomy: Taxonomy
    unit_name: str
    epoch: dt.datetime
    attachment_dir: Path
    publishers: Publishers
    changes: Changes = field(default_factory=Changes)
    unknown_publishers: dict[str, list[int]] = field(default_factory=dict)  # not in the registry -> rows


# -- cleaning one value -------------------------------------------------------------------------
def _emptied(text: str, note: Note | None) -> str:
    if is_empty_marker(text):
        if note is not None:
            note(EMPTY_MARKER, text, "")
        return ""
    return text


def clean_value(target: str, raw, ctx: Context, note: Note | None = None):
    """The cleaned value of `target`, or "" / [] when the cell means nothing; `note` hears of
    every change made (for the import report)."""
    if target in DATE_FIELDS:
        date = parse_date(raw, ctx.mapping.date_formats, ctx.epoch)
        if date is not None:
            if note is not None and isinstance(raw, str) and raw.strip() != date.isoformat():
                note(DATE_REWRITTEN, raw, date.isoformat())
            return date
        return _emptied(clean_line(raw, note), note)  # not a date: kept as typed, so the validator names it
    if target == "正文":
        return _emptied(clean_body(raw), note)
    if target == "原文链接":
        text = plain(raw).strip()
        return "" if not text else _emptied(text.split()[0], note)
    if target == "索引号":
        return _emptied(clean_code(raw), note)
    if target == "文号":
        return clean_docno(raw, note)
    if target == "关键词":
        return [w for w in _LIST_SPLIT.split(clean_line(raw, note)) if w and not is_empty_marker(w)]
    if target == "附件":
        return [p.strip() for p in _PATH_SPLIT.split(plain(raw)) if p.strip() and not is_empty_marker(p)]
    if target == "草稿":
        text = clean_line(raw)
        return True if text in _TRUE else False if text in _FALSE or not text else text
    if target == "原索引号":
        return _emptied(plain(raw).strip(), note)  # kept exactly as the old platform published it
    return _emptied(clean_line(raw, note), note)


_YEAR_BRACKETS = re.compile(r"[【\[（(［﹝〈｛{〖「『<《](\d{4})[】\]）)］﹞〉｝}〗」』>》]")


def clean_docno(raw, note: Note | None = None) -> str:
    """A 文号 as issued: 「无」 made empty, the year's brackets made 〔〕, spaces, 「第」 and leading
    zeros of the serial dropped; nothing is added (no 号 the source lacks)."""
    text = clean_line(raw, note)
    if not text:
        return ""
    if is_no_docno(text) or is_empty_marker(text):
        if note is not None:
            note(EMPTY_MARKER, text, "")
        return ""
    tidy = re.sub(r"([〕\]】）)])\s*第?\s*0*(\d)", r"\1\2", text.replace(" ", ""))
    if tidy != text and note is not None:
        note(DOCNO_TIDY, text, tidy)
    fixed = _YEAR_BRACKETS.sub(r"〔\1〕", tidy)
    if fixed != tidy and note is not None:
        note(DOCNO_BRACKETS, tidy, fixed)
    return fixed


def genre_from_title(title: str) -> str:
    """The 公文种类 a title ends with (「…的通知」 -> 通知), or ""."""
    title = title.rstrip("。.）) ")
    names = sorted([g for g in GENRES if g != "其他"] + [a for a in GENRE_ALIASES if len(a) > 1], key=len, reverse=True)
    for name in names:
        if title.endswith(name):
            return GENRE_ALIASES.get(name, name)
    return ""


# -- one row ------------------------------------------------------------------------------------
def build_draft(row: SheetRow, ctx: Context) -> Draft:
    m = ctx.mapping
    draft = Draft(row.number)
    for target, sources in m.fields.items():
        missed = []  # 提取 rules that found nothing, to say so if the field stays empty
        for source in sources:
            raw = row.cells.get(source.header)
            if raw is None:
                continue
            if source.pattern is not None:
                found = source.pattern.search(plain(raw))
                if not found:
                    missed.append(f"列「{source.header}」的值「{short(plain(raw), 80)}」不符合「提取」规则 {source.pattern.pattern}")
                    continue
                raw = found.group(1) if found.groups() else found.group(0)
            value = clean_value(target, raw, ctx, ctx.changes.noter(row.number, target))
            if value not in ("", None, []):
                draft.values[target], draft.origin[target] = value, source.header
                break
        else:
            if missed:
                draft.explain[target] = "；".join(missed)
    for target, value in m.defaults.items():
        if target != "发布机构" and draft.values.get(target) in (None, "", []):
            value = _fill(value, draft, ctx) if isinstance(value, str) else value
            value = clean_value(target, value, ctx)
            if value not in ("", None, []):
                draft.values[target], draft.origin[target] = value, DEFAULT_ORIGIN
                ctx.changes.add(draft.row, target, FILLED_DEFAULT, "", draft.text(target))
    _formulas(draft)
    _publisher(draft, ctx)
    if m.migration and (docno := draft.text("文号")) and check_docno(docno):
        draft.problems.append(Problem("import-docno-kept", f"文号「{docno}」不合现行格式，按原平台的写法保留（迁移来的历史"
                                      "信息不改写；gkml check 不对它报错）；如确是录入错误，请对照原件在表格中改正", "文号", "warning"))
    for target, value in m.migration.items():
        draft.values[target], draft.origin[target] = value, MIGRATION_ORIGIN
    if m.migration and draft.text("原文链接"):
        draft.values["迁移.原网址"], draft.origin["迁移.原网址"] = draft.text("原文链接"), draft.origin["原文链接"]
    _column(draft, ctx)
    column = ctx.taxonomy.by_code.get(draft.text("栏目"))
    if m.migration and column is not None and column.interpretation and not draft.text("政策解读"):
        draft.problems.append(Problem("import-interpretation-unlinked", "政策解读栏目中的信息没有写明所解读文件（政策解读）；"
                                      "原平台没有记录，导入后可逐条补写所解读文件的索引号", "政策解读", "warning"))
    if not draft.values.get("主题分类") and (col := ctx.taxonomy.by_code.get(draft.text("栏目"))):
        draft.values["主题分类"], draft.origin["主题分类"] = default_topic(col.topics), f"栏目「{col.name}」的预期主题"
        ctx.changes.add(draft.row, "主题分类", FILLED_TOPIC, "", draft.text("主题分类"))
    if not draft.values.get("体裁") and draft.text("标题"):
        draft.values["体裁"] = genre_from_title(draft.text("标题")) or "其他"
        draft.origin["体裁"] = "标题" if draft.values["体裁"] != "其他" else DEFAULT_ORIGIN
        ctx.changes.add(draft.row, "体裁", FILLED_GENRE if draft.values["体裁"] != "其他" else FILLED_OTHER,
                        draft.text("标题"), draft.text("体裁"))
    _attachments(draft, ctx)
    draft.key = match_key({t: draft.text(t) for t in m.match})
    if not draft.key:
        draft.problems.append(Problem("import-no-key", f"用于识别信息的字段（{'、'.join(m.match)}）都为空，"
                                      "重新导入时无法认出这一行；请补上，或在映射文件的「匹配」中换用其他字段", m.match[0]))
    return draft


def _publisher(draft: Draft, ctx: Context) -> None:
    """发布机构 checked against the issuers the office publishes; see publishers.py."""
    value = draft.text("发布机构")
    default = ctx.mapping.defaults.get("发布机构")
    default = clean_line(_fill(default, draft, ctx)) if isinstance(default, str) else ""
    found = ctx.publishers.resolve(value, draft.text("标题"), default)
    for name in found.unknown:
        ctx.unknown_publishers.setdefault(name, []).append(draft.row)
    if found.change:
        ctx.changes.add(draft.row, "发布机构", found.change, value, found.name)
    if found.name:
        draft.values["发布机构"] = found.name
        if found.name != value:
            origin = draft.origin.get("发布机构")
            draft.origin["发布机构"] = (DEFAULT_ORIGIN if found.name == default and "默认值" in found.change else
                                     "标题" if "标题" in found.change else origin or DEFAULT_ORIGIN)
    if found.error:
        draft.problems.append(Problem("import-publisher", found.error, "发布机构"))
    elif found.warning:
        draft.problems.append(Problem("import-publisher", found.warning, "发布机构", "warning"))


def _fill(template: str, draft: Draft, ctx: Context) -> str:
    return PLACEHOLDER.sub(lambda mt: ctx.unit_name if mt[1] == "单位" else draft.text(mt[1]), template)


def _column(draft: Draft, ctx: Context) -> None:
    value = draft.text("栏目")
    if not value:
        return
    code = ctx.mapping.columns.get(norm_header(value))
    if code is not None:
        draft.values["栏目"] = code
    elif value not in ctx.taxonomy.by_code:
        draft.problems.append(Problem(
            "import-column", f"栏目「{value}」在映射文件的「栏目对照」中没有对应的栏目代码；"
            f"请在「栏目对照」中加一行「{value}: 栏目代码」（末级栏目代码，如 qtwj）", "栏目"))


_FORMULA = re.compile(r"^(?:[=@\t\r]|[+-][^\d\s.])")  # OWASP CSV injection; +1 and -5 are numbers


def _formulas(draft: Draft) -> None:
    """A cell a spreadsheet would run as a formula is refused: it would reach the open-data CSV."""
    for target, value in draft.values.items():
        if isinstance(value, str) and _FORMULA.match(value):
            draft.problems.append(Problem("import-formula", f"「{target}」的值以「{value[0].strip() or '制表符'}」开头，"
                                          "是电子表格公式而不是文字；请在表格中把它改为公式的结果（复制后「选择性粘贴为数值」）", target))


def _attachments(draft: Draft, ctx: Context) -> None:
    for text in draft.values.pop("附件", []) or []:
        if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
            draft.problems.append(Problem("import-attachment-url", f"附件「{text}」是网址；gkml 不下载文件，"
                                          "请先把附件下载到本地，表格中写文件路径", "附件"))
            continue
        path = Path(text.replace("\\", "/"))
        path = path if path.is_absolute() else ctx.attachment_dir / path
        if not path.resolve().is_relative_to(Path(ctx.attachment_dir).resolve()):  # links resolved too
            draft.problems.append(Problem("import-attachment-outside", f"附件「{text}」不在附件文件夹 {ctx.attachment_dir} 之内；"
                                          "导入只读取该文件夹中的文件，请把附件复制进去，表格中写相对路径", "附件"))
            continue
        if not path.is_file():
            draft.problems.append(Problem("import-attachment-missing", f"附件文件「{text}」不存在（在 {ctx.attachment_dir} 下找不到）；"
                                          "请检查路径，或在映射文件中用「附件目录」指定附件所在的文件夹", "附件"))
            continue
        draft.attachments.append(path)


def match_key(values: dict[str, str]) -> str:
    """16 hex digits naming an item by the values of the 匹配 fields; "" when they are all empty."""
    if not any(values.values()):
        return ""
    text = "\x1f".join(f"{k}={v}" for k, v in values.items())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def item_key(item: Item, match: tuple[str, ...]) -> str:
    """The key of an item already in the catalogue, from its fields (when every 匹配 field is one)."""
    if any(t not in ITEM_ATTRS for t in match):
        return ""
    values = {}
    for t in match:
        value = getattr(item, ITEM_ATTRS[t])
        values[t] = value.isoformat() if isinstance(value, dt.date) else (value or "")
    return match_key(values)


# -- the file -----------------------------------------------------------------------------------
KEY_COMMENT = "# 导入键: "
KEY_RE = re.compile(r"^# 导入键: ([0-9a-f]{16})\b", re.MULTILINE)


def q(text: str) -> str:
    """A YAML scalar that stays a string whatever it contains."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(q(v) for v in value) + "]"
    return q(str(value))


def render_item(values: dict[str, object], key: str, match: tuple[str, ...], index_no: str,
                attachments: list[dict], body: str, extra: dict | None = None) -> str:
    """The item file: the import key, front matter in the order of the format (then any fields an
    editor added that gkml does not know, kept as they were), then the body."""
    lines = ["---", f"{KEY_COMMENT}{key}（{'+'.join(match)}；gkml import 据此识别同一条信息，请勿删改此行）"]
    for name in ITEM_KEYS:
        if name == "索引号":
            lines.append(f"索引号: {q(index_no)}")
        elif name == "附件":
            if attachments:
                lines.append("附件:")
                for entry in attachments:
                    lines.append(f"  - 文件: {q(entry['文件'])}")
                    lines += [f"    {k}: {_scalar(v)}" for k, v in entry.items() if k != "文件" and v not in (None, "")]
        elif name in NESTED:
            parts = [(p, values[f"{name}.{p}"]) for p in NESTED[name] if values.get(f"{name}.{p}") not in (None, "")]
            if parts:
                lines.append(f"{name}:")
                lines += [f"  {p}: {_scalar(v)}" for p, v in parts]
        elif values.get(name) not in (None, "", []):
            lines.append(f"{name}: {_scalar(values[name])}")
    for name, value in (extra or {}).items():
        lines.append(f"{q(name)}: {json.dumps(value, ensure_ascii=False, default=str)}")
    lines.append("---")
    body = body.strip("\n")
    return "\n".join(lines) + "\n\n" + (body + "\n" if body else "")


def draft_body(draft: Draft, existing: str = "") -> str:
    """The body: the 正文 column when the row has one; a link to the original page is added unless
    the body already names it; otherwise what the file already says."""
    body = draft.text("正文") or existing.strip("\n")
    link = draft.text("原文链接")
    if link and link not in body and not draft.values.get("迁移.平台"):  # a migrated item's 迁移 record holds it
        body = (body + "\n\n" if body else "") + f"原文链接：<{link}>"
    return body


LINK_MOVED = "指向旧平台网址的链接改为新页面"


def link_moved(body: str, here: str, moved: dict[str, tuple[str, str]], note: Note | None = None) -> str:
    """The body with links to old-platform addresses of migrated items pointing at their new pages
    instead (relative to `here`, the page URL of the item the body belongs to). `moved` maps an old
    address to (new page URL, title). Markdown links keep their text; bare and <…> addresses
    become links named by the item's title."""
    if not moved or "://" not in body:
        return body
    folder = posixpath.dirname(here)

    def target(url: str) -> str | None:
        found = moved.get(url)
        return posixpath.relpath(found[0], folder) if found else None

    def markdown(m: re.Match) -> str:
        new = target(m[2])
        return f"{m[1]}({new})" if new else m[0]

    def bare(m: re.Match) -> str:
        url = m[1] or m[2]
        new = target(url)
        title = re.sub(r"([\\\[\]])", r"\\\1", moved[url][1]) if new else ""
        return f"[{title}]({new})" if new else m[0]

    out = _MD_LINK.sub(markdown, body)
    out = _BARE_URL.sub(bare, out)
    if out != body and note is not None:
        note(LINK_MOVED, body, out)
    return out


_MD_LINK = re.compile(r"(\[[^\]\n]*\])\((https?://[^)\s]+)\)")
_BARE_URL = re.compile(r"<(https?://[^>\s]+)>|(?<![(\[<\w/])(https?://[^\s<>()\[\]，。；、）]+)")
