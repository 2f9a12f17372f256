"""Small server-side SVG charts for the dashboard. Pure functions: numbers in, markup out.

No script and no style attribute (the CSP forbids both): colours are SVG presentation attributes.
Each chart is an <svg role="img"> with a <title> and a <desc>; the page shows the same numbers in a
table beside it, so nobody needs to read the picture.
"""

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour-blind-safe palette (Okabe-Ito), each readable against white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class Series:
    label: str
    colour: str


def _html(template: str, *args) -> SafeString:
    """format_html with floats rounded to one decimal (format_html cannot format them itself).
    Its escaping done here directly: a chart has hundreds of parts, and format_html's checks for
    lazy strings on each argument took longer than the chart."""
    return mark_safe(template.format(*map(_escaped, args)))  # noqa: S308  (each argument escaped)


def _escaped(arg) -> str:
    """An argument as format_html writes it (conditional_escape), a float with one decimal."""
    if isinstance(arg, float):
        return f"{arg:.1f}"
    if isinstance(arg, Promise):
        arg = str(arg)
    return arg.__html__() if hasattr(arg, "__html__") else escape(str(arg))


def _nice_max(value: int | float) -> int:
    """A round axis maximum at or above `value` (1, 2, 5, 10, 20, 50...)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _legend(series: list[Series], x: int, y: int) -> SafeString:
    items, offset = [], x
    for item in series:
        items.append(
            _html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                offset,
                y - 9,
                item.colour,
                offset + 14,
                y,
                TEXT,
                item.label,
            )
        )
        offset += 24 + 7 * len(str(item.label))
    return mark_safe("".join(items))  # noqa: S308  (each part escaped by _html)


def stacked_columns(
    *,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    values: list[list[int]],
    links: list[list[str]] | None = None,
) -> SafeString:
    """Vertical stacked columns: one column per category, one stacked part per series.
    `values[i][j]` is series j in category i; `links[i][j]`, if given, the list behind it."""
    width, height = 640, 240
    left, right, top, bottom = 36, 8, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(row) for row in values]
    top_value = _nice_max(max(totals, default=0))
    slot = plot_w / max(len(categories), 1)
    bar_w = max(slot * 0.65, 2)
    parts = [_svg_open(width, height, title, description, links=bool(links)), _legend(series, left, 14)]
    part_title = _part_titles()
    for tick in (0, top_value / 2, top_value):
        y = top + plot_h - plot_h * tick / top_value
        parts.append(
            _html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
                left,
                width - right,
                y,
                y,
                GRID,
                left - 4,
                y + 3,
                MUTED,
                f"{tick:g}",
            )
        )
    for index, (category, row) in enumerate(zip(categories, values, strict=True)):
        x = left + slot * index + (slot - bar_w) / 2
        base = top + plot_h
        for part_index, (item, value) in enumerate(zip(series, row, strict=True)):
            if not value:
                continue
            bar_h = plot_h * value / top_value
            base -= bar_h
            label = part_title(category, value, item)
            part = _html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                x,
                base,
                bar_w,
                bar_h,
                item.colour,
                label,
            )
            if links:
                part = _html('<a href="{}" aria-label="{}">{}</a>', links[index][part_index], label, part)
            parts.append(part)
        if totals[index]:
            parts.append(
                _html(
                    '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="{}">{}</text>',
                    x + bar_w / 2,
                    base - 3,
                    TEXT,
                    totals[index],
                )
            )
        parts.append(
            _html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="{}">{}</text>',
                x + bar_w / 2,
                height - bottom + 14,
                MUTED,
                category,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308  (each part escaped by _html)


def stacked_bars(
    *,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    values: list[list[int]],
    notes: list[str] | None = None,
    width: int = 640,
) -> SafeString:
    """Horizontal stacked bars: one bar per category (label on the left, an optional note such as
    a grant rate on the right), one stacked part per series."""
    row_h, note_w = 26, 90
    label_w = 170 if width <= 640 else 280
    label_chars = label_w // 6
    top = 28
    height = top + row_h * max(len(categories), 1) + 8
    plot_w = width - label_w - note_w - 8
    top_value = _nice_max(max((sum(row) for row in values), default=0))
    parts = [_svg_open(width, height, title, description), _legend(series, label_w, 14)]
    part_title = _part_titles()
    for index, (category, row) in enumerate(zip(categories, values, strict=True)):
        y = top + row_h * index + 4
        parts.append(
            _html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
                label_w - 6,
                y + 13,
                TEXT,
                _shorten(category, label_chars),
            )
        )
        x = label_w
        for item, value in zip(series, row, strict=True):
            if not value:
                continue
            bar_w = plot_w * value / top_value
            parts.append(
                _html(
                    '<rect x="{}" y="{}" width="{}" height="18" fill="{}"><title>{}</title></rect>',
                    x,
                    y,
                    bar_w,
                    item.colour,
                    part_title(category, value, item),
                )
            )
            if bar_w >= 16:
                parts.append(
                    _html(
                        '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#ffffff">{}</text>',
                        x + bar_w / 2,
                        y + 13,
                        value,
                    )
                )
            x += bar_w
        if notes and notes[index]:
            parts.append(
                _html(
                    '<text x="{}" y="{}" font-size="11" font-weight="600" fill="{}">{}</text>',
                    width - note_w,
                    y + 13,
                    TEXT,
                    notes[index],
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308  (each part escaped by _html)


def _part_titles() -> Callable[[str, int, Series], str]:
    """The tooltip of one stacked part, such as "3 Mar: 4 Accepted" (translated once per chart)."""
    # Translators: a chart's tooltip: the column or bar, the number and what was counted.
    pattern = _("%(category)s: %(value)s %(series)s")
    return lambda category, value, item: pattern % {"category": category, "value": value, "series": item.label}


def _shorten(text: str, length: int) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _svg_open(width: int, height: int, title: str, description: str, *, links: bool = False) -> SafeString:
    # An image hides what it holds from screen readers; a chart whose parts are links is a group
    # of links instead, each reachable with the keyboard and named like its tooltip.
    return _html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="{}" aria-label="{}" '
        'class="dashboard-chart" font-family="{}"><title>{}</title><desc>{}</desc>',
        width,
        height,
        "group" if links else "img",
        title,
        FONT,
        title,
        description,
    )
