"""Skills training (pembinaan kemandirian): courses, places and the waitlist, meetings and
attendance, completion with a competency result.

Capacity decisions lock the course row first (select_for_update), then the trainees: two staff
enrolling into the last place at once get one place and one waitlist entry, never two places.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inmates.models import CustodyStatus, Inmate
from programs import attendance
from programs.completion import services as completion
from programs.models import (
    TRAINEE_OPEN_STATES,
    TRAINEE_SEATED_STATES,
    ActivityKind,
    AttendanceStatus,
    Competency,
    Course,
    CourseAttendance,
    CourseMeeting,
    FacilityActivity,
    SessionStatus,
    Trainee,
    TraineeState,
)
from programs.scheduling import patterns
from programs.scheduling.clashes import Slot, find
from programs.scheduling.patterns import SchedulePlan
from programs.tiers.services import AttendanceConflict
from rehab import audit, versions
from rehab.formats import short_date

# A trainee in one of these states is expected at a meeting.
ROSTER_STATES = (TraineeState.ENROLLED, TraineeState.COMPLETED)
# A trainee in one of these states is expected at the meetings to come (their clashes count).
SCHEDULED_STATES = (TraineeState.ENROLLED, TraineeState.OFFERED)
# A WBP holds at most one of these rows per course (the database constraint says the same).
ONCE_PER_COURSE_STATES = (*TRAINEE_OPEN_STATES, TraineeState.COMPLETED)


class CourseRefused(Exception):
    """The course step cannot be taken; the message says why, in the user's language."""


COURSE_FIELDS = [
    "kind", "name", "provider_kind", "provider_name", "hours", "capacity", "start_date",
    "end_date", "place", "competency_standard", "certificate_issuer",
]  # fmt: skip
TRAINEE_FIELDS = ["state", "offered_at", "completed_on", "competency", "certificate_number",
                  "left_reason"]  # fmt: skip


def _day(value: datetime.date) -> str:
    return short_date(value)


def _locked(course: Course) -> Course:
    return Course.objects.select_for_update().get(pk=course.pk)


def _seated(course: Course) -> int:
    return Trainee.objects.filter(course=course, state__in=TRAINEE_SEATED_STATES).count()


# --- the catalogue and its meetings -----------------------------------------------------------


@transaction.atomic
def course_create(*, course: Course, by: Any) -> Course:
    """Save a new course of the catalogue and note it in the facility's history."""
    course.created_by = by
    course.save()
    audit.record(
        facility=course.facility_id,
        actor=by,
        action="programs.course.created",
        target=course,
        summary=course.name,
        changes=audit.diff({}, audit.snapshot(course, COURSE_FIELDS)),
    )
    return course


@transaction.atomic
def course_update(
    *, course: Course, by: Any, data: dict[str, Any], expected_version: int, reason: str = ""
) -> Course:
    """Correct a course of the catalogue; refuse (EditConflict) a save over someone else's
    newer one."""
    current = _locked(course)
    versions.update(
        current,
        expected=expected_version,
        data=data,
        by=by,
        action="programs.course.updated",
        reason=reason,
    )
    return current


def _local(day: datetime.date, at: datetime.time, tz: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=tz)


def _holidays(course: Course) -> set[datetime.date]:
    days = FacilityActivity.objects.filter(
        facility_id=course.facility_id,
        kind=ActivityKind.HOLIDAY,
        date__range=(course.start_date, course.end_date),
    ).values_list("date", flat=True)
    return {day for day in days if day is not None}


