"""The demo programmes: placements only from signed assessments of the right tier, cohorts
within capacity, a history that follows the assessments in time, attendance for the past and a
plan for the future, and nothing duplicated by a second run."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db.models import Model
from django.utils import timezone

from programs.demo import LOCALES, holidays_between
from programs.models import (
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Cohort,
    Course,
    CourseAttendance,
    CourseMeeting,
    Enrolment,
    EnrolmentEvent,
    EnrolmentState,
    Facilitator,
    FacilityActivity,
    FollowUp,
    Session,
    SessionStatus,
    Trainee,
    TraineeState,
)
from programs.tiers import services
from rehab.models import AuditEntry, Facility

DEMO_RUTAN = ["tanah-grogot", "banjarnegara"]


def local_day(session: Session) -> datetime.date:
    return timezone.localtime(session.starts_at, session.facility.tzinfo).date()


def sessions(code: str) -> Any:
    return Session.objects.filter(facility__code=code).select_related("facility")


def test_the_output_says_what_was_seeded(seeded: str, db: Any) -> None:
    for code in DEMO_RUTAN:
        assert f"{code}: 6 cohorts, " in seeded
    assert "awaiting the Karutan" in seeded


def test_every_enrolment_comes_from_a_current_signed_assessment_of_the_wbp_and_tier(
    seeded: str, db: Any
) -> None:
    enrolments = Enrolment.objects.select_related("assessment", "inmate", "track", "cohort")
    assert enrolments.count() >= 40
    for enrolment in enrolments:
        assessment = enrolment.assessment
        assert assessment.inmate_id == enrolment.inmate_id
        assert assessment.is_signed and not assessment.superseded
        assert assessment.final_tier == enrolment.track.tier
        assert enrolment.cohort is not None
        assert enrolment.cohort.track_id == enrolment.track_id
        assert enrolment.facility_id == enrolment.inmate.facility_id == enrolment.cohort.facility_id
    # Nobody holds two places.
    inmates = Counter(Enrolment.objects.open().values_list("inmate_id", flat=True))
    assert max(inmates.values()) == 1


def test_no_cohort_seats_more_than_its_capacity_and_the_waitlist_is_of_a_full_one(
    seeded: str, db: Any
) -> None:
    for cohort in Cohort.objects.select_related("track"):
        seated = Enrolment.objects.filter(cohort=cohort).seated().count()
        assert seated <= cohort.capacity, cohort
        assert cohort.end_date == cohort.start_date + datetime.timedelta(
            days=cohort.track.duration_days - 1
        )
        if Enrolment.objects.filter(cohort=cohort, state=EnrolmentState.WAITLISTED).exists():
            assert seated == cohort.capacity, cohort
    assert Enrolment.objects.filter(state=EnrolmentState.WAITLISTED).exists()


def test_the_history_follows_the_assessment_and_the_warden_approves(seeded: str, db: Any) -> None:
    today = timezone.localdate()
    for enrolment in Enrolment.objects.select_related("assessment").prefetch_related("events"):
        events = list(enrolment.events.all())
        days = [e.on for e in events]
        assert days == sorted(days), enrolment
        created = [e.created_at for e in events]
        assert created == sorted(created), enrolment
        assert events[0].to_state == EnrolmentState.PROPOSED
        assert enrolment.assessment.assessed_on <= events[0].on <= today
        for event in events[1:2]:
            assert event.by.username.startswith("karutan.")
            assert event.reason.startswith("Disetujui Karutan")
        assert events[-1].to_state == enrolment.state
        if enrolment.started_on:
            assert enrolment.started_on >= events[1].on


def test_each_rutan_has_proposals_waiting_for_the_karutan_made_today(seeded: str, db: Any) -> None:
    today = timezone.localdate()
    for code in DEMO_RUTAN:
        pending = Enrolment.objects.filter(facility__code=code, state=EnrolmentState.PROPOSED)
        assert pending.count() >= 2
        assert set(
            EnrolmentEvent.objects.filter(enrolment__in=pending).values_list("on", flat=True)
        ) == {today}


def test_past_sessions_are_held_or_cancelled_and_future_ones_planned(seeded: str, db: Any) -> None:
    today = timezone.localdate()
    for code in DEMO_RUTAN:
        held = planned = 0
        for session in sessions(code).prefetch_related("attendance"):
            if session.status == SessionStatus.CANCELLED:
                assert session.cancel_reason
                assert not session.attendance.all()
            elif local_day(session) < today:
                assert session.status == SessionStatus.HELD, session
                assert session.attendance.all(), session
                held += 1
            else:
                assert session.status == SessionStatus.PLANNED, session
                assert not session.attendance.all(), session
                planned += 1
        assert held >= 50 and planned >= 50, code


def test_attendance_is_of_those_seated_that_day_and_mostly_present(seeded: str, db: Any) -> None:
    placed_on = dict(
        EnrolmentEvent.objects.filter(to_state=EnrolmentState.PLACED).values_list(
            "enrolment_id", "on"
        )
    )
    ended_on = dict(Enrolment.objects.exclude(ended_on=None).values_list("pk", "ended_on"))
    rows = Attendance.objects.select_related("session__facility", "recorded_by")
    for row in rows:
        day = local_day(row.session)
        assert placed_on[row.enrolment_id] <= day <= (ended_on.get(row.enrolment_id) or day)
        assert row.recorded_at > row.session.ends_at
    marks = Counter(rows.values_list("status", flat=True))
    assert set(marks) == set(AttendanceStatus.values)
    came = marks[AttendanceStatus.PRESENT] + marks[AttendanceStatus.LATE]
    assert came > 0.8 * sum(marks.values())


def test_each_rutan_has_an_open_follow_up_for_three_absences_in_a_row(seeded: str, db: Any) -> None:
    today = timezone.localdate()
    for code in DEMO_RUTAN:
        follow_up = FollowUp.objects.get(facility__code=code, resolved_at=None)
        last = list(
            Attendance.objects.filter(enrolment=follow_up.enrolment)
            .order_by("-session__starts_at")
            .values_list("status", flat=True)[:3]
        )
        assert last == [AttendanceStatus.ABSENT] * 3
        assert follow_up.enrolment.state == EnrolmentState.ACTIVE
        assert (
            today - datetime.timedelta(days=10) < timezone.localdate(follow_up.created_at) < today
        )


def test_a_cohort_has_ended_with_graduates_and_someone_dropped_out(seeded: str, db: Any) -> None:
    today = timezone.localdate()
    for code in DEMO_RUTAN:
        completed = Enrolment.objects.filter(facility__code=code, state=EnrolmentState.COMPLETED)
        assert completed.exists()
        for enrolment in completed.select_related("cohort"):
            assert enrolment.cohort is not None and enrolment.cohort.end_date < today
            assert enrolment.ended_on == enrolment.cohort.end_date
        dropped = Enrolment.objects.get(facility__code=code, state=EnrolmentState.DROPPED_OUT)
        assert dropped.drop_reason == "violation"
        assert dropped.ended_on is not None and dropped.ended_on < today
        assert not Attendance.objects.filter(
            enrolment=dropped, session__starts_at__date__gt=dropped.ended_on
        ).exists()
    for cohort in Cohort.objects.filter(end_date__lt=today):
        assert not Enrolment.objects.filter(cohort=cohort).open().exists()


def test_cohorts_run_now_and_start_soon_with_the_counselor_and_outside_speakers(
    seeded: str, db: Any
) -> None:
    today = timezone.localdate()
    for code in DEMO_RUTAN:
        cohorts = Cohort.objects.filter(facility__code=code)
        tiers = {c.track.tier for c in cohorts.filter(start_date__lte=today, end_date__gte=today)}
        assert {"sedang", "berat"} <= tiers
        soon = cohorts.filter(start_date__gt=today, start_date__lte=today + datetime.timedelta(7))
        assert {c.track.tier for c in soon} >= {"ringan", "berat"}
        for cohort in cohorts:
            facilitators = Facilitator.objects.filter(cohort=cohort)
            assert facilitators.filter(user__username=LOCALES[code].counselor).exists()
            assert facilitators.exclude(name="").exists()
    assert Session.objects.exclude(external_speaker="").exists()


def test_the_timetable_clashes_with_nothing_but_the_holidays_it_was_cancelled_for(
    seeded: str, db: Any
) -> None:
    for code in DEMO_RUTAN:
        facility = Facility.objects.get(code=code)
        holidays = set(
            FacilityActivity.objects.filter(
                facility=facility, kind=ActivityKind.HOLIDAY
            ).values_list("date", flat=True)
        )
        for session in sessions(code):
            clashes = services.session_clashes(
                facility_id=facility.pk,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                place=session.place,
                exclude=session.pk,
                tz=facility.tzinfo,
            )
            if local_day(session) in holidays:
                assert session.status == SessionStatus.CANCELLED
            elif session.status != SessionStatus.CANCELLED:
                assert not clashes, (session, clashes)


def test_the_calendar_has_visiting_hours_pramuka_and_the_coming_holidays(
    seeded: str, db: Any
) -> None:
    today = timezone.localdate()
    for code in DEMO_RUTAN:
        calendar = FacilityActivity.objects.filter(facility__code=code)
        visiting = calendar.filter(kind=ActivityKind.VISITING)
        assert set(visiting.values_list("weekday", flat=True)) == {1, 3}
        assert calendar.filter(title__startswith="Pramuka", weekday=4).exists()
        holidays = calendar.filter(kind=ActivityKind.HOLIDAY)
        assert all(h.date and h.start_time is None and h.end_time is None for h in holidays)
        expected = holidays_between(today.replace(day=1), today + datetime.timedelta(days=45))
        assert sorted(holidays.values_list("date", "title")) == expected


def test_the_holiday_list_has_the_fixed_and_the_2026_dates(db: Any) -> None:
    dates = dict(holidays_between(datetime.date(2026, 12, 1), datetime.date(2027, 1, 31)))
    assert dates[datetime.date(2026, 12, 25)] == "Hari Raya Natal"
    assert datetime.date(2026, 12, 24) in dates
    assert dates[datetime.date(2027, 1, 1)] == "Tahun Baru Masehi"


def counts() -> dict[str, int]:
    """Count every kind of row the demo writes here."""
    models: list[type[Model]] = [
        FacilityActivity, Cohort, Facilitator, Session, Enrolment, EnrolmentEvent, Attendance,
        FollowUp, AuditEntry, Course, CourseMeeting, Trainee, CourseAttendance,
    ]  # fmt: skip
    return {m.__name__: m._default_manager.count() for m in models}


def test_a_second_run_adds_nothing(seeded: str, db: Any) -> None:
    before = counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "already has cohorts, left as is" in out.getvalue()
    assert "already has skills courses, left as is" in out.getvalue()


# --- skills courses ------------------------------------------------------------------------------


def test_each_demo_rutan_has_courses_over_the_last_year_within_capacity(
    seeded: str, db: Any
) -> None:
    today = timezone.localdate()
    for code in DEMO_RUTAN:
        assert f"{code}: " in seeded and " skills courses, " in seeded
        courses = Course.objects.filter(facility__code=code)
        assert courses.count() >= 3
        assert min(c.start_date for c in courses) < today - datetime.timedelta(days=180)
        assert any(c.start_date <= today <= c.end_date for c in courses)
        for course in courses:
            trainees = Trainee.objects.filter(course=course)
            seated = trainees.filter(state__in=["enrolled", "offered", "completed"]).count()
            assert seated <= course.capacity, course
            if trainees.filter(state__in=["waitlisted", "offered"]).exists():
                assert seated == course.capacity, course
            for t in trainees.select_related("inmate"):
                assert t.facility_id == course.facility_id == t.inmate.facility_id
                assert t.is_certified == bool(t.certificate_number), t


def test_tanah_grogot_runs_a_sewing_course_now_with_a_waitlist_and_an_open_offer(
    seeded: str, db: Any
) -> None:
    today = timezone.localdate()
    sewing = Course.objects.filter(
        facility__code="tanah-grogot", kind="sewing", name__contains="Menjahit"
    )
    running = sewing.get(start_date__lte=today, end_date__gte=today)
    states = Counter(Trainee.objects.filter(course=running).values_list("state", flat=True))
    assert states[TraineeState.WAITLISTED] >= 1 and states[TraineeState.OFFERED] == 1
    assert states[TraineeState.LEFT] == 1
    meetings = CourseMeeting.objects.filter(course=running).select_related("course__facility")
    days = {timezone.localtime(m.starts_at, running.facility.tzinfo).date() for m in meetings}
    assert days & {today + datetime.timedelta(days=n) for n in range(-1, 3)}  # today-ish
    past = [m for m in meetings if m.starts_at.date() < today]
    assert past and all(m.status != SessionStatus.PLANNED for m in past)
    # Attendance was taken for those seated at the time.
    assert CourseAttendance.objects.filter(meeting__course=running).count() >= 10 * len(past)
    finished = sewing.filter(end_date__lt=today).get()
    certified = Trainee.objects.filter(course=finished, competency="competent")
    assert certified.count() >= 8
    assert len(set(certified.values_list("certificate_number", flat=True))) == certified.count()
    assert finished.start_date < today - datetime.timedelta(days=300)
