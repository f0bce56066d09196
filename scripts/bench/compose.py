"""Titles, summaries and Markdown bodies for corpus items, from the fragments in phrases.py.

All randomness comes from the `random.Random` passed in, so the corpus is a function of the seed.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from gkml.catalogue.vocab import TOPICS

from . import phrases as P
from .units import REGION, BenchUnit

TITLE_MIN, TITLE_MAX = 15, 60
BODY_MIN, BODY_MAX = 300, 3000
_GENERAL_TOPICS = {
    "县级政府": tuple(t for t in P.SUBJECTS if t not in ("国务院组织机构", "其他")),
    "乡镇": ("农业、林业、水利", "民政、扶贫、救灾", "城乡建设、环境保护", "综合政务", "国土资源、能源"),
    "街道": ("民政、扶贫、救灾", "城乡建设、环境保护", "综合政务", "公安、安全、司法", "卫生、体育"),
}
_PREVIOUS_YEAR_WORDS = ("决算", "总结", "统计公报", "执行情况", "抽查结果", "自评", "中期评估")


@dataclass
class Heading:
    """What the title step decided, which the summary, body and 文号 steps reuse."""

    title: str
    subject: str
    genre: str
    docno_suffix: str | None  # None: no 文号; "" or "办"/"函": appended to the unit's 机关代字
    style: str
    core: str = ""  # what an interpretation quotes in 《》


def pick_topic(rng: random.Random, topics: tuple[str, ...], unit: BenchUnit) -> str:
    """A 主题分类 `一级/二级` agreeing with the column's 预期主题 when it has any, else with the unit."""
    if topics:
        first = rng.choice(topics)
        if "/" in first:
            return first
        if unit.topic.startswith(first + "/"):
            return unit.topic
        subs = TOPICS.get(first, ())
        return f"{first}/{rng.choice(subs)}" if subs else first
    if unit.kind == "政府部门":
        return unit.topic
    first = rng.choice(_GENERAL_TOPICS[unit.kind])
    if unit.topic.startswith(first + "/"):
        return unit.topic
    subs = TOPICS[first]
    return f"{first}/{rng.choice(subs[:-1] or subs)}" if subs else first


def _fit(title: str, unit: BenchUnit, year: int) -> str:
    if len(title) > TITLE_MAX:
        title = title.replace(unit.name, unit.short, 1)
    if len(title) > TITLE_MAX:
        title = title.replace(f"《{REGION}", "《", 1)
    if len(title) > TITLE_MAX:
        title = title[:TITLE_MAX - 1] + "…"
    if len(title) < TITLE_MIN:
        title = f"{title}（{year}年）"
    return title


def _genre(rng: random.Random, allowed: tuple[str, ...], default: tuple[str, ...]) -> str:
    pool = allowed or default
    return rng.choice(pool)


def doc_heading(rng: random.Random, unit: BenchUnit, subject: str, genres: tuple[str, ...], day: dt.date) -> Heading:
    """A 公文: 通知, 意见, 通告 … with a 文号 on most of them."""
    genre = _genre(rng, genres, ("通知", "通知", "通知", "意见", "通报", "通告"))
    name, y = unit.name, day.year
    if genre == "通知" and rng.random() < 0.45:
        return issuing_heading(rng, unit, subject, day)
    if genre in ("通知", "意见"):
        title = f"{name}关于{rng.choice(P.ACTIONS)}{subject}{rng.choice(P.MATTERS)}的{genre}"
    elif genre == "通报":
        title = f"{name}关于{y}年{subject}工作情况的通报"
    elif genre == "批复":
        title = f"{name}关于同意{rng.choice(P.PLACES)}{subject}实施方案的批复"
    elif genre == "函":
        title = f"{name}关于商请协助做好{subject}工作的函"
    elif genre == "纪要":
        title = f"{name}{subject}专题会议纪要"
    elif genre == "报告":
        title = f"{name}关于{y}年{subject}工作情况的报告"
    elif genre == "决定":
        title = f"{name}关于{subject}有关事项的决定"
    else:  # 通告, 公告 and the rarer kinds
        title = f"{name}关于{subject}有关事项的{genre}"
    suffix = "函" if genre == "函" else (rng.choice(("", "", "办")) if rng.random() < 0.85 or genre == "批复" else None)
    title = _fit(title, unit, y)
    return Heading(title, subject, genre, suffix, "doc", title.replace(name, "", 1).removeprefix("关于"))


