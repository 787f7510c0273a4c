"""The facility's week and the officers' daily movement list: read-only views over the
sessions, skills meetings, the facility's own activities and the blocks on WBP's days.

Both cost a fixed number of queries whatever the facility's size (pinned in
tests/programs/test_calendar.py): one per kind of row, never one per row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from programs.models import (
    SEATED_STATES,
    CourseMeeting,
    Enrolment,
    FacilityActivity,
    HoursPeriod,
    PersonBlock,
    Session,
    SessionStatus,
    Trainee,
    TraineeState,
)
from rehab.models import Facility


@dataclass
class Item:
    """One thing on the calendar: a time (or the whole day), what, and where."""

    start: datetime.time | None
    end: datetime.time | None
    title: str
    place: str = ""
    kind: str = ""  # "session", "meeting", "activity", "holiday", "hours", "block"
    cancelled: bool = False
    people: list[tuple[str, str, str]] = field(default_factory=list)  # name, reg. no, block/cell


@dataclass
class Day:
    date: datetime.date
    items: list[Item]


def _local_range(
    facility: Facility, first: datetime.date, days: int
) -> tuple[datetime.datetime, datetime.datetime]:
    tz = facility.tzinfo
    low = datetime.datetime.combine(first, datetime.time(0), tz)
    return low, low + datetime.timedelta(days=days)


def _sort(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.start is not None, i.start or datetime.time(0), i.title))


def week(facility: Facility, monday: datetime.date) -> list[Day]:
    """The seven days from `monday`: programme sessions and skills meetings (cancelled ones
    marked), and the facility's activities and holidays (3 queries)."""
    tz = facility.tzinfo
    low, high = _local_range(facility, monday, 7)
    days = {monday + datetime.timedelta(days=n): [] for n in range(7)}  # type: dict[datetime.date, list[Item]]
    for s in Session.objects.filter(
        facility=facility, starts_at__gte=low, starts_at__lt=high
    ).select_related("cohort", "enrolment__inmate"):
        start, end = s.starts_at.astimezone(tz), s.ends_at.astimezone(tz)
        who = s.cohort.name if s.cohort else (s.enrolment.inmate.full_name if s.enrolment else "")
        days[start.date()].append(Item(
            start.time(), end.time(), f"{s.get_kind_display()} · {who}", s.place, "session",
            cancelled=s.status == SessionStatus.CANCELLED,
        ))  # fmt: skip
    for m in CourseMeeting.objects.filter(
        course__facility=facility, starts_at__gte=low, starts_at__lt=high
    ).select_related("course"):
        start, end = m.starts_at.astimezone(tz), m.ends_at.astimezone(tz)
        days[start.date()].append(Item(
            start.time(), end.time(), _("Pelatihan · %(course)s") % {"course": m.course.name},
            m.course.place, "meeting", cancelled=m.status == SessionStatus.CANCELLED,
        ))  # fmt: skip
    activities = FacilityActivity.objects.filter(
        Q(date__range=(monday, monday + datetime.timedelta(days=6))) | Q(date__isnull=True),
        facility=facility,
    )
    for activity in activities:
        for day, items in days.items():
            if activity.occurs_on(day):
                holiday = activity.kind == "holiday"
                items.append(Item(
                    activity.start_time, activity.end_time, activity.title,
                    getattr(activity, "place", ""), "holiday" if holiday else "activity",
                ))  # fmt: skip
    sunday = monday + datetime.timedelta(days=6)
    for period in HoursPeriod.objects.filter(
        facility=facility, start_date__lte=sunday, end_date__gte=monday
    ):
        for day, items in days.items():
            if period.covers(day):
                what = {"hours": period.hours, "title": period.title}
                items.append(Item(None, None, _("Sesi hanya %(hours)s (%(title)s)") % what,
                                  kind="hours"))  # fmt: skip
    return [Day(day, _sort(items)) for day, items in days.items()]


def _person(inmate: object) -> tuple[str, str, str]:
    place = "/".join(p for p in (inmate.block, inmate.cell) if p)  # type: ignore[attr-defined]
    return (inmate.full_name, inmate.registration_number, place)  # type: ignore[attr-defined]


def movements(facility: Facility, day: datetime.date) -> list[Item]:
    """Who goes where, when, on one day: each session and meeting that is not cancelled with
    the people expected at it, and each court hearing, visit or appointment (5 queries)."""
    tz = facility.tzinfo
    low, high = _local_range(facility, day, 1)
    sessions = list(
        Session.objects.filter(facility=facility, starts_at__gte=low, starts_at__lt=high)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("cohort", "enrolment__inmate")
    )
    members: dict[int, list[tuple[str, str, str]]] = {}
    for e in (
        Enrolment.objects.filter(
            cohort_id__in={s.cohort_id for s in sessions if s.cohort_id}, state__in=SEATED_STATES
        )
        .select_related("inmate")
        .order_by("inmate__full_name")
    ):
        members.setdefault(e.cohort_id or 0, []).append(_person(e.inmate))
    meetings = list(
        CourseMeeting.objects.filter(
            course__facility=facility, starts_at__gte=low, starts_at__lt=high
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("course")
    )
    trainees: dict[int, list[tuple[str, str, str]]] = {}
    for t in (
        Trainee.objects.filter(
            course_id__in={m.course_id for m in meetings}, state=TraineeState.ENROLLED
        )
        .select_related("inmate")
        .order_by("inmate__full_name")
    ):
        trainees.setdefault(t.course_id, []).append(_person(t.inmate))
    items = []
    for s in sessions:
        start, end = s.starts_at.astimezone(tz), s.ends_at.astimezone(tz)
        people = (
            members.get(s.cohort_id, []) if s.cohort_id
            else [_person(s.enrolment.inmate)] if s.enrolment else []
        )  # fmt: skip
        title = f"{s.get_kind_display()} · {s.cohort.name if s.cohort else _('sesi individu')}"
        items.append(Item(start.time(), end.time(), title, s.place, "session", people=people))
    for m in meetings:
        start, end = m.starts_at.astimezone(tz), m.ends_at.astimezone(tz)
        items.append(Item(
            start.time(), end.time(), _("Pelatihan · %(course)s") % {"course": m.course.name},
            m.course.place, "meeting", people=trainees.get(m.course_id, []),
        ))  # fmt: skip
    for b in PersonBlock.objects.filter(
        facility=facility, date=day, cancelled_at__isnull=True
    ).select_related("inmate"):
        where = " · ".join(p for p in (b.court, b.case_number) if p)
        items.append(Item(
            b.start_time, b.end_time, b.get_kind_display(), where, "block",
            people=[_person(b.inmate)],
        ))  # fmt: skip
    return _sort(items)