def meetings_plan(
    *,
    course: Course,
    weekdays: list[int],
    start: datetime.time,
    end: datetime.time,
    topic: str = "",
) -> SchedulePlan:
    """Work out what the pattern would create, keep, update (end time, topic) and remove of the
    course's meetings, and name every clash (a constant number of queries, however long the
    course): the facility's calendar and holidays, sessions and other courses in the room, the
    trainees' court hearings, visits and individual sessions."""
    tz = ZoneInfo(course.facility.time_zone)
    existing = list(CourseMeeting.objects.filter(course=course).annotate(marks=Count("attendance")))
    people = list(
        Trainee.objects.filter(course=course, state__in=SCHEDULED_STATES).values_list(
            "inmate_id", flat=True
        )
    )

    def differs(meeting: CourseMeeting, ends_at: datetime.datetime) -> bool:
        return (meeting.ends_at, meeting.topic) != (ends_at, topic)

    def change(meeting: CourseMeeting, ends_at: datetime.datetime) -> None:
        meeting.ends_at, meeting.topic = ends_at, topic

    def check(
        slots: list[Slot], changed: list[CourseMeeting], participants: int | None
    ) -> list[list[str]]:
        return find(
            facility_id=course.facility_id, tz=tz, slots=slots, inmate_ids=people,
            course_id=course.pk, exclude_meetings=[m.pk for m in changed],
            participants=participants,
        )  # fmt: skip

    # The trainees holding a place fill the course's room (programs.scheduling.rooms).
    seated = _seated(course)
    return patterns.plan(
        owner=course, pattern=patterns.Pattern(weekdays, start, end), existing=existing,
        differs=differs, change=change, place=course.place, check=check, participants=seated,
    )  # fmt: skip


@transaction.atomic
def meetings_apply(
    *,
    course: Course,
    by: Any,
    weekdays: list[int],
    start: datetime.time,
    end: datetime.time,
    topic: str = "",
    skip_clashing: bool = False,
    skip_days: Collection[datetime.date] = (),
) -> tuple[SchedulePlan, list[CourseMeeting]]:
    """Write what the preview showed: the new meetings (all, or only those without a clash, and
    none on `skip_days`), the updates and the removals; one history entry on the course. The
    plan is worked out again under the course's lock, so two saves write it once."""
    if end <= start:
        raise CourseRefused(_("Jam selesai harus sesudah jam mulai."))
    _locked(course)
    tz = ZoneInfo(course.facility.time_zone)
    plan = meetings_plan(course=course, weekdays=weekdays, start=start, end=end, topic=topic)
    created, _updated = patterns.write(
        plan=plan, owner=course, by=by, model=CourseMeeting,
        build=lambda p: CourseMeeting(
            course=course, starts_at=p.starts_at, ends_at=p.ends_at, topic=topic
        ),
        update_fields=["ends_at", "topic"],
        keep=lambda p: not (skip_clashing and p.clashes)
        and p.starts_at.astimezone(tz).date() not in skip_days,
        keep_update=lambda found: not (skip_clashing and found),
        action="programs.course.scheduled",
        meetings=True,
    )  # fmt: skip
    return plan, created


def meetings_generate(
    *,
    course: Course,
    by: Any,
    weekdays: list[int],
    start: datetime.time,
    end: datetime.time,
    topic: str = "",
) -> tuple[list[CourseMeeting], list[datetime.date]]:
    """Save a pattern without a preview (the demo data and scripts): every meeting but those on
    the facility's holidays. Return the new meetings and the holidays skipped."""
    holidays = _holidays(course)
    plan, created = meetings_apply(
        course=course, by=by, weekdays=weekdays, start=start, end=end, topic=topic,
        skip_days=holidays,
    )  # fmt: skip
    tz = ZoneInfo(course.facility.time_zone)
    days = (p.starts_at.astimezone(tz).date() for p in plan.new)
    return created, [day for day in days if day in holidays]


@transaction.atomic
def meeting_add(
    *,
    course: Course,
    by: Any,
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    topic: str = "",
) -> CourseMeeting:
    """Plan one meeting of the course, on a day within its dates."""
    if not course.start_date <= day <= course.end_date:
        raise CourseRefused(
            _("Tanggal pertemuan harus dalam masa pelatihan, %(start)s sampai %(end)s.")
            % {"start": _day(course.start_date), "end": _day(course.end_date)}
        )
    if end <= start:
        raise CourseRefused(_("Jam selesai harus sesudah jam mulai."))
    tz = ZoneInfo(course.facility.time_zone)
    meeting = CourseMeeting.objects.create(
        course=course, starts_at=_local(day, start, tz), ends_at=_local(day, end, tz), topic=topic
    )
    audit.record(
        facility=course.facility_id,
        actor=by,
        action="programs.course.scheduled",
        target=course,
        summary=_("Pertemuan %(day)s") % {"day": _day(day)},
        changes=audit.diff({}, audit.snapshot(meeting, ["starts_at", "ends_at", "topic"])),
        subject=meeting,
    )
    return meeting


