"""Stored monthly summaries (reports.models.MonthlySummary): one row of monthly figures per
facility and month, which the supervisor's pages and the 12-month trend read instead of counting
raw rows. The model's docstring says when a summary is a report's copy and when it is counted.

- `refresh` stores one month: the current report's figures if there is one, else counted now;
- `from_report` stores the copy of a report (called by `report_generate`);
- `reported` reads the report copies of many facilities for the roll-up, storing any missing;
- `counted` reads a month of many facilities whatever its kind (the today page's month so far);
- `trend` returns `indicators.trend`'s numbers from the reports' copies.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import JSONObject
from django.utils import timezone

from reports import indicators
from reports.models import MonthlySummary, Report, ReportKind, ReportStatus

# What the roll-up and the today page show of a report: the figures come from the summary.
REPORT_COLUMNS = ("id", "facility", "kind", "period_start", "version", "status", "current")
# The figures the pages over many facilities read of each summary (the roll-up, its PDF, the
# today page), picked out in the database: decoding every row's whole figures costs more than
# the rest of the page.
PAGE_FIGURES = (
    ("admissions", "admitted"),
    ("screening", "screened"),
    ("assessment", "assessed"),
    ("programme", "active"),
    ("programme", "completed"),
    ("programme", "dropped_out"),
    ("sessions", "held"),
    ("sessions", "attendance_marks"),
    ("sessions", "attended"),
    ("sessions", "attendance_rate"),
    ("urine", "positive_tests"),
    ("aftercare", "released"),
    ("aftercare", "follow_ups_made"),
    ("aftercare", "not_relapsing_rate"),
    ("aftercare", "outcomes"),
)
SUMMARY_COLUMNS = ("id", "facility", "year", "month", "schema_version", "report", "computed_at")


def _page_figures() -> JSONObject:
    """A small JSON object of PAGE_FIGURES, built from the row's figures in the database."""
    return JSONObject(
        **{
            f"{family}.{key}": KeyTransform(key, KeyTransform(family, "figures"))
            for family, key in PAGE_FIGURES
        }
    )


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    """{"admissions.admitted": 3} -> {"admissions": {"admitted": 3}}, as the figures nest."""
    nested: dict[str, Any] = {}
    for name, value in flat.items():
        family, key = name.split(".")
        nested.setdefault(family, {})[key] = value
    return nested


def _start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def _reports(facility_ids: Iterable[int], starts: Iterable[datetime.date]) -> Any:
    """The months' current monthly reports that have figures (ready or signed)."""
    return Report.objects.current().filter(
        facility_id__in=list(facility_ids),
        kind=ReportKind.MONTHLY,
        period_start__in=list(starts),
        status__in=[ReportStatus.READY, ReportStatus.SIGNED],
    )


def _copy(report: Report) -> dict[str, Any]:
    """The monthly figures of a report, in the current layout."""
    return indicators.in_current_layout(report.figures).get("indicators") or {}


def _row(facility_id: int, year: int, month: int, figures: dict, report: Report | None) -> Any:
    return MonthlySummary(
        facility_id=facility_id,
        year=year,
        month=month,
        figures=figures,
        schema_version=indicators.SCHEMA_VERSION,
        report=report,
        computed_at=timezone.now(),
    )


def _save(rows: list[MonthlySummary]) -> list[MonthlySummary]:
    """Insert or overwrite the rows of these facilities and months, in one query."""
    if rows:
        MonthlySummary.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["facility", "year", "month"],
            update_fields=["figures", "schema_version", "report", "computed_at"],
        )
    return rows


def from_report_row(report: Report) -> MonthlySummary:
    """An unsaved summary holding the copy of a monthly report's figures."""
    start = report.period_start
    return _row(report.facility_id, start.year, start.month, _copy(report), report)


def from_report(report: Report) -> MonthlySummary:
    """Store the copy of a monthly report's figures as its month's summary."""
    return _save([from_report_row(report)])[0]


def refresh(facility_id: int, year: int, month: int) -> MonthlySummary:
    """Store the month's summary: the current report's figures, else counted from the data now
    (exactly what indicators.monthly_figures returns). Idempotent: one row per month."""
    report = _reports([facility_id], [_start(year, month)]).first()
    if report is not None:
        return from_report(report)
    figures = indicators.monthly_figures(facility_id, year, month)
    return _save([_row(facility_id, year, month, figures, None)])[0]


def is_fresh(summary: MonthlySummary, now: datetime.datetime | None = None) -> bool:
    """Tell whether a stored summary can be shown as it is: a report's copy in the current
    layout always; a counted one for REPORT_SUMMARY_MAX_AGE_MINUTES."""
    if summary.schema_version != indicators.SCHEMA_VERSION:
        return False
    if summary.report_id is not None:
        return True
    age = (now or timezone.now()) - summary.computed_at
    return age <= datetime.timedelta(minutes=settings.REPORT_SUMMARY_MAX_AGE_MINUTES)


