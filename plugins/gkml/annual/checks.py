"""The 勾稽 checks every annual report must pass (REFERENCE.md §4.3, §4.4).

Each failure names the cell an office would correct on the printed table. The checks look at
the finished tables only, so a typed 汇总表 and one computed from a register are judged alike.
"""
from __future__ import annotations

from dataclasses import dataclass

from .tables import (CASE_COLUMNS, CASE_GROUPS, CASE_TOTAL, COLUMNS, OUTCOME_GROUPS, OUTCOMES, ROW_CARRIED,
                     ROW_FORWARD, ROW_KEYS, ROW_LABEL, ROW_NEW, ROW_TOTAL, SECTION_TITLE, TOTAL, TableB, TableC,
                     row_title)

CHECK_CODES = frozenset({"annual-balance", "annual-outcome-total", "annual-row-total", "annual-case-total",
                         "annual-carry-over", "annual-cell"})
TABLE_B = SECTION_TITLE["三"]
TABLE_C = SECTION_TITLE["四"]


@dataclass(frozen=True)
class Problem:
    """A failed check. `row` is a Table B row key or a Table C group key, to find the line."""

    code: str
    cell: str
    message: str
    row: str


def row_cell_name(key: str) -> str:
    """How an office names a row of 表三 on paper: 「第（三）项第4目「保护第三方合法权益」行」."""
    for group in OUTCOME_GROUPS:
        for o in group.outcomes:
            if o.key == key:
                item = group.label[:3]  # （三）
                if group.split:
                    number, text = o.label.split(".", 1)
                    return f"第{item}项第{number}目「{text}」行"
                return f"第{item}项「{o.short}」行"
    if key == ROW_TOTAL:
        return "第（七）项「总计」行"
    return f"「{ROW_LABEL[key]}」行"


def check_table_b(b: TableB) -> list[Problem]:
    """The three 勾稽 rules of 表三. A wrong cell that breaks both its row and its column is reported
    once, as that cell, instead of as a row total and a column total."""
    problems: list[Problem] = []
    outcome_keys = [o.key for o in OUTCOMES]
    balance: dict[int, int] = {}  # column -> (一 + 二) - (三（七） + 四)
    outcome: dict[int, int] = {}  # column -> Σ outcomes - （七）总计
    for i, (_, col) in enumerate(COLUMNS):
        new, carried = b.cell(ROW_NEW, i), b.cell(ROW_CARRIED, i)
        done, forward = b.cell(ROW_TOTAL, i), b.cell(ROW_FORWARD, i)
        balance[i] = new + carried - done - forward
        if balance[i]:
            problems.append(Problem(
                "annual-balance", f"{TABLE_B}「{col}」列",
                f"「{col}」列：一、本年新收 {new} + 二、上年结转 {carried} = {new + carried}，"
                f"而 三、（七）总计 {done} + 四、结转下年度继续办理 {forward} = {done + forward}；"
                f"两者应相等（相差 {abs(new + carried - done - forward)}）", ROW_FORWARD))
        outcomes = sum(b.cell(key, i) for key in outcome_keys)
        outcome[i] = outcomes - done
        if outcome[i]:
            problems.append(Problem(
                "annual-outcome-total", f"{TABLE_B}「（七）总计」行「{col}」列",
                f"「{col}」列：（七）总计为 {done}，而（一）至（六）各项办理结果之和为 {outcomes}；"
                "（七）总计应等于全部办理结果之和", ROW_TOTAL))
    rows: dict[str, int] = {}  # row -> Σ applicants - 总计
    for key in ROW_KEYS:
        row = b.rows[key]
        parts = sum(row[:TOTAL])
        rows[key] = parts - row[TOTAL]
        if rows[key]:
            problems.append(Problem(
                "annual-row-total", f"{TABLE_B}「{row_title(key)}」行「总计」列",
                f"「{row_title(key)}」行：总计为 {row[TOTAL]}，而六类申请人之和为 {parts}"
                f"（{' + '.join(str(v) for v in row[:TOTAL])}）；总计应等于自然人与五类法人或其他组织之和", key))
    return _name_cells(b, problems, rows, balance, outcome)