# --- places and the waitlist ------------------------------------------------------------------


def enrolment_warnings(*, inmate: Inmate, course: Course) -> list[str]:
    """Warn (not refuse) when the course ends after the WBP's release date."""
    if inmate.release_date and inmate.release_date < course.end_date:
        return [
            _("Tanggal bebas WBP %(release)s sebelum pelatihan selesai %(end)s.")
            % {"release": _day(inmate.release_date), "end": _day(course.end_date)}
        ]
    return []


def _check_enrolment(*, inmate: Inmate, course: Course, on: datetime.date) -> None:
    if inmate.facility_id != course.facility_id:
        raise CourseRefused(
            _("%(name)s bukan WBP di UPT pelatihan ini.") % {"name": inmate.full_name}
        )
    if inmate.status != CustodyStatus.IN_CUSTODY:
        raise CourseRefused(
            _("%(name)s tidak lagi dalam tahanan (%(status)s); tidak dapat didaftarkan.")
            % {"name": inmate.full_name, "status": inmate.get_status_display()}
        )
    if course.end_date < on:
        raise CourseRefused(
            _("Pelatihan ini sudah selesai pada %(end)s.") % {"end": _day(course.end_date)}
        )
    held = (
        Trainee.objects.filter(course=course, inmate=inmate, state__in=ONCE_PER_COURSE_STATES)
        .order_by("id")
        .first()
    )
    if held is not None:
        raise CourseRefused(
            _("%(name)s sudah terdaftar di pelatihan ini (%(state)s).")
            % {"name": inmate.full_name, "state": held.get_state_display()}
        )


def _record(
    trainee: Trainee, *, by: Any, action: str, before: dict[str, Any], summary: str = ""
) -> None:
    """Write a trainee's step into the WBP's history, with what it changed since `before`."""
    audit.record(
        facility=trainee.facility_id,
        actor=by,
        action=f"programs.trainee.{action}",
        target=trainee.inmate,
        summary=f"{trainee.course}: {summary}" if summary else str(trainee.course),
        changes=audit.diff(before, audit.snapshot(trainee, TRAINEE_FIELDS)),
        subject=trainee,
    )


@transaction.atomic
def trainee_enrol(
    *, course: Course, inmate: Inmate, by: Any, on: datetime.date | None = None
) -> Trainee:
    """Give a WBP in custody a place in the course, or a place on its waitlist when it is full."""
    course = _locked(course)
    _check_enrolment(inmate=inmate, course=course, on=on or timezone.localdate())
    full = _seated(course) >= course.capacity
    trainee = Trainee.objects.create(
        facility_id=course.facility_id,
        course=course,
        inmate=inmate,
        state=TraineeState.WAITLISTED if full else TraineeState.ENROLLED,
        created_by=by,
    )
    _record(trainee, by=by, action=trainee.state, before={})
    return trainee


@transaction.atomic
def trainees_enrol(*, course: Course, inmates: list[Inmate], by: Any) -> list[Trainee]:
    """Enrol several WBP at once, in order; past the capacity they go to the waitlist. All or
    nothing: one refusal enrols none of them."""
    return [trainee_enrol(course=course, inmate=inmate, by=by) for inmate in inmates]


def _offer_free_places(course: Course, *, by: Any) -> list[Trainee]:
    """Offer every free place of a locked course to the first on its waitlist, in order."""
    free = course.capacity - _seated(course)
    if free <= 0:
        return []
    waiting = list(
        Trainee.objects.select_for_update()
        .filter(course=course, state=TraineeState.WAITLISTED)
        .select_related("inmate", "course")
        .order_by("created_at", "id")[:free]
    )
    now = timezone.now()
    for trainee in waiting:
        before = audit.snapshot(trainee, TRAINEE_FIELDS)
        trainee.state = TraineeState.OFFERED
        trainee.offered_at = now
        trainee.save(update_fields=["state", "offered_at"])
        _record(
            trainee,
            by=by,
            action="offered",
            before=before,
            summary=_("Tempat kosong ditawarkan."),
        )
    return waiting


def _current(trainee: Trainee) -> tuple[Course, Trainee]:
    """Lock the trainee's course, then the trainee, and return both fresh from the database."""
    course = Course.objects.select_for_update().get(pk=trainee.course_id)
    current = (
        Trainee.objects.select_for_update(of=("self",)).select_related("inmate").get(pk=trainee.pk)
    )
    current.course = course
    return course, current


