"""Static inline SVG charts for the HTML self-inspection report: no scripts, no web fonts (only
fonts already on the reader's computer), Chinese labels, numbers printed on the marks so the
charts stay readable in black and white."""
from __future__ import annotations

import itertools
from html import escape

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','SimHei',sans-serif"
BLUES = ("#f1f5f9", "#dbeafe", "#93c5fd", "#3b82f6", "#1d4ed8", "#1e3a8a")  # 0, then light to dark
_ids = itertools.count(1)


def text_width(text: str, size: float) -> float:
    return sum(size if ord(c) > 0x2E7F else size * 0.62 for c in text)


def _open(width: float, height: float, title: str, desc: str) -> list[str]:
    n = next(_ids)
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" aria-labelledby="chart{n}-t chart{n}-d" '
            f'font-family="{FONT}" font-size="12">',
            f'<title id="chart{n}-t">{escape(title)}</title><desc id="chart{n}-d">{escape(desc)}</desc>',
            f'<text x="0" y="16" font-size="15" font-weight="bold" fill="#111">{escape(title)}</text>']


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = "#111", size: int = 12,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-size="{size}"'
            + (f' font-weight="{weight}"' if weight != "normal" else "") + f">{escape(text)}</text>")


def heatmap(title: str, desc: str, rows: list[tuple[str, list[int]]], months: list[tuple[int, int]]) -> str:
    """Rows (units) × months; each cell shaded by its count, with the count written in it."""
    label_w = max([text_width(label, 12) for label, _ in rows] + [48]) + 12
    cell_w = max(22.0, min(44.0, 620 / max(len(months), 1)))
    cell_h, top = 24, 58
    width = label_w + cell_w * len(months) + 4
    height = top + cell_h * len(rows) + 34
    peak = max([v for _, values in rows for v in values] + [1])
    out = _open(width, height, title, desc)
    for i, (year, month) in enumerate(months):
        x = label_w + i * cell_w
        if i == 0 or month == 1:
            out.append(_text(x + 2, top - 22, f"{year}年", size=11, fill="#333"))
        out.append(_text(x + cell_w / 2, top - 6, f"{month}月" if cell_w >= 30 else str(month), "middle", "#333", 11))
    for r, (label, values) in enumerate(rows):
        y = top + r * cell_h
        out.append(_text(label_w - 8, y + cell_h / 2 + 4, label, "end"))
        for i, value in enumerate(values):
            step = 0 if value == 0 else 1 + round((len(BLUES) - 2) * (value - 1) / max(peak - 1, 1))
            x = label_w + i * cell_w
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" fill="{BLUES[step]}" '
                       f'stroke="#cbd5e1" stroke-width="0.5"><title>{escape(label)} {year_month(months[i])}：{value} 条</title></rect>')
            out.append(_text(x + (cell_w - 2) / 2, y + cell_h / 2 + 3, str(value), "middle",
                             "#fff" if step >= 4 else ("#94a3b8" if value == 0 else "#111"), 11))
    out.append(_text(0, height - 8, "格内数字为当月公开的信息条数，颜色越深条数越多。", fill="#444", size=11))
    out.append("</svg>")
    return "\n".join(out)


def year_month(month: tuple[int, int]) -> str:
    return f"{month[0]}年{month[1]}月"


def bars(title: str, desc: str, rows: list[tuple[str, list[float]]], series: list[tuple[str, str]],
         note: str = "", totals: list[str] | None = None, scale: float | None = None) -> str:
    """Horizontal stacked bars, one row per unit; each segment labelled with its value, the total after the bar.
    `series` is [(name, colour)]; `totals` optionally replaces the text after each bar; `scale` fixes the full length."""
    label_w = max([text_width(label, 12) for label, _ in rows] + [48]) + 12
    bar_w, row_h, top = 440, 26, 50
    width = label_w + bar_w + 90
    height = top + row_h * max(len(rows), 1) + (34 if note else 14)
    peak = scale or max([sum(values) for _, values in rows] + [1])
    out = _open(width, height, title, desc)
    x = label_w
    for name, colour in series:  # legend
        out.append(f'<rect x="{x:.1f}" y="26" width="12" height="12" fill="{colour}"/>')
        out.append(_text(x + 16, 36, name, size=12))
        x += 16 + text_width(name, 12) + 18
    for r, (label, values) in enumerate(rows):
        y = top + r * row_h
        out.append(_text(label_w - 8, y + 16, label, "end"))
        out.append(f'<line x1="{label_w}" y1="{y}" x2="{label_w}" y2="{y + row_h - 4}" stroke="#64748b"/>')
        x = label_w
        for value, (name, colour) in zip(values, series):
            if value <= 0:
                continue
            w = bar_w * value / peak
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 10}" fill="{colour}">'
                       f'<title>{escape(label)} {escape(name)}：{_num(value)}</title></rect>')
            if w >= text_width(_num(value), 11) + 4:
                out.append(_text(x + w / 2, y + 16, _num(value), "middle", "#fff", 11, "bold"))
            x += w
        total = totals[r] if totals else _num(sum(values))
        out.append(_text(x + 6, y + 16, total, fill="#111", size=12))
    if note:
        out.append(_text(0, height - 8, note, fill="#444", size=11))
    out.append("</svg>")
    return "\n".join(out)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
