"""`gkml audit --format json`: stable, documented in catalogue/README.md「六、自查」. Keys are English
and never renamed within a schema version; Chinese appears only in values (names, messages)."""
from __future__ import annotations

import json

from ..annual.desk import desk_dict
from . import AuditResult
from .findings import KINDS
from .score import FORMULA
from .stats import column_rows, month_label, month_range, monthly, quarters

SCHEMA = "gkml-audit/1"


def _finding(f) -> dict:
    return {"kind": f.kind, "label": f.label, "level": f.level, "unit": f.unit, "column": f.column, "file": f.file,
            "line": f.line, "index_no": f.index_no, "period": f.period, "message": f.message, "details": f.details}


def _unit(s) -> dict:
    return {"id": s.unit.id, "name": s.unit.name, "kind": s.unit.kind, "rank": s.rank, "score": s.score,
            "base": s.base, "penalty": s.penalty, "applicable_columns": s.applicable, "empty_columns": s.empty,
            "stale_columns": s.stale, "public_items": s.public_items, "late_items": s.late, "errors": s.errors,
            "warnings": s.warnings, "penalties": {k: round(v, 2) for k, v in s.penalties.items() if v}}


def to_dict(result: AuditResult) -> dict:
    cat = result.catalogue
    months = month_range(result)
    return {
        "schema": SCHEMA,
        "platform": cat.site.platform,
        "as_of": result.as_of.isoformat(),
        "since": result.since.isoformat() if result.since else None,
        "unit": result.unit,
        "ok": not result.errors,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "check_errors": result.check_errors,
        "platform_score": result.platform_score,
        "formula": FORMULA,
        "config": result.config.as_dict(),
        "kinds": {k.code: {"label": k.label, "level": result.config.level(k.code),
                           "penalty": result.config.penalty(k.code)} for k in KINDS.values()},
        "counts": result.counts(),
        "units": [_unit(s) for s in result.scores],
        "columns": column_rows(result),
        "quarters": quarters(result),
        "monthly": {"months": [month_label(m) for m in months], "units": monthly(result)},
        "findings": [_finding(f) for f in result.findings],
        "requests": desk_dict(result.context.desk) if result.context.desk is not None else None,
    }


def render_json(result: AuditResult) -> str:
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2, default=str) + "\n"
