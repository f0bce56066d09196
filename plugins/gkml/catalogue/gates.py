"""Publication gates: personal data and the 负面清单 in every text that becomes output.

Items: every text field (the list below is checked against the Item class by a test, so a new
field cannot be forgotten), every attachment's 名称 and file name (a file name becomes a public
URL), and the text inside attachments. A hit blocks the item. A reviewed 个人信息豁免 lifts the
personal-data gate only; the negative list always applies.

Settings (site.yml, the taxonomy, units/*.yml): every string in the file, wherever it is, since
they reach the navigation, footers and guides of every page. A hit is an error, and errors stop
the build.

Texts are read twice: as typed and as a reader sees them (privacy.as_read), so entities, tags,
emphasis and other digit forms cannot hide a number or a word. Messages mask the numbers.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ..diagnostics import Report
from .model import Item
from .privacy import as_read, line_of, negative_hits, nothing_to_find, redact, scan_as_read

# Item attribute -> the front-matter field it comes from. Attributes left out on purpose:
# path, rel and unit_id come from the file's location (checked as slugs), the rest are not text.
ITEM_TEXT_FIELDS = {
    "index_no": "索引号", "original_index_no": "原索引号", "title": "标题", "summary": "内容概述", "publisher": "发布机构", "doc_no": "文号",
    "keywords": "关键词", "replaced_by": "替代", "reason": "不公开理由", "interprets": "政策解读", "column": "栏目",
    "genre": "体裁", "topic": "主题分类", "disclosure": "公开方式", "validity": "有效性", "scope": "公开范围",
    "term": "公开时限", "body": "正文",
}
NOT_GATED = frozenset({"path", "rel", "unit_id"})
SHOWN_PER_ATTACHMENT = 10
EXEMPTION_HINT = "确需公开的须在「个人信息豁免」中写明理由、审查人和日期"


def item_texts(item: Item):
    """(field, line, text, first line of a multi-line text) of every text of an item that is published."""
    lines = item.lines
    for attr, field_name in ITEM_TEXT_FIELDS.items():
        value = getattr(item, attr)
        if attr == "body":
            yield field_name, None, value, item.body_line
        elif isinstance(value, tuple):
            for i, part in enumerate(value):
                if part:
                    yield field_name, lines.get(f"{field_name}.{i}", lines.get(field_name)), part, None
        elif value:
            yield field_name, lines.get(field_name), value, None
    if item.migration is not None:  # the old platform's name and address are shown with the item
        for text in (item.migration.platform, item.migration.address):
            if text:
                yield "迁移", lines.get("迁移"), text, None
    for i, att in enumerate(item.attachments):
        line = lines.get(f"附件.{i}", lines.get("附件"))
        if att.name != PurePosixPath(att.file).stem:  # else the file name says it already
            yield "附件", line, att.name, None
        yield "附件", line, att.file, None


def gate_item(item: Item, negative: list[re.Pattern], report: Report) -> None:
    """Block `item` when any of its texts or attachments holds personal data or a negative-list word."""

    def hit(line: int | None, code: str, message: str, field_name: str) -> None:
        item.blocked = True
        report.error(item.path, line, code, message, field_name)

    texts = list(item_texts(item))
    if nothing_to_find([entry[2] for entry in texts], negative, not item.exemption):
        texts = []
    elif nothing_to_find([text for _, _, text, first in texts if first is None], negative, not item.exemption):
        texts = [entry for entry in texts if entry[3] is not None]  # only the body (Markdown, say) is left
    for field_name, line, text, first in texts:
        where = "" if field_name != "附件" else f"附件「{redact(text)}」："
        read = as_read(text)  # once for both scans (a sixth of the gates' time)
        for pattern, m in negative_hits(negative, text, read):
            hit(line or first + line_of(text, m.start()) - 1, "negative-list",
                f"{where}命中负面清单「{pattern.pattern}」：「{m.group(0)}」；这类内容不得公开，不会发布", field_name)
        if item.exemption:
            continue
        for finding in scan_as_read(text, read):
            hit(line or first + line_of(text, finding.start) - 1, "personal-data",
                f"{where}含有{finding.kind}「{finding.masked}」，不会发布；请删除或遮盖，{EXEMPTION_HINT}", field_name)
    _gate_attachment_texts(item, negative, hit)


def _gate_attachment_texts(item: Item, negative: list[re.Pattern], hit) -> None:
    from .attachment_text import AttachmentLimit, UnreadableAttachment, extract
    for i, att in enumerate(item.attachments):
        line = item.lines.get(f"附件.{i}", item.lines.get("附件"))
        name = redact(att.file)
        try:
            chunks = extract(att.source, att.suffix)
        except AttachmentLimit as exc:  # too large or too deep to read whole: what it hides cannot be known
            hit(line, "attachment-unchecked", f"附件「{name}」{exc}；无法确认其中没有个人信息，不会发布。"
                "请拆分或精简后重新上传", "附件")
            continue
        except UnreadableAttachment:
            continue  # damaged or stub files: `gkml audit` lists them (attachment-unreadable) for a person to check
        if nothing_to_find([chunk.text for chunk in chunks], negative, not item.exemption):
            continue
        count = 0
        for chunk in chunks:
            for pattern, m in negative_hits(negative, chunk.text):
                hit(line, "negative-list", f"附件「{name}」{chunk.locate(m.start())}：命中负面清单"
                    f"「{pattern.pattern}」：「{m.group(0)}」；这类内容不得公开，不会发布", "附件")
            for finding in ([] if item.exemption else scan_as_read(chunk.text)):
                count += 1
                if count <= SHOWN_PER_ATTACHMENT:
                    hit(line, "personal-data", f"附件「{name}」{chunk.locate(finding.start)}：含有{finding.kind}"
                        f"「{finding.masked}」，不会发布；请删除或遮盖后重新上传，{EXEMPTION_HINT}", "附件")
        if count > SHOWN_PER_ATTACHMENT:
            hit(line, "personal-data", f"附件「{name}」另有 {count - SHOWN_PER_ATTACHMENT} 处个人信息未逐一列出", "附件")


# -- settings files --------------------------------------------------------------------------------

SETTINGS_SKIPPED = frozenset({"负面清单"})  # the list itself holds the words it forbids


def settings_strings(data, path: str = ""):
    """(key path, text) of every string in a parsed settings file, keys included."""
    if isinstance(data, dict):
        for key, value in data.items():
            sub = f"{path}.{key}" if path else str(key)
            if sub in SETTINGS_SKIPPED:
                continue
            yield sub, str(key)
            yield from settings_strings(value, sub)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from settings_strings(value, f"{path}.{i}")
    elif isinstance(data, str) and data:
        yield path, data


def gate_settings(doc, file: Path, negative: list[re.Pattern], report: Report) -> None:
    """Every string of site.yml, the taxonomy or a unit file: no personal data, no negative-list word."""
    for key, text in settings_strings(doc.data):
        field_name = re.sub(r"\.\d+(?=\.|$)", "", key)  # 栏目.0.子栏目.2.名称 -> 栏目.子栏目.名称
        line = doc.line(key)
        for pattern, m in negative_hits(negative, text):
            report.error(file, line, "negative-list", f"「{field_name}」命中负面清单「{pattern.pattern}」：「{m.group(0)}」；"
                         "这类内容不得公开，网站不会生成", field_name)
        for finding in scan_as_read(text):
            report.error(file, line, "personal-data", f"「{field_name}」含有{finding.kind}「{finding.masked}」；"
                         "平台设置、单位和统一目录中的内容出现在每个页面上，不能含个人信息，网站不会生成", field_name)
