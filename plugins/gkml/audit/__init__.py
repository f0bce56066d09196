"""自查: compliance self-inspection of the catalogue as of a date (gkml audit).

    from gkml.audit import run_audit
    result = run_audit("catalogue", as_of=dt.date(2026, 11, 24))
    result.findings, result.scores, result.failed()

Rules (each adds findings to the context): empty and stale columns, the annual report, late
publication and interpretation, rushed quarters, misfiling, lifecycle, confidentiality review,
and the publication gates' findings. Renderers: text, json, html (see render_*.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Report
from ..catalogue.model import Catalogue, Unit
from ..catalogue.validate import load_catalogue
from ..catalogue.workdays import calendar_for
from . import rules_columns, rules_depth, rules_items, rules_requests, rules_time
from .config import AuditConfig, AuditConfigError, read_config
from .context import AuditContext, ColumnStatus
from .findings import ERROR, KINDS, Finding
from .score import UnitScore, platform_score, score_units

RULES = (rules_columns.empty_and_stale, rules_columns.annual_report, rules_columns.government_report,
         rules_time.late, rules_time.late_interpretation,
         rules_requests.open_requests, rules_time.calendar_estimates, rules_time.rushed, rules_depth.interpretation,
         rules_depth.backdating, rules_depth.hand_typed_reports, rules_items.misfiled, rules_items.lifecycle,
         rules_items.review, rules_items.gates, rules_items.unreadable_attachments)


class AuditError(Exception):
    """The audit cannot run (no catalogue, unknown unit); the message is Chinese."""


@dataclass
class AuditResult:
    catalogue: Catalogue
    context: AuditContext
    findings: list[Finding]
    scores: list[UnitScore]
    check_errors: int  # errors `gkml check` reports for the same catalogue
    unit: str | None = None  # the --unit filter, if any

    @property
    def as_of(self) -> dt.date:
        return self.context.as_of

    @property
    def since(self) -> dt.date | None:
        return self.context.since

    @property
    def units(self) -> list[Unit]:
        return self.context.units

    @property
    def config(self) -> AuditConfig:
        return self.context.config

    @property
    def statuses(self) -> dict[str, list[ColumnStatus]]:
        return self.context.statuses

    @property
    def platform_score(self) -> float | None:
        return platform_score(self.scores)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level != ERROR]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def by_unit(self, unit_id: str) -> list[Finding]:
        return [f for f in self.findings if f.unit == unit_id]

    def counts(self) -> dict[str, int]:
        """kind -> number of findings, in the order of findings.KINDS."""
        out = {k: 0 for k in KINDS}
        for f in self.findings:
            out[f.kind] += 1
        return {k: n for k, n in out.items() if n}


def audit_catalogue(catalogue: Catalogue, report: Report, as_of: dt.date | None = None, unit: str | None = None,
                    since: dt.date | None = None) -> AuditResult:
    """Audit a loaded catalogue; `report` is the one load_catalogue filled (the gates' findings come from it)."""
    as_of = as_of or dt.date.today()
    if since is not None and since > as_of:
        raise AuditError(f"起始日期 {since} 晚于自查日期 {as_of}")
    units = catalogue.sorted_units()
    if unit is not None:
        if unit not in catalogue.units:
            known = "、".join(f"{u.id}（{u.name}）" for u in units)
            raise AuditError(f"没有单位「{unit}」；可选：{known}")
        units = [catalogue.units[unit]]
    config = read_config(catalogue.site.audit)
    ctx = AuditContext(catalogue, report, as_of, since, config, calendar_for(catalogue.root), units)
    for rule in RULES:
        rule(ctx)
    rank = {u.id: i for i, u in enumerate(units)}
    findings = sorted(ctx.findings, key=lambda f: f.sort_key(rank.get(f.unit, 0)))
    errors = report.errors
    if unit is not None:  # only the unit's own files
        mine = (report.rel(catalogue.root / "items" / unit) + "/", report.rel(catalogue.root / "units" / f"{unit}.yml"))
        errors = [d for d in errors if d.path.startswith(mine)]
    return AuditResult(catalogue, ctx, findings, score_units(ctx, findings), len(errors), unit)


def run_audit(root: Path | str, as_of: dt.date | None = None, unit: str | None = None,
              since: dt.date | None = None, progress=None) -> AuditResult:
    """Load the catalogue at `root` and audit it. Raises AuditError if it cannot be loaded at all."""
    catalogue, report = load_catalogue(root, progress=progress)
    if catalogue is None:
        lines = "\n".join(d.format() for d in report.sorted())
        raise AuditError(f"无法读取目录，自查无法进行：\n{lines}")
    return audit_catalogue(catalogue, report, as_of, unit, since)


__all__ = ["AuditConfigError", "AuditError", "AuditResult", "Finding", "KINDS", "audit_catalogue", "run_audit"]
