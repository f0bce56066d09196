"""Personal data that must never be published: 身份证号, mobile numbers, bank card numbers.

Matches are verified (ID checksum, valid birth date, Luhn) so that 文号, 索引号 and amounts do
not raise false alarms, and are shown masked so the report itself leaks nothing.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass

_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})((?:19|20)\d{2})(\d{2})(\d{2})(\d{3})([0-9Xx])(?![0-9A-Za-z])", re.A)
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9])", re.A)
_CARD_RE = re.compile(r"(?<![0-9-])((?:\d[ -]?){15,18}\d)(?![0-9])", re.A)  # not the tail of a longer number such as 350128…-3501…号
# Every number above is a run of at least 11 digits, spaces and hyphens from digit to digit. One
# pass of this cheap pattern (it starts with a digit, so the engine skips ahead in C) spares
# most texts the three full scans, whose leading look-behinds make them try every position.
_CANDIDATE_RE = re.compile(r"\d[\d -]{9,}\d", re.A)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Finding:
    kind: str  # 身份证号 | 手机号码 | 银行卡号
    masked: str
    start: int  # offset in the scanned text


def id_check_char(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def valid_id(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_char(number[:17]) == number[17].upper()


def luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def mask(text: str, keep_head: int = 3, keep_tail: int = 4) -> str:
    return text[:keep_head] + "*" * max(len(text) - keep_head - keep_tail, 0) + text[-keep_tail:]


def scan(text: str) -> list[Finding]:
    found: list[Finding] = []
    if not _CANDIDATE_RE.search(text):
        return found
    taken: list[range] = []
    for m in _ID_RE.finditer(text):
        if valid_id(m.group(0)):
            found.append(Finding("身份证号", mask(m.group(0), 6, 4), m.start()))
            taken.append(range(m.start(), m.end()))
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(1))
        if 16 <= len(digits) <= 19 and luhn(digits) and digits[0] in "3456" \
                and not any(m.start() in r for r in taken) and not valid_id(digits[:18]):
            found.append(Finding("银行卡号", mask(digits, 4, 4), m.start()))
            taken.append(range(m.start(), m.end()))
    for m in _MOBILE_RE.finditer(text):
        if not any(m.start() in r for r in taken):
            found.append(Finding("手机号码", mask("".join(m.groups()), 3, 4), m.start()))
    return sorted(found, key=lambda f: f.start)


# -- the text as a reader sees it ------------------------------------------------------------------
# A number can be typed so that a scanner reading the source misses it while a reader of the page
# sees it whole: entities (&#49;), empty or inline tags between digits, Markdown emphasis, soft
# hyphens and zero-width characters, full-width or Arabic-Indic digits. `as_read` undoes all that;
# it keeps every newline so line numbers found in it are those of the source.
_INLINE_TAGS = "a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
_TAG_RE = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>", re.S)
_INLINE_RE = re.compile(rf"(?:{_INLINE_TAGS})", re.I)
_MARKUP_HINT = re.compile(r"[<&*_~`\\\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_INVISIBLE = re.compile("[*_~`\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")


class _Folded(dict):
    """Non-ASCII character -> the letter, digit or ideograph a reader takes it for (full-width
    and circled digits, Arabic-Indic digits, compatibility ideographs); punctuation stays, so
    ordinary Chinese text is left as it is. Filled on first sight of each character."""

    def __missing__(self, code: int):
        ch = chr(code)
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            folded = str(digit)
        else:
            folded = unicodedata.normalize("NFKC", ch)
            folded = folded if folded != ch and folded.isalnum() else None
        self[code] = folded if folded is not None else code
        return self[code]


_FOLDED = _Folded({c: c for c in range(128)})


def _tag(m: re.Match) -> str:
    lines = "\n" * m[0].count("\n")
    if m[2] and _INLINE_RE.fullmatch(m[2]):
        return lines  # inline markup joins what is on either side
    return lines or " "  # a block, a line break or a comment separates


def as_read(text: str) -> str:
    """`text` as a reader of the published page reads it (see above); the same string when nothing changes."""
    if _MARKUP_HINT.search(text):
        text = _TAG_RE.sub(_tag, text) if "<" in text else text
        text = html.unescape(text) if "&" in text else text
        text = _INVISIBLE.sub("", _MD_ESCAPE.sub(r"\1", text))
    if not text.isascii():
        folded = text.translate(_FOLDED)
        text = text if folded == text else folded
    return text


def scan_as_read(text: str) -> list[Finding]:
    """Personal data in `text` as typed and as read; offsets of the second kind are in `as_read(text)`,
    which has the same lines."""
    found = scan(text)
    read = as_read(text)
    if read != text:
        seen = {(f.kind, f.masked) for f in found}
        found += [f for f in scan(read) if (f.kind, f.masked) not in seen]
    return found


def negative_hits(patterns, text: str) -> list[tuple[re.Pattern, re.Match]]:
    """The first match of each negative-list pattern in `text` as typed, else as read."""
    read = None
    out = []
    for pattern in patterns:
        m = pattern.search(text)
        if m is None:
            read = as_read(text) if read is None else read
            m = pattern.search(read) if read != text else None
        if m is not None:
            out.append((pattern, m))
    return out


def redact(text: str) -> str:
    """`text` as read, each run of digits that holds personal data masked: for messages that must
    say where a finding is (an attachment's file name) without repeating it."""
    read = as_read(text)
    if not scan(read):
        return text
    return _CANDIDATE_RE.sub(lambda m: mask(m[0]) if scan(m[0]) else m[0], read)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
