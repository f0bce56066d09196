"""Inverted index of the public items: term -> encoded posting list (see encode.py for the format).

Every posting is a 64-bit key (invert.py), so that most of the work is numpy's, not Python's
(about 500 distinct terms per item; 100,000 items must index in well under a minute, issue 4):

- the title (pair positions), 文号, keywords and the identifier keys are tokenised per item in
  Python (tokenize.py); their terms are numbered by a Vocabulary;
- the long fields (summary, publisher, 索引号, body), nearly all the postings, are tokenised a
  batch of items at a time by bulk.py, their character pairs never becoming strings;
- each batch's keys are sorted and deduplicated at once (all of an item's postings are in one
  batch) and kept in parts; at the end each part is sorted and encoded (invert.py).

One process on purpose: a forked worker would copy the catalogue's pages as it reads them.
"""
from __future__ import annotations

import re

from itertools import repeat

import numpy as np

from .bulk import long_terms, pair_code, pair_term
from .encode import VARINT, varint_cached
from .fold import fold
from .invert import PARTS, dedupe, doc_bits_for, encode_part, make_keys, part_of, split_parts
from .text import BODY_CHARS, search_fields
from .tokenize import ID_PREFIX, add_text_terms, id_term, title_positions

OTHER = 1 << 42        # codes of terms that are not two characters long start here
BATCH_CHARS = 1 << 21  # characters of long fields tokenised together


class Vocabulary(dict):
    """term -> code: a two-character term is its bulk.pair_code (as the bulk tokeniser numbers
    pairs), any other term OTHER + the order in which it was first seen."""

    def __init__(self):
        super().__init__()
        self.others: list[str] = []

    def __missing__(self, term: str) -> int:
        if len(term) == 2:
            code = pair_code(term)
        else:
            code = OTHER + len(self.others)
            self.others.append(term)
        self[term] = code
        return code

    def term(self, code: int) -> str:
        return pair_term(code) if code < OTHER else self.others[code - OTHER]


def title_tails(in_title: dict[str, list[int]]) -> list[str]:
    """What follows each title posting: the term's positions in the title. title_positions gives
    positions exactly for pair terms (encode.is_pair_key), an empty list for the others."""
    return ["" if not p else VARINT[2 * p[0]] if len(p) == 1 and 2 * p[0] < len(VARINT) else title_tail(p)
            for p in in_title.values()]  # inline: one call per title term would cost more than the rest


def title_tail(positions: list[int]) -> str:
    out, previous, last = [], 0, len(positions) - 1
    for n, position in enumerate(positions):
        out.append(varint_cached((position - previous) * 2 + (n < last)))
        previous = position
    return "".join(out)


def short_terms(item) -> set[str]:
    """The terms of the fields tokenised per item besides the title: 文号, keywords, identifier keys."""
    terms: set[str] = set()
    add_text_terms(terms, fold(" ".join((item.doc_no, *item.keywords))), singles=True)
    for ident in (item.doc_no, item.index_no):
        if key := id_term(ident):
            terms.add(key)
    terms.update(doc_no_fragments(item.doc_no))
    if len(item.title) <= WHOLE_TITLE_MAX:  # a short title typed whole ranks its item first
        terms.add(id_term(item.title))
    return terms


# Titles up to this many characters are also indexed whole (gkml-search.js WHOLE_TITLE_MAX):
# 「公示」 must find the item called 公示 first among the hundreds whose titles hold the word.
WHOLE_TITLE_MAX = 12


_YEAR_BRACKET = re.compile(r"^(.*?)(\(\d{4}\))(.*)$")


def doc_no_fragments(doc_no: str) -> set[str]:
    """Identifier keys for the parts of a 文号 a reader types on their own: 〔2025〕, 示政规〔2025〕
    and 〔2025〕3号 of 示政规〔2025〕3号 (a query in brackets is looked up literally, as a whole
    identifier, and ranks the items whose 文号 holds it first)."""
    key = id_term(doc_no)
    m = _YEAR_BRACKET.match(key[1:]) if key else None
    if not m:
        return set()
    prefix, year, serial = m.groups()
    return {ID_PREFIX + year, ID_PREFIX + prefix + year, ID_PREFIX + year + serial} - {key}


