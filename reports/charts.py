"""Small inline SVG charts for the printed reports (STYLE.md rule 25).

Pure functions: numbers and labels in, an SVG string out, nothing fetched and no ORM. Every
label is escaped here, so the templates may print the result as it is. Sizes are millimetres
(the viewBox is in millimetres too) and the charts read in black and white: monochrome lasers.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from typing import Any

from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Point = tuple[str, float | None]

# The page's own font (static/css/print.css): WeasyPrint draws SVG text with it.
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
TEXT = 2.3  # font size in mm (about 6.5 pt)
TITLE = 2.8
SMALL = 2.0
# Rough advance of one character of DejaVu Sans, as a share of the font size.
CHAR = 0.6
INK = "#000"
GREY = "#bdbdbd"
GRID = "#d0d0d0"
# The monthly report's short trend (months up to and with the report's own).
SHORT_MONTHS = 6
DASH = "\u2013"  # printed where a month has no value


def _num(value: float) -> str:
    """Format a number the Indonesian way: 1.234 and 85,3."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _dot, decimal = f"{value:,.1f}".partition(".")
    return f"{whole.replace(',', '.')},{decimal}"


def _suffix(unit: str) -> str:
    """Percentages carry their sign on the chart; other units are named in the title."""
    return "%" if unit == "%" else ""


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = TEXT,
    anchor: str = "middle",
    bold: bool = False,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}"{weight}>'
        f"{escape(content)}</text>"
    )


