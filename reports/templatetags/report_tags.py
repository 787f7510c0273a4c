"""Template filters of the printed reports: labels of the stored figure keys, and numbers."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from programs.models import KNOWN_OUTCOMES, Outcome
from reports import definitions

register = template.Library()

DASH = "\u2013"  # a figure without a denominator; also joins the months of a period
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@register.filter
def label(key: Any, family: str) -> Any:
    """Return the label of a stored category ("berat"|label:"tier" is "Berat"); the key if
    unknown. The labels live in reports.definitions."""
    return definitions.category(key, family)


@register.filter
def term(path: str, which: str = "label") -> Any:
    """Return the label of a figure from the definition table: "admissions.admitted"|term is
    "WBP baru masuk"; |term:"short" its column label, |term:"unit" its unit, |term:"definition"
    what it counts."""
    family, key = path.split(".", 1)
    found = definitions.get(family, key)
    if which == "short":
        return found.short
    if which == "unit":
        return found.unit
    if which == "definition":
        return found.definition
    return found.label


@register.simple_tag
def definitions_of(figures: Mapping[str, Any] | None) -> list[Any]:
    """The families of the report's figures with their definitions (the PDF appendix)."""
    return definitions.families_of(figures or {})


@register.filter
def figure(value: Any, definition: definitions.Definition) -> Any:
    """Print one figure as its unit asks: "85,3%", "Rp 7.500.000", "<5" for a suppressed health
    count, a dash for a figure the report did not count."""
    if definition.is_rate:
        return pct(value)
    if value is None:
        return "<5" if definition.family == "health" else DASH
    if definition.unit == definitions.RUPIAH:
        return rupiah(value)
    return number_format(value, 0, force_grouping=True)


@register.filter
def get(mapping: Mapping[str, Any] | None, key: Any) -> Any:
    """Return mapping[key], or None."""
    return (mapping or {}).get(str(key))


@register.filter
def total(values: Mapping[str, Any] | None) -> int:
    """Sum a dict's numbers (None, a suppressed cell, counts as 0)."""
    return sum(v for v in (values or {}).values() if isinstance(v, int))


@register.filter
def cell(value: int | None) -> Any:
    """Print a health count: None is a suppressed small cell, shown as "<5"."""
    return "<5" if value is None else value


@register.filter
def pct(value: float | None) -> str:
    """Print a stored percentage as "85,3%" (a dash when it had no denominator)."""
    if value is None:
        return DASH
    return f"{number_format(value, 1)}%"


@register.filter
def share(part: int | None, whole: int | None) -> str:
    """Print part of whole as a percentage, half-up to one decimal (a dash when whole is 0)."""
    if not whole or part is None:
        return DASH
    value = (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return pct(float(value))


@register.filter
def rupiah(value: int | None) -> str:
    """Print an amount as "Rp 12.500.000"."""
    return f"Rp {number_format(value or 0, 0, force_grouping=True)}"


@register.filter
def month_of(row: Mapping[str, Any]) -> datetime.date:
    """Return the first day of a trend row's month, for the date filter."""
    return datetime.date(row["year"], row["month"], 1)


@register.filter
def last_day(report: Any) -> datetime.date:
    """Return the last day of the report's period (period_end is exclusive)."""
    end: datetime.date = report.period_end
    return end - datetime.timedelta(days=1)


@register.filter
def period_text(report: Any) -> str:
    """Return the report's period in words: "Oktober 2026", "Triwulan III 2026 (Juli-September
    2026)" or "Tahun 2026 (Januari-Desember 2026)", with an en dash."""
    start = report.period_start
    last = report.period_end - datetime.timedelta(days=1)
    if report.kind == "monthly":
        return date_format(start, "F Y")
    months = f"{date_format(start, 'F')}{DASH}{date_format(last, 'F Y')}"
    if report.kind == "quarterly":
        n = ROMAN.get((start.month - 1) // 3 + 1, "")
        return _("Triwulan %(n)s %(year)s (%(months)s)") % {
            "n": n,
            "year": start.year,
            "months": months,
        }
    return _("Tahun %(year)s (%(months)s)") % {"year": start.year, "months": months}


@register.filter
def not_relapsing_total(rows: list[Mapping[str, Any]]) -> str:
    """Print the roll-up's % not relapsing over every facility's follow-ups of the month."""
    outcomes: dict[str, int] = {}
    for row in rows:
        found = ((row.get("figures") or {}).get("aftercare") or {}).get("outcomes") or {}
        for key, n in found.items():
            outcomes[key] = outcomes.get(key, 0) + (n or 0)
    known = sum(outcomes.get(o, 0) for o in KNOWN_OUTCOMES)
    return share(outcomes.get(Outcome.ABSTINENT, 0), known)
