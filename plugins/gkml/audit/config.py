"""Thresholds of the self-inspection, read from site.yml 自查 (every key is documented in
catalogue/README.md「六、自查」)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .findings import KIND_BY_LABEL, KINDS, LEVEL_FROM_CHINESE

KEYS = ("抢发天数", "抢发比例", "抢发最少条数", "即将逾期", "解读比例", "补录天数", "上线日期", "级别", "扣分")


class AuditConfigError(Exception):
    """site.yml 自查 has values the audit cannot use; `problems` are Chinese sentences."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass
class AuditConfig:
    rush_days: int = 10  # 抢发天数: the last N calendar days of a quarter
    rush_share: float = 0.5  # 抢发比例: flagged when more than this share of a quarter's items fall in them
    rush_min_items: int = 3  # 抢发最少条数: quarters with fewer public items are not judged
    warn_days: int = 5  # 即将逾期: an open request with at most this many working days left (request desk)
    interpretation_share: float = 1.0  # 解读比例: below this share of policy documents with a 解读, a unit is flagged
    backdate_days: int = 7  # 补录天数: 发布日期 more than this many days before the first commit is 补录
    live_date: dt.date | None = None  # 上线日期: items published before it are history typed in (default: first commit)
    levels: dict[str, str] = field(default_factory=dict)  # kind code -> error|warning|off
    penalties: dict[str, float] = field(default_factory=dict)  # kind code -> points

    def level(self, kind: str) -> str:
        return self.levels.get(kind, KINDS[kind].level)

    def penalty(self, kind: str) -> float:
        return self.penalties.get(kind, KINDS[kind].penalty)

    def as_dict(self) -> dict:
        return {"抢发天数": self.rush_days, "抢发比例": self.rush_share, "抢发最少条数": self.rush_min_items,
                "即将逾期": self.warn_days, "解读比例": self.interpretation_share, "补录天数": self.backdate_days,
                "上线日期": self.live_date.isoformat() if self.live_date else None,
                "级别": {KINDS[k].label: v for k, v in sorted(self.levels.items())},
                "扣分": {KINDS[k].label: v for k, v in sorted(self.penalties.items())}}


def _number(value, key: str, problems: list[str], low: float, high: float, integer: bool):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        problems.append(f"自查.{key} 应为{'整数' if integer else '数字'}，现为「{value}」")
        return None
    if not low <= value <= high:
        problems.append(f"自查.{key} 应在 {low:g} 到 {high:g} 之间，现为 {value}")
        return None
    return value


def _kind(label, key: str, problems: list[str]) -> str | None:
    kind = KIND_BY_LABEL.get(str(label)) or KINDS.get(str(label))
    if kind is None:
        problems.append(f"自查.{key} 中的「{label}」不是自查问题类型；可选：{'、'.join(KIND_BY_LABEL)}")
        return None
    return kind.code


def read_config(raw: dict | None) -> AuditConfig:
    """Build the config from the raw 自查 mapping; raise AuditConfigError listing every problem."""
    raw = raw or {}
    problems: list[str] = []
    config = AuditConfig()
    for key in raw:
        if key not in KEYS:
            problems.append(f"自查 下没有「{key}」这一项；可写：{'、'.join(KEYS)}")
    if "抢发天数" in raw and (v := _number(raw["抢发天数"], "抢发天数", problems, 1, 45, True)) is not None:
        config.rush_days = v
    if "抢发比例" in raw and (v := _number(raw["抢发比例"], "抢发比例", problems, 0, 1, False)) is not None:
        config.rush_share = float(v)
    if "抢发最少条数" in raw and (v := _number(raw["抢发最少条数"], "抢发最少条数", problems, 1, 10000, True)) is not None:
        config.rush_min_items = v
    if "解读比例" in raw and (v := _number(raw["解读比例"], "解读比例", problems, 0, 1, False)) is not None:
        config.interpretation_share = float(v)
    if "补录天数" in raw and (v := _number(raw["补录天数"], "补录天数", problems, 0, 3650, True)) is not None:
        config.backdate_days = v
    if "上线日期" in raw:
        if isinstance(raw["上线日期"], dt.date):
            config.live_date = raw["上线日期"]
        else:
            problems.append(f"自查.上线日期 应为日期（YYYY-MM-DD），现为「{raw['上线日期']}」")
    if "即将逾期" in raw and (v := _number(raw["即将逾期"], "即将逾期", problems, 0, 40, True)) is not None:
        config.warn_days = v
    for key, target in (("级别", config.levels), ("扣分", config.penalties)):
        section = raw.get(key)
        if section is None:
            continue
        if not isinstance(section, dict):
            problems.append(f"自查.{key} 应为「问题类型: 值」的列表，如「{'逾期发布: 错误' if key == '级别' else '逾期发布: 2'}」")
            continue
        for label, value in section.items():
            code = _kind(label, key, problems)
            if code is None:
                continue
            if key == "级别":
                if value not in LEVEL_FROM_CHINESE:
                    problems.append(f"自查.级别.{label} 应为 错误、警告 或 忽略，现为「{value}」")
                else:
                    target[code] = LEVEL_FROM_CHINESE[value]
            elif (v := _number(value, f"扣分.{label}", problems, 0, 100, False)) is not None:
                target[code] = float(v)
    if problems:
        raise AuditConfigError(problems)
    return config
