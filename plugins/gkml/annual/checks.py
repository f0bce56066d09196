"""The 勾稽 checks every annual report must pass (REFERENCE.md §4.3, §4.4).

Each failure names the cell an office would correct on the printed table. The checks look at
the finished tables only, so a typed 汇总表 and one computed from a register are judged alike.
"""
from __future__ import annotations

from dataclasses import dataclass

from .tables import (CASE_COLUMNS, CASE_GROUPS, CASE_TOTAL, COLUMNS, OUTCOMES, ROW_CARRIED,
                     ROW_FORWARD, ROW_KEYS, ROW_NEW, ROW_TOTAL, SECTION_TITLE, TOTAL, TableB, TableC, row_title)

CHECK_CODES = frozenset({"annual-balance", "annual-outcome-total", "annual-row-total", "annual-case-total",
                         "annual-carry-over"})
TABLE_B = SECTION_TITLE["三"]
TABLE_C = SECTION_TITLE["四"]


@dataclass(frozen=True)
class Problem:
    """A failed check. `row` is a Table B row key or a Table C group key, to find the line."""

    code: str
    cell: str
    message: str
    row: str


def check_table_b(b: TableB) -> list[Problem]:
    problems: list[Problem] = []
    outcome_keys = [o.key for o in OUTCOMES]
    for i, (_, col) in enumerate(COLUMNS):
        new, carried = b.cell(ROW_NEW, i), b.cell(ROW_CARRIED, i)
        done, forward = b.cell(ROW_TOTAL, i), b.cell(ROW_FORWARD, i)
        if new + carried != done + forward:
            problems.append(Problem(
                "annual-balance", f"{TABLE_B}「{col}」列",
                f"「{col}」列：一、本年新收 {new} + 二、上年结转 {carried} = {new + carried}，"
                f"而 三、（七）总计 {done} + 四、结转下年度继续办理 {forward} = {done + forward}；"
                f"两者应相等（相差 {abs(new + carried - done - forward)}）", ROW_FORWARD))
        outcomes = sum(b.cell(key, i) for key in outcome_keys)
        if outcomes != done:
            problems.append(Problem(
                "annual-outcome-total", f"{TABLE_B}「（七）总计」行「{col}」列",
                f"「{col}」列：（七）总计为 {done}，而（一）至（六）各项办理结果之和为 {outcomes}；"
                "（七）总计应等于全部办理结果之和", ROW_TOTAL))
    for key in ROW_KEYS:
        row = b.rows[key]
        parts = sum(row[:TOTAL])
        if parts != row[TOTAL]:
            problems.append(Problem(
                "annual-row-total", f"{TABLE_B}「{row_title(key)}」行「总计」列",
                f"「{row_title(key)}」行：总计为 {row[TOTAL]}，而六类申请人之和为 {parts}"
                f"（{' + '.join(str(v) for v in row[:TOTAL])}）；总计应等于自然人与五类法人或其他组织之和", key))
    return problems


def check_table_c(c: TableC) -> list[Problem]:
    problems: list[Problem] = []
    for key, label in CASE_GROUPS:
        row = c.groups[key]
        parts = sum(row[:CASE_TOTAL])
        if parts != row[CASE_TOTAL]:
            terms = " + ".join(f"{name} {v}" for name, v in zip(CASE_COLUMNS[:CASE_TOTAL], row))
            problems.append(Problem(
                "annual-case-total", f"{TABLE_C}「{label}」的「总计」",
                f"「{label}」：总计为 {row[CASE_TOTAL]}，而 {terms} = {parts}；总计应等于四项结果之和", key))
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
