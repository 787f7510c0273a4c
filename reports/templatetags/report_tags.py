"""Template filters of the printed reports: labels of the stored figure keys, and numbers."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Analyte, HealthScreening, Injection, RiskLevel, Substance, Tier
from inmates.models import Sex
from programs.models import KNOWN_OUTCOMES, CourseKind, DropReason, Outcome, SessionKind, TrackKind

register = template.Library()

# ICD-10 F10-F19 as PPDGJ-III names them, and the two groups the indicators add.
DIAGNOSIS_LABELS = {
    "F10": gettext_lazy("F10 Alkohol"),
    "F11": gettext_lazy("F11 Opioida"),
    "F12": gettext_lazy("F12 Kanabinoida"),
    "F13": gettext_lazy("F13 Sedativa atau hipnotika"),
    "F14": gettext_lazy("F14 Kokain"),
    "F15": gettext_lazy("F15 Stimulansia lain (termasuk metamfetamin)"),
    "F16": gettext_lazy("F16 Halusinogenika"),
    "F17": gettext_lazy("F17 Tembakau"),
    "F18": gettext_lazy("F18 Pelarut yang mudah menguap"),
    "F19": gettext_lazy("F19 Zat multipel dan zat psikoaktif lain"),
    "other": gettext_lazy("Kode diagnosis lain"),
    "none": gettext_lazy("Belum ada diagnosis kerja"),
}

# The families of keys the figures store, each with its labels (DOMAIN.md §6).
LABELS: dict[str, Mapping[str, Any]] = {
    "sex": dict(Sex.choices),
    "risk": dict(RiskLevel.choices),
    "substance": {
        **dict(Substance.choices),
        "tobacco_only": gettext_lazy("Hanya tembakau"),
        "none": gettext_lazy("Tidak memakai zat"),
    },
    "injection": dict(Injection.choices),
    "tier": dict(Tier.choices),
    "diagnosis": DIAGNOSIS_LABELS,
    "track": dict(TrackKind.choices),
    "drop_reason": dict(DropReason.choices),
    "session": dict(SessionKind.choices),
    "analyte": dict(Analyte.choices),
    "course": dict(CourseKind.choices),
    "outcome": dict(Outcome.choices),
}

DASH = "\u2013"  # a figure without a denominator; also joins the months of a period
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@register.filter
def label(key: Any, family: str) -> Any:
    """Return the label of a stored key ("berat"|label:"tier" is "Berat"); the key if unknown."""
    key = str(key)
    if family == "health":
        field = HealthScreening._meta.get_field(key)
        return capfirst(getattr(field, "verbose_name", key))
    if family == "month":  # "month_3" in aftercare.done_by_month and post_release
        return _("Bulan ke-%(n)s") % {"n": key.removeprefix("month_")}
    return LABELS[family].get(key, key)


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
