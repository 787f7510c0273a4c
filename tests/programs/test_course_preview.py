"""Generating a skills course's meetings as a cohort's schedule is generated: a preview names
every clash before anything is written, the user saves all or only the meetings without a
clash or changes the pattern, and regenerating is idempotent (the same pattern writes nothing; a
new one changes only the planned meetings still to come)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Course, CourseMeeting, FacilityActivity, Session, Trainee
from programs.scheduling import clashes
from programs.scheduling import services as scheduling
from programs.skills import services as skills
from rehab.models import AuditEntry
from tests.factories import CohortFactory, CourseFactory, InmateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-20T10:00+08:00")]
WITA = ZoneInfo("Asia/Makassar")
MON_WED = {"jadwal-weekdays": ["0", "2"], "jadwal-start": "09:00", "jadwal-end": "11:00",
           "jadwal-topic": "Pola dasar"}  # fmt: skip
PATTERN = {"weekdays": [0, 2], "start": datetime.time(9), "end": datetime.time(11),
           "topic": "Pola dasar"}  # fmt: skip


def at(month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=WITA)


def trainees(course: Course, by: Any, size: int) -> list[Trainee]:
    return [
        Trainee.objects.create(
            facility=course.facility, course=course, state="enrolled", created_by=by,
            inmate=InmateFactory(facility=course.facility),
        )
        for _ in range(size)
    ]  # fmt: skip


@pytest.fixture
def course(facility_a: Any, members: dict[str, Any]) -> Course:
    """Two weeks from Monday 23 November: Mon-Wed makes 4 meetings (23, 25, 30 Nov, 2 Dec)."""
    return CourseFactory(
        facility=facility_a, name="Menjahit Dasar", place="Bengkel jahit", capacity=10,
        start_date=datetime.date(2026, 11, 23), end_date=datetime.date(2026, 12, 4),
        created_by=members["staff"],
    )  # fmt: skip


@pytest.fixture
def staff(staff_client: Client) -> Client:
    staff_client.get(reverse("today"))  # the first request of a session looks up its time zone
    return staff_client


@pytest.fixture
def calendar(course: Course, members: dict[str, Any]) -> dict[str, Any]:
    """A holiday on Wednesday 25th, a trainee's court hearing on Monday 30th, a cohort session
    in the same workshop on Wednesday 2 December, another course there on Monday 23rd."""
    by = members["staff"]
    FacilityActivity.objects.create(
        facility=course.facility, title="Cuti bersama", kind="holiday",
        date=datetime.date(2026, 11, 25),
    )  # fmt: skip
    (person,) = trainees(course, by, 1)
    scheduling.block_create(
        inmate=person.inmate, by=by,
        data={"kind": "court", "date": datetime.date(2026, 11, 30),
              "start_time": datetime.time(8), "end_time": datetime.time(12),
              "court": "PN Tanah Grogot", "case_number": "", "note": ""},
    )  # fmt: skip
    cohort = CohortFactory(facility=course.facility, start_date=datetime.date(2026, 11, 23),
                           end_date=datetime.date(2026, 12, 7))  # fmt: skip
    Session.objects.create(
        facility=course.facility, cohort=cohort, kind="group", place="Bengkel Jahit",
        starts_at=at(12, 2, 10), ends_at=at(12, 2, 12), created_by=by,
    )  # fmt: skip
    other = CourseFactory(facility=course.facility, name="Sablon", place="bengkel jahit",
                          created_by=by)  # fmt: skip
    CourseMeeting.objects.create(course=other, starts_at=at(11, 23, 8), ends_at=at(11, 23, 10))
    return {"person": person, "cohort": cohort, "other": other}


def url(course: Course) -> str:
    return reverse("programs:course_schedule", args=[course.pk])


def test_the_preview_names_every_clash_and_writes_nothing(
    staff: Client, course: Course, calendar: dict[str, Any]
) -> None:
    before = AuditEntry.objects.count()
    response = staff.post(url(course), {**MON_WED, "generate": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "4 sesi baru" in page and "4 bentrok" in page
    assert "Cuti bersama (Hari libur)" in page
    assert f"{calendar['person'].inmate.full_name}: Sidang pengadilan 08.00" in page
    assert "PN Tanah Grogot" in page
    assert f"sesi lain di Bengkel Jahit: {calendar['cohort']}" in page
    assert "pelatihan lain di bengkel jahit: Sablon" in page
    assert "Waktu kosong terdekat" in page
    assert CourseMeeting.objects.filter(course=course).count() == 0
    assert AuditEntry.objects.count() == before


def test_saving_without_the_clashing_ones_writes_only_the_meetings_shown_clean(
    staff: Client, course: Course, calendar: dict[str, Any]
) -> None:
    CourseMeeting.objects.filter(course=calendar["other"]).delete()
    response = staff.post(url(course), {**MON_WED, "step": "save_clean"})
    assert response.status_code == 302
    starts = list(CourseMeeting.objects.filter(course=course).values_list("starts_at", flat=True))
    assert starts == [at(11, 23, 9)]
    assert staff.post(url(course), {**MON_WED, "step": "save_all"}).status_code == 302
    assert CourseMeeting.objects.filter(course=course).count() == 4


def test_change_the_pattern_goes_back_to_the_form_with_what_was_typed(
    staff: Client, course: Course
) -> None:
    response = staff.post(url(course), {**MON_WED, "step": "change"})
    assert response.status_code == 200
    assert 'value="Pola dasar"' in response.content.decode()
    assert not CourseMeeting.objects.exists()


def test_regenerating_the_same_pattern_writes_nothing(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    skills.meetings_apply(course=course, by=members["staff"], **PATTERN)
    entries = AuditEntry.objects.count()
    page = staff.post(url(course), {**MON_WED, "generate": "1"}).content.decode()
    assert "Pola ini tidak mengubah apa pun" in page and 'value="save_all"' not in page
    plan, created = skills.meetings_apply(course=course, by=members["staff"], **PATTERN)
    assert created == [] and plan.changes_nothing
    assert CourseMeeting.objects.filter(course=course).count() == 4
    assert AuditEntry.objects.count() == entries


def test_a_new_pattern_changes_only_the_planned_meetings_still_to_come(
    course: Course, members: dict[str, Any], clock: Any
) -> None:
    by = members["staff"]
    (person,) = trainees(course, by, 1)
    skills.meetings_apply(course=course, by=by, **PATTERN)
    first = CourseMeeting.objects.get(course=course, starts_at=at(11, 23, 9))
    clock.move_to(at(11, 24, 12))
    skills.course_attendance_save(
        meeting=first, by=by, marks={person.pk: "present"}, expected_version=None
    )
    moved = CourseMeeting.objects.get(course=course, starts_at=at(11, 25, 9))
    scheduling.reschedule(item=moved, by=by, starts_at=at(11, 26, 9), ends_at=at(11, 26, 11),
                          reason="Listrik padam", version=moved.version)  # fmt: skip
    # Mondays only, one hour longer, another topic: the 30th is updated; the Wednesdays still
    # to come are removed, the one moved by hand (from the 25th to the 26th) too.
    plan, created = skills.meetings_apply(
        course=course, by=by, weekdays=[0], start=datetime.time(9), end=datetime.time(12),
        topic="Pola lanjutan",
    )  # fmt: skip
    assert created == [] and plan.past_skipped == 0
    assert [m.starts_at for m, _found in plan.updated] == [at(11, 30, 9)]
    assert [m.starts_at for m in plan.removed] == [at(11, 26, 9), at(12, 2, 9)]
    rows = list(
        CourseMeeting.objects.filter(course=course)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at", "topic", "status")
    )
    assert rows == [
        (at(11, 23, 9), at(11, 23, 11), "Pola dasar", "held"),
        (at(11, 30, 9), at(11, 30, 12), "Pola lanjutan", "planned"),
    ]
    assert list(first.attendance.values_list("trainee_id", "status")) == [(person.pk, "present")]
    entry = AuditEntry.objects.filter(action="programs.course.scheduled").latest("id")
    assert entry.summary == "0 pertemuan baru, 1 diubah, 2 dihapus"


def test_the_clash_check_of_a_course_names_its_own_meetings_and_others_in_the_room(
    course: Course, members: dict[str, Any]
) -> None:
    own = CourseMeeting.objects.create(
        course=course, starts_at=at(11, 23, 9), ends_at=at(11, 23, 11)
    )
    other = CourseFactory(facility=course.facility, name="Las", place="Bengkel jahit",
                          created_by=members["staff"])  # fmt: skip
    CourseMeeting.objects.create(course=other, starts_at=at(11, 24, 9), ends_at=at(11, 24, 11))
    CourseMeeting.objects.create(course=other, starts_at=at(11, 25, 9), ends_at=at(11, 25, 11),
                                 status="cancelled")  # fmt: skip
    slots = [clashes.Slot(at(11, d, 10), at(11, d, 12), "Bengkel jahit") for d in (23, 24, 25)]
    found = clashes.find(facility_id=course.facility_id, tz=WITA, slots=slots, course_id=course.pk)
    assert found == [
        ["pertemuan lain pelatihan ini: 09.00 WITA"],
        ["pelatihan lain di Bengkel jahit: Las"],
        [],
    ]
    excluded = clashes.find(facility_id=course.facility_id, tz=WITA, slots=slots[:1],
                            course_id=course.pk, exclude_meetings=[own.pk])  # fmt: skip
    assert excluded == [[]]
    # Without a course, the check is the cohort's as before: no meetings looked at.
    assert clashes.find(facility_id=course.facility_id, tz=WITA, slots=slots) == [[], [], []]


def test_a_stranger_gets_404_and_the_health_worker_403(
    client: Client, course: Course, members: dict[str, Any], stranger: Any
) -> None:
    client.force_login(stranger)
    assert client.post(url(course), {**MON_WED, "generate": "1"}).status_code == 404
    client.force_login(members["health"])
    assert client.post(url(course), {**MON_WED, "generate": "1"}).status_code == 403


def test_the_preview_costs_the_same_queries_for_a_short_small_course_and_a_long_full_one(
    staff: Client, facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    by = members["staff"]
    short = CourseFactory(facility=facility_a, start_date=datetime.date(2026, 11, 23),
                          end_date=datetime.date(2026, 11, 27), created_by=by)  # fmt: skip
    long = CourseFactory(
        facility=facility_a, start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2027, 2, 26), capacity=30, created_by=by,
    )  # fmt: skip
    people = trainees(short, by, 1) + trainees(long, by, 10)
    for person in people:  # a clash in each: the suggestions cost one more clash check
        scheduling.block_create(
            inmate=person.inmate, by=by,
            data={"kind": "visit", "date": datetime.date(2026, 11, 25), "start_time": None,
                  "end_time": None, "court": "", "case_number": "", "note": ""},
        )  # fmt: skip
    for course in (short, long):
        # 21 since the rooms and the Ramadan hours joined the clash check (the seats, the room)
        with django_assert_num_queries(21):
            response = staff.post(url(course), {**MON_WED, "generate": "1"})
            assert response.status_code == 200
    assert "28 sesi baru" in response.content.decode()
