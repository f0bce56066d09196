"""Facet data: the value lists (labels) and, per document, which values it has.

Documents are numbered newest first (Catalogue.public_items), so the 发布年份 of a document follows
from its number: only the first number of each year is stored. The other facets are stored per
document as a bit string (see encode.BitWriter):

- the document's (unit, column) *pair*, as an index into `pairs`;
- its (主题分类, 体裁, 有效性) as an index into that pair's own list `rest[pair]`, in just enough bits
  for that list (none when the pair's documents all share one).

`pairs` and the `rest` lists are bit strings too (`restCounts` = each list's length, as varints);
every width is in `widths`.

Units and columns go together because a unit publishes in few columns, and topic, genre and
validity vary little within one unit's column; this keeps the file near the information it holds.
"""
from __future__ import annotations

from ..vocab import GENRES, TOPICS, VALIDITY
from .encode import BitWriter, bits_for, varint

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

    pairs: dict[tuple[int, int], int] = {}
    rests: list[dict[tuple[int, int, int], int]] = []
    codes: list[tuple[int, int]] = []
    years: list[list[int]] = []
    for doc, item in enumerate(items):
        pair = pairs.setdefault((unit_ix[item.unit_id], column_ix[item.column]), len(pairs))
        if pair == len(rests):
            rests.append({})
        rest = (topic_ix[item.topic or ("", "")], genre_ix[item.genre], validity_ix[item.validity])
        codes.append((pair, rests[pair].setdefault(rest, len(rests[pair]))))
        if not years or years[-1][0] != item.published.year:
            years.append([item.published.year, doc])
    widths = [bits_for(len(unit_ix)), bits_for(len(column_ix)), bits_for(len(topic_ix)), bits_for(len(genre_ix)),
              bits_for(len(validity_ix)), bits_for(len(pairs))]
    pair_writer, rest_writer, doc_writer = BitWriter(), BitWriter(), BitWriter()
    for unit, column in pairs:
        pair_writer.write(unit, widths[0])
        pair_writer.write(column, widths[1])
    for rest in rests:
        for topic, genre, validity in rest:
            rest_writer.write(topic, widths[2])
            rest_writer.write(genre, widths[3])
            rest_writer.write(validity, widths[4])
    rest_bits = [bits_for(len(r)) for r in rests]
    for pair, rest in codes:
        doc_writer.write(pair, widths[5])
        doc_writer.write(rest, rest_bits[pair])
    labels = {
        "unit": [[u.id, u.name] for u in units],
        "col": [_column_label(catalogue, c) for c in column_ix],
        "topic": [[t[0], t[1] or ""] for t in topic_ix],
        "genre": list(genre_ix),
        "valid": list(validity_ix),
        "year": [y for y, _ in years],
    }
    data = {
        "widths": widths,  # unit, column, topic, genre, validity, pair
        "pairs": pair_writer.text(),
        "restCounts": "".join(varint(len(r)) for r in rests),
        "rest": rest_writer.text(),
        "docs": doc_writer.text(),
        "years": years,
    }
    return labels, data
