"""Bar charts in HTML and CSS, made at build time: no script, and every label and figure is page text, so it
keeps the reader's size on a phone, in 长者 mode and at 200 % (text inside an SVG shrinks with the drawing,
to about 8 px at 375 px), and a screen reader reads each row as a line. The bars are boxes sized in per cent
and hidden from screen readers; colour carries nothing alone (each part is named in the legend, its figure is
in its tooltip and in the table beside the chart). Every text is escaped here: the charts are Markup."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

# The stacked parts' fills are classes gz-chart__part--0 … --7 (gazette.css, at least 3:1 against white;
# a11y.css recolours them for high contrast); parts beyond eight share the last.
PART_FILLS = 8


def _bar(cls: str, share: float, tooltip: str = "") -> str:
    title = f' title="{escape(tooltip)}"' if tooltip else ""
    return f'<span class="{cls}" style="width:{share:.2%}"{title}></span>'


def _figure(kind: str, title: str, rows: list[str], head: str = "") -> Markup:
    caption = f'<figcaption class="gz-visually-hidden">{escape(title)}</figcaption>'
    body = f'<ul class="gz-chart__rows">{"".join(rows)}</ul>'
    return Markup(f'<figure class="{kind}">{caption}{head}{body}</figure>')


def _row(label: str, *tracks: tuple[str, str]) -> str:
    """A row: its label, then per track the bars (hidden from screen readers) and the figure as text."""
    cells = "".join(f'<span class="gz-chart__track" aria-hidden="true">{bars}</span>'
                    f'<span class="gz-chart__value">{escape(value)}</span>' for bars, value in tracks)
    return f'<li class="gz-chart__row"><span class="gz-chart__label">{escape(label)}</span>{cells}</li>'


def bar_chart(bars: list[tuple[str, int]], *, title: str, unit: str = "篇") -> Markup:
    """One bar per label, each with its figure."""
    if not bars:
        return Markup("")
    top = max(v for _, v in bars) or 1
    return _figure("gz-chart", title, [_row(label, (_bar("gz-chart__bar", value / top), f"{value}{unit}"))
                                       for label, value in bars])


def _part_class(i: int) -> str:
    return f"gz-chart__part gz-chart__part--{min(i, PART_FILLS - 1)}"


def legend_html(received_label: str, parts: list[str]) -> str:
    """The stacked chart's legend; its swatches carry the bars' classes, so they share their fills."""
    swatches = [("gz-chart__received", received_label)] + [(_part_class(i), p) for i, p in enumerate(parts)]
    items = "".join(f'<li><span class="gz-chart-legend__swatch {cls}" aria-hidden="true"></span>'
                    f'{escape(name)}</li>' for cls, name in swatches)
    return f'<ul class="gz-chart-legend" aria-label="图例">{items}</ul>'


def stacked_bar_chart(groups: list[tuple[str, int, list[tuple[str, int]]]], *, title: str,
                      received_label: str, parts: list[str], unit: str = "件") -> Markup:
    """Per group (a year): a bar for the total received and a bar stacked by outcome, under a legend."""
    if not groups:
        return Markup("")
    top = max(max(received, sum(v for _, v in outs)) for _, received, outs in groups) or 1
    classes = {p: _part_class(i) for i, p in enumerate(parts)}
    rows = []
    for label, received, outs in groups:
        other = _part_class(PART_FILLS)
        stack = "".join(_bar(classes.get(part, other), value / top, f"{label}{part}：{value}{unit}")
                        for part, value in outs if value)
        received_bar = _bar("gz-chart__received", received / top)
        rows.append(_row(label, (received_bar, f"{received_label}{received}{unit}"),
                         (stack, f"办理{sum(v for _, v in outs)}{unit}")))
    return _figure("gz-chart gz-chart--stacked", title, rows, legend_html(received_label, parts))
