"""Reading the tables of a hand-typed 年报 (an item whose body has Markdown tables in the 30号
layout) so the same checks as for a computed report can run on them. A table is judged only
when every one of its rows can be read; anything else is left alone (not every office types
tables as Markdown, and a guess would be worse than silence)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .checks import check_table_b, check_table_c
from .tables import CASE_COLUMNS, CASE_GROUPS, COLUMNS, ROW_KEYS, ROW_LABEL, TableB, TableC

_SPACE = re.compile(r"[\s\u3000*]+")
_NUMBERING = re.compile(r"^(?:\d+[.、．]|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


@dataclass(frozen=True)
class TypedProblem:
    line: int
    cell: str
    message: str


def _norm(text: str) -> str:
    return _SPACE.sub("", text).replace("“", "").replace("”", "").replace('"', "")


def _labels() -> dict[str, str]:
    out = {}
    for key in ROW_KEYS:
        label = _norm(ROW_LABEL[key])
        out[label] = key
        out.setdefault(_NUMBERING.sub("", label), key)
    return out


_ROW_BY_LABEL = _labels()
_GROUP_BY_LABEL = {_norm(label): key for key, label in CASE_GROUPS}


def _table_rows(body: str, first_line: int):
    """(line number, cells) of each Markdown table row, separator rows skipped."""
    for n, line in enumerate(body.splitlines()):
        text = line.strip()
        if not text.startswith("|"):
            continue
        cells = [c.strip() for c in text.strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        yield first_line + n, cells


def _numbers(cells: list[str]) -> list[int] | None:
    if not cells or not all(re.fullmatch(r"\d+", c) for c in cells):
        return None
    return [int(c) for c in cells]


def read_typed_tables(body: str, first_line: int) -> list[TypedProblem]:
    b, b_lines = TableB(), {}
    c, c_lines = TableC(), {}
    for line, cells in _table_rows(body, first_line):
        label = _norm(cells[0]) if cells else ""
        numbers = _numbers(cells[1:])
        key = _ROW_BY_LABEL.get(label) or _ROW_BY_LABEL.get(_NUMBERING.sub("", label))
        if key and numbers is not None and len(numbers) == len(COLUMNS) and key not in b_lines:
            b.rows[key], b_lines[key] = numbers, line
            continue
        group = next((g for name, g in _GROUP_BY_LABEL.items() if label.endswith(name)), None)
        if group and numbers is not None and len(numbers) == len(CASE_COLUMNS):
            c.groups[group], c_lines[group] = numbers, line
            continue
        whole = _numbers(cells)  # 表四 typed as one row of 15 numbers under its three header rows
        if whole is not None and len(whole) == len(CASE_COLUMNS) * len(CASE_GROUPS) and not c_lines:
            for i, (g, _) in enumerate(CASE_GROUPS):
                c.groups[g], c_lines[g] = whole[i * len(CASE_COLUMNS):(i + 1) * len(CASE_COLUMNS)], line
    problems = []
    if len(b_lines) == len(ROW_KEYS):
        problems += [TypedProblem(b_lines[p.row], p.cell, p.message) for p in check_table_b(b)]
    if len(c_lines) == len(CASE_GROUPS):
        problems += [TypedProblem(c_lines[p.row], p.cell, p.message) for p in check_table_c(c)]
    return problems
