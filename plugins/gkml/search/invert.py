"""Postings as 64-bit keys, and the encoded posting lists (encode.py's format) made from them.

A posting (term, document) is the key ``((code << doc_bits) | doc) << 1 | not_in_title``, where
``code`` numbers the term (postings.Vocabulary; below 2**43). Sorting keys therefore groups them by
term, documents ascending within a term, and puts a title posting before a plain posting of the
same term and document, which is how duplicates are dropped (dedupe keeps the first).

Keys are kept in PARTS parts by a hash of the term code, so that the last step (sort, encode) runs
on one part at a time and never needs a second copy of all of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .encode import ALPHABET, bitmap, varint_cached

CODE_BITS = 43
PARTS = 16
_ALPHABET = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
_ONE = np.uint64(1)


def doc_bits_for(count: int) -> int:
    bits = max(1, (count - 1).bit_length())
    if CODE_BITS + bits + 1 > 64:
        raise ValueError(f"too many documents for 64-bit posting keys: {count}")
    return bits


def make_keys(codes, docs, in_title: bool, doc_bits: int) -> np.ndarray:
    codes = np.asarray(codes, dtype=np.uint64)
    docs = np.asarray(docs, dtype=np.uint64)
    keys = ((codes << np.uint64(doc_bits)) | docs) << _ONE
    return keys if in_title else keys | _ONE


def dedupe(keys: np.ndarray) -> np.ndarray:
    """Sorted keys without repeated (term, document), a title posting kept over a plain one."""
    keys = np.sort(keys)
    keep = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:] >> _ONE, keys[:-1] >> _ONE, out=keep[1:])
    return keys[keep]


def part_of(keys: np.ndarray, doc_bits: int) -> np.ndarray:
    codes = keys >> np.uint64(doc_bits + 1)
    return (((codes >> np.uint64(21)) ^ codes) & np.uint64(PARTS - 1)).astype(np.uint8)


def split_parts(keys: np.ndarray, doc_bits: int) -> list[np.ndarray]:
    """`keys` (sorted) cut into PARTS arrays, each still sorted (copies, so each can be freed alone)."""
    parts = part_of(keys, doc_bits)
    grouped = keys[np.argsort(parts, kind="stable")]
    return [piece.copy() for piece in np.split(grouped, np.cumsum(np.bincount(parts, minlength=PARTS))[:-1])]


def varint_text(values: np.ndarray, tails: list[str], with_tail: np.ndarray) -> tuple[str, np.ndarray]:
    """varint(values[n]) (+ the next of `tails` where with_tail[n]) for every n, as one string,
    and the offset where each entry starts (one more offset at the end)."""
    digits = np.ones(len(values), dtype=np.int64)
    limit = 32
    while (big := values >= limit).any():
        digits += big
        limit <<= 5
    tail_lengths = np.fromiter(map(len, tails), dtype=np.int64, count=len(tails))
    sizes = digits.copy()
    sizes[with_tail] += tail_lengths
    ends = np.cumsum(sizes)
    starts = ends - sizes
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    for group in range(int(digits.max(initial=0))):
        where = np.flatnonzero(digits > group)
        low = (values[where] >> (5 * group)) & 31
        more = (digits[where] > group + 1) * 32
        out[starts[where] + group] = _ALPHABET[low + more]
    if tails:
        tail_bytes = np.frombuffer("".join(tails).encode("ascii"), dtype=np.uint8)
        first = (starts + digits)[with_tail] - (np.cumsum(tail_lengths) - tail_lengths)
        out[np.repeat(first, tail_lengths) + np.arange(len(tail_bytes))] = tail_bytes
    return out.tobytes().decode("ascii"), np.concatenate(([0], ends))


def _title_list(docs: list[int], tails: list[str]) -> str:
    """The gap list of the documents whose title holds the term (all of them title postings)."""
    out, previous = [], -1
    for doc, tail in zip(docs, tails):
        out.append(varint_cached((doc - previous - 1) * 2 + 1) + tail)
        previous = doc
    return "".join(out)


def encode_part(keys: np.ndarray, tails: list[str], doc_bits: int, count: int,
                term_of: Callable[[int], str]) -> Iterable[tuple[str, str]]:
    """(term, encoded posting list) for the sorted, deduplicated `keys`; `tails` = the title
    position strings of its title postings, in key order. For terms in at least an eighth of the
    `count` documents the bitmap form is used when shorter (encode.py, build.py)."""
    in_title = (keys & _ONE) == 0
    base = keys >> _ONE
    docs = (base & np.uint64((1 << doc_bits) - 1)).astype(np.int64)
    codes = base >> np.uint64(doc_bits)
    bounds = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1], [True])))
    previous = np.empty_like(docs)
    previous[0:1] = -1
    previous[1:] = docs[:-1]
    previous[bounds[:-1]] = -1
    text, offsets = varint_text((docs - previous - 1) * 2 + in_title, tails, in_title)
    chars = offsets[bounds].tolist()
    terms = list(map(term_of, codes[bounds[:-1]].tolist()))
    lists = [text[a:b] for a, b in zip(chars, chars[1:])]
    ranks = np.concatenate(([0], np.cumsum(in_title)))[bounds].tolist()  # title postings before each term
    starts = bounds.tolist()
    for n in np.flatnonzero(np.diff(bounds) * 8 >= count).tolist():
        start, end = starts[n], starts[n + 1]
        titled = docs[start:end][in_title[start:end]].tolist()
        dense = "~" + bitmap(docs[start:end], count) + "~" + _title_list(titled, tails[ranks[n]:ranks[n + 1]])
        if len(dense) < len(lists[n]):
            lists[n] = dense
    return zip(terms, lists)
