"""Fixed personas: a member of facility A in each role, a member of facility B, a stranger.

Like healthchecks' alice/bob/charlie: every view test also tries the user who must not get in.
"""

from __future__ import annotations

import datetime
import importlib
import os
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from assessments.models import UrineCorrection
from inmates.models import ImportBatch, OutsideTransfer, Transfer
from programs.models import (
    Aftercare,
    CourseMeeting,
    Enrolment,
    FacilityActivity,
    HoursPeriod,
    NonAssociation,
    PersonBlock,
    ProgressNote,
    ReleasePlan,
    Room,
    Session,
    Speaker,
    Trainee,
)
from rehab.models import Facility, Role
from reports.models import Report
from tests.factories import (
    AssessmentFactory,
    CohortFactory,
    CourseFactory,
    FacilityFactory,
    HealthScreeningFactory,
    InmateFactory,
    MembershipFactory,
    ScreeningFactory,
    UrineTestFactory,
    UserFactory,
)

ROLES = [r.value for r in Role]


# Property tests check behaviour, not speed: on a loaded 2-core machine (CI runs two suites,
# a browser and a Celery worker) Hypothesis's timing checks fail for no fault of the code.
hypothesis_settings.register_profile(
    "rehab", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("rehab")


# The one clock of the suite. Every test runs at a fixed instant, so no test depends on the
# day it is run: a Friday in the middle of November 2026, 10:00 in Jakarta (WIB). A module or a
# test that needs another moment says so with `pytest.mark.clock("2026-11-03T10:00+08:00")`.
DEFAULT_NOW = "2026-11-20T10:00+07:00"
# Tests with a live server, a browser or a Celery worker keep the clock running from the fixed
# instant: their timeouts, polling and retry countdowns need time to pass.
TICKING_FIXTURES = {"live_server", "celery_worker", "page"}


def pytest_configure(config: pytest.Config) -> None:
    """With REHAB_TEST_CLOCK set, move the whole run's clock there (ticking) before any test
    module is imported: `REHAB_TEST_CLOCK=2027-01-01T08:00+07:00 make test` shows the suite
    passes on another day. The per-test clock below still freezes each test."""
    moved = os.environ.get("REHAB_TEST_CLOCK")
    if moved:
        traveller = time_machine.travel(datetime.datetime.fromisoformat(moved), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Any:
    """Freeze the clock at DEFAULT_NOW or at the moment of the closest `clock` marker."""
    marker = request.node.get_closest_marker("clock")
    moment = marker.args[0] if marker and marker.args else DEFAULT_NOW
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    ticking = bool(TICKING_FIXTURES & set(request.fixturenames))
    tick = marker.kwargs.get("tick", ticking) if marker else ticking
    with time_machine.travel(moment, tick=tick) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo data, seeded once for a module at DEFAULT_NOW and rolled back afterwards."""
    out = StringIO()
    # Module-scoped, so it runs before the function-scoped clock and hasher fixtures: it sets
    # both itself (otherwise the demo's dates would follow the real day and its password hashes
    # would not verify under the fast hasher).
    with (
        time_machine.travel(datetime.datetime.fromisoformat(DEFAULT_NOW), tick=False),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        # A transactional test (a browser, a worker) that ran before flushed the programme
        # catalogue its data migration loads; the demo places people in its tracks.
        importlib.import_module("programs.migrations.0002_default_catalogue").forwards(
            django_apps, None
        )
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _own_media_root(settings: Any, tmp_path: Any) -> None:
    # Each test stores its files apart: a file left by an earlier test or run can never make a
    # test pass, and "nothing was stored" can be checked by listing the folder.
    settings.MEDIA_ROOT = tmp_path / "media"


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
    """Run a real Celery worker in a thread against the configured broker (not eager mode):
    memory:// unless CELERY_BROKER_URL is set (pyproject's pytest env), Redis in CI."""
    from celery.contrib.testing.worker import start_worker

    from rehab.celery import app

    app.control.purge()  # nothing left over from an earlier, interrupted run
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app
    app.control.purge()  # nor anything this test left queued (a retry waiting for its time)


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
    # A pending correction of a result nobody may see outside the clinical roles either.
    urine_corrections = {
        which: UrineCorrection.objects.create(
            facility=test.facility, test=test, analyte="AMP", old_result="negative",
            new_result="invalid", reason="Strip terbaca keliru", requested_by=members["health"],
            requested_at=datetime.datetime(2026, 11, 19, 2, tzinfo=datetime.UTC),
            result=test.results.create(analyte="AMP", result="negative"),
        )
        for which, test in urine.items()
    }  # fmt: skip
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
    for inmate in (own, other):
        ReleasePlan.objects.create(
            facility=inmate.facility,
            inmate=inmate,
            updated_by=uploader,
            follow_up_phone="0812345678",
        )
    aftercare = {
        which: Aftercare.objects.create(
            facility=inmate.facility, inmate=inmate, month=3, due_on=datetime.date(2026, 11, 1),
            outcome="relapse", notes="Catatan rahasia pemantauan",
            contacted_on=datetime.date(2026, 11, 1), recorded_at=datetime.datetime(
                2026, 11, 1, 3, tzinfo=datetime.UTC),
        )
        for which, inmate in pairs
    }  # fmt: skip
    courses = {which: CourseFactory(facility=inmate.facility) for which, inmate in pairs}
    meetings = {
        which: CourseMeeting.objects.create(
            course=courses[which], starts_at=datetime.datetime(2026, 11, 4, 1, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 11, 4, 4, tzinfo=datetime.UTC),
        )
        for which, inmate in pairs
    }  # fmt: skip
    trainees = {
        which: Trainee.objects.create(
            facility=inmate.facility, course=courses[which], inmate=inmate, state="enrolled",
            created_by=uploader,
        )
        for which, inmate in pairs
    }  # fmt: skip
    certified = {
        which: Trainee.objects.create(
            facility=inmate.facility, course=CourseFactory(facility=inmate.facility),
            inmate=inmate, state="completed", competency="competent",
            completed_on=datetime.date(2026, 11, 20), certificate_number=f"BLK-{which}/2026",
            created_by=uploader,
        )
        for which, inmate in pairs
    }  # fmt: skip
    reports = {
        which: Report.objects.create(
            facility=inmate.facility, kind="monthly", period_start=datetime.date(2026, 10, 1),
            period_end=datetime.date(2026, 11, 1), status="ready", figures={"indicators": {}},
            file=ContentFile(b"%PDF-1.7 test", name=f"test-{which}.pdf"),
        )
        for which, inmate in pairs
    }  # fmt: skip
    blocks = {
        which: PersonBlock.objects.create(
            facility=inmate.facility, inmate=inmate, kind="court", date=datetime.date(2026, 11, 24),
            start_time=datetime.time(9), end_time=datetime.time(12), court="PN Banjarnegara",
            created_by=uploader,
        )
        for which, inmate in pairs
    }  # fmt: skip
    separations = {
        which: NonAssociation.objects.create(
            facility=inmate.facility, first=inmate,
            second=InmateFactory(facility=inmate.facility), reason="Satu berkas perkara",
            created_by=uploader,
        )
        for which, inmate in pairs
    }  # fmt: skip
    facilitators = {
        which: Speaker.objects.create(
            facility=inmate.facility, name="dr. Sari (Dinkes)", agency="Dinkes",
            created_by=uploader,
        )
        for which, inmate in pairs
    }  # fmt: skip
    # A WBP handed over to the other facility: the receiving UPT owns the transfer.
    transfers = {
        which: Transfer.objects.create(
            facility=inmate.facility, from_facility=origin.facility, on=datetime.date(2026, 11, 19),
            inmate=InmateFactory(facility=origin.facility, status="transferred"),
            reason="Kelebihan kapasitas", created_by=uploader,
        )
        for (which, inmate), origin in zip(pairs, (other, own), strict=True)
    }  # fmt: skip
    # A WBP moved to a UPT outside rehab (no file stored: the hand-over is laid out on request,
    # from the WBP's own records, health results included for the clinical roles).
    outside = {
        which: OutsideTransfer.objects.create(
            facility=inmate.facility, inmate=inmate, upt_name="Lapas Kelas IIA Balikpapan",
            upt_town="Balikpapan", on=datetime.date(2026, 11, 19), reason="Putusan inkracht",
            created_by=uploader,
        )
        for which, inmate in pairs
    }  # fmt: skip
    activities = {
        which: FacilityActivity.objects.create(
            facility=inmate.facility, title="Apel pagi", kind="other", weekday=0,
            start_time=datetime.time(7), end_time=datetime.time(7, 30),
        )
        for which, inmate in pairs
    }  # fmt: skip
    rooms = {
        which: Room.objects.create(
            facility=inmate.facility, name="Aula Pembinaan", capacity=20, created_by=uploader
        )
        for which, inmate in pairs
    }  # fmt: skip
    hours = {
        which: HoursPeriod.objects.create(
            facility=inmate.facility, start_date=datetime.date(2027, 2, 8),
            end_date=datetime.date(2027, 3, 9), start_time=datetime.time(8),
            end_time=datetime.time(12),
        )
        for which, inmate in pairs
    }  # fmt: skip
    return {
        "room": rooms,
        "hours": hours,
        "activity": activities,
        "transfer": transfers,
        "outside_transfer": outside,
        "facilitator": facilitators,
        "separation": separations,
        "block": blocks,
        "report": reports,
        "course": courses,
        "meeting": meetings,
        "trainee": trainees,
        "certified_trainee": certified,
        "aftercare": aftercare,
        "cohort": cohorts,
        "enrolment": enrolments,
        "completed_enrolment": completed,
        "session": sessions,
        "note": notes,
        "assessment": assessments,
        "screening": screenings,
        "urine": urine,
        "urine_correction": urine_corrections,
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


@pytest.fixture
def fed_html(monkeypatch: Any) -> list[str]:
    """The HTML every PDF of the test is laid out from, in order (the PDF is still rendered):
    where figures and leaks show."""
    from rehab import pdf

    fed: list[str] = []
    real = pdf.html_to_pdf

    def recording(html: str, **kwargs: Any) -> bytes:
        fed.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", recording)
    return fed