def _refuse_unless(current: Trainee, *states: str) -> None:
    if current.state not in states:
        raise CourseRefused(
            _("Langkah ini tidak berlaku untuk peserta berstatus '%(state)s'.")
            % {"state": current.get_state_display()}
        )


@transaction.atomic
def trainee_leave(*, trainee: Trainee, by: Any, reason: str) -> Trainee:
    """Take a trainee (or someone waiting) out of the course, with the reason; a place that
    frees goes to the first on the waitlist as an offer."""
    course, current = _current(trainee)
    _refuse_unless(current, *TRAINEE_OPEN_STATES)
    if not reason.strip():
        raise CourseRefused(_("Tuliskan alasan keluar."))
    before = audit.snapshot(current, TRAINEE_FIELDS)
    current.state = TraineeState.LEFT
    current.left_reason = reason.strip()[:255]
    current.save(update_fields=["state", "left_reason"])
    _record(current, by=by, action="left", before=before, summary=current.left_reason)
    _offer_free_places(course, by=by)
    return current


@transaction.atomic
def trainee_accept(*, trainee: Trainee, by: Any) -> Trainee:
    """Record that the WBP takes the place offered to them."""
    _course, current = _current(trainee)
    _refuse_unless(current, TraineeState.OFFERED)
    before = audit.snapshot(current, TRAINEE_FIELDS)
    current.state = TraineeState.ENROLLED
    current.save(update_fields=["state"])
    _record(current, by=by, action="accepted", before=before)
    return current


@transaction.atomic
def trainee_decline(*, trainee: Trainee, by: Any, reason: str = "") -> Trainee:
    """Record that the WBP turns the offered place down; offer it to the next in line."""
    course, current = _current(trainee)
    _refuse_unless(current, TraineeState.OFFERED)
    before = audit.snapshot(current, TRAINEE_FIELDS)
    current.state = TraineeState.DECLINED
    current.left_reason = reason.strip()[:255]
    current.save(update_fields=["state", "left_reason"])
    _record(current, by=by, action="declined", before=before, summary=current.left_reason)
    _offer_free_places(course, by=by)
    return current


@transaction.atomic
def trainee_complete(
    *,
    trainee: Trainee,
    by: Any,
    competency: str,
    completed_on: datetime.date,
    certificate_number: str = "",
) -> Trainee:
    """Close an enrolled trainee's course with the competency test's result; a competent one
    gets a certificate number, unique within the facility."""
    course, current = _current(trainee)
    _refuse_unless(current, TraineeState.ENROLLED)
    if competency not in Competency.values:
        raise CourseRefused(_("Pilih hasil uji kompetensi."))
    if completed_on < course.start_date:
        raise CourseRefused(_("Tanggal selesai tidak boleh sebelum pelatihan dimulai."))
    number = certificate_number.strip()
    if competency == Competency.COMPETENT and not number:
        raise CourseRefused(_("Isi nomor sertifikat untuk peserta yang kompeten."))
    if competency != Competency.COMPETENT and number:
        raise CourseRefused(_("Sertifikat hanya untuk peserta yang kompeten."))
    if number:
        holder = (
            Trainee.objects.filter(facility_id=current.facility_id, certificate_number=number)
            .exclude(pk=current.pk)
            .select_related("inmate")
            .first()
        )
        if holder is not None:
            raise CourseRefused(
                _("Nomor sertifikat %(number)s sudah dipakai untuk %(name)s.")
                % {"number": number, "name": holder.inmate.full_name}
            )
    if competency == Competency.COMPETENT:
        # Found "not yet competent" may be recorded whatever the attendance; a certificate not.
        gate = completion.trainee_gate(current)
        if not gate.allowed:
            raise CourseRefused(gate.refusal())
    before = audit.snapshot(current, TRAINEE_FIELDS)
    current.state = TraineeState.COMPLETED
    current.competency = competency
    current.completed_on = completed_on
    current.certificate_number = number
    current.save(update_fields=["state", "competency", "completed_on", "certificate_number"])
    if competency == Competency.COMPETENT:
        completion.certificate_issue(by=by, on=completed_on, trainee=current)
    _record(
        current,
        by=by,
        action="completed",
        before=before,
        summary=str(Competency(competency).label),
    )
    return current


