"""Reading one request register, `requests/<单位代码>/<年份>.yml`, in either of its two forms.

逐件登记 (`申请:`): one summary record per request — dates, applicant category, outcome,
复议/诉讼 — and never who the applicant is. 汇总表 (`汇总表:` and `复议诉讼:`): a unit that only
keeps totals types Table B and Table C directly. Both become the same tables and pass the
same checks (checks.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report
from ..catalogue.fields import Fields, suggest
from ..catalogue.privacy import scan
from ..catalogue.yamldoc import YamlDoc
from .tables import (APPLICANT_NAMES, CASE_COLUMNS, CASE_GROUP_BY_NAME, CASE_RESULT_SHORT, COLUMNS, OUTCOME_ALIASES,
                     OUTCOME_BY_SHORT, ROW_BY_SHORT, ROW_CARRIED, ROW_FORWARD, ROW_NEW, ROW_SHORT, ROW_TOTAL, TableB,
                     TableC)

RECORD_KEYS = ("编号", "收到日期", "申请人类型", "补正", "延期", "征求意见", "答复日期", "办理结果", "复议", "诉讼", "备注")
PRIVACY_HINT = "登记只记录统计所需的事实，不得记录申请人姓名、证件号码、联系方式、住址等个人信息"
REQUIRED_ROWS = (ROW_NEW, ROW_CARRIED, ROW_TOTAL, ROW_FORWARD)


@dataclass(frozen=True)
class Case:
    """A 行政复议 or 行政诉讼 brought over one request."""

    filed: dt.date
    result: str  # 维持 | 纠正 | 其他 | 尚未审结
    closed: dt.date | None
    line: int | None


@dataclass
class Request:
    unit_id: str
    number: str
    received: dt.date
    applicant: int  # column of Table B
    path: Path
    line: int | None
    answered: dt.date | None = None
    outcome: str | None = None  # short name, see tables.OUTCOMES
    extended: bool = False
    notice: dt.date | None = None  # 补正告知日期
    corrected: dt.date | None = None  # 收到补正的日期: the answer clock restarts (条例第三十条)
    consulted: tuple[dt.date, dt.date] | None = None  # 征求意见 period, not counted (条例第三十三条)
    consulting: dt.date | None = None  # 征求意见 sent, no reply yet: the clock is paused since then
    review: Case | None = None
    suit: Case | None = None
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Register:
    unit_id: str
    year: int
    path: Path
    requests: list[Request] | None = None  # 逐件登记
    table_b: TableB | None = None  # 汇总表
    table_c: TableC | None = None
    lines: dict[str, int] = field(default_factory=dict)  # totals form: row or group key -> line

    @property
    def itemised(self) -> bool:
        return self.requests is not None


def read_register(doc: YamlDoc, path: Path, unit_id: str, year: int, report: Report,
                  today: dt.date | None) -> Register | None:
    f = Fields(doc, path, report)
    for key in f.data:
        if key not in ("申请", "汇总表", "复议诉讼"):
            f.error(key, "register-key", f"登记中不能有「{key}」；只能写「申请」（逐件登记），"
                                         f"或「汇总表」和「复议诉讼」（只有合计数时）" + suggest(key, ("申请", "汇总表", "复议诉讼")))
    register = Register(unit_id, year, path)
    if "申请" in f.data:
        if "汇总表" in f.data or "复议诉讼" in f.data:
            f.error("汇总表", "register-both", "同一登记不能既有「申请」又有「汇总表」/「复议诉讼」；逐件登记时表格由 gkml 计算，请删除汇总表")
        value = f.data["申请"]
        if value is not None and not isinstance(value, list):
            f.error("申请", "type", "「申请」应为列表，每件申请以「- 编号: …」开头；本年没有收到申请的写「申请: []」")
            return None
        register.requests = [r for i, entry in enumerate(value or [])
                             if (r := _read_request(doc, path, unit_id, i, entry, report, today)) is not None]
        return register
    if "汇总表" not in f.data:
        report.error(path, 1, "register-empty", "登记应有「申请」（逐件登记每件申请），或「汇总表」和「复议诉讼」（只有合计数时）；"
                                                "本年没有收到申请的写「申请: []」", "申请")
        return None
    register.table_b = _read_table_b(f, register)
    register.table_c = _read_table_c(f, register)
    return register


def _read_request(doc: YamlDoc, path: Path, unit_id: str, i: int, entry, report: Report, today) -> Request | None:
    where = f"申请.{i}"
    if not isinstance(entry, dict):
        report.error(path, doc.line("申请", i), "type", f"第 {i + 1} 件申请应为「键: 值」的列表，以「- 编号: …」开头", "申请")
        return None
    f = Fields(doc, path, report, where, doc.line("申请", i) or 1)
    for key in f.data:
        if key not in RECORD_KEYS:
            f.error(key, "register-unknown-field", f"不认识的字段「{key}」" + suggest(key, RECORD_KEYS) + f"；{PRIVACY_HINT}")
    number = f.text("编号", True, "本单位的申请登记编号，如 2025-001")
    received = f.date("收到日期", True, "条例第三十一条规定的收到申请之日", today)
    applicant = f.choice("申请人类型", APPLICANT_NAMES, True, why="、".join(APPLICANT_NAMES))
    if not (number and received and applicant):
        return None
    req = Request(unit_id, number, received, APPLICANT_NAMES.index(applicant), path, f.line(),
                  lines={k: f.line(k) for k in f.data})
    req.answered = f.date("答复日期", today=today)
    req.outcome = f.choice("办理结果", tuple(OUTCOME_BY_SHORT), aliases=OUTCOME_ALIASES) or None
    if req.answered and req.answered < received:
        f.error("答复日期", "answer-before-receipt", f"答复日期 {req.answered} 早于收到日期 {received}")
    if req.answered and not req.outcome and "办理结果" not in f.data:
        f.error("办理结果", "required", "已有答复日期，缺少「办理结果」；应为年度报告表格中的一项，如 予以公开、部分公开、本机关不掌握")
    if req.outcome and not req.answered:
        f.error("答复日期", "required", "写了办理结果，缺少「答复日期」（办结之日）；尚未办结的申请不写办理结果")
    req.extended = f.flag("延期")
    _read_correction(f, req, today)
    if consult := f.mapping("征求意见"):
        consult.unknown_keys({"发出日期", "回复日期"})
        sent = consult.date("发出日期", True, "征求第三方或其他机关意见的日期", today)
        back = consult.date("回复日期", bool(req.answered), "收到意见的日期；期间不计入答复期限（条例第三十三条）", today)
        if sent and back:
            if back < sent:
                consult.error("回复日期", "date-order", f"回复日期 {back} 早于发出日期 {sent}")
            req.consulted = (sent, back)
        elif sent and not req.answered:
            req.consulting = sent  # still waiting: write 回复日期 when the opinion arrives
    req.review = _read_case(f, "复议", "申请日期", received, today)
    req.suit = _read_case(f, "诉讼", "起诉日期", received, today)
    if req.review and req.suit and req.review.closed and req.suit.filed < req.review.closed:
        f.warning("诉讼", "suit-before-review-closed",
                  f"起诉日期 {req.suit.filed} 早于复议审结日期 {req.review.closed}；有「复议」的申请，诉讼计为「复议后起诉」")
    if note := f.text("备注"):
        for finding in scan(note):
            f.error("备注", "personal-data", f"备注中含有{finding.kind}「{finding.masked}」；{PRIVACY_HINT}")
    return req


def _read_correction(f: Fields, req: Request, today) -> None:
    corr = f.mapping("补正")
    if corr:
        corr.unknown_keys({"告知日期", "补正日期"})
        req.notice = corr.date("告知日期", True, "一次性告知申请人补正的日期（条例第三十条）", today)
        req.corrected = corr.date("补正日期", today=today)
        if req.notice and req.notice < req.received:
            corr.error("告知日期", "date-order", f"告知补正日期 {req.notice} 早于收到日期 {req.received}")
        if req.notice and req.corrected and req.corrected < req.notice:
            corr.error("补正日期", "date-order", f"收到补正的日期 {req.corrected} 早于告知补正日期 {req.notice}")
    if req.outcome in ("逾期不补正", "补正后仍不明确") and not (req.notice and (req.corrected or req.outcome == "逾期不补正")):
        f.error("补正", "correction-missing", f"办理结果为「{req.outcome}」，应有「补正」记录（告知日期"
                                            f"{'、补正日期' if req.outcome == '补正后仍不明确' else ''}）")
    if req.outcome == "逾期不补正" and req.corrected:
        f.error("办理结果", "correction-contradiction", f"已于 {req.corrected} 收到补正，办理结果不能是「逾期不补正」")


def _read_case(f: Fields, key: str, date_key: str, received: dt.date, today) -> Case | None:
    case = f.mapping(key)
    if case is None:
        return None
    case.unknown_keys({date_key, "结果", "审结日期"})
    filed = case.date(date_key, True, f"提起{'行政复议' if key == '复议' else '行政诉讼'}的日期", today)
    result = case.choice("结果", CASE_RESULT_SHORT, True, why="、".join(CASE_RESULT_SHORT))
    closed = case.date("审结日期", today=today)
    if result and result != "尚未审结" and not closed:
        case.error("审结日期", "required", f"结果为「{result}」时应写审结日期；年底前未审结的，该年报告计为「尚未审结」")
    if result == "尚未审结" and closed:
        case.error("结果", "case-closed", f"已写审结日期 {closed}，结果不能是「尚未审结」；请写维持、纠正或其他")
    if filed and filed < received:
        case.error(date_key, "date-order", f"{date_key} {filed} 早于收到申请的日期 {received}")
    if filed and closed and closed < filed:
        case.error("审结日期", "date-order", f"审结日期 {closed} 早于{date_key} {filed}")
    if not (filed and result):
        return None
    return Case(filed, result, closed if result != "尚未审结" else None, case.line())


def _numbers(f: Fields, key: str, width: int, names: tuple[str, ...]) -> list[int] | None:
    value = f.data.get(key)
    if (isinstance(value, list) and len(value) == width
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
        return list(value)
    f.error(key, "table-row", f"「{key}」应为 {width} 个不小于 0 的整数，依次为：{'、'.join(names)}；"
                              f"如 [{', '.join('0' for _ in range(width))}]")
    return None


def _read_table_b(top: Fields, register: Register) -> TableB:
    table = TableB()
    f = top.mapping("汇总表", True)
    if f is None:
        return table
    names = tuple(name for _, name in COLUMNS)
    for key in f.data:
        row = ROW_BY_SHORT.get(OUTCOME_ALIASES.get(key, key))
        if row is None:
            f.error(key, "table-row-name", f"汇总表中没有「{key}」这一行" + suggest(key, ROW_BY_SHORT)
                    + "；行名见 README.md「五、年度报告数据」")
            continue
        register.lines[row] = f.line(key)
        if (numbers := _numbers(f, key, len(COLUMNS), names)) is not None:
            table.rows[row] = numbers
    for row in REQUIRED_ROWS:
        short = ROW_SHORT[row]
        if row not in register.lines:
            f.error(short, "required", f"汇总表缺少「{short}」这一行（没有的写 7 个 0）")
    return table


def _read_table_c(top: Fields, register: Register) -> TableC:
    table = TableC()
    f = top.mapping("复议诉讼", True, "行政复议、行政诉讼情况；没有的每行写 5 个 0")
    if f is None:
        return table
    for key in f.data:
        group = CASE_GROUP_BY_NAME.get(key)
        if group is None:
            f.error(key, "table-row-name", f"复议诉讼中没有「{key}」这一行，应为：{'、'.join(CASE_GROUP_BY_NAME)}"
                    + suggest(key, CASE_GROUP_BY_NAME))
            continue
        register.lines[group] = f.line(key)
        if (numbers := _numbers(f, key, len(CASE_COLUMNS), CASE_COLUMNS)) is not None:
            table.groups[group] = numbers
    for name, group in CASE_GROUP_BY_NAME.items():
        if group not in register.lines:
            f.error(name, "required", f"复议诉讼缺少「{name}」这一行（没有的写 5 个 0）")
    return table
