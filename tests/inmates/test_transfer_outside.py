"""A WBP moved to a UPT outside rehab: chosen explicitly on the transfer form, it ends the
episode at the origin (programme places end as "Pindah UPT", a proposal is rejected, skills
places are released to the waitlist) and leaves a hand-over PDF for the receiving UPT, written
only once the transaction commits: the general version for every case reader, the clinical one
(health results) for the clinical roles. Bad input keeps the Indonesian messages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from inmates import services
from inmates.models import CustodyStatus, Inmate, OutsideTransfer, Transfer
from programs.models import Enrolment, FollowUp, Trainee
from programs.scheduling.services import separation_create
from programs.skills import services as skills
from rehab.models import AccessLog, AuditEntry, Profile
from tests.factories import (
    CohortFactory,
    CourseFactory,
    HealthScreeningFactory,
    InmateFactory,
    attended_in_full,
    signed_assessment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

BALIKPAPAN = {"destination": "outside", "upt_name": "Lapas Kelas IIA Balikpapan",
              "upt_town": "Balikpapan", "upt_address": "Jl. Marsma R. Iswahyudi No. 1",
              "on": "19-11-2026", "reason": "Putusan berkekuatan hukum tetap",
              "letter_number": "W.17-PK.01.01-456"}  # fmt: skip


@pytest.fixture
def wahyu(facility_a: Any, members: dict[str, Any]) -> Inmate:
    """A WBP of facility A in a running Sedang cohort (one session attended), proposed for a
    second programme, in a skills course with someone waiting for his place, with a reactive
    HIV result, an open absence follow-up and a WBP he must be kept apart from."""
    Profile.objects.update_or_create(
        user=members["warden"], defaults={"nip": "197001011990031001", "rank": "Pembina (IV/a)"}
    )
    members["warden"].first_name, members["warden"].last_name = "Bambang", "Sutrisno"
    members["warden"].save(update_fields=["first_name", "last_name"])
    inmate = InmateFactory(
        facility=facility_a, full_name="Wahyu Hidayat", registration_number="BI.2001/2026",
        admission_date=datetime.date(2026, 3, 2),
    )  # fmt: skip
    cohort = CohortFactory(facility=facility_a, created_by=members["counselor"])
    assessment = signed_assessment(
        inmate, final_tier="sedang", diagnosis_code="F15.2", comorbidity="Depresi sedang"
    )
    enrolment = Enrolment.objects.create(
        facility=facility_a, inmate=inmate, track=cohort.track, cohort=cohort, state="active",
        assessment=assessment, started_on=datetime.date(2026, 11, 2),
    )  # fmt: skip
    attended_in_full(enrolment, members["counselor"])
    other_cohort = CohortFactory(facility=facility_a, created_by=members["counselor"])
    Enrolment.objects.create(
        facility=facility_a, inmate=inmate, track=other_cohort.track, cohort=other_cohort,
        state="proposed", assessment=assessment,
    )  # fmt: skip
    FollowUp.objects.create(
        facility=facility_a, enrolment=enrolment, reason="Tidak hadir 3 sesi berturut-turut"
    )
    course = CourseFactory(facility=facility_a, capacity=1, created_by=members["staff"])
    skills.trainee_enrol(course=course, inmate=inmate, by=members["staff"])
    skills.trainee_enrol(
        course=course, inmate=InmateFactory(facility=facility_a, full_name="Eko Prasetyo"),
        by=members["staff"],
    )  # fmt: skip
    separation_create(
        first=inmate, second=InmateFactory(facility=facility_a, full_name="Rudi Hartono"),
        by=members["staff"], reason="Terdakwa dalam satu perkara",
    )  # fmt: skip
    HealthScreeningFactory(inmate=inmate, hiv="reactive", notes="ARV sejak Maret")
    return inmate


def send(client: Client, inmate: Inmate, **fields: str) -> Any:
    return client.post(reverse("inmates:transfer", args=[inmate.pk]), {**BALIKPAPAN, **fields})


def test_recording_it_ends_the_episode_and_releases_every_place(
    staff_client: Client, wahyu: Inmate, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = send(staff_client, wahyu)
    assert response.status_code == 302 and response["Location"] == wahyu.get_absolute_url()
    wahyu.refresh_from_db()
    assert (wahyu.status, wahyu.status_changed_on) == (
        CustodyStatus.TRANSFERRED, datetime.date(2026, 11, 19),
    )  # fmt: skip
    states = dict(Enrolment.objects.filter(inmate=wahyu).values_list("state", "drop_reason"))
    assert states == {"dropped_out": "transferred", "rejected": ""}
    ended = Enrolment.objects.get(inmate=wahyu, state="dropped_out")
    assert ended.ended_on == datetime.date(2026, 11, 19)
    trainee = Trainee.objects.get(inmate=wahyu)
    assert (trainee.state, trainee.left_reason) == (
        "left", "Pindah ke Lapas Kelas IIA Balikpapan, Balikpapan.",
    )  # fmt: skip
    # the freed place is offered to the one waiting
    assert Trainee.objects.get(inmate__full_name="Eko Prasetyo").state == "offered"
    transfer = OutsideTransfer.objects.get()
    assert (transfer.upt_name, transfer.upt_town, transfer.letter_number) == (
        "Lapas Kelas IIA Balikpapan", "Balikpapan", "W.17-PK.01.01-456",
    )  # fmt: skip
    assert not Transfer.objects.exists()  # nothing waits for an acceptance
    assert AuditEntry.objects.filter(action="inmates.inmate.transferred_outside").count() == 1
    case_file = staff_client.get(wahyu.get_absolute_url()).content.decode()
    assert "Lapas Kelas IIA Balikpapan, Balikpapan (di luar rehab)" in case_file
    assert transfer.get_absolute_url() in case_file


def test_the_hand_over_files_are_written_only_after_the_commit(
    wahyu: Inmate, members: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transfer = services.inmate_transfer_outside(
            inmate=wahyu, by=members["staff"], upt_name="Lapas Kelas IIA Balikpapan",
            upt_town="Balikpapan", on=datetime.date(2026, 11, 19), reason="Putusan",
        )  # fmt: skip
    storage = transfer.handover.storage
    assert transfer.handover.name and transfer.clinical_handover.name
    assert not storage.exists(transfer.handover.name)
    assert not storage.exists(transfer.clinical_handover.name)
    for callback in callbacks:
        callback()
    for stored in (transfer.handover, transfer.clinical_handover):
        assert storage.exists(stored.name)
        with stored.open("rb") as handle:
            assert handle.read().startswith(b"%PDF")


def test_a_failure_after_the_steps_leaves_nothing_behind(
    wahyu: Inmate, members: dict[str, Any], monkeypatch: Any, tmp_path: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("WeasyPrint broke")

    monkeypatch.setattr(services, "handover_pdf", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.inmate_transfer_outside(
            inmate=wahyu, by=members["staff"], upt_name="Lapas Kelas IIA Balikpapan",
            upt_town="Balikpapan", on=datetime.date(2026, 11, 19), reason="Putusan",
        )  # fmt: skip
    assert not OutsideTransfer.objects.exists()
    assert Inmate.objects.get(pk=wahyu.pk).status == CustodyStatus.IN_CUSTODY
    assert Enrolment.objects.filter(inmate=wahyu, state="active").exists()
    assert Trainee.objects.get(inmate=wahyu).state == "enrolled"


@pytest.mark.parametrize("role", ["staff", "warden"])
def test_the_general_hand_over_summarises_the_case_without_health_details(
    client: Client, wahyu: Inmate, members: dict[str, Any], fed_html: list[str], role: str,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        transfer = services.inmate_transfer_outside(
            inmate=wahyu, by=members["staff"], **_service_fields()
        )
    general = fed_html[0]
    client.force_login(members[role])
    response = client.get(transfer.get_absolute_url())
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "klinis" not in response["Content-Disposition"]
    for expected in (
        "Wahyu Hidayat",
        "BI.2001/2026",
        "Lapas Kelas IIA Balikpapan",
        "Balikpapan",
        "Jl. Marsma R. Iswahyudi No. 1",
        "W.17-PK.01.01-456",
        "Tingkat Sedang",  # the tier of the last assessment
        "hadir 1 dari 1 sesi terlaksana",  # the programme's progress, by the attendance rule
        "Putus program",  # the programme ended here
        "Tidak hadir 3 sesi berturut-turut",  # the open follow-up
        "Rudi Hartono (Terdakwa dalam satu perkara)",  # the non-association
        "197001011990031001",
        "Tanah Grogot",  # the warden's NIP, the town of the signature
    ):
        assert expected in general, expected
    for secret in ("HIV", "Reaktif", "RSUD Panglima Sebaya", "F15.2", "Depresi", "ARV"):
        assert secret not in general, secret
    assert AccessLog.objects.filter(action="pdf.download", user=members[role]).exists()


@pytest.mark.parametrize("role", ["health", "counselor"])
def test_the_clinical_roles_get_the_clinical_version(
    client: Client, wahyu: Inmate, members: dict[str, Any], fed_html: list[str], role: str,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        transfer = services.inmate_transfer_outside(
            inmate=wahyu, by=members["staff"], **_service_fields()
        )
    clinical = fed_html[1]
    for expected in ("RAHASIA", "F15.2; Depresi sedang", "HIV Reaktif", "RSUD Panglima Sebaya"):
        assert expected in clinical, expected
    client.force_login(members[role])
    response = client.get(transfer.get_absolute_url())
    assert "klinis" in response["Content-Disposition"]
    with transfer.clinical_handover.open("rb") as handle:
        assert response.content == handle.read()  # the stored file, not a new layout


def test_a_stranger_cannot_open_the_hand_over(
    client: Client, wahyu: Inmate, members: dict[str, Any], stranger: Any
) -> None:
    transfer = services.inmate_transfer_outside(
        inmate=wahyu, by=members["staff"], **_service_fields()
    )
    client.force_login(stranger)
    assert client.get(transfer.get_absolute_url()).status_code == 404
    client.force_login(members["admin"])  # a member without a case reader's role
    assert client.get(transfer.get_absolute_url()).status_code == 403


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"upt_name": "Rutan Kelas IIB Tanah Grogot (uji)"}, "upt_name",
         "UPT tujuan sama dengan UPT asal."),
        ({"upt_name": "Rutan Kelas IIB Banjarnegara (uji)"}, "upt_name",
         "UPT ini memakai rehab: pilih dari daftar UPT tujuan di rehab."),
        ({"upt_name": ""}, "upt_name", "Tuliskan nama UPT tujuan."),
        ({"upt_town": " "}, "upt_town", "Tuliskan kota atau kabupaten UPT tujuan."),
        ({"upt_name": "L" * 151}, "upt_name", "paling banyak 150 karakter"),
        ({"on": "01-03-2026"}, "on", "Tanggal pindah sebelum tanggal masuk."),
        ({"on": "19-11-2030"}, "on", "Tanggal pindah tidak boleh di masa depan."),
        ({"destination": "mars"}, "destination", "Masukkan pilihan yang valid"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_beside_the_field_and_nothing_changes(
    staff_client: Client, wahyu: Inmate, facility_b: Any, fields: dict[str, str], field: str,
    message: str,
) -> None:  # fmt: skip
    response = send(staff_client, wahyu, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in text for text in errors.get(field, [])), errors
    assert not OutsideTransfer.objects.exists()
    assert Inmate.objects.get(pk=wahyu.pk).status == CustodyStatus.IN_CUSTODY
    assert Enrolment.objects.filter(inmate=wahyu, state="active").exists()


def test_the_transfer_inside_rehab_keeps_its_messages(
    staff_client: Client, wahyu: Inmate, facility_a: Any
) -> None:
    rehab = {"destination": "rehab", "on": "19-11-2026", "reason": "Kelebihan kapasitas"}
    unknown = staff_client.post(
        reverse("inmates:transfer", args=[wahyu.pk]), {**rehab, "to_facility": 999999}
    )
    assert "Masukkan pilihan yang valid" in " ".join(unknown.context["form"].errors["to_facility"])
    same = staff_client.post(
        reverse("inmates:transfer", args=[wahyu.pk]), {**rehab, "to_facility": facility_a.pk}
    )
    assert same.context["form"].errors["to_facility"]  # the origin is not in the list
    missing = staff_client.post(reverse("inmates:transfer", args=[wahyu.pk]), rehab)
    assert "Pilih UPT tujuan." in missing.context["form"].errors["to_facility"]
    assert not Transfer.objects.exists() and not OutsideTransfer.objects.exists()


def test_a_wbp_no_longer_in_custody_cannot_be_moved_out(
    wahyu: Inmate, members: dict[str, Any]
) -> None:
    services.inmate_transfer_outside(inmate=wahyu, by=members["staff"], **_service_fields())
    with pytest.raises(services.InvalidTransition, match="masih dalam tahanan"):
        services.inmate_transfer_outside(inmate=wahyu, by=members["staff"], **_service_fields())
    assert OutsideTransfer.objects.count() == 1


def _service_fields() -> dict[str, Any]:
    return {
        "upt_name": BALIKPAPAN["upt_name"], "upt_town": BALIKPAPAN["upt_town"],
        "upt_address": BALIKPAPAN["upt_address"], "on": datetime.date(2026, 11, 19),
        "reason": BALIKPAPAN["reason"], "letter_number": BALIKPAPAN["letter_number"],
    }  # fmt: skip


def test_the_stored_hand_over_costs_the_same_queries_whatever_the_case_holds(
    client: Client, wahyu: Inmate, members: dict[str, Any], facility_a: Any,
    django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        first = services.inmate_transfer_outside(
            inmate=wahyu, by=members["staff"], **_service_fields()
        )
        bare = services.inmate_transfer_outside(
            inmate=InmateFactory(facility=facility_a), by=members["staff"], **_service_fields()
        )
    client.force_login(members["staff"])
    client.get(first.get_absolute_url())  # the session's time zone is looked up once
    for transfer in (first, bare):
        # session, user, memberships, the transfer, the access-log row, the session saved
        with django_assert_num_queries(HANDOVER_QUERIES):
            assert client.get(transfer.get_absolute_url()).status_code == 200


HANDOVER_QUERIES = 8


def test_an_accepted_transfer_inside_rehab_also_releases_the_skills_places(
    wahyu: Inmate, members: dict[str, Any], facility_b: Any
) -> None:
    transfer = services.inmate_transfer(
        inmate=wahyu, by=members["staff"], to_facility=facility_b,
        on=datetime.date(2026, 11, 19), reason="Kelebihan kapasitas",
    )  # fmt: skip
    assert Trainee.objects.get(inmate=wahyu).state == "enrolled"  # until the destination accepts
    services.transfer_accept(transfer=transfer, by=members["staff"], registration_number="B/1")
    trainee = Trainee.objects.get(inmate=wahyu)
    assert (trainee.state, trainee.left_reason) == (
        "left", "Pindah ke Rutan Kelas IIB Banjarnegara (uji).",
    )  # fmt: skip
    assert Trainee.objects.get(inmate__full_name="Eko Prasetyo").state == "offered"
    assert dict(Enrolment.objects.filter(inmate=wahyu).values_list("state", "drop_reason")) == {
        "dropped_out": "transferred", "rejected": "",
    }  # fmt: skip
