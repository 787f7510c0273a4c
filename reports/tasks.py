"""Report jobs: the beat schedule's fan-out and the generation of one report. Thin: they load
ids and call one service; generating is idempotent, so a retry or a duplicate is harmless."""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone

from rehab.models import Facility
from reports import services
from reports.models import previous_period


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
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
    except Exception as error:
        if self.request.retries >= self.max_retries:
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
