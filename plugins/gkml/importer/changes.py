"""What an import did to the values it read, and what it found, counted by kind: the import
report shows each kind once, with how many rows, their ranges and a few examples, instead of
one line per row."""
from __future__ import annotations

from dataclasses import dataclass, field

EXAMPLES = 3


@dataclass
class Tally:
    kind: str  # what was done or found, in Chinese
    field: str  # the gkml field it concerns ("" for the row as a whole)
    rows: list[int] = field(default_factory=list)
    examples: list[tuple[int, str, str]] = field(default_factory=list)  # (row, before, after), first few distinct

    def add(self, row: int, before: str, after: str) -> None:
        if not self.rows or self.rows[-1] != row:
            self.rows.append(row)
        if len(self.examples) < EXAMPLES and all((b, a) != (before, after) for _, b, a in self.examples):
            self.examples.append((row, before, after))

    def as_json(self) -> dict:
        return {"kind": self.kind, "field": self.field, "count": len(self.rows), "rows": row_ranges(self.rows),
                "examples": [{"row": r, "before": b, "after": a} for r, b, a in self.examples]}


class Changes:
    """Every change made to a value, by (field, kind), in the order first seen."""

    def __init__(self) -> None:
        self.tallies: dict[tuple[str, str], Tally] = {}

    def add(self, row: int, target: str, kind: str, before: str, after: str) -> None:
        key = (target, kind)
        if key not in self.tallies:
            self.tallies[key] = Tally(kind, target)
        self.tallies[key].add(row, before, after)

    def noter(self, row: int, target: str):
        return lambda kind, before, after: self.add(row, target, kind, before, after)

    def only(self, rows: set[int]) -> list[Tally]:
        """The tallies restricted to `rows` (the rows that were imported), empty ones left out."""
        out = []
        for t in self.tallies.values():
            kept = sorted({r for r in t.rows if r in rows})  # a row staged twice is counted once
            if kept:
                out.append(Tally(t.kind, t.field, kept, [e for e in t.examples if e[0] in rows]))
        return out


def row_ranges(rows: list[int]) -> str:
    """2、3、4、7 -> 2—4、7"""
    rows = sorted(set(rows))
    parts, start = [], None
    for i, r in enumerate(rows):
        if start is None:
            start = r
        if i + 1 == len(rows) or rows[i + 1] != r + 1:
            parts.append(str(r) if r == start else f"{start}—{r}")
            start = None
    return "、".join(parts)