def trainees_end_on_release(
    *, inmate: Inmate, by: Any, on: datetime.date, reason: str = ""
) -> None:
    """Take a WBP who leaves custody (released or transferred: `reason`) out of every course
    they hold or wait for a place in; offer each place that frees to the course's waitlist."""
    course_ids = set(
        Trainee.objects.filter(inmate=inmate, state__in=TRAINEE_OPEN_STATES).values_list(
            "course_id", flat=True
        )
    )
    if not course_ids:
        return
    # Courses first, then trainees: the same lock order as every other capacity decision.
    courses = list(Course.objects.select_for_update().filter(pk__in=course_ids).order_by("pk"))
    freed = set()
    for trainee in (
        Trainee.objects.select_for_update(of=("self",))
        .filter(inmate=inmate, state__in=TRAINEE_OPEN_STATES)
        .select_related("course")
    ):
        if trainee.state in TRAINEE_SEATED_STATES:
            freed.add(trainee.course_id)
        before = audit.snapshot(trainee, ["state", "left_reason"])
        trainee.state = TraineeState.LEFT
        trainee.left_reason = reason or _("WBP bebas.")
        trainee.save(update_fields=["state", "left_reason"])
        audit.record(
            facility=trainee.facility_id,
            actor=by,
            action="programs.trainee.left",
            target=inmate,
            summary=f"{trainee.course}: {trainee.left_reason}",
            changes=audit.diff(before, audit.snapshot(trainee, ["state", "left_reason"])),
            subject=trainee,
        )
    for course in courses:
        if course.pk in freed:
            _offer_free_places(course, by=by)


# --- attendance -------------------------------------------------------------------------------


def meeting_roster(meeting: CourseMeeting) -> list[Trainee]:
    """The trainees expected at a meeting: those enrolled or completed, and anyone already
    marked at it (a trainee who left later keeps the record of what they attended)."""
    return list(
        Trainee.objects.filter(course_id=meeting.course_id)
        .filter(Q(state__in=ROSTER_STATES) | Q(attendance__meeting=meeting))
        .select_related("inmate")
        .distinct()
        .order_by("inmate__full_name", "id")
    )


@transaction.atomic
def course_attendance_save(
    *, meeting: CourseMeeting, by: Any, marks: dict[int, str], expected_version: int | None
) -> CourseMeeting:
    """Save a whole meeting's attendance at once, or nothing; the meeting becomes held."""
    current = (
        CourseMeeting.objects.select_for_update(of=("self",))
        .select_related("course__facility")
        .get(pk=meeting.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise AttendanceConflict
    people = {t.pk: t for t in meeting_roster(current)}
    try:
        attendance.check_markable(
            status=current.status,
            starts_at=current.starts_at,
            tz=current.course.facility.tzinfo,
            marks=marks,
            roster=people,
        )
    except attendance.MarkRefused as refused:
        raise CourseRefused(str(refused)) from refused
    before = {"status": current.status, "attendance": _attendance_text(current)}
    CourseAttendance.objects.filter(meeting=current).delete()
    CourseAttendance.objects.bulk_create(
        CourseAttendance(
            meeting=current,
            trainee_id=pk,
            status=marks.get(pk, AttendanceStatus.PRESENT),
            recorded_by=by,
        )
        for pk in people
    )
    current.status = SessionStatus.HELD
    current.version += 1
    current.save(update_fields=["status", "version"])
    audit.record(
        facility=current.course.facility_id,
        actor=by,
        action="programs.course_attendance.saved",
        target=current,
        summary=_("%(n)d peserta") % {"n": len(people)},
        changes=audit.diff(
            before, {"status": current.status, "attendance": _attendance_text(current)}
        ),
    )
    return current


def _attendance_text(meeting: CourseMeeting) -> str:
    """Each trainee's mark at a meeting, as one comparable text: "3:present, 5:absent"."""
    marks = (
        CourseAttendance.objects.filter(meeting=meeting)
        .order_by("trainee_id")
        .values_list("trainee_id", "status")
    )
    return ", ".join(f"{pk}:{status}" for pk, status in marks)
