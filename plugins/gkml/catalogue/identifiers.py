"""索引号 and 文号: their shapes, parsing, and the next free serial."""
from __future__ import annotations

import re
from dataclasses import dataclass

INDEX_RE = re.compile(r"^(?P<prefix>[0-9A-Z]{9,18})/(?P<period>[0-9]{4}|[0-9]{6})-(?P<serial>[0-9]{1,8})$")  # ASCII digits only


@dataclass(frozen=True)
class IndexNo:
    prefix: str
    period: str
    serial: int


def parse_index_no(text: str) -> IndexNo | None:
    m = INDEX_RE.match(text)
    if not m:
        return None
    return IndexNo(m["prefix"], m["period"], int(m["serial"]))


def format_index_no(prefix: str, period: str, serial: int, width: int) -> str:
    return f"{prefix}/{period}-{serial:0{width}d}"


def period_of(date, mode: str) -> str:
    return f"{date.year:04d}{date.month:02d}" if mode == "年月" else f"{date.year:04d}"


def next_serial(existing: list[str], prefix: str, period: str) -> int:
    serials = [p.serial for p in map(parse_index_no, existing) if p and p.prefix == prefix and p.period == period]
    return max(serials, default=0) + 1


# 文号: 机关代字〔YYYY〕N号, or 机关代字第N号 for 命令（令）.
DOCNO_RE = re.compile(r"^(?P<agency>[\u4e00-\u9fff]{1,20})〔(?P<year>\d{4})〕(?P<num>[1-9]\d{0,5})号$")
ORDER_RE = re.compile(r"^(?P<agency>[\u4e00-\u9fff]{0,19}令)第(?P<num>[1-9]\d{0,5})号$")
_WRONG_BRACKETS = re.compile(r"[【\[（(［﹝〈｛{〖「『<《](\s*\d{4}\s*)[】\]）)］﹞〉｝}〗」』>》]")
NO_DOCNO = ("无", "暂无", "/", "-", "—", "——", "空")  # what old platforms show for "no 文号"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def docno_year(text: str) -> int | None:
    m = DOCNO_RE.match(text)
    return int(m["year"]) if m else None


def is_no_docno(text: str) -> bool:
    return text.strip() in NO_DOCNO


def fix_docno(text: str) -> str | None:
    """The well-formed 文号 a slip of the pen stands for (【2019】, full-width digits, 第, zeros), or
    None when there is nothing to fix or no sure correction."""
    if DOCNO_RE.match(text) or ORDER_RE.match(text):
        return None
    fixed = text.translate(_FULLWIDTH_DIGITS).replace(" ", "").replace("\u3000", "")
    fixed = _WRONG_BRACKETS.sub(lambda m: f"〔{m.group(1).strip()}〕", fixed)
    fixed = re.sub(r"〔(\d{4})〕第", r"〔\1〕", fixed)
    fixed = re.sub(r"([〕第])0+(\d)", r"\1\2", fixed)
    if not fixed.endswith("号") and re.search(r"\d$", fixed):
        fixed += "号"
    return fixed if fixed != text and (DOCNO_RE.match(fixed) or ORDER_RE.match(fixed)) else None


def check_docno(text: str) -> str | None:
    """None if `text` is a well-formed 文号, else a Chinese message saying what to write instead."""
    if DOCNO_RE.match(text) or ORDER_RE.match(text):
        return None
    fixed = fix_docno(text)
    hint = "文号应为「机关代字〔年份〕序号号」，如 示政办〔2025〕12号：年份写全四位，用六角括号〔〕，序号不加「第」、不补零；命令（令）写作 示政令第3号"
    return f"{hint}；应改为「{fixed}」" if fixed else hint
