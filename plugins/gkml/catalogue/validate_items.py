"""Validation of one disclosure item's front matter, producing a model Item."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path, PurePosixPath

from ..diagnostics import Report
from .fields import Fields
from .identifiers import check_docno, docno_year, is_no_docno
from .load import RawDoc, inside
from .model import Attachment, Item, Migration
from .validate_config import check_topic
from .vocab import ATTACHMENT_TYPES, DISCLOSURE, GENRE_ALIASES, GENRES, SCOPES, TERMS, VALIDITY

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
ITEM_KEYS = ("索引号", "原索引号", "标题", "内容概述", "生成日期", "成文日期", "发布日期", "发布机构", "文号", "栏目", "主题分类",
             "体裁", "关键词", "有效性", "废止日期", "替代", "公开方式", "不公开理由", "公开范围", "公开时限", "公开截止",
             "保密审查", "迁移", "政策解读", "附件", "草稿", "个人信息豁免")
# Names other platforms (and editors used to them) give our fields; see REFERENCE.md §1.3.
FIELD_SYNONYMS = {
    "名称": "标题", "信息名称": "标题", "文件名称": "标题", "索引": "索引号", "摘要": "内容概述", "简介": "内容概述",
    "发布时间": "发布日期", "公开日期": "发布日期", "生成时间": "生成日期", "发文日期": "成文日期", "成文时间": "成文日期",
    "发文字号": "文号", "发布文号": "文号", "文件编号": "文号", "发文机关": "发布机构", "发文机构": "发布机构",
    "来源": "发布机构", "信息来源": "发布机构", "主题词": "关键词", "时效": "有效性", "是否有效": "有效性",
    "公开形式": "公开方式", "体裁分类": "体裁", "信息分类": "体裁", "文种": "体裁", "组配分类": "栏目", "主题": "主题分类",
    "废止时间": "废止日期", "失效日期": "废止日期", "失效时间": "废止日期",
}


def read_item_fields(raw: RawDoc, rel: str, unit_id: str, report: Report, today: dt.date) -> Item | None:
    f = Fields(raw.meta, raw.path, report)
    f.unknown_keys(ITEM_KEYS, FIELD_SYNONYMS)
    disclosure = f.choice("公开方式", DISCLOSURE, True, why="主动公开、依申请公开或不予公开")
    proactive = disclosure == "主动公开"
    listed = disclosure in ("主动公开", "依申请公开")
    law = "条例第十二条要求政府信息公开目录载明"
    index_no = f.text("索引号", True, law)
    title = f.text("标题", True, law)
    summary = f.text("内容概述", listed, law, max_len=300)
    generated = f.date("生成日期", True, law, today)
    written = f.date("成文日期", today=today)
    published = f.date("发布日期", proactive, "主动公开的信息必须写发布日期", today)
    column = f.text("栏目", True, "统一目录中的末级栏目代码")
    publisher = f.text("发布机构", True, "发布机构全称")
    original_index_no = f.text("原索引号", max_len=60)
    migration = _migration(f, today)
    migrated_history = migration is not None and published is not None and published <= migration.date

    doc_no = f.text("文号")
    if is_no_docno(doc_no):
        f.warning("文号", "docno-none", f"文号写作「{doc_no}」；没有文号时删去「文号」这一行，不要写「无」")
        doc_no = ""
    if doc_no and migrated_history:
        pass  # the 文号 (and the dates) as the old platform published them: history is not rewritten
    elif doc_no:
        problem = check_docno(doc_no)
        if problem:
            f.error("文号", "docno", problem)
        elif written and (year := docno_year(doc_no)) and year != written.year:
            f.warning("文号", "docno-year", f"文号中的年份 {year} 与成文日期 {written.isoformat()} 的年份不一致")
        if not written:
            f.warning("成文日期", "written-missing", "有文号的公文应写成文日期")

    topic = None
    if f.has("主题分类"):
        topic, problem = check_topic(f.text("主题分类"))
        if problem:
            f.error("主题分类", "topic", problem)
    elif proactive:
        f.text("主题分类", True, "22 个主题之一，写作「一级/二级」")
    genre = f.choice("体裁", GENRES, proactive, aliases=GENRE_ALIASES, why="15 种公文之一，非公文写「其他」")

    validity = f.choice("有效性", VALIDITY, proactive, default="有效")
    repealed_on = f.date("废止日期", today=today)
    replaced_by = f.text("替代")
    if validity in ("失效", "废止") and not repealed_on:
        f.text("废止日期", True, f"{validity}的文件必须写明{validity}日期")
    if validity == "废止" and not replaced_by:
        f.text("替代", True, "废止的文件必须写明替代它的新文件的索引号")
    if validity == "有效" and (repealed_on or replaced_by):
        f.warning("有效性", "validity-conflict", "写了废止日期或替代文件，但有效性仍为「有效」；请改为「失效」或「废止」")

    reason = f.text("不公开理由", disclosure in ("依申请公开", "不予公开"),
                    "不主动公开的信息必须说明理由，如「属于四类过程性信息」")
    scope = f.choice("公开范围", SCOPES, default="面向社会")
    term = f.choice("公开时限", TERMS, default="长期公开")
    term_until = f.date("公开截止")
    if term == "限时公开" and not term_until:
        f.text("公开截止", True, "限时公开的信息必须写公开截止日期")

    reviewed, review_date = False, None
    review = f.mapping("保密审查")
    if review is not None:
        review.unknown_keys({"审查人", "日期", "意见"})
        reviewer = review.text("审查人", True, "保密审查人")
        review_date = review.date("日期", True, "保密审查日期", today)
        reviewed = bool(reviewer and review_date)
        if review_date and published and review_date > published:
            hint = "；迁移来的历史信息不必补写保密审查，由「迁移」记录说明" if migrated_history else ""
            review.warning("日期", "review-late", f"保密审查日期 {review_date} 晚于发布日期 {published}；应先审查后发布{hint}")
    elif migrated_history:
        reviewed = True  # published on the old platform before the migration; the batch was checked (迁移)
    elif proactive:
        f.warning("保密审查", "review-missing", "主动公开的信息没有保密审查记录（审查人、日期），不会发布；审查后补上")

    exemption = f.mapping("个人信息豁免")
    if exemption is not None:
        exemption.unknown_keys({"理由", "审查人", "日期"})
        exemption_ok = bool(exemption.text("理由", True) and exemption.text("审查人", True)
                            and exemption.date("日期", True, today=today))
    else:
        exemption_ok = False

    dates = {"成文日期": written, "生成日期": generated, "发布日期": published, "废止日期": repealed_on}
    for earlier, later in (("成文日期", "生成日期"), ("生成日期", "发布日期"), ("成文日期", "废止日期")):
        a, b = dates[earlier], dates[later]
        if a and b and a > b:
            f.error(later, "date-order", f"{later} {b.isoformat()} 早于{earlier} {a.isoformat()}；应为 成文日期 ≤ 生成日期 ≤ 发布日期")

    attachments = tuple(_attachments(f, raw.path))
    if not (index_no and title and generated and column and disclosure and publisher):
        return None
    return Item(
        path=raw.path, rel=rel, unit_id=unit_id, index_no=index_no, title=title, disclosure=disclosure,
        generated=generated, column=column, publisher=publisher, summary=summary, written=written,
        published=published, doc_no=doc_no, topic=topic, genre=genre, keywords=tuple(f.string_list("关键词")),
        validity=validity, repealed_on=repealed_on, replaced_by=replaced_by, reason=reason, scope=scope, term=term,
        term_until=term_until, reviewed=reviewed, review_date=review_date, interprets=f.text("政策解读"),
        attachments=attachments, draft=f.flag("草稿"), exemption=exemption_ok, body=raw.body,
        body_line=raw.body_line, lines=dict(raw.meta.lines), original_index_no=original_index_no, migration=migration)


MIGRATION_KEYS = ("平台", "原网址", "核对人", "日期")


def _migration(f: Fields, today: dt.date) -> Migration | None:
    """The 迁移 record: which old platform published the item, its address there, who checked the
    migrated batch and when. Incomplete records count as none (and say what is missing)."""
    record = f.mapping("迁移")
    if record is None:
        return None
    record.unknown_keys(set(MIGRATION_KEYS))
    why = "迁移记录应写明原平台、核对人和核对日期"
    platform = record.text("平台", True, why)
    checker = record.text("核对人", True, why)
    day = record.date("日期", True, why, today)
    address = record.text("原网址")
    if not (platform and checker and day):
        return None
    return Migration(platform, address, checker, day)


def _inside_folder(source: Path, folder: Path, parts: tuple[str, ...]) -> bool:
    """`inside(source, folder)` for a path written without «..»: when no part of it below the folder
    is a link (nearly always), it is inside, and resolving both whole paths (a dozen system calls)
    would say no more."""
    at = str(folder)
    for part in parts:
        at = os.path.join(at, part)
        if os.path.islink(at):
            return inside(source, folder)
    return True


def _attachments(f: Fields, item_path: Path):
    folder = item_path.parent
    for i, entry in enumerate(f.sequence("附件")):
        key = f"附件.{i}"
        line = f.doc.line(key)
        if isinstance(entry, str):
            entry = {"文件": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("文件"), str) or not entry["文件"].strip():
            f.report.error(item_path, line, "attachment", "附件每一项应写「文件: 相对路径」，可加「名称」", "附件")
            continue
        rel = entry["文件"].strip().replace("\\", "/")
        name = str(entry.get("名称") or PurePosixPath(rel).stem).strip()
        posix = PurePosixPath(rel)
        if posix.is_absolute() or ".." in posix.parts or ":" in rel:
            f.report.error(item_path, line, "attachment-path",
                           f"附件路径「{rel}」不能是绝对路径或含「..」；附件必须放在条目所在的文件夹内", "附件")
            continue
        source = folder / posix
        suffix = posix.suffix.lower()
        if suffix not in ATTACHMENT_TYPES:
            f.report.error(item_path, line, "attachment-type",
                           f"附件「{rel}」的类型「{suffix or '无扩展名'}」不允许；允许：{'、'.join(ATTACHMENT_TYPES)}", "附件")
            continue
        try:
            is_file = source.is_file()
            size = source.stat().st_size if is_file else 0
        except (OSError, ValueError) as exc:  # a name too long, a NUL written as "\0", a loop of links
            f.report.error(item_path, line, "attachment-missing",
                           f"无法读取附件「{rel[:80]}」（{getattr(exc, 'strerror', None) or exc}）；请检查文件名", "附件")
            continue
        if not is_file:
            f.report.error(item_path, line, "attachment-missing", f"附件文件「{rel}」不存在；请把文件放在 {folder.name}/ 下", "附件")
            continue
        if not _inside_folder(source, folder, posix.parts):
            f.report.error(item_path, line, "attachment-outside", f"附件「{rel}」是指向条目文件夹之外的链接，不允许", "附件")
            continue
        if size > MAX_ATTACHMENT_BYTES:
            f.report.error(item_path, line, "attachment-size",
                           f"附件「{rel}」有 {size / 1048576:.1f} MB，超过 50 MB 的上限；请压缩或拆分", "附件")
            continue
        yield Attachment(rel, name, size, suffix, ATTACHMENT_TYPES[suffix], source)
