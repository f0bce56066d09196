"""Facet data: the value lists (labels) and, per document, which values it has.

Documents are numbered newest first (Catalogue.public_items), so the 发布年份 of a document follows
from its number: only the first number of each year is stored. The other facets are stored per
document, one after the other in one bit string (`docs`, see encode.BitWriter), each value in a
canonical Huffman code of its own *context*:

1. the unit, as its rank in a move-to-front list of the units (0 = the unit of the previous
   document, as when a unit publishes several items at once);
2. the column, in a code for that unit (a unit publishes in few columns);
3. the 主题分类, in a code for that unit (a unit's topics follow from its duties);
4. the (体裁, 有效性) pair, an index into `gv`, in a code for that column (a column mostly holds one
   genre, and most documents are 有效).

Each code table (`mtf`, `col`, `topic`, `gvCodes`; one table per context, in context order) is a
run of varints (encode.varint): the number of symbols, then for each symbol in ascending order
the gap from the previous one and its code length (0 when the context has a single symbol:
no bits are written). Codes are assigned canonically: by (length, symbol), consecutive.

On the generated 100,000-item corpus this is 13.8 bits per document and 233 KB in all, against
294 KB for the earlier encoding (a fixed-width (unit, column) pair per document, then an index
into that pair's list of (topic, genre, validity) triples: 15 bits per document plus 47 KB of
lists); see BENCHMARKS.md 检索. gkml-search.js decodes it one bit at a time, as fast as before.
"""
from __future__ import annotations

import heapq
from collections import Counter, defaultdict

from ..catalogue.vocab import GENRES, TOPICS, VALIDITY
from .encode import BitWriter, varint

_TOPIC_ORDER = {(l1, l2): (i, j) for i, (l1, subs) in enumerate(TOPICS.items()) for j, l2 in enumerate(("",) + subs)}


def _column_label(catalogue, code: str) -> list[str]:
    column = catalogue.taxonomy.by_code.get(code)
    if column is None:
        return [code, code, ""]
    group = column.ancestors[0].name if column.ancestors else ""
    return [code, column.name, group]


def _ordered(values, order) -> dict:
    return {v: n for n, v in enumerate(sorted(values, key=lambda v: (order(v), v)))}


def facet_tables(catalogue, items) -> tuple[dict, dict]:
    """(labels for meta.js, data for facets.js) of `items` (newest first)."""
    column_order = {c.code: n for n, c in enumerate(catalogue.taxonomy.walk())}
    used_units = {i.unit_id for i in items}
    units = [u for u in catalogue.sorted_units() if u.id in used_units]
    unit_ix = {u.id: n for n, u in enumerate(units)}
    column_ix = _ordered({i.column for i in items}, lambda c: column_order.get(c, 1 << 30))
    topic_ix = _ordered({i.topic or ("", "") for i in items},
                        lambda t: _TOPIC_ORDER.get((t[0], t[1] or ""), (1 << 30, 0)))
    genre_ix = _ordered({i.genre for i in items}, lambda g: GENRES.index(g) if g in GENRES else 1 << 30)
    validity_ix = _ordered({i.validity for i in items}, lambda v: VALIDITY.index(v) if v in VALIDITY else 9)

    units_n = len(unit_ix)
    gv_ix: dict[tuple[int, int], int] = {}
    rows: list[tuple[int, int, int, int]] = []  # (unit, column, topic, gv) of every document
    years: list[list[int]] = []
    for doc, item in enumerate(items):
        gv = gv_ix.setdefault((genre_ix[item.genre], validity_ix[item.validity]), len(gv_ix))
        rows.append((unit_ix[item.unit_id], column_ix[item.column], topic_ix[item.topic or ("", "")], gv))
        if not years or years[-1][0] != item.published.year:
            years.append([item.published.year, doc])
    ranks = _move_to_front([unit for unit, _, _, _ in rows], units_n)
    mtf = _Codes([0] * len(rows), ranks)
    col = _Codes([unit for unit, _, _, _ in rows], [c for _, c, _, _ in rows])
    topic = _Codes([unit for unit, _, _, _ in rows], [t for _, _, t, _ in rows])
    gv_codes = _Codes([c for _, c, _, _ in rows], [g for _, _, _, g in rows])
    writer = BitWriter()
    for rank, (unit, column, top, gv) in zip(ranks, rows):
        writer.write(*mtf.code(0, rank))
        writer.write(*col.code(unit, column))
        writer.write(*topic.code(unit, top))
        writer.write(*gv_codes.code(column, gv))
    labels = {
        "unit": [[u.id, u.name] for u in units],
        "col": [_column_label(catalogue, c) for c in column_ix],
        "topic": [[t[0], t[1] or ""] for t in topic_ix],
        "genre": list(genre_ix),
        "valid": list(validity_ix),
        "year": [y for y, _ in years],
    }
    data = {
        "mtf": mtf.table(1),
        "col": col.table(units_n),
        "topic": topic.table(units_n),
        "gvCodes": gv_codes.table(len(column_ix)),
        "gv": [list(pair) for pair in gv_ix],  # [genre, validity] label indices
        "docs": writer.text(),
        "years": years,
    }
    return labels, data


