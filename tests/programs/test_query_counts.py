"""Pinned query counts of the programme lists and the case file: they do not grow with data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services as assessment_services
from programs.tiers import services
from tests.factories import (
    CohortFactory,
    HealthScreeningFactory,
    InmateFactory,
    ScreeningFactory,
    UrineTestFactory,
    signed_assessment,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 3, 1, 0, tzinfo=datetime.UTC)),
]


def grow(facility: Any, user: Any, n: int) -> Any:
    """n cohorts with a proposal each, and one WBP with n of every kind of record."""
    for _ in range(n):
        cohort = CohortFactory(facility=facility)
        inmate = InmateFactory(facility=facility)
        services.enrolment_propose(
            inmate=inmate,
            track=cohort.track,
            cohort=cohort,
            assessment=signed_assessment(inmate),
            by=user,
        )
    person = InmateFactory(facility=facility, full_name="Satu Orang")
    for _ in range(n):
        ScreeningFactory(inmate=person)
        UrineTestFactory(inmate=person).results.create(analyte="MET", result="negative")
        HealthScreeningFactory(inmate=person)
        assessment_services.screening_record(
            inmate=person, by=user, interviewed_on=datetime.date(2026, 10, 1),
            reference_period="last_3_months", answers={}, injection="no",
        )  # fmt: skip
    cohort = CohortFactory(facility=facility, capacity=50)
    for _ in range(n):
        # a history of enrolments: each dropped, the last one open
        e = services.enrolment_propose(
            inmate=person,
            track=cohort.track,
            cohort=cohort,
            assessment=signed_assessment(person),
            by=user,
        )
        services.enrolment_move(enrolment=e, to="rejected", by=user, reason="Belum waktunya")
    return person


PAGES = {
    # role, url name, expected queries
    "cohort_list": ("counselor", 8),
    "approvals": ("warden", 8),  # + the pairs to keep apart
    # + release plan section (3), skills section (1), the episode chain (1), transfers (1)
    "case_file": ("counselor", 24),  # + the coming blocks on the WBP's day
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_page_costs_the_same_queries_for_one_row_and_for_many(
    client: Client,
    members: dict[str, Any],
    facility_a: Any,
    django_assert_num_queries: Any,
    page: str,
) -> None:
    role, expected = PAGES[page]
    client.force_login(members[role])
    client.get(reverse("today"))  # the first request of a session looks up its time zone

    def url(person: Any) -> str:
        if page == "case_file":
            return person.get_absolute_url()
        return reverse(f"programs:{page}")

    person = grow(facility_a, members["counselor"], 1)
    with django_assert_num_queries(expected):
        assert client.get(url(person)).status_code == 200
    person = grow(facility_a, members["counselor"], 8)
    with django_assert_num_queries(expected):
        assert client.get(url(person)).status_code == 200
