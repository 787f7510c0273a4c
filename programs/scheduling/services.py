"""Moving and cancelling a planned group session or course meeting: one rule set for both.

A held session or meeting keeps its date (its attendance is on record) and a cancelled one stays
cancelled; every change needs a reason, is checked against the version the form was opened at,
and is stamped (`changed_at`) so the facility's today page shows it to the people who run it.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inmates.models import Inmate
from programs.scheduling.models import NonAssociation, PersonBlock, Speaker
from programs.skills.models import CourseMeeting
from programs.tiers.models import (
    OPEN_STATES,
    Cohort,
    Enrolment,
    FacilityActivity,
    Session,
    SessionStatus,
)
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


def check_reason(reason: str, missing: str) -> None:
    """Refuse an empty reason (with the `missing` message) and one over REASON_MAX."""
    if not reason.strip():
        raise ScheduleRefused(missing)
    if len(reason) > REASON_MAX:
        raise ScheduleRefused(
            _("Alasan terlalu panjang: paling banyak %(limit)d karakter.") % {"limit": REASON_MAX}
        )


def _claim(item: Schedulable, reason: str, version: int | None, missing: str) -> Schedulable:
    """Lock the stored row, check that it may change and that the form saw its last version."""
    current = type(item).objects.select_for_update().select_related().get(pk=item.pk)
    if current.status == SessionStatus.HELD:
        raise ScheduleRefused(
            _("Jadwal yang sudah terlaksana tidak dapat dipindah atau dibatalkan.")
        )
    if current.status == SessionStatus.CANCELLED:
        raise ScheduleRefused(_("Jadwal ini sudah dibatalkan."))
    check_reason(reason, missing)
    if version is not None:
        versions.claim(current, version)
    return current


def record_change(current: Schedulable, by: Any, action: str, before: dict[str, Any]) -> None:
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
    record_change(current, by, "moved", before)
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
    record_change(current, by, "cancelled", before)
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


# --- Blocks on a WBP's day: court hearings, health appointments, visits, transfers out -------

BLOCK_FIELDS = ["kind", "date", "start_time", "end_time", "court", "case_number", "note"]


@transaction.atomic
def block_create(*, inmate: Inmate, by: Any, data: dict[str, Any]) -> PersonBlock:
    """Put a block on the WBP's day, in the WBP's facility."""
    block = PersonBlock(facility_id=inmate.facility_id, inmate=inmate, created_by=by)
    for name in BLOCK_FIELDS:
        setattr(block, name, data[name])
    block.save()
    audit.record(
        facility=block.facility_id,
        actor=by,
        action="programs.block.created",
        target=inmate,
        summary=str(block),
        changes=audit.diff({}, audit.snapshot(block, BLOCK_FIELDS)),
        subject=block,
    )
    return block


@transaction.atomic
def block_update(
    *, block: PersonBlock, by: Any, data: dict[str, Any], expected_version: int
) -> PersonBlock:
    """Correct a block; refuse (EditConflict) a save over someone else's newer one and a change
    to a cancelled block."""
    current = PersonBlock.objects.select_for_update().get(pk=block.pk)
    if current.is_cancelled:
        raise ScheduleRefused(_("Jadwal pribadi ini sudah dibatalkan."))
    versions.claim(current, expected_version)
    before = audit.snapshot(current, BLOCK_FIELDS)
    for name in BLOCK_FIELDS:
        setattr(current, name, data[name])
    current.updated_by, current.updated_at = by, timezone.now()
    current.save()
    changes = audit.diff(before, audit.snapshot(current, BLOCK_FIELDS))
    if changes:
        audit.record(
            facility=current.facility_id,
            actor=by,
            action="programs.block.updated",
            target=current.inmate,
            summary=str(current),
            changes=changes,
            subject=current,
        )
    return current


@transaction.atomic
def block_cancel(*, block: PersonBlock, by: Any, reason: str, expected_version: int) -> PersonBlock:
    """Cancel a block with the reason; it stays listed, and no longer clashes."""
    current = PersonBlock.objects.select_for_update().get(pk=block.pk)
    if current.is_cancelled:
        raise ScheduleRefused(_("Jadwal pribadi ini sudah dibatalkan."))
    if not reason.strip():
        raise ScheduleRefused(_("Tuliskan alasan pembatalan."))
    if len(reason) > REASON_MAX:
        raise ScheduleRefused(
            _("Alasan terlalu panjang: paling banyak %(limit)d karakter.") % {"limit": REASON_MAX}
        )
    versions.claim(current, expected_version)
    current.cancelled_at, current.cancel_reason = timezone.now(), reason.strip()
    current.updated_by, current.updated_at = by, current.cancelled_at
    current.save()
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="programs.block.cancelled",
        target=current.inmate,
        summary=f"{current}: {current.cancel_reason}"[:255],
        changes={"cancel_reason": ["", current.cancel_reason]},
        subject=current,
    )
    return current


# --- Non-associations: WBP to keep apart ---------------------------------------------------


@transaction.atomic
def separation_create(*, first: Inmate, second: Inmate, by: Any, reason: str) -> NonAssociation:
    """Record that two WBP of one facility must be kept apart; refuse a pair already kept."""
    if first.pk == second.pk:
        raise ScheduleRefused(_("Pilih dua WBP yang berbeda."))
    if first.facility_id != second.facility_id:
        raise ScheduleRefused(_("Kedua WBP harus di UPT yang sama."))
    if not reason.strip():
        raise ScheduleRefused(_("Tuliskan alasan mereka harus dipisah."))
    pair = Q(first=first, second=second) | Q(first=second, second=first)
    if NonAssociation.objects.active().filter(pair).select_for_update().exists():
        raise ScheduleRefused(_("Kedua WBP ini sudah tercatat harus dipisah."))
    separation = NonAssociation.objects.create(
        facility_id=first.facility_id, first=first, second=second, reason=reason.strip(),
        created_by=by,
    )  # fmt: skip
    for inmate, other in ((first, second), (second, first)):
        audit.record(
            facility=first.facility_id,
            actor=by,
            action="programs.separation.created",
            target=inmate,
            # The reason stays on the list for staff and warden; the history names the pair.
            summary=_("Harus dipisah dari %(name)s") % {"name": other.full_name},
            changes={"separation": [None, other.registration_number]},
            subject=separation,
        )
    return separation


@transaction.atomic
def separation_end(*, separation: NonAssociation, by: Any, reason: str) -> NonAssociation:
    """End a non-association (released, moved, reconciled), with the reason."""
    current = NonAssociation.objects.select_for_update().get(pk=separation.pk)
    if current.ended_at is not None:
        raise ScheduleRefused(_("Pemisahan ini sudah diakhiri."))
    if not reason.strip():
        raise ScheduleRefused(_("Tuliskan alasan pemisahan diakhiri."))
    if len(reason) > REASON_MAX:
        raise ScheduleRefused(
            _("Alasan terlalu panjang: paling banyak %(limit)d karakter.") % {"limit": REASON_MAX}
        )
    current.ended_at, current.ended_by, current.end_reason = timezone.now(), by, reason.strip()
    current.save()
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="programs.separation.ended",
        target=current.first,
        summary=_("Tidak lagi harus dipisah dari %(name)s") % {"name": current.second.full_name},
        changes={"ended_at": [None, f"{current.ended_at:%Y-%m-%d %H:%M}"]},
        subject=current,
    )
    return current


def kept_apart(
    *, inmate_ids: Collection[int], cohort_ids: Collection[int], also: Collection[int] = ()
) -> dict[tuple[int, int], list[str]]:
    """For each WBP (of inmate_ids) and cohort (of cohort_ids): the names of the people they
    must be kept apart from who hold an open place in that cohort, or who are among `also`
    (being proposed with them). Two queries, however many people."""
    ids = set(inmate_ids)
    if not ids:
        return {}
    pairs = list(
        NonAssociation.objects.active()
        .filter(Q(first_id__in=ids) | Q(second_id__in=ids))
        .select_related("first", "second")
    )
    partners = {p.first_id for p in pairs} | {p.second_id for p in pairs}
    seated: dict[int, set[int]] = {}
    for inmate_id, cohort_id in Enrolment.objects.filter(
        cohort_id__in=list(cohort_ids), inmate_id__in=list(partners), state__in=OPEN_STATES
    ).values_list("inmate_id", "cohort_id"):
        seated.setdefault(inmate_id, set()).add(cohort_id)
    found: dict[tuple[int, int], list[str]] = {}
    for pair in pairs:
        for inmate_id in (pair.first_id, pair.second_id):
            if inmate_id not in ids:
                continue
            partner = pair.partner_of(inmate_id)
            for cohort_id in cohort_ids:
                if cohort_id in seated.get(partner.pk, set()) or partner.pk in also:
                    found.setdefault((inmate_id, cohort_id), []).append(partner.full_name)
    return found


def cohort_pairs(cohort: Cohort) -> list[str]:
    """The pairs kept apart who both hold an open place in the cohort, named once each."""
    people = list(
        Enrolment.objects.filter(cohort=cohort, state__in=OPEN_STATES).values_list(
            "inmate_id", "inmate__full_name"
        )
    )
    names = dict(people)
    found = kept_apart(inmate_ids=list(names), cohort_ids=[cohort.pk])
    pairs = {
        tuple(sorted((names[inmate_id], partner)))
        for (inmate_id, _cohort), partners in found.items()
        for partner in partners
    }
    return [f"{a} dan {b}" for a, b in sorted(pairs)]


# --- The facility's facilitators ------------------------------------------------------------

SPEAKER_FIELDS = ["user", "name", "agency", "topics", "phone", "active"]


@transaction.atomic
def speaker_create(*, facility_id: int, by: Any, data: dict[str, Any]) -> Speaker:
    speaker = Speaker(facility_id=facility_id, created_by=by)
    for name in SPEAKER_FIELDS:
        setattr(speaker, name, data[name])
    speaker.save()
    audit.record(
        facility=facility_id,
        actor=by,
        action="programs.speaker.created",
        target=speaker,
        summary=str(speaker),
        changes=audit.diff({}, audit.snapshot(speaker, SPEAKER_FIELDS)),
    )
    return speaker


@transaction.atomic
def speaker_update(
    *, speaker: Speaker, by: Any, data: dict[str, Any], expected_version: int
) -> Speaker:
    """Correct a facilitator; refuse (EditConflict) a save over someone else's newer one."""
    current = Speaker.objects.select_for_update().get(pk=speaker.pk)
    versions.update(
        current,
        expected=expected_version,
        data={name: data[name] for name in SPEAKER_FIELDS},
        by=by,
        action="programs.speaker.updated",
    )
    current.updated_by, current.updated_at = by, timezone.now()
    current.save(update_fields=["updated_by", "updated_at"])
    return current


