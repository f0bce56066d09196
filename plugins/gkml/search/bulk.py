"""The terms of the long fields (summary, publisher, 索引号, body) of many items at once, with numpy.

Gives, per item, exactly the terms of ``tokenize.add_text_terms(terms, fold(text), singles=False)``
(tests/test_search_tokenize.py checks both agree), read the same way:

- whitespace is dropped, except that a word (``[0-9a-z]+``) never runs on across it;
- a pair of adjacent unit characters (tokenize.UNIT_CHAR: 汉字 etc., not ASCII letters or digits)
  is a term: these are most of the postings, so they stay numbers (pair_code) and never become
  Python strings here;
- a word is a term, and so are (unit character + word) and (word + unit character) next to it.

Texts of several items are joined with SEPARATOR (neither whitespace nor a unit character, so
nothing pairs across it), turned into one array of code points, and folded with a table built
from fold.py's translation, so that per character the work is numpy's, not Python's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .fold import WHITESPACE, translation
from .tokenize import UNIT_CHAR

CODE_POINTS = 0x110000
PAIR_SHIFT = 21  # a code point needs 21 bits
SEPARATOR = "\x00"


def pair_code(term: str) -> int:
    """The number of a two-character term (below 2**42); the inverse of pair_term."""
    return (ord(term[0]) << PAIR_SHIFT) | ord(term[1])


def pair_term(code: int) -> str:
    return chr(code >> PAIR_SHIFT) + chr(code & ((1 << PAIR_SHIFT) - 1))


@dataclass
class Tables:
    fold: np.ndarray    # code point -> folded code point (uint32)
    space: np.ndarray   # code point -> is whitespace (bool)
    unit: np.ndarray    # code point -> is a unit character
    word: np.ndarray    # code point -> is an ASCII letter or digit


def _marks(pattern: str, every: str) -> np.ndarray:
    out = np.zeros(CODE_POINTS, dtype=bool)
    out[[m.start() for m in re.finditer(pattern, every)]] = True
    return out


@lru_cache(maxsize=1)
def tables() -> Tables:
    """Character classes from the same regular expressions tokenize.py uses, over every code point."""
    folded = np.arange(CODE_POINTS, dtype=np.uint32)
    every = folded.tobytes().decode("utf-32-le", "surrogatepass")
    for cp, out in translation().items():
        folded[cp] = ord(out)
    return Tables(folded, _marks(f"[{WHITESPACE}]", every), _marks(UNIT_CHAR, every), _marks("[0-9a-z]", every))


@dataclass
class LongTerms:
    pair_codes: np.ndarray   # uint64 pair_code of every adjacent unit pair (repeats kept)
    pair_docs: np.ndarray    # int64, the item of each pair
    terms: list[str]         # every word, and every unit character + word, word + unit character
    term_docs: np.ndarray    # int64, the item of each of those


def _code_points(texts: list[str], docs: list[int], table: Tables) -> tuple[np.ndarray, np.ndarray]:
    """Folded code points of the joined texts and the item each belongs to."""
    joined = SEPARATOR.join(texts).encode("utf-32-le", "surrogatepass")
    codes = table.fold[np.frombuffer(joined, dtype=np.uint32)]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
    owner = np.repeat(np.asarray(docs, dtype=np.int64), lengths)[:len(codes)]
    return codes, owner


def _word_terms(codes: np.ndarray, owner: np.ndarray, unit: np.ndarray, word: np.ndarray,
                spaced: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Words and the unit characters touching them (whitespace between does not matter)."""
    joined = word[:-1] & word[1:] & ~spaced[1:]  # character i and i+1 are in one word
    starts = np.flatnonzero(word & ~np.concatenate(([False], joined)))
    ends = np.flatnonzero(word & ~np.concatenate((joined, [False]))) + 1
    text = codes.tobytes().decode("utf-32-le", "surrogatepass")
    words = [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
    before = np.flatnonzero(starts > 0)
    before = before[unit[starts[before] - 1]]
    after = np.flatnonzero(ends < len(codes))
    after = after[unit[ends[after]]]
    terms = words + [text[i - 1] + words[n] for n, i in zip(before.tolist(), starts[before].tolist())]
    terms += [words[n] + text[i] for n, i in zip(after.tolist(), ends[after].tolist())]
    docs = owner[starts]
    return terms, np.concatenate((docs, docs[before], docs[after]))


def long_terms(texts: list[str], docs: list[int]) -> LongTerms:
    """The terms (module docstring) of `texts`, text n belonging to item docs[n]."""
    table = tables()
    codes, owner = _code_points(texts, docs, table)
    kept = np.flatnonzero(~table.space[codes])
    codes, owner = codes[kept], owner[kept]
    spaced = np.ones(len(kept), dtype=bool)  # whitespace (or the start) right before each character
    np.not_equal(np.diff(kept), 1, out=spaced[1:])
    unit = table.unit[codes]
    both = unit[:-1] & unit[1:]
    pair_codes = (codes[:-1][both].astype(np.uint64) << np.uint64(PAIR_SHIFT)) | codes[1:][both]
    terms, term_docs = _word_terms(codes, owner, unit, table.word[codes], spaced)
    return LongTerms(pair_codes, owner[:-1][both], terms, term_docs)
