"""Moving and cancelling a planned group session or course meeting: one rule set for both.

A held session or meeting keeps its date (its attendance is on record) and a cancelled one stays
cancelled; every change needs a reason, is checked against the version the form was opened at,
and is stamped (`changed_at`) so the facility's today page shows it to the people who run it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.skills.models import CourseMeeting
from programs.tiers.models import Session, SessionStatus
from programs.tiers.services import TransitionRefused
from rehab import audit, versions

Schedulable = Session | CourseMeeting
FIELDS = ["starts_at", "ends_at", "status", "cancel_reason", "change_reason"]
REASON_MAX = 255


class ScheduleRefused(TransitionRefused):
    """The move or cancellation does not apply; the message says why."""


def _facility_id(item: Schedulable) -> int:
    return item.facility_id if isinstance(item, Session) else item.course.facility_id


def _kind(item: Schedulable) -> str:
    return "session" if isinstance(item, Session) else "meeting"


def _claim(item: Schedulable, reason: str, version: int | None, missing: str) -> Schedulable:
    """Lock the stored row, check that it may change and that the form saw its last version."""
    current = type(item).objects.select_for_update().select_related().get(pk=item.pk)
    if current.status == SessionStatus.HELD:
        raise ScheduleRefused(
            _("Jadwal yang sudah terlaksana tidak dapat dipindah atau dibatalkan.")
        )
    if current.status == SessionStatus.CANCELLED:
        raise ScheduleRefused(_("Jadwal ini sudah dibatalkan."))
    if not reason.strip():
        raise ScheduleRefused(missing)
    if len(reason) > REASON_MAX:
        raise ScheduleRefused(
            _("Alasan terlalu panjang: paling banyak %(limit)d karakter.") % {"limit": REASON_MAX}
        )
    if version is not None:
        versions.claim(current, version)
    return current


def _record(current: Schedulable, by: Any, action: str, before: dict[str, Any]) -> None:
    audit.record(
        facility=_facility_id(current),
        actor=by,
        action=f"programs.{_kind(current)}.{action}",
        target=current,
        summary=(current.change_reason or current.cancel_reason)[:200],
        changes=audit.diff(before, audit.snapshot(current, FIELDS)),
    )


@transaction.atomic
def reschedule(
    *,
    item: Schedulable,
    by: Any,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
    version: int | None,
) -> Schedulable:
    """Move a planned session or meeting to another time, with the reason."""
    if ends_at <= starts_at:
        raise ScheduleRefused(_("Jam selesai harus sesudah jam mulai."))
    current = _claim(item, reason, version, _("Tuliskan alasan pindah jadwal."))
    before = audit.snapshot(current, FIELDS)
    if starts_at == current.starts_at and ends_at == current.ends_at:
        raise ScheduleRefused(_("Waktu baru sama dengan jadwal sekarang."))
    current.previous_starts_at = current.starts_at
    current.starts_at, current.ends_at = starts_at, ends_at
    current.change_reason = reason.strip()
    current.changed_at = timezone.now()
    current.save()
    _record(current, by, "moved", before)
    return current


@transaction.atomic
def cancel(*, item: Schedulable, by: Any, reason: str, version: int | None) -> Schedulable:
    """Cancel a planned session or meeting, with the reason; a held one stays held."""
    current = _claim(item, reason, version, _("Tuliskan alasan pembatalan."))
    before = audit.snapshot(current, FIELDS)
    current.status = SessionStatus.CANCELLED
    current.cancel_reason = reason.strip()
    current.changed_at = timezone.now()
    current.save()
    _record(current, by, "cancelled", before)
    return current


def recent_changes(
    *, session_facilities: list[int], meeting_facilities: list[int], day: datetime.date
) -> list[Schedulable]:
    """Sessions and meetings moved or cancelled in the last 7 days whose time (old or new) is
    still to come, soonest first (2 queries)."""
    since = timezone.now() - datetime.timedelta(days=7)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    changed: list[Schedulable] = []
    if session_facilities:
        changed += list(
            Session.objects.filter(
                facility_id__in=session_facilities, changed_at__gte=since, starts_at__gte=start
            ).select_related("cohort", "module", "enrolment__inmate")[:20]
        )
    if meeting_facilities:
        changed += list(
            CourseMeeting.objects.filter(
                course__facility_id__in=meeting_facilities,
                changed_at__gte=since,
                starts_at__gte=start,
            ).select_related("course")[:20]
        )
    return sorted(changed, key=lambda item: item.starts_at)
