"""Report workflows: request a report, generate its frozen snapshot exactly once, write the
warden's narrative and sign it, which locks it."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rehab import audit, versions
from rehab.files import save_on_commit
from rehab.models import Facility, Signatory
from rehab.pdf import render_pdf
from reports import indicators, summary
from reports.models import MonthlySummary, Report, ReportKind, ReportStatus, period_of

# The monthly report's charts show this many months up to the report's own.
TREND_MONTHS = 12
# What a report's history names: its state and version, and the warden's narrative (the
# figures themselves are aggregates, kept in the report and fingerprinted by the checksum).
REPORT_FIELDS = ["version", "status", "checksum", "generated_at"]
SIGN_FIELDS = ["narrative", "status", "signed_by", "signed_at"]

# A report queued this long is given up on (marked failed, so its page stops waiting and can
# be asked for again) instead of being queued again forever: something in it kills the worker.
GIVE_UP_AFTER = datetime.timedelta(hours=24)


class ReportLocked(Exception):
    """The report is signed: it can no longer change."""


class ReportConflict(Exception):
    """Someone changed the report after this form was opened."""


def build_figures(facility_id: int, kind: str, start: datetime.date, end: datetime.date) -> dict:
    """Count every figure of the report from the data as it is now; the trend's earlier months
    are read from the stored monthly summaries, so they equal those months' reports."""
    if kind == ReportKind.MONTHLY:
        figures = indicators.monthly_figures(facility_id, start.year, start.month)
        return {
            "indicators": figures,
            "trend": summary.trend(
                facility_id, start.year, start.month, TREND_MONTHS, latest=figures
            ),
        }
    last = end - datetime.timedelta(days=1)
    months = (end.year - start.year) * 12 + end.month - start.month
    return {
        "outcomes": indicators.outcome_figures(facility_id, start, end),
        "trend": summary.trend(facility_id, last.year, last.month, max(months, 6)),
    }


