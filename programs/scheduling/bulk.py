"""Moving or cancelling all the planned sessions of a cohort (or meetings of a course) still to
come, from a chosen date on, in one step: a preview first, with every clash of the new times
named (programs.scheduling.clashes), then one atomic write.

The rules are those of one move or cancellation (programs.scheduling.services): held sessions
and meetings, and any with attendance on record, are never touched; every change has a reason,
is audited one by one and stamped `changed_at`, so the today page shows it like a single move.
The preview carries a fingerprint of the sessions it showed: if any of them changed (moved,
cancelled, attendance taken) or a new one appeared before the save, nothing is written.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.scheduling import clashes as clash_check
from programs.scheduling import services as scheduling
from programs.skills.models import Course, CourseMeeting
from programs.skills.services import SCHEDULED_STATES
from programs.tiers.models import OPEN_STATES, Cohort, Enrolment, Session, SessionStatus
from rehab import audit, versions
from rehab.formats import short_date

CANCEL, MOVE = "cancel", "move"
MAX_SHIFT_DAYS = 60
Owner = Cohort | Course


@dataclass
class Change:
    """One planned session or meeting the change applies to; for a move, its new time and
    what that time clashes with."""

    item: Any  # a Session or a CourseMeeting
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    clashes: list[str] = field(default_factory=list)


@dataclass
class BulkPlan:
    """What the change would do; nothing is written yet."""

    action: str
    changes: list[Change]
    # Held (or already cancelled) sessions from the date on, left as they are.
    untouched: int
    # Why the change cannot be saved as it stands (a new time outside the cohort's dates).
    errors: list[str]
    token: str

    @property
    def clashing(self) -> list[Change]:
        return [c for c in self.changes if c.clashes]


def _items(owner: Owner, since: datetime.datetime, lock: bool) -> list[Any]:
    if isinstance(owner, Cohort):
        queryset: Any = Session.objects.filter(cohort=owner, enrolment__isnull=True)
    else:
        queryset = CourseMeeting.objects.filter(course=owner).select_related("course")
    queryset = queryset.filter(starts_at__gte=since).order_by("starts_at", "pk")
    if lock:
        # Lock the rows themselves: a single move or an attendance save waits for this change.
        list(queryset.select_for_update(of=("self",)).values_list("pk", flat=True))
    return list(queryset.annotate(marks=Count("attendance")))


def _fingerprint(items: Sequence[Any]) -> str:
    text = ";".join(
        f"{i.pk}:{i.version}:{i.starts_at.isoformat()}:{i.ends_at.isoformat()}:{i.status}"
        for i in items
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _people(owner: Owner) -> list[int]:
    if isinstance(owner, Cohort):
        return list(
            Enrolment.objects.filter(cohort=owner, state__in=OPEN_STATES).values_list(
                "inmate_id", flat=True
            )
        )
    return list(
        owner.trainees.filter(state__in=SCHEDULED_STATES).values_list("inmate_id", flat=True)
    )


def _leaders(items: list[Any]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """The staff facilitators and the facility's facilitators of each session (2 queries)."""
    users: dict[int, set[int]] = defaultdict(set)
    speakers: dict[int, set[int]] = defaultdict(set)
    sessions = [i.pk for i in items if isinstance(i, Session)]
    if sessions:
        for session_id, user_id in Session.facilitators.through.objects.filter(
            session_id__in=sessions
        ).values_list("session_id", "user_id"):
            users[session_id].add(user_id)
        for session_id, speaker_id in Session.speakers.through.objects.filter(
            session_id__in=sessions
        ).values_list("session_id", "speaker_id"):
            speakers[session_id].add(speaker_id)
    return users, speakers


def _moved(
    item: Any, tz: ZoneInfo, shift_days: int, start: datetime.time | None
) -> tuple[datetime.datetime, datetime.datetime]:
    local = item.starts_at.astimezone(tz)
    day = local.date() + datetime.timedelta(days=shift_days)
    at = start or local.time().replace(tzinfo=None)
    starts_at = datetime.datetime.combine(day, at, tzinfo=tz)
    return starts_at, starts_at + (item.ends_at - item.starts_at)


