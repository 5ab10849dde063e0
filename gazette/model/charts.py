"""Charts drawn as inline SVG at build time: no JavaScript, readable by screen readers.

Every figure is written as text too, so colour carries nothing alone. The charts are Markup: every text
in them is escaped here, so the autoescaping templates print them as they are."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

# Fills for the parts of a stacked bar; each part is also named in the legend and the figures.
# Each is at least 3:1 against white (WCAG 1.4.11); high-contrast mode recolours them by class
# (gz-chart__part--N, a11y.css) to fills at least 3:1 against black.
PART_FILLS = ("#8f1111", "#b35c00", "#4a6fa5", "#6b8e23", "#7b5ea7", "#5f5f5f", "#b5651d", "#2f7f7f")
RECEIVED_FILL = "#767676"  # 4.5:1 against white
WIDTH = 640


def _svg(kind: str, uid: str, height: int, title: str, desc: str, parts: list[str]) -> Markup:
    return Markup(
        f'<svg class="{kind}" role="img" aria-labelledby="{uid}-title {uid}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>'
        + "".join(parts) + "</svg>")


def _text(x: float, y: float, text: str, kind: str = "label", end: bool = False) -> str:
    anchor = ' text-anchor="end"' if end else ""
    return f'<text x="{x:.0f}" y="{y:.0f}"{anchor} class="gz-chart__{kind}">{escape(text)}</text>'


def bar_chart(bars: list[tuple[str, int]], *, title: str, unit: str = "篇") -> Markup:
    """Horizontal bars, one per label, each with its figure."""
    if not bars:
        return Markup("")
    top = max(v for _, v in bars) or 1
    label_w, value_w, gap, bar_height = 90, 90, 10, 30
    rows = []
    for n, (label, value) in enumerate(bars):
        y = gap + n * (bar_height + gap)
        w = max(2, round((WIDTH - label_w - value_w) * value / top)) if value else 0
        rows.append(f'<g>{_text(label_w - 8, y + bar_height * 0.7, label, end=True)}'
                    f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" class="gz-chart__bar"/>'
                    f'{_text(label_w + w + 8, y + bar_height * 0.7, f"{value}{unit}", "value")}</g>')
    desc = "；".join(f"{label}：{value}{unit}" for label, value in bars)
    return _svg("gz-chart", "gz-chart", len(bars) * (bar_height + gap) + gap, title, desc, rows)


def _fill(part: int | None) -> str:
    """The fill and class of the received bar (None) or of a part of the stacked bar, by its index."""
    if part is None:
        return f'fill="{RECEIVED_FILL}" class="gz-chart__received"'
    n = part % len(PART_FILLS)
    return f'fill="{PART_FILLS[n]}" class="gz-chart__part gz-chart__part--{n}"'


def legend_html(received_label: str, parts: list[str]) -> Markup:
    """The stacked chart's legend as page text: an SVG's text shrinks with the chart on a phone (to about
    6 px at 375 px), page text keeps the reader's size. Swatches use the bars' fills and classes (high
    contrast recolours by class)."""
    items = "".join(
        f'<li><svg class="gz-chart-legend__swatch" aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">'
        f'<rect width="16" height="16" {_fill(i)}/></svg>{escape(name)}</li>'
        for i, name in [(None, received_label), *enumerate(parts)])
    return Markup(f'<ul class="gz-chart-legend" aria-label="图例">{items}</ul>')


def stacked_bar_chart(groups: list[tuple[str, int, list[tuple[str, int]]]], *, title: str, received_label: str,
                      parts: list[str], unit: str = "件") -> Markup:
    """Per group (a year): one bar for the total received and one bar stacked by outcome (`parts` names every
    outcome, in the order of their fills); the legend is `legend_html`, beside the chart."""
    if not groups:
        return Markup("")
    top = max(max(received, sum(v for _, v in outs)) for _, received, outs in groups) or 1
    label_w, value_w, gap, group_gap, bar_height, top_gap = 70, 80, 6, 18, 26, 6
    plot_w = WIDTH - label_w - value_w
    group_h = 2 * bar_height + gap + group_gap
    out = []
    for n, (label, received, outs) in enumerate(groups):
        y = top_gap + n * group_h
        w = max(2, round(plot_w * received / top)) if received else 0
        out.append(f'<g>{_text(label_w - 8, y + bar_height * 1.3, label, end=True)}'
                   f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" {_fill(None)}><title>'
                   f'{escape(f"{label}{received_label}：{received}{unit}")}</title></rect>'
                   + _text(label_w + w + 6, y + bar_height * 0.75, f"{received}{unit}", "value"))
        x, y2 = label_w, y + bar_height + gap
        for part, value in outs:
            pw = plot_w * value / top
            if pw > 0:
                out.append(f'<rect x="{x:.1f}" y="{y2}" width="{pw:.1f}" height="{bar_height}" '
                           f'{_fill(parts.index(part))}><title>{escape(f"{label}{part}：{value}{unit}")}'
                           '</title></rect>')
            x += pw
        out.append(_text(x + 6, y2 + bar_height * 0.75, f"办理{sum(v for _, v in outs)}{unit}", "value") + "</g>")
    desc = "；".join(f"{label}：{received_label}{received}{unit}，" + "、".join(f"{p}{v}{unit}" for p, v in outs)
                    for label, received, outs in groups)
    return _svg("gz-chart gz-chart--stacked", "gz-stack", top_gap + len(groups) * group_h, title, desc, out)