def checksum(figures: dict) -> str:
    """Return a stable fingerprint of the figures: equal figures, equal checksum."""
    canonical = json.dumps(figures, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _slot(facility_id: int, kind: str, start: datetime.date) -> Report:
    """Return the current report of the period, locked for this transaction; create it (queued)
    if there is none. Two creators racing meet the unique constraint and the loser reads."""
    _start, end = period_of(kind, start)
    for _attempt in range(2):
        found = (
            Report.objects.select_for_update()
            .filter(facility_id=facility_id, kind=kind, period_start=start, current=True)
            .first()
        )
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return Report.objects.create(
                    facility_id=facility_id, kind=kind, period_start=start, period_end=end
                )
        except IntegrityError:
            continue  # another worker created it first: read theirs
    raise RuntimeError("no current report slot")  # pragma: no cover - needs three racers


@transaction.atomic
def report_request(*, facility: Facility, kind: str, start: datetime.date, by: Any) -> Report:
    """Ask for a report: return the current one, queued again unless it is signed."""
    report = _slot(facility.pk, kind, start)
    if report.is_signed:
        return report
    fields = []
    if report.status == ReportStatus.FAILED:
        # Asked for again: the wait for its task starts now (reports_stuck measures from here).
        report.status, report.error = ReportStatus.QUEUED, ""
        report.requested_at = timezone.now()
        fields += ["status", "error", "requested_at"]
    if by is not None and report.requested_by_id != getattr(by, "pk", None):
        report.requested_by = by
        fields.append("requested_by")
    if fields:
        report.save(update_fields=fields)
    return report


@transaction.atomic
def report_queue(*, facility: Facility, kind: str, start: datetime.date, by: Any) -> Report:
    """Ask for the report and queue its generation once this transaction commits; a signed
    report is returned as it is, with nothing queued."""
    from reports import tasks  # tasks imports this module

    report = report_request(facility=facility, kind=kind, start=start, by=by)
    if not report.is_signed:
        args = (facility.pk, kind, start.isoformat(), by.pk)
        transaction.on_commit(lambda: tasks.generate_report.delay(*args))
    return report


def render(report: Report, page_size: str | None = None) -> bytes:
    """Render the report's stored figures (never live data) to PDF, on the facility's paper
    unless another size is asked for. A signed report names who signed it."""
    from reports import charts  # rendering only: kept out of the import path of the models

    context = {
        "report": report,
        "facility": report.facility,
        "figures": indicators.in_current_layout(report.figures),
        "charts": charts.for_report(report),
        "warden": (
            Signatory.of(report.signed_by) if report.is_signed else report.facility.warden()
        ),
    }
    template = (
        "reports/monthly_pdf.html"
        if report.kind == ReportKind.MONTHLY
        else ("reports/outcome_pdf.html")
    )
    return render_pdf(template, context, page_size=page_size or report.facility.paper_size)


def _file_name(report: Report) -> str:
    return f"{report.facility.code}/{report.kind}-{report.period_start:%Y-%m}-v{report.version}.pdf"


def _store(report: Report) -> None:
    """Render the file now (a failure undoes the transaction) and write it under a name fixed by
    facility, period and version once the transaction commits, so a retry overwrites its own
    earlier attempt and a failed sign-off leaves the unsigned file."""
    save_on_commit(report.file, _file_name(report), render(report))


@transaction.atomic
def report_generate(*, facility_id: int, kind: str, start: datetime.date, by: Any = None) -> Report:
    """Produce the current report of the period exactly once.

    The current row is locked for the whole run, so a duplicate task waits and then finds the
    work done. Unchanged figures keep the current version; changed figures make a new version
    (the old one is kept, no longer current); a signed report is never touched.
    """
    report = _slot(facility_id, kind, start)
    if report.is_signed:
        return report
    before = audit.snapshot(report, REPORT_FIELDS)
    figures = build_figures(facility_id, kind, report.period_start, report.period_end)
    digest = checksum(figures)
    if report.status == ReportStatus.READY:
        if report.checksum == digest and report.file:
            _summarise(report)
            return report
        report.current = False
        report.save(update_fields=["current"])
        report = Report.objects.create(
            facility_id=facility_id,
            kind=kind,
            period_start=report.period_start,
            period_end=report.period_end,
            version=report.version + 1,
            narrative=report.narrative,
            requested_by=by or report.requested_by,
        )
        before = {}  # a new version: its history starts here
    report.figures, report.checksum = figures, digest
    report.status, report.error = ReportStatus.READY, ""
    report.generated_at = timezone.now()
    _store(report)
    report.save()
    _summarise(report)
    audit.record(
        facility=facility_id,
        actor=by,
        action="reports.report.generated",
        target=report,
        summary=f"{report} v{report.version}",
        changes=audit.diff(before, audit.snapshot(report, REPORT_FIELDS)),
    )
    return report


def _summarise(report: Report) -> None:
    """Keep the month's stored summary equal to its monthly report (same transaction)."""
    if report.kind == ReportKind.MONTHLY:
        summary.from_report(report)


@transaction.atomic
def summary_refresh(*, facility_id: int, year: int, month: int) -> MonthlySummary:
    """Store the facility's summary of the month now: its report's copy, else counted."""
    return summary.refresh(facility_id, year, month)


@transaction.atomic
def summaries_refresh_queue(*, facilities: list[Facility], year: int, month: int, by: Any) -> None:
    """Write who asked for the month's summaries to be stored again (one history entry per
    facility) and queue the work once this transaction commits."""
    from reports import tasks  # tasks imports this module

    label = f"{month:02d}-{year}"
    for facility in facilities:
        audit.record(
            facility=facility,
            actor=by,
            action="reports.summary.refreshed",
            target=facility,
            summary=_("Ringkasan bulanan %(period)s dihitung ulang") % {"period": label},
        )
    ids = [f.pk for f in facilities]
    transaction.on_commit(lambda: tasks.refresh_summaries.delay(ids, year, month))


def report_failed_for(*, facility_id: int, kind: str, start: str, error: str) -> None:
    """Mark a queued report as failed once retries are spent, so the screen stops waiting."""
    Report.objects.filter(
        facility_id=facility_id,
        kind=kind,
        period_start=start,
        current=True,
        status=ReportStatus.QUEUED,
    ).update(status=ReportStatus.FAILED, error=error[:2000])


@transaction.atomic
def reports_stuck(*, older_than: datetime.timedelta) -> list[Report]:
    """Return the current reports still queued after `older_than`, to be queued again; mark
    those queued for longer than GIVE_UP_AFTER failed instead."""
    now = timezone.now()
    queued = Report.objects.current().filter(status=ReportStatus.QUEUED)
    queued.filter(requested_at__lt=now - GIVE_UP_AFTER).update(
        status=ReportStatus.FAILED,
        error=f"Still queued {GIVE_UP_AFTER / datetime.timedelta(hours=1):.0f} h after it was "
        "asked for: given up.",
    )
    return list(queued.filter(requested_at__lte=now - older_than).order_by("requested_at"))


@transaction.atomic
def report_sign(
    *, report: Report, by: Any, narrative: str, sign: bool, expected_revision: int
) -> Report:
    """Save the warden's narrative and, when asked, sign: the PDF is rendered again with both
    and the report is locked. A save over someone else's newer narrative is refused
    (EditConflict)."""
    current = Report.objects.select_for_update().select_related("facility").get(pk=report.pk)
    if current.is_signed:
        raise ReportLocked(_("Laporan ini sudah ditandatangani dan tidak dapat diubah."))
    if not current.current or current.status != ReportStatus.READY:
        raise ReportConflict(_("Laporan ini sudah diganti versi baru. Buka versi yang berlaku."))
    versions.claim(current, expected_revision)
    before = audit.snapshot(current, SIGN_FIELDS)
    current.narrative = narrative
    if sign:
        current.status = ReportStatus.SIGNED
        current.signed_by, current.signed_at = by, timezone.now()
    _store(current)
    current.save()
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="reports.report.signed" if sign else "reports.report.narrative",
        target=current,
        summary=f"{current} v{current.version}",
        changes=audit.diff(before, audit.snapshot(current, SIGN_FIELDS)),
    )
    return current
