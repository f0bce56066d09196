"""The three tables of the annual report, exactly as 国办公开办函〔2021〕30号 lays them out.

REFERENCE.md §4: Table A (主动公开), Table B (收到和处理申请, 26 rows × 7 columns) and Table C
(复议、诉讼, 3 groups × 5). Row and column labels here are the official wording; the short
names are what editors write in registers (办理结果) and in the totals form.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SECTIONS = (
    ("一", "一、总体情况"),
    ("二", "二、主动公开政府信息情况"),
    ("三", "三、收到和处理政府信息公开申请情况"),
    ("四", "四、政府信息公开行政复议、行政诉讼情况"),
    ("五", "五、存在的主要问题及改进情况"),
    ("六", "六、其他需要报告的事项"),
)
SECTION_TITLE = dict(SECTIONS)
WRITTEN_SECTIONS = ("一", "五", "六")  # the office writes these; 二、三、四 are computed

# -- Table B columns ----------------------------------------------------------------------------
APPLICANTS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
    ("public_welfare", "社会公益组织"), ("legal_service", "法律服务机构"), ("other", "其他"),
)
COLUMNS: tuple[tuple[str, str], ...] = APPLICANTS + (("total", "总计"),)
APPLICANT_NAMES = tuple(name for _, name in APPLICANTS)
TOTAL = len(APPLICANTS)  # index of the 总计 column
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class Outcome:
    """A leaf row of 三、本年度办理结果: what one request was concluded as."""

    key: str  # English, used in JSON
    short: str  # what editors write in 办理结果 and in the totals form
    label: str  # the official row label


@dataclass(frozen=True)
class OutcomeGroup:
    key: str
    label: str
    outcomes: tuple[Outcome, ...]
    split: bool  # True: the group label spans sub-rows (rowspan); False: a single row


OUTCOME_GROUPS: tuple[OutcomeGroup, ...] = (
    OutcomeGroup("granted", "（一）予以公开", (Outcome("granted", "予以公开", "（一）予以公开"),), False),
    OutcomeGroup("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                 (Outcome("partial", "部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),), False),
    OutcomeGroup("denied", "（三）不予公开", (
        Outcome("denied_state_secret", "国家秘密", "1.属于国家秘密"),
        Outcome("denied_law_forbidden", "法律法规禁止", "2.其他法律行政法规禁止公开"),
        Outcome("denied_safety_stability", "三安全一稳定", "3.危及“三安全一稳定”"),
        Outcome("denied_third_party", "第三方合法权益", "4.保护第三方合法权益"),
        Outcome("denied_internal_affairs", "内部事务信息", "5.属于三类内部事务信息"),
        Outcome("denied_process_info", "过程性信息", "6.属于四类过程性信息"),
        Outcome("denied_enforcement_case", "行政执法案卷", "7.属于行政执法案卷"),
        Outcome("denied_admin_query", "行政查询事项", "8.属于行政查询事项"),
    ), True),
    OutcomeGroup("unable", "（四）无法提供", (
        Outcome("unable_not_held", "本机关不掌握", "1.本机关不掌握相关政府信息"),
        Outcome("unable_needs_creation", "需另行制作", "2.没有现成信息需要另行制作"),
        Outcome("unable_unclear", "补正后仍不明确", "3.补正后申请内容仍不明确"),
    ), True),
    OutcomeGroup("not_processed", "（五）不予处理", (
        Outcome("refused_complaint", "信访举报投诉", "1.信访举报投诉类申请"),
        Outcome("refused_repeat", "重复申请", "2.重复申请"),
        Outcome("refused_publication", "公开出版物", "3.要求提供公开出版物"),
        Outcome("refused_massive", "大量反复申请", "4.无正当理由大量反复申请"),
        Outcome("refused_confirm", "确认或重新出具", "5.要求行政机关确认或重新出具已获取信息"),
    ), True),
    OutcomeGroup("other", "（六）其他处理", (
        Outcome("other_no_correction", "逾期不补正", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        Outcome("other_unpaid_fee", "逾期未缴费", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        Outcome("other_other", "其他处理", "3.其他"),
    ), True),
)
OUTCOMES: tuple[Outcome, ...] = tuple(o for g in OUTCOME_GROUPS for o in g.outcomes)
OUTCOME_BY_SHORT = {o.short: o for o in OUTCOMES}
# The official label (number and brackets dropped) is accepted too, so either wording works.
OUTCOME_ALIASES = {o.label.split(".", 1)[1]: o.short for o in OUTCOMES if "." in o.label} | {
    "其他": "其他处理", "危及三安全一稳定": "三安全一稳定", "区分处理": "部分公开"}
# Concluded without the applicant ever being owed an answer: no deadline to miss.
NO_DEADLINE = frozenset({"逾期不补正", "逾期未缴费"})

ROW_NEW, ROW_CARRIED, ROW_TOTAL, ROW_FORWARD = "new", "carried_over", "total", "carried_forward"
ROW_LABEL = {
    ROW_NEW: "一、本年新收政府信息公开申请数量",
    ROW_CARRIED: "二、上年结转政府信息公开申请数量",
    ROW_TOTAL: "（七）总计",
    ROW_FORWARD: "四、结转下年度继续办理",
} | {o.key: o.label for o in OUTCOMES}
RESULTS_LABEL = "三、本年度办理结果"
ROW_KEYS: tuple[str, ...] = (ROW_NEW, ROW_CARRIED) + tuple(o.key for o in OUTCOMES) + (ROW_TOTAL, ROW_FORWARD)
# Row names in the totals form (汇总表): the outcome short names plus these four.
ROW_SHORT = {ROW_NEW: "本年新收", ROW_CARRIED: "上年结转", ROW_TOTAL: "总计", ROW_FORWARD: "结转下年度"} | {
    o.key: o.short for o in OUTCOMES}
ROW_BY_SHORT = {short: key for key, short in ROW_SHORT.items()}


def row_title(key: str) -> str:
    """A row named the way an editor finds it on the printed table."""
    for group in OUTCOME_GROUPS:
        for o in group.outcomes:
            if o.key == key:
                return f"{RESULTS_LABEL}{group.label}{o.label}" if group.split else f"{RESULTS_LABEL}{o.label}"
    if key == ROW_TOTAL:
        return f"{RESULTS_LABEL}（七）总计"
    return ROW_LABEL[key]


# -- Table C --------------------------------------------------------------------------------------
CASE_RESULTS: tuple[tuple[str, str, str], ...] = (  # key, short (register), column label
    ("maintained", "维持", "结果维持"), ("corrected", "纠正", "结果纠正"),
    ("other", "其他", "其他结果"), ("pending", "尚未审结", "尚未审结"),
)
CASE_TOTAL = len(CASE_RESULTS)
CASE_COLUMNS = tuple(label for _, _, label in CASE_RESULTS) + ("总计",)
CASE_RESULT_SHORT = tuple(short for _, short, _ in CASE_RESULTS)
CASE_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"), ("direct_suit", "未经复议直接起诉"), ("suit_after_review", "复议后起诉"),
)
CASE_GROUP_LABEL = dict(CASE_GROUPS)
CASE_GROUP_BY_NAME = {label: key for key, label in CASE_GROUPS}


def zero_row(width: int) -> list[int]:
    return [0] * width


@dataclass
class TableB:
    """rows[row_key] = 7 numbers: six applicant columns, then 总计."""

    rows: dict[str, list[int]] = field(default_factory=lambda: {k: zero_row(len(COLUMNS)) for k in ROW_KEYS})

    def cell(self, row: str, col: int) -> int:
        return self.rows[row][col]

    def add(self, other: TableB) -> None:
        for key in ROW_KEYS:
            self.rows[key] = [a + b for a, b in zip(self.rows[key], other.rows[key])]


@dataclass
class TableC:
    """groups[group_key] = 5 numbers: 维持, 纠正, 其他, 尚未审结, 总计."""

    groups: dict[str, list[int]] = field(default_factory=lambda: {k: zero_row(len(CASE_COLUMNS)) for k, _ in CASE_GROUPS})

    def add(self, other: TableC) -> None:
        for key, _ in CASE_GROUPS:
            self.groups[key] = [a + b for a, b in zip(self.groups[key], other.groups[key])]


# -- Table A --------------------------------------------------------------------------------------
DOC_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
DOC_ROWS = (("regulations", "规章"), ("normative", "行政规范性文件"))
# Figures the catalogue cannot know; the office writes them in the narrative's front matter.
DECISION_BLOCKS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("第二十条第（五）项", "本年处理决定数量", (("licensing", "行政许可"),)),
    ("第二十条第（六）项", "本年处理决定数量", (("penalty", "行政处罚"), ("coercion", "行政强制"))),
    ("第二十条第（八）项", "本年收费金额（单位：万元）", (("fees", "行政事业性收费"),)),
)
FIGURES: tuple[tuple[str, str], ...] = tuple(row for _, _, rows in DECISION_BLOCKS for row in rows)
FIGURE_KEY = {name: key for key, name in FIGURES}

Figure = int | Decimal | None  # None: the office wrote "/" (不适用)


@dataclass
class TableA:
    docs: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0, 0] for k, _ in DOC_ROWS})
    figures: dict[str, Figure] = field(default_factory=lambda: {k: 0 for k, _ in FIGURES})

    def add(self, other: TableA) -> None:
        for key, _ in DOC_ROWS:
            self.docs[key] = [a + b for a, b in zip(self.docs[key], other.docs[key])]
        for key, _ in FIGURES:
            mine, theirs = self.figures[key], other.figures[key]
            self.figures[key] = theirs if mine is None else mine if theirs is None else mine + theirs


def format_figure(value: Figure) -> str:
    if value is None:
        return "/"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
