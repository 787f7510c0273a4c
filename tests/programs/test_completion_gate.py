"""Completion gated on attendance: refused with the numbers, the warden's waiver, and the
facility's certificate register."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from programs.completion import services as completion
from programs.models import (
    Certificate,
    Cohort,
    CompletionWaiver,
    Enrolment,
    Trainee,
)
from programs.skills import services as skills
from programs.tiers import services
from rehab.models import AuditEntry
from tests.factories import (
    CohortFactory,
    CourseFactory,
    InmateFactory,
    attended_in_full,
    held_sessions,
    meetings_attended,
    signed_assessment,
)

pytestmark = pytest.mark.django_db

PAGE_QUERIES = 16  # the participant page, whatever the attendance and requirements
WAIVER_PAGE_QUERIES = 9  # the warden's waiver page of a trainee


@pytest.fixture
def cohort(facility_a: Any, members: dict[str, Any]) -> Cohort:
    return CohortFactory(facility=facility_a, capacity=5, created_by=members["counselor"])


def active(cohort: Cohort, name: str = "Rudi Hartono") -> Enrolment:
    person = InmateFactory(facility=cohort.facility, full_name=name)
    return Enrolment.objects.create(
        facility=cohort.facility, inmate=person, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(person), state="active",
        started_on=datetime.date(2026, 11, 2),
    )  # fmt: skip


def complete(enrolment: Enrolment, by: Any) -> Enrolment:
    return services.enrolment_move(enrolment=enrolment, to="completed", by=by, reason="Selesai")


# --- the gate ------------------------------------------------------------------------------------


def test_completion_below_the_requirement_is_refused_with_the_numbers(
    cohort: Cohort, members: dict[str, Any]
) -> None:
    rudi = active(cohort)
    held_sessions(rudi, members["counselor"], ["present", "late", "excused", "absent", "absent"])
    with pytest.raises(services.TransitionRefused) as refused:
        complete(rudi, members["warden"])
    assert str(refused.value) == (
        "Belum memenuhi syarat kehadiran: Hadir 2 dari 5 sesi terlaksana (40,0%); syarat 80%."
    )
    assert Enrolment.objects.get(pk=rudi.pk).state == "active"
    assert not Certificate.objects.exists()


def test_a_required_session_kind_short_is_named_even_at_full_attendance(
    cohort: Cohort, members: dict[str, Any]
) -> None:
    cohort.track.requirements.create(session_kind="family", count=2)
    rudi = active(cohort)
    held_sessions(rudi, members["counselor"], ["present"] * 4)
    with pytest.raises(services.TransitionRefused, match="Konseling keluarga 0 dari 2 wajib"):
        complete(rudi, members["warden"])


def test_at_the_requirement_the_programme_completes_and_gets_the_next_register_number(
    cohort: Cohort, members: dict[str, Any], facility_b: Any
) -> None:
    rudi, budi = active(cohort), active(cohort, "Budi Santoso")
    held_sessions(rudi, members["counselor"], ["present"] * 4 + ["absent"])  # 80,0%: exactly enough
    attended_in_full(budi, members["counselor"])
    other = active(CohortFactory(facility=facility_b, created_by=members["counselor"]), "Andi")
    attended_in_full(other, members["counselor"])

    for enrolment in (rudi, budi, other):
        assert complete(enrolment, members["warden"]).state == "completed"
    codes = [Certificate.objects.get(enrolment=e).code for e in (rudi, budi, other)]
    assert codes == ["0001/grogot-uji/2026", "0002/grogot-uji/2026", "0001/banjarnegara-uji/2026"]


def test_the_register_starts_again_each_year_and_the_database_refuses_a_number_twice(
    cohort: Cohort, members: dict[str, Any]
) -> None:
    rudi, budi = active(cohort), active(cohort, "Budi Santoso")
    first = completion.certificate_issue(
        by=members["warden"], on=datetime.date(2026, 12, 30), enrolment=rudi
    )
    again = completion.certificate_issue(
        by=members["warden"], on=datetime.date(2027, 1, 2), enrolment=budi
    )
    assert (first.code, again.code) == ("0001/grogot-uji/2026", "0001/grogot-uji/2027")
    # issuing again for the same person keeps the number it has
    assert completion.certificate_issue(by=members["warden"], on=datetime.date(2027, 1, 5),
                                        enrolment=rudi) == first  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            facility=cohort.facility, year=2026, number=1, issued_on=datetime.date(2026, 12, 31),
            issued_by=members["warden"], trainee=None,
            enrolment=active(cohort, "Candra"),
        )  # fmt: skip


# --- the warden's waiver -------------------------------------------------------------------------


def test_the_warden_waives_with_a_reason_and_the_participant_then_completes(
    client: Client, cohort: Cohort, members: dict[str, Any]
) -> None:
    rudi = active(cohort)
    held_sessions(rudi, members["counselor"], ["present", "absent", "absent"])
    client.force_login(members["warden"])
    url = reverse("programs:enrolment_waive", args=[rudi.pk])
    page = client.get(rudi.get_absolute_url()).content.decode()
    assert url in page and "Hadir 1 dari 3 sesi terlaksana (33,3%); syarat 80%" in page

    response = client.post(url, {"reason": "Dirawat di RSUD 10 hari, materi diulang"})
    assert response.status_code == 302
    waiver = CompletionWaiver.objects.get(enrolment=rudi)
    assert (waiver.marks, waiver.attended, waiver.required_percent, waiver.by) == (
        3, 1, 80, members["warden"],
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="programs.completion.waived")
    assert entry.target_id == rudi.inmate_id
    assert "Dirawat di RSUD" in entry.summary and "33,3%" in entry.summary
    page = client.get(rudi.get_absolute_url()).content.decode()
    assert "Dikecualikan oleh Kepala Rutan" in page
    assert "Dirawat di RSUD 10 hari, materi diulang" in page

    assert complete(rudi, members["warden"]).state == "completed"
    response = client.get(reverse("programs:certificate", args=[rudi.pk]))
    assert response["Content-Type"] == "application/pdf"


def test_a_waiver_without_a_reason_is_refused_beside_the_field_and_saves_nothing(
    client: Client, cohort: Cohort, members: dict[str, Any]
) -> None:
    rudi = active(cohort)
    client.force_login(members["warden"])
    response = client.post(reverse("programs:enrolment_waive", args=[rudi.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["waive_form"].errors["reason"] == ["Bidang ini tidak boleh kosong."]
    assert 'id="error_1_id_reason"' in response.content.decode()  # beside the field
    assert not CompletionWaiver.objects.exists()
    too_long = client.post(
        reverse("programs:enrolment_waive", args=[rudi.pk]), {"reason": "x" * 256}
    )
    assert too_long.context["waive_form"].errors["reason"] == [
        "Pastikan nilai ini mengandung paling banyak 255 karakter (sekarang 256 karakter)."
    ]
    assert "x" * 256 in too_long.content.decode()  # what was typed stays in the form
    assert not CompletionWaiver.objects.exists()


@pytest.mark.parametrize("role", ["staff", "counselor", "health", "supervisor"])
def test_only_the_warden_may_waive(
    client: Client, cohort: Cohort, members: dict[str, Any], role: str
) -> None:
    rudi = active(cohort)
    client.force_login(members[role])
    response = client.post(reverse("programs:enrolment_waive", args=[rudi.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert not CompletionWaiver.objects.exists()


def test_a_waiver_is_refused_when_attendance_already_meets_it_or_twice(
    cohort: Cohort, members: dict[str, Any]
) -> None:
    met, short = active(cohort), active(cohort, "Budi Santoso")
    attended_in_full(met, members["counselor"])
    with pytest.raises(completion.CompletionRefused, match="sudah memenuhi syarat"):
        completion.enrolment_waive(enrolment=met, by=members["warden"], reason="x")
    completion.enrolment_waive(enrolment=short, by=members["warden"], reason="Sakit")
    with pytest.raises(completion.CompletionRefused, match="sudah dikecualikan"):
        completion.enrolment_waive(enrolment=short, by=members["warden"], reason="Lagi")
    assert CompletionWaiver.objects.count() == 1


def test_a_certificate_is_not_printed_for_a_completion_below_the_requirement(
    client: Client, cohort: Cohort, members: dict[str, Any]
) -> None:
    """Recorded as completed before the gate (or attendance corrected since): printing says why."""
    rudi = active(cohort)
    Enrolment.objects.filter(pk=rudi.pk).update(state="completed", ended_on="2026-11-16")
    client.force_login(members["staff"])
    response = client.get(reverse("programs:certificate", args=[rudi.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Belum memenuhi syarat kehadiran: Hadir 0 dari 0 sesi terlaksana (-); syarat 80%."
    ]
    assert not Certificate.objects.exists()


# --- skills courses ------------------------------------------------------------------------------


def test_a_skills_certificate_is_gated_but_not_yet_competent_is_recorded_whatever_the_attendance(
    facility_a: Any, members: dict[str, Any]
) -> None:
    course = CourseFactory(facility=facility_a, capacity=3, created_by=members["staff"])
    agus, budi = (
        skills.trainee_enrol(course=course, inmate=InmateFactory(facility=facility_a),
                             by=members["staff"])
        for _ in range(2)
    )  # fmt: skip
    meetings_attended(agus, members["staff"], present=3, absent=1)  # 75% of 80%
    meetings_attended(budi, members["staff"], present=1, absent=3)
    day = datetime.date(2026, 11, 19)
    with pytest.raises(
        skills.CourseRefused, match=r"Hadir 3 dari 4 pertemuan terlaksana \(75,0%\)"
    ):
        skills.trainee_complete(trainee=agus, by=members["staff"], competency="competent",
                                completed_on=day, certificate_number="BLK/1")  # fmt: skip
    skills.trainee_complete(trainee=budi, by=members["staff"], competency="not_yet",
                            completed_on=day)  # fmt: skip
    assert Trainee.objects.get(pk=budi.pk).state == "completed"
    assert not Certificate.objects.filter(trainee=budi).exists()

    completion.trainee_waive(trainee=agus, by=members["warden"], reason="Pindah blok seminggu")
    skills.trainee_complete(trainee=agus, by=members["staff"], competency="competent",
                            completed_on=day, certificate_number="BLK/1")  # fmt: skip
    assert Certificate.objects.get(trainee=agus).code == "0001/grogot-uji/2026"


def test_the_participant_page_costs_the_same_queries_for_few_and_many_sessions(
    client: Client, cohort: Cohort, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    rudi = active(cohort)
    cohort.track.requirements.create(session_kind="group", count=2)
    client.force_login(members["warden"])
    client.get(reverse("today"))  # the first request of a session looks up its time zone
    held_sessions(rudi, members["counselor"], ["present"])
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(rudi.get_absolute_url()).status_code == 200
    held_sessions(rudi, members["counselor"], ["present", "absent"] * 6)
    cohort.track.requirements.create(session_kind="family", count=1)
    completion.enrolment_waive(enrolment=rudi, by=members["warden"], reason="Sakit")
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(rudi.get_absolute_url()).status_code == 200


def test_the_trainee_waiver_page_costs_the_same_queries_for_few_and_many_meetings(
    client: Client, facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    course = CourseFactory(facility=facility_a, capacity=3, created_by=members["staff"])
    agus = skills.trainee_enrol(
        course=course, inmate=InmateFactory(facility=facility_a, full_name="Agus"),
        by=members["staff"],
    )  # fmt: skip
    url = reverse("programs:trainee_waive", args=[agus.pk])
    client.force_login(members["warden"])
    client.get(reverse("today"))  # the first request of a session looks up its time zone
    meetings_attended(agus, members["staff"], present=1, absent=1)
    with django_assert_num_queries(WAIVER_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert "Hadir 1 dari 2 pertemuan terlaksana (50,0%); syarat 80%" in page
    meetings_attended(agus, members["staff"], present=3, absent=9)
    with django_assert_num_queries(WAIVER_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert "Hadir 4 dari 14 pertemuan terlaksana (28,6%); syarat 80%" in page
