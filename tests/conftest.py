"""Fixed personas: a member of facility A in each role, a member of facility B, a stranger.

Like healthchecks' alice/bob/charlie: every view test also tries the user who must not get in.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from inmates.models import ImportBatch
from programs.models import Enrolment, ProgressNote, Session
from rehab.models import Facility, Role
from tests.factories import (
    AssessmentFactory,
    CohortFactory,
    FacilityFactory,
    HealthScreeningFactory,
    InmateFactory,
    MembershipFactory,
    ScreeningFactory,
    UrineTestFactory,
    UserFactory,
)

ROLES = [r.value for r in Role]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Hashing is slow on purpose; tests create many users and don't test the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def facility_a(db: Any) -> Facility:
    return FacilityFactory(
        code="grogot-uji", name="Rutan Kelas IIB Tanah Grogot (uji)", time_zone="Asia/Makassar"
    )


@pytest.fixture
def facility_b(db: Any) -> Facility:
    return FacilityFactory(
        code="banjarnegara-uji",
        name="Rutan Kelas IIB Banjarnegara (uji)",
        regency="Kabupaten Banjarnegara",
        province="Jawa Tengah",
        time_zone="Asia/Jakarta",
    )


@pytest.fixture
def members(facility_a: Facility) -> dict[str, Any]:
    """One user per role in facility A, keyed by role."""
    return {
        role: MembershipFactory(
            user=UserFactory(username=f"{role}.a"), facility=facility_a, role=role
        ).user
        for role in ROLES
    }


@pytest.fixture
def stranger(facility_b: Facility) -> Any:
    """A staff member of facility B only."""
    return MembershipFactory(
        user=UserFactory(username="staff.b"), facility=facility_b, role="staff"
    ).user


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client: Client, members: dict[str, Any]) -> Client:
    return login(client, members["staff"])


@pytest.fixture
def celery_worker(transactional_db: Any) -> Any:
    """Run a real Celery worker in a thread against the configured broker (not eager mode).

    With the embedded broker the queue lives under var/test (pyproject's pytest env), apart
    from the queue of a `make run` on the same machine.
    """
    from celery.contrib.testing.worker import start_worker

    from rehab.celery import app

    app.control.purge()  # nothing left over from an earlier, interrupted run
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app


@pytest.fixture
def route_objects(facility_a: Any, facility_b: Any, members: dict[str, Any]) -> dict[str, Any]:
    """One object of each kind in facility A (own) and in facility B (other)."""
    own = InmateFactory(facility=facility_a, full_name="Budi Santoso")
    other = InmateFactory(facility=facility_b, full_name="Joko Susilo")
    uploader = members["staff"]
    pairs = [("own", own), ("other", other)]
    screenings = {
        which: ScreeningFactory(inmate=inmate) for which, inmate in [("own", own), ("other", other)]
    }
    urine = {
        which: UrineTestFactory(inmate=inmate) for which, inmate in [("own", own), ("other", other)]
    }
    health = {
        which: HealthScreeningFactory(inmate=inmate)
        for which, inmate in [("own", own), ("other", other)]
    }
    assessments = {
        which: AssessmentFactory(inmate=inmate)
        for which, inmate in [("own", own), ("other", other)]
    }
    cohorts = {which: CohortFactory(facility=inmate.facility) for which, inmate in pairs}
    enrolments = {
        which: Enrolment.objects.create(
            facility=inmate.facility, inmate=inmate, track=cohorts[which].track,
            cohort=cohorts[which], assessment=assessments[which], state="active",
        )
        for which, inmate in pairs
    }  # fmt: skip
    sessions = {
        which: Session.objects.create(
            facility=inmate.facility, cohort=cohorts[which], kind="group",
            starts_at=datetime.datetime(2026, 11, 2, 1, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 11, 2, 3, tzinfo=datetime.UTC), created_by=uploader,
        )
        for which, inmate in pairs
    }  # fmt: skip
    completed = {
        which: Enrolment.objects.create(
            facility=inmate.facility, inmate=inmate, track=cohorts[which].track,
            cohort=cohorts[which], assessment=assessments[which], state="completed",
            started_on=datetime.date(2026, 11, 2), ended_on=datetime.date(2026, 11, 16),
        )
        for which, inmate in pairs
    }  # fmt: skip
    notes = {
        which: ProgressNote.objects.create(
            facility=inmate.facility, enrolment=enrolments[which], author=uploader,
            summary="Catatan rahasia konseling",
        )
        for which, inmate in pairs
    }  # fmt: skip
    return {
        "cohort": cohorts,
        "enrolment": enrolments,
        "completed_enrolment": completed,
        "session": sessions,
        "note": notes,
        "assessment": assessments,
        "screening": screenings,
        "urine": urine,
        "health": health,
        "inmate": {"own": own, "other": other},
        "batch": {
            "own": ImportBatch.objects.create(
                facility=facility_a,
                uploaded_by=uploader,
                file_name="a.csv",
                content=b"",
                sha256="0",
            ),
            "other": ImportBatch.objects.create(
                facility=facility_b,
                uploaded_by=uploader,
                file_name="b.csv",
                content=b"",
                sha256="0",
            ),
        },
    }
