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
# Every number above lies in a run of digits, spaces and hyphens holding at least 11 digits. This
# cheap pattern (one character class, repeated: no backtracking) finds the runs; the three full
# patterns, whose leading look-behinds make them try every position, run only around them.
_CANDIDATE_RE = re.compile(r"[0-9][0-9 -]{9,}[0-9]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Finding:
    kind: str  # 身份证号 | 手机号码 | 银行卡号
    masked: str
    start: int  # offset in the scanned text
    digits: str = ""  # the number itself: never shown, only compared (allowed numbers, where it came from)


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


def _long_run(run: str) -> bool:
    return len(run) - run.count(" ") - run.count("-") >= 11


def scan(text: str) -> list[Finding]:
    """Personal numbers in `text`. The three patterns run only around runs of 11 or more digits
    (a cheap pattern the engine skips ahead to), so long pages with dates cost little."""
    found: list[Finding] = []
    taken: list[range] = []
    for candidate in _CANDIDATE_RE.finditer(text):
        if not _long_run(candidate[0]):
            continue
        # 4 characters before for "+86 ", 2 after for the X of an ID and the character behind it
        pos, end = max(candidate.start() - 4, 0), min(candidate.end() + 2, len(text))
        for m in _ID_RE.finditer(text, pos, end):
            if valid_id(m.group(0)):
                found.append(Finding("身份证号", mask(m.group(0), 6, 4), m.start(), m.group(0).upper()))
                taken.append(range(m.start(), m.end()))
        for m in _CARD_RE.finditer(text, pos, end):
            digits = re.sub(r"[ -]", "", m.group(1))
            if 16 <= len(digits) <= 19 and luhn(digits) and digits[0] in "3456" \
                    and not any(m.start() in r for r in taken) and not valid_id(digits[:18]):
                found.append(Finding("银行卡号", mask(digits, 4, 4), m.start(), digits))
                taken.append(range(m.start(), m.end()))
        for m in _MOBILE_RE.finditer(text, pos, end):
            if not any(m.start() in r for r in taken):
                found.append(Finding("手机号码", mask("".join(m.groups()), 3, 4), m.start(), "".join(m.groups())))
    return sorted(found, key=lambda f: f.start)


# -- the text as a reader sees it ------------------------------------------------------------------
# A number can be typed so that a scanner reading the source misses it while a reader of the page
# sees it whole: entities (&#49;), empty or inline tags between digits, Markdown emphasis, soft
# hyphens and zero-width characters, full-width or Arabic-Indic digits. `as_read` undoes all that;
# it keeps every newline so line numbers found in it are those of the source.
INLINE_TAGS = "a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
_SPLIT_TAG_RE = re.compile(r"<!--.*?-->|<[A-Za-z/][^<>]*\n[^<>]*>", re.S)  # rare: keep their newlines
_INLINE_TAG_RE = re.compile(rf"</?(?:{INLINE_TAGS})(?:[\s/][^<>]*)?>", re.I)  # joins what is on either side
_BLOCK_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")  # a block, a line break: separates
_MARKUP_HINT = re.compile(r"[<&*_~`\\\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_INVISIBLE = re.compile("[*_~`\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
# Characters a reader takes for an ASCII letter or digit, or for another ideograph: full-width
# forms, super- and subscripts, circled and parenthesised numbers, mathematical digits, Kangxi
# radicals and compatibility ideographs, and every non-ASCII decimal digit (Arabic-Indic …).
_OTHER_DIGITS = (  # every decimal digit (Unicode category Nd) outside ASCII, from unicodedata 14
    "\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef"
    "\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59"
    "\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f"
    "\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59"
    "\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9"
    "\uff10-\uff19\U000104a0-\U000104a9\U00010d30-\U00010d39\U00011066-\U0001106f"
    "\U000110f0-\U000110f9\U00011136-\U0001113f\U000111d0-\U000111d9\U000112f0-\U000112f9"
    "\U00011450-\U00011459\U000114d0-\U000114d9\U00011650-\U00011659\U000116c0-\U000116c9"
    "\U00011730-\U00011739\U000118e0-\U000118e9\U00011950-\U00011959\U00011c50-\U00011c59"
    "\U00011d50-\U00011d59\U00011da0-\U00011da9\U00016a60-\U00016a69\U00016ac0-\U00016ac9"
    "\U00016b50-\U00016b59\U0001d7ce-\U0001d7ff\U0001e140-\U0001e149\U0001e2f0-\U0001e2f9"
    "\U0001e950-\U0001e959\U0001fbf0-\U0001fbf9")
_FOLDABLE = re.compile("[\u00b2\u00b3\u00b9\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793\u2f00-\u2fdf"
                       "\u3220-\u325f\u3280-\u32bf\uf900-\ufaff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
                       "\U0001d400-\U0001d7ff\U0001f100-\U0001f10c\U0002f800-\U0002fa1f" + _OTHER_DIGITS + "]+")


# Text made only of these (ASCII, Latin to Arabic letters before its digits, general punctuation,
# CJK punctuation and ideographs, full-width punctuation) has nothing to fold: checked first,
# since one class of a few ranges is many times faster than the one above.
_PLAIN = re.compile("[\x00-\u00b1\u00b4-\u00b8\u00ba-\u065f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff"
                    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]*")


def _fold_char(ch: str) -> str:
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    folded = unicodedata.normalize("NFKC", ch)
    return folded if folded.isalnum() else ch


def _fold(m: re.Match) -> str:
    return "".join(map(_fold_char, m[0]))


def _split_tag(m: re.Match) -> str:
    return "\n" * m[0].count("\n")


def as_read(text: str) -> str:
    """`text` as a reader of the published page reads it (see above); the same string when nothing changes."""
    if _MARKUP_HINT.search(text):
        if "<" in text:
            text = _BLOCK_TAG_RE.sub(" ", _INLINE_TAG_RE.sub("", _SPLIT_TAG_RE.sub(_split_tag, text)))
        text = html.unescape(text) if "&" in text else text
        text = _INVISIBLE.sub("", _MD_ESCAPE.sub(r"\1", text))
    return fold(text)


def fold(text: str) -> str:
    """Only the character forms of `as_read`: full-width, circled, Arabic-Indic … digits and letters
    folded; markup left as it is (for escaped text, where markup cannot join anything)."""
    if not text.isascii() and not _PLAIN.fullmatch(text) and _FOLDABLE.search(text):
        return _FOLDABLE.sub(_fold, text)
    return text


def scan_as_read(text: str, read: str | None = None) -> list[Finding]:
    """Personal data in `text` as typed and as read; offsets of the second kind are in `as_read(text)`
    (pass it as `read` when known), which has the same lines."""
    found = scan(text)
    read = as_read(text) if read is None else read
    if read != text:
        seen = {(f.kind, f.masked) for f in found}
        found += [f for f in scan(read) if (f.kind, f.masked) not in seen]
    return found


def negative_hits(patterns, text: str, read: str | None = None) -> list[tuple[re.Pattern, re.Match]]:
    """The first match of each negative-list pattern in `text` as typed, else as read (pass
    `as_read(text)` as `read` when known)."""
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


# -- many short texts at once ----------------------------------------------------------------------
# An item has some fifteen short texts (title, dates, 文号, attachment names …) and almost never a
# finding in any: asking once for all of them, joined by newlines, whether one could hold a finding
# costs a few regex passes instead of a few per text. The answer is exact, not a guess: a text that
# reads as typed makes every piece of it read as typed (the tests are character classes); no run of
# digits crosses a newline, so the runs `scan` starts from are those of the pieces; and a pattern that
# asserts nothing about what lies around a match (no anchor, word boundary or look-around) that
# matches in a piece matches in the whole. A pattern that might assert sends the texts the usual way.
_CONTEXT = re.compile(r"[\^$]|\\[bBAZzG]|\(\?")


def _context_free(pattern: re.Pattern) -> bool:
    """Whether `pattern` can be seen (conservatively, from its source) to assert nothing about
    what lies around a match."""
    return isinstance(pattern.pattern, str) and not _CONTEXT.search(pattern.pattern)


def nothing_to_find(texts: list[str], negative, personal: bool = True) -> bool:
    """True when no text of `texts` gives a match of `negative_hits` nor (with `personal`) a
    finding of `scan_as_read`; False when one may (then each text must be scanned on its own)."""
    joined = "\n".join(texts)
    if _MARKUP_HINT.search(joined) or not (joined.isascii() or _PLAIN.fullmatch(joined) or not _FOLDABLE.search(joined)):
        return False  # as_read might change a piece
    if any(not _context_free(pattern) or pattern.search(joined) for pattern in negative):
        return False
    return not personal or not any(_long_run(m[0]) for m in _CANDIDATE_RE.finditer(joined))
