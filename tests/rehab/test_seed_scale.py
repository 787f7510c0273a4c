"""The national fixture command: every table filled, one facility far larger than the rest,
valid records, and a national supervisor who sees every facility."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AssistScreening, SubstanceAnswer
from inmates.models import CustodyEvent, Inmate
from programs.models import (
    Aftercare,
    Attendance,
    Cohort,
    Course,
    CourseAttendance,
    Enrolment,
    EnrolmentState,
    FollowUp,
    ReleasePlan,
    Session,
    SessionStatus,
    Trainee,
)
from rehab import access, scale
from rehab.demo import DEMO_PASSWORD
from rehab.models import AccessLog, AuditEntry, Facility, Membership, Role, TimeZoneName

FILLED = [
    Inmate, CustodyEvent, AssistScreening, SubstanceAnswer, Assessment, Cohort, Enrolment,
    Session, Attendance, FollowUp, Course, Trainee, CourseAttendance, ReleasePlan, Aftercare,
    AuditEntry, AccessLog,
]  # fmt: skip


@pytest.fixture(autouse=True)
def catalogue(db: Any) -> None:
    """The programme catalogue the migration loads (a transactional test before this one may
    have flushed it): the fixture places people in its tracks."""
    importlib.import_module("programs.migrations.0002_default_catalogue").forwards(
        django_apps, None
    )


@pytest.fixture
def seeded(db: Any) -> str:
    out = StringIO()
    call_command("seed_scale", "--facilities", "5", "--wbp", "500", stdout=out)
    return out.getvalue()


def test_the_small_fixture_fills_every_table_and_says_how_many(seeded: str) -> None:
    assert Facility.objects.filter(active=True).count() == 5
    # Transfers go to the one inactive Lapas.
    assert Facility.objects.filter(active=False).count() == 1
    assert Inmate.objects.count() == 500
    for model in FILLED:
        count = model._default_manager.count()
        assert count > 0, model.__name__
        assert f"{count:,}" in seeded, model.__name__
    # Every screening carries the answers of all ten ASSIST substances.
    assert SubstanceAnswer.objects.count() == 10 * AssistScreening.objects.count()
    assert "supervisor.nasional" in seeded and DEMO_PASSWORD in seeded


def test_one_facility_is_far_larger_than_the_others(seeded: str) -> None:
    per_facility = sorted(
        Facility.objects.filter(active=True)
        .annotate(n=Count("inmates"))
        .values_list("n", flat=True),
        reverse=True,
    )
    assert sum(per_facility) == 500
    assert per_facility[0] > per_facility[1]
    assert per_facility[-1] > 0
    # The full size: 4,000 in the largest of 300,000, a long tail that still has people.
    full = scale.sizes(530, 300000)
    assert full[0] == 4000 and sum(full) == 300000
    assert max(full[1:]) <= 2000 and min(full) >= 20


def test_the_fixture_spans_provinces_and_time_zones() -> None:
    assert len(scale.PROVINCES) == 34
    assert {tz for _p, _c, tz in scale.PROVINCES} == {
        TimeZoneName.WIB,
        TimeZoneName.WITA,
        TimeZoneName.WIT,
    }


def test_the_national_supervisor_sees_every_facility(
    seeded: str, client: Client, rf: RequestFactory
) -> None:
    supervisor = authenticate(rf.post("/"), username=scale.SUPERVISOR, password=DEMO_PASSWORD)
    assert supervisor is not None
    assert Membership.objects.filter(user=supervisor, role=Role.SUPERVISOR).count() == 5
    assert set(access.facility_ids_for(supervisor, "inmate.view")) == set(
        Facility.objects.filter(active=True).values_list("id", flat=True)
    )
    client.force_login(supervisor)
    response = client.get(reverse("reports:rollup"))
    assert response.status_code == 200
    for facility in Facility.objects.filter(active=True):
        assert facility.name in response.content.decode()


def test_records_keep_the_rules_the_services_keep(seeded: str) -> None:
    now = timezone.now()
    # Attendance only of held sessions, only of people still in the programme that day.
    assert not Attendance.objects.exclude(session__status=SessionStatus.HELD).exists()
    for row in Attendance.objects.select_related("session", "enrolment")[:500]:
        ended = row.enrolment.ended_on
        assert ended is None or ended >= row.session.starts_at.date()
    assert not Session.objects.filter(status=SessionStatus.HELD, starts_at__gte=now).exists()
    # Drop reasons only on drop-outs; completions only of cohorts that have ended.
    assert (
        not Enrolment.objects.exclude(state=EnrolmentState.DROPPED_OUT)
        .exclude(drop_reason="")
        .exists()
    )
    for e in Enrolment.objects.filter(state=EnrolmentState.COMPLETED).select_related("cohort")[
        :200
    ]:
        assert e.cohort is not None and e.cohort.end_date < now.date()
    # Recorded after it happened, never in the future.
    for inmate in Inmate.objects.all()[:200]:
        assert inmate.created_at.date() > inmate.admission_date
    for model, field in (
        (AuditEntry, "created_at"),
        (AccessLog, "created_at"),
        (Attendance, "recorded_at"),
    ):
        assert not model._default_manager.filter(**{f"{field}__gt": now}).exists(), model.__name__
    assert AuditEntry.objects.dates("created_at", "month").count() >= 12


def test_the_largest_facility_is_the_same_alone_as_in_the_country(db: Any) -> None:
    national = _seeded_and_undone(3, 300)
    assert _seeded_and_undone(1, national["wbp"]) == national


class _Undo(Exception):
    pass


def _seeded_and_undone(facilities: int, wbp: int) -> dict[str, Any]:
    """Seed, read the largest facility, and roll the seeding back (a savepoint)."""
    found: dict[str, Any] = {}
    try:
        with transaction.atomic():
            call_command(
                "seed_scale", "--facilities", str(facilities), "--wbp", str(wbp), stdout=StringIO()
            )
            found.update(_largest())
            raise _Undo
    except _Undo:
        pass
    return found


def _largest() -> dict[str, Any]:
    facility = Facility.objects.get(code=f"{scale.CODE_PREFIX}000")
    inmates = Inmate.objects.filter(facility=facility)
    return {
        "wbp": inmates.count(),
        "names": list(inmates.order_by("registration_number").values_list("full_name", "status")),
        "screenings": AssistScreening.objects.filter(facility=facility).count(),
        "enrolments": list(
            Enrolment.objects.filter(facility=facility)
            .order_by("id")
            .values_list("state", flat=True)
        ),
        "attendance": Attendance.objects.filter(session__facility=facility).count(),
    }


def test_a_second_run_is_refused(seeded: str) -> None:
    with pytest.raises(CommandError, match="already has a fixture"):
        call_command("seed_scale", "--facilities", "5", "--wbp", "500", stdout=StringIO())
