"""Stored monthly summaries (reports.models.MonthlySummary): one row of monthly figures per
facility and month, which the supervisor's pages and the 12-month trend read instead of counting
raw rows. The model's docstring says when a summary is a report's copy and when it is counted.

- `refresh` stores one month: the current report's figures if there is one, else counted now;
- `from_report` stores the copy of a report (called by `report_generate`);
- `reported` reads the report copies of many facilities for the roll-up, storing any missing;
- `fill` counts a month's missing or old summaries, a few at a time (the today page);
- `sums` adds up headline figures of many facilities in the database (the today page);
- `trend` returns `indicators.trend`'s numbers from the reports' copies.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from reports import indicators
from reports.models import MonthlySummary, Report, ReportKind, ReportStatus

# What the roll-up and the today page show of a report: the figures come from the summary.
REPORT_COLUMNS = ("id", "facility", "kind", "period_start", "version", "status", "current")
# The figures the pages over many facilities (the roll-up, its PDF, the today page) and the
# trend read, stored apart in `headline`: a row's whole figures are compressed out of line by
# PostgreSQL, and taking them apart for 530 rows costs more than the rest of the page.
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
SUMMARY_COLUMNS = (
    "id", "facility", "year", "month", "schema_version", "report", "computed_at", "headline"
)  # fmt: skip


def page_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """Return PAGE_FIGURES of the month's figures, nested as they are; a family the figures
    lack stays out (a report without figures has an empty headline, shown as no figures)."""
    picked: dict[str, Any] = {}
    for family, key in PAGE_FIGURES:
        if isinstance(figures.get(family), dict):
            picked.setdefault(family, {})[key] = figures[family].get(key)
    return picked


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
        headline=page_figures(figures),
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
            update_fields=["figures", "headline", "schema_version", "report", "computed_at"],
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


def reported(facility_ids: list[int], year: int, month: int) -> dict[int, MonthlySummary]:
    """Return the summary of each facility whose month has a report, by facility id, with its
    report attached and `headline` loaded (never the whole figures): 1 query. A report without
    its copy (made before summaries existed, or of an older layout) is copied now (2 more)."""
    copy = MonthlySummary.objects.filter(
        report=OuterRef("pk"), schema_version=indicators.SCHEMA_VERSION
    )
    reports = list(
        _reports(facility_ids, [_start(year, month)])
        .only(*REPORT_COLUMNS)
        .annotate(copied=Subquery(copy.values("headline")[:1]))
        .order_by()
    )
    missing = [r.pk for r in reports if r.copied is None]
    copies = {}
    if missing:
        rows = [from_report_row(r) for r in Report.objects.filter(pk__in=missing)]
        copies = {s.report_id: s.headline for s in _save(rows)}
    found = {}
    for r in reports:
        found[r.facility_id] = MonthlySummary(
            facility_id=r.facility_id, year=year, month=month, report=r,
            headline=copies.get(r.pk, r.copied), schema_version=indicators.SCHEMA_VERSION,
        )  # fmt: skip
    return found


def fill(facility_ids: list[int], year: int, month: int, *, limit: int) -> None:
    """Count again at most `limit` of the month's missing or out-of-date summaries (12 queries
    each), leaving the rest to beat's hourly refresh (1 query when none is)."""
    oldest = timezone.now() - datetime.timedelta(minutes=settings.REPORT_SUMMARY_MAX_AGE_MINUTES)
    rows = MonthlySummary.objects.filter(
        facility_id__in=facility_ids, year=year, month=month
    ).values_list("facility_id", "schema_version", "report_id", "computed_at")
    # A report's copy in the current layout is always fresh; a counted one for the max age.
    fresh = {
        fid
        for fid, schema, report_id, at in rows
        if schema == indicators.SCHEMA_VERSION and (report_id is not None or at >= oldest)
    }
    for facility_id in [fid for fid in facility_ids if fid not in fresh][:limit]:
        refresh(facility_id, year, month)


def of_month(facility_ids: list[int], year: int, month: int) -> QuerySet[MonthlySummary]:
    """The month's stored summaries of these facilities, reports' copies and counted alike."""
    return MonthlySummary.objects.filter(facility_id__in=facility_ids, year=year, month=month)


def copies_of_month(facility_ids: list[int], year: int, month: int) -> QuerySet[MonthlySummary]:
    """The month's copies of the current (ready or signed) reports of these facilities."""
    return of_month(facility_ids, year, month).filter(
        report__current=True,
        report__status__in=[ReportStatus.READY, ReportStatus.SIGNED],
        schema_version=indicators.SCHEMA_VERSION,
    )


def sums(rows: QuerySet[MonthlySummary], columns: Iterable[tuple[str, str, str]]) -> dict:
    """Add up headline figures over the rows in the database (1 query): `columns` are (name,
    family, figure); also `rows`, `reports` (how many are reports' copies) and `counted_at`
    (the oldest)."""
    return rows.aggregate(
        **{
            name: Coalesce(Sum(Cast(KT(f"headline__{family}__{key}"), IntegerField())), 0)
            for name, family, key in columns
        },
        rows=Count("id"),
        reports=Count("report"),
        counted_at=Min("computed_at"),
    )


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
    copies = MonthlySummary.objects.filter(
        wanted,
        facility_id=facility_id,
        report__isnull=False,
        schema_version=indicators.SCHEMA_VERSION,
    ).only(*SUMMARY_COLUMNS)
    found = {(c.year, c.month): c.headline for c in copies}
    if latest is not None:
        found[(year, month)] = latest
    missing = [_start(y, m) for y, m in pairs if (y, m) not in found]
    if missing:
        made = _save([from_report_row(r) for r in _reports([facility_id], missing)])
        found.update({(c.year, c.month): c.headline for c in made})
    counted = {}
    if any(pair not in found for pair in pairs):
        raw = indicators.trend(facility_id, year, month, months)
        counted = {(t["year"], t["month"]): t for t in raw}
    return [headline(y, m, found[(y, m)]) if (y, m) in found else counted[(y, m)] for y, m in pairs]
