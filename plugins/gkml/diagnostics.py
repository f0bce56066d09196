"""Findings about the catalogue, reported the way editors read them: `path:line: 错误: message (field)`."""
from __future__ import annotations

import datetime as dt

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR, WARNING = "error", "warning"
# A notice (提示) is shown but never fails a check or a build, even --strict: it is for what an
# office cannot fix by editing the catalogue today (next year's holidays not yet announced) or
# must handle outside it (a reply to a request that is due), so a published site keeps updating.
NOTICE = "notice"
LEVEL_LABEL = {ERROR: "错误", WARNING: "警告", NOTICE: "提示"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int | None
    level: str
    code: str  # stable English identifier, for tools and tests
    message: str  # Chinese, says what was expected and how to fix it
    field: str | None = None

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        tail = f" ({self.field})" if self.field else ""
        return f"{where}: {LEVEL_LABEL[self.level]}: {self.message}{tail}"


@dataclass
class Report:
    """Collects diagnostics; paths are shown relative to `base` so messages stay short."""

    base: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)
    reused: int = 0  # item files whose results came unchanged from the check cache
    # The latest date a rule compared with the day checked on ("not in the future"): a file whose
    # dates are all on or before both days gives the same result on either (check_cache.py).
    latest: dt.date = dt.date.min

    def rel(self, path: Path | str) -> str:
        p = Path(path)
        if self.base is not None:
            try:
                return p.relative_to(self.base).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def add(self, path, line, level, code, message, field=None) -> None:
        self.items.append(Diagnostic(self.rel(path), line, level, code, message, field))

    def error(self, path, line, code, message, field=None) -> None:
        self.add(path, line, ERROR, code, message, field)

    def warning(self, path, line, code, message, field=None) -> None:
        self.add(path, line, WARNING, code, message, field)

    def notice(self, path, line, code, message, field=None) -> None:
        self.add(path, line, NOTICE, code, message, field)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line or 0, d.level, d.code, d.message))

    @property
    def notices(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == NOTICE]

    def summary(self) -> str:
        notices = len(self.notices)
        return f"共 {len(self.errors)} 个错误，{len(self.warnings)} 个警告" + (f"，{notices} 个提示" if notices else "")

    def to_json(self, **extra) -> str:
        data = {"errors": len(self.errors), "warnings": len(self.warnings), "notices": len(self.notices), **extra,
                "diagnostics": [asdict(d) for d in self.sorted()]}
        return json.dumps(data, ensure_ascii=False, indent=2)
