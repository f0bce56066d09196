"""Typed reading of one YAML mapping, reporting each problem against its file, line and field."""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from pathlib import Path

from ..diagnostics import Report
from .yamldoc import YamlDoc

_LOOSE_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                         r"(?P<time>\s*[T ]?\s*\d{1,2}\s*[:：时]\s*\d{1,2}.*)?\s*$")
MISSING = object()


def short(value, limit: int = 40) -> str:
    """A value quoted in a message: long ones are cut, so one bad field cannot flood the report."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + f"…（共 {len(text)} 字）"


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f"；是否应为「{close[0]}」？" if close else ""


class Fields:
    def __init__(self, doc: YamlDoc, path: Path, report: Report, prefix: str = "", first_line: int = 1):
        self.doc, self.path, self.report, self.prefix, self.first_line = doc, path, report, prefix, first_line
        self.data = doc.data if not prefix else _dig(doc.data, prefix)

    # -- reporting -----------------------------------------------------------------------------
    def line(self, key: str | None = None) -> int:
        parts = [p for p in (self.prefix, key) if p]
        return self.doc.line(*parts, default=self.first_line) if parts else self.first_line

    def label(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def error(self, key: str, code: str, message: str) -> None:
        self.report.error(self.path, self.line(key), code, message, self.label(key))

    def warning(self, key: str, code: str, message: str) -> None:
        self.report.warning(self.path, self.line(key), code, message, self.label(key))

    # -- access --------------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        value = self.data.get(key, MISSING)
        return value is not MISSING and value is not None and value != ""

    def raw(self, key: str, required: bool = False, why: str = ""):
        value = self.data.get(key, MISSING)
        if value is MISSING or value is None or (isinstance(value, str) and not value.strip()):
            if required:
                what = "为空" if key in self.data else "缺少必填字段"
                self.report.error(self.path, self.line(key) if key in self.data else self.line(), "required",
                                  f"{what}「{key}」{('：' + why) if why else ''}", self.label(key))
            return None
        return value

    def text(self, key: str, required: bool = False, why: str = "", max_len: int | None = None) -> str:
        value = self.data.get(key)
        if type(value) is not str or not (text := value.strip()):  # else (nearly every value) none of this applies
            value = self.raw(key, required, why)
            if value is None:
                return ""
            if isinstance(value, (bool, int, float)) and self.label(key) in self.doc.source:
                value = self.doc.source[self.label(key)]  # 标题: 2025 or 内容概述: 1.50 mean the text as typed
            if isinstance(value, (bool, dict, list)):
                self.error(key, "type", f"「{key}」应为一段文字，实际为{_kind(value)}")
                return ""
            text = str(value).strip()
        if max_len and len(text) > max_len:
            self.warning(key, "too-long", f"「{key}」有 {len(text)} 字，应不超过 {max_len} 字")
        return text

    def choice(self, key: str, options, required: bool = False, default: str = "", aliases=None,
               why: str = "") -> str:
        value = self.text(key, required, why)
        if not value:
            return default
        value = (aliases or {}).get(value, value)
        if value not in options:
            self.error(key, "enum", f"「{key}」的值「{short(value)}」不在允许的范围内，应为：{'、'.join(options)}"
                       + suggest(value, options))
            return default
        return value

    def date(self, key: str, required: bool = False, why: str = "", today: dt.date | None = None) -> dt.date | None:
        value = self.data.get(key)
        if type(value) is not dt.date:  # a date written as YYYY-MM-DD (nearly all) needs none of this
            value = self.raw(key, required, why)
            if value is None:
                return None
        if isinstance(value, dt.datetime):
            self.error(key, "date-time", f"「{key}」只写日期，不写时间；请改为 {value.date().isoformat()}")
            return value.date()
        if isinstance(value, dt.date):
            result = value
        else:
            m = _LOOSE_DATE.match(str(value))
            parsed = None
            if m:
                try:
                    parsed = dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    parsed = None
            if parsed is None:
                self.error(key, "date-format", f"「{key}」的值「{short(value)}」不是有效的日期；应写成 YYYY-MM-DD，如 2025-03-08")
                return None
            if m["time"]:
                self.error(key, "date-time", f"「{key}」只写日期，不写时间；请改为 {parsed.isoformat()}")
            else:
                self.error(key, "date-format", f"「{key}」应写成 YYYY-MM-DD；请改为 {parsed.isoformat()}")
            result = parsed
        if today is not None:
            self.report.latest = max(self.report.latest, result)
            if result > today:
                self.error(key, "date-future", f"「{key}」{result.isoformat()} 晚于今天（{today.isoformat()}）；不能填写将来的日期")
        return result

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if value in (None, ""):
            return False
        if not isinstance(value, bool):
            self.error(key, "type", f"「{key}」应写 true 或 false，实际为「{short(value)}」")
            return False
        return value

    def integer(self, key: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or int(value) != value:
            self.error(key, "type", f"「{key}」应为整数，实际为「{short(value)}」")
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.error(key, "range", f"「{key}」应在 {minimum} 到 {maximum} 之间，实际为 {value}")
            return default
        return int(value)

    def number(self, key: str, default: float) -> float:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            self.error(key, "type", f"「{key}」应为不小于 0 的数，实际为「{short(value)}」")
            return default
        return float(value)

    def string_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value in (None, ""):
            return []
        if isinstance(value, str):
            return [p for p in re.split(r"[\s,，、;；]+", value) if p]
        if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            return [str(v).strip() for v in value if str(v).strip()]
        self.error(key, "type", f"「{key}」应为文字列表，如 [甲, 乙]")
        return []

    def mapping(self, key: str, required: bool = False, why: str = "") -> Fields | None:
        value = self.raw(key, required, why)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(key, "type", f"「{key}」应为「键: 值」的列表（下一行缩进两个空格），实际为{_kind(value)}")
            return None
        return Fields(self.doc, self.path, self.report, self.label(key), self.line(key))

    def sequence(self, key: str) -> list:
        value = self.data.get(key)
        if value in (None, ""):
            return []
        if not isinstance(value, list):
            self.error(key, "type", f"「{key}」应为列表（每项以「- 」开头），实际为{_kind(value)}")
            return []
        return value

    def unknown_keys(self, allowed, synonyms: dict[str, str] | None = None) -> None:
        """Warn about keys not in `allowed`; `synonyms` maps names other platforms use to ours."""
        for key in self.data:
            if key not in allowed:
                hint = f"；是否应为「{synonyms[key]}」？" if synonyms and key in synonyms else suggest(key, allowed)
                self.warning(key, "unknown-field", f"未知字段「{key}」，将被忽略" + hint)


def _dig(data, dotted: str):
    for part in dotted.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _kind(value) -> str:
    if isinstance(value, dict):
        return "键值对"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, bool):
        return f"「{'true' if value else 'false'}」"
    return f"「{short(value)}」"