def reported(facility_ids: list[int], year: int, month: int) -> dict[int, MonthlySummary]:
    """Return the summary of each facility whose month has a report, by facility id, with its
    report attached (the report's own figures not loaded) and PAGE_FIGURES of its figures:
    1 query. A report without its copy (made before summaries existed, or of an older layout)
    is copied now (2 queries more)."""
    copy = MonthlySummary.objects.filter(
        report=OuterRef("pk"), schema_version=indicators.SCHEMA_VERSION
    ).annotate(page=_page_figures())
    reports = list(
        _reports(facility_ids, [_start(year, month)])
        .only(*REPORT_COLUMNS)
        .annotate(copied=Subquery(copy.values("page")[:1]))
    )
    for r in reports:
        if r.copied is not None:
            r.copied = _nest(r.copied)
    missing = [r.pk for r in reports if r.copied is None]
    copies = {}
    if missing:
        rows = [from_report_row(r) for r in Report.objects.filter(pk__in=missing)]
        copies = {s.report_id: s.figures for s in _save(rows)}
    return {
        r.facility_id: _row(r.facility_id, year, month, copies.get(r.pk, r.copied), r)
        for r in reports
    }


def counted(
    facility_ids: list[int], year: int, month: int, *, fill: int
) -> dict[int, MonthlySummary]:
    """Return the stored summaries of the month by facility id, reports' copies and counted
    ones alike, with PAGE_FIGURES of their figures; count again at most `fill` of the missing
    or out-of-date ones (12 queries each), leaving the rest to beat's hourly refresh (1 query
    when nothing is missing)."""
    rows = (
        MonthlySummary.objects.filter(facility_id__in=facility_ids, year=year, month=month)
        .only(*SUMMARY_COLUMNS)
        .annotate(page=_page_figures())
    )
    stored: dict[int, MonthlySummary] = {}
    for row in rows:
        row.figures = _nest(row.page)
        stored[row.facility_id] = row
    now = timezone.now()
    todo = [fid for fid in facility_ids if fid not in stored or not is_fresh(stored[fid], now)]
    for fid in todo[:fill]:
        stored[fid] = refresh(fid, year, month)
    return stored


def _months(year: int, month: int, months: int) -> list[tuple[int, int]]:
    """The `months` (year, month) pairs up to the given month, oldest first."""
    index = year * 12 + month - 1
    return [divmod(i, 12) for i in range(index - months + 1, index + 1)]


def headline(year: int, month: int, figures: dict[str, Any]) -> dict[str, Any]:
    """One month of the trend, read from the month's figures (indicators.trend's keys)."""
    sessions = figures["sessions"]
    return {
        "year": year,
        "month": month,
        "screened": figures["screening"]["screened"],
        "assessed": figures["assessment"]["assessed"],
        "active": figures["programme"]["active"],
        "sessions_held": sessions["held"],
        "attendance_rate": indicators.rate(sessions["attended"], sessions["attendance_marks"]),
        "released": figures["aftercare"]["released"],
    }


def trend(
    facility_id: int,
    year: int,
    month: int,
    months: int = 12,
    *,
    latest: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Return indicators.trend's numbers for the `months` months up to the given one, oldest
    first: a month with a report from its stored copy (so it equals that report), the given
    month from `latest` when the caller has just counted it (a report being made).

    A report without its copy is copied first (2 queries). Months with no report have no
    frozen figures: they are counted from the raw rows, all of them by one indicators.trend
    (6 queries). Once every month has its report: 1 query.
    """
    if months < 1:
        raise ValueError("months harus 1 atau lebih")
    pairs = [(y, m + 1) for y, m in _months(year, month, months)]
    wanted = Q()
    for y, m in pairs:
        wanted |= Q(year=y, month=m)
    copies = (
        MonthlySummary.objects.filter(
            wanted,
            facility_id=facility_id,
            report__isnull=False,
            schema_version=indicators.SCHEMA_VERSION,
        )
        .only(*SUMMARY_COLUMNS)
        .annotate(page=_page_figures())
    )
    found = {(c.year, c.month): _nest(c.page) for c in copies}
    if latest is not None:
        found[(year, month)] = latest
    missing = [_start(y, m) for y, m in pairs if (y, m) not in found]
    if missing:
        made = _save([from_report_row(r) for r in _reports([facility_id], missing)])
        found.update({(c.year, c.month): c.figures for c in made})
    counted = {}
    if any(pair not in found for pair in pairs):
        raw = indicators.trend(facility_id, year, month, months)
        counted = {(t["year"], t["month"]): t for t in raw}
    return [headline(y, m, found[(y, m)]) if (y, m) in found else counted[(y, m)] for y, m in pairs]
