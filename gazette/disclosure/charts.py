"""Charts drawn as inline SVG at build time: no JavaScript, readable by screen readers."""

from __future__ import annotations

from html import escape

from markupsafe import Markup


def bar_chart(bars: list[tuple[str, int]], *, title: str, unit: str = "篇", width: int = 640, bar_height: int = 30) -> Markup:
    """Horizontal bars, one per label; the figures are written as text too, so colour carries nothing alone.

    Markup: every text in it is escaped here, so the autoescaping templates print it as it is."""
    if not bars:
        return Markup("")
    top = max(v for _, v in bars) or 1
    label_w, value_w, gap = 90, 90, 10
    plot_w = width - label_w - value_w
    height = len(bars) * (bar_height + gap) + gap
    desc = "；".join(f"{label}：{value}{unit}" for label, value in bars)
    rows = []
    for n, (label, value) in enumerate(bars):
        y = gap + n * (bar_height + gap)
        w = max(2, round(plot_w * value / top)) if value else 0
        rows.append(
            f'<g><text x="{label_w - 8}" y="{y + bar_height * 0.7:.0f}" text-anchor="end" class="gz-chart__label">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" class="gz-chart__bar"/>'
            f'<text x="{label_w + w + 8}" y="{y + bar_height * 0.7:.0f}" class="gz-chart__value">{value}{escape(unit)}</text></g>'
        )
    return Markup(
        f'<svg class="gz-chart" role="img" aria-labelledby="gz-chart-title gz-chart-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="gz-chart-title">{escape(title)}</title><desc id="gz-chart-desc">{escape(desc)}</desc>'
        + "".join(rows)
        + "</svg>"
    )


# Fills for the parts of a stacked bar; each part is also named in the legend and
# in the figures below the chart, so colour carries nothing alone.
PART_FILLS = ("#8f1111", "#d9822b", "#4a6fa5", "#6b8e23", "#7b5ea7", "#5f5f5f", "#b5651d", "#2f7f7f")


def stacked_bar_chart(groups: list[tuple[str, int, list[tuple[str, int]]]], *, title: str, received_label: str,
                      parts: list[str], unit: str = "件", width: int = 640, bar_height: int = 26) -> Markup:
    """Per group (a year): one bar for the total received, one bar stacked by outcome, with a legend (Markup, as above)."""
    if not groups:
        return Markup("")
    top = max(max(received, sum(v for _, v in outs)) for _, received, outs in groups) or 1
    label_w, value_w, gap, group_gap = 70, 80, 6, 18
    plot_w = width - label_w - value_w
    legend_rows = (len(parts) + 1 + 2) // 3
    legend_h = legend_rows * 26 + 10
    group_h = 2 * bar_height + gap + group_gap
    height = legend_h + len(groups) * group_h
    fills = {p: PART_FILLS[i % len(PART_FILLS)] for i, p in enumerate(parts)}
    desc = "；".join(
        f"{label}：{received_label}{received}{unit}，" + "、".join(f"{p}{v}{unit}" for p, v in outs)
        for label, received, outs in groups
    )
    out = []
    # Legend: the received bar first, then each outcome.
    entries = [(received_label, "#9a9a9a")] + [(p, fills[p]) for p in parts]
    for i, (name, fill) in enumerate(entries):
        x, y = 10 + (i % 3) * 210, 8 + (i // 3) * 26
        out.append(f'<g><rect x="{x}" y="{y}" width="16" height="16" fill="{fill}"/>'
                   f'<text x="{x + 22}" y="{y + 14}" class="gz-chart__label">{escape(name)}</text></g>')
    for n, (label, received, outs) in enumerate(groups):
        y = legend_h + n * group_h
        w = max(2, round(plot_w * received / top)) if received else 0
        out.append(
            f'<g><text x="{label_w - 8}" y="{y + bar_height * 1.3:.0f}" text-anchor="end" class="gz-chart__label">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" fill="#9a9a9a"><title>{escape(label)}{escape(received_label)}：{received}{escape(unit)}</title></rect>'
            f'<text x="{label_w + w + 6}" y="{y + bar_height * 0.75:.0f}" class="gz-chart__value">{received}{escape(unit)}</text>'
        )
        x, y2 = label_w, y + bar_height + gap
        for part, value in outs:
            pw = plot_w * value / top
            if pw > 0:
                out.append(f'<rect x="{x:.1f}" y="{y2}" width="{pw:.1f}" height="{bar_height}" fill="{fills.get(part, PART_FILLS[-1])}">'
                           f'<title>{escape(label)}{escape(part)}：{value}{escape(unit)}</title></rect>')
            x += pw
        total = sum(v for _, v in outs)
        out.append(f'<text x="{x + 6:.0f}" y="{y2 + bar_height * 0.75:.0f}" class="gz-chart__value">办理{total}{escape(unit)}</text></g>')
    return Markup(
        f'<svg class="gz-chart gz-chart--stacked" role="img" aria-labelledby="gz-stack-title gz-stack-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="gz-stack-title">{escape(title)}</title><desc id="gz-stack-desc">{escape(desc)}</desc>'
        + "".join(out)
        + "</svg>"
    )
