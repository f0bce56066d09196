"""Personal data that must never be published: 身份证号, mobile numbers, bank card numbers.

Matches are verified (ID checksum, valid birth date, Luhn) so that 文号, 索引号 and amounts do
not raise false alarms, and are shown masked so the report itself leaks nothing.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})((?:19|20)\d{2})(\d{2})(\d{2})(\d{3})([0-9Xx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9])")
_CARD_RE = re.compile(r"(?<![0-9-])((?:\d[ -]?){15,18}\d)(?![0-9])")  # not the tail of a longer number such as 350128…-3501…号
# Every number above is a run of at least 11 digits, spaces and hyphens from digit to digit. One
# pass of this cheap pattern (it starts with a digit, so the engine skips ahead in C) spares
# most texts the three full scans, whose leading look-behinds make them try every position.
_CANDIDATE_RE = re.compile(r"\d[\d -]{9,}\d")
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


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
