"""A print or export over many facilities logs each of them in one INSERT: the same number
of queries for a supervisor of one facility as for a supervisor of many."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rehab.models import AccessLog
from tests.factories import (
    CohortFactory,
    FacilityFactory,
    InmateFactory,
    MembershipFactory,
    UserFactory,
)

PAGES = [
    "inmates:list_export",
    "inmates:list_print",
    "programs:cohort_list_export",
    "programs:cohort_list_print",
]


def supervisor_of(count: int) -> Any:
    user = UserFactory()
    for _ in range(count):
        facility = FacilityFactory()
        MembershipFactory(user=user, facility=facility, role="supervisor")
        InmateFactory(facility=facility)
        CohortFactory(facility=facility, created_by=user)
    return user


def queries_of(client: Client, user: Any, name: str) -> int:
    client.force_login(user)
    client.get(reverse(name))  # the session and caches warm, as on a second request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_a_national_print_or_export_costs_the_queries_of_one_facility(
    client: Client, db: Any, name: str
) -> None:
    one, many = supervisor_of(1), supervisor_of(6)
    assert queries_of(client, many, name) == queries_of(client, one, name)


def test_the_national_export_still_logs_every_facility_whose_wbp_it_holds(
    client: Client, db: Any
) -> None:
    user = supervisor_of(6)
    client.force_login(user)
    assert client.get(reverse("inmates:list_export")).status_code == 200
    logged = AccessLog.objects.filter(user=user, action="inmate.list.xlsx")
    assert logged.count() == 6
    assert all(row.detail.startswith("1 WBP") for row in logged)
