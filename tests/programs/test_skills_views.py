"""Skills training screens: the catalogue and a new course, the meeting schedule, enrolment with
its warnings and refusals, the waitlist on the course page, one-screen attendance with a
conflict, completion, the certificate PDF, the case file and the today page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import (
    Course,
    CourseAttendance,
    CourseMeeting,
    SessionStatus,
    Trainee,
    TraineeState,
)
from programs.skills import services as skills
from rehab.models import AccessLog
from tests.factories import CourseFactory, InmateFactory, meetings_attended
from tests.rehab.test_pdf import page_sizes_mm

NOW = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)  # Monday, 11:00 WITA


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def staff(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["staff"])
    client.get(reverse("today"))  # the first request of a session looks up its time zone
    return client


@pytest.fixture
def course(facility_a: Any, members: dict[str, Any]) -> Course:
    return CourseFactory(
        facility=facility_a, name="Menjahit Dasar", capacity=2, created_by=members["staff"]
    )


def enrol(course: Course, by: Any, name: str, **inmate: Any) -> Trainee:
    person = InmateFactory(facility=course.facility, full_name=name, **inmate)
    return skills.trainee_enrol(course=course, inmate=person, by=by)


def meeting_today(course: Course) -> CourseMeeting:
    start = datetime.datetime(2026, 11, 23, 0, 30, tzinfo=datetime.UTC)  # 08:30 WITA
    return CourseMeeting.objects.create(
        course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the catalogue -------------------------------------------------------------------------------


COURSE_FORM = {
    "kind": "sewing", "name": "Menjahit Dasar Angkatan II", "provider_kind": "blk",
    "provider_name": "UPTD BLK Kabupaten Paser", "hours": "80", "capacity": "12",
    "start_date": "30-11-2026", "end_date": "29-01-2027", "place": "Bengkel jahit",
    "competency_standard": "SKKNI Menjahit Pakaian", "certificate_issuer": "UPTD BLK Paser",
}  # fmt: skip


def test_staff_add_a_course_and_go_on_to_its_schedule(staff: Client, facility_a: Any) -> None:
    response = staff.post(
        reverse("programs:course_create"), {**COURSE_FORM, "facility": facility_a.pk}
    )
    course = Course.objects.get()
    assert response["Location"] == reverse("programs:course_schedule", args=[course.pk])
    assert (course.start_date, course.end_date) == (
        datetime.date(2026, 11, 30),
        datetime.date(2027, 1, 29),
    )
    assert course.created_by.username == "staff.a"


def test_a_course_that_ends_before_it_starts_is_refused_beside_the_field(
    staff: Client, facility_a: Any
) -> None:
    data = {**COURSE_FORM, "facility": facility_a.pk, "end_date": "01-11-2026", "capacity": "0"}
    data["provider_name"] = ""
    response = staff.post(reverse("programs:course_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "end_date": ["Tanggal selesai tidak boleh sebelum tanggal mulai."],
        "capacity": ["Kapasitas paling sedikit 1."],
        "provider_name": ["Tuliskan nama penyelenggara."],
    }
    page = response.content.decode()
    assert 'value="Menjahit Dasar Angkatan II"' in page  # what was typed stays
    assert 'value="01-11-2026"' in page
    assert not Course.objects.exists()


def test_the_list_shows_the_courses_of_the_users_facilities_only(
    staff: Client, course: Course, facility_b: Any
) -> None:
    CourseFactory(facility=facility_b, name="Budidaya Ikan Lele")
    page = staff.get(reverse("programs:course_list")).content.decode()
    assert "Menjahit Dasar" in page
    assert "Budidaya Ikan Lele" not in page


def test_the_list_costs_the_same_queries_for_one_course_and_for_many(
    staff: Client, facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            course = CourseFactory(facility=facility_a, capacity=1)
            enrol(course, members["staff"], "Agus")
            enrol(course, members["staff"], "Budi")

    add(1)
    with django_assert_num_queries(8):
        staff.get(reverse("programs:course_list"))
    add(10)
    with django_assert_num_queries(8):
        page = staff.get(reverse("programs:course_list")).content.decode()
    assert page.count("1 / 1") == 11  # one seated of one place in each


# --- the schedule --------------------------------------------------------------------------------


def test_a_weekly_schedule_plans_the_meetings_of_the_whole_course(
    staff: Client, course: Course
) -> None:
    url = reverse("programs:course_schedule", args=[course.pk])
    pattern = {"jadwal-weekdays": ["0", "2"], "jadwal-start": "08:30", "jadwal-end": "11:30",
               "jadwal-topic": "Praktik menjahit"}  # fmt: skip
    preview = staff.post(url, {**pattern, "generate": "1"})  # a preview first: nothing written
    assert "12 sesi baru" in preview.content.decode() and not CourseMeeting.objects.exists()
    response = staff.post(url, {**pattern, "step": "save_all"}, follow=True)
    assert "12 pertemuan dijadwalkan." in messages_of(response)
    assert CourseMeeting.objects.filter(course=course, topic="Praktik menjahit").count() == 12


def test_one_meeting_outside_the_course_is_refused_beside_the_date(
    staff: Client, course: Course
) -> None:
    response = staff.post(
        reverse("programs:course_schedule", args=[course.pk]),
        {"satu-day": "14-12-2026", "satu-start": "09:00", "satu-end": "11:00", "add": "1"},
    )
    assert response.context["single"].errors["day"] == [
        "Tanggal harus dalam masa pelatihan, 02/11/2026 sampai 11/12/2026."
    ]
    assert 'value="14-12-2026"' in response.content.decode()
    assert not CourseMeeting.objects.exists()


# --- enrolment -----------------------------------------------------------------------------------


def test_enrolment_seats_who_fits_waitlists_the_rest_and_warns_of_an_early_release(
    staff: Client, course: Course
) -> None:
    people = [
        InmateFactory(facility=course.facility, full_name=name)
        for name in ("Agus Salim", "Budi Santoso")
    ]
    early = InmateFactory(
        facility=course.facility, full_name="Candra Wijaya", release_date=datetime.date(2026, 12, 1)
    )
    url = reverse("programs:course_enrol", args=[course.pk])
    page = staff.get(url).content.decode()
    assert "Tanggal bebas WBP 01/12/2026 sebelum pelatihan selesai 11/12/2026." in page
    response = staff.post(url, {"inmate": [p.pk for p in [*people, early]]}, follow=True)
    assert messages_of(response) == [
        "2 WBP terdaftar di pelatihan, 1 masuk daftar tunggu.",
        "Candra Wijaya: Tanggal bebas WBP 01/12/2026 sebelum pelatihan selesai 11/12/2026.",
    ]
    waiting = Trainee.objects.get(state=TraineeState.WAITLISTED)
    assert waiting.inmate == early  # by name: Agus and Budi come first
    assert 'id="daftar-tunggu"' in response.content.decode()


def test_a_wbp_released_since_the_page_was_opened_is_refused_and_nothing_is_saved(
    staff: Client, course: Course
) -> None:
    agus = InmateFactory(facility=course.facility, full_name="Agus Salim")
    gone = InmateFactory(facility=course.facility, full_name="Budi Santoso", status="released")
    response = staff.post(
        reverse("programs:course_enrol", args=[course.pk]), {"inmate": [agus.pk, gone.pk]}
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        "Budi Santoso tidak lagi dalam tahanan (Bebas); tidak dapat didaftarkan."
    ]
    assert not Trainee.objects.exists()
    assert f'value="{agus.pk}" id="pick-{agus.pk}" checked' in response.content.decode()


def test_the_enrolment_list_leaves_out_who_holds_a_place_and_who_is_not_in_custody(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    enrol(course, members["staff"], "Agus Salim")
    InmateFactory(facility=course.facility, full_name="Budi Santoso", status="released")
    InmateFactory(facility=course.facility, full_name="Candra Wijaya")
    page = staff.get(reverse("programs:course_enrol", args=[course.pk])).content.decode()
    assert "Candra Wijaya" in page
    assert "Agus Salim" not in page
    assert "Budi Santoso" not in page


# --- leaving, offers and the course page ---------------------------------------------------------


def test_a_trainee_who_leaves_frees_the_place_for_the_first_on_the_waitlist(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim")
    enrol(course, members["staff"], "Budi Santoso")
    candra = enrol(course, members["staff"], "Candra Wijaya")
    response = staff.post(
        reverse("programs:trainee_move", args=[agus.pk]),
        {"action": "leave", "reason": "Dipindah ke blok isolasi"},
        follow=True,
    )
    assert messages_of(response) == [
        "Agus Salim keluar dari pelatihan.",
        "Tempat kosong ditawarkan kepada Candra Wijaya (daftar tunggu); catat jawabannya.",
    ]
    page = response.content.decode()
    assert "Tawaran tempat menunggu jawaban" in page
    assert "Dipindah ke blok isolasi" in page
    staff.post(reverse("programs:trainee_move", args=[candra.pk]), {"action": "accept"})
    candra.refresh_from_db()
    assert candra.state == TraineeState.ENROLLED


def test_leaving_without_a_reason_is_refused_with_a_message(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim")
    response = staff.post(
        reverse("programs:trainee_move", args=[agus.pk]), {"action": "leave"}, follow=True
    )
    assert messages_of(response) == ["Tuliskan alasan keluar."]
    agus.refresh_from_db()
    assert agus.state == TraineeState.ENROLLED


def test_the_course_page_costs_the_same_queries_for_few_and_many_trainees(
    staff: Client, course: Course, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    url = reverse("programs:course_detail", args=[course.pk])
    enrol(course, members["staff"], "Agus")
    meeting_today(course)
    with django_assert_num_queries(10):
        staff.get(url)
    Course.objects.filter(pk=course.pk).update(capacity=15)
    for n in range(20):
        enrol(course, members["staff"], f"Peserta {n}")
    for _ in range(5):
        meeting_today(course)
    with django_assert_num_queries(10):
        page = staff.get(url).content.decode()
    assert "15 dari 15 tempat terisi" in page
    assert "6 di daftar tunggu" in page


# --- attendance ----------------------------------------------------------------------------------


def test_the_attendance_of_a_meeting_is_saved_in_one_post(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim")
    budi = enrol(course, members["staff"], "Budi Santoso")
    meeting = meeting_today(course)
    url = reverse("programs:meeting_detail", args=[meeting.pk])
    response = staff.post(url, {"version": "1", f"mark-{budi.pk}": "late"}, follow=True)
    assert messages_of(response) == ["Kehadiran 2 peserta tersimpan."]
    assert dict(CourseAttendance.objects.values_list("trainee_id", "status")) == {
        agus.pk: "present",
        budi.pk: "late",
    }
    meeting.refresh_from_db()
    assert (meeting.status, meeting.version) == (SessionStatus.HELD, 2)


def test_a_second_save_over_an_older_page_answers_409_and_keeps_the_marks_on_screen(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim")
    meeting = meeting_today(course)
    skills.course_attendance_save(
        meeting=meeting, by=members["counselor"], marks={}, expected_version=1
    )
    url = reverse("programs:meeting_detail", args=[meeting.pk])
    response = staff.post(url, {"version": "1", f"mark-{agus.pk}": "absent"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "sudah disimpan orang lain" in page
    assert re.search(rf'name="mark-{agus.pk}" value="absent"[^>]*checked', page)
    assert 'name="version" value="2"' in page
    assert CourseAttendance.objects.get().status == "present"


def test_the_warden_sees_the_attendance_but_may_not_save_it(
    client: Client, course: Course, members: dict[str, Any]
) -> None:
    enrol(course, members["staff"], "Agus Salim")
    url = reverse("programs:meeting_detail", args=[meeting_today(course).pk])
    client.force_login(members["warden"])
    page = client.get(url).content.decode()
    assert "Agus Salim" in page
    assert "Simpan kehadiran" not in page
    assert client.post(url, {"version": "1"}).status_code == 403


@pytest.mark.parametrize("size", [2, 20])
def test_the_attendance_page_costs_the_same_queries_for_2_and_20_trainees(
    staff: Client,
    course: Course,
    members: dict[str, Any],
    django_assert_num_queries: Any,
    size: int,
) -> None:
    Course.objects.filter(pk=course.pk).update(capacity=size)
    for n in range(size):
        enrol(course, members["staff"], f"Peserta {n:02d}")
    meeting = meeting_today(course)
    skills.course_attendance_save(
        meeting=meeting, by=members["staff"], marks={}, expected_version=1
    )
    # session, user, roles, meeting, roster, marks, session save (3)
    with django_assert_num_queries(9):
        page = staff.get(reverse("programs:meeting_detail", args=[meeting.pk])).content.decode()
    assert page.count("tr data-row") == size


# --- completion and the certificate --------------------------------------------------------------


def test_completion_without_a_certificate_number_is_refused_beside_the_field(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim")
    url = reverse("programs:trainee_complete", args=[agus.pk])
    response = staff.post(url, {"completed_on": "23-11-2026", "competency": "competent"})
    assert response.context["form"].errors == {
        "certificate_number": ["Isi nomor sertifikat untuk peserta yang kompeten."]
    }
    response = staff.post(url, {"completed_on": "24-11-2026", "competency": "not_yet"})
    assert response.context["form"].errors == {
        "completed_on": ["Tanggal selesai tidak boleh di masa depan."]
    }
    agus.refresh_from_db()
    assert agus.state == TraineeState.ENROLLED


def test_a_competent_trainee_gets_a_certificate_pdf_with_the_figures_of_the_course(
    staff: Client, course: Course, members: dict[str, Any], fed_html: list[str]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim", registration_number="BI.0101/2026")
    held = [meeting_today(course) for _ in range(5)]
    for n, meeting in enumerate(held):
        marks = {agus.pk: "absent"} if n == 0 else {}
        skills.course_attendance_save(
            meeting=meeting, by=members["staff"], marks=marks, expected_version=1
        )
    response = staff.post(
        reverse("programs:trainee_complete", args=[agus.pk]),
        {"completed_on": "23-11-2026", "competency": "competent",
         "certificate_number": "BLK-PSR/017/2026"},
        follow=True,
    )  # fmt: skip
    assert messages_of(response) == ["Hasil pelatihan Agus Salim tersimpan."]
    url = reverse("programs:course_certificate", args=[agus.pk])
    assert url in response.content.decode()

    response = staff.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        response["Content-Disposition"] == f'inline; filename="sertifikat-pelatihan-{agus.pk}.pdf"'
    )
    html = fed_html[-1]
    for figure in [
        "Agus Salim", "BI.0101/2026", '<span class="cert-number">BLK-PSR/017/2026</span>',
        "Menjahit Dasar", '<span class="hours">80</span> jam pelatihan', "hadir 4 dari 5 pertemuan",
        "KOMPETEN", "SKKNI Menjahit Pakaian Dasar", "UPTD BLK Kabupaten Paser", "23 November 2026",
    ]:  # fmt: skip
        assert figure in html, figure
    assert AccessLog.objects.filter(action="pdf.download", target_id=agus.pk).count() == 1
    f4 = staff.get(f"{url}?size=F4")
    assert page_sizes_mm(f4.content) == [(330, 215)]  # landscape F4, one page


def test_there_is_no_certificate_for_a_trainee_not_yet_competent(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim")
    skills.trainee_complete(
        trainee=agus, by=members["staff"], competency="not_yet",
        completed_on=datetime.date(2026, 11, 23),
    )  # fmt: skip
    assert staff.get(reverse("programs:course_certificate", args=[agus.pk])).status_code == 404


# --- the case file and the today page ------------------------------------------------------------


def test_the_case_file_lists_the_courses_with_the_certificate(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim")
    meetings_attended(agus, members["staff"])
    skills.trainee_complete(
        trainee=agus, by=members["staff"], competency="competent",
        completed_on=datetime.date(2026, 11, 23), certificate_number="BLK-PSR/017/2026",
    )  # fmt: skip
    page = staff.get(agus.inmate.get_absolute_url()).content.decode()
    assert "Pelatihan keterampilan: Menjahit Dasar" in page
    assert "Kompeten" in page
    assert reverse("programs:course_certificate", args=[agus.pk]) in page


def test_the_today_page_shows_todays_meetings_and_the_offers_waiting(
    staff: Client, course: Course, members: dict[str, Any]
) -> None:
    agus = enrol(course, members["staff"], "Agus Salim")
    enrol(course, members["staff"], "Budi Santoso")
    enrol(course, members["staff"], "Candra Wijaya")
    skills.trainee_leave(trainee=agus, by=members["staff"], reason="Sakit")
    meeting_today(course)
    page = staff.get(reverse("today")).content.decode()
    assert "Pertemuan pelatihan hari ini" in page
    assert "08.30 WITA · Menjahit Dasar" in page
    assert "Tawaran tempat menunggu jawaban WBP" in page
    assert "Candra Wijaya" in page


def queries_of(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_today_page_and_the_case_file_cost_no_more_queries_with_more_courses(
    staff: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    person = InmateFactory(facility=facility_a, full_name="Satu Orang")

    def add(n: int) -> None:
        for _ in range(n):
            course = CourseFactory(facility=facility_a, capacity=1)
            meeting_today(course)
            first = enrol(course, members["staff"], "Agus")
            enrol(course, members["staff"], "Budi")
            skills.trainee_leave(trainee=first, by=members["staff"], reason="Sakit")
            skills.trainee_enrol(course=course, inmate=person, by=members["staff"])

    add(1)
    today, case_file = (
        queries_of(staff, reverse("today")),
        queries_of(staff, person.get_absolute_url()),
    )
    add(6)
    assert queries_of(staff, reverse("today")) == today
    assert queries_of(staff, person.get_absolute_url()) == case_file
