"""`gkml new`: write a valid item with the next free 索引号."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from ..diagnostics import Report
from .fields import suggest
from .identifiers import check_docno, format_index_no, next_serial, period_of
from .validate import load_catalogue
from .validate_config import check_topic
from .vocab import GENRE_ALIASES, GENRES, TOPICS


class NewItemError(Exception):
    pass


def default_topic(expected: tuple[str, ...]) -> str:
    for topic in expected:
        if "/" in topic:
            return topic
        if topic in TOPICS:
            return f"{topic}/其他" if "其他" in TOPICS[topic] else topic
    return "综合政务/其他"


def write_new_item(root: Path, *, unit: str, column: str, title: str, summary: str | None = None, doc_no: str = "",
                   topic: str | None = None, genre: str = "其他", reviewer: str | None = None,
                   on: dt.date | None = None) -> Path:
    today = dt.date.today()
    on = on or today
    title, doc_no = title.strip(), (doc_no or "").strip()
    if not title:
        raise NewItemError("标题不能为空；请用 --title 写明信息名称")
    if on > today:
        raise NewItemError(f"生成日期 {on.isoformat()} 晚于今天（{today.isoformat()}）；不能新建将来的信息")
    if doc_no and (problem := check_docno(doc_no)):
        raise NewItemError(problem)
    catalogue, report = load_catalogue(root, Report(base=Path(root).absolute().parent))
    if catalogue is None:
        raise NewItemError("目录无法读取，请先运行 gkml check 修正：" + "；".join(d.format() for d in report.errors[:3]))
    u = catalogue.units.get(unit)
    if u is None:
        raise NewItemError(_with_choices(f"没有单位「{unit}」（units/ 下没有 {unit}.yml）", unit, sorted(catalogue.units)))
    col = catalogue.taxonomy.by_code.get(column)
    if col is None or not col.is_leaf or not col.applies_to(u.kind) or column in u.not_applicable:
        choices = [c.code for c in catalogue.taxonomy.profile(u.kind) if c.is_leaf and c.code not in u.not_applicable]
        if col is None:
            raise NewItemError(_with_choices(f"统一目录中没有栏目「{column}」", column, choices))
        if not col.is_leaf:
            leaves = [c.code for c in col.walk() if c.code in choices and c is not col]
            raise NewItemError(f"栏目「{column}」（{col.name}）有下级栏目，信息只能放在末级栏目：{'、'.join(leaves) or '无'}")
        why = f"它不适用于{u.kind}" if not col.applies_to(u.kind) else f"本单位已在 units/{unit}.yml 中把它标为不适用"
        raise NewItemError(f"栏目「{column}」（{col.name}）不能用于{u.name}：{why}；可选：{'、'.join(choices)}")
    topic = topic or default_topic(col.topics)
    if problem := check_topic(topic)[1]:
        raise NewItemError(f"{problem}；请用 --topic 指定，如 --topic 综合政务/政务公开")
    genre = GENRE_ALIASES.get(genre, genre)
    if genre not in GENRES:
        raise NewItemError(f"体裁「{genre}」应为：{'、'.join(GENRES)}")
    period = period_of(on, catalogue.site.index_period)
    # the unit's 年报 narratives may hold a 索引号 too (reports/<单位>/<年份>.md)
    taken = list(catalogue.by_index_no) + [p for part in ("items", "reports")
                                           for p in index_nos_in_files(Path(root) / part / unit)]
    serial = next_serial(taken, u.code, period)
    index_no = format_index_no(u.code, period, serial, catalogue.site.serial_width)
    folder = Path(root) / "items" / unit / str(on.year)
    path = folder / f"{index_no.rsplit('-', 1)[1]}.md"
    if path.exists():
        raise NewItemError(f"文件 {path.as_posix()} 已存在（其中的索引号不是 {index_no}）；请检查这个文件")

    def q(text: str) -> str:  # a YAML scalar that stays a string whatever it contains
        return json.dumps(text, ensure_ascii=False)

    lines = ["---", f"索引号: {index_no}", f"标题: {q(title)}", f"内容概述: {q(summary or title)}",
             f"生成日期: {on.isoformat()}"]
    if doc_no:
        lines.append(f"成文日期: {on.isoformat()}")
    lines += [f"发布日期: {on.isoformat()}", f"发布机构: {q(u.name)}"]
    if doc_no:
        lines.append(f"文号: {q(doc_no)}")
    lines += [f"栏目: {column}", f"主题分类: {topic}", f"体裁: {genre}", "有效性: 有效", "公开方式: 主动公开",
              "公开范围: 面向社会", "公开时限: 长期公开"]
    if reviewer:
        lines += ["保密审查:", f"  审查人: {q(reviewer)}", f"  日期: {on.isoformat()}"]
    else:
        lines += ["# 保密审查后填写，未审查的信息不会发布：", "# 保密审查:", "#   审查人: ", f"#   日期: {on.isoformat()}"]
    lines += ["---", "", "（正文）", ""]
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _with_choices(message: str, word: str, choices: list[str]) -> str:
    return f"{message}{suggest(word, choices) or '；'}可选：{'、'.join(choices)}"


_INDEX_LINE = re.compile(r"^\s*索引号\s*:\s*['\"]?([0-9A-Za-z]+/\d+-\d+)", re.MULTILINE)


def index_nos_in_files(folder: Path) -> list[str]:
    """索引号 written in the unit's files (items/<单位>/ or reports/<单位>/: a computed 年报 is
    published under one too), including files the validator could not read, so that a broken
    item never loses its number to a new one."""
    found = []
    for path in folder.rglob("*.md"):
        try:
            found += _INDEX_LINE.findall(path.read_bytes()[:65536].decode("utf-8", "replace"))
        except OSError:
            continue
    return found
