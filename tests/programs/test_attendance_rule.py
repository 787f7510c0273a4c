"""One attendance rule: the participant's page, the completion gate, the monthly figures and the
regional roll-up count and round the same way, and sessions and skills meetings refuse the same
marks (programs/attendance.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from programs import attendance
from programs.completion import services as completion
from programs.models import Attendance, CourseMeeting, Enrolment, Session
from programs.skills import services as skills
from programs.tiers import services
from reports import indicators
from reports.views import _totals
from tests.factories import (
    CohortFactory,
    CourseFactory,
    InmateFactory,
    held_sessions,
    signed_assessment,
)

pytestmark = pytest.mark.django_db

MARKS = ["present"] + ["absent"] * 10 + ["excused"] * 5  # 1 of 16 attended: 6.25%


def test_one_of_sixteen_is_six_point_three_percent_everywhere(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    cohort = CohortFactory(facility=facility_a, created_by=members["counselor"])
    person = InmateFactory(facility=facility_a)
    enrolment = Enrolment.objects.create(
        facility=facility_a, inmate=person, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(person), state="active",
    )  # fmt: skip
    held_sessions(enrolment, members["counselor"], MARKS)  # 1-16 November, before the 20th

    assert attendance.enrolment_tally(enrolment).rate == 6.3
    assert completion.enrolment_gate(enrolment).summary.startswith(
        "Hadir 1 dari 16 sesi terlaksana (6,3%)"
    )
    client.force_login(members["counselor"])
    assert "(6,3%)" in client.get(enrolment.get_absolute_url()).content.decode()
    month = indicators.sessions(
        facility_a.pk, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)
    )
    assert (month["attended"], month["attendance_marks"], month["attendance_rate"]) == (1, 16, 6.3)
    # the roll-up adds the facilities' marks and rounds once, the same way (not 6.2)
    rows = [
        {"report": True, "figures": {"sessions": {"attended": 1, "attendance_marks": 10}}},
        {"report": True, "figures": {"sessions": {"attended": 0, "attendance_marks": 6}}},
    ]
    assert _totals(rows)["attendance_rate"] == 6.3


def test_sessions_and_skills_meetings_refuse_the_same_marks_with_the_same_words(
    facility_a: Any, members: dict[str, Any]
) -> None:
    cohort = CohortFactory(facility=facility_a, created_by=members["counselor"])
    tomorrow = datetime.datetime(2026, 11, 21, 1, 0, tzinfo=datetime.UTC)  # 09:00 WITA
    session = Session.objects.create(
        facility=facility_a, cohort=cohort, kind="group", starts_at=tomorrow,
        ends_at=tomorrow + datetime.timedelta(hours=2), created_by=members["counselor"],
    )  # fmt: skip
    course = CourseFactory(facility=facility_a, created_by=members["staff"])
    meeting = CourseMeeting.objects.create(
        course=course, starts_at=tomorrow, ends_at=tomorrow + datetime.timedelta(hours=2)
    )
    future = "Kehadiran untuk jadwal yang belum berlangsung tidak dapat dicatat."
    with pytest.raises(services.TransitionRefused, match=future):
        services.attendance_save(
            session=session, by=members["counselor"], marks={}, expected_version=None
        )
    with pytest.raises(skills.CourseRefused, match=future):
        skills.course_attendance_save(
            meeting=meeting, by=members["staff"], marks={}, expected_version=None
        )

    Session.objects.filter(pk=session.pk).update(status="cancelled")
    CourseMeeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    session.refresh_from_db()
    meeting.refresh_from_db()
    cancelled = "Jadwal ini dibatalkan; kehadiran tidak dicatat."
    with pytest.raises(services.TransitionRefused, match=cancelled):
        services.attendance_save(
            session=session, by=members["counselor"], marks={}, expected_version=None
        )
    with pytest.raises(skills.CourseRefused, match=cancelled):
        skills.course_attendance_save(
            meeting=meeting, by=members["staff"], marks={}, expected_version=None
        )
    assert not Attendance.objects.exists()