def speaker_sessions(speaker: Speaker) -> list[Session]:
    """The facilitator's sessions across cohorts, from 30 days ago on (one query)."""
    since = timezone.now() - datetime.timedelta(days=30)
    led = Q(speakers=speaker)
    if speaker.user_id:
        led |= Q(facilitators=speaker.user_id)
    return list(
        Session.objects.filter(led, facility_id=speaker.facility_id, starts_at__gte=since)
        .distinct()
        .select_related("cohort", "enrolment__inmate")
        .order_by("starts_at", "id")[:300]
    )


ACTIVITY_FIELDS = ["title", "kind", "date", "weekday", "start_time", "end_time", "place"]


def activity_create(*, facility_id: int, by: Any, data: dict[str, Any]) -> FacilityActivity:
    activity = FacilityActivity(facility_id=facility_id, **{k: data[k] for k in ACTIVITY_FIELDS})
    activity.save()
    audit.record(
        facility=facility_id,
        actor=by,
        action="programs.activity.created",
        target=activity,
        summary=str(activity),
        changes=audit.diff({}, audit.snapshot(activity, ACTIVITY_FIELDS)),
    )
    return activity


@transaction.atomic
def activity_update(
    *, activity: FacilityActivity, by: Any, data: dict[str, Any], expected_version: int
) -> FacilityActivity:
    """Correct an activity of the calendar; refuse (EditConflict) a save over a newer one."""
    current = FacilityActivity.objects.select_for_update().get(pk=activity.pk)
    versions.update(
        current,
        expected=expected_version,
        data={k: data[k] for k in ACTIVITY_FIELDS},
        by=by,
        action="programs.activity.updated",
    )
    return current


@transaction.atomic
def activity_delete(*, activity: FacilityActivity, by: Any) -> None:
    """Take an activity off the calendar; its history keeps what it was."""
    current = FacilityActivity.objects.select_for_update().get(pk=activity.pk)
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="programs.activity.deleted",
        target=current,
        summary=str(current),
        changes=audit.diff(audit.snapshot(current, ACTIVITY_FIELDS), {}),
    )
    current.delete()
