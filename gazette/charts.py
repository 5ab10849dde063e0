"""Charts drawn as inline SVG at build time: no JavaScript, readable by screen readers."""

from __future__ import annotations

from html import escape


def bar_chart(bars: list[tuple[str, int]], *, title: str, unit: str = "篇", width: int = 640, bar_height: int = 30) -> str:
    """Horizontal bars, one per label; the figures are written as text too, so colour carries nothing alone."""
    if not bars:
        return ""
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
    return (
        f'<svg class="gz-chart" role="img" aria-labelledby="gz-chart-title gz-chart-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="gz-chart-title">{escape(title)}</title><desc id="gz-chart-desc">{escape(desc)}</desc>'
        + "".join(rows)
        + "</svg>"
    )