def issuing_heading(rng: random.Random, unit: BenchUnit, subject: str, day: dt.date) -> Heading:
    """关于印发《示例区…办法》的通知: the first version of a normative document."""
    core = f"{REGION}{subject}{rng.choice(P.MEASURES)}"
    title = _fit(f"{unit.name}关于印发《{core}》的通知", unit, day.year)
    return Heading(title, subject, "通知", rng.choice(("", "", "办")), "doc", core)


def revised_heading(first: Heading, unit: BenchUnit, day: dt.date) -> Heading:
    """A later version of a 《…》 document in a 废止 chain."""
    core = f"{first.core}（{day.year}年修订）"
    title = _fit(f"{unit.name}关于印发《{core}》的通知", unit, day.year)
    return Heading(title, first.subject, "通知", first.docno_suffix, "doc", core)


def interpretation_heading(rng: random.Random, unit: BenchUnit, target: Heading, day: dt.date) -> Heading:
    core = target.core
    if len(core) > 36:
        core = target.subject
    title = rng.choice((f"《{core}》政策解读", f"一图读懂《{core}》", f"关于《{core}》的解读"))
    return Heading(_fit(title, unit, day.year), target.subject, "其他", None, "interp")


def column_heading(rng: random.Random, unit: BenchUnit, column: str, subject: str, genres: tuple[str, ...],
                   day: dt.date) -> Heading:
    """Any item that is not part of a pair or chain."""
    style, things = P.COLUMN_STYLES.get(column, ("doc", ()))
    if style == "doc":
        return doc_heading(rng, unit, subject, genres, day)
    name, y = unit.name, day.year
    thing = rng.choice(things).format(subject=subject, event=rng.choice(P.EVENTS)) if things else ""
    genre, suffix = "其他", None
    if style == "yearly":
        year = y - 1 if any(w in thing for w in _PREVIOUS_YEAR_WORDS) else y
        title = f"{year}年{REGION}人民政府工作报告" if column == "gzbg" else f"{name}{year}年{thing}"
        genre = "报告" if column in ("gzbg", "fzgh") else "其他"
    elif style == "monthly":
        month_day = day.replace(day=1) - dt.timedelta(days=1)
        title = f"{name}{month_day.year}年{month_day.month}月{thing}"
    elif style == "quarterly":
        q_end = dt.date(y, 3 * ((day.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
        title = f"{name}{q_end.year}年{P.QUARTERS[(q_end.month - 1) // 3]}{thing}"
    elif style == "project":
        project = rng.choice(P.PROJECTS).format(place=rng.choice(P.PLACES), road=rng.choice(P.ROADS))
        title = f"{REGION}{project}{thing}"
        if column == "xmpz":
            title = f"{name}关于{REGION}{project}{thing}"
            genre, suffix = "批复", rng.choice(("", "审批"))
    elif style == "event":
        title = f"{name}{thing}"
        if "通知" in thing or "通报" in thing:
            genre, suffix = ("通知" if "通知" in thing else "通报"), "办"
    elif style == "community":
        title = f"{name}{rng.choice(P.COMMUNITIES)}社区{y}年{P.QUARTERS[(day.month - 1) // 3]}{thing}"
    elif style == "reply":
        kind = rng.choice(("人大代表建议", "政协委员提案"))
        title = f"{name}关于区十届{'人大' if '建议' in kind else '政协'}{rng.randint(1, 5)}次会议第{rng.randint(1, 260)}号{kind}的答复"
        genre, suffix = "函", "函"
    elif style == "appointment":
        person = rng.choice(P.SURNAMES) + rng.choice(P.GIVEN)
        title = f"{name}关于{person}等同志职务任免的通知"
        genre, suffix = "通知", "人"
    elif style == "annual":
        title = f"{name}{y - 1}年政府信息公开工作年度报告"
        genre = "报告"
    else:  # static
        title = f"{name}{thing}"
    if genres and genre not in genres and suffix is None:
        genre = rng.choice(genres)
    return Heading(_fit(title, unit, y), subject, genre, suffix, style)


def summary_of(rng: random.Random, head: Heading, unit: BenchUnit) -> str:
    if head.style == "doc":
        aspects = rng.choice(("目标任务、工作措施和保障要求", "适用范围、办理程序和监督管理", "职责分工、时间安排和工作要求",
                              "资金来源、使用范围和绩效管理"))
        return f"{rng.choice(('明确', '规范', '部署'))}{head.subject}的{aspects}等事项。"
    if head.style == "interp":
        return f"对{head.subject}相关文件的出台背景、主要内容和适用范围进行解读。"
    return f"公开{head.title.replace(unit.name, unit.short, 1)}的有关情况。"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class BodyWriter:
    """Markdown bodies of a target length (log-uniform between 300 and 3,000 characters)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def target_length(self) -> int:
        return int(BODY_MIN * (BODY_MAX / BODY_MIN) ** self.rng.random())

    def _fill(self, sentence: str, ctx: dict) -> str:
        rng = self.rng
        return sentence.format(n=rng.randint(3, 9999), m=rng.randint(12, 99999), k=rng.randint(3, 20),
                               p=f"{rng.uniform(0.5, 35):.1f}", **ctx)

    def _sentences(self, ctx: dict, lo: int, hi: int) -> list[str]:
        return [self._fill(s, ctx) for s in self.rng.sample(P.SENTENCES, self.rng.randint(lo, hi))]

    def _paragraph(self, ctx: dict) -> str:
        return "".join(self._sentences(ctx, 2, 5))

    def _table(self) -> str:
        rng = self.rng
        head = rng.choice(P.TABLE_HEADS)
        rows = rng.sample(P.TABLE_ROWS, rng.randint(3, 7))
        lines = ["| " + " | ".join(head) + " |", "| --- | ---: | ---: |"]
        lines += [f"| {r} | {rng.randint(10, 99999)}.{rng.randint(0, 99):02d} | {rng.uniform(0.1, 40):.1f} |" for r in rows]
        return "\n".join(lines)

    def body(self, head: Heading, unit: BenchUnit, day: dt.date) -> str:
        rng = self.rng
        ctx = {"s": head.subject, "a": unit.name, "r": REGION, "y": day.year}
        target = self.target_length()
        parts: list[str] = []
        size = 0

        def add(text: str) -> None:
            nonlocal size
            parts.append(text)
            size += len(text)

        if head.style == "doc":
            add(rng.choice(P.SALUTATIONS))
            add(self._paragraph(ctx))
            heads = P.SECTION_HEADS
        elif head.style == "interp":
            heads = P.INTERP_HEADS
        else:
            add(self._paragraph(ctx))
            if rng.random() < 0.5:
                add(self._table())
            heads = P.SECTION_HEADS
        n = 0
        while size < target:
            if n < 10 and rng.random() < 0.6:
                add(f"## {P.CHINESE_NUMERALS[n]}、{heads[n % len(heads)]}")
                n += 1
            if rng.random() < 0.2:
                add("\n".join(f"{i}. {text}" for i, text in enumerate(self._sentences(ctx, 2, 4), start=1)))
            else:
                add(self._paragraph(ctx))
        if head.style == "doc":
            add(f"{unit.name}\n\n{chinese_date(day)}")
        text = "\n\n".join(parts)
        return text if len(text) <= BODY_MAX else text[:BODY_MAX].rsplit("\n\n", 1)[0]
