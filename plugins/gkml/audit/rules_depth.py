"""What inspections check by hand: 政策解读 coverage (国办秘函〔2019〕19号 marks 「解读比例不达标」),
发布日期 typed earlier than the day the item entered the repository (补录, the seeds'
「弄虚作假」 before an inspection), and hand-typed 年报 items."""
from __future__ import annotations

import re

from ..annual.compute import normative_columns, regulation_columns
from ..catalogue.history import item_history
from ..catalogue.model import Item
from .context import AuditContext
from .rules_columns import report_year

_IMPORT_KEY = re.compile(r"^# 导入键: [0-9a-f]{16}\b", re.MULTILINE)  # importer/rows.py KEY_COMMENT


def interpretation(ctx: AuditContext) -> None:
    """Each 规章 and 行政规范性文件 in force and published in the window should have a public 政策解读
    (废止 and 失效 documents are not counted: inspections judge the documents in force)."""
    cat = ctx.catalogue
    policy_columns = normative_columns(cat) | regulation_columns(cat)
    explained = {i.interprets for i in ctx.public if i.interprets and (c := ctx.column(i.column)) and c.interpretation}
    for unit in ctx.units:
        documents = [i for i in ctx.public if i.unit_id == unit.id and i.column in policy_columns
                     and i.validity not in ("废止", "失效") and ctx.in_window(i.published)]
        if not documents:
            continue
        missing = [i for i in documents if i.index_no not in explained]
        for item in missing:
            ctx.add("interpretation-missing", unit.id,
                    f"「{item.title}」是{ctx.column(item.column).name}，没有公开的政策解读（解读应在文件公布后 3 个工作日内公开，"
                    "解读信息的「政策解读」写该文件的索引号）", item=item, line=item.lines.get("标题"))
        ratio = (len(documents) - len(missing)) / len(documents)
        ctx.coverage[unit.id] = (len(documents) - len(missing), len(documents))
        if ratio < ctx.config.interpretation_share:
            ctx.add("interpretation-ratio", unit.id,
                    f"规章和行政规范性文件 {len(documents)} 件，有政策解读的 {len(documents) - len(missing)} 件，"
                    f"解读比例 {ratio:.0%}，低于 {ctx.config.interpretation_share:.0%}；未解读的见「规范性文件未解读」",
                    documents=len(documents), interpreted=len(documents) - len(missing), share=round(ratio, 4))


def _imported(item: Item) -> bool:
    try:
        head = item.path.read_text(encoding="utf-8-sig")[:4000]
    except (OSError, UnicodeDecodeError):
        return False
    return bool(_IMPORT_KEY.search(head))


def backdating(ctx: AuditContext) -> None:
    """发布日期 more than 补录天数 before the item's first commit in git.

    Only items published since the catalogue went live (自查.上线日期; by default the day the
    first item was committed) are judged: older ones were necessarily typed in afterwards. A
    migrated item (a 迁移 record, or the importer's 导入键) is history moved over, not
    backdating: one note per unit lists them."""
    history = item_history(ctx.catalogue.root)
    if not history:
        return  # not in git: nothing to compare with
    live = ctx.config.live_date or min(days[0] for days in history.values())
    limit = ctx.config.backdate_days
    migrated: dict[str, list[Item]] = {}
    for item in ctx.public:
        days = history.get(item.rel)
        if not days or item.published < live or not ctx.in_window(item.published):
            continue
        gap = (days[0] - item.published).days
        if gap <= limit:
            continue
        if item.migration is not None or _imported(item):
            migrated.setdefault(item.unit_id, []).append(item)
            continue
        ctx.add("backdated", item.unit_id,
                f"发布日期写的是 {item.published}，但这条信息 {days[0]} 才第一次提交到目录，晚了 {gap} 天"
                f"（超过 {limit} 天即列为补录）；发布日期应为实际公开之日，补录的信息请如实填写发布日期",
                item=item, line=item.lines.get("发布日期"), published=item.published.isoformat(),
                committed=days[0].isoformat(), days=gap)
    for unit_id, items in migrated.items():
        ctx.add("backdated-migrated", unit_id,
                f"{len(items)} 条从旧平台导入的信息（有「导入键」）发布日期早于入库日期超过 {limit} 天，"
                "按历史信息迁移处理，不计为补录；请抽查发布日期与旧平台一致",
                count=len(items), files=[i.rel for i in items[:20]])


def hand_typed_reports(ctx: AuditContext) -> None:
    """A 年报 typed as an item while gkml could compute it; its tables checked where they can be read."""
    from ..annual.typed import read_typed_tables

    computable = {(r.unit_id, r.year) for r in ctx.annual_reports if not r.rollup}
    registered = set(ctx.desk.registered_years) if ctx.desk is not None else set()
    for item in ctx.public:
        column = ctx.column(item.column)
        if column is None or not column.annual or item.unit_id not in ctx.unit_ids:
            continue
        year = report_year(item)
        if (item.unit_id, year) in registered and (item.unit_id, year) not in computable:
            ctx.add("annual-hand-typed", item.unit_id,
                    f"本单位有 {year} 年的依申请公开登记（requests/{item.unit_id}/{year}.yml），gkml 可以按 30号 格式计算并校验年报"
                    f"（写 reports/{item.unit_id}/{year}.md 即可），却公开了手工录入的「{item.title}」；手工表格与登记可能不一致",
                    item=item, line=item.lines.get("标题"), year=year)
        for problem in read_typed_tables(item.body, item.body_line):
            ctx.add("annual-item-table", item.unit_id, f"手工录入的年报表格：{problem.message}", item=item,
                    line=problem.line, cell=problem.cell, year=year)
