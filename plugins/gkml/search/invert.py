"""Postings as 64-bit keys, and the encoded posting lists (encode.py's format) made from them.

A posting (term, document) is the key ``((code << doc_bits) | doc) << 1 | not_in_title``, where
``code`` numbers the term (postings.Vocabulary; below 2**43). Sorting keys therefore groups them by
term, documents ascending within a term, and puts a title posting before a plain posting of the
same term and document, which is how duplicates are dropped (dedupe keeps the first).

Keys are kept in PARTS parts by a hash of the term code, so that the last step (sort, encode) runs
on one part at a time and never needs a second copy of all of them.

Next to the keys goes one byte per posting, the mask of which thirds of the characters follow the
pair in the document's text outside the title (bulk.next_mask; UNKNOWN where that is not known):
masks of duplicate postings are OR-ed, and encode_part turns them into the body fingerprints of
encode.py.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .encode import ALPHABET, _TO_ALPHABET, bitmap, varint_cached

CODE_BITS = 43
UNKNOWN = 7  # next-character mask of a posting whose following characters are not known (encode.py)
# next-character mask -> fingerprint: one third of the characters (bulk.next_mask), or 3 = any;
# 0 when no unit character follows the pair at all (no phrase goes on from it: any value is sound)
_FINGERPRINT = np.array([0, 0, 1, 3, 2, 3, 3, 3], dtype=np.uint8)
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


def dedupe(keys: np.ndarray, nexts: np.ndarray | None = None):
    """Sorted keys without repeated (term, document), a title posting kept over a plain one.
    With `nexts` (a next-character mask per key, bulk.next_mask), also the masks of each kept
    key's (term, document) OR-ed together: (keys, masks)."""
    if nexts is None:
        keys = np.sort(keys)
    else:
        order = np.argsort(keys)
        keys, nexts = keys[order], nexts[order]
    keep = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:] >> _ONE, keys[:-1] >> _ONE, out=keep[1:])
    if nexts is None:
        return keys[keep]
    starts = np.flatnonzero(keep)
    return keys[keep], np.bitwise_or.reduceat(nexts, starts) if len(starts) else nexts[:0]


def part_of(keys: np.ndarray, doc_bits: int) -> np.ndarray:
    codes = keys >> np.uint64(doc_bits + 1)
    return (((codes >> np.uint64(21)) ^ codes) & np.uint64(PARTS - 1)).astype(np.uint8)


def split_parts(keys: np.ndarray, doc_bits: int, nexts: np.ndarray | None = None) -> list:
    """`keys` (sorted) cut into PARTS arrays, each still sorted (copies, so each can be freed alone);
    with `nexts`, (keys, nexts) pairs."""
    parts = part_of(keys, doc_bits)
    order = np.argsort(parts, kind="stable")
    cuts = np.cumsum(np.bincount(parts, minlength=PARTS))[:-1]
    pieces = [piece.copy() for piece in np.split(keys[order], cuts)]
    if nexts is None:
        return pieces
    return list(zip(pieces, (piece.copy() for piece in np.split(nexts[order], cuts))))


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


def fingerprints(unit_pairs: np.ndarray, in_title: np.ndarray, nexts: np.ndarray,
                 bounds: np.ndarray) -> dict[int, str]:
    """term number -> its body fingerprint section (encode.py), for the terms that get one.

    `unit_pairs`: per term, whether it is a pair of unit characters; `bounds`: where
    each term's postings start (and the end)."""
    sizes = np.diff(bounds)
    term = np.repeat(np.arange(len(sizes)), sizes)
    body = ~in_title & unit_pairs[term]
    where = np.flatnonzero(body)
    if not len(where):
        return {}
    owner = term[where]
    values = _FINGERPRINT[nexts[where]]
    first = np.searchsorted(owner, np.arange(len(sizes)))  # first body posting of each term
    rank = np.arange(len(where)) - first[owner]
    informative = values != 3  # trailing 3s are left out: the reader takes a missing value as 3
    last = np.full(len(sizes), -1, dtype=np.int64)
    np.maximum.at(last, owner[informative], rank[informative])
    kept = rank <= last[owner]
    owner, values, rank = owner[kept], values[kept], rank[kept]
    chars = np.where(last >= 0, last // 3 + 1, 0)
    offset = np.cumsum(chars) - chars
    # the last character is padded with 3s ("any"), so a reader may take every slot as a value
    digits = 63 - np.bincount(offset[owner] + rank // 3, weights=(3 - values.astype(np.int64)) << (2 * (2 - rank % 3)),
                              minlength=int(chars.sum())).astype(np.int64)
    text = digits.astype(np.uint8).tobytes().translate(_TO_ALPHABET).decode("ascii")
    return {n: text[offset[n]:offset[n] + chars[n]] for n in np.flatnonzero(chars).tolist()}


def encode_part(keys: np.ndarray, tails: list[str], doc_bits: int, count: int,
                term_of: Callable[[int], str], nexts: np.ndarray | None = None) -> Iterable[tuple[str, str]]:
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
    if nexts is not None:
        from .bulk import is_unit_pair_code
        for n, section in fingerprints(is_unit_pair_code(codes[bounds[:-1]]), in_title, nexts, bounds).items():
            lists[n] += "." + section
    return zip(terms, lists)
