"""The today page: what each role sees, at a query count that does not grow with the data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services as assessment_services
from programs.models import Aftercare, FollowUp
from programs.tiers import services as programme_services
from tests.factories import AssessmentFactory, CohortFactory, CredentialFactory, InmateFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC)),
]


def add_cases(facility: Any, user: Any, n: int) -> None:
    """n WBP releasing soon, each with a review due, a proposal, a session today and a follow-up;
    n released WBP with a post-release follow-up overdue."""
    signer = CredentialFactory(user=user).user
    cohort = CohortFactory(
        facility=facility, capacity=n, start_date=datetime.date(2026, 11, 16),
        end_date=datetime.date(2026, 11, 30),
    )  # fmt: skip
    programme_services.schedule_generate(
        cohort=cohort,
        by=user,
        weekdays=[0],
        start=datetime.time(9),
        end=datetime.time(11),
        kind="group",
    )
    for _ in range(n):
        inmate = InmateFactory(facility=facility, release_date=datetime.date(2026, 12, 1))
        # Proposed, not placed: the programme counts from the assessment, midpoint on the 16th.
        draft = AssessmentFactory(
            inmate=inmate, final_tier="ringan", assessed_on=datetime.date(2026, 11, 9)
        )
        assessment = assessment_services.assessment_sign(assessment=draft, by=signer)
        enrolment = programme_services.enrolment_propose(
            inmate=inmate, track=cohort.track, cohort=cohort, assessment=assessment, by=user
        )
        FollowUp.objects.create(facility=facility, enrolment=enrolment, reason="Tidak hadir 3 sesi")
        released = InmateFactory(facility=facility, status="released")
        Aftercare.objects.create(
            facility=facility, inmate=released, month=1, due_on=datetime.date(2026, 11, 20)
        )


# session, user, memberships, session save (3), then each section the role has (the warden's
# includes the clinical roles administrators gave themselves: one query; the pending tier
# changes: one query; the schedule changes: sessions and meetings, two; the clinical roles'
# re-assessments four: assessments, enrolments, positive urine tests, moves; the transfers: one;
# the supervisor's stored summaries instead of the custody counts: which are fresh, this month's
# sums and last month's)
QUERIES = {"counselor": 24, "staff": 18, "warden": 14, "supervisor": 12, "health": 16}


@pytest.mark.parametrize("role", sorted(QUERIES))
def test_the_today_page_query_count_does_not_grow_with_the_data(
    client: Client,
    members: dict[str, Any],
    facility_a: Any,
    django_assert_num_queries: Any,
    role: str,
) -> None:
    client.force_login(members[role])
    client.get(reverse("today"))  # the first request of a session looks up its time zone
    add_cases(facility_a, members["counselor"], 1)
    with django_assert_num_queries(QUERIES[role]):
        client.get(reverse("today"))
    add_cases(facility_a, members["counselor"], 12)
    with django_assert_num_queries(QUERIES[role]):
        page = client.get(reverse("today")).content.decode()
    assert "Hari ini" in page


def test_each_role_sees_its_own_work(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    add_cases(facility_a, members["counselor"], 2)
    client.force_login(members["counselor"])
    page = client.get(reverse("today")).content.decode()
    assert "Sesi hari ini" in page and "Tindak lanjut ketidakhadiran" in page
    assert "Asesmen ulang jatuh tempo" in page
    assert "Pemantauan pascarehabilitasi jatuh tempo" in page and "terlambat" in page
    client.force_login(members["warden"])
    page = client.get(reverse("today")).content.decode()
    assert "2 usulan penempatan menunggu persetujuan" in page
    assert "Sesi hari ini" not in page
    client.force_login(members["staff"])
    page = client.get(reverse("today")).content.decode()
    assert "Bebas dalam 90 hari" in page and "daftar periksa 0/7" in page
    assert "Peserta program yang bebas dalam 30 hari" in page
    assert "WBP baru yang belum diskrining" in page
