"""Skills training services: places and the waitlist, offers when a place frees, eligibility,
meetings, one-call attendance and completion with a competency result."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from inmates import services as inmate_services
from programs.models import (
    CourseAttendance,
    CourseMeeting,
    FacilityActivity,
    SessionStatus,
    Trainee,
    TraineeState,
)
from programs.skills import services as skills
from rehab.models import AuditEntry
from tests.factories import CourseFactory, InmateFactory, UserFactory, meetings_attended

NOW = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)  # Monday, 11:00 WITA


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def staff() -> Any:
    return UserFactory(username="staf")


@pytest.fixture
def course(facility_a: Any, staff: Any) -> Any:
    return CourseFactory(facility=facility_a, capacity=2, created_by=staff)


def enrol(course: Any, staff: Any, name: str, **inmate: Any) -> Trainee:
    person = InmateFactory(facility=course.facility, full_name=name, **inmate)
    return skills.trainee_enrol(course=course, inmate=person, by=staff)


def states(course: Any) -> dict[str, str]:
    return {
        t.inmate.full_name: t.state
        for t in Trainee.objects.filter(course=course).select_related("inmate")
    }


# --- places, the waitlist and offers -------------------------------------------------------------


def test_a_full_course_puts_the_next_wbp_on_the_waitlist(course: Any, staff: Any) -> None:
    enrol(course, staff, "Agus")
    enrol(course, staff, "Budi")
    late = enrol(course, staff, "Candra")
    assert late.state == TraineeState.WAITLISTED
    assert states(course) == {"Agus": "enrolled", "Budi": "enrolled", "Candra": "waitlisted"}
    assert AuditEntry.objects.filter(action="programs.trainee.waitlisted").count() == 1


def test_when_a_seated_trainee_leaves_the_first_on_the_waitlist_is_offered_the_place(
    course: Any, staff: Any
) -> None:
    """Done when: a full course waitlists the next WBP, and when someone leaves the first on the
    waitlist is offered the place automatically."""
    agus = enrol(course, staff, "Agus")
    enrol(course, staff, "Budi")
    enrol(course, staff, "Candra")
    enrol(course, staff, "Dedi")

    left = skills.trainee_leave(trainee=agus, by=staff, reason="Sakit, dirawat di RSUD")

    assert (left.state, left.left_reason) == ("left", "Sakit, dirawat di RSUD")
    assert states(course) == {
        "Agus": "left", "Budi": "enrolled", "Candra": "offered", "Dedi": "waitlisted",
    }  # fmt: skip
    candra = Trainee.objects.get(inmate__full_name="Candra")
    assert candra.offered_at == NOW
    assert AuditEntry.objects.filter(
        action="programs.trainee.offered", target_id=candra.inmate_id
    ).exists()


def test_the_waitlist_is_served_in_the_order_people_joined_it(course: Any, staff: Any) -> None:
    agus = enrol(course, staff, "Agus")
    enrol(course, staff, "Budi")
    first, second = enrol(course, staff, "Candra"), enrol(course, staff, "Dedi")
    # Dedi joined earlier than Candra: the time decides, not the id.
    Trainee.objects.filter(pk=second.pk).update(created_at=NOW - datetime.timedelta(days=2))
    Trainee.objects.filter(pk=first.pk).update(created_at=NOW - datetime.timedelta(days=1))
    skills.trainee_leave(trainee=agus, by=staff, reason="Pindah blok")
    assert states(course)["Dedi"] == "offered"
    assert states(course)["Candra"] == "waitlisted"


def test_an_offer_holds_the_place_until_it_is_accepted(course: Any, staff: Any) -> None:
    agus = enrol(course, staff, "Agus")
    enrol(course, staff, "Budi")
    candra = enrol(course, staff, "Candra")
    skills.trainee_leave(trainee=agus, by=staff, reason="Mengundurkan diri")
    # The place is offered: a newcomer still goes to the waitlist.
    assert enrol(course, staff, "Eko").state == TraineeState.WAITLISTED
    accepted = skills.trainee_accept(trainee=candra, by=staff)
    assert accepted.state == TraineeState.ENROLLED
    assert states(course)["Eko"] == "waitlisted"


def test_a_declined_offer_goes_to_the_next_on_the_waitlist(course: Any, staff: Any) -> None:
    agus = enrol(course, staff, "Agus")
    enrol(course, staff, "Budi")
    candra = enrol(course, staff, "Candra")
    enrol(course, staff, "Dedi")
    skills.trainee_leave(trainee=agus, by=staff, reason="Mengundurkan diri")
    declined = skills.trainee_decline(trainee=candra, by=staff, reason="Memilih kerja dapur")
    assert (declined.state, declined.left_reason) == ("declined", "Memilih kerja dapur")
    assert states(course)["Dedi"] == "offered"


def test_leaving_from_the_waitlist_frees_no_place(course: Any, staff: Any) -> None:
    enrol(course, staff, "Agus")
    enrol(course, staff, "Budi")
    candra = enrol(course, staff, "Candra")
    enrol(course, staff, "Dedi")
    skills.trainee_leave(trainee=candra, by=staff, reason="Tidak berminat")
    assert states(course)["Dedi"] == "waitlisted"


def test_leaving_needs_a_reason_and_only_an_offer_can_be_accepted(course: Any, staff: Any) -> None:
    agus = enrol(course, staff, "Agus")
    with pytest.raises(skills.CourseRefused, match="Tuliskan alasan keluar"):
        skills.trainee_leave(trainee=agus, by=staff, reason="  ")
    with pytest.raises(skills.CourseRefused, match="peserta berstatus 'Terdaftar'"):
        skills.trainee_accept(trainee=agus, by=staff)
    assert states(course)["Agus"] == "enrolled"


# --- eligibility ---------------------------------------------------------------------------------


def test_a_wbp_no_longer_in_custody_is_refused_with_a_clear_message(
    course: Any, staff: Any
) -> None:
    person = InmateFactory(facility=course.facility, full_name="Fajar", status="released")
    with pytest.raises(skills.CourseRefused) as refused:
        skills.trainee_enrol(course=course, inmate=person, by=staff)
    assert str(refused.value) == (
        "Fajar tidak lagi dalam tahanan (Bebas); tidak dapat didaftarkan."
    )
    assert not Trainee.objects.exists()


def test_the_same_wbp_is_refused_a_second_place_in_the_course(course: Any, staff: Any) -> None:
    trainee = enrol(course, staff, "Gilang")
    with pytest.raises(skills.CourseRefused) as refused:
        skills.trainee_enrol(course=course, inmate=trainee.inmate, by=staff)
    assert str(refused.value) == "Gilang sudah terdaftar di pelatihan ini (Terdaftar)."
    # After leaving, the WBP may come back.
    skills.trainee_leave(trainee=trainee, by=staff, reason="Sakit")
    again = skills.trainee_enrol(course=course, inmate=trainee.inmate, by=staff)
    assert again.state == TraineeState.ENROLLED


def test_a_wbp_of_another_facility_or_an_ended_course_is_refused(
    course: Any, staff: Any, facility_b: Any
) -> None:
    outsider = InmateFactory(facility=facility_b, full_name="Joko")
    with pytest.raises(skills.CourseRefused, match="Joko bukan WBP di UPT pelatihan ini"):
        skills.trainee_enrol(course=course, inmate=outsider, by=staff)
    ended = CourseFactory(
        facility=course.facility,
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 10, 30),
    )
    person = InmateFactory(facility=course.facility)
    with pytest.raises(skills.CourseRefused, match="sudah selesai pada 30/10/2026"):
        skills.trainee_enrol(course=ended, inmate=person, by=staff)


def test_a_release_before_the_course_ends_is_a_warning_not_a_refusal(
    course: Any, staff: Any
) -> None:
    person = InmateFactory(
        facility=course.facility, full_name="Hendra", release_date=datetime.date(2026, 12, 1)
    )
    assert skills.enrolment_warnings(inmate=person, course=course) == [
        "Tanggal bebas WBP 01/12/2026 sebelum pelatihan selesai 11/12/2026."
    ]
    assert skills.trainee_enrol(course=course, inmate=person, by=staff).state == "enrolled"
    later = InmateFactory(facility=course.facility, release_date=datetime.date(2027, 1, 5))
    assert skills.enrolment_warnings(inmate=later, course=course) == []


def test_a_release_ends_every_place_and_offers_the_freed_ones(course: Any, staff: Any) -> None:
    agus = enrol(course, staff, "Agus")
    enrol(course, staff, "Budi")
    enrol(course, staff, "Candra")
    other = CourseFactory(facility=course.facility, capacity=1)
    enrol(other, staff, "Dedi")
    skills.trainee_enrol(course=other, inmate=agus.inmate, by=staff)  # waitlisted there

    inmate_services.inmate_release(
        inmate=agus.inmate, by=staff, on=datetime.date(2026, 11, 23), kind="bebas_murni",
        reason="Habis masa pidana",
    )  # fmt: skip

    assert set(Trainee.objects.filter(inmate=agus.inmate).values_list("state", "left_reason")) == {
        ("left", "WBP bebas.")
    }
    assert states(course)["Candra"] == "offered"
    assert states(other)["Dedi"] == "enrolled"


# --- meetings and attendance ---------------------------------------------------------------------


def test_generated_meetings_fall_on_the_chosen_weekdays_and_skip_holidays(
    course: Any, staff: Any
) -> None:
    FacilityActivity.objects.create(
        facility=course.facility, title="Cuti bersama", kind="holiday",
        date=datetime.date(2026, 11, 25),
    )  # fmt: skip
    meetings, skipped = skills.meetings_generate(
        course=course, by=staff, weekdays=[0, 2], start=datetime.time(8, 30),
        end=datetime.time(11, 30), topic="Menjahit",
    )  # fmt: skip
    # Mondays and Wednesdays from 2 Nov to 11 Dec 2026: 12 days, one of them a holiday.
    assert len(meetings) == 11
    assert skipped == [datetime.date(2026, 11, 25)]
    first = CourseMeeting.objects.filter(course=course).first()
    assert first is not None
    assert first.starts_at == datetime.datetime(2026, 11, 2, 0, 30, tzinfo=datetime.UTC)  # WITA
    again, _ = skills.meetings_generate(
        course=course, by=staff, weekdays=[0, 2], start=datetime.time(8, 30),
        end=datetime.time(11, 30),
    )  # fmt: skip
    assert again == []


def test_one_meeting_must_fall_within_the_course(course: Any, staff: Any) -> None:
    with pytest.raises(skills.CourseRefused, match="02/11/2026 sampai 11/12/2026"):
        skills.meeting_add(
            course=course, by=staff, day=datetime.date(2026, 12, 14),
            start=datetime.time(9), end=datetime.time(11),
        )  # fmt: skip


def meeting_on(course: Any, day: int) -> CourseMeeting:
    start = datetime.datetime(2026, 11, day, 0, 30, tzinfo=datetime.UTC)
    return CourseMeeting.objects.create(
        course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )


def test_attendance_is_saved_for_everyone_at_once_and_the_meeting_is_held(
    course: Any, staff: Any
) -> None:
    agus, budi = enrol(course, staff, "Agus"), enrol(course, staff, "Budi")
    enrol(course, staff, "Candra")  # waitlisted: not expected at the meeting
    meeting = meeting_on(course, 23)
    saved = skills.course_attendance_save(
        meeting=meeting, by=staff, marks={budi.pk: "absent"}, expected_version=1
    )
    assert (saved.status, saved.version) == (SessionStatus.HELD, 2)
    assert dict(CourseAttendance.objects.values_list("trainee_id", "status")) == {
        agus.pk: "present",
        budi.pk: "absent",
    }


def test_a_second_save_over_an_older_roster_is_a_conflict(course: Any, staff: Any) -> None:
    agus = enrol(course, staff, "Agus")
    meeting = meeting_on(course, 23)
    skills.course_attendance_save(meeting=meeting, by=staff, marks={}, expected_version=1)
    with pytest.raises(skills.AttendanceConflict):
        skills.course_attendance_save(
            meeting=meeting, by=staff, marks={agus.pk: "absent"}, expected_version=1
        )
    assert CourseAttendance.objects.get().status == "present"


def test_a_meeting_still_to_come_takes_no_attendance(course: Any, staff: Any) -> None:
    enrol(course, staff, "Agus")
    with pytest.raises(skills.CourseRefused, match="belum berlangsung"):
        skills.course_attendance_save(
            meeting=meeting_on(course, 25), by=staff, marks={}, expected_version=1
        )


def test_a_trainee_who_left_keeps_the_record_of_a_meeting_they_attended(
    course: Any, staff: Any
) -> None:
    agus = enrol(course, staff, "Agus")
    meeting = meeting_on(course, 16)
    skills.course_attendance_save(meeting=meeting, by=staff, marks={}, expected_version=1)
    skills.trainee_leave(trainee=agus, by=staff, reason="Pindah blok")
    assert [t.pk for t in skills.meeting_roster(meeting)] == [agus.pk]
    assert skills.meeting_roster(meeting_on(course, 23)) == []


# --- completion ----------------------------------------------------------------------------------


def test_completion_records_the_competency_and_keeps_the_place(course: Any, staff: Any) -> None:
    agus = enrol(course, staff, "Agus")
    enrol(course, staff, "Budi")
    enrol(course, staff, "Candra")
    meetings_attended(agus, staff, present=4, absent=1)  # 80%: exactly the course's requirement
    done = skills.trainee_complete(
        trainee=agus, by=staff, competency="competent",
        completed_on=datetime.date(2026, 11, 23), certificate_number="BLK-PSR/001/2026",
    )  # fmt: skip
    assert done.is_certified
    assert (done.completed_on, done.certificate_number) == (
        datetime.date(2026, 11, 23),
        "BLK-PSR/001/2026",
    )
    assert states(course)["Candra"] == "waitlisted"


@pytest.mark.parametrize(
    ("competency", "number", "message"),
    [
        ("competent", "", "Isi nomor sertifikat untuk peserta yang kompeten."),
        ("not_yet", "BLK/9", "Sertifikat hanya untuk peserta yang kompeten."),
        ("", "", "Pilih hasil uji kompetensi."),
    ],
)
def test_completion_refuses_a_certificate_that_does_not_fit_the_result(
    course: Any, staff: Any, competency: str, number: str, message: str
) -> None:
    agus = enrol(course, staff, "Agus")
    with pytest.raises(skills.CourseRefused, match=re.escape(message)):
        skills.trainee_complete(
            trainee=agus, by=staff, competency=competency,
            completed_on=datetime.date(2026, 11, 23), certificate_number=number,
        )  # fmt: skip
    assert states(course)["Agus"] == "enrolled"


def test_a_certificate_number_is_used_once_in_the_facility(course: Any, staff: Any) -> None:
    agus, budi = enrol(course, staff, "Agus"), enrol(course, staff, "Budi")
    meetings_attended(agus, staff)
    meetings_attended(budi, staff)
    day = datetime.date(2026, 11, 23)
    skills.trainee_complete(
        trainee=agus, by=staff, competency="competent", completed_on=day, certificate_number="X/1"
    )
    with pytest.raises(skills.CourseRefused, match="X/1 sudah dipakai untuk Agus"):
        skills.trainee_complete(
            trainee=budi, by=staff, competency="competent", completed_on=day,
            certificate_number="X/1",
        )  # fmt: skip