def _move_to_front(values: list[int], size: int) -> list[int]:
    """Each value's position in a list of 0..size-1 that moves every value seen to the front."""
    order, ranks = list(range(size)), []
    for value in values:
        rank = order.index(value)
        ranks.append(rank)
        if rank:
            del order[rank]
            order.insert(0, value)
    return ranks


def huffman_lengths(counts: dict[int, int]) -> dict[int, int]:
    """Code length of every symbol of `counts` (symbol -> occurrences); one symbol gets length 0.
    Ties are broken by symbol, so the lengths are deterministic."""
    if len(counts) == 1:
        return {symbol: 0 for symbol in counts}
    heap = [(n, symbol, (symbol,)) for symbol, n in sorted(counts.items())]
    heapq.heapify(heap)
    lengths = dict.fromkeys(counts, 0)
    while len(heap) > 1:
        n1, first1, group1 = heapq.heappop(heap)
        n2, first2, group2 = heapq.heappop(heap)
        for symbol in group1 + group2:
            lengths[symbol] += 1
        heapq.heappush(heap, (n1 + n2, min(first1, first2), group1 + group2))
    return lengths


def canonical_codes(lengths: dict[int, int]) -> dict[int, tuple[int, int]]:
    """symbol -> (code, length): consecutive codes in (length, symbol) order (as DEFLATE)."""
    codes, code, previous = {}, 0, 0
    for symbol, length in sorted(lengths.items(), key=lambda kv: (kv[1], kv[0])):
        code <<= length - previous
        codes[symbol] = (code, length)
        code += 1
        previous = length
    return codes


class _Codes:
    """One canonical Huffman code per context, from the (context, symbol) sequence it will code."""

    def __init__(self, contexts: list[int], symbols: list[int]):
        counts: dict[int, Counter] = defaultdict(Counter)
        for context, symbol in zip(contexts, symbols):
            counts[context][symbol] += 1
        self.lengths = {context: huffman_lengths(c) for context, c in counts.items()}
        self.codes = {context: canonical_codes(lengths) for context, lengths in self.lengths.items()}

    def code(self, context: int, symbol: int) -> tuple[int, int]:
        return self.codes[context][symbol]

    def table(self, contexts: int) -> str:
        """The code lengths of contexts 0..contexts-1 (see the module doc)."""
        out = []
        for context in range(contexts):
            lengths = sorted(self.lengths.get(context, {}).items())
            out.append(varint(len(lengths)))
            previous = -1
            for symbol, length in lengths:
                out.append(varint(symbol - previous - 1) + varint(length))
                previous = symbol
        return "".join(out)
