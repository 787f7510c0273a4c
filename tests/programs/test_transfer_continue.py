"""After a transfer the programme goes on: the origin's place ends as "Pindah UPT", and the
destination's counsellor continues it in a running cohort of the same tier (the sessions
attended at the origin count toward completion) or restarts it, with a reason."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates import services as inmates
from inmates.models import Inmate, Transfer
from programs import attendance
from programs.completion import services as completion
from programs.models import Cohort, Enrolment, Track
from tests.factories import (
    InmateFactory,
    MembershipFactory,
    UserFactory,
    held_sessions,
    signed_assessment,
)

pytestmark = pytest.mark.django_db


def track(tier: str, days: int) -> Track:
    return Track.objects.create(name=f"{tier.title()} {days} hari", tier=tier, duration_days=days)


def cohort_at(facility: Any, track: Track, by: Any, name: str) -> Cohort:
    start = datetime.date(2026, 11, 10)  # running on the 20th, the clock's day
    return Cohort.objects.create(
        facility=facility, track=track, name=name, start_date=start, capacity=10,
        end_date=start + datetime.timedelta(days=track.duration_days - 1), created_by=by,
    )  # fmt: skip


@pytest.fixture
def world(facility_a: Any, facility_b: Any, members: dict[str, Any]) -> dict[str, Any]:
    """A Sedang participant of facility A (4 of 5 sessions attended) handed over to B and
    accepted there; B runs a Sedang and a Ringan cohort."""
    sedang, ringan = track("sedang", 30), track("ringan", 15)
    wahyu = InmateFactory(facility=facility_a, full_name="Wahyu Hidayat")
    origin = Enrolment.objects.create(
        facility=facility_a, inmate=wahyu, track=sedang, state="active",
        cohort=cohort_at(facility_a, sedang, members["counselor"], "Sedang A"),
        assessment=signed_assessment(wahyu, final_tier="sedang"),
    )  # fmt: skip
    held_sessions(origin, members["counselor"], ["present"] * 4 + ["absent"], first_day=10)
    b = {
        role: MembershipFactory(user=UserFactory(username=f"{role}.b"), facility=facility_b,
                                role=role).user
        for role in ("staff", "counselor", "warden", "health")
    }  # fmt: skip
    transfer = inmates.inmate_transfer(
        inmate=wahyu, by=members["staff"], to_facility=facility_b,
        on=datetime.date(2026, 11, 15), reason="Kelebihan kapasitas",
    )  # fmt: skip
    received = inmates.transfer_accept(transfer=transfer, by=b["staff"], registration_number="B/1")
    return {
        "origin": Enrolment.objects.get(pk=origin.pk), "received": received, "b": b,
        "sedang_b": cohort_at(facility_b, sedang, b["counselor"], "Sedang B"),
        "ringan_b": cohort_at(facility_b, ringan, b["counselor"], "Ringan B"),
        "transfer": Transfer.objects.get(),
    }  # fmt: skip


def test_accepting_the_transfer_ends_the_origins_place_as_a_transfer(world: dict[str, Any]) -> None:
    origin = world["origin"]
    assert (origin.state, origin.drop_reason) == ("dropped_out", "transferred")
    assert origin.events.last().reason.startswith("Pindah ke Rutan Kelas IIB Banjarnegara")


def test_the_counsellor_continues_and_the_sessions_at_the_origin_count(
    client: Client, world: dict[str, Any]
) -> None:
    received: Inmate = world["received"]
    client.force_login(world["b"]["counselor"])
    page = client.get(received.get_absolute_url()).content.decode()
    assert "Program dari UPT asal: Sedang 30 hari" in page
    assert "hadir 4 dari 5 sesi terlaksana" in page

    response = client.post(
        reverse("programs:enrolment_continue", args=[received.pk]),
        {"cohort": world["sedang_b"].pk, "reason": "Melanjutkan sesuai asesmen UPT asal",
         "continue": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    here = Enrolment.objects.get(inmate=received)
    assert (here.state, here.continues, here.cohort) == ("proposed", world["origin"],
                                                         world["sedang_b"])  # fmt: skip
    assert here.events.get().reason.startswith("Melanjutkan program dari Rutan Kelas IIB Tanah")
    Enrolment.objects.filter(pk=here.pk).update(state="active")
    held_sessions(here, world["b"]["counselor"], ["present"], first_day=16)
    # 4 of 5 at the origin + 1 of 1 here: 5 of 6, 83,3% of the 80% required
    assert attendance.enrolment_tally(here).rate == 83.3
    assert completion.enrolment_gate(here).met
    assert "continue_form" not in (client.get(received.get_absolute_url()).context or {})


def test_restarting_begins_again_and_continuing_in_another_tier_is_refused(
    client: Client, world: dict[str, Any]
) -> None:
    received: Inmate = world["received"]
    url = reverse("programs:enrolment_continue", args=[received.pk])
    client.force_login(world["b"]["counselor"])
    response = client.post(
        url, {"cohort": world["ringan_b"].pk, "reason": "Asesmen", "continue": "1"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Melanjutkan hanya ke angkatan tingkat yang sama (Sedang)."
    ]
    assert not Enrolment.objects.filter(inmate=received).exists()
    empty = client.post(url, {"cohort": world["ringan_b"].pk, "reason": ""}, follow=True)
    assert [str(m) for m in empty.context["messages"]] == ["Bidang ini tidak boleh kosong."]

    client.post(url, {"cohort": world["ringan_b"].pk, "reason": "Asesmen ulang: ringan",
                      "restart": "1"})  # fmt: skip
    here = Enrolment.objects.get(inmate=received)
    assert (here.continues, here.track.tier) == (None, "ringan")
    assert attendance.enrolment_tally(here).marks == 0


def test_only_the_destinations_programme_roles_may_continue(
    client: Client, world: dict[str, Any], members: dict[str, Any]
) -> None:
    url = reverse("programs:enrolment_continue", args=[world["received"].pk])
    data = {"cohort": world["sedang_b"].pk, "reason": "x", "continue": "1"}
    client.force_login(world["b"]["health"])
    assert client.post(url, data).status_code == 403
    client.force_login(members["counselor"])  # the origin's counsellor
    assert client.post(url, data).status_code == 404
    assert not Enrolment.objects.filter(inmate=world["received"]).exists()