def plan(
    *,
    owner: Owner,
    since: datetime.date,
    action: str,
    shift_days: int = 0,
    start: datetime.time | None = None,
    lock: bool = False,
) -> BulkPlan:
    """Work out the change for the planned sessions (or meetings) of `owner` from `since` on
    that are still to come, naming every clash of the new times (a constant number of
    queries, however many sessions)."""
    tz = ZoneInfo(owner.facility.time_zone)
    floor = max(datetime.datetime.combine(since, datetime.time.min, tzinfo=tz), timezone.now())
    items = _items(owner, floor, lock)
    targets = [i for i in items if i.status == SessionStatus.PLANNED and not i.marks]
    changes = [Change(item) for item in targets]
    errors: list[str] = []
    if action == MOVE and targets:
        for change in changes:
            change.starts_at, change.ends_at = _moved(change.item, tz, shift_days, start)
        outside = [
            c
            for c in changes
            if c.starts_at is not None
            and not owner.start_date <= c.starts_at.astimezone(tz).date() <= owner.end_date
        ]
        if outside:
            errors.append(
                _(
                    "%(n)d jadwal baru jatuh di luar masa %(start)s sampai %(end)s "
                    "(pertama: %(first)s). Ubah pergeseran atau tanggal mulainya."
                )
                % {
                    "n": len(outside),
                    "start": short_date(owner.start_date),
                    "end": short_date(owner.end_date),
                    "first": short_date(outside[0].starts_at.astimezone(tz).date()),  # type: ignore[union-attr]
                }
            )
        if any(c.starts_at is not None and c.starts_at <= timezone.now() for c in changes):
            errors.append(_("Jadwal baru tidak boleh di waktu yang sudah lewat."))
        users, speakers = _leaders(targets)
        is_cohort = isinstance(owner, Cohort)
        found = clash_check.find(
            facility_id=owner.facility_id,
            tz=tz,
            slots=[
                clash_check.Slot(
                    c.starts_at,  # type: ignore[arg-type]
                    c.ends_at,  # type: ignore[arg-type]
                    c.item.place if is_cohort else owner.place,
                    facilitator_ids=frozenset(users.get(c.item.pk, ())),
                    speaker_ids=frozenset(speakers.get(c.item.pk, ())),
                )
                for c in changes
            ],
            inmate_ids=_people(owner),
            exclude=[t.pk for t in targets] if is_cohort else [],
            cohort_id=owner.pk if is_cohort else None,
            course_id=None if is_cohort else owner.pk,
            exclude_meetings=[] if is_cohort else [t.pk for t in targets],
        )
        for change, clashes in zip(changes, found, strict=True):
            change.clashes = clashes
    return BulkPlan(
        action=action,
        changes=changes,
        untouched=len(items) - len(targets),
        errors=errors,
        token=_fingerprint(targets),
    )


@transaction.atomic
def apply(
    *,
    owner: Owner,
    by: Any,
    since: datetime.date,
    action: str,
    reason: str,
    token: str,
    shift_days: int = 0,
    start: datetime.time | None = None,
    skip_clashing: bool = False,
) -> BulkPlan:
    """Write the change the preview showed, all of it or nothing: refuse (EditConflict) when any
    of the sessions changed since the preview (`token`), and (ScheduleRefused) a change without
    a reason, with a new time outside the dates, or with nothing to change."""
    scheduling.check_reason(
        reason,
        _("Tuliskan alasan pembatalan.")
        if action == CANCEL
        else _("Tuliskan alasan pindah jadwal."),
    )
    type(owner).objects.select_for_update().filter(pk=owner.pk).first()
    found = plan(
        owner=owner, since=since, action=action, shift_days=shift_days, start=start, lock=True
    )
    if found.token != token:
        raise versions.EditConflict
    if found.errors:
        raise scheduling.ScheduleRefused(found.errors[0])
    chosen = [c for c in found.changes if not (skip_clashing and c.clashes)]
    if not chosen:
        raise scheduling.ScheduleRefused(_("Tidak ada jadwal mendatang yang dapat diubah."))
    now, reason = timezone.now(), reason.strip()
    befores = [audit.snapshot(c.item, scheduling.FIELDS) for c in chosen]
    for change in chosen:
        item = change.item
        if action == CANCEL:
            item.status, item.cancel_reason = SessionStatus.CANCELLED, reason
        else:
            item.previous_starts_at = item.starts_at
            item.starts_at, item.ends_at = change.starts_at, change.ends_at
            item.change_reason = reason
        item.changed_at = now
        item.version += 1
    type(chosen[0].item).objects.bulk_update(
        [c.item for c in chosen],
        [*scheduling.FIELDS, "changed_at", "previous_starts_at", "version"],
    )
    verb = "cancelled" if action == CANCEL else "moved"
    for change, before in zip(chosen, befores, strict=True):
        scheduling.record_change(change.item, by, verb, before)
    found.changes = chosen
    return found
