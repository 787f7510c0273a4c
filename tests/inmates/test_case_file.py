"""The case file's release block and the chain of custody episodes of a re-admitted WBP."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates import services
from inmates.models import Inmate
from programs.models import Enrolment, EnrolmentState, ReleasePlan
from tests.factories import (
    CohortFactory,
    InmateFactory,
    MembershipFactory,
    release_plan_data,
    signed_assessment,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)),
]

NIK = "6401011705900001"
# Queries of the case file of a WBP admitted once, and what each other admission adds.
ALONE = 22  # + the transfers to and from this record, + the coming blocks on the WBP's day
PER_EPISODE = 10


class TestReleaseBlock:
    def test_the_plan_just_saved_shows_its_checklist_not_belum_dibuat(
        self, client: Client, facility_a: Any, members: dict[str, Any]
    ) -> None:
        inmate = InmateFactory(facility=facility_a, release_date=datetime.date(2027, 1, 10))
        client.force_login(members["staff"])
        url = reverse("programs:release_plan", args=[inmate.pk])
        assert client.post(url, release_plan_data()).status_code == 302
        page = client.get(inmate.get_absolute_url()).content.decode()
        assert "Belum dibuat" not in page
        assert "Belum ada rencana pembebasan" not in page
        assert "Rujukan BNNK pascarehabilitasi" in page
        assert "Kontak keluarga" in page
        assert url in page

    def test_without_a_plan_the_block_says_so_and_links_to_the_plan(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        inmate = InmateFactory(facility=facility_a, release_date=datetime.date(2027, 1, 10))
        page = staff_client.get(inmate.get_absolute_url()).content.decode()
        assert "Belum dibuat" in page
        assert "Rujukan BNNK pascarehabilitasi" not in page
        assert reverse("programs:release_plan", args=[inmate.pk]) in page

    def test_follow_ups_of_a_release_are_listed(
        self, staff_client: Client, facility_a: Any, members: dict[str, Any]
    ) -> None:
        inmate = InmateFactory(facility=facility_a, admission_date=datetime.date(2025, 1, 6))
        services.inmate_release(
            inmate=inmate, by=members["staff"], on=datetime.date(2026, 10, 5),
            kind="bebas_murni", reason="Bebas",
        )  # fmt: skip
        page = staff_client.get(inmate.get_absolute_url()).content.decode()
        assert "Pemantauan pascarehabilitasi bulan ke-1" in page
        assert "05/11/2026" in page  # due one month after the release


def _admitted_again(
    earlier: Inmate, by: Any, *, number: str, on: datetime.date, facility: Any = None
) -> Inmate:
    data = {
        "registration_number": number, "register_class": "B.I", "full_name": earlier.full_name,
        "nik": NIK, "sex": "L", "admission_date": on,
    }  # fmt: skip
    return services.inmate_create(facility=facility or earlier.facility, by=by, data=data)


def _release(inmate: Inmate, by: Any, on: datetime.date) -> None:
    services.inmate_release(inmate=inmate, by=by, on=on, kind="bebas_murni", reason="Bebas")


@pytest.fixture
def chain(facility_a: Any, members: dict[str, Any]) -> list[Inmate]:
    """Three admissions of one person: 2023, 2025 (with a completed programme) and 2026."""
    staff = members["staff"]
    first: Any = InmateFactory(
        facility=facility_a, nik=NIK, full_name="Rudi Hartono",
        registration_number="BI.0100/2023", admission_date=datetime.date(2023, 2, 1),
        expiry_date=None, release_date=None,
    )  # fmt: skip
    _release(first, staff, datetime.date(2024, 3, 1))
    second = _admitted_again(first, staff, number="BI.0200/2025", on=datetime.date(2025, 1, 6))
    cohort = CohortFactory(
        facility=facility_a, name="Angkatan Ringan Februari 2025",
        start_date=datetime.date(2025, 2, 3), end_date=datetime.date(2025, 2, 17),
    )  # fmt: skip
    Enrolment.objects.create(
        facility=facility_a, inmate=second, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(second), state=EnrolmentState.COMPLETED,
        started_on=datetime.date(2025, 2, 3), ended_on=datetime.date(2025, 2, 17),
    )  # fmt: skip
    _release(second, staff, datetime.date(2026, 1, 5))
    third = _admitted_again(second, staff, number="BI.0300/2026", on=datetime.date(2026, 11, 2))
    return [first, second, third]


class TestEpisodeChain:
    def test_a_re_admitted_wbp_shows_every_earlier_admission_with_its_programme_linked(
        self, staff_client: Client, chain: list[Inmate]
    ) -> None:
        first, second, third = chain
        assert third.previous_episode == second and second.previous_episode == first
        page = staff_client.get(third.get_absolute_url()).content.decode()
        assert "Episode penahanan" in page
        for earlier in (first, second):
            assert earlier.registration_number in page
            assert earlier.get_absolute_url() in page
        assert "Angkatan Ringan Februari 2025" in page
        enrolment = Enrolment.objects.get(inmate=second)
        assert enrolment.get_absolute_url() in page
        # Newest first: the 2025 admission before the 2023 one.
        assert page.index("BI.0200/2025") < page.index("BI.0100/2023")

    def test_an_earlier_admission_shows_the_later_ones_too(
        self, staff_client: Client, chain: list[Inmate]
    ) -> None:
        first, second, third = chain
        page = staff_client.get(first.get_absolute_url()).content.decode()
        assert third.get_absolute_url() in page and second.get_absolute_url() in page
        assert "Masuk kembali" in page

    def test_a_wbp_admitted_once_has_no_episode_block(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        inmate = InmateFactory(facility=facility_a)
        page = staff_client.get(inmate.get_absolute_url()).content.decode()
        assert "Episode penahanan" not in page

    def test_an_earlier_admission_in_a_facility_the_user_cannot_see_is_not_shown(
        self, client: Client, facility_a: Any, facility_b: Any, members: dict[str, Any]
    ) -> None:
        warden_b = MembershipFactory(facility=facility_b, role="staff").user
        earlier = InmateFactory(
            facility=facility_b, nik=NIK, registration_number="BI.0999/2024",
            admission_date=datetime.date(2024, 1, 8), expiry_date=None, release_date=None,
        )  # fmt: skip
        _release(earlier, warden_b, datetime.date(2025, 6, 2))
        again = _admitted_again(
            earlier, members["staff"], number="BI.0301/2026", on=datetime.date(2026, 11, 2),
            facility=facility_a,
        )  # fmt: skip
        assert again.previous_episode == earlier
        client.force_login(members["staff"])
        page = client.get(again.get_absolute_url()).content.decode()
        assert "BI.0999/2024" not in page
        assert earlier.get_absolute_url() not in page

    def test_the_case_file_costs_a_few_queries_per_admission_not_per_row(
        self,
        staff_client: Client,
        chain: list[Inmate],
        facility_a: Any,
        django_assert_num_queries: Any,
    ) -> None:
        first, _second, third = chain
        alone = InmateFactory(facility=facility_a)
        staff_client.get(alone.get_absolute_url())  # warm the session
        with django_assert_num_queries(ALONE):
            staff_client.get(alone.get_absolute_url())
        # two more walk steps, and the look for a programme left at a UPT it came from
        with django_assert_num_queries(ALONE + 2 * PER_EPISODE + 3):
            staff_client.get(third.get_absolute_url())
        # Many programmes on an earlier admission cost nothing more.
        cohort = CohortFactory(facility=facility_a)
        for _ in range(5):
            Enrolment.objects.create(
                facility=facility_a, inmate=first, track=cohort.track, cohort=cohort,
                assessment=signed_assessment(first), state=EnrolmentState.DROPPED_OUT,
            )  # fmt: skip
        with django_assert_num_queries(ALONE + 2 * PER_EPISODE + 3):
            staff_client.get(third.get_absolute_url())

    def test_the_plan_of_an_earlier_admission_stays_with_that_admission(
        self, staff_client: Client, chain: list[Inmate], members: dict[str, Any]
    ) -> None:
        _first, second, third = chain
        ReleasePlan.objects.create(
            facility=second.facility, inmate=second, bnnk_referral=True,
            updated_by=members["staff"],
        )  # fmt: skip
        page = staff_client.get(third.get_absolute_url()).content.decode()
        current, episodes = page.split('id="episodes-title"')
        assert "Rujukan BNNK pascarehabilitasi" not in current
        assert "Rujukan BNNK pascarehabilitasi" in episodes
        # The earlier release's follow-ups are shown with that admission.
        assert "Pemantauan pascarehabilitasi bulan ke-1" in episodes
        assert "Pemantauan pascarehabilitasi" not in current
