"""Tokenising folded text into index terms (mirrored in gkml-search.js; keep the two in step).

A text is cut into *segments* at punctuation; whitespace does not cut a segment (Chinese text often
has spaces around numbers: 「每亩 100 元」). A segment is a list of *units*: a run of ASCII letters and
digits is one unit (a word), every other letter (汉字, kana, …, and 〇) is a unit on its own.

Terms of a document:
- every word unit (``2025``, ``3``, ``mb01000012``);
- every pair of adjacent units in a segment unless both are words (``财政``, ``2025年``, ``区2025``);
- every single non-word unit (``税``), but only from the short fields (title, 文号, keywords), so
  one-character queries search those;
- ``=`` + the whole-identifier key of the 文号 and of the 索引号 (see fold.id_key).

A query is cut into terms at whitespace and punctuation; a term of one unit looks up that unit, a
longer term looks up all its pairs, and the pairs' positions in titles tell whether the title holds
the term as an exact phrase.
"""
from __future__ import annotations

import re

from operator import add as _add

from .fold import WHITESPACE, fold, id_key

ID_PREFIX = "="


# Everything that is neither a letter or digit (\\w without _ is exactly \\p{L}\\p{N}) nor whitespace.
_CUT = re.compile(rf"[^\w{WHITESPACE}]|_")
_CUT_QUERY = re.compile(r"[^\w]|_")
_UNIT = re.compile(r"[0-9a-z]+|[^\W_]")
_WORD = re.compile(r"[0-9a-z]+")
_WORD_SPACE_WORD = re.compile(rf"[0-9a-z][{WHITESPACE}]+[0-9a-z]")


def is_word_char(ch: str) -> bool:
    return ("0" <= ch <= "9") or ("a" <= ch <= "z")


def segments(folded: str, split_on_space: bool = False) -> list[list[str]]:
    """Cut folded text into segments of units (see module docstring)."""
    cut = _CUT_QUERY if split_on_space else _CUT
    return [units for part in cut.split(folded) if (units := _UNIT.findall(part))]


def pairs(seg: list[str]):
    """(index in seg, pair key) for adjacent units that are not both words."""
    for i in range(len(seg) - 1):
        a, b = seg[i], seg[i + 1]
        if not (is_word_char(a[0]) and is_word_char(b[0])):
            yield i, a + b


# The builder's fast path: whole-text regular expressions that give the same terms as segments()
# and pairs() (tests/test_search_tokenize.py checks both agree on real text).
UNIT_CHAR = r"[^\W_0-9a-z]"  # a unit character that is not an ASCII letter or digit (also bulk.py)
_C = UNIT_CHAR
_SQUEEZE = re.compile(rf"[{WHITESPACE}]++(?![0-9a-z])|(?<![0-9a-z])[{WHITESPACE}]++")
_RUN_C = re.compile(rf"{_C}{{2,}}")
_PAIR_CW = re.compile(rf"{_C}[0-9a-z]+")
_PAIR_WC = re.compile(rf"[0-9a-z]+{_C}")
_SINGLE = re.compile(_C)


def add_text_terms(terms: set[str], folded: str, singles: bool) -> None:
    """Add the terms of one folded field to `terms`."""
    text = _SQUEEZE.sub("", folded)
    for run in _RUN_C.findall(text):
        terms.update(map(_add, run, run[1:]))
    if _WORD.search(text):
        terms.update(_WORD.findall(text))
        terms.update(_PAIR_CW.findall(text))
        terms.update(_PAIR_WC.findall(text))
    if singles:
        terms.update(_SINGLE.findall(text))


# A title read in one pass: a word, another unit character, or a character that cuts a segment
# (whitespace matches nothing, so it is skipped, as in segments()).
_TITLE_TOKEN = re.compile(rf"([0-9a-z]+)|([^\W_])|[^\w{WHITESPACE}]|_")


def title_positions(folded_title: str) -> dict[str, list[int]]:
    """Pair key -> the unit positions where it starts in the title (units counted across segments),
    and every unit -> []. The same as walking segments() and pairs(), in one regular expression."""
    out: dict[str, list[int]] = {}
    position, previous, previous_word = 0, "", False
    for word, char in _TITLE_TOKEN.findall(folded_title):
        unit = word or char
        if not unit:  # a cut: no pair across it
            previous = ""
            continue
        if previous and not (previous_word and word):
            key = previous + unit
            if key in out:
                out[key].append(position - 1)
            else:
                out[key] = [position - 1]
        if unit not in out:
            out[unit] = []
        previous, previous_word = unit, bool(word)
        position += 1
    return out


def id_term(text: str) -> str:
    return ID_PREFIX + id_key(text) if text.strip() else ""


_ID_LIKE = re.compile(r"\d")


def looks_like_id(query: str) -> bool:
    """Worth a whole-identifier lookup: has a digit and a bracket, a slash or ends in 号."""
    key = id_key(query)
    return bool(_ID_LIKE.search(key)) and ("(" in key or "/" in key or key.endswith("号"))


def query_terms(query: str) -> list[list[str]]:
    """The query's terms, each as the list of index keys it needs (one key for a one-unit term)."""
    out = []
    for seg in segments(fold(query), split_on_space=True):
        keys = [seg[0]] if len(seg) == 1 else [key for _, key in pairs(seg)]
        if keys and keys not in out:
            out.append(keys)
    return out