def long_text(fields: list[str]) -> str:
    """The long fields of search_fields, as one text for the bulk tokeniser."""
    return "\n".join(fields[2:])


class _Batch:
    """The postings of a run of items, before they become keys."""

    def __init__(self):
        self.texts: list[str] = []
        self.text_docs: list[int] = []
        self.chars = 0
        self.codes: list[int] = []       # short terms
        self.docs: list[int] = []
        self.title_codes: list[int] = []
        self.title_docs: list[int] = []


class PostingBuilder:
    """Add the items in order (document id = position), then finish()."""

    def __init__(self, count: int, body_chars: int = BODY_CHARS, on_fields=None):
        self.count = count
        self.on_fields = on_fields  # called with (doc, item, search fields) of every item
        self.body_chars = body_chars
        self.doc_bits = doc_bits_for(count)
        self.vocabulary = Vocabulary()
        self.parts: list[list[np.ndarray]] = [[] for _ in range(PARTS)]
        self.title_keys: list[np.ndarray] = []
        self.tails: list[str] = []   # of every title posting, in the order added
        self.batch = _Batch()

    def add(self, doc: int, item) -> None:
        batch, code = self.batch, self.vocabulary.__getitem__
        in_title = title_positions(fold(item.title))
        batch.title_codes.extend(map(code, in_title))
        batch.title_docs.extend(repeat(doc, len(in_title)))
        self.tails += title_tails(in_title)
        short = short_terms(item)
        batch.codes.extend(map(code, short))
        batch.docs.extend(repeat(doc, len(short)))
        fields = search_fields(item, self.body_chars)
        if self.on_fields is not None:
            self.on_fields(doc, item, fields)
        text = long_text(fields)
        batch.texts.append(text)
        batch.text_docs.append(doc)
        batch.chars += len(text)
        if batch.chars >= BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, _Batch()
        if not batch.text_docs:
            return
        long = long_terms(batch.texts, batch.text_docs)
        word_codes = np.fromiter(map(self.vocabulary.__getitem__, long.terms), dtype=np.uint64, count=len(long.terms))
        title_keys = make_keys(batch.title_codes, batch.title_docs, True, self.doc_bits)
        self.title_keys.append(title_keys)
        keys = dedupe(np.concatenate((
            title_keys,
            make_keys(batch.codes, batch.docs, False, self.doc_bits),
            make_keys(long.pair_codes, long.pair_docs, False, self.doc_bits),
            make_keys(word_codes, long.term_docs, False, self.doc_bits))))
        for part, piece in zip(self.parts, split_parts(keys, self.doc_bits)):
            part.append(piece)

    def finish(self) -> dict[str, str]:
        self.flush()
        title_keys = np.concatenate(self.title_keys) if self.title_keys else np.zeros(0, dtype=np.uint64)
        order = np.argsort(title_keys, kind="stable")
        title_parts = part_of(title_keys[order], self.doc_bits)
        out: dict[str, str] = {}
        for n in range(PARTS):
            pieces, self.parts[n] = self.parts[n], []
            # one sorted run per batch: a merge (timsort, "stable") is several times faster than a quicksort
            keys = np.sort(np.concatenate(pieces), kind="stable") if pieces else np.zeros(0, dtype=np.uint64)
            del pieces
            if not len(keys):
                continue
            tails = [self.tails[i] for i in order[title_parts == n].tolist()]
            out.update(encode_part(keys, tails, self.doc_bits, self.count, self.vocabulary.term))
        return out


def build_postings(items, body_chars: int = BODY_CHARS, on_fields=None) -> dict[str, str]:
    """Encoded posting lists for `items` in order (document id = position in the list)."""
    builder = PostingBuilder(len(items), body_chars, on_fields)
    for doc, item in enumerate(items):
        builder.add(doc, item)
    return builder.finish()
