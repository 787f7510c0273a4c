"""The clash check: what else happens when a session is (or would be) held.

One call checks a whole list of proposed times in a constant number of queries (the facility's
calendar, the other sessions in the span, their facilitators, the participants' blocks), so a
60-day schedule is checked as fast as one session. Nothing here writes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _

from programs.scheduling.models import HoursPeriod, PersonBlock
from programs.scheduling.rooms import over_capacity, rooms_named
from programs.skills.models import CourseMeeting
from programs.tiers.models import FacilityActivity, Session, SessionStatus
from rehab.formats import ZONE_LABELS, zoned


@dataclass
class Slot:
    """A time a session is proposed at, with its room and facilitators."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str = ""
    facilitator_ids: frozenset[int] = field(default_factory=frozenset)
    speaker_ids: frozenset[int] = field(default_factory=frozenset)


def _same_place(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().lower() == b.strip().lower()


def _what(session: Session) -> str:
    if session.cohort_id:
        return str(session.cohort)
    if session.enrolment is not None:
        return f"{session.get_kind_display()} {session.enrolment.inmate.full_name}"
    return str(session.get_kind_display())


def find(
    *,
    facility_id: int,
    tz: ZoneInfo,
    slots: list[Slot],
    inmate_ids: Collection[int] = (),
    exclude: Collection[int] = (),
    cohort_id: int | None = None,
    participants: int | None = None,
    course_id: int | None = None,
    exclude_meetings: Collection[int] = (),
) -> list[list[str]]:
    """Name, for each slot, everything it clashes with: a facility activity or holiday, a
    session in the same room, a facilitator already leading another session, another session of
    the same cohort, and each participant's court hearing, appointment, visit, transfer out or
    individual session. The answer has one list per slot, in order (empty: no clash).

    For a course's meetings (`course_id`), also the meetings of other courses in the same room
    and the course's own other meetings (one query more); `exclude_meetings` as `exclude`."""
    if not slots:
        return []
    local = [(s.starts_at.astimezone(tz), s.ends_at.astimezone(tz)) for s in slots]
    days = {start.date() for start, _end in local}
    low, high = min(s.starts_at for s in slots), max(s.ends_at for s in slots)

    activities = list(
        FacilityActivity.objects.filter(facility_id=facility_id).filter(
            Q(date__in=days) | Q(date__isnull=True)
        )
    )
    periods = list(
        HoursPeriod.objects.filter(
            facility_id=facility_id, start_date__lte=max(days), end_date__gte=min(days)
        )
    )
    rooms = rooms_named(facility_id, {s.place for s in slots}) if participants else {}
    others_by_day: dict[datetime.date, list[Session]] = defaultdict(list)
    others = (
        Session.objects.filter(facility_id=facility_id, starts_at__lt=high, ends_at__gt=low)
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(pk__in=list(exclude))
        .select_related("cohort", "enrolment__inmate")
        .only(
            "kind", "place", "starts_at", "ends_at", "cohort__name", "enrolment__inmate__full_name"
        )
    )
    for other in others:
        others_by_day[other.starts_at.astimezone(tz).date()].append(other)
    leaders: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    if any(s.facilitator_ids for s in slots):
        through = Session.facilitators.through.objects.filter(
            session__facility_id=facility_id,
            session__starts_at__lt=high,
            session__ends_at__gt=low,
        ).values_list(
            "session_id", "user_id", "user__first_name", "user__last_name", "user__username"
        )
        for session_id, user_id, first, last, username in through:
            leaders[session_id].add(user_id)
            names[user_id] = f"{first} {last}".strip() or username
    speakers: dict[int, set[int]] = defaultdict(set)
    speaker_names: dict[int, str] = {}
    if any(s.speaker_ids for s in slots):
        for session_id, speaker_id, name in Session.speakers.through.objects.filter(
            session__facility_id=facility_id,
            session__starts_at__lt=high,
            session__ends_at__gt=low,
        ).values_list("session_id", "speaker_id", "speaker__name"):
            speakers[session_id].add(speaker_id)
            speaker_names[speaker_id] = name
    blocks_by_day: dict[datetime.date, list[PersonBlock]] = defaultdict(list)
    if inmate_ids:
        for block in (
            PersonBlock.objects.filter(
                inmate_id__in=list(inmate_ids), date__in=days, cancelled_at__isnull=True
            )
            .select_related("inmate")
            .only("kind", "date", "start_time", "end_time", "court", "inmate__full_name")
        ):
            blocks_by_day[block.date].append(block)

    people = set(inmate_ids)
    answer = []
    for slot, (start, end) in zip(slots, local, strict=True):
        day, found = start.date(), []
        found += [
            _("%(title)s (%(kind)s)") % {"title": a.title, "kind": a.get_kind_display()}
            for a in activities
            if a.occurs_on(day) and a.overlaps(start.time(), end.time())
        ]
        found += [
            _("di luar jam %(title)s %(hours)s") % {"title": p.title, "hours": p.hours}
            for p in periods
            if p.covers(day) and not p.allows(start.time(), end.time())
        ]
        room = rooms.get(slot.place.strip().lower())
        if room is not None and participants and (full := over_capacity(room, participants)):
            found.append(full)
        for other in others_by_day[day]:
            if not (other.starts_at < slot.ends_at and slot.starts_at < other.ends_at):
                continue
            if _same_place(slot.place, other.place):
                found.append(
                    _("sesi lain di %(place)s: %(what)s")
                    % {"place": other.place, "what": _what(other)}
                )
            elif cohort_id and other.cohort_id == cohort_id:
                what = f"{other.get_kind_display()} {zoned(other.starts_at, 'TIME_FORMAT', tz)}"
                found.append(_("sesi lain angkatan ini: %(what)s") % {"what": what})
            for user_id in sorted(slot.facilitator_ids & leaders.get(other.pk, set())):
                found.append(
                    _("fasilitator %(name)s sudah bertugas: %(what)s")
                    % {"name": names[user_id], "what": _what(other)}
                )
            for speaker_id in sorted(slot.speaker_ids & speakers.get(other.pk, set())):
                found.append(
                    _("fasilitator %(name)s sudah bertugas: %(what)s")
                    % {"name": speaker_names[speaker_id], "what": _what(other)}
                )
            if other.enrolment is not None and other.enrolment.inmate_id in people:
                found.append(
                    _("%(name)s ada sesi individu") % {"name": other.enrolment.inmate.full_name}
                )
        found += [
            _("%(name)s: %(what)s")
            % {"name": b.inmate.full_name, "what": b.describe(ZONE_LABELS.get(str(tz), ""))}
            for b in blocks_by_day[day]
            if b.overlaps(start.time(), end.time())
        ]
        answer.append(found)
    if course_id is not None:
        for found, more in zip(
            answer, _meetings(facility_id, tz, slots, course_id, exclude_meetings), strict=True
        ):
            found += more
    return answer


def _meetings(
    facility_id: int, tz: ZoneInfo, slots: list[Slot], course_id: int, exclude: Collection[int]
) -> list[list[str]]:
    """For each slot: the course meetings it overlaps, of other courses in the same room or of
    the course itself (one query)."""
    low, high = min(s.starts_at for s in slots), max(s.ends_at for s in slots)
    meetings = list(
        CourseMeeting.objects.filter(
            course__facility_id=facility_id, starts_at__lt=high, ends_at__gt=low
        )
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(pk__in=list(exclude))
        .select_related("course")
        .only("starts_at", "ends_at", "course__name", "course__place")
    )
    answer = []
    for slot in slots:
        found = []
        for other in meetings:
            if not (other.starts_at < slot.ends_at and slot.starts_at < other.ends_at):
                continue
            if other.course_id == course_id:
                what = zoned(other.starts_at, "TIME_FORMAT", tz)
                found.append(_("pertemuan lain pelatihan ini: %(what)s") % {"what": what})
            elif _same_place(slot.place, other.course.place):
                found.append(
                    _("pelatihan lain di %(place)s: %(what)s")
                    % {"place": other.course.place, "what": other.course.name}
                )
        answer.append(found)
    return answer
