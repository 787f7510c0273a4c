"""Two people editing one programme record: the second save over an older form answers 409,
names who saved and when, shows the stored values, keeps what was typed and writes nothing.
Cohorts, skills courses, draft notes, release plans and post-release follow-ups."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates import services as inmate_services
from programs.models import Aftercare, Enrolment, ProgressNote, ReleasePlan
from rehab.models import AuditEntry
from tests.conflicts import MISSING_VERSION, race, two_editors
from tests.factories import CohortFactory, CourseFactory, InmateFactory, signed_assessment

pytestmark = pytest.mark.django_db


# --- cohort -------------------------------------------------------------------------------------


def cohort_data(version: str | None, **overrides: str) -> dict[str, str]:
    data = {
        "name": "Angkatan I", "start_date": "02-11-2026", "end_date": "16-11-2026",
        "capacity": "20", "place": "Aula pembinaan", "reason": "Koreksi data angkatan",
    }  # fmt: skip
    return {**data, **({"version": version} if version is not None else {}), **overrides}


def test_the_second_cohort_editor_gets_a_conflict_and_keeps_what_was_typed(
    clock: Any, facility_a: Any
) -> None:
    cohort = CohortFactory(facility=facility_a, name="Angkatan I")
    ani, budi = two_editors(facility_a, "staff")
    url = reverse("programs:cohort_edit", args=[cohort.pk])
    response, fresh = race(
        clock=clock, form_url=url, ani=ani, budi=budi,
        first=lambda v: cohort_data(v, name="Angkatan I Pagi", capacity="25"),
        second=lambda v: cohort_data(v, place="Ruang konseling 2"),
    )  # fmt: skip
    page = response.content.decode()
    assert 'value="Ruang konseling 2"' in page and 'value="Angkatan I"' in page
    assert "Angkatan I Pagi" in page  # the stored name, beside the form
    cohort.refresh_from_db()
    assert (cohort.name, cohort.capacity, cohort.place) == ("Angkatan I Pagi", 25, "Aula pembinaan")
    merged = cohort_data(fresh, name="Angkatan I Pagi", capacity="25", place="Ruang konseling 2")
    assert budi.post(url, merged).status_code == 302
    cohort.refresh_from_db()
    assert (cohort.place, cohort.version) == ("Ruang konseling 2", 3)


def test_a_cohort_edit_without_its_version_is_refused(facility_a: Any) -> None:
    cohort = CohortFactory(facility=facility_a, name="Angkatan I")
    ani, _budi = two_editors(facility_a, "staff")
    url = reverse("programs:cohort_edit", args=[cohort.pk])
    response = ani.post(url, cohort_data(None, name="Tanpa versi"))
    assert response.status_code == 200 and MISSING_VERSION in response.content.decode()
    cohort.refresh_from_db()
    assert (cohort.name, cohort.version) == ("Angkatan I", 1)


def test_the_cohort_page_links_to_its_edit_form_for_managers_only(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    cohort = CohortFactory(facility=facility_a)
    edit = reverse("programs:cohort_edit", args=[cohort.pk])
    client.force_login(members["staff"])
    assert edit in client.get(cohort.get_absolute_url()).content.decode()
    client.force_login(members["warden"])
    assert edit not in client.get(cohort.get_absolute_url()).content.decode()


def test_a_cohort_cannot_shrink_below_its_seated_participants(
    facility_a: Any, members: dict[str, Any]
) -> None:
    cohort = CohortFactory(facility=facility_a)
    for _n in range(2):
        inmate = InmateFactory(facility=facility_a)
        Enrolment.objects.create(
            facility=facility_a, inmate=inmate, track=cohort.track, cohort=cohort,
            assessment=signed_assessment(inmate), state="placed",
        )  # fmt: skip
    ani, _budi = two_editors(facility_a, "staff")
    url = reverse("programs:cohort_edit", args=[cohort.pk])
    page = ani.post(url, cohort_data("1", capacity="1")).content.decode()
    assert "tidak boleh kurang dari peserta yang sudah ditempatkan (2)" in page


# --- skills course ------------------------------------------------------------------------------


def course_data(version: str | None, **overrides: str) -> dict[str, str]:
    data = {
        "kind": "sewing", "name": "Menjahit Dasar", "provider_kind": "blk",
        "provider_name": "BLK Kabupaten Paser", "hours": "80", "capacity": "12",
        "start_date": "02-11-2026", "end_date": "11-12-2026", "place": "Bengkel jahit",
        "competency_standard": "SKKNI Menjahit Pakaian Dasar",
        "certificate_issuer": "UPTD BLK Kabupaten Paser", "reason": "Koreksi jadwal BLK",
    }  # fmt: skip
    return {**data, **({"version": version} if version is not None else {}), **overrides}


def test_the_second_course_editor_gets_a_conflict_and_keeps_what_was_typed(
    clock: Any, facility_a: Any
) -> None:
    course = CourseFactory(facility=facility_a, name="Menjahit Dasar")
    ani, budi = two_editors(facility_a, "staff")
    url = reverse("programs:course_edit", args=[course.pk])
    response, fresh = race(
        clock=clock, form_url=url, ani=ani, budi=budi,
        first=lambda v: course_data(v, hours="96", place="Bengkel jahit blok C"),
        second=lambda v: course_data(v, capacity="15"),
    )  # fmt: skip
    page = response.content.decode()
    assert 'value="15"' in page and "Bengkel jahit blok C" in page
    course.refresh_from_db()
    assert (course.hours, course.capacity, course.place) == (96, 12, "Bengkel jahit blok C")
    merged = course_data(fresh, hours="96", place="Bengkel jahit blok C", capacity="15")
    assert budi.post(url, merged).status_code == 302
    course.refresh_from_db()
    assert (course.hours, course.capacity, course.version) == (96, 15, 3)


def test_a_course_edit_without_its_version_is_refused(facility_a: Any) -> None:
    course = CourseFactory(facility=facility_a, name="Menjahit Dasar")
    ani, _budi = two_editors(facility_a, "staff")
    url = reverse("programs:course_edit", args=[course.pk])
    response = ani.post(url, course_data(None, name="Tanpa versi"))
    assert response.status_code == 200 and MISSING_VERSION in response.content.decode()
    course.refresh_from_db()
    assert (course.name, course.version) == ("Menjahit Dasar", 1)


def test_the_course_page_links_to_its_edit_form(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    course = CourseFactory(facility=facility_a)
    client.force_login(members["staff"])
    page = client.get(course.get_absolute_url()).content.decode()
    assert reverse("programs:course_edit", args=[course.pk]) in page


# --- draft progress note ------------------------------------------------------------------------


@pytest.fixture
def note(facility_a: Any, members: dict[str, Any]) -> ProgressNote:
    inmate = InmateFactory(facility=facility_a)
    cohort = CohortFactory(facility=facility_a)
    enrolment = Enrolment.objects.create(
        facility=facility_a, inmate=inmate, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(inmate), state="active",
    )  # fmt: skip
    return ProgressNote.objects.create(
        facility=facility_a, enrolment=enrolment, author=members["counselor"],
        summary="Aktif di kelompok.",
    )  # fmt: skip


def note_data(version: str | None, **overrides: str) -> dict[str, str]:
    data = {"summary": "Aktif di kelompok.", "participation": "", "concerns": "",
            "next_steps": "", "save": "1"}  # fmt: skip
    return {**data, **({"version": version} if version is not None else {}), **overrides}


def test_the_second_editor_of_a_draft_note_gets_a_conflict_and_keeps_what_was_typed(
    clock: Any, facility_a: Any, note: ProgressNote
) -> None:
    ani, budi = two_editors(facility_a, "counselor")
    url = reverse("programs:note_edit", args=[note.pk])
    response, fresh = race(
        clock=clock, form_url=url, ani=ani, budi=budi,
        first=lambda v: note_data(v, concerns="Sulit tidur sejak pekan lalu."),
        second=lambda v: note_data(v, next_steps="Konseling individu Senin."),
    )  # fmt: skip
    page = response.content.decode()
    assert "Konseling individu Senin." in page and "Sulit tidur sejak pekan lalu." in page
    note.refresh_from_db()
    assert (note.concerns, note.next_steps) == ("Sulit tidur sejak pekan lalu.", "")
    merged = note_data(
        fresh, concerns="Sulit tidur sejak pekan lalu.", next_steps="Konseling individu Senin."
    )
    assert budi.post(url, merged).status_code == 302
    note.refresh_from_db()
    assert (note.next_steps, note.version) == ("Konseling individu Senin.", 3)


def test_a_note_edit_without_its_version_is_refused(facility_a: Any, note: ProgressNote) -> None:
    ani, _budi = two_editors(facility_a, "counselor")
    url = reverse("programs:note_edit", args=[note.pk])
    response = ani.post(url, note_data(None, summary="Tanpa versi", sign="1"))
    assert response.status_code == 200 and MISSING_VERSION in response.content.decode()
    note.refresh_from_db()
    assert (note.summary, note.is_signed) == ("Aktif di kelompok.", False)


# --- release plan -------------------------------------------------------------------------------


def plan_data(version: str | None, **overrides: str) -> dict[str, str]:
    data = {
        "bnnk_referral": "on", "family_contact_name": "Siti Aminah",
        "family_contact_relation": "Ibu", "family_contact_phone": "081234567890",
        "follow_up_address": "Jl. Kenanga 4, Tanah Grogot", "follow_up_phone": "", "notes": "",
    }  # fmt: skip
    return {**data, **({"version": version} if version is not None else {}), **overrides}


def test_two_first_saves_of_a_release_plan_give_the_second_a_conflict(
    clock: Any, facility_a: Any
) -> None:
    inmate = InmateFactory(facility=facility_a, release_date=datetime.date(2027, 1, 10))
    ani, budi = two_editors(facility_a, "staff")
    url = reverse("programs:release_plan", args=[inmate.pk])
    response, fresh = race(
        clock=clock, form_url=url, ani=ani, budi=budi,
        first=lambda v: plan_data(v, follow_up_phone="081298765432"),
        second=lambda v: plan_data(v, family_contact_name="Rahmat (kakak)"),
    )  # fmt: skip
    assert fresh == "1"
    page = response.content.decode()
    assert 'value="Rahmat (kakak)"' in page and "081298765432" in page
    plan = ReleasePlan.objects.get(inmate=inmate)
    assert (plan.family_contact_name, plan.follow_up_phone) == ("Siti Aminah", "081298765432")
    merged = plan_data(fresh, follow_up_phone="081298765432", family_contact_name="Rahmat (kakak)")
    assert budi.post(url, merged).status_code == 302
    plan.refresh_from_db()
    assert (plan.family_contact_name, plan.version) == ("Rahmat (kakak)", 2)


def test_a_release_plan_save_without_its_version_is_refused(facility_a: Any) -> None:
    inmate = InmateFactory(facility=facility_a)
    ani, _budi = two_editors(facility_a, "staff")
    response = ani.post(reverse("programs:release_plan", args=[inmate.pk]), plan_data(None))
    assert response.status_code == 200 and MISSING_VERSION in response.content.decode()
    assert not ReleasePlan.objects.exists()


# --- post-release follow-up ---------------------------------------------------------------------


@pytest.fixture
def due(facility_a: Any, members: dict[str, Any]) -> Aftercare:
    inmate = InmateFactory(facility=facility_a, full_name="Bayu Pratama")
    inmate_services.inmate_release(
        inmate=inmate, by=members["staff"], on=datetime.date(2026, 8, 20), kind="bebas_murni",
        reason="Habis masa pidana",
    )  # fmt: skip
    return Aftercare.objects.get(inmate=inmate, month=3)


def follow_up_data(version: str | None, **overrides: str) -> dict[str, str]:
    data = {
        "contacted_on": "19-11-2026", "method": "visit", "outcome": "abstinent",
        "employment": "self", "aid_kind": "", "aid_amount": "", "notes": "",
    }  # fmt: skip
    return {**data, **({"version": version} if version is not None else {}), **overrides}


def test_the_second_recorder_of_a_follow_up_gets_a_conflict_and_keeps_what_was_typed(
    clock: Any, facility_a: Any, due: Aftercare
) -> None:
    ani, budi = two_editors(facility_a, "counselor")
    url = reverse("programs:aftercare_record", args=[due.pk])
    response, fresh = race(
        clock=clock, form_url=url, ani=ani, budi=budi,
        first=lambda v: follow_up_data(v, notes="Bekerja di bengkel las pamannya."),
        second=lambda v: follow_up_data(v, method="phone", notes="Ditelepon, suara sehat."),
    )  # fmt: skip
    page = response.content.decode()
    assert "Ditelepon, suara sehat." in page and "Bekerja di bengkel las pamannya." in page
    due.refresh_from_db()
    assert (due.method, due.notes) == ("visit", "Bekerja di bengkel las pamannya.")
    assert budi.post(url, follow_up_data(fresh, notes="Keduanya benar.")).status_code == 302
    due.refresh_from_db()
    assert (due.notes, due.version) == ("Keduanya benar.", 3)


def test_a_follow_up_without_its_version_is_refused(facility_a: Any, due: Aftercare) -> None:
    ani, _budi = two_editors(facility_a, "counselor")
    response = ani.post(reverse("programs:aftercare_record", args=[due.pk]), follow_up_data(None))
    assert response.status_code == 200 and MISSING_VERSION in response.content.decode()
    due.refresh_from_db()
    assert not due.is_done


def test_a_correction_needs_its_reason_and_the_history_keeps_it(
    facility_a: Any, members: dict[str, Any]
) -> None:
    cohort = CohortFactory(facility=facility_a, name="Angkatan I")
    ani, _budi = two_editors(facility_a, "staff")
    url = reverse("programs:cohort_edit", args=[cohort.pk])
    refused = ani.post(url, cohort_data("1", capacity="24", reason=""))
    assert "Tuliskan alasan perubahan." in refused.content.decode()
    assert 'value="24"' in refused.content.decode()
    cohort.refresh_from_db()
    assert cohort.capacity != 24
    ani.post(url, cohort_data("1", capacity="24", reason="Ruang aula diperluas"))
    entry = AuditEntry.objects.get(action="programs.cohort.updated")
    assert "Ruang aula diperluas" in entry.summary
    assert entry.changes["capacity"][1] == "24" or entry.changes["capacity"][1] == 24

    course = CourseFactory(facility=facility_a)
    course_url = reverse("programs:course_edit", args=[course.pk])
    assert (
        "Tuliskan alasan perubahan."
        in ani.post(course_url, course_data("1", reason="")).content.decode()
    )
    ani.post(course_url, course_data("1", hours="96", reason="Jam dari BLK"))
    assert "Jam dari BLK" in AuditEntry.objects.get(action="programs.course.updated").summary
