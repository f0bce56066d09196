"""What the self-inspection can find: stable English kind codes, their Chinese names, default
levels and score penalties. Renderers and the JSON output use exactly these codes."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import ERROR, LEVEL_LABEL, WARNING

OFF = "off"  # a level site.yml 自查.级别 may set: the kind is not reported at all
LEVEL_NAMES = {**LEVEL_LABEL, OFF: "忽略"}
LEVEL_FROM_CHINESE = {name: level for level, name in LEVEL_NAMES.items()}


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # Chinese name shown to people and accepted in site.yml 自查.级别 / 自查.扣分
    level: str  # default level
    penalty: float  # default score penalty per finding (late kinds are multiplied by the column weight)


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("empty-column", "空白栏目", WARNING, 0),
    Kind("stale-column", "栏目未更新", WARNING, 0),
    Kind("late", "逾期发布", ERROR, 2),
    Kind("late-interpretation", "解读逾期", ERROR, 2),
    # Lateness of migrated history (published on the old platform before the migration): shown,
    # never scored, so years of an old platform's habits do not sink this year's score.
    Kind("late-migrated", "迁移前逾期", WARNING, 0),
    Kind("annual-report-missing", "年报缺失", ERROR, 5),
    Kind("annual-report-late", "年报逾期", ERROR, 2),
    Kind("annual-report-undated", "年报无发布日期", WARNING, 0),
    Kind("annual-rollup-missing", "本级政府年报缺失", ERROR, 5),
    Kind("annual-rollup-late", "本级政府年报逾期", ERROR, 2),
    Kind("rushed", "突击发布", WARNING, 3),
    Kind("misfiled-topic", "疑似错栏（主题）", WARNING, 1),
    Kind("misfiled-genre", "疑似错栏（体裁）", WARNING, 1),
    Kind("repealed-no-date", "废止失效未写日期", ERROR, 1),
    Kind("repealed-no-replacement", "废止未写替代文件", ERROR, 1),
    Kind("replacement-missing", "替代文件不存在", ERROR, 1),
    Kind("unreviewed", "未保密审查", WARNING, 1),
    Kind("review-after-publication", "先发布后审查", WARNING, 1),
    Kind("personal-data", "个人信息", ERROR, 5),
    Kind("negative-list", "负面清单", ERROR, 5),
    Kind("attachment-unreadable", "附件无法检查", WARNING, 1),
    Kind("interpretation-missing", "规范性文件未解读", WARNING, 0),
    Kind("interpretation-ratio", "解读比例不达标", WARNING, 0),
    Kind("backdated", "补录", WARNING, 2),
    Kind("backdated-migrated", "迁移补录", WARNING, 0),
    Kind("annual-hand-typed", "手工年报", WARNING, 1),
    Kind("annual-item-table", "年报表格不平", ERROR, 2),
    Kind("request-overdue", "申请逾期未答复", ERROR, 2),
    Kind("request-due-soon", "申请即将逾期", WARNING, 0),
    Kind("calendar-gap", "缺少节假日数据", WARNING, 0),
)}
KIND_BY_LABEL = {k.label: k for k in KINDS.values()}
LATE_KINDS = ("late", "late-interpretation")


@dataclass(frozen=True)
class Finding:
    kind: str
    level: str
    unit: str
    message: str  # Chinese, says what is wrong and what the rule is
    column: str | None = None
    file: str | None = None  # relative to the catalogue root, POSIX form
    line: int | None = None
    index_no: str | None = None
    period: str | None = None  # e.g. "2025年第3季度" for 突击发布
    details: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        return KINDS[self.kind].label

    @property
    def level_label(self) -> str:
        return LEVEL_LABEL[self.level]

    def sort_key(self, unit_rank: int = 0) -> tuple:
        return (unit_rank, self.unit, 0 if self.level == ERROR else 1, list(KINDS).index(self.kind), self.column or "",
                self.file or "", self.line or 0, self.period or "", self.message)

    def where(self) -> str:
        """Where a person looks: the file (and line), else the unit's column or the unit."""
        if self.file:
            return f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.unit}/{self.column}" if self.column else self.unit
