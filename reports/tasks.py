"""Report jobs: the beat schedule's fan-out, the generation of one report and the recovery of
reports whose task was lost. Thin: they load ids and call one service; generating is
idempotent, so a retry or a duplicate is harmless."""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.utils import timezone

from rehab.celery import TRANSIENT_ERRORS
from rehab.models import Facility
from reports import services
from reports.models import MonthlySummary, previous_period


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_jitter=False,
    max_retries=3,
    acks_late=True,
)
def generate_report(
    self: Any, facility_id: int, kind: str, start: str, requested_by: int | None = None
) -> int:
    """Generate (or find already generated) the report of one facility and period."""
    try:
        report = services.report_generate(
            facility_id=facility_id,
            kind=kind,
            start=datetime.date.fromisoformat(start),
            by=None if requested_by is None else _user(requested_by),
        )
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            services.report_failed_for(
                facility_id=facility_id, kind=kind, start=start, error=repr(error)
            )
        raise  # retried by autoretry_for until the retries are spent
    except Exception as error:
        # A bug: no retry, but the page must stop waiting (and beat must not queue it again).
        services.report_failed_for(
            facility_id=facility_id, kind=kind, start=start, error=repr(error)
        )
        raise
    return report.pk


def _user(pk: int) -> Any:
    """Return who asked, or None if the account is gone: the report is made all the same."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk).first()


@shared_task
def queue_reports(kind: str, time_zone: str | None = None) -> int:
    """Queue last period's report of this kind for every active facility (of one time zone,
    as the schedule runs at 06:00 facility time); return how many were queued."""
    facilities = Facility.objects.filter(active=True)
    if time_zone:
        facilities = facilities.filter(time_zone=time_zone)
    queued = 0
    for facility in facilities:
        today = timezone.localdate(timezone=facility.tzinfo)
        start, _end = previous_period(kind, today)
        services.report_request(facility=facility, kind=kind, start=start, by=None)
        generate_report.delay(facility.pk, kind, start.isoformat())
        queued += 1
    return queued


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def requeue_stuck_reports(older_than_minutes: int | None = None) -> int:
    """Queue again every report still queued after this many minutes (default: the setting
    REPORT_REQUEUE_AFTER_MINUTES), whose task a dead worker or the broker lost; return how many."""
    if older_than_minutes is None:
        older_than_minutes = settings.REPORT_REQUEUE_AFTER_MINUTES
    stuck = services.reports_stuck(older_than=datetime.timedelta(minutes=older_than_minutes))
    for report in stuck:
        generate_report.delay(
            report.facility_id, report.kind, report.period_start.isoformat(), report.requested_by_id
        )
    return len(stuck)


@worker_ready.connect
def _requeue_on_worker_start(**kwargs: Any) -> None:
    # A worker that starts may be replacing one that died holding a report (the embedded broker
    # had already handed the message over; Redis would give it back only after an hour), so it
    # queues every queued report again without waiting; a duplicate only finds the work done.
    requeue_stuck_reports.delay(older_than_minutes=0)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def refresh_summaries(facility_ids: list[int], year: int, month: int) -> int:
    """Store the month's summary of each facility again (asked for on the roll-up page)."""
    for facility_id in facility_ids:
        services.summary_refresh(facility_id=facility_id, year=year, month=month)
    return len(facility_ids)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def refresh_current_summaries() -> int:
    """Count the month so far of every active facility again (hourly, by beat), and last month
    too while it has no report yet; return how many summaries were stored."""
    stored = 0
    for facility in Facility.objects.filter(active=True).order_by("pk"):
        today = timezone.localdate(timezone=facility.tzinfo)
        months = [(today.year, today.month)]
        last = today.replace(day=1) - datetime.timedelta(days=1)
        if not MonthlySummary.objects.filter(
            facility=facility, year=last.year, month=last.month, report__isnull=False
        ).exists():
            months.append((last.year, last.month))
        for year, month in months:
            services.summary_refresh(facility_id=facility.pk, year=year, month=month)
            stored += 1
    return stored
