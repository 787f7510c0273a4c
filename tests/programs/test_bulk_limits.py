"""Bulk screens (attendance of a session or a meeting, cohort and course enrolment, approvals)
answer 400 to a request with more fields than the largest legitimate form, and save nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from programs.models import Attendance, CourseAttendance, Enrolment, Trainee

pytestmark = pytest.mark.django_db

BULK_ROUTES = [
    ("programs:session_detail", "session", "counselor", "mark-{n}"),
    ("programs:meeting_detail", "meeting", "staff", "mark-{n}"),
    ("programs:cohort_enrol", "cohort", "counselor", "assessment"),
    ("programs:course_enrol", "course", "staff", "inmate"),
    ("programs:approvals", None, "warden", "enrolment"),
]


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Attendance, CourseAttendance, Enrolment, Trainee))


@pytest.mark.parametrize(("name", "kind", "role", "field"), BULK_ROUTES)
def test_a_post_with_more_fields_than_the_limit_is_answered_400_and_saves_nothing(
    client: Client,
    route_objects: dict[str, Any],
    members: dict[str, Any],
    name: str,
    kind: str | None,
    role: str,
    field: str,
) -> None:
    client.force_login(members[role])
    args = [route_objects[kind]["own"].pk] if kind else []
    many = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    body = "&".join(f"{field.format(n=n)}={n}" for n in range(many)) + "&version=1"
    before = counts()
    started = time.perf_counter()
    response = client.post(
        reverse(name, args=args), body, content_type="application/x-www-form-urlencoded"
    )
    assert time.perf_counter() - started < 5
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize(("name", "kind", "role", "field"), BULK_ROUTES[2:])
def test_picking_more_rows_than_a_roster_holds_is_refused_with_a_message(
    client: Client,
    route_objects: dict[str, Any],
    members: dict[str, Any],
    settings: Any,
    name: str,
    kind: str | None,
    role: str,
    field: str,
) -> None:
    settings.MAX_ROSTER = 3
    client.force_login(members[role])
    args = [route_objects[kind]["own"].pk] if kind else []
    before = counts()
    response = client.post(
        reverse(name, args=args), {field: ["1", "2", "3", "4"], "decision": "approve"}, follow=True
    )
    assert "Paling banyak 3 WBP sekaligus." in response.content.decode()
    assert counts() == before
