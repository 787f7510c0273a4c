"""WBP to keep apart (non-associations): recorded by staff or the warden with a reason only they
see; proposing one of a pair into the other's cohort warns the counselor and the warden, and the
schedule preview names the pair."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Cohort, NonAssociation
from programs.scheduling import services as scheduling
from programs.tiers import services
from rehab.models import AuditEntry
from tests.factories import CohortFactory, InmateFactory, signed_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-20T10:00+08:00")]
REASON = "Satu berkas perkara 45/Pid.Sus/2026"


@pytest.fixture
def pair(facility_a: Any) -> tuple[Any, Any]:
    return (
        InmateFactory(facility=facility_a, full_name="Andi Wijaya", registration_number="BI.1/26"),
        InmateFactory(facility=facility_a, full_name="Bayu Saputra", registration_number="BI.2/26"),
    )


@pytest.fixture
def kept(pair: tuple[Any, Any], members: dict[str, Any]) -> NonAssociation:
    return scheduling.separation_create(
        first=pair[0], second=pair[1], by=members["staff"], reason=REASON
    )


def test_staff_record_a_pair_by_registration_number_and_both_histories_name_it(
    client: Client, members: dict[str, Any], pair: tuple[Any, Any]
) -> None:
    client.force_login(members["staff"])
    response = client.post(
        reverse("programs:separation_create"),
        {"facility": pair[0].facility_id, "first": "bi.1/26", "second": "BI.2/26",
         "reason": REASON},
    )  # fmt: skip
    assert response["Location"] == reverse("programs:separation_list")
    kept = NonAssociation.objects.get()
    assert (kept.first, kept.second, kept.reason) == (pair[0], pair[1], REASON)
    page = client.get(response["Location"]).content.decode()
    assert "Andi Wijaya" in page and "Bayu Saputra" in page and REASON in page
    entries = AuditEntry.objects.filter(action="programs.separation.created")
    assert {e.target_id for e in entries} == {pair[0].pk, pair[1].pk}
    assert all(REASON not in e.summary for e in entries)  # the reason is not in the history


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"second": "BI.9/26"}, "second", "Tidak ada WBP dalam tahanan dengan nomor registrasi"),
        ({"second": "BI.1/26"}, "second", "Pilih dua WBP yang berbeda."),
        ({"reason": ""}, "reason", "Tuliskan alasan mereka harus dipisah."),
        ({"reason": "x" * 256}, "reason", "paling banyak 255 karakter"),
    ],
)
def test_bad_input_is_named_beside_the_field_and_nothing_is_saved(
    client: Client,
    members: dict[str, Any],
    pair: tuple[Any, Any],
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    client.force_login(members["warden"])
    data = {"facility": pair[0].facility_id, "first": "BI.1/26", "second": "BI.2/26",
            "reason": REASON, **change}  # fmt: skip
    response = client.post(reverse("programs:separation_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not NonAssociation.objects.exists()


def test_a_pair_already_kept_apart_is_refused_either_way_round(
    kept: NonAssociation, pair: tuple[Any, Any], members: dict[str, Any]
) -> None:
    with pytest.raises(scheduling.ScheduleRefused, match="sudah tercatat"):
        scheduling.separation_create(
            first=pair[1], second=pair[0], by=members["staff"], reason="lagi"
        )


def propose(cohort: Cohort, inmate: Any, by: Any) -> Any:
    return services.enrolment_propose(
        inmate=inmate, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(inmate, final_tier="ringan"), by=by,
    )  # fmt: skip


def test_proposing_one_of_a_pair_into_the_others_cohort_warns_counselor_and_warden(
    client: Client, members: dict[str, Any], kept: NonAssociation, pair: tuple[Any, Any]
) -> None:
    cohort = CohortFactory(facility=pair[0].facility, track__tier="ringan")
    first = propose(cohort, pair[0], members["counselor"])
    services.enrolment_move(enrolment=first, to="placed", by=members["warden"], reason="Setuju")
    signed_assessment(pair[1], final_tier="ringan")
    client.force_login(members["counselor"])
    url = reverse("programs:cohort_enrol", args=[cohort.pk])
    page = client.get(url).content.decode()
    warning = "Harus dipisah dari Andi Wijaya di angkatan ini: Kepala Rutan yang memutuskan."
    assert warning in page
    assert REASON not in page  # the counselor never sees why
    candidate = response_assessment(client, url, pair[1])
    done = client.post(url, {"assessment": [candidate]}, follow=True).content.decode()
    both = "WBP yang harus dipisah kini sama-sama di angkatan ini: Andi Wijaya dan Bayu Saputra"
    assert both in done
    client.force_login(members["warden"])
    approvals = client.get(reverse("programs:approvals")).content.decode()
    assert "Harus dipisah dari Andi Wijaya di angkatan ini" in approvals
    assert REASON not in approvals


def response_assessment(client: Client, url: str, inmate: Any) -> int:
    response = client.get(url)
    return next(c["assessment"].pk for c in response.context["candidates"] if c["inmate"] == inmate)


def test_the_schedule_preview_names_the_pair_and_an_ended_pair_no_longer_warns(
    client: Client, members: dict[str, Any], kept: NonAssociation, pair: tuple[Any, Any]
) -> None:
    cohort = CohortFactory(
        facility=pair[0].facility, track__tier="ringan", start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2026, 12, 7),
    )  # fmt: skip
    for inmate in pair:
        propose(cohort, inmate, members["counselor"])
    client.force_login(members["counselor"])
    url = reverse("programs:schedule", args=[cohort.pk])
    pattern = {"weekdays": ["0"], "start": "09:00", "end": "11:00", "kind": "group"}
    page = client.post(url, pattern).content.decode()
    assert "WBP yang harus dipisah ada di angkatan ini: Andi Wijaya dan Bayu Saputra" in page
    client.force_login(members["warden"])
    end = reverse("programs:separation_end", args=[kept.pk])
    client.post(end, {"reason": ""})
    kept.refresh_from_db()
    assert kept.ended_at is None  # no reason, not ended
    client.post(end, {"reason": "Bayu dipindah ke Lapas Balikpapan"})
    kept.refresh_from_db()
    assert kept.end_reason == "Bayu dipindah ke Lapas Balikpapan"
    client.force_login(members["counselor"])
    assert "harus dipisah" not in client.post(url, pattern).content.decode()


def test_the_list_costs_the_same_queries_for_one_pair_and_for_many(
    client: Client, members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(members["staff"])
    client.get(reverse("today"))  # the first request of a session looks up its time zone
    url = reverse("programs:separation_list")
    by = members["staff"]

    def add() -> None:
        scheduling.separation_create(
            first=InmateFactory(facility=facility_a), second=InmateFactory(facility=facility_a),
            by=by, reason=REASON,
        )  # fmt: skip

    add()
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    for _ in range(8):
        add()
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