def _signature(key: str, error: int) -> tuple[int, int]:
    """(balance, outcome) discrepancies of a column whose cell in row `key` is `error` too high."""
    if key in (ROW_NEW, ROW_CARRIED):
        return error, 0
    if key == ROW_FORWARD:
        return -error, 0
    if key == ROW_TOTAL:
        return -error, -error
    return 0, error


def _name_cells(b: TableB, problems: list[Problem], rows: dict[str, int], balance: dict[int, int],
                outcome: dict[int, int]) -> list[Problem]:
    candidates = []
    for key, off in rows.items():
        if not off:
            continue
        for i in range(len(COLUMNS)):
            error = off if i < TOTAL else -off  # a 总计 cell too high makes the row's parts look too low
            if (balance[i], outcome[i]) == _signature(key, error):
                candidates.append((key, i, error))
    cells = [c for c in candidates if sum(k == c[0] for k, _, _ in candidates) == 1
             and sum(i == c[1] for _, i, _ in candidates) == 1]
    if not cells:
        return problems
    explained_rows = {key for key, _, _ in cells}
    explained_columns = {COLUMNS[i][1] for _, i, _ in cells}
    kept = [p for p in problems
            if not (p.code == "annual-row-total" and p.row in explained_rows)
            and not (p.code in ("annual-balance", "annual-outcome-total")
                     and any(p.cell.endswith(f"「{col}」列") for col in explained_columns))]
    for key, i, error in cells:
        col, value = COLUMNS[i][1], b.cell(key, i)
        row = b.rows[key]
        where = f"{row_cell_name(key)}「{col}」列"
        kept.append(Problem(
            "annual-cell", f"{TABLE_B}{where}",
            f"{where}为 {value}，很可能填错了：该行六类申请人之和 {sum(row[:TOTAL])} 与总计 {row[TOTAL]} 不符，"
            f"「{col}」列的勾稽关系也不成立，两处都相差 {abs(error)}；这一格应为 {value - error}", key))
    return kept


def case_cell_name(group: str, column: int) -> str:
    """A sub-cell of 表四 by its three header levels: 「行政诉讼」「复议后起诉」「结果纠正」."""
    head = "「行政复议」" if group == "review" else f"「行政诉讼」「{dict(CASE_GROUPS)[group]}」"
    return f"{head}「{CASE_COLUMNS[column]}」"


def check_table_c(c: TableC) -> list[Problem]:
    problems: list[Problem] = []
    for key, label in CASE_GROUPS:
        row = c.groups[key]
        parts = sum(row[:CASE_TOTAL])
        if parts != row[CASE_TOTAL]:
            terms = " + ".join(f"{name} {v}" for name, v in zip(CASE_COLUMNS[:CASE_TOTAL], row))
            problems.append(Problem(
                "annual-case-total", f"{TABLE_C}{case_cell_name(key, CASE_TOTAL)}",
                f"{case_cell_name(key, CASE_TOTAL)}为 {row[CASE_TOTAL]}，而 {terms} = {parts}；"
                f"总计应等于四项结果之和：请核对{'、'.join(case_cell_name(key, i) for i in range(CASE_TOTAL))}"
                f"和{case_cell_name(key, CASE_TOTAL)}", key))
    return problems


def check_carry_over(previous: TableB, previous_year: int, current: TableB) -> list[Problem]:
    """Year N's 四、结转下年度继续办理 must be year N+1's 二、上年结转, column by column."""
    problems: list[Problem] = []
    for i, (_, col) in enumerate(COLUMNS):
        before, now = previous.cell(ROW_FORWARD, i), current.cell(ROW_CARRIED, i)
        if before != now:
            problems.append(Problem(
                "annual-carry-over", f"{TABLE_B}「二、上年结转政府信息公开申请数量」行「{col}」列",
                f"「{col}」列：二、上年结转为 {now}，而 {previous_year} 年报告的「四、结转下年度继续办理」为 {before}；"
                "两者应相同", ROW_CARRIED))
    return problems
