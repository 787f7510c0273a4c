"""Sessions and course meetings name themselves in their facility's time (not UTC), and the
labels say the thing in plain Indonesian, under one name each."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from programs.models import CourseMeeting, EnrolmentState, Session, SessionKind
from tests.factories import CourseFactory, FacilityFactory

pytestmark = pytest.mark.django_db


def test_a_session_and_a_meeting_print_their_start_in_the_facility_s_time(
    members: dict[str, Any],
) -> None:
    grogot = FacilityFactory(code="str-wita", time_zone="Asia/Makassar")
    banjarnegara = FacilityFactory(code="str-wib", time_zone="Asia/Jakarta")
    at = datetime.datetime(2026, 11, 20, 1, 30, tzinfo=datetime.UTC)  # 09.30 WITA, 08.30 WIB
    for facility, expected in (
        (grogot, "20/11/2026 09.30 WITA"),
        (banjarnegara, "20/11/2026 08.30 WIB"),
    ):
        session = Session.objects.create(
            facility=facility, kind=SessionKind.GROUP, starts_at=at,
            ends_at=at + datetime.timedelta(hours=1), created_by=members["staff"],
        )  # fmt: skip
        assert str(session) == f"Konseling kelompok {expected}"
    late = datetime.datetime(2026, 11, 20, 23, 0, tzinfo=ZoneInfo("Asia/Makassar"))  # 15.00 UTC
    course = CourseFactory(facility=grogot, name="Menjahit Dasar")
    meeting = CourseMeeting.objects.create(
        course=course, starts_at=late, ends_at=late + datetime.timedelta(minutes=30)
    )
    assert str(meeting) == "Menjahit Dasar 20/11/2026 23.00 WITA"


def test_one_name_per_concept() -> None:
    assert SessionKind.TC_MORNING.label == "Pertemuan pagi TC"
    assert EnrolmentState.CHANGED.label == "Pindah tingkat"
    assert EnrolmentState.DROPPED_OUT.label == "Putus program"
