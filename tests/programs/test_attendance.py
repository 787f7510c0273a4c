"""Attendance for a whole session at once: one transaction, a conflict for the second of two
savers, and a follow-up after three absences in a row."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Attendance, Enrolment, FollowUp, Session, SessionStatus
from programs.tiers import services
from tests.factories import CohortFactory, InmateFactory, UserFactory, signed_assessment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 3, 2, 0, tzinfo=datetime.UTC)),
]


@pytest.fixture
def user() -> Any:
    return UserFactory(username="konselor")


def cohort_of(size: int, facility: Any, user: Any) -> tuple[Any, list[Enrolment]]:
    cohort = CohortFactory(facility=facility, capacity=max(size, 1))
    people = []
    for _ in range(size):
        inmate = InmateFactory(facility=facility)
        e = services.enrolment_propose(
            inmate=inmate,
            track=cohort.track,
            cohort=cohort,
            assessment=signed_assessment(inmate),
            by=user,
        )
        services.enrolment_move(enrolment=e, to="placed", by=user, reason="Disetujui")
        people.append(e)
    return cohort, people


def sessions_for(cohort: Any, user: Any, count: int) -> list[Session]:
    weekdays = list(range(7))
    sessions, _ = services.schedule_generate(
        cohort=cohort, by=user, weekdays=weekdays, start=datetime.time(9), end=datetime.time(11),
        kind="group",
    )  # fmt: skip
    return sessions[:count]


def test_twenty_participants_are_saved_in_one_call_with_a_fixed_number_of_queries(
    facility_a: Any, user: Any
) -> None:
    def run(size: int) -> int:
        cohort, people = cohort_of(size, facility_a, user)
        session = sessions_for(cohort, user, 1)[0]
        marks = {e.pk: "present" for e in people}
        marks[people[0].pk] = "absent"
        with CaptureQueriesContext(connection) as queries:
            services.attendance_save(session=session, by=user, marks=marks, expected_version=1)
        assert Attendance.objects.filter(session=session).count() == size
        return len(queries)

    assert run(20) == run(2)


def test_a_failure_in_the_middle_saves_nothing(facility_a: Any, user: Any) -> None:
    cohort, people = cohort_of(5, facility_a, user)
    session = sessions_for(cohort, user, 1)[0]
    marks = {e.pk: "present" for e in people}
    with (
        mock.patch.object(services, "_follow_up_absences", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.attendance_save(session=session, by=user, marks=marks, expected_version=1)
    session.refresh_from_db()
    assert not Attendance.objects.exists()
    assert (session.status, session.version) == (SessionStatus.PLANNED, 1)
    assert set(Enrolment.objects.values_list("state", flat=True)) == {"placed"}


def test_the_second_of_two_savers_gets_a_conflict_and_the_first_save_stands(
    facility_a: Any, user: Any
) -> None:
    cohort, people = cohort_of(3, facility_a, user)
    session = sessions_for(cohort, user, 1)[0]
    first = {e.pk: "present" for e in people}
    second = {e.pk: "absent" for e in people}
    services.attendance_save(session=session, by=user, marks=first, expected_version=1)
    with pytest.raises(services.AttendanceConflict):
        services.attendance_save(
            session=session, by=UserFactory(), marks=second, expected_version=1
        )
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}


def test_a_first_session_makes_placed_participants_active(facility_a: Any, user: Any) -> None:
    cohort, people = cohort_of(2, facility_a, user)
    session = sessions_for(cohort, user, 1)[0]
    services.attendance_save(
        session=session, by=user, marks={people[0].pk: "present", people[1].pk: "absent"},
        expected_version=1,
    )  # fmt: skip
    assert [Enrolment.objects.get(pk=e.pk).state for e in people] == ["active", "placed"]


def test_three_absences_in_a_row_open_one_follow_up(facility_a: Any, user: Any, clock: Any) -> None:
    cohort, people = cohort_of(2, facility_a, user)
    absent, present = people
    for number, session in enumerate(sessions_for(cohort, user, 4), start=1):
        clock.move_to(session.ends_at)  # each mark is taken on the day, never ahead of it
        services.attendance_save(
            session=session, by=user, marks={absent.pk: "absent", present.pk: "present"},
            expected_version=1,
        )  # fmt: skip
        expected = 1 if number >= 3 else 0
        assert FollowUp.objects.filter(enrolment=absent).count() == expected, number
    assert not FollowUp.objects.filter(enrolment=present).exists()


def test_attendance_for_someone_outside_the_session_is_refused(facility_a: Any, user: Any) -> None:
    cohort, _people = cohort_of(1, facility_a, user)
    _other_cohort, strangers = cohort_of(1, facility_a, user)
    session = sessions_for(cohort, user, 1)[0]
    with pytest.raises(services.TransitionRefused, match="bukan anggota"):
        services.attendance_save(
            session=session, by=user, marks={strangers[0].pk: "present"}, expected_version=1
        )
    assert not Attendance.objects.exists()
