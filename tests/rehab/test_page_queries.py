"""Every page of the route table costs the same number of queries with more data: for each
role of the facility, every GET page it may open is counted with a little data and again with
four times the cohorts, people, sessions, tests and attendance and four times the supervisor's
facilities. Each size is walked twice and the second walk counted: the first view of a month's
roll-up stores its summaries, and a page's first access-log row or first history entry adds a
query once (0 to 1), not once a row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programs.models import Enrolment
from rehab.access import PERMISSIONS
from tests.conftest import ROLES
from tests.factories import (
    CohortFactory,
    FacilityFactory,
    InmateFactory,
    MembershipFactory,
    ScreeningFactory,
    UrineTestFactory,
    held_sessions,
    signed_assessment,
)
from tests.routes import POST_ONLY, ROUTES, route_url

pytestmark = pytest.mark.django_db


def walk(client: Client, members: dict[str, Any], objects: dict[str, Any]) -> dict[str, int]:
    """The queries of every GET page each role may open, by "page as role"."""
    counts: dict[str, int] = {}
    for role in ROLES:
        if role not in members:
            continue
        client.force_login(members[role])
        client.get("/")  # the session's first page looks up its time zone
        for name, (kind, action) in sorted(ROUTES.items()):
            if name in POST_ONLY or kind == "public" or name == "logout":
                continue
            if action is not None and role not in PERMISSIONS[action]:
                continue
            with CaptureQueriesContext(connection) as captured:
                response = client.get(route_url(name, kind, objects))
            assert response.status_code in (200, 302), (name, role, response.status_code)
            counts[f"{name} as {role}"] = len(captured.captured_queries)
    return counts


def grow(members: dict[str, Any], facility: Any, cohorts: int, facilities: int) -> None:
    """More of what the pages list: cohorts of four participants with screenings, urine tests,
    held sessions and attendance, and facilities the supervisor oversees."""
    by = members["counselor"]
    for _ in range(cohorts):
        cohort = CohortFactory(facility=facility, created_by=by)
        for n in range(4):
            person = InmateFactory(facility=facility)
            ScreeningFactory(inmate=person)
            UrineTestFactory(inmate=person)
            enrolment = Enrolment.objects.create(
                facility=facility, inmate=person, track=cohort.track, cohort=cohort,
                assessment=signed_assessment(person), state="active",
            )  # fmt: skip
            held_sessions(enrolment, by, ["present", "absent"], first_day=1 + 2 * n)
    for _ in range(facilities):
        other = FacilityFactory()
        MembershipFactory(user=members["supervisor"], facility=other, role="supervisor")
        InmateFactory(facility=other)


def test_every_page_costs_the_same_queries_with_four_times_the_data(
    client: Client, members: dict[str, Any], route_objects: dict[str, Any], facility_a: Any
) -> None:
    grow(members, facility_a, cohorts=1, facilities=1)
    walk(client, members, route_objects)
    small = walk(client, members, route_objects)
    grow(members, facility_a, cohorts=3, facilities=3)
    walk(client, members, route_objects)
    large = walk(client, members, route_objects)

    assert len(small) > 350  # every role's pages, not a handful
    grew = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert grew == {}
