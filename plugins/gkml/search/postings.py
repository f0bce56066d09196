"""Inverted index of the public items: term -> encoded posting list (see encode.py for the format)."""
from __future__ import annotations

from array import array
from collections import defaultdict, deque
from itertools import chain, repeat
from operator import add, sub

from .encode import VARINT, bitmap, is_pair_key, varint
from .fold import fold
from .text import BODY_CHARS, index_text
from .tokenize import add_text_terms, id_term, title_positions


def item_terms(item, body_chars: int = BODY_CHARS) -> tuple[dict[str, list[int]], set[str]]:
    """(title terms with pair positions, all other terms) of one item."""
    in_title = title_positions(fold(item.title))
    other: set[str] = set()
    add_text_terms(other, fold(" ".join((item.doc_no, *item.keywords))), singles=True)
    long_fields = (item.summary, item.publisher, item.index_no, index_text(item.body, body_chars))
    add_text_terms(other, fold("\n".join(long_fields)), singles=False)
    for ident in (item.doc_no, item.index_no):
        if key := id_term(ident):
            other.add(key)
    other.difference_update(in_title)
    return in_title, other


def _num(n: int) -> str:
    return VARINT[n] if n < len(VARINT) else varint(n)


def _positions(positions: list[int]) -> str:
    out, prev, last = [], 0, len(positions) - 1
    for n, pos in enumerate(positions):
        out.append(_num((pos - prev) * 2 + (n < last)))
        prev = pos
    return "".join(out)


class _Table(list):
    """VARINT, extended on demand so that map() can index it in C for every gap of a build."""

    def ensure(self, size: int) -> None:
        self.extend(varint(n) for n in range(len(self), size))


def encode_list(key: str, docs, titles: list[tuple[int, list[int]]], table: _Table) -> str:
    """One posting list. `docs` ascending; `titles` = (index in docs, positions) of the documents
    whose title holds the term."""
    steps = list(map(sub, docs, chain((-1,), docs)))  # id - previous id = gap + 1
    parts = list(map(table.__getitem__, map(sub, map(add, steps, steps), repeat(2))))
    with_positions = is_pair_key(key)
    for index, positions in titles:
        entry = table[steps[index] * 2 - 1]
        parts[index] = entry + _positions(positions) if with_positions and positions else entry
    return "".join(parts)


def encode_term(key: str, docs, titles: list[tuple[int, list[int]]], count: int, table: _Table) -> str:
    """The shorter of the two forms of a posting list: the gap list (encode_list), or, for terms in
    a large share of the documents, "~" + bitmap of all documents + "~" + the gap list of the
    documents whose title holds the term."""
    plain = encode_list(key, docs, titles, table)
    if len(docs) * 8 < count:
        return plain
    in_title = [docs[index] for index, _ in titles]
    dense = "~" + bitmap(docs, count) + "~" + encode_list(
        key, in_title, [(n, positions) for n, (_, positions) in enumerate(titles)], table)
    return dense if len(dense) < len(plain) else plain


def _accumulate(items, body_chars: int):
    """(term -> ascending document array, term -> [(index in that array, title positions)]).
    One process on purpose: a forked worker would copy the catalogue's pages as it reads them."""
    docs: defaultdict[str, array] = defaultdict(lambda: array("i"))
    titles: defaultdict[str, list[tuple[int, list[int]]]] = defaultdict(list)
    for doc, item in enumerate(items):
        in_title, other = item_terms(item, body_chars)
        for key, positions in in_title.items():
            lst = docs[key]
            titles[key].append((len(lst), positions))
            lst.append(doc)
        deque(map(array.append, map(docs.__getitem__, other), repeat(doc)), maxlen=0)
    return docs, titles


def build_postings(items, body_chars: int = BODY_CHARS) -> dict[str, str]:
    """Encoded posting lists for `items` in order (document id = position in the list)."""
    docs, titles = _accumulate(items, body_chars)
    table = _Table(VARINT)
    table.ensure(2 * len(items) + 2)
    count = len(items)
    return {key: encode_term(key, docs[key], titles.get(key, ()), count, table) for key in docs}