def _nice_step(raw: float, integers: bool) -> float:
    """Return the smallest of 1, 2, 5 times a power of ten that is at least raw."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    return max(step, 1.0) if integers else step


def _scale(values: Sequence[float], unit: str) -> tuple[float, float, float]:
    """Return the axis bottom, top and tick step for the values (0 always on the axis)."""
    if unit == "%" and all(0 <= v <= 100 for v in values):
        return 0.0, 100.0, 25.0
    low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        high = low + 1
    integers = all(float(v).is_integer() for v in values)
    step = _nice_step((high - low) / 4, integers)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _frame(
    points: Sequence[Point],
    *,
    title: str,
    unit: str,
    width_mm: float,
    height_mm: float,
    extra: Sequence[float | None] = (),
    legend: Sequence[tuple[str, str]] = (),
) -> tuple[list[str], Any]:
    """Draw the title, legend, grid, axis and month labels; return the parts and a mapper."""
    known = [float(v) for v in [*(v for _label, v in points), *extra] if v is not None]
    low, high, step = _scale(known, unit)
    ticks = [low + i * step for i in range(round((high - low) / step) + 1)]
    tick_labels = [_num(t) + _suffix(unit) for t in ticks]
    left = 1.5 + max(len(t) for t in tick_labels) * TEXT * CHAR
    right = 2.0
    top = 5.0 + TEXT + (3.2 if legend else 0)
    bottom = 2 * TEXT + 2.5
    plot_w = max(width_mm - left - right, 1.0)
    plot_h = max(height_mm - top - bottom, 1.0)
    slot = plot_w / max(len(points), 1)

    def y_of(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    heading = title + (f" ({unit})" if unit and unit != "%" else "")
    parts = [_text(0, TITLE, heading, size=TITLE, anchor="start", bold=True)]
    x = 0.0
    for name, fill in legend:
        y = TITLE + 3.4
        parts.append(
            f'<rect x="{x:.2f}" y="{y - 2:.2f}" width="3" height="2.2" fill="{fill}" '
            f'stroke="{INK}" stroke-width="0.2"/>'
        )
        parts.append(_text(x + 4, y, name, size=SMALL, anchor="start"))
        x += 6 + len(name) * SMALL * CHAR
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        stroke = INK if tick == 0 else GRID
        parts.append(
            f'<line x1="{left:.2f}" y1="{y:.2f}" x2="{left + plot_w:.2f}" y2="{y:.2f}" '
            f'stroke="{stroke}" stroke-width="{0.25 if tick == 0 else 0.15}"/>'
        )
        parts.append(_text(left - 1, y + TEXT * 0.35, label, anchor="end"))
    previous_year = None
    for index, (label, _value) in enumerate(points):
        month, _space, year = label.partition(" ")
        parts.append(_text(x_of(index), top + plot_h + TEXT + 1, month))
        if year and year != previous_year:
            parts.append(_text(x_of(index), top + plot_h + 2 * TEXT + 1.6, year, size=SMALL))
        previous_year = year or previous_year
    return parts, (x_of, y_of, slot, top + plot_h)


def _svg(parts: list[str], title: str, width_mm: float, height_mm: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width_mm}mm" height="{height_mm}mm" viewBox="0 0 {width_mm} {height_mm}" '
        f'font-family="{FONT}" fill="{INK}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    unit: str = "",
    width_mm: float,
    height_mm: float,
) -> str:
    """Draw one series as a line with its values printed; a None value breaks the line.

    Labels are "Okt 2026" style: the month under each point, the year under the first point
    and wherever it changes.
    """
    title = str(title)
    parts, (x_of, y_of, _slot, base) = _frame(
        points, title=title, unit=unit, width_mm=width_mm, height_mm=height_mm
    )
    runs: list[list[tuple[float, float]]] = [[]]
    marks = []
    for index, (_label, value) in enumerate(points):
        if value is None:
            runs.append([])
            marks.append(_text(x_of(index), base - 1, DASH, size=SMALL))
            continue
        x, y = x_of(index), y_of(float(value))
        runs[-1].append((x, y))
        marks.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="0.7"/>')
        marks.append(_text(x, y - 1.5, _num(float(value)) + _suffix(unit), size=SMALL))
    for run in runs:
        if len(run) > 1:
            coords = " ".join(f"{x:.2f},{y:.2f}" for x, y in run)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{INK}" stroke-width="0.45"/>'
            )
    return _svg(parts + marks, title, width_mm, height_mm)


def bar_chart(
    points: Sequence[Point],
    *,
    title: str,
    unit: str = "",
    width_mm: float,
    height_mm: float,
    compare: Sequence[float | None] | None = None,
    legend: tuple[str, str] = ("", ""),
) -> str:
    """Draw one series as black bars with their values, or two side by side (black and grey,
    named by legend) when compare gives a second value for every point; None draws a dash."""
    title = str(title)
    if compare is not None and len(compare) != len(points):
        raise ValueError("compare needs one value per point")
    series = 1 if compare is None else 2
    keys = [(str(legend[0]), INK), (str(legend[1]), GREY)] if series == 2 else []
    parts, (x_of, y_of, slot, _base) = _frame(
        points,
        title=title,
        unit=unit,
        width_mm=width_mm,
        height_mm=height_mm,
        extra=compare or (),
        legend=keys,
    )
    bar = min(slot * (0.6 if series == 1 else 0.4), 9.0)
    zero = y_of(0.0)
    # Beyond a dozen bars a row of zeros is noise: an empty slot already reads as none.
    label_zeros = len(points) * series <= 12
    for index, (_label, value) in enumerate(points):
        values = [value] if compare is None else [value, compare[index]]
        for which, each in enumerate(values):
            x = x_of(index) + (which - series / 2) * bar
            middle = x + bar / 2
            if each is None:
                parts.append(_text(middle, zero - 1, DASH, size=SMALL))
                continue
            y = y_of(float(each))
            top, height = min(y, zero), abs(zero - y)
            parts.append(
                f'<rect x="{x:.2f}" y="{top:.2f}" width="{bar:.2f}" height="{height:.2f}" '
                f'fill="{INK if which == 0 else GREY}" stroke="{INK}" stroke-width="0.15"/>'
            )
            if each or label_zeros:
                parts.append(
                    _text(middle, top - 0.8, _num(float(each)) + _suffix(unit), size=SMALL)
                )
    return _svg(parts, title, width_mm, height_mm)


# --- the report's charts -----------------------------------------------------------------------


def _month_label(row: dict[str, Any]) -> str:
    """Return "Okt 2026" in the active language (Django's own month abbreviations)."""
    return date_format(datetime.date(row["year"], row["month"], 1), "M Y")


def _series(trend: Sequence[dict[str, Any]], key: str) -> list[Point]:
    return [(_month_label(row), row.get(key)) for row in trend]


def for_report(report: Any) -> dict[str, SafeString]:
    """Return the report's charts by name, drawn from its stored trend (never live data).

    Monthly: screened and assessed, and active participants, over the 12 months of the trend;
    sessions held and the attendance rate over the last 6. Quarterly and yearly: active
    participants and releases over the whole trend. No trend, no charts.
    """
    trend = list((report.figures or {}).get("trend") or [])
    if not trend:
        return {}
    full, half = 172.0, 84.0
    charts: dict[str, str]
    if report.kind == "monthly":
        recent = trend[-SHORT_MONTHS:]
        n, m = len(trend), len(recent)
        charts = {
            "screened_assessed": bar_chart(
                _series(trend, "screened"),
                title=_("WBP diskrining dan diasesmen, %(n)d bulan terakhir") % {"n": n},
                width_mm=full,
                height_mm=52,
                compare=[row.get("assessed") for row in trend],
                legend=(_("Diskrining (ASSIST)"), _("Diasesmen")),
            ),
            "active": line_chart(
                _series(trend, "active"),
                title=_("Peserta program aktif, %(n)d bulan terakhir") % {"n": n},
                width_mm=full,
                height_mm=46,
            ),
            "sessions": bar_chart(
                _series(recent, "sessions_held"),
                title=_("Sesi terlaksana, %(n)d bulan terakhir") % {"n": m},
                width_mm=half,
                height_mm=48,
            ),
            "attendance": line_chart(
                _series(recent, "attendance_rate"),
                title=_("Tingkat kehadiran, %(n)d bulan terakhir") % {"n": m},
                unit="%",
                width_mm=half,
                height_mm=48,
            ),
        }
    else:
        n = len(trend)
        charts = {
            "active": line_chart(
                _series(trend, "active"),
                title=_("Peserta program aktif, %(n)d bulan terakhir") % {"n": n},
                width_mm=half,
                height_mm=50,
            ),
            "released": bar_chart(
                _series(trend, "released"),
                title=_("WBP bebas, %(n)d bulan terakhir") % {"n": n},
                width_mm=half,
                height_mm=50,
            ),
        }
    # Safe: every label and number inside was escaped by _text and _svg above.
    return {name: mark_safe(svg) for name, svg in charts.items()}
