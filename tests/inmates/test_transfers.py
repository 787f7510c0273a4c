"""A WBP handed over between two UPT in rehab: recorded at the origin, waiting on the
destination's today page with a summary, accepted as a new linked record or refused with a
reason, once only; health results never travel."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates import services
from inmates.models import CustodyStatus, Inmate, Transfer
from programs.models import Enrolment, FollowUp
from programs.scheduling.services import separation_create
from rehab.models import AuditEntry
from tests.factories import (
    CohortFactory,
    HealthScreeningFactory,
    InmateFactory,
    MembershipFactory,
    UserFactory,
    attended_in_full,
    signed_assessment,
)
from tests.routes import POST_ONLY, ROUTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def origin(members: dict[str, Any]) -> Client:
    """Staff of facility A, the origin, in a browser of their own."""
    browser = Client()
    browser.force_login(members["staff"])
    return browser


@pytest.fixture
def receiving(facility_b: Any) -> dict[str, Any]:
    """Staff and a supervisor-less warden of facility B, the destination."""
    return {
        role: MembershipFactory(
            user=UserFactory(username=f"{role}.b"), facility=facility_b, role=role
        ).user
        for role in ("staff", "warden", "counselor")
    }


@pytest.fixture
def wahyu(facility_a: Any, members: dict[str, Any]) -> Inmate:
    """A WBP of facility A in an active programme, with a reactive HIV test on record."""
    inmate = InmateFactory(
        facility=facility_a, full_name="Wahyu Hidayat", registration_number="BI.2001/2026",
        admission_date=datetime.date(2026, 3, 2),
    )  # fmt: skip
    cohort = CohortFactory(facility=facility_a, created_by=members["counselor"])
    enrolment = Enrolment.objects.create(
        facility=facility_a, inmate=inmate, track=cohort.track, cohort=cohort, state="active",
        assessment=signed_assessment(inmate, final_tier="sedang"),
    )  # fmt: skip
    attended_in_full(enrolment, members["counselor"])
    HealthScreeningFactory(inmate=inmate, hiv="reactive", notes="HIV reaktif, ARV")
    return inmate


def send(client: Client, inmate: Inmate, to: Any, **fields: str) -> Any:
    data = {"to_facility": to.pk, "on": "19-11-2026", "reason": "Kelebihan kapasitas",
            "letter_number": "W.17-PK.01.01-123", **fields}  # fmt: skip
    return client.post(reverse("inmates:transfer", args=[inmate.pk]), data)


def test_the_destination_sees_the_hand_over_accepts_it_once_and_gets_a_linked_record(
    client: Client, origin: Client, wahyu: Inmate, facility_b: Any,
    receiving: dict[str, Any], members: dict[str, Any], django_assert_num_queries: Any,
) -> None:  # fmt: skip
    FollowUp.objects.create(
        facility=wahyu.facility, enrolment=Enrolment.objects.get(inmate=wahyu),
        reason="Tiga kali tidak hadir berturut-turut",
    )  # fmt: skip
    rival = InmateFactory(facility=wahyu.facility, full_name="Anton Saputra")
    separation_create(
        first=wahyu, second=rival, by=members["staff"], reason="Terdakwa dalam satu perkara"
    )
    assert send(origin, wahyu, facility_b).status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.state, transfer.facility, transfer.letter_number) == (
        "pending", facility_b, "W.17-PK.01.01-123",
    )  # fmt: skip
    assert Inmate.objects.get(pk=wahyu.pk).status == CustodyStatus.TRANSFERRED
    assert "menunggu penerimaan" in origin.get(reverse("today")).content.decode()

    client.force_login(receiving["staff"])
    today = client.get(reverse("today")).content.decode()
    assert "Wahyu Hidayat" in today and transfer.get_absolute_url() in today
    client.get(transfer.get_absolute_url())  # the session's time zone is looked up once
    with django_assert_num_queries(TRANSFER_PAGE_QUERIES):
        page = client.get(transfer.get_absolute_url()).content.decode()
    assert "Kelebihan kapasitas" in page and "BI.2001/2026" in page
    assert "hadir 1 dari 1 sesi terlaksana" in page  # the programme travels as a summary
    assert "Tingkat Sedang" in page
    assert "Tiga kali tidak hadir berturut-turut" in page  # the open follow-up
    assert "Anton Saputra (Terdakwa dalam satu perkara)" in page  # kept apart, and why
    assert "HIV" not in page and "ARV" not in page  # health results never do

    response = client.post(
        reverse("inmates:transfer_accept", args=[transfer.pk]),
        {"registration_number": "BI.0900/2026", "block": "C", "cell": "3"},
    )
    received = Inmate.objects.get(facility=facility_b, registration_number="BI.0900/2026")
    assert response.status_code == 302 and response["Location"] == received.get_absolute_url()
    assert (received.full_name, received.admission_date, received.previous_episode) == (
        "Wahyu Hidayat", datetime.date(2026, 11, 19), wahyu,
    )  # fmt: skip
    assert received.custody_events.get().reason == "Pindahan dari UPT lain"
    assert "Pindahan dari Rutan Kelas IIB Tanah Grogot (uji)" in (
        client.get(received.get_absolute_url()).content.decode()
    )
    assert AuditEntry.objects.filter(action="inmates.transfer.accepted").count() == 2
    # the origin keeps its record, now only history, and reads the outcome on it
    assert Inmate.objects.get(pk=wahyu.pk).status == CustodyStatus.TRANSFERRED
    assert "Diterima" in origin.get(wahyu.get_absolute_url()).content.decode()
    # a second acceptance (another tab) is refused, nothing more is created
    again = client.post(
        reverse("inmates:transfer_accept", args=[transfer.pk]),
        {"registration_number": "BI.0901/2026"},
    )
    assert "Pemindahan ini sudah diputuskan: Diterima." in again.content.decode()
    assert Inmate.objects.filter(facility=facility_b, full_name="Wahyu Hidayat").count() == 1


TRANSFER_PAGE_QUERIES = 14  # with the open follow-ups and the non-associations


def test_a_registration_number_taken_at_the_destination_is_refused_beside_the_field(
    client: Client, origin: Client, wahyu: Inmate, facility_b: Any,
    receiving: dict[str, Any],
) -> None:  # fmt: skip
    InmateFactory(facility=facility_b, registration_number="BI.0900/2026")
    send(origin, wahyu, facility_b)
    transfer = Transfer.objects.get()
    client.force_login(receiving["staff"])
    response = client.post(
        reverse("inmates:transfer_accept", args=[transfer.pk]),
        {"registration_number": "BI.0900/2026", "block": "C"},
    )
    assert response.context["accept_form"].errors["registration_number"] == [
        "Nomor registrasi ini sudah dipakai di UPT ini."
    ]
    assert 'value="C"' in response.content.decode()  # what was typed stays
    assert Transfer.objects.get().state == "pending"


def test_a_refusal_needs_a_reason_and_puts_the_wbp_back_in_custody_at_the_origin(
    client: Client, origin: Client, wahyu: Inmate, facility_b: Any,
    receiving: dict[str, Any],
) -> None:  # fmt: skip
    send(origin, wahyu, facility_b)
    transfer = Transfer.objects.get()
    client.force_login(receiving["warden"])
    url = reverse("inmates:transfer_refuse", args=[transfer.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.context["refuse_form"].errors["reason"] == ["Bidang ini tidak boleh kosong."]
    assert Transfer.objects.get().state == "pending"
    assert client.post(url, {"reason": "Blok narkotika penuh"}).status_code == 302
    assert Transfer.objects.get().state == "refused"
    assert Inmate.objects.get(pk=wahyu.pk).status == CustodyStatus.IN_CUSTODY
    page = origin.get(wahyu.get_absolute_url()).content.decode()
    assert "Ditolak" in page and "Blok narkotika penuh" in page


def test_only_staff_and_the_warden_of_the_destination_decide(
    client: Client, origin: Client, wahyu: Inmate, facility_b: Any,
    receiving: dict[str, Any],
) -> None:  # fmt: skip
    send(origin, wahyu, facility_b)
    transfer = Transfer.objects.get()
    accept = reverse("inmates:transfer_accept", args=[transfer.pk])
    client.force_login(receiving["counselor"])
    assert client.get(transfer.get_absolute_url()).status_code == 200  # may read it
    assert client.post(accept, {"registration_number": "X/1"}).status_code == 403
    # the origin's staff do not own the incoming side
    assert origin.get(transfer.get_absolute_url()).status_code == 404
    assert origin.post(accept, {"registration_number": "X/1"}).status_code == 404
    assert Transfer.objects.get().state == "pending"


def test_a_transfer_to_the_same_facility_or_before_admission_is_refused(
    wahyu: Inmate, facility_a: Any, facility_b: Any, members: dict[str, Any]
) -> None:
    with pytest.raises(services.InvalidTransition, match=r"UPT tujuan sama dengan UPT asal\."):
        services.inmate_transfer(inmate=wahyu, by=members["staff"], to_facility=facility_a,
                                 on=datetime.date(2026, 11, 19), reason="x")  # fmt: skip
    with pytest.raises(services.InvalidTransition, match="sebelum tanggal masuk"):
        services.inmate_transfer(inmate=wahyu, by=members["staff"], to_facility=facility_b,
                                 on=datetime.date(2026, 3, 1), reason="x")  # fmt: skip
    assert not Transfer.objects.exists()
    assert Inmate.objects.get(pk=wahyu.pk).status == CustodyStatus.IN_CUSTODY


@pytest.mark.parametrize("when", ["before", "after"])
def test_no_url_crosses_the_two_facilities_before_or_after_acceptance(
    client: Client, wahyu: Inmate, facility_b: Any, members: dict[str, Any],
    receiving: dict[str, Any], when: str,
) -> None:  # fmt: skip
    """Every WBP-record URL of the route table, for every role of both facilities: the origin's
    record is the origin's and the received one the destination's, before and after."""
    transfer = services.inmate_transfer(
        inmate=wahyu, by=members["staff"], to_facility=facility_b,
        on=datetime.date(2026, 11, 19), reason="Kelebihan kapasitas",
    )  # fmt: skip
    received = None
    if when == "after":
        received = services.transfer_accept(
            transfer=transfer, by=receiving["staff"], registration_number="B/9"
        )
    inmate_routes = [name for name, (kind, _a) in ROUTES.items() if kind == "inmate"]
    leaks = []
    for user in [*members.values(), *receiving.values()]:
        client.force_login(user)
        in_b = user in receiving.values()
        records = [(wahyu, not in_b)] + ([(received, in_b)] if received else [])
        for record, own in records:
            for name in inmate_routes:
                method = "post" if name in POST_ONLY else "get"
                status = getattr(client, method)(reverse(name, args=[record.pk])).status_code
                if not own and status != 404:
                    leaks.append((user.username, name, record.facility.code, status))
        detail = client.get(transfer.get_absolute_url()).status_code
        if not in_b and detail != 404:
            leaks.append((user.username, "inmates:transfer_detail", "b", detail))
    assert leaks == []
