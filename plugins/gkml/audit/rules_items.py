"""Single items: likely misfiling, lifecycle faults, confidentiality review, and content that
must not be public (the publication gates' findings, and attachments nobody could check)."""
from __future__ import annotations

from ..catalogue.attachment_text import UnreadableAttachment, extract
from ..catalogue.model import Column, Item
from .context import AuditContext


def topic_fits(item: Item, column: Column) -> bool:
    first, second = item.topic
    return any(t == first or t == f"{first}/{second}" for t in column.topics)


def misfiled(ctx: AuditContext) -> None:
    """主题分类 or 体裁 outside the column's 预期主题 / 预期体裁. Migrated history keeps the old
    platform's filing: shown as its own kind, never scored (as its lateness, rules_time._kind)."""
    for item in ctx.public:
        column = ctx.column(item.column)
        if column is None:
            continue
        where = f"迁移前在「{item.migration.platform}」的归类：" if item.migrated_history else ""
        if column.topics and item.topic and not topic_fits(item, column):
            ctx.add("misfiled-migrated" if where else "misfiled-topic", item.unit_id,
                    f"{where}主题分类「{item.topic_text}」不在栏目「{column.name}」的预期主题"
                    f"（{'、'.join(column.topics)}）内；请核对栏目或主题分类", item=item, line=item.lines.get("主题分类"),
                    topic=item.topic_text, expected=list(column.topics))
        if column.genres and item.genre and item.genre not in column.genres:
            ctx.add("misfiled-migrated" if where else "misfiled-genre", item.unit_id,
                    f"{where}体裁「{item.genre}」不在栏目「{column.name}」的预期体裁"
                    f"（{'、'.join(column.genres)}）内；请核对栏目或体裁", item=item, line=item.lines.get("体裁"),
                    genre=item.genre, expected=list(column.genres))


def lifecycle(ctx: AuditContext) -> None:
    """废止/失效 without a date, 废止 without a replacement, replacements the public cannot open."""
    for item in ctx.public:
        line = item.lines.get
        if item.validity in ("失效", "废止") and not item.repealed_on:
            ctx.add("repealed-no-date", item.unit_id, f"有效性为「{item.validity}」，但没有写{item.validity}日期（废止日期）",
                    item=item, line=line("有效性"), validity=item.validity)
        if item.validity == "废止" and not item.replaced_by:
            ctx.add("repealed-no-replacement", item.unit_id, "已废止，但没有写替代它的新文件（替代）；"
                    "没有新文件替代的，有效性应写「失效」", item=item, line=line("有效性"))
        if item.replaced_by and ctx.visible(item.replaced_by) is None:
            target = ctx.catalogue.by_index_no.get(item.replaced_by)
            why = "在平台上不存在" if target is None else f"「{target.title}」截至 {ctx.as_of} 未公开"
            ctx.add("replacement-missing", item.unit_id, f"替代文件「{item.replaced_by}」{why}，公众无法打开",
                    item=item, line=line("替代"), replaced_by=item.replaced_by)


def review(ctx: AuditContext) -> None:
    """主动公开 items without a 保密审查 record (never published), and items reviewed only after publication."""
    for item in ctx.items:
        if item.disclosure == "主动公开" and not item.reviewed:
            ctx.add("unreviewed", item.unit_id, "主动公开的信息没有保密审查记录（审查人、日期），因此没有发布；"
                    "请先审查，再补写「保密审查」", item=item, line=item.lines.get("保密审查") or item.lines.get("标题"))
    for item in ctx.public:
        if item.review_date and item.review_date > item.published:
            ctx.add("review-after-publication", item.unit_id, f"保密审查日期 {item.review_date} 晚于发布日期 "
                    f"{item.published}；应先审查、后发布", item=item, line=item.lines.get("保密审查"),
                    reviewed=item.review_date.isoformat())


GATE_CODES = ("personal-data", "negative-list")  # diagnostic codes of validate._gates = finding kinds


def gates(ctx: AuditContext) -> None:
    """What the publication gates stopped (found while loading): one finding per item and kind."""
    by_path = {ctx.report.rel(item.path): item for item in ctx.items}
    grouped: dict[tuple[str, str], list] = {}
    for d in ctx.report.sorted():
        if d.code in GATE_CODES and d.path in by_path:
            grouped.setdefault((d.path, d.code), []).append(d)
    for (path, code), diags in grouped.items():
        item = by_path[path]
        first = diags[0]
        more = f"（共 {len(diags)} 处，见 gkml check）" if len(diags) > 1 else ""
        where = "" if not first.field or first.message.startswith(first.field) else f"{first.field}："
        ctx.add(code, item.unit_id, f"{where}{first.message}{more}", item=item, line=first.line,
                count=len(diags), places=[{"line": d.line, "field": d.field, "message": d.message} for d in diags])


def unreadable_attachments(ctx: AuditContext) -> None:
    """Attachments of 主动公开 items whose text could not be read, so no gate could check them."""
    for item in ctx.items:
        if item.disclosure != "主动公开":
            continue
        for att in item.attachments:
            try:
                extract(att.source, att.suffix)
            except UnreadableAttachment as exc:
                ctx.add("attachment-unreadable", item.unit_id, f"附件「{att.file}」无法读取文字（{exc}），"
                        "未能检查其中的个人信息和负面清单；请人工核对或重新上传", item=item,
                        line=item.lines.get("附件"), attachment=att.file)
