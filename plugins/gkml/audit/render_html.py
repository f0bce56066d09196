"""`gkml audit --format html`: one self-contained page (inline CSS and SVG, no scripts, no web
fonts) for people who read and print the self-inspection report. Not part of the public site."""
from __future__ import annotations

from jinja2 import Environment

from . import AuditResult
from .context import EMPTY, NOT_APPLICABLE, STALE
from .findings import KINDS, LATE_KINDS, LEVEL_NAMES
from .score import FORMULA
from .stats import month_range, monthly, quarters, window_text
from .svg import bars, heatmap

RED, AMBER, BLUE = "#b91c1c", "#d97706", "#1d4ed8"

_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif;
       color: #111; margin: 24px auto; max-width: 1100px; padding: 0 16px; line-height: 1.6; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; border-bottom: 2px solid #1e3a8a; padding-bottom: 2px;
     margin-top: 32px; } h3 { font-size: 16px; margin: 22px 0 6px; }
.meta { color: #333; margin: 0 0 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { border: 1px solid #94a3b8; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 13px; }
th, td { border: 1px solid #94a3b8; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #e2e8f0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.error { color: #991b1b; font-weight: bold; } .warning { color: #92400e; }
.matrix td { text-align: center; white-space: nowrap; }
.matrix td.name { text-align: left; white-space: normal; min-width: 8em; }
.matrix .empty { background: #fee2e2; color: #991b1b; font-weight: bold; }
.matrix .stale { background: #fef3c7; color: #92400e; } .matrix .na { color: #475569; } .matrix .none { color: #94a3b8; }
.charts svg { display: block; max-width: 100%; height: auto; margin: 12px 0 20px; }
.note { font-size: 12px; color: #333; border-top: 1px solid #94a3b8; margin-top: 28px; padding-top: 8px; }
.ok { color: #166534; }
td.level, td.kind { white-space: nowrap; }
table.findings { table-layout: fixed; } table.findings td { overflow-wrap: anywhere; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } table, svg, .unit { break-inside: auto; } tr, svg { break-inside: avoid; }
  .card { border-color: #000; } a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 14mm; }
</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p class="meta">自查日期：{{ as_of }}　范围：{{ scope }}　时效统计：{{ window }}</p>
</header>
<main>
<section aria-labelledby="s-summary">
<h2 id="s-summary">一、概况</h2>
<div class="cards">
{% if platform_score is not none %}<div class="card">{{ '单位得分' if unit else '全平台得分' }}<b>{{ platform_score }}</b></div>{% endif %}
<div class="card">公开信息<b>{{ public_items }} 条</b></div>
<div class="card">错误<b class="{{ 'error' if errors else 'ok' }}">{{ errors }}</b></div>
<div class="card">警告<b class="{{ 'warning' if warnings else 'ok' }}">{{ warnings }}</b></div>
<div class="card">空白栏目<b>{{ empty_total }}</b></div>
<div class="card">逾期信息<b>{{ late_total }}</b></div>
</div>
{% if check_errors %}<p class="warning">注意：gkml check 另报告 {{ check_errors }} 个格式错误，请一并修正。</p>{% endif %}
<table>
<caption class="meta" style="text-align:left">各类问题数量</caption>
<thead><tr><th scope="col">问题类型</th><th scope="col">级别</th><th scope="col" class="num">数量</th><th scope="col" class="num">每条扣分</th></tr></thead>
<tbody>
{% for k in kinds %}<tr><td>{{ k.label }}</td><td class="{{ k.level }}">{{ k.level_label }}</td><td class="num">{{ k.count }}</td><td class="num">{{ k.penalty }}</td></tr>
{% endfor %}</tbody>
</table>
</section>

<section aria-labelledby="s-charts" class="charts">
<h2 id="s-charts">二、图表</h2>
{% for chart in charts %}{{ chart | safe }}
{% endfor %}
</section>

<section aria-labelledby="s-rank">
<h2 id="s-rank">三、单位得分排名</h2>
<table>
<thead><tr><th scope="col" class="num">名次</th><th scope="col">单位</th><th scope="col">类型</th><th scope="col" class="num">得分</th>
<th scope="col" class="num">基础分</th><th scope="col" class="num">扣分</th><th scope="col" class="num">应建栏目</th>
<th scope="col" class="num">空白</th><th scope="col" class="num">未更新</th><th scope="col" class="num">公开信息</th>
<th scope="col" class="num">逾期</th><th scope="col" class="num">错误</th><th scope="col" class="num">警告</th></tr></thead>
<tbody>
{% for s in scores %}<tr><td class="num">{{ s.rank }}</td><td><a href="#u-{{ s.unit.id }}">{{ s.unit.name }}</a></td><td>{{ s.unit.kind }}</td>
<td class="num"><b>{{ s.score }}</b></td><td class="num">{{ s.base }}</td><td class="num">{{ s.penalty }}</td>
<td class="num">{{ s.applicable }}</td><td class="num">{{ s.empty }}</td><td class="num">{{ s.stale }}</td>
<td class="num">{{ s.public_items }}</td><td class="num">{{ s.late }}</td><td class="num">{{ s.errors }}</td><td class="num">{{ s.warnings }}</td></tr>
{% endfor %}</tbody>
</table>
<p class="note">注：评分方法见文末。</p>
</section>

<section aria-labelledby="s-columns">
<h2 id="s-columns">四、栏目情况</h2>
<p>格内为截至自查日期的公开信息条数；<span class="matrix"><span class="empty">空白</span></span>为应建未建，
<span class="matrix"><span class="stale">未更新</span></span>为超过更新周期，「不适用」为单位已说明理由，「—」为该类单位不设此栏目。</p>
<table class="matrix">
<thead><tr><th scope="col">栏目</th><th scope="col">权重</th><th scope="col">更新周期</th><th scope="col">时限</th>
{% for u in units %}<th scope="col">{{ u.name }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in matrix %}<tr><td class="name">{{ row.name }}<br><small>{{ row.code }}</small></td><td>{{ row.weight }}</td><td>{{ row.cycle }}</td><td>{{ row.deadline }}</td>
{% for cell in row.cells %}<td class="{{ cell.css }}"{% if cell.tip %} title="{{ cell.tip }}"{% endif %}>{{ cell.text }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
</section>

<section aria-labelledby="s-units">
<h2 id="s-units">五、各单位问题清单</h2>
{% for u in unit_sections %}<div class="unit">
<h3 id="u-{{ u.unit.id }}">{{ u.unit.name }}（{{ u.unit.kind }}）　得分 {{ u.score.score }}，第 {{ u.score.rank }} 名</h3>
{% if u.requests %}<p>{{ u.requests }}</p>{% endif %}
{% if u.findings %}<table class="findings">
<colgroup><col style="width:3.5em"><col style="width:9em"><col style="width:7.5em"><col style="width:30%"><col></colgroup>
<thead><tr><th scope="col">级别</th><th scope="col">问题类型</th><th scope="col">栏目</th><th scope="col">信息 / 位置</th><th scope="col">说明</th></tr></thead>
<tbody>
{% for f in u.findings %}<tr><td class="level {{ f.level }}">{{ f.level_label }}</td><td class="kind">{{ f.label }}</td><td>{{ f.column_name }}</td>
<td>{% if f.file %}{{ f.title }}<br><small>{{ f.where }}</small>{% else %}{{ f.period or '' }}{% endif %}</td><td>{{ f.message }}</td></tr>
{% endfor %}</tbody>
</table>{% else %}<p class="ok">未发现问题。</p>{% endif %}
{% if u.quarters %}<p>各季度公开条数（其中季度最后 {{ rush_days }} 天发布）：{% for q in u.quarters %}{{ q['quarter'] }} {{ q['items'] }}（{{ q['last_days'] }}）{% if not loop.last %}；{% endif %}{% endfor %}</p>{% endif %}
</div>
{% endfor %}</section>
</main>
<footer class="note">
<p><b>评分方法：</b>{{ formula }}</p>
<p><b>判定口径：</b>公开时限按统一目录各栏目的「时限」计算（未写的为 20 个工作日，条例第二十六条），自生成日期次日起算；政策解读自被解读文件发布日期次日起算；
工作日按国务院公布的节假日和调休安排计算。「每年M月D日前」的栏目，发布日期不得晚于生成日期当年的该日。
突击发布：一个季度公开的信息不少于 {{ rush_min }} 条，且超过 {{ rush_share }} 在季度最后 {{ rush_days }} 天发布。
年度报告：上一年度的报告应在年报栏目规定日期（默认 1 月 31 日）前公开。</p>
<p>本报告由 gkml audit 根据目录数据生成，供内部自查使用，不在公开网站发布。</p>
</footer>
</body>
</html>
"""

_ENV = Environment(autoescape=True, trim_blocks=False, lstrip_blocks=False)


def _matrix(result: AuditResult) -> list[dict]:
    units = result.units
    status = {(s.unit, s.column.code): s for u in units for s in result.statuses[u.id]}
    codes = [c for c in result.catalogue.taxonomy.leaves() if any((u.id, c.code) in status for u in units)]
    rows = []
    for column in codes:
        cells = []
        for u in units:
            s = status.get((u.id, column.code))
            if s is None:
                cells.append({"text": "—", "css": "none", "tip": "该类单位不设此栏目"})
            elif s.state == NOT_APPLICABLE:
                cells.append({"text": "不适用", "css": "na", "tip": s.reason})
            elif s.state == EMPTY:
                cells.append({"text": "空白", "css": "empty", "tip": ""})
            elif s.state == STALE:
                cells.append({"text": f"未更新（{s.count}）", "css": "stale", "tip": f"最近发布 {s.last}"})
            else:
                cells.append({"text": str(s.count), "css": "", "tip": f"最近发布 {s.last}"})
        rows.append({"name": column.name, "code": column.code, "weight": f"{column.weight:g}", "cycle": column.cycle or "",
                     "deadline": column.deadline.text if column.deadline else "", "cells": cells})
    return rows


def _charts(result: AuditResult) -> list[str]:
    months = month_range(result)
    per_month = monthly(result)
    units = result.units
    names = {u.id: u.name for u in units}
    charts = [heatmap(f"各单位每月公开信息条数（{months[0][0]}年{months[0][1]}月至{months[-1][0]}年{months[-1][1]}月）",
                      "行为单位，列为月份，格内数字为当月公开的信息条数。",
                      [(names[u.id], per_month[u.id]) for u in units], months)]
    late = {u.id: [0, 0] for u in units}
    for f in result.findings:
        if f.kind in LATE_KINDS:
            late[f.unit][LATE_KINDS.index(f.kind)] += 1
    charts.append(bars("逾期公开的信息（条）", "每个单位逾期发布和政策解读逾期的信息条数。",
                       [(names[u.id], late[u.id]) for u in units], [("逾期发布", RED), ("解读逾期", AMBER)],
                       note=f"统计范围：{window_text(result)}", scale=max([sum(v) for v in late.values()] + [5])))
    score_of = {s.unit.id: s for s in result.scores}
    charts.append(bars("空白和未更新的栏目（个）", "每个单位应建栏目中空白和超过更新周期未更新的栏目个数。",
                       [(names[u.id], [score_of[u.id].empty, score_of[u.id].stale]) for u in units],
                       [("空白栏目", RED), ("栏目未更新", AMBER)],
                       totals=[f"{score_of[u.id].empty + score_of[u.id].stale} / 应建 {score_of[u.id].applicable}" for u in units],
                       note="条后数字：空白和未更新的栏目数 / 应建栏目数。"))
    if len(result.scores) > 1:
        charts.append(bars("各单位得分（按名次）", "各单位的加权得分，满分 100。",
                           [(s.unit.name, [s.score]) for s in result.scores], [("得分", BLUE)], scale=100))
    return charts


def render_html(result: AuditResult) -> str:
    cat = result.catalogue
    titles = {i.rel: i.title for i in cat.items}
    columns = {c.code: c.name for c in cat.taxonomy.walk()}
    counts = result.counts()
    score_of = {s.unit.id: s for s in result.scores}
    quarter_rows = quarters(result)
    unit_sections = []
    for u in result.units:
        rows = [{"level": f.level, "level_label": f.level_label, "label": f.label, "message": f.message,
                 "column_name": columns.get(f.column or "", ""), "file": f.file, "title": titles.get(f.file or "", ""),
                 "where": f.where(), "period": f.period} for f in result.by_unit(u.id)]
        desk = result.context.desk
        unit_sections.append({"unit": u, "score": score_of[u.id], "findings": rows,
                              "requests": desk.unit_summary(u.id) if desk is not None else "",
                              "quarters": [q for q in quarter_rows if q["unit"] == u.id]})
    cfg = result.config
    return _ENV.from_string(_TEMPLATE).render(
        title=f"{cat.site.platform} 自查报告", as_of=result.as_of, unit=result.unit,
        scope=f"单位：{result.units[0].name}" if result.unit else f"全平台（{len(result.units)} 个单位）",
        window=window_text(result), platform_score=result.platform_score, public_items=len(result.context.public),
        errors=len(result.errors), warnings=len(result.warnings), check_errors=result.check_errors,
        empty_total=counts.get("empty-column", 0), late_total=sum(counts.get(k, 0) for k in LATE_KINDS),
        kinds=[{"label": k.label, "level": cfg.level(k.code),
                "level_label": LEVEL_NAMES[cfg.level(k.code)],
                "count": counts.get(k.code, 0), "penalty": f"{cfg.penalty(k.code):g}" + ("×权重" if k.code in LATE_KINDS else "")}
               for k in KINDS.values()],
        charts=_charts(result), scores=result.scores, units=result.units, matrix=_matrix(result),
        unit_sections=unit_sections, formula=FORMULA, rush_days=cfg.rush_days, rush_min=cfg.rush_min_items,
        rush_share=f"{cfg.rush_share:.0%}")

