"""The request desk as text (terminal), and as one self-contained HTML page an office prints
(inline CSS, no scripts; not part of the public site: it lists internal register numbers)."""
from __future__ import annotations

from jinja2 import Environment

from .desk import CORRECTING, CONSULTING, OVERDUE, RUNNING, SOON, STATES, Desk

COLOUR = {OVERDUE: "red", SOON: "yellow"}


def _pad(text: str, width: int) -> str:
    """Left-align in a monospaced terminal, where a Chinese character takes two columns."""
    shown = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    return text + " " * max(width - shown, 0)


def _summary(desk: Desk) -> str:
    counts = desk.counts()
    return "，".join(f"{state} {n} 件" for state, n in counts.items() if n) or "没有未办结的申请"


def render_text(desk: Desk, platform: str, style=lambda text, **kw: text) -> str:
    out = [style(f"{platform} 依申请公开办理台账", bold=True),
           f"截至 {desk.today}；剩余不超过 {desk.warn_days} 个工作日的列为「即将逾期」"]
    for uid, name in desk.units:
        rows = desk.open.get(uid, [])
        out += ["", style(f"【{name}】未办结 {len(rows)} 件", bold=True)]
        if not rows:
            out.append("  没有未办结的申请。" if uid in desk.registered
                       else f"  没有逐件登记（requests/{uid}/<年份>.yml），无从列出。")
        for o in rows:
            state = style(_pad(o.state, 10), fg=COLOUR.get(o.state)) if o.state in COLOUR else _pad(o.state, 10)
            out.append(f"  {state} {_pad(o.request.number, 12)} 收到 {o.request.received}  期限 {_pad(o.due_text, 18)}"
                       f" {o.left_text}    {desk.rel(o.request)}:{o.request.line}")
            out += [f"             {note}" for note in o.notes]
    if desk.estimate_note:
        out += ["", style(desk.estimate_note + "。", fg="yellow")]
    colour = "red" if desk.counts()[OVERDUE] else ("yellow" if desk.counts()[SOON] else "green")
    out += ["", style(_summary(desk), fg=colour, bold=True)]
    return "\n".join(out) + "\n"


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif;
       color: #111; margin: 24px auto; max-width: 1100px; padding: 0 16px; line-height: 1.6; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; border-bottom: 2px solid #1e3a8a; margin-top: 26px; }
.meta { color: #333; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 13px; }
th, td { border: 1px solid #64748b; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #e2e8f0; } td.num { text-align: right; white-space: nowrap; }
tr.overdue td.state { color: #991b1b; font-weight: bold; } tr.soon td.state { color: #92400e; font-weight: bold; }
.note { font-size: 12px; border-top: 1px solid #94a3b8; margin-top: 24px; padding-top: 6px; }
ul.notes { margin: 0; padding-left: 1.2em; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; } tr { break-inside: avoid; } }
@page { size: A4 landscape; margin: 12mm; }
</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p class="meta">截至 {{ desk.today }}　剩余不超过 {{ desk.warn_days }} 个工作日的列为「即将逾期」　{{ summary }}　（内部工作用表，不对外公开）</p>
</header>
<main>
{% for uid, name in desk.units %}
<section aria-labelledby="u-{{ uid }}">
<h2 id="u-{{ uid }}">{{ name }}（未办结 {{ desk.open[uid]|length }} 件）</h2>
{% if desk.open[uid] %}
<table>
<thead><tr><th scope="col">状态</th><th scope="col">登记编号</th><th scope="col">收到日期</th>
<th scope="col">答复期限</th><th scope="col">剩余</th><th scope="col">说明</th><th scope="col">登记位置</th></tr></thead>
<tbody>
{% for o in desk.open[uid] %}
<tr class="{{ css[o.state] }}"><td class="state">{{ o.state }}</td><th scope="row">{{ o.request.number }}</th>
<td>{{ o.request.received }}</td><td>{{ o.due_text }}</td><td class="num">{{ o.left_text }}</td>
<td>{% if o.notes %}<ul class="notes">{% for n in o.notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}</td>
<td>{{ desk.rel(o.request) }}:{{ o.request.line }}</td></tr>
{% endfor %}
</tbody>
</table>
{% elif uid in desk.registered %}
<p>没有未办结的申请。</p>
{% else %}
<p>没有逐件登记（requests/{{ uid }}/&lt;年份&gt;.yml），无从列出。</p>
{% endif %}
</section>
{% endfor %}
{% if desk.estimate_note %}<p class="note">{{ desk.estimate_note }}。</p>{% endif %}
<p class="note">答复期限：自收到申请的次日起 20 个工作日，经批准延期的 40 个工作日（条例第三十三条）；告知补正的自收到补正的次日起重新计算（第三十条）；
征求第三方或其他机关意见的期间不计算在内（第三十二、三十三条）。工作日按国务院公布的节假日和调休上班日计算。</p>
</main>
</body>
</html>
"""

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
CSS_CLASS = {OVERDUE: "overdue", SOON: "soon", RUNNING: "running", CONSULTING: "consulting", CORRECTING: "correcting"}
assert set(CSS_CLASS) == set(STATES)


def render_html(desk: Desk, platform: str) -> str:
    return _ENV.from_string(_TEMPLATE).render(title=f"{platform} 依申请公开办理台账", desk=desk, summary=_summary(desk),
                                              css=CSS_CLASS)
