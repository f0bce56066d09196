"""The weighted score per unit, and the ranking across units.

得分 = 100 × 达标栏目权重之和 ÷ 应建栏目权重之和 − 扣分，最低 0 分，保留一位小数。
应建栏目: the unit kind's leaf columns minus those it marked 不适用; 达标: has a public item
and is not over its 更新周期. 扣分: per finding, the kind's penalty (site.yml 自查.扣分 or the
default in findings.KINDS); 逾期发布 and 解读逾期 are multiplied by the column's 权重.
全平台得分 = the mean of the unit scores.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue.model import Unit
from .context import NOT_APPLICABLE, OK, AuditContext
from .findings import ERROR, LATE_KINDS, Finding

FORMULA = ("得分 = 100 × 达标栏目权重之和 ÷ 应建栏目权重之和 − 扣分，最低 0 分，保留一位小数。"
           "应建栏目是本单位类型适用的末级栏目，不含本单位标为「不适用」的；达标栏目是其中有公开信息且未超过更新周期的；"
           "权重取统一目录中的「权重」（默认 1，重点领域 2 或 3）。"
           "扣分按问题逐条计算：逾期发布、解读逾期每条扣「扣分值 × 所在栏目权重」，其余问题每条扣其扣分值"
           "（空白栏目、栏目未更新已体现在前一项，默认不再扣分）。全平台得分为各单位得分的平均数。")


@dataclass
class UnitScore:
    unit: Unit
    applicable: int = 0  # 应建栏目数
    empty: int = 0
    stale: int = 0
    weight_total: float = 0
    weight_ok: float = 0
    base: float = 100.0
    penalty: float = 0
    score: float = 100.0
    rank: int = 0
    public_items: int = 0
    late: int = 0  # 逾期发布 + 解读逾期
    errors: int = 0
    warnings: int = 0
    penalties: dict[str, float] = field(default_factory=dict)  # kind -> points deducted


def _round(x: float) -> float:
    return float(f"{x + 1e-9:.1f}")


def score_units(ctx: AuditContext, findings: list[Finding]) -> list[UnitScore]:
    """Scores of the audited units, ranked (best first; equal scores share a rank)."""
    taxonomy = ctx.catalogue.taxonomy
    scores = []
    for unit in ctx.units:
        s = UnitScore(unit)
        for status in ctx.statuses[unit.id]:
            if status.state == NOT_APPLICABLE:
                continue
            s.applicable += 1
            s.weight_total += status.column.weight
            s.weight_ok += status.column.weight if status.state == OK else 0
            s.empty += status.state == "empty"
            s.stale += status.state == "stale"
        s.base = 100 * s.weight_ok / s.weight_total if s.weight_total else 100.0
        s.public_items = sum(1 for i in ctx.public if i.unit_id == unit.id)
        for f in findings:
            if f.unit != unit.id:
                continue
            points = ctx.config.penalty(f.kind)
            if f.kind in LATE_KINDS:
                s.late += 1
                column = taxonomy.by_code.get(f.column or "")
                points *= column.weight if column is not None else 1
            s.penalties[f.kind] = s.penalties.get(f.kind, 0) + points
            s.errors += f.level == ERROR
            s.warnings += f.level != ERROR
        s.penalty = sum(s.penalties.values())
        s.score = max(0.0, _round(s.base - s.penalty))
        s.base = _round(s.base)
        s.penalty = _round(s.penalty)
        scores.append(s)
    scores.sort(key=lambda s: (-s.score, -s.base, s.unit.order, s.unit.id))
    for i, s in enumerate(scores):
        s.rank = scores[i - 1].rank if i and scores[i - 1].score == s.score else i + 1
    return scores


def platform_score(scores: list[UnitScore]) -> float | None:
    return _round(sum(s.score for s in scores) / len(scores)) if scores else None
