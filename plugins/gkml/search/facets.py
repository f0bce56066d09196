"""Facet data: the value lists (labels) and, per document, which values it has.

Documents are numbered newest first (Catalogue.public_items), so the 发布年份 of a document follows
from its number: only the first number of each year is stored. The other facets (unit, column,
主题分类, 体裁, 有效性) are combined into *profiles*; each document stores the number of its profile
in a fixed number of base-64 characters.
"""
from __future__ import annotations

from ..vocab import GENRES, TOPICS, VALIDITY
from .encode import fixed, width_for

_TOPIC_ORDER = {(l1, l2): (i, j) for i, (l1, subs) in enumerate(TOPICS.items()) for j, l2 in enumerate(("",) + subs)}


def _column_label(catalogue, code: str) -> list[str]:
    column = catalogue.taxonomy.by_code.get(code)
    if column is None:
        return [code, code, ""]
    group = column.ancestors[0].name if column.ancestors else ""
    return [code, column.name, group]


def facet_tables(catalogue, items) -> tuple[dict, dict]:
    """(labels for meta.js, data for facets.js) of `items` (newest first)."""
    column_order = {c.code: n for n, c in enumerate(catalogue.taxonomy.walk())}
    units = [u for u in catalogue.sorted_units() if any(i.unit_id == u.id for i in items)]
    unit_ix = {u.id: n for n, u in enumerate(units)}
    columns = sorted({i.column for i in items}, key=lambda c: (column_order.get(c, 1 << 30), c))
    column_ix = {c: n for n, c in enumerate(columns)}
    topics = sorted({i.topic or ("", "") for i in items},
                    key=lambda t: (_TOPIC_ORDER.get((t[0], t[1] or ""), (1 << 30, 0)), t))
    topic_ix = {t: n for n, t in enumerate(topics)}
    genres = sorted({i.genre for i in items}, key=lambda g: (GENRES.index(g) if g in GENRES else 1 << 30, g))
    genre_ix = {g: n for n, g in enumerate(genres)}
    validity = sorted({i.validity for i in items}, key=lambda v: (VALIDITY.index(v) if v in VALIDITY else 9, v))
    validity_ix = {v: n for n, v in enumerate(validity)}

    profiles: dict[tuple[int, ...], int] = {}
    per_doc: list[int] = []
    years: list[list[int]] = []
    for doc, item in enumerate(items):
        key = (unit_ix[item.unit_id], column_ix[item.column], topic_ix[item.topic or ("", "")],
               genre_ix[item.genre], validity_ix[item.validity])
        per_doc.append(profiles.setdefault(key, len(profiles)))
        year = item.published.year
        if not years or years[-1][0] != year:
            years.append([year, doc])
    width = width_for(len(profiles))
    labels = {
        "unit": [[u.id, u.name] for u in units],
        "col": [_column_label(catalogue, c) for c in columns],
        "topic": [[t[0], t[1] or ""] for t in topics],
        "genre": genres,
        "valid": validity,
        "year": [y for y, _ in years],
    }
    data = {
        "profiles": [list(p) for p in profiles],
        "width": width,
        "docs": "".join(fixed(p, width) for p in per_doc),
        "years": years,
    }
    return labels, data
