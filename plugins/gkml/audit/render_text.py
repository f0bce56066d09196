"""`gkml audit` for a terminal or a plain-text file: findings per unit, then the ranking."""
from __future__ import annotations

from . import AuditResult
from .findings import ERROR
from .score import FORMULA
from .stats import window_text


def _pad(text: str, width: int) -> str:
    """Left-align in a monospaced terminal, where a Chinese character takes two columns."""
    shown = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    return text + " " * max(width - shown, 0)


def render_text(result: AuditResult, style=lambda text, **kw: text) -> str:
    """`style(text, fg=..., bold=...)` colours a piece (terminal.style), or leaves it plain."""
    cat = result.catalogue
    out = [style(f"{cat.site.platform} 自查报告", bold=True),
           f"自查日期：{result.as_of}    范围：{'单位 ' + result.units[0].name if result.unit else f'全平台（{len(result.units)} 个单位）'}"
           f"    时效统计：{window_text(result)}"]
    if result.platform_score is not None and not result.unit:
        out.append(f"全平台得分：{result.platform_score}")
    if result.check_errors:
        out.append(style(f"注意：gkml check 另报告 {result.check_errors} 个格式错误，请一并修正。", fg="yellow"))
    columns = {c.code: c for c in cat.taxonomy.walk()}
    score_of = {s.unit.id: s for s in result.scores}
    for unit in result.units:
        s = score_of[unit.id]
        out += ["", style(f"【{unit.name}】{unit.kind}  得分 {s.score}（第 {s.rank} 名）  "
                          f"应建栏目 {s.applicable}，空白 {s.empty}，未更新 {s.stale}，公开信息 {s.public_items} 条", bold=True)]
        if result.context.desk is not None and (line := result.context.desk.unit_summary(unit.id)):
            out.append("  " + line)
        findings = result.by_unit(unit.id)
        if not findings:
            out.append("  未发现问题。")
        for f in findings:
            colour = "red" if f.level == ERROR else "yellow"
            column = f" [{f.column} {columns[f.column].name}]" if f.column in columns else ""
            period = f" [{f.period}]" if f.period else ""
            out.append(f"  {style(f.level_label, fg=colour)} {_pad(f.label, 16)} {f.where()}{column}{period}")
            out.append(f"       {f.message}")
    if len(result.scores) > 1:
        out += ["", style("【得分排名】", bold=True),
                "  " + _pad("名次", 6) + _pad("单位", 26) + _pad("得分", 8) + _pad("基础分", 8) + _pad("扣分", 8)
                + _pad("空白", 6) + _pad("未更新", 8) + "逾期"]
        for s in result.scores:
            out.append("  " + _pad(str(s.rank), 6) + _pad(s.unit.name, 26) + _pad(f"{s.score}", 8) + _pad(f"{s.base}", 8)
                       + _pad(f"{s.penalty}", 8) + _pad(str(s.empty), 6) + _pad(str(s.stale), 8) + str(s.late))
    out += ["", f"评分方法：{FORMULA}"]
    colour = "red" if result.errors else ("yellow" if result.warnings else "green")
    out.append(style(f"共 {len(result.errors)} 个错误，{len(result.warnings)} 个警告", fg=colour, bold=True))
    return "\n".join(out) + "\n"
